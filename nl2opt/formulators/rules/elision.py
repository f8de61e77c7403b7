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
    """Nothing after the amount says what it measures: the clause ends, or 'and' / a comma follows."""
    k = n.index + 1
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
