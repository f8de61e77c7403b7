"""One parse per spec: solve_spec parses each expression text once, and every stage reads the trees.

The parser's entry (``nl2opt.expr.parse._ast_of``, behind both parse_expression and
parse_binding) is wrapped to count the texts it is given; every text in the model below is
distinct, so any count above one is a stage parsing again.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import nl2opt.expr.parse as parse_module
from nl2opt import ModelSpec, Status, solve_spec
from nl2opt.derived import resolve

GOLDEN = Path(__file__).parents[1] / "golden" / "models"

SPEC: dict[str, Any] = {
    "name": "every stage",
    "sets": [{"name": "P", "elements": ["a", "b"]}, {"name": "M", "elements": ["x", "y", "z"]}],
    "parameters": [
        {"name": "cost", "index": ["P", "M"], "values": [[4, 6, 9], [5, 3, 8]]},
        {"name": "supply", "index": ["P"], "values": [40, 50]},
        {"name": "demand", "index": ["M"], "values": [20, 30, 25]},
    ],
    "variables": [
        {"name": "ship", "index": ["P", "M"]},
        {"name": "open", "index": ["P"], "domain": "binary"},
    ],
    "objective": {
        "sense": "minimize",
        "expression": "sum(cost[p, m] * ship[p, m] for p in P for m in M) + 10 * sum(open[q] for q in P)",
    },
    "constraints": [
        {"name": "out", "for": ["p in P"], "expression": "sum(ship[p, m] for m in M) <= supply[p] * open[p]"},
        {
            "name": "need",
            "for": ["m in M"],
            "where": "demand[m] > 0",
            "expression": "sum(ship[i, m] for i in P) >= demand[m]",
        },
        {"name": "one", "expression": "implies(open['a'] == 1, ship['a', 'x'] >= 1)"},
    ],
}
"""A MILP with a filter, a binding per constraint and logic: every stage has something to read."""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    seen: Counter[str] = Counter()
    original = parse_module._ast_of

    def counting(text: str) -> Any:
        seen[text] += 1
        return original(text)

    monkeypatch.setattr(parse_module, "_ast_of", counting)
    return seen


def test_solve_spec_parses_each_expression_once(parses: Counter[str]) -> None:
    result = solve_spec(SPEC)
    assert result.status is Status.OPTIMAL and result.verified
    assert result.latex and "\\forall" in result.latex, "the LaTeX view is drawn from the trees"
    texts = [SPEC["objective"]["expression"]]
    for con in SPEC["constraints"]:
        texts += [*con.get("for", []), con["expression"], *([con["where"]] if "where" in con else [])]
    assert set(texts) <= set(parses), f"not parsed at all: {set(texts) - set(parses)}"
    twice = {text: n for text, n in parses.items() if n > 1}
    assert not twice, f"parsed more than once: {twice}"


def test_a_spec_with_derived_bounds_and_described_rows_is_parsed_once(parses: Counter[str]) -> None:
    """Derived bounds add rows after the check; descriptions quoting numbers are read for the
    explanation: neither may parse an expression the checker already parsed."""
    spec = json.loads((GOLDEN / "derived_bounds.json").read_text(encoding="utf-8"))
    resolved, _ = resolve(ModelSpec.model_validate(spec))  # with the rows derived bounds add
    rows, bounds = resolved.model_dump_json(by_alias=True), json.dumps(spec)

    def uses(text: str) -> int:  # in a row (derived bounds add some), else as a bound as written
        return rows.count(json.dumps(text)) or bounds.count(json.dumps(text))

    parses.clear()
    result = solve_spec(spec)
    assert result.status is Status.OPTIMAL and result.verified
    again = {text: n for text, n in parses.items() if n > uses(text)}
    assert not again, f"parsed more often than written: {again}"
