"""Several bounds in one clause, for :mod:`algebra`: each amount tied to its own symbol.

- a list after one comparison word: 'the maximum for project X is 700 units and for project Y is
  500 units', 'a maximum of 30 for X, 25 for Y and 20 for Z' (one amount and one symbol per part);
- a list with 'respectively': 'the upper limits for X and Y are 60 and 70 units respectively';
- a shared total: 'at least 300 units must be split between X and Z' (X + Z >= 300).

Each returns the rows and the number tokens it used, or None when the clause is not exactly one of
these shapes (a part with two amounts, an amount with no symbol, a multiplier, a logic word), so
the caller declines or tries the general algebra.
"""

from __future__ import annotations

import itertools

from nl2opt.formulators.rules.algebra_spans import plain, wrapper_word
from nl2opt.formulators.rules.cues import Cue
from nl2opt.formulators.rules.numbers import format_number
from nl2opt.formulators.rules.sentences import Token

_SEPARATORS = frozenset({",", ";", "and", "while", "whereas", "but"})
_PERIODS = frozenset({"week", "day", "month", "year", "hour", "shift"})
_SHARED = frozenset({"between", "among", "amongst", "across", "collectively", "jointly"})
_JOINT = frozenset({"collectively", "jointly", "combined", "together"})
_UPPER = frozenset({"maximum", "max", "upper", "most"})
_LOWER = frozenset({"minimum", "min", "lower", "least"})
_MONEY_WORDS = frozenset(
    {
        "cost",
        "costing",
        "profit",
        "return",
        "revenue",
        "price",
        "yield",
        "earn",
        "fee",
        "expense",
        "score",
        "value",
    }
)
_ASK = frozenset({"what", "find", "calculate", "determine", "compute"})
_GOAL_WORDS = frozenset({"what", "find", "calculate", "determine", "compute", "minimize", "maximize", "?"})

Rows = tuple[list[str], set[int]]


def _amount(t: Token) -> bool:
    return t.is_num and not t.factor and not t.percent


def _per_period(toks: list[Token], i: int) -> bool:
    """'per week' after an amount: the period the amount is counted over."""
    return toks[i].lemma == "per" and i + 1 < len(toks) and toks[i + 1].lemma in _PERIODS


def bound_list(toks: list[Token], lo: int, hi: int, op: str, symbols: list[str]) -> Rows | None:
    """Rows 'X op a', 'Y op b' from parts holding one amount and one symbol each, or None."""
    if any(toks[i].lemma in _JOINT for i in range(lo, hi)):
        return None  # '150 allocated collectively to X and 5 to Y': not one amount per symbol
    parts: list[list[int]] = [[]]
    for i in range(lo, hi):
        if toks[i].lemma in _SEPARATORS or toks[i].text in _SEPARATORS:
            parts.append([])
        else:
            parts[-1].append(i)
    rows: list[str] = []
    used: set[int] = set()
    for part in parts:
        nums = [i for i in part if toks[i].is_num]
        named = [toks[i].text for i in part if toks[i].text in symbols]
        if not nums and not named:
            if not all(plain(toks[i], symbols) for i in part):
                return None
            continue
        if len(nums) != 1 or len(named) != 1 or not _amount(toks[nums[0]]):
            return None
        for i in part:
            if i in nums or toks[i].text in symbols or plain(toks[i], symbols) or _per_period(toks, i):
                continue
            if i > 0 and _per_period(toks, i - 1):
                continue
            return None
        rows.append(f"{{{named[0]}}} {op} {format_number(toks[nums[0]].value)}")
        used.add(nums[0])
    return (rows, used) if rows else None


def shared_total(toks: list[Token], lo: int, hi: int, op: str, symbols: list[str]) -> Rows | None:
    """'at least 300 units must be allocated between routes x1 and x3': the symbols' sum op 300."""
    nums = [i for i in range(lo, hi) if toks[i].is_num]
    if len(nums) != 1 or not _amount(toks[nums[0]]):
        return None
    shared = next((i for i in range(nums[0] + 1, hi) if toks[i].lemma in _SHARED), None)
    if shared is None or any(t.lemma in ("difference", "gap") for t in toks):
        return None  # 'a difference of 6 between X and Y' is no sum
    named: list[str] = []
    for i in range(lo, hi):
        t = toks[i]
        if i == nums[0] or t.lemma in _SHARED or t.lemma in ("and", ",", "combined", "together"):
            continue
        if t.text in symbols:
            if i < shared or t.text in named:
                return None
            named.append(t.text)
            continue
        if not plain(t, symbols):
            return None
    if len(named) < 2:
        return None
    return [" + ".join(f"{{{x}}}" for x in named) + f" {op} {format_number(toks[nums[0]].value)}"], {nums[0]}


def _run(toks: list[Token], positions: list[int], symbols: list[str]) -> bool:
    """The positions form one list: between neighbours only ',', 'and' or up to two plain words."""
    for a, b in itertools.pairwise(positions):
        gap = toks[a + 1 : b]
        if len(gap) > 3 or not all(t.text == "," or t.lemma == "and" or plain(t, symbols) for t in gap):
            return False
    return True


def respective(toks: list[Token], cues: list[Cue], lo: int, symbols: list[str]) -> Rows | None:
    """'the maximum for X and Y is 60 and 70 respectively': one row per symbol, in order, or None."""
    last = max((t.index for t in toks if t.is_num), default=len(toks))
    asked = next((t.index for t in toks[last:] if t.lemma in _ASK), len(toks))
    span = toks[lo:asked]  # a question after the list ('..., what is the minimum cost?') is not part of it
    lemmas = [t.lemma for t in span]
    if lemmas.count("respectively") != 1 or set(lemmas) & (_MONEY_WORDS | _GOAL_WORDS):
        return None
    ops = {c.op for c in cues}
    if not cues:
        upper, lower = bool(set(lemmas) & _UPPER), bool(set(lemmas) & _LOWER)
        if upper == lower:
            return None
        ops = {"<=" if upper else ">="}
    if len(ops) != 1 or len(cues) > 1:
        return None
    named = [t.index for t in span if t.text in symbols]
    nums = [t.index for t in span if t.is_num]
    names = [toks[i].text for i in named]
    if len(named) < 2 or len(set(names)) != len(names) or len(nums) != len(named):
        return None
    if (
        not all(_amount(toks[i]) for i in nums)
        or not _run(toks, named, symbols)
        or not _run(toks, nums, symbols)
    ):
        return None
    cue_words = {i for c in cues for i in range(c.start, c.end)}
    allowed = {"respectively", "each", "every"} | _UPPER | _LOWER
    for t in span:
        if t.index in named or t.index in nums or t.index in cue_words or t.lemma in allowed:
            continue
        if not plain(t, symbols):
            return None
    op = ops.pop()
    return [f"{{{x}}} {op} {format_number(toks[i].value)}" for x, i in zip(names, nums)], set(nums)


_RANGE_JOINS = frozenset({"to", "-", "and", ",", "till", "until"})
_RANGE_WORDS = frozenset(
    {"between", "from", "range", "ranging", "inclusive", "respective", "bound", "bounds", "limit", "both"}
)


def _range_at(toks: list[Token], i: int) -> tuple[int, int, int] | None:
    """(first token, last token + 1, index of the upper amount) of a range starting at ``i``:
    '[0, 300]', 'from 0 to 300', 'between 0 and 300', '0-300', '(0 to 300)'."""
    n = len(toks)
    opener = toks[i].text in ("[", "(") or toks[i].lemma in ("from", "between")
    a = i + 1 if opener else i
    if a + 2 >= n or not _amount(toks[a]) or not _amount(toks[a + 2]):
        return None
    join = toks[a + 1]
    if join.lemma not in _RANGE_JOINS or toks[a].value > toks[a + 2].value:
        return None
    if join.text == "," and toks[i].text != "[":
        return None  # '0, 300' is a list, not a range, outside brackets
    if join.lemma == "and" and toks[i].lemma != "between":
        return None
    if join.text == "-" and opener and toks[i].lemma not in ("from", "between") and toks[i].text != "[":
        return None
    end = a + 3
    if toks[i].text in ("[", "("):
        if end >= n or toks[end].text != ("]" if toks[i].text == "[" else ")"):
            return None
        end += 1
    return i, end, a + 2


def ranges(toks: list[Token], lo: int, symbols: list[str]) -> Rows | None:
    """'x1: [0, 3000]', 'for good X it ranges from 0-1500 units and for good Y from 0-1000 units',
    'bounds of 0-10 for X, 0-8 for Y': a lower and an upper row per symbol, or None."""
    found: list[tuple[int, int, int]] = []
    i = lo
    while i < len(toks):
        r = _range_at(toks, i)
        if r is None:
            i += 1
            continue
        found.append(r)
        i = r[1]
    if not found:
        return None
    inside = {j for a, b, _ in found for j in range(a, b)}
    asked = next((t.index for t in toks[found[-1][1] :] if t.lemma in _ASK), len(toks))
    for t in toks[lo:asked]:
        if t.index not in inside and not (
            t.text in symbols or wrapper_word(t, symbols) or t.lemma in _RANGE_WORDS
        ):
            return None  # a number or a logic word outside the ranges
    if any(t.is_num for t in toks[asked:]):
        return None  # the question after the ranges holds an amount of its own
    rows: list[str] = []
    used: set[int] = set()
    claimed: set[str] = set()
    previous_end = lo
    for k, (a, b, upper) in enumerate(found):
        next_start = found[k + 1][0] if k + 1 < len(found) else len(toks)
        opening = max(
            (j + 1 for j in range(previous_end, a) if toks[j].text in ("(", ";", ",")), default=previous_end
        )
        before = [t.text for t in toks[opening:a] if t.text in symbols and t.text not in claimed]
        stop = next((j for j in range(b, next_start) if toks[j].text in (",", ";")), next_start)
        after = [t.text for t in toks[b:stop] if t.text in symbols]
        names = before or after
        if len(set(names)) != 1 or names[0] in claimed:
            return None
        x = names[0]
        claimed.add(x)
        lower = upper - 2
        rows += [
            f"{{{x}}} >= {format_number(toks[lower].value)}",
            f"{{{x}}} <= {format_number(toks[upper].value)}",
        ]
        used |= {lower, upper}
        previous_end = b
    return rows, used


_CAPS = _UPPER | frozenset({"limit", "bound", "cap", "capacity", "ceiling"})
_LEAD_STOPS = frozenset({",", ";", ":", "."})


def bracketed_bounds(toks: list[Token], symbols: list[str]) -> tuple[list[str], int, int] | None:
    """'each exercise has an upper limit on the hours that can be allocated (15 for X, 20 for Y and
    25 for Z)', 'specific bounds on how many units can be carried (400 for X and 300 for Y)': one
    bound per symbol listed in brackets; the clause before the bracket names the direction (a limit
    or bound with no 'lower' / 'minimum' is a cap). The rows and the bracket's first and last token."""
    opening = next((i for i, t in enumerate(toks) if t.text == "("), None)
    if opening is None:
        return None
    closing = next((j for j in range(opening + 1, len(toks)) if toks[j].text in "()"), None)
    if closing is None or toks[closing].text != ")":
        return None
    lead_start = max((j + 1 for j in range(opening) if toks[j].text in _LEAD_STOPS), default=0)
    lead = toks[lead_start:opening]
    lemmas = {t.lemma for t in lead}
    upper, lower = bool(lemmas & _CAPS), bool(lemmas & _LOWER)
    if lower or not upper or lemmas & (_MONEY_WORDS | _GOAL_WORDS):
        return None  # a lower bound said with 'bound' too, no direction, or amounts of the goal
    if not all(plain(t, symbols) or t.lemma in _CAPS | {"each", "every"} for t in lead):
        return None  # a number, a symbol or a logic word before the bracket
    inside = toks[opening + 1 : closing]
    if any(t.money or t.percent for t in inside):
        return None
    listed = bound_list(toks, opening + 1, closing, "<=", symbols)
    named = [t.text for t in inside if t.text in symbols]
    if listed is None or len(named) < 2 or len(set(named)) != len(named):
        return None
    if any(t.is_num and t.index not in listed[1] for t in inside):
        return None
    return listed[0], opening, closing
