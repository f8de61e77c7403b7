"""What every backend shares: the crash guard, trivial programs, the point check, and assembling a Solution.

Every solve goes through :func:`guarded_solve`, which (1) refuses non-finite data and rescales
rows with tiny coefficients (``_prepare``), (2) re-checks the returned point against the
program it was given (``pointcheck``), and (3) when the point fails the check, or a MIP solver
says "infeasible", solves once more in the solver's safe configuration (``SolveOptions.safe``:
presolve and preprocessing off). A point that still fails is returned with its
``violations``, so its status reads UNVERIFIED and nobody takes it for an answer.

Conventions all backends normalise to (the tests hold every backend to them):

- ``objective`` is ``c @ x + program.offset`` of the returned ``x``, so it never depends on
  whether a solver was told about the offset.
- ``row_duals[i]`` is the rate of change of the optimal objective per unit increase of
  row i's binding bound, in the program's own sense; ``reduced_costs[j]`` is the same for
  column j's bound. For a maximisation, a binding ``<=`` capacity row has a dual >= 0 (the
  value of one more unit). Duals are reported for LPs solved to optimality only.
- A limit status is looked up as NO_SOLUTION_FOUND and promoted to FEASIBLE when the
  solver holds a feasible point (:func:`promote`), so each native table needs one row
  per status, not one per status and incumbent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TypeVar

import numpy as np
import scipy.sparse as sp

from nl2opt.backends._prepare import Prepared, prepare, restore
from nl2opt.backends.base import SolveOptions
from nl2opt.backends.pointcheck import check_optimality, check_point, describe, linear_rows
from nl2opt.program import LinearProgram, Sense
from nl2opt.solution import (
    Limit,
    Note,
    Solution,
    SolutionStatus,
    Termination,
    TerminationReason,
)

K = TypeVar("K")
Outcome = tuple[TerminationReason, Limit | None]

ERROR: Outcome = (TerminationReason.ERROR, None)
FEASIBILITY_TOL = 1e-9


def guarded_solve(
    backend: str,
    program: LinearProgram,
    options: SolveOptions,
    solve: Callable[[LinearProgram, SolveOptions], Solution],
) -> Solution:
    """Run ``solve``, turning any crash into an ERROR Solution and timing the whole call.

    A solver failure is a result the pipeline reports and repairs around, never a
    traceback; only interrupts (BaseException) pass through. The returned point is
    checked against ``program`` (see the module docstring).
    """
    started = time.perf_counter()
    notes: list[Note] = []
    try:
        check_shapes(program)
        refused = _refusal(backend, program)
        if refused:
            solution = Solution(
                termination=Termination(TerminationReason.ERROR, detail=refused), backend=backend
            )
            solution.seconds = time.perf_counter() - started
            return solution
        solution = trivial_solution(backend, program) or _checked_solve(
            backend, program, options, solve, notes
        )
    except Exception as exc:  # a crashing solver is an outcome, not a bug of ours
        solution = Solution(
            termination=Termination(TerminationReason.ERROR, detail=f"{type(exc).__name__}: {exc}"),
            backend=backend,
            notes=notes,  # what was found before the crash (a coefficient HiGHS refuses) explains it
        )
    solution.seconds = time.perf_counter() - started
    return solution


def _refusal(backend: str, program: LinearProgram) -> str | None:
    """The capability refusal for a registered backend (a test's stand-in backend is not checked)."""
    from nl2opt.backends import backend_names
    from nl2opt.backends.capability import refusal

    return refusal(backend, program) if backend in backend_names() else None


_SETTLED = (
    TerminationReason.INFEASIBLE,
    TerminationReason.UNBOUNDED,
    TerminationReason.INFEASIBLE_OR_UNBOUNDED,
)
"""Outcomes of a safe re-solve that replace a first answer whose point failed the check."""


def _checked_solve(
    backend: str,
    program: LinearProgram,
    options: SolveOptions,
    solve: Callable[[LinearProgram, SolveOptions], Solution],
    notes: list[Note],
) -> Solution:
    """Prepare, solve, check, and re-solve once safely when suspect; ``notes`` collects what was done."""
    prepared = prepare(program)
    if prepared.refusal is not None:
        termination = Termination(TerminationReason.ERROR, detail=prepared.refusal.message)
        return Solution(termination=termination, backend=backend, notes=[prepared.refusal])
    notes += prepared.notes
    first = _attempt(program, prepared, options, solve)
    if options.safe or not _suspect(program, first):
        first.notes[:0] = notes
        return first
    try:
        second = _attempt(program, prepared, replace(options, safe=True), solve)
    except Exception as exc:  # the first answer stands, flagged as it is
        detail = f"{type(exc).__name__}: {exc}"
        second = Solution(termination=Termination(TerminationReason.ERROR, detail=detail), backend=backend)
    chosen = _choose(first, second)
    if (
        chosen is second
        and _claimed_infeasible(program, first)
        and not _holds_fixed(program, second, options, solve)
    ):
        chosen = first  # the re-solve's point meets the rows only through an integer's tolerance
    chosen.notes[:0] = [*notes, Note("solve.re-solved", _resolved(program, first, second, chosen))]
    return chosen


def _claimed_infeasible(program: LinearProgram, solution: Solution) -> bool:
    return program.is_mip and solution.termination.reason is TerminationReason.INFEASIBLE


def _holds_fixed(
    program: LinearProgram,
    solution: Solution,
    options: SolveOptions,
    solve: Callable[[LinearProgram, SolveOptions], Solution],
) -> bool:
    """Whether a MIP point's continuous part stays feasible with its integers fixed exactly.

    A re-solve's point is evidence against the first solve's "infeasible" only then: HiGHS
    without presolve has returned a point whose indicator at 1 - 1e-6 times a big-M made a
    logic row hold that no whole-number point satisfies (differential testing, seed 8642).
    """
    if solution.x is None or program.q is not None or program.q_rows is not None:
        return True
    lp = program.with_integers_fixed(solution.x)
    if lp is None:
        return False
    prepared = prepare(lp)
    if prepared.refusal is not None:
        return True
    try:
        fixed = _attempt(lp, prepared, replace(options, safe=True), solve)
    except Exception:  # no evidence either way: the re-solve's point stands, as before this check
        return True
    # feasible with the integers fixed: an optimum, or an unbounded LP (a feasible point exists)
    return fixed.status is SolutionStatus.OPTIMAL or fixed.termination.reason is TerminationReason.UNBOUNDED


def _attempt(
    program: LinearProgram,
    prepared: Prepared,
    options: SolveOptions,
    solve: Callable[[LinearProgram, SolveOptions], Solution],
) -> Solution:
    solution = restore(program, prepared, solve(prepared.program, options))
    rows = None if solution.x is None else linear_rows(program, solution.x)
    if solution.x is not None:
        solution.violations = check_point(
            program, solution.x, claimed_objective=solution.claimed_objective, rows=rows
        )
    proven = solution.termination.reason is TerminationReason.OPTIMAL and not program.is_mip
    proven = proven and program.q_rows is None and (program.q is None or _convex(program))
    if proven and solution.x is not None and not solution.violations and solution.row_duals is not None:
        solution.violations = check_optimality(program, solution.x, solution.row_duals, rows)
    return solution


def _convex(program: LinearProgram) -> bool:
    """A convex objective, whose KKT conditions (duals and the gradient c + Qx) prove an optimum."""
    from nl2opt.classify import objective_is_convex

    return objective_is_convex(program)


def _suspect(program: LinearProgram, solution: Solution) -> bool:
    """A point that fails the check, or a MIP solver's "infeasible" (CBC's preprocessing invents some)."""
    if solution.violations:
        return True
    return program.is_mip and solution.termination.reason is TerminationReason.INFEASIBLE


def _choose(first: Solution, second: Solution) -> Solution:
    """The safe re-solve wins when it holds a sound point, or when it settles a broken first point.

    "Infeasible" then "unbounded" (or the reverse) is reported as the solver said it, as
    "infeasible or unbounded", which the pipeline settles with its own feasibility check.
    """
    if second.status in (SolutionStatus.OPTIMAL, SolutionStatus.FEASIBLE):
        return second
    claims = {first.termination.reason, second.termination.reason}
    if claims == {TerminationReason.INFEASIBLE, TerminationReason.UNBOUNDED}:
        detail = f"the solver said {first.termination.reason.value}, then {second.termination.reason.value}"
        termination = Termination(TerminationReason.INFEASIBLE_OR_UNBOUNDED, detail=detail)
        return Solution(termination=termination, backend=second.backend)
    if first.violations and second.termination.reason in _SETTLED:
        return second
    if first.violations and second.violations:
        return second
    return first


def _resolved(program: LinearProgram, first: Solution, second: Solution, chosen: Solution) -> str:
    if first.violations:
        why = f"the solver's answer failed the check ({describe(program, first.violations[0])})"
    else:
        why = "the MIP solver said infeasible"
    outcome = second.status.value if second.x is not None else second.termination.reason.value
    if chosen is not first and chosen is not second:
        verdict = "reported as infeasible or unbounded"
    elif chosen is second:
        verdict = "this answer is the one reported"
    elif second.termination.reason is first.termination.reason:
        verdict = "the same answer"
    else:
        verdict = "not trusted over the first answer"
    return f"{why}; solved again with presolve and preprocessing off: {outcome} ({verdict})"


def check_shapes(program: LinearProgram) -> None:
    """Raise ValueError when the arrays disagree in length.

    Solvers given raw buffers (highspy's ``passModel``) would read past the end of a
    short array instead of failing, so this runs before any of them sees the program.
    """
    m, n = program.A.shape
    columns = {"c": program.c, "col_lower": program.col_lower, "col_upper": program.col_upper}
    columns["integrality"] = program.integrality
    rows = {"row_lower": program.row_lower, "row_upper": program.row_upper}
    for names, size, what in ((columns, n, "columns"), (rows, m, "rows")):
        for name, values in names.items():
            if np.shape(values) != (size,):
                raise ValueError(f"{name} has shape {np.shape(values)} but A has {size} {what}")


def trivial_solution(backend: str, program: LinearProgram) -> Solution | None:
    """Settle what needs no solver: contradictory bounds, empty rows, no columns at all.

    Solvers disagree on these (HiGHS calls a column-less model "empty" even when a row
    excludes 0), so every backend answers them the same way, naming the culprit.
    """
    culprit = _contradiction(program)
    if culprit:
        return Solution(
            termination=Termination(TerminationReason.INFEASIBLE, detail=culprit), backend=backend
        )
    if program.num_cols:
        return None
    termination = Termination(TerminationReason.OPTIMAL, detail="no columns")
    return assemble(program, backend, termination, np.zeros(0), best_bound=program.offset)


def _contradiction(program: LinearProgram) -> str:
    tol = FEASIBILITY_TOL
    bad_cols = np.flatnonzero(program.col_lower > program.col_upper + tol)
    if bad_cols.size:
        return f"column {bad_cols[0]} has its lower bound above its upper bound"
    bad_rows = np.flatnonzero(program.row_lower > program.row_upper + tol)
    if bad_rows.size:
        return f"row {bad_rows[0]} has its lower bound above its upper bound"
    empty = np.diff(sp.csr_matrix(program.A).indptr) == 0
    if program.q_rows is not None:
        empty[program.q_rows.row] = False
    bad_rows = np.flatnonzero(empty & ((program.row_lower > tol) | (program.row_upper < -tol)))
    if bad_rows.size:
        return f"row {bad_rows[0]} has no terms but its bounds exclude 0"
    return ""


def lookup(table: Mapping[K, Outcome], code: K, *, raw: str, detail: str = "") -> Termination:
    """Map a native status through a backend's table; a code missing from it is an ERROR."""
    if code not in table:
        return Termination(TerminationReason.ERROR, detail=f"unknown solver status {raw}", raw=raw)
    reason, limit = table[code]
    if reason is TerminationReason.ERROR and not detail:
        detail = f"the solver reported {raw}"
    return Termination(reason, limit, detail=detail, raw=raw)


def promote(termination: Termination, *, has_solution: bool) -> Termination:
    """A limit hit while holding a feasible point is FEASIBLE, not NO_SOLUTION_FOUND."""
    if termination.reason is TerminationReason.NO_SOLUTION_FOUND and has_solution:
        return Termination(
            TerminationReason.FEASIBLE, termination.limit, detail=termination.detail, raw=termination.raw
        )
    return termination


def unlabelled_limit(termination: Termination, options: SolveOptions) -> Termination:
    """Relabel a TIME limit as OTHER when no time limit was set.

    Used for solvers whose status says only "stopped" (CBC's solution file, pywraplp):
    the time limit is then the likely cause only if we set one.
    """
    if termination.limit is Limit.TIME and options.time_limit is None:
        return Termination(termination.reason, Limit.OTHER, detail=termination.detail, raw=termination.raw)
    return termination


def has_values(termination: Termination) -> bool:
    return termination.reason in (TerminationReason.OPTIMAL, TerminationReason.FEASIBLE)


def assemble(
    program: LinearProgram,
    backend: str,
    termination: Termination,
    x: np.ndarray | None,
    *,
    row_duals: np.ndarray | None = None,
    reduced_costs: np.ndarray | None = None,
    best_bound: float | None = None,
    mip_gap: float | None = None,
    claimed_objective: float | None = None,
) -> Solution:
    """Build the Solution, deriving objective and row activity from ``x`` itself.

    ``claimed_objective`` is the objective the solver reports, when it has its own; the
    point check compares it with ``c @ x + offset``.

    Values are kept only when the termination says a solution exists, so a caller
    cannot mistake an infeasible solver's last iterate for an answer.
    """
    if x is None or not has_values(termination):
        return Solution(termination=termination, backend=backend, best_bound=best_bound)
    x = np.asarray(x, dtype=float)
    objective = program.objective_value(x)
    if program.is_mip:
        if not _bound_is_plausible(program, objective, best_bound):
            best_bound = mip_gap = None
        mip_gap = relative_gap(objective, best_bound) if mip_gap is None else mip_gap
    elif termination.reason is TerminationReason.OPTIMAL and best_bound is None and not program.is_quadratic:
        best_bound = objective  # an optimal LP proves its own bound
    return Solution(
        termination=termination,
        backend=backend,
        x=x,
        objective=objective,
        row_activity=program.activity(x),
        row_duals=row_duals,
        reduced_costs=reduced_costs,
        best_bound=best_bound,
        mip_gap=mip_gap,
        claimed_objective=finite_or_none(claimed_objective),
    )


def _bound_is_plausible(program: LinearProgram, objective: float, bound: float | None) -> bool:
    """False for a "bound" on the wrong side of the incumbent.

    Pyomo's CBC plugin reports a maximisation's bound with its sign flipped; a bound that
    cuts off a solution we hold is no bound, so it is dropped rather than reported.
    """
    if bound is None:
        return True
    slack = 1e-6 * max(1.0, abs(objective))
    if program.sense is Sense.MAXIMIZE:
        return bound >= objective - slack
    return bound <= objective + slack


def relative_gap(objective: float, bound: float | None) -> float | None:
    """``|objective - bound| / |objective|``, HiGHS' and SCIP's definition; inf at objective 0."""
    if bound is None or not np.isfinite(bound):
        return None
    diff = abs(objective - bound)
    if diff <= FEASIBILITY_TOL:
        return 0.0
    return diff / abs(objective) if objective else float("inf")


def finite_or_none(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def canonical_csr(A: sp.spmatrix) -> sp.csr_matrix:
    """CSR with sorted, summed, explicit-zero-free entries, as solvers expect."""
    A = sp.csr_matrix(A)
    if A.has_canonical_format and (A.nnz == 0 or A.data.all()):
        return A
    A = A.copy()
    A.sum_duplicates()
    A.eliminate_zeros()
    return A
