"""Multi-period production plans told as a story: 'In March we can make 300 benches at $40, in
April 250 at $45; storing a bench over a month costs $3; the store wants 200 in March and 320
in April.'

Periods are named (months, seasons, 'week 2', 'Q3') and must follow one another (March then
April; spring then summer). Each clause pairs its numbers with the period names next to them,
in whichever order the prose puts them ('100 in March', 'March: 100', 'spring demand is 60'),
or holds one number for every period ('at most 130 a month'). What a number is comes from the
clause's words: a stored unit's cost, a making cost, a capacity, a demand, the room in the
store, the opening stock. The model is :func:`production.model`.

A clause with a number it cannot place, a second value for the same period and role (an
overtime shift on top of regular time), a goal other than the least cost: the reader leaves
the text to the other rules.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import Reading, finish, logic_sentences
from nl2opt.formulators.rules.production import model
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import ModelSpec

_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_SEASONS = ["spring", "summer", "autumn", "winter"]
_NAMED = re.compile(r"\b(" + "|".join(_MONTHS[:4] + _MONTHS[5:] + _SEASONS) + r"|fall)\b", re.I)
_NUMBERED = re.compile(r"\b(week|month|quarter|period|season)\s+(\d{1,2})\b|\b(Q)([1-4])\b", re.I)
_KIND = r"(?:month|week|quarter|season|period)"
_MONEY = r"\$\s?\d[\d,]*(?:\.\d+)?"
_VALUE = re.compile(r"(" + _MONEY + r")|(?<![\w.$])(\d[\d,]*(?:\.\d+)?)(?![\w%])")
_HOLD = re.compile(r"\b(?:stor(?:ed|ing|age)|to store|kept|keep(?:ing)?|hold(?:ing)?|held|froz(?:en)?|freez\w*|carr(?:y|ied|ying)|inventory)\b", re.I)
_ROOM = re.compile(r"\b(?:silo|warehouse|storeroom|freezer|shed|tank|room for|space for|storage (?:space|capacity))\b", re.I)
_ROOM_LIMIT = re.compile(r"\b(?:holds?|room for|space for|capacity|at most|up to|no more than|only)\b", re.I)
_CAP = re.compile(
    r"\b(?:at most|up to|no more than|not more than|a maximum of|maximum|capacity|can (?:\w+ ){0,2}(?:make|build|bake|produce|assemble|brew|sew|manufacture)|limited to)\b",
    re.I,
)
_DEMAND = re.compile(r"\b(?:(?:must|has to|have to|to) supply|demand|deliver\w*|needs?|orders?|ship|wants?|requires?|required|sell|hand over|customers?)\b", re.I)
_COST = re.compile(r"\bcosts?\b|\bat\s+\$|\bspend", re.I)
_OPENING_NONE = re.compile(
    r"\b(?:no|nothing in|zero|without) (?:initial |opening |starting )?(?:stock|inventory)\b|\bnothing in stock\b|\bstart(?:s|ing)? with (?:an? )?empty\b|\bempty (?:silo|warehouse|store)\b",
    re.I,
)
_OPENING = re.compile(r"\bstart(?:s|ing)? with\s+(\d[\d,]*(?:\.\d+)?)\b[^.;]*?\b(?:in )?(?:stock|inventory|on hand)\b", re.I)
_CLOSING_NONE = re.compile(r"\bnone (?:left|needed|required|remaining|in stock)\b|\bno (?:stock|inventory) (?:left|at the end)\b", re.I)
_GOAL = re.compile(r"\bminimi[sz]e|\bcheapest\b|\bas cheaply as\b|\bleast\b|\blowest\b|\bminimum\b", re.I)
_OTHER_GOAL = re.compile(r"\bmaximi[sz]e|\bprofit\b|\brevenue\b|\bthe most\b", re.I)
_PER_PERIOD = re.compile(
    r"\b(?:per|a|each|every|for (?:a|one|each))\s+" + _KIND + r"\b|\bfrom one " + _KIND + r" to the next\b", re.I
)
_EVERY_AFTER = re.compile(r"\s*(?:[a-z]+\s+){0,2}?(?:a|per|each|every)\s+" + _KIND + r"\b", re.I)
"""'8,000 litres a month': the number holds for every period, whatever period names the clause has."""
_PER_KIND = re.compile(r"\b(?:per|a|an|each|every|any|one)\s+(month|week|quarter|season|period|year|day)\b", re.I)
_SCALED = re.compile(r"\d\s*(?:thousand|million|hundred|dozen|k)\b", re.I)
"""'$0.3 thousand', '2 dozen': a scale word the period patterns would drop."""
_LOWER = re.compile(r"\b(?:at least|no less than|not less than|no fewer than|a minimum of|minimum)\b", re.I)
_OVERTIME = re.compile(r"\bovertime\b|\bextra shift\b", re.I)
_SPLIT = re.compile(r";|,\s+(?:and|but|while)\s+|\s+but\s+|\n|^\s*[-*]\s+|\s+-\s+")


def _num(text: str) -> float:
    return float(re.sub(r"[$,\s]", "", text))


def _periods(text: str) -> tuple[list[str], dict[str, int]] | None:
    """The periods' names in order, and each spelling's position; None when they are not consecutive."""
    months = [m.group(1).lower() for m in _NAMED.finditer(text)]
    numbered = [(m.group(1) or m.group(3)).lower() + " " + (m.group(2) or m.group(4)) for m in _NUMBERED.finditer(text)]
    if months and numbered:
        return None
    if numbered:
        kinds = {n.split()[0] for n in numbered}
        numbers = sorted({int(n.split()[1]) for n in numbered})
        if len(kinds) != 1 or numbers != list(range(1, len(numbers) + 1)) or len(numbers) < 2:
            return None
        kind = kinds.pop()
        names = [f"{kind} {n}" for n in numbers]
        return [n.title() if kind != "q" else n.upper().replace(" ", "") for n in names], {n: i for i, n in enumerate(names)}
    if any(m in _MONTHS for m in months):
        months = [m for m in months if m in _MONTHS]  # 'ice cream for summer: 6,000 in June ...'
    seen = list(dict.fromkeys("autumn" if m == "fall" else m for m in months))
    if len(seen) < 2:
        return None
    cycle = _SEASONS if seen[0] in _SEASONS else _MONTHS
    if any(m not in cycle for m in seen):
        return None
    start = cycle.index(seen[0])
    expected = [cycle[(start + i) % len(cycle)] for i in range(len(seen))]
    if sorted(seen, key=expected.index if set(seen) == set(expected) else seen.index) != expected:
        return None
    spelled = {m: expected.index(m) for m in expected}
    if "autumn" in spelled:
        spelled["fall"] = spelled["autumn"]
    return [m.title() for m in expected], spelled


def _mentions(clause: str, spelled: dict[str, int]) -> list[tuple[int, int, int]]:
    """(start, end, period) of each period name in a clause."""
    out = []
    for m in _NAMED.finditer(clause):
        if m.group(1).lower() in spelled:
            out.append((m.start(), m.end(), spelled[m.group(1).lower()]))
    for m in _NUMBERED.finditer(clause):
        key = (m.group(1) or m.group(3)).lower() + " " + (m.group(2) or m.group(4))
        if key in spelled:
            out.append((m.start(), m.end(), spelled[key]))
    return sorted(out)


def _groups(clause: str, spelled: dict[str, int]) -> list[tuple[int | None, list[tuple[bool, float]]]] | None:
    """Each period named in the clause with its numbers (money or not); period None: for every period.

    The numbers belong to the period name on their side: when the clause opens with a number,
    each name closes the numbers before it ('$10 in March and $12 in April'); when it opens with a
    name, each name opens the numbers after it ('March: 100, April: 150').
    """
    names = _mentions(clause, spelled)
    values = []
    for m in _VALUE.finditer(clause):
        if any(a <= m.start() < z for a, z, _ in names):
            continue
        values.append((m.start(), bool(m.group(1)), _num(m.group(1) or m.group(2))))
    if not values:
        return []
    every = [(money, v) for pos, money, v in values if _EVERY_AFTER.match(clause, _VALUE.match(clause, pos).end())]
    values = [x for x in values if not _EVERY_AFTER.match(clause, _VALUE.match(clause, x[0]).end())]
    if not names or not values:
        return [(None, every + [(money, v) for _, money, v in values])]
    if len({p for _, _, p in names}) != len(names):
        return None  # 'from March to April' next to a number: not a period's own value
    forward = values[0][0] < names[0][0]
    groups: list[tuple[int | None, list[tuple[bool, float]]]] = []
    for j, (a, z, p) in enumerate(names):
        if forward:
            low = names[j - 1][1] if j else -1
            mine = [(money, v) for pos, money, v in values if low < pos < a]
        else:
            high = names[j + 1][0] if j + 1 < len(names) else len(clause) + 1
            mine = [(money, v) for pos, money, v in values if z <= pos < high]
        groups.append((p, mine))
    placed = sum(len(g) for _, g in groups)
    if placed != len(values) or any(not g for _, g in groups):
        return None
    return [(None, every), *groups] if every else groups


class _Plan:
    def __init__(self, n: int, kind: str = "period") -> None:
        self.n = n
        self.kind = kind
        self.values: dict[str, dict[int, float]] = {"demand": {}, "cost": {}, "cap": {}, "over_cap": {}, "over_cost": {}}
        self.hold: float | None = None
        self.room: float | None = None
        self.opening = 0.0
        self.goal = False
        self.clash = False

    def put(self, role: str, period: int | None, value: float) -> None:
        for t in range(self.n) if period is None else [period]:
            if t in self.values[role]:
                self.clash = True  # a second value for one period and role: overtime, a second line
            self.values[role][t] = value


def _kind_of(names: list[str]) -> str:
    """What one period is: 'month' for March and April, 'season' for autumn and winter, 'week' for week 1."""
    first = names[0].lower()
    if first in _SEASONS:
        return "season"
    if first in _MONTHS:
        return "month"
    return "quarter" if re.fullmatch(r"q\d", first) else first.split()[0]


def _other_period(clause: str, kind: str) -> bool:
    """'up to 55 kayaks per month' in a plan by seasons: a rate per another period than the plan's."""
    said = {m.group(1).lower() for m in _PER_KIND.finditer(clause)}
    return bool(said - {kind, "period"})


def _clause(clause: str, plan: _Plan, spelled: dict[str, int], whole: str) -> bool:
    """Read one clause into the plan; False when a number of it has no place."""
    if _other_period(clause, plan.kind):
        return False
    hold = _HOLD.search(clause)
    values = _VALUE.findall(clause)
    if hold and len(values) == 1 and values[0][0] and not _ROOM.search(clause):
        # 'a bench made in March but delivered in April costs $1 to store': the names say which move
        if plan.hold is not None or (plan.n > 2 and not _PER_PERIOD.search(clause)):
            return False  # among three periods, per period or per move?
        plan.hold = _num(values[0][0])
        return True
    groups = _groups(clause, spelled)
    if groups is None:
        return False
    if not groups:
        return True
    opening = _OPENING.search(clause)
    if opening:
        if sum(len(g) for _, g in groups) != 1:
            return False
        plan.opening = _num(opening.group(1))
        return True
    overtime = bool(_OVERTIME.search(clause)) and bool(_CAP.search(clause))
    if _ROOM.search(clause) and _ROOM_LIMIT.search(clause) and all(not money for _, g in groups for money, _ in g):
        if len(groups) != 1 or groups[0][0] is not None or len(groups[0][1]) != 1 or plan.room is not None:
            return False
        plan.room = groups[0][1][0][1]
        return True
    for period, numbers in groups:
        moneys = [v for money, v in numbers if money]
        counts = [v for money, v in numbers if not money]
        if len(moneys) > 1 or len(counts) > 1:
            return False
        if moneys:
            if hold:
                return False
            if _COST.search(clause) or _CAP.search(clause):
                plan.put("over_cost" if overtime else "cost", period, moneys[0])
            else:
                return False
        if counts:
            if hold and not moneys:
                return False
            if _CAP.search(clause):
                if _LOWER.search(clause):
                    return False  # 'can build at least 55 a season': a least amount to make, not a capacity
                every = r"\b(?:per|a|each|every|any|in each|in any)\s+" + _KIND + r"\b|\b" + _KIND + r"ly\b"
                if period is None and not (re.search(every, clause, re.I) or (overtime and re.search(every, whole, re.I))):
                    return False
                plan.put("over_cap" if overtime else "cap", period, counts[0])
            elif _DEMAND.search(clause) or (_DEMAND.search(whole) and period is not None):
                if period is None:
                    return False
                plan.put("demand", period, counts[0])
            else:
                return False
    return True


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A production-inventory model from a narrative plan, or None."""
    found = _periods(text)
    if found is None or not _HOLD.search(text) or _OTHER_GOAL.search(text) or _SCALED.search(text):
        return None
    names, spelled = found
    plan = _Plan(len(names), _kind_of(names))
    consumed: set[int] = set()
    logic = logic_sentences(sents)
    for s in sents:
        ok = s.index not in logic or bool(re.search(r"\d", s.text))  # a requirement without a number: no role reads it
        for clause in _SPLIT.split(s.text):
            if clause and clause.strip():
                ok = _clause(clause, plan, spelled, s.text) and ok
        if _GOAL.search(s.text) and re.search(r"\bcost|\bcheap|\bexpens", s.text, re.I):
            if re.search(r"\bper\b|\baverage\b", s.text, re.I):
                return None  # 'the lowest total cost per kayak': a ratio, not the plan's cost
            plan.goal = True
        if ok:
            consumed.add(s.index)
    if plan.clash or not plan.goal or plan.hold is None:
        return None
    demand, cost, cap = (plan.values[r] for r in ("demand", "cost", "cap"))
    if set(demand) != set(range(plan.n)) or set(cost) != set(range(plan.n)):
        return None
    if cap and set(cap) != set(range(plan.n)):
        return None
    caps = {cap[t] for t in cap}
    limit: float | list[float] | None = caps.pop() if len(caps) == 1 else None
    if len(caps) > 1:
        limit = [cap[t] for t in range(plan.n)]
    over_cap, over_cost = plan.values["over_cap"], plan.values["over_cost"]
    if set(over_cap) != set(over_cost):
        return None  # an overtime amount without its cost, or the reverse
    overtime = (
        ([over_cap.get(t, 0.0) for t in range(plan.n)], [over_cost.get(t, 0.0) for t in range(plan.n)]) if over_cap else None
    )
    periods = list(range(1, plan.n + 1))

    def build() -> ModelSpec:
        return model(
            sents,
            periods,
            [demand[t] for t in range(plan.n)],
            [cost[t] for t in range(plan.n)],
            plan.hold or 0.0,
            limit,
            plan.opening,
            stock_cap=plan.room,
            names=names,
            overtime=overtime,
        )

    reading = finish("production", sents, consumed, build, [])
    return reading if reading.spec is not None else None
