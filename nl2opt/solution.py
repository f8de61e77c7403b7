"""Solution: what a backend returns, on two axes.

Following OR-Tools MathOpt, *why the solver stopped* (:class:`TerminationReason`,
plus the :class:`Limit` hit) is kept apart from *what solution exists*
(:class:`SolutionStatus`): "stopped at the time limit with a feasible point" is not
"stopped with nothing".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nl2opt._compat import StrEnum


class TerminationReason(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """Stopped at a limit holding a feasible, not proven optimal, solution."""
    NO_SOLUTION_FOUND = "no_solution_found"
    """Stopped at a limit with no feasible solution."""
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    ERROR = "error"


class Limit(StrEnum):
    TIME = "time"
    ITERATION = "iteration"
    NODE = "node"
    SOLUTION = "solution"
    INTERRUPTED = "interrupted"
    OTHER = "other"


class SolutionStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    NONE = "none"


@dataclass(frozen=True)
class Termination:
    reason: TerminationReason
    limit: Limit | None = None
    detail: str = ""
    raw: str = ""
    """The backend's own status code or text, for bug reports."""


@dataclass(frozen=True)
class Ranging:
    """LP sensitivity at an optimal basis: how far each number may move before the plan changes.

    Per column, ``cost_lower..cost_upper`` is the range of its objective coefficient over
    which the optimal point stays optimal. Per row, ``rhs_lower..rhs_upper`` is the range
    of its active bound over which its dual (shadow price) stays valid. Infinite ends mean
    no limit; rows that are not binding carry NaN (their dual is zero however far the
    bound moves until it meets the row's activity).
    """

    cost_lower: np.ndarray
    cost_upper: np.ndarray
    rhs_lower: np.ndarray
    rhs_upper: np.ndarray


@dataclass
class Solution:
    """Primal (and where available dual) values of one solve of a LinearProgram."""

    termination: Termination
    backend: str
    x: np.ndarray | None = None
    objective: float | None = None
    row_activity: np.ndarray | None = None
    row_duals: np.ndarray | None = None
    reduced_costs: np.ndarray | None = None
    best_bound: float | None = None
    mip_gap: float | None = None
    seconds: float = 0.0
    ranging: Ranging | None = None
    """Cost and right-hand-side ranging, where the backend gives it (HiGHS, optimal LPs)."""

    @property
    def status(self) -> SolutionStatus:
        reason = self.termination.reason
        if reason is TerminationReason.OPTIMAL and self.x is not None:
            return SolutionStatus.OPTIMAL
        if reason is TerminationReason.FEASIBLE and self.x is not None:
            return SolutionStatus.FEASIBLE
        return SolutionStatus.NONE

    @property
    def has_values(self) -> bool:
        return self.x is not None and self.status is not SolutionStatus.NONE
