"""Derived values: ranges and bounds as expressions of parameters, evaluated at compile time.

Oracles: enumeration of every integer point, and hand-derived optima.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nl2opt
from nl2opt.check import check
from nl2opt.derived import resolve
from nl2opt.spec import ModelSpec
from nl2opt.verify import verify


def plan(**changes: Any) -> dict:
    """Products a, b over periods 1..n_periods; x[p, t] <= cap[p]; at most 8 units per period."""
    s = {
        "sets": [
            {"name": "T", "range": {"start": 1, "stop": "n_periods"}},
            {"name": "P", "elements": ["a", "b"]},
        ],
        "parameters": [
            {"name": "n_periods", "value": 3},
            {"name": "cap", "index": ["P"], "values": [4, 6]},
            {"name": "profit", "index": ["P"], "values": [3, 2]},
        ],
        "variables": [{"name": "x", "index": ["P", "T"], "domain": "integer", "upper": "cap[p]"}],
        "objective": {"sense": "maximize", "expression": "sum(profit[p] * x[p, t] for p in P for t in T)"},
        "constraints": [{"name": "total", "for": ["t in T"], "expression": "sum(x[p, t] for p in P) <= 8"}],
    }
    s.update(changes)
    return s


def codes(s: dict) -> list[str]:
    return [d.code for d in check(ModelSpec.model_validate(s)) if d.severity == "error"]


def test_range_and_bounds_from_parameters_hand_optimum() -> None:
    # per period: x[a] <= 4 (profit 3) first, then x[b] = 4 (profit 2): 12 + 8 = 20; three periods: 60.
    result = nl2opt.solve_spec(json.dumps(plan()))
    assert result.status == "optimal" and result.objective == pytest.approx(60)
    assert result.verified
    assert len(result.values["x"]) == 6  # 2 products x 3 periods: the range came from n_periods


def test_each_element_keeps_its_own_bound_and_a_uniform_one_is_a_number() -> None:
    spec, found = resolve(ModelSpec.model_validate(plan()))
    assert spec is not None and found == []
    assert spec.sets[0].members() == [1, 2, 3]
    assert spec.variables[0].upper == 6  # the loosest: finite, so big-M stays valid
    assert [c.name for c in spec.constraints] == ["total", "x_upper"]
    uniform = plan(parameters=[*plan()["parameters"], {"name": "cap2", "value": 5}])
    uniform["variables"][0]["upper"] = "cap2 - 1"
    spec, _ = resolve(ModelSpec.model_validate(uniform))
    assert spec is not None and spec.variables[0].upper == 4 and len(spec.constraints) == 1


def test_verifier_holds_each_element_to_its_derived_bound() -> None:
    spec = ModelSpec.model_validate(plan())
    ok = np.array([[4, 4, 4], [4, 4, 4]], dtype=float)
    assert verify(spec, {"x": ok}) == []
    over = ok.copy()
    over[0, 1], over[1, 1] = 5, 3  # x[a, 2] = 5 > cap[a] = 4, though 5 <= 6 (the loosest bound)
    assert {d.where for d in verify(spec, {"x": over})} == {"constraints[x_upper]"}


def test_derived_bound_gives_big_m_to_logic() -> None:
    s = plan()
    s["variables"].append({"name": "on", "index": ["P"], "domain": "binary"})
    s["objective"]["expression"] += " - 5 * sum(on[p] for p in P)"
    s["constraints"].append(
        {"name": "link", "for": ["p in P", "t in T"], "expression": "implies(on[p] == 0, x[p, t] <= 0)"}
    )
    # both lines on: 60 - 10 = 50; only a: 3 * 4 * 3 - 5 = 31; only b: 2 * 6 * 3 - 5 = 31.
    result = nl2opt.solve_spec(json.dumps(s))
    assert result.status == "optimal" and result.objective == pytest.approx(50)


@pytest.mark.parametrize(
    "mutate, where",
    [
        (lambda s: s["sets"][0]["range"].update(stop="n_periods / 2"), "sets[T].range.stop"),
        (lambda s: s["sets"][0]["range"].update(stop="periods"), "sets[T].range.stop"),
        (lambda s: s["parameters"][0].update(value=1e12), "sets[T].range"),
        (lambda s: s["variables"][0].update(upper="cap[p] * x[p, t]"), "variables[x].upper"),
        (lambda s: s["variables"][0].update(upper="cap[p] + cap[q] + cap[r]"), "variables[x].upper"),
        (lambda s: s["variables"][0].update(upper="cap[p] +"), "variables[x].upper"),
    ],
)
def test_a_value_that_cannot_be_derived_is_a_check_error(mutate, where: str) -> None:
    s = plan()
    mutate(s)
    found = check(ModelSpec.model_validate(s))
    assert any(d.severity == "error" and d.where == where for d in found), [str(d) for d in found]
    result = nl2opt.solve_spec(json.dumps(s))
    assert result.status == "invalid"


def test_latex_and_explain_show_the_resolved_model() -> None:
    result = nl2opt.solve_spec(json.dumps(plan()))
    assert "x\\_upper" in result.latex


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, 3), min_size=3, max_size=3),
    st.lists(st.integers(-2, 3), min_size=3, max_size=3),
    st.integers(1, 3),
    st.integers(-5, 5),
)
def test_derived_bounds_match_enumeration(caps: list[int], gain: list[int], n: int, budget: int) -> None:
    """x[i] in [low, cap[i]] for i in 1..n with sum(x) <= budget: the solver's best equals the enumerated best."""
    s = {
        "sets": [{"name": "I", "range": {"start": 1, "stop": "n"}}],
        "parameters": [
            {"name": "n", "value": n},
            {"name": "cap", "index": ["I"], "values": caps[:n]},
            {"name": "gain", "index": ["I"], "values": gain[:n]},
            {"name": "low", "value": -1},
        ],
        "variables": [{"name": "x", "index": ["I"], "domain": "integer", "lower": "low", "upper": "cap[i]"}],
        "objective": {"sense": "maximize", "expression": "sum(gain[i] * x[i] for i in I)"},
        "constraints": [{"name": "budget", "expression": f"sum(x[i] for i in I) <= {budget}"}],
    }
    points = itertools.product(*(range(-1, c + 1) for c in caps[:n]))
    feasible = [sum(g * v for g, v in zip(gain, p, strict=False)) for p in points if sum(p) <= budget]
    result = nl2opt.solve_spec(json.dumps(s))
    if not feasible:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal" and result.objective == pytest.approx(max(feasible))


def test_text_checks_read_a_spec_whose_values_are_still_expressions() -> None:
    from nl2opt.reading import reading
    from nl2opt.verify.plausibility import plausibility

    spec = ModelSpec.model_validate(plan())
    assert isinstance(plausibility("Plan 3 periods; capacity 4 and 6.", spec), list)
    assert any("'cap[p]'" in line for line in reading(spec))


def test_a_derived_bound_reads_a_parameter_bound_to_a_data_table() -> None:
    s = plan()
    s["parameters"][1] = {
        "name": "cap",
        "index": ["P"],
        "from": {"table": "caps", "key": ["product"], "value": "cap"},
    }
    data = {"caps": [{"product": "a", "cap": 4}, {"product": "b", "cap": 6}]}
    result = nl2opt.solve_spec(json.dumps(s), data=data)
    assert result.status == "optimal" and result.objective == pytest.approx(60), [
        str(d) for d in result.errors
    ]
