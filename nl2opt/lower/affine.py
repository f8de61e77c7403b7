"""Affine expressions over index axes, stored as numpy arrays.

An :class:`Affine` is a table of linear expressions, one per *cell* of the product
of its axes (an axis is one binding such as ``i in Plants``). Terms are kept in
COO form (cell, column, coefficient) and the constant as a dense array, so that
``sum(cost[i, j] * ship[i, j] for i in P for j in M)`` over 250,000 cells is a
handful of numpy calls instead of a Python loop. Invalid references (a member
outside its set, a missing parameter value) are carried as column -1 / NaN and
only reported if they survive the filters, so ``inv[t - 1]`` guarded by
``t > 1`` is fine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from nl2opt.symbols import SetInfo


@dataclass
class AxisTable:
    """Every axis created while lowering one spec: which set it runs over."""

    sets: list[SetInfo] = field(default_factory=list)

    def new(self, s: SetInfo) -> int:
        self.sets.append(s)
        return len(self.sets) - 1

    def shape(self, axes: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(self.sets[a].size for a in axes)

    def count(self, axes: tuple[int, ...]) -> int:
        return math.prod(self.shape(axes))


@dataclass
class Arr:
    """A dense array over axes: index values, parameter values or masks."""

    axes: tuple[int, ...]
    values: np.ndarray
    origin: tuple[int, int | None] | None = None
    """For a bound index name: (axis, tuple component) it came from, enabling fast paths."""
    identity: bool = False
    """Positions 0..n-1 along the one axis: the index runs over the very set it indexes."""


@dataclass
class Affine:
    axes: tuple[int, ...]
    const: np.ndarray
    cell: np.ndarray
    col: np.ndarray
    coef: np.ndarray

    @property
    def has_terms(self) -> bool:
        return self.col.size > 0


_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=float)


def constant(axes: tuple[int, ...], values: np.ndarray | float) -> Affine:
    return Affine(axes, np.asarray(values, dtype=float), _EMPTY_I, _EMPTY_I, _EMPTY_F)


def union(*axes_lists: tuple[int, ...]) -> tuple[int, ...]:
    out: list[int] = []
    for axes in axes_lists:
        out.extend(a for a in axes if a not in out)
    return tuple(out)


def spread(values: np.ndarray, own: tuple[int, ...], target: tuple[int, ...], ax: AxisTable) -> np.ndarray:
    """Broadcast a dense array over ``own`` axes to ``target`` axes (a superset), as a view."""
    if own == target:
        return values
    order = sorted(range(len(own)), key=lambda k: target.index(own[k]))
    moved = np.transpose(values, order) if order != list(range(len(own))) else values
    shape = [ax.sets[a].size if a in own else 1 for a in target]
    return np.broadcast_to(moved.reshape(shape), ax.shape(target))


def expand(e: Affine, target: tuple[int, ...], ax: AxisTable) -> Affine:
    """Re-express ``e`` over ``target`` axes, replicating terms along axes it lacks."""
    if e.axes == target:
        return e
    const = np.array(spread(e.const, e.axes, target, ax))
    if not e.has_terms:
        return Affine(target, const, _EMPTY_I, _EMPTY_I, _EMPTY_F)
    new = tuple(a for a in target if a not in e.axes)
    n_new = ax.count(new)
    coords = np.unravel_index(e.cell, ax.shape(e.axes)) if e.axes else ()
    new_coords = np.unravel_index(np.arange(n_new), ax.shape(new)) if new else ()
    nterms = e.cell.size
    full = []
    for a in target:
        if a in e.axes:
            full.append(np.repeat(coords[e.axes.index(a)], n_new))
        else:
            full.append(np.tile(new_coords[new.index(a)], nterms))
    cell = np.ravel_multi_index(full, ax.shape(target)) if target else np.zeros(nterms * n_new, np.int64)
    return Affine(target, const, cell, np.repeat(e.col, n_new), np.repeat(e.coef, n_new))


def add(a: Affine, b: Affine, ax: AxisTable, sign: float = 1.0) -> Affine:
    target = union(a.axes, b.axes)
    a, b = expand(a, target, ax), expand(b, target, ax)
    coef_b = b.coef if sign == 1.0 else sign * b.coef
    return Affine(
        target,
        a.const + sign * b.const,
        np.concatenate([a.cell, b.cell]),
        np.concatenate([a.col, b.col]),
        np.concatenate([a.coef, coef_b]),
    )


def scale(e: Affine, factor: Affine, ax: AxisTable) -> Affine:
    """Multiply by a constant table (no terms)."""
    target = union(e.axes, factor.axes)
    e = expand(e, target, ax)
    f = np.array(spread(factor.const, factor.axes, target, ax))
    flat = f.reshape(-1)
    coef = e.coef * (flat[e.cell] if target else flat[0])
    return Affine(target, e.const * f, e.cell, e.col, coef)


def reduce(e: Affine, drop: tuple[int, ...], mask: Arr | None, ax: AxisTable) -> Affine:
    """Sum over ``drop`` axes, keeping only cells where ``mask`` holds."""
    target = union(e.axes, drop, mask.axes if mask is not None else ())
    e = expand(e, target, ax)
    const = e.const
    cell, col, coef = e.cell, e.col, e.coef
    if mask is not None:
        m = np.array(spread(mask.values.astype(bool), mask.axes, target, ax))
        const = np.where(m, const, 0.0)
        keep = m.reshape(-1)[cell] if target else np.full(cell.size, bool(m))
        cell, col, coef = cell[keep], col[keep], coef[keep]
    kept = tuple(a for a in target if a not in drop)
    drop_pos = tuple(target.index(a) for a in drop)
    const = const.sum(axis=drop_pos) if drop_pos else const
    if kept == target:
        return Affine(kept, const, cell, col, coef)
    if kept:
        shape = ax.shape(target)
        strides = np.cumprod([1, *shape[::-1]])[-2::-1]
        new_stride = 1
        new_cell = None
        for a in reversed(kept):
            k = target.index(a)
            coord = cell // int(strides[k]) if strides[k] != 1 else cell
            part = coord % shape[k] if k > 0 else coord
            if new_stride != 1:
                part = part * new_stride
            new_cell = part if new_cell is None else new_cell + part
            new_stride *= shape[k]
    else:
        new_cell = np.zeros(cell.size, dtype=np.int64)
    return Affine(kept, np.asarray(const, dtype=float), new_cell, col, coef)


def invalid_cells(e: Affine, ax: AxisTable) -> np.ndarray:
    """Boolean array over e's cells: True where a reference was out of its set or a value is missing."""
    bad = ~np.isfinite(e.const).reshape(-1) if e.axes else np.array([not np.isfinite(e.const)])
    bad = bad.copy()
    broken = (e.col < 0) | ~np.isfinite(e.coef)
    if broken.any():
        bad[e.cell[broken]] = True
    return bad
