"""Diets with facts per portion: 'Per 100 g, rice has 2.7 g of protein and costs $0.20; beans
have 9 g of protein and cost $0.35. The lunch needs at least 30 g of protein and no more than
400 g of food.'

Each food clause names a food, the amounts of nutrients in one portion ('24 g of protein',
'350 kcal', '100 mg calcium') and its cost per portion. The portion is what the facts are per:
'per 100 g' (a sentence's opening or the cost's), 'a serving', 'a portion'. Decisions: the
number of portions of each food. Requirements: at least / at most an amount of a nutrient
(sum_i a_i x_i >= N), of food in all, of any one food, of the cost.

Scale is where a wrong guess is 1000x off, so amounts are compared only in one unit family,
converted exactly (mg, g, kg; ml, l): '400 g of food' with 100 g portions is 4 portions, and
a nutrient stated in kcal for the foods and in kJ for the need declines. Whole or fractional
portions must be stated. Every number of every clause is read, or the text is left to the
other rules.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import Reading, finish, logic_sentences
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
_SCALE = {
    "mg": ("mass", 0.001), "milligram": ("mass", 0.001), "milligrams": ("mass", 0.001),
    "g": ("mass", 1.0), "gram": ("mass", 1.0), "grams": ("mass", 1.0),
    "kg": ("mass", 1000.0), "kilogram": ("mass", 1000.0), "kilograms": ("mass", 1000.0),
    "ml": ("volume", 1.0), "millilitre": ("volume", 1.0), "millilitres": ("volume", 1.0),
    "l": ("volume", 1000.0), "litre": ("volume", 1000.0), "litres": ("volume", 1000.0),
    "kcal": ("kcal", 1.0), "calories": ("kcal", 1.0), "calorie": ("kcal", 1.0),
    "kj": ("kj", 1.0),
}  # fmt: skip
_UNIT = r"(?:" + "|".join(sorted(_SCALE, key=len, reverse=True)) + r")"
_AMOUNT = re.compile(r"(?<![\w$.])(" + _N + r")\s*(" + _UNIT + r")\b(?:\s+(?:of\s+)?(?!and\b|of\b|per\b|a\b|an\b|each\b)([a-z]+))?", re.I)
_MONEY = re.compile(r"\$\s?(" + _N + r")|(?<![\w$.])(" + _N + r")\s+cents\b", re.I)
_PER_SIZE = re.compile(r"\bper\s+(" + _N + r")\s*(" + _UNIT + r")\b", re.I)
_PER_COUNT = re.compile(r"\b(?:a|per|each|for)\s+(?:dozen|hundred|thousand|pair|gross|score|batch|lot)\b", re.I)
_PER_SERVING = re.compile(r"\b(?:per|a|each|for each|for one)\s+(serving|portion)\b", re.I)
_FOOD = re.compile(
    r"^\s*(?:(?:and|but|while|whereas)\s+)?(?P<name>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)\s*"
    r"(?::|\bhas\b|\bhave\b|\bgives?\b|\bcontains?\b|\bprovides?\b|\bcosts?\b)",
    re.I,
)
_PAREN = re.compile(r"\b((?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)\s*\(([^()]*)\)")
_NOT_FOOD = frozenset({"it", "each", "lunch", "meal", "ration", "diet", "camper", "she", "he", "i", "we", "they", "this", "which", "that", "nobody", "everyone"})
_AT_LEAST = r"at\s+least|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of|minimum\s+of|meet|meets|reach"
_AT_MOST = r"at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|a\s+maximum\s+of|maximum\s+of|more\s+than"
_NEED = re.compile(r"\b(" + _AT_LEAST + r"|" + _AT_MOST + r")\s+", re.I)
_EACH_FOOD = re.compile(r"\b(?:of\s+)?(?:any\s+(?:one|single)|each|either|every)\s+(?:food|kind|item|one)\b", re.I)
_SERVINGS = re.compile(r"^(" + r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve" + r")\s+(?:servings?|portions?)\b", re.I)
_LIST_SEP = re.compile(r"\s*,\s+(?:and\s+)?(?=\$?\d)|\s+and\s+(?=\$?\d)")
"""Between the items of one requirement's list: '60 g protein, 2,000 kcal and 800 mg calcium' (never inside '2,100')."""
_WORD_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12}
_WHOLE = re.compile(r"\bwhole\s+(?:servings?|portions?|units?)\b|\bwhole portions only\b|\bcannot be split\b", re.I)
_FRACTIONAL = re.compile(r"\bfractions?\b[^.]*\b(?:fine|allowed|ok|okay)\b|\bany\s+(?:amount|quantit)\w*\b[^.]*\b(?:fine|allowed|ok|okay)\b|\bfractional\b", re.I)
_GOAL = re.compile(r"\bminimi[sz]e|\bcheapest\b|\blowest\b|\bleast\b|\bminimum\b", re.I)
_SPAN = re.compile(r"\b(?:over|for|in)\s+(?:a|an|one|the|\d+|two|three|seven)\s+(?:days?|weeks?|months?|years?)\b", re.I)
_ONE_AMOUNT = re.compile(r"\bhow (?:many|much)\b", re.I)
_OTHER_GOAL = re.compile(r"\bmaximi[sz]e|\bthe most\b|\bhighest\b|\blargest\b|\bprofit\b", re.I)
_IN_PORTIONS = re.compile(r"\(?\b(?:in|amounts in)\s+(" + _N + r")\s*(" + _UNIT + r")\s+(?:portions|units|servings)\b\)?", re.I)


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _nutrient(unit: str, word: str | None) -> str:
    """'24 g of protein' -> 'protein'; '350 kcal' -> 'kcal' (energy names itself)."""
    family = _SCALE[unit.lower()][0]
    if word and family in ("mass", "volume"):
        return word.lower()
    return family


class _Diet:
    def __init__(self) -> None:
        self.cost: dict[str, float] = {}
        self.has: dict[str, dict[str, tuple[float, str]]] = {}  # food -> nutrient -> (amount in base unit, family)
        self.portion: dict[str, tuple[float, str] | str | None] = {}  # (size, family) | 'serving' | None
        self.needs: list[tuple[int, str, str, float, str]] = []  # (sentence, nutrient, sense, amount, family)
        self.food_total: list[tuple[int, str, float, str]] = []  # (sentence, sense, amount, family)
        self.each_food: list[tuple[int, str, float]] = []  # (sentence, sense, portions)
        self.spend: list[tuple[int, str, float]] = []
        self.scope: tuple[float, str] | None = None
        self.declared: tuple[float, str] | None = None  # '(in 100 g portions)'


def _food(clause: str, d: _Diet) -> tuple[bool, str]:
    """Read 'NAME has 2.7 g of protein and costs $0.20' or 'NAME (40 cents, 4 g protein)'; return the rest."""
    parens = [m for m in _PAREN.finditer(clause) if _AMOUNT.search(m.group(2)) and _MONEY.search(m.group(2))]
    spans = [(m.group(1), m.group(2)) for m in parens]
    rest = clause
    for m in reversed(parens):
        rest = rest[: m.start()] + " " + rest[m.end() :]
    if not spans:
        m = _FOOD.match(clause)
        if m and _MONEY.search(clause) and _AMOUNT.search(clause) and not _NEED.search(clause):
            spans, rest = [(m.group("name"), clause[m.end("name") :])], ""
    found = False
    for name, body in spans:
        words = [w for w in name.split() if w.lower() not in ("portions", "of", "from", "and", "a", "an", "the")]
        if not words or words[-1].lower() in _NOT_FOOD or words[0].lower() in _NOT_FOOD:
            return False, clause
        money = list(_MONEY.finditer(body))
        size = _PER_SIZE.search(body)
        serving = _PER_SERVING.search(body)
        amounts = [a for a in _AMOUNT.finditer(body) if not (size and a.start() >= size.start(1) and a.end() <= size.end())]
        if len(money) != 1 or not amounts or _PER_COUNT.search(body):
            return False, clause  # '30 cents a dozen': a price for another quantity than one portion
        digits = len(re.findall(_N, body))
        if digits != len(amounts) + 1 + (1 if size else 0):
            return False, clause
        key = " ".join(words).lower()
        if key in d.cost:
            return False, clause
        m0 = money[0]
        d.cost[key] = _num(m0.group(1)) if m0.group(1) else _num(m0.group(2)) / 100
        if size:
            family, scale = _SCALE[size.group(2).lower()]
            d.portion[key] = (_num(size.group(1)) * scale, family)
        else:
            d.portion[key] = "serving" if serving else None
        facts: dict[str, tuple[float, str]] = {}
        for a in amounts:
            family, scale = _SCALE[a.group(2).lower()]
            nutrient = _nutrient(a.group(2), a.group(3))
            if nutrient in facts:
                return False, clause
            facts[nutrient] = (_num(a.group(1)) * scale, family)
        d.has[key] = facts
        found = True
    return found, rest


def _needs(clause: str, d: _Diet, k: int) -> bool:
    """Read the requirements of a clause; False when a number of it is left unread.

    Every number read is tracked by its position, so that a list split in the wrong place
    ('2,100' cut at its comma) cannot pass for a clause read in full.
    """
    numbers = {m.start() for m in re.finditer(_N, clause)}
    read_at: set[int] = set()
    found = list(_NEED.finditer(clause))
    for j, m in enumerate(found):
        sense = ">=" if re.fullmatch(_AT_LEAST, re.sub(r"\s+", " ", m.group(1).lower())) else "<="
        end = found[j + 1].start() if j + 1 < len(found) else len(clause)
        starts = [m.end()] + [x.end() for x in _LIST_SEP.finditer(clause, m.end(), end)]
        for at in starts:
            part = clause[at:end]
            amount = _AMOUNT.match(part)
            money = re.match(r"\$\s?(" + _N + r")", part)
            servings = _SERVINGS.match(part)
            if money:
                d.spend.append((k, sense, _num(money.group(1))))
                read_at.add(at + money.start(1))
            elif servings and _EACH_FOOD.search(part):
                word = servings.group(1).lower()
                d.each_food.append((k, sense, float(_WORD_NUM[word]) if word in _WORD_NUM else _num(word)))
                if word[0].isdigit():
                    read_at.add(at + servings.start(1))
            elif amount:
                family, scale = _SCALE[amount.group(2).lower()]
                word = amount.group(3)
                if word and word.lower() in ("food", "foods"):
                    if not re.search(r"\bin total\b|\baltogether\b|\bof food\b", part):
                        return False
                    d.food_total.append((k, sense, _num(amount.group(1)) * scale, family))
                else:
                    d.needs.append((k, _nutrient(amount.group(2), word), sense, _num(amount.group(1)) * scale, family))
                read_at.add(at + amount.start(1))
            else:
                break
    p = _IN_PORTIONS.search(clause)
    if p:
        family, scale = _SCALE[p.group(2).lower()]
        d.declared = (_num(p.group(1)) * scale, family)
        read_at.add(p.start(1))
    return read_at == numbers


def _unknown_scale(d: _Diet, why: str, sentence: int = 0, *, always: bool = False) -> Reading | None:
    """A decline when amounts of food cannot be put on one scale, so that no other rule guesses it.

    Facts per unstated portions, read by the scalar rules against '300 g of food in total',
    would be off by the portion's size. Without an amount of food in all (and unless
    ``always``), the foods may be counted as they are ('a burger has 20 g of protein'):
    None leaves them to the other rules.
    """
    if not (d.food_total or always):
        return None
    return Reading("diet", reasons=[(sentence, "the scale of the amounts is unclear: " + why)])


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A diet model, or None when the text is not a diet this reader can account for fully."""
    if not re.search(r"\b(?:protein|kcal|calories|vitamin|calcium|carbohydrates?|fat|fibre|fiber|iron)\b", text, re.I):
        return None
    if _OTHER_GOAL.search(text):
        return None
    d = _Diet()
    consumed: set[int] = set()
    goal = False
    logic = logic_sentences(sents)
    for s in sents:
        body = s.text
        scope = re.match(r"^\s*per\s+(" + _N + r")\s*(" + _UNIT + r")\s*,\s*", body, re.I)
        if scope:
            family, scale = _SCALE[scope.group(2).lower()]
            d.scope = (_num(scope.group(1)) * scale, family)
            body = body[scope.end() :]
        ok = True
        for clause in re.split(r";|\.\s", body):
            if not clause.strip():
                continue
            found, rest = _food(clause, d)
            if found and scope:
                for key in d.portion:
                    d.portion[key] = d.portion[key] or d.scope
            if re.search(_N, rest):
                ok = _needs(rest, d, s.index) and ok
        if _GOAL.search(s.text) and re.search(r"\bcost|\bcheap", s.text, re.I):
            goal = True
            if _SPAN.search(s.text):
                return None  # 'the cheapest snack per day over a week': the needs' period and the goal's differ
            if _ONE_AMOUNT.search(s.text) and not re.search(r"\beach\b|\bevery\b|\bwhich\b", s.text, re.I):
                return None  # 'How many grams of oats go into the cheapest snack?': one food's amount is asked, not the cost
        if ok and (s.index not in logic or re.search(r"\d", s.text)):  # a requirement without a number: not read
            consumed.add(s.index)
    foods = list(d.cost)
    if len(foods) < 2 or not goal or not (d.needs or d.food_total):
        return None
    counted = "serving" if re.search(r"\b(?:servings?|portions?)\b", text, re.I) else None
    portions = {d.portion[f] or d.scope or counted for f in foods}
    if len(portions) != 1 or None in portions:
        return _unknown_scale(d, "the foods' facts are not all per one stated portion ('per 100 g')")
    portion = portions.pop()
    if d.declared is not None and d.declared != portion:
        return _unknown_scale(d, "the portion asked for is not the one the facts are per")
    whole, fractional = bool(_WHOLE.search(text)), bool(_FRACTIONAL.search(text))
    if whole == fractional:
        return None  # whole portions or any amount: the text must say which
    for k, nutrient, _, _, family in d.needs:
        stated = [d.has[f][nutrient][1] for f in foods if nutrient in d.has[f]]
        if len(stated) < len(foods):
            return None  # a nutrient a food does not state
        if any(f != family for f in stated):
            return _unknown_scale(d, f"{nutrient} is needed in another unit than the foods state it in", k, always=True)
    if d.food_total and (portion == "serving" or any(family != portion[1] for _, _, _, family in d.food_total)):
        return _unknown_scale(d, "an amount of food in all, but no portion size in the same unit", d.food_total[0][0])
    if d.each_food and portion != "serving" and not _EACH_FOOD.search(text):
        return None
    names = [f.replace(" ", "_") for f in foods]
    nutrients = sorted({n for _, n, _, _, _ in d.needs})

    def ident(n: str) -> str:
        return "amount_" + re.sub(r"\W", "_", n)

    def build() -> ModelSpec:
        rows = []
        for j, (k, n, sense, amount, _) in enumerate(d.needs):
            rows.append(
                Constraint(
                    name=f"{ident(n)}_{j + 1}",
                    expression=f"sum({ident(n)}[f] * eat[f] for f in Foods) {sense} {amount:g}",
                    kind=ConstraintKind.DEMAND if sense == ">=" else ConstraintKind.CAPACITY,
                    description=sents[k].text,
                )
            )
        for j, (k, sense, amount, _) in enumerate(d.food_total):
            rows.append(
                Constraint(
                    name=f"food_total_{j + 1}",
                    expression=f"sum(eat[f] for f in Foods) {sense} {amount / portion[0]:g}",
                    kind=ConstraintKind.CAPACITY,
                    description=sents[k].text + f" (portions of {portion[0]:g})",
                )
            )
        for j, (k, sense, amount) in enumerate(d.each_food):
            rows.append(
                Constraint(
                    name=f"each_food_{j + 1}",
                    expression=f"eat[f] {sense} {amount:g}",
                    for_=["f in Foods"],
                    kind=ConstraintKind.BOUND,
                    description=sents[k].text,
                )
            )
        for j, (k, sense, amount) in enumerate(d.spend):
            rows.append(
                Constraint(
                    name=f"spend_{j + 1}",
                    expression=f"sum(cost[f] * eat[f] for f in Foods) {sense} {amount:g}",
                    kind=ConstraintKind.CAPACITY,
                    description=sents[k].text,
                )
            )
        size = "one serving" if portion == "serving" else f"one portion of {portion[0]:g} ({portion[1]})"
        return ModelSpec(
            name="diet",
            description=sents[0].text if sents else "",
            sets=[IndexSet(name="Foods", elements=names, description="foods to choose from")],
            parameters=[
                Parameter(name="cost", index=["Foods"], values=[d.cost[f] for f in foods], description=f"cost of {size}"),
                *[
                    Parameter(
                        name=ident(n),
                        index=["Foods"],
                        values=[d.has[f][n][0] for f in foods],
                        description=f"{n} in {size}",
                    )
                    for n in nutrients
                ],
            ],
            variables=[
                Variable(
                    name="eat",
                    index=["Foods"],
                    domain=Domain.INTEGER if whole else Domain.CONTINUOUS,
                    lower=0,
                    description=f"portions of each food ({size})",
                )
            ],
            objective=Objective(sense="minimize", expression="sum(cost[f] * eat[f] for f in Foods)", description="cost of the food"),
            constraints=rows,
        )

    reading = finish("diet", sents, consumed, build, [])
    return reading if reading.spec is not None else None
