"""Checks of a spec's priority levels (``objectives``): what makes a lexicographic model ill-posed.

The goals' expressions are checked like any objective by :mod:`nl2opt.check.semantics`;
this module checks the list itself: one of ``objective``/``objectives``, distinct goal
names, positive weights, non-negative tolerances, priorities from 1, and one sense and
one tolerance per level (a level is optimised as one weighted sum and held as one row).
"""

from __future__ import annotations

import math

from nl2opt.check.tables import diag
from nl2opt.diagnostics import Diagnostic
from nl2opt.spec import ModelSpec, priority_levels

__all__ = ["check_priorities"]

_EXAMPLE = (
    "e.g. {'name': 'meet_profit', 'sense': 'minimize', 'expression': 'under_profit', 'priority': 1, "
    "'weight': 1, 'tolerance': 0, 'relative_tolerance': 0, 'description': '...'}"
)


def check_priorities(spec: ModelSpec) -> list[Diagnostic]:
    """Every problem of ``spec.objectives`` (none when the spec has one ``objective``)."""
    if not spec.objectives:
        return []
    out: list[Diagnostic] = []
    if spec.objective is not None:
        out.append(
            diag(
                "check.objective-conflict",
                "objective",
                "the spec has both an 'objective' and an 'objectives' list of goals",
                "Set 'objective' to null and keep the goals (the last priority level is then the "
                "headline), or drop 'objectives' for a single objective.",
            )
        )
    seen: set[str] = set()
    for g in spec.objectives:
        where = f"objectives[{g.name}]"
        if not g.name.strip():
            out.append(
                diag("check.bad-name", f"{where}.name", "a goal has no name", f"Name every goal, {_EXAMPLE}.")
            )
        elif g.name in seen:
            out.append(
                diag(
                    "check.duplicate-name",
                    f"{where}.name",
                    f"two goals are named {g.name}",
                    "Give every goal its own name; levels and results are reported by name.",
                )
            )
        seen.add(g.name)
        if not (math.isfinite(g.weight) and g.weight > 0):
            out.append(
                diag(
                    "check.goal-weight",
                    f"{where}.weight",
                    f"the goal {g.name} has weight {g.weight}; weights must be positive numbers",
                    "Use 1 for an unweighted goal; to pull the other way, change the goal's sense.",
                )
            )
        for field, value in (("tolerance", g.tolerance), ("relative_tolerance", g.relative_tolerance)):
            if not (math.isfinite(value) and value >= 0):
                out.append(
                    diag(
                        "check.goal-tolerance",
                        f"{where}.{field}",
                        f"the goal {g.name} has {field} {value}; it must be 0 or a positive number",
                        "Use 0 to hold the level at its optimum exactly, or the allowed worsening.",
                    )
                )
        if g.priority < 1:
            out.append(
                diag(
                    "check.goal-priority",
                    f"{where}.priority",
                    f"the goal {g.name} has priority {g.priority}; priorities start at 1 (optimised first)",
                    "Number the levels 1, 2, 3, ... from the most important.",
                )
            )
    for level in priority_levels(spec.objectives):
        first = level[0]
        for g in level[1:]:
            differs = [
                f for f in ("sense", "tolerance", "relative_tolerance") if getattr(g, f) != getattr(first, f)
            ]
            if differs:
                out.append(
                    diag(
                        "check.priority-mixed",
                        f"objectives[{g.name}]",
                        f"the goals {first.name} and {g.name} share priority {g.priority} but differ in "
                        f"{' and '.join(differs)}",
                        "Goals of one level are added with their weights and held as one: give them the "
                        "same sense and tolerances, or different priorities (write a goal to maximise as "
                        "minimising its negative deviation).",
                    )
                )
    return out
