"""Relations between decisions: multipliers, shares, differences ('at least 10 more A than B').

Sentence rules called by :mod:`patterns` when a clause compares decisions.
"""

from __future__ import annotations

from itertools import pairwise

from nl2opt.formulators.rules.cues import cue_before
from nl2opt.formulators.rules.facts import Problem, Relation
from nl2opt.formulators.rules.lexicon import UNITS


def exceed_by(toks, ments, nums, s, out, used) -> bool:
    """'A must exceed (twice) B by at least 10' -> A >= 2*B + 10 ('by at most' gives <=)."""
    ex = next((t.index for t in toks if t.lemma in ("exceed", "surpass", "outnumber")), None)
    by = next((t.index for t in toks if t.lemma == "by" and ex is not None and t.index > ex), None)
    if ex is None or by is None:
        return False
    a = [m for m in ments if m.end <= ex]
    b = [m for m in ments if ex < m.start < by]
    amount = [n for n in nums if by < n.index <= by + 4 and not n.factor and not n.percent]
    factor = [n for n in nums if (ex < n.index < by and n.factor) or (ex < n.index < by and n.index + 1 < len(toks) and toks[n.index + 1].lemma in ("time", "times"))]
    if not a or len(b) != 1 or len(amount) != 1 or len(factor) > 1 or a[-1].var.name == b[0].var.name:
        return False
    if any(n.index not in used and ex < n.index < by and n not in factor for n in nums):
        return False
    words = [t.lemma for t in toks[by + 1:amount[0].index]]
    if "not" in [t.text.lower().replace("cannot", "not") for t in toks[max(0, ex - 3):ex]] or any(t.lemma == "cannot" for t in toks[max(0, ex - 3):ex]):
        if words != ["more", "than"]:
            return False  # 'must not exceed B by at least 10': leave it to the other rules
        op = "<="  # 'X should not exceed twice Y by more than 20': X <= 2*Y + 20
    else:
        op = "<=" if "most" in words else ">="
    f = factor[0].value if factor else 1.0
    out.relations.append(Relation(a[-1].var.name, op, f, [b[0].var.name], s.index, offset=amount[0].value))
    used.update({amount[0].index, *(n.index for n in factor)})
    return True


def per_ratio(toks, ments, cues, nums, s, out, used) -> bool:
    """'at least 1.5 A per B' -> A >= 1.5*B; 'at least 1 A for every 4 B' -> A >= 0.25*B.

    Read only when the whole phrase is written out: a comparison right before the count,
    decision A right after it, then 'per' / 'for each' / 'for every' (with an optional count
    of B) and decision B right after that. Anything looser is left to the other rules.
    """
    starts = {m.start: m for m in ments}
    for n in nums:
        cue = next((c for c in cues if c.end == n.index and c.op in ("<=", ">=")), None)
        a = starts.get(n.index + 1)
        if cue is None or a is None or n.factor or n.percent or n.money or n.value <= 0:
            continue
        k = a.end
        if k < len(toks) and toks[k].lemma == "per":
            k += 1
        elif k + 1 < len(toks) and toks[k].lemma == "for" and toks[k + 1].lemma in ("each", "every"):
            k += 2
        else:
            continue
        per = toks[k] if k < len(toks) and toks[k].is_num and not (toks[k].factor or toks[k].percent or toks[k].money) else None
        b = starts.get(k + (per is not None))
        if b is None or b.var.name == a.var.name or (per is not None and per.value <= 0):
            continue
        out.relations.append(Relation(a.var.name, cue.op, n.value / (per.value if per else 1.0), [b.var.name], s.index))
        used.update({n.index, *([per.index] if per else [])})
        return True
    return False


def share_range(toks, ments, nums, s, out, used) -> bool:
    """'A must make up between 20% and 60% of the bottles' -> 0.2*total <= A <= 0.6*total.

    Only one decision, named before 'between', and no decision after the two percentages
    (the base is the whole); anything else is left to the other rules.
    """
    for k, t in enumerate(toks[:-3]):
        lo_n, joint, hi_n = toks[k + 1], toks[k + 2], toks[k + 3]
        if t.lemma != "between" or not (lo_n.percent and hi_n.percent and joint.lemma == "and") or lo_n.money or hi_n.money:
            continue
        before = {m.var.name for m in ments if m.end <= k}
        if len(before) != 1 or any(m.start > k for m in ments) or lo_n.value > hi_n.value:
            return False
        if any(n.index not in used and n.index not in (lo_n.index, hi_n.index) for n in nums):
            return False
        name = before.pop()
        out.relations.append(Relation(name, ">=", lo_n.value / 100, None, s.index))
        out.relations.append(Relation(name, "<=", hi_n.value / 100, None, s.index))
        used.update({lo_n.index, hi_n.index})
        return True
    return False


def difference(toks, ments, cues, nums, s, out, used) -> bool:
    """'at most 10 more A than B' -> A <= B + 10; 'at least 5 fewer A than B' -> A <= B - 5."""
    for n in nums:
        k = n.index + 1 + (n.index + 2 < len(toks) and toks[n.index + 1].lemma in UNITS)  # '200 units more than'
        if n.factor or n.percent or k >= len(toks) or toks[k].lemma not in ("more", "fewer", "less"):
            continue
        than = next((t.index for t in toks[k + 1:k + 7] if t.lemma == "than"), None)
        if n.money and than is not None and any(m.start > than for m in ments):
            # '$20,000 more in bonds than in stocks': a difference of money, which the rows here count in units
            out.problems.append(Problem(s.index, f"'{n.text} {toks[k].text} ... than' compares sums of money the rules do not pair"))
            used.add(n.index)
            return True
        if n.money:
            continue
        cue = cue_before(cues, n.index + 1)
        if than is None or cue is None or cue.op == "==":
            continue
        between = [m for m in ments if n.index < m.start < than]
        before = [m for m in ments if m.end <= n.index]
        after = [m for m in ments if m.start > than]
        a = between[0] if between else before[-1] if before else None
        named = {m.var.name for m in between}
        if len(named) > 1 or (a is not None and after and after[0].var.name == a.var.name):
            # 'N more of A and B than of B', 'N more of A than of A': no one-sided reading; the
            # amount is claimed so that no other rule reads it as a bound
            out.problems.append(Problem(s.index, f"'{n.text} {toks[k].text} ... than' compares what the rules cannot pair"))
            used.add(n.index)
            return True
        if a is None or not after:
            continue
        op, offset = cue.op, n.value
        if toks[k].lemma != "more":
            op, offset = ("<=" if op == ">=" else ">="), -n.value
        times = [t for t in toks[than + 1:after[0].start] if t.is_num]
        if len(times) > 1 or (times and not (times[0].factor or toks[times[0].index + 1].lemma in ("time", "times"))):
            return False
        factor = times[0].value if times else 1.0  # '10 more A than twice B': A >= 2*B + 10
        out.relations.append(Relation(a.var.name, op, factor, [after[0].var.name], s.index, offset=offset))
        used.update({n.index, *(t.index for t in times)})
        return True
    return False


_JOINING = frozenset({"and", ",", "plus", "the", "number", "of", "amount"})
_TOGETHER = frozenset({"combined", "together", "total", "altogether", "sum", "plus", "jointly"})


def several_combined(toks, ments, pivot: int, lo, hi) -> tuple[str, list[str]] | None:
    """'A must be at least twice the number of B and C combined' -> A >= 2*(B + C); also
    'at least twice as many A as B and C together', 'A cannot exceed B and C combined'. ``pivot``
    is the comparison's number or cue. The decisions summed must be joined only by 'and', commas
    or 'plus', and a word must say they are taken together; else None."""
    after = [m for m in ments if m.start > pivot]
    before = [m for m in ments if m.end <= pivot]
    if len({m.var.name for m in before}) == 1 and len(after) >= 2:
        lhs, group = before[0].var.name, after
    elif not before and len(after) >= 3 and any(t.lemma in ("as", "than") for t in toks[after[0].end:after[1].start]):
        lhs, group = after[0].var.name, after[1:]
    else:
        return None
    names = [m.var.name for m in group]
    if lhs in names or len(set(names)) != len(names):
        return None
    for a, b in pairwise(group):
        if any(t.lemma not in _JOINING for t in toks[a.end:b.start]):
            return None
    if not any(t.lemma in _TOGETHER for t in toks[lo:hi]):
        return None  # 'twice the number of B and C': together, or each of them?
    return lhs, names


def _share_of_a_list(toks, ments, n) -> bool:
    """'half of the money ... in A and B', '50% of the budget on A or B': a share ('of' and no decision
    right after the amount) whose holders, named after it, are a list of two or more decisions."""
    if not (n.percent or (n.factor and n.value < 1)) or n.index + 1 >= len(toks) or toks[n.index + 1].lemma != "of":
        return False
    if any(m.end <= n.index for m in ments):
        return False  # 'A must be at least half of ...': A holds the share
    after = [m for m in ments if m.start > n.index]
    if len(after) < 2 or after[0].start - n.index <= 3:
        return False  # 'half of A and B': the base, not the holders
    first, second = after[0], after[1]
    return first.var.name != second.var.name and all(t.lemma in ("and", "or", ",", "the", "in", "into", "on") for t in toks[first.end:second.start])


_MONEY_BASES = frozenset({"budget", "money", "fund", "funds", "capital", "spending", "spend", "expenditure"})


def of_money(toks, n) -> bool:
    """'30% of the (advertising) budget': the share is of a sum of money, not of the decisions' count."""
    k = n.index + 1
    if k >= len(toks) or toks[k].lemma != "of":
        return False
    return any(t.lemma in _MONEY_BASES for t in toks[k + 1:k + 4])


def relation(s, ments, cues, nums, variables, out, used, lo, hi) -> None:
    toks = s.tokens
    n = nums[0]
    lemmas = [t.lemma for t in toks[lo:hi]]
    cue = cue_before(cues, n.index + 1) or (cues[0] if cues else None)
    op = cue.op if cue else ">="
    names = list(dict.fromkeys(m.var.name for m in ments))
    value = n.value / 100 if n.percent else n.value
    if n.percent and [t.lemma for t in toks[n.index + 1:n.index + 3]] in (["as", "much"], ["as", "many"]):
        return  # 'at most 40% as much as P': a share of another decision; left unread, it declines
    if n.percent and len(names) == 1:
        out.relations.append(Relation(names[0], op, value, None, s.index, of_money=of_money(toks, n)))
        used.add(n.index)
        return
    if _share_of_a_list(toks, ments, n):
        # 'at least half (50%) of the money must be in bonds and real estate': a share of a group,
        # which the one-decision share rows here would read as bonds alone
        out.problems.append(Problem(s.index, "a share taken by several decisions together, which the rules do not read"))
        used.add(n.index)
        return
    if n.percent:
        # 'A must be at least 20% of B': the base follows 'of' directly; otherwise a share of all
        after = [m.var.name for m in ments if m.start > n.index]
        before = [m.var.name for m in ments if m.start < n.index]
        base_follows = any(0 < m.start - n.index <= 4 and toks[n.index + 1].lemma == "of" for m in ments)
        of_several = n.index + 1 < len(toks) and toks[n.index + 1].lemma == "of" and len(set(after)) >= 2
        if len(set(before)) == 1 and of_several:
            # 'A must be at least 40% of the total number of A and B': a share of the decisions named after 'of'
            group = list(dict.fromkeys(after))
            out.relations.append(Relation(before[0], op, value, None if len(group) == len(variables) else group, s.index))
            used.add(n.index)
        elif after and not base_follows:
            out.relations.append(Relation(after[0], op, value, None, s.index))
            used.add(n.index)
        elif before and after and before[0] != after[0]:
            out.relations.append(Relation(before[0], op, value, [after[0]], s.index))
            used.add(n.index)
        elif after and len(after) >= 2 and after[0] != after[1] and "of" in lemmas:
            out.relations.append(Relation(after[-1], op, value, None, s.index))
            used.add(n.index)
        return
    if len(names) >= 3:
        group = several_combined(toks, ments, n.index, lo, hi)
        if group is None:
            out.problems.append(Problem(s.index, f"a multiple '{n.text}' in a clause naming {len(names)} decisions: which are compared is unclear"))
            used.add(n.index)
            return
        out.relations.append(Relation(group[0], op, value, group[1], s.index))
        used.add(n.index)
        return
    if len(names) >= 2:
        # 'N times (as many | more) A than B' names both after the factor;
        # 'A ... at least N times (the number of) B' puts A before it.
        after = list(dict.fromkeys(m.var.name for m in ments if m.start > n.index))
        before = list(dict.fromkeys(m.var.name for m in ments if m.end <= n.index))
        if len(after) >= 2:
            a, b = after[0], after[1]
        elif after and before and before[-1] != after[0]:
            a, b = before[-1], after[0]
        elif len(before) >= 2:
            a, b = before[-2], before[-1]
        else:
            return
        out.relations.append(Relation(a, op, value, [b], s.index))
        used.add(n.index)
        return
    if len(variables) == 2 and ("as" in lemmas or "than" in lemmas or "time" in lemmas):
        a = names[0]
        b = next(v.name for v in variables if v.name != a)
        out.relations.append(Relation(a, op, value, [b], s.index))
        used.add(n.index)
