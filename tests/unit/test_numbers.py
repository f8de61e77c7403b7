"""Extreme numbers end in a Diagnostic that says what is wrong, never in a crash or a wrong model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from nl2opt.pipeline import load_spec, solve_spec
from nl2opt.result import Result, Status
from nl2opt.spec import MAX_INTEGER, ModelSpec

ROOT = Path(__file__).parents[2]
X = {"name": "x", "lower": 0, "upper": 10}


def _spec(objective: str, constraints=(), variables=(X,), sets=(), parameters=(), sense="maximize") -> dict:
    return {
        "sets": list(sets),
        "parameters": list(parameters),
        "variables": list(variables),
        "objective": {"sense": sense, "expression": objective},
        "constraints": [{"name": f"c{k}", **c} for k, c in enumerate(constraints)],
    }


def _errors(result: Result) -> list:
    return [d for d in result.diagnostics if d.severity == "error"]


@pytest.mark.parametrize(
    "objective, constraint, where, text",
    [
        ("1e308 * 10 * x", "x <= 5", "objective.expression", "1e+308 * 10"),
        ("x", "x <= 1e308 * 10", "constraints[c0].expression", "1e+308 * 10"),
        ("x", "x / 1e-320 <= 5", "constraints[c0].expression", "x / 1e-320"),
        ("x", "x + 1e308 * 10 - 1e308 * 10 <= 5", "constraints[c0].expression", "1e+308 * 10"),
    ],
)
def test_overflow_is_reported_where_it_happens(
    objective: str, constraint: str, where: str, text: str
) -> None:
    result = solve_spec(_spec(objective, [{"expression": constraint}]))
    assert result.status is Status.INVALID
    (d,) = _errors(result)
    assert (d.code, d.where) == ("lower.non-finite", where) and text in d.message


def test_overflow_in_a_cell_the_filter_drops_is_fine() -> None:
    # x[a] / 1e-320 would overflow, but the filter keeps only b: x[b] / 1 <= 4, x[a] <= 10 -> 14.
    spec = _spec(
        "sum(x[i] for i in I)",
        [{"expression": "sum(x[i] / p[i] for i in I if p[i] > 1e-300) <= 4"}],
        variables=[{"name": "x", "index": ["I"], "upper": 10}],
        sets=[{"name": "I", "elements": ["a", "b"]}],
        parameters=[{"name": "p", "index": ["I"], "values": [1e-320, 1.0]}],
    )
    result = solve_spec(spec)
    assert (result.status, result.objective, result.verified) == (Status.OPTIMAL, pytest.approx(14.0), True)


def test_a_big_m_from_astronomical_bounds_asks_for_realistic_bounds() -> None:
    huge = {"lower": -1e300, "upper": 1e300}
    spec = _spec(
        "x",
        [{"expression": "implies(b == 1, x + y <= 5)"}, {"expression": "b >= 1"}],
        variables=[{"name": "x", **huge}, {"name": "y", **huge}, {"name": "b", "domain": "binary"}],
    )
    (d,) = _errors(solve_spec(spec))
    assert d.code == "lower.missing-bound" and "realistic bounds on x, y" in d.message


@pytest.mark.parametrize(
    "sets, parameters",
    [
        ([{"name": "T", "elements": [MAX_INTEGER + 1, 1]}], []),
        ([{"name": "T", "range": {"start": 2**63 - 2, "stop": 2**63 + 1}}], []),
        (
            [{"name": "T", "range": {"start": 1, "stop": 2}}],
            [{"name": "p", "index": ["T"], "entries": [{"key": [-(10**40)], "value": 1}]}],
        ),
    ],
)
def test_integers_beyond_two_to_the_53_are_refused_by_the_schema(sets: list, parameters: list) -> None:
    data = _spec("x", sets=sets, parameters=parameters)
    with pytest.raises(ValidationError, match="2\\*\\*53"):
        ModelSpec.model_validate(data)
    spec, (d,) = load_spec(data)
    assert spec is None and d.code == "spec.schema" and "2**53" in d.message


def test_a_literal_with_thousands_of_digits_is_a_parse_error() -> None:
    result = solve_spec(_spec("x", [{"expression": "x <= " + "9" * 5000}]))
    (d,) = _errors(result)
    assert d.code == "parse.syntax" and "thousands of digits" in d.message


def _hostile() -> Path | None:
    for c in (os.environ.get("NL2OPT_SHARED", ""), ROOT.parent / "shared", ROOT.parents[1] / "shared"):
        folder = Path(c) / "repro" / "hostile-input" if c else None
        if folder is not None and folder.is_dir():
            return folder
    return None


HOSTILE = _hostile()


@pytest.mark.skipif(HOSTILE is None, reason="../shared/repro/hostile-input is not on this machine")
@pytest.mark.parametrize("name", sorted(p.name for p in (HOSTILE or Path()).glob("num_*.json")))
def test_shared_number_specs_end_in_a_clear_outcome(name: str) -> None:
    assert HOSTILE is not None
    result = solve_spec(HOSTILE / name)
    assert result.status is not Status.ERROR, [str(d) for d in result.diagnostics]
    if result.status is Status.INVALID:
        assert {d.code.split(".")[0] for d in _errors(result)} <= {"spec", "parse", "check", "lower"}
    if result.status is Status.OPTIMAL:
        assert result.verified
