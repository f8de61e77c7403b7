"""Make a program safe to hand to a solver, and map the answer back.

Two things are settled here, before any solver sees the arrays:

- **Non-finite data.** A NaN or infinite coefficient (say ``1e308 * 10`` in the spec) has no
  meaning to a solver: some reject the model, some return a NaN objective. It is refused
  with a ``solve.non-finite`` note naming the row or column.
- **Tiny coefficients.** Solvers drop coefficients below a threshold (HiGHS:
  ``small_matrix_value`` = 1e-9), silently solving another model: ``1e-10 * y <= 1`` becomes
  ``0 <= 1``. A row holding a coefficient below :data:`SMALL_COEFFICIENT` is scaled by a
  positive factor (which leaves its feasible set unchanged) so that its coefficients are
  centred on 1 (the geometric mean of its smallest and largest becomes 1). A row whose
  coefficients span so many orders that one stays tiny after that is reported
  (``solve.tiny-coefficient``); the point check after the solve then judges the answer.
  Rows with a coefficient above :data:`LARGE_COEFFICIENT` are scaled the same way.

An objective made only of tiny coefficients is multiplied up the same way (CBC ignores such
costs and returns any feasible point).

:func:`restore` maps a solution of the scaled program back to the original rows and
objective: the point is unchanged; activities and the objective are recomputed from the
original arrays, and duals and bounds multiplied back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from nl2opt.backends.pointcheck import POINT_TOL, col_label, row_label
from nl2opt.program import LinearProgram
from nl2opt.solution import Note, Solution

LARGE_COEFFICIENT = 1e6
"""Rows with a coefficient above this are scaled down the same way: HiGHS refuses a model with
a coefficient of 1e15 or more (``large_matrix_value``), which wide big-M bounds produce, and in
differential testing returned suboptimal MIP "optima" and unproven LP optima on rows with
coefficients near 1e7 that it solved right once they were scaled."""
REFUSED_COEFFICIENT = 1e15
"""HiGHS refuses a model holding a coefficient this large (its ``large_matrix_value``)."""
SOLVER_TOL = 1e-7
"""The absolute primal feasibility tolerance solvers apply to a row's activity (HiGHS, CLP, CBC)."""
SMALL_COEFFICIENT = 1e-8
"""Coefficients below this (in absolute value) may be dropped by a solver; ten times HiGHS'
``small_matrix_value`` (1e-9), so a coefficient near HiGHS' threshold is never left to it."""
MAX_NAMED = 5
"""Rows named in one note; the rest are counted."""


@dataclass
class Prepared:
    """The program a solver should get, and what was done to it."""

    program: LinearProgram
    row_scale: np.ndarray | None = None
    """The positive factor each row was multiplied by; None when no row was scaled."""
    objective_scale: float = 1.0
    """The positive factor the objective was multiplied by."""
    notes: list[Note] = field(default_factory=list)
    refusal: Note | None = None
    """Set when the program cannot be solved at all (non-finite data)."""


def prepare(program: LinearProgram) -> Prepared:
    """Refuse non-finite data; rescale rows, and an objective, made of tiny coefficients."""
    problem = _non_finite(program)
    if problem:
        return Prepared(program, refusal=Note("solve.non-finite", problem, "error"))
    prepared = _scale_rows(program)
    return _scale_objective(prepared)


def _scale_rows(program: LinearProgram) -> Prepared:
    A = sp.csr_matrix(program.A)
    magnitude = np.abs(A.data)
    odd = (magnitude > 0) & ((magnitude < SMALL_COEFFICIENT) | (magnitude > LARGE_COEFFICIENT))
    if not odd.any():
        return Prepared(program)
    rows = np.repeat(np.arange(program.num_rows), np.diff(A.indptr))
    tiny = np.unique(rows[odd])
    scale = np.ones(program.num_rows)
    smallest = np.full(program.num_rows, np.inf)
    largest = np.zeros(program.num_rows)
    nonzero = magnitude > 0
    np.minimum.at(smallest, rows[nonzero], magnitude[nonzero])
    np.maximum.at(largest, rows[nonzero], magnitude[nonzero])
    scale[tiny] = 1.0 / np.sqrt(smallest[tiny] * largest[tiny])
    # Scaling a row down loosens the solver's absolute feasibility tolerance in the row's own
    # units by the same factor: never so far that it exceeds the point check's tolerance.
    bound = np.maximum.reduce(
        [np.ones(program.num_rows), _finite_abs(program.row_lower), _finite_abs(program.row_upper)]
    )
    scale = np.where(scale < 1.0, np.maximum(scale, SOLVER_TOL / (POINT_TOL * bound)), scale)
    lower, upper = program.row_lower * scale, program.row_upper * scale
    overflow = (np.isfinite(program.row_lower) & ~np.isfinite(lower)) | (
        np.isfinite(program.row_upper) & ~np.isfinite(upper)
    )
    scale[overflow] = 1.0
    scaled = np.flatnonzero(scale != 1.0)
    after = (smallest[tiny] * scale[tiny] < SMALL_COEFFICIENT) | (
        largest[tiny] * scale[tiny] >= REFUSED_COEFFICIENT
    )
    still_tiny = tiny[after]
    notes = []
    if scaled.size:
        notes.append(Note("solve.rescaled", _rescaled(program, scaled, smallest, largest, scale)))
    if still_tiny.size:
        notes.append(
            Note("solve.tiny-coefficient", _too_tiny(program, still_tiny, smallest, largest), "warning")
        )
    if not scaled.size:
        return Prepared(program, notes=notes)
    matrix = sp.csr_matrix(sp.diags(scale) @ A)
    q_rows = program.q_rows
    if q_rows is not None:  # a row's products scale with it
        q_rows = replace(q_rows, coef=q_rows.coef * scale[q_rows.row])
    scaled_program = replace(
        program,
        A=matrix,
        row_lower=program.row_lower * scale,
        row_upper=program.row_upper * scale,
        q_rows=q_rows,
    )
    return Prepared(scaled_program, row_scale=scale, notes=notes)


def _scale_objective(prepared: Prepared) -> Prepared:
    """An objective whose every coefficient is tiny is scaled up: CBC ignores such costs."""
    program = prepared.program
    largest = float(np.max(np.abs(program.c), initial=0.0))
    if largest == 0.0 or largest >= SMALL_COEFFICIENT or program.q is not None:
        return prepared
    factor = 1.0 / largest
    prepared.program = replace(program, c=program.c * factor, offset=program.offset * factor)
    prepared.objective_scale = factor
    message = (
        f"the objective's coefficients are all below {SMALL_COEFFICIENT:g}; it was multiplied by {factor:.3g}"
    )
    prepared.notes.append(Note("solve.rescaled", message + " before solving"))
    return prepared


def restore(program: LinearProgram, prepared: Prepared, solution: Solution) -> Solution:
    """The solution of ``prepared.program`` read in ``program``'s own rows and objective."""
    ranging = solution.ranging
    if prepared.row_scale is not None:
        if solution.x is not None:
            solution.row_activity = program.activity(solution.x)
        if solution.row_duals is not None:
            solution.row_duals = solution.row_duals * prepared.row_scale
        if ranging is not None:
            ranging = replace(
                ranging,
                rhs_lower=ranging.rhs_lower / prepared.row_scale,
                rhs_upper=ranging.rhs_upper / prepared.row_scale,
            )
    factor = prepared.objective_scale
    if ranging is not None and factor != 1.0:
        ranging = replace(
            ranging, cost_lower=ranging.cost_lower / factor, cost_upper=ranging.cost_upper / factor
        )
    solution.ranging = ranging
    if factor != 1.0:
        if solution.x is not None:
            solution.objective = program.objective_value(solution.x)
        for name in ("claimed_objective", "best_bound"):
            value = getattr(solution, name)
            if value is not None:
                setattr(solution, name, value / factor)
        if solution.row_duals is not None:
            solution.row_duals = solution.row_duals / factor
        if solution.reduced_costs is not None:
            solution.reduced_costs = solution.reduced_costs / factor
    return solution


def _finite_abs(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), np.abs(values), 0.0)


def _non_finite(program: LinearProgram) -> str:
    """What is NaN or infinite where only finite numbers make sense; empty when nothing is."""
    cost = np.flatnonzero(~np.isfinite(program.c))
    if cost.size:
        j = int(cost[0])
        return f"the objective coefficient of {col_label(program, j)} is {program.c[j]}"
    if not np.isfinite(program.offset):
        return f"the objective's constant term is {program.offset}"
    A = sp.csr_matrix(program.A)
    bad = np.flatnonzero(~np.isfinite(A.data))
    if bad.size:
        k = int(bad[0])
        i = int(np.searchsorted(A.indptr, k, side="right")) - 1
        j = int(A.indices[k])
        return f"the coefficient of {col_label(program, j)} in {row_label(program, i)} is {A.data[k]}"
    if program.q is not None and not np.isfinite(sp.csr_matrix(program.q).data).all():
        return "a coefficient of the objective's quadratic part is not a finite number"
    rows = program.q_rows
    if rows is not None and not np.isfinite(rows.coef).all():
        i = int(rows.row[np.flatnonzero(~np.isfinite(rows.coef))[0]])
        return f"a product's coefficient in {row_label(program, i)} is not a finite number"
    for lower, upper, label in (
        (program.row_lower, program.row_upper, row_label),
        (program.col_lower, program.col_upper, col_label),
    ):
        wrong = np.flatnonzero(np.isnan(lower) | np.isnan(upper) | (lower == np.inf) | (upper == -np.inf))
        if wrong.size:
            k = int(wrong[0])
            return f"{label(program, k)} has bounds [{lower[k]}, {upper[k]}]"
    return ""


def _listed(program: LinearProgram, rows: np.ndarray, describe) -> str:
    named = [describe(int(i)) for i in rows[:MAX_NAMED].tolist()]
    more = f" and {rows.size - MAX_NAMED} more" if rows.size > MAX_NAMED else ""
    return "; ".join(named) + more


def _rescaled(
    program: LinearProgram, rows: np.ndarray, smallest: np.ndarray, largest: np.ndarray, scale: np.ndarray
) -> str:
    listed = _listed(
        program,
        rows,
        lambda i: (
            f"{row_label(program, i)} (coefficients {smallest[i]:.3g} to {largest[i]:.3g}, "
            f"multiplied by {scale[i]:.3g})"
        ),
    )
    return (
        f"rows with coefficients below {SMALL_COEFFICIENT:g} or above {LARGE_COEFFICIENT:g} were rescaled "
        f"before solving (their meaning is unchanged): {listed}"
    )


def _too_tiny(program: LinearProgram, rows: np.ndarray, smallest: np.ndarray, largest: np.ndarray) -> str:
    listed = _listed(
        program, rows, lambda i: f"{row_label(program, i)} (from {smallest[i]:.3g} to {largest[i]:.3g})"
    )
    return (
        "coefficients in one row span too many orders of magnitude for a solver, which may drop the "
        f"smallest: {listed}. Rescale the units (thousands instead of units) so they are within 1e8 of each other"
    )
