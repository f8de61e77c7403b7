"""Money split among named places with rates: '$1.2 million to place in municipal bonds (3.5% a
year), corporate bonds (5.5%) and a real-estate fund (7%) ... Corporate bonds may be at most 30%
of the total ... no more in stocks than in savings and the CD combined'.

Places are read where their rate is ('NAME (4%)', 'NAME paying 4%', 'NAME at 2%', 'NAME
returns 6% and NAME 9%', 'every dollar on NAME brings in $3.20'); a later mention names a
place by a word only it has ('savings' for 'a savings account'), or by its initials ('the CD').
The budget is invested in full only when the text says so ('all of it', 'fully invested',
'exactly'), and at most otherwise only when it says that ('does not have to invest
everything', 'up to'). Each requirement clause is one of: a place against a share of the
money or an amount, every place against an amount ('no single fund'), a place against a
multiple of another ('at most half of what goes into'), a place against the others ('no more
than in A and B combined'). The goal: the largest return.

Anything else (a clause it cannot place, a place named two ways, a budget whose use is
unsaid) leaves the text to the other rules.
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
_MONEY = re.compile(r"\$\s?(" + _N + r")(?:\s*(million|thousand|k\b|m\b))?", re.I)
_PCT = re.compile(r"(" + _N + r")\s?%")
_NAME = r"((?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)"
_START = r"(?:^|[,:;(]\s*|\b(?:between|among|across|in|into|and|or|from)\s+)(?:(?:a|an|the)\s+)?"
_RATE_VERB = (
    r"(?:paying|pays|that pays|at|returning|returns|return|yielding|yields|earning|earns|"
    r"(?:is\s+)?expected\s+to\s+(?:return|yield|earn)|with\s+a\s+return\s+of|giving|gives)"
)
_PLACE_PAREN = re.compile(
    _START + _NAME + r"\s*\(\s*(" + _N + r")\s?%(?:\s*(?:a|per)\s+year|\s*annually|\s*(?:annual\s+|expected\s+)?(?:return|yield|interest))?\s*\)",
    re.I,
)
"""'bonds (5%)', 'municipal bonds (3.5% a year)': a place and its rate; '(5% risk)' is not a rate."""
_PLACE_VERB = re.compile(_START + _NAME + r"\s+" + _RATE_VERB + r"\s+(" + _N + r")\s?%", re.I)
_ELIDED = re.compile(r"\s*(?:,\s*)?(?:and\s+)?(?:(?:a|an|the)\s+)?" + _NAME + r"\s+(" + _N + r")\s?%", re.I)
_PER_DOLLAR = re.compile(
    r"\bevery\s+dollar\s+(?:spent\s+|invested\s+|put\s+)?(?:on|in|into)\s+" + _NAME + r"\b[^$]*?\$\s?(" + _N + r")", re.I
)
_BUDGET_VERB = re.compile(
    r"\b(?:has|have|had|with|invest\w*|split\w*|allocat\w*|place|put|budget|reserve|endowment|spend|capital|savings)\b", re.I
)
_ALL_IN = re.compile(
    r"\ball of it\b|\bentire\b|\bwhole amount\b|\bfully invested\b|\bevery dollar must be invested\b|\ball of the money\b|"
    r"\b(?:will|must|to) invest (?:all|the whole|everything)\b|\bsplits? (?:its|her|his|our|their|the|my|a) [^.;]*?\bbetween\b|\bgets invested\b|\binvest exactly\b|\bexactly \$|\bin full\b|\ball of it gets\b",
    re.I,
)
_NOT_ALL = re.compile(
    r"\b(?:does not|doesn't|need not|do not|don't) (?:have|need) to (?:invest|spend|use) (?:everything|all|it all)\b|"
    r"\bup to \$|\bat most \$[^.]*\b(?:to invest|available)\b|\bnot all\b",
    re.I,
)
_GOAL = re.compile(
    r"\bmaximi[sz](?:e|es|ed|ing)\b|\bat best\b|\b(?:highest|largest|most|best|greatest|maximum)\b[^.?]*\b(?:return|interest|income|earn|yield|dividends|raise|donations)|\braise the most\b",
    re.I,
)
_AT_LEAST = r"at least|no less than|not less than|a minimum of|minimum of|insists? on keeping at least|need at least|needs at least"
_AT_MOST = (
    r"at most|no more than|not more than|cannot exceed|can't exceed|may not exceed|must not exceed|can't be above|"
    r"cannot be above|not above|up to|more than|a maximum of|maximum of|no more in|doesn't want more|does not want more"
)
_CMP = re.compile(r"\b(" + _AT_LEAST + r"|" + _AT_MOST + r")\b", re.I)
_FACTORS = {
    "half": 0.5, "a half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "a quarter": 0.25, "twice": 2.0, "double": 2.0,
    "one and a half times": 1.5, "1.5 times": 1.5, "three times": 3.0, "two times": 2.0,
}  # fmt: skip
_FACTOR = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _FACTORS), key=len, reverse=True)) + r")\b", re.I)
_TOTAL_WORDS = re.compile(r"\bof\s+(?:the\s+|all\s+|her\s+|his\s+|our\s+|its\s+|their\s+)?(?:money|total|endowment|budget|portfolio|amount|funds?|reserve|capital|it)\b", re.I)
_EACH = re.compile(r"\b(?:no single|any single|each|every|no one|any one)\s+(?:fund|place|option|investment|account|asset)\b", re.I)
_STOP = frozenset({"a", "an", "the", "of", "in", "and", "to"})
_CLAUSE_SEP = re.compile(r";|,\s+(?:and\s+)?that\s+|,\s+and\s+|\s+and\s+(?=(?:no|at)\b)|,\s+but\s+")
_ATTRIBUTE = re.compile(
    r"\s+with\s+an?\s+((?:[a-z]+\s+){0,2}?(?:score|rating|grade|duration|index))\s+(?:of\s+)?(" + _N + r")(?![\d%])", re.I
)
"""'Fund A returns 6% with a risk score of 4': a number of the place whose money-weighted average may be limited."""
_AVERAGE = re.compile(
    r"\baverage\s+((?:[a-z]+\s+){0,2}?(?:score|rating|grade|duration|index))\b[^.;]*?\b("
    + _AT_LEAST + r"|" + _AT_MOST + r"|below|under)\s+(" + _N + r")(?![\d%])",
    re.I,
)
_LOSS = re.compile(r"\blos(?:e|es|ing|t|s)\b|\bnegative\b|-\s?\d[\d.]*\s?%", re.I)
_HORIZON = re.compile(
    r"\b(?:monthly|weekly|daily|quarterly|semi-?annual)\b|\b(?:a|per|each|every)\s+(?:month|week|day|quarter)\b"
    r"|\bover\s+(?:the\s+next\s+)?(?:\w+\s+)?(?:years|months)\b|\b(?:in|after)\s+(?:\w+\s+)?(?:years|months)\b",
    re.I,
)
"""Rates are read per year: a return asked per month or over several years would be off by that factor."""
_AS_MUCH = re.compile(r"%\s+as\s+(?:much|many|large)\s+as\b", re.I)
_MULTIPLIERS = {"million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}


def _money(m: re.Match) -> float:
    return float(m.group(1).replace(",", "")) * _MULTIPLIERS.get((m.group(2) or "").lower(), 1.0)


def _singular(word: str) -> str:
    low = word.lower()
    return low[:-1] if low.endswith("s") and not low.endswith("ss") and len(low) > 3 else low


class _Places:
    """The places money can go, by name, with their rates and the words that name each alone."""

    def __init__(self) -> None:
        self.rate: dict[str, float] = {}
        self.words: dict[str, list[str]] = {}
        self.attribute: dict[str, dict[str, float]] = {}
        self.last: str | None = None

    def add(self, name: str, rate: float) -> bool:
        words = name.split()
        while len(words) > 1 and words[0].lower() in ("a", "an", "the", "and", "or", "in", "into", "between", "among", "across", "from", "of"):
            words = words[1:]  # a leading article, never the name's own letter ('Fund A')
        if not words:
            return False
        key = " ".join(words).lower()
        self.last = key
        if key in self.rate:
            return self.rate[key] == rate
        self.rate[key] = rate
        self.words[key] = words
        return True

    def keys(self) -> dict[str, set[str]]:
        """Per place, the words (and upper-case initials, 'CD') that name it and no other place."""
        own: dict[str, set[str]] = {}
        for key, words in self.words.items():
            found = {_singular(w) for w in words if w.lower() not in _STOP and len(w) > 1}
            found |= {w for w in words if len(w) == 1 and w.isupper()}
            if len(words) >= 2:
                initials = "".join(w[0] for w in words if w.lower() not in _STOP).upper()
                if len(initials) >= 2:
                    found.add(initials)
                found.add(" ".join(_singular(w) for w in words))
            own[key] = found
        return {key: names - set().union(*(v for k, v in own.items() if k != key)) for key, names in own.items()}

    def mentioned(self, clause: str) -> list[str] | None:
        """The places a clause names, in order ('no single fund', 'of the money' name none)."""
        clause = _TOTAL_WORDS.sub(" ", _EACH.sub(" ", clause))
        keys = self.keys()
        hits: list[tuple[int, str]] = []
        for key, names in keys.items():
            for word in names:
                if word.isupper():
                    pattern = r"\b" + re.escape(word) + r"\b"  # 'A', 'CD': as written
                    flags = 0
                else:
                    pattern = r"\b" + re.escape(word) + r"s?\b"
                    flags = re.I
                for m in re.finditer(pattern, clause, flags):
                    hits.append((m.start(), key))
        ordered = []
        for _, key in sorted(hits):
            if key not in ordered:
                ordered.append(key)
        return ordered


def _places(text: str, places: _Places) -> set[int] | None:
    """Read every place with its rate; the character positions of the percentages read."""
    used: set[int] = set()
    for pattern in (_PLACE_PAREN, _PLACE_VERB):
        for m in pattern.finditer(text):
            if m.start(2) in used:
                continue
            if not places.add(m.group(1), float(m.group(2).replace(",", "")) / 100):
                return None
            used.add(m.start(2))
            attribute = _ATTRIBUTE.match(text, m.end())
            if attribute and places.last is not None:
                places.attribute.setdefault(places.last, {})[attribute.group(1).lower()] = float(attribute.group(2).replace(",", ""))
                used.add(attribute.start(2))
            tail = _ELIDED.match(text, m.end())
            verb_in_name = tail is not None and re.search(r"\b" + _RATE_VERB + r"\b", tail.group(1), re.I)
            if tail and pattern is _PLACE_VERB and tail.start(2) not in used and not verb_in_name:
                if not places.add(tail.group(1), float(tail.group(2).replace(",", "")) / 100):
                    return None
                used.add(tail.start(2))
    for m in _PER_DOLLAR.finditer(text):
        if not places.add(m.group(1), float(m.group(2).replace(",", ""))):
            return None
        used.add(m.start(2))
        tail = re.match(r"\s+and\s+every\s+dollar\s+(?:on|in|into)\s+" + _NAME + r"\s+\$\s?(" + _N + r")", text[m.end() :], re.I)
        if tail:
            if not places.add(tail.group(1), float(tail.group(2).replace(",", ""))):
                return None
            used.add(m.end() + tail.start(2))
    return used


def _requirement(clause: str, places: _Places, budget: float, all_in: bool) -> list[tuple[str, str]] | None:
    """(expression, kind) rows of one clause, or None when the clause cannot be placed."""
    average = _AVERAGE.search(clause)
    if average is not None:
        name = average.group(1).lower()
        if any(name not in places.attribute.get(p, {}) for p in places.rate) or len(re.findall(_N, clause)) != 1:
            return None
        sense = ">=" if re.fullmatch(_AT_LEAST, average.group(2).lower()) else "<="
        terms = " + ".join(f"{places.attribute[p][name]:g} * put['{_elem(p)}']" for p in places.rate)
        return [(f"{terms} {sense} {float(average.group(3).replace(',', '')):g} * sum(put[p] for p in Places)", "ratio")]
    cmp = _CMP.search(clause)
    if cmp is None or _AS_MUCH.search(clause):
        return None  # 'at most 40% as much as P': a share of another place, not of the money
    word = cmp.group(1).lower()
    sense = ">=" if re.fullmatch(_AT_LEAST, word) else "<="
    named = places.mentioned(clause)
    if named is None:
        return None
    moneys = list(_MONEY.finditer(clause))
    pcts = list(_PCT.finditer(clause))
    factor = _FACTOR.search(clause)
    if len(moneys) + len(pcts) + (1 if factor else 0) > 1:
        return None
    share_of_total = factor is not None and _TOTAL_WORDS.search(clause[factor.end() :]) is not None
    if (pcts or share_of_total) and len(named) == 1:
        q = float(pcts[0].group(1).replace(",", "")) / 100 if pcts else _FACTORS[factor.group(1).lower()]
        if not _TOTAL_WORDS.search(clause) and not re.search(r"%\s+(?:\w+\s+){0,3}?(?:in|into|on|to)\b", clause):
            return None
        total = "sum(put[p] for p in Places)" if all_in or re.search(r"\binvested\b", clause) else None
        if total is None:
            return None
        return [(f"put['{_elem(named[0])}'] {sense} {q:g} * {total}", "ratio")]
    if moneys and len(named) == 1:
        return [(f"put['{_elem(named[0])}'] {sense} {_money(moneys[0]):g}", "bound")]
    if moneys and not named and _EACH.search(clause):
        return [(f"put['{_elem(p)}'] {sense} {_money(moneys[0]):g}", "bound") for p in places.rate]
    if factor and len(named) == 2:
        f = _FACTORS[factor.group(1).lower()]
        return [(f"put['{_elem(named[0])}'] {sense} {f:g} * put['{_elem(named[1])}']", "ratio")]
    if not (moneys or pcts or factor) and len(named) >= 2 and re.search(r"\bthan\b|\bexceed\b|\bamount in\b", clause, re.I):
        if len(named) > 2 and not re.search(r"\bcombined\b|\btogether\b|\bin total\b", clause, re.I):
            return None
        rest = " + ".join(f"put['{_elem(p)}']" for p in named[1:])
        return [(f"put['{_elem(named[0])}'] {sense} {rest}", "ratio")]
    return None


def _elem(key: str) -> str:
    return re.sub(r"\W+", "_", key)


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A portfolio model, or None when the text is not one this reader accounts for fully."""
    if "%" not in text and "every dollar" not in text.lower():
        return None
    if not _GOAL.search(text) or re.search(r"\bminimi[sz]\w*|\bcheapest\b|\bthe least\b|\blowest\b", text, re.I):
        return None
    if _LOSS.search(text) or _HORIZON.search(text):
        return None  # a rate lost rather than earned, or a return asked over another period than a year
    places = _Places()
    rated_at: dict[int, set[int]] = {}
    for s in sents:
        used = _places(s.text, places)
        if used is None:
            return None
        rated_at[s.index] = used
    if len(places.rate) < 2:
        return None
    budget_at: tuple[int, float] | None = None
    for s in sents:
        m = _MONEY.search(s.text)
        if m and _BUDGET_VERB.search(s.text) and not _CMP.search(s.text[: m.start()]):
            budget_at = (s.index, _money(m))
            break
    if budget_at is None:
        return None
    all_in, not_all = bool(_ALL_IN.search(_NOT_ALL.sub(" ", text))), bool(_NOT_ALL.search(text))
    if all_in == not_all:
        return None  # whether all the money is placed must be said
    rows: list[tuple[int, str, str]] = []
    consumed: set[int] = set()
    logic = logic_sentences(sents)
    for s in sents:
        before = len(rows)
        ok = True
        cuts = [0, *[x for m in _CLAUSE_SEP.finditer(s.text) for x in m.span()], len(s.text)]
        pieces = []
        for a, z in zip(cuts[::2], cuts[1::2]):
            if len(_CMP.findall(s.text[a:z])) > 1:  # 'X cannot exceed $15,000, Y needs at least $5,000'
                inner = [a, *[a + x for m in re.finditer(r",\s+|\s+and\s+", s.text[a:z]) for x in m.span()], z]
                pieces.extend(zip(inner[::2], inner[1::2]))
            else:
                pieces.append((a, z))
        for a, z in pieces:
            clause = s.text[a:z]
            if not clause.strip():
                continue
            numbers = list(re.finditer(_N, clause))
            rated = [m for m in numbers if a + m.start() in rated_at[s.index]]
            if s.index == budget_at[0] and not _CMP.search(clause):
                money = _MONEY.search(clause)
                if money and all(x.start() == money.start(1) or x in rated for x in numbers):
                    continue
            if len(rated) == len(numbers) and not _CMP.search(clause):
                continue
            got = _requirement(clause, places, budget_at[1], all_in)
            if got is None:
                if numbers or _CMP.search(clause):
                    ok = False
                continue
            rows.extend((s.index, e, kind) for e, kind in got)
        if ok and (s.index not in logic or len(rows) > before):
            consumed.add(s.index)
    stated = {a for attrs in places.attribute.values() for a in attrs}
    if any(not any(f"{places.attribute[p][a]:g} * put[" in e for _, e, _ in rows for p in places.attribute if a in places.attribute[p]) for a in stated):
        return None  # a number of each place ('a risk score of 4') no requirement uses
    names = list(places.rate)
    budget = budget_at[1]

    def build() -> ModelSpec:
        constraints = [
            Constraint(
                name="money",
                expression=f"sum(put[p] for p in Places) {'==' if all_in else '<='} {budget:g}",
                kind=ConstraintKind.CAPACITY,
                description=sents[budget_at[0]].text,
            )
        ]
        for j, (k, expression, kind) in enumerate(rows):
            constraints.append(
                Constraint(
                    name=f"rule_{j + 1}",
                    expression=expression,
                    kind=ConstraintKind.RATIO if kind == "ratio" else ConstraintKind.BOUND,
                    description=sents[k].text,
                )
            )
        return ModelSpec(
            name="portfolio",
            description=sents[0].text if sents else "",
            sets=[IndexSet(name="Places", elements=[_elem(n) for n in names], description="where the money can go")],
            parameters=[
                Parameter(
                    name="rate",
                    index=["Places"],
                    values=[places.rate[n] for n in names],
                    description="return per dollar placed",
                )
            ],
            variables=[
                Variable(name="put", index=["Places"], domain=Domain.CONTINUOUS, lower=0, description="dollars placed in each")
            ],
            objective=Objective(sense="maximize", expression="sum(rate[p] * put[p] for p in Places)", description="return"),
            constraints=constraints,
        )

    reading = finish("portfolio", sents, consumed, build, [])
    return reading if reading.spec is not None else None
