"""The compiler: every construct of the language lowers to a program with the right optimum."""

from __future__ import annotations

import numpy as np
import pytest

from nl2opt.backends import get_backend
from nl2opt.backends.base import SolveOptions
from nl2opt.lower import lower
from nl2opt.program import Origin
from nl2opt.spec import ModelSpec


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


def _optimum(spec: ModelSpec) -> float:
    program, diagnostics = lower(spec)
    assert program is not None, diagnostics
    solution = get_backend("highs").solve(program, SolveOptions())
    assert solution.objective is not None, solution.termination
    return solution.objective


FREE = {"lower": None}
BOXED = {"lower": -4, "upper": 3}
T3 = {"name": "T", "range": {"start": 1, "stop": 3}}

CASES = {
    # abs in a convex position needs no binaries: |x-3| + |y+2| - x/2 is least at x=3, y=-2.
    "abs-convex": (
        _spec([{"name": "x", **FREE}, {"name": "y", **FREE}], "abs(x - 3) + abs(y + 2) - 0.5*x"),
        -1.5,
    ),
    # maximising |x| over [-4, 3] is non-convex: exact with binaries, picks -4.
    "abs-exact": (_spec([{"name": "x", **BOXED}], "abs(x)", "maximize"), 4.0),
    "max-convex": (
        _spec([{"name": "x"}, {"name": "y"}], "max(x, y, 5)", constraints=[{"expression": "x + y >= 12"}]),
        6.0,
    ),
    "min-convex": (
        _spec([{"name": "x"}, {"name": "y"}], "min(x, y)", "maximize", [{"expression": "x + 2*y <= 12"}]),
        4.0,
    ),
    "max-exact": (
        _spec(
            [{"name": "x", "upper": 10}, {"name": "y", "upper": 10}],
            "max(x, y)",
            "maximize",
            [{"expression": "x + y <= 12"}],
        ),
        10.0,
    ),
    "min-in-constraint": (
        _spec(
            [{"name": "x", "upper": 8}, {"name": "y", "upper": 8}],
            "x + y",
            "maximize",
            [{"expression": "min(x, y) <= 2"}],
        ),
        10.0,
    ),
    "range-row": (
        _spec(
            [{"name": "x"}, {"name": "y"}],
            "x + y",
            "maximize",
            [{"expression": "2 <= x + 2*y <= 8"}, {"expression": "x <= 3"}],
        ),
        5.5,
    ),
    "chain-with-variables": (
        _spec(
            [{"name": "x", "upper": 9}, {"name": "y", "upper": 9}],
            "y",
            "maximize",
            [{"expression": "x <= y <= 2*x - 4"}, {"expression": "x <= 6"}],
        ),
        8.0,
    ),
    "either": (
        _spec(
            [{"name": "x", "upper": 10}, {"name": "y", "upper": 10}],
            "2*x + y",
            constraints=[{"expression": "either(x >= 5, y >= 7)"}],
        ),
        7.0,
    ),
    "implies-binary": (
        _spec(
            [
                {"name": "open", "index": ["F"], "domain": "binary"},
                {"name": "x", "index": ["F"], "upper": 100},
            ],
            "sum(fixed[f]*open[f] + x[f] for f in F)",
            constraints=[
                {"expression": "sum(x[f] for f in F) >= 7"},
                {"for": ["f in F"], "expression": "implies(open[f] == 0, x[f] <= 0)"},
                {"for": ["f in F"], "expression": "x[f] <= cap[f]"},
            ],
            sets=[{"name": "F", "elements": ["a", "b"]}],
            parameters=[
                {"name": "fixed", "index": ["F"], "values": [10, 3]},
                {"name": "cap", "index": ["F"], "values": [8, 5]},
            ],
        ),
        17.0,
    ),
    # a linear condition: producing more than 5 forces the 20-cost setup.
    "implies-linear-condition": (
        _spec(
            [{"name": "x", "upper": 10, "domain": "integer"}, {"name": "setup", "domain": "binary"}],
            "20*setup - 3*x",
            constraints=[{"expression": "implies(x >= 6, setup == 1)"}],
        ),
        -15.0,
    ),
    "counting": (
        _spec(
            [{"name": "b", "index": ["I"], "domain": "binary"}],
            "sum(v[i]*b[i] for i in I)",
            "maximize",
            [{"expression": "at_most(2, [b[i] for i in I])"}, {"expression": "exactly(1, [b[1], b[2]])"}],
            sets=[{"name": "I", "range": {"start": 1, "stop": 4}}],
            parameters=[{"name": "v", "index": ["I"], "values": [3, 5, 2, 4]}],
        ),
        9.0,
    ),
    "at-least-constraints": (
        _spec(
            [{"name": "x", "index": ["I"], "upper": 10}],
            "sum(x[i] for i in I)",
            constraints=[{"expression": "at_least(2, [x[i] >= i for i in I])"}],
            sets=[{"name": "I", "range": {"start": 1, "stop": 4}}],
        ),
        3.0,
    ),
    "inventory-t-minus-1": (
        _spec(
            [{"name": "p", "index": ["T"]}, {"name": "s", "index": ["T"]}],
            "sum(pc[t]*p[t] + 0.5*s[t] for t in T)",
            constraints=[
                {"for": ["t in T"], "where": "t > 1", "expression": "s[t-1] + p[t] - d[t] == s[t]"},
                {"expression": "p[1] - d[1] == s[1]"},
            ],
            sets=[T3],
            parameters=[
                {"name": "d", "index": ["T"], "values": [5, 7, 3]},
                {"name": "pc", "index": ["T"], "values": [1, 3, 2]},
            ],
        ),
        21.5,
    ),
    "arcs-and-filters": (
        _spec(
            [{"name": "f", "index": ["A"]}],
            "sum(c[i, j]*f[i, j] for (i, j) in A)",
            constraints=[
                {
                    "for": ["n in N"],
                    "expression": "sum(f[i, j] for (i, j) in A if i == n) - sum(f[i, j] for (i, j) in A if j == n) == b[n]",
                }
            ],
            sets=[
                {"name": "N", "elements": ["s", "a", "t"]},
                {"name": "A", "elements": [["s", "a"], ["a", "t"], ["s", "t"]]},
            ],
            parameters=[
                {
                    "name": "c",
                    "index": ["A"],
                    "entries": [
                        {"key": ["s", "a"], "value": 1},
                        {"key": ["a", "t"], "value": 1},
                        {"key": ["s", "t"], "value": 3},
                    ],
                },
                {"name": "b", "index": ["N"], "values": [1, 0, -1]},
            ],
        ),
        2.0,
    ),
    "index-as-number": (
        _spec([{"name": "x", "index": ["T"], "upper": 1}], "sum(t * x[t] for t in T)", "maximize", sets=[T3]),
        6.0,
    ),
    "division-by-parameter": (
        _spec([{"name": "x", "upper": 10}], "x / k", "maximize", parameters=[{"name": "k", "value": 4}]),
        2.5,
    ),
    "objective-constant": (_spec([{"name": "x", "upper": 1}], "x + 7", "maximize"), 8.0),
}


@pytest.mark.parametrize("spec, optimum", CASES.values(), ids=CASES.keys())
def test_construct_lowers_to_known_optimum(spec: ModelSpec, optimum: float) -> None:
    assert _optimum(spec) == pytest.approx(optimum, abs=1e-6)


def test_names_come_from_provenance() -> None:
    spec = CASES["arcs-and-filters"][0]
    program, _ = lower(spec)
    assert program.col_names == ["f[s,a]", "f[a,t]", "f[s,t]"]
    assert program.row_names == ["c0[s]", "c0[a]", "c0[t]"]
    assert program.row_block(1)[0].origin is Origin.CONSTRAINT


def test_filtered_rows_keep_their_labels() -> None:
    program, _ = lower(CASES["inventory-t-minus-1"][0])
    assert program.row_names == ["c0[2]", "c0[3]", "c1"]


def test_auxiliary_columns_are_marked() -> None:
    program, _ = lower(CASES["abs-exact"][0])
    origins = {b.origin for b in program.col_blocks}
    assert origins == {Origin.VARIABLE, Origin.AUXILIARY}
    assert program.is_mip


@pytest.mark.parametrize(
    "spec, code, needle",
    [
        (_spec([{"name": "x"}], "abs(x)", "maximize"), "lower.missing-bound", "x"),
        (
            _spec(
                [{"name": "x", "upper": 5}, {"name": "y"}],
                "x",
                constraints=[{"expression": "implies(x >= 2, y <= 1)"}],
            ),
            "lower.missing-bound",
            "y",
        ),
        (
            _spec(
                [{"name": "s", "index": ["T"]}],
                "sum(s[t] for t in T)",
                sets=[T3],
                constraints=[{"for": ["t in T"], "expression": "s[t-1] <= s[t]"}],
            ),
            "lower.unknown-element",
            "c0[1]",
        ),
        (_spec([{"name": "x"}], "x", constraints=[{"expression": "x < 3"}]), "check.strict-inequality", "<"),
        (
            _spec([{"name": "x"}], "x", constraints=[{"expression": "0 * x >= 1"}]),
            "lower.trivially-infeasible",
            "c0",
        ),
    ],
    ids=["abs-unbounded", "implies-unbounded", "outside-set", "strict", "empty-row"],
)
def test_problems_become_diagnostics(spec: ModelSpec, code: str, needle: str) -> None:
    program, diagnostics = lower(spec)
    assert program is None
    assert [d.code for d in diagnostics] == [code]
    assert needle in diagnostics[0].message


def test_large_transport_lowers_vectorised() -> None:
    n = 300
    rng = np.random.default_rng(3)
    spec = ModelSpec.model_validate(
        {
            "sets": [
                {"name": "P", "range": {"start": 1, "stop": n}},
                {"name": "M", "range": {"start": 1, "stop": n}},
            ],
            "parameters": [
                {"name": "cost", "index": ["P", "M"], "values": rng.integers(1, 9, (n, n)).tolist()}
            ],
            "variables": [{"name": "x", "index": ["P", "M"]}],
            "objective": {
                "sense": "minimize",
                "expression": "sum(cost[i, j] * x[i, j] for i in P for j in M)",
            },
            "constraints": [{"name": "row", "for": ["i in P"], "expression": "sum(x[i, j] for j in M) >= 1"}],
        }
    )
    program, _ = lower(spec)
    assert program.A.nnz == n * n
    assert program.num_rows == n
    np.testing.assert_array_equal(program.c, np.asarray(spec.parameters[0].values, dtype=float).reshape(-1))


def test_assembled_matrix_sums_duplicates_and_sorts_indices() -> None:
    from nl2opt.lower.assemble import _csr

    A = _csr(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1, 0, 1, 1]), np.array([2, 1, 0, 2]), (2, 3))
    assert A.has_canonical_format
    np.testing.assert_array_equal(A.toarray(), [[0, 2, 0], [3, 0, 5]])


@pytest.mark.parametrize(
    "expression",
    [
        "implies(x[2] == 1, x[2] - sum(1.5 * x[t - 1] for t in T if t != 3) <= 5)",  # holds within bounds
        "implies(x[2] == 1, -max(x[2] - sum(1.5 * x[t - 1] for t in T if t != 3), 0) - y == 2)",
    ],
)
def test_a_broken_reference_in_a_piece_that_always_holds_is_still_reported(expression: str) -> None:
    """x[t - 1] at t = 1 names no member. A piece of an implication that holds for every value
    within the bounds adds no row, and the broken reference went with it (differential seed 120804)."""
    from nl2opt import solve_spec

    spec = {
        "name": "broken",
        "sets": [{"name": "T", "range": {"start": 1, "stop": 3}}],
        "variables": [
            {"name": "x", "index": ["T"], "domain": "binary"},
            {"name": "y", "lower": -3, "upper": 1},
        ],
        "objective": {"sense": "minimize", "expression": "y"},
        "constraints": [{"name": "c1", "expression": expression}],
    }
    result = solve_spec(spec)
    assert result.status.value == "invalid"
    [found] = [d for d in result.diagnostics if d.code == "lower.unknown-element"]
    assert "x[t - 1] with t = 1" in found.message


@pytest.mark.parametrize(
    ("where", "expression", "optimum"),
    [
        ("t < 2", "implies(x[t + 1] == 1, y <= 0)", 2.0),  # x[2] = 1 would cap y at 0: x[2] = 0, y = 1
        ("t < 2", "at_most(0, [x[t + 1] == 0])", 3.0),  # x[2] must be 1
        ("t < 1", "at_most(0, [x[t + 1] == 0])", 3.0),  # the filter drops every row
    ],
)
def test_an_equality_condition_with_a_filtered_broken_cell_still_forces_its_indicator(
    where: str, expression: str, optimum: float
) -> None:
    """x[t + 1] at t = 2 names no member, but the filter drops that row. Both pieces of the
    '==' carry the broken cell; keeping both for the report made the condition two pieces,
    check.logic-operand (differential seed 900087)."""
    from nl2opt import solve_spec

    spec = {
        "name": "filtered",
        "sets": [{"name": "T", "range": {"start": 1, "stop": 2}}],
        "variables": [{"name": "x", "index": ["T"], "domain": "binary"}, {"name": "y", "upper": 1}],
        "objective": {"sense": "maximize", "expression": "sum(x[t] for t in T) + y"},
        "constraints": [{"name": "c", "for": ["t in T"], "where": where, "expression": expression}],
    }
    result = solve_spec(spec)
    assert result.status.value == "optimal", [str(d) for d in result.errors]
    assert result.objective == pytest.approx(optimum)
