"""The backend layer checks every returned point against the program, and re-solves safely.

Specifications, each with a hand-derived answer:

- ``check_point`` finds rows, columns, integrality and objectives that a point breaks, with
  the numbers, and forgives what solvers' own tolerances allow;
- a solver that returns a broken point is asked once more in its safe configuration; a
  point that still fails comes back with its violations (status UNVERIFIED);
- a MIP solver's "infeasible" is re-asked in the safe configuration, an LP's is not;
- tiny coefficients that a solver would drop are rescaled before solving (every backend
  then finds the true optimum) or reported when no scaling can keep them;
- NaN or infinite data is refused with a note, never handed to a solver;
- Pyomo's unset integer columns get an integer value inside their bounds.
"""

from __future__ import annotations

import numpy as np
import pytest

from nl2opt.backends import available_backends
from nl2opt.backends._common import assemble, guarded_solve
from nl2opt.backends._prepare import SMALL_COEFFICIENT, prepare
from nl2opt.backends.base import Backend, SolveOptions
from nl2opt.backends.pointcheck import POINT_TOL, check_optimality, check_point, describe
from nl2opt.program import LinearProgram, Sense
from nl2opt.solution import Solution, SolutionStatus, Termination, TerminationReason, ViolationKind
from tests.backends.test_backends import INF, program

OPTIMAL = Termination(TerminationReason.OPTIMAL)


def box() -> LinearProgram:
    """max x + y  s.t.  x + y <= 4 (row 0),  x - y >= 0 (row 1);  0 <= x, y <= 3. Optimum 4."""
    return program(Sense.MAXIMIZE, [1, 1], [[1, 1], [1, -1]], [(-INF, 4), (0, INF)], [(0, 3)] * 2)


# --- check_point ------------------------------------------------------------------------


def test_a_point_inside_the_program_passes() -> None:
    assert check_point(box(), np.array([2.0, 2.0])) == ()


def test_a_broken_row_is_named_with_its_activity_and_bounds() -> None:
    (violation,) = check_point(box(), np.array([3.0, 2.0]))

    assert (violation.kind, violation.index, violation.value) == (ViolationKind.ROW, 0, 5.0)
    assert (violation.lower, violation.upper, violation.excess) == (-INF, 4.0, 1.0)
    assert describe(box(), violation) == "r[0]: activity 5 outside [-inf, 4]"


def test_columns_integrality_and_the_objective_are_checked() -> None:
    prog = box()
    prog.integrality[:] = True
    kinds = {v.kind for v in check_point(prog, np.array([1.5, -1.0]), claimed_objective=7.0)}

    # y = -1 is below its bound 0; x = 1.5 is fractional; c @ x = 0.5, not the claimed 7.
    assert kinds == {ViolationKind.COLUMN, ViolationKind.INTEGRALITY, ViolationKind.OBJECTIVE}


def test_worst_violation_comes_first() -> None:
    violations = check_point(box(), np.array([3.0, 3.5]))  # y above 3 by 0.5; row 0 at 6.5 > 4; row 1 at -0.5

    assert [v.excess for v in violations] == sorted((v.excess for v in violations), reverse=True)
    assert violations[0].kind is ViolationKind.ROW and violations[0].index == 0


def test_tolerance_follows_the_scale_of_the_row_terms() -> None:
    """x - y >= 0 at x, y near 1e4: solver noise of 1e-3 is 1e-7 relative, a miss of 1 is not."""
    prog = program(Sense.MAXIMIZE, [0, 0], [[1, -1]], [(0, INF)], [(0, INF)] * 2)

    assert check_point(prog, np.array([1e4, 1e4 + 1e-3])) == ()
    assert check_point(prog, np.array([1e4, 1e4 + 1.0]))
    # a bare bound keeps the absolute tolerance
    assert check_point(box(), np.array([3 + 0.5 * POINT_TOL, 0])) == ()
    assert check_point(box(), np.array([3 + 5 * POINT_TOL, 0]))


def test_nan_values_and_an_overflowing_objective_are_violations() -> None:
    assert check_point(box(), np.array([np.nan, 1.0]))[0].kind is ViolationKind.NON_FINITE
    huge = program(Sense.MAXIMIZE, [1e308], [], [], [(0, 10)])
    (violation,) = check_point(huge, np.array([10.0]))
    assert violation.kind is ViolationKind.NON_FINITE and violation.index == -1


# --- optimality of an LP: the duals are the certificate ------------------------------------


def unbounded_ray() -> LinearProgram:
    """min -0.29 x  s.t.  5.6e6 x >= 3.15e6 (row 0),  x >= 0: unbounded (x grows, the row holds)."""
    return program(Sense.MINIMIZE, [-0.29], [[5.6e6]], [(3.15e6, INF)], [(0, INF)])


def test_duals_that_prove_the_optimum_pass() -> None:
    """min -x  s.t.  x <= 10: x = 10, and the dual -1 of the binding row makes d = -1 - (-1) = 0."""
    prog = program(Sense.MINIMIZE, [-1], [[1]], [(-INF, 10)], [(0, INF)])

    assert check_optimality(prog, np.array([10.0]), np.array([-1.0])) == ()
    (violation,) = check_optimality(prog, np.array([2.0]), np.array([0.0]))  # feasible, not optimal
    assert (violation.kind, violation.index, violation.value) == (ViolationKind.OPTIMALITY, 0, -1.0)


def test_a_tiny_wrong_signed_dual_cannot_prove_an_unbounded_lp_optimal() -> None:
    """HiGHS did this: x on the row's lower bound, dual -5.18e-8 (wrong sign for a >= row in a
    minimisation, but within its tolerance) times 5.6e6 cancels the cost -0.29 exactly."""
    x = np.array([3.15e6 / 5.6e6])
    y = np.array([-0.29 / 5.6e6])

    (violation,) = check_optimality(unbounded_ray(), x, y)

    assert violation.value == pytest.approx(-0.29) and "may be unbounded" in describe(
        unbounded_ray(), violation
    )


def test_an_lp_optimum_whose_duals_fail_is_unverified() -> None:
    def claims_optimal(prog: LinearProgram, options: SolveOptions) -> Solution:
        x = np.array([3.15e6 / 5.6e6])
        return assemble(prog, "fake", OPTIMAL, x, row_duals=np.array([-0.29 / 5.6e6]))

    solution = guarded_solve("fake", unbounded_ray(), SolveOptions(), claims_optimal)

    assert solution.status is SolutionStatus.UNVERIFIED
    assert solution.violations[0].kind is ViolationKind.OPTIMALITY


def test_every_backend_proves_its_lp_optima(backend: Backend) -> None:
    """The duals every backend returns pass the check on LPs with known optima (no false alarms)."""
    if not backend.capabilities.duals:
        pytest.skip(f"{backend.name} declares no duals")
    for prog in (box(), tiny()):
        solution = backend.solve(prog, SolveOptions())
        assert solution.status is SolutionStatus.OPTIMAL
        assert solution.row_duals is not None
        assert check_optimality(prog, solution.x, solution.row_duals) == ()


# --- the safe re-solve -------------------------------------------------------------------


class Scripted:
    """A solver answering from a list of points (None: the given termination, no point)."""

    def __init__(self, *answers: np.ndarray | Termination) -> None:
        self.answers = list(answers)
        self.options: list[SolveOptions] = []

    def __call__(self, prog: LinearProgram, options: SolveOptions) -> Solution:
        self.options.append(options)
        answer = self.answers.pop(0)
        if isinstance(answer, Termination):
            return assemble(prog, "fake", answer, None)
        return assemble(prog, "fake", OPTIMAL, answer)


def test_a_broken_point_is_solved_again_safely_and_the_sound_answer_kept() -> None:
    fake = Scripted(np.array([3.0, 2.0]), np.array([2.0, 2.0]))

    solution = guarded_solve("fake", box(), SolveOptions(), fake)

    assert [o.safe for o in fake.options] == [False, True]
    assert solution.status is SolutionStatus.OPTIMAL and solution.objective == 4
    np.testing.assert_allclose(solution.x, [2, 2])
    (note,) = solution.notes
    assert note.code == "solve.re-solved" and "r[0]: activity 5" in note.message


def test_a_point_broken_twice_is_unverified_with_its_violations() -> None:
    fake = Scripted(np.array([3.0, 2.0]), np.array([3.0, 3.0]))

    solution = guarded_solve("fake", box(), SolveOptions(), fake)

    assert solution.status is SolutionStatus.UNVERIFIED
    assert solution.violations[0].kind is ViolationKind.ROW and solution.violations[0].value == 6


def test_a_safe_infeasible_settles_a_broken_point() -> None:
    fake = Scripted(np.array([3.0, 2.0]), Termination(TerminationReason.INFEASIBLE))

    solution = guarded_solve("fake", box(), SolveOptions(), fake)

    assert solution.termination.reason is TerminationReason.INFEASIBLE and solution.x is None


def test_a_sound_point_is_not_solved_again() -> None:
    fake = Scripted(np.array([2.0, 2.0]))

    assert guarded_solve("fake", box(), SolveOptions(), fake).status is SolutionStatus.OPTIMAL
    assert len(fake.options) == 1


def test_a_mip_infeasible_is_asked_again_an_lp_infeasible_is_not() -> None:
    infeasible = Termination(TerminationReason.INFEASIBLE)
    lp = Scripted(infeasible)
    guarded_solve("fake", box(), SolveOptions(), lp)
    mip_program = box()
    mip_program.integrality[:] = True
    mip = Scripted(infeasible, np.array([2.0, 2.0]), np.array([2.0, 2.0]))
    solution = guarded_solve("fake", mip_program, SolveOptions(), mip)

    assert len(lp.options) == 1
    # first, the safe re-solve, then the re-solve's point with its integers fixed (an LP)
    assert [o.safe for o in mip.options] == [False, True, True]
    assert solution.status is SolutionStatus.OPTIMAL and solution.notes[0].code == "solve.re-solved"


def test_infeasible_then_unbounded_is_reported_as_either() -> None:
    mip_program = box()
    mip_program.integrality[:] = True
    fake = Scripted(Termination(TerminationReason.INFEASIBLE), Termination(TerminationReason.UNBOUNDED))

    solution = guarded_solve("fake", mip_program, SolveOptions(), fake)

    assert solution.termination.reason is TerminationReason.INFEASIBLE_OR_UNBOUNDED
    assert "reported as infeasible or unbounded" in solution.notes[0].message


def test_every_backend_solves_right_in_its_safe_configuration(backend: Backend) -> None:
    prog = box()
    prog.integrality[:] = True

    solution = backend.solve(prog, SolveOptions(safe=True))

    assert solution.status is SolutionStatus.OPTIMAL and solution.objective == pytest.approx(4)


# --- what is settled before solving ------------------------------------------------------


def tiny() -> LinearProgram:
    """max y  s.t.  1e-10 y <= 1,  0 <= y <= 1e12. The row binds: y = 1e10."""
    return program(Sense.MAXIMIZE, [1], [[1e-10]], [(-INF, 1)], [(0, 1e12)])


def test_every_backend_keeps_a_tiny_coefficient(backend: Backend) -> None:
    solution = backend.solve(tiny(), SolveOptions())

    assert solution.status is SolutionStatus.OPTIMAL
    assert solution.objective == pytest.approx(1e10, rel=1e-6)
    assert solution.row_activity == pytest.approx([1.0], rel=1e-6)
    assert [n.code for n in solution.notes] == ["solve.rescaled"]


def test_every_backend_follows_an_objective_of_tiny_costs(backend: Backend) -> None:
    """max 1e-12 x  s.t.  x + y <= 1: x = 1 (CBC ignores costs this small unless scaled)."""
    prog = program(Sense.MAXIMIZE, [1e-12, 0], [[1, 1]], [(-INF, 1)], [(0, 1)] * 2, offset=1e-12)

    solution = backend.solve(prog, SolveOptions())

    np.testing.assert_allclose(solution.x, [1, 0], atol=1e-6)
    assert solution.objective == pytest.approx(2e-12, rel=1e-9)
    assert solution.best_bound is None or solution.best_bound == pytest.approx(2e-12, rel=1e-6)


@pytest.mark.skipif("highs" not in available_backends(), reason="highspy is not installed")
def test_a_rescaled_row_keeps_its_dual_in_the_original_units() -> None:
    from nl2opt.backends.highs import HighsBackend

    solution = HighsBackend().solve(tiny())

    # one more unit of the bound 1 allows 1e10 more y; the bound may move over [0, 100]
    # (at 100, y reaches its own bound 1e12) before that price changes
    assert solution.row_duals == pytest.approx([1e10], rel=1e-6)
    assert solution.ranging is not None
    assert (solution.ranging.rhs_lower[0], solution.ranging.rhs_upper[0]) == pytest.approx((0, 100))


def test_every_backend_keeps_a_huge_coefficient(backend: Backend) -> None:
    """max x  s.t.  1e15 x <= 2e15,  0 <= x <= 5: x = 2 (HiGHS refuses 1e15 unless the row is scaled)."""
    solution = backend.solve(program(Sense.MAXIMIZE, [1], [[1e15]], [(-INF, 2e15)], [(0, 5)]), SolveOptions())

    assert solution.status is SolutionStatus.OPTIMAL and solution.objective == pytest.approx(2)


def test_scaling_a_row_down_keeps_a_small_bound_enforced(backend: Backend) -> None:
    """min y  s.t.  1e9 y >= 2.5,  0 <= y <= 50: y = 2.5e-9. Scaled to y >= 2.5e-9 the row would sit
    inside the solver's 1e-7 tolerance and y = 0 would pass; the scaling stops short of that."""
    prog = program(Sense.MINIMIZE, [1], [[1e9]], [(2.5, INF)], [(0, 50)])

    solution = backend.solve(prog, SolveOptions())

    assert solution.status is SolutionStatus.OPTIMAL
    assert solution.row_activity == pytest.approx([2.5], rel=1e-6)


def test_what_was_found_before_a_crash_is_kept() -> None:
    def crash(prog: LinearProgram, options: SolveOptions) -> Solution:
        raise RuntimeError("solver refused the model")

    solution = guarded_solve("fake", tiny(), SolveOptions(), crash)

    assert solution.termination.reason is TerminationReason.ERROR
    assert "solver refused the model" in solution.termination.detail
    assert [n.code for n in solution.notes] == ["solve.rescaled"]


def test_a_crashing_safe_re_solve_leaves_the_first_answer_flagged() -> None:
    answers = iter([np.array([3.0, 2.0])])

    def first_then_crash(prog: LinearProgram, options: SolveOptions) -> Solution:
        if options.safe:
            raise RuntimeError("no safe mode")
        return assemble(prog, "fake", OPTIMAL, next(answers))

    solution = guarded_solve("fake", box(), SolveOptions(), first_then_crash)

    assert solution.status is SolutionStatus.UNVERIFIED and solution.violations[0].index == 0


def test_a_row_spanning_too_many_orders_is_reported() -> None:
    prog = program(Sense.MAXIMIZE, [1, 1], [[1e-20, 1]], [(-INF, 1)], [(0, 1)] * 2)

    prepared = prepare(prog)

    assert [n.code for n in prepared.notes] == ["solve.rescaled", "solve.tiny-coefficient"]
    assert "r (from 1e-20 to 1)" in prepared.notes[1].message and prepared.notes[1].severity == "warning"
    assert SMALL_COEFFICIENT > 1e-9  # above HiGHS' small_matrix_value, so nothing reaches its threshold


@pytest.mark.parametrize(
    "prog, named",
    [
        (program(Sense.MAXIMIZE, [np.inf], [], [], [(0, 1)]), "objective coefficient of x is inf"),
        (program(Sense.MAXIMIZE, [1], [[np.nan]], [(-INF, 1)], [(0, 1)]), "coefficient of x in r is nan"),
        (program(Sense.MAXIMIZE, [1], [[1]], [(np.nan, 1)], [(0, 1)]), "r has bounds [nan, 1.0]"),
    ],
    ids=["inf-cost", "nan-coefficient", "nan-bound"],
)
def test_non_finite_data_is_refused_with_a_note(backend: Backend, prog: LinearProgram, named: str) -> None:
    solution = backend.solve(prog, SolveOptions())

    assert solution.termination.reason is TerminationReason.ERROR and solution.x is None
    (note,) = solution.notes
    assert (note.code, note.severity) == ("solve.non-finite", "error") and named in note.message


# --- Pyomo's unset columns ---------------------------------------------------------------


def test_unset_columns_get_the_point_of_their_bounds_nearest_zero() -> None:
    from nl2opt.backends.pyomo import fill_unset

    prog = program(Sense.MAXIMIZE, [0] * 4, [], [], [(-2, -0.5), (0.5, 3.7), (-2, -0.5), (-INF, INF)])
    prog.integrality[:] = [True, True, False, True]
    x = np.full(4, np.nan)

    fill_unset(prog, x)

    np.testing.assert_array_equal(x, [-1, 1, -0.5, 0])
