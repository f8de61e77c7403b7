"""Sensitivity: a backend's LP ranging, named after the spec's decisions and constraints.

The backend reports ranges per column and row of the LinearProgram
(:class:`nl2opt.solution.Ranging`); a person asks about ``make[cake]`` and ``flour``.
This maps one to the other through the program's provenance, keeping the decisions
and the binding constraints only (auxiliary columns and rows of linearised logic
mean nothing to the reader).
"""

from __future__ import annotations

import numpy as np

from nl2opt.program import LinearProgram, Origin
from nl2opt.result import CostRange, RhsRange, Sensitivity
from nl2opt.solution import Solution

MAX_RANGES = 1000
"""Entries per list; past this many decisions only those with a non-zero value are listed."""


def sensitivity(program: LinearProgram, solution: Solution) -> Sensitivity | None:
    """The solution's ranging in the spec's names, or None when the backend gave none."""
    ranging = solution.ranging
    if ranging is None or solution.x is None:
        return None
    costs: list[CostRange] = []
    cols = np.arange(program.num_cols)
    if program.num_cols > MAX_RANGES:
        cols = np.flatnonzero(np.abs(solution.x) > 1e-9)
    for j in cols.tolist():
        block, k = program.col_block(j)
        if block.origin is not Origin.VARIABLE:
            continue
        costs.append(
            CostRange(
                variable=block.element_name(k),
                cost=float(program.c[j]),
                lower=_finite(ranging.cost_lower[j]),
                upper=_finite(ranging.cost_upper[j]),
            )
        )
        if len(costs) >= MAX_RANGES:
            break
    rhs: list[RhsRange] = []
    activity = solution.row_activity if solution.row_activity is not None else program.A @ solution.x
    for i in np.flatnonzero(~np.isnan(ranging.rhs_lower) | ~np.isnan(ranging.rhs_upper)).tolist():
        block, k = program.row_block(i)
        if block.origin is not Origin.CONSTRAINT:
            continue
        rhs.append(
            RhsRange(
                name=block.element_name(k),
                constraint=block.name.split("/")[0],
                rhs=_active_bound(program, i, float(activity[i])),
                lower=_finite(ranging.rhs_lower[i]),
                upper=_finite(ranging.rhs_upper[i]),
                dual=float(solution.row_duals[i]) if solution.row_duals is not None else None,
            )
        )
        if len(rhs) >= MAX_RANGES:
            break
    return Sensitivity(costs=costs, rhs=rhs)


def _active_bound(program: LinearProgram, i: int, activity: float) -> float:
    """The row bound nearest its activity: the one that binds."""
    bounds = [b for b in (program.row_lower[i], program.row_upper[i]) if np.isfinite(b)]
    return float(min(bounds, key=lambda b: abs(b - activity))) if bounds else activity


def _finite(value: float) -> float | None:
    return float(value) + 0.0 if np.isfinite(value) else None  # + 0.0: no "-0.0" in reports


def describe(ranges: Sensitivity) -> list[str]:
    """One sentence per range, e.g. "make[cake]: its objective coefficient 5 can range from 3 to 6
    before the plan changes"."""
    lines = [
        f"{c.variable}: its objective coefficient {_num(c.cost)} can range {_span(c.lower, c.upper)} "
        "before the plan changes"
        for c in ranges.costs
    ]
    lines += [
        f"{r.name}: its bound {_num(r.rhs)} can range {_span(r.lower, r.upper)} with the same shadow price"
        + (f" ({_num(r.dual)} per unit)" if r.dual is not None else "")
        for r in ranges.rhs
    ]
    return lines


def _span(lower: float | None, upper: float | None) -> str:
    if lower is None and upper is None:
        return "without limit"
    if lower is None:
        return f"up to {_num(upper)}"
    if upper is None:
        return f"from {_num(lower)} upwards"
    return f"from {_num(lower)} to {_num(upper)}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


__all__ = ["MAX_RANGES", "describe", "sensitivity"]
