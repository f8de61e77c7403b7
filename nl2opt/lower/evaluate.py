"""Vectorised evaluation of expression trees into :class:`Affine` tables.

Bound index names become axes; each node evaluates once for all cells. The
``sign`` argument says how the value is used (+1: the model pushes it down, as
on the left of ``<=`` or in a minimised objective; -1: pushed up; 0: both), so
that ``abs``/``max``/``min`` in a convex position need no binary variables.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from nl2opt.expr.nodes import (
    ARITH_FUNCS,
    Binding,
    BinOp,
    BoolOp,
    Call,
    Compare,
    ListOf,
    Name,
    Neg,
    Node,
    Not,
    Num,
    Str,
    Subscript,
    Sum,
    shift_of,
    to_text,
    walk,
)
from nl2opt.lower.affine import Affine, Arr, add, constant, reduce, scale, spread, union
from nl2opt.lower.assemble import Builder, LowerError
from nl2opt.symbols import SetInfo, Symbols, VarInfo

_CMP: dict[str, Callable] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}


@dataclass
class Scope:
    """Bound index names: name -> (axis, tuple component or None for the whole member)."""

    names: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    def bind(
        self, builder: Builder, symbols: Symbols, names: tuple[str, ...], set_name: str
    ) -> tuple[Scope, int]:
        s = symbols.sets.get(set_name)
        if s is None:
            raise LowerError("check.unknown-set", f"unknown set {set_name}")
        axis = builder.ax.new(s)
        inner = dict(self.names)
        if len(names) == 1:
            inner[names[0]] = (axis, None)
        else:
            if len(names) != s.width:
                raise LowerError(
                    "check.index-arity", f"{set_name} members have {s.width} parts, not {len(names)}"
                )
            for k, n in enumerate(names):
                inner[n] = (axis, k)
        return Scope(inner), axis


class Evaluator:
    """Evaluates nodes of one spec; aux columns and rows go to the builder."""

    def __init__(self, symbols: Symbols, builder: Builder, canon: Callable[..., Affine]) -> None:
        self.symbols = symbols
        self.b = builder
        self.canon = canon
        self.where = ""
        self.masks: list[Arr] = []
        """Filters in force where the node being evaluated is used (a constraint's ``where``, a sum's ``if``)."""
        self.broken: list[str] = []
        """References outside their sets (or to missing values) in cells the filters keep, described."""
        self._filter_depth = 0

    @contextmanager
    def filtered(self, mask: Arr | None) -> Iterator[None]:
        """Evaluate under ``mask``: only the cells it keeps can make an error."""
        if mask is not None:
            self.masks.append(mask)
        try:
            yield
        finally:
            if mask is not None:
                self.masks.pop()

    def kept(self, flags: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        """``flags`` (over ``axes``) restricted to the cells every filter in force keeps, over their union."""
        target = union(axes, *(m.axes for m in self.masks))
        out = np.array(spread(np.asarray(flags, dtype=bool), axes, target, self.b.ax))
        for m in self.masks:
            out &= spread(m.values.astype(bool), m.axes, target, self.b.ax)
        return out

    # -- numbers and linear expressions -------------------------------------------------
    def affine(self, node: Node, scope: Scope, sign: int = 0) -> Affine:
        match node:
            case Num(value=v):
                return constant((), v)
            case Name(id=name) if name in scope.names:
                return self._index_as_number(self.index(node, scope))
            case Name(id=name):
                return self._reference(name, (), node, scope)
            case Subscript(name=name, indices=indices):
                return self._reference(name, indices, node, scope)
            case Neg(operand=a):
                e = self.affine(a, scope, -sign)
                return Affine(e.axes, -e.const, e.cell, e.col, -e.coef)
            case BinOp(op="+" | "-" as op, left=left, right=right):
                s = 1.0 if op == "+" else -1.0
                total = add(
                    self.affine(left, scope, sign), self.affine(right, scope, int(sign * s)), self.b.ax, s
                )
                return self._finite(total, node, scope)
            case BinOp(op="*", left=left, right=right):
                if self.has_variable(left) and self.has_variable(right):
                    raise LowerError(
                        "check.nonlinear-product",
                        "a product of two expressions with variables where only linear terms can go",
                        "Products and squares may stand in a single objective or at the top of a comparison; "
                        "goals of a priority model, logic conditions and abs/min/max must be linear.",
                    )
                const_node, var_node = (left, right) if not self.has_variable(left) else (right, left)
                factor = self.affine(const_node, scope)
                product = scale(self.affine(var_node, scope, sign * _sign_of(factor)), factor, self.b.ax)
                return self._finite(product, node, scope)
            case BinOp(op="/", left=left, right=right):
                if self.has_variable(right):
                    raise LowerError("check.division-by-variable", "division by an expression with variables")
                divisor = self.affine(right, scope)
                inv = constant(divisor.axes, self._inverse(divisor, right, scope))
                quotient = scale(self.affine(left, scope, sign * _sign_of(inv)), inv, self.b.ax)
                return self._finite(quotient, node, scope)
            case Sum(body=body, bindings=bindings, cond=cond):
                inner, axes = self.bind_all(bindings, scope)
                mask = self.condition(cond, inner) if cond is not None else None
                mask = self.within_domains(body, bindings, inner, mask)
                with self.filtered(mask):
                    terms = self.affine(body, inner, sign)
                return self._finite(reduce(terms, axes, mask, self.b.ax), node, scope)
            case Call(func=func, args=args) if func in ARITH_FUNCS:
                parts = [self.affine(a, scope, 0 if func == "abs" else sign) for a in args]
                return self.canon(func, parts, sign, self.where)
            case Call(func="norm2"):
                from nl2opt.lower.quadratic import norm2  # the cone canon builds on this evaluator

                return norm2(self, node, scope, sign)
        raise LowerError(
            "parse.not-a-constraint" if isinstance(node, Compare | Call) else "parse.unsupported",
            f"{type(node).__name__} cannot be used as a number here",
        )

    def _inverse(self, divisor: Affine, node: Node, scope: Scope) -> np.ndarray:
        """1 / divisor per cell; zeros only where no filter in force keeps the cell (made NaN, dropped later)."""
        values = np.asarray(divisor.const, dtype=float)
        zero = values == 0
        if not zero.any():
            return 1.0 / values
        hit = self.kept(zero, divisor.axes)
        if hit.any() and self._filter_depth == 0:
            target = union(divisor.axes, *(m.axes for m in self.masks))
            at = _describe(node, target, int(np.flatnonzero(hit)[0]), scope, self.b)
            raise LowerError(
                "check.division-by-zero",
                f"division by zero: {at} is 0",
                "Skip those members with a filter (e.g. 'if p[i] > 0' inside sum, or 'where') or fix the data.",
            )
        return np.where(zero, np.nan, 1.0 / np.where(zero, 1.0, values))

    def _finite(self, e: Affine, node: Node, scope: Scope) -> Affine:
        """``e``, unless arithmetic overflowed to infinity in a cell the filters keep (then an error).

        Missing values are NaN and travel on (a filter may drop them); infinity only comes
        from overflow, as parameters and literals are finite.
        """
        const = np.asarray(e.const)
        bad_coef = np.isinf(e.coef)
        if self._filter_depth or not (np.isinf(const).any() or bad_coef.any()):
            return e
        flags = np.isinf(np.broadcast_to(const, self.b.ax.shape(e.axes))).reshape(-1)
        flags[e.cell[bad_coef]] = True
        hit = self.kept(flags.reshape(self.b.ax.shape(e.axes)), e.axes)
        if hit.any():
            target = union(e.axes, *(m.axes for m in self.masks))
            at = _describe(node, target, int(np.flatnonzero(hit)[0]), scope, self.b)
            raise LowerError(
                "lower.non-finite",
                f"{at} overflows: a coefficient or constant is beyond the largest number (about 1.8e308)",
                "Rescale the data (e.g. thousands instead of units) so that numbers stay well below 1e15; "
                "solvers lose precision long before they overflow.",
            )
        return e

    def _note_broken(
        self, name: str, node: Node, axes: tuple[int, ...], bad: np.ndarray, scope: Scope
    ) -> None:
        """Remember the first reference outside its sets (or to a missing value) in a kept cell."""
        if self._filter_depth or self.broken or not bad.any():
            return
        hit = self.kept(bad, axes)
        if hit.any():
            target = union(axes, *(m.axes for m in self.masks))
            self.broken.append(_describe(node, target, int(np.flatnonzero(hit)[0]), scope, self.b))

    def bind_all(self, bindings, scope: Scope) -> tuple[Scope, tuple[int, ...]]:
        axes = []
        for binding in bindings:
            scope, axis = scope.bind(self.b, self.symbols, binding.names, binding.set)
            axes.append(axis)
        return scope, tuple(axes)

    def has_variable(self, node: Node) -> bool:
        for n in walk(node):
            if isinstance(n, Name | Subscript):
                name = n.id if isinstance(n, Name) else n.name
                if name in self.symbols.vars:
                    return True
        return False

    def _reference(self, name: str, indices: tuple[Node, ...], node: Node, scope: Scope) -> Affine:
        sym = self.symbols
        if name in sym.vars:
            info = sym.vars[name]
            axes, flat = self._flat_positions(name, info.index, indices, scope)
            ncell = self.b.ax.count(axes)
            if info.inside is not None:
                return self._sparse_variable(info, node, axes, flat, scope)
            if flat is None:
                col = np.arange(info.offset, info.offset + ncell, dtype=np.int64)
            else:
                col = (flat + info.offset).reshape(-1)
                if (flat < 0).any():
                    col[flat.reshape(-1) < 0] = -1
                    self._note_broken(name, node, axes, flat < 0, scope)
            return Affine(
                axes, np.zeros(self.b.ax.shape(axes)), np.arange(ncell, dtype=np.int64), col, np.ones(ncell)
            )
        if name in sym.params:
            p = sym.params[name]
            axes, flat = self._flat_positions(name, p.index, indices, scope)
            if flat is None and p.inside is not None:
                self._outside(name, node, axes, ~p.inside, scope)
            if flat is None:  # the indices run over the table's own sets in order: no gather needed
                view = p.values.view()
                view.flags.writeable = False
                return constant(axes, view)
            if p.inside is not None:
                self._outside(name, node, axes, _outside_cells(p.inside, flat), scope)
            values = p.values.reshape(-1)
            out = np.where(flat >= 0, values[np.maximum(flat, 0)] if values.size else np.nan, np.nan)
            self._note_broken(name, node, axes, np.isnan(out), scope)
            return constant(axes, out)
        if name in sym.sets:
            raise LowerError("check.undefined-name", f"the set {name} is used as a number")
        raise LowerError("check.undefined-name", f"unknown name {name}")

    def _sparse_variable(
        self, info: VarInfo, node: Node, axes: tuple[int, ...], flat: np.ndarray | None, scope: Scope
    ) -> Affine:
        """Columns of a variable declared on a sparse domain: none exists outside it (an error there)."""
        shape = self.b.ax.shape(axes)
        flat = np.arange(math.prod(shape), dtype=np.int64).reshape(shape) if flat is None else flat
        self._outside(info.name, node, axes, _outside_cells(info.inside, flat), scope)
        self._note_broken(info.name, node, axes, flat < 0, scope)
        rel = info.column_of[np.maximum(flat, 0)]  # type: ignore[index]
        col = np.where((flat >= 0) & (rel >= 0), rel + info.offset, -1).reshape(-1)
        ncell = col.size
        return Affine(axes, np.zeros(shape), np.arange(ncell, dtype=np.int64), col, np.ones(ncell))

    def _outside(
        self, name: str, node: Node, axes: tuple[int, ...], outside: np.ndarray, scope: Scope
    ) -> None:
        """A reference to a cell outside a sparse domain that no filter or sum skips is an error."""
        if self._filter_depth or not outside.any():
            return
        hit = self.kept(outside, axes)
        if not hit.any():
            return
        target = union(axes, *(m.axes for m in self.masks))
        at = _describe(node, target, int(np.flatnonzero(hit)[0]), scope, self.b)
        item = self.symbols.vars[name].spec if name in self.symbols.vars else self.symbols.params[name].spec
        raise LowerError(
            "check.outside-domain",
            f"{at} is outside the domain of {item.name} (over {', '.join(item.over or [])} where "
            f"{item.where}): that cell does not exist",
            f"Skip it with the same filter where it is used ('where' on the constraint, or 'if' inside "
            f"the sum, e.g. 'if {item.where}' with the names used there), or widen the 'where' of {name}.",
        )

    def within_domains(
        self, body: Node, bindings: Sequence[Binding], scope: Scope, mask: Arr | None
    ) -> Arr | None:
        """``mask`` narrowed to the sum's cells where every sparse reference using its indices exists.

        Only references whose indices use at least one name the sum binds are skipped (others
        stay errors); names bound by a sum nested in the body are that sum's concern.
        """
        own = {n for bd in bindings for n in bd.names}
        nested = {n for x in walk(body) if isinstance(x, Sum | ListOf) for bd in x.bindings for n in bd.names}
        parts = [] if mask is None else [mask]
        for ref in _sparse_references(body, self.symbols):
            names = {n.id for i in ref.indices for n in walk(i) if isinstance(n, Name)}
            if not names & own or names & nested:
                continue
            table = self.symbols.vars.get(ref.name) or self.symbols.params[ref.name]
            try:
                axes, flat = self._flat_positions(ref.name, table.index, ref.indices, scope)
            except LowerError:
                continue  # reported where the reference is evaluated
            if flat is None:
                parts.append(Arr(axes, np.asarray(table.inside, dtype=bool)))
            else:
                parts.append(Arr(axes, ~_outside_cells(table.inside, flat)))
        if len(parts) <= (0 if mask is None else 1):
            return mask
        axes = union(*(p.axes for p in parts))
        out = np.ones(self.b.ax.shape(axes), dtype=bool)
        for p in parts:
            out &= spread(p.values.astype(bool), p.axes, axes, self.b.ax)
        return Arr(axes, out)

    def _flat_positions(
        self, name: str, index_sets: tuple[str, ...], indices: tuple[Node, ...], scope: Scope
    ) -> tuple[tuple[int, ...], np.ndarray | None]:
        """Flat position in the referenced table for every cell, -1 where outside its sets.

        None stands for the identity (cell k is entry k), the common case worth not materialising.
        """
        sets = [self.symbols.sets[s] for s in index_sets]
        groups = self._group(name, sets, indices, scope)
        positions = [self._positions(s, g, scope) for s, g in zip(sets, groups, strict=True)]
        axes = union(*(p.axes for p in positions))
        if not sets:
            return (), np.zeros((), dtype=np.int64)
        if all(p.identity for p in positions) and axes == tuple(p.axes[0] for p in positions):
            return axes, None
        strides = np.cumprod([1, *(s.size for s in sets[::-1])])[-2::-1]
        flat = np.zeros(self.b.ax.shape(axes), dtype=np.int64)
        broken = False
        for p, stride in zip(positions, strides, strict=True):
            broken = broken or bool((p.values < 0).any())
            flat = flat + spread(p.values * int(stride), p.axes, axes, self.b.ax)
        if broken:
            bad = np.zeros(self.b.ax.shape(axes), dtype=bool)
            for p in positions:
                bad = bad | spread(p.values < 0, p.axes, axes, self.b.ax)
            flat = np.where(bad, -1, flat)
        return axes, flat

    def _group(
        self, name: str, sets: list[SetInfo], indices: tuple[Node, ...], scope: Scope
    ) -> list[list[Node]]:
        groups, k = [], 0
        for s in sets:
            node = indices[k] if k < len(indices) else None
            whole = isinstance(node, Name) and node.id in scope.names and scope.names[node.id][1] is None
            take = 1 if s.width == 1 or whole else s.width
            groups.append(list(indices[k : k + take]))
            k += take
        if k != len(indices) or any(not g for g in groups):
            width = sum(s.width for s in sets)
            raise LowerError("check.index-arity", f"{name} takes {width} indices, got {len(indices)}")
        return groups

    def _positions(self, s: SetInfo, nodes: list[Node], scope: Scope) -> Arr:
        """Positions in set ``s`` of the member the index nodes denote, per cell."""
        ax = self.b.ax
        shift = shift_of(nodes[0]) if len(nodes) == 1 else None
        if shift is not None:
            # prev(t)/next(t): one step in s's order; -1 (no member) past an end unless cyclic.
            name, step, cyclic = shift
            base = self._positions(s, [Name(name, pos=nodes[0].pos)], scope)
            at = np.asarray(base.values, dtype=np.int64)
            moved = at + step
            if cyclic:
                moved = np.mod(moved, max(s.size, 1))
            moved = np.where((at < 0) | (moved < 0) | (moved >= s.size), -1, moved)
            return Arr(base.axes, moved)
        origins = [scope.names.get(n.id) if isinstance(n, Name) else None for n in nodes]
        if all(o is not None for o in origins):
            axis_ids = {o[0] for o in origins}  # type: ignore[index]
            if len(axis_ids) == 1:
                axis = axis_ids.pop()
                comps = [o[1] for o in origins]  # type: ignore[index]
                same = ax.sets[axis].name == s.name
                if same and (comps == [None] or comps == list(range(s.width))):
                    return Arr((axis,), np.arange(s.size, dtype=np.int64), identity=True)
        vals = [self.index(n, scope) for n in nodes]
        axes = union(*(v.axes for v in vals))
        full = [np.asarray(spread(v.values, v.axes, axes, ax)).reshape(-1) for v in vals]
        lookup = s.position
        if len(full) == 1:
            keys = full[0].tolist()
        else:
            keys = list(zip(*(f.tolist() for f in full), strict=True))
        pos = np.fromiter((lookup.get(_key(k), -1) for k in keys), dtype=np.int64, count=len(keys))
        return Arr(axes, pos.reshape(ax.shape(axes)))

    def index(self, node: Node, scope: Scope) -> Arr:
        """Value of an index expression: a bound name, a literal, or integer arithmetic on them."""
        match node:
            case Name(id=name) if name in scope.names:
                axis, comp = scope.names[name]
                s = self.b.ax.sets[axis]
                values = s.member_array if comp is None else s.component_array(comp)
                return Arr((axis,), values, (axis, comp))
            case Str(value=v):
                return Arr((), _scalar_array(v))
            case Num(value=v):
                return Arr((), _scalar_array(int(v) if float(v).is_integer() else v))
            case BinOp(op="+" | "-" as op, left=left, right=right):
                a, b = self.index(left, scope), self.index(right, scope)
                axes = union(a.axes, b.axes)
                av = np.asarray(spread(a.values, a.axes, axes, self.b.ax))
                bv = np.asarray(spread(b.values, b.axes, axes, self.b.ax))
                if av.dtype == object or bv.dtype == object:
                    raise LowerError("check.index-set-mismatch", "index arithmetic needs integer set members")
                return Arr(axes, av + bv if op == "+" else av - bv)
            case Neg(operand=a):
                v = self.index(a, scope)
                return Arr(v.axes, -v.values)
            case Name(id=name) if name in self.symbols.params and not self.symbols.params[name].index:
                value = float(self.symbols.params[name].values)
                return Arr((), _scalar_array(int(value) if value.is_integer() else value))
        raise LowerError("parse.unsupported", f"{type(node).__name__} cannot be used as an index")

    def _index_as_number(self, v: Arr) -> Affine:
        if v.values.dtype == object:
            raise LowerError("check.index-set-mismatch", "a non-numeric set member is used as a number")
        return constant(v.axes, v.values.astype(float))

    # -- filters -------------------------------------------------------------------------
    def condition(self, node: Node, scope: Scope) -> Arr:
        """A boolean mask over the cells where a filter holds."""
        ax = self.b.ax
        match node:
            case BoolOp(op=op, values=values):
                parts = [self.condition(v, scope) for v in values]
                axes = union(*(p.axes for p in parts))
                arrays = [np.asarray(spread(p.values, p.axes, axes, ax)) for p in parts]
                fn = np.logical_and if op == "and" else np.logical_or
                out = arrays[0]
                for a in arrays[1:]:
                    out = fn(out, a)
                return Arr(axes, np.asarray(out, dtype=bool))
            case Not(operand=a):
                m = self.condition(a, scope)
                return Arr(m.axes, ~m.values.astype(bool))
            case Compare(ops=ops, operands=operands):
                vals = [self.filter_value(o, scope) for o in operands]
                axes = union(*(v.axes for v in vals))
                arrays = [np.asarray(spread(v.values, v.axes, axes, ax)) for v in vals]
                out = np.ones(ax.shape(axes), dtype=bool)
                for op, a, b in zip(ops, arrays, arrays[1:], strict=False):
                    try:
                        out &= np.asarray(_CMP[op](a, b), dtype=bool)
                    except TypeError:
                        raise LowerError(
                            "check.index-set-mismatch",
                            f"cannot compare {a.dtype} and {b.dtype} values with {op}",
                        ) from None
                return Arr(axes, out)
        raise LowerError(
            "check.filter-has-variable", "a filter must be a comparison of indices or parameters"
        )

    def filter_value(self, node: Node, scope: Scope) -> Arr:
        try:
            return self.index(node, scope)
        except LowerError:
            pass
        if self.has_variable(node):
            raise LowerError("check.filter-has-variable", "a filter mentions a decision variable")
        self._filter_depth += 1  # a filter may read outside a table: that cell compares false
        try:
            e = self.affine(node, scope)
        finally:
            self._filter_depth -= 1
        return Arr(e.axes, e.const)


def _outside_cells(inside: np.ndarray | None, flat: np.ndarray) -> np.ndarray:
    """Cells whose reference lands in the table but outside its domain (not those outside its sets)."""
    assert inside is not None
    dense = inside.reshape(-1)
    return (flat >= 0) & ~dense[np.maximum(flat, 0)] if dense.size else np.zeros(flat.shape, dtype=bool)


def _sparse_references(node: Node, symbols: Symbols) -> Iterator[Subscript]:
    """References in ``node`` to variables or parameters declared on a sparse domain."""
    for n in walk(node):
        if isinstance(n, Subscript):
            table = symbols.vars.get(n.name) or symbols.params.get(n.name)
            if table is not None and table.inside is not None:
                yield n


def _describe(node: Node, axes: tuple[int, ...], cell: int, scope: Scope, b: Builder) -> str:
    """``x[t + 1] with t = 2``: the reference and the bound indices of one cell."""
    coords = np.unravel_index(cell, b.ax.shape(axes)) if axes else ()
    parts = []
    for name, (axis, comp) in scope.names.items():
        if axis in axes:
            member = b.ax.sets[axis].members[int(coords[axes.index(axis)])]
            value = member[comp] if comp is not None and isinstance(member, tuple) else member
            parts.append(f"{name} = {value!r}")
    if isinstance(node, Subscript):
        text = f"{node.name}[{', '.join(_text(i) for i in node.indices)}]"
    else:
        text = _text(node)
    return text + (f" with {', '.join(parts)}" if parts else "")


def _text(node: Node) -> str:
    try:
        text = to_text(node)
    except (TypeError, RecursionError):
        return type(node).__name__
    return text[1:-1] if isinstance(node, BinOp) and text.startswith("(") and text.endswith(")") else text


def _key(k: object) -> object:
    if isinstance(k, float) and k.is_integer():
        return int(k)
    return k


def _scalar_array(v: object) -> np.ndarray:
    if isinstance(v, int) and abs(v) < 2**63:
        return np.asarray(v, dtype=np.int64)
    arr = np.empty((), dtype=object)
    arr[()] = v
    return arr


def _sign_of(factor: Affine) -> int:
    c = factor.const
    if np.all(c >= 0):
        return 1
    if np.all(c <= 0):
        return -1
    return 0
