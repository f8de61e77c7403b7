"""Lexicographic solve: priority levels optimised in turn over any Backend.

A goal program ranks its objectives: priority 1 is optimised first; its optimum ``z1``
is then held as one more row (``c1 @ x <= z1 + d1`` when minimising, ``>= z1 - d1`` when
maximising) while priority 2 is optimised, and so on; the last level's solve is the
answer. The allowed worsening of a level is ``d = max(tolerance, relative_tolerance * |z|)``
(0 by default: held exactly, to the solver's feasibility tolerance).

The compiled program is reused: each step is the same arrays with another objective
vector and the held rows appended, so every backend solves it through
:meth:`nl2opt.backends.base.Backend.solve` and re-checks its point against the held rows
like any other row. The loop stops at the first level that has no optimum and says which.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from nl2opt.backends.base import Backend, SolveOptions
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.program import Block, Level, LinearProgram, Origin, Sense
from nl2opt.result import LevelReport
from nl2opt.solution import Solution, Termination, TerminationReason
from nl2opt.spec import Goal

__all__ = [
    "HOLD_SLACK",
    "LevelStep",
    "Lexicographic",
    "allowed_worsening",
    "held_bound",
    "level_diagnostics",
    "level_reports",
    "solve_levels",
]

HOLD_SLACK = 0.0
"""Relative room added to a held row beyond its tolerance. The point that reached the optimum
satisfies the row up to rounding, far inside every solver's feasibility tolerance, so none is
needed; any room given is room a later level takes from an earlier one."""

MIN_STEP_SECONDS = 1.0
"""Time a later level is given at least when an overall time limit is nearly spent."""


def allowed_worsening(level: Level, optimum: float) -> float:
    """How far a held level may move from its optimum: the looser of its two tolerances."""
    return max(level.tolerance, level.relative_tolerance * abs(optimum))


def held_bound(level: Level, optimum: float) -> float:
    """The bound a level's value must keep once it is held (an upper bound when minimising)."""
    d = allowed_worsening(level, optimum)
    return optimum + d if level.sense is Sense.MINIMIZE else optimum - d


@dataclass(frozen=True)
class LevelStep:
    """One level's solve: its optimum and the bound then held (None for the last level)."""

    level: Level
    termination: TerminationReason
    optimum: float | None = None
    held: float | None = None


@dataclass
class Lexicographic:
    """The outcome: the last program solved (earlier levels held as rows) and its solution."""

    program: LinearProgram
    solution: Solution
    steps: list[LevelStep] = field(default_factory=list)
    failed: Level | None = None
    """The level that had no optimum (infeasible, unbounded, no point in time, rejected point)."""
    stopped_early: list[Level] = field(default_factory=list)
    """Earlier levels that stopped at a limit: their incumbent's value was held, not an optimum."""


def solve_levels(program: LinearProgram, engine: Backend, options: SolveOptions) -> Lexicographic:
    """Optimise ``program.levels`` in order, holding each before the next."""
    started = time.perf_counter()
    current = program
    steps: list[LevelStep] = []
    stopped: list[Level] = []
    solution: Solution | None = None
    for k, level in enumerate(program.levels):
        current = _with_objective(current, level)
        solution = engine.solve(current, _remaining(options, started))
        reason = solution.termination.reason
        usable = reason in (TerminationReason.OPTIMAL, TerminationReason.FEASIBLE) and solution.has_values
        if not usable or solution.violations:
            steps.append(LevelStep(level, reason))
            return Lexicographic(current, solution, steps, failed=level, stopped_early=stopped)
        assert solution.x is not None
        optimum = float(level.c @ solution.x + level.offset)
        if k == len(program.levels) - 1:
            steps.append(LevelStep(level, reason, optimum))
            break
        if reason is TerminationReason.FEASIBLE:
            stopped.append(level)
        bound = held_bound(level, optimum)
        steps.append(LevelStep(level, reason, optimum, bound))
        current = _hold(current, level, bound, k)
    assert solution is not None, "a lexicographic program has at least one level"
    if stopped and solution.termination.reason is TerminationReason.OPTIMAL:
        # the last level is optimal only given earlier levels that were not proven optimal
        names = ", ".join(level.name for level in stopped)
        term = Termination(TerminationReason.FEASIBLE, detail=f"not proven optimal at {names}")
        solution = replace(solution, termination=term)
    return Lexicographic(current, solution, steps, stopped_early=stopped)


def _with_objective(program: LinearProgram, level: Level) -> LinearProgram:
    return replace(program, sense=level.sense, c=level.c, offset=level.offset)


def _hold(program: LinearProgram, level: Level, bound: float, k: int) -> LinearProgram:
    """``program`` with the row that keeps ``level`` at ``bound`` (within HOLD_SLACK) appended."""
    slack = HOLD_SLACK * max(1.0, abs(bound))
    rhs = bound - level.offset
    lo, hi = (-np.inf, rhs + slack) if level.sense is Sense.MINIMIZE else (rhs - slack, np.inf)
    row = sp.csr_matrix(level.c.reshape(1, -1))
    block = Block(f"held[{level.name}]", Origin.AUXILIARY, program.num_rows, 1, note=f"level {k + 1} held")
    return replace(
        program,
        A=sp.vstack([program.A, row], format="csr"),
        row_lower=np.append(program.row_lower, lo),
        row_upper=np.append(program.row_upper, hi),
        row_blocks=[*program.row_blocks, block],
    )


def _remaining(options: SolveOptions, started: float) -> SolveOptions:
    if options.time_limit is None:
        return options
    left = options.time_limit - (time.perf_counter() - started)
    return replace(options, time_limit=max(left, MIN_STEP_SECONDS) if math.isfinite(left) else None)


_FAILED = {
    TerminationReason.INFEASIBLE: "has no feasible point",
    TerminationReason.UNBOUNDED: "is unbounded",
    TerminationReason.INFEASIBLE_OR_UNBOUNDED: "is infeasible or unbounded",
    TerminationReason.NO_SOLUTION_FOUND: "found no feasible point within the limits",
}


def level_reports(lex: Lexicographic, goals: Mapping[str, list[Goal]]) -> list[LevelReport]:
    """Each level as the Result shows it: its value at the answer, its optimum and the bound held.

    ``goals`` maps each level's name to its goals (:func:`nl2opt.lower.levels.level_name`).
    """
    x = lex.solution.x if lex.solution.has_values else None
    steps = {step.level.name: step for step in lex.steps}
    out = []
    for level in lex.program.levels:
        step = steps.get(level.name)
        members = goals.get(level.name, [])
        out.append(
            LevelReport(
                name=level.name,
                priority=members[0].priority if members else 0,
                goals=[g.name for g in members],
                sense=level.sense.value,
                value=float(level.c @ x + level.offset) if x is not None else None,
                optimum=step.optimum if step else None,
                held=step.held if step else None,
                termination=step.termination.value if step else "not solved",
            )
        )
    return out


def level_diagnostics(lex: Lexicographic, goals: Mapping[str, list[Goal]]) -> list[Diagnostic]:
    """Which level failed (and with which levels held), and levels held at a limit's incumbent."""
    out = []
    if lex.failed is not None:
        level = lex.failed
        step = lex.steps[-1]
        held = [f"{s.level.name} at {s.held:.10g}" for s in lex.steps[:-1] if s.held is not None]
        context = f" with {'; '.join(held)} held" if held else ""
        what = _FAILED.get(step.termination, f"ended with '{step.termination.value}' (or a rejected point)")
        hint = (
            "Give the goal's deviation variables bounds, or check the goal's sense."
            if step.termination is TerminationReason.UNBOUNDED
            else "Loosen an earlier level's tolerance, or fix the constraints named below."
            if held
            else "The constraints conflict before any goal is considered; see the conflict named below."
        )
        names = [g.name for g in goals.get(level.name, [])]
        out.append(
            Diagnostic(
                code="solve.priority-level",
                stage=Stage.SOLVE,
                where=f"objectives[{names[0]}]" if names else "objectives",
                message=f"optimising {level.name}{context}: the model {what}",
                hint=hint,
            )
        )
    for level in lex.stopped_early:
        out.append(
            Diagnostic(
                code="solve.priority-limit",
                stage=Stage.SOLVE,
                severity=Severity.WARNING,
                where="objectives",
                message=f"{level.name} stopped at a limit; its best value found was held, not a proven optimum",
                hint="Raise the time limit so every level is solved to optimality.",
            )
        )
    return out
