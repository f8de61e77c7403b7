"""A limit restated in the unit its per-unit amounts are given in ('60 litres' against '250 ml' each).

Textbook problems give what one unit uses in a small unit (grams, millilitres, centimetres,
minutes) and what is available in a large one (kilograms, litres, metres, hours). The row
compares like with like only when the limit is scaled by the ratio of the two units; a pair
the table cannot convert (a 'ton' against kilograms: short or metric?) is reported instead
of guessed.
"""

from __future__ import annotations

_SCALE: dict[str, tuple[str, float]] = {
    **{u: ("time", 3600.0) for u in ("hour", "hr", "h")},
    **{u: ("time", 60.0) for u in ("minute", "min")},
    **{u: ("time", 1.0) for u in ("second", "sec")},
    **{u: ("mass", 0.001) for u in ("mg", "milligram")},
    **{u: ("mass", 1.0) for u in ("g", "gram")},
    **{u: ("mass", 1000.0) for u in ("kg", "kilogram")},
    **{u: ("mass", 1000.0) for u in ("kilo",)},
    "tonne": ("mass", 1_000_000.0),
    **{u: ("volume", 1.0) for u in ("ml", "milliliter", "millilitre")},
    **{u: ("volume", 10.0) for u in ("cl", "centiliter", "centilitre")},
    **{u: ("volume", 100.0) for u in ("dl", "deciliter", "decilitre")},
    **{u: ("volume", 1000.0) for u in ("l", "liter", "litre")},
    **{u: ("volume", 100_000.0) for u in ("hl", "hectoliter", "hectolitre")},
    **{u: ("volume", 1_000_000.0) for u in ("kl", "kiloliter", "kilolitre")},
    **{u: ("length", 1.0) for u in ("mm", "millimeter", "millimetre")},
    **{u: ("length", 10.0) for u in ("cm", "centimeter", "centimetre")},
    **{u: ("length", 1000.0) for u in ("m", "meter", "metre")},
    **{u: ("length", 1_000_000.0) for u in ("km", "kilometer", "kilometre")},
}
"""Each convertible unit: its kind and its size in the kind's smallest common unit."""
_UNSURE: dict[str, str] = {
    **dict.fromkeys(("ton", "pound", "lb", "ounce", "oz", "stone"), "mass"),
    **dict.fromkeys(("gallon", "quart", "pint", "floz"), "volume"),
    **dict.fromkeys(("foot", "feet", "ft", "inch", "yard", "yd", "mile"), "length"),
}
"""Units whose size the rules do not assume ('ton': short or metric; 'gallon': US or imperial) or
convert (feet against metres): against any other unit of their kind, the limit is reported."""
_POWERS = frozenset({"square", "sq", "cubic"})


def limit_scale(limit_words: frozenset[str], amount_words: frozenset[str]) -> float | None:
    """The factor turning a limit's unit into the per-unit amounts' unit.

    1 when either side names no unit of a kind the other names, or both name the same size;
    None when a kind is named in more than one size on one side, or in a unit the table
    cannot convert against the other side's.
    """
    scale = 1.0
    for kind in {k for k, _ in _SCALE.values()} | set(_UNSURE.values()):
        said = {w for w in limit_words if _kind(w) == kind}
        each = {w for w in amount_words if _kind(w) == kind}
        if not said or not each:
            continue
        if kind == "length" and (limit_words | amount_words) & _POWERS and said != each:
            return None  # '50 square cm' against '2 square metres': an area, not a length
        if (said | each) & _UNSURE.keys():
            if said == each:
                continue
            return None
        sizes_said, sizes_each = {_SCALE[w][1] for w in said}, {_SCALE[w][1] for w in each}
        if len(sizes_said) > 1 or len(sizes_each) > 1:
            return None
        scale *= sizes_said.pop() / sizes_each.pop()
    return scale


def _kind(word: str) -> str | None:
    if word in _SCALE:
        return _SCALE[word][0]
    return _UNSURE.get(word)
