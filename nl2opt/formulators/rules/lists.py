"""Lists of candidate decisions: 'A, B and C', parallel clauses, 'each X' subjects, labels.

Helpers of :mod:`entities`, which scores these candidates and keeps the best list.
"""

from __future__ import annotations

from nl2opt.formulators.rules.lexicon import MEASURE_NOUNS, STOP
from nl2opt.formulators.rules.sentences import Sentence, Token

DETERMINERS = frozenset({"a", "an", "the", "some", "their", "its", "his", "her", "our", "either", "both"})
SUBJECT_VERBS = frozenset(
    ["require", "take", "need", "cost", "contain", "have", "give", "yield", "produce", "make", "generate", "provide", "earn", "bring", "sell", "use", "consume", "weigh", "hold", "carry", "reach", "attract", "require", "last", "can", "will", "be", "deliver", "purify", "store", "transport", "serve", "feed", "entertain", "work", "get", "earn", "pay", "create", "output", "process", "clean", "treat", "fit", "seat", "cover", "incur"]
)
PER_UNIT = frozenset({"each", "per", "every", "a", "an"})
_LIST_INTROS = frozenset({"including", "namely", "especially", "particularly", "specifically", "involving", "comprising"})
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you"})
MAX_ITEMS = 20
"""A longer list is no set of scalar decisions; capping it keeps reading linear in the text."""
_REACH = 200
"""How many tokens back a parallel clause is looked for (a bound, so long sentences stay linear)."""


def is_content(tok: Token) -> bool:
    if tok.kind != "word":
        return False
    if tok.text.isupper() and len(tok.text) <= 4 and tok.text not in ("A", "I"):
        return True
    return tok.lemma not in STOP and tok.lemma != "cannot" and not tok.lemma.startswith(("maxim", "minim"))  # 'A and PR cannot'


def is_label(tok: Token) -> bool:
    """'A', 'B2', 'XYZ': a short upper-case name given to a decision."""
    t = tok.text
    if tok.label:
        return True  # the '2' of 'oven 2', see sentences.numbered_labels
    return tok.kind == "word" and len(t) <= 4 and t.isupper() and (len(t) == 1 or t[1:].isalpha() or t[1:].isdigit())


def item_right(tokens: list[Token], i: int) -> tuple[list[Token], int]:
    """Noun phrase starting at i (after an optional determiner); returns tokens and next index."""
    if i < len(tokens) and tokens[i].lemma in DETERMINERS:
        i += 1
    item: list[Token] = []
    while i < len(tokens) and len(item) < 4 and (is_content(tokens[i]) or (item and is_label(tokens[i]))):
        if item and tokens[i].text.islower() and i + 1 < len(tokens) and tokens[i + 1].is_num and not tokens[i + 1].spelled:
            break  # 'medical aides work 6 hours': the word before an amount is a verb
        item.append(tokens[i])
        i += 1
    return item, i


def item_left(tokens: list[Token], j: int) -> tuple[list[Token], int]:
    """Noun phrase ending at j (inclusive), read leftwards; returns tokens and the index before it."""
    item: list[Token] = []
    while j >= 0 and len(item) < 4 and tokens[j].lemma not in _LIST_INTROS and (is_content(tokens[j]) or (is_label(tokens[j]) and j > 0 and is_content(tokens[j - 1]))):
        item.insert(0, tokens[j])
        j -= 1
    if j >= 0 and tokens[j].lemma in DETERMINERS:
        j -= 1
    return item, j


def enumerations(sentence: Sentence, who: str | None = None) -> list[list[list[Token]]]:
    """Lists of short noun phrases joined by commas and 'and'/'or' ("A, B, and C").

    The word right after the actor ('A farm mixes oats and corn') is its verb, so a
    list never extends over it.
    """
    toks = [*sentence.tokens]
    for i in range(len(toks) - 1):
        if (toks[i].lemma == who or toks[i].text.lower() in _PRONOUNS) and toks[i + 1].kind == "word" and toks[i + 1].text.islower():
            toks[i + 1] = Token(toks[i + 1].text, "and-not", "punct", index=i + 1)  # 'she plants herbs and beans': a verb
    found = []
    for k, tok in enumerate(toks):
        as_well_as = tok.lemma == "as" and k >= 2 and toks[k - 1].lemma == "well" and toks[k - 2].lemma == "as"
        if tok.lemma not in ("and", "or", "&") and not as_well_as:
            continue
        right, _ = item_right(toks, k + 1)
        if not right and k + 2 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].lemma not in DETERMINERS | PER_UNIT | {"and", "or", "but", "than", "then", "one"}:
            right, after = item_right(toks, k + 2)  # 'eat fruits and drink juice', 'trucks or by boat'
            if after < len(toks) and toks[after].lemma in ("and", "or"):
                right = []  # 'seats 40 guests and has both A and B': the start of another list
        j = k - 3 if as_well_as else k - 1
        if j >= 0 and toks[j].text == ",":
            j -= 1
        left, j = item_left(toks, j)
        if not right and left and j >= 0 and _plain_count(toks[j]) and k + 1 < len(toks) and _plain_count(toks[k + 1]):
            right, after = item_right(toks, k + 2)  # 'at most 30 desks and 20 shelves': counted items
            if after < len(toks) and toks[after].lemma == "of":
                right = []  # '30 units of sugar and 20 units of flour': measured, not counted
        if right and left and len(left) >= 2 and right[-1].index + 1 < len(toks) and toks[right[-1].index + 1].text.lower() in ("one", "ones"):
            right = [*right, left[-1]]  # '6 big trucks and 10 small ones': the small trucks
        if not right or not left or (j >= 0 and toks[j].lemma in ("per", "every")):
            continue  # 'ships 90 parcels every day and ...': a rate, not a list item
        items = [left, right]
        while j >= 1 and toks[j].text == "," and len(items) <= MAX_ITEMS:
            more, j2 = item_left(toks, j - 1)
            if not more or (j2 >= 0 and toks[j2].is_num):
                if more and all(len(it) == 1 and is_label(it[0]) for it in items):
                    items = [[more[-1], *it] for it in items]  # 'two busy lines, P and Q': line P and line Q
                break  # 'Two different meals, a vegetarian and ...': a header, not an item
            items.insert(0, more)
            j = j2
        if len(items) <= MAX_ITEMS:
            found.append(items)
    return found


def _plain_count(tok: Token) -> bool:
    return tok.is_num and not (tok.money or tok.percent or tok.factor)


def parallel_lists(sentence: Sentence, who: str | None = None) -> list[list[list[Token]]]:
    """Items that open parallel clauses: 'nurses earning $900 a week and porters earning $600'.

    After 'and' / 'or', a noun phrase followed by a word W pairs with the noun phrase
    that stood before an earlier W in the same sentence ('... earning', '... which').
    """
    toks = sentence.tokens
    found = []
    for k, tok in enumerate(toks):
        if tok.lemma not in ("and", "or"):
            continue
        start = k + 1
        if start < len(toks) and toks[start].kind == "word" and toks[start].lemma in STOP and toks[start].lemma not in DETERMINERS | PER_UNIT:
            start += 1  # 'or in the mining fund'
        right, _ = item_right(toks, start)
        for cut in range(len(right), 0, -1):
            item = right[:cut]
            w = item[-1].index + 1
            if w >= len(toks) or not _links_clause(toks[w]):
                continue
            items = [item]
            p = k - 1
            nxt = k
            while p > max(0, k - _REACH):
                if toks[p].lemma == toks[w].lemma:
                    left, j = item_left(toks, p - 1)
                    if not left or left[-1].lemma == who or (len(items) >= 2 and not any(t.is_num for t in toks[p:nxt])):
                        break  # a longer list: each parallel clause states an amount
                    nxt = left[0].index
                    left = left[-len(item):]  # 'can grade short essays worth ... or long essays worth'
                    items.insert(0, left)
                    p = j
                    continue
                p -= 1
            if len(items) >= 2:
                found.append(items)
                break
    return found


def _links_clause(tok: Token) -> bool:
    """A word that can open what is said about a noun: a verb ('costs', 'earning') or 'which' / 'worth'."""
    if tok.kind != "word" or tok.lemma == "be":
        return False
    return tok.lemma in SUBJECT_VERBS or tok.lemma in ("which", "that", "worth") or (tok.text.lower().endswith("ing") and len(tok.text) > 5)


def per_unit_subjects(sentences: list[Sentence]) -> list[list[Token]]:
    """Noun phrases written as the subject of a per-unit fact: 'each X', 'a X is worth 2 points'.

    Used when the text never lists the decisions together.
    """
    found: dict[tuple[str, ...], list[Token]] = {}
    for s in sentences:
        toks = s.tokens
        for i, t in enumerate(toks):
            if t.lemma not in PER_UNIT:
                continue
            if t.lemma in ("a", "an") and i > 0 and toks[i - 1].lemma not in (",", "and", "while", "where", "whereas", "but"):
                continue
            j = i + 1
            if j + 1 < len(toks) and toks[j].lemma in MEASURE_NOUNS and toks[j + 1].lemma == "of":
                j += 2
            item, end = item_right(toks, j)
            before = t.lemma in ("each", "every") and i > 0 and toks[i - 1].lemma in ("on", "for", "from") and any(x.money for x in toks[max(0, i - 8):i])  # 'a profit of $5 is made on each X'
            if not item or (end < len(toks) and toks[end].lemma == "of") or not (before or any(x.is_num for x in toks[end:end + 8])):
                continue
            if t.lemma in ("a", "an") and not (end < len(toks) and toks[end].lemma in SUBJECT_VERBS):
                continue
            found.setdefault(tuple(x.lemma for x in item), item)
    return list(found.values())


def labelled(sentences: list[Sentence]) -> list[list[Token]]:
    """Decisions named by a shared noun and a label: 'Pill A', 'pill B', 'Factory 1'."""
    groups: dict[str, dict[str, list[Token]]] = {}
    for s in sentences:
        toks = s.tokens
        for i in range(len(toks) - 1):
            noun, lab = toks[i], toks[i + 1]
            if noun.kind != "word" or noun.lemma in STOP or not is_label(lab):
                continue
            if i + 2 < len(toks) and toks[i + 2].kind == "word" and toks[i + 2].lemma not in STOP and lab.text in ("A", "I"):
                continue  # 'contains a lot': an article, not a label
            groups.setdefault(noun.lemma, {}).setdefault(lab.text, [noun, lab])
    best = max(groups.values(), key=len, default={})
    return list(best.values()) if len(best) >= 2 else []
