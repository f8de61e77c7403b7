"""Compile the priority levels of a spec's ``objectives`` into per-level objective vectors.

Each goal is compiled with the evaluator that compiles the constraints, so abs/min/max
in a goal are linearised the same way (with the goal's sense deciding convexity); a
level is the weighted sum of its goals. The program keeps its own objective (the
headline, the last level); the levels travel beside it in ``LinearProgram.levels``.
"""

from __future__ import annotations

import numpy as np

from nl2opt.check.parsed import ParsedSpec
from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.lower.affine import Affine, add, constant, invalid_cells
from nl2opt.lower.assemble import LowerError
from nl2opt.lower.evaluate import Evaluator, Scope
from nl2opt.program import Level
from nl2opt.program import Sense as ProgramSense
from nl2opt.spec import Goal, ModelSpec, Sense, priority_levels

__all__ = ["compile_levels", "level_name", "level_vectors"]

PendingLevel = tuple[list[Goal], Affine]
"""A level's goals and its weighted sum, before the number of columns is final."""


def level_name(goals: list[Goal]) -> str:
    """``priority 1 (meet_profit, limit_overtime)``: how a level is named to a person."""
    return f"priority {goals[0].priority} ({', '.join(g.name for g in goals)})"


def compile_levels(
    ev: Evaluator, spec: ModelSpec, parsed: ParsedSpec
) -> tuple[list[PendingLevel], list[Diagnostic]]:
    """Every level's weighted goal sum, or the Diagnostics of the goals that do not compile."""
    if spec.objective is not None or not spec.objectives:
        return [], []
    nodes = {id(g): node for g, node in zip(spec.objectives, parsed.goals, strict=False)}
    out: list[PendingLevel] = []
    found: list[Diagnostic] = []
    for goals in priority_levels(spec.objectives):
        total = constant((), 0.0)
        for g in goals:
            where = f"objectives[{g.name}].expression"
            node = nodes.get(id(g))
            try:
                if node is None:
                    raise LowerError("parse.syntax", f"the goal {g.name} could not be parsed")
                ev.where = where
                ev.broken.clear()
                e = ev.affine(node, Scope(), 1 if g.sense is Sense.MINIMIZE else -1)
                if e.axes:
                    raise LowerError("check.unbound-index", f"the goal {g.name} depends on an unbound index")
                if invalid_cells(e, ev.b.ax).any():
                    raise LowerError(
                        "lower.unknown-element",
                        f"the goal {g.name} refers to a set member that does not exist or a missing value",
                    )
                total = add(total, e, ev.b.ax, g.weight)
            except LowerError as err:
                found.append(
                    Diagnostic(
                        code=err.code, stage=Stage.LOWER, where=where, message=err.message, hint=err.hint
                    )
                )
        out.append((goals, total))
    return out, found


def level_vectors(pending: list[PendingLevel], n: int) -> list[Level]:
    """The levels as dense objective vectors over the program's ``n`` final columns."""
    levels = []
    for goals, e in pending:
        c = np.bincount(e.col, weights=e.coef, minlength=n) if e.col.size else np.zeros(n)
        sense = ProgramSense.MINIMIZE if goals[0].sense is Sense.MINIMIZE else ProgramSense.MAXIMIZE
        levels.append(
            Level(
                name=level_name(goals),
                sense=sense,
                c=c,
                offset=float(np.asarray(e.const).reshape(-1)[0]),
                tolerance=goals[0].tolerance,
                relative_tolerance=goals[0].relative_tolerance,
            )
        )
    return levels
