"""Guards shared by the worded rules (:mod:`build`) and the algebra reader (:mod:`algebra`): traps in
a text that both would otherwise answer wrongly, so both decline instead.

- a limit stated for one period while the plan is asked for another ('40 hours each day', 'how many
  each week'): how many days make the week is not said;
- two goals asked at once ('maximize profit and minimize waste'): the worded rules would keep one
  (the algebra reader's goal already needs a single sense);
- a comparison of the money spent on decisions counted in units ('the spending on X must be at least
  twice the spending on Y'): a ratio of money, not of counts.

(Two different limits on one resource in the same direction stay in :mod:`build`: the algebra reader
writes each cap as its own requirement, and a share set aside leaves a number it does not read.)
"""

from __future__ import annotations

from nl2opt.formulators.rules.facts import Problem
from nl2opt.formulators.rules.sentences import Sentence

_PERIOD_WORDS = {"day": "day", "daily": "day", "week": "week", "weekly": "week", "month": "month", "monthly": "month", "year": "year", "yearly": "year", "annual": "year", "annually": "year"}


def period(s: Sentence) -> str | None:
    """The one period a sentence states things for ('each day', 'per week', 'weekly'); None for none or several."""
    toks = s.tokens
    found = {
        _PERIOD_WORDS[t.lemma]
        for k, t in enumerate(toks)
        if t.lemma in _PERIOD_WORDS and (not t.lemma.endswith(("day", "week", "month", "year")) or (k > 0 and toks[k - 1].lemma in ("each", "per", "every", "a", "an")))
    }
    return found.pop() if len(found) == 1 else None


def other_periods(sents: list[Sentence], goal: int, limit_sentences: set[int]) -> list[Problem]:
    """'40 hours of labour each day' when the plan is asked 'each week': a limit for another period
    than the plan's, which the rules cannot scale (how many days make the week?)."""
    if not 0 <= goal < len(sents):
        return []
    asked = period(sents[goal])
    if asked is None:
        return []
    return [
        Problem(k, f"a limit per {said} while the plan is per {asked}")
        for k in sorted(limit_sentences)
        if 0 <= k < len(sents) and k != goal and (said := period(sents[k])) is not None and said != asked
    ]


_MAX_VERBS = frozenset({"maximize", "maximise", "maximizing", "maximising"})
_MIN_VERBS = frozenset({"minimize", "minimise", "minimizing", "minimising"})


def both_senses(s: Sentence) -> bool:
    """'to maximize profit and minimize waste': two goals, of which the rules would keep one."""
    lemmas = {t.lemma for t in s.tokens} | {t.text.lower() for t in s.tokens}
    return bool(lemmas & _MAX_VERBS) and bool(lemmas & _MIN_VERBS)


SPENDING = frozenset({"spending", "spend", "spent", "expenditure", "outlay", "invested", "investment"})


_MONEY_SPENT = frozenset({"money", "spending", "expenditure", "outlay"})


def compares_money(s: Sentence) -> bool:
    """The sentence speaks of money paid ('the money spent on X', 'spending on Y', '$ spent'), not of
    time spent or of sums invested (where the decisions are the sums themselves)."""
    lemmas = {t.lemma for t in s.tokens} | {t.text.lower() for t in s.tokens}
    if lemmas & {"time", "hour", "minute", "day"}:
        return False
    return bool(lemmas & _MONEY_SPENT) or bool(lemmas & {"spend", "spent"} and any(t.money for t in s.tokens))


def speaks_of_spending(sents: list[Sentence], k: int) -> bool:
    """The sentence compares money ('the amount spent on TV', 'radio spending'), not numbers of units
    (not 'he wants to spend at most $3000 and the number of A must not exceed the number of B')."""
    if not 0 <= k < len(sents):
        return False
    lemmas = {t.lemma for t in sents[k].tokens}
    return bool(lemmas & SPENDING) and "number" not in lemmas

