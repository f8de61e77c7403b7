"""Indexed problem families read from prose: what every family reader shares.

The scalar rules (one decision per product) cannot read a transportation plan, a 0-1
project selection, a cyclic shift roster or a multi-period production plan: those need
sets and indexed decisions. Each family has a reader (:mod:`transport`,
:mod:`selection`, :mod:`shifts`, :mod:`production`) that claims a text by strong cues,
reads the sentences it knows, and marks them *consumed*. A sentence left over that
carries a digit or states a requirement is *unread*: the reader then returns the model
it could build as a draft, with those sentences, instead of an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nl2opt.formulators.rules.requirements import requirements
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import ModelSpec

NUMBER = r"\$?\s?\d[\d,]*(?:\.\d+)?"
_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
NUM_OR_WORD = r"(?:\d+|" + "|".join(_WORDS) + r")"


def num(text: str) -> float:
    """'$1,200' -> 1200.0; 'five' -> 5."""
    low = text.strip().lower()
    if low in _WORDS:
        return float(_WORDS[low])
    return float(re.sub(r"[$,\s]", "", low))


def name_ok(word: str) -> bool:
    """A member name: a capitalised word or a short label ('North', 'A', 'P1')."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z0-9]*", word))


@dataclass
class Reading:
    """What a family reader made of a text: a spec, or a draft and the sentences it could not read."""

    family: str
    spec: ModelSpec | None = None
    draft: ModelSpec | None = None
    unread: list[str] = field(default_factory=list)
    reasons: list[tuple[int, str]] = field(default_factory=list)
    """(sentence index, why): the sentences at fault, for the diagnostics."""
    tables: list[str] = field(default_factory=list)
    """Names of the uploaded tables the reading used."""


def leftovers(sents: list[Sentence], consumed: set[int]) -> list[int]:
    """Sentences no rule consumed that carry a digit or state a requirement: they must not be ignored."""
    stated = {r.sentence for r in requirements(sents)}
    out = []
    for s in sents:
        if s.index in consumed:
            continue
        digit = any(t.is_num and not t.spelled for t in s.tokens)
        if digit or s.index in stated:
            out.append(s.index)
    return out


def logic_sentences(sents: list[Sentence]) -> set[int]:
    """Sentences that state a requirement without a number ('at most one of C and E', 'B only if A').

    A reader that reads numbers may take a sentence without one as read only when it read
    something from it; otherwise the requirement would be dropped silently.
    """
    return {r.sentence for r in requirements(sents) if r.logic}


def finish(
    family: str,
    sents: list[Sentence],
    consumed: set[int],
    build: Callable[[], ModelSpec | None],
    problems: list[tuple[int, str]],
) -> Reading:
    """A Reading: the spec when every sentence was read and nothing is missing, else the draft."""
    left = leftovers(sents, consumed)
    reasons = list(problems) + [(k, "a sentence the " + family + " reader could not read") for k in left]
    try:
        spec = build()
    except ValueError as exc:  # an incomplete reading (a missing table cell): a draft is still useful
        spec = None
        reasons.append((0, str(exc)))
    if not reasons and spec is not None:
        return Reading(family, spec=spec)
    unread = [sents[k].text for k in sorted({k for k, _ in reasons}) if 0 <= k < len(sents)]
    return Reading(
        family,
        draft=spec,
        unread=unread,
        reasons=reasons or [(0, "the " + family + " reader found no complete model")],
    )


def read_family(sents: list[Sentence], text: str, data: dict[str, Any] | None = None) -> Reading | None:
    """The first family reader that claims the text, or None for the scalar rules.

    ``data`` (uploaded tables by name) is offered to the readers that can match a table
    to what the text names (the transportation costs).
    """
    from nl2opt.formulators.rules import (
        blends,
        candidates,
        cutting,
        diets,
        plans,
        portfolio,
        production,
        selection,
        shifts,
        transport,
    )

    reading = transport.read(sents, text, data or {})
    if reading is not None:
        return reading
    for reader in (candidates.read, selection.read, shifts.read, plans.read, production.read, blends.read, diets.read, portfolio.read, cutting.read):
        reading = reader(sents, text)
        if reading is not None:
            return reading
    return None
