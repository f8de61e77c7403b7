"""solve_spec end to end: every way a model can go wrong ends in a Result that says what happened."""

from __future__ import annotations

import numpy as np
import pytest

import nl2opt
from nl2opt import Status
from nl2opt.backends import get_backend

KNAPSACK_HARD = {
    "sets": [{"name": "I", "range": {"start": 1, "stop": 60}}],
    "parameters": [
        {"name": "w", "index": ["I"], "values": np.random.default_rng(7).integers(1000, 5000, 60).tolist()},
        {"name": "v", "index": ["I"], "values": np.random.default_rng(8).integers(1000, 5000, 60).tolist()},
    ],
    "variables": [{"name": "take", "index": ["I"], "domain": "binary"}],
    "objective": {"sense": "maximize", "expression": "sum(v[i] * take[i] for i in I)"},
    "constraints": [
        {"name": "cap", "expression": "sum(w[i] * take[i] for i in I) <= 60000"},
        {"name": "parity", "for": ["i in I"], "where": "i < 60", "expression": "take[i] + take[i + 1] <= 1 + 0.5"},
    ],
}

SHIP = {
    "sets": [{"name": "P", "elements": ["a", "b"]}, {"name": "M", "range": {"start": 1, "stop": 2}}],
    "parameters": [{"name": "cost", "index": ["P", "M"], "values": [[1, 3], [2, 1]]}],
    "variables": [{"name": "ship", "index": ["P", "M"]}, {"name": "spare", "upper": 4}],
    "objective": {"sense": "minimize", "expression": "sum(cost[p, m] * ship[p, m] for p in P for m in M) - spare",
                  "description": "net cost"},
    "constraints": [
        {"name": "demand", "for": ["m in M"], "expression": "sum(ship[p, m] for p in P) >= 5", "description": "need"},
    ],
}


def test_values_are_keyed_by_members_and_rows_report_duals() -> None:
    result = nl2opt.solve_spec(SHIP)
    assert result.status is Status.OPTIMAL and result.verified
    assert result.objective == pytest.approx(6.0)
    assert result.values["ship"] == {"a,1": 5.0, "a,2": 0.0, "b,1": 0.0, "b,2": 5.0}
    assert result.value("ship", "b", 2) == 5.0 and result.value("spare") == 4.0
    rows = {r.name: r for r in result.rows}
    assert rows["demand[1]"].binding and rows["demand[1]"].dual == pytest.approx(1.0)
    assert "net cost" in result.explanation and result.latex.startswith("\\begin{aligned}")
    assert nl2opt.Result.model_validate_json(result.to_json()) == result


def test_time_limit_returns_the_incumbent_or_says_nothing_was_found() -> None:
    result = nl2opt.solve_spec(KNAPSACK_HARD, time_limit=0.05)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE, Status.NO_SOLUTION)
    if result.status is Status.FEASIBLE:
        assert "solve.time-limit" in {d.code for d in result.diagnostics}
        assert result.objective is not None and "time" in result.termination


def test_a_crashing_solver_is_an_error_result(monkeypatch: pytest.MonkeyPatch) -> None:
    backend = get_backend("highs")

    def explode(*args, **kwargs):
        raise RuntimeError("solver segfault simulated")

    monkeypatch.setattr("nl2opt.backends.highs._solve", explode)
    result = nl2opt.solve_spec(SHIP, backend=backend.name)
    assert result.status is Status.ERROR
    assert "solve.error" in {d.code for d in result.diagnostics}
    assert "segfault" in result.explanation + " ".join(d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    "constraints, status, code, named",
    [
        ([{"name": "low", "expression": "x >= 5"}, {"name": "high", "expression": "x <= 3"}],
         Status.INFEASIBLE, "diagnose.conflict", ["low", "high"]),
        ([{"name": "floor", "expression": "x >= 1"}], Status.UNBOUNDED, "diagnose.unbounded-ray", ["x"]),
    ],
    ids=["infeasible", "unbounded"],
)
def test_no_answer_is_explained(constraints, status: Status, code: str, named: list[str]) -> None:
    spec = {"variables": [{"name": "x", "domain": "integer"}],
            "objective": {"sense": "maximize", "expression": "x"}, "constraints": constraints}
    result = nl2opt.solve_spec(spec)
    assert result.status is status
    found = [d for d in result.diagnostics if d.code == code]
    assert found and all(name in found[0].message for name in named)


def test_unknown_backend_is_a_caller_error() -> None:
    with pytest.raises(nl2opt.UnknownBackendError, match="highs"):
        nl2opt.solve_spec(SHIP, backend="cplex")


@pytest.mark.parametrize("source", ["{", {"variables": "x"}, {"variables": [], "objective": {"sense": "minimize"}}])
def test_malformed_input_is_an_invalid_result(source) -> None:
    result = nl2opt.solve_spec(source)
    assert result.status is Status.INVALID
    assert result.errors and result.explanation


def test_a_huge_set_is_refused_before_anything_is_allocated() -> None:
    spec = {"sets": [{"name": "T", "range": {"start": 1, "stop": 10**12}}],
            "variables": [{"name": "x", "index": ["T"]}],
            "objective": {"sense": "minimize", "expression": "sum(x[t] for t in T)"}}
    result = nl2opt.solve_spec(spec)
    assert result.status is Status.INVALID
    assert any("limit" in d.message for d in result.errors)


def test_expressions_may_span_lines() -> None:
    spec = {"variables": [{"name": "x"}, {"name": "y"}],
            "objective": {"sense": "maximize", "expression": "x\n + y"},
            "constraints": [{"name": "c", "expression": "x + 2*y\n <= 4"}]}
    assert nl2opt.solve_spec(spec).objective == pytest.approx(4.0)
