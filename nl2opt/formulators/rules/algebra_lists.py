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

from nl2opt.formulators.rules.algebra_spans import plain
from nl2opt.formulators.rules.cues import Cue
from nl2opt.formulators.rules.numbers import format_number
from nl2opt.formulators.rules.sentences import Token

_SEPARATORS = frozenset({",", ";", "and", "while", "whereas", "but"})
_PERIODS = frozenset({"week", "day", "month", "year", "hour", "shift"})
_SHARED = frozenset({"between", "among", "amongst", "across"})
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
_GOAL_WORDS = frozenset({"what", "find", "calculate", "determine", "compute", "minimize", "maximize", "?"})

Rows = tuple[list[str], set[int]]


def _amount(t: Token) -> bool:
    return t.is_num and not t.factor and not t.percent


def _per_period(toks: list[Token], i: int) -> bool:
    """'per week' after an amount: the period the amount is counted over."""
    return toks[i].lemma == "per" and i + 1 < len(toks) and toks[i + 1].lemma in _PERIODS


def bound_list(toks: list[Token], lo: int, hi: int, op: str, symbols: list[str]) -> Rows | None:
    """Rows 'X op a', 'Y op b' from parts holding one amount and one symbol each, or None."""
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
    if shared is None:
        return None
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
    span = toks[lo:]
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
