"""Bounds: an amount with a direction cue and a decision ('at most 100 doors', 'at least $500 in A and B').

Sentence rules called by :mod:`patterns` for clauses that name decisions and a cue.
"""

from __future__ import annotations

from nl2opt.formulators.rules.amounts import TOTAL_WORDS, money_kind, words_after
from nl2opt.formulators.rules.cues import cue_before
from nl2opt.formulators.rules.entities import Mention
from nl2opt.formulators.rules.facts import Bound, Limit, Relation
from nl2opt.formulators.rules.lexicon import STOP
from nl2opt.formulators.rules.sentences import Token

_LINKS = frozenset({"be", "must", "should", "can", "will", "would", "not", "cannot", "may", "need", "to", "have", "per", "day", "week", "month", "year"})


def _nearest_mention(ments: list[Mention], index: int, toks: list[Token] | None = None) -> Mention | None:
    after = [m for m in ments if 0 < m.start - index <= 6]
    before = [m for m in ments if m.end <= index]
    if not after and not before and toks:
        after = [m for m in ments if 0 < m.start - index <= 10 and not any(t.is_num or t.text in (",", ";") for t in toks[index + 1:m.start])][:1]  # 'at least 25 units must be allocated to the library'
    if not after and not before and toks:
        after = [m for m in ments if 0 < m.start - index <= 12 and _composed_of(toks, index, m.start)][:1]
    if after and before and toks and any(t.text in (",", ";") or t.lemma == "and" for t in toks[index + 1:after[0].start]) and not any(t.text in (",", ";") or (t.is_num and t.value != 0) for t in toks[before[-1].end:index]):
        return before[-1]  # 'A requires at least $200, B needs at least $150': each amount belongs to its own clause
    if after:
        return after[0]
    ranged = [m for m in ments if 0 < m.start - index <= 12 and toks and any(t.is_num for t in toks[index + 1:m.start])]
    if ranged and not any(m.end <= index for m in ments):
        return ranged[0]  # 'at least 15 but at most 35 boxes of A': the range names A once, after both ends
    before = [m for m in ments if m.end <= index]
    return before[-1] if before else None


def _composed_of(toks: list[Token], index: int, start: int) -> bool:
    """'at least 30 staff on each shift, made up of nurses and aides': the decisions that make up the amount.

    Only with 'made up of' or 'consisting of' right before the decision and no other number between.
    """
    lead = [t.lemma for t in toks[index + 1:start]]
    return (lead[-3:] == ["make", "up", "of"] or lead[-2:] in (["consist", "of"], ["consisting", "of"])) and not any(t.is_num for t in toks[index + 1:start])


def _listed(toks: list[Token], ments: list[Mention], first: Mention) -> list[str]:
    """Decisions listed together starting at ``first``: 'A and B', 'A, B or C'."""
    names = [first.var.name]
    cur = first
    while True:
        nxt = next((m for m in ments if m.start > cur.end), None)
        gap = [t.lemma for t in toks[cur.end:nxt.start]] if nxt else []
        if nxt is None or not gap or any(w not in (",", "and", "or", "the", "a", "an", "+") for w in gap):
            return names
        names.append(nxt.var.name)
        cur = nxt


def _listed_before(toks: list[Token], ments: list[Mention], last: Mention) -> list[str]:
    """Decisions listed together ending at ``last``: 'the total of A and B cannot exceed 50'."""
    names = [last.var.name]
    cur = last
    while True:
        prev = next((m for m in reversed(ments) if m.end <= cur.start), None)
        gap = [t.lemma for t in toks[prev.end:cur.start]] if prev else []
        if prev is None or not gap or any(w not in (",", "and", "or", "the", "a", "an") for w in gap):
            return names[::-1]
        names.append(prev.var.name)
        cur = prev


_PERIODS = frozenset({"day", "week", "month", "year", "quarter", "season", "semester"})
"""Calendar periods: '2 weeks' counts periods; hours and minutes are amounts of a resource."""


def _mention_at(ments, i: int) -> bool:
    """Whether a decision is mentioned at token ``i`` ('2 night shifts' when night shifts are decided)."""
    return any(m.start <= i < m.end for m in ments)


def bounds(s, ments, cues, nums, out, used, state, variables, budget: bool = False) -> None:
    toks = s.tokens
    for n in nums:
        if n.factor or _compares(toks, n):
            continue
        if n.percent and " ".join(t.lemma for t in toks[n.index + 1:n.index + 4]).lstrip("% ").startswith(("as much", "as many")):
            continue  # 'at most 40% as much as P': a share of another decision, never of the total; left unread
        if not n.money and n.index + 1 < len(toks) and toks[n.index + 1].lemma in _PERIODS and not _mention_at(ments, n.index + 1):
            continue  # 'for 2 weeks': a count of periods, never a bound on a decision; left unread
        m = _nearest_mention(ments, n.index, toks)
        cue = cue_before(cues, n.index + 1)
        if cue is not None and not any(t.is_num for t in toks[cue.end:n.index]):
            subject = [x for x in ments if x.end <= cue.start and all(t.lemma in _LINKS for t in toks[x.end:cue.start])]
            m = subject[-1] if subject else m  # 'demand for A is at most 60 and ... B': the subject of the cue
        op = cue.op if cue else state["op"]
        if op is not None and not n.money and not n.percent and _of_whom(toks, n, ments):
            # 'at least 50 staff, of whom at least 12 must be cooks': the first amount counts everyone
            out.relations.append(Relation("", op, n.value, [v.name for v in variables], s.index, kind="sum"))
            state["op"] = op
            used.add(n.index)
            continue
        if m is None and budget and ments:
            m = ments[0]  # 'puts her $8000 to work, investing it in A and B'
        if m is None or op is None:
            continue
        state["op"] = op
        if _own_noun(toks, n, m, ments):
            # 'at least 30 staff, at least 1 doctor for every 4 nurses': the amount counts its own
            # noun, in a clause of its own; what that noun is, the build decides (or declines)
            words = words_after(toks, n, m.start)
            total = bool({t.lemma for t in toks[n.index + 1:m.start]} & TOTAL_WORDS)
            out.limits.append(Limit(op, n.value, frozenset(words), frozenset(), None, s.index, total=total))
            used.add(n.index)
            continue
        if n.money:
            # '$1000 on lemons and bananas' is spending (cost) unless the decisions are money
            # 'invest in A and B up to $5000': the amount after a list caps the list, not its last item
            group = _listed(toks, ments, m) if m.start > n.index else _listed_before(toks, ments, m)
            if len(group) > 1 and {t.lemma for t in toks[n.index + 1:n.index + 4]} & {"each", "apiece", "either"}:
                continue  # 'A and B up to $500 each': per decision or together, left unread
            kind = money_kind(toks, n, 0, len(toks)) or "cost"
            scope = list(dict.fromkeys(group))
            if budget and len(scope) < 2:
                scope = None  # 'has $9000 to invest, some in A and the rest in B': the whole budget
            out.limits.append(Limit(op, n.value, frozenset(), frozenset(), kind, s.index, scope=scope))
            used.add(n.index)
            continue
        following = {t.lemma for t in toks[n.index + 1:n.index + 4]}
        if following & {"either", "each"} and _counts_other(toks, n, variables):
            continue  # 'at most 2 trips each': left unread, so the sentence declines
        if following & {"either", "each"} and m.start < n.index:
            # 'at most 8 of either type': the same bound on every decision
            for v in variables:
                out.bounds.append(Bound(v.name, op, n.value, s.index))
            used.add(n.index)
            continue
        group = _listed(toks, ments, m) if m.start > n.index else _listed_before(toks, ments, m)
        if m.end <= n.index and len(set(group)) < 2 and {t.lemma for t in toks[m.end:n.index]} & (TOTAL_WORDS | {"both"}):
            group = [v.name for v in variables]  # 'more A than B, with a total of at least 30 for both' (not 'A and B together': those two)
        summed = {t.lemma for t in toks[: m.start]} & (TOTAL_WORDS | {"both"})
        if len(set(group)) == 1 and summed and ((m.start > 0 and toks[m.start - 1].lemma in ("and", "plus")) or any(x.var.name != m.var.name and x.end <= m.start for x in ments)):
            continue  # 'the combined total of X procured and B': a sum with a term not read, never a bound on B
        between = {t.lemma for t in toks[m.end:n.index]} if m.end <= n.index else set()
        if len(set(group)) >= 2 and not n.percent and between & {"each", "both", "apiece"} and not between & TOTAL_WORDS:
            for name in dict.fromkeys(group):  # 'X and Y must each be at least 15': the same bound on each
                out.bounds.append(Bound(name, op, n.value, s.index))
            used.add(n.index)
            continue
        if len(set(group)) >= 2 and not n.percent:
            # 'at least 1000 A or B', 'invest up to $50000 in A and B': one amount over several
            out.relations.append(Relation("", op, n.value, list(dict.fromkeys(group)), s.index, kind="sum"))
            used.add(n.index)
            continue
        if n.percent:
            out.relations.append(Relation(m.var.name, op, n.value / 100, None, s.index))
        else:
            out.bounds.append(Bound(m.var.name, op, n.value, s.index))
            state["bound_var"] = m.var.name
        used.add(n.index)


_OWN_COUNT = frozenset({"of", "type", "kind", "sort", "unit", "item", "piece", "either", "each"})


def _counts_other(toks: list[Token], n: Token, variables) -> bool:
    """'the vans can make at most 2 trips each': the amount counts something each decision has
    (trips), not the decisions themselves ('at most 8 of either type', '8 units each'; '30 staff on
    each shift' is no such case: 'each' there names the shift)."""
    own = _OWN_COUNT | {w for v in variables for w in v.words}
    foreign = False
    for t in toks[n.index + 1:n.index + 4]:
        if t.lemma in ("either", "each"):
            nxt = toks[t.index + 1] if t.index + 1 < len(toks) else None
            return foreign and (nxt is None or nxt.kind != "word" or nxt.lemma in ("and", "but", "or"))
        if t.kind == "word" and t.lemma not in own:
            foreign = True
    return False


def _compares(toks: list[Token], n: Token) -> bool:
    """'at least $500 more than B': a difference between decisions, never a bound on one (left unread)."""
    k = n.index + 1
    while k < len(toks) and k <= n.index + 2 and toks[k].kind == "word" and toks[k].lemma not in ("more", "less", "fewer"):
        k += 1  # '200 units more than'
    return k + 1 < len(toks) and toks[k].lemma in ("more", "less", "fewer") and toks[k + 1].lemma == "than"


def _of_whom(toks: list[Token], n: Token, ments: list[Mention]) -> bool:
    """'N people, of whom ...' / 'N units, of which ...': the number is the whole that a part is taken from."""
    for k in range(n.index + 1, min(n.index + 6, len(toks) - 1)):
        if any(m.start <= k < m.end for m in ments) or toks[k].is_num:
            return False
        if toks[k].lemma == "of" and toks[k + 1].lemma in ("whom", "which"):
            return True
    return False


def _own_noun(toks: list[Token], n: Token, m: Mention, ments: list[Mention]) -> bool:
    """'at least 50 workers in total, at least 10 drivers': a count followed by a noun that is
    no decision, closed by a comma before the decision the nearest-mention rule would pick,
    which has an amount of its own ('10 members, made up of A and B' still counts A and B)."""
    k = n.index + 1
    if n.money or n.percent or m.start <= k or k >= len(toks) or toks[k].kind != "word" or toks[k].lemma in STOP:
        return False
    if any(x.start < m.start and x.end > n.index for x in ments):
        return False
    cut = next((t.index for t in toks[k:m.start] if t.text in (",", ";")), None)
    return cut is not None and any(t.is_num for t in toks[cut:m.start])  # the decision has its own amount
