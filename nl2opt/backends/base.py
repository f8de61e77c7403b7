"""The backend protocol: a LinearProgram in, a Solution out.

Backends declare what they can do as data (:class:`Capabilities`), which the
pipeline checks before building anything, and they import their solver package
only inside :meth:`Backend.solve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from nl2opt.program import LinearProgram
from nl2opt.solution import Solution


@dataclass(frozen=True)
class Capabilities:
    integer: bool = True
    duals: bool = True
    time_limit: bool = True
    mip_gap: bool = True
    threads: bool = True
    quadratic_objective: bool = False
    """Solves a convex quadratic objective (``LinearProgram.q``) over continuous variables."""
    quadratic_constraints: bool = False
    """Solves rows with products (``LinearProgram.q_rows``), second-order cones included."""
    nonconvex: bool = False
    """Solves nonconvex quadratic objectives and rows to global optimality."""
    mixed_integer_quadratic: bool = False
    """Solves quadratic models with integer variables."""


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float | None = None
    """Seconds; None for no limit."""
    mip_gap: float | None = None
    """Relative MIP gap at which to stop; None for the solver's default."""
    threads: int | None = None
    verbose: bool = False
    solver: str | None = None
    """Backend-specific sub-solver (e.g. Pyomo's solver name, OR-Tools' 'SCIP')."""
    extra: dict[str, object] = field(default_factory=dict)
    safe: bool = False
    """Solve in the solver's most conservative configuration (presolve, preprocessing off).

    Set by the backend layer for its one re-solve after a point that fails the check;
    slower, and the configuration least likely to return a wrong answer."""


class Backend(Protocol):
    name: str
    package: str
    """Top-level module whose presence means the backend can run."""
    capabilities: Capabilities

    def solve(self, program: LinearProgram, options: SolveOptions) -> Solution: ...
