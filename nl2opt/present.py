"""Wording for people: units, shadow prices and ranges in sentences, de-duplicated lists.

The web form, the command line and :func:`nl2opt.explain.explain` show the same answer
the same way, so the wording lives here and not in a front end. Everything is read from
the spec and the Result: a unit comes from a parameter's ``unit`` (or, for a model whose
numbers are written into its expressions, from the words of its own description), and a
description that quotes numbers the model no longer uses (an edited model) gives way to
the model's own expression.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nl2opt.check.parsed import ParsedSpec
from nl2opt.dense import as_array
from nl2opt.diagnostics import Diagnostic
from nl2opt.expr.nodes import BinOp, Compare, Name, Node, Num, Subscript, Sum, children
from nl2opt.expr.parse import parse_expression
from nl2opt.result import CostRange, Result, RhsRange, RowReport
from nl2opt.spec import Constraint, ModelSpec

Trees = Mapping[str, Node]
"""Parsed expressions by their text (see :func:`trees_of`)."""

GENERIC_NAMES = frozenset({"", "model", "word_problem", "problem", "untitled"})
"""Spec names that say nothing about the model; downloads are then named from its description."""

_CURRENCIES = {
    "$": "$",
    "usd": "$",
    "dollar": "$",
    "dollars": "$",
    "€": "€",
    "eur": "€",
    "euro": "€",
    "euros": "€",
    "£": "£",
    "gbp": "£",
    "pound": "£",
    "pounds": "£",
}
_MONEY_WORDS = (
    "profit",
    "cost",
    "revenue",
    "income",
    "earning",
    "spend",
    "expense",
    "price",
    "return",
    "sales",
)
_NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(%|[a-zA-Z][a-zA-Z-]*)(?:\s+of\s+([a-z]+(?:\s+[a-z]+)?))?")
_NOT_UNITS = frozenset(
    {
        "of",
        "and",
        "or",
        "to",
        "a",
        "an",
        "the",
        "per",
        "each",
        "in",
        "at",
        "is",
        "are",
        "more",
        "less",
        "times",
        "percent",
        "units",
        "unit",
    }
)
_FILLER = frozenset(
    {
        "capacity",
        "limit",
        "available",
        "availability",
        "constraint",
        "max",
        "min",
        "maximum",
        "minimum",
        "total",
        "requirement",
        "req",
        "cap",
        "budget",
        "bound",
    }
)


# -- units ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Units:
    """The units a spec gives its objective, its decisions and its constraints (empty: none known)."""

    objective: str = ""
    variables: dict[str, str] | None = None
    constraints: dict[str, str] | None = None
    limits: dict[str, str] | None = None
    """The parameter each constraint compares against (``stock`` for ``... <= stock[w]``)."""

    def of_variable(self, name: str) -> str:
        return (self.variables or {}).get(name, "")

    def of_constraint(self, name: str) -> str:
        return (self.constraints or {}).get(name, "")


def units(spec: ModelSpec, text: str | None = None, trees: Trees | None = None) -> Units:
    """Units read from the spec: parameters' units through the expressions they appear in.

    A decision summed alone against a parameter (``sum(ship[w, s] ...) <= stock[w]``) has that
    parameter's unit; the objective has the numerator of its cost parameters' units
    (``GBP/pallet`` gives ``GBP``), or the currency of the text when it talks about money.
    """
    param_units = {p.name: p.unit.strip() for p in spec.parameters if p.unit and p.unit.strip()}
    variables = {v.name for v in spec.variables}
    objective = ""
    node = _parse(spec.headline.expression, trees)
    if node is not None:
        found = {param_units[n].split("/")[0].strip() for n in _names(node) if n in param_units}
        objective = found.pop() if len(found) == 1 else ""
    if not objective and any(w in (spec.headline.description or "").lower() for w in _MONEY_WORDS):
        objective = _currency(" ".join([text or "", spec.description, spec.headline.description]))
    var_units: dict[str, str] = {}
    con_units: dict[str, str] = {}
    limits: dict[str, str] = {}
    for con in spec.constraints:
        node = _parse(con.expression, trees)
        if not isinstance(node, Compare) or len(node.operands) != 2:
            continue
        left, right = node.operands
        for bare_side, other in ((left, right), (right, left)):
            params = [n for n in _names(other) if n in param_units]
            if len({param_units[p] for p in params}) != 1:
                continue
            unit = param_units[params[0]]
            con_units.setdefault(con.name, unit)
            limits.setdefault(con.name, params[0])
            for var in _bare_variables(bare_side, variables):
                var_units.setdefault(var, unit)
        if con.name not in con_units:
            words = _amount(con.description, _bound_numbers(spec, con, trees))
            if words is not None and words[0]:
                con_units[con.name] = words[0]
    return Units(objective=objective, variables=var_units, constraints=con_units, limits=limits)


def _currency(text: str) -> str:
    for symbol in ("$", "€", "£"):
        if symbol in text:
            return symbol
    for word in re.findall(r"[a-zA-Z]+", text.lower()):
        if word in _CURRENCIES:
            return _CURRENCIES[word]
    return ""


def _amount(description: str, bound: set[float] | None = None) -> tuple[str, str] | None:
    """(unit, what) of the 'number unit [of what]' in a description whose number is the constraint's
    bound ('100 acres and 150 hours of labour' for a bound of 150 gives ('hours', 'labour')), else the first."""
    found = []
    for match in _AMOUNT.finditer(description or ""):
        unit = match.group(2)
        if unit.lower() in _NOT_UNITS:
            continue
        found.append((_to_float(match.group(1)), (unit, (match.group(3) or "").strip())))
    for value, words in found:
        if bound and value in bound:
            return words
    return found[0][1] if (found and not bound) or len(found) == 1 else None


def _bound_numbers(spec: ModelSpec, con: Constraint, trees: Trees | None = None) -> set[float]:
    """The numbers on the constant side of a constraint (``<= 100``, ``>= demand[j]``'s values)."""
    node = _parse(con.expression, trees)
    if not isinstance(node, Compare):
        return set()
    variables = {v.name for v in spec.variables}
    out: set[float] = set()
    for side in node.operands:
        names = set(_names(side))
        if names & variables:
            continue
        out.update(_numbers(spec, side))
    return out


def _numbers(spec: ModelSpec, node: Node) -> set[float]:
    """Every literal in an expression and every value of the parameters it names."""
    found: set[float] = set()
    names: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Num):
            found.add(float(n.value))
        names.update([n.id] if isinstance(n, Name) else [n.name] if isinstance(n, Subscript) else [])
        stack.extend(children(n))
    for p in spec.parameters:
        if p.name in names:
            dense = None if p.values is None else as_array(p.values)  # converted once per run
            found.update(_flatten(p.values) if dense is None else np.unique(dense).tolist())
            found.update(float(e.value) for e in p.entries or [])
            if p.value is not None:
                found.add(float(p.value))
    return found


def _parse(text: str, trees: Trees | None = None) -> Node | None:
    if trees is not None and text in trees:
        return trees[text]
    node, _ = parse_expression(text)
    return node


def trees_of(spec: ModelSpec, parsed: ParsedSpec | None) -> Trees | None:
    """The pipeline's parsed expressions by their text, so presenting a result parses nothing again."""
    if parsed is None:
        return None
    out: dict[str, Node] = {}
    if parsed.objective is not None:
        out[spec.headline.expression] = parsed.objective
    for con, pc in zip(spec.constraints, parsed.constraints, strict=False):
        if pc.expression is not None:
            out[con.expression] = pc.expression
    return out


def _names(node: Node) -> Iterable[str]:
    if isinstance(node, Name):
        yield node.id
    elif isinstance(node, Subscript):
        yield node.name
    for child in children(node):
        yield from _names(child)


def _bare_variables(node: Node, variables: set[str]) -> list[str]:
    """Variables added up with coefficient 1 (``x + y``, ``sum(ship[i, j] for ...)``); [] otherwise."""
    match node:
        case Name(id=n) | Subscript(name=n) if n in variables:
            return [n]
        case BinOp(op="+", left=a, right=b):
            left, right = _bare_variables(a, variables), _bare_variables(b, variables)
            return left + right if left and right else []
        case Sum(body=body):
            return _bare_variables(body, variables)
    return []


def money(value: float | None, unit: str) -> str:
    """``$0.10``, ``-$4``, ``3,450 GBP``, or the bare number without a unit."""
    if value is None:
        return "n/a"
    text = number(abs(value) if unit in ("$", "€", "£") else value)
    if unit in ("$", "€", "£") and math.isfinite(value):
        cents = abs(value) < 100 and abs(value - round(value)) > 1e-9
        text = f"{abs(value):,.2f}" if cents else text
        return f"{'-' if value < 0 else ''}{unit}{text}"
    return f"{text} {unit}" if unit else text


def number(v: float | None) -> str:
    """A number as a person writes it: 164, 3,450, 0.125 (no float noise)."""
    if v is None:
        return "n/a"
    if not math.isfinite(v):
        return {math.inf: "infinity", -math.inf: "minus infinity"}.get(v, "not a number")
    if abs(v - round(v)) < 1e-9:
        return f"{round(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.2f}"


def with_unit(value: float | None, unit: str) -> str:
    """A value with its unit: ``180 pallets``, ``$2,385``; a rate unit reads ``120 parcels/week``."""
    return (
        money(value, unit)
        if unit in ("$", "€", "£")
        else (f"{number(value)} {unit}" if unit else number(value))
    )


# -- the objective and the constraints in words -----------------------------------------------


def objective_noun(spec: ModelSpec) -> str:
    """What the objective measures: 'profit', 'total haulage cost' (no verb, no trailing unit)."""
    goal = (spec.headline.description or "").strip().rstrip(".")
    goal = re.sub(r"^(to\s+)?(maximi[sz]e|minimi[sz]e|maximum|minimum)\s+(the\s+)?", "", goal, flags=re.I)
    goal = re.sub(r"\s+(in|per)\s+\S+$", "", goal)
    return goal or "the objective"


def constraint_text(spec: ModelSpec, con: Constraint, trees: Trees | None = None) -> str:
    """The constraint in words: its description when every number it quotes is still the model's,
    else the model's own expression (an edited model must not be explained in the old text's numbers)."""
    description = (con.description or "").strip()
    if not description:
        return con.expression
    quoted = {v for v in (_to_float(n) for n in _NUMBER.findall(description)) if v is not None}
    if not quoted:
        return description
    bound = _bound_numbers(spec, con, trees)
    node = _parse(con.expression, trees)
    used = bound or (_numbers(spec, node) if node is not None else set())
    return description if quoted & used else con.expression


def _flatten(values: object) -> Iterable[float]:
    if isinstance(values, list):
        for v in values:
            yield from _flatten(v)
    elif isinstance(values, int | float):
        yield float(values)


def _to_float(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def subject(
    spec: ModelSpec, row: RowReport, trees: Trees | None = None, known: Units | None = None
) -> tuple[str, str]:
    """(unit, what) of a row: ('pallet', 'stock at Bristol'), ('kg', 'flour'), ('minute', 'oven time')."""
    con = next((c for c in spec.constraints if c.name == row.constraint), None)
    found = known or units(spec, trees=trees)
    unit = found.of_constraint(row.constraint)
    what = (found.limits or {}).get(row.constraint, "").replace("_", " ")
    if con is not None and not what:
        words = _amount(con.description, _bound_numbers(spec, con, trees))
        if words is not None:
            what = words[1]
    if not what:
        kept = [w for w in row.constraint.replace("-", "_").split("_") if w and w.lower() not in _FILLER]
        what = " ".join(kept) or row.constraint.replace("_", " ")
    index = row.name[len(row.constraint) :].strip("[]")
    if index:
        what = f"{what} at {index.replace(',', ', ')}"
    return _singular(unit.split("/")[0]) if unit else "unit", what


def _singular(word: str) -> str:
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def shadow_price(
    spec: ModelSpec,
    row: RowReport,
    text: str | None = None,
    trees: Trees | None = None,
    known: Units | None = None,
) -> str:
    """'One more kg of flour would raise profit by $0.10.'; empty when the row has no (non-zero) dual.

    ``known``: the spec's :func:`units` with this ``text``, when the caller has them already."""
    if row.dual is None or abs(row.dual) < 1e-9:
        return ""
    known = known or units(spec, text, trees)
    unit, what = subject(spec, row, trees, known)
    money_unit = known.objective
    verb = "raise" if row.dual > 0 else "lower"
    amount = money(abs(row.dual), money_unit)
    noun = objective_noun(spec)
    at_upper = row.upper is not None and (
        row.lower is None or abs(row.activity - row.upper) <= abs(row.activity - row.lower)
    )
    if row.lower is not None and row.upper is not None and abs(row.lower - row.upper) < 1e-9:
        return f"Raising {what} by one {unit} would {verb} {noun} by {amount}."
    if at_upper:
        return f"One more {unit} of {what} would {verb} {noun} by {amount}."
    return f"Requiring one more {unit} of {what} would {verb} {noun} by {amount}."


def cost_range(spec: ModelSpec, rng: CostRange, text: str | None = None) -> str:
    """'profit per cake can range from $2 to $6 before the plan changes'."""
    unit = units(spec, text).objective
    span = _span(rng.lower, rng.upper, unit)
    per = rng.variable if "[" not in rng.variable else f"unit of {rng.variable}"
    return (
        f"{_capital(objective_noun(spec))} per {per} (now {money(rng.cost, unit)}) can range {span} "
        "before the plan changes."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def rhs_range(spec: ModelSpec, rng: RhsRange) -> str:
    """'The limit of flour (now 100 kg) can range from 80 to 150 kg with the same shadow price.'"""
    row = RowReport(
        name=rng.name,
        constraint=rng.constraint,
        activity=rng.rhs,
        lower=None,
        upper=rng.rhs,
        slack=0.0,
        binding=True,
    )
    _, what = subject(spec, row)
    shown = units(spec).of_constraint(rng.constraint)
    return (
        f"The limit on {what} (now {with_unit(rng.rhs, shown)}) can range {_span(rng.lower, rng.upper, '')} "
        "with the same shadow price."
    )


def _span(lower: float | None, upper: float | None, unit: str) -> str:
    if lower is None and upper is None:
        return "without limit"
    if lower is None:
        return f"up to {money(upper, unit)}"
    if upper is None:
        return f"from {money(lower, unit)} upwards"
    return f"from {money(lower, unit)} to {money(upper, unit)}"


def sensitivity_lines(result: Result) -> list[str]:
    """Every cost and bound range of the result, one sentence each; [] without ranging."""
    if result.sensitivity is None or result.spec is None:
        return []
    spec = result.spec
    return [cost_range(spec, c, result.text) for c in result.sensitivity.costs] + [
        rhs_range(spec, r) for r in result.sensitivity.rhs
    ]


# -- de-duplicated lists ----------------------------------------------------------------------


def unique_findings(diagnostics: Sequence[Diagnostic]) -> list[tuple[Diagnostic, int]]:
    """Each distinct finding once, with how many times it was reported, in first-seen order."""
    counts: dict[tuple[str, str, str, str, str], list[Diagnostic | int]] = {}
    for d in diagnostics:
        key = (d.severity.value, d.code, d.where or "", d.message, d.hint or "")
        if key in counts:
            counts[key][1] = int(counts[key][1]) + 1  # type: ignore[call-overload]
        else:
            counts[key] = [d, 1]
    return [(entry[0], int(entry[1])) for entry in counts.values()]  # type: ignore[misc]


def unique_rows(spec: ModelSpec | None, rows: Sequence[RowReport]) -> list[tuple[RowReport, int]]:
    """Rows of constraints that say the same thing (same expression, indices and filter) shown once,
    with how many constraints repeat them; a long paste read sentence by sentence repeats itself."""
    if spec is None:
        return [(r, 1) for r in rows]
    same = {c.name: (c.expression.replace(" ", ""), tuple(c.for_), c.where or "") for c in spec.constraints}
    seen: dict[tuple[object, ...], list[object]] = {}
    for r in rows:
        index = r.name[len(r.constraint) :]
        key = (same.get(r.constraint, r.constraint), index)
        if key in seen:
            seen[key][1] = int(seen[key][1]) + 1  # type: ignore[call-overload]
        else:
            seen[key] = [r, 1]
    return [(entry[0], int(entry[1])) for entry in seen.values()]  # type: ignore[misc]


def file_stem(spec: ModelSpec) -> str:
    """A file name for the model's downloads: its name, or words of its description when the name is generic."""
    name = _slug(spec.name)
    if name not in GENERIC_NAMES:
        return name
    words = [w for w in re.findall(r"[a-zA-Z0-9]+", spec.description.lower()) if w not in ("a", "an", "the")]
    return "_".join(words[:6])[:50] or _slug(objective_noun(spec)) or "model"


def _slug(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_").lower()


__all__ = [
    "GENERIC_NAMES",
    "Units",
    "constraint_text",
    "cost_range",
    "file_stem",
    "money",
    "number",
    "objective_noun",
    "rhs_range",
    "sensitivity_lines",
    "shadow_price",
    "subject",
    "unique_findings",
    "unique_rows",
    "units",
    "with_unit",
]
