"""Numbers in a problem text, and whether a spec uses them.

A person reads "4." opening a line as a list label, "Table 1.3" as a name, "14 constraints"
as a count of the model's own parts, "a surplus of 11" as -11 and "5.276e-04" as one number.
This module reads them the same way, so that ``verify.unused-number`` names only numbers a
model really left out, and ``verify.unused-parameter`` the parameters it declared and forgot.
Used by :mod:`nl2opt.verify.plausibility`; :func:`warn`, :func:`sentences` and :func:`clip` are shared
with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.spec import ModelSpec

__all__ = ["MAX_NUMBERS_REPORTED", "SpecNumbers", "spec_numbers", "text_numbers", "unused_numbers"]

MAX_NUMBERS_REPORTED = 8

_NUMBER = re.compile(
    r"(?<![\w.])(?P<cur>[$€£¥]\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+)"
    r"(?!st\b|nd\b|rd\b|th\b|\.\d|,\d{3})"
    r"(?P<pct>\s?(?:%|percent\b|per cent\b))?(?P<mult>\s(?:thousand|million|billion)s?\b)?",
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


def warn(code: str, where: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        code=code, severity=Severity.WARNING, stage=Stage.VERIFY, where=where, message=message, hint=hint
    )


def sentences(text: str) -> Iterator[str]:
    for part in re.split(r"(?<=[.!?])\s+|\n+", text):
        if part.strip():
            yield part.strip()


# -- numbers ---------------------------------------------------------------------------------
_LIST_LABEL = re.compile(
    r"(?m)^(?P<lead>[ \t>]*(?:[-*\u2022+][ \t]+)?(?:\*\*|__)?)"
    r"(?P<label>\(?\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\)|\(?[a-hA-H][.)])(?=[ \t*_]|$)"
)
"""'1.', '4)', '(4)', 'a)' opening a line: the item's number in a list, not data."""
_PART_LABEL = re.compile(
    r"\b(?:Table|Tab\.|Figure|Fig\.|Section|Sec\.|Chapter|Appendix|Exhibit|Equation|Eq\.|Exercise|Example)"
    r"\s*\(?\d+(?:\s?[.\-\u2013]\s?\d+)*\)?",
    re.I,
)
"""'Table 1.3', 'Table 4-4', 'Figure 2': names of the text's own parts."""
_MODEL_PARTS = re.compile(
    r"\b\d+(?=\s+(?:[A-Za-z-]+\s+){0,2}?(?:constraints?|(?:decision )?variables?|equations?|inequalit(?:y|ies)"
    r"|objectives?)\b)",
    re.I,
)
"""'14 linear constraints', '3 decision variables': counts of the model's own parts."""
_DERIVED = re.compile(
    r"(?P<left>\d[\d,]*(?:\.\d+)?)\s*=\s*[\d(][\d\s.,()]*[-+*/\u00d7\u00b7][\d\s.,()+*/\u00d7\u00b7-]*\d"
    r"|\d[\d\s.,()]*[-+*/\u00d7\u00b7][\d\s.,()+*/\u00d7\u00b7-]*=\s*(?P<right>\d[\d,]*(?:\.\d+)?)"
)
"""'99997 = 100000 - 3' in a description: a number the model derived and says how."""


def _blank(text: str) -> str:
    """The text with list labels, part labels and counts of model parts blanked out."""

    def spaces(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    text = _LIST_LABEL.sub(lambda m: m["lead"] + " " * len(m["label"]), text)
    text = _PART_LABEL.sub(spaces, text)
    return _MODEL_PARTS.sub(spaces, text)


def text_numbers(text: str) -> Iterator[tuple[str, list[float], str]]:
    """(as written, values it may stand for, sentence) for each number that looks like model data.

    Signs are not kept ("minus 3", "a deficit of 15", "-15" all stand for 15 here): the
    spec's numbers are compared by magnitude, because models move signs into expressions.
    """
    for sentence in sentences(_blank(text)):
        first_word = re.match(r"\W*(\w+)", sentence)
        for m in _NUMBER.finditer(sentence):
            before = sentence[: m.start()]
            x = float(m["num"].replace(",", ""))
            if not math.isfinite(x):
                continue
            if not m["pct"] and not m["mult"] and _not_data(x, m, before, text, first_word):
                continue
            if m["pct"]:
                values = [x, x / 100, 1 - x / 100, 1 + x / 100, 100 - x]
            elif m["mult"]:
                values = [x, x * _MULTIPLIERS[m["mult"].strip().lower().rstrip("s")]]
            else:
                values = [x]
            yield m.group(0).strip(), values, " ".join(sentence.split())


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
    noun = _NOUN_BEFORE.search(before)
    if plain and noun and x < 100 and not m["cur"]:
        numbered = {int(n) for n in re.findall(rf"\b{re.escape(noun['word'])}\s+(\d{{1,2}})\b", text, re.I)}
        if len(numbered) > 1 and numbered in ({*range(1, len(numbered) + 1)}, {*range(len(numbered))}):
            return True  # 'farm 1 ... farm 2', 'mixture 1 ... mixture 2': members named by number
    return False


_NOUN_BEFORE = re.compile(r"\b(?P<word>[a-z]{2,}[^s\W]|[a-z]+ss)(?<!ed)(?<!ing)\s+$")
"""A singular noun just before a number ('farm 2'), not a verb ('takes 6') or a plural."""


@dataclass(frozen=True)
class SpecNumbers:
    """The numbers a spec uses, by magnitude, and the integer ranges its sets declare."""

    values: np.ndarray
    ranges: tuple[tuple[int, int], ...]

    def covers(self, candidates: list[float]) -> bool:
        """Whether any reading of a text number is used (or is a member of a declared range).

        0 and 1 always are: a coefficient of 1 is written by leaving it out (``x + 2 * y``).
        """
        cand = np.abs(np.asarray(candidates, dtype=float))
        if np.isin(cand, (0.0, 1.0)).any():
            return True
        if self.values.size and np.isclose(self.values[:, None], cand[None, :], rtol=1e-6, atol=1e-9).any():
            return True
        return any(c == int(c) and lo <= c <= hi for c in cand for lo, hi in self.ranges)


def spec_numbers(spec: ModelSpec) -> SpecNumbers:
    """Every number the spec uses: data of parameters it refers to, ranges, set sizes, members,
    bounds, literals, numbers it derives in its descriptions and numbers its assumptions name."""
    nums: list[float] = []
    ranges: list[tuple[int, int]] = []
    for s in spec.sets:
        if s.range is not None and isinstance(s.range.start, int) and isinstance(s.range.stop, int):
            nums += [s.range.start, s.range.stop, s.range.stop - s.range.start + 1]
            ranges.append((min(s.range.start, s.range.stop), max(s.range.start, s.range.stop)))
        for e in s.elements or []:
            for atom in e if isinstance(e, list) else [e]:
                nums += [atom] if isinstance(atom, int) else [float(t) for t in _SPEC_NUMBER.findall(atom)]
        nums.append(len(s.elements or []))
    texts = [o.expression for o in spec.stated_objectives]
    for c in spec.constraints:
        texts += [c.expression, c.where or "", *c.for_]
    used_names = _referenced_names(spec)
    for p in spec.parameters:
        if p.name not in used_names:
            continue
        nums += [p.value] if p.value is not None else []
        nums += list(_flat(p.values or []))
        for entry in p.entries or []:
            nums += [entry.value, *(k for k in entry.key if isinstance(k, int))]
    for v in spec.variables:
        nums += [b for b in (v.lower, v.upper) if isinstance(b, int | float)]
    for g in spec.objectives:  # "(2) earn at least ...": a goal's rank, weight and tolerances are used
        nums += [g.priority, g.weight, g.tolerance, g.relative_tolerance, 100 * g.relative_tolerance]
    for t in texts:
        nums += [float(n) for n in _SPEC_NUMBER.findall(t) if _is_float(n)]
    for t in _descriptions(spec):
        for m in _DERIVED.finditer(t):
            nums.append(float((m["left"] or m["right"]).replace(",", "")))
    for t in getattr(spec, "assumptions", None) or []:
        nums += [
            float(n.replace(",", ""))
            for n in re.findall(r"\d[\d,]*(?:\.\d+)?", t)
            if _is_float(n.replace(",", ""))
        ]
    arr = np.abs(np.asarray([float(n) for n in nums if isinstance(n, int | float)], dtype=float))
    return SpecNumbers(np.unique(arr[np.isfinite(arr)]), tuple(ranges))


def _descriptions(spec: ModelSpec) -> Iterator[str]:
    yield spec.description
    for part in (*spec.sets, *spec.parameters, *spec.variables, *spec.constraints):
        yield part.description
    for o in spec.stated_objectives:
        yield o.description


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


def unused_numbers(text: str, spec: ModelSpec) -> list[Diagnostic]:
    used = spec_numbers(spec)
    idle = _idle_parameters(spec)
    unused: dict[str, str] = {}
    idle_hits: dict[str, list[str]] = {}
    for written, values, sentence in text_numbers(text):
        holders = [name for name, nums in idle.items() if nums.covers(values)]
        for holder in holders:
            idle_hits.setdefault(holder, [])
            if written not in idle_hits[holder]:
                idle_hits[holder].append(written)
        if not holders and not used.covers(values):
            unused.setdefault(written, sentence)
    out = [
        warn(
            "verify.unused-parameter",
            f"parameters[{name}]",
            f"parameter {name} holds numbers from the text ({', '.join(nums[:5])}) but no constraint or "
            "objective uses it",
            f"Use {name} where the text says, or remove it and say in 'assumptions' why those numbers are "
            "not model data.",
        )
        for name, nums in idle_hits.items()
    ]
    out += [
        warn(
            "verify.unused-number",
            "text",
            f'the number {written} in "{clip(sentence)}" appears nowhere in the model',
            "Use it where the text says (a parameter value, bound or coefficient); if it is not model "
            "data, say why in 'assumptions' (e.g. \"15 is a label, not a quantity\").",
        )
        for written, sentence in list(unused.items())[:MAX_NUMBERS_REPORTED]
    ]
    if len(unused) > MAX_NUMBERS_REPORTED:
        rest = ", ".join(list(unused)[MAX_NUMBERS_REPORTED:])
        out.append(
            warn(
                "verify.unused-number",
                "text",
                f"further numbers from the text are unused: {rest}",
                "Check that every given quantity made it into the model.",
            )
        )
    return out


def _idle_parameters(spec: ModelSpec) -> dict[str, SpecNumbers]:
    """Parameters no expression refers to, with their numbers: declared, then forgotten."""
    names = _referenced_names(spec)
    out = {}
    for p in spec.parameters:
        if p.name in names:
            continue
        nums = [p.value] if p.value is not None else []
        nums += list(_flat(p.values or []))
        nums += [e.value for e in p.entries or []]
        arr = np.abs(np.asarray([n for n in nums if n is not None], dtype=float))
        out[p.name] = SpecNumbers(arr[np.isfinite(arr)], ())
    return out


def _referenced_names(spec: ModelSpec) -> set[str]:
    texts = [o.expression for o in spec.stated_objectives]
    for c in spec.constraints:
        texts += [c.expression, c.where or "", *c.for_]
    return set(re.findall(r"[A-Za-z_]\w*", " ".join(texts)))


def clip(sentence: str, limit: int = 120) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 3] + "..."
