"""Two-index problems in prose: transportation and assignment.

Transportation: 'North can supply 120 units ... Store A needs 70 ... Shipping one unit
from North to A costs $4, from North to B costs $6, ...' becomes ``ship[s, d] >= 0``,
supply rows (<=), demand rows (>=, or == for 'exactly') and the least total cost.
Places may be numbered ('Store 1 needs 40'), supplies stated with any 'can <verb> up to'
and a second supply may leave its verb out ('North can ship up to 400 and South up to 300').
A sentence naming one route and one upper amount ('the Hull-York road takes at most 300')
bounds that route. Costs may be listed per source ('from plant 2 it costs $350 to X, $300 to
Y'), and 'truckloads can't be split' makes the shipments whole numbers. Supplies and demands
may be listed in the same order ('farms in Leeds and Hull grow 500 and 400 tonnes'), and costs
may be in pounds or euros.
Assignment: 'Assigning Ann to X costs $9, Ann to Y costs $2 ...' with 'each worker
does exactly one job' and 'each job is done by exactly one worker' becomes binary
``assign[w, j]`` with one row per worker and per job. Both need every pair's cost;
a missing one (or any sentence with a number left over) makes a draft, not an answer.
"""

from __future__ import annotations

import re
from typing import Any

from nl2opt.formulators.rules.families import NUMBER, Reading, finish, name_ok, num
from nl2opt.formulators.rules.idioms import idiom_goal
from nl2opt.formulators.rules.places import name_places
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import (
    Constraint,
    ConstraintKind,
    Domain,
    Entry,
    IndexSet,
    ModelSpec,
    Objective,
    Parameter,
    Variable,
)

_KIND = (
    r"(?i:store|market|city|customer|warehouse|plant|factory|depot|mine|farm|port|site|center|centre"
    r"|outlet|shop|cafe|café|bakery|quarry|town|school|hospital|mill|job|task)"
)
# A place: 'North', 'Store A' (read as A) or a numbered one, 'Store 1' (read as 1); a bare
# number is a name only after a kind of place, so 'has 6' never names a place '6'.
_NAME = r"(?:" + _KIND + r"\s+(?=[A-Z]|\d)(?:(\d+)\b|([A-Z][A-Za-z0-9]*))|([A-Z][A-Za-z0-9]*))"
_SUPPLY = re.compile(
    _NAME
    + r"\s+(?:(?:can supply|supplies|can ship|can provide|can send|can produce|produces|holds|has|stocks"
    + r"|has a supply of|has a capacity of)\s+(?:at most |up to )?|can [a-z]+\s+(?:at most|up to|no more than)\s+)("
    + NUMBER
    + ")"
)
# 'North can ship up to 400 tonnes and South up to 300': the verb left out after 'and'.
_ELIDED = re.compile(r"\band\s+" + _NAME + r"\s+(?:at most |up to |no more than )?(" + NUMBER + r")(?![\d,.]*\s*%)")
_DEMAND = re.compile(
    _NAME
    + r"\s+(?:needs|requires|demands|must receive|wants|orders|ordered|has a demand of)\s+(at least |exactly )?("
    + NUMBER
    + ")"
)
_PAIR = re.compile(r"\b([A-Z][A-Za-z0-9]*)\s+to\s+" + _NAME)
_MONEY = re.compile(r"[$£€]\s?\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?\s*(?:dollars|hours|minutes|cents)")
_GOAL = re.compile(r"\b(?:minimi[sz]e|least|cheapest|lowest|minimum)\b|\bkeep (?:the )?(?:total )?costs? (?:down|low)\b", re.I)
_SHIP = re.compile(
    r"\b(?:ship|shipping|shipped|transport|transported|deliver|delivered|send|sent|haulage)\b", re.I
)
# 'The van on the East to A route carries no more than 20', 'The Hull-York road takes at most 300':
# one route and one upper amount, no money.
_CAP = re.compile(r"\b(?:at most|no more than|not more than|up to|a maximum of)\s+(" + NUMBER + ")")
_ROAD = re.compile(r"\b([A-Z][A-Za-z0-9]*)-" + _NAME + r"\s+(?:road|route|lane|link|line)\b")
# 'from plant 1 it costs $350 to X, $300 to Y and $250 to Z': one source, its costs listed by destination.
_FROM = re.compile(r"\b[Ff]rom\s+" + _NAME)
_TO_COST = re.compile(r"(" + _MONEY.pattern + r")\s+to\s+(?:the\s+)?" + _NAME)
# 'Truckloads can't be split': whole units shipped.
_WHOLE = re.compile(
    r"\b(?:can't|cannot|can not|may not|must not) be (?:split|divided)\b|\bonly whole\b", re.I
)
# 'farms in Leeds and Hull grow 500 and 400 tonnes': places and amounts listed in the same order.
_RESPECTIVE = re.compile(
    r"\b([A-Z][A-Za-z0-9]*(?:,\s*[A-Z][A-Za-z0-9]*)*,?\s+and\s+[A-Z][A-Za-z0-9]*)\s+(?:can\s+)?([a-z]+)\s+"
    r"(\d[\d,.]*(?:,\s*\d[\d,.]*)*,?\s+and\s+\d[\d,.]*)"
)
_SUPPLY_VERBS = {
    "grow",
    "produce",
    "supply",
    "hold",
    "have",
    "stock",
    "make",
    "mine",
    "ship",
    "send",
    "provide",
}
_DEMAND_VERBS = {"need", "require", "want", "demand", "order"}
_EACH = re.compile(r"\beach\s+(\w+?)s?\b[^.]*?\b(exactly|at most|at least)\s+one\s+(\w+?)s?\b", re.I)


def _place(m: re.Match[str], first: int) -> str:
    """The place a ``_NAME`` match starting at group ``first`` names."""
    return next(g for g in m.group(first, first + 1, first + 2) if g)


def _pair_list(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), _place(m, 2)) for m in _PAIR.finditer(text)]


def _money(text: str) -> float:
    """'$4', '£8', '5 dollars' -> the amount; '4 cents' -> 0.04 (dollars, like the other costs)."""
    amount = num(re.sub(r"[£€]|[a-z\s]+$", "", text))
    return amount / 100 if text.rstrip().endswith("cents") else amount


_PER_BATCH = re.compile(r"\bper\s+(\d[\d,]*|thousand|hundred|dozen)\s+([a-z]+)", re.I)
_BATCH_WORDS = {"thousand": 1000.0, "hundred": 100.0, "dozen": 12.0}


def _cost_scale(sentence: str, text: str) -> float | None:
    """How many units one quoted cost is for: 1, or 1,000 for 'costs per 1,000 litres'.

    A cost per batch is divided down only when the amounts shipped are stated in the batch's
    unit ('holds 30,000 litres'); otherwise the scale is a guess 1000x off, so None (decline).
    """
    batches = {(m.group(1).lower(), m.group(2).lower()) for m in _PER_BATCH.finditer(sentence)}
    if len(batches) > 1:
        return None  # 'per 1,000 litres for North and per 500 litres for South': one scale per cost, unread
    found = _PER_BATCH.search(sentence)
    if found is None:
        return None if _other_measure(sentence, text) else 1.0
    size = _BATCH_WORDS.get(found.group(1).lower()) or num(found.group(1))
    unit = found.group(2).lower()
    stem = unit[:-1] if unit.endswith("s") else unit
    rest = text.replace(sentence, " ")
    if re.search(r"\d[\d,]*(?:\.\d+)?\s+" + re.escape(stem) + r"s?\b", rest, re.I) and size > 0:
        return size
    return None


_MEASURES = {
    "litre": "volume", "liter": "volume", "gallon": "volume", "barrel": "volume", "kilolitre": "volume",
    "tonne": "mass", "ton": "mass", "kg": "mass", "kilogram": "mass", "pound": "mass", "lb": "mass",
}  # fmt: skip
_PER_MEASURE = re.compile(r"\bper\s+(" + "|".join(_MEASURES) + r")s?\b", re.I)
_AMOUNT_IN = re.compile(r"\d[\d,]*(?:\.\d+)?\s+(" + "|".join(_MEASURES) + r")s?\b", re.I)


def _mixed_measures(text: str) -> bool:
    """'North holds 30,000 litres ... Alton needs 25,000 gallons': amounts of one kind in two units."""
    stated = {m.group(1).lower() for m in _AMOUNT_IN.finditer(text)}
    kinds = [_MEASURES[u] for u in stated]
    return len(kinds) != len(set(kinds))


def _unplaced_number(s: Sentence) -> bool:
    """A supply or demand sentence with a number no place pattern took ('30,000 litres (up from 12,000 last year)')."""
    taken = [m.span(4) for m in _SUPPLY.finditer(s.text)] + [m.span(4) for m in _ELIDED.finditer(s.text)] + [m.span(5) for m in _DEMAND.finditer(s.text)]
    names = [m.span() for m in re.finditer(_NAME, s.text)]
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", s.text):
        if not any(a <= m.start() < z for a, z in taken + names):
            return True
    return False


def _other_measure(sentence: str, text: str) -> bool:
    """'Shipping costs per tonne' when every amount is in litres: a cost in a unit no amount is stated in."""
    per = {m.group(1).lower() for m in _PER_MEASURE.finditer(sentence)}
    stated = {m.group(1).lower() for m in _AMOUNT_IN.finditer(text)}
    return bool(per and stated and not per & stated)


_SCALED = re.compile(r"\d\s+(?:thousand|million|hundred|dozen|gross)\b", re.I)
"""'30 thousand litres', '12 dozen loaves': an amount whose scale word the place patterns would drop."""


def _unread_number(clause: str) -> bool:
    """A cost clause with a number besides its costs, place names and batch ('Hauling 10 tonnes from ...')."""
    rest = _PER_BATCH.sub(" ", _MONEY.sub(" ", clause))
    rest = re.sub(_NAME, " ", rest)
    return bool(re.search(r"\d", rest))


def _claims(text: str) -> bool:
    pairs = _pair_list(text)
    low = text.lower()
    listed = ("from " in low or "assign" in low or bool(_SHIP.search(text))) and bool(_MONEY.search(text))
    return (len(pairs) >= 2 and listed) or len(_from_lists(text)) >= 2


def _respective(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """Supplies and demands stated as two lists in the same order, when the counts agree."""
    supply: dict[str, float] = {}
    demand: dict[str, float] = {}
    for m in _RESPECTIVE.finditer(text):
        names = re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(1))
        amounts = re.split(r",\s+(?:and\s+)?|,?\s+and\s+", m.group(3).rstrip(".,"))
        verb = m.group(2).removesuffix("s")
        if len(names) != len(amounts) or not all(re.fullmatch(r"\d[\d,]*(?:\.\d+)?", a) for a in amounts):
            continue
        target = supply if verb in _SUPPLY_VERBS else demand if verb in _DEMAND_VERBS else None
        if target is not None:
            target.update(zip(names, map(num, amounts), strict=True))
    return supply, demand


def _from_lists(text: str) -> list[tuple[str, str, float]]:
    """(from, to, cost) from parts naming one source and listing '$c to D' for two or more places.

    A part with money that is not read this way makes the whole reading empty.
    """
    out = []
    for part in re.split(r";|\.\s", text):
        if not _MONEY.search(part):
            continue
        sources = [_place(m, 1) for m in _FROM.finditer(part)]
        costs = [(m.group(1), _place(m, 2)) for m in _TO_COST.finditer(part)]
        if len(sources) != 1 or len(costs) < 2 or len(costs) != len(_MONEY.findall(part)):
            return []
        out += [(sources[0], to, _money(c)) for c, to in costs]
    return out


def _pairs(s: Sentence) -> list[tuple[str, str, float]]:
    """(from, to, cost) for every clause of a sentence naming a pair and one amount."""
    out = []
    for clause in re.split(r",|;|\band\b", s.text):
        found = [
            (a, b)
            for a, b in _pair_list(clause)
            if name_ok(a) and (name_ok(b) or b.isdigit()) and a not in ("From", "Shipping", "Assigning")
        ]
        amounts = _MONEY.findall(clause)
        if len(found) == 1 and len(amounts) == 1:
            out.append((*found[0], _money(amounts[0])))
        elif found or amounts:
            return []  # a clause with two pairs or two amounts: not read
    return out


def read(sents: list[Sentence], text: str, data: dict[str, Any] | None = None) -> Reading | None:
    """A transportation or assignment model, a draft, or None when the text is neither.

    ``data``: uploaded tables; one whose rows and columns are the sources and destinations
    the text names gives the shipping costs. When the text leaves places unnamed ('two
    warehouses', 'the first warehouse'), :mod:`places` names them and the named text is
    read instead, if that gives a complete model.
    """
    reading = _read(sents, text, data)
    if reading is not None and reading.spec is not None:
        return reading
    named = name_places(sents, _supply_names, _demand_names)
    if named is not None:
        again = _read(named, " ".join(s.text for s in named), data)
        if again is not None and again.spec is not None:
            return again
    return reading


def _supply_names(text: str) -> list[str]:
    stated = [_place(m, 1) for m in _SUPPLY.finditer(text)] + [_place(m, 1) for m in _ELIDED.finditer(text)]
    return list(dict.fromkeys([*stated, *_respective(text)[0]]))


def _demand_names(text: str) -> list[str]:
    return list(dict.fromkeys([*(_place(m, 1) for m in _DEMAND.finditer(text)), *_respective(text)[1]]))


def _read(sents: list[Sentence], text: str, data: dict[str, Any] | None = None) -> Reading | None:
    if not _claims(text) and not (
        data and _SUPPLY.search(text) and _DEMAND.search(text) and _SHIP.search(text)
    ):
        return None
    supply: dict[str, float] = {}
    demand: dict[str, tuple[float, str]] = {}
    cost: dict[tuple[str, str], float] = {}
    each: list[tuple[int, str, str, str]] = []
    caps: dict[tuple[str, str], float] = {}
    whole = False
    consumed: set[int] = set()
    goal: tuple[int, str] | None = None
    problems_early: list[tuple[int, str]] = []
    for s in sents:
        listed_supply, listed_demand = _respective(s.text)
        supply.update(listed_supply)
        demand.update({name: (n, ">=") for name, n in listed_demand.items()})
        took = bool(listed_supply or listed_demand)
        stated = list(_SUPPLY.finditer(s.text))
        for m in stated:
            supply[_place(m, 1)] = num(m.group(4))
            took = True
        if stated:
            for m in _ELIDED.finditer(s.text, stated[-1].end()):
                supply.setdefault(_place(m, 1), num(m.group(4)))
        for m in _DEMAND.finditer(s.text):
            demand[_place(m, 1)] = (
                num(m.group(5)),
                "==" if (m.group(4) or "").strip() == "exactly" else ">=",
            )
            took = True
        pairs = _pairs(s) or _from_lists(s.text)
        scale = _cost_scale(s.text, text)
        if pairs and scale is None:
            problems_early.append((s.index, "costs per a batch ('per 1,000 litres') in a unit the amounts are not stated in"))
        if pairs and _unread_number(s.text):
            problems_early.append((s.index, "a number in a cost sentence that is neither a cost nor a place"))
        if (stated or list(_DEMAND.finditer(s.text))) and not pairs and not listed_supply and not listed_demand and _unplaced_number(s):
            problems_early.append((s.index, "a number in a supply or demand sentence that no place takes"))
        if _SCALED.search(s.text):
            problems_early.append((s.index, "an amount with a scale word ('30 thousand', '12 dozen') the place patterns do not read"))
        for a, b, c in pairs:
            cost[(a, b)] = c / (scale or 1.0)
        took = took or bool(pairs)
        route = _route_cap(s)
        if route is not None:
            caps[route[:2]] = route[2]
            took = True
        for first, word, second in _EACH.findall(s.text):
            each.append((s.index, first.lower(), word.lower(), second.lower()))
            took = True
        if _WHOLE.search(s.text) and not any(t.is_num for t in s.tokens):
            whole = took = True
        idiom = idiom_goal(s.tokens)
        if (_GOAL.search(s.text) or (idiom and idiom[0] == "minimize" and idiom[1] == ["cost"])) and not any(t.is_num for t in s.tokens):
            goal = (s.index, "minimize")
            took = True
        if took:
            consumed.add(s.index)
    problems: list[tuple[int, str]] = list(problems_early)
    if _mixed_measures(text):
        problems.append((0, "amounts of one kind in two units (litres and gallons): no conversion is guessed"))
    if goal is None:
        problems.append((len(sents) - 1, "no goal such as 'minimize the total cost' was found"))
    if supply or demand:
        used = _table_costs(data or {}, list(supply), list(demand), cost, problems)
        reading = _transport(sents, consumed, supply, demand, cost, caps, whole, problems)
        reading.tables = used
        return reading
    return _assignment(sents, consumed, cost, each, problems)


def _table_costs(
    data: dict[str, Any],
    sources: list[str],
    dests: list[str],
    cost: dict[tuple[str, str], float],
    problems: list[tuple[int, str]],
) -> list[str]:
    """Fill ``cost`` from an uploaded table whose rows are the sources and columns the destinations
    (or the other way round); returns the names of the tables used."""
    used = []
    for name, frame in data.items():
        try:
            grid = _grid(frame)
        except (TypeError, ValueError):
            continue
        if grid is None:
            continue
        rows, cols, cell = grid
        if set(rows) == set(sources) and set(cols) == set(dests):
            pairs = {(r, c): cell(r, c) for r in rows for c in cols}
        elif set(rows) == set(dests) and set(cols) == set(sources):
            pairs = {(c, r): cell(r, c) for r in rows for c in cols}
        else:
            continue
        for key, value in pairs.items():
            if key in cost and cost[key] != value:
                problems.append(
                    (0, f"the text and table '{name}' give different costs from {key[0]} to {key[1]}")
                )
            cost.setdefault(key, value)
        used.append(str(name))
    return used


def _grid(frame: Any) -> tuple[list[str], list[str], Any] | None:
    """Row labels (the first column, when it holds names), column labels and a cell reader."""
    columns = [str(c) for c in frame.columns]
    first = frame.iloc[:, 0]
    if not all(_numeric(v) for v in first):
        rows = [str(v).strip() for v in first]
        body = frame.iloc[:, 1:]
        cols = columns[1:]
    else:
        rows = [str(v).strip() for v in frame.index]
        body = frame
        cols = columns
    values = [[float(v) for v in row] for row in body.itertuples(index=False)]
    if any(v != v for row in values for v in row):  # NaN: an empty cell
        return None
    where = {(r, c): values[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    return rows, [c.strip() for c in cols], lambda r, c: where[(r, c)]


def _numeric(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _entries(cost: dict[tuple[str, str], float], rows: list[str], cols: list[str]) -> list[Entry]:
    return [Entry(key=[a, b], value=cost[(a, b)]) for a in rows for b in cols if (a, b) in cost]


def _missing(cost: dict[tuple[str, str], float], rows: list[str], cols: list[str]) -> list[str]:
    return [f"{a} to {b}" for a in rows for b in cols if (a, b) not in cost]


def _route_cap(s: Sentence) -> tuple[str, str, float] | None:
    """(from, to, most) when a sentence names one route, one upper amount and no money."""
    if "$" in s.text or _MONEY.search(s.text) or sum(t.is_num for t in s.tokens) != 1:
        return None
    routes = _pair_list(s.text) + [(m.group(1), _place(m, 2)) for m in _ROAD.finditer(s.text)]
    most = _CAP.findall(s.text)
    if len(routes) != 1 or len(most) != 1:
        return None
    return (*routes[0], num(most[0]))


def _transport(sents, consumed, supply, demand, cost, caps, whole, problems) -> Reading:
    sources = list(supply) or list(dict.fromkeys(a for a, _ in cost))
    dests = list(demand) or list(dict.fromkeys(b for _, b in cost))
    if not supply:
        problems.append((0, "no supply amounts ('North can supply 120 units') were found"))
    if not demand:
        problems.append((0, "no demand amounts ('Store A needs 70 units') were found"))
    gaps = _missing(cost, sources, dests)
    if gaps:
        problems.append((0, "no shipping cost was found from " + ", ".join(gaps)))
    stray = [f"{a} to {b}" for a, b in cost if a not in sources or b not in dests]
    if stray:
        problems.append((0, "a shipping cost names a place with no supply or demand: " + ", ".join(stray)))
    lost = [f"{a} to {b}" for a, b in caps if a not in sources or b not in dests]
    if lost:
        problems.append((0, "a route limit names a place with no supply or demand: " + ", ".join(lost)))
    ops = {d: op for d, (_, op) in demand.items()}

    def build() -> ModelSpec:
        parameters = [
            Parameter(
                name="cost",
                index=["Sources", "Destinations"],
                entries=_entries(cost, sources, dests),
                unit="$/unit",
                description="cost of shipping one unit",
            )
        ]
        constraints = []
        if supply:
            parameters.append(
                Parameter(
                    name="supply",
                    index=["Sources"],
                    values=[supply[s] for s in sources],
                    description="what each source can supply",
                )
            )
            constraints.append(
                Constraint(
                    name="supply",
                    for_=["s in Sources"],
                    expression="sum(ship[s, d] for d in Destinations) <= supply[s]",
                    kind=ConstraintKind.CAPACITY,
                    description="a source ships at most its supply",
                )
            )
        if demand:
            parameters.append(
                Parameter(
                    name="demand",
                    index=["Destinations"],
                    values=[demand[d][0] for d in dests],
                    description="what each destination needs",
                )
            )
            exact = [d for d in dests if ops.get(d) == "=="]
            if exact and len(exact) < len(dests):
                raise ValueError("some demands are exact and some are minimums")
            op = "==" if exact else ">="
            constraints.append(
                Constraint(
                    name="demand",
                    for_=["d in Destinations"],
                    expression=f"sum(ship[s, d] for s in Sources) {op} demand[d]",
                    kind=ConstraintKind.DEMAND,
                    description="a destination receives what it needs",
                )
            )
        for (a, b), most in caps.items():
            constraints.append(
                Constraint(
                    name=f"route_{a}_{b}",
                    expression=f"ship[{a!r}, {b!r}] <= {most:g}",
                    kind=ConstraintKind.CAPACITY,
                    description=f"at most {most:g} from {a} to {b}",
                )
            )
        return ModelSpec(
            name="transportation",
            description=sents[0].text if sents else "",
            sets=[
                IndexSet(name="Sources", elements=sources, description="where goods are shipped from"),
                IndexSet(name="Destinations", elements=dests, description="where goods are needed"),
            ],
            parameters=parameters,
            variables=[
                Variable(
                    name="ship",
                    index=["Sources", "Destinations"],
                    domain=Domain.INTEGER if whole else Domain.CONTINUOUS,
                    lower=0,
                    description="units shipped from each source to each destination",
                )
            ],
            objective=Objective(
                sense="minimize",
                expression="sum(cost[s, d] * ship[s, d] for s in Sources for d in Destinations)",
                description="total shipping cost",
            ),
            constraints=constraints,
        )

    return finish("transportation", sents, consumed, build, problems)


def _assignment(sents, consumed, cost, each, problems) -> Reading:
    agents = list(dict.fromkeys(a for a, _ in cost))
    tasks = list(dict.fromkeys(b for _, b in cost))
    gaps = _missing(cost, agents, tasks)
    if gaps:
        problems.append((0, "no cost was found for assigning " + ", ".join(gaps)))
    ops = {"exactly": "==", "at most": "<=", "at least": ">="}
    agent_word = task_word = None
    rows: list[Constraint] = []
    for k, first, word, second in each:
        if agent_word is None and task_word is None:
            agent_word, task_word = first, second  # 'each worker ... exactly one job': agents first
        if (first, second) == (agent_word, task_word):
            rows.append(
                Constraint(
                    name=f"each_{first}",
                    for_=["a in Agents"],
                    expression=f"sum(assign[a, t] for t in Tasks) {ops[word]} 1",
                    kind=ConstraintKind.BALANCE,
                    description=sents[k].text,
                )
            )
        elif (first, second) == (task_word, agent_word):
            rows.append(
                Constraint(
                    name=f"each_{first}",
                    for_=["t in Tasks"],
                    expression=f"sum(assign[a, t] for a in Agents) {ops[word]} 1",
                    kind=ConstraintKind.BALANCE,
                    description=sents[k].text,
                )
            )
        else:
            problems.append((k, "an 'each ... one' requirement naming neither the agents nor the tasks"))
    if not rows:
        problems.append((0, "no rule such as 'each worker does exactly one job' was found"))

    def build() -> ModelSpec:
        return ModelSpec(
            name="assignment",
            description=sents[0].text if sents else "",
            sets=[
                IndexSet(name="Agents", elements=agents, description=agent_word or "who is assigned"),
                IndexSet(name="Tasks", elements=tasks, description=task_word or "what is assigned"),
            ],
            parameters=[
                Parameter(
                    name="cost",
                    index=["Agents", "Tasks"],
                    entries=_entries(cost, agents, tasks),
                    description="cost of each assignment",
                )
            ],
            variables=[
                Variable(
                    name="assign",
                    index=["Agents", "Tasks"],
                    domain=Domain.BINARY,
                    lower=0,
                    upper=1,
                    description="1 when the agent takes the task",
                )
            ],
            objective=Objective(
                sense="minimize",
                expression="sum(cost[a, t] * assign[a, t] for a in Agents for t in Tasks)",
                description="total cost",
            ),
            constraints=rows,
        )

    return finish("assignment", sents, consumed, build, problems)
