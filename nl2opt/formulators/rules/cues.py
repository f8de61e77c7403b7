"""Direction cues: where a clause says 'at least', 'must not exceed', 'up to' ...

A cue is found on the lemmas of a clause, longest phrase first, with negation
applied ("does not want to spend more than" is <=, "no less than" is >=). The
rules ask for the cue nearest before a number, because English puts the
direction in front of the amount it governs ("at least 80 but at most 500").
"""

from __future__ import annotations

from dataclasses import dataclass

from nl2opt.formulators.rules.lexicon import EQ_PHRASES, GE_PHRASES, LE_PHRASES, OBJECTIVE_MONEY
from nl2opt.formulators.rules.sentences import Token

_NEGATIONS = frozenset({"not", "no", "nobody", "none", "neither", "nor", "never", "cannot", "can't", "don't", "doesn't", "won't", "shouldn't", "mustn't", "isn't", "aren't"})
_PREVENTING = frozenset({"restricts", "restrict", "prevents", "prevent", "prohibits", "prohibit", "forbids", "forbid"})
_FLIPPABLE = frozenset({("or", "more"), ("or", "less"), ("or", "fewer"), ("more", "than"), ("more", "that"), ("exceed",), ("greater", "than"), ("less", "than"), ("fewer", "than"), ("below",), ("under",)})


@dataclass(frozen=True)
class Cue:
    """A direction phrase: its operator and token span (end exclusive)."""

    op: str  # ">=", "<=", "=="
    start: int
    end: int
    words: tuple[str, ...]


def _norm(tok: Token) -> str:
    low = tok.text.lower()
    if low in _NEGATIONS or low.endswith("n't") or low in _PREVENTING:
        return "not"  # 'fatigue restricts throwing more than 9': a cap
    return tok.lemma


def find_cues(tokens: list[Token]) -> list[Cue]:
    """All direction phrases in a token list, non-overlapping, left to right."""
    words = [_norm(t) for t in tokens]
    table = [(p, ">=") for p in GE_PHRASES] + [(p, "<=") for p in LE_PHRASES] + [(p, "==") for p in EQ_PHRASES]
    table.sort(key=lambda pe: -len(pe[0]))
    out: list[Cue] = []
    i = 0
    while i < len(words):
        for phrase, op in table:
            n = len(phrase)
            if tuple(words[i:i + n]) != phrase:
                continue
            if phrase in (("minimum",), ("maximum",), ("minimal",)) and not _number_follows(tokens, i + 1, window=8, clause=True):
                continue  # not 'to keep a minimum level of quality, the mix of 4 units ...'
            if phrase in (("minimum",), ("maximum",)) and _goal_per_one(tokens, i + 1):
                continue  # 'the minimum cost of staffing one shift': the goal, counted per one shift
            if phrase in (("only",),) and not _number_follows(tokens, i + 1, window=6):
                continue
            if phrase in (("under",), ("within",), ("max",)) and not _number_follows(tokens, i + 1, window=1):
                continue
            if phrase in _FLIPPABLE and ("not" in words[max(0, i - 4):i] or _neither_governs(tokens, i)):
                op = "<=" if op == ">=" else ">="
            out.append(Cue(op, i, i + n, phrase))
            i += n - 1
            break
        i += 1
    return out


_CLAUSE_NEGATIONS = frozenset({"no", "none", "neither", "never", "nobody"})


def _neither_governs(tokens: list[Token], i: int) -> bool:
    """'Neither oven can run for less than 2 hours or more than 9 hours', 'no press can run for more
    than 8 hours': a 'neither' anywhere before, or a negation opening the clause, negates every
    comparison up to the next comma or clause break, however far."""
    first = None
    for t in reversed(tokens[:i]):
        if t.text in (",", ";") or t.lemma in ("and", "but", "while", "whereas"):
            break
        if t.lemma == "neither":
            return True
        first = t
    return first is not None and first.lemma in _CLAUSE_NEGATIONS


def _number_follows(tokens: list[Token], i: int, *, window: int = 4, clause: bool = False) -> bool:
    for t in tokens[i:i + window]:
        if t.is_num:
            return True
        if clause and t.text in (",", ";"):
            return False
    return False


def _goal_per_one(tokens: list[Token], i: int) -> bool:
    """'minimum cost of staffing one shift': money named right after, and only a spelled 'one' to follow."""
    if i >= len(tokens) or tokens[i].lemma not in OBJECTIVE_MONEY:
        return False
    nums = [t for t in tokens[i:] if t.is_num]
    return bool(nums) and all(t.spelled and t.value == 1 and not t.factor for t in nums)


def cue_before(cues: list[Cue], index: int) -> Cue | None:
    """The nearest cue ending at or before token ``index``."""
    best = None
    for c in cues:
        if c.end <= index:
            best = c
    return best
