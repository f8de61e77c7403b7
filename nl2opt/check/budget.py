"""A model's size, estimated from the spec alone, before anything is expanded or allocated.

A few kilobytes of spec can ask for billions of cells: five ranges of a million members,
ten 4,472 x 4,472 tables, a constraint over 100,000 x 2,000 rows. The compiler and the
checker expand sets and tables with numpy, so the only safe moment to refuse is before
they start. This module counts, from the set definitions (their lengths, never their
members) and the parsed expressions, what lowering would build: set members, parameter
cells, columns (with the auxiliary ones abs/min/max and logic add), rows, nonzeros, and
the cells each expression's sums, products and filters touch. Counts follow the
compiler's vectorised evaluation (a node costs the product of the sizes of the indices
it depends on) and err on the high side; the limits come from
:class:`nl2opt.config.Limits`. Every excess is one ``lower.too-large`` Diagnostic that
names the biggest contributors and the variable that raises the limit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nl2opt.check.parsed import ParsedSpec, parse_spec_expressions
from nl2opt.config import LIMIT_VARS, Limits
from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.expr.nodes import (
    ARITH_FUNCS,
    COUNT_FUNCS,
    Binding,
    BinOp,
    Call,
    Compare,
    ListOf,
    Name,
    Neg,
    Node,
    Subscript,
    Sum,
    walk,
)
from nl2opt.spec import IndexSet, ModelSpec

__all__ = ["Tally", "data_problems", "estimate", "file_too_large", "model_problems", "problems", "set_size"]

Axes = frozenset[int]
_NONE: Axes = frozenset()


def file_too_large(path: Path, limits: Limits | None = None) -> Diagnostic | None:
    """A ``spec.too-large`` Diagnostic when the file at ``path`` is beyond the limit, told by its size alone."""
    limit = (limits or Limits.from_env()).spec_bytes
    try:
        size = path.stat().st_size
    except OSError:
        return None  # reading it reports what is wrong
    if size <= limit:
        return None
    return Diagnostic(
        code="spec.too-large",
        stage=Stage.CHECK,
        where=str(path),
        message=f"the spec file has {size:,} bytes (limit {limit:,}); it was not read",
        hint="Bind large data as tables instead of inline values, or raise the limit with "
        f"{LIMIT_VARS['spec_bytes']}.",
    )


def set_size(s: IndexSet) -> int:
    """Members of a set, counted without listing them."""
    if s.elements is not None:
        return len(s.elements)
    if s.range is not None and isinstance(s.range.start, int) and isinstance(s.range.stop, int):
        return max(0, s.range.stop - s.range.start + 1)
    return 0  # a range still written as expressions: nl2opt.derived resolves (and limits) it


def _sizes(spec: ModelSpec) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for s in spec.sets:
        sizes.setdefault(s.name, set_size(s))
    return sizes


def _table_cells(index: Iterable[str], sizes: dict[str, int]) -> int:
    return math.prod(sizes.get(s, 0) for s in index)


@dataclass
class Tally:
    """What lowering would build, per spec element (``where``)."""

    members: Counter[str] = field(default_factory=Counter)
    parameter_cells: Counter[str] = field(default_factory=Counter)
    columns: Counter[str] = field(default_factory=Counter)
    rows: Counter[str] = field(default_factory=Counter)
    nonzeros: Counter[str] = field(default_factory=Counter)
    cells: Counter[str] = field(default_factory=Counter)
    """The largest array one expression touches (not summed: arrays are freed between nodes)."""

    def touch(self, where: str, cells: int) -> None:
        if cells > self.cells[where]:
            self.cells[where] = cells


def data_tally(spec: ModelSpec) -> Tally:
    """Set members and parameter cells: what building the symbol table allocates."""
    tally = Tally()
    sizes = _sizes(spec)
    for s in spec.sets:
        tally.members[f"sets[{s.name}]"] += set_size(s)
    for p in spec.parameters:
        if p.index:
            tally.parameter_cells[f"parameters[{p.name}]"] += _table_cells(p.index, sizes)
    return tally


def estimate(spec: ModelSpec, parsed: ParsedSpec | None = None) -> Tally:
    """Everything :func:`nl2opt.lower.lower` would build for ``spec``, counted, not built."""
    from nl2opt.derived import resolve  # derived values add rows; resolve them as lower does

    resolved, _ = resolve(spec)
    if resolved is not None and resolved is not spec:
        spec, parsed = resolved, None
    parsed = parsed or parse_spec_expressions(spec)
    tally = data_tally(spec)
    walker = _Walker(_sizes(spec), {v.name: v.index for v in spec.variables}, tally)
    for v in spec.variables:
        tally.columns[f"variables[{v.name}]"] += _table_cells(v.index, walker.set_sizes)
    if parsed.objective is not None:
        walker.objective(parsed.objective)
    for goal in parsed.goals:  # each priority level compiles its goals again, beside the headline
        if goal is not None:
            walker.objective(goal)
    for pc in parsed.constraints:
        if pc.expression is not None:
            walker.constraint(pc.where, [b for b in pc.bindings if b is not None], pc.filter, pc.expression)
    return tally


_DATA = (
    (
        "members",
        "set_members",
        "set members",
        "Check the set definitions: a range of a million periods is rarely meant.",
    ),
    (
        "parameter_cells",
        "parameter_cells",
        "parameter cells",
        "Index the tables by smaller sets, or give sparse 'entries' over a set of the pairs that exist.",
    ),
)
_MODEL = (
    (
        "columns",
        "columns",
        "columns (variables, with auxiliary ones)",
        "Index the variables by smaller sets, or over a set of the pairs that exist.",
    ),
    (
        "rows",
        "rows",
        "constraint rows",
        "Bind fewer sets in 'for' (a constraint need not repeat over a set "
        "its expression does not use), or filter with 'where'.",
    ),
    ("nonzeros", "nonzeros", "nonzero coefficients", "Reduce the sets the sums run over, or filter them."),
)


def data_problems(spec: ModelSpec, limits: Limits | None = None) -> list[Diagnostic]:
    """Sets and tables too large to build, checked before any member is listed."""
    return _judge(data_tally(spec), limits or Limits.from_env(), _DATA, cells=False)


def model_problems(
    spec: ModelSpec, parsed: ParsedSpec | None = None, limits: Limits | None = None
) -> list[Diagnostic]:
    """Columns, rows, nonzeros and expression cells beyond the limits (data assumed within them)."""
    return _judge(estimate(spec, parsed), limits or Limits.from_env(), _MODEL, cells=True)


def problems(
    spec: ModelSpec, parsed: ParsedSpec | None = None, limits: Limits | None = None
) -> list[Diagnostic]:
    """Every excess over the limits, data first (a model estimate means nothing past them)."""
    limits = limits or Limits.from_env()
    return data_problems(spec, limits) or model_problems(spec, parsed, limits)


def _judge(tally: Tally, limits: Limits, checks: tuple, *, cells: bool) -> list[Diagnostic]:
    out = []
    for attr, limit_name, what, hint in checks:
        counts: Counter[str] = getattr(tally, attr)
        total, limit = sum(counts.values()), getattr(limits, limit_name)
        if total > limit:
            message = f"the model would have {total:,} {what} (limit {limit:,}): {_top(counts)}"
            out.append(_diag(_first(counts), message, hint, limit_name))
    if cells:
        limit = limits.cells
        for where, n in tally.cells.most_common(3):
            if n > limit:
                message = f"{where} touches {n:,} cells at once in one expression (limit {limit:,})"
                hint = "Sum over fewer sets at once, or filter the sum's members with 'if'."
                out.append(_diag(where, message, hint, "cells"))
    return out


def _top(counts: Counter[str]) -> str:
    parts = [f"{where} {n:,}" for where, n in counts.most_common(3) if n]
    more = len([n for n in counts.values() if n]) - len(parts)
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _first(counts: Counter[str]) -> str:
    top = counts.most_common(1)
    return top[0][0] if top else ""


def _diag(where: str, message: str, hint: str, limit_name: str) -> Diagnostic:
    raise_it = f" If the machine has the memory, raise the limit with {LIMIT_VARS[limit_name]}."
    return Diagnostic(
        code="lower.too-large", stage=Stage.LOWER, where=where, message=message, hint=hint + raise_it
    )


@dataclass(frozen=True)
class _Cost:
    """A node's value: the indices (axes) it depends on and how many variable terms it holds."""

    axes: Axes = _NONE
    terms: int = 0


class _Walker:
    """Follows the compiler's shapes: each bound index is an axis with its set's size."""

    def __init__(self, set_sizes: dict[str, int], var_index: dict[str, list[str]], tally: Tally) -> None:
        self.set_sizes = set_sizes
        self.var_index = var_index
        self.tally = tally
        self.axis_size: list[int] = []
        self.where = ""

    def cells(self, axes: Iterable[int]) -> int:
        return math.prod(self.axis_size[a] for a in axes)

    def bind(self, scope: dict[str, int], bindings: Iterable[Binding]) -> tuple[dict[str, int], Axes]:
        inner, new = dict(scope), []
        for b in bindings:
            self.axis_size.append(self.set_sizes.get(b.set, 0))
            axis = len(self.axis_size) - 1
            new.append(axis)
            inner.update((n, axis) for n in b.names)
        return inner, frozenset(new)

    def expanded(self, cost: _Cost, target: Axes) -> int:
        return cost.terms * self.cells(target - cost.axes) if cost.terms else 0

    # -- whole expressions --------------------------------------------------------------------
    def objective(self, node: Node) -> None:
        self.where = "objective.expression"
        cost = self.value(node, {})
        self.tally.nonzeros[self.where] += cost.terms

    def constraint(self, where: str, bindings: list[Binding], cond: Node | None, node: Node) -> None:
        self.where = where
        scope, rows = self.bind({}, bindings)
        if cond is not None:
            rows |= self.filter(cond, scope)
        self.tally.touch(where, self.cells(rows))
        if isinstance(node, Call) and node.func not in ARITH_FUNCS:
            self.logic(node, scope, rows)
        elif isinstance(node, Compare):
            self.rows(self.comparison(node, scope), rows)
        else:
            self.value(node, scope)

    def rows(self, cost: _Cost, axes: Axes, copies: int = 1) -> None:
        target = axes | cost.axes
        n = self.cells(target)
        self.tally.touch(self.where, n)
        self.tally.rows[self.where] += copies * n
        self.tally.nonzeros[self.where] += copies * self.expanded(cost, target)

    def comparison(self, node: Compare, scope: dict[str, int]) -> _Cost:
        """``lhs - rhs`` of every link of a chain, as one cost (each link is its own row block)."""
        parts = [self.value(o, scope) for o in node.operands]
        axes = frozenset().union(*(p.axes for p in parts))
        links = max(1, len(node.ops))
        terms = sum(self.expanded(p, axes) for p in parts) * links
        return _Cost(axes, terms)

    def logic(self, node: Call, scope: dict[str, int], rows: Axes) -> None:
        """Each literal adds an indicator column per cell and one or two big-M rows."""
        items: list[tuple[Node, dict[str, int], Axes]] = []
        if node.func in COUNT_FUNCS and len(node.args) == 2:
            self.value(node.args[0], scope)
            lst = node.args[1]
            if isinstance(lst, ListOf) and lst.bindings:
                inner, extra = self.bind(scope, lst.bindings)
                if lst.cond is not None:
                    extra |= self.filter(lst.cond, inner)
                items += [(i, inner, extra) for i in lst.items[:1]]
            elif isinstance(lst, ListOf):
                items += [(i, scope, _NONE) for i in lst.items]
        else:
            items += [(a, scope, _NONE) for a in node.args]
        for item, item_scope, extra in items:
            cost = (
                self.comparison(item, item_scope)
                if isinstance(item, Compare)
                else self.value(item, item_scope)
            )
            target = rows | extra | cost.axes
            self.tally.columns[self.where] += self.cells(target)
            self.rows(_Cost(cost.axes, cost.terms + 1), rows | extra, copies=2)
        self.rows(_Cost(rows, self.cells(rows) * max(1, len(items))), rows)

    def filter(self, node: Node, scope: dict[str, int]) -> Axes:
        """The axes a filter's mask spans (the names it reads that are bound)."""
        axes = frozenset(scope[n.id] for n in walk(node) if isinstance(n, Name) and n.id in scope)
        self.tally.touch(self.where, self.cells(axes))
        for sub in walk(node):
            if isinstance(sub, Sum):
                self.value(sub, scope)
        return axes

    # -- values -------------------------------------------------------------------------------
    def value(self, node: Node, scope: dict[str, int]) -> _Cost:
        match node:
            case Name(id=n) if n in scope:
                return _Cost(frozenset({scope[n]}))
            case Name(id=n) if n in self.var_index:
                return _Cost(_NONE, 1)
            case Subscript(name=n, indices=idx):
                axes = frozenset(
                    scope[x.id] for i in idx for x in walk(i) if isinstance(x, Name) and x.id in scope
                )
                n_cells = self.cells(axes)
                self.tally.touch(self.where, n_cells)
                return _Cost(axes, n_cells if n in self.var_index else 0)
            case Neg(operand=a):
                return self.value(a, scope)
            case BinOp(op="+" | "-"):
                return self.combine([self.value(t, scope) for t in _terms(node)])
            case BinOp(op="*", left=a, right=b):
                return self.product(self.value(a, scope), self.value(b, scope))
            case Call(func="norm2", args=(ListOf() as lst,)):
                return self.norm(lst, scope)
            case BinOp(left=a, right=b):
                return self.combine([self.value(a, scope), self.value(b, scope)])
            case Sum(body=body, bindings=bindings, cond=cond):
                inner, drop = self.bind(scope, bindings)
                mask = self.filter(cond, inner) if cond is not None else _NONE
                cost = self.value(body, inner)
                target = cost.axes | drop | mask
                self.tally.touch(self.where, self.cells(target))
                return _Cost(target - drop, self.expanded(cost, target))
            case Call(func=f, args=args) if f in ARITH_FUNCS:
                return self.arith(f, [self.value(a, scope) for a in args])
        return _Cost()

    def combine(self, parts: list[_Cost]) -> _Cost:
        axes = frozenset().union(*(p.axes for p in parts))
        self.tally.touch(self.where, self.cells(axes))
        return _Cost(axes, sum(self.expanded(p, axes) for p in parts))

    def product(self, a: _Cost, b: _Cost) -> _Cost:
        """Both factors' terms, plus every pair of their terms per cell (products of variables)."""
        combined = self.combine([a, b])
        if not (a.terms and b.terms):
            return combined
        n = max(1, self.cells(combined.axes))
        pairs = -(-self.expanded(a, combined.axes) * self.expanded(b, combined.axes) // n)
        return _Cost(combined.axes, combined.terms + pairs)

    def norm(self, lst: ListOf, scope: dict[str, int]) -> _Cost:
        """An epigraph column and a cone row per cell, holding each entry's terms and their squares."""
        inner, extra = self.bind(scope, lst.bindings) if lst.bindings else (scope, _NONE)
        if lst.cond is not None:
            extra |= self.filter(lst.cond, inner)
        entries = [self.product(c, c) for c in (self.value(i, inner) for i in lst.items)]
        cost = self.combine(entries)
        axes = cost.axes - extra
        n = self.cells(axes)
        self.tally.touch(self.where, self.cells(cost.axes | extra))
        self.tally.columns[self.where] += n
        self.tally.rows[self.where] += n
        self.tally.nonzeros[self.where] += self.expanded(cost, cost.axes | extra) + 2 * n
        return _Cost(axes, n)

    def arith(self, func: str, parts: list[_Cost]) -> _Cost:
        """An auxiliary t per cell, one binary per argument and 2k + 1 linking rows (worst case)."""
        k = 2 if func == "abs" else len(parts)
        axes = frozenset().union(*(p.axes for p in parts))
        n = self.cells(axes)
        self.tally.touch(self.where, n)
        self.tally.columns[self.where] += n * (1 + k)
        self.tally.rows[self.where] += n * (2 * k + 1)
        self.tally.nonzeros[self.where] += 2 * sum(self.expanded(p, axes) for p in parts) + n * (3 * k + 1)
        return _Cost(axes, n)


def _terms(node: Node) -> list[Node]:
    """The operands of a left-deep ``a + b - c + ...`` chain, without recursion."""
    out: list[Node] = []
    while isinstance(node, BinOp) and node.op in ("+", "-"):
        out.append(node.right)
        node = node.left
    out.append(node)
    return out
