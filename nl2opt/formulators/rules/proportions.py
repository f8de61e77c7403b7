"""Proportions between two decisions: 'the ratio of A to B must be at least 2', 'A and B in a
ratio of 3:2', 'for each A, at least 2 B'.

Sentence rules called by :mod:`patterns` before the multiplier rules of :mod:`relations`, which
would otherwise read the ratio's number as a bound on one decision ('the ratio of chairs to
tables must not exceed 4' is not 'tables <= 4'). A clause that speaks of a ratio and does not
fit these forms exactly is reported, never guessed.
"""

from __future__ import annotations

from nl2opt.formulators.rules.cues import cue_before
from nl2opt.formulators.rules.facts import Problem, Relation


def _plain(t) -> bool:
    return t.is_num and not (t.money or t.percent or t.factor)


def ratio(toks, ments, cues, nums, s, out, used, lo: int, hi: int) -> bool:
    """'the ratio of A to B is (at least) N[:M]', 'A and B (are made) in a ratio of N:M' -> A op (N/M)*B.

    Without a comparison the ratio is exact. True when the clause was read or reported.
    """
    at = next((k for k in range(lo, hi) if toks[k].lemma == "ratio"), None)
    if at is None:
        return False
    names = list(dict.fromkeys(m.var.name for m in ments))
    if len(names) < 2:
        return False
    free = [n for n in nums if n.index not in used]
    terms = [n for n in free if n.index > at]
    read = _ratio_terms(toks, terms)
    if len(names) != 2 or read is None or len(terms) != len(free):
        out.problems.append(Problem(s.index, "a ratio between decisions in a form the rules do not read"))
        used.update(n.index for n in free)
        return True
    first, second = read
    a, b = names
    cue = cue_before(cues, first.index + 1)
    op = cue.op if cue is not None and cue.start > at else "=="
    if op == "==" and toks[first.index - 1].lemma not in ("be", "of"):
        # 'the ratio ... must differ from 2', '... may change from 2': no equality said
        out.problems.append(Problem(s.index, "a ratio between decisions in a form the rules do not read"))
        used.update(n.index for n in free)
        return True
    value = first.value / (second.value if second is not None else 1.0)
    if value <= 0:
        out.problems.append(Problem(s.index, "a ratio that is not positive"))
        used.update(n.index for n in free)
        return True
    out.relations.append(Relation(a, op, value, [b], s.index))
    used.update(n.index for n in (first, second) if n is not None)
    return True


def _ratio_terms(toks, terms):
    """(N, M) for 'N:M' or 'N to M', (N, None) for a lone N; None for anything else."""
    if len(terms) == 1 and _plain(terms[0]):
        return terms[0], None
    if len(terms) == 2 and all(_plain(t) for t in terms) and terms[1].index == terms[0].index + 2 and toks[terms[0].index + 1].lemma in (":", "to"):
        return terms[0], terms[1]
    return None


def for_each(toks, ments, cues, nums, s, out, used, lo: int, hi: int) -> bool:
    """'for each (every) [K] A (made), at least N B' -> B >= (N/K)*A; also opening on 'per A'.

    Read only when the clause opens on the phrase, A is right after it, and a comparison, one
    plain number and B follow; a clause opening so and naming another decision that reads
    otherwise is reported.
    """
    k = lo + (lo < hi and toks[lo].lemma in ("and", "but", ",", ";"))
    if k + 1 >= hi:
        return False
    if toks[k].lemma == "for" and toks[k + 1].lemma in ("each", "every"):
        j = k + 2
    elif toks[k].lemma == "per":
        j = k + 1
    else:
        return False
    count = toks[j] if j < hi and _plain(toks[j]) else None
    j += count is not None
    starts = {m.start: m for m in ments}
    a = starts.get(j)
    if a is None:
        if any(m.start > j for m in ments) and any(n.index not in used for n in nums):
            # 'for every dollar in stocks, at least 50 cents in bonds': per something else
            out.problems.append(Problem(s.index, "an amount for each unit of something in a form the rules do not read"))
            used.update(n.index for n in nums)
            return True
        return False
    free = [n for n in nums if n.index not in used and n.index != (count.index if count else -1)]
    later = [m for m in ments if m.start > a.end and m.var.name != a.var.name]
    if not later:
        if any(cue_before(cues, n.index + 1) is not None and cue_before(cues, n.index + 1).start >= a.end for n in free):
            # 'for every vase, at least 2 hours of kiln time are needed': a per-unit amount or a bound?
            out.problems.append(Problem(s.index, f"an amount for each {a.var.phrase} in a form the rules do not read"))
            used.update(n.index for n in free)
            return True
        return False  # 'for each table, 4 hours of labour': a per-unit amount, not a proportion
    n = free[0] if len(free) == 1 and _plain(free[0]) else None
    cue = cue_before(cues, n.index + 1) if n is not None else None
    b = later[0] if later and n is not None and later[0].start == n.index + 1 else None
    if b is None or cue is None or cue.start < a.end or len({m.var.name for m in later}) != 1 or (count is not None and count.value <= 0):
        out.problems.append(Problem(s.index, f"an amount for each {a.var.phrase} in a form the rules do not read"))
        used.update(t.index for t in free + ([count] if count else []))
        return True
    out.relations.append(Relation(b.var.name, cue.op, n.value / (count.value if count else 1.0), [a.var.name], s.index))
    used.update({n.index, *([count.index] if count else [])})
    return True
