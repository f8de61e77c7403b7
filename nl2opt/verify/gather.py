"""Whole sums at once: numpy over the grid of a sum's bindings, for the verifier's evaluator.

``sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)`` is, term by term,
a product of two table look-ups. :class:`SumPlan` computes every term at once: it maps
the members each index takes to positions in the index sets (the evaluator's own
reading of the spec, with the same ``position`` dicts), gathers the tables with numpy
and adds the terms with :func:`math.fsum`, so the result is bit for bit the one the
term-by-term walk gives. It is the verifier's code, not the compiler's: nothing here
knows about :mod:`nl2opt.lower` or the LinearProgram.

A plan never raises and never guesses: whenever a term could fail or differ (a member
outside its set, a missing value, a division by zero, a non-finite term, a filter that
raises), :meth:`SumPlan.run` returns None and the caller walks the sum term by term,
which reports exactly what the naive walk would.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

__all__ = [
    "MAX_CELLS",
    "MIN_CELLS",
    "Axis",
    "IndexSpec",
    "SumPlan",
    "VCond",
    "VNode",
    "VSum",
    "over_grid",
    "over_rows",
]

MIN_CELLS = 48
"""Sums over fewer terms are walked term by term: below this numpy's fixed costs dominate."""

MAX_CELLS = 1 << 24
"""Sums over more terms are walked term by term, to bound the memory of one gather (128 MB a float array)."""

Bound = dict[str, object]


class _Abort(Exception):
    """The plan cannot vouch for this evaluation; the caller walks the sum term by term."""


_ERR = object()
"""An index value that could not be computed for one member."""


class _SetLike(Protocol):
    width: int

    @property
    def position(self) -> Mapping[object, int]: ...


class _TableLike(Protocol):
    sets: tuple[_SetLike, ...]
    array: np.ndarray | None


@dataclass(frozen=True)
class Axis:
    """One binding of the sum: the names it binds and the members it runs over."""

    names: tuple[str, ...]
    members: list[object]

    def bind(self, b: Bound, member: object) -> None:
        names = self.names
        if len(names) == 1:
            b[names[0]] = member
        elif isinstance(member, tuple) and len(member) == len(names):
            b.update(zip(names, member, strict=True))
        else:
            raise _Abort


@dataclass
class _Run:
    """One evaluation of a plan: the outer bindings and the grid's shape."""

    plan: SumPlan
    b: Bound
    invalid: np.ndarray | None = None
    """Cells whose terms refer to a member outside its set (to be checked against the filter)."""
    slack: np.ndarray | float = 0.0
    """A bound on how far inner sums (:class:`VSum`) added in floating point may be from exact."""

    def shape_of(self, k: int) -> tuple[int, ...]:
        shape = [1] * len(self.plan.axes)
        shape[k] = len(self.plan.axes[k].members)
        return tuple(shape)

    def flag(self, bad: np.ndarray) -> None:
        self.invalid = bad if self.invalid is None else (self.invalid | bad)


class VNode:
    """A vectorisable body: evaluates to a float or an array broadcastable to the grid."""

    def eval(self, run: _Run) -> np.ndarray | float:
        raise NotImplementedError


@dataclass(eq=False)
class VConst(VNode):
    """A part of the body that does not depend on the sum's names: evaluated once."""

    fn: Callable[[Bound], float]

    def eval(self, run: _Run) -> float:
        try:
            return self.fn(run.b)
        except Exception:  # the term-by-term walk reports it
            raise _Abort from None


@dataclass(eq=False)
class VAxisNum(VNode):
    """A name bound by the sum, used as a number (``t * stock[t]``)."""

    k: int
    name: str
    _cache: list[np.ndarray | None] = field(default_factory=list)

    def eval(self, run: _Run) -> np.ndarray:
        if not self._cache:
            self._cache.append(self._numbers(run))
        arr = self._cache[0]
        if arr is None:
            raise _Abort
        return arr

    def _numbers(self, run: _Run) -> np.ndarray | None:
        axis = run.plan.axes[self.k]
        tmp: Bound = {}
        out = []
        for m in axis.members:
            try:
                axis.bind(tmp, m)
            except _Abort:
                return None
            v = tmp[self.name]
            if not isinstance(v, int | float) or isinstance(v, bool):
                return None
            out.append(float(v))
        return np.asarray(out, dtype=float).reshape(run.shape_of(self.k))


@dataclass(eq=False)
class IndexSpec:
    """One index of a look-up: constant for the sum (``k is None``) or a function of axis ``k``."""

    fn: Callable[[Bound], object]
    k: int | None
    name: str | None = None
    """The axis's own name when the index is just that name (``ship[i, j]`` over ``i``, ``j``)."""
    _values: list[list[object]] = field(default_factory=list)
    _arities: list[set[int]] = field(default_factory=list)

    def arities(self, run: _Run) -> set[int]:
        """How many atoms the index gives, over the members where it can be computed."""
        if not self._arities:
            self._arities.append({_arity(v) for v in self.values(run) if v is not _ERR})
        return self._arities[0]

    def values(self, run: _Run) -> list[object]:
        """The index's value for each member of its axis (``_ERR`` where it cannot be computed)."""
        if not self._values:
            assert self.k is not None
            axis = run.plan.axes[self.k]
            if axis.names == (self.name,):  # the index is the member itself
                self._values.append(axis.members)
                return axis.members
            tmp: Bound = {}
            out: list[object] = []
            for m in axis.members:
                try:
                    axis.bind(tmp, m)
                    out.append(self.fn(tmp))
                except Exception:  # the term-by-term walk reports it
                    out.append(_ERR)
            self._values.append(out)
        return self._values[0]


def _arity(value: object) -> int:
    return len(value) if isinstance(value, tuple) else 1


def _atoms(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else (value,)


@dataclass(eq=False)
class VTable(VNode):
    """A parameter or variable looked up at the sum's indices: one numpy gather."""

    table: _TableLike
    specs: tuple[IndexSpec, ...]
    _positions: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray | None]] = field(default_factory=dict)

    def eval(self, run: _Run) -> np.ndarray | float:
        arr = self.table.array
        if arr is None:
            raise _Abort
        consts: list[object] = []
        arities: list[int] = []
        for spec in self.specs:
            if spec.k is None:
                try:
                    value = spec.fn(run.b)
                except Exception:  # the term-by-term walk reports it
                    raise _Abort from None
                consts.append(value)
                arities.append(_arity(value))
            else:
                found = spec.arities(run)
                if len(found) != 1:
                    raise _Abort
                consts.append(None)
                arities.append(next(iter(found)))
        index: list[object] = []
        i = 0
        for slot, s in enumerate(self.table.sets):
            need, group = s.width, []
            while need > 0:
                if i >= len(self.specs) or arities[i] > need:
                    raise _Abort
                group.append(i)
                need -= arities[i]
                i += 1
            index.append(self._slot(run, slot, s, group, consts))
        if i != len(self.specs):
            raise _Abort
        return arr[tuple(index)]

    def _slot(
        self, run: _Run, slot: int, s: _SetLike, group: list[int], consts: list[object]
    ) -> int | np.ndarray:
        axes = {self.specs[g].k for g in group} - {None}
        if not axes:
            atoms = [a for g in group for a in _atoms(consts[g])]
            at = _position(s, atoms)
            if at < 0:
                raise _Abort
            return at
        if len(axes) > 1:
            raise _Abort
        (k,) = axes
        cacheable = all(self.specs[g].k is not None for g in group)
        key = (slot, *group)
        hit = self._positions.get(key) if cacheable else None
        axis = run.plan.axes[k]
        if hit is None and len(group) == 1 and _same_set(self.specs[group[0]], axis, s):
            hit = (np.arange(len(axis.members)).reshape(run.shape_of(k)), None)
            self._positions[key] = hit
        if hit is None:
            columns = [self.specs[g].values(run) if self.specs[g].k is not None else None for g in group]
            positions = []
            for m in range(len(run.plan.axes[k].members)):
                atoms: list[object] = []
                for g, col in zip(group, columns, strict=True):
                    value = consts[g] if col is None else col[m]
                    if value is _ERR:
                        atoms = []
                        break
                    atoms.extend(_atoms(value))
                positions.append(_position(s, atoms) if atoms else -1)
            pos = np.asarray(positions, dtype=np.intp).reshape(run.shape_of(k))
            bad = pos < 0
            hit = (np.where(bad, 0, pos), bad) if bad.any() else (pos, None)
            if cacheable:
                self._positions[key] = hit
        pos, bad = hit
        if bad is not None:
            run.flag(bad)
        return pos


def _same_set(spec: IndexSpec, axis: Axis, s: _SetLike) -> bool:
    """Whether the index is the axis's own name over the very members of the table's set: its
    positions are then 0, 1, 2 ... with no member to look up."""
    return (
        spec.name is not None and axis.names == (spec.name,) and getattr(s, "members", None) is axis.members
    )


def _position(s: _SetLike, atoms: list[object]) -> int:
    if len(atoms) != s.width or not atoms:
        return -1
    member = atoms[0] if s.width == 1 else tuple(atoms)
    try:
        at = s.position.get(member)
    except TypeError:
        return -1
    return -1 if at is None else at


@dataclass(eq=False)
class VNeg(VNode):
    a: VNode

    def eval(self, run: _Run) -> np.ndarray | float:
        return -self.a.eval(run)


@dataclass(eq=False)
class VAbs(VNode):
    a: VNode

    def eval(self, run: _Run) -> np.ndarray | float:
        return abs(self.a.eval(run))


@dataclass(eq=False)
class VMul(VNode):
    a: VNode
    c: VNode

    def eval(self, run: _Run) -> np.ndarray | float:
        return self.a.eval(run) * self.c.eval(run)


@dataclass(eq=False)
class VDiv(VNode):
    """``a / c``: a zero denominator in a cell the filter keeps sends the sum back to the walk."""

    a: VNode
    c: VNode

    def eval(self, run: _Run) -> np.ndarray | float:
        den = self.c.eval(run)
        zero = np.asarray(den) == 0
        if zero.any():
            run.flag(zero)  # the walk raises "divides by zero" in these cells, if the filter keeps them
        return np.true_divide(self.a.eval(run), den)


@dataclass(eq=False)
class VAdd(VNode):
    """``a + c`` or ``a - c``: two terms, whose exactly rounded sum is the IEEE one when finite."""

    sa: float
    a: VNode
    sc: float
    c: VNode

    def eval(self, run: _Run) -> np.ndarray | float:
        return np.add(self.sa * self.a.eval(run), self.sc * self.c.eval(run))


@dataclass(eq=False)
class VSum(VNode):
    """A sum inside a row (``sum(ship[i, j] for j in Markets) <= supply[i]``) over extra grid axes.

    Added by numpy in floating point, not exactly: it serves only to find the rows that may fail,
    so it adds to ``run.slack`` a bound on its rounding error (n terms: n * eps * sum of |term|,
    above the pairwise sum's bound), and the caller widens its test by that much. The bound holds
    only where the error passes through unscaled (added, negated, inside abs), so the compiler
    never puts a VSum under a product or a quotient. Cells the
    filter drops count as zero and flag nothing, as the walk never evaluates them.
    """

    body: VNode
    axes: tuple[int, ...]
    cond: VCond | None = None

    def eval(self, run: _Run) -> np.ndarray:
        saved, run.invalid = run.invalid, None
        shape = [1] * len(run.plan.axes)
        for k in self.axes:
            shape[k] = len(run.plan.axes[k].members)
        terms = np.asarray(self.body.eval(run), dtype=float)
        bad = run.invalid
        if self.cond is not None:
            keep = np.asarray(self.cond.eval(run), dtype=bool)
            terms = np.where(keep, terms, 0.0)
            bad = None if bad is None else bad & keep
        full = np.broadcast_shapes(terms.shape, tuple(shape))
        terms = np.broadcast_to(terms, full)
        run.invalid = saved
        if bad is not None:
            run.flag(np.broadcast_to(bad, full).any(axis=self.axes, keepdims=True))
        n = math.prod(shape[k] for k in self.axes)
        run.slack = run.slack + n * 2.0**-52 * np.abs(terms).sum(axis=self.axes, keepdims=True)
        return terms.sum(axis=self.axes, keepdims=True)


_CHUNK = 1 << 16


def _fsum(terms: np.ndarray) -> float:
    """:func:`math.fsum` of an array (exact, so order-free), converting a chunk at a time to bound memory."""
    if terms.size <= _CHUNK:
        return math.fsum(terms.tolist())
    chunks = (terms[k : k + _CHUNK].tolist() for k in range(0, terms.size, _CHUNK))
    return math.fsum(itertools.chain.from_iterable(chunks))


class VCond:
    """A vectorisable filter: evaluates to a boolean array broadcastable to the grid."""

    def eval(self, run: _Run) -> np.ndarray | bool:
        raise NotImplementedError


@dataclass(eq=False)
class VMember(VNode):
    """A name the sum binds, as the member (or component) it stands for: for filters such as ``i != j``."""

    k: int
    name: str
    _cache: list[np.ndarray | None] = field(default_factory=list)

    def eval(self, run: _Run) -> np.ndarray:
        if not self._cache:
            axis = run.plan.axes[self.k]
            tmp: Bound = {}
            values: list[object] = []
            try:
                for m in axis.members:
                    axis.bind(tmp, m)
                    values.append(tmp[self.name])
            except _Abort:
                self._cache.append(None)
            else:
                self._cache.append(_member_array(values).reshape(run.shape_of(self.k)))
        arr = self._cache[0]
        if arr is None:
            raise _Abort
        return arr


def _member_array(values: list[object]) -> np.ndarray:
    """Integers as int64 (fast comparisons), anything else as objects (Python's own comparisons)."""
    if values and all(type(v) is int and abs(v) < 1 << 53 for v in values):
        return np.asarray(values, dtype=np.int64)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


_NUMPY_OPS: dict[str, Callable[[object, object], object]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<=": np.less_equal,
    ">=": np.greater_equal,
    "<": np.less,
    ">": np.greater,
}


@dataclass(eq=False)
class VCompare(VCond):
    """``a op c`` over the grid, exactly as the walk compares each pair (Python semantics for members)."""

    op: str
    a: VNode
    c: VNode

    def eval(self, run: _Run) -> np.ndarray | bool:
        a, c = _operand(self.a, run), _operand(self.c, run)
        kinds = {_kind(a), _kind(c)}
        if "other" in kinds:
            raise _Abort
        if kinds == {"number", "text"}:  # never equal, and not ordered: the walk raises on < and >
            if self.op in ("==", "!="):
                return self.op == "!="
            raise _Abort
        try:
            out = _NUMPY_OPS[self.op](a, c)
        except TypeError:  # e.g. ordering a string and a number: the walk reports it
            raise _Abort from None
        return np.asarray(out, dtype=bool) if np.ndim(out) else bool(out)


def _operand(node: VNode, run: _Run) -> object:
    value = node.eval(run)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and np.isnan(value).any():
        raise _Abort  # a missing value: the walk raises "has no value"
    return value


def _kind(value: object) -> str:
    """ "number", "text", "mixed" (objects: compared one by one in Python) or "other"."""
    if isinstance(value, np.ndarray):
        return "number" if value.dtype.kind in "if" else "mixed" if value.dtype == object else "other"
    if isinstance(value, bool):
        return "other"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    return "mixed" if isinstance(value, tuple) else "other"


@dataclass(eq=False)
class VBool(VCond):
    op: str
    """``and`` or ``or``."""
    parts: tuple[VCond, ...]

    def eval(self, run: _Run) -> np.ndarray | bool:
        fn = np.logical_and if self.op == "and" else np.logical_or
        out = self.parts[0].eval(run)
        for part in self.parts[1:]:
            out = fn(out, part.eval(run))
        return out


@dataclass(eq=False)
class VNot(VCond):
    part: VCond

    def eval(self, run: _Run) -> np.ndarray | bool:
        return np.logical_not(self.part.eval(run))


MASKS_KEPT = 64
"""Filter masks remembered per plan (one per combination of the outer indices the filter reads)."""


def _typed(value: object) -> object:
    """A dict key that tells ``1``, ``1.0`` and ``True`` apart, as the filter's comparisons do."""
    if isinstance(value, tuple):
        return (tuple, *(_typed(v) for v in value))
    return (type(value), value)


@dataclass(eq=False)
class SumPlan:
    """``sum(body for <axes> if cond)`` evaluated over the whole grid at once.

    ``outer`` lists the names the filter reads that the sum does not bind: the filter's
    mask depends on nothing else (tables and values are fixed), so it is computed once
    per combination of their values, the second time that combination is met (the first
    time, and whenever a filter may vary freely, walking the sum is cheaper).
    """

    axes: tuple[Axis, ...]
    body: VNode
    cond: Callable[[Bound, float], bool] | None
    outer: tuple[str, ...] = ()
    vcond: VCond | None = None
    """The filter over the whole grid in numpy, when it can be written so (else the walk's filter)."""
    _masks: dict[object, np.ndarray | None] = field(default_factory=dict)

    def run(self, b: Bound) -> float | None:
        """The sum, exactly as the term-by-term walk computes it; None when only the walk can say."""
        mask = None
        if self.cond is not None:
            mask = self._mask(b)
            if mask is None:
                return None
            if not mask.any():
                return 0.0
        shape = tuple(len(a.members) for a in self.axes)
        try:
            run = _Run(self, b)
            with np.errstate(all="ignore"):
                value = np.asarray(self.body.eval(run), dtype=float)
            terms = value.reshape(-1) if value.shape == shape else np.broadcast_to(value, shape).reshape(-1)
            bad = None if run.invalid is None else np.broadcast_to(run.invalid, shape).reshape(-1)
        except Exception:  # _Abort, or anything unforeseen: the walk decides
            return None
        if mask is not None:
            terms = terms[mask]
            bad = None if bad is None else bad[mask]
        if (bad is not None and bad.any()) or not np.isfinite(terms).all():
            return None
        return _fsum(terms)

    def _mask(self, b: Bound) -> np.ndarray | None:
        """The filter over the grid, flattened; None to walk the sum instead."""
        key = tuple(_typed(b.get(n, _ERR)) for n in self.outer)
        try:
            mask = self._masks.get(key, _ERR)
        except TypeError:  # an unhashable member: never remembered
            return None
        if mask is _ERR and self.vcond is not None:
            mask = self._vector_mask(b)
            if len(self._masks) < MASKS_KEPT:
                self._masks[key] = mask
            if mask is not None:
                return mask
        if mask is _ERR:
            if len(self._masks) < MASKS_KEPT:
                self._masks[key] = None
            return None
        if mask is None:
            mask = self._masks[key] = self._compute_mask(b)
        return mask if mask.size else None

    def _vector_mask(self, b: Bound) -> np.ndarray | None:
        """The filter at every cell in numpy; None when only the walk can say (it then decides)."""
        assert self.vcond is not None
        shape = tuple(len(a.members) for a in self.axes)
        run = _Run(self, b)
        try:
            with np.errstate(all="ignore"):
                value = self.vcond.eval(run)
        except Exception:  # _Abort, or anything unforeseen: the walk decides
            return None
        if run.invalid is not None:  # a look-up outside a table: the walk raises there
            return None
        return np.broadcast_to(np.asarray(value, dtype=bool), shape).reshape(-1)

    def _compute_mask(self, b: Bound) -> np.ndarray:
        """The filter at every cell; an empty array if it raises anywhere (the walk reports it)."""
        cond = self.cond
        assert cond is not None
        names = {n for a in self.axes for n in a.names}
        saved = [(n, b.get(n, _ERR)) for n in names]
        flags: list[bool] = []
        try:
            if len(self.axes) == 1 and len(self.axes[0].names) == 1:
                (name,) = self.axes[0].names
                for member in self.axes[0].members:
                    b[name] = member
                    flags.append(bool(cond(b, 0.0)))
            else:
                for combo in itertools.product(*(a.members for a in self.axes)):
                    for axis, member in zip(self.axes, combo, strict=True):
                        axis.bind(b, member)
                    flags.append(bool(cond(b, 0.0)))
        except Exception:  # the walk reports it
            return np.zeros(0, dtype=bool)
        finally:
            for n, v in saved:
                if v is _ERR:
                    b.pop(n, None)
                else:
                    b[n] = v
        return np.asarray(flags, dtype=bool)


def over_grid(
    axes: tuple[Axis, ...], nodes: list[VNode], cond: VCond | None, b: Bound
) -> tuple[list[np.ndarray], np.ndarray | None, np.ndarray | None] | None:
    """Every node (and the filter) at every cell of the grid of ``axes``, flattened in row order.

    Returns the values, the filter's mask (None without one) and the cells where a look-up
    fell outside its table (None when none did); None when only a walk can say.
    """
    found = _over(axes, nodes, cond, b, len(axes))
    return None if found is None else found[:3]


def over_rows(
    axes: tuple[Axis, ...], rows: int, nodes: list[VNode], cond: VCond | None, b: Bound
) -> tuple[list[np.ndarray], np.ndarray | None, np.ndarray | None, np.ndarray] | None:
    """Like :func:`over_grid` with inner sums on the axes after ``rows``, plus each row's slack:
    how far the values may be from exact because :class:`VSum` adds in floating point."""
    return _over(axes, nodes, cond, b, rows)


def _over(
    axes: tuple[Axis, ...], nodes: list[VNode], cond: VCond | None, b: Bound, rows: int
) -> tuple[list[np.ndarray], np.ndarray | None, np.ndarray | None, np.ndarray] | None:
    shape = tuple(len(a.members) if k < rows else 1 for k, a in enumerate(axes))
    plan = SumPlan(axes, VConst(lambda _: 0.0), None)
    run = _Run(plan, b)
    try:
        with np.errstate(all="ignore"):
            values = [np.broadcast_to(np.asarray(n.eval(run), dtype=float), shape).reshape(-1) for n in nodes]
            mask = None
            if cond is not None:
                mask = np.broadcast_to(np.asarray(cond.eval(run), dtype=bool), shape).reshape(-1)
    except Exception:  # _Abort, or anything unforeseen: the walk decides
        return None
    invalid = None if run.invalid is None else np.broadcast_to(run.invalid, shape).reshape(-1)
    slack = np.broadcast_to(np.asarray(run.slack, dtype=float), shape).reshape(-1)
    return values, mask, invalid, slack
