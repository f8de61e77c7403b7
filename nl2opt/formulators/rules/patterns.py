"""Sentence rules: what each clause says about the decisions.

A sentence is cut into clauses (at 'while', 'but', ';', 'and each' ...). Each
clause is then read by the first rule that fits, judged by three things it
contains: mentions of decisions, numbers, and direction cues.

- objective: 'maximize profit', 'what is the minimum cost' -> Goal
- relation: two decisions and a multiplier or comparison ('at least twice as many
  A as B', 'A must not exceed B', 'at most 40% of all ... A') -> Relation
- bound: a decision, a number and a cue ('at most 100 doors') -> Bound
- coefficient: a decision and numbers without a cue ('each shelf takes 15 minutes
  of machine time') -> Coef
- limit: numbers and a cue or a capacity/requirement word, no decision ('the
  machine is available for 3000 minutes') -> Limit

Every number must be used by some rule; a clause whose numbers no rule uses is
reported as a Problem, and the formulator declines rather than guesses.
"""

from __future__ import annotations

import itertools

from nl2opt.formulators.rules.amounts import (
    NOT_ATTRIBUTE,
    PHRASE_STOPS,
    TOTAL_WORDS,
    list_tail,
    measured_amount,
    money_kind,
    per_time,
    stem,
    words_after,
)
from nl2opt.formulators.rules.bounds import bounds
from nl2opt.formulators.rules.cues import Cue, cue_before, find_cues
from nl2opt.formulators.rules.elision import (
    before_colon,
    ends_item,
    lead_attribute,
    parallel_words,
    shared_fact,
)
from nl2opt.formulators.rules.entities import (
    SUBJECT_VERBS,
    Mention,
    Var,
    counted_units,
    find_mentions,
    symbol_names,
)
from nl2opt.formulators.rules.facts import Analysis, Bound, Coef, Goal, Limit, Problem, Relation
from nl2opt.formulators.rules.idioms import idiom_goal
from nl2opt.formulators.rules.lexicon import (
    CAPACITY_WORDS,
    MAXIMIZE,
    MINIMIZE,
    OBJECTIVE_MONEY,
    PEOPLE,
    PURE_UNITS,
    REQUIREMENT_WORDS,
    STAFF,
    STOP,
    UNITS,
)
from nl2opt.formulators.rules.proportions import for_each, ratio
from nl2opt.formulators.rules.relations import (
    difference,
    exceed_by,
    per_ratio,
    relation,
    several_combined,
    share_range,
)
from nl2opt.formulators.rules.sentences import Sentence, Token
from nl2opt.formulators.rules.sums import clause_sums, explicit_sum, negative

_CLAUSE_BREAKS = frozenset({"while", "whereas", "however", "although", "though"})
_CLAUSE_OPENERS = frozenset({"each", "every", "neither", "a", "an", "the", "one", "per", "it", "if", "there", "they", "he", "she", "we", "i", "this", "its", "their", "his", "her", "that"})
_ARITHMETIC = frozenset({"negative", "plus", "minus", "difference", "excess", "sum", "subtract", "subtracted", "added", "deficit", "surplus"})
_CUE_OPENERS = frozenset({"at", "no", "not", "up", "less", "more", "fewer", "only"})
_QUESTION = frozenset({"how", "what", "which", "find", "determine", "formulate", "calculate", "compute", "help", "in"})
_OWN_CUES = {"available": "<=", "budget": "<=", "afford": "<=", "spend": "<=", "have": "<=", "capacity": "<=", "need": ">=", "require": ">=", "demand": ">="}
_POSSESSIVES = frozenset({"their", "his", "her", "its", "our", "my"})
_ORDINALS = frozenset({"third", "fourth", "fifth", "sixth", "tenth"})
_EVERY_WORDS = frozenset({"both", "each", "every"})
_LIMIT_NOUNS = frozenset({"maximum", "minimum", "limit", "bound"})
_MOST = frozenset({"most", "largest", "highest", "greatest", "biggest", "best"})
_LEAST = frozenset({"least", "lowest", "smallest", "cheapest", "fewest"})
_DANGLING = frozenset({"cannot", "must", "should", "can", "will", "shall", "may", "need", "be", "is", "are"})
_CONSUMES = frozenset({"use", "need", "take", "require", "consume", "weigh", "contain", "occupy"})
_WHOLE_WORDS = frozenset({"integer", "whole", "fractional", "indivisible", "integral"})
_VAR_COUNT_NOUNS = frozenset({"restriction", "constraint", "condition", "requirement", "rule", "goal", "objective", "type", "kind", "different", "product", "option", "variety", "way", "method", "model", "sort", "category", "brand", "version", "style", "size"})


MAX_SENTENCE_TOKENS = 250
"""Word-problem sentences run to about 90 tokens; the clause rules are quadratic in one sentence,
so a bound on its length keeps reading linear in the text."""


def analyze(sents: list[Sentence], variables: list[Var], class_words: set[str] = frozenset()) -> Analysis:
    """Read every sentence; collect facts and the sentences that were not understood.

    ``class_words`` name the decisions as a group ('sandwiches', 'tickets').
    """
    out = Analysis()
    symbols = symbol_names(sents)
    for s in sents:
        loose = []
        if symbols and any(t.text in symbols for t in s.tokens):
            near = {k for m in find_mentions(s, variables) for k in range(m.start - 3, m.end + 3)}  # 'tours (X)', 'X represents tours'
            loose = [t.text for t in s.tokens if t.text in symbols and t.index not in near]
        if loose and s.numbers:
            out.problems.append(Problem(s.index, f"the symbol {loose[0]} names no decision the rules found in this sentence"))
            continue
        if len(s.tokens) > MAX_SENTENCE_TOKENS:
            out.problems.append(Problem(s.index, f"a sentence of {len(s.tokens)} words and signs is too long to read reliably"))
            continue
        _sentence(s, variables, out, set(class_words))
    return out


def _sentence(s: Sentence, variables: list[Var], out: Analysis, class_words: set[str]) -> None:
    toks = s.tokens
    if _spans_periods(toks, 0, len(toks)):
        return  # 'at least 600 units a day for a week': a rate over a span; its numbers left unread, it declines
    mentions = find_mentions(s, variables)
    cues = scalar_cues(toks)
    used: set[int] = {t.index for t in toks if t.is_num and _benign(toks, t, variables, s)}
    skip = _goal(s, out)
    state: dict = {"op": None, "money": None, "bound_var": None, "names": [v.name for v in variables]}
    for m in mentions:
        k = m.end
        if k + 1 < len(toks) and toks[k].lemma in ("and", "or") and toks[k + 1].lemma in _DANGLING:
            out.problems.append(Problem(s.index, f"a list that ends after '{toks[k].text}' with no item ('{' '.join(t.text for t in toks[m.start:k + 2])}')"))
            return
        if k + 4 < len(toks) and toks[k].text == "(" and toks[k + 1].is_num and toks[k + 1].value == 0 and toks[k + 2].lemma in ("-", "to") and toks[k + 3].is_num and not toks[k + 3].percent and toks[k + 3].index not in used:
            out.bounds.append(Bound(m.var.name, "<=", toks[k + 3].value, s.index))  # 'Labour (0 - 1500 units)': its range
            used.update({k + 1, k + 3})
            if all(t.index in used for t in s.numbers):
                return  # the sentence only states ranges
    counted = find_mentions(s, variables, measured_too=True)
    found = explicit_sum(s, counted, cues, used) if not skip else None
    if found is not None:
        out.relations.append(found[0])
        return
    pieces = clause_sums(s, counted, cues, used) if not skip else None
    if pieces:
        out.relations.extend(pieces)
        return
    signed = [t for t in s.numbers if negative(toks, t) and t.index not in used]
    if signed:
        out.problems.append(Problem(s.index, "a negative amount (" + ", ".join("-" + t.text for t in signed) + ") outside a sum the rules read"))
        return
    if cues and len({m.var.name for m in counted if counted_units(toks, m.start)}) >= 2:
        # 'three units of A and two units of B ... over 5 days': a weighted sum with more in it than the sum
        out.problems.append(Problem(s.index, "a weighted sum of the decisions with words or numbers the rules do not read"))
        return
    for lo, hi in _clauses(toks, mentions, cues):
        if skip and lo >= skip[0] and hi <= skip[1]:
            continue
        span = range(lo, hi)
        c_ments = [m for m in mentions if m.start in span and not (skip and skip[0] <= m.start < skip[1])]  # not 'how many A and B' of the question
        c_cues = [c for c in cues if c.start in span]
        c_nums = [t for t in toks[lo:hi] if t.is_num and t.index not in used and not (skip and skip[0] <= t.index < skip[1])]
        first = lo + (toks[lo].lemma in ("and", "but", "while", "whereas")) if lo < hi else lo
        if not c_ments and first < hi and toks[first].lemma == "it" and state.get("subject") and not c_cues:
            # 'The X earns $5 and it needs 3 hours': 'it' is the previous clause's decision (never in a
            # comparison: '... on laptops, and it needs at least 60 devices' is the buyer)
            c_ments = [Mention(next(v for v in variables if v.name == state["subject"]), first, first + 1)]
        names = {m.var.name for m in c_ments}
        state["subject"] = names.pop() if len(names) == 1 else None
        _clause(s, lo, hi, c_ments, c_cues, c_nums, variables, out, used, state, class_words)
    _hourly_pay(s, variables, out, used)
    left = [t for t in s.numbers if t.index not in used and not (skip and skip[0] <= t.index < skip[1])]
    if left:
        out.problems.append(Problem(s.index, "no rule used the number(s) " + ", ".join(t.text for t in left)))


def scalar_cues(toks: list[Token]) -> list[Cue]:
    """The direction cues of a sentence as the scalar rules read them.

    On top of :func:`cues.find_cues` (shared with the symbolic reader, so left as it is):
    'exactly equal to' is one cue, 'the maximum number of A that can be placed is 15' reaches
    its amount further away, and 'from 0 to 100' caps the amount.
    """
    found = find_cues(toks)
    merged: list[Cue] = []
    for c in found:
        if merged and merged[-1].words == ("exactly",) and merged[-1].end == c.start and c.op == "==":
            merged[-1] = Cue("==", merged[-1].start, c.end, ("exactly", *c.words))  # 'should exactly equal to 20'
        else:
            merged.append(c)
    taken = {k for c in merged for k in range(c.start, c.end)}
    for i in range(len(toks) - 2):
        if i not in taken and toks[i].lemma in ("maximum", "minimum") and toks[i + 1].lemma in ("number", "amount", "quantity"):
            tail = toks[i + 1:i + 13]
            stop = next((k for k, t in enumerate(tail) if t.text in (",", ";")), len(tail))
            if any(t.is_num for t in tail[:stop]):
                merged.append(Cue("<=" if toks[i].lemma == "maximum" else ">=", i, i + 1, (toks[i].lemma,)))
    return sorted(merged + _range_cues(toks), key=lambda c: c.start)


def _range_cues(toks: list[Token]) -> list[Cue]:
    """'from 0 to 100 units', 'between 0 and 30', '(0 - 2000 units)': a range from nothing is a cap."""
    out = []
    for i in range(2, len(toks) - 1):
        if toks[i].lemma in ("to", "-", "and") and toks[i - 1].is_num and toks[i - 1].value == 0 and toks[i - 2].lemma in ("from", "(", "between") and toks[i + 1].is_num:
            out.append(Cue("<=", i, i + 1, ("from", "0", "to")))
    return out


def _benign(toks: list[Token], t: Token, variables: list[Var], s: Sentence) -> bool:
    """Numbers that are not model data: 'one' as an article, 'two types of', years."""
    nxt = toks[t.index + 1].lemma if t.index + 1 < len(toks) else ""
    keys = {w for v in variables for w in v.key}
    if t.spelled and t.index > 0 and (toks[t.index - 1].lemma in keys or (toks[t.index - 1].lemma in _CONSUMES and any(x.lemma in keys | {"each", "every"} for x in toks[max(0, t.index - 6):t.index - 1]))):
        return False  # 'a card uses two sheets', 'a bookmark one sheet': a decision's per-unit amount, whatever its value
    if t.spelled and t.value == 1 and not t.factor:
        return not any(c.end == t.index for c in scalar_cues(toks))  # 'at least one doctor for every four medics' is data
    denied = {x.text.lower() for x in toks[max(0, t.index - 5):t.index]} & {"impossible", "cannot", "can't", "not", "no", "never"}
    if t.factor and t.text.lower() == "half" and denied and {x.lemma for x in toks} & _WHOLE_WORDS and nxt in ("a", "an", "or"):
        return True  # 'it is impossible to have half a worker': why amounts are whole, not an amount
    if t.value == 0 and not t.spelled and t.index > 0 and toks[t.index - 1].lemma in ("from", "(", "between") and nxt in ("to", "-", "and"):
        return True  # 'from 0 to 100 units': no lower bound beyond the decisions' own
    if nxt in ("restriction", "constraint", "condition", "rule") and not t.money:
        return True
    var_words = {w for v in variables for w in v.words}
    if t.factor and t.text.lower().split()[-1] in _ORDINALS and nxt and toks[t.index + 1].kind == "word" and nxt not in STOP and nxt not in ("time", "times"):
        return True  # 'a third workshop', 'a third party': an ordinal, not a fraction
    if t.money or t.percent or t.factor:
        return False
    prev = {x.lemma for x in toks[max(0, t.index - 3):t.index]}
    if prev & {"least", "most", "than", "minimum", "maximum", "exactly", "only"} or [x.lemma for x in toks[max(0, t.index - 2):t.index]] == ["up", "to"]:
        return False  # a bound ('up to two'), not 'stock up two kinds of goods'
    if nxt in var_words and any(x.is_num and x.index != t.index and x.index + 1 < len(toks) and toks[x.index + 1].lemma in var_words for x in toks):
        return False  # 'from two nurses or one doctor': a count of each decision, not the number of kinds
    if t.value == len(variables) and (nxt in _VAR_COUNT_NOUNS or nxt in var_words or (t.spelled and _is_plural_noun(toks, t.index + 1))):
        return True
    if t.value == len(variables) and t.spelled and nxt not in PURE_UNITS and nxt not in ("time", "times"):
        return True  # 'Sam owns two rice mills'
    if t.spelled and any(x.text in ("(", ":", "-") for x in toks[t.index + 1:t.index + 10]):
        return True  # 'the three macronutrients (proteins, carbs, and fat)'
    before = toks[t.index - 1].lemma if t.index > 0 else ""
    if before in ("these", "those") and t.spelled:
        return True  # 'between these two projects': pointing back, not an amount
    k = t.index + 1 + (nxt == "-")
    if before in ("a", "an") and k + 1 < len(toks) and toks[k].lemma in ("day", "week", "month", "year") and toks[k + 1].kind == "word" and toks[k + 1].lemma not in PHRASE_STOPS | {"of", "in", "for", "at", "on"}:
        return True  # 'a 6-month plan': how long, not how much
    # a year: 'in 2023,' (never '2000 grams')
    return bool(
        not t.spelled and t.value is not None and t.value.is_integer() and 1900 <= t.value <= 2100
        and before in ("in", "year", "since", "of") and (not nxt or not nxt[0].isalpha())
    )


def _is_plural_noun(toks: list[Token], i: int) -> bool:
    """'four industries': a plural content word right after a count, ending its phrase."""
    if i >= len(toks) or toks[i].kind != "word" or toks[i].lemma in STOP or toks[i].lemma == toks[i].text.lower():
        return False
    if toks[i].lemma in PURE_UNITS or (i >= 2 and toks[i - 2].lemma in ("least", "most", "than", "of")):
        return False
    return i + 1 >= len(toks) or (toks[i + 1].lemma not in ("of",) and not toks[i + 1].is_num)


def _superlative(toks: list[Token], i: int) -> tuple[str | None, str | None]:
    """'what is the most profit', 'the lowest daily cost', 'the cheapest way': a question's superlative is its goal.

    Only after 'the' (never 'at least 5'), only in a question, and only on money whose direction agrees
    with the word ('the most profit', never 'the most cost'), so that a stray superlative cannot set a goal.
    Returns the sense and the money word the goal totals.
    """
    lem = toks[i].lemma
    if lem not in _MOST | _LEAST or i == 0 or toks[i - 1].lemma != "the":
        return None, None
    if toks[-1].text != "?" and toks[0].lemma not in ("what", "how", "find", "determine"):
        return None, None
    if lem == "cheapest":
        return "minimize", "cost"
    after = itertools.takewhile(lambda x: x.kind == "word", toks[i + 1:i + 5])
    money = next((x.lemma for x in after if x.lemma in OBJECTIVE_MONEY), None)
    if money is None:
        return None, None
    spent = OBJECTIVE_MONEY[money] == ("cost",)
    if lem == "best":
        return ("minimize" if spent else "maximize"), money
    if (lem in _LEAST) != spent:
        return None, None
    return ("minimize" if spent else "maximize"), money


def _goal(s: Sentence, out: Analysis) -> tuple[int, int] | None:
    """Find 'maximize X' / 'what is the minimum X'; return the token range it occupies."""
    toks = s.tokens
    for i, t in enumerate(toks):
        lem = t.lemma.rstrip("d") if t.lemma.endswith(("ized", "ised")) else t.lemma
        sense = "maximize" if lem in MAXIMIZE or lem in ("maximize", "maximise") else "minimize" if lem in MINIMIZE or lem in ("minimize", "minimise") else None
        money = None
        if sense is None:
            sense, money = _superlative(toks, i)
        if sense is None:
            continue
        if lem in ("maximum", "minimum") and any(x.is_num for x in toks[i + 1:i + 4]):
            continue
        if lem in ("maximum", "minimum", "minimal", "maximal") and any(c.start > i for c in find_cues(toks)) and any(x.is_num for x in toks[i + 1:]):
            continue  # 'to reach a minimum output, 4 A plus B must be at least 80': a requirement, not the goal
        if lem in ("maximum", "minimum") and i + 1 < len(toks) and toks[i + 1].lemma in ("number", "amount", "quantity") and any(c.start == i for c in scalar_cues(toks)):
            continue  # 'the maximum number of A that can be placed is 8': a bound, not the goal
        if lem in ("maximum", "minimum", "minimal", "maximal") and i > 0 and toks[i - 1].lemma in ("a", "an") and any(c.end <= i and c.op != "==" and any(x.is_num for x in toks[c.end:c.end + 3]) for c in find_cues(toks[:i])):
            continue  # 'must be at least 10 hours, reflecting a minimum service level': the reason for a requirement
        end = i + 1
        words: list[str] = []
        while end < len(toks) and toks[end].text not in (",", ".", "?", ";", "!") and toks[end].lemma not in ("while", "subject", "if", "given", "such", "so", "by", "whilst", "and", "but"):
            if toks[end].is_num:
                break
            if toks[end].kind == "word" and (toks[end].lemma not in STOP or toks[end].lemma in OBJECTIVE_MONEY):
                words.append(toks[end].lemma if toks[end].lemma in OBJECTIVE_MONEY else stem(toks[end].lemma))
            end += 1
        start = i
        j = i - 1
        while j >= 0 and toks[j].text not in (",", ";") and not toks[j].is_num:
            if toks[j].lemma in _QUESTION:
                start = j
            j -= 1
        if money is not None:
            words = [money]  # 'the cheapest way to meet the needs': the goal is the cost, not the needs
        if not words:
            words = [x.lemma for x in toks[max(0, j + 1):i] if x.kind == "word" and x.lemma not in STOP]
        count_of = None
        lem_after = [x.lemma for x in toks[i + 1:end]]
        if "number" in lem_after:
            k = lem_after.index("number")
            rest = [w for w in lem_after[k + 1:] if w not in STOP]
            count_of = rest[0] if rest else None
        out.goals.append(Goal(sense, frozenset(words), s.index, count_of))
        return start, end
    idiom = idiom_goal(toks)
    if idiom is not None:
        out.goals.append(Goal(idiom[0], frozenset(idiom[1]), s.index))  # 'as cheaply as possible', 'earn the most'
        return idiom[2], idiom[3]
    return None


def _clauses(toks: list[Token], mentions: list[Mention], cues: list[Cue] = ()) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence."""
    starts = {m.start for m in mentions}
    cuts = [0]
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.lemma == "and" and i > 0 and toks[i - 1].text == "," and (i + 1) in starts and any(cuts[-1] <= c.start < i for c in cues) and any(c.start > i for c in cues):
            cuts.append(i)  # 'at least as many A as B, and C can be at most 40% ...': two comparisons, two clauses
            continue
        if t.lemma == "and" and i > 1 and toks[i - 1].text == "," and toks[i - 2].is_num and nxt is not None and nxt.is_num and _stated_available(toks, i + 1):
            cuts.append(i)  # 'A needs 2 megalitres, B 1.5 and C 3, and 550 megalitres are available': the stock is a clause of its own
            continue
        if t.text == "," and nxt is not None and nxt.lemma == "with" and any(x.is_num for x in toks[cuts[-1]:i]) and any(x.lemma == "respectively" for x in toks[i:]):
            cuts.append(i)  # 'invest up to $1,000,000 in A and B, with returns of 3% and 6%': the rates are a clause of their own
            continue
        if t.lemma == "however" and i > 0 and toks[i - 1].kind == "word":
            continue  # 'the gel however needs 4 grams': a parenthetical, not a new clause
        if t.lemma == "and" and nxt is not None and nxt.lemma in ("a", "an", "the") and (i + 2) in starts and _ends_list(toks, mentions, i):
            continue  # 'in a coffee company, a tea company, and a juice company': the list's last item
        if t.text == ";" or t.lemma in _CLAUSE_BREAKS or (t.lemma == "but" and (not (nxt and nxt.lemma in ("at", "no", "not", "less", "more", "up", "only", "fewer")) or (i > 0 and toks[i - 1].text == "," and _number_since_mention(toks, mentions, i) and any(m.start > i for m in mentions)))) or (t.lemma == "and" and nxt is not None and (nxt.lemma in _CLAUSE_OPENERS or nxt.lemma in _CUE_OPENERS)) or (t.text == "," and nxt is not None and nxt.lemma in ("the", "each", "every") and any(x.is_num for x in toks[:i])) or (t.lemma == "and" and (i + 1) in starts and _number_since_mention(toks, mentions, i)) or _next_subject(toks, starts, mentions, i) or (t.text == ":" and (i + 1) in starts and any(x.is_num for x in toks[:i])) or (t.text == "," and any(c.start == i + 1 and c.op == "<=" for c in cues) and _number_since_mention(toks, mentions, i) and any(m.end <= i for m in mentions)):
            cuts.append(i)
    cuts.append(len(toks))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _next_subject(toks: list[Token], starts: set[int], mentions: list[Mention], i: int) -> bool:
    """'... earns $11, a coat $14 and 3 hours': a comma before the next decision, after an amount, opens its clause."""
    if toks[i].text != "," or i + 1 >= len(toks):
        return False
    at = i + 1 + (toks[i + 1].lemma in ("a", "an", "the", "each", "every"))
    return at in starts and _number_since_mention(toks, mentions, i) and any(m.end <= i for m in mentions)


def _ends_list(toks: list[Token], mentions: list[Mention], i: int) -> bool:
    """True when 'and' at ``i`` follows a decision ('A, and' / 'A and') with no number since it."""
    prev = i - 1 if i > 0 and toks[i - 1].text == "," else i
    return any(m.end == prev for m in mentions) and not _number_since_mention(toks, mentions, i)


def _number_since_mention(toks: list[Token], mentions: list[Mention], i: int) -> bool:
    """True when a number lies between the last mention before ``i`` and ``i`` ('A needs 2 h and B ...')."""
    before = [m for m in mentions if m.end <= i]
    lo = before[-1].end if before else 0
    return any(t.is_num for t in toks[lo:i])


def _per_unit(toks: list[Token], m: Mention, lo: int) -> bool:
    """A mention in decision position: 'each X', 'per X', 'a cup of X', 'X requires', clause subject."""
    before = [t.lemma for t in toks[max(lo, m.start - 4):m.start]]
    if {"each", "per", "every", "one", "a", "an"} & set(before[-3:]) or m.start - lo <= 1:
        return True
    k = m.start - (m.start > lo and toks[m.start - 1].lemma in ("the", "a", "an"))  # 'allocated to the library'
    lead = [t.lemma for t in toks[max(lo, k - 2):k]]
    if len(lead) == 2 and lead[-1] == "to" and (lead[-2] in ("allocated", "assigned", "devoted", "dedicated", "given", "directed") or (lead[-2] == "unit" and k >= 3 and toks[k - 3].is_num)):
        return True  # 'at least 50 units must be allocated to A': the amount A receives
    if m.end < len(toks) and (toks[m.end].lemma in SUBJECT_VERBS or stem(toks[m.end].lemma) in SUBJECT_VERBS):
        return True  # 'X requires ...', 'X earning ...'
    return bool({"respectively", "invested", "invest", "for", "on", "in", "at", "from"} & set(before[-2:]))


def _clause(
    s: Sentence,
    lo: int,
    hi: int,
    ments: list[Mention],
    cues: list[Cue],
    nums: list[Token],
    variables: list[Var],
    out: Analysis,
    used: set[int],
    state: dict,
    class_words: set[str],
) -> None:
    toks = s.tokens
    lemmas = [t.lemma for t in toks[lo:hi]]
    if (set(lemmas) & _ARITHMETIC or ("+" in lemmas and not _named_group(toks, lo, hi, ments))) and nums:
        return  # 'twice A plus B cannot exceed 200': an explicit sum, not a ratio; leave it unparsed
    distinct = list(dict.fromkeys(m.var.name for m in ments))
    if len(distinct) == 1 and share_range(toks, ments, nums, s, out, used):
        return
    if (len(distinct) >= 2 and ratio(toks, ments, cues, nums, s, out, used, lo, hi)) or (len(distinct) >= 2 and for_each(toks, ments, cues, nums, s, out, used, lo, hi)):
        return
    if (len(distinct) >= 2 and (exceed_by(toks, ments, nums, s, out, used) or per_ratio(toks, ments, cues, nums, s, out, used))) or (
        cues and distinct and difference(toks, ments, cues, nums, s, out, used)
    ):
        nums = [n for n in nums if n.index not in used]
        if not nums:
            return
    if len(distinct) >= 2 and nums and _per_count(toks, lo, hi) and not any(r.sentence == s.index and r.kind == "ratio" for r in out.relations):
        # 'at least one truck for every three on route X': a proportion in a form no rule reads
        out.problems.append(Problem(s.index, "an amount for every so many of a decision in a form the rules do not read"))
        used.update(n.index for n in nums)
        return
    factors = [n for n in nums if n.factor or (n.index + 1 < len(toks) and toks[n.index + 1].lemma in ("time", "times"))]
    percents = [n for n in nums if n.percent and not _rate_named(toks, n, lo)]
    comparative = bool(cues) or ("as" in lemmas and ("many" in lemmas or "much" in lemmas)) or "than" in lemmas
    equal = [n for n in factors if [t.lemma for t in toks[n.index + 1:n.index + 4]] in (["the", "number", "of"], ["time", "the", "number"])]
    if not comparative and equal and len(distinct) >= 2 and any(t.lemma == "be" for t in toks[lo:equal[0].index]):
        # 'the batches of A must be twice the number of B': read as a minimum, the convention of such word problems
        relation(s, ments, [Cue(">=", equal[0].index, equal[0].index, ("be",))], equal, variables, out, used, lo, hi)
        nums = [n for n in nums if n.index not in used]
        if not nums:
            return
    if len(distinct) >= 2 and factors and cues and all(m.end <= cues[0].start for m in ments) and factors[0].index < ments[0].start and any(
        not n.factor and n.index >= cues[0].end for n in nums
    ):
        return  # 'three times A along with B must be at least 500': a sum the explicit-sum rule did not read, not a ratio
    # relation: multiplier or share between decisions
    if ments and (factors or (percents and cues)) and comparative:
        relation(s, ments, cues, factors or percents, variables, out, used, lo, hi)
        nums = [n for n in nums if n.index not in used and not n.factor]
        if not nums:
            return
    if len(distinct) >= 2 and not nums and comparative:
        if any({t.lemma for t in toks[c.end:c.end + 3]} & _VAGUE for c in cues):
            out.problems.append(Problem(s.index, "an amount in words the rules do not read ('a couple of', 'a few')"))
            return
        if len(distinct) >= 3:
            pivot = cues[0].start if cues else next((t.index for t in toks[lo:hi] if t.lemma in _ABOVE | _BELOW), lo)
            group = several_combined(toks, ments, pivot, lo, hi)
            op = cues[0].op if cues else (">=" if set(lemmas) & _ABOVE else "<=" if set(lemmas) & _BELOW else None)
            if group is None or op is None:
                out.problems.append(Problem(s.index, f"a comparison in a clause naming {len(distinct)} decisions: which are compared is unclear"))
            else:
                out.relations.append(Relation(group[0], op, 1.0, group[1], s.index))
            return
        a, b = distinct[0], distinct[1]
        if cues:
            # 'As A is popular, B must be fewer than A': the two sides of the cue
            left = [m.var.name for m in ments if m.end <= cues[0].start]
            right = [m.var.name for m in ments if m.start >= cues[0].end]
            if left and right and left[-1] != right[0]:
                a, b = left[-1], right[0]
        op = cues[0].op if cues else (">=" if set(lemmas) & _ABOVE else "<=" if set(lemmas) & _BELOW else None)
        if op is not None and not cues and any(t.lemma in ("not", "no", "cannot", "never") or t.lemma.endswith("n't") for t in toks[lo:hi]):
            op = "<=" if op == ">=" else ">="  # 'I don't want more trainees than cleaners': at most as many
        if op is not None:
            out.relations.append(Relation(a, op, 1.0, [b], s.index))
        else:  # 'must make as many A as B': equal, or at least as many?
            out.problems.append(Problem(s.index, "a comparison of decisions with no direction the rules read"))
        return
    if not nums:
        if len(distinct) >= 2 and _said_equal(lemmas):
            out.problems.append(Problem(s.index, "decisions said to be equal or matched, which the rules do not read"))
        return
    if ments and cues:
        owned = [n for n in nums if not (n.money or n.percent) and cues[0].start > n.index and "have" in {t.lemma for t in toks[max(lo, n.index - 2):n.index]}]
        if owned and not any(m.start < owned[0].index for m in ments):
            # 'has 90 acres on which at least 10 acres of A ...': what one has, ahead of the cues, caps what is used
            _limits(s, lo, hi, [Cue("<=", n.index, n.index, ("have",)) for n in owned[:1]], owned[:1], out, used, state, class_words)
            nums = [n for n in nums if n.index not in used]
        measured = [n for n in nums if measured_amount(toks, n, class_words)]
        if measured and not any(_per_unit(toks, m, lo) for m in ments):
            # '560 minutes a week to make A and B': a resource limit, not a count of A and B
            _limits(s, lo, hi, cues, measured, out, used, state, class_words)
            nums = [n for n in nums if n.index not in used]
        nums = [n for n in nums if not (n.percent and _rate_named(toks, n, lo))]  # a return rate is never a share; left unused, it declines
        if nums and _measured_against(toks, ments, nums):
            out.problems.append(Problem(s.index, "an amount measured against another decision ('40 above B') that the rules do not read"))
            used.update(n.index for n in nums)
            return
        if nums:
            bounds(s, ments, cues, nums, out, used, state, variables)
        return
    budget = [n for n in nums if n.money and {t.lemma for t in toks[max(lo, n.index - 3):n.index]} & {"have", "budget", "available", "spend", "put"}]  # 'puts her $8000 to work'
    if ments and budget:
        # 'has $10000 to invest in A and B': money the decisions share, not a per-unit price
        bounds(s, ments, [Cue("<=", budget[0].index, budget[0].index, ("has",))], budget, out, used, state, variables, budget=True)
        nums = [n for n in nums if n.index not in used]
        if not nums:
            return
    if ments and set(lemmas) & CAPACITY_WORDS and "each" not in lemmas and all(m.start == n.index + 1 for n, m in zip(nums, ments)) and len(nums) == len(ments):
        # 'has access to 80 crates and 120 trays': a cap on each decision named right after its number
        for n, m in zip(nums, ments):
            out.bounds.append(Bound(m.var.name, "<=", n.value, s.index))
            used.add(n.index)
        return
    between = {t.lemma for t in toks[nums[-1].index:ments[0].start]} if ments else set()
    rated = bool(set(lemmas) & {"each", "per", "every"})
    purpose = ments and nums[-1].index < ments[0].start and ("to" in between or (not rated and between & {"for", "which"}))
    owned = len(distinct) >= 2 and not rated and all(n.index > lo and toks[n.index - 1].lemma in _POSSESSIVES and not n.money for n in nums)
    if (ments and (purpose or not (rated or any(_per_unit(toks, m, lo) for m in ments))) and set(lemmas) & (CAPACITY_WORDS | REQUIREMENT_WORDS)) or owned:
        ments = []  # 'has 900 units of X to make A and B', 'grows A and B in their 30 acre field': the decisions share the amount
        if owned and not cues:
            cues = [Cue("<=", n.index, n.index, ("their",)) for n in nums]  # what one owns is at most what is used
    if ments:
        _coefs(s, lo, hi, ments, nums, out, used, state)
        return
    if not cues and shared_fact(toks, lo, hi, nums, class_words):
        for v in variables:  # 'each unit of either takes one hour of press time': the same amount for every decision
            out.coefs.append(Coef(v.name, nums[0].value, frozenset(words_after(toks, nums[0], hi)), None, s.index))
        used.add(nums[0].index)
        return
    if _in_listed_order(toks, lo, hi, lemmas, nums, cues, variables, s.index):
        # 'the costs per unit for these channels are $200, $150 and $50, respectively': the decisions in the order listed
        _coefs(s, lo, hi, [Mention(v, lo, lo) for v in variables], nums, out, used, state)
        return
    _limits(s, lo, hi, cues, nums, out, used, state, class_words)


_ABOVE = frozenset({"more", "exceed", "larger", "greater", "higher", "bigger"})
_BELOW = frozenset({"less", "fewer", "smaller", "lower"})


def _said_equal(lemmas: list[str]) -> bool:
    """'The number of A must equal the number of B', 'in equal numbers', 'the same number of A as B':
    a relation with no number in it (not 'two versions of the same car')."""
    if {"equal", "equally"} & set(lemmas):
        return True
    return any(w == "same" and nxt in ("number", "amount", "quantity", "count") for w, nxt in itertools.pairwise(lemmas))


def _per_count(toks: list[Token], lo: int, hi: int) -> bool:
    """'for every three', 'for each 4': a proportion per so many of something."""
    return any(
        toks[k].lemma == "for" and toks[k + 1].lemma in ("every", "each") and toks[k + 2].is_num
        for k in range(lo, hi - 2)
    )


_VAGUE = frozenset({"couple", "pair", "few", "several", "handful", "score"})
"""'at least a couple of A for every B': an amount no number states."""
_AGAINST = frozenset({"above", "below", "over", "under", "beyond", "than", "compared"})


def _measured_against(toks: list[Token], ments: list[Mention], nums: list[Token]) -> bool:
    """'A cannot be more than 40 above the number of B': after the number, a word placing it against a
    second decision named before it; a bound on A alone would drop B."""
    for n in nums:
        before = {m.var.name for m in ments if m.end <= n.index}
        for m in ments:
            if m.start > n.index and m.var.name not in before and before:
                gap = [t.lemma for t in toks[n.index + 1:m.start]]
                if set(gap) & _AGAINST and not any(t.is_num for t in toks[n.index + 1:m.start]):
                    return True
    return False


def _named_group(toks: list[Token], lo: int, hi: int, ments: list[Mention]) -> bool:
    """'50 staff (doctors + nurses)': every '+' joins decisions inside brackets that hold nothing else."""
    inside = {k for m in ments for k in range(m.start, m.end)}
    for k in range(lo, hi):
        if toks[k].text != "+":
            continue
        a = max((j for j in range(lo, k) if toks[j].text == "("), default=None)
        b = min((j for j in range(k, hi) if toks[j].text == ")"), default=None)
        if a is None or b is None or any(j not in inside and toks[j].text != "+" for j in range(a + 1, b)):
            return False
    return True


def _alternate(nums: list[Token], ments: list[Mention]) -> bool:
    """True when numbers and mentions take turns: n m n m, or m n m n."""
    seq = sorted([(n.index, "n") for n in nums] + [(m.start, "m") for m in ments])
    kinds = [k for _, k in seq]
    return all(a != b for a, b in itertools.pairwise(kinds))


def _coefs(s, lo, hi, ments, nums, out, used, state) -> None:
    toks = s.tokens
    names = list(dict.fromkeys(m.var.name for m in ments))
    lemmas = [t.lemma for t in toks[lo:hi]]
    nums = [n for n in nums if not n.factor]
    if nums and {t.lemma for t in toks[lo:nums[0].index]} & _LIMIT_NOUNS:
        return  # 'the maximum allowable boxes for A and B being 60 and 70': limits, never per-unit amounts
    if len(names) == 1:
        owners = [names[0]] * len(nums)
    elif len(nums) == len(names) and ("respectively" in lemmas or all(m.end <= nums[0].index for m in ments)):
        owners = names
    elif len(nums) == len(ments) == len(names) and _alternate(nums, ments):
        # '$1.50 per kg of A and $3 per kg of B' / 'A costs $1 and B $2'
        owners = [m.var.name for m in ments]
    else:
        return
    tail = list_tail(toks, nums)
    for owner, n in zip(owners, nums):
        money = None
        bare = not n.money and not n.percent and (set(words_after(toks, tail.get(n.index, n), hi)) <= {"unit"} or _priced_for(toks, n, ments)) and money_kind(toks, n, lo, hi) is not None
        if bare and not words_after(toks, n, hi) and ends_item(toks, n, hi) and parallel_words(out.coefs, s.index, owner):
            bare = False  # '... costs $400 and reaches 5,000' after '... costs $2,000 and reaches 30,000 people': people, not money
        if n.money or n.percent or bare:
            # 'costs of 40 and 50 units respectively': a bare amount next to a word of money is money
            money = money_kind(toks, n, lo, hi) or (state["money"] if n.money else None)
            words = words_after(toks, n, hi)
            if n.percent and not n.money and words and not {"return", "interest", "yield", "profit"} & set(words):
                money = None  # '15% iron': a share of the unit, not money
                words.clear()
            if money == "loss":
                money, n_value = "profit", -1.0
            else:
                n_value = 1.0
            if money is None and n.percent and not words_after(toks, n, hi):
                money = "return"
            prev = state.get("last_coef")
            if money is None and not n.percent and not words_after(toks, n, hi) and prev and prev[0] != owner and s.index == prev[3] and _elliptical(toks, ments, n):
                out.coefs.append(Coef(owner, n.value, prev[1], prev[2], s.index, False))  # 'A ties up $120 in capital, and B, $75'
                used.add(n.index)
                continue
            if money is None and not n.percent and not [w for w in words_after(toks, n, hi) if w != "worth"]:
                continue
            if money is not None or n.percent:
                state["money"] = money
        prev = state.get("last_coef")
        if money is None and not n.percent and n.index not in tail and prev and prev[0] != owner and prev[1] and prev[2] is None and s.index == prev[3] and _bare_pair(toks, ments, n, hi):
            out.coefs.append(Coef(owner, n.value, prev[1], None, s.index, False))  # 'A needs 2 megalitres, B 1.5 and C 3'
            used.add(n.index)
            continue
        words = words_after(toks, tail.get(n.index, n), hi)
        if words and not money and not n.percent and set(words) <= UNITS and lead_attribute(toks):
            words = [*lead_attribute(toks), *words]  # 'Machine A time per widget is 2 min': the machine's minutes
        if not words and not money and not n.percent and ends_item(toks, n, hi):
            words = list(parallel_words(out.coefs, s.index, owner) or before_colon(toks, lo))  # 'a table takes 5 hours and a chair takes 2'
        if not words and not money:
            words = [stem(t.lemma, past=True) for t in toks[lo:n.index] if t.kind == "word" and t.lemma not in STOP and t.lemma not in NOT_ATTRIBUTE and not any(t.index in range(m.start, m.end) for m in ments)][-3:]
        value = n.value / 100 if n.percent else n.value
        if money:
            value *= n_value
        out.coefs.append(Coef(owner, value, frozenset(words), money, s.index, n.percent))
        state["last_coef"] = (owner, frozenset(words), money, s.index)
        used.add(n.index)


def _in_listed_order(toks: list[Token], lo: int, hi: int, lemmas: list[str], nums: list[Token], cues: list[Cue], variables: list[Var], s_index: int) -> bool:
    """One amount per decision, 'respectively', about 'these'/'each' of them, no direction word: per-unit amounts in list order."""
    if cues or "respectively" not in lemmas or len(nums) != len(variables) or len(variables) < 2:
        return False
    attached = lo + 1 < hi and toks[lo].text == "," and toks[lo + 1].lemma == "with" and _listed_before_clause(toks, lo, variables)
    if any(v.sentence >= s_index for v in variables) and not attached:
        return False  # the order is the one of a list written before
    if not ({"these", "each", "every"} & set(lemmas) or attached) or len({(n.money, n.percent) for n in nums}) != 1 or any(n.factor for n in nums):
        return False
    return all(all(t.text == "," or t.lemma == "and" for t in toks[a.index + 1:b.index]) for a, b in itertools.pairwise(nums))


_RATE_NOUNS = frozenset({"return", "interest", "yield", "dividend"})
_RATE_FILLERS = frozenset({",", "and", "of", "respectively", "expected", "annual", "yearly", "average", "be", "a", "an", "the", "rate"})


def _rate_named(toks: list[Token], n: Token, lo: int) -> bool:
    """'returns of 3%, 6% and 8%': a percentage named as a rate of return, never a share of the decisions."""
    k = n.index - 1
    while k >= lo and (toks[k].lemma in _RATE_FILLERS or toks[k].text in _RATE_FILLERS or toks[k].percent):
        k -= 1
    return k >= lo and (toks[k].lemma in _RATE_NOUNS or toks[k].lemma.rstrip("s") in _RATE_NOUNS)


def _listed_before_clause(toks: list[Token], lo: int, variables: list[Var]) -> bool:
    """'in A, B and C, with returns of ...': the clause follows a plain list of every decision, in order."""
    order = [v.name for v in variables]
    seen: list[str] = []
    for m in find_mentions(Sentence("", toks[:lo], 0), variables):
        if not seen or seen[-1] != m.var.name:
            seen.append(m.var.name)
    return seen == order


def _priced_for(toks: list[Token], n: Token, ments: list[Mention]) -> bool:
    """'costs being 2 units for each nurse', 'the cost is 4 for raw materials': an amount named for a decision."""
    k = n.index + 1
    while k < len(toks) and toks[k].lemma in ("unit", "dollar"):
        k += 1
    if k >= len(toks) or toks[k].lemma != "for":
        return False
    k += 1 + (k + 1 < len(toks) and toks[k + 1].lemma in ("each", "every", "the", "a", "an"))
    return any(m.start == k for m in ments)


def _elliptical(toks: list[Token], ments: list[Mention], n: Token) -> bool:
    """'..., and B, $75': a decision, a comma and an amount, the verb and its object left out."""
    before = [m for m in ments if m.end <= n.index]
    return bool(before) and [t.text for t in toks[before[-1].end:n.index]] == [","] and (n.index + 1 >= len(toks) or toks[n.index + 1].kind == "punct")


def _bare_pair(toks: list[Token], ments: list[Mention], n: Token, hi: int) -> bool:
    """'A needs 2 megalitres per hectare, B 1.5 and C 3': a decision right before a bare amount that ends
    its item (a comma, 'and' before the next decision, or the clause's end): the same amount as before."""
    if not any(m.end == n.index for m in ments):
        return False
    k = n.index + 1
    if k >= hi or toks[k].kind == "punct":
        return True
    return toks[k].lemma == "and" and any(m.start == k + 1 for m in ments)


def _we_get(toks: list[Token], lo: int, hi: int) -> bool:
    """'We get 200 kg of flour a week': what the speaker is given is what there is to use.

    Only in the first person, so that 'each worker gets 3 breaks' or 'a customer gets 10%' stays unread.
    """
    return any(toks[k].lemma in ("we", "i") and toks[k + 1].lemma == "get" for k in range(lo, hi - 1))


_TASK_VERBS = frozenset({"cover", "serve", "fill", "move", "deliver", "ship", "haul", "transport", "clean", "visit", "inspect", "handle", "sort", "answer"})
_WHEN_WORDS = frozenset({"each", "every", "per", "this", "today", "tomorrow", "by", "in", "within", "before", "next", "daily", "weekly", "monthly"})


def _task_to_do(toks: list[Token], lo: int, hi: int) -> bool:
    """'have 90 offices to cover', 'has 52 tonnes of sand to move': an amount of work to do, not a stock to use."""
    return any(
        toks[k].lemma == "to" and toks[k + 1].lemma in _TASK_VERBS and toks[k - 1].kind == "word" and toks[k - 2].is_num and toks[k - 1].lemma not in UNITS
        and (k + 2 >= hi or toks[k + 2].kind == "punct" or toks[k + 2].lemma in _WHEN_WORDS)
        for k in range(lo + 2, hi - 1)
    )  # the counted thing is what the verb acts on ('90 offices to cover each week'), never its doer
    # ('30 workers to staff the shifts') nor a measure ('50000 ml of soup to serve')


def _limits(s, lo, hi, cues, nums, out, used, state, class_words) -> None:
    toks = s.tokens
    lemmas = {t.lemma for t in toks[lo:hi]}
    default = None
    for pool in (lemmas,):
        if pool & {"budget", "afford", "available", "capacity"}:
            default = "<="
        elif pool & REQUIREMENT_WORDS or any(toks[k].lemma == "have" and toks[k + 1].lemma == "to" and toks[k + 2].lemma not in ("be", "go") for k in range(lo, hi - 2)):
            default = ">="  # 'has to gather 60 coins': an obligation, not a possession
        elif _task_to_do(toks, lo, hi):
            default = ">="  # 'I have 90 offices to cover': work to be done, at least what the decisions do
        elif pool & CAPACITY_WORDS or _we_get(toks, lo, hi) or any(toks[k].lemma == "on" and toks[k + 1].lemma == "hand" for k in range(lo, hi - 1)) or (pool & {"hold", "holds"} and pool & TOTAL_WORDS):
            default = "<="
        elif _time_there_is(toks, lo, hi, nums):
            default = "<="  # 'each day there are 480 press minutes': time one has is at most what is used
        if default:
            break
    all_words = [t for t in toks[lo:hi] if t.kind == "word" and t.lemma not in STOP and t.lemma not in NOT_ATTRIBUTE]
    all_stems = {stem(t.lemma) for t in all_words}
    phrase_words = {w for n in nums for w in words_after(toks, n, hi)}
    for n in nums:
        if n.factor or n.percent or _money_rate(toks, n, hi):
            continue
        cue = cue_before(cues, n.index + 1)
        if cue is None:
            cue = next((c for c in cues if c.start > n.index and c.start - n.index <= 3), None)
        ranged = _range_end(toks, n.index)
        op = ranged or (cue.op if cue else state["op"] or default)
        # 'you must throw 12': an obligation with no comparison word ('needs 12', 'demand of 12' stay minimums)
        obliged = cue is None and ranged is None and state["op"] is None and default == ">=" and not lemmas & (REQUIREMENT_WORDS - {"must"})
        near = {t.lemma for t in toks[max(lo, n.index - 3):n.index]}
        if cue is not None and cue.end <= n.index and any(t.is_num for t in toks[cue.end:n.index]) and near & _OWN_CUES.keys():
            op = _OWN_CUES[min(near & _OWN_CUES.keys())]  # 'at least 40 loads and has available $900': the cue is the first amount's
        if op is None:
            continue
        money = None
        if n.money:
            money = money_kind(toks, n, lo, hi) or "cost"
        words = words_after(toks, n, hi)
        if not n.money and set(words) <= _CALENDAR and n.index + 1 < hi and toks[n.index + 1].lemma in _CALENDAR:
            continue  # 'the kiln runs 5 days a week': a count of periods, no amount of a resource; left unread
        if not n.money and words and set(words) <= UNITS and lead_attribute(toks):
            words = [*lead_attribute(toks), *words]  # '..., max 480 min per day' after 'Machine A time per widget ...'
        if n.money:
            # '$900 of credit' (no word saying cost or profit): matched by what it is, else a cost
            words = [w for w in words if w != "worth"] if money_kind(toks, n, lo, hi) is None else []
        if not n.money and ([t.lemma for t in toks[n.index + 1:n.index + 3]] in (["of", "either"], ["of", "each"]) or _of_each_type(toks, n, hi)):
            for name in state["names"]:  # 'more than 9 of either type': the same cap on each decision
                out.bounds.append(Bound(name, op, n.value, s.index))
            state["op"] = op
            used.add(n.index)
            continue
        if state.get("bound_var") and not n.money and set(words) <= class_words and not lemmas & TOTAL_WORDS:
            # '... at least 10 cakes of A but cannot make more than 20 cakes': still about A
            out.bounds.append(Bound(state["bound_var"], op, n.value, s.index))
            state["op"] = op
            used.add(n.index)
            continue
        context = frozenset(all_stems) - phrase_words
        total = bool(lemmas & TOTAL_WORDS)
        if not n.money and _of_any_type(toks, n, hi):
            words, total = [], True  # 'at most 40 pieces of either type': the decisions counted together
        each = _no_single(toks, lo, class_words) or _on_each(toks, lo, hi, class_words) or (not total and _both_subject(toks, lo, class_words)) or (bool(state.get("each")) and _same_subject(toks, lo)) or _any_one(toks, n.index + 1, min(hi, n.index + 5))
        each_of = None if each else _each_noun(toks, lo) or (state.get("each_of") if _same_subject(toks, lo) else None)
        if (each or each_of) and _excepted(toks):
            out.problems.append(Problem(s.index, "a limit on each decision with an exception or a second clause the rules do not read"))
            used.update(t.index for t in nums)
            return
        out.limits.append(
            Limit(op, n.value, frozenset(words), context, money, s.index, total=total, every=bool(lemmas & _EVERY_WORDS), obliged=obliged, each=each, each_of=each_of)
        )
        state["op"], state["each"], state["each_of"] = op, each, each_of
        used.add(n.index)


def _spans_periods(toks: list[Token], lo: int, hi: int) -> bool:
    """'600 units a day for a week': an amount per one period, required over a span of another."""
    lem = [t.lemma for t in toks[lo:hi]]
    rate = {lem[k + 1] for k in range(len(lem) - 1) if lem[k] in ("a", "per", "each", "every") and lem[k + 1] in _CALENDAR and (k == 0 or lem[k - 1] not in ("for", "over"))}
    span = {lem[k + 2] for k in range(len(lem) - 2) if lem[k] in ("for", "over") and (lem[k + 1] in ("a", "one", "the") or toks[lo + k + 1].is_num) and lem[k + 2] in _CALENDAR}
    return bool(rate and span and span - rate)


_CALENDAR = frozenset({"day", "week", "month", "year", "quarter", "season", "semester"})
"""Periods counted ('runs 5 days a week'), never a resource; hours and minutes are both."""
_PERIODS = frozenset({"hour", "day", "night", "week", "month", "year", "quarter", "season", "shift", "annum", "semester"})


def _money_rate(toks: list[Token], n: Token, hi: int) -> bool:
    """'kept at $0.50 per item per week': money per unit of something is a rate, never a total
    to stay under (a budget per period, '$400 per hour', still is one). Left unused, the
    number makes the sentence decline instead of becoming 'cost <= 0.5'."""
    k = n.index + 1
    return bool(n.money) and k + 1 < hi and toks[k].lemma == "per" and toks[k + 1].lemma not in _PERIODS


def _hourly_pay(s: Sentence, variables: list[Var], out: Analysis, used: set[int]) -> None:
    """'A are paid $25 per hour and B $20 per hour, and each person works one 8-hour shift': pay per person.

    Read only when the sentence gives every decision exactly one pay per hour and the hours
    are said of each person; the pay becomes pay per shift. Otherwise the hours stay unread.
    """
    toks = s.tokens
    hours = _shift_hours(toks, used)
    if hours is None:
        return
    rates = [t for t in s.numbers if t.money]
    paid = [c for c in out.coefs if c.sentence == s.index and c.money == "cost"]
    if not rates or not all(per_time(toks, t) and toks[t.index + 2].lemma in ("hour", "hr") for t in rates):
        return
    if len(paid) != len(rates) or sorted(c.var for c in paid) != sorted(v.name for v in variables):
        return
    for c in paid:
        c.value *= hours[-1].value
    used.update(t.index for t in hours)


def _shift_hours(toks: list[Token], used: set[int]) -> list[Token] | None:
    """The count (and a leading 'one') in 'each person works (one) 8-hour shift' / 'works 8 hours'."""
    for k, t in enumerate(toks):
        if t.lemma != "work" or k < 2 or toks[k - 2].lemma not in ("each", "every") or toks[k - 1].lemma not in STAFF | PEOPLE:
            continue
        j = k + 1
        lead = [toks[j]] if j < len(toks) and toks[j].is_num and toks[j].value == 1 and toks[j].spelled else []
        j += len(lead)
        if j + 1 >= len(toks) or not toks[j].is_num or toks[j].money or toks[j].percent or toks[j].index in used:
            return None
        after = [x.lemma for x in toks[j + 1:j + 4]]
        if after[:3] == ["-", "hour", "shift"] or after[:1] == ["hour"]:
            return [*lead, toks[j]]
        return None
    return None


def _stated_available(toks: list[Token], k: int) -> bool:
    """'550 megalitres are available': the number at ``k``, its noun, then 'be available' and nothing more to read."""
    rest = toks[k + 1:]
    if any(t.is_num for t in rest):
        return False
    lemmas = [t.lemma for t in rest]
    return "available" in lemmas and "be" in lemmas[: lemmas.index("available")]


_TIME_NOUNS = frozenset({"hour", "hr", "minute", "min"})


def _time_there_is(toks: list[Token], lo: int, hi: int, nums: list[Token]) -> bool:
    """'there are 480 press minutes and 300 cutting minutes': amounts of time that exist, each named in time."""
    k = next((j for j in range(lo, hi - 1) if toks[j].lemma == "there" and toks[j + 1].lemma == "be"), None)
    return k is not None and bool(nums) and all(n.index > k and not n.money and not n.percent and _TIME_NOUNS & set(words_after(toks, n, hi)) for n in nums)


def _no_single(toks: list[Token], lo: int, class_words: set[str]) -> bool:
    """'No shift can take more than 14 nurses', 'no single product may ...', 'each machine must run at
    least 3 hours', 'neither can run more than 10 hours', 'none of the ovens ...': the clause speaks of
    each decision alone."""
    k = lo + (lo < len(toks) and toks[lo].lemma in ("and", "but", ",", ";"))
    if k < len(toks) and toks[k].lemma == "neither":
        return True
    if k + 1 < len(toks) and (toks[k].lemma in ("each", "every") or (toks[k].lemma == "none" and toks[k + 1].lemma == "of")):
        j = k + 1
        if toks[j].lemma == "of":  # 'each of the (two) ovens', 'each of them'
            j += 1
            while j < len(toks) and (toks[j].lemma in ("the", "these", "those", "its", "their", "our", "your") or (toks[j].is_num and toks[j].spelled)):
                j += 1
            if j < len(toks) and toks[j].lemma in ("them", "it"):
                return True
        return j < len(toks) and toks[j].lemma in class_words
    if k + 1 >= len(toks) or toks[k].lemma != "no":
        return False
    k += 1 + (toks[k + 1].lemma in ("single", "one", "individual"))
    return k < len(toks) and toks[k].lemma in class_words


_EXCEPT = frozenset({"except", "excepting", "apart", "besides", "unless", "excluding"})


def _excepted(toks: list[Token]) -> bool:
    """'No oven can run more than 9 hours, except the gas oven ...', '... apart from maintenance',
    'neither can run more than 9 hours, nor can they ...': the bound on each is not the whole story."""
    lem = [t.lemma for t in toks]
    return bool(set(lem) & _EXCEPT) or any(
        lem[k] == "nor" and lem[k + 1] in ("can", "may", "must", "should", "will", "could", "do", "be", "shall") for k in range(len(lem) - 1)
    )


def _on_each(toks: list[Token], lo: int, hi: int, class_words: set[str]) -> bool:
    """'... must be spent on each oven', 'at most 40 hours for every machine': the amount is per decision."""
    return any(
        toks[k].lemma in ("on", "for", "in", "by", "to") and toks[k + 1].lemma in ("each", "every") and toks[k + 2].lemma in class_words
        for k in range(lo, hi - 2)
    )


def _each_noun(toks: list[Token], lo: int) -> str | None:
    """The X of a clause opening on 'each X' / 'each of the X' / 'neither X' / 'none of the X' when X is not a period
    ('each day'): a limit said of every X, where X may or may not be the decisions."""
    k = lo + (lo < len(toks) and toks[lo].lemma in ("and", "but", ",", ";"))
    if k + 1 >= len(toks) or toks[k].lemma not in ("each", "every", "both", "neither", "none"):
        return None
    j = k + 1
    if toks[j].lemma == "of":
        j += 1
        while j < len(toks) and (toks[j].lemma in ("the", "these", "those", "its", "their", "our", "your") or (toks[j].is_num and toks[j].spelled)):
            j += 1
    if j >= len(toks) or toks[j].kind != "word" or toks[j].lemma in _PERIODS or toks[j].lemma in STOP:
        return None
    return toks[j].lemma


def _both_subject(toks: list[Token], lo: int, class_words: set[str]) -> bool:
    """'Both ovens must run at least 2 hours' (no 'together', 'in total'): said of each oven."""
    k = lo + (lo < len(toks) and toks[lo].lemma in ("and", "but", ",", ";"))
    return k + 1 < len(toks) and toks[k].lemma == "both" and toks[k + 1].lemma in class_words


_SAME_SUBJECT = frozenset({"at", "no", "not", "up", "only", "must", "can", "cannot", "may", "should", "less", "more", "fewer"})


def _same_subject(toks: list[Token], lo: int) -> bool:
    """'... at least 2 hours and at most 9 hours': a clause that opens on a comparison keeps the previous one's subject."""
    return lo + 1 < len(toks) and toks[lo].lemma in ("and", "but") and toks[lo + 1].lemma in _SAME_SUBJECT


_RANGE_OPEN = frozenset({"between", "from"})
_RANGE_JOIN = frozenset({"and", "to", "-"})


def _range_end(toks: list[Token], k: int) -> str | None:
    """'between 2 and 9 hours', 'from 2 hours to 9 hours': '>=' for the first end, '<=' for the
    second, whatever cue or obligation stands before 'between'."""
    def opens(j: int) -> bool:  # a range opener right before the number at j
        return j >= 1 and toks[j - 1].lemma in _RANGE_OPEN

    def joined(j: int) -> int | None:  # the number after the number at j, through an optional unit and a joint
        step = j + 1 + (j + 1 < len(toks) and toks[j + 1].kind == "word" and toks[j + 1].lemma not in _RANGE_JOIN)
        if step + 1 < len(toks) and toks[step].lemma in _RANGE_JOIN and toks[step + 1].is_num:
            return step + 1
        return None

    if opens(k) and joined(k) is not None:
        return ">="
    for j in (k - 2, k - 3):
        if j >= 1 and toks[j].is_num and opens(j) and joined(j) == k:
            return "<="
    return None


def _any_one(toks: list[Token], lo: int, hi: int) -> bool:
    """'no more than 4 portions of any one food': a cap on each decision alone, not on their total."""
    lemmas = [t.lemma for t in toks[lo:hi]]
    return any(lemmas[k:k + 2] == ["of", "any"] and k + 2 < len(lemmas) and lemmas[k + 2] in ("one", "single", "individual") for k in range(len(lemmas)))


def _of_each_type(toks: list[Token], n: Token, hi: int) -> bool:
    """'at most 40 people of each type': one noun, then 'of each type' caps every decision alike."""
    k = n.index + 2
    return k + 3 <= hi and toks[k - 1].kind == "word" and toks[k - 1].lemma not in STOP and [t.lemma for t in toks[k:k + 2]] == ["of", "each"] and toks[k + 2].lemma in ("type", "kind", "sort", "variety")


def _of_any_type(toks: list[Token], n: Token, hi: int) -> bool:
    """'40 pieces of either type', '90 crates of each kind': the amount counts every decision (not '9 of either type')."""
    for k in range(n.index + 2, min(hi - 3, n.index + 5) + 1):  # a noun first: '9 of either type' caps each
        if toks[k].is_num or toks[k].text in (",", ";"):
            return False
        if toks[k].lemma == "of" and toks[k + 1].lemma in ("either", "both", "any", "all") and toks[k + 2].lemma in ("type", "kind", "sort", "variety"):
            return True
    return False
