"""Per-unit facts whose words are left out after the first decision's clause.

- 'A table takes 5 hours of labour and a chair takes 2': the chair's bare 2 is in the place
  the table's '5 hours of labour' had, so it measures the same thing;
- '6 hours of cutting and 2 of finishing': the unit is written once, for the first amount.

Only an amount with nothing after it (the clause ends, or 'and' / a comma follows) takes
words from a parallel clause, and only from the same place in the latest clause about
another decision of the same sentence; anything else stays unread, so the rules decline.
"""

from __future__ import annotations

from nl2opt.formulators.rules.facts import Coef
from nl2opt.formulators.rules.lexicon import STOP, UNITS
from nl2opt.formulators.rules.sentences import Token

_REACH = 12
"""Tokens back within which the amount that wrote the unit is looked for."""


def elided_unit(toks: list[Token], n: Token) -> str | None:
    """'2 of finishing' after '6 hours of cutting': the unit of the nearest 'N <unit> of' before it."""
    k = n.index
    if k + 2 >= len(toks) or toks[k + 1].lemma != "of" or toks[k + 2].kind != "word" or toks[k + 2].lemma in STOP:
        return None
    for j in range(k - 1, max(-1, k - _REACH), -1):
        if toks[j].is_num and j + 2 < len(toks) and toks[j + 1].lemma in UNITS and toks[j + 2].lemma == "of":
            return toks[j + 1].lemma
    return None


def ends_item(toks: list[Token], n: Token, hi: int) -> bool:
    """Nothing after the amount says what it measures: the clause ends, or 'and' / a comma follows
    (after a rate in the decisions' own unit, 'per acre')."""
    k = n.index + 1
    if k + 1 < len(toks) and toks[k].lemma in ("per", "a", "each") and toks[k + 1].lemma in UNITS:
        k += 2  # '... and soybeans 4 per acre': the rate of the decision's own unit
    return k >= hi or toks[k].kind == "punct" or toks[k].lemma in ("and", "but", "while")


def parallel_words(coefs: list[Coef], sentence: int, owner: str) -> frozenset[str] | None:
    """The words of the amount in the same place of the latest clause about another decision.

    ``coefs`` are in text order, so the facts of one sentence about one decision are a run;
    the owner's next amount is its k-th, and the k-th of the other decision's run measures
    the same thing when it is no money and says what it measures.
    """
    here = [c for c in coefs if c.sentence == sentence]
    k = sum(c.var == owner for c in here)
    other = next((c.var for c in reversed(here) if c.var != owner), None)
    if other is None:
        return None
    run: list[Coef] = []
    for c in reversed(here):
        if c.var == other:
            run.insert(0, c)
        elif run:
            break
    if k >= len(run) or run[k].money is not None or run[k].percent or not run[k].words:
        return None
    return run[k].words


_ALL_OF_THEM = frozenset({"either", "them", "these", "both", "any", "item", "unit", "product", "piece", "one"})
_SHARED_VERBS = frozenset({"take", "need", "use", "require", "consume", "weigh", "occupy"})


def shared_fact(toks: list[Token], lo: int, hi: int, nums: list[Token], class_words: set[str]) -> bool:
    """'Each unit of either takes one hour of press time', 'each bar takes 3 minutes': one amount said of every decision.

    The clause opens with 'each' / 'every', names the decisions as a group ('either', 'them', 'item',
    or the word they share, 'bar'), then a verb of use and its one amount, which is no money.
    """
    k = lo + (lo < hi and toks[lo].lemma in ("and", ",", ";"))
    if k >= hi or toks[k].lemma not in ("each", "every") or len(nums) != 1 or nums[0].money or nums[0].percent:
        return False
    k += 1
    if k + 1 < hi and toks[k].lemma in ("unit", "one") and toks[k + 1].lemma == "of":
        k += 2
    if k < hi and toks[k].lemma == "of":
        k += 1  # 'each of them'
    if k >= hi or not (toks[k].lemma in _ALL_OF_THEM or toks[k].lemma in class_words):
        return False
    k += 1
    return k < hi and toks[k].lemma in _SHARED_VERBS and any(t is nums[0] for t in toks[k + 1:k + 3])


def lead_attribute(toks: list[Token]) -> list[str]:
    """'Machine A time per widget is 2 min ...', 'Irrigation per hectare: corn 6 ML': what the sentence's amounts measure.

    The sentence opens with one to three content words (a capital label may follow one), then 'per';
    amounts later in it that name only a unit ('2 min', '6 ML') measure that.
    """
    words: list[str] = []
    for k, t in enumerate(toks[:5]):
        if t.lemma == "per":
            return words if k > 0 else []
        if t.kind != "word" or (t.lemma in STOP and not (words and t.text.isupper() and len(t.text) <= 2)):
            return []
        words.append(t.text if t.text.isupper() and len(t.text) <= 2 else t.lemma)
    return []


def before_colon(toks: list[Token], lo: int) -> list[str]:
    """'Water is limited to 900 acre-inches: wheat uses 3, corn 6': the words of the one amount stated before the colon.

    Bare amounts in a clause that follows the colon measure what that amount measures; none when the part
    before the colon states no amount, or more than one.
    """
    if lo == 0 or (toks[lo - 1].text != ":" and not (lo >= 1 and toks[lo].text == ":")):
        return []
    colon = lo - 1 if toks[lo - 1].text == ":" else lo
    nums = [t for t in toks[:colon] if t.is_num and not t.money and not t.percent]
    if len(nums) != 1 or any(t.is_num for t in toks[:colon] if t is not nums[0]):
        return []
    words: list[str] = []
    for t in toks[nums[0].index + 1:colon]:
        if t.kind != "word" or t.lemma in ("for", "per", "a", "each", "every", "in"):
            break
        words.append(t.lemma)
    lead = [t.lemma for t in toks[:nums[0].index] if t.kind == "word" and t.lemma not in STOP and t.lemma not in ("limited", "limit", "available")]
    return [*lead[:2], *words] if words else []
