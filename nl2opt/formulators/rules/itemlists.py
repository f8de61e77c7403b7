"""Item data given in brackets, after a header or on list lines, rewritten as one sentence per item.

The 0-1 selection reader (:mod:`selection`) reads one named item per sentence ('Project A costs
$40,000 and returns $60,000'). Everyday prose often lists the items' data instead:

- 'a new website ($300,000, NPV $450,000), staff training ($150,000, NPV $200,000) and ...';
- 'Candidates (cost, people served): playground $0.8 million, 4,000; skate park $1.1 million, 3,500';
- 'Items with weight and value: tent 6 kg, 10; stove 1.5 kg, 5';
- list lines: '- tent: 4 kg, worth 9'.

Each such list becomes 'Item NewWebsite costs $300,000 and is worth $450,000.' per item, the text
before the list staying a sentence of its own. Items with a price (or a profit) and amounts of things,
'portions of rice (40 cents, 4 g protein, 200 kcal)', 'stools (profit $30, 2 h cutting, 1 h sanding)'
or '- oats: $0.30 a serving, 5 g protein', become per-unit facts the diet and product-mix rules read
('A portion of rice costs $0.40 and has 4 g protein and 200 kcal.'). A list is rewritten only when every item has the
same number of fields, exactly one of which is a cost (a cost word, a bare money amount or a
weight or size) and one a value (a value word, or the header naming it); anything else leaves the
text as it was, so the readers decline on the original sentences. The caller reads the rewritten
text first and falls back to the original one, whose sentences the diagnostics then quote.
"""

from __future__ import annotations

import itertools
import re

from nl2opt.formulators.rules.sentences import lemma

_AMOUNT = r"\$?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|thousand|billion|k)\b)?"
_VALUE_WORDS = re.compile(
    r"\b(?:worth|values?|valued|npv|net present value|scores?|scored|returns?|profits?|benefits?|payoff|rating|rated|points?|served|serves)\b",
    re.I,
)
_COST_WORDS = re.compile(r"\b(?:costs?|price[ds]?|weighs?|weight|outlay)\b", re.I)
_WEIGHT = re.compile(r"\d\s*(?:kg|kilograms?|g|grams?|lbs?|pounds?|tonnes?|tons?|oz|ounces?)\b|\bweigh", re.I)
_SIZE = re.compile(r"\d\s*(?:cubic\s+\w+|m3|litres?|liters?|l)\b|\bvolume\b|\bsize\b", re.I)
_STOP = frozenset(
    {"a", "an", "the", "some", "and", "or", "of", "from", "in", "into", "on", "with", "between", "for", "to",
     "our", "my", "its", "their", "is", "are", "candidates", "candidate", "items", "item", "options"}
)
_BRACKET = re.compile(r"\(([^()]*\d[^()]*)\)")
_LINE = re.compile(r"^\s*(?:[-*\u2022]\s*)?([A-Za-z][\w' -]{0,40}?)\s*(?::|\u2014|\u2013| - )\s*(.*\d.*?)\s*\.?\s*$")


def _camel(name: str) -> str | None:
    """'a new website' -> 'NewWebsite'; None when the words are no plain name."""
    if re.search(r"[\d$%]", name):
        return None
    words = re.findall(r"[A-Za-z][A-Za-z0-9'-]*", name)
    while words and words[0].lower() in _STOP:
        words.pop(0)
    if not words or len(words) > 4 or any(w.lower() in _STOP for w in words):
        return None
    plain = [re.sub(r"[^A-Za-z0-9]", "", w) for w in words]
    return "".join(w if w[0].isupper() else w.capitalize() for w in plain)


def _kind(field: str, header: list[str], k: int) -> str | None:
    """'cost', 'value' or None for one field of an item; ``header`` names unlabelled fields by position."""
    if len(re.findall(r"\d[\d,]*(?:\.\d+)?", field)) != 1:
        return None
    if _VALUE_WORDS.search(field):
        return "value"
    if _COST_WORDS.search(field) or _WEIGHT.search(field) or _SIZE.search(field):
        return "cost"
    if k < len(header):
        return header[k]
    if "$" in field and not header:
        return "cost"
    return None


def _header(words: str) -> list[str]:
    """'Options (cost, people served)' -> ['cost', 'value']: what each unlabelled field is, in order.

    The header's two parts are taken from its brackets or after its last 'with'; a part with
    neither a cost nor a value word is the one of the two the other part is not.
    """
    bracket = re.search(r"\(([^()\d]*)\)\s*$", words)  # not a scale such as '(1-10)'
    inside = bracket.group(1) if bracket else words.rsplit(" with ", 1)[1] if " with " in words else ""
    parts = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", inside) if p.strip()]
    if len(parts) != 2:
        return []
    kinds = ["value" if _VALUE_WORDS.search(p) else "cost" if _COST_WORDS.search(p) else "" for p in parts]
    if kinds.count("") == 1:
        known = "".join(kinds)
        kinds = [k or ("value" if known == "cost" else "cost") for k in kinds]
    return kinds if sorted(kinds) == ["cost", "value"] else []


def _item(name: str, fields: list[str], header: list[str]) -> str | None:
    """'Item Tent weighs 6 kg and is worth 10.' or None when the fields are not one cost and one value."""
    camel = _camel(name)
    if camel is None or len(fields) != 2:
        return None
    kinds = [_kind(f, header, k) for k, f in enumerate(fields)]
    if sorted(kinds, key=str) != ["cost", "value"]:
        return None
    cost, value = (fields[kinds.index(k)] for k in ("cost", "value"))
    amount = re.search(_AMOUNT, cost)
    worth = re.search(_AMOUNT, value)
    if amount is None or worth is None:
        return None
    unit = cost[amount.end():].strip().split(" ")[0] if _WEIGHT.search(cost) or _SIZE.search(cost) else ""
    verb = "weighs" if _WEIGHT.search(cost) else "takes" if _SIZE.search(cost) else "costs"
    said = f"{amount.group(0)} {unit}".strip()
    return f"Item {camel} {verb} {said} and is worth {worth.group(0)}."


def _fields(inside: str) -> list[str]:
    return [f.strip() for f in re.split(r",\s+|;\s*", inside) if f.strip()]


def _brackets(sentence: str, cheapest: bool) -> str | None:
    """'..: a website ($300,000, NPV $450,000), racking ($500,000, NPV $620,000) and ...' as item sentences."""
    found = list(_BRACKET.finditer(sentence))
    if len(found) < 2:
        return None
    header: list[str] = []
    first = found[0]
    head = sentence[: first.start()]
    if ":" in head and re.search(r"\(([^()]*)\)\s*:", head):
        return None  # a header in brackets: the header form
    items, start = [], 0
    for k, m in enumerate(found):
        if k == 0:
            cut = max(head.rfind(":"), head.rfind(","), head.rfind(";"))
            words = head[cut + 1:].split()
            j = len(words)
            gaps = [sentence[f.end():g.start()].split() for f, g in itertools.pairwise(found)]
            longest = max(len([w for w in gap if w[:1].isalpha() and w.strip(",;").lower() not in _STOP]) for gap in gaps)
            while j > 0 and words[j - 1].lower() not in _STOP and len(words) - j < min(4, longest):
                j -= 1
            name = " ".join(words[j:])
            start = head.rstrip().rfind(name) if name else -1
            if not name or start < 0:
                return None
        else:
            gap = sentence[found[k - 1].end(): m.start()]
            sep = re.match(r"^\s*(?:,|;)?\s*(?:and\s+|or\s+)?", gap)
            name = gap[sep.end():] if sep else gap
            if not sep or not sep.group(0).strip(" ") or re.search(r"[\d,;:.]", name):
                return None
        items.append((name, _fields(m.group(1))))
    rest = sentence[found[-1].end():].strip()
    if rest not in ("", ".", ";"):
        return None
    chosen = [_item(name, fields, header) for name, fields in items]
    if None in chosen:
        facts = _facts(head, items, cheapest)
        return None if facts is None else " ".join([re.sub(r"\s*\([^()]*\)", "", sentence).rstrip(" .;") + ".", *facts])
    before = re.sub(r"(?:\s+(?:a|an|the|some))*\s*$", "", sentence[:start]).rstrip(" ,:;")
    return " ".join(([before.rstrip(".") + "."] if before else []) + [c for c in chosen if c is not None])


_AMOUNT_FIELD = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z][A-Za-z -]*?)$")
_PER = r"(?:\s+(?:a|an|per|each)(?:\s+(?P<per>[a-z]+))?)?"
_PRICE = re.compile(r"^(?:(?:costs?|price)\s+)?(?:(?P<dollars>\$\d[\d,]*(?:\.\d+)?)|(?P<cents>\d+)\s*(?:cents|c))" + _PER + "$", re.I)
_PROFIT = re.compile(r"^(?:profit\s+(?:of\s+)?(?P<a>\$\d[\d,]*(?:\.\d+)?)|(?P<b>\$\d[\d,]*(?:\.\d+)?)\s+profit)" + _PER + "$", re.I)
_MEASURES = r"servings?|portions?|cups?|bags?|cans?|packs?|packets?|bottles?|boxes|box|jars?|sacks?|loaves|loaf|slices?|scoops?|bowls?"
_MEASURE = re.compile(r"\b(" + _MEASURES + r")\s+of\s+\S+(?:\s+\S+)?$", re.I)
"""'portions of rice': the measure each item's data is given for."""
_CHEAPEST = re.compile(r"\bcheapest\b|\b(?:lowest|least|smallest|minimum|minimi[sz]e\w*)\b[^.?!]*\bcost", re.I)


_SCALES = frozenset({"dozen", "hundred", "thousand", "pair", "gross", "score", "batch", "lot"})
"""Counts a price may be given per: the fact would be per one item, so such a list is left alone."""


def _singular(word: str) -> str:
    """'benches' -> 'bench'; a capitalised name ('TVs') is kept as written."""
    return word if word[:1].isupper() else lemma(word)


def _facts(head: str, items: list[tuple[str, list[str]]], cheapest: bool) -> list[str] | None:
    """Items with a price (or a profit) and amounts of things, as one fact sentence each.

    'portions of rice (40 cents, 4 g protein, 200 kcal)' -> 'A portion of rice costs $0.40 and has 4 g
    protein and 200 kcal.'; 'stools (profit $30, 2 h cutting, 1 h sanding)' -> 'Each stool earns a
    profit of $30 and needs 2 h cutting and 1 h sanding.' Every item has its money first or last and
    the same amounts of the same things in the same order. A bare '$4' is a price only when the goal
    is the lowest cost, since it could as well be a profit; anything else is left unread.
    """
    last = _MEASURE.search(head.rstrip())
    unit = _singular(last.group(1).lower()) if last else None
    out, things, kinds = [], None, set()
    for name, fields in items:
        money = [(f, _PRICE.match(f), _PROFIT.match(f)) for f in fields]
        money = [(f, price, profit) for f, price, profit in money if price or profit]
        rest = [f for f in fields if f not in [m[0] for m in money]]
        if len(money) != 1 or not rest or fields.index(money[0][0]) not in (0, len(fields) - 1):
            return None
        field, price, profit = money[0]
        if price and not cheapest and not re.search(r"cost|price|cents|\dc\b", field, re.I):
            return None
        amounts = [_AMOUNT_FIELD.match(f) for f in rest]
        if None in amounts:
            return None
        said_things = [a.group(2).lower() for a in amounts if a is not None]
        if (things is not None and said_things != things) or len(set(said_things)) != len(said_things):
            return None
        things = said_things
        per = (price or profit).group("per")
        if per and per.lower() not in ("each", "unit", "item"):
            if per.lower() in _SCALES or profit or (unit is not None and _singular(per.lower()) != unit):
                return None  # '30 cents a dozen', 'profit $30 per dozen': money for another quantity than one item
            unit = _singular(per.lower())
        words = name.split()
        while words and words[0].lower() in _STOP:
            words.pop(0)
        if not words or len(words) > 3 or re.search(r"[\d$%]", name):
            return None
        has = [f"{a.group(1)} {a.group(2)}" for a in amounts if a is not None]
        listed = has[0] if len(has) == 1 else ", ".join(has[:-1]) + " and " + has[-1]
        if price:
            kinds.add("price")
            dollars = price.group("dollars") or f"${int(price.group('cents')) / 100:.2f}"
            subject = f"A {unit} of {' '.join(words)}" if unit else "Each " + " ".join([*words[:-1], _singular(words[-1])])
            out.append(f"{subject} costs {dollars} and has {listed}.")
        else:
            kinds.add("profit")
            subject = "Each " + " ".join([*words[:-1], _singular(words[-1])])
            out.append(f"{subject} earns a profit of {profit.group('a') or profit.group('b')} and needs {listed}.")
    return out if len(kinds) == 1 else None


def _after_header(sentence: str) -> str | None:
    """'Candidates (cost, people served): park $0.8 million, 4,000; lights $0.4 million, 2,600.' as item sentences."""
    m = re.match(r"^(.*?):\s*(.+?)\s*\.?\s*$", sentence, re.S)
    if m is None or ";" not in m.group(2):
        return None
    before = m.group(1)
    header = _header(before)
    parts = [p.strip() for p in re.split(r";\s*(?:and\s+)?", m.group(2)) if p.strip()]
    if len(parts) < 2:
        return None
    items = []
    for part in parts:
        name = re.match(r"^([A-Za-z][A-Za-z' -]*?)\s*(?=\$|\d)", part)
        if name is None:
            return None
        fields = _fields(part[name.end():].replace(" and ", ", "))
        said = _item(name.group(1), fields, header)
        if said is None:
            return None
        items.append(said)
    dropped = re.search(r"\s*\(([^()]*)\)\s*$", before)
    if dropped and re.search(r"[$\d]", dropped.group(1)) and not re.fullmatch(r"\s*\d+\s*(?:-|to)\s*\d+\s*", dropped.group(1)):
        return None  # 'cost (in $1000s)': a scale the items' numbers would lose; only a rating range '(1-10)' goes
    kept = (before[: dropped.start()] if dropped else before).strip()
    return " ".join([kept.rstrip(".") + ".", *items])


def _lines(text: str, cheapest: bool) -> str:
    """List lines 'tent: 4 kg, worth 9' or '- oats: $0.40 a serving, 13 g protein' (one item a line) as sentences."""
    lines = text.split("\n")
    found = [(k, _LINE.match(line)) for k, line in enumerate(lines)]
    found = [(k, m) for k, m in found if m is not None]
    if len(found) < 2:
        return text
    items = [(m.group(1), _fields(m.group(2))) for _, m in found]
    said = [_item(name, fields, []) for name, fields in items]
    if None in said:
        facts = _facts("", items, cheapest)
        if facts is None:
            return text
        said = facts
        names = [" ".join(w for w in name.split() if w.lower() not in _STOP) for name, _ in items]
        said[0] = "The items are " + ", ".join(names[:-1]) + " and " + names[-1] + ".\n" + said[0]
    for (k, _), sentence in zip(found, said):
        lines[k] = sentence
    return "\n".join(lines)


def rewrite(text: str) -> str | None:
    """The text with its item lists as one sentence per item, or None when it holds no list read whole."""
    cheapest = bool(_CHEAPEST.search(text))
    lined = _lines(text, cheapest)
    pieces = re.split(r"(?<=[.!?])(\s+)", lined)
    out = []
    for piece in pieces:
        said = None if piece.isspace() or not piece else _brackets(piece, cheapest) or _after_header(piece)
        out.append(said if said is not None else piece)
    new = "".join(out)
    return new if new != text else None
