"""The model's reading of the text, in plain words, and how two readings differ.

"Verified" means the answer satisfies the *model*. Whether the model reads the words as
the user meant is for the user to judge, so every answer shows the reading beside it:
each decision with its domain and bounds ("project_e: whole number, 0 or more, no upper
limit"), each requirement from its description, and the model's own assumptions. When
several readings were sampled, :func:`differences` says in words what separates them.
"""

from __future__ import annotations

import re

from nl2opt.present import Trees, constraint_text
from nl2opt.spec import Constraint, Domain, Goal, ModelSpec, Variable

__all__ = ["decision", "differences", "goal", "reading", "requirement"]

_DOMAIN_WORDS = {
    Domain.CONTINUOUS: "any amount",
    Domain.INTEGER: "whole number",
    Domain.BINARY: "yes/no (0 or 1)",
}


def reading(spec: ModelSpec, trees: Trees | None = None) -> list[str]:
    """One line per decision, then one per requirement, then one per goal of a model with
    priority levels (in the order they are optimised), then one per assumption."""
    lines = [decision(v) for v in spec.variables]
    lines += [requirement(c, spec, trees) for c in spec.constraints]
    if len(spec.objectives) > 1:
        last = max(g.priority for g in spec.objectives)
        lines += [goal(g, last=g.priority == last) for g in sorted(spec.objectives, key=lambda g: g.priority)]
    lines += [f"assumes: {a}" for a in spec.assumptions]
    return lines


def goal(g: Goal, *, last: bool = False) -> str:
    """'goal at priority 2: minimize under (at least $1,600 profit), then held within 50'."""
    weight = f" (weight {g.weight:g})" if g.weight != 1 else ""
    about = f" ({g.description})" if g.description else ""
    room = [
        f"{g.tolerance:g}" if g.tolerance else "",
        f"{100 * g.relative_tolerance:g}%" if g.relative_tolerance else "",
    ]
    held = (
        f", then held within {' or '.join(r for r in room if r)}" if any(room) else ", then held at its best"
    )
    held = ", optimised last" if last else held
    return f"goal at priority {g.priority}: {g.sense.value} {g.expression}{weight}{about}{held}"


def decision(v: Variable) -> str:
    """'ship[Plants, Markets]: any amount, 0 or more, no upper limit (units shipped)'."""
    name = f"{v.name}[{', '.join(v.index)}]" if v.index else v.name
    if v.where is not None and v.over:  # a sparse domain: say which cells exist
        name = f"{v.name}[{', '.join(v.over)} where {v.where}]"
    parts = [_DOMAIN_WORDS[v.domain]]
    if v.domain is not Domain.BINARY:
        parts.append(_bounds(v.lower, v.upper))
    about = f" ({v.description})" if v.description else ""
    return f"{name}: {', '.join(parts)}{about}"


def _bounds(lower: float | None, upper: float | None) -> str:
    if lower is not None and upper is not None:
        return f"from {_num(lower)} to {_num(upper)}"
    low = f"{_num(lower)} or more" if lower is not None else "no lower limit"
    high = f"at most {_num(upper)}" if upper is not None else "no upper limit"
    return f"{low}, {high}"


def requirement(c: Constraint, spec: ModelSpec | None = None, trees: Trees | None = None) -> str:
    """'requirement flour_use (for each p in Products): 2 kg per loaf ... [expression]'.

    With ``spec``, a description quoting numbers the model no longer uses (an edited model)
    gives way to the expression (:func:`nl2opt.present.constraint_text`).
    """
    scope = f" (for each {', '.join(c.for_)}{f' where {c.where}' if c.where else ''})" if c.for_ else ""
    words = (constraint_text(spec, c, trees) if spec is not None else c.description) or "no description"
    if words == c.expression:
        return f"requirement {c.name}{scope}: {c.expression}"
    return f"requirement {c.name}{scope}: {words} [{c.expression}]"


def differences(
    a: ModelSpec, b: ModelSpec, *, names: tuple[str, str] = ("this reading", "the other")
) -> list[str]:
    """What separates two models, in words: the sense, decisions' domains and bounds,
    requirements one has and the other lacks, and changed numbers."""
    first, second = names
    out: list[str] = []
    if a.headline.sense is not b.headline.sense:
        out.append(f"{first} {a.headline.sense.value}s, {second} {b.headline.sense.value}s")
    elif _norm(a.headline.expression) != _norm(b.headline.expression):
        out.append(f"the objectives differ: {a.headline.expression} vs {b.headline.expression}")
    elif _levels(a) != _levels(b):
        out.append(f"the priority levels differ: {_levels(a) or 'none'} vs {_levels(b) or 'none'}")
    vb = {v.name: v for v in b.variables}
    for v in a.variables:
        w = vb.pop(v.name, None)
        if w is None:
            out.append(f"{first} has the decision {decision(v)}; {second} does not")
        elif (v.domain, v.lower, v.upper) != (w.domain, w.lower, w.upper):
            out.append(f"{v.name} is {_kind(v)} in {first} but {_kind(w)} in {second}")
    out += [f"{second} has the decision {decision(w)}; {first} does not" for w in vb.values()]
    by_name = {c.name: c for c in b.constraints}
    matched: set[str] = set()
    for c in a.constraints:
        d = by_name.get(c.name)
        if (
            d is not None
            and _norm(c.expression) != _norm(d.expression)
            and (c.for_, c.where) == (d.for_, d.where)
        ):
            out.append(f"{c.name} reads {c.expression} in {first} but {d.expression} in {second}")
            matched.add(c.name)
    ca = {_norm(c.expression): c for c in a.constraints if c.name not in matched}
    cb = {_norm(c.expression): c for c in b.constraints if c.name not in matched}
    out += [f"{first} requires {_said(c)}; {second} does not" for k, c in ca.items() if k not in cb]
    out += [f"{second} requires {_said(c)}; {first} does not" for k, c in cb.items() if k not in ca]
    out += [f'{first} assumes "{x}"' for x in a.assumptions if x not in b.assumptions]
    out += [f'{second} assumes "{x}"' for x in b.assumptions if x not in a.assumptions]
    pb = {p.name: p for p in b.parameters}
    for p in a.parameters:
        q = pb.get(p.name)
        if q is not None and (p.value, p.values, p.entries) != (q.value, q.values, q.entries):
            out.append(f"the numbers of {p.name} differ")
    return out


def _kind(v: Variable) -> str:
    words = _DOMAIN_WORDS[v.domain]
    return words if v.domain is Domain.BINARY else f"{words}, {_bounds(v.lower, v.upper)}"


def _said(c: Constraint) -> str:
    return f"'{c.description}' ({c.name}: {c.expression})" if c.description else f"{c.name}: {c.expression}"


def _norm(expression: str) -> str:
    return re.sub(r"\s+", "", expression)


def _num(v: float | str) -> str:
    if isinstance(v, str):
        return f"'{v}'"  # a derived value (nl2opt.derived), as written
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _levels(spec: ModelSpec) -> str:
    """The goals in priority order, as compared between two readings."""
    goals = sorted(spec.objectives, key=lambda g: g.priority)
    return "; ".join(
        f"{g.priority}: {g.sense.value} {g.weight:g} * ({_norm(g.expression)}) within "
        f"max({g.tolerance:g}, {g.relative_tolerance:g} * best)"
        for g in goals
    )
