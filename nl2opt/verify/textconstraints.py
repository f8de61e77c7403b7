"""Each constraint against its own description: the direction it runs and what it is about.

Models describe each constraint in the problem's words ("output cannot exceed 40"), and the
description and the expression are written together; when they disagree, one of them is
wrong. Two checks, both warnings:

- ``verify.constraint-sense``: the description says "at most" (or "capacity") and the
  expression sets a lower limit, or the reverse;
- ``verify.constraint-subject``: a one-decision constraint whose description, in the clause
  holding its number, names another decision ("at least 50 of X" written as ``y >= 50``).
"""

from __future__ import annotations

import re

from nl2opt.diagnostics import Diagnostic
from nl2opt.spec import Constraint, ConstraintKind, ModelSpec
from nl2opt.verify import textreqs
from nl2opt.verify.textnumbers import clip, warn
from nl2opt.verify.words import stem

__all__ = ["check"]


def check(spec: ModelSpec) -> list[Diagnostic]:
    """Direction and subject warnings for every constraint of ``spec``."""
    return [*_constraint_sense(spec), *_constraint_subject(spec)]


_UPPER_WORDS = re.compile(
    r"\b(?:at most|no more than|not more than|(?:must|may|can|should|does|do|will) not (?:be )?exceed(?:ed)?|"
    r"cannot (?:be )?exceed(?:ed)?|can't exceed|not to exceed|never exceeds?|up to|maximum of|limited to|capped at|"
    r"or less|or fewer|less than or equal|below|(?<!no )(?<!not )(?:less|fewer) than)\b",
    re.I,
)
_LOWER_WORDS = re.compile(
    r"\b(?:at least|no less than|no fewer than|not less than|minimum of|or more|greater than or equal|above|"
    r"(?<!no )(?<!not )(?:more|greater) than(?! or equal))\b",
    re.I,
)
_UPPER_HINTS = re.compile(r"\b(?:available|availability|capacity|capacities|budget|limit|maximum)\b", re.I)
_LOWER_HINTS = re.compile(
    r"\b(?:demands?|fulfil\w*|meet|satisfy|required?|requires|requirements?|minimum)\b", re.I
)
_COMPARISON = re.compile(r"<=|>=|==|=<|=>")


def _direction(c: Constraint, spec: ModelSpec) -> tuple[bool, str, str] | None:
    """Whether the requirement is an upper limit, the words that say so and the clause they are in.

    Explicit comparisons first ('at most'), then nouns that imply one ('capacity', 'demand'),
    then the constraint's own ``kind``; None when the words point both ways or nowhere. A
    description that quotes a sentence with several requirements ("must move 1000 units and
    may use at most 40% boats") is read only in the clauses holding the constraint's numbers.
    """
    clauses = [k for k in _CLAUSE.split(c.description) if k.strip()]
    numbers = _constants(c.expression, spec)
    relevant = [k for k in clauses if {float(n.replace(",", "")) for n in _PLAIN_NUMBER.findall(k)} & numbers]
    chosen = relevant or clauses
    text = " ; ".join(chosen)
    for upper, lower in ((_UPPER_WORDS, _LOWER_WORDS), (_UPPER_HINTS, _LOWER_HINTS)):
        found = [
            (_says_upper(m, text, is_upper), m.group(0))
            for regex, is_upper in ((upper, True), (lower, False))
            for m in regex.finditer(text)
        ]
        if len({way for way, _ in found}) > 1:
            return None
        if found:
            way, cue = found[0]
            return way, cue, next((k for k in chosen if cue in k), text)
    if c.kind is ConstraintKind.CAPACITY:
        return True, "kind: capacity", c.description
    if c.kind is ConstraintKind.DEMAND:
        return False, "kind: demand", c.description
    return None


_COMPARATIVE = re.compile(r"(?:more|greater|less|fewer) than|above|below", re.I)
_NEGATION = re.compile(
    r"(?:\b(?:not|cannot|never|no|restrict\w*|prevent\w*|prohibit\w*|forbid\w*)\b|n't\b)[^.;,]{0,30}$", re.I
)


def _says_upper(m: re.Match[str], text: str, is_upper: bool) -> bool:
    """'more than' is a lower limit, but 'cannot throw more than' an upper one."""
    if _COMPARATIVE.fullmatch(m.group(0)) and _NEGATION.search(text[: m.start()]):
        return not is_upper
    return is_upper


_CLAUSE = re.compile(r"[,;:]\s|\.\s+|\s+(?:and|but|while|whereas)\s+")
_PLAIN_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _constants(expression: str, spec: ModelSpec) -> set[float]:
    """The numbers a constraint uses: its literals and the values of scalar parameters it names."""
    found = {float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", expression)}
    names = set(re.findall(r"[A-Za-z_]\w*", expression))
    found |= {
        float(p.value) for p in spec.parameters if p.name in names and not p.index and p.value is not None
    }
    return found - {0.0, 1.0}


def _constraint_sense(spec: ModelSpec) -> list[Diagnostic]:
    """A constraint whose description says 'at most' but whose expression says >= (or the reverse).

    Only one-sided comparisons are judged, and only when the description uses words of one
    direction. With decisions on both sides, the subject is the side that is not only yes/no
    decisions (``ship <= cap * open``), else the side whose decision the description names
    first ('elephants cannot exceed cows').
    """
    variables = {v.name for v in spec.variables}
    zero_one = {v.name for v in spec.variables if textreqs.is_zero_one(v)}
    out = []
    for c in spec.constraints:
        direction = _direction(c, spec)
        ops = _COMPARISON.findall(c.expression)
        if direction is None or len(ops) != 1 or ops[0] == "==" or _LOGIC.search(c.expression):
            continue
        says_upper, cue, clause = direction
        lhs, rhs = _COMPARISON.split(c.expression)
        left = set(re.findall(r"[A-Za-z_]\w*", lhs)) & variables
        right = set(re.findall(r"[A-Za-z_]\w*", rhs)) & variables
        if left and right:
            if bool(left <= zero_one) != bool(right <= zero_one):
                subject: str | None = "right" if left <= zero_one else "left"
            else:
                subject = _first_named(clause, left, right)
            if subject is None:
                continue
            left_is_subject = subject == "left"
        elif left or right:
            left_is_subject = bool(left)
        else:
            continue
        upper = (ops[0] in ("<=", "=<")) == left_is_subject
        if upper != says_upper:
            out.append(
                warn(
                    "verify.constraint-sense",
                    f"constraints[{c.name}].expression",
                    f'the description of {c.name} says "{cue}" but its expression sets '
                    f"{'an upper' if upper else 'a lower'} limit ({ops[0]})",
                    "Turn the comparison around if the description is right, or correct the description.",
                )
            )
    return out


_LOGIC = re.compile(r"\b(?:implies|either|at_least|at_most|exactly)\s*\(")


def _first_named(description: str, left: set[str], right: set[str]) -> str | None:
    """'left' or 'right': whose decision the description mentions first (None if unclear)."""
    if left & right:
        return None
    words = [stem(w) for w in re.findall(r"[A-Za-z]+", description)]

    def parts(names: set[str]) -> set[str]:
        return {stem(n) for n in names} | {stem(p) for n in names for p in n.split("_") if len(p) > 2}

    shared = parts(left) & parts(right)

    def first(names: set[str]) -> int | None:
        keys = parts(names) - shared
        return next((k for k, w in enumerate(words) if w in keys), None)

    at_left, at_right = first(left), first(right)
    if at_left is None or at_right is None or at_left == at_right:
        return None
    return "left" if at_left < at_right else "right"


_GENERIC = frozenset(
    [
        "total",
        "number",
        "amount",
        "unit",
        "units",
        "quantity",
        "level",
        "value",
        "count",
        "num",
        "qty",
        "var",
        "variable",
        "decision",
        "the",
        "of",
    ]
)


def _name_tokens(name: str) -> set[str]:
    parts = re.sub(r"([a-z])([A-Z])", r"\1 \2", name).replace("_", " ").split()
    return {stem(p) for p in parts if stem(p) not in _GENERIC} | {name.lower()}


def _clause_words(clause: str) -> set[str]:
    words = {stem(w) for w in re.findall(r"[A-Za-z]{2,}", clause)}
    return words | {w.lower() for w in re.findall(r"\b[A-Z]\b", clause)}


def _constraint_subject(spec: ModelSpec) -> list[Diagnostic]:
    """One-decision constraints whose number sits in a clause that names a different decision.

    "The minimum number of tours (X) is at least 50" written as ``y >= 50``: the clause holding
    50 names x, not y. Judged only for single rows on one decision, when exactly one clause of
    the description holds the constraint's numbers and it names another decision but not this one.
    """
    variables = {v.name for v in spec.variables}
    tokens = {name: _name_tokens(name) for name in variables}
    out = []
    for c in spec.constraints:
        used = set(re.findall(r"[A-Za-z_]\w*", c.expression)) & variables
        if c.for_ or len(used) != 1 or _LOGIC.search(c.expression):
            continue
        [var] = used
        numbers = _constants(c.expression, spec)
        holding = [k for k in _CLAUSE.split(c.description) if _numbers_in(k) & numbers]
        if len(holding) != 1:
            continue
        words = _clause_words(holding[0])
        own = tokens[var] | {
            stem(t) for t in re.findall(rf"\b{re.escape(var)}\s*\[\s*'([^']+)'", c.expression)
        }
        others = [n for n in sorted(variables - {var}) if (tokens[n] - own) & words]
        if others and not (own - set().union(*(tokens[n] for n in others))) & words:
            out.append(
                warn(
                    "verify.constraint-subject",
                    f"constraints[{c.name}].expression",
                    f'the description of {c.name} says "{clip(holding[0].strip(), 90)}", which names '
                    f"{others[0]}, but the constraint is on {var}",
                    f"Check which decision the text limits; write the constraint on {others[0]} if the "
                    "description is right.",
                )
            )
    return out


def _numbers_in(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in _PLAIN_NUMBER.findall(text)}
