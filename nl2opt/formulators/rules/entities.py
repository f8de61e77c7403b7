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
from nl2opt.formulators.rules.lists import (
    DETERMINERS,
    PER_UNIT,
    SUBJECT_VERBS,
    enumerations,
    is_content,
    is_label,
    item_right,
    labelled,
    parallel_lists,
    per_unit_subjects,
)
from nl2opt.formulators.rules.sentences import Sentence, Token
from nl2opt.formulators.rules.subjects import clause_subjects

_INVEST = frozenset({"invest", "invested", "investing", "investment", "allocate", "allocated", "spend", "spent", "into"})
_MODALS = frozenset({"to", "can", "could", "will", "would", "must", "should", "may", "might", "cannot"})
MAX_CANDIDATES = 24
"""Candidate lists scored at most (word problems have about ten); each scoring reads the whole text."""
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
    tail = lem[-1][1:]
    if len(tail) >= 2 and text_lemmas and all(len(ws) == 1 and f" {ws[0]} {tail[0]} " in text_lemmas for ws in lem[:-1]):
        return [[*w, *tail] for w in lem[:-1]] + [lem[-1]]  # 'solar and wind power projects' when the text says 'solar power'
    singular = all(len(it) == 1 and it[0].lemma == it[0].text.lower() and it[0].text.isalpha() and not is_label(it[0]) for it in items[:-1])  # not a name like 'QX5'
    written = bool(text_lemmas) and all(f" {' '.join([*ws, head])} " in text_lemmas for ws in lem[:-1])
    if singular or written:
        return [[*w, head] for w in lem[:-1]] + [lem[-1]]
    return lem


_NEVER_DECISIONS = frozenset({"constraint", "condition", "requirement", "regulation", "restriction", "limitation", "consideration", "practicality", "rule", "number", "amount", "quantity", "total"})


def _verb_ing(toks: list[Token], item: list[Token]) -> bool:
    """'... and ensuring that all ...': a lone '-ing' word before its object is a verb, not a thing chosen."""
    if len(item) != 1 or not item[0].text.lower().endswith("ing") or item[0].index + 1 >= len(toks):
        return False
    return toks[item[0].index + 1].lemma in ("that", "the", "all", "a", "an", "for", "to", "whole")


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
    if any(ws[-1] in _NEVER_DECISIONS for ws in words):
        return None  # 'adhering to these constraints and ensuring that ...': the text about the problem
    out: list[Var] = []
    for ws, toks in zip(words, items):
        toks = toks[len(toks) - len(ws):] if len(ws) < len(toks) else toks
        others = {w for other in words if other is not ws for w in other}
        key = {w for w in ws if w not in others and w not in UNITS and w not in MEASURE_NOUNS}
        if not key:
            key = {w for w in ws if w not in others}
        if not key:
            return None
        labels = {t.text for t in toks if is_label(t) and t.lemma in key}
        out.append(Var(identifier(ws), ws, " ".join(t.text for t in toks), key, labels, sentence))
    names = [v.name for v in out]
    if len(set(names)) != len(names):
        return None
    return out


def find_mentions(sentence: Sentence, variables: list[Var], *, measured_too: bool = False) -> list[Mention]:
    """Spans naming a variable, ignoring words in measured position ('3 units of vitamin') unless ``measured_too``."""
    toks = sentence.tokens
    out: list[Mention] = []
    index = _lemma_index(variables)
    i = 0
    while i < len(toks):
        tok = toks[i]
        hit = None
        for v in _candidates(index, variables, tok):
            if tok.kind == "word" and tok.lemma in v.aliases and i > 0 and toks[i - 1].lemma in PER_UNIT and not (i + 1 < len(toks) and toks[i + 1].lemma == "of"):
                hit = v  # 'each loaf' after 'a loaf of bread'
                break
            if tok.kind != "word" or (tok.lemma not in v.key and not (tok.lemma.endswith("o") and tok.lemma + "e" in v.key)):
                continue  # 'avocados' names the 'avocadoes' (lemma 'avocadoe')
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
        variant = end < len(toks) and len(hit.head) >= 4 and (toks[end].lemma.startswith(hit.head) or _same_stem(toks[end].lemma, hit.head))  # a variant of the head noun
        if hit.head not in span_words and end < len(toks) and is_content(toks[end]) and toks[end].lemma not in hit.words and toks[end].lemma not in UNITS and not variant:
            if measured_too and toks[end].lemma in _MODALS | {"be"}:
                out.append(Mention(hit, start, end))  # '... minus that from wind energy cannot exceed 500': the sum's last term
                i = end
                continue
            if measured_too and counted_units(toks, start) and toks[end].lemma not in {w for v in variables for w in v.words}:
                out.append(Mention(hit, start, end + 1))  # 'from two units of solar power': the solar project's output
                i = end + 1
                continue
            i = end  # 'a local store' is not the 'local farm': a modifier before another noun
            continue
        if end - start == 1 and tok.lemma != hit.head and start > 0 and toks[start - 1].lemma in _MODALS:
            i = end  # 'can answer at most 8 tests': a verb, not the 'short answer' tests
            continue
        measured = _measured(toks, start)
        if measured and not measured_too and hit.head not in span_words and len(span_words & set(hit.words)) < 2:
            i = end
            continue
        out.append(Mention(hit, start, end))
        i = end
    return out


def _same_stem(word: str, head: str) -> bool:
    """'procured' for 'procurement', 'deployed' for 'deployment': one stem of six letters or more."""
    k = 0
    while k < min(len(word), len(head)) and word[k] == head[k]:
        k += 1
    return k >= 6 and word[k:] in ("ed", "d", "ing", "e", "s", "") and head[k:] in ("ment", "ement", "ion", "ation", "ing", "e", "")


def _lemma_index(variables: list[Var]) -> dict[str, list[int]]:
    """Lemma -> positions of the variables it may name (key word or alias), so a token costs O(1)."""
    index: dict[str, list[int]] = {}
    for k, v in enumerate(variables):
        for w in v.key | v.aliases:
            index.setdefault(w, []).append(k)
    return index


def _candidates(index: dict[str, list[int]], variables: list[Var], tok: Token) -> list[Var]:
    """The variables a token may name, in the variables' order ('avocados' may name 'avocadoes')."""
    if tok.kind != "word":
        return []
    ks = index.get(tok.lemma, [])
    if tok.lemma.endswith("o") and tok.lemma + "e" in index:
        ks = sorted(set(ks) | set(index[tok.lemma + "e"]))
    return [variables[k] for k in ks]


def counted_units(toks: list[Token], start: int) -> bool:
    """'two units of' (a count, a unit word and 'of') right before ``start``."""
    return start >= 3 and toks[start - 1].lemma == "of" and toks[start - 2].lemma in ("unit", "share", "portion") and toks[start - 3].is_num


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
    if j >= 1 and toks[j].lemma in ("in", "into", "between", "among", "across") and toks[j - 1].lemma in _INVEST | {"invests", "allocates"}:
        return True  # 'a fund invests in oil and tech'
    if j >= 1 and who and toks[j - 1].lemma == who:
        return True  # 'A yard stores kayaks and canoes': the actor's verb
    if j >= 1 and toks[j].text == "," and any(t.is_num and t.value == len(variables) for t in toks[max(0, j - 6):j]):
        return True  # 'two kinds of lamps, P and Q': a counted header, then the list
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
    elsewhere = False
    if listed is not None and _introduced(sentences[listed], variables, who):
        for c in counts.values():
            c[0] += 1
    for s in sentences:
        toks = s.tokens
        ments = find_mentions(s, variables)
        listed_here = _listed_together(toks, ments, len(variables))
        for k, m in enumerate(ments):
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
                or any(t.label for t in toks[m.start:m.end])  # 'running oven 2': a numbered name is a decision
                or (m.start == 1 and toks[0].lemma in DETERMINERS)
                or (before[-1:] in ([","], ["and"]) and m.end < len(toks) and toks[m.end].is_num and not toks[m.end].percent)  # 'wheat earns $180, corn $260'
                or (before[-1:] in (["as"], ["than"]) and "many" in before + [t.lemma for t in toks[max(0, m.start - 8):m.start]])
            )
            counted = m.start > 0 and toks[m.start - 1].is_num and not toks[m.start - 1].spelled
            if counted and {"least", "most", "minimum", "maximum", "than", "to", "exactly"} & {t.lemma for t in toks[max(0, m.start - 4):m.start - 1]}:
                decision, counted = True, False  # 'at most 20 tarts' bounds a decision
            measured = counted or _measured(toks, m.start)
            if s.index != listed:
                elsewhere = True
            if k in listed_here:
                continue  # 'among doctors, nurses and technicians': naming the whole list again is no measured use
            counts[m.var.name][0 if decision and not measured else 1] += 1
    decision_min = min(c[0] for c in counts.values())
    if decision_min == 0 or (listed is not None and len(sentences) > 2 and not elsewhere):
        return None  # 'Given these conditions and aiming for ...': a list no other sentence speaks of
    return decision_min - sum(c[1] for c in counts.values()), sum(c[0] for c in counts.values())


_LIST_JOINS = frozenset({",", "and", "or"})


def _listed_together(toks: list[Token], ments: list[Mention], count: int) -> set[int]:
    """Positions in ``ments`` of mentions written as one plain list of every decision ('A, B and C')."""
    runs: list[list[int]] = []
    for k, m in enumerate(ments):
        joined = k > 0 and all(t.text in _LIST_JOINS for t in toks[ments[k - 1].end:m.start]) and m.start > ments[k - 1].end
        if joined:
            runs[-1].append(k)
        else:
            runs.append([k])
    out: set[int] = set()
    for run in runs:
        if len(run) >= 2 and len({ments[k].var.name for k in run}) == len(run) == count:
            out.update(run)
    return out


def find_variables(sentences: list[Sentence]) -> list[Var] | None:
    """The best-supported list of decisions in the text, or None when there is none."""
    who = actor(sentences)
    candidates = [(s, items) for s in sentences for items in enumerations(s, who)]
    candidates += [(s, items) for s in sentences for items in parallel_lists(s, who)]
    labels = labelled(sentences)
    if labels:
        first = min(s.index for s in sentences for t in s.tokens if t.text == labels[0][-1].text and t.kind == "word")
        candidates.append((sentences[first], labels))
    found = _best(sentences, candidates[:MAX_CANDIDATES])
    if found is None:
        phrase = actor_phrase(sentences)
        subjects = [x for x in per_unit_subjects(sentences) if [t.lemma for t in x] not in ([who], phrase)]  # never the actor
        if 2 <= len(subjects) <= 6:
            found = _best(sentences, [(sentences[0], subjects)])
    if found is None:
        # a copy of the first subject's sentence: the list was never written in one sentence, so none is scored as its list
        found = _best(sentences, [(Sentence(sentences[k].text, sentences[k].tokens, k), items) for k, items in clause_subjects(sentences)], keep_actor=True)
    if found and len(found) < _symbol_run(sentences):
        return None  # 'three crops: X, Y and Z' but only two decisions found: the list read is not the decisions
    if found:
        _counting_aliases(sentences, found)
    return found


_SYMBOL_NAME = re.compile(r"[A-Z]|[A-Za-z]\d{1,2}")


def _symbol_run(sentences: list[Sentence]) -> int:
    """The length of the longest list of symbol names in the text ('X, Y, and Z', 'x1, x2, x3 and x4')."""
    return max((len(run) for run in _symbol_runs(sentences)), default=0)


def symbol_names(sentences: list[Sentence]) -> set[str]:
    """The names in the text's lists of symbols ('X, Y, and Z' -> X, Y, Z)."""
    return {name for run in _symbol_runs(sentences) for name in run}


def _symbol_runs(sentences: list[Sentence]) -> list[list[str]]:
    out: list[list[str]] = []
    for s in sentences:
        run: list[str] = []
        expect_name = True
        for t in [*s.tokens, None]:
            name = t is not None and t.kind == "word" and bool(_SYMBOL_NAME.fullmatch(t.text)) and t.text not in ("A", "I")
            if expect_name and name:
                run.append(t.text)
                expect_name = False
            elif t is not None and not expect_name and (t.text == "," or t.lemma in ("and", "or")):
                expect_name = True
            elif t is not None and expect_name and t.lemma in ("and", "or") and run:
                continue  # ', and Z'
            else:
                if len(run) >= 2:
                    out.append(run)
                run, expect_name = ([t.text], False) if name else ([], True)
    return out


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
            if i >= 3 and toks[i - 1].lemma == "of" and toks[i - 3].lemma in PER_UNIT:
                noun = toks[i - 2]
                if noun.kind == "word" and noun.lemma not in STOP | UNITS | keys | _NOT_ALIAS:
                    seen.setdefault(noun.lemma, set()).add(m.var.name)
    for word, owners in seen.items():
        if len(owners) == 1:
            next(v for v in variables if v.name in owners).aliases.add(word)


def _counted_header(s: Sentence, items: list[list[Token]]) -> bool:
    """'two types of drops, A drops and B drops': the first item is counted by the number of the others."""
    start = items[0][0].index
    return any(t.is_num and t.value == len(items) - 1 and (t.spelled or start - t.index <= 4) for t in s.tokens[max(0, start - 6):start])  # 'two kinds of the same boat, A and B'


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
    item, _ = item_right(toks, 0)
    for k, tok in enumerate(item[1:], start=1):
        nxt = toks[tok.index + 1] if tok.index + 1 < len(toks) else None
        if tok.text.islower() and tok.text.endswith("s") and nxt is not None and (is_content(nxt) or nxt.lemma in DETERMINERS):
            item = item[:k]  # 'A zoo feeds seals': 'feeds' is the verb
            break
    return [t.lemma for t in item]


def _best(sentences: list[Sentence], candidates: list[tuple[Sentence, list[list[Token]]]], *, keep_actor: bool = False) -> list[Var] | None:
    """The best-scored candidate list; ``keep_actor`` when the text's first noun phrase may be a decision."""
    best: tuple[tuple[int, int, int], list[Var]] | None = None
    valid: list[list[Var]] = []
    seen: set[tuple[str, ...]] = set()
    who = actor(sentences)
    phrase = actor_phrase(sentences)
    text_lemmas = " " + " ".join(t.lemma for s in sentences for t in s.tokens) + " "
    for s, items in candidates:
        if not keep_actor and any(it and [t.lemma for t in it] in ([who], phrase) for it in items):
            continue  # the actor ('A lamp store sells ...'), not 'a cheese pizza' when the actor is 'Polo Pizza'
        if any(_verb_ing(s.tokens, it) for it in items):
            continue
        variables = _build_vars(items, s.index, text_lemmas)
        if len(items) >= 3 and (variables is None or _counted_header(s, items)) and (
            all(w.lemma in {t.lemma for it in items[1:] for t in it} for w in items[0]) or _counted_header(s, items)
        ):
            header, items = items[0], items[1:]  # 'two kinds of soil, a red soil and a black soil': a header first
            if all(len(it) == 1 and is_label(it[0]) for it in items):
                items = [[header[-1], *it] for it in items]  # 'two busy lines, P and Q': line P and line Q
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
        valid.append(variables)
        if best is None or rank > best[0]:
            best = (rank, variables)
    if best is None:
        return None
    chosen = {v.name for v in best[1]}
    wider = [vs for vs in valid if chosen < {v.name for v in vs} and vs[0].sentence <= best[1][0].sentence]
    if wider:
        return max(wider, key=len)  # 'A and B cannot exceed 100' names two of the four channels listed earlier
    return best[1]
