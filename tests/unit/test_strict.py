"""Strict comparisons: exact on whole-number expressions, a stated margin otherwise.

Oracles: enumeration of every integer point of small models, and hand-derived optima.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nl2opt
from nl2opt.check import check
from nl2opt.spec import ModelSpec
from nl2opt.verify import verify


def spec(
    constraints: list[str], *, domain: str = "integer", epsilon: float | None = None, **extra: Any
) -> dict:
    return {
        "sets": [],
        "parameters": [{"name": "wood", "value": 40}, {"name": "half", "value": 0.5}],
        "variables": [
            {"name": "chairs", "domain": domain, "upper": 30},
            {"name": "tables", "domain": "integer", "upper": 30},
            {"name": "open", "domain": "binary"},
        ],
        "objective": {"sense": "maximize", "expression": "30 * chairs + 50 * tables - open"},
        "constraints": [{"name": f"c{k}", "expression": e} for k, e in enumerate(constraints)],
        "strict_epsilon": epsilon,
        **extra,
    }


def codes(s: dict) -> list[str]:
    return [d.code for d in check(ModelSpec.model_validate(s)) if d.severity == "error"]


def test_integral_strict_comparisons_pass_check() -> None:
    assert codes(spec(["2 * chairs + 5 * tables <= wood", "chairs > tables", "tables > 2"])) == []
    assert codes(spec(["0 < tables - 2 * open < 4"])) == []
    assert codes(spec(["implies(open == 1, tables > 3)", "open + tables > chairs - 10"])) == []


@pytest.mark.parametrize(
    "constraint",
    [
        "chairs > tables",  # chairs is continuous here
        "tables < 2.5",  # a fractional constant
        "half * tables < 3",  # a fractional parameter
        "tables / 2 < 3",  # division
        "implies(open == 1, chairs > 3)",  # inside logic too
    ],
)
def test_non_integral_strict_comparison_asks_for_the_margin(constraint: str) -> None:
    s = spec([constraint], domain="continuous")
    found = [d for d in check(ModelSpec.model_validate(s)) if d.code == "check.strict-inequality"]
    assert found and "margin" in found[0].hint and "strict_epsilon" in found[0].hint
    assert codes({**s, "strict_epsilon": 0.01}) == []


@pytest.mark.parametrize("epsilon", [0.0, -1.0, float("inf")])
def test_epsilon_must_be_positive(epsilon: float) -> None:
    assert "check.bad-option" in codes(spec(["tables > 2"], epsilon=epsilon))


def test_not_equal_stays_an_error() -> None:
    assert codes(spec(["tables != 3"])) == ["check.strict-inequality"]


def test_exceed_model_hand_optimum() -> None:
    # t > 2 means t >= 3; c > t; 2c + 5t <= 40. t=3: c=12 -> 510; t=4: c=10 -> 500; t=5: c=7 -> 460.
    # With >= instead, t=2, c=15 would give 550, so a lax reading is caught.
    result = nl2opt.solve_spec(
        json.dumps(spec(["2 * chairs + 5 * tables <= wood", "chairs > tables", "tables > 2"]))
    )
    assert result.status == "optimal" and result.objective == pytest.approx(510)
    assert result.verified


def test_epsilon_is_the_gap_for_continuous_amounts() -> None:
    # chairs continuous: tables > 2 is still integral (tables >= 3); chairs > tables + 0 means
    # chairs >= tables + 0.5 (not binding); chairs < 12.25 means chairs <= 12.25 - 0.5 = 11.75.
    s = spec(
        ["2 * chairs + 5 * tables <= wood", "chairs > tables", "tables > 2", "chairs < 12.25"],
        domain="continuous",
        epsilon=0.5,
    )
    result = nl2opt.solve_spec(json.dumps(s))
    assert result.status == "optimal"
    # t=3: c <= 11.75 -> 352.5 + 150 = 502.5; t=4: c <= 10 -> 500; t=5: c <= 7.5 -> 475.
    assert result.objective == pytest.approx(502.5)


def test_verifier_reads_strict_rows_with_the_same_margin() -> None:
    s = ModelSpec.model_validate(spec(["chairs > tables", "tables > 2"]))
    assert verify(s, {"chairs": 4.0, "tables": 3.0, "open": 0.0}) == []
    broken = verify(s, {"chairs": 3.0, "tables": 3.0, "open": 0.0})
    assert [d.where for d in broken] == ["constraints[c0]"]
    eps = ModelSpec.model_validate(spec(["chairs > tables"], domain="continuous", epsilon=0.5))
    assert verify(eps, {"chairs": 3.5, "tables": 3.0, "open": 0.0}) == []
    assert [d.where for d in verify(eps, {"chairs": 3.25, "tables": 3.0, "open": 0.0})] == ["constraints[c0]"]


def test_indexed_strict_range_and_logic() -> None:
    s = {
        "sets": [{"name": "I", "range": {"start": 1, "stop": 3}}],
        "parameters": [{"name": "w", "index": ["I"], "values": [2, 3, 4]}],
        "variables": [
            {"name": "x", "index": ["I"], "domain": "integer", "lower": -5, "upper": 5},
            {"name": "y", "index": ["I"], "domain": "binary"},
        ],
        "objective": {"sense": "maximize", "expression": "sum(w[i] * x[i] - y[i] for i in I)"},
        "constraints": [
            {"name": "window", "for": ["i in I"], "expression": "-2 < x[i] < i + 1"},
            {"name": "flag", "for": ["i in I"], "expression": "implies(y[i] == 0, x[i] < 2)"},
        ],
    }
    # x[i] <= i with x[i] >= 2 needing y[i] = 1: x = (1, 2, 3), y = (0, 1, 1) -> 2 + 6 + 12 - 2 = 18.
    result = nl2opt.solve_spec(json.dumps(s))
    assert result.status == "optimal" and result.objective == pytest.approx(18)
    assert result.verified


_OPS = ["<", ">", "<=", ">="]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.integers(-3, 3).filter(bool), st.integers(-3, 3), st.sampled_from(_OPS), st.integers(-6, 6)
        ),
        min_size=1,
        max_size=3,
    ),
    st.integers(-3, 3),
    st.integers(-3, 3),
)
def test_strict_models_match_enumeration(rows: list[tuple[int, int, str, int]], p: int, q: int) -> None:
    """Every integer point of x, y in [-4, 4] is tried; the solver's optimum must equal the best."""
    ops = {"<": int.__lt__, ">": int.__gt__, "<=": int.__le__, ">=": int.__ge__}
    s = {
        "variables": [
            {"name": "x", "domain": "integer", "lower": -4, "upper": 4},
            {"name": "y", "domain": "integer", "lower": -4, "upper": 4},
        ],
        "objective": {"sense": "maximize", "expression": f"{p} * x + {q} * y"},
        "constraints": [
            {"name": f"r{k}", "expression": f"{a} * x + {b} * y {op} {c}"}
            for k, (a, b, op, c) in enumerate(rows)
        ],
    }
    feasible = [
        p * x + q * y
        for x, y in itertools.product(range(-4, 5), repeat=2)
        if all(ops[op](a * x + b * y, c) for a, b, op, c in rows)
    ]
    result = nl2opt.solve_spec(json.dumps(s))
    if not feasible:
        assert result.status == "infeasible"
    else:
        assert result.status == "optimal" and result.objective == pytest.approx(max(feasible))


def test_a_binding_with_the_wrong_arity_is_reported_not_raised() -> None:
    s = ModelSpec.model_validate(
        {
            "sets": [{"name": "Arcs", "elements": [["A", "B"], ["B", "C"]]}],
            "variables": [{"name": "f", "index": ["Arcs"], "domain": "integer", "upper": 3}],
            "objective": {"sense": "maximize", "expression": "sum(f[a, b] for (a, b) in Arcs)"},
            "constraints": [{"name": "c", "for": ["(a, b, c) in Arcs"], "expression": "f[a, b] < 2"}],
        }
    )
    assert "check.index-arity" in [d.code for d in check(s)]
    assert isinstance(verify(s, {"f": [1.0, 1.0]}), list)
