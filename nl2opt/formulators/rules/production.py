"""Simple multi-period production with inventory: 'demand of 100 units in month 1, 150 in
month 2 ... can produce at most 150 units per month at $5 per unit ... storing a unit
costs $1 per month'.

Decisions: ``make[t]`` and the stock ``stock[t]`` left at the end of each period, with
stock[t] = stock[t-1] + make[t] - demand[t] (stock before the first period is 0 unless
the text states an opening stock). Goal: the least production plus storage cost.
Per-period costs ('$5 per unit in month 1, $6 in month 2') and one cost for all periods
are read; anything else with a number leaves a draft.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import NUM_OR_WORD, NUMBER, Reading, finish, num
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import (
    Constraint,
    ConstraintKind,
    Domain,
    IndexSet,
    ModelSpec,
    Objective,
    Parameter,
    Variable,
)

_PERIOD = r"(?:month|week|quarter|period)"
_IN_PERIOD = re.compile(
    r"(" + NUMBER + r")(?:\s+units)?\s+(?:in|for|during)\s+" + _PERIOD + r"\s+(\d+)", re.I
)
_LIST = re.compile(
    r"\bdemands?\b[^.]*?\bnext\s+("
    + NUM_OR_WORD
    + r")\s+"
    + _PERIOD
    + r"s\b[^.]*?\b(?:is|are|will be)\s+(\d[\d,\s]*(?:,?\s*and\s+\d[\d,]*)?)",
    re.I,
)
_CAPACITY = re.compile(
    r"\b(?:at most|up to|no more than|capacity of|can produce|can make)\s+("
    + NUMBER
    + r")\s+units?\s+(?:per|each|a|every)\s+"
    + _PERIOD,
    re.I,
)
_UNIT_COST = re.compile(r"(" + r"\$\s?\d[\d,]*(?:\.\d+)?" + r")\s+(?:per|a|for each|for every)\s+unit", re.I)
_HOLD = re.compile(r"\b(?:stor|hold|inventory|carr|keep)", re.I)
_OPENING = re.compile(
    r"\b(?:starts?|begins?) (?:with|the first "
    + _PERIOD
    + r" with)\s+(no|"
    + NUMBER
    + r")\s+(?:units\s+)?(?:in stock|in inventory|inventory|stock|units)",
    re.I,
)
_NO_OPENING = re.compile(r"\bno (?:initial |opening )?(?:inventory|stock)\b", re.I)
_GOAL = re.compile(r"\bminimi[sz]e\b|\bleast\b|\bcheapest\b|\blowest\b", re.I)


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A production-inventory model, a draft, or None when the text is not one."""
    if not (
        _HOLD.search(text) and re.search(r"\bdemand", text, re.I) and re.search(_PERIOD + r"s?\b", text, re.I)
    ):
        return None
    demand: dict[int, float] = {}
    make_cost: dict[int, float] = {}
    flat_cost: float | None = None
    hold: float | None = None
    cap: float | None = None
    opening = 0.0
    consumed: set[int] = set()
    goal = None
    problems: list[tuple[int, str]] = []
    for s in sents:
        low = s.text.lower()
        took = False
        listed = _LIST.search(s.text)
        if listed:
            values = [num(v) for v in re.findall(r"\d+(?:,\d{3})*", listed.group(2))]
            if len(values) == int(num(listed.group(1))):
                demand.update({k + 1: v for k, v in enumerate(values)})
                took = True
        pairs = _IN_PERIOD.findall(s.text)
        if pairs and "demand" in low and "cost" not in low:
            demand.update({int(p): num(v) for v, p in pairs})
            took = True
        if pairs and "demand" not in low and "cost" in low and re.search(r"produc|mak|manufactur", low):
            make_cost.update({int(p): num(v) for v, p in pairs})
            took = True
        c = _CAPACITY.search(s.text)
        if c:
            cap = num(c.group(1))
            took = True
        costs = _UNIT_COST.findall(s.text)
        if costs and _HOLD.search(low) and len(costs) == 1:
            hold = num(costs[0])
            took = True
        elif costs and not pairs and len(costs) == 1 and re.search(r"produc|mak|manufactur", low):
            flat_cost = num(costs[0])
            took = True
        o = _OPENING.search(s.text)
        if o:
            opening = 0.0 if o.group(1).lower() == "no" else num(o.group(1))
            took = True
        elif _NO_OPENING.search(s.text) and not s.numbers:
            took = True
        if _GOAL.search(s.text) and not any(t.is_num and not t.spelled for t in s.tokens):
            goal = s.index
            took = True
        if took:
            consumed.add(s.index)
    if len(demand) < 2:
        return None
    periods = sorted(demand)
    if periods != list(range(1, len(periods) + 1)):
        problems.append((0, "the demands do not cover periods 1, 2, ... without a gap"))
    if flat_cost is None and not make_cost:
        problems.append((0, "no production cost per unit was found"))
    elif make_cost and set(make_cost) != set(periods):
        problems.append((0, "production costs were found for some periods only"))
    if hold is None:
        problems.append((0, "no storage (holding) cost per unit was found"))
    if goal is None:
        problems.append((len(sents) - 1, "no goal such as 'minimize the total cost' was found"))
    unit = [make_cost.get(t, flat_cost or 0.0) for t in periods]

    def build() -> ModelSpec:
        return model(sents, periods, [demand[t] for t in periods], unit, hold or 0.0, cap, opening)

    return finish("production", sents, consumed, build, problems)


def model(
    sents: list[Sentence],
    periods: list[int],
    demand: list[float],
    unit_cost: list[float],
    hold: float,
    cap: float | list[float] | None,
    opening: float,
    *,
    stock_cap: float | None = None,
    names: list[str] | None = None,
    overtime: tuple[list[float], list[float]] | None = None,
) -> ModelSpec:
    """The production-inventory model: stock[t] = stock[t-1] + make[t] - demand[t], least cost.

    ``names`` (e.g. 'March', 'April') describe the periods 1, 2, ... when the text names them;
    ``overtime`` (most units and cost per unit, per period) adds a second, dearer way of making.
    """
    rows = []
    extra = " + over[{t}]" if overtime else ""
    for t in periods:
        before = f"stock[{t - 1}]" if t > 1 else f"{opening:g}"
        rows.append(
            Constraint(
                name=f"balance_{t}",
                expression=f"stock[{t}] == {before} + make[{t}]{extra.format(t=t)} - demand[{t}]",
                kind=ConstraintKind.BALANCE,
                description=f"stock at the end of {names[t - 1] if names else f'period {t}'}",
            )
        )
    described = " (" + ", ".join(names) + ")" if names else ""
    more_parameters, more_variables, more_cost = [], [], ""
    if isinstance(cap, list):  # a capacity per period ('300 in March, 250 in April')
        rows.append(
            Constraint(
                name="capacity",
                expression="make[t] <= make_cap[t]",
                for_=["t in Periods"],
                kind=ConstraintKind.CAPACITY,
                description="most units made in each period",
            )
        )
        more_parameters.append(
            Parameter(name="make_cap", index=["Periods"], values=cap, description="most units made in each period")
        )
    if overtime:
        rows.append(
            Constraint(
                name="overtime_limit",
                expression="over[t] <= over_cap[t]",
                for_=["t in Periods"],
                kind=ConstraintKind.CAPACITY,
                description="most units made on overtime in each period (0 where there is none)",
            )
        )
        more_parameters += [
            Parameter(name="over_cap", index=["Periods"], values=overtime[0], description="most units on overtime"),
            Parameter(name="over_cost", index=["Periods"], values=overtime[1], description="cost of a unit on overtime"),
        ]
        more_variables = [
            Variable(name="over", index=["Periods"], domain=Domain.CONTINUOUS, lower=0, description="units made on overtime")
        ]
        more_cost = " + over_cost[t] * over[t]"
    return ModelSpec(
        name="production_inventory",
        description=sents[0].text if sents else "",
        sets=[IndexSet(name="Periods", elements=periods, description="planning periods" + described)],
        parameters=[
            Parameter(name="demand", index=["Periods"], values=demand, description="demand in each period"),
            Parameter(name="unit_cost", index=["Periods"], values=unit_cost, description="cost of making one unit"),
            Parameter(
                name="hold_cost",
                value=hold,
                description="cost of keeping one unit in stock for one period",
            ),
            *more_parameters,
        ],
        variables=[
            Variable(
                name="make",
                index=["Periods"],
                domain=Domain.CONTINUOUS,
                lower=0,
                upper=None if isinstance(cap, list) else cap,
                description="units made in each period",
            ),
            Variable(
                name="stock",
                index=["Periods"],
                domain=Domain.CONTINUOUS,
                lower=0,
                upper=stock_cap,
                description="units in stock at the end of each period",
            ),
            *more_variables,
        ],
        objective=Objective(
            sense="minimize",
            expression=f"sum(unit_cost[t] * make[t] + hold_cost * stock[t]{more_cost} for t in Periods)",
            description="production plus storage cost",
        ),
        constraints=rows,
    )
