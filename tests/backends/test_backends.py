"""Every backend solves the same small programs with known answers, and reports them alike.

Programs are built directly as arrays. Sign conventions under test (see
``nl2opt/backends/_common.py``): a dual is the change of the optimal objective per unit
increase of the row's binding bound, in the program's own sense; a reduced cost is
``c - A.T @ duals``.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from nl2opt.backends import available_backends, backend_names, get_backend
from nl2opt.backends._common import lookup
from nl2opt.backends.base import Backend, SolveOptions
from nl2opt.errors import BackendUnavailableError, UnknownBackendError
from nl2opt.program import Block, LinearProgram, Origin, Sense
from nl2opt.solution import Limit, Solution, SolutionStatus
from nl2opt.solution import TerminationReason as R

INF = np.inf
ROOT = Path(__file__).resolve().parents[2]
SOLVER_PACKAGES = ("highspy", "pulp", "ortools", "pyomo")


def program(
    sense: Sense,
    c: list[float],
    A: list[list[float]],
    rows: list[tuple[float, float]],
    cols: list[tuple[float, float]],
    *,
    integer: bool = False,
    offset: float = 0.0,
) -> LinearProgram:
    """A LinearProgram from dense lists; ``rows``/``cols`` are (lower, upper) pairs."""
    n, m = len(c), len(rows)
    matrix = sp.csr_matrix(np.asarray(A, dtype=float).reshape(m, n))
    return LinearProgram(
        sense=sense,
        c=np.asarray(c, dtype=float),
        A=matrix,
        row_lower=np.array([lo for lo, _ in rows], dtype=float),
        row_upper=np.array([up for _, up in rows], dtype=float),
        col_lower=np.array([lo for lo, _ in cols], dtype=float),
        col_upper=np.array([up for _, up in cols], dtype=float),
        integrality=np.full(n, integer, dtype=bool),
        offset=offset,
        col_blocks=[Block("x", Origin.VARIABLE, 0, n)] if n else [],
        row_blocks=[Block("r", Origin.CONSTRAINT, 0, m)] if m else [],
    )


def solve(backend: Backend, prog: LinearProgram, **options: object) -> Solution:
    """Solve, checking what every Solution promises whatever the outcome."""
    solution = backend.solve(prog, SolveOptions(**options))  # type: ignore[arg-type]
    assert solution.backend == backend.name
    assert solution.seconds > 0
    if solution.x is not None:
        assert solution.x.shape == (prog.num_cols,)
        assert solution.row_activity is not None and solution.row_activity.shape == (prog.num_rows,)
    else:
        assert solution.status is SolutionStatus.NONE and solution.objective is None
    return solution


# --- programs with known answers -------------------------------------------------------


def production(sign: int) -> LinearProgram:
    """max 3x + 5y + z  s.t.  x <= 4,  2y <= 12,  3x + 2y + 3z <= 18  (or min of its negation).

    Optimum x = (2, 6, 0), value 36; duals (0, 1.5, 1); z is priced out at 1 - 3 = -2.
    """
    return program(
        Sense.MAXIMIZE if sign > 0 else Sense.MINIMIZE,
        [3 * sign, 5 * sign, 1 * sign],
        [[1, 0, 0], [0, 2, 0], [3, 2, 3]],
        [(-INF, 4), (-INF, 12), (-INF, 18)],
        [(0, INF)] * 3,
    )


def mixed_rows() -> LinearProgram:
    """min x + 2y - z + 5  s.t.  x + y + z == 10,  2 <= x - y <= 3,  z <= 6;  x, y >= 0, z free.

    z rises to 6, leaving x + y = 4 with x - y at its upper bound 3: x = 3.5, y = 0.5,
    value 3.5 + 1 - 6 + 5 = 3.5; duals 1.5, -0.5, -2.5 (each checked by moving the bound).
    """
    return program(
        Sense.MINIMIZE,
        [1, 2, -1],
        [[1, 1, 1], [1, -1, 0], [0, 0, 1]],
        [(10, 10), (2, 3), (-INF, 6)],
        [(0, INF), (0, INF), (-INF, INF)],
        offset=5.0,
    )


VALUES = [10, 13, 7, 8, 9, 4]
WEIGHTS = [5, 6, 3, 4, 4, 2]
CAPACITY = 12


def knapsack() -> LinearProgram:
    return program(
        Sense.MAXIMIZE, VALUES, [WEIGHTS], [(-INF, CAPACITY)], [(0, 1)] * len(VALUES), integer=True
    )


def knapsack_optimum() -> float:
    """The best value, by trying every subset."""
    picks = itertools.product([0, 1], repeat=len(VALUES))
    return max(np.dot(p, VALUES) for p in picks if np.dot(p, WEIGHTS) <= CAPACITY)


def infeasible_lp() -> LinearProgram:
    """x + y >= 3 and x + y <= 1."""
    return program(Sense.MAXIMIZE, [1, 1], [[1, 1], [1, 1]], [(3, INF), (-INF, 1)], [(0, INF)] * 2)


def infeasible_relaxation_milp() -> LinearProgram:
    prog = infeasible_lp()
    prog.integrality[:] = True
    return prog


def infeasible_integer_milp() -> LinearProgram:
    """2x + 2y == 3 over integers: the LP relaxation is feasible, no integer point is."""
    return program(Sense.MINIMIZE, [1, 1], [[2, 2]], [(3, 3)], [(0, 5)] * 2, integer=True)


def unbounded_lp() -> LinearProgram:
    """max x + y with only y <= 12: x runs away."""
    return program(Sense.MAXIMIZE, [1, 1], [[0, 1]], [(-INF, 12)], [(0, INF)] * 2)


def unbounded_milp() -> LinearProgram:
    prog = unbounded_lp()
    prog.integrality[:] = True
    return prog


def hard_knapsack(n: int = 80, m: int = 15, seed: int = 0) -> LinearProgram:
    """A random multi-dimensional 0-1 knapsack no solver here closes in half a second."""
    rng = np.random.default_rng(seed)
    W = rng.integers(1, 1000, size=(m, n)).astype(float)
    value = W.sum(axis=0) / m + rng.integers(1, 500, size=n)
    return program(
        Sense.MAXIMIZE,
        value.tolist(),
        W.tolist(),
        [(-INF, cap) for cap in (W.sum(axis=1) / 2).tolist()],
        [(0, 1)] * n,
        integer=True,
    )


# --- answers -----------------------------------------------------------------------------


@pytest.mark.parametrize("sign", [1, -1], ids=["maximize", "minimize"])
def test_lp_optimum_comes_with_duals_and_reduced_costs(backend: Backend, sign: int) -> None:
    solution = solve(backend, production(sign))

    assert solution.termination.reason is R.OPTIMAL
    assert solution.status is SolutionStatus.OPTIMAL
    np.testing.assert_allclose(solution.x, [2, 6, 0], atol=1e-6)
    assert solution.objective == pytest.approx(36 * sign)
    np.testing.assert_allclose(solution.row_activity, [2, 12, 18], atol=1e-6)
    if not backend.capabilities.duals:  # a backend without duals says so by returning none
        assert solution.row_duals is None and solution.reduced_costs is None
        return
    np.testing.assert_allclose(solution.row_duals, np.multiply(sign, [0, 1.5, 1]), atol=1e-6)
    np.testing.assert_allclose(solution.reduced_costs, np.multiply(sign, [0, 0, -2]), atol=1e-6)
    assert solution.best_bound == pytest.approx(36 * sign)


def test_lp_with_equality_ranged_row_free_column_and_offset(backend: Backend) -> None:
    solution = solve(backend, mixed_rows())

    assert solution.termination.reason is R.OPTIMAL
    np.testing.assert_allclose(solution.x, [3.5, 0.5, 6], atol=1e-6)
    assert solution.objective == pytest.approx(3.5)
    np.testing.assert_allclose(solution.row_activity, [10, 3, 6], atol=1e-6)
    if not backend.capabilities.duals:
        assert solution.row_duals is None
        return
    np.testing.assert_allclose(solution.row_duals, [1.5, -0.5, -2.5], atol=1e-6)
    np.testing.assert_allclose(solution.reduced_costs, [0, 0, 0], atol=1e-6)


def test_milp_optimum_is_integral_and_has_no_duals(backend: Backend) -> None:
    solution = solve(backend, knapsack())

    assert solution.termination.reason is R.OPTIMAL
    np.testing.assert_allclose(solution.x, np.round(solution.x), atol=1e-6)
    assert solution.objective == pytest.approx(knapsack_optimum())
    assert np.dot(WEIGHTS, solution.x) <= CAPACITY + 1e-6
    assert solution.row_duals is None and solution.reduced_costs is None
    if solution.best_bound is not None:
        assert solution.best_bound == pytest.approx(solution.objective, rel=1e-4)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (infeasible_lp, {R.INFEASIBLE}),
        (infeasible_relaxation_milp, {R.INFEASIBLE}),
        (infeasible_integer_milp, {R.INFEASIBLE}),
        (unbounded_lp, {R.UNBOUNDED}),
        # HiGHS' MIP presolve cannot always tell which; the pipeline's diagnosis settles it.
        (unbounded_milp, {R.UNBOUNDED, R.INFEASIBLE_OR_UNBOUNDED}),
    ],
    ids=lambda v: getattr(v, "__name__", None) or "|".join(sorted(reason.value for reason in v)),
)
def test_infeasible_and_unbounded_programs_are_named_so_without_values(
    backend: Backend, make: Callable[[], LinearProgram], expected: set[R]
) -> None:
    solution = solve(backend, make())

    assert solution.termination.reason in expected
    assert solution.x is None and solution.row_duals is None


def test_time_limit_ends_in_a_result_never_an_exception(backend: Backend) -> None:
    prog = hard_knapsack()

    solution = solve(backend, prog, time_limit=0.5)

    reason, limit = solution.termination.reason, solution.termination.limit
    assert (reason, limit) in {(R.OPTIMAL, None), (R.FEASIBLE, Limit.TIME), (R.NO_SOLUTION_FOUND, Limit.TIME)}
    if reason is R.FEASIBLE:
        assert solution.status is SolutionStatus.FEASIBLE
        np.testing.assert_allclose(solution.x, np.round(solution.x), atol=1e-6)
        assert np.all(solution.row_activity <= prog.row_upper + 1e-6)
    assert solution.seconds < 20, "the time limit was not honoured"


@pytest.mark.parametrize("threads", [1, 3])
def test_common_options_are_accepted(backend: Backend, threads: int) -> None:
    # Two thread counts in a row: HiGHS' per-process scheduler must follow (it did not).
    solution = solve(backend, knapsack(), time_limit=60, mip_gap=0.0, threads=threads)

    assert solution.termination.reason is R.OPTIMAL
    assert solution.objective == pytest.approx(knapsack_optimum())


@pytest.mark.parametrize(
    ("prog", "expected", "objective"),
    [
        (program(Sense.MINIMIZE, [1, 1], [[0, 0]], [(1, INF)], [(0, 1)] * 2), R.INFEASIBLE, None),
        (program(Sense.MINIMIZE, [1], [[1]], [(0, 5)], [(3, 2)]), R.INFEASIBLE, None),
        (program(Sense.MINIMIZE, [], [[], []], [(-1, 1), (0, INF)], [], offset=7.0), R.OPTIMAL, 7.0),
    ],
    ids=["empty-row-excluding-zero", "column-lower-above-upper", "no-columns"],
)
def test_degenerate_programs_are_answered_alike(
    backend: Backend, prog: LinearProgram, expected: R, objective: float | None
) -> None:
    solution = solve(backend, prog)

    assert solution.termination.reason is expected
    assert solution.objective == objective


def test_empty_and_free_rows_constrain_nothing_and_have_zero_duals(backend: Backend) -> None:
    # min x + y  s.t.  -1 <= 0 <= 1 (no terms),  x + y >= 2,  x - y free.
    prog = program(
        Sense.MINIMIZE, [1, 1], [[0, 0], [1, 1], [1, -1]], [(-1, 1), (2, INF), (-INF, INF)], [(0, INF)] * 2
    )

    solution = solve(backend, prog)

    assert solution.termination.reason is R.OPTIMAL
    assert solution.objective == pytest.approx(2)
    if backend.capabilities.duals:
        np.testing.assert_allclose(solution.row_duals, [0, 1, 0], atol=1e-6)


# --- failures are results ------------------------------------------------------------------


def test_malformed_program_is_an_error_result(backend: Backend) -> None:
    prog = production(1)
    prog.c = np.ones(prog.num_cols + 1)

    solution = solve(backend, prog)

    assert solution.termination.reason is R.ERROR
    assert "shape" in solution.termination.detail


def test_unknown_sub_solver_is_an_error_naming_it(backend: Backend) -> None:
    solution = solve(backend, production(1), solver="no_such_solver")

    assert solution.termination.reason is R.ERROR
    assert "no_such_solver" in solution.termination.detail


# --- status tables -------------------------------------------------------------------------


def test_highs_status_table_covers_every_model_status() -> None:
    highspy = pytest.importorskip("highspy")
    from nl2opt.backends.highs import STATUS

    assert set(STATUS) == set(highspy.HighsModelStatus.__members__)


def test_ortools_status_table_covers_every_result_status() -> None:
    pywraplp = pytest.importorskip("ortools.linear_solver.pywraplp")
    from nl2opt.backends.ortools import STATUS

    assert sorted(getattr(pywraplp.Solver, name) for name in STATUS) == list(range(7))


def test_pyomo_status_table_covers_every_termination_condition() -> None:
    pyomo_opt = pytest.importorskip("pyomo.opt")
    from nl2opt.backends.pyomo import STATUS

    assert set(STATUS) == set(pyomo_opt.TerminationCondition.__members__)


def test_pulp_status_table_covers_every_status_and_solution_status() -> None:
    pulp = pytest.importorskip("pulp")
    from nl2opt.backends.pulp import STATUS

    assert {status for status, _ in STATUS} == set(pulp.LpStatus)
    assert {sol_status for _, sol_status in STATUS} == set(pulp.LpSolution)


@pytest.mark.parametrize("name", backend_names())
def test_status_missing_from_a_table_is_an_error_keeping_the_raw_code(name: str) -> None:
    table = importlib.import_module(f"nl2opt.backends.{name}").STATUS

    termination = lookup(table, "from-a-future-version", raw="from-a-future-version")

    assert termination.reason is R.ERROR
    assert termination.raw == "from-a-future-version"


# --- registry --------------------------------------------------------------------------------


def test_registry_knows_five_backends_highs_first() -> None:
    assert backend_names() == ["highs", "pulp", "ortools", "pyomo", "scip"]
    assert set(available_backends()) <= set(backend_names())
    assert "highs" in available_backends()


@pytest.mark.parametrize("name", backend_names())
def test_get_backend_returns_the_named_backend(name: str) -> None:
    if name not in available_backends():
        pytest.skip(f"backend {name!r} is not installed")

    backend = get_backend(f" {name.upper()} ")

    assert backend.name == name
    assert importlib.util.find_spec(backend.package) is not None


def test_unknown_backend_lists_the_known_ones() -> None:
    with pytest.raises(UnknownBackendError) as caught:
        get_backend("cplex")

    for name in backend_names():
        assert name in str(caught.value)


@pytest.mark.parametrize("name", ["pulp", "ortools", "pyomo"])
def test_missing_package_says_which_extra_to_install(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda mod, *a: None if mod == name else real_find_spec(mod, *a)
    )

    assert name not in available_backends()
    with pytest.raises(BackendUnavailableError, match=rf"pip install nl2opt\[{name}\]"):
        get_backend(name)


def test_importing_the_registry_imports_no_solver() -> None:
    code = (
        "import sys, nl2opt.backends\n"
        "import nl2opt.backends.highs, nl2opt.backends.pulp, nl2opt.backends.ortools, nl2opt.backends.pyomo\n"
        "nl2opt.backends.available_backends()\n"
        f"print(sorted(set({SOLVER_PACKAGES!r}) & set(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)

    assert run.stdout.strip() == "[]"


# --- IIS -------------------------------------------------------------------------------------


def test_iis_names_the_conflicting_rows() -> None:
    pytest.importorskip("highspy")
    from nl2opt.backends.highs import compute_iis

    # x + y >= 3 and x + y <= 1 conflict; y <= 10 and x <= 5 are bystanders.
    prog = program(
        Sense.MINIMIZE,
        [0, 0],
        [[1, 1], [1, 1], [0, 1], [1, 0]],
        [(3, INF), (-INF, 1), (-INF, 10), (-INF, 5)],
        [(0, INF)] * 2,
    )

    iis = compute_iis(prog)

    assert iis is not None
    assert sorted(iis.rows) == [0, 1] and iis.cols == []
    assert sorted(iis.row_bounds) == ["lower", "upper"]


def test_iis_names_the_column_bounds_that_take_part() -> None:
    pytest.importorskip("highspy")
    from nl2opt.backends.highs import compute_iis

    # x + y >= 3 cannot hold with x <= 1 and y <= 1; z <= 4 is a bystander.
    prog = program(
        Sense.MINIMIZE, [0, 0, 0], [[1, 1, 0], [0, 0, 1]], [(3, INF), (-INF, 4)], [(0, 1), (0, 1), (0, INF)]
    )

    iis = compute_iis(prog)

    assert iis is not None
    assert iis.rows == [0] and iis.row_bounds == ["lower"]
    assert sorted(iis.cols) == [0, 1] and iis.col_bounds == ["upper", "upper"]


@pytest.mark.parametrize(
    "make", [knapsack, infeasible_integer_milp], ids=["feasible", "integer-only-conflict"]
)
def test_iis_is_none_when_there_is_no_linear_conflict(make: Callable[[], LinearProgram]) -> None:
    pytest.importorskip("highspy")
    from nl2opt.backends.highs import compute_iis

    assert compute_iis(make()) is None
