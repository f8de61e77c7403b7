"""Decision variables: which things the problem asks us to choose amounts of.

Word problems almost always list the decisions once ("makes chocolate and
blueberry muffins", "using either rickshaws or ox carts") and then talk about
each of them as the subject of per-unit facts ("each rickshaw costs ...", "the
profit per muffin ..."), while resources appear after numbers ("30 grams of
sugar"). So we collect every list of short noun phrases, score each list by how
often its items appear in decision position versus measured position, and keep
the best. Each variable is then recognised by the words that tell it apart from
the others (``chocolate`` vs ``blueberry``), not by the words they share.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from nl2opt.formulators.rules.lexicon import (
    MEASURE_NOUNS,
    MONEY_KINDS,
    OBJECTIVE_MONEY,
    PURE_UNITS,
    STOP,
    UNITS,
)
from nl2opt.formulators.rules.sentences import Sentence, Token

DETERMINERS = frozenset({"a", "an", "the", "some", "their", "its", "his", "her", "our", "either", "both"})
SUBJECT_VERBS = frozenset(
    ["require", "take", "need", "cost", "contain", "have", "give", "yield", "produce", "make", "generate", "provide", "earn", "bring", "sell", "use", "consume", "weigh", "hold", "carry", "reach", "attract", "require", "last", "can", "will", "be", "deliver", "purify", "store", "transport", "serve", "feed", "entertain", "work", "get", "earn", "pay", "create", "output", "process", "clean", "treat", "fit", "seat", "cover", "incur"]
)
_INVEST = frozenset({"invest", "invested", "investing", "investment", "allocate", "allocated", "spend", "spent", "into"})
_PER_UNIT = frozenset({"each", "per", "every", "a", "an"})
_RESERVED = frozenset({"sum", "abs", "min", "max", "implies", "either", "at_least", "at_most", "exactly", "for", "in", "if"})


@dataclass
class Var:
    """A decision variable and the words that name it in the text."""

    name: str
    words: list[str]  # lemmas of the full phrase, e.g. ['chocolate', 'muffin']
    phrase: str  # as first written
    key: set[str] = field(default_factory=set)  # distinctive lemmas
    labels: set[str] = field(default_factory=set)  # single-letter labels matched case-sensitively
    sentence: int = 0
    aliases: set[str] = field(default_factory=set)  # counting nouns: 'loaf' after 'a loaf of bread'

    @property
    def head(self) -> str:
        return self.words[-1]


@dataclass
class Mention:
    """Where a variable is named in a sentence (token span, end exclusive)."""

    var: Var
    start: int
    end: int


def _is_content(tok: Token) -> bool:
    if tok.kind != "word":
        return False
    if tok.text.isupper() and len(tok.text) <= 4 and tok.text not in ("A", "I"):
        return True
    return tok.lemma not in STOP and not tok.lemma.startswith(("maxim", "minim"))


def _is_label(tok: Token) -> bool:
    """'A', 'B2', 'XYZ': a short upper-case name given to a decision."""
    t = tok.text
    return tok.kind == "word" and len(t) <= 4 and t.isupper() and (len(t) == 1 or t[1:].isalpha() or t[1:].isdigit())


def _item_right(tokens: list[Token], i: int) -> tuple[list[Token], int]:
    """Noun phrase starting at i (after an optional determiner); returns tokens and next index."""
    if i < len(tokens) and tokens[i].lemma in DETERMINERS:
        i += 1
    item: list[Token] = []
    while i < len(tokens) and len(item) < 4 and (_is_content(tokens[i]) or (item and _is_label(tokens[i]))):
        item.append(tokens[i])
        i += 1
    return item, i


def _item_left(tokens: list[Token], j: int) -> tuple[list[Token], int]:
    """Noun phrase ending at j (inclusive), read leftwards; returns tokens and the index before it."""
    item: list[Token] = []
    while j >= 0 and len(item) < 4 and (_is_content(tokens[j]) or (_is_label(tokens[j]) and j > 0 and _is_content(tokens[j - 1]))):
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
    if who:
        for i in range(len(toks) - 1):
            if toks[i].lemma == who and toks[i + 1].kind == "word" and toks[i + 1].text.islower():
                toks[i + 1] = Token(toks[i + 1].text, "and-not", "punct", index=i + 1)
    found = []
    for k, tok in enumerate(toks):
        as_well_as = tok.lemma == "as" and k >= 2 and toks[k - 1].lemma == "well" and toks[k - 2].lemma == "as"
        if tok.lemma not in ("and", "or", "&") and not as_well_as:
            continue
        right, _ = _item_right(toks, k + 1)
        if not right and k + 2 < len(toks) and toks[k + 1].kind == "word" and toks[k + 1].lemma not in DETERMINERS | _PER_UNIT | {"and", "or", "but", "than", "then", "one"}:
            right, after = _item_right(toks, k + 2)  # 'eat fruits and drink juice', 'trucks or by boat'
            if after < len(toks) and toks[after].lemma in ("and", "or"):
                right = []  # 'seats 40 guests and has both A and B': the start of another list
        j = k - 3 if as_well_as else k - 1
        if j >= 0 and toks[j].text == ",":
            j -= 1
        left, j = _item_left(toks, j)
        if not right or not left or (j >= 0 and toks[j].lemma == "per"):
            continue
        items = [left, right]
        while j >= 1 and toks[j].text == ",":
            more, j2 = _item_left(toks, j - 1)
            if not more or (j2 >= 0 and toks[j2].is_num):
                break  # 'Two different meals, a vegetarian and ...': a header, not an item
            items.insert(0, more)
            j = j2
        found.append(items)
    return found


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
        if start < len(toks) and toks[start].kind == "word" and toks[start].lemma in STOP and toks[start].lemma not in DETERMINERS | _PER_UNIT:
            start += 1  # 'or in the mining fund'
        right, _ = _item_right(toks, start)
        for cut in range(len(right), 0, -1):
            item = right[:cut]
            w = item[-1].index + 1
            if w >= len(toks) or not _links_clause(toks[w]):
                continue
            items = [item]
            p = k - 1
            nxt = k
            while p > 0:
                if toks[p].lemma == toks[w].lemma:
                    left, j = _item_left(toks, p - 1)
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


def _share_head(items: list[list[Token]], text_lemmas: str = "") -> list[list[str]]:
    """'chocolate and blueberry muffins' -> chocolate muffins, blueberry muffins.

    The head is shared when the earlier items are single singular words, or when the
    text itself later writes an earlier item with the head ('specialty delivery bag').
    """
    lem = [[t.lemma for t in it] for it in items]
    if len(lem) == 2 and len(lem[1]) >= 2 and len(lem[0]) > len(lem[1]) and lem[0][-1] == lem[1][-1]:
        lem[0] = lem[0][-len(lem[1]):]  # 'can throw red darts or blue darts': the verb is no part of the name
    last = items[-1]
    if len(last) < 2:
        return lem
    head = lem[-1][-1]
    if head in MEASURE_NOUNS or head in UNITS or any(ws[-1] == head for ws in lem[:-1]):
        return lem
    singular = all(len(it) == 1 and it[0].lemma == it[0].text.lower() for it in items[:-1])
    written = bool(text_lemmas) and all(f" {' '.join([*ws, head])} " in text_lemmas for ws in lem[:-1])
    if singular or written:
        return [[*w, head] for w in lem[:-1]] + [lem[-1]]
    return lem


def identifier(words: list[str]) -> str:
    """A readable, valid identifier from lemmas: ['ox', 'cart'] -> 'ox_cart'."""
    name = "_".join(re.sub(r"[^a-z0-9]", "", w.lower()) for w in words if re.sub(r"[^a-z0-9]", "", w.lower()))
    name = name or "x"
    if name[0].isdigit():
        name = "x_" + name
    if keyword.iskeyword(name) or name in _RESERVED:
        name += "_qty"
    return name


def _build_vars(items: list[list[Token]], sentence: int, text_lemmas: str = "") -> list[Var] | None:
    words = _share_head(items, text_lemmas)
    if any(all(w in PURE_UNITS for w in ws) for ws in words):
        return None  # 'a week', 'per kilogram': units, not decisions
    if any(len(ws) == 1 and (ws[0] in MONEY_KINDS or ws[0] in OBJECTIVE_MONEY) for ws in words):
        return None  # '... each X and a profit of $10': an amount of money, not a decision
    out: list[Var] = []
    for ws, toks in zip(words, items):
        toks = toks[len(toks) - len(ws):] if len(ws) < len(toks) else toks
        others = {w for other in words if other is not ws for w in other}
        key = {w for w in ws if w not in others and w not in UNITS and w not in MEASURE_NOUNS}
        if not key:
            key = {w for w in ws if w not in others}
        if not key:
            return None
        labels = {t.text for t in toks if _is_label(t) and t.lemma in key}
        out.append(Var(identifier(ws), ws, " ".join(t.text for t in toks), key, labels, sentence))
    names = [v.name for v in out]
    if len(set(names)) != len(names):
        return None
    return out


def find_mentions(sentence: Sentence, variables: list[Var]) -> list[Mention]:
    """Spans naming a variable, ignoring words in measured position ('3 units of vitamin')."""
    toks = sentence.tokens
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        hit = None
        for v in variables:
            if tok.kind == "word" and tok.lemma in v.aliases and i > 0 and toks[i - 1].lemma in _PER_UNIT and not (i + 1 < len(toks) and toks[i + 1].lemma == "of"):
                hit = v  # 'each loaf' after 'a loaf of bread'
                break
            if tok.kind != "word" or tok.lemma not in v.key:
                continue
            if len(tok.text) <= 2 and tok.lemma in {lab.lower() for lab in v.labels}:
                if tok.text not in v.labels:
                    continue
                if tok.text in ("A", "I") and not (i > 0 and toks[i - 1].lemma in v.words):
                    continue
            hit = v
            break
        if hit is None:
            i += 1
            continue
        start, end = i, i + 1
        while start > 0 and toks[start - 1].kind == "word" and toks[start - 1].lemma in hit.words:
            start -= 1
        while end < len(toks) and (toks[end].lemma in hit.words or (toks[end].text == "-" and end + 1 < len(toks) and toks[end + 1].lemma in hit.words)):
            end += 1
        span_words = {t.lemma for t in toks[start:end]}
        variant = end < len(toks) and len(hit.head) >= 4 and toks[end].lemma.startswith(hit.head)  # a variant spelling of the head noun
        if hit.head not in span_words and end < len(toks) and _is_content(toks[end]) and toks[end].lemma not in hit.words and toks[end].lemma not in UNITS and not variant:
            i = end  # 'a local store' is not the 'local farm': a modifier before another noun
            continue
        measured = _measured(toks, start)
        if measured and hit.head not in span_words and len(span_words & set(hit.words)) < 2:
            i = end
            continue
        out.append(Mention(hit, start, end))
        i = end
    return out


def _measured(toks: list[Token], start: int) -> bool:
    """True when the phrase at ``start`` follows 'number (unit) of', i.e. is a measured quantity."""
    j = start - 1
    if j >= 0 and toks[j].lemma == "of":
        j -= 1
        if j >= 0 and toks[j].kind == "word" and (toks[j].lemma in UNITS or toks[j].lemma in MEASURE_NOUNS):
            j -= 1
        return j >= 0 and toks[j].is_num and not toks[j].spelled
    return False


def _introduced(sentence: Sentence, variables: list[Var], who: str | None = None) -> bool:
    """True when the list follows a verb of making or buying, or a colon ('sells hats and caps', 'products: A and B')."""
    toks = sentence.tokens
    ments = find_mentions(sentence, variables)
    if not ments:
        return False
    j = ments[0].start - 1
    while j >= 0 and toks[j].lemma in DETERMINERS | {"both", "either"}:
        j -= 1
    if j >= 1 and who and toks[j - 1].lemma == who:
        return True  # 'A yard stores kayaks and canoes': the actor's verb
    return j >= 0 and (toks[j].text == ":" or (toks[j].lemma in STOP and toks[j].kind == "word" and toks[j].lemma not in _NOT_VERBS))


_NOT_VERBS = frozenset({"of", "and", "or", "the", "a", "an", "per", "each", "than", "as", "in", "on", "at", "for", "with", "to", "from", "by"})


def _context_score(
    sentences: list[Sentence], variables: list[Var], listed: int | None = None, who: str | None = None
) -> tuple[int, int] | None:
    """(min decision-position count over items, measured count); None when an item is never a decision.

    A list introduced by a verb of making or buying ('sells hats and caps') counts as one
    decision mention of each item, so a decision named only there and in a bound survives.
    """
    counts = {v.name: [0, 0] for v in variables}
    if listed is not None and _introduced(sentences[listed], variables, who):
        for c in counts.values():
            c[0] += 1
    for s in sentences:
        toks = s.tokens
        for m in find_mentions(s, variables):
            before = [t.lemma for t in toks[max(0, m.start - 4):m.start]]
            after = toks[m.end].lemma if m.end < len(toks) else ""
            if after in ("which", "that") and m.end + 1 < len(toks):
                after = toks[m.end + 1].lemma  # 'the barge which can carry 30 ...'
            if after.endswith("ing") and len(after) > 5:
                after = after[:-3]  # 'the rail fund yielding 3%', 'nurses earning $900'
            decision = bool(
                {"each", "per", "every", "one", "a", "an"} & set(before[-3:])
                or _INVEST & set(before)
                or after in SUBJECT_VERBS
                or (before[-2:] == ["number", "of"])
                or m.start == 0
                or (m.start == 1 and toks[0].lemma in DETERMINERS)
                or (before[-1:] in (["as"], ["than"]) and "many" in before + [t.lemma for t in toks[max(0, m.start - 8):m.start]])
            )
            counted = m.start > 0 and toks[m.start - 1].is_num and not toks[m.start - 1].spelled
            if counted and {"least", "most", "minimum", "maximum", "than", "to", "exactly"} & {t.lemma for t in toks[max(0, m.start - 4):m.start - 1]}:
                decision, counted = True, False  # 'at most 20 tarts' bounds a decision
            measured = counted or _measured(toks, m.start)
            counts[m.var.name][0 if decision and not measured else 1] += 1
    decision_min = min(c[0] for c in counts.values())
    if decision_min == 0:
        return None
    return decision_min - sum(c[1] for c in counts.values()), sum(c[0] for c in counts.values())


def per_unit_subjects(sentences: list[Sentence]) -> list[list[Token]]:
    """Noun phrases written as the subject of a per-unit fact: 'each X', 'a X is worth 2 points'.

    Used when the text never lists the decisions together.
    """
    found: dict[tuple[str, ...], list[Token]] = {}
    for s in sentences:
        toks = s.tokens
        for i, t in enumerate(toks):
            if t.lemma not in _PER_UNIT:
                continue
            if t.lemma in ("a", "an") and i > 0 and toks[i - 1].lemma not in (",", "and", "while", "where", "whereas", "but"):
                continue
            j = i + 1
            if j + 1 < len(toks) and toks[j].lemma in MEASURE_NOUNS and toks[j + 1].lemma == "of":
                j += 2
            item, end = _item_right(toks, j)
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
            if noun.kind != "word" or noun.lemma in STOP or not _is_label(lab):
                continue
            if i + 2 < len(toks) and toks[i + 2].kind == "word" and toks[i + 2].lemma not in STOP and lab.text in ("A", "I"):
                continue  # 'contains a lot': an article, not a label
            groups.setdefault(noun.lemma, {}).setdefault(lab.text, [noun, lab])
    best = max(groups.values(), key=len, default={})
    return list(best.values()) if len(best) >= 2 else []


def find_variables(sentences: list[Sentence]) -> list[Var] | None:
    """The best-supported list of decisions in the text, or None when there is none."""
    who = actor(sentences)
    candidates = [(s, items) for s in sentences for items in enumerations(s, who)]
    candidates += [(s, items) for s in sentences for items in parallel_lists(s, who)]
    labels = labelled(sentences)
    if labels:
        first = min(s.index for s in sentences for t in s.tokens if t.text == labels[0][-1].text and t.kind == "word")
        candidates.append((sentences[first], labels))
    found = _best(sentences, candidates)
    if found is None:
        phrase = actor_phrase(sentences)
        subjects = [x for x in per_unit_subjects(sentences) if [t.lemma for t in x] not in ([who], phrase)]  # never the actor
        if 2 <= len(subjects) <= 6:
            found = _best(sentences, [(sentences[0], subjects)])
    if found:
        _counting_aliases(sentences, found)
    return found


_NOT_ALIAS = frozenset({"number", "amount", "quantity", "total", "type", "kind", "sort", "variety", "part", "portion", "share", "percentage", "percent", "fraction", "half", "profit", "cost", "price", "revenue", "value", "production", "sale", "demand", "supply"})


def _counting_aliases(sentences: list[Sentence], variables: list[Var]) -> None:
    """'a loaf of bread': 'loaf' counts one decision, so 'each loaf' later names it.

    Only a noun used this way for exactly one decision, never a unit of measure,
    becomes an alias, and it is recognised only after 'each', 'per', 'a' ...
    """
    seen: dict[str, set[str]] = {}
    keys = {w for v in variables for w in v.words}
    for s in sentences:
        toks = s.tokens
        for m in find_mentions(s, variables):
            i = m.start
            if i >= 3 and toks[i - 1].lemma == "of" and toks[i - 3].lemma in _PER_UNIT:
                noun = toks[i - 2]
                if noun.kind == "word" and noun.lemma not in STOP | UNITS | keys | _NOT_ALIAS:
                    seen.setdefault(noun.lemma, set()).add(m.var.name)
    for word, owners in seen.items():
        if len(owners) == 1:
            next(v for v in variables if v.name in owners).aliases.add(word)


def _counted_header(s: Sentence, items: list[list[Token]]) -> bool:
    """'two types of drops, A drops and B drops': the first item is counted by the number of the others."""
    start = items[0][0].index
    return any(t.is_num and t.value == len(items) - 1 for t in s.tokens[max(0, start - 4):start])


def actor(sentences: list[Sentence]) -> str | None:
    """Head noun of the text's first noun phrase ('A boat company provides ...' -> 'company').

    The actor makes the decisions; it is never one of them.
    """
    words = actor_phrase(sentences)
    return words[-1] if words else None


def actor_phrase(sentences: list[Sentence]) -> list[str]:
    """Lemmas of the text's first noun phrase ('A boat company provides ...' -> ['boat', 'company'])."""
    if not sentences:
        return []
    toks = sentences[0].tokens
    item, _ = _item_right(toks, 0)
    for k, tok in enumerate(item[1:], start=1):
        nxt = toks[tok.index + 1] if tok.index + 1 < len(toks) else None
        if tok.text.islower() and tok.text.endswith("s") and nxt is not None and (_is_content(nxt) or nxt.lemma in DETERMINERS):
            item = item[:k]  # 'A zoo feeds seals': 'feeds' is the verb
            break
    return [t.lemma for t in item]


def _best(sentences: list[Sentence], candidates: list[tuple[Sentence, list[list[Token]]]]) -> list[Var] | None:
    best: tuple[tuple[int, int, int], list[Var]] | None = None
    seen: set[tuple[str, ...]] = set()
    who = actor(sentences)
    phrase = actor_phrase(sentences)
    text_lemmas = " " + " ".join(t.lemma for s in sentences for t in s.tokens) + " "
    for s, items in candidates:
        if any(it and [t.lemma for t in it] in ([who], phrase) for it in items):
            continue  # the actor ('A lamp store sells ...'), not 'a cheese pizza' when the actor is 'Polo Pizza'
        variables = _build_vars(items, s.index, text_lemmas)
        if len(items) >= 3 and (variables is None or _counted_header(s, items)) and (
            all(w.lemma in {t.lemma for it in items[1:] for t in it} for w in items[0]) or _counted_header(s, items)
        ):
            items = items[1:]  # 'two kinds of soil, a red soil and a black soil': a header first
            variables = _build_vars(items, s.index, text_lemmas)
        if variables is None:
            continue
        sig = tuple(v.name for v in variables)
        if sig in seen:
            continue
        seen.add(sig)
        score = _context_score(sentences, variables, s.index if s.index < len(sentences) and sentences[s.index] is s else None, who)
        if score is None:
            continue
        rank = (score[0], score[1], -s.index)
        if best is None or rank > best[0]:
            best = (rank, variables)
    return best[1] if best else None
