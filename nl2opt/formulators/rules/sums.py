"""Explicit sums: 'three times A plus B must be at least 30', 'the difference between A and B cannot exceed 5'.

A sentence that writes a weighted sum of decisions on one side of a direction cue and a
single amount on the other is read term by term. Each term is a decision with at most
one multiplier before it ('twice', '3 times', '80% of', 'one ... and three ...'); 'minus'
and 'the difference between A and B' make a term negative. The reading is all or
nothing: every number of the sentence must be a multiplier or the amount, or the
sentence is left to the other rules (which decline it).
"""

from __future__ import annotations

import dataclasses
import itertools

from nl2opt.formulators.rules.cues import Cue
from nl2opt.formulators.rules.entities import Mention
from nl2opt.formulators.rules.facts import Relation
from nl2opt.formulators.rules.sentences import Sentence

_PLUS = frozenset({"plus", "+", "added"})  # 'four times A added to B'
_MINUS = frozenset({"minus", "-"})
_SUM_OPENERS = frozenset({"sum", "total", "combined", "combination", "together"})
_DEFINING = frozenset({"calculated", "computed", "measured", "defined", "expressed", "given", "determined"})
_REFUSE = frozenset({"than", "as", "by", "ratio", "per", "each", "every", "average", "times"})


def explicit_sum(s: Sentence, ments: list[Mention], cues: list[Cue], benign: set[int] = frozenset()) -> tuple[Relation, set[int]] | None:
    """The relation a sentence states as a weighted sum, and the numbers it used; None when it is not one.

    ``benign`` are numbers that are no model data ('one unit might mean one hour').
    """
    toks = s.tokens
    if len(cues) > 1:
        first = min((m.start for m in ments), default=0)
        cues = [c for c in cues if c.end > first or any(t.is_num for t in toks[c.end:c.end + 3])]  # 'in order not to exceed the budget, A and ...'
    if len(cues) != 1 or (cues[0].op == "==" and cues[0].words == ("exactly",) and not _equals(toks, cues[0].start)):
        return None
    cue = cues[0]
    after = [t for t in toks[cue.end:] if t.is_num and t.index not in benign]
    if len(after) != 1 or after[0].percent or after[0].index - cue.end > 2 or after[0].factor:
        return None
    terms = [m for m in ments if m.end <= cue.start]
    if len(terms) < 2 or len({m.var.name for m in terms}) != len(terms) or any(m.start >= cue.end for m in ments):
        return None
    if _new_clause(toks[terms[-1].end : cue.start]):
        return None  # '50 in week 1 and 80 in week 2, and at most 70 in any week': the cue opens its own clause
    lemmas = [t.lemma for t in toks[: cue.start]]
    difference = "difference" in lemmas and ("between" in lemmas or len(terms) == 2)  # 'the difference in the number of A and B'
    difference = difference or (len(terms) == 2 and "excess" in lemmas[: terms[0].start] and "over" in lemmas[terms[0].end : terms[1].start])  # 'the excess of A over B'
    joined = any(a in ("along", "together") and b == "with" for a, b in itertools.pairwise(lemmas))  # 'three times A along with B'
    marked = bool(_PLUS & set(lemmas) or _MINUS & set(lemmas) or difference or joined)
    coefs: dict[str, float] = {}
    used: set[int] = {after[0].index, *benign}
    lo = max((t.index + 1 for t in toks[: terms[0].start] if t.text in (",", ":", ";", "(") or _defines(toks, t.index)), default=0)
    weighted = 0
    for k, m in enumerate(terms):
        region = toks[lo : m.start]
        words = {t.lemma for t in region}
        agent = {t.lemma for t in region if k == 0 and t.lemma == "by" and t.index > 0 and toks[t.index - 1].lemma.endswith(("ed", "en")) and toks[t.index - 1].lemma not in _SCALING}  # 'hours worked by one A and three B'
        if words & _REFUSE - {"times"} - agent or (k and words & {"or"}):
            return None
        nums = [t for t in region if t.is_num]
        if len(nums) > 1 or any(t.money for t in nums):
            return None
        value = 1.0
        if nums:
            n = nums[0]
            value = n.value / 100 if n.percent else n.value
            weighted += value != 1
            used.add(n.index)
        elif "times" in words:
            return None
        sign = -1.0 if (words & _MINUS or (difference and k == 1)) else 1.0
        if difference and k >= 2:
            return None
        coefs[m.var.name] = sign * value
        lo = m.end
    if any(t.is_num and t.index not in used for t in toks[lo:]) or any(t.is_num and t.index not in used for t in toks):
        return None
    opened = bool(set(lemmas[: terms[0].start]) & _SUM_OPENERS)
    if not marked and not (weighted and set(lemmas) & (_SUM_OPENERS | {"and"})) and not opened:
        return None  # a plain 'A and B' list with no total word is left to the other rules
    plain = all(c == 1 for c in coefs.values())
    amount = -after[0].value if negative(toks, after[0]) else after[0].value
    rel = Relation("", cue.op, amount, list(coefs), s.index, kind="sum" if plain else "linear", terms=None if plain else coefs)
    return rel, used


_BREAKS = frozenset({"while", "whereas", ";"})
_SCALING = frozenset({"multiplied", "divided", "increased", "decreased", "reduced", "raised", "scaled", "weighted"})


def clause_sums(s: Sentence, ments: list[Mention], cues: list[Cue], benign: set[int] = frozenset()) -> list[Relation] | None:
    """'A minus B must not exceed 10, while C minus B should be at least 5': one explicit sum per clause, or None.

    Every clause must read as a sum; otherwise the sentence is left to the other rules.
    """
    toks = s.tokens
    cuts = [t.index for t in toks if t.lemma in _BREAKS or t.text == ";"]
    if not cuts:
        return None
    out: list[Relation] = []
    for lo, hi in itertools.pairwise([0, *cuts, len(toks)]):
        sub = [dataclasses.replace(t, index=t.index - lo) for t in toks[lo:hi]]
        if not any(t.is_num for t in sub):
            return None
        piece = Sentence(s.text, sub, s.index)
        found = explicit_sum(
            piece,
            [Mention(m.var, m.start - lo, m.end - lo) for m in ments if lo <= m.start and m.end <= hi],
            [Cue(c.op, c.start - lo, c.end - lo, c.words) for c in cues if lo <= c.start and c.end <= hi],
            {k - lo for k in benign if lo <= k < hi},
        )
        if found is None:
            return None
        out.append(found[0])
    return out


def negative(toks, n) -> bool:
    """'not be less than -1000': a minus sign written against the number, after a word."""
    k = n.index
    return k >= 2 and toks[k - 1].text in ("-", "−") and not toks[k - 2].is_num and toks[k - 2].text not in ("(", ")")


def _new_clause(between) -> bool:
    """', and' or ', but' between the terms and the cue: the amount belongs to a clause of its
    own, not to the list of terms before it."""
    return any(a.text == "," and b.lemma in ("and", "but") for a, b in itertools.pairwise(between))


def _equals(toks, i: int) -> bool:
    """'should equal exactly 400', 'is fixed at exactly 100': 'exactly' completing a verb of equality."""
    return i > 0 and (toks[i - 1].lemma in ("equal", "be") or (i > 1 and [t.lemma for t in toks[i - 2:i]] in (["fixed", "at"], ["set", "at"], ["equal", "to"])))


def _defines(toks, i: int) -> bool:
    """'a rating, calculated as 4 times A plus B': the sum starts after 'calculated as'."""
    return toks[i].lemma == "as" and i > 0 and toks[i - 1].lemma in _DEFINING
