"""Units the decisions are counted in ('per acre of wheat', 'each dollar invested').

A limit stated in such a unit, with nothing else to match, bounds the decisions themselves.
"""

from __future__ import annotations

from nl2opt.formulators.rules.entities import Var, find_mentions
from nl2opt.formulators.rules.lexicon import MEASURE_NOUNS, UNITS
from nl2opt.formulators.rules.sentences import Sentence

_PER_UNIT = frozenset({"each", "per", "every", "a", "an"})
_MONEY_NOUNS = frozenset({"budget", "fund", "funding", "investment", "spending", "money"})
_TIME_UNITS = frozenset({"hour", "hr", "minute", "min", "day", "week", "month", "year"})
_SPENT = frozenset({"invested", "spent", "allocated", "assigned", "put", "placed", "of", "in", "on"})


def decision_units(sentences: list[Sentence], variables: list[Var]) -> set[str]:
    """Units the decisions are counted in: 'per acre of wheat', 'how many acres of each'.

    A limit in such a unit with nothing else to match is the decisions' total.
    """
    found: set[str] = set()
    for s in sentences:
        toks = s.tokens
        starts = {m.start for m in find_mentions(s, variables)}
        for i in range(1, len(toks) - 1):
            unit = toks[i]
            if unit.kind != "word" or (unit.lemma not in UNITS and unit.lemma not in MEASURE_NOUNS) or i + 2 >= len(toks):
                continue
            if toks[i + 1].lemma != "of" and not (toks[i + 1].lemma in ("at", "in", "on") and unit.lemma in _TIME_UNITS):  # 'for each hour at site B'
                continue
            before = toks[i - 1].lemma
            nxt = toks[i + 2] if i + 2 < len(toks) else None
            if nxt is not None and nxt.lemma == "the" and i + 3 < len(toks) and toks[i + 3].index in starts:
                nxt = toks[i + 3]  # 'each hour of the gas oven'
            if before in _PER_UNIT | {"many", "much"} and nxt is not None and (nxt.index in starts or nxt.lemma in ("each", "both")):
                found.add(unit.lemma)
        for i in range(len(toks) - 2):
            if toks[i].lemma in ("each", "every", "per") and toks[i + 1].lemma == "dollar" and toks[i + 2].lemma in _SPENT:
                found.add("dollar")  # 'each dollar invested in A': the decisions are amounts of money
        for i in range(len(toks) - 2):
            if toks[i].lemma in _MONEY_NOUNS and toks[i + 1].lemma in ("for", "in", "on", "to") and (toks[i + 2].index in starts or (i + 3 < len(toks) and toks[i + 3].index in starts)):
                found.add("$")  # 'the budget for radio': the decisions may be sums of money
        for i in range(1, len(toks) - 2):
            if toks[i - 1].lemma == "how" and toks[i].lemma in ("many", "much") and toks[i + 1].lemma in UNITS and toks[i + 2].kind == "word":
                found.add(toks[i + 1].lemma)  # 'how many hours should each press run'
    return found

