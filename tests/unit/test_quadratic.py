"""Quadratic and conic models: checking, lowering, classification and capability refusals.

Optima here are derived by hand (projections onto a line, vertex of a parabola), never
taken from nl2opt's own output.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import nl2opt
from nl2opt.backends import available_backends
from nl2opt.check import check
from nl2opt.classify import ProblemClass, classify, is_psd
from nl2opt.lower import lower
from nl2opt.pipeline import load_spec


def model(objective: str, constraints: list[str], *, sense: str = "minimize", integer: bool = False) -> Any:
    spec, diags = load_spec(
        {
            "schema_version": "1",
            "name": "q",
            "description": "a quadratic test model",
            "sets": [{"name": "I", "elements": ["a", "b"]}],
            "parameters": [{"name": "t", "index": ["I"], "values": [1, 2]}],
            "variables": [
                {
                    "name": "x",
                    "index": ["I"],
                    "lower": -10,
                    "upper": 10,
                    "domain": "integer" if integer else "continuous",
                },
                {"name": "y", "lower": 0, "upper": 5},
            ],
            "objective": {"sense": sense, "expression": objective},
            "constraints": [{"name": f"c{k}", "expression": c} for k, c in enumerate(constraints)],
        }
    )
    assert spec is not None, diags
    return spec


def codes(spec: Any) -> set[str]:
    return {d.code for d in check(spec)}


def test_the_objective_hessian_is_half_xqx() -> None:
    spec = model("sum((x[i] - t[i]) ** 2 for i in I) + x['a'] * y - y", ["y <= 3"])
    program, diags = lower(spec)
    assert program is not None, diags
    # (xa - 1)^2 + (xb - 2)^2 + xa*y - y = xa^2 + xb^2 + xa*y - 2xa - 4xb - y + 5
    assert program.c.tolist() == [-2.0, -4.0, -1.0]
    assert program.offset == 5.0
    assert program.q is not None
    assert program.q.toarray().tolist() == [[2, 0, 1], [0, 2, 0], [1, 0, 0]]
    x = np.array([0.5, -1.0, 2.0])
    direct = (0.5 - 1) ** 2 + (-1 - 2) ** 2 + 0.5 * 2 - 2
    assert program.objective_value(x) == pytest.approx(direct)


def test_rows_with_products_keep_them_as_triplets() -> None:
    spec = model("y", ["x['a'] * x['b'] + y <= 4"])
    program, _ = lower(spec)
    assert program is not None and program.q_rows is not None
    x = np.array([2.0, 3.0, 1.0])
    assert program.activity(x)[0] == pytest.approx(2 * 3 + 1)


@pytest.mark.parametrize(
    ("objective", "constraints", "sense", "integer", "expected"),
    [
        ("x['a'] + y", [], "minimize", False, ProblemClass.LP),
        ("x['a'] + y", [], "minimize", True, ProblemClass.MILP),
        ("x['a'] ** 2 + x['b'] * x['b']", [], "minimize", False, ProblemClass.CONVEX_QP),
        ("x['a'] ** 2 + x['b'] * x['b']", [], "maximize", False, ProblemClass.NONCONVEX_QP),
        ("-(x['a'] ** 2)", [], "maximize", False, ProblemClass.CONVEX_QP),
        ("x['a'] * x['b']", [], "minimize", False, ProblemClass.NONCONVEX_QP),
        ("x['a'] ** 2", [], "minimize", True, ProblemClass.MIQP),
        ("y", ["x['a'] ** 2 + x['b'] ** 2 <= y"], "minimize", False, ProblemClass.CONVEX_QCQP),
        ("y", ["x['a'] * x['b'] >= 1"], "minimize", False, ProblemClass.NONCONVEX_QCQP),
        ("y", ["norm2([x['a'], x['b']]) <= y"], "minimize", False, ProblemClass.CONVEX_QCQP),
        ("y", ["x['a'] * x['b'] <= 1"], "minimize", True, ProblemClass.MIQCP),
    ],
)
def test_each_model_is_classified(
    objective: str, constraints: list[str], sense: str, integer: bool, expected: ProblemClass
) -> None:
    program, diags = lower(model(objective, constraints, sense=sense, integer=integer))
    assert program is not None, diags
    assert classify(program) is expected


def test_psd_test_catches_an_indefinite_matrix() -> None:
    assert is_psd(np.array([[2.0, 1.0], [1.0, 2.0]]))
    assert not is_psd(np.array([[1.0, 2.0], [2.0, 1.0]]))


@pytest.mark.parametrize(
    ("objective", "constraints", "code"),
    [
        ("x['a'] * x['b'] * y", [], "check.nonlinear-product"),
        ("abs(x['a'] * x['b'])", [], "check.quadratic-context"),
        ("y", ["implies(y <= 1, x['a'] * x['b'] <= 1)"], "check.quadratic-logic"),
        ("y", ["norm2([x['a'] * x['b']]) <= y"], "check.quadratic-context"),
    ],
)
def test_unsupported_quadratic_uses_are_clear_errors(
    objective: str, constraints: list[str], code: str
) -> None:
    assert code in codes(model(objective, constraints))


def test_products_of_degree_two_pass_the_checker() -> None:
    assert (
        codes(
            model("sum((x[i] - t[i]) ** 2 for i in I)", ["x['a'] * y <= 3", "norm2([x[i] for i in I]) <= y"])
        )
        == set()
    )


def test_maximised_norm_is_refused_when_compiling() -> None:
    program, diags = lower(model("norm2([x['a'], x['b']])", [], sense="maximize"))
    assert program is None and [d.code for d in diags] == ["check.nonconvex-norm"]


@pytest.mark.skipif("highs" not in available_backends(), reason="highspy is not installed")
def test_highs_solves_a_convex_qp_to_the_hand_optimum() -> None:
    # The nearest point to (1, 2) on xa + xb <= 1 is (0, 1), at squared distance 2.
    result = nl2opt.solve_spec(model("sum((x[i] - t[i]) ** 2 for i in I) + y", ["x['a'] + x['b'] <= 1"]))
    assert result.status is nl2opt.Status.OPTIMAL and result.verified
    assert result.problem_class == "convex-qp"
    assert result.objective == pytest.approx(2.0, abs=1e-6)
    assert result.values["x"]["a"] == pytest.approx(0.0, abs=1e-4)


@pytest.mark.skipif("highs" not in available_backends(), reason="highspy is not installed")
def test_highs_maximises_a_concave_qp() -> None:
    # max 4y - y^2 on [0, 5]: the vertex y = 2 gives 4.
    result = nl2opt.solve_spec(model("4 * y - y ** 2 + 0 * x['a']", [], sense="maximize"))
    assert result.status is nl2opt.Status.OPTIMAL
    assert result.objective == pytest.approx(4.0, abs=1e-6)


@pytest.mark.parametrize(
    ("backend", "objective", "constraints", "integer", "able"),
    [
        ("pulp", "x['a'] ** 2 + y", [], False, "highs"),
        ("highs", "x['a'] * x['b']", [], False, "scip"),
        ("highs", "x['a'] ** 2 + y", [], True, "scip"),
        ("highs", "y", ["x['a'] * x['b'] <= 1"], False, "scip"),
    ],
)
def test_a_backend_refuses_what_it_cannot_solve_and_names_one_that_can(
    backend: str, objective: str, constraints: list[str], integer: bool, able: str
) -> None:
    if backend not in available_backends():
        pytest.skip(f"{backend} is not installed")
    result = nl2opt.solve_spec(model(objective, constraints, integer=integer), backend=backend)
    assert result.status is nl2opt.Status.ERROR
    refusals = [d for d in result.diagnostics if d.code == "solve.capability"]
    assert refusals and able in refusals[0].message


# --- the point check and the verifier read products and norms on their own -----------------


def test_point_check_recomputes_products_in_rows() -> None:
    from nl2opt.backends.pointcheck import check_point
    from nl2opt.solution import ViolationKind

    program, _ = lower(model("y", ["x['a'] * x['b'] <= 1"]))
    assert program is not None
    assert check_point(program, np.array([1.0, 1.0, 0.0])) == ()
    broken = check_point(program, np.array([2.0, 3.0, 0.0]))  # 6 > 1
    assert [v.kind for v in broken] == [ViolationKind.ROW] and broken[0].value == pytest.approx(6.0)


def test_point_check_compares_the_claimed_objective_with_the_quadratic_one() -> None:
    from nl2opt.backends.pointcheck import check_point
    from nl2opt.solution import ViolationKind

    program, _ = lower(model("x['a'] ** 2 + y", []))
    assert program is not None
    x = np.array([3.0, 0.0, 1.0])  # 9 + 1
    assert check_point(program, x, claimed_objective=10.0) == ()
    assert [v.kind for v in check_point(program, x, claimed_objective=1.0)] == [ViolationKind.OBJECTIVE]


def test_the_cone_row_holds_exactly_when_the_norm_does() -> None:
    from nl2opt.backends.pointcheck import check_point

    program, _ = lower(model("y", ["norm2([x[i] - t[i] for i in I]) <= y"]))
    assert program is not None and program.q_rows is not None and program.q_rows.cone.size == 1
    # x = (4, 6): distance to (1, 2) is 5; the epigraph column t is the last one.
    assert check_point(program, np.array([4.0, 6.0, 5.0, 5.0])) == ()
    assert check_point(program, np.array([4.0, 6.0, 5.0, 4.9]))


@pytest.mark.parametrize(
    ("values", "violated"),
    [
        ({"x": np.array([4.0, 6.0]), "y": 5.0}, False),
        ({"x": np.array([4.0, 6.0]), "y": 4.9}, True),
    ],
)
def test_the_verifier_evaluates_norm2_from_the_spec(values: dict, violated: bool) -> None:
    from nl2opt.verify import verify

    found = {d.code for d in verify(model("y", ["norm2([x[i] - t[i] for i in I]) <= y"]), values)}
    assert ("verify.constraint-violated" in found) is violated


def test_the_verifier_evaluates_products_from_the_spec() -> None:
    from nl2opt.verify import verify

    spec = model("x['a'] * y", ["x['a'] * x['b'] <= 1"])
    assert "verify.constraint-violated" in {
        d.code for d in verify(spec, {"x": np.array([2.0, 3.0]), "y": 1.0})
    }
    ok = verify(spec, {"x": np.array([1.0, 1.0]), "y": 2.0}, objective=2.0)
    assert [d for d in ok if d.severity == "error"] == []
    wrong = verify(spec, {"x": np.array([1.0, 1.0]), "y": 2.0}, objective=3.0)
    assert any(d.severity == "error" for d in wrong)


# --- export ---------------------------------------------------------------------------------


@pytest.mark.skipif("highs" not in available_backends(), reason="highspy is not installed")
@pytest.mark.parametrize("suffix", [".lp", ".mps"])
@pytest.mark.parametrize(("sense", "expected"), [("minimize", 2.0), ("maximize", 4.0)])
def test_a_qp_exported_and_read_back_keeps_its_optimum(
    tmp_path, suffix: str, sense: str, expected: float
) -> None:
    import highspy

    from nl2opt.export import to_lp, to_mps

    objective = (
        "sum((x[i] - t[i]) ** 2 for i in I) + y" if sense == "minimize" else "4 * y - y ** 2 + 0 * x['a']"
    )
    constraints = ["x['a'] + x['b'] <= 1"] if sense == "minimize" else []
    spec = model(objective, constraints, sense=sense)
    path = tmp_path / f"m{suffix}"
    path.write_text(to_lp(spec) if suffix == ".lp" else to_mps(spec))
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.run()
    value = h.getInfo().objective_function_value
    if suffix == ".mps" and sense == "maximize":
        value = -value  # the MPS file holds the negated maximisation
    assert value == pytest.approx(expected, abs=1e-6)


def test_quadratic_rows_and_scripts_are_refused_with_a_reason() -> None:
    from nl2opt.export import to_lp, to_python_script

    with pytest.raises(ValueError, match="quadratic or cone constraints"):
        to_lp(model("y", ["x['a'] * x['b'] <= 1"]))
    with pytest.raises(ValueError, match="PuLP script"):
        to_python_script(model("x['a'] ** 2", []))


def test_a_square_of_a_long_sum_is_refused_before_it_is_built() -> None:
    from nl2opt.config import Limits

    spec, _ = load_spec(
        {
            "schema_version": "1",
            "name": "big",
            "description": "the square of a sum over 200 members has 40,000 products",
            "sets": [{"name": "I", "range": {"start": 1, "stop": 200}}],
            "variables": [{"name": "x", "index": ["I"], "lower": 0, "upper": 1}],
            "objective": {"sense": "minimize", "expression": "sum(x[i] for i in I) ** 2"},
            "constraints": [],
        }
    )
    assert spec is not None
    program, diags = lower(spec, limits=Limits(nonzeros=10_000))
    assert program is None and [d.code for d in diags] == ["lower.too-large"]
    program, diags = lower(spec, limits=Limits(nonzeros=100_000))
    assert program is not None and program.q is not None and program.q.nnz == 200 * 200


def test_latex_writes_squares_and_norms() -> None:
    from nl2opt.explain import latex

    text = latex(model("sum((x[i] - t[i]) ** 2 for i in I) + norm2([x['a'], y])", []))
    assert r"\right)^{2}" in text
    assert r"\left\lVert \left( x_{\text{a}}, y \right) \right\rVert_2" in text


@pytest.mark.skipif("highs" not in available_backends(), reason="highspy is not installed")
def test_a_convex_qp_optimum_is_proven_by_its_kkt_conditions() -> None:
    from nl2opt.backends import get_backend
    from nl2opt.backends.pointcheck import check_optimality

    # min (xa - 1)^2 + (xb - 2)^2 + y s.t. xa + xb <= 1: optimum (0, 1, 0), row dual -2 (minimising).
    program, _ = lower(model("sum((x[i] - t[i]) ** 2 for i in I) + y", ["x['a'] + x['b'] <= 1"]))
    assert program is not None
    solution = get_backend("highs").solve(program)
    assert solution.row_duals is not None and not solution.violations
    assert check_optimality(program, solution.x, solution.row_duals) == ()
    assert solution.row_duals[0] == pytest.approx(-2.0, abs=1e-5)
    moved = solution.x + np.array([-0.5, 0.0, 0.0])  # feasible, but the gradient no longer balances the dual
    assert check_optimality(program, moved, solution.row_duals)


class _OneModel:
    """A formulator that always writes the same quadratic model; counts how often it is asked."""

    name = "fake"

    def __init__(self) -> None:
        self.calls = 0

    def formulate(self, text: str, *, data: Any = None, previous: Any = None, feedback: Any = None) -> Any:
        from nl2opt.formulators.base import Formulation

        self.calls += 1
        return Formulation(model("x['a'] * x['b'] + y", ["x['a'] + x['b'] >= 1"]), model="fake-1")


@pytest.mark.skipif(not {"highs", "scip"} <= set(available_backends()), reason="needs highspy and pyscipopt")
def test_the_repair_loop_does_not_ask_to_rewrite_a_model_the_backend_cannot_solve() -> None:
    from nl2opt.repair import formulate_and_solve

    fake = _OneModel()
    refused = formulate_and_solve("a nonconvex toy", formulator=fake, backend="highs", max_attempts=3)
    assert fake.calls == 1 and refused.status is nl2opt.Status.ERROR
    assert any(d.code == "solve.capability" and "scip" in d.message for d in refused.diagnostics)
    # min xa*xb + y on [-10, 10]^2 with xa + xb >= 1: xa = 10, xb = -9 (or the mirror) gives -90.
    solved = formulate_and_solve("a nonconvex toy", formulator=_OneModel(), backend="scip")
    assert solved.status is nl2opt.Status.OPTIMAL and solved.objective == pytest.approx(-90.0, abs=1e-6)


def test_the_explanation_says_the_backend_cannot_solve_the_model_not_that_it_failed() -> None:
    result = nl2opt.solve_spec(model("x['a'] * x['b']", []), backend="highs")
    assert (
        result.explanation.splitlines()[0]
        == "The highs backend cannot solve this kind of model (details below)."
    )


@pytest.mark.parametrize(
    ("objective", "constraint", "where", "code"),
    [
        ("sum(x[t] * x[t + 1] for t in T)", "x[1] >= 1", None, "lower.unknown-element"),
        ("x[1]", "x[t] * x[t + 1] <= 2", None, "lower.unknown-element"),
        ("sum(x[t] * x[t + 1] for t in T if t < 3)", "x[1] >= 1", None, None),
        ("x[1]", "x[t] * x[t + 1] <= 2", "t < 3", None),
    ],
)
def test_products_that_leave_their_set_are_errors_unless_filtered(
    objective: str, constraint: str, where: str | None, code: str | None
) -> None:
    spec, _ = load_spec(
        {
            "schema_version": "1",
            "name": "shifted",
            "description": "products of neighbours",
            "sets": [{"name": "T", "range": {"start": 1, "stop": 3}}],
            "variables": [{"name": "x", "index": ["T"], "lower": 0, "upper": 2}],
            "objective": {"sense": "minimize", "expression": objective},
            "constraints": [
                {
                    "name": "c",
                    "for": ["t in T"] if "x[t]" in constraint else [],
                    "where": where,
                    "expression": constraint,
                }
            ],
        }
    )
    assert spec is not None
    program, diags = lower(spec)  # the compiler's own guard, without the checker in front
    if code is None:
        assert program is not None and program.is_quadratic, diags
    else:
        assert program is None and code in {d.code for d in diags}


@pytest.mark.skipif("highs" not in available_backends(), reason="highspy is not installed")
def test_an_infeasible_qp_names_its_conflicting_rows() -> None:
    result = nl2opt.solve_spec(model("x['a'] ** 2 + y", ["x['a'] + x['b'] >= 15", "x['a'] + x['b'] <= 12"]))
    assert result.status is nl2opt.Status.INFEASIBLE
    conflicts = [d for d in result.diagnostics if d.code == "diagnose.conflict"]
    assert conflicts and "c0" in conflicts[0].message and "c1" in conflicts[0].message


@pytest.mark.skipif("scip" not in available_backends(), reason="pyscipopt is not installed")
def test_the_explanation_names_a_nonconvex_class_and_what_optimal_means_there() -> None:
    result = nl2opt.solve_spec(model("x['a'] * x['b'] + y", ["x['a'] + x['b'] >= 1"]), backend="scip")
    assert result.status is nl2opt.Status.OPTIMAL
    assert "nonconvex quadratic program; an optimum the solver proves is global" in result.explanation


@pytest.mark.parametrize(
    ("objective", "constraints"),
    [("(1e200 * x['a']) * (1e200 * x['b'])", []), ("y", ["(1e200 * x['a']) * (1e200 * x['b']) <= 1"])],
)
def test_an_overflowing_product_is_named_as_such(objective: str, constraints: list[str]) -> None:
    program, diags = lower(model(objective, constraints))
    assert program is None and [d.code for d in diags] == ["lower.non-finite"]


@pytest.mark.skipif("scip" not in available_backends(), reason="pyscipopt is not installed")
@pytest.mark.parametrize("part", ["objective", "row"])
def test_a_non_finite_quadratic_coefficient_is_refused_before_any_solver(part: str) -> None:
    from nl2opt.backends import get_backend

    program, _ = lower(model("x['a'] ** 2 + y", ["x['a'] * x['b'] <= 1"]))
    assert program is not None and program.q is not None and program.q_rows is not None
    if part == "objective":
        program.q.data[:] = np.nan
    else:
        program.q_rows.coef[:] = np.inf
    solution = get_backend("scip").solve(program)
    assert solution.termination.reason.value == "error"
    assert [n.code for n in solution.notes] == ["solve.non-finite"]


def test_a_quadratic_goal_of_a_priority_model_is_a_clear_error() -> None:
    spec, diags = load_spec(
        {
            "schema_version": "1",
            "name": "goals",
            "description": "two priority levels, the first quadratic",
            "variables": [{"name": "x", "lower": 0, "upper": 5}, {"name": "y", "lower": 0, "upper": 5}],
            "objectives": [
                {"name": "first", "sense": "minimize", "expression": "x * y", "priority": 1},
                {"name": "second", "sense": "maximize", "expression": "x + y", "priority": 2},
            ],
            "constraints": [{"name": "c", "expression": "x + y <= 6"}],
        }
    )
    assert spec is not None, diags
    result = nl2opt.solve_spec(spec, backend="scip" if "scip" in available_backends() else "highs")
    assert result.status is nl2opt.Status.INVALID
    found = [d for d in result.diagnostics if d.code == "check.nonlinear-product"]
    assert found and found[0].where == "objectives[first].expression" and "priority" in found[0].hint


def test_psd_test_reads_each_connected_block_so_one_bad_block_is_found() -> None:
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    blocks = []
    for _ in range(200):
        m = rng.normal(size=(int(rng.integers(1, 50)), 3))
        blocks.append(m @ m.T)  # PSD, often singular
    perm = rng.permutation(sum(b.shape[0] for b in blocks))
    shuffled = sp.csr_matrix(sp.block_diag(blocks))[perm][:, perm]
    assert is_psd(shuffled)
    worst = blocks[77]
    blocks[77] = worst - (np.linalg.eigvalsh(worst).min() + 0.01) * np.eye(worst.shape[0])  # min eig -0.01
    assert not is_psd(sp.csr_matrix(sp.block_diag(blocks))[perm][:, perm])
    assert is_psd(sp.diags(np.r_[np.ones(50_000), 0.0]))
    assert not is_psd(sp.diags(np.r_[np.ones(50_000), -1.0]))
