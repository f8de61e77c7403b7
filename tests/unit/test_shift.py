"""prev(t) and next(t): neighbours in the order of the indexed set, optionally wrapping around.

Oracles: enumeration of every integer point, and hand-derived optima.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nl2opt
from nl2opt.check import check
from nl2opt.spec import ModelSpec
from nl2opt.verify import verify

MONTHS = ["jan", "feb", "mar"]


def inventory(balance: str, where: str | None = "m != 'jan'") -> dict:
    """Make in cheap months and carry stock: cost 2, 5, 4 per unit; demand 3, 4, 5; holding 1 per unit."""
    return {
        "sets": [{"name": "M", "elements": MONTHS}],
        "parameters": [
            {"name": "cost", "index": ["M"], "values": [2, 5, 4]},
            {"name": "demand", "index": ["M"], "values": [3, 4, 5]},
        ],
        "variables": [{"name": "make", "index": ["M"]}, {"name": "stock", "index": ["M"]}],
        "objective": {"sense": "minimize", "expression": "sum(cost[m] * make[m] + stock[m] for m in M)"},
        "constraints": [
            {"name": "first", "expression": "stock['jan'] == make['jan'] - demand['jan']"},
            {"name": "balance", "for": ["m in M"], "where": where, "expression": balance},
        ],
    }


def errors(s: dict) -> list[str]:
    return [d.code for d in check(ModelSpec.model_validate(s)) if d.severity == "error"]


def test_prev_on_named_periods_hand_optimum() -> None:
    # jan makes 3 + 4 (cost 2, carry 4 to feb at 1): 14 + 4 = 18 beats making feb's 4 at 5 (20);
    # mar: make at 4 (20) vs carry from jan: 2 + 1 + 1 = 4 per unit, a tie, so 20 either way.
    # Total: 3 * 2 + 4 * 3 (made in jan, held one month) + 5 * 4 = 6 + 12 + 20 = 38.
    result = nl2opt.solve_spec(json.dumps(inventory("stock[m] == stock[prev(m)] + make[m] - demand[m]")))
    assert result.status == "optimal" and result.objective == pytest.approx(38)
    assert result.verified


def test_next_mirrors_prev() -> None:
    s = inventory("stock[m] == stock[prev(m)] + make[m] - demand[m]", where="m != 'jan'")
    mirrored = inventory("stock[next(m)] == stock[m] + make[next(m)] - demand[next(m)]", where="m != 'mar'")
    a, b = nl2opt.solve_spec(json.dumps(s)), nl2opt.solve_spec(json.dumps(mirrored))
    assert a.objective == pytest.approx(b.objective) == pytest.approx(38)


def test_an_end_without_a_filter_or_wrap_is_a_check_error() -> None:
    found = check(ModelSpec.model_validate(inventory("stock[m] == stock[prev(m)] + make[m]", where=None)))
    [d] = [d for d in found if d.severity == "error"]
    assert d.code == "check.unknown-element" and "'jan'" in d.message and "cyclic" in d.hint


@pytest.mark.parametrize(
    "expression, code",
    [
        ("stock[m] == stock[prev('jan')] + make[m]", "parse.bad-arguments"),
        ("stock[m] == stock[prev(m, 'wrap')] + make[m]", "parse.bad-arguments"),
        ("stock[m] == prev(m) + make[m]", "check.bad-index"),
        ("stock[m] == stock[prev(k)] + make[m]", "check.unbound-index"),
    ],
)
def test_misuse_is_reported(expression: str, code: str) -> None:
    assert code in errors(inventory(expression))


def test_prev_must_step_through_the_set_it_indexes() -> None:
    s = inventory("stock[m] >= 0")
    s["sets"].append({"name": "P", "elements": ["x", "y"]})
    s["variables"].append({"name": "z", "index": ["P"]})
    s["constraints"].append({"name": "bad", "for": ["m in M"], "expression": "z[prev(m, 'cyclic')] >= 0"})
    assert "check.index-set-mismatch" in errors(s)


def test_verifier_reads_prev_rows_on_its_own() -> None:
    spec = ModelSpec.model_validate(inventory("stock[m] == stock[prev(m)] + make[m] - demand[m]"))
    make, stock = np.array([7.0, 0.0, 5.0]), np.array([4.0, 0.0, 0.0])
    assert verify(spec, {"make": make, "stock": stock}) == []
    wrong = np.array([4.0, 1.0, 0.0])  # feb: 1 != 4 + 0 - 4
    assert {d.where for d in verify(spec, {"make": make, "stock": wrong})} == {"constraints[balance]"}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 4), min_size=3, max_size=4), st.booleans())
def test_cyclic_cover_matches_enumeration(need: list[int], forward: bool) -> None:
    """Each worker covers two neighbouring shifts, wrapping around; the fewest workers, enumerated."""
    n = len(need)
    shifts = [f"s{k}" for k in range(n)]
    other = "next" if forward else "prev"
    s = {
        "sets": [{"name": "S", "elements": shifts}],
        "parameters": [{"name": "need", "index": ["S"], "values": need}],
        "variables": [{"name": "w", "index": ["S"], "domain": "integer", "upper": 4}],
        "objective": {"sense": "minimize", "expression": "sum(w[s] for s in S)"},
        "constraints": [
            {"name": "cover", "for": ["s in S"], "expression": f"w[s] + w[{other}(s, 'cyclic')] >= need[s]"}
        ],
    }
    step = 1 if forward else -1
    best = min(
        sum(w)
        for w in itertools.product(range(5), repeat=n)
        if all(w[k] + w[(k + step) % n] >= need[k] for k in range(n))
    )
    result = nl2opt.solve_spec(json.dumps(s))
    assert result.status == "optimal" and result.objective == pytest.approx(best)
    assert result.verified
