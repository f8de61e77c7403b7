"""Places without names in transportation prose, given names the transportation reader reads.

:mod:`transport` reads places by name ('North can supply 120', 'Store A needs 70', 'from North it
costs $4 to A, $6 to B'). Everyday prose often counts places instead, or names them in lower case:

- 'Two warehouses hold 300 and 200 tonnes' -> 'Warehouse1 holds 300 and Warehouse2 holds 200 tonnes';
- 'three inland warehouses that need at least 6, 7 and 5' -> 'Warehouse1 needs at least 6, ...';
- 'the first warehouse', 'the second', 'depot 2' -> 'Warehouse1', 'Warehouse2', 'Depot2';
- 'the north pit ... the south pit' -> 'North ... South' (two places told apart by one word);
- 'Alpha (capacity 12 containers)' -> 'Alpha (Alpha can supply 12 containers)';
- 'from Warehouse1 costs $5, $7 and $6 per tonne to the three towns, and from the second $8, $4
  and $5' -> 'from Warehouse1 $5 to Town1, $7 to Town2 and $6 to Town3; from Warehouse2 $8 to Town1 ...'.

Each sentence is rewritten on its own, so sentence numbers never change; a cost sentence is
rewritten only when every number in it belongs to a list of one cost per destination, each after
a named source, so that nothing is dropped. The transportation reader reads the result like any
other text and still declines when a sentence is left unread.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.sentences import Sentence, lemma, sentences

_PLACES = (
    "store|market|city|customer|warehouse|plant|factory|depot|mine|farm|port|site|center|centre|outlet|shop"
    "|bakery|quarry|town|school|hospital|mill|pit|stable|terminal|refinery|supermarket|station|yard|dock"
    "|branch|clinic|village|camp|shelter|kitchen|restaurant|silo|field|garden|hub|airport|harbour|harbor"
    "|cafe|café|construction site|building site|distribution centre|distribution center"
)
_PLACE = r"(?:" + _PLACES + r")"
_PLURAL = r"(?:" + "|".join(p[:-1] + "ies" if p.endswith("y") else p + "es" if p.endswith(("ch", "sh", "s")) else p + "s" for p in _PLACES.split("|")) + r")"
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_AMOUNT = r"\d+(?:,\d{3})*(?:\.\d+)?"
_LIST = _AMOUNT + r"(?:\s*,\s*" + _AMOUNT + r")*,?\s+and\s+" + _AMOUNT
_VERBS = {
    "need": "needs", "require": "requires", "want": "wants", "order": "orders", "hold": "holds", "have": "has", "stock": "stocks",
    "supply": "supplies", "can supply": "can supply", "produce": "produces", "make": "produces", "can produce": "can produce",
}
_COUNTED = re.compile(
    r"(?i:\b(?:the|that|which)\s+)?(?:\b(?i:(" + "|".join(_COUNTS) + r"|\d))\s+)?\b((?:[a-z-]+\s+){0,2}?)(" + _PLURAL + r")\s+"
    r"(?:that\s+|which\s+)?(" + "|".join(_VERBS) + r")\s+(at least |at most |up to |exactly )?(" + _LIST + r")\b(?![\d,.]*\s*%)"
)
_ORDINAL = re.compile(r"\b[Tt]he\s+(" + "|".join(_ORDINALS) + r")\s+(?:[a-z-]+\s+)?(" + _PLACE + r")\b")
_BARE_ORDINAL = re.compile(r"\bthe\s+(" + "|".join(_ORDINALS) + r")\b(?=\s*(?:[,;:$]|\d|it\b|they\b|costs?\b|is\b|are\b|has\b|have\b|can\b))")
_NUMBERED = re.compile(r"\b(" + _PLACE + r")\s+(\d)\b", re.I)
_LOWER = re.compile(r"\b(?:[Tt]he\s+)?([a-z]+)\s+(" + _PLACE + r")\b")
_NOT_NAMES = frozenset({"the", "a", "an", "each", "every", "one", "other", "same", "next", "last", "nearest", "which", "that", "to", "from", "and", "of", "building", "construction", "distribution", "inland", "local", "both", "either"} | set(_ORDINALS))
_CAPACITY = re.compile(r"\b([A-Z][A-Za-z0-9]*)\s*\((?:capacity|supply|stock)\s+(?:of\s+)?(" + _AMOUNT + r")")
_MONEY_LIST = re.compile(r"\$" + _AMOUNT + r"(?:\s*,\s*(?:and\s+)?\$" + _AMOUNT + r")*(?:,?\s+and\s+\$" + _AMOUNT + r")?")
_SOURCE_NAME = re.compile(r"\b([A-Z][A-Za-z0-9]*)\b")
_LABEL = r"(?:(?i:" + _PLACE + r")\s+)?[A-Z][A-Za-z0-9]*"
_NEEDS = re.compile(r"\b" + _LABEL + r"\s+(needs|requires|wants|orders)\s+(at least |exactly )?" + _AMOUNT + r"\b")
_GAP = re.compile(r"(,\s*(?:and\s+)?|,?\s+and\s+)(" + _LABEL + r")\s+(" + _AMOUNT + r")\b(?![\d,.]*\s*%)")


def _title(place: str) -> str:
    """'building site' -> 'Site', 'warehouses' -> 'Warehouse': one capitalised word."""
    return lemma(place.split()[-1]).capitalize()


def _counted(text: str, groups: dict[str, int]) -> str:
    """'Two warehouses hold 300 and 200 tonnes' -> 'Warehouse1 holds 300 and Warehouse2 holds 200 tonnes'."""

    def named(m: re.Match[str]) -> str:
        amounts = re.split(r"\s*,\s*(?:and\s+)?|,?\s+and\s+", m.group(6))
        count = m.group(1)
        if count is not None and (_COUNTS.get(count.lower()) or int(count)) != len(amounts):
            return m.group(0)
        kind = _title(m.group(3))
        groups[kind] = len(amounts)
        verb, cue = _VERBS[m.group(4).lower()], m.group(5) or ""
        said = [f"{kind}{k} {verb} {cue}{a}" for k, a in enumerate(amounts, start=1)]
        return ", ".join(said[:-1]) + " and " + said[-1]

    return _COUNTED.sub(named, text)


def _ordinals(text: str, kinds: list[str]) -> str:
    """'the first warehouse' -> 'Warehouse1'; a bare 'the second' after it -> 'Warehouse2'; 'depot 2' -> 'Depot2'."""

    def ordinal(m: re.Match[str]) -> str:
        kinds.append(_title(m.group(2)))
        return f"{kinds[-1]}{_ORDINALS[m.group(1)]}"

    text = _ORDINAL.sub(ordinal, text)
    if kinds:
        text = _BARE_ORDINAL.sub(lambda m: f"{kinds[-1]}{_ORDINALS[m.group(1)]}", text)
    return _NUMBERED.sub(lambda m: f"{_title(m.group(1))}{m.group(2)}", text)


def _lower_names(texts: list[str]) -> list[str]:
    """'the north pit ... the south pit' -> 'North ... South': one word telling two places of a kind apart."""
    words: dict[str, set[str]] = {}
    for text in texts:
        for m in _LOWER.finditer(text):
            if m.group(1) not in _NOT_NAMES:
                words.setdefault(lemma(m.group(2)), set()).add(m.group(1))
    named = {kind: ws for kind, ws in words.items() if len(ws) >= 2}
    if not named:
        return texts

    def name(m: re.Match[str]) -> str:
        return m.group(1).capitalize() if m.group(1) in named.get(lemma(m.group(2)), ()) else m.group(0)

    return [_LOWER.sub(name, t) for t in texts]


def _needs_left_out(text: str) -> str:
    """'Site A needs 70 tonnes, site B 60 tonnes and site C 50': the verb of the first need, written again."""
    first = _NEEDS.search(text)
    if first is None:
        return text
    verb = first.group(1) + " " + (first.group(2) or "")
    unit = _unit_after(text, first.end())
    out, at = text[: first.end()], first.end()
    while True:
        gap = _GAP.match(text, at) or _GAP.match(text, _skip_unit(text, at))
        if gap is None or _unit_after(text, gap.end()) not in (unit, None):
            return out + text[at:]  # '..., site R 45 percent': not the same amount, left unread
        out += text[at:gap.start()] + gap.group(1) + gap.group(2) + " " + verb + gap.group(3)
        at = gap.end()


def _unit_after(text: str, at: int) -> str | None:
    """The word right after an amount ('70 tonnes' -> 'tonnes'), or None when a comma, 'and' or the end follows."""
    m = re.match(r"\s+([a-z]+)\b", text[at:])
    return m.group(1) if m and m.group(1) != "and" else None


def _skip_unit(text: str, at: int) -> int:
    """After '70 tonnes': the position past the unit word, where the next need may start."""
    m = re.match(r"\s+[a-z]+\b", text[at:])
    return at + m.end() if m else at


def _cost_lists(text: str, sources: list[str], dests: list[str]) -> str:
    """'from A costs $5, $7 and $6 to the three towns, and from B $8, $4 and $5' -> one '$c to D' per destination."""
    lists = list(_MONEY_LIST.finditer(text))
    if not lists or not dests:
        return text
    parts = []
    start = 0
    for m in lists:
        costs = re.findall(r"\$" + _AMOUNT, m.group(0))
        before = [n for n in _SOURCE_NAME.findall(text[start:m.start()]) if n in sources]
        if len(costs) != len(dests) or not before:
            return text
        parts.append(f"from {before[-1]} " + ", ".join(f"{c} to {d}" for c, d in zip(costs[:-1], dests[:-1], strict=True)) + f" and {costs[-1]} to {dests[-1]}")
        start = m.end()
    rest = _MONEY_LIST.sub("", text)
    if re.search(r"\d", re.sub(r"\b[A-Z][A-Za-z]*\d+\b", "", rest)):
        return text  # a number outside the lists ('per 1,000 litres'): not rewritten, left to decline
    if any(n not in sources for n in re.findall(r"\b[A-Z][A-Za-z]*\d+\b", rest)) or re.search(r"\b(?:" + "|".join(_ORDINALS) + r")\b", rest, re.I):
        return text  # 'to the third, second and first cafe': an order of destinations the rewrite would drop
    return "; ".join(parts) + "."


def name_places(sents: list[Sentence], supply_names, demand_names) -> list[Sentence] | None:
    """The sentences with their places named, or None when nothing was renamed.

    ``supply_names`` and ``demand_names`` read the names of sources and destinations from a text
    (the transportation reader's own patterns), so costs are matched to the places it will read.
    """
    texts = [s.text for s in sents]
    groups: dict[str, int] = {}
    kinds: list[str] = []
    texts = _lower_names(texts)
    texts = [_ordinals(_CAPACITY.sub(lambda m: f"{m.group(1)} ({m.group(1)} can supply {m.group(2)}", t), kinds) for t in texts]
    texts = [_needs_left_out(_counted(t, groups)) for t in texts]
    whole = " ".join(texts)
    sources, dests = supply_names(whole), demand_names(whole)
    texts = [_cost_lists(t, sources, dests) if dests and set(dests) <= {f"{k}{i}" for k, n in groups.items() for i in range(1, n + 1)} else t for t in texts]
    if texts == [s.text for s in sents]:
        return None
    out = []
    for k, t in enumerate(texts):
        parsed = sentences(t)
        if len(parsed) != 1:
            return None
        parsed[0].index = k
        out.append(parsed[0])
    return out
