"""Sentences the rules read one way that others read another: the models of those other readings.

"The difference between X and Y should not exceed 200" is written ``X - Y <= 200`` (as MAMO's
published labels read it), but SIRL's corrected labels read ``|X - Y| <= 200``, and so may the
person who wrote it. The rules keep their reading and list the other; :mod:`nl2opt.ambiguity`
then lets the answer stand only when both give it. "At least" is not doubled: a difference of at
least N in one direction is what both label sets read.
"""

from __future__ import annotations

import re

from nl2opt.formulators.base import Reading
from nl2opt.spec import ModelSpec

__all__ = ["other_readings"]

_DIFFERENCE = re.compile(r"\bdifferences?\b", re.I)
_CAPPED = re.compile(r"^(?P<lhs>[^<>=]+?)\s*<=\s*(?P<rhs>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)$")
_MINUS = re.compile(r"\w\s*-\s*[\w(]")


def other_readings(spec: ModelSpec) -> list[Reading]:
    """One :class:`Reading` per capped difference, with that row read both ways (``abs``)."""
    out = []
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
            )
        )
    return out
