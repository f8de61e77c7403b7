"""Compiler regressions found by differential testing, each held on every installed backend.

Optima are derived by hand in each case's comment; none is read from nl2opt's own output.
The last test replays the shared reproducers (``../shared/repro/solver-correctness``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from nl2opt.backends import available_backends, backend_names
from nl2opt.check.semantics import CONDITION_TOL, STRICT_MARGIN
from nl2opt.pipeline import solve_spec
from nl2opt.result import Result, Status
from nl2opt.spec import ModelSpec
from nl2opt.verify import verify

ROOT = Path(__file__).parents[2]


@pytest.fixture(params=backend_names())
def backend(request: pytest.FixtureRequest) -> str:
    if request.param not in available_backends():
        pytest.skip(f"backend {request.param!r} is not installed")
    return request.param


def _spec(variables, objective, sense="minimize", constraints=(), sets=(), parameters=()) -> ModelSpec:
    return ModelSpec.model_validate(
        {
            "sets": list(sets),
            "parameters": list(parameters),
            "variables": variables,
            "objective": {"sense": sense, "expression": objective},
            "constraints": [{"name": f"c{k}", **c} for k, c in enumerate(constraints)],
        }
    )


def _errors(result: Result) -> list[str]:
    return [d.code for d in result.diagnostics if d.severity == "error"]


def _assert_optimal(result: Result, expected: float) -> None:
    assert result.status is Status.OPTIMAL, (result.status, _errors(result))
    assert result.objective == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert result.verified, [str(d) for d in result.diagnostics]


A = {"name": "A", "elements": [1, 2]}
B = {"name": "B", "elements": ["p", "q"]}
C = {"name": "C", "elements": ["u", "v"]}
B3 = {"name": "B", "elements": ["p", "q", "r"]}


# -- abs / min / max whose arguments span several index sets ---------------------------------------


def test_abs_over_three_axes(backend: str) -> None:
    # |x| <= 1 with x integer in [-3, 2]: each of the 2*2*2 cells is at least -1, so the least sum is -8.
    spec = _spec(
        [{"name": "x", "index": ["A", "B", "C"], "domain": "integer", "lower": -3, "upper": 2}],
        "sum(x[a, b, c] for a in A for b in B for c in C)",
        constraints=[{"for": ["a in A", "b in B", "c in C"], "expression": "abs(x[a, b, c]) <= 1"}],
        sets=[A, B, C],
    )
    _assert_optimal(solve_spec(spec, backend=backend), -8)


def test_max_in_a_non_convex_position_over_two_axes(backend: str) -> None:
    # max(x, 2 - x) >= 3 on [0, 4] leaves x >= 3 (x <= -1 is out of bounds): 4 cells of 3.
    spec = _spec(
        [{"name": "x", "index": ["A", "B"], "lower": 0, "upper": 4}],
        "sum(x[a, b] for a in A for b in B)",
        constraints=[{"for": ["a in A", "b in B"], "expression": "max(x[a, b], 2 - x[a, b]) >= 3"}],
        sets=[A, B],
    )
    _assert_optimal(solve_spec(spec, backend=backend), 12)


def test_min_of_arguments_on_different_axes(backend: str) -> None:
    # min(x[a], y[b]) <= 1 for every pair: if any x[a] > 1 every y[b] <= 1, and the other way round.
    # All y at 5 and both x at 1 gives 3*5 + 2*1 = 17, better than 2*5 + 3*1 = 13.
    spec = _spec(
        [
            {"name": "x", "index": ["A"], "lower": 0, "upper": 5},
            {"name": "y", "index": ["B"], "lower": 0, "upper": 5},
        ],
        "sum(x[a] for a in A) + sum(y[b] for b in B)",
        sense="maximize",
        constraints=[{"for": ["a in A", "b in B"], "expression": "min(x[a], y[b]) <= 1"}],
        sets=[A, B3],
    )
    _assert_optimal(solve_spec(spec, backend=backend), 17)


# -- references outside a set that a filter does not exclude ----------------------------------------

T3 = {"name": "T", "range": {"start": 1, "stop": 3}}
X_T = {"name": "x", "index": ["T"], "domain": "integer", "lower": -2, "upper": 1}


def test_objective_reaching_outside_its_set_is_named() -> None:
    # t != 3 keeps t = 1, where x[t - 1] = x[0] does not exist.
    result = solve_spec(_spec([X_T], "sum(x[t - 1] for t in T if t != 3)", sets=[T3]))
    assert result.status is Status.INVALID
    (found,) = [d for d in result.diagnostics if d.code == "lower.unknown-element"]
    assert found.where == "objective.expression"
    assert "x[t - 1] with t = 1" in found.message


def test_constraint_reaching_outside_its_set_is_named() -> None:
    spec = _spec(
        [X_T],
        "sum(x[t] for t in T)",
        constraints=[{"for": ["t in T"], "where": "t != 1", "expression": "x[t + 1] >= x[t] - 1"}],
        sets=[T3],
    )
    result = solve_spec(spec)
    assert result.status is Status.INVALID
    (found,) = [d for d in result.diagnostics if d.code == "lower.unknown-element"]
    assert "c0[3]" in found.message and "x[t + 1] with t = 3" in found.message


def test_objective_filtered_inside_its_set_solves(backend: str) -> None:
    # t > 1 keeps x[1] and x[2]; each at its lower bound -2.
    _assert_optimal(
        solve_spec(_spec([X_T], "sum(x[t - 1] for t in T if t > 1)", sets=[T3]), backend=backend), -4
    )


# -- division guarded by a filter -------------------------------------------------------------------

P_ZERO = {"name": "p", "index": ["B"], "values": [0, 2, 4]}
X_B = {"name": "x", "index": ["B"], "lower": 0, "upper": 10}


def test_division_in_a_sum_guarded_by_its_filter(backend: str) -> None:
    # x[p] <= 3 and x[q]/2 + x[r]/4 <= 1: x[r] = 3 costs 0.75, leaving x[q] = 0.5; total 3 + 0.5 + 3.
    spec = _spec(
        [X_B],
        "sum(x[i] for i in B)",
        sense="maximize",
        constraints=[
            {"expression": "sum(x[i] / p[i] for i in B if p[i] > 0) <= 1"},
            {"for": ["i in B"], "expression": "x[i] <= 3"},
        ],
        sets=[B3],
        parameters=[P_ZERO],
    )
    result = solve_spec(spec, backend=backend)
    _assert_optimal(result, 6.5)
    assert not [d for d in result.diagnostics if d.code == "check.division-by-zero"]


def test_division_in_rows_guarded_by_where(backend: str) -> None:
    # x[q] <= 2, x[r] <= min(4, 3), x[p] <= 3: 3 + 2 + 3.
    spec = _spec(
        [X_B],
        "sum(x[i] for i in B)",
        sense="maximize",
        constraints=[
            {"for": ["i in B"], "where": "p[i] > 0", "expression": "x[i] / p[i] <= 1"},
            {"for": ["i in B"], "expression": "x[i] <= 3"},
        ],
        sets=[B3],
        parameters=[P_ZERO],
    )
    _assert_optimal(solve_spec(spec, backend=backend), 8)


@pytest.mark.parametrize("guard", ["", " if p[i] < 3"])
def test_division_by_a_zero_the_filter_keeps_is_reported(guard: str) -> None:
    spec = _spec(
        [X_B],
        "sum(x[i] for i in B)",
        sense="maximize",
        constraints=[{"expression": f"sum(x[i] / p[i] for i in B{guard}) <= 1"}],
        sets=[B3],
        parameters=[P_ZERO],
    )
    result = solve_spec(spec)
    assert result.status is Status.INVALID
    (found,) = [d for d in result.diagnostics if d.code == "check.division-by-zero" and d.severity == "error"]
    assert "p[i] with i = 'p'" in found.message


# -- one strictness margin for negated conditions, in the compiler and the verifier -----------------

XB_VARS = [{"name": "x", "lower": 0, "upper": 2000}, {"name": "b", "domain": "binary"}]


@pytest.mark.parametrize("threshold", [20, 1000])
def test_a_false_condition_misses_by_the_strict_margin_and_verifies(backend: str, threshold: int) -> None:
    # b = 0 forces "x >= threshold" false: x <= threshold - STRICT_MARGIN, the documented optimum.
    spec = _spec(
        XB_VARS,
        "x",
        sense="maximize",
        constraints=[{"expression": f"implies(x >= {threshold}, b == 1)"}, {"expression": "b <= 0"}],
    )
    _assert_optimal(solve_spec(spec, backend=backend), threshold - STRICT_MARGIN)


def test_at_most_items_are_read_with_the_same_margin(backend: str) -> None:
    # At most one of x >= 50, y >= 50: one at 100, the other just short of 50.
    spec = _spec(
        [{"name": "x", "lower": 0, "upper": 100}, {"name": "y", "lower": 0, "upper": 100}],
        "x + y",
        sense="maximize",
        constraints=[{"expression": "at_most(1, [x >= 50, y >= 50])"}],
    )
    _assert_optimal(solve_spec(spec, backend=backend), 150 - STRICT_MARGIN)


def test_the_verifier_reads_conditions_with_a_tolerance_below_the_margin() -> None:
    assert 0 < CONDITION_TOL < STRICT_MARGIN
    spec = _spec(XB_VARS, "x", sense="maximize", constraints=[{"expression": "implies(x >= 1000, b == 1)"}])
    at_margin = verify(spec, {"x": 1000 - STRICT_MARGIN, "b": 0.0})
    assert not [d for d in at_margin if d.severity == "error"]
    inside = verify(spec, {"x": 1000 - CONDITION_TOL / 10, "b": 0.0})
    assert [d.code for d in inside] == ["verify.constraint-violated"]


def test_the_margin_is_documented() -> None:
    text = (ROOT / "docs" / "spec-format.md").read_text(encoding="utf-8")
    assert (STRICT_MARGIN, CONDITION_TOL) == (1e-5, 5e-6)
    assert "`1e-5`" in text and "`5e-6`" in text


# -- the shared reproducers -------------------------------------------------------------------------

REPRODUCERS = (
    "crash_abs_two_axes.json",
    "crash_objective_out_of_set.json",
    "rejects_filtered_division.json",
    "verifier_rejects_eps_strict_optimum.json",
)


def _shared() -> Path | None:
    candidates = [os.environ.get("NL2OPT_SHARED", ""), ROOT.parent / "shared", ROOT.parents[1] / "shared"]
    for c in candidates:
        folder = Path(c) / "repro" / "solver-correctness" if c else None
        if folder is not None and (folder / "expected.json").is_file():
            return folder
    return None


@pytest.mark.parametrize("name", REPRODUCERS)
def test_shared_reproducer(backend: str, name: str) -> None:
    folder = _shared()
    if folder is None:
        pytest.skip("../shared/repro/solver-correctness is not on this machine")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))[name]
    result = solve_spec(folder / name, backend=backend)
    assert result.status.value == expected["status"], _errors(result)
    if expected["status"] == "optimal":
        _assert_optimal(result, expected["objective"])
    if "code" in expected:
        assert expected["code"] in _errors(result)
