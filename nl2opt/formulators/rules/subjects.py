"""Decisions introduced one clause at a time: the subjects of parallel per-unit clauses.

Everyday prose often never lists the decisions together; it states each one's facts
in a clause of its own, with the same verb, or with the verb left out after the first:

- 'A full-time agent works 8 hours and costs $160; a part-timer works 4 hours ...'
- 'The Classic needs 3 hours of assembly, the Deluxe 5 hours'
- 'Lavender bars earn $1.80, oatmeal bars $1.40'

A clause subject is the noun phrase that opens a clause (the sentence's start, or after
';', ':', ',', 'and', 'while', 'whereas', 'but') and is followed by a verb with a number
after it, with no comparison word between them (a plain amount, not a requirement). The text's
first noun phrase may be one of them ('A large vase needs 3 hours ...'). Subjects sharing one verb form a candidate list; a noun phrase right before a
number, opening a clause after such a subject in the same sentence, joins its list
(the verb elided). :mod:`entities` scores these candidates like any other list, and
only when no other list of decisions was found.
"""

from __future__ import annotations

from nl2opt.formulators.rules.amounts import stem
from nl2opt.formulators.rules.lexicon import MEASURE_NOUNS, MONEY_KINDS, OBJECTIVE_MONEY, PURE_UNITS, UNITS
from nl2opt.formulators.rules.lists import DETERMINERS, SUBJECT_VERBS, item_right
from nl2opt.formulators.rules.sentences import Sentence, Token

_OPENERS = frozenset({";", ":", ",", "and", "while", "whereas", "but"})
_GAP_OPENERS = frozenset({";", ":", ","})
"""A clause that leaves its verb out follows a comma or a semicolon ('..., B $14'), or opens with 'a'/'the':
after a bare 'and' a lower-case word before a number is the first subject's next verb ('... and draws 4 kW')."""
_LEADS = DETERMINERS | {"each", "every", "one", "our", "my"}
_MODALS = frozenset({"can", "could", "will", "would", "may", "might", "must", "should", "also", "only"})
_NOT_VERBS = frozenset({"be", "have", "of", "and", "or", "to", "for", "in", "on", "at", "with", "per", "than", "as", "by", "from"})
_NOT_SUBJECTS = frozenset({"demand", "need", "requirement", "capacity", "budget", "limit", "total", "order", "contract", "supply", "stock", "time", "labour", "labor", "water", "land", "space", "area"})
_CUE_WORDS = frozenset({"at", "least", "most", "up", "no", "not", "more", "less", "fewer", "than", "over", "under", "exactly", "only"})
_REACH = 4
"""Tokens after the verb within which its number must come ('costs me $700', 'can handle 6 offices')."""
MAX_SUBJECTS = 6
_MORE_VERBS = frozenset({"occupy", "draw", "run", "fill", "need", "take", "weigh", "use"})


def _verb(toks: list[Token], k: int) -> str | None:
    """The verb at ``k`` (after modals): a lower-case word that is no preposition, followed soon by a number."""
    while k < len(toks) and toks[k].lemma in _MODALS:
        k += 1
    if k >= len(toks) or toks[k].kind != "word" or not toks[k].text.islower() or toks[k].lemma in _NOT_VERBS:
        return None
    num = next((j for j in range(k + 1, min(len(toks), k + 1 + _REACH)) if toks[j].is_num), None)
    if num is None or any(t.lemma in _CUE_WORDS for t in toks[k + 1:num]):
        return None  # 'needs at least 200 hours': a requirement, not a per-unit fact
    word = toks[k].text.lower()
    return stem(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)


def _verb_like(item: list[Token]) -> bool:
    """'..., occupy 0.05 m3': a lone verb of a per-unit fact, the first subject's next fact, not a new subject."""
    word = item[0].text.lower()
    return len(item) == 1 and (word in SUBJECT_VERBS or stem(word.removesuffix("s")) in SUBJECT_VERBS | _MORE_VERBS)


def _subject(toks: list[Token], i: int) -> tuple[list[Token], int]:
    """The noun phrase opening a clause at ``i`` (after 'a', 'each', 'the' ...) and where it ends."""
    while i < len(toks) and toks[i].lemma in _LEADS:
        i += 1
    item, end = item_right(toks, i)
    return item, end


def _plausible(item: list[Token]) -> bool:
    """A thing one may choose an amount of: not a unit, a sum of money or a resource's total."""
    if not item or len(item) > 3 or any(t.is_num for t in item):
        return False
    head = item[-1].lemma
    if head in PURE_UNITS or head in MONEY_KINDS or head in OBJECTIVE_MONEY or head in _NOT_SUBJECTS:
        return False
    return not all(t.lemma in UNITS or t.lemma in MEASURE_NOUNS for t in item)


def clause_subjects(sentences: list[Sentence]) -> list[tuple[int, list[list[Token]]]]:
    """Candidate lists of decisions (with the sentence of their first subject): subjects of clauses sharing
    a verb, with verb-less clauses joining them."""
    groups: dict[str, dict[tuple[str, ...], list[Token]]] = {}
    first: dict[str, int] = {}
    for s in sentences:
        toks = s.tokens
        last_verb: str | None = None
        for i in range(len(toks)):
            if i > 0 and toks[i - 1].text not in _OPENERS and toks[i - 1].lemma not in _OPENERS:
                continue
            if i > 0 and toks[i].lemma in _OPENERS:
                continue
            item, end = _subject(toks, i)
            if not _plausible(item):
                continue
            key = tuple(t.lemma for t in item)
            verb = _verb(toks, end)
            if verb is not None:
                groups.setdefault(verb, {}).setdefault(key, item)
                first.setdefault(verb, s.index)
                last_verb = verb
            elif last_verb is not None and i > 0 and end < len(toks) and toks[end].is_num and (toks[i - 1].text in _GAP_OPENERS or toks[i].lemma in _LEADS) and not _verb_like(item):
                groups[last_verb].setdefault(key, item)  # 'the Deluxe 5 hours': the verb of the clause before
    return [(first[verb], _without_class_noun(list(items.values()))) for verb, items in groups.items() if 2 <= len(items) <= MAX_SUBJECTS]


def _without_class_noun(items: list[list[Token]]) -> list[list[Token]]:
    """'The Standard tent ..., the Deluxe 3 hours': 'tent' names the class, so the first decision is 'Standard'.

    Kept on one member only, the class noun would make 'at least 15 tents' a bound on that member alone.
    """
    heads = {item[-1].lemma for item in items if len(item) > 1}
    if len(heads) != 1 or not any(len(item) == 1 and item[0].lemma not in heads for item in items):
        return items
    return [item[:-1] if len(item) > 1 else item for item in items]
