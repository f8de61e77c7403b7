"""Re-check a returned point against the program the backend was given.

Solvers work to their own tolerances, on their own presolved and scaled copy of the
program, and sometimes return a point that breaks it (CBC's preprocessing, dropped tiny
coefficients). This check is the backend layer's side of nl2opt's first claim ("the point
satisfies the model"): it reads only the program's arrays and the point, never the solver.

The tolerances are the verifier's (``nl2opt.verify``), so a point this check accepts is
not rejected there for tolerance reasons alone:

- a column value may pass a finite bound by ``POINT_TOL * max(1, |bound|)``, and a row
  activity by ``POINT_TOL * max(1, |bound|, sum_j |a_ij x_j|)``: a row compiled to
  ``a x - b y >= 0`` keeps the scale of its terms, as the verifier keeps the scale of the
  spec's right-hand side;
- an integer column may be ``INTEGRALITY_TOL`` away from the nearest integer;
- the solver's own objective, where it reports one, must match ``c @ x + offset`` within
  ``OBJECTIVE_TOL * max(1, |objective|)``.

For an LP solved to optimality the duals are checked too (:func:`check_optimality`): they
are the certificate of optimality, and a solver has called an unbounded LP "optimal" with a
feasible point whose reduced costs say the objective still improves.
"""

from __future__ import annotations

import numpy as np

from nl2opt.program import LinearProgram
from nl2opt.solution import Violation, ViolationKind

POINT_TOL = 1e-6
"""Bound slack, scaled by ``max(1, |bound|)``; SCIP's feastol and the verifier's tolerance."""
INTEGRALITY_TOL = 1e-6
"""Distance from the nearest integer allowed for an integer column (HiGHS' mip_feasibility_tolerance)."""
OBJECTIVE_TOL = 1e-6
"""Relative difference allowed between the solver's objective and the recomputed one."""
DUAL_TOL = 1e-6
"""Reduced-cost slack, scaled by ``max(1, |c_j|, sum_i |a_ij y_i|)``."""
MAX_VIOLATIONS = 20
"""Violations kept per check, worst first; one is enough to refuse the point."""


def linear_rows(program: LinearProgram, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A x`` and ``|A| |x|`` (each row's activity and the size of its terms), which both checks
    read: computed once per point by the caller that runs both."""
    x = np.asarray(x, dtype=float)
    return np.asarray(program.A @ x, dtype=float), np.asarray(program.abs_A @ np.abs(x), dtype=float)


def check_point(
    program: LinearProgram,
    x: np.ndarray,
    *,
    claimed_objective: float | None = None,
    rows: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Violation, ...]:
    """Every way ``x`` breaks ``program`` (worst first, at most MAX_VIOLATIONS); empty when it holds.

    ``rows``: :func:`linear_rows` of ``x``, when the caller has them."""
    x = np.asarray(x, dtype=float)
    bad = np.flatnonzero(~np.isfinite(x))
    if bad.size:
        return tuple(
            Violation(
                ViolationKind.NON_FINITE, int(j), float(x[j]), program.col_lower[j], program.col_upper[j]
            )
            for j in bad[:MAX_VIOLATIONS].tolist()
        )
    found: list[Violation] = []
    found += _outside(ViolationKind.COLUMN, x, program.col_lower, program.col_upper)
    activity, magnitude = linear_rows(program, x) if rows is None else rows
    if program.q_rows is not None:  # products are recomputed here from the triplets, not taken from a solver
        activity = activity + program.q_rows.values(x, program.num_rows)
        magnitude = magnitude + program.q_rows.magnitude(x, program.num_rows)
    found += _outside(ViolationKind.ROW, activity, program.row_lower, program.row_upper, magnitude)
    integer = np.flatnonzero(np.asarray(program.integrality, dtype=bool))
    nearest = np.round(x[integer])
    fractional = integer[np.abs(x[integer] - nearest) > INTEGRALITY_TOL]
    found += [
        Violation(
            ViolationKind.INTEGRALITY, int(j), float(x[j]), float(np.round(x[j])), float(np.round(x[j]))
        )
        for j in fractional.tolist()
    ]
    with np.errstate(over="ignore", invalid="ignore"):
        objective = float(program.c @ x) + program.offset
        if program.q is not None:
            objective += 0.5 * float(x @ (program.q @ x))
    if not np.isfinite(objective):
        found.append(Violation(ViolationKind.NON_FINITE, -1, objective, -np.inf, np.inf))
    elif claimed_objective is not None and _differ(objective, claimed_objective):
        found.append(Violation(ViolationKind.OBJECTIVE, -1, objective, claimed_objective, claimed_objective))
    found.sort(key=lambda v: -v.excess)
    return tuple(found[:MAX_VIOLATIONS])


def check_optimality(
    program: LinearProgram,
    x: np.ndarray,
    row_duals: np.ndarray,
    rows: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[Violation, ...]:
    """Columns whose reduced cost shows ``x`` is not optimal for the LP (or convex QP) ``program``.

    The duals are first moved to the signs their rows allow (zero for a row that is not
    binding, no wrong sign for a binding one), so that tiny dual noise cannot hide a
    wrong answer; then ``d = c - A.T y`` is read in the minimising sense: a column at its
    lower bound needs ``d >= 0``, at its upper bound ``d <= 0``, strictly between them
    ``d = 0`` (a fixed column, on both, any ``d``), each within ``DUAL_TOL`` of its scale.
    """
    sign = -1.0 if program.sense.value == "maximize" else 1.0
    x = np.asarray(x, dtype=float)
    y = sign * np.asarray(row_duals, dtype=float)  # as for minimising
    size = program.abs_A
    activity, magnitude = linear_rows(program, x) if rows is None else rows
    at_lower = _at(activity, program.row_lower, magnitude)
    at_upper = _at(activity, program.row_upper, magnitude)
    y = np.where(at_lower & ~at_upper, np.maximum(y, 0.0), y)
    y = np.where(at_upper & ~at_lower, np.minimum(y, 0.0), y)
    y = np.where(at_lower | at_upper, y, 0.0)
    A_t = program.A.T
    gradient = np.asarray(program.c, dtype=float)
    if program.q is not None:  # a convex QP's KKT conditions read the objective's gradient c + Qx
        gradient = gradient + np.asarray(program.q @ x, dtype=float)
    d = sign * gradient - np.asarray(A_t @ y, dtype=float)
    tol = DUAL_TOL * np.maximum.reduce([np.ones_like(d), np.abs(gradient), np.asarray(size.T @ np.abs(y))])
    low = _at(x, program.col_lower, 1.0)
    high = _at(x, program.col_upper, 1.0)
    lower = np.where(low & ~high, 0.0, -np.inf)  # at its lower bound: may not improve upward
    upper = np.where(high & ~low, 0.0, np.inf)
    interior = ~low & ~high  # (a column on both bounds is fixed: any reduced cost)
    lower[interior] = upper[interior] = 0.0
    wrong = (d < lower - tol) | (d > upper + tol)
    return tuple(
        Violation(ViolationKind.OPTIMALITY, int(j), float(d[j]), float(lower[j]), float(upper[j]))
        for j in np.flatnonzero(wrong)[:MAX_VIOLATIONS].tolist()
    )


def _at(values: np.ndarray, bound: np.ndarray, magnitude: np.ndarray | float) -> np.ndarray:
    """Where ``values`` sit on a finite ``bound``, within the point tolerance."""
    scale = np.maximum(np.maximum(1.0, magnitude), np.where(np.isfinite(bound), np.abs(bound), 0.0))
    with np.errstate(invalid="ignore"):
        return np.isfinite(bound) & (np.abs(values - bound) <= POINT_TOL * scale)


def _differ(objective: float, claimed: float) -> bool:
    return bool(np.isfinite(claimed)) and abs(objective - claimed) > OBJECTIVE_TOL * max(1.0, abs(objective))


def _outside(
    kind: ViolationKind,
    values: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    magnitude: np.ndarray | float = 1.0,
) -> list[Violation]:
    """Entries of ``values`` outside their bounds by more than POINT_TOL times their scale."""
    scale = np.maximum(1.0, magnitude)
    with np.errstate(invalid="ignore"):
        below = np.isfinite(lower) & (values < lower - POINT_TOL * np.maximum(scale, np.abs(lower)))
        above = np.isfinite(upper) & (values > upper + POINT_TOL * np.maximum(scale, np.abs(upper)))
    return [
        Violation(kind, int(i), float(values[i]), float(lower[i]), float(upper[i]))
        for i in np.flatnonzero(below | above)[:MAX_VIOLATIONS].tolist()
    ]


def describe(program: LinearProgram, violation: Violation) -> str:
    """One violation in words, with its numbers: which row or column, its value, the bound it breaks."""
    v = violation
    if v.kind is ViolationKind.ROW:
        return (
            f"{row_label(program, v.index)}: activity {v.value:.10g} outside [{v.lower:.10g}, {v.upper:.10g}]"
        )
    if v.kind is ViolationKind.COLUMN:
        return f"{col_label(program, v.index)} = {v.value:.10g} outside its bounds [{v.lower:.10g}, {v.upper:.10g}]"
    if v.kind is ViolationKind.INTEGRALITY:
        return f"{col_label(program, v.index)} = {v.value:.10g}, which should be an integer"
    if v.kind is ViolationKind.OBJECTIVE:
        return f"the objective: the solver reports {v.lower:.10g} but its values give {v.value:.10g}"
    if v.kind is ViolationKind.OPTIMALITY:
        return (
            f"{col_label(program, v.index)}: its reduced cost {v.value:.6g} should lie in "
            f"[{v.lower:g}, {v.upper:g}], so the solver's duals do not prove the point optimal "
            "(the objective can still improve along this variable; the model may be unbounded)"
        )
    what = "the objective" if v.index < 0 else col_label(program, v.index)
    return f"{what} = {v.value} (not a finite number: the model's numbers are too large)"


def row_label(program: LinearProgram, i: int) -> str:
    """The row's provenance name, or "row i" for a program built without provenance."""
    try:
        return program.row_name(i)
    except IndexError:
        return f"row {i}"


def col_label(program: LinearProgram, j: int) -> str:
    """The column's provenance name, or "column j"."""
    try:
        return program.col_name(j)
    except IndexError:
        return f"column {j}"
