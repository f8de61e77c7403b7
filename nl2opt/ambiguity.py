"""One answer for a text that reads two ways only when both readings give it.

"The difference between X and Y should not exceed 200" is ``X - Y <= 200`` to some readers and
``|X - Y| <= 200`` to others; public label sets split on it. A formulator that notices such a
sentence writes one model and lists the others as :class:`~nl2opt.formulators.base.Reading`.
When every reading has the same outcome the words did not matter and the answer stands;
otherwise nl2opt declines rather than pick one, and says what each reading gives, so the person
who wrote the text can say which they meant.
"""

from __future__ import annotations

from collections.abc import Callable

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.formulators.base import Reading
from nl2opt.result import Result
from nl2opt.spec import ModelSpec

__all__ = ["ambiguity"]


def ambiguity(
    result: Result, readings: list[Reading], solve: Callable[[ModelSpec], Result]
) -> Diagnostic | None:
    """``formulate.ambiguous`` when a reading's outcome differs from ``result``'s; None when all agree."""
    differing = [(r, other) for r in readings for other in [solve(r.spec)] if not _same(result, other)]
    if not differing:
        return None
    told = "; ".join(
        f'"{r.sentence}" reads as {r.written}, with {_outcome(result)}, or as {r.meaning}, with {_outcome(other)}'
        for r, other in differing
    )
    return Diagnostic(
        code="formulate.ambiguous",
        severity=Severity.ERROR,
        stage=Stage.FORMULATE,
        message=f"The text reads two ways with different answers, so none is given: {told}.",
        hint=" ".join(dict.fromkeys(r.hint for r, _ in differing)),
    )


def _same(a: Result, b: Result) -> bool:
    if a.status != b.status:
        return False
    if a.objective is None or b.objective is None:
        return a.objective is None and b.objective is None
    return abs(a.objective - b.objective) <= max(1e-6 * max(abs(a.objective), abs(b.objective)), 1e-9)


def _outcome(r: Result) -> str:
    if r.status.has_solution and r.objective is not None:
        return f"an optimum of {r.objective:.10g}"
    return f"no optimum ({r.status})"
