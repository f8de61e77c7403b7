"""Does the spec fit the problem text? Cheap textual cross-checks that only ever warn.

A model can be feasible, optimal and verified yet answer a different question:
a number from the text was never used, whole trucks are bought in fractions, or
"maximise profit" became a minimisation. These checks look for such mismatches
with plain regular expressions; they cannot prove anything, so every finding is a
warning that names the sentence it came from and leaves the judgement to the
formulator. Exposed as :func:`nl2opt.verify.plausibility`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import numpy as np

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.spec import Domain, ModelSpec, Sense

MAX_NUMBERS_REPORTED = 8


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NUMBER = re.compile(
    r"(?<![\w.])(?P<cur>[$€£]\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?!st\b|nd\b|rd\b|th\b|\.\d|,\d{3})"
    r"(?P<pct>\s?(?:%|percent\b|per cent\b))?(?P<mult>\s(?:thousand|million|billion)\b)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SPEC_NUMBER = re.compile(r"(?<![\w.])(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_YEAR_CONTEXT = re.compile(
    rf"\b(?:in|since|until|during|year|(?:{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?,?)?)\s*$", re.IGNORECASE
)
"""Words before a number that make it a year ('in 2023', 'March 3, 2024'), not data."""
_LABEL_BEFORE = re.compile(r"(?:#|\bNo\.\s?|\b(?P<word>[A-Z][A-Za-z]*)\s+)$")

_COUNT_NOUNS = _words(
    "person people worker employee nurse doctor driver operator pilot guard teacher student vehicle "
    "truck lorry car van bus taxi boat plane aircraft bicycle bike machine robot server computer "
    "printer item piece box crate container pallet package parcel bottle batch chair desk bed "
    "apartment shift team crew ticket advertisement tree animal cow pig sheep chicken toy lamp phone "
    "warehouse factory facility depot"
)
"""Nouns for things that come whole; words that are also common verbs (ship, plant, store) are left out."""
_WEAK_NOUNS = frozenset({"unit"})
"""Count nouns that also name measures ('units of product'): only trusted after 'how many'/'number of'."""
_MEASURES = _words(
    "hour minute second day week month year kg kilogram gram pound lb ton tonne ounce liter litre "
    "gallon meter metre mile km acre hectare dollar euro cent calorie percent money time space cost "
    "profit weight volume area energy amount"
)
_NOT_NOUNS = _words("is was has does as us its this his yes")
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child"}
_COUNTING = re.compile(
    r"\b(?:how many|number of|whole number of|count of)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I
)

_MAX_WORDS = re.compile(
    r"\b(?:maximi[sz]\w*|max\b|as (?:much|many|large|high) as possible|(?:most|largest|greatest|highest|"
    r"biggest|maximum) (?:possible )?(?:total |overall |net )?(?:profit|revenue|income|return|value|output|"
    r"production|amount|number|throughput|coverage|benefit|utility|satisfaction)s?)",
    re.I,
)
_MIN_WORDS = re.compile(
    r"\b(?:minimi[sz]\w*|min\b|as (?:little|few|small|low|cheap|cheaply) as possible|fewest|cheapest|"
    r"(?:least|lowest|smallest|minimum) (?:possible )?(?:total |overall )?(?:cost|expense|spending|time|"
    r"number|amount|waste|distance|risk|loss|price|emission)s?)",
    re.I,
)


def plausibility(text: str, spec: ModelSpec) -> list[Diagnostic]:
    """Warnings where the spec seems not to match the problem text it was written from."""
    if not text or not text.strip():
        return []
    return [*_unused_numbers(text, spec), *_integrality_wording(text, spec), *_objective_sense(text, spec)]


def _warn(code: str, where: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        code=code, severity=Severity.WARNING, stage=Stage.VERIFY, where=where, message=message, hint=hint
    )


def _sentences(text: str) -> Iterator[str]:
    for part in re.split(r"(?<=[.!?])\s+|\n+", text):
        if part.strip():
            yield part.strip()


# -- numbers ---------------------------------------------------------------------------------
def text_numbers(text: str) -> Iterator[tuple[str, list[float], str]]:
    """(as written, values it may stand for, sentence) for each number that looks like model data."""
    for sentence in _sentences(text):
        first_word = re.match(r"\W*(\w+)", sentence)
        for m in _NUMBER.finditer(sentence):
            before = sentence[: m.start()]
            x = float(m["num"].replace(",", ""))
            if not m["pct"] and not m["mult"] and _not_data(x, m, before, text, first_word):
                continue
            if m["pct"]:
                values = [x, x / 100, 1 - x / 100, 100 - x]
            elif m["mult"]:
                values = [x, x * _MULTIPLIERS[m["mult"].strip().lower()]]
            else:
                values = [x]
            yield m.group(0).strip(), values, sentence


def _not_data(x: float, m: re.Match, before: str, text: str, first_word: re.Match | None) -> bool:
    """Numbers that are seldom model data: 0 and 1, years in a date, labels such as 'Plant 2'."""
    if x in (0.0, 1.0) and not m["cur"]:
        return True
    plain = m["num"].isdigit()
    if plain and 1900 <= x <= 2100 and not m["cur"] and _YEAR_CONTEXT.search(before):
        return True
    label = _LABEL_BEFORE.search(before)
    if plain and label and not m["cur"]:
        word = label["word"]
        if word is None:
            return True
        is_first = first_word is not None and first_word.start(1) == label.start("word")
        if not (word.isupper() and len(word) == 3) and (
            not is_first or len(re.findall(rf"\b{re.escape(word)}\s+\d+\b", text)) > 1
        ):
            return True
    return False


def spec_numbers(spec: ModelSpec) -> np.ndarray:
    """Every number the spec mentions: data, ranges, set sizes, member names, bounds and literals."""
    nums: list[float] = []
    for s in spec.sets:
        if s.range is not None and isinstance(s.range.start, int) and isinstance(s.range.stop, int):
            nums += [s.range.start, s.range.stop, s.range.stop - s.range.start + 1]
        for e in s.elements or []:
            for atom in e if isinstance(e, list) else [e]:
                nums += [atom] if isinstance(atom, int) else [float(t) for t in _SPEC_NUMBER.findall(atom)]
        nums.append(len(s.elements or []))
    for p in spec.parameters:
        nums += [p.value] if p.value is not None else []
        nums += list(_flat(p.values or []))
        for entry in p.entries or []:
            nums += [entry.value, *(k for k in entry.key if isinstance(k, int))]
    for v in spec.variables:
        nums += [b for b in (v.lower, v.upper) if isinstance(b, int | float)]
    texts = [spec.objective.expression]
    for c in spec.constraints:
        texts += [c.expression, c.where or ""]
    for t in texts:
        nums += [float(n) for n in _SPEC_NUMBER.findall(t) if _is_float(n)]
    arr = np.asarray([float(n) for n in nums if isinstance(n, int | float)], dtype=float)
    return np.unique(arr[np.isfinite(arr)])


def _is_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _flat(values: object) -> Iterator[float]:
    stack = [values]
    while stack:
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(cur)
        elif isinstance(cur, int | float):
            yield float(cur)


def _unused_numbers(text: str, spec: ModelSpec) -> list[Diagnostic]:
    used = spec_numbers(spec)
    unused: dict[str, str] = {}
    for written, values, sentence in text_numbers(text):
        cand = np.asarray(values)
        if used.size and np.isclose(used[:, None], cand[None, :], rtol=1e-6, atol=1e-9).any():
            continue
        unused.setdefault(written, sentence)
    out = [
        _warn(
            "verify.unused-number",
            "text",
            f'the number {written} in "{_clip(sentence)}" appears nowhere in the model',
            "Use it where the text says (a parameter value, bound or coefficient), or ignore this if it is "
            "not model data.",
        )
        for written, sentence in list(unused.items())[:MAX_NUMBERS_REPORTED]
    ]
    if len(unused) > MAX_NUMBERS_REPORTED:
        rest = ", ".join(list(unused)[MAX_NUMBERS_REPORTED:])
        out.append(
            _warn(
                "verify.unused-number",
                "text",
                f"further numbers from the text are unused: {rest}",
                "Check that every given quantity made it into the model.",
            )
        )
    return out


def _clip(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 3] + "..."


# -- whole things --------------------------------------------------------------------------
def stem(word: str) -> str:
    """A crude singular: trucks -> truck, boxes -> box, batteries -> battery, people -> person."""
    w = word.lower().strip("-")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:ch|sh|x|ss|z|us)es$", w):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _tokens(name: str, description: str) -> set[str]:
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", name).replace("_", " ").split() + re.findall(
        r"[A-Za-z]+", description
    )
    return {stem(w) for w in words if len(w) > 1}


def _counted_noun(words: list[str]) -> tuple[str, int] | None:
    """The noun after 'how many'/'number of' and its position, unless it is a measure (hours, kg)."""
    for k, word in enumerate(words):
        s = stem(word)
        if s in _COUNT_NOUNS or s in _WEAK_NOUNS:
            return s, k
        if word.lower().endswith("s") and word.lower() not in _NOT_NOUNS:
            return None if s in _MEASURES else (s, k)
    return None


def _integrality_wording(text: str, spec: ModelSpec) -> list[Diagnostic]:
    counted: dict[str, str] = {}
    explicit: list[str] = []
    for m in _COUNTING.finditer(text):
        words = m.group(1).split()
        found = _counted_noun(words)
        if found is not None:
            noun, k = found
            phrase = m.group(0)[: m.group(0).index(words[k]) + len(words[k])]
            counted.setdefault(noun, phrase)
            explicit.append(phrase)
    for word in re.findall(r"[A-Za-z]+", text):
        s = stem(word)
        if s in _COUNT_NOUNS:
            counted.setdefault(s, word)
    if not counted:
        return []
    out = []
    for v in spec.variables:
        if v.domain is not Domain.CONTINUOUS:
            continue
        tokens = _tokens(v.name, v.description)
        noun = next((n for n in counted if any(_same(n, t) for t in tokens)), None)
        if noun is not None:
            out.append(
                _warn(
                    "verify.integrality-wording",
                    f"variables[{v.name}].domain",
                    f'the text counts {noun}s ("{counted[noun]}"), but {v.name} is continuous',
                    f"Make {v.name} 'integer' (or 'binary' for a yes/no choice) if a fraction of one "
                    "makes no sense.",
                )
            )
    whole = any(v.domain is not Domain.CONTINUOUS for v in spec.variables)
    if not out and explicit and not whole and spec.variables:
        out.append(
            _warn(
                "verify.integrality-wording",
                "variables",
                f'the text asks for whole things ("{explicit[0]}"), but every variable is continuous',
                "Make the variables that count things 'integer'.",
            )
        )
    return out


# -- direction -----------------------------------------------------------------------------
def _objective_sense(text: str, spec: ModelSpec) -> list[Diagnostic]:
    wants_max = _MAX_WORDS.search(text)
    wants_min = _MIN_WORDS.search(text)
    if bool(wants_max) == bool(wants_min):
        return []
    sense = spec.objective.sense
    if wants_max and sense is Sense.MINIMIZE:
        cue, other = wants_max.group(0), "maximize"
    elif wants_min and sense is Sense.MAXIMIZE:
        cue, other = wants_min.group(0), "minimize"
    else:
        return []
    return [
        _warn(
            "verify.objective-sense",
            "objective.sense",
            f'the text says "{cue}" but the objective is to {sense}',
            f"Set 'sense' to '{other}' if that is what the question asks.",
        )
    ]
