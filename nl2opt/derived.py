"""Derived values: set ranges and variable bounds written as expressions of parameters.

``"range": {"start": 1, "stop": "n_periods"}`` and ``"upper": "capacity[i]"`` say where a
number comes from instead of repeating it. :func:`resolve` evaluates them once, at compile
time, with the verifier's evaluator, and returns a plain spec (numbers only) that the
checker, the compiler and the verifier read as before:

- a range bound must be a whole number computed from scalar parameters;
- a bound's free index names are bound to the variable's index sets (the set a name
  subscripts a parameter with, else the first free position); a bound equal for every
  element becomes that number, otherwise the variable keeps the loosest value as its
  bound (finite, so big-M stays valid) and one ``kind: bound`` constraint per derived
  bound holds each element to its own value.
"""

from __future__ import annotations

import io
import itertools
import math
import tokenize
from typing import TYPE_CHECKING

import numpy as np

from nl2opt.config import Limits
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.expr.nodes import Name, Node, Subscript, Sum, walk
from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.spec import Constraint, ConstraintKind, IntRange, ModelSpec, Variable
from nl2opt.symbols import Symbols, build_symbols
from nl2opt.tables import Tables

if TYPE_CHECKING:
    from nl2opt.verify.evaluate import Env

__all__ = ["MAX_DERIVED_ELEMENTS", "has_derived", "resolve"]

MAX_DERIVED_ELEMENTS = 1_000_000
"""Elements of one variable whose derived bound is evaluated one by one; past it, a diagnostic."""


def has_derived(spec: ModelSpec) -> bool:
    """Whether any range or bound is an expression (the fast path skips :func:`resolve`'s work)."""
    return any(
        s.range is not None and (isinstance(s.range.start, str) or isinstance(s.range.stop, str))
        for s in spec.sets
    ) or any(isinstance(v.lower, str) or isinstance(v.upper, str) for v in spec.variables)


def resolve(spec: ModelSpec, tables: Tables | None = None) -> tuple[ModelSpec | None, list[Diagnostic]]:
    """The spec with every derived value replaced by numbers; None and errors when one cannot be.

    ``tables`` are the data tables the spec binds by reference, read like the compiler reads them.
    """
    if not has_derived(spec):
        return spec, []
    out: list[Diagnostic] = []
    sets = [_resolve_range(s, spec, out, tables) for s in spec.sets]
    if out:
        return None, out
    plain = spec.model_copy(update={"sets": sets})
    symbols = build_symbols(_without_derived_bounds(plain), tables)
    variables: list[Variable] = []
    extra: list[Constraint] = []
    taken = {c.name for c in spec.constraints} | {v.name for v in spec.variables}
    for v in plain.variables:
        update: dict[str, float | None] = {}
        for side in ("lower", "upper"):
            text = getattr(v, side)
            if not isinstance(text, str):
                continue
            found = _bound(v, side, text, symbols, out)
            if found is None:
                continue
            value, row = found
            update[side] = value
            if row is not None:
                name = _fresh(f"{v.name}_{side}", taken)
                extra.append(row.model_copy(update={"name": name}))
        variables.append(v.model_copy(update=update))
    if has_errors(out):
        return None, out
    return plain.model_copy(update={"variables": variables, "constraints": [*plain.constraints, *extra]}), out


def has_errors(found: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in found)


def _diag(where: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(code="check.derived-value", stage=Stage.CHECK, where=where, message=message, hint=hint)


def _parse(text: str, where: str, out: list[Diagnostic]) -> Node | None:
    node, found = parse_expression(text, where)
    out.extend(found)
    return node


def _resolve_range(s, spec: ModelSpec, out: list[Diagnostic], tables: Tables | None):
    r = s.range
    if r is None or not (isinstance(r.start, str) or isinstance(r.stop, str)):
        return s
    scalars = spec.model_copy(
        update={"sets": [], "variables": [], "parameters": [p for p in spec.parameters if not p.index]}
    )
    from nl2opt.verify.evaluate import Env  # the evaluator's package imports this module

    env = Env(build_symbols(scalars, tables))
    ends: dict[str, int] = {}
    for end in ("start", "stop"):
        value = getattr(r, end)
        where = f"sets[{s.name}].range.{end}"
        if not isinstance(value, str):
            ends[end] = value
            continue
        node = _parse(value, where, out)
        if node is None:
            continue
        number = _number(node, env, where, out, "scalar parameters")
        if number is None:
            continue
        if not float(number).is_integer():
            out.append(
                _diag(
                    where,
                    f"{value!r} is {number:g}, not a whole number",
                    "Round it in the expression's data.",
                )
            )
            continue
        ends[end] = int(number)
    if len(ends) < 2:
        return s
    limit = Limits.from_env().set_members
    if ends["stop"] - ends["start"] + 1 > limit:
        where = f"sets[{s.name}].range"
        size = ends["stop"] - ends["start"] + 1
        out.append(
            _diag(where, f"the range has {size:,} members (limit {limit:,})", "Check the parameters it uses.")
        )
        return s
    return s.model_copy(update={"range": IntRange(start=ends["start"], stop=ends["stop"])})


def _number(node: Node, env: Env, where: str, out: list[Diagnostic], allowed: str) -> float | None:
    if any(isinstance(n, Name | Subscript) and _name(n) in env.symbols.vars for n in walk(node)):
        out.append(
            _diag(where, "a derived value may not depend on a decision variable", f"Use {allowed} only.")
        )
        return None
    from nl2opt.verify.evaluate import EvaluationError, evaluate

    try:
        value = evaluate(node, env)
    except (EvaluationError, ZeroDivisionError, OverflowError, RecursionError) as err:
        out.append(_diag(where, f"cannot be computed: {err}", f"Use {allowed} only, with every value given."))
        return None
    if isinstance(value, bool) or not math.isfinite(float(value)):
        out.append(_diag(where, f"is {value!r}, not a finite number", f"Use {allowed} with finite values."))
        return None
    return float(value)


def _name(node: Node) -> str:
    return node.id if isinstance(node, Name) else node.name  # type: ignore[attr-defined]


def _without_derived_bounds(spec: ModelSpec) -> ModelSpec:
    variables = [
        v.model_copy(
            update={
                "lower": None if isinstance(v.lower, str) else v.lower,
                "upper": None if isinstance(v.upper, str) else v.upper,
            }
        )
        for v in spec.variables
    ]
    return spec.model_copy(update={"variables": variables})


def _free_names(node: Node, symbols: Symbols) -> list[tuple[str, str | None]]:
    """Index names the bound leaves free, in order, each with the set it subscripts a parameter by."""
    bound_inside = {n for s in walk(node) if isinstance(s, Sum) for b in s.bindings for n in b.names}
    found: dict[str, str | None] = {}
    for n in walk(node):
        if isinstance(n, Subscript):
            index = symbols.params[n.name].index if n.name in symbols.params else ()
            for k, i in enumerate(n.indices):
                if isinstance(i, Name) and symbols.kind(i.id) is None and i.id not in bound_inside:
                    guess = index[k] if k < len(index) else None
                    if found.get(i.id) is None:
                        found[i.id] = guess
        elif isinstance(n, Name) and symbols.kind(n.id) is None and n.id not in bound_inside:
            found.setdefault(n.id, None)
    return list(found.items())


def _bound(
    v: Variable, side: str, text: str, symbols: Symbols, out: list[Diagnostic]
) -> tuple[float | None, Constraint | None] | None:
    where = f"variables[{v.name}].{side}"
    node = _parse(text, where, out)
    if node is None:
        return None
    names = _free_names(node, symbols)
    if len(names) > len(v.index):
        out.append(
            _diag(
                where,
                f"{text!r} uses {len(names)} index names ({', '.join(n for n, _ in names)}) but {v.name} has "
                f"{len(v.index)} index set{'s' if len(v.index) != 1 else ''}",
                "Name one index per index set of the variable, e.g. 'capacity[i]' for a variable over Plants.",
            )
        )
        return None
    if any(s not in symbols.sets for s in v.index):
        return None  # the checker reports the unknown set
    positions: list[int | None] = [None] * len(names)
    free = list(range(len(v.index)))
    for k, (_, set_name) in enumerate(names):
        match = next((p for p in free if v.index[p] == set_name), None)
        if match is not None:
            positions[k] = match
            free.remove(match)
    for k in range(len(names)):
        if positions[k] is None:
            positions[k] = free.pop(0)
    shape = tuple(symbols.sets[s].size for s in v.index)
    if math.prod(shape) > MAX_DERIVED_ELEMENTS:
        out.append(
            _diag(where, f"{v.name} has too many elements to derive its bound one by one", "Use a number.")
        )
        return None
    from nl2opt.verify.evaluate import Env

    env = Env(symbols)
    values = np.empty(shape)
    inside = symbols.vars[v.name].inside if v.name in symbols.vars else None
    try:
        for combo in itertools.product(*(symbols.sets[s].members for s in v.index)):
            at = tuple(symbols.sets[s].position[m] for s, m in zip(v.index, combo, strict=True))
            if inside is not None and not inside[at]:
                values[at] = np.nan  # no such element: a sparse domain has no cell here
                continue
            member_env = env
            for (n, _), p in zip(names, positions, strict=True):
                member_env = member_env.bind((n,), combo[p])  # type: ignore[index]
            number = _number(node, member_env, where, out, "parameters and the variable's indices")
            if number is None:
                return None
            values[tuple(symbols.sets[s].position[m] for s, m in zip(v.index, combo, strict=True))] = number
    except IndexError:
        return None
    if inside is not None:
        values = values[inside]
    if values.size == 0:
        return 0.0 if side == "lower" else None, None
    if np.all(values == values.flat[0]):
        return float(values.flat[0]), None
    loosest = float(values.min() if side == "lower" else values.max())
    index_names = [""] * len(v.index)
    for (n, _), p in zip(names, positions, strict=True):
        index_names[p] = n  # type: ignore[index]
    index_names = [n or f"_k{p}" for p, n in enumerate(index_names)]
    op = ">=" if side == "lower" else "<="
    domain = _domain_filter(v, index_names, where, out) if inside is not None else None
    if inside is not None and domain is None:
        return None
    row = Constraint.model_validate(
        {
            "name": f"{v.name}_{side}",
            "for": [f"{n} in {s}" for n, s in zip(index_names, v.index, strict=True)],
            "where": domain,
            "expression": f"{v.name}[{', '.join(index_names)}] {op} {text}",
            "description": f"the {side} bound of {v.name}: {text}",
            "kind": ConstraintKind.BOUND,
        }
    )
    return loosest, row


def _domain_filter(v: Variable, index_names: list[str], where: str, out: list[Diagnostic]) -> str | None:
    """The variable's sparse-domain filter in the bound row's index names, so the row skips what has no cell."""
    renames: dict[str, str] = {}
    for text, name in zip(v.over or [], index_names, strict=False):
        binding, _ = parse_binding(text)
        if binding is None or len(binding.names) != 1:
            out.append(
                _diag(
                    where,
                    f"{v.name} is sparse over a set of tuples, so its derived bound cannot be placed per element",
                    "Write the bound as a constraint with the same 'for' and 'where' as the variable's domain.",
                )
            )
            return None
        renames[binding.names[0]] = name
    tokens = tokenize.generate_tokens(io.StringIO(v.where or "").readline)
    try:
        return tokenize.untokenize(
            (t.type, renames.get(t.string, t.string) if t.type == tokenize.NAME else t.string) for t in tokens
        ).strip()
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None  # the checker reports the filter


def _fresh(name: str, taken: set[str]) -> str:
    out, k = name, 2
    while out in taken:
        out, k = f"{name}_{k}", k + 1
    taken.add(out)
    return out
