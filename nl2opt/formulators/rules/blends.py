"""Blends with percentage compositions: 'Ore A is 20% iron and costs $40 a ton; ore B is 35%
iron and costs $65. The blend must be at least 28% iron. We need 1,000 tons.'

Each ingredient clause names an ingredient, its share of each component ('20% iron', 'no
sugar') and its cost per unit of quantity; the blend's requirements are shares of a component
('at least 28% iron', 'between 12% and 20% zinc'), amounts of it ('at least 130 kg of
nitrogen') or shares of an ingredient ('at least 40% orange juice'); one amount of blend is
made ('1,000 tons', 'a 100 kg batch'). Decisions: the quantity of each ingredient, in the unit
its cost is quoted per. A share requirement reads sum_i p_i x_i >= q * sum_i x_i.

It reads only what it can account for: every number of every clause, the same unit for the
costs, the amount made and any amount of a component (a cost per ton against an amount in kg
would be 1000x off, so it declines rather than convert), and every component a requirement
names stated for every ingredient. Otherwise it leaves the text to the scalar rules.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import Reading, finish
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

_N = r"\d[\d,]*(?:\.\d+)?"
_UNITS = {
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg",
    "g": "g", "gram": "g", "grams": "g",
    "ton": "ton", "tons": "ton", "tonne": "ton", "tonnes": "ton", "t": "ton",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "litre": "litre", "litres": "litre", "liter": "litre", "liters": "litre", "l": "litre",
    "gallon": "gallon", "gallons": "gallon", "barrel": "barrel", "barrels": "barrel", "bbl": "barrel",
}  # fmt: skip
_UNIT = r"(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
_SYMBOLS = {
    "c": "carbon", "cr": "chromium", "cu": "copper", "fe": "iron", "zn": "zinc", "s": "sulfur",
    "n": "nitrogen", "p": "phosphorus", "k": "potassium", "ni": "nickel", "mn": "manganese",
    "si": "silicon", "pb": "lead", "sn": "tin", "al": "aluminium", "mg": "magnesium",
}  # fmt: skip
"""Chemical symbols, so that 'Stock A: 30% Cr' and 'between 20% and 25% chromium' name one component."""
_SPELLINGS = {"sulphur": "sulfur", "fiber": "fibre", "aluminum": "aluminium"}
_PCT = r"(" + _N + r")\s?(?:%|\s?percent\b|\s?per\s?cent\b)"
_SHARE = re.compile(_PCT + r"\s+(?:of\s+)?([A-Za-z][\w-]*(?:\s+[a-z][\w-]*)?)", re.I)
_NONE = re.compile(r"\b(?:no|zero)\s+([A-Za-z][\w-]*)", re.I)
_MONEY = re.compile(
    r"(?:\$\s?(" + _N + r")|(" + _N + r")\s+cents)(?:\s*(?:per|a|an|each|/|for\s+(?:a|each|one))\s*(" + _UNIT + r")\b)?",
    re.I,
)
_AT_LEAST = r"at\s+least|no\s+less\s+than|not\s+less\s+than|(?:a\s+)?minimum\s+of|(?:a\s+)?minimum"
_AT_MOST = r"at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|(?:a\s+)?maximum\s+of|(?:a\s+)?maximum|not\s+exceeding|under"
_CMP = r"(" + _AT_LEAST + r"|" + _AT_MOST + r"|exactly)"
_BOUND_PCT = re.compile(r"\b" + _CMP + r"\s+" + _PCT + r"(?:\s+(?:of\s+)?([A-Za-z][\w-]*(?:\s+[a-z][\w-]*)?))?", re.I)
_BETWEEN = re.compile(r"\bbetween\s+" + _PCT + r"\s+and\s+" + _PCT + r"(?:\s+(?:of\s+)?([A-Za-z][\w-]*))?", re.I)
_BOUND_AMOUNT = re.compile(r"\b" + _CMP + r"\s+(" + _N + r")\s*(" + _UNIT + r")\s+of\s+([A-Za-z][\w-]*)", re.I)
_OF_IT = re.compile(
    r"\s+of\s+(?:it|the\s+(?:blend|mix|mixture|batch|total))\s+(?:must|should|has to|is to|may|can)\s+(?:be|come from)\s+"
    r"([A-Za-z][\w-]*(?:\s+[A-Za-z0-9][\w-]*){0,2})",
    re.I,
)
"""'at least 25% of it must be feed T': a share of an ingredient."""
_SUBJECT_BEFORE = re.compile(r"\b([A-Za-z][\w-]*)\s+(?:content\s+)?(?:must|should|has to|may|can|is to|needs? to)\s+be\s*$", re.I)
_TOTAL = re.compile(
    r"(?:\b(" + _AT_LEAST + r"|" + _AT_MOST + r"|exactly)\s+)?(?:an?\s+)?(" + _N + r")[\s-]*(" + _UNIT + r")\b(?!\s*(?:/|per\b))",
    re.I,
)
_DIGITS = re.compile(_N)
_PROPERTIES = r"(octane|cetane|viscosity|density|hardness)"
_PROPERTY = re.compile(r"\b" + _PROPERTIES + r"\s+(?:rating\s+|number\s+|index\s+)?(?:of\s+)?(" + _N + r")(?!\s*%)", re.I)
"""'octane 86': a property the blend has as the quantity-weighted average of its ingredients'."""
_BOUND_PROPERTY = re.compile(
    r"\b" + _PROPERTIES + r"\s+(?:rating\s+|number\s+|index\s+)?(?:of\s+)?(?:(?:must|should|has to)\s+be\s+)?"
    + _CMP + r"\s+(" + _N + r")(?!\s*%)",
    re.I,
)
_LINEAR = re.compile(r"\bweighted average\b|\bblends? linearly\b|\blinear(?:ly)? (?:by|in) (?:volume|weight|mass)\b", re.I)
_INGREDIENT = re.compile(
    r"^\s*(?:(?:and|but|while|whereas)\s+)?(?:each\s+" + _UNIT + r"\s+of\s+)?"
    r"(?P<name>[A-Za-z][\w-]*(?:\s+[A-Za-z0-9][\w-]*){0,2}?)\s*(?::|\(|\bis\b|\bare\b|\bcosts?\b|\bcontains?\b|\bhas\b|\bhave\b)",
    re.I,
)
_PAREN = re.compile(r"\b((?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)\s*\(([^()]*)\)")
_LEADING = frozenset({"the", "a", "an", "each", "every", "from", "and", "of", "with", "while", "but"})
_PRODUCT_WORDS = frozenset(
    {"blend", "mix", "mixture", "batch", "product", "it", "this", "that", "which", "we", "they", "recipe", "she", "he", "i"}
)
"""Words that name the blend itself (or no one), never an ingredient."""
_GOAL_MIN = re.compile(r"\bminimi[sz]e|\bcheapest\b|\blowest\b|\bleast\b|\bminimum cost\b", re.I)
_GOAL_MAX = re.compile(r"\bmaximi[sz]e|\bthe most\b|\bhighest\b|\blargest\b|\bprofit\b|\brevenue\b", re.I)
_WHOLE = re.compile(r"\bwhole\b|\binteger\b|\bcannot be split\b|\bindivisible\b", re.I)
_COUNT = re.compile(r"\b(two|three|four|five|six)\b", re.I)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _component(word: str) -> str:
    """'Cr' -> 'chromium', 'sulphur' -> 'sulfur': one name per component."""
    low = word.lower()
    return _SYMBOLS.get(low, _SPELLINGS.get(low, low))


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def _clauses(text: str) -> list[str]:
    """A sentence's clauses: split at semicolons and at ', and' before a new subject."""
    return [c for c in re.split(r";|\.\s|\s+-\s+", text) if c.strip()]


class _Blend:
    """What the clauses of a blend text state, gathered before the model is built."""

    def __init__(self) -> None:
        self.cost: dict[str, float] = {}
        self.cost_unit: dict[str, str | None] = {}
        self.content: dict[str, dict[str, float]] = {}
        self.display: dict[str, str] = {}
        self.shares: list[tuple[int, str, str, float]] = []  # (sentence, component, sense, fraction)
        self.amounts: list[tuple[int, str, str, float, str]] = []  # (sentence, component, sense, amount, unit)
        self.uses: list[tuple[int, str, str, float]] = []  # (sentence, ingredient, sense, fraction)
        self.targets: list[tuple[int, str, str, float]] = []  # (sentence, what, sense, fraction): a component or an ingredient
        self.total: tuple[int, str, float, str] | None = None  # (sentence, sense, amount, unit)
        self.averages: list[tuple[int, str, str, float]] = []  # (sentence, '@property', sense, value)
        self.goal: int | None = None
        self.problems: list[tuple[int, str]] = []


def _ingredient(clause: str, b: _Blend) -> tuple[bool, str]:
    """Read 'NAME is 20% iron and costs $40 a ton' (or 'NAME: 30% Cr, $4.10/kg', 'NAME ($1.50 per litre, 10% sugar)').

    Returns whether an ingredient was read and the rest of the clause, still to be read.
    """
    found = False
    parens = [m for m in _PAREN.finditer(clause) if "%" in m.group(2) or "$" in m.group(2)]
    spans: list[tuple[str, str]] = [(m.group(1), m.group(2)) for m in parens]
    rest = clause
    for m in reversed(parens):
        rest = rest[: m.start()] + " " + rest[m.end():]
    if not spans:
        rest = clause
        m = _INGREDIENT.match(clause)
        if m and ("%" in clause or _PROPERTY.search(clause)) and re.search(r"\$|\bcents\b", clause):
            spans = [(m.group("name"), clause[m.end("name"):])]
            rest = ""
    for name, body in spans:
        words = name.split()
        while words and words[0].lower() in _LEADING:
            words = words[1:]
        if not words or words[-1].lower() in _PRODUCT_WORDS:
            return False, clause
        if re.search(r"\b(?:at least|at most|no more than|must|between|exceed)\b", body, re.I):
            return False, clause
        money = list(_MONEY.finditer(body))
        shares = list(_SHARE.finditer(body))
        props = list(_PROPERTY.finditer(body))
        if len(money) != 1 or not (shares or props or _NONE.search(body)):
            return False, clause
        used = [m.group(1) or m.group(2) for m in money] + [s.group(1) for s in shares] + [p.group(2) for p in props]
        if len(_DIGITS.findall(body)) != len(used):
            return False, clause
        key = _key(" ".join(words))
        if key in b.cost:
            return False, clause
        money_match = money[0]
        value = _num(money_match.group(1)) if money_match.group(1) else _num(money_match.group(2)) / 100
        b.cost[key] = value
        b.cost_unit[key] = _UNITS[money_match.group(3).lower()] if money_match.group(3) else None
        b.display[key] = " ".join(words)
        b.content[key] = {_component(s.group(2).split()[0]): _num(s.group(1)) / 100 for s in shares}
        for z in _NONE.finditer(body):
            b.content[key][_component(z.group(1))] = 0.0
        b.content[key].update({"@" + p.group(1).lower(): _num(p.group(2)) for p in props})
        found = True
    return found, rest


def _requirement(clause: str, b: _Blend, k: int) -> bool:
    """Read the blend's requirements in one clause; False when a number of it is left unread."""
    used = 0
    consumed: list[tuple[int, int]] = []
    for m in _BOUND_PROPERTY.finditer(clause):
        b.averages.append((k, "@" + m.group(1).lower(), _sense(m.group(2)), _num(m.group(3))))
        used += 1
        consumed.append(m.span())
    for m in _BETWEEN.finditer(clause):
        before = _SUBJECT_BEFORE.search(clause[: m.start()])
        comp = m.group(3) or (before.group(1) if before else None)
        if comp is None:
            return False
        b.shares.append((k, _component(comp), ">=", _num(m.group(1)) / 100))
        b.shares.append((k, _component(comp), "<=", _num(m.group(2)) / 100))
        used += 2
        consumed.append(m.span())
    for m in _BOUND_AMOUNT.finditer(clause):
        if m.group(4).lower() in _PRODUCT_WORDS | _LEADING:
            continue  # 'exactly 500 kg of a blend': the amount made
        sense = _sense(m.group(1))
        b.amounts.append((k, _component(m.group(4)), sense, _num(m.group(2)), _UNITS[m.group(3).lower()]))
        used += 1
        consumed.append(m.span())
    for m in _BOUND_PCT.finditer(clause):
        if any(a <= m.start() < z for a, z in consumed):
            continue
        sense = _sense(m.group(1))
        target = m.group(3)
        span = m.span()
        of_it = _OF_IT.match(clause, clause.index("%", m.start(2)) + 1) if "%" in clause[m.start(2):m.end()] else None
        if of_it is not None:
            target, span = of_it.group(1), (m.start(), of_it.end())
        elif target is None or target.split()[0].lower() in ("but", "and", "of"):
            before = _SUBJECT_BEFORE.search(clause[: m.start()])
            if before is None:
                return False
            target = before.group(1)
        b.targets.append((k, target, sense, _num(m.group(2)) / 100))
        used += 1
        consumed.append(span)
    rest = clause
    for a, z in sorted(consumed, reverse=True):
        rest = rest[:a] + " " + rest[z:]
    t = _TOTAL.search(rest)
    if t is not None:
        if b.total is not None:
            return False
        b.total = (k, _sense(t.group(1)) if t.group(1) else "==", _num(t.group(2)), _UNITS[t.group(3).lower()])
        used += 1
    return used > 0 and len(_DIGITS.findall(clause)) == used


def _sense(word: str) -> str:
    low = re.sub(r"\s+", " ", word.lower())
    if low == "exactly":
        return "=="
    return ">=" if re.fullmatch(_AT_LEAST, low) else "<="


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A blend model, or None when the text is not a blend this reader can account for fully."""
    if "%" not in text and "percent" not in text.lower() and "per cent" not in text.lower() and not _PROPERTY.search(text):
        return None
    b = _Blend()
    consumed: set[int] = set()
    for s in sents:
        clauses = _clauses(s.text)
        read_all = True
        any_read = False
        for clause in clauses:
            found, rest = _ingredient(clause, b)
            if _DIGITS.search(rest):
                ok = _requirement(rest, b, s.index)
                read_all = read_all and ok
                found = found or ok
            any_read = any_read or found
        if _GOAL_MIN.search(s.text) and re.search(r"\bcost|\bcheap|\bspend|\bexpens", s.text, re.I):
            b.goal = s.index
            any_read = any_read or not _DIGITS.search(s.text)
        if _GOAL_MAX.search(s.text):
            return None
        if any_read and read_all:
            consumed.add(s.index)
    for k, target, sense, q in b.targets:
        words = target.split()
        names = [" ".join(words[:j]) for j in range(len(words), 0, -1)]
        hit = next((_key(n) for n in names if _key(n) in b.cost), None)
        if hit is not None:
            b.uses.append((k, hit, sense, q))
        else:
            b.shares.append((k, _component(words[0]), sense, q))
    stated = {c for content in b.content.values() for c in content}
    named = {w for name in b.cost for w in name.split()}
    for amount in [a for a in b.amounts if a[1] not in stated]:
        if b.total is not None or amount[1] in named:
            return None  # 'at most 400 tons of ore B': a limit on an ingredient, not the amount made
        b.amounts.remove(amount)  # 'exactly 800 litres of potting soil': the amount made, not of a component
        b.total = (amount[0], amount[2], amount[3], amount[4])
    if b.averages and not _LINEAR.search(text):
        return None  # a property averages only when the text says it blends linearly
    for _, prop, _, _ in b.averages:
        if any(prop not in b.content[n] for n in b.cost):
            return None
    if len(b.cost) < 2 or not (b.shares or b.amounts or b.averages):
        return None
    names = list(b.cost)
    if _WHOLE.search(text):
        return None
    counts = {_COUNTS[w.lower()] for w in _COUNT.findall(text)}
    if counts - {len(names)}:
        return None
    if b.total is not None and b.total[1] == "<=":
        return None  # 'up to 1,000 tons' with the least cost: nothing would be made; not a reading to trust
    units = {u for u in b.cost_unit.values() if u is not None}
    if len(units) != 1 or b.total is None or b.total[3] not in units or any(a[4] not in units for a in b.amounts):
        return None  # one quantity unit, or the scale is a guess
    for _, comp, _, _ in b.shares:
        if any(comp not in b.content[n] for n in names):
            return None
    for _, comp, _, _, _ in b.amounts:
        if any(comp not in b.content[n] for n in names):
            return None
    components = sorted({c for _, c, _, _ in b.shares} | {c for _, c, _, _, _ in b.amounts})
    problems: list[tuple[int, str]] = []
    if b.goal is None:
        problems.append((len(sents) - 1, "no goal such as 'minimize the cost' was found"))
    unit = units.pop()
    total = b.total
    elements = [b.display[n].replace(" ", "_") for n in names]

    def ident(comp: str) -> str:
        return "share_" + re.sub(r"\W", "_", comp)

    def build() -> ModelSpec:
        rows = [
            Constraint(
                name="amount_made",
                expression=f"sum(use[i] for i in Ingredients) {total[1]} {total[2]:g}",
                kind=ConstraintKind.DEMAND if total[1] != "<=" else ConstraintKind.CAPACITY,
                description=sents[total[0]].text,
            )
        ]
        for j, (k, comp, sense, q) in enumerate(b.shares):
            rows.append(
                Constraint(
                    name=f"{ident(comp)}_{j + 1}",
                    expression=f"sum({ident(comp)}[i] * use[i] for i in Ingredients) {sense} {q:g} * sum(use[i] for i in Ingredients)",
                    kind=ConstraintKind.RATIO,
                    description=sents[k].text,
                )
            )
        for j, (k, comp, sense, amount, _) in enumerate(b.amounts):
            rows.append(
                Constraint(
                    name=f"amount_{re.sub(r'W', '_', comp)}_{j + 1}",
                    expression=f"sum({ident(comp)}[i] * use[i] for i in Ingredients) {sense} {amount:g}",
                    kind=ConstraintKind.CAPACITY if sense == "<=" else ConstraintKind.DEMAND,
                    description=sents[k].text,
                )
            )
        for j, (k, prop, sense, value) in enumerate(b.averages):
            rows.append(
                Constraint(
                    name=f"average_{prop[1:]}_{j + 1}",
                    expression=f"sum({prop[1:]}[i] * use[i] for i in Ingredients) {sense} {value:g} * sum(use[i] for i in Ingredients)",
                    kind=ConstraintKind.RATIO,
                    description=sents[k].text,
                )
            )
        for j, (k, name, sense, q) in enumerate(b.uses):
            element = b.display[name].replace(" ", "_")
            rows.append(
                Constraint(
                    name=f"use_share_{j + 1}",
                    expression=f"use['{element}'] {sense} {q:g} * sum(use[i] for i in Ingredients)",
                    kind=ConstraintKind.RATIO,
                    description=sents[k].text,
                )
            )
        return ModelSpec(
            name="blend",
            description=sents[0].text if sents else "",
            sets=[IndexSet(name="Ingredients", elements=elements, description="what is blended")],
            parameters=[
                Parameter(
                    name="cost",
                    index=["Ingredients"],
                    values=[b.cost[n] for n in names],
                    description=f"cost of one {unit} of each ingredient",
                ),
                *[
                    Parameter(
                        name=ident(comp),
                        index=["Ingredients"],
                        values=[b.content[n][comp] for n in names],
                        description=f"share of {comp} in each ingredient (a fraction)",
                    )
                    for comp in components
                ],
                *[
                    Parameter(
                        name=prop[1:],
                        index=["Ingredients"],
                        values=[b.content[n][prop] for n in names],
                        description=f"{prop[1:]} of each ingredient (the blend's is the weighted average)",
                    )
                    for prop in sorted({a[1] for a in b.averages})
                ],
            ],
            variables=[
                Variable(
                    name="use",
                    index=["Ingredients"],
                    domain=Domain.CONTINUOUS,
                    lower=0,
                    description=f"{unit} of each ingredient in the blend",
                )
            ],
            objective=Objective(
                sense="minimize",
                expression="sum(cost[i] * use[i] for i in Ingredients)",
                description="cost of the ingredients",
            ),
            constraints=rows,
        )

    reading = finish("blend", sents, consumed, build, problems)
    return reading if reading.spec is not None else None
