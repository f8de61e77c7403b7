"""Sentences the rules read one way that others read another: the models of those other readings.

"The difference between X and Y should not exceed 200" is written ``X - Y <= 200`` (as MAMO's
published labels read it), but SIRL's corrected labels read ``|X - Y| <= 200``, and so may the
person who wrote it. The rules keep their reading and list the other; :mod:`nl2opt.ambiguity`
then lets the answer stand only when both give it. "At least" is not doubled: a difference of at
least N in one direction is what both label sets read.

"He prefers to plant more beets than carrots" is a wish of the decision maker: some readers
(and some published labels) make it the row ``beet >= carrot``, others leave it out. The rules
write the row and list the model without it. A preference of the people served ("three times as
many customers prefer A to B") is a fact about demand, not a wish, and is not doubled.
"""

from __future__ import annotations

import re

from nl2opt.formulators.base import Reading
from nl2opt.spec import ModelSpec

__all__ = ["other_readings"]

_DIFFERENCE = re.compile(r"\bdifferences?\b", re.I)
_CAPPED = re.compile(r"^(?P<lhs>[^<>=]+?)\s*<=\s*(?P<rhs>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)$")
_MINUS = re.compile(r"\w\s*-\s*[\w(]")
# The decision maker's own wish ('he prefers to', 'would rather'), not 'as many people prefer'.
_WISH = re.compile(r"\b(?:prefers|would prefer|would rather)\b", re.I)
_BARE_ORDER = re.compile(r"^\s*[A-Za-z_]\w*\s*(?:>=|<=)\s*[A-Za-z_]\w*\s*$")


def other_readings(spec: ModelSpec) -> list[Reading]:
    """One :class:`Reading` per capped difference (that row read both ways, ``abs``) and per wish."""
    out = _without_wishes(spec)
    for k, con in enumerate(spec.constraints):
        found = _CAPPED.match(con.expression.strip())
        if con.for_ or found is None or not _DIFFERENCE.search(con.description or ""):
            continue
        lhs, rhs = found.group("lhs").strip(), found.group("rhs")
        if not _MINUS.search(lhs) or "(" in lhs:
            continue
        both = con.model_copy(update={"expression": f"abs({lhs}) <= {rhs}"})
        constraints = [*spec.constraints[:k], both, *spec.constraints[k + 1 :]]
        out.append(
            Reading(
                sentence=con.description or con.name,
                written=con.expression,
                meaning=both.expression,
                spec=spec.model_copy(update={"constraints": constraints}),
                hint="Say which is meant ('X may exceed Y by at most 100' for one way, 'X and Y may differ by "
                "at most 100 either way' for both) and solve again, or finish the attached draft in the model editor.",
            )
        )
    return out


def _without_wishes(spec: ModelSpec) -> list[Reading]:
    """One :class:`Reading` per bare ordering row ('more A than B') that a sentence states as a wish."""
    out = []
    for k, con in enumerate(spec.constraints):
        if con.for_ or not _WISH.search(con.description or "") or not _BARE_ORDER.match(con.expression):
            continue
        constraints = [*spec.constraints[:k], *spec.constraints[k + 1 :]]
        out.append(
            Reading(
                sentence=con.description or con.name,
                written=con.expression,
                meaning="a preference, not a requirement (no row)",
                spec=spec.model_copy(update={"constraints": constraints}),
                hint="Say whether the preference must hold ('must plant at least as many A as B') or only "
                "breaks ties (leave it out), and solve again, or finish the attached draft in the model editor.",
            )
        )
    return out
