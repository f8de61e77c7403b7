"""Cutting stock with the patterns listed: 'We cut 10-metre boards. Each board can be cut in one
of three ways: three 3 m pieces; two 4 m pieces; or two 3 m pieces and one 4 m piece. We need at
least twelve 3 m pieces and ten 4 m pieces. Only 12 boards are in stock. Fewest boards?'

Decisions: how many stock lengths are cut with each pattern (whole numbers). Each piece size
must be cut at least as often as ordered; the stock on hand caps the total; the goal is the
fewest lengths cut. Sizes are read with their unit ('45 cm', '3-footers', 'three-foot') and a
pattern is trusted only when its pieces fit the stock length in the same unit (a misread
pattern would not); every number is read, every count given ('three ways') matches, or the text
is left to the other rules.
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

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
_UNITS = {"m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "centimetre": "cm", "centimetres": "cm",
          "mm": "mm", "ft": "ft", "foot": "ft", "feet": "ft", "footer": "ft", "footers": "ft", "inch": "in", "inches": "in"}  # fmt: skip
_SIZE = re.compile(
    r"(?<![\w.])(?P<v>" + _NUM + r")(?:\s*|-)(?P<u>metres|metre|meters|meter|m|centimetres|centimetre|cm|mm|footers|footer|foot|feet|ft|inches|inch)\b",
    re.I,
)
_STOCK_NOUN = r"(?:boards?|bars?|rods?|rolls?|pipes?|planks?|logs?|beams?|sheets?|tubes?)"
_GOAL = re.compile(r"\bfewest\b|\bminimi[sz]e the number\b|\bleast number\b|\bas few\b", re.I)
_PATTERN_CUE = re.compile(r"\bcut (?:as|in|into)\b|\bpatterns?\b|\bways?\b|\bgives?\b|\byields?\b", re.I)
_DEMAND_CUE = re.compile(r"\bneeds?\b|\borders?\b|\bordered\b|\brequired?\b|\bmust (?:have|get)\b", re.I)
_CONDITION = re.compile(r"\bif\b|\bunless\b|\bprovided\b|\btwice\b|\btimes\b|\bas long\b", re.I)
"""'... if the third way takes twice as long': a condition or a factor no role of this reader reads."""
_NOT_AT_LEAST = re.compile(r"\b(?:at most|no more than|not more than|up to|exactly|maximum|fewer than|less than|under|exceed)", re.I)
_SEP = re.compile(r";|,?\s+or\s+|,\s+(?:and\s+)?(?=pattern\b)|,\s+(?=" + _NUM + r"\s)", re.I)
_WASTE = re.compile(r"\(\s*(?P<v>" + _NUM + r")\s*(?P<u>m|cm|mm|ft|feet|foot|inches|in)\s+(?:left over|of waste|wasted|waste)\s*\)", re.I)


def _value(word: str) -> float:
    return float(_WORDS[word.lower()]) if word.lower() in _WORDS else float(word)


def _sizes(text: str) -> list[tuple[int, int, float, str]]:
    """(start, end, value, unit) of each size ('45 cm', '3-footers', 'three-foot')."""
    return [(m.start(), m.end(), _value(m.group("v")), _UNITS[m.group("u").lower()]) for m in _SIZE.finditer(text)]


def _counted(text: str, sizes: list[tuple[int, int, float, str]]) -> list[tuple[int, tuple[float, str], int]] | None:
    """(count, size, start of count) for each size with a count right before it ('two 3 m', '40 pieces of 45 cm')."""
    out = []
    for a, _z, v, u in sizes:
        before = text[:a]
        m = re.search(r"(?<![\w.])(" + _NUM + r")\s+(?:pieces?\s+of\s+)?$", before, re.I)
        if m is None:
            return None
        out.append((int(_value(m.group(1))), (v, u), m.start(1)))
    return out


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A cutting-stock model, or None when the text is not one this reader accounts for fully."""
    if not _GOAL.search(text) or not re.search(r"\bcut", text, re.I) or _CONDITION.search(text):
        return None
    stock_len: tuple[float, str] | None = None
    patterns: list[dict[tuple[float, str], int]] = []
    demand: dict[tuple[float, str], int] = {}
    on_hand: tuple[int, int] | None = None
    counts: list[int] = []
    consumed: set[int] = set()
    logic = logic_sentences(sents)
    for s in sents:
        t = s.text
        digits = {m.start() for m in re.finditer(r"(?<![\w.])\d+(?:\.\d+)?", t)}
        read_at: set[int] = set()
        sizes = _sizes(t)
        stock = [x for x in sizes if re.match(r"\s*(?:[a-z]+\s+)?" + _STOCK_NOUN + r"\b", t[x[1] :], re.I)]
        for a, _z, v, u in stock:
            if stock_len is not None and stock_len != (v, u):
                return None
            stock_len = (v, u)
            read_at.add(a)
        rest = [x for x in sizes if x not in stock]
        for m in re.finditer(r"\b(" + _NUM + r")\s+(?:cutting\s+)?(?:ways|patterns)\b", t, re.I):
            counts.append(int(_value(m.group(1))))
            read_at.add(m.start(1))
        for m in re.finditer(r"(?<![\w.])(\d+)\s+(?:[a-z]+\s+)?" + _STOCK_NOUN + r"\b", t, re.I):
            if not any(a <= m.start() < z for a, z, _, _ in sizes) and re.search(r"\bin stock\b|\bhave\b|\bon hand\b|\bavailable\b", t, re.I):
                on_hand = (s.index, int(m.group(1)))
                read_at.add(m.start(1))
        for m in re.finditer(r"\bpattern\s+(\d+)\b", t, re.I):
            read_at.add(m.start(1))  # a pattern's label
        for m in _WASTE.finditer(t):
            read_at |= {d.start() + m.start() for d in re.finditer(r"\d+(?:\.\d+)?", m.group(0))}
        rest = [x for x in rest if not any(w.start() <= x[0] < w.end() for w in _WASTE.finditer(t))]
        uncounted = rest and all(not re.search(r"(?<![\w.])" + _NUM + r"\s+(?:pieces?\s+of\s+)?$", t[: x[0]], re.I) for x in rest)
        if uncounted and not _DEMAND_CUE.search(t):
            read_at |= {x[0] for x in rest}  # 'into 45 cm and 30 cm pieces': the sizes named
        elif rest and _DEMAND_CUE.search(t) and not _PATTERN_CUE.search(t):
            if _NOT_AT_LEAST.search(t):
                return None  # 'needs at most 14 pieces', 'exactly 14': an order read as 'at least' would be wrong
            pairs = _counted(t, rest)
            if pairs is None:
                return None
            for n, size, at in pairs:
                demand[size] = n
                read_at.add(at)
            read_at |= {x[0] for x in rest}
        elif rest and _PATTERN_CUE.search(t) and re.search(r"\b(?:cut (?:as|in|into)|gives?|yields?)\b|:", t, re.I):
            start = max(t.find(":") + 1, 0)
            body_at = start if ":" in t else (re.search(r"\bcut (?:as|in|into)\b", t, re.I) or re.search(r"", t)).end()
            segments = [(m.start(), m.end()) for m in _SEP.finditer(t, body_at)]
            cuts = [body_at, *[x for seg in segments for x in seg], len(t)]
            for a, z in zip(cuts[::2], cuts[1::2]):
                inside = [x for x in rest if a <= x[0] < z]
                if not inside:
                    continue
                pairs = _counted(t, inside)
                if pairs is None:
                    return None
                pattern: dict[tuple[float, str], int] = {}
                for n, size, at in pairs:
                    pattern[size] = pattern.get(size, 0) + n
                    read_at.add(at)
                patterns.append(pattern)
                read_at |= {x[0] for x in inside}
        elif rest:
            return None
        if read_at >= digits and (s.index not in logic or read_at):
            consumed.add(s.index)
    if stock_len is None or len(patterns) < 2 or not demand:
        return None
    if any(c != len(patterns) for c in counts):
        return None
    sizes = list(demand)
    if set(sizes) - {size for p in patterns for size in p}:
        return None  # a size ordered that no pattern gives: a pattern missed, not a plan that cannot be made
    for p in patterns:
        if set(p) - set(sizes) or any(u != stock_len[1] for _, u in p):
            return None
        if sum(v * n for (v, _), n in p.items()) > stock_len[0] + 1e-9:
            return None  # the pieces do not fit the stock length: a misread pattern
    names = [f"pattern_{k + 1}" for k in range(len(patterns))]
    labels = [f"{v:g} {u}" for v, u in sizes]

    def build() -> ModelSpec:
        rows = [
            Constraint(
                name="order",
                expression="sum(pieces[p, s] * cut[p] for p in Patterns) >= order[s]",
                for_=["s in Sizes"],
                kind=ConstraintKind.DEMAND,
                description="pieces of each size ordered",
            )
        ]
        if on_hand is not None:
            rows.append(
                Constraint(
                    name="stock",
                    expression=f"sum(cut[p] for p in Patterns) <= {on_hand[1]}",
                    kind=ConstraintKind.CAPACITY,
                    description=sents[on_hand[0]].text,
                )
            )
        return ModelSpec(
            name="cutting_stock",
            description=sents[0].text if sents else "",
            sets=[
                IndexSet(name="Patterns", elements=names, description="ways of cutting one stock length"),
                IndexSet(name="Sizes", elements=labels, description="piece sizes ordered"),
            ],
            parameters=[
                Parameter(
                    name="pieces",
                    index=["Patterns", "Sizes"],
                    values=[[p.get(size, 0) for size in sizes] for p in patterns],
                    description="pieces of each size one pattern gives",
                ),
                Parameter(name="order", index=["Sizes"], values=[demand[size] for size in sizes], description="pieces ordered"),
            ],
            variables=[
                Variable(name="cut", index=["Patterns"], domain=Domain.INTEGER, lower=0, description="stock lengths cut with each pattern")
            ],
            objective=Objective(sense="minimize", expression="sum(cut[p] for p in Patterns)", description="stock lengths cut"),
            constraints=rows,
        )

    reading = finish("cutting", sents, consumed, build, [])
    return reading if reading.spec is not None else None
