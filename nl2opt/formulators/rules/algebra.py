"""Algebra in prose over named symbols: 'twice the area of crop X and thrice the area of crop Y
cannot exceed 50 acres', 'the number of X must be at least half the number of Y plus three'.

Many problems name their decisions by symbols (X, Y, Z or x1, x2 ...) and state each requirement
as a linear comparison in words. This reader is tried only after the scalar rules declined (or
found no worded decisions). It reads a clause as ``linear combination  comparison  linear
combination`` where a term is an optional multiplier (a number before 'times', 'twice', 'half',
'three-fourths', '80% of') and a symbol, 'minus' / 'difference between' subtract, and a number with
no symbol is a constant (allowed on the right only). Around that core:

- :mod:`algebra_spans` drops wrappers that carry no algebra (lead-ins, headings ending in a colon,
  reasons after the amount, bracketed asides, 'rounded up to the nearest dollar');
- :mod:`algebra_lists` reads several bounds in one clause (one amount per symbol, 'respectively',
  ranges, a total shared 'between X and Z', bounds in brackets after 'an upper limit');
- :mod:`algebra_names` reads names given to symbols ('luxury villas (X)') as the symbols;
- here: 'exceed Y by at least 50', 'twice as much X as Y', 'up to 500 units each', a formula in
  brackets after its amount, 'at least 10 more units of X than Y', 'not more than a difference of 10
  between X and Y', a total weighted after it (', with every 2 units used in X and 3 in Y'), clauses
  joined by ', while' / ';' read one by one, and the goal ('minimize ...' or the question 'what is
  the minimum ...').

It answers only when every sentence with a number or a comparison was read, every number (in
digits or words) was used and every symbol has an objective coefficient naming the goal's
quantity; otherwise it gives up quietly and the scalar rules' decline stands.
"""

from __future__ import annotations

import itertools
import re

from nl2opt.formulators.rules.algebra_lists import (
    bound_list,
    bracketed_bounds,
    ranges,
    respective,
    shared_total,
)
from nl2opt.formulators.rules.algebra_names import with_aliases
from nl2opt.formulators.rules.algebra_spans import (
    back_reference,
    heading_end,
    intro_end,
    negation_start,
    plain,
    reason_start,
    rounding,
    widened,
    without_asides,
)
from nl2opt.formulators.rules.cues import Cue, find_cues
from nl2opt.formulators.rules.families import leftovers
from nl2opt.formulators.rules.guards import compares_money, other_periods
from nl2opt.formulators.rules.lexicon import EQ_PHRASES, GE_PHRASES, LE_PHRASES, STOP
from nl2opt.formulators.rules.numbers import FACTOR_WORDS, NUMBER_WORDS, format_number
from nl2opt.formulators.rules.patterns import MAX_SENTENCE_TOKENS
from nl2opt.formulators.rules.requirements import requirements
from nl2opt.formulators.rules.sentences import Sentence, Token, sentences
from nl2opt.spec import Constraint, ConstraintKind, Domain, ModelSpec, Objective, Variable

_SYMBOL = re.compile(r"(?:[B-HJ-Z]|[a-zA-Z]\d{1,2})")  # not 'A' / 'I': articles and pronouns
_PLUS = frozenset({"plus", "and", "+", "combined", "together", "along", "with", ","})
_MINUS = frozenset({"minus", "-", "subtract", "subtracting", "less"})
_DANGER = frozenset(
    {
        "negative",
        "doubled",
        "tripled",
        "halved",
        "quadrupled",
        "squared",
        "percent",
        "%",
        "ratio",
        "average",
        "per",
        "each",
        "every",
        "times",
        "proportion",
        "share",
        "fraction",
        "square",
        "divided",
        "as",
        "respectively",
        "subtracted",
        "deducted",
        "increased",
        "favor",
        "favour",
        "weighted",
        "weight",
        "unless",
        "when",
        "whenever",
        "provided",
        "not",
        "no",
        "never",
        "except",
        "if",
        "either",
        "or",
        "only",
        "any",
        "most",
        "least",
    }
)
_COST = frozenset(
    {
        "cost",
        "costing",
        "costs",
        "profit",
        "return",
        "yield",
        "revenue",
        "price",
        "value",
        "score",
        "benefit",
        "worth",
        "expense",
        "salary",
        "wage",
        "fee",
        "earn",
        "earns",
        "generate",
        "generates",
        "incur",
        "incurs",
        "quantified",
        "associated",
        "require",
        "requires",
        "consume",
        "consumes",
        "use",
        "uses",
    }
)
_ENDS = frozenset({",", ";", "while", "whereas", "but", "."})


def _symbols(sents: list[Sentence]) -> list[str]:
    """Symbols named in the text, in order of first appearance; they must appear in a list early on."""
    order: list[str] = []
    for s in sents:
        for t in s.tokens:
            if t.kind == "word" and _SYMBOL.fullmatch(t.text) and t.text not in order:
                order.append(t.text)
    return order


def _compares_symbols(s: Sentence, symbols: list[str]) -> bool:
    """A sentence that names a symbol and states a comparison (a requirement even with no number)."""
    toks = s.tokens
    return any(t.text in symbols for t in toks) and any(
        not rounding(toks, c) and not _asked(toks, c) for c in _cues(toks)
    )


# Comparison phrases the shared cue table lacks, read only by this reader: (lemmas, operator).
_MORE_CUES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("capped", "at"), "<="),
    (("not", "surpass"), "<="),
    (("cannot", "surpass"), "<="),
    (("must", "equal"), "=="),
    (("should", "equal"), "=="),
    (("should", "reach"), ">="),
    (("must", "reach"), ">="),
)


def _cues(toks: list[Token]) -> list[Cue]:
    """find_cues, plus 'capped at 80', 'should not surpass 500', 'must equal $10,000' where no cue was found."""
    found = find_cues(toks)
    taken = {i for c in found for i in range(c.start, c.end)}
    lemmas = [t.lemma for t in toks]
    for i in range(len(toks)):
        for words, op in _MORE_CUES:
            n = len(words)
            span = range(i, i + n)
            if tuple(lemmas[i : i + n]) == words and not taken & set(span):
                found.append(Cue(op, i, i + n, words))
                taken |= set(span)
    return sorted(found, key=lambda c: c.start)


_WHOLE = frozenset(
    {
        "fraction",
        "fractional",
        "broken",
        "split",
        "divided",
        "partial",
        "partially",
        "integer",
        "whole",
        "half",
        "negative",
    }
)


def _whole_or_nonnegative(s: Sentence) -> bool:
    """'one can't complete half a task', 'cannot be broken down', 'cannot receive negative resources':
    each 'cannot' says the amounts are whole or not negative, which the model's domain already says."""
    toks = s.tokens
    negations = [
        i for i, t in enumerate(toks) if t.lemma in ("cannot", "not") or t.text.lower().endswith("n't")
    ]
    for i in negations:
        after = toks[i + 1 : i + 7]
        if not any(t.lemma in _WHOLE for t in after) or any(t.is_num and not t.factor for t in after):
            return False
    return bool(negations)


def _negated_comparison(s: Sentence) -> bool:
    """'X can't have more than 200 units': every 'cannot' is the negation of a comparison right after it
    (find_cues already turned 'more than' into '<='), so the sentence is a plain requirement."""
    toks = s.tokens
    flippable = [
        c
        for c in find_cues(toks)
        if c.words
        in (("more", "than"), ("greater", "than"), ("less", "than"), ("fewer", "than"), ("exceed",))
    ]
    negations = [
        i for i, t in enumerate(toks) if t.lemma in ("cannot", "not") or t.text.lower().endswith("n't")
    ]
    return bool(negations) and all(any(0 < c.start - i <= 4 for c in flippable) for i in negations)


_SCALED = re.compile(r"\b(?:million|billion|thousand)s?\b", re.IGNORECASE)


def _unexplained_number(s: Sentence, count: int) -> bool:
    """A number written in words in a sentence no row or objective used ('a hundred new employees'),
    other than the count of the decisions ('three projects'), 'one' ('one tonne'), a multiplier ('half
    a task'), a pair referred back to ('these two departments') or a rounding ('three decimal places')."""
    toks = s.tokens
    for i, t in enumerate(toks):
        before = toks[i - 1].lemma if i > 0 else ""
        after = toks[i + 1].lemma if i + 1 < len(toks) else ""
        if t.kind == "word" and t.lemma in ("hundred", "thousand", "dozen", "million", "billion"):
            return True
        if not (t.is_num and t.spelled) or t.factor or t.value in (1, count):
            continue
        if before in ("these", "those", "the", "both", "all") or after in ("decimal", "digit"):
            continue
        return True
    return False


def _one_case(sents: list[Sentence]) -> list[Sentence]:
    """Copies of the sentences with 'X1' and 'x1' spelled alike: texts mix the cases of one symbol."""
    indexed = {
        t.text
        for s in sents
        for t in s.tokens
        if t.kind == "word" and re.fullmatch(r"[a-zA-Z]\d{1,2}", t.text)
    }
    if len({x.lower() for x in indexed}) == len(indexed):
        return sents
    return [
        Sentence(
            s.text,
            [Token(**{**t.__dict__, "text": t.text.lower()}) if t.text in indexed else t for t in s.tokens],
            s.index,
        )
        for s in sents
    ]


_PLAIN_SUM = re.compile(r"(\{\w+\}(?: \+ \{\w+\})+) (<=|>=|==) (\S+)")


def _weighted_total(s: Sentence, symbols: list[str], money: bool) -> list[str] | None:
    """'the total resources for both projects cannot exceed 1000 units, with every 2 units used in project
    X and 3 units in project Y' (2X + 3Y <= 1000): a plain total, then one weight per symbol it sums."""
    toks = s.tokens
    w = next(
        (
            i
            for i in range(1, len(toks) - 1)
            if toks[i].lemma == "with" and toks[i - 1].text == "," and toks[i + 1].lemma in ("every", "each")
        ),
        None,
    )
    if w is None:
        return None
    weights: dict[str, float] = {}
    parts: list[list[Token]] = [[]]
    for t in toks[w + 1 :]:
        if t.lemma in ("and", ","):
            parts.append([])
        else:
            parts[-1].append(t)
    for part in parts:
        nums = [t for t in part if t.is_num]
        named = [t.text for t in part if t.text in symbols]
        if not nums and not named and all(plain(t, symbols) for t in part):
            continue
        if len(nums) != 1 or len(named) != 1 or named[0] in weights:
            return None
        if nums[0].factor or nums[0].percent or nums[0].money:
            return None
        if not all(
            t is nums[0] or t.text in symbols or plain(t, symbols) or t.lemma in ("every", "each")
            for t in part
        ):
            return None
        weights[named[0]] = nums[0].value
    head = toks[: w - 1]
    copies = [Token(**{**t.__dict__, "index": n}) for n, t in enumerate(head)]
    rows = _rows(Sentence(s.text, copies, s.index), symbols, money)
    found = _PLAIN_SUM.fullmatch(rows[0]) if rows and len(rows) == 1 else None
    if found is None or set(re.findall(r"\{(\w+)\}", found.group(1))) != set(weights):
        return None  # the weights must weigh exactly the symbols of one plain total
    return [f"{_expr(weights, {x: '{' + x + '}' for x in weights})} {found.group(2)} {found.group(3)}"]


def _clause_rows(s: Sentence, symbols: list[str], money: bool) -> list[str] | None:
    """The rows of each clause on its own, when the sentence joins whole requirements with ', while',
    ', with' or ';' (each clause read, every number used); None when a clause is not read."""
    toks = s.tokens
    cuts = [
        i
        for i, t in enumerate(toks)
        if t.text == ";" or (t.lemma in ("while", "whereas", "with") and i > 0 and toks[i - 1].text == ",")
    ]
    if not cuts:
        return None
    rows: list[str] = []
    for lo, hi in itertools.pairwise([-1, *cuts, len(toks)]):
        part = toks[lo + 1 : hi]
        copies = [Token(**{**t.__dict__, "index": n}) for n, t in enumerate(part)]
        read_part = _rows(Sentence(s.text, copies, s.index), symbols, money)
        if read_part is None or (not read_part and any(t.is_num for t in part)):
            return None
        rows += read_part
    return rows or None


def _counted_up_front(sents: list[Sentence], symbols: list[str]) -> bool:
    """'the budget between two advertising channels' first, then 'channel X' and 'channel Y': the first
    sentence counts the decisions and every symbol is named after that same noun."""
    toks = sents[0].tokens
    for i, t in enumerate(toks):
        if not (t.is_num and t.spelled and not t.factor and t.value == len(symbols)):
            continue
        for noun in {x.lemma for x in toks[i + 1 : i + 5] if x.kind == "word" and x.text.isalpha()}:
            named = {
                u.text
                for s in sents
                for k, u in enumerate(s.tokens)
                if u.text in symbols and k > 0 and s.tokens[k - 1].lemma == noun
            }
            if named == set(symbols):
                return True
    return False


def _says_nothing_more(s: Sentence, harmless: set[int]) -> bool:
    """A sentence with no number whose only requirement is whole or non-negative amounts, or whose only
    comparison words are a rounding instruction: the model already says it."""
    toks = s.tokens
    if any(t.is_num and not t.factor and not _count_word(toks, t) for t in toks):
        return False
    found = _cues(toks)
    cues = [c for c in found if not _asked(toks, c)]
    if not cues:  # the question 'what is the minimum total cost for all three routes?' is the goal
        return s.index in harmless or bool(found)
    return all(rounding(toks, c) for c in cues)


def _count_word(toks: list[Token], t: Token) -> bool:
    """'across all three routes', 'these two areas': a spelled count of the decisions, not an amount."""
    return (
        t.is_num
        and t.spelled
        and not t.factor
        and t.index > 0
        and toks[t.index - 1].lemma in ("these", "those", "all")
    )


def _asked(toks: list[Token], c: Cue) -> bool:
    """The 'minimum' of the question 'what is the minimum total cost': the goal, not a requirement."""
    nxt = toks[c.end] if c.end < len(toks) else None
    return (
        len(c.words) == 1
        and toks[c.start].lemma in _LOW | _HIGH
        and any(t.lemma in _ASK for t in toks[: c.start])
        and nxt is not None
        and nxt.lemma != "of"
        and not nxt.is_num
    )


_GLUED = re.compile(r"(?<=[A-Za-z0-9)$])\.(?=[A-Z][a-z]+\b)")


def read(sents: list[Sentence], text: str, *, integer: bool) -> ModelSpec | None:
    """The model, when every requirement and the objective were read; else None."""
    if _GLUED.search(text):
        sents = sentences(_GLUED.sub(". ", text))  # 'than that of crop Y.Each acre costs ...': two sentences
    if any(len(s.tokens) > MAX_SENTENCE_TOKENS for s in sents):
        return None  # the clause rules are quadratic in one sentence; see patterns.MAX_SENTENCE_TOKENS
    sents = _one_case(sents)
    symbols = _symbols(sents)
    if len(symbols) < 2 or len(symbols) > 8:
        return None
    listed = any(len([t for t in s.tokens if t.text in symbols]) >= 2 for s in sents[:2])
    if not listed and not _counted_up_front(sents, symbols):
        return None  # the symbols are listed up front ('three projects: X, Y and Z')
    sents = with_aliases(sents, symbols)  # 'luxury villas (X)': later mentions of villas are X
    logic = [r for r in requirements(sents) if r.logic]
    must_read = {r.sentence for r in logic if r.label == "cannot" and _negated_comparison(sents[r.sentence])}
    harmless = {r.sentence for r in logic if r.label == "cannot" and _whole_or_nonnegative(sents[r.sentence])}
    if any(r.sentence not in must_read | harmless for r in logic):
        return None  # 'unless', 'only if', 'either ... or': logic this reader does not write
    goal = _goal(sents)
    if goal is None:
        return None
    sense, goal_words, goal_nouns = goal
    rows: list[tuple[str, int]] = []
    objective: dict[str, float] = {}
    objective_sentences: list[Sentence] = []
    consumed: set[int] = set()
    money = _money_decisions(sents, symbols)
    kinds = frozenset(  # 'task X1', 'project Y': the nouns the decisions are named after
        s.tokens[k - 1].lemma
        for s in sents
        for k, t in enumerate(s.tokens)
        if k > 0
        and t.text in symbols
        and s.tokens[k - 1].text.isalpha()
        and s.tokens[k - 1].lemma not in STOP | _TOTAL
    )
    for s in sents:
        bracketed = _bracketed(s, symbols)
        if bracketed is not None:
            rows += [(r, s.index) for r in bracketed[0]]  # '(15 for X, 20 for Y)' after 'an upper limit'
            consumed.add(s.index)
            s = bracketed[1]
        read_rows = _weighted_total(s, symbols, money) or _rows(s, symbols, money, kinds)
        if read_rows is None:  # 'X1 can use no more than 500, while ... respectively': clause by clause
            read_rows = _clause_rows(s, symbols, money)
        if read_rows and _SCALED.search(s.text):
            return None  # '$50 million' in a requirement over counted units: the scale is unclear
        if read_rows is None:
            if _compares_symbols(s, symbols):
                return None  # 'X4 should not be less than X1', not read: a requirement would be lost
            if _says_nothing_more(s, harmless):
                consumed.add(s.index)  # the question 'what is the minimum total cost for all three ...?'
            continue
        if read_rows:
            rows += [(r, s.index) for r in read_rows]
            consumed.add(s.index)
            continue
        coefs = _coefficients(s, symbols, goal_nouns)
        if coefs:
            if objective.keys() & coefs.keys():
                return None  # two amounts for one symbol: cost and return, or two objectives
            objective.update(coefs)
            objective_sentences.append(s)
            consumed.add(s.index)
        elif _says_nothing_more(s, harmless):
            consumed.add(s.index)  # 'cannot be broken into smaller intervals', 'rounded up to the ...'
    if any(_unexplained_number(s, len(symbols)) for s in sents if s.index not in consumed):
        return None  # 'allocating a hundred new employees': an amount written in words, not read
    if leftovers(sents, consumed) or must_read - {i for _, i in rows}:
        return None  # a sentence with a number or a requirement, or a 'cannot' comparison, not read
    if set(objective) != set(symbols) or not rows or not _same_quantity(goal_words, objective_sentences):
        return None
    if _trapped(sents, rows, money):
        return None
    domain = Domain.INTEGER if integer else Domain.CONTINUOUS
    names = {x: _name(x) for x in symbols}
    return ModelSpec(
        name="symbolic_model",
        description=sents[0].text,
        variables=[
            Variable(name=names[x], domain=domain, lower=0, description=f"the amount {x}") for x in symbols
        ],
        objective=Objective(
            sense=sense, expression=_expr(objective, names), description=f"{sense} the stated total"
        ),
        constraints=[
            Constraint(
                name=f"c{k + 1}",
                expression=_sub(r, names),
                description=sents[i].text,
                kind=ConstraintKind.CAPACITY,
            )
            for k, (r, i) in enumerate(rows)
        ],
    )


def _trapped(sents: list[Sentence], rows: list[tuple[str, int]], money: bool) -> bool:
    """The traps the worded rules decline (see :mod:`guards`), met in a text read as algebra: a row for
    another period than the plan's, or the money spent compared on decisions counted in units."""
    said = {i for _, i in rows}
    goals = [s.index for s in sents if _asks(s)]
    if any(other_periods(sents, g, said) for g in goals):
        return True  # '40 hours each day' while the plan is asked 'each week'
    compared = {i for r, i in rows if r.count("{") >= 2 and 0 <= i < len(sents)}
    return not money and any(compares_money(sents[i]) for i in compared)  # 'the money spent on X ... on Y'


def _asks(s: Sentence) -> bool:
    """The sentence states the goal: 'to maximize ...' or the question 'what is the minimum cost ...?'."""
    lemmas = {t.lemma for t in s.tokens}
    return any(w.startswith(("minimi", "maximi")) for w in lemmas) or bool(lemmas & _ASK and lemmas & (_LOW | _HIGH))


def _bracketed(s: Sentence, symbols: list[str]) -> tuple[list[str], Sentence] | None:
    """The bounds listed in brackets inside a sentence that names no other amount, and the sentence
    without the bracket (it may still hold the goal: '..., the coach wants to minimize the score')."""
    s = without_asides(s, symbols)
    found = bracketed_bounds(s.tokens, symbols)
    if found is None:
        return None
    listed, opening, closing = found
    rest = [t for t in s.tokens if not opening <= t.index <= closing]
    if any(t.is_num for t in rest):
        return None  # another amount in the sentence: read it whole or decline
    copies = [Token(**{**t.__dict__, "index": n}) for n, t in enumerate(rest)]
    return listed, Sentence(s.text, copies, s.index)


_QUANTITIES = (
    frozenset({"cost", "costing", "expense", "price", "fee", "salary", "wage"}),
    frozenset(
        {"profit", "return", "revenue", "yield", "earn", "earning", "benefit", "roi", "income", "gain"}
    ),
)


_ASK = frozenset({"what", "find", "calculate", "determine", "compute", "identify"})
_LOW = frozenset({"minimum", "lowest", "smallest"})
_HIGH = frozenset({"maximum", "highest", "largest", "greatest"})


def _goal(sents: list[Sentence]) -> tuple[str, set[str], set[str]] | None:
    """The sense, the words after the goal and the goal's own nouns: 'aims to minimize the total
    workload of ...' (nouns {'workload'}), or, with no such verb in the text, the question 'what is
    the minimum total cost ...?'."""
    found: list[tuple[str, list[str]]] = []
    for s in sents:
        lemmas = [t.lemma for t in s.tokens]
        for i, w in enumerate(lemmas):
            if w.startswith(("minimi", "maximi")):
                found.append(("minimize" if w.startswith("minimi") else "maximize", lemmas[i + 1 : i + 8]))
    if not found:
        for s in sents:
            toks = s.tokens
            asked = next((i for i, t in enumerate(toks) if t.lemma in _ASK), None)
            if asked is None:
                continue
            for i in range(asked + 1, len(toks)):
                if toks[i].lemma not in _LOW | _HIGH:
                    continue
                after = toks[i + 1 : i + 9]
                stop = next((k for k, t in enumerate(after) if t.text in (",", ";", "?", ".")), len(after))
                amounts = [t for t in after[:stop] if t.is_num and not _count_word(toks, t)]
                if amounts or (after and after[0].lemma == "of"):
                    continue  # 'a maximum of 300 units': a limit, not the question
                sense = "minimize" if toks[i].lemma in _LOW else "maximize"
                found.append((sense, [t.lemma for t in after]))
    senses = {sense for sense, _ in found}
    if len(senses) != 1:
        return None  # no goal, or both directions named
    words = set().union(*(set(w) for _, w in found))
    return senses.pop(), words, set().union(*(_nouns(w) for _, w in found))


_MODIFIERS = frozenset(
    {"the", "a", "total", "overall", "combined", "possible", "daily", "weekly", "monthly", "annual"}
)
_GENERIC = frozenset({"amount", "number", "value", "sum", "level", "quantity", "unit"})


def _nouns(after: list[str]) -> set[str]:
    """The noun phrase after 'minimize' / 'minimum', without 'the total': 'fatigue score' -> both words."""
    words = list(after)
    while words and words[0] in _MODIFIERS:
        words.pop(0)
    out: set[str] = set()
    for w in words[:3]:
        if w in STOP or not w.isalpha():
            break
        out.add(w)
    return out - _GENERIC


def _same_quantity(goal: set[str], coefficient_sentences: list[Sentence]) -> bool:
    """The goal and the per-unit amounts name the same kind of quantity ('minimize the cost' is not
    read from '2 units of ROI per dollar')."""
    said = {t.lemma for s in coefficient_sentences for t in s.tokens}
    cost, gain = _QUANTITIES
    money = any(t.money for s in coefficient_sentences for t in s.tokens) or said & {"investment", "funding"}
    if goal & cost and not (said & cost or (money and not said & gain)):
        return False  # 'minimize the cost' from '2 units of ROI per dollar'
    return not (goal & gain and not said & gain)


def _name(symbol: str) -> str:
    return symbol.lower() if symbol.lower() not in ("in", "if", "or") else symbol.lower() + "_"


def _expr(terms: dict[str, float], names: dict[str, str]) -> str:
    parts = [
        names[x] if c == 1 else f"-{names[x]}" if c == -1 else f"{format_number(c)}*{names[x]}"
        for x, c in terms.items()
        if c
    ]
    return " + ".join(parts).replace("+ -", "- ") or "0"


def _sub(row: str, names: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: names[m.group(1)], row)


def _merged(cues: list[Cue], toks: list[Token]) -> list[Cue]:
    """'greater than or equal to' is one comparison, not two."""
    out: list[Cue] = []
    for c in cues:
        if out and c.words == ("equal", "to") and c.start == out[-1].end and out[-1].op != "==":
            out[-1] = Cue(out[-1].op, out[-1].start, c.end, out[-1].words + c.words)
            continue  # 'at least equal to 500': one comparison
        if (
            out
            and c.start - out[-1].end <= 1
            and any(t.lemma == "or" for t in toks[out[-1].end : c.start + 1])
        ):
            continue
        gap = toks[out[-1].end : c.start] if out else []
        if (
            out
            and c.op == out[-1].op
            and len(gap) <= 4
            and not any(t.is_num or _SYMBOL.fullmatch(t.text) or t.lemma == "by" for t in gap)
        ):  # 'exceed by more than 600': a margin, not the comparison said twice
            out[-1] = Cue(
                c.op, out[-1].start, c.end, out[-1].words + c.words
            )  # 'must yield a minimum of at least 12': one comparison said twice
            continue
        if (
            c.words[0] in ("more", "greater")
            and any(t.is_num for t in gap)
            and not any(t.kind == "word" and _SYMBOL.fullmatch(t.text) for t in gap)
        ):
            continue  # 'at least 10 acres more than Y': the amount added to Y, not a second comparison
        out.append(c)
    return out


def _rows(
    s: Sentence, symbols: list[str], money: bool = False, kinds: frozenset[str] = frozenset()
) -> list[str] | None:
    """Rows of a requirement sentence ([] when it states none; None when it states one not read).
    ``kinds``: the nouns the symbols are named after ('task X1'), so 'the tasks ... each' means all."""
    s = without_asides(s, symbols)
    toks = s.tokens
    head = heading_end(toks, symbols)
    cues = [widened(toks, c) for c in _merged(_cues(toks), toks) if c.start >= head and not rounding(toks, c)]
    kept = _without_descriptors(toks, cues)
    described = [c for c in cues if c not in kept]  # 'at least twice X plus Y should be no less than 8'
    cues = kept
    between = [
        i
        for i, t in enumerate(toks)
        if t.lemma == "between"
        and i >= head
        and i + 3 < len(toks)
        and toks[i + 1].is_num
        and toks[i + 2].lemma in ("and", "to")
        and toks[i + 3].is_num
    ]
    ranged = ranges(toks, head, symbols)
    if ranged is not None and not [c for c in cues if c.words not in (("up", "to"),)]:
        return ranged[0]  # 'x1: [0, 300]', 'X ranges from 0-1500 units'
    if "respectively" in {t.lemma for t in toks} and not between:
        listed = respective(toks, cues, head, symbols)
        if listed is not None:
            return listed[0]
    if not cues and not between:
        headed = _headed_list(toks, head, symbols)
        if headed is not None:
            return headed  # 'The minimum hires per category are: 20 for X, 30 for Y'
    if not cues and not between:
        return []
    if len(cues) == 1:
        defined = _amount_then_formula(toks, cues[0], symbols)
        if defined is not None:
            return [defined]  # 'at least 1500 units (calculated as 2 X plus 3 Y) must be shipped'
    rows: list[str] = []
    used: set[int] = set()
    start = head
    previous: dict[str, float] = {}
    said_difference = False
    k = 0
    while k < len(cues):
        cue = cues[k]
        stop = cues[k + 1].start if k + 1 < len(cues) else len(toks)
        if k + 1 < len(cues) and "exceed" in cue.words and toks[stop - 1].lemma == "by":
            read_by = _exceed_by(
                toks, start, cue, cues[k + 1], cues[k + 2].start if k + 2 < len(cues) else len(toks), symbols
            )
            if read_by is None:
                return None
            row, nums, start = read_by
            rows.append(row)
            used |= nums
            k += 2
            continue
        end = next((j for j in range(cue.end, stop) if toks[j].text in _ENDS or toks[j].lemma in _ENDS), stop)
        if k + 1 < len(cues) and end == stop:
            end = _split_rhs(toks, cue.end, stop)
        elif k + 1 < len(cues) and _for_symbol_next(toks, cue.end, end, symbols):
            end = _split_rhs(toks, cue.end, end)  # 'X cannot be less than $10,000 and for option Y, it ...'
        lead = toks[start : cue.start]
        if all(plain(t, symbols) or t.lemma in ("each", "every") for t in lead):
            listed = bound_list(toks, cue.end, reason_start(toks, cue.end, stop, symbols), cue.op, symbols)
            if listed is not None and _total(toks, start, cue.start, money):
                listed = None  # 'the total ... cannot exceed 50 for X': a total, not one bound per symbol
            listed = listed or shared_total(
                toks, cue.end, reason_start(toks, cue.end, stop, symbols), cue.op, symbols
            )
            if listed is not None:
                rows += listed[0]
                used |= listed[1]
                start, previous = stop, {}
                k += 1
                continue
        if "exceed" in cue.words and any(
            toks[j].lemma == "by" and toks[j + 1].is_num for j in range(cue.end, min(end, len(toks) - 1))
        ):
            return None  # 'X must exceed Y by 10': a margin with no direction of its own
        lo = intro_end(toks, start, cue.start, symbols)
        for d in described:
            if lo <= d.start < cue.start and all(plain(t, symbols) for t in toks[lo : d.start]):
                lo = d.end  # the describing comparison word and the lead-in before it carry no algebra
        if not any(t.text in symbols for t in toks[lo : cue.start]):
            lo = start
        as_many = _as_many_as(toks, start, cue, reason_start(toks, cue.end, end, symbols), symbols)
        if as_many is not None:
            rows.append(as_many[0])  # 'at least twice as much crop X as crop Y'
            used |= as_many[1]
            start, previous = end, {}
            k += 1
            continue
        hi = reason_start(toks, cue.end, end, symbols)
        more = _more_of(toks, start, cue, hi, symbols) or _difference_of(toks, start, cue, hi, symbols)
        if more is not None:
            rows.append(more[0])  # 'there should be at least 10 more units of X than of Y'
            used |= more[1]
            start, previous = end, {}
            k += 1
            continue
        each = _each_bound(toks, lo, cue, reason_start(toks, cue.end, end, symbols), symbols, kinds)
        if each is not None:
            rows += each[0]  # 'X1 and X2 can have up to 500 units each'
            used |= each[1]
            start, previous = end, {}
            k += 1
            continue
        lemmas = [t.lemma for t in toks[start : cue.start]]
        elided = (  # '... difference between X and Y should not exceed 4 and between Y and Z ...'
            said_difference
            and lemmas[:2] in (["and", "between"], [",", "between"])
            and not set(lemmas) & (_TOTAL | {"difference"})
        )
        said_difference = "difference" in lemmas
        left = _combination(toks, lo, negation_start(toks, lo, cue), symbols, difference=elided)
        right = _combination(toks, cue.end, reason_start(toks, cue.end, end, symbols), symbols)
        if left is None or right is None:
            return None
        (lt, lc, lu), (rt, rc, ru) = left, right
        amounts = [t for t in toks[cue.end : end] if t.is_num]
        in_units = (  # 'the total budget ... 1000 units': counted in the decisions' own units, not in dollars
            len(amounts) == 1
            and not amounts[0].money
            and amounts[0].index + 1 < len(toks)
            and toks[amounts[0].index + 1].lemma == "unit"
        )
        if (
            not lt
            and not rt
            and (
                _total(toks, intro_end(toks, start, cue.start, symbols), cue.start, money or in_units)
                or _total_after(toks, start, cue, end, money or in_units)
            )
        ):
            lt = dict.fromkeys(symbols, 1.0)  # 'the total for both projects cannot exceed 1000'
        if not lt and not lc and previous and all(t.lemma in _CONTINUING for t in lead):
            lt = dict(previous)  # 'X needs at least 50 but no more than 150 units': the same X
        if lc or (not lt and not rt):
            return None  # a constant on the left, or no symbol at all
        if not lt:
            amounts = [t for t in toks[cue.end : end] if t.is_num]
            plain_amount = (
                len(amounts) == 1
                and not amounts[0].factor
                and not (
                    amounts[0].index + 1 < len(toks) and toks[amounts[0].index + 1].lemma in ("time", "*")
                )
            )
            if len(rt) == 1 and rc == 0 and plain_amount:
                (x, c), rc = next(iter(rt.items())), next(iter(rt.values()))
                rt = {x: 1.0}  # 'no more than 7 units of property X': an amount of X, not 7 times X
            if len(rt) != 1 or rc == 0 or next(iter(rt.values())) != 1:
                return None
            lt, rt, rc = rt, {}, rc  # 'at least $2,000 must be allocated to X': the symbol follows the amount
        terms = dict(lt)
        for x, c in rt.items():
            terms[x] = terms.get(x, 0.0) - c
        if not any(terms.values()):
            return None
        rows.append(f"{_expr(terms, {x: '{' + x + '}' for x in terms})} {cue.op} {format_number(rc)}")
        used |= lu | ru
        start, previous = end, (lt if not rt else {})
        k += 1
    for i in between:
        window = [t for t in toks[max(0, i - 8) : i] if t.text in symbols]
        if len({t.text for t in window}) != 1:
            return None
        x = window[-1].text
        rows += [
            f"{{{x}}} >= {format_number(toks[i + 1].value)}",
            f"{{{x}}} <= {format_number(toks[i + 3].value)}",
        ]
        used |= {i + 1, i + 3}
    if any(t.is_num and t.index not in used and not back_reference(toks, t.index) for t in toks):
        return None
    return rows


_DEFINED = frozenset({"calculated", "computed", "measured", "given", "defined", "expressed", "quantified"})


def _amount_then_formula(toks: list[Token], cue: Cue, symbols: list[str]) -> str | None:
    """'at least 1500 units (calculated as twice X plus thrice Y) must be transported': the formula in
    brackets right after the amount is what is compared; every other word is plain."""
    i = cue.end
    if i >= len(toks) or not toks[i].is_num or toks[i].factor or toks[i].percent:
        return None
    opening = next((k for k in range(i + 1, min(i + 4, len(toks))) if toks[k].text == "("), None)
    if opening is None or opening + 2 >= len(toks):
        return None
    if toks[opening + 1].lemma not in _DEFINED or toks[opening + 2].lemma != "as":
        return None
    closing = next((k for k in range(opening + 1, len(toks)) if toks[k].text in "()"), None)
    if closing is None or toks[closing].text != ")":
        return None
    inside = _combination(toks, opening + 3, closing, symbols)
    if inside is None or not inside[0] or inside[1]:
        return None
    outside = [t for t in toks if t.index < opening or t.index > closing]
    if any(not plain(t, symbols) and t.index != i and not cue.start <= t.index < cue.end for t in outside):
        return None  # a symbol, another number or a logic word outside the brackets
    terms = inside[0]
    return f"{_expr(terms, {x: '{' + x + '}' for x in terms})} {cue.op} {format_number(toks[i].value)}"


def _without_descriptors(toks: list[Token], cues: list[Cue]) -> list[Cue]:
    """Drop a comparison word that only describes a formula when the same comparison follows it:
    'a minimum score calculated as twice X plus thrice Y, which should be at least 6' (one row, >= 6)."""
    out: list[Cue] = []
    for k, c in enumerate(cues):
        later = cues[k + 1] if k + 1 < len(cues) else None
        if later is not None and later.op == c.op:
            nums = [t for t in toks[c.end : later.start] if t.is_num]
            multipliers = [
                t
                for t in nums
                if t.factor or (t.index + 1 < len(toks) and toks[t.index + 1].lemma in ("time", "times", "*"))
            ]
            as_many = any(
                t.lemma == "as" and t.index + 1 < len(toks) and toks[t.index + 1].lemma in ("many", "much")
                for t in toks[c.end : later.start]
            )
            totaled = later.start > 0 and toks[later.start - 1].text.lower() in ("totaling", "totalling")
            if (
                nums
                and len(multipliers) == len(nums)
                and nums[0].index - c.end <= 8
                and (not as_many or totaled)
            ):
                continue  # 'at least twice as many X plus three times as many Y totaling at least 40': one row
        out.append(c)
    return out


def _headed_list(toks: list[Token], head: int, symbols: list[str]) -> list[str] | None:
    """Bounds listed after a heading that names the direction once ('The maximum hours are as
    follows: 40 for X, 30 for Y'); None unless every amount after the colon was read."""
    if not head:  # no heading: the direction word opens the list ('the maximum for X is 70 and for Y is 50')
        lemmas = {t.lemma for t in toks}
        if lemmas & (_COST | _ASK | {"minimize", "maximize", "?"}):
            return None  # 'what is the minimum cost, at $5 for X ...': amounts of the goal, not bounds
        head = next((t.index + 1 for t in toks if t.lemma in ("maximum", "minimum")), 0)
        if not head:
            return None
    said = {t.lemma for t in toks[:head]}
    upper, lower = bool(said & {"maximum", "upper"}), bool(said & {"minimum", "lower"})
    if upper == lower:
        return None
    listed = bound_list(toks, head, len(toks), "<=" if upper else ">=", symbols)
    if listed is None or any(t.is_num and t.index not in listed[1] for t in toks):
        return None
    return listed[0]


_CONTINUING = frozenset({"but", "and", "yet", "up", ",", "also", "while"})


def _base_op(cue: Cue) -> str | None:
    """The direction a phrase states on its own, before any negation nearby flipped it."""
    for phrases, op in ((GE_PHRASES, ">="), (LE_PHRASES, "<="), (EQ_PHRASES, "==")):
        if cue.words in phrases:
            return op
    return None


def _exceed_by(
    toks: list[Token], start: int, exceed: Cue, by: Cue, stop: int, symbols: list[str]
) -> tuple[str, set[int], int] | None:
    """'X should exceed Y by at least 50' (X - Y >= 50); 'X cannot exceed twice Y by more than 10'
    (X - 2Y <= 10): the row, the numbers used and where the clause ends."""
    base = _base_op(by)
    negated = exceed.op == "<="
    if base not in (">=", "<=") or (negated and base != ">="):
        return None  # 'cannot exceed Y by at least 5': not a plain reading
    op = ("<=" if base == ">=" else ">=") if negated else base
    end = next((j for j in range(by.end, stop) if toks[j].text in _ENDS or toks[j].lemma in _ENDS), stop)
    lo = intro_end(toks, start, exceed.start, symbols)
    if not any(t.text in symbols for t in toks[lo : exceed.start]):
        lo = start
    left = _combination(toks, lo, exceed.start, symbols)
    hi = reason_start(toks, by.end, end, symbols)
    right = _combination(toks, exceed.end, by.start - 1, symbols)
    amount = _combination(toks, by.end, hi, symbols)
    if exceed.end == by.start - 1:  # 'X should not exceed by more than 600 from Y': Y after the margin
        split = next((j for j in range(by.end + 1, hi) if toks[j].lemma in ("from", "over")), None)
        if split is None or (not toks[split - 1].is_num and not toks[split - 2].is_num):
            return None
        right = _combination(toks, split + 1, hi, symbols)
        amount = _combination(toks, by.end, split, symbols)
    if left is None or right is None or amount is None:
        return None
    (lt, lc, lu), (rt, rc, ru), (at, ac, au) = left, right, amount
    if not lt or not rt or lc or rc or at or not au:
        return None
    terms = dict(lt)
    for x, c in rt.items():
        terms[x] = terms.get(x, 0.0) - c
    if not any(terms.values()):
        return None
    return f"{_expr(terms, {x: '{' + x + '}' for x in terms})} {op} {format_number(ac)}", lu | ru | au, end


_TOTAL = frozenset({"total", "combined", "sum", "both", "all", "together", "overall"})
_NOT_COUNT = _COST | {"score", "output", "effectiveness", "budget", "spending", "spend", "point", "$"}


_MONEY_TOTAL = frozenset({"budget", "spending", "spend", "$", "investment", "fund", "funding"})


def _as_many_as(
    toks: list[Token], lo: int, cue: Cue, hi: int, symbols: list[str]
) -> tuple[str, set[int]] | None:
    """'he must plant at least twice as much crop X as crop Y' (X - 2Y >= 0), 'at least as many units for
    X as twice those for Y' (X - 2Y >= 0): the symbol between the two 'as' is compared with the rest."""
    if not all(plain(t, symbols) for t in toks[lo : cue.start]):
        return None  # the compared symbol must come after the comparison word
    i, multiplier, used = cue.end, 1.0, set()
    if i < hi and toks[i].is_num and toks[i].factor:
        multiplier, used = toks[i].value, {i}
        i += 1
    elif i + 1 < hi and toks[i].is_num and toks[i + 1].lemma in ("time", "times"):
        multiplier, used = toks[i].value, {i}
        i += 2
    if not (i + 1 < hi and toks[i].lemma == "as" and toks[i + 1].lemma in ("many", "much")):
        return None
    second = next((j for j in range(i + 2, hi) if toks[j].lemma == "as"), None)
    if second is None:
        return None
    named = [t for t in toks[i + 2 : second] if t.text in symbols]
    if len(named) != 1 or not all(t is named[0] or plain(t, symbols) for t in toks[i + 2 : second]):
        return None
    rest = _combination(toks, second + 1, hi, symbols)
    if rest is None or not rest[0] or rest[1] or named[0].text in rest[0]:
        return None
    terms = {named[0].text: 1.0} | {x: -multiplier * c for x, c in rest[0].items()}
    return f"{_expr(terms, {x: '{' + x + '}' for x in terms})} {cue.op} 0", used | rest[2]


_MORE = frozenset({"more", "additional", "extra"})


def _difference_of(
    toks: list[Token], lo: int, cue: Cue, hi: int, symbols: list[str]
) -> tuple[str, set[int]] | None:
    """'there should not be more than a difference of 10 between X and Y' (X - Y <= 10; the pipeline
    also weighs the two-sided reading): a cap on a difference named after its amount."""
    if cue.op != "<=" or not all(plain(t, symbols) for t in toks[lo : negation_start(toks, lo, cue)]):
        return None
    i = cue.end
    while i < hi and toks[i].lemma in ("a", "the"):
        i += 1
    if not (i + 2 < hi and toks[i].lemma == "difference" and toks[i + 1].lemma == "of"):
        return None
    amount = toks[i + 2]
    if not amount.is_num or amount.factor or amount.percent or amount.money:
        return None
    between = next((j for j in range(i + 3, hi) if toks[j].lemma == "between"), None)
    if between is None or not all(plain(t, symbols) for t in toks[i + 3 : between]):
        return None
    rest = _combination(toks, between + 1, hi, symbols, difference=True)
    if rest is None or len(rest[0]) != 2 or rest[1] or rest[2]:
        return None
    terms = rest[0]
    return f"{_expr(terms, {x: '{' + x + '}' for x in terms})} <= {format_number(amount.value)}", {
        amount.index
    }


def _more_of(
    toks: list[Token], lo: int, cue: Cue, hi: int, symbols: list[str]
) -> tuple[str, set[int]] | None:
    """'there should be at least 10 more units of X than of Y' (X - Y >= 10), 'at least five more hours
    for X1 compared to twice X4' (X1 - 2 X4 >= 5): no symbol before the comparison, then an amount,
    'more', one symbol, 'than' / 'compared to' and the rest."""
    if not all(plain(t, symbols) for t in toks[lo : cue.start]):
        return None
    i = cue.end
    if i >= hi or not toks[i].is_num or toks[i].factor or toks[i].percent or toks[i].money:
        return None
    more = next((j for j in range(i + 1, min(i + 4, hi)) if toks[j].lemma in _MORE), None)
    if more is None or not all(plain(t, symbols) for t in toks[i + 1 : more]):
        return None
    than = next((j for j in range(more + 1, hi) if toks[j].lemma in ("than", "compared")), None)
    if than is None or (
        toks[than].lemma == "compared" and not (than + 1 < hi and toks[than + 1].lemma in ("to", "with"))
    ):
        return None
    named = [t for t in toks[more + 1 : than] if t.text in symbols]
    if len(named) != 1 or not all(t is named[0] or plain(t, symbols) for t in toks[more + 1 : than]):
        return None
    rest = _combination(toks, than + (2 if toks[than].lemma == "compared" else 1), hi, symbols)
    if rest is None or not rest[0] or rest[1] or named[0].text in rest[0]:
        return None
    terms = {named[0].text: 1.0} | {x: -c for x, c in rest[0].items()}
    return f"{_expr(terms, {x: '{' + x + '}' for x in terms})} {cue.op} {format_number(toks[i].value)}", {
        i
    } | rest[2]


def _each_bound(
    toks: list[Token], lo: int, cue: Cue, hi: int, symbols: list[str], kinds: frozenset[str] = frozenset()
) -> tuple[list[str], set[int]] | None:
    """'Tours X1 and X2 can have up to 500 units each': the same bound on every symbol listed on the left;
    'at least one unit each must be built for both types (X and Y)': on every symbol named after 'each';
    'the tasks must take a maximum of 24 hours each' (no symbol in the sentence): on every decision."""
    left, right = toks[lo : cue.start], toks[cue.end : hi]
    named = [t.text for t in left if t.text in symbols]
    nums = [t for t in right if t.is_num]
    after = _after_each(right, nums, symbols)
    if not named and after is not None:
        if not after and (any(t.text in symbols for t in toks) or not {t.lemma for t in left} & kinds):
            return (
                None  # 'each' with no symbol after it: only 'the tasks ... each' when tasks are the symbols
            )
        named = after or list(symbols)
        if {t.lemma for t in toks[: cue.start]} & (_TOTAL | _COST) or any(t.text in symbols for t in left):
            return None
    if len(named) < 2 or len(set(named)) != len(named) or len(nums) != 1 or nums[0].factor or nums[0].percent:
        return None
    if not any(t.lemma == "each" for t in right[right.index(nums[0]) :]):
        return None
    if {t.lemma for t in left} & _TOTAL or not all(t.text in symbols or plain(t, symbols) for t in left):
        return None  # 'X and Y combined ... each': a total, or a logic word
    listed_after = set(after or []) if not any(t.text in symbols for t in left) else set()
    if not all(
        t is nums[0] or t.lemma == "each" or plain(t, symbols) or t.text in listed_after for t in right
    ):
        return None
    return [f"{{{x}}} {cue.op} {format_number(nums[0].value)}" for x in named], {nums[0].index}


def _after_each(right: list[Token], nums: list[Token], symbols: list[str]) -> list[str] | None:
    """The symbols an 'N (units) each' applies to when none came before the comparison: those named after
    'each', or every decision when the clause ends at 'each' and the sentence names none."""
    if len(nums) != 1:
        return None
    k = right.index(nums[0])
    gap = 2 if k + 2 < len(right) and right[k + 2].lemma == "each" and right[k + 1].text.isalpha() else 1
    if k + gap >= len(right) or right[k + gap].lemma != "each":
        return None
    rest = right[k + gap + 1 :]
    named = [t.text for t in rest if t.text in symbols]
    if named:
        return named
    if all(t.kind == "punct" for t in rest):
        return []  # the clause ends at 'each': every decision, when the sentence names none
    return None


def _total(toks: list[Token], lo: int, hi: int, money: bool = False) -> bool:
    """A total over every decision with no symbol named: 'total', 'both', 'all', and nothing measured per unit.
    When the decisions are sums of money (``money``), 'the total budget' is their sum too."""
    lemmas = {t.lemma for t in toks[lo:hi]}
    blocked = _NOT_COUNT - _MONEY_TOTAL if money else _NOT_COUNT
    return (
        bool(lemmas & _TOTAL)
        and not lemmas & blocked
        and not any((t.money and not money) or t.percent for t in toks[lo:hi])
    )


def _total_after(toks: list[Token], lo: int, cue: Cue, hi: int, money: bool) -> bool:
    """'only a total of 8 tasks can be done', 'a maximum of 100 properties in total': the total named
    next to the amount, after the comparison word."""
    amounts = [t for t in toks[cue.end : hi] if t.is_num]
    if len(amounts) != 1:
        return False
    i = amounts[0].index
    before = [t.lemma for t in toks[max(cue.end, i - 3) : i]]
    after = [t.lemma for t in toks[i + 1 : i + 4]]
    named = before[-2:] == ["total", "of"] or (after[1:3] == ["in", "total"] or after[:2] == ["in", "total"])
    return named and _total(toks, lo, hi, money)


_MONEY_WORDS = frozenset({"budget", "fund", "invest", "investment", "money", "capital", "dollar"})


def _money_decisions(sents: list[Sentence], symbols: list[str]) -> bool:
    """The decisions are amounts of money: the sentence listing the symbols splits a budget or funds
    ('allocate the marketing budget between channels X and Y')."""
    for s in sents:
        if len({t.text for t in s.tokens if t.text in symbols}) >= 2:
            return bool({t.lemma for t in s.tokens} & _MONEY_WORDS)
    return False


def _for_symbol_next(toks: list[Token], lo: int, hi: int, symbols: list[str]) -> bool:
    """'$10,000 and for option Y': after the amount, 'and for' opens the next symbol's requirement."""
    nums = [t.index for t in toks[lo:hi] if t.is_num]
    if len(nums) != 1:
        return False
    i = nums[0] + 1
    later = next((t for t in toks[hi:] if t.is_num), None)
    return (
        later is not None
        and later.money == toks[nums[0]].money  # '$100 and for Y, ... 50 units': amounts of two kinds
        and i + 1 < hi
        and toks[i].lemma == "and"
        and toks[i + 1].lemma == "for"
        and any(t.text in symbols for t in toks[i + 2 : hi])
    )


def _split_rhs(toks: list[Token], lo: int, hi: int) -> int:
    """Where the right side of one comparison ends when the next follows without a comma: at the
    'and' (or 'while', 'but') after its number ('no more than 7 units of X and no more than 6 of Y')."""
    for j in range(lo, hi):
        if toks[j].is_num and not toks[j].factor:
            k = j + 1
            while k < hi and toks[k].lemma not in ("and", "while", "but") and toks[k].kind != "punct":
                k += 1
            return k
    return hi


def _symbols_of(toks: list[Token]) -> set[str]:
    return {t.text for t in toks if t.kind == "word" and _SYMBOL.fullmatch(t.text)}


def _combination(
    toks: list[Token], lo: int, hi: int, symbols: list[str], *, difference: bool = False
) -> tuple[dict[str, float], float, set[int]] | None:
    """(coefficient per symbol, constant, number tokens used) of a span, or None when it is not plain
    algebra; ``difference`` when 'the difference' was said in an earlier clause and is implied here."""
    terms: dict[str, float] = {}
    constant = 0.0
    used: set[int] = set()
    sign = 1.0
    coef: float | None = None
    coef_at = -1
    after_constant = False
    const_at = -1
    subtracted, last_term = False, lo
    grouped = False
    for i in range(lo, hi):
        t = toks[i]
        counted = t.value == len(symbols) and i > lo and toks[i - 1].lemma in ("all", "the", "both")
        if (counted or back_reference(toks, i)) and t.is_num and t.spelled and not t.factor:
            used.add(i)  # 'across all three projects', 'these two areas': a count, not an amount
            continue
        if t.is_num:
            if (
                t.percent
                and coef is None
                and i + 1 < hi
                and toks[i + 1].lemma == "of"
                and _symbol_follows(toks, i, hi, symbols)
            ):
                coef, coef_at = t.value / 100, i  # '80% of the allocation for X': 0.8 X
                used.add(i)
                continue
            if t.percent or (t.money and coef is None and _symbol_follows(toks, i, hi, symbols)):
                return None  # '$5 of X': money as a multiplier is not algebra
            if coef is not None:
                return None
            coef, coef_at = t.value, i
            used.add(i)
            if i + 1 < hi and toks[i + 1].lemma in ("time", "times", "*"):
                continue
            if not t.factor and not _symbol_follows(toks, i, hi, symbols):
                if after_constant:
                    return None  # two amounts on one side ('150 units ... these two destinations')
                constant += sign * coef
                coef, sign = None, 1.0
                after_constant, const_at = True, i
            continue
        fraction = _hyphenated_fraction(t.text)
        if fraction is not None:
            if coef is not None:
                return None
            coef, coef_at = fraction, i  # 'three-fourths of X'
            continue
        if t.kind == "word" and _NUMBER_INSIDE.search(t.text.lower()) and t.text not in symbols:
            return None  # 'three-and-half', 'x1x2': a number inside a word
        if t.text in symbols:
            if after_constant and any(x.lemma == "and" for x in toks[lo:i]):
                return None  # '$10,000 and for option Y': a second requirement, not a sum
            if after_constant and not {x.lemma for x in toks[const_at + 1 : i]} & _JOINERS:
                return None  # '4 for Y': an amount given to Y, not 4 added to Y
            if t.text in terms:
                return None  # a symbol named twice on one side: not plain algebra
            c = 1.0 if coef is None else coef
            if difference and terms:
                joined = {x.lemma for x in toks[last_term + 1 : i]}
                if len(terms) == 1:
                    grouped = bool(joined & _GROUPS)  # 'the difference between X and the sum of Y and Z'
                elif sign < 0 or not grouped:
                    return None  # 'the difference between X and Y minus Z': which grouping?
                sign = -1.0
            if subtracted and sign > 0 and any(x.lemma == "and" for x in toks[last_term + 1 : i]):
                return None  # 'minus X1 and X3': is X3 subtracted too?
            subtracted = sign < 0 and not difference
            terms[t.text] = terms.get(t.text, 0.0) + sign * c
            coef, sign, last_term = None, 1.0, i
            continue
        lemma = t.lemma
        if lemma in ("excess", "surplus") and not (
            i + 2 < hi and toks[i + 1].lemma == "of" and toks[i + 2].is_num
        ):
            return None  # 'the excess of X over Y': a difference this reader does not write
        if lemma in ("time", "times", "*") and coef is not None and coef_at >= i - 1:
            continue
        if lemma == "difference":
            difference = True
            continue
        if lemma in ("reduced", "decreased", "lowered", "diminished"):
            if i + 1 < hi and toks[i + 1].lemma == "by":
                sign = -1.0  # 'X reduced by Y': X - Y
                continue
            return None  # 'that reduced from Y': not plain algebra
        if (
            t.text == "-"
            and not terms
            and coef is None
            and all(x.kind == "punct" for x in toks[lo:i])
            and i + 1 < hi
            and (toks[i + 1].text in symbols or toks[i + 1].text[:1].isupper())
        ):
            continue  # '- X2 properties: up to 50': a list's bullet opening the clause, not a minus
        if t.text == "-" and i > lo and toks[i - 1].kind == "word" and toks[i - 1].text not in symbols:
            if i + 1 < hi and toks[i + 1].text[:1].isupper() and toks[i + 1].text not in symbols:
                continue  # 'Up to 40 units- Commercial properties: ...': a list's bullet, not a minus
            return None  # 'the hours - three times ...': a dash after a word is not read as minus
        if lemma in _MINUS and not (i + 1 < hi and toks[i + 1].lemma == "than"):
            sign = -1.0
            continue
        if lemma in ("more", "greater", "additional", "extra") and i + 1 < hi and toks[i + 1].lemma == "than":
            continue  # '10 more than Y': the constant is added
        if lemma == "than" and i > lo and toks[i - 1].lemma in ("more", "greater", "additional", "extra"):
            continue
        if lemma == "than" and _more_than(toks, const_at, i, symbols):
            continue  # '10 more hours than Y': the constant is added
        if lemma == "than":
            return None  # '10 less than Y', 'fewer than': not read
        if (
            lemma == "as"
            and i > lo
            and toks[i - 1].lemma
            in (
                "calculated",
                "computed",
                "given",
                "defined",
                "expressed",
                "measured",
                "quantified",
                "represented",
                "determined",
                "evaluated",
            )
        ):
            continue  # 'calculated as 4 times X plus 6 times Y'
        if (
            lemma == "as"
            and coef is not None
            and (
                toks[i - 1].is_num
                or toks[i - 1].lemma in ("many", "much")
                or (i + 1 < hi and toks[i + 1].lemma in ("many", "much"))
            )
        ):
            continue  # 'twice as many as Y': the multiplier stays for Y
        if lemma in ("many", "much") and coef is not None:
            continue
        if (
            lemma == "per"
            and i + 1 < hi
            and toks[i + 1].lemma in ("week", "day", "month", "year")
            and constant
            and coef is None
        ):
            continue  # '50 hours per week': the period of the amount
        if lemma == "provided" and not (i + 1 < hi and toks[i + 1].lemma == "that"):
            continue  # 'the amount provided by X': a participle, not 'provided that'
        if (
            t.text.lower() == "times"
            and coef is None
            and i > lo
            and toks[i - 1].kind == "word"
            and not toks[i - 1].is_num
        ):
            continue  # 'the difference in start times between t2 and t1': a noun, not a multiplier
        if lemma in _DANGER or t.text.lower() == "times":
            return None
        if lemma in _PLUS:
            continue
    if coef is not None:
        return None
    if difference and len(terms) != 2 and not grouped:
        return None
    return terms, constant, used


_GROUPS = frozenset({"sum", "combined", "both", "total", "together"})


_JOINERS = frozenset({"plus", "+", "more", "greater", "additional", "extra", "over", "added", "than"})


def _more_than(toks: list[Token], const_at: int, than: int, symbols: list[str]) -> bool:
    """'10 more hours allocated than': a constant, 'more' and plain words, then 'than' (no symbol between)."""
    if const_at < 0:
        return False
    gap = toks[const_at + 1 : than]
    return any(t.lemma in ("more", "greater", "additional", "extra") for t in gap) and all(
        plain(t, symbols) or t.lemma == "more" for t in gap
    )


_NUMBER_INSIDE = re.compile(
    r"\d|\b(?:"
    + "|".join(sorted(set(NUMBER_WORDS) | set(FACTOR_WORDS) | {"tenth", "tenths"}, key=len, reverse=True))
    + r")\b"
)
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "fourth": 4, "quarter": 4, "fifth": 5, "sixth": 6}
_DENOMINATORS |= {"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}


def _hyphenated_fraction(word: str) -> float | None:
    """'three-fourths' -> 0.75, 'six-tenths' -> 0.6: a fraction written as one hyphenated word."""
    m = re.fullmatch(r"([a-z]+)-([a-z]+?)s?", word.lower())
    if m is None or m.group(1) not in NUMBER_WORDS or m.group(2) not in _DENOMINATORS:
        return None
    return NUMBER_WORDS[m.group(1)] / _DENOMINATORS[m.group(2)]


def _symbol_follows(toks: list[Token], i: int, hi: int, symbols: list[str]) -> bool:
    """A symbol comes after the number before another number or an operator word ('for' stops it
    unless an 'of' came first: '4 for Y' is an amount for Y, '80% of the budget for Y' a share of Y)."""
    of = False
    for t in toks[i + 1 : hi]:
        if t.text in symbols:
            return True
        of = of or t.lemma == "of"
        if (
            t.is_num
            or t.lemma in ("plus", "minus", "and", ",", "than", "more", "less", "over")
            or (t.lemma == "for" and not of)
            or t.lemma in _VERBS
        ):
            return False  # '$2,000 must be allocated to X': an amount given to X, not a multiplier
    return False


_VERBS = frozenset(
    {
        "must",
        "should",
        "be",
        "is",
        "are",
        "to",
        "allocated",
        "invested",
        "assigned",
        "spent",
        "go",
        "put",
        "placed",
        "devoted",
        "given",
        "need",
        "needs",
        "require",
        "required",
        "shall",
        "will",
        "can",
    }
)


def _one_unit(toks: list[Token], t: Token) -> bool:
    """The 'one' of 'one unit': the unit an amount is per, not an amount."""
    nxt = toks[t.index + 1] if t.index + 1 < len(toks) else None
    return t.is_num and t.spelled and t.value == 1 and nxt is not None and nxt.lemma == "unit"


def _coefficients(s: Sentence, symbols: list[str], goal_nouns: set[str]) -> dict[str, float] | None:
    """Objective coefficients: '$300, 200, 100 and $50 for x1, x2, x3 and x4 respectively',
    'type X costing $50,000 per unit and type Y costing $80,000', '$100 for crop X and $200 for crop Y',
    'the workloads are 3, 4 and 5 units respectively' (in the order the symbols were listed), when the
    sentence names a cost or the goal's own noun ('minimize the total workload')."""
    toks = without_asides(s, symbols).tokens  # '(X, Y are integers ...)' names no amounts
    if not {t.lemma for t in toks} & (_COST | goal_nouns):
        return None
    toks = [t for t in toks if not _one_unit(toks, t)]  # 'the cost of one unit of each product'
    nums = [t for t in toks if t.is_num and not t.factor and not t.percent]
    named = [t.text for t in toks if t.text in symbols]
    if not nums or len(nums) != len([t for t in toks if t.is_num]):
        return None
    lemmas = {t.lemma for t in toks}
    if "respectively" in lemmas or ("respective" in lemmas and not named):
        listed = list(dict.fromkeys(named)) or symbols  # no symbol named: the order they were listed in
        if len(listed) == len(nums):
            return {x: n.value for x, n in zip(listed, nums)}
        return None
    paired = _pairs(toks, symbols)
    if paired is None:
        first = next(i for i, t in enumerate(toks) if t.is_num)
        cut = max((i + 1 for i in range(first) if toks[i].text in (",", ":")), default=0)
        head = {t.text for t in toks[:cut] if t.text in symbols}
        tail = _pairs(toks[cut:], symbols)
        if cut and tail is not None and head == set(tail):
            return tail  # 'each acre of crops X and Y incurs costs, quantified as $100 for X and $200 for Y'
    return paired


def _pairs(toks: list[Token], symbols: list[str]) -> dict[str, float] | None:
    """One amount per symbol, clause by clause: '$100 for crop X and $200 for crop Y'."""
    out: dict[str, float] = {}
    clauses: list[list[Token]] = [[]]
    for t in toks:
        if t.lemma in ("and", ",", ";", "while", "whereas"):
            clauses.append([])
        else:
            clauses[-1].append(t)
    waiting: str | None = None
    for clause in clauses:
        cn = [t for t in clause if t.is_num]
        cx = [t.text for t in clause if t.text in symbols]
        if not cn and not cx:
            continue
        if not cn and len(set(cx)) == 1 and waiting is None:
            waiting = cx[0]  # 'for type Y, it is $70 per unit': the symbol, then its amount
            continue
        if waiting is not None and not cx:
            cx, waiting = [waiting], None
        if len(cn) != 1 or len(set(cx)) != 1 or cx[0] in out or waiting is not None:
            return None
        out[cx[0]] = cn[0].value
    return out if out and waiting is None else None
