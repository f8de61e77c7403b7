"""Does the spec fit the problem text? Cheap textual cross-checks that only ever warn.

A model can be feasible, optimal and verified yet answer a different question:
a number from the text was never used, whole trucks are bought in fractions, or
"maximise profit" became a minimisation. These checks look for such mismatches
with plain regular expressions; they cannot prove anything, so every finding is a
warning that names the sentence it came from and leaves the judgement to the
formulator. Exposed as :func:`nl2opt.verify.plausibility`.

Numbers are read in :mod:`nl2opt.verify.textnumbers`, yes/no sentences in :mod:`nl2opt.verify.textreqs`,
each constraint against its own description in :mod:`nl2opt.verify.textconstraints`; whole things
and the objective's sense are judged here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from nl2opt.diagnostics import Diagnostic
from nl2opt.spec import Domain, ModelSpec, Sense, Variable
from nl2opt.verify import textconstraints, textreqs
from nl2opt.verify.textnumbers import clip, spec_numbers, text_numbers, unused_numbers, warn
from nl2opt.verify.words import stem

__all__ = ["TEXT_CODES", "answered", "plausibility", "spec_numbers", "stem", "text_numbers"]

TEXT_CODES = frozenset(
    {
        "verify.unused-number",
        "verify.unused-parameter",
        "verify.integrality-wording",
        "verify.yes-no-unmodelled",
        "verify.objective-sense",
        "verify.constraint-sense",
        "verify.constraint-subject",
    }
)
"""The codes of warnings about the model against the words (as opposed to the model against itself)."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
_COUNTING = re.compile(
    r"\b(?:how many|number of|whole number of|count of)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I
)

_MAX_WORDS = re.compile(
    r"\b(?:maximi[sz]\w*|max\b|as (?:much|many|large|high) as possible|(?:most|largest|greatest|highest|"
    r"biggest|maximum) (?:possible )?(?:total |overall |net )?(?:[a-z]+ )?(?:profit|revenue|income|return|value|output|"
    r"production|amount|number|throughput|coverage|benefit|utility|satisfaction)s?)",
    re.I,
)
_MIN_WORDS = re.compile(
    r"\b(?:minimi[sz]\w*|min\b|as (?:little|few|small|low|cheap|cheaply) as possible|fewest|cheapest|"
    r"(?:least|lowest|smallest|minimum) (?:possible )?(?:total |overall )?(?:[a-z]+ )?(?:cost|expense|spending|time|"
    r"number|amount|waste|distance|risk|loss|price|emission)s?)",
    re.I,
)


def plausibility(
    text: str, spec: ModelSpec, *, values: Mapping[str, object] | None = None
) -> list[Diagnostic]:
    """Warnings where the spec seems not to match the problem text it was written from.

    Args:
        text: the problem in plain words.
        spec: the model written from it.
        values: the solved values (as in ``Result.values``), when there are any. They let the
            checks stay silent where a warning could not change the answer: counted things that
            came out whole anyway, yes/no choices that came out 0 or 1.

    Warnings the spec's own ``assumptions`` answer (they name the number, variable,
    parameter or constraint the warning is about) are left out.
    """
    if not text or not text.strip():
        return []
    found = [
        *unused_numbers(text, spec),
        *_integrality_wording(text, spec, values),
        *textreqs.check(text, spec, values=values),
        *_objective_sense(text, spec),
        *textconstraints.check(spec),
    ]
    return [d for d in found if not answered(d, spec)]


def answered(d: Diagnostic, spec: ModelSpec) -> bool:
    """Whether one of the spec's assumptions speaks to this warning.

    An assumption answers a warning when it names what the warning is about: the variable,
    parameter or constraint in ``where`` (or the noun the text counts), together with the kind of
    concern (for integrality and yes/no choices: whole, fraction, divisible, binary ...).
    Numbers an assumption names already count as used.
    """
    assumptions = [a.lower() for a in getattr(spec, "assumptions", None) or []]
    if not assumptions:
        return False
    subject = re.search(r"\[([^\]]+)\]", d.where)
    names = {subject.group(1).lower()} if subject else set()
    names |= {m.lower() for m in re.findall(r"counts (\w+?)s? \(", d.message)}
    topic = _TOPICS.get(d.code)
    for a in assumptions:
        words = {stem(w) for w in re.findall(r"[a-z_]\w*", a)} | set(re.findall(r"[a-z_]\w*", a))
        named = any(n in words or stem(n) in words for n in names) or (not names and d.where == "variables")
        if named and (topic is None or topic.search(a)):
            return True
    return False


_TOPICS = {
    "verify.integrality-wording": re.compile(
        r"whole|integer|integral|fraction|divisible|continuous|partial", re.I
    ),
    "verify.yes-no-unmodelled": re.compile(
        r"whole|partial|fraction|divisible|binary|yes|all or|either", re.I
    ),
    "verify.objective-sense": re.compile(r"maxim|minim|sense|objective", re.I),
}


# -- whole things --------------------------------------------------------------------------
def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def _counted_noun(words: list[str]) -> tuple[str, int] | None:
    """The noun after 'how many'/'number of' and its position, unless it is a measure (hours, kg)."""
    for k, word in enumerate(words):
        s = stem(word)
        if s in _COUNT_NOUNS or s in _WEAK_NOUNS:
            return s, k
        if word.lower().endswith("s") and word.lower() not in _NOT_NOUNS:
            return None if s in _MEASURES else (s, k)
    return None


_LP_STATEMENT = re.compile(
    r"(?<!integer )(?<!integer-)(?<!mixed )\b(?:linear programming|linear program|LP)\b(?! relaxation)"
    r"|\bfraction(?:al|s)?\b[^.]{0,40}\b(?:allowed|permitted|acceptable|possible|fine)\b"
    r"|\b(?:can|may|could) be (?:fractional|divided|split|non-integer)"
    r"|(?<!in)\bdivisible\b|\bneed not be (?:whole|integer|integral)|\bnon-?integer (?:amounts|values|quantities)",
    re.I,
)
"""Explicit words that fractions are fine: 'a linear programming model', 'fractional amounts allowed'."""
_WHOLE_WORDS = re.compile(r"(?<!non-)\b(?:integers?|integral|whole numbers?|whole units|indivisible)\b", re.I)
"""Explicit words that something is whole; they outweigh 'a linear programming model'."""
_MEASURE_HEADS = _MEASURES | _words(
    "acre start finish completion makespan level rate fraction share proportion percentage quantity flow "
    "land dose duration length distance speed capacity budget investment inventory stock balance"
)
"""What a continuous variable may measure: its name or description head being one of these means no count."""


def _heads(v: Variable) -> set[str]:
    """What the variable is about: its name's words and the head of its description."""
    words = re.sub(r"([a-z])([A-Z])", r"\1 \2", v.name).replace("_", " ").split()
    description = v.description.lower()
    counted = re.search(r"\b(?:number|count|how many) of\s+((?:[\w-]+\s+){0,2}[\w-]+)", description)
    if counted:
        words += counted.group(1).split()
    else:
        words += [w for w in re.findall(r"[a-z]+", description)[:3] if w not in _STOP_WORDS]
    return {stem(w) for w in words if len(w) > 1}


_STOP_WORDS = _words("the a an of to in on for per each total whether amount")


def _is_measure(v: Variable) -> bool:
    name_words = {stem(w) for w in re.sub(r"([a-z])([A-Z])", r"\1 \2", v.name).replace("_", " ").split()}
    first = re.findall(r"[a-z]+", v.description.lower())[:2]
    return bool(
        name_words & _MEASURE_HEADS
        or any(stem(w) in _MEASURE_HEADS for w in first)
        or re.search(r"\b(?:amount|quantity|fraction|share|proportion|level) of\b", v.description, re.I)
    )


def _integral(value: object) -> bool:
    if value is None:
        return False
    items = list(value.values()) if isinstance(value, Mapping) else [value]
    try:
        return all(abs(float(x) - round(float(x))) <= 1e-6 for x in items)
    except (TypeError, ValueError):
        return False


def _integrality_wording(text: str, spec: ModelSpec, values: Mapping[str, object] | None) -> list[Diagnostic]:
    """Counted things as continuous variables, tied to the variable by its own name, unit or head noun.

    Silent where the text says fractions are fine ("a linear programming model"), and where the
    solved values of the variable are already whole: then integrality cannot change the optimum.
    """
    described = _yes_no_descriptions(spec, values)
    if _LP_STATEMENT.search(text) and not _WHOLE_WORDS.search(text):
        return described
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
        return described
    out = list(described)
    for v in spec.variables:
        if (
            v.domain is not Domain.CONTINUOUS
            or _is_measure(v)
            or any(d.where.startswith(f"variables[{v.name}]") for d in described)
        ):
            continue
        if values is not None and _integral(values.get(v.name)):
            continue
        heads = _heads(v)
        noun = next((n for n in counted if any(_same(n, t) for t in heads)), None)
        if noun is not None:
            out.append(
                warn(
                    "verify.integrality-wording",
                    f"variables[{v.name}].domain",
                    f'the text counts {noun}s ("{counted[noun]}"), but {v.name} is continuous',
                    f"Make {v.name} 'integer' (or 'binary' for a yes/no choice) if a fraction of one "
                    "makes no sense; if fractions are fine, say so in 'assumptions'.",
                )
            )
    whole = any(v.domain is not Domain.CONTINUOUS for v in spec.variables)
    open_vars = [v for v in spec.variables if not _is_measure(v)]
    if values is not None:
        open_vars = [v for v in open_vars if not _integral(values.get(v.name))]
    if not out and explicit and not whole and open_vars:
        out.append(
            warn(
                "verify.integrality-wording",
                "variables",
                f'the text asks for whole things ("{explicit[0]}"), but every variable is continuous',
                "Make the variables that count things 'integer'; if fractions are fine, say so in 'assumptions'.",
            )
        )
    return out


_YES_NO_DESCRIPTION = re.compile(r"\b(?:1 if|one if|0 or 1|0/1|yes/no|whether|binary)\b", re.I)
"""A variable described as a yes/no decision ('1 if the site opens')."""


def _yes_no_descriptions(spec: ModelSpec, values: Mapping[str, object] | None) -> list[Diagnostic]:
    """Continuous variables whose own description reads as a yes/no choice."""
    out = []
    for v in spec.variables:
        cue = _YES_NO_DESCRIPTION.search(v.description)
        if v.domain is not Domain.CONTINUOUS or cue is None:
            continue
        if values is not None and textreqs.zero_one_values(values.get(v.name)):
            continue
        out.append(
            warn(
                "verify.integrality-wording",
                f"variables[{v.name}].domain",
                f'{v.name} is described as a yes/no choice ("{cue.group(0)}" in "{clip(v.description, 80)}"), '
                "but it is continuous",
                f"Make {v.name} 'binary' if it is a yes/no choice.",
            )
        )
    return out


# -- direction -----------------------------------------------------------------------------
def _objective_sense(text: str, spec: ModelSpec) -> list[Diagnostic]:
    wants_max = _MAX_WORDS.search(text)
    wants_min = _MIN_WORDS.search(text)
    if bool(wants_max) == bool(wants_min) or len(spec.objectives) > 1:
        return []  # goal programs minimise deviations from goals the text states as maxima or minima
    sense = spec.headline.sense
    if wants_max and sense is Sense.MINIMIZE:
        cue, other = wants_max.group(0), "maximize"
    elif wants_min and sense is Sense.MAXIMIZE:
        cue, other = wants_min.group(0), "minimize"
    else:
        return []
    return [
        warn(
            "verify.objective-sense",
            "objective.sense",
            f'the text says "{cue}" but the objective is to {sense}',
            f"Set 'sense' to '{other}' if that is what the question asks.",
        )
    ]
