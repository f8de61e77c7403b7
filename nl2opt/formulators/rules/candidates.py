"""0-1 selection from a list of candidates with their cost and value: 'a new playground ($85,000,
score 40), a walking trail ($60,000, score 28) ...', 'playground $0.8 million, 4,000; skate park
$1.1 million, 3,500', 'Project 1 costs $400,000 and has a net present value of $600,000; project
2 costs $300,000 (NPV $420,000)', 'Experiment A costs $40,000 and is scored 7, B costs $35,000
and scores 6', 'tent 6 kg, 10; sleeping bag 2 kg, 8'.

:mod:`selection` reads candidates named 'Project A' one sentence each; this reads them listed,
whatever they are called. One budget or capacity in the cost's unit, an optional cap on how many
are chosen ('no more than three of them'), every count the text gives ('five candidates') equal
to the candidates read, a statement that each is taken whole or not at all, and the largest total
value as the goal. Every number of every sentence is read by position, or the text is left to
the other rules.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import Reading, finish, logic_sentences
from nl2opt.formulators.rules.selection import model
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import Constraint, ConstraintKind, ModelSpec

_N = r"\d+(?:,\d{3})*(?:\.\d+)?"
_AMT = r"\$?\s?" + _N + r"(?:\s*(?:million|thousand)\b|k\b)?"
_WEIGHT = _N + r"\s*(?:kg|kilograms?|lbs?|pounds)\b"
_NAME = r"(?P<name>(?:[A-Za-z][\w'-]*\s+){0,3}?[A-Za-z0-9][\w'-]*)"
_LEAD = r"(?:^|[:;,]\s*|\b(?:and|are)\s+)(?:(?:a|an|the)\s+)?"
_LABEL = r"(?:[a-z]+(?:\s+[a-z]+){0,2}\s*(?:of\s+)?)?"
"""The value's label in a candidate's parenthesis: 'score 40', 'net present value $450,000', 'visitors 900'."""
_PAREN_ITEM = re.compile(
    _LEAD + _NAME + r"\s*\(\s*(?P<cost>\$\s?" + _N + r"(?![\d,]*\d)(?:\s*(?:million|thousand)\b|k\b)?)\s*,\s*" + _LABEL + r"(?P<value>" + _AMT + r")\s*\)",
    re.I,
)
_BARE_ITEM = re.compile(
    _LEAD + _NAME + r"\s+(?P<cost>\$\s?" + _N + r"(?![\d,]*\d)(?:\s*(?:million|thousand)\b|k\b)?|" + _WEIGHT + r")\s*,\s*(?P<value>" + _AMT + r")(?![\d,]*\d)(?=\s*(?:;|\.\s|\.$|$|,?\s+and\s))",
    re.I,
)
_VERB_ITEM = re.compile(
    _LEAD + _NAME + r"\s+costs?\s+(?P<cost>\$\s?" + _N + r"(?:\s*(?:million|thousand)\b|k\b)?)\s*"
    r"(?:\(\s*" + _LABEL + r"(?P<v1>" + _AMT + r")\s*\)|and\s+(?:has\s+an?\s+(?:[a-z]+\s+){0,3}of|is\s+worth|is\s+scored|scores|returns|is\s+valued\s+at)\s+(?P<v2>" + _AMT + r"))",
    re.I,
)
_BUDGET = re.compile(
    r"\b(?:has|have|had|afford|spend|budget(?:\s+is)?|available|hold|carry|capacity(?:\s+is)?)\b[^.;]*?(?:at most\s+|up to\s+|of\s+)?(?P<amount>\$\s?" + _N + r"(?:\s*(?:million|thousand)\b|k\b)?|" + _WEIGHT + r")",
    re.I,
)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_COUNT_WORD = r"(?:\d+|" + "|".join(_WORDS) + r")"
_PICK_CAP = re.compile(
    r"\b(?P<cmp>no more than|at most|up to|at least|exactly)\s+(?P<k>" + _COUNT_WORD + r")\s+(?:of\s+(?:them|these|the\s+(?:\w+\s+)?\w+|(?P<of>" + _COUNT_WORD + r")\s+(?:candidate\s+)?\w+)|(?:projects|items|experiments|options|candidates)\b)",
    re.I,
)
_COUNT = re.compile(r"\b(?P<n>" + _COUNT_WORD + r")\s+(?:are\s+on\s+the\s+table|candidates?|(?:candidate\s+)?(?:projects|experiments|items|options|proposals|upgrades))\b", re.I)
_SCALE_NOTE = re.compile(r"\(\s*\d+\s*[-–]\s*\d+\s*\)")
_WHOLE = re.compile(
    r"\b(?:fully|in full) or not at all\b|\bwhich (?:projects|experiments|items|candidates|options|proposals|upgrades)\b|\ball[- ]or[- ]nothing\b|\byes/no\b|\bone of an item or none\b|\beither (?:done|funded|taken|chosen)\b",
    re.I,
)
_GOAL = re.compile(r"\bmaximi[sz]e|\bhighest\b|\blargest\b|\bthe most\b|\bgreatest\b", re.I)
_COUNT_GOAL = re.compile(r"\b(?:number|count) of\b|\bhow many\b|\baverage\b|\bmean\b|\bper\b", re.I)
_ANSWER_SCALE = re.compile(r"\bin (?:thousands|millions)\b", re.I)
_NOT_NAMES = frozenset({"we", "i", "you", "they", "she", "he", "it", "have", "has", "had", "is", "are", "our", "my", "can", "will"})
_MULT = {"million": 1e6, "thousand": 1e3, "k": 1e3}


def _amount(text: str) -> tuple[float, str]:
    """'$0.8 million' -> (800000, '$'); '6 kg' -> (6, 'kg'); '4,000' -> (4000, '')."""
    low = text.lower().strip()
    unit = "$" if "$" in low else ("kg" if re.search(r"kg|kilogram", low) else "lb" if re.search(r"lb|pound", low) else "")
    number = float(re.search(_N, low).group(0).replace(",", ""))
    mult = re.search(r"(million|thousand|k)\b", low)
    return number * (_MULT[mult.group(1)] if mult else 1.0), unit


def _count(word: str) -> int:
    return _WORDS[word.lower()] if word.lower() in _WORDS else int(word)


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A 0-1 selection model, or None when the text is not a listed selection this reader accounts for fully."""
    if not _WHOLE.search(text) or not _GOAL.search(text) or re.search(r"\bminimi[sz]e|\bcheapest\b", text, re.I):
        return None
    if _ANSWER_SCALE.search(text):
        return None  # the answer asked in thousands: a scale this reader does not apply
    if any(_GOAL.search(s.text) and _COUNT_GOAL.search(s.text) for s in sents):
        return None  # 'the largest number of grants': a count to maximise, not the total value
    cost: dict[str, tuple[float, str]] = {}
    value: dict[str, float] = {}
    budget: tuple[int, float, str] | None = None
    caps: list[tuple[int, str, int]] = []
    counts: list[int] = []
    consumed: set[int] = set()
    logic = logic_sentences(sents)
    for s in sents:
        numbers = {m.start() for m in re.finditer(_N, s.text)}
        read_at: set[int] = set()
        taken: list[tuple[int, int]] = []
        for pattern in (_VERB_ITEM, _PAREN_ITEM, _BARE_ITEM):
            for m in pattern.finditer(s.text):
                if any(a < m.end() and m.start() < z for a, z in taken):
                    continue
                name = re.sub(r"^(?:a|an|the)\s+", "", m.group("name").strip(), flags=re.I)
                if {w.lower() for w in name.split()} & _NOT_NAMES:
                    continue  # 'We have $500,000': a sentence, not a candidate
                key = name.lower()
                if key in cost or len(name) > 40:
                    return None
                v = m.groupdict().get("value") or m.groupdict().get("v1") or m.groupdict().get("v2")
                cost[key] = _amount(m.group("cost"))
                value[key] = _amount(v)[0]
                for g in ("cost", "value", "v1", "v2"):
                    if m.groupdict().get(g):
                        read_at.add(m.start(g) + (len(m.group(g)) - len(m.group(g).lstrip("$ "))))
                read_at |= {m.start("name") + d.start() for d in re.finditer(_N, m.group("name"))}  # 'project 2'
                taken.append(m.span())
        rest = s.text
        for a, z in sorted(taken, reverse=True):
            rest = rest[:a] + " " * (z - a) + rest[z:]
        for m in _PICK_CAP.finditer(rest):
            caps.append((s.index, ">=" if m.group("cmp").lower() == "at least" else "==" if m.group("cmp").lower() == "exactly" else "<=", _count(m.group("k"))))
            if m.group("of"):
                counts.append(_count(m.group("of")))
                if m.group("of")[0].isdigit():
                    read_at.add(m.start("of"))
            if m.group("k")[0].isdigit():
                read_at.add(m.start("k"))
            rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
        for m in _COUNT.finditer(rest):
            counts.append(_count(m.group("n")))
            if m.group("n")[0].isdigit():
                read_at.add(m.start("n"))
        for m in _SCALE_NOTE.finditer(rest):
            read_at |= {x.start() + m.start() for x in re.finditer(_N, m.group(0))}
        b = _BUDGET.search(rest)
        if b and budget is None and (numbers - read_at) == {b.start("amount") + (len(b.group("amount")) - len(b.group("amount").lstrip("$ ")))}:
            budget = (s.index, *_amount(b.group("amount")))
            read_at = numbers
        stated_whole = bool(_WHOLE.search(s.text)) and not numbers
        if read_at == numbers and (s.index not in logic or read_at or stated_whole):
            consumed.add(s.index)
    if len(cost) < 2 or budget is None:
        return None
    units = {u for u, in [(c[1],) for c in cost.values()]}
    if units != {budget[2]}:
        return None  # costs and the budget in one unit, or no reading
    if any(c != len(cost) for c in counts):
        return None  # 'five candidates' but another number read: a candidate missed or misread
    names = list(cost)
    elements = [re.sub(r"\W+", "_", n) for n in names]

    def build() -> ModelSpec:
        rows = [
            Constraint(
                name="budget",
                expression=f"sum(cost[i] * pick[i] for i in Items) <= {budget[1]:g}",
                kind=ConstraintKind.CAPACITY,
                description=sents[budget[0]].text,
            )
        ]
        for j, (k, sense, n) in enumerate(caps):
            rows.append(
                Constraint(
                    name=f"how_many_{j + 1}",
                    expression=f"sum(pick[i] for i in Items) {sense} {n}",
                    kind=ConstraintKind.LOGIC,
                    description=sents[k].text,
                )
            )
        return model(sents, elements, [cost[n][0] for n in names], [value[n] for n in names], rows)

    reading = finish("selection", sents, consumed, build, [])
    return reading if reading.spec is not None else None
