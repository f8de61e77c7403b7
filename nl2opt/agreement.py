"""Several readings of one text: group sampled answers by optimum and pick the largest group.

With ``formulate_and_solve(..., samples=k)`` the repair loop runs k times on the same text.
Agreement between independent formulations is evidence the text was read as meant; a
disagreement is shown with each reading's optimum and, in words, how its model differs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.reading import differences
from nl2opt.result import Agreement, Reading, Result
from nl2opt.verify.plausibility import TEXT_CODES

__all__ = ["choose_reading"]


def choose_reading(results: Sequence[Result]) -> Result:
    """The answer of the largest group of sampled results that agree on the optimum.

    Verified answers are grouped by objective (relative 1e-6); ties go to the group whose best
    member has fewer text warnings, then to the earlier group. The chosen Result carries the
    agreement and every distinct reading, each with its differences from the chosen model.
    """
    if not results:
        raise ValueError("choose_reading needs at least one result")
    answered = [r for r in results if r.status.has_solution and r.verified and r.objective is not None]
    groups: list[list[Result]] = []
    for r in answered:
        home = next((g for g in groups if _same_optimum(g[0].objective, r.objective)), None)
        if home is None:
            groups.append([r])
        else:
            home.append(r)
    if not groups:
        chosen = results[0].model_copy(deep=True)
        chosen.agreement = Agreement(agree=0, samples=len(results))
        return chosen
    best = max(groups, key=lambda g: (len(g), -min(_text_count(r) for r in g), -groups.index(g)))
    chosen = min(best, key=_text_count).model_copy(deep=True)
    chosen.agreement = Agreement(agree=len(best), samples=len(results))
    ordered = [best, *(g for g in groups if g is not best)]
    chosen.readings = [
        Reading(
            objective=g[0].objective,
            status=g[0].status,
            samples=len(g),
            spec=g[0].spec,
            differences=[]
            if g is best or g[0].spec is None or chosen.spec is None
            else differences(g[0].spec, chosen.spec, names=("this reading", "the chosen one")),
        )
        for g in ordered
    ]
    answered_ids = {id(r) for r in answered}
    unanswered = Counter(r.status for r in results if id(r) not in answered_ids)
    chosen.readings += [Reading(status=status, samples=n) for status, n in unanswered.items()]
    if len(groups) > 1:
        others = ", ".join(f"{_fmt(g[0].objective)} ({len(g)})" for g in ordered[1:])
        chosen.diagnostics.append(
            Diagnostic(
                code="verify.readings-disagree",
                severity=Severity.WARNING,
                stage=Stage.VERIFY,
                message=f"{len(best)} of {len(results)} sampled formulations reach this optimum; "
                f"others reach {others}: the text can be read in more than one way.",
                hint="Compare the readings and make the text say which is meant.",
            )
        )
    return chosen


def _same_optimum(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _text_count(r: Result) -> int:
    return sum(d.code in TEXT_CODES for d in r.diagnostics)


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:,.6g}"
