"""Prices quoted per a batch of units ('$18 per dozen', '$20 per thousand', '$4 per 100 g').

The scalar rules and the algebra reader give each decision one price per unit; a price per a
batch read that way is 12x or 1000x off, confidently wrong. The family readers that can place
a batch convert it themselves (:mod:`diets` counts portions of 100 g, :mod:`transport` divides a
cost per 1,000 litres when the amounts are in litres); for the others a batch price is a reason
to decline, naming the sentence.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.facts import Problem
from nl2opt.formulators.rules.sentences import Sentence

__all__ = ["answer_scale", "batch_prices"]

_PRICE = r"(?:[$£€]\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|thousand|k)\b)?|\d[\d,]*(?:\.\d+)?\s*(?:dollars|cents|euros|pounds sterling))"
_BATCH = re.compile(
    _PRICE + r"\s+(?:per|a|an|for each|for every|for|each)\s+(?:(?P<word>dozen|score|gross|hundred|thousand|million)\b|(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[a-z]+))",
    re.I,
)

_IN_SCALE = re.compile(r"\bin\s+(?:thousands|millions|hundreds|billions)\b", re.I)
_GOAL = re.compile(
    r"\?|\bmaximi[sz]e|\bminimi[sz]e|\b(?:most|least|cheapest|lowest|highest|largest|smallest|fewest)\b|\bas\s+\w+\s+as\s+possible\b",
    re.I,
)


def answer_scale(sents: list[Sentence]) -> list[Problem]:
    """'Minimise the cost, in thousands of dollars': the answer asked in a scale no reader applies.

    Every reader reports the optimum in the units of its data, so an answer asked in thousands
    would be 1000x off; the goal sentence is named instead.
    """
    return [
        Problem(s.index, f"the answer is asked '{m.group(0)}', a scale the rules do not apply")
        for s in sents
        for m in [_IN_SCALE.search(s.text)]
        if m and _GOAL.search(s.text)
    ]

_BATCH_SUBJECT = re.compile(r"\b(?<!least )(?<!most )(?<!than )(?<!to )(?<!exactly )(?:a|one|each|every|per)\s+(?:dozen|gross)\b", re.I)
"""'a dozen chairs take 2 hours': a per-unit fact of twelve units ('at least a dozen vases' is a count, read as 12)."""


def batch_prices(sents: list[Sentence]) -> list[Problem]:
    """One problem per sentence that prices a batch of more than one unit."""
    out = []
    for s in sents:
        dozen = _BATCH_SUBJECT.search(s.text)
        if dozen:
            out.append(Problem(s.index, f"facts stated for a batch of units ('{dozen.group(0)}'): the rules do not convert them to one unit"))
            continue
        for m in _BATCH.finditer(s.text):
            if m.group("word") or float(m.group("n").replace(",", "")) > 1:
                out.append(Problem(s.index, f"a price per a batch of units ('{m.group(0)}'): the rules do not convert it to one unit"))
                break
    return out
