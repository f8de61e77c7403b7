"""Linearisation of abs/min/max and of logic, one small canonicaliser per construct.

Each rule cites the textbook formulation it implements (H. P. Williams, *Model
Building in Mathematical Programming*, 5th ed., ch. 9; the "big-M" constants
come from :func:`interval`, i.e. interval arithmetic on variable bounds, never
from a guessed constant). Where a needed bound is infinite, the rule raises
``lower.missing-bound`` naming the variables.
"""

from __future__ import annotations

import numpy as np

from nl2opt.check.semantics import STRICT_MARGIN
from nl2opt.lower.affine import Affine, add, constant, expand, invalid_cells, reduce, scale, union
from nl2opt.lower.assemble import Builder, LowerError
from nl2opt.program import Origin

Literal = list[Affine]
"""A linear constraint as a conjunction of ``g <= 0`` pieces."""


def interval(e: Affine, b: Builder) -> tuple[np.ndarray, np.ndarray]:
    """Per-cell lower and upper bound of ``e`` from column bounds (Moore interval arithmetic)."""
    lb, ub = b.column_bounds()
    ncell = b.ax.count(e.axes)
    lo = np.asarray(e.const, dtype=float).reshape(-1).copy()
    hi = lo.copy()
    live = (e.coef != 0) & (e.col >= 0)
    cell, col, coef = e.cell[live], e.col[live], e.coef[live]
    low_term = np.where(coef > 0, coef * lb[col], coef * ub[col])
    high_term = np.where(coef > 0, coef * ub[col], coef * lb[col])
    lo += np.bincount(cell, weights=low_term, minlength=ncell)
    hi += np.bincount(cell, weights=high_term, minlength=ncell)
    return lo.reshape(b.ax.shape(e.axes)), hi.reshape(b.ax.shape(e.axes))


BIG_M_LIMIT = 1e15
"""Bounds beyond this magnitude make a big-M no solver can use (HiGHS refuses such coefficients)."""


def _finite(values: np.ndarray, e: Affine, b: Builder, what: str, where: str) -> np.ndarray:
    valid = ~invalid_cells(e, b.ax).reshape(values.shape)
    if np.all(np.isfinite(values) | ~valid):
        huge = valid & (np.abs(values) > BIG_M_LIMIT)
        if huge.any():
            raise LowerError(
                "lower.missing-bound",
                f"{what} needs realistic bounds on {', '.join(_variables_in(e, b)) or 'its variables'}: "
                f"the bounds given make a big-M of {float(np.max(np.abs(values[huge]))):.3g}, beyond the "
                f"{BIG_M_LIMIT:.0e} a solver can use",
                "Give these variables a 'lower' and 'upper' the problem could really reach.",
                where,
            )
        return np.where(valid, values, 0.0)
    lb, ub = b.column_bounds()
    cols = np.unique(
        e.col[(e.col >= 0) & ~(np.isfinite(lb[np.maximum(e.col, 0)]) & np.isfinite(ub[np.maximum(e.col, 0)]))]
    )
    names = sorted({_column_variable(b, int(c)) for c in cols[:50]})
    raise LowerError(
        "lower.missing-bound",
        f"{what} needs finite bounds on {', '.join(names) or 'its variables'}",
        "Give these variables a finite 'lower' and 'upper' (a realistic limit from the problem).",
        where,
    )


def _variables_in(e: Affine, b: Builder) -> list[str]:
    cols = np.unique(e.col[e.col >= 0])
    return sorted({_column_variable(b, int(c)) for c in cols[:50]})


def _column_variable(b: Builder, col: int) -> str:
    for block in b.col_blocks:
        if block.start <= col < block.start + block.size:
            return block.name
    return f"column {col}"


def _is_integral(e: Affine, b: Builder) -> bool:
    integer = np.concatenate(b.integer) if b.integer else np.zeros(0, dtype=bool)
    live = e.col >= 0
    return bool(
        np.all(integer[e.col[live]])
        and np.all(np.equal(np.mod(e.coef, 1), 0))
        and np.all(np.equal(np.mod(np.nan_to_num(e.const), 1), 0))
    )


# -- abs / min / max ------------------------------------------------------------------------


def arith(b: Builder, func: str, parts: list[Affine], sign: int, where: str) -> Affine:
    """Replace abs/min/max by an auxiliary variable t with linking rows.

    Convex position (abs or max pushed down, min pushed up): epigraph rows only,
    t >= +-e (Williams 9.4). Otherwise exact, with one binary per argument
    selecting the active one and big-M from interval bounds.
    """
    if func == "abs":
        e = parts[0]
        return _max_of(b, [e, _neg(e)], sign, where, "abs")
    if func == "max":
        return _max_of(b, parts, sign, where, "max")
    negated = _max_of(b, [_neg(p) for p in parts], -sign, where, "min")
    return _neg(negated)


def _neg(e: Affine) -> Affine:
    return Affine(e.axes, -e.const, e.cell, e.col, -e.coef)


def _max_of(b: Builder, parts: list[Affine], sign: int, where: str, label: str) -> Affine:
    axes = union(*(p.axes for p in parts))
    parts = [expand(p, axes, b.ax) for p in parts]
    bounds = [interval(p, b) for p in parts]
    t_lo = np.maximum.reduce([lo for lo, _ in bounds])
    t_hi = np.maximum.reduce([hi for _, hi in bounds])
    # A cell an input cannot evaluate (NaN, e.g. p[t - 1] outside T where a filter drops t)
    # gets a column fixed at 0: no row uses it, and _poison keeps the error for any use.
    unread = np.isnan(t_lo) | np.isnan(t_hi)
    t_lo = np.where(unread, 0.0, np.where(np.isfinite(t_lo), t_lo, -np.inf))
    t_hi = np.where(unread, 0.0, t_hi)
    t = b.aux_columns(label, axes, t_lo, t_hi, False, where)
    _poison(t, parts, b)
    for k, p in enumerate(parts):
        b.add_rows(
            f"{label}#{b.aux_count}/ge{k}",
            add(t, p, b.ax, -1.0),
            0.0,
            np.inf,
            origin=Origin.AUXILIARY,
            where=where,
            drop_invalid=True,
        )
    if sign > 0:
        return t
    # t <= p_k + M_k (1 - z_k), sum z_k = 1, with M_k = max(t) - min(p_k).
    what = f"linearising {label}() here (not a convex use)"
    finite = [
        (_finite(lo, p, b, what, where), _finite(hi, p, b, what, where)) for p, (lo, hi) in zip(parts, bounds)
    ]
    hi = np.maximum.reduce([h for _, h in finite])
    z = [b.aux_columns(f"{label}_pick", axes, 0.0, 1.0, True, where) for _ in parts]
    for k, (p, (lo, _)) in enumerate(zip(parts, finite, strict=True)):
        big_m = hi - lo
        row = add(add(t, p, b.ax, -1.0), scale(z[k], constant(axes, big_m), b.ax), b.ax)
        b.add_rows(
            f"{label}#{b.aux_count}/le{k}",
            row,
            -np.inf,
            big_m,
            origin=Origin.AUXILIARY,
            where=where,
            drop_invalid=True,
        )
    total = z[0]
    for zk in z[1:]:
        total = add(total, zk, b.ax)
    b.add_rows(f"{label}#{b.aux_count}/pick", total, 1.0, 1.0, origin=Origin.AUXILIARY, where=where)
    return t


# -- logic ----------------------------------------------------------------------------------


def _poison(result: Affine, parts: list[Affine], b: Builder) -> None:
    """Mark the result's cells invalid wherever an input was, so the error is not lost."""
    bad = np.zeros(b.ax.count(result.axes), dtype=bool)
    for p in parts:
        bad |= invalid_cells(expand(p, result.axes, b.ax), b.ax)
    if bad.any():
        result.col[np.isin(result.cell, np.flatnonzero(bad))] = -1


def essential(lit: Literal, b: Builder) -> Literal:
    """Drop pieces that hold for every value within bounds (e.g. y <= 1 for binary y), but not one
    with a broken reference that no kept piece carries: the row builder must see it to report it.
    (The two pieces of ``y[t + 1] == 1`` carry the same cells, so one is enough, and the condition
    can still force an indicator where a filter drops the broken rows.)"""
    holds = [bool(np.all(interval(g, b)[1] <= 1e-12)) for g in lit]
    keep = [not h for h in holds]
    carried = [(g.axes, invalid_cells(g, b.ax)) for g, k in zip(lit, keep, strict=True) if k]
    for i, g in enumerate(lit):
        bad = invalid_cells(g, b.ax)
        if keep[i] or not bad.any() or any(a == g.axes and np.all(c | ~bad) for a, c in carried):
            continue
        keep[i] = True
        carried.append((g.axes, bad))
    kept = [g for g, k in zip(lit, keep, strict=True) if k]
    return kept or lit[:1]


def binary_literal(lit: Literal, b: Builder) -> Affine | None:
    """If the literal says 'y == 1' or 'y == 0' for binary y, the indicator (y or 1 - y)."""
    integer = np.concatenate(b.integer) if b.integer else np.zeros(0, dtype=bool)
    lb, ub = b.column_bounds()
    lit = essential(lit, b)
    if len(lit) != 1:
        return None
    g = lit[0]
    ncell = b.ax.count(g.axes)
    if g.col.size != ncell or np.any(g.col < 0) or not np.array_equal(np.sort(g.cell), np.arange(ncell)):
        return None
    if not (np.all(integer[g.col]) and np.all(lb[g.col] >= 0) and np.all(ub[g.col] <= 1)):
        return None
    const = np.asarray(g.const).reshape(-1)[g.cell]
    if np.all(g.coef == -1) and np.allclose(const, 1):  # 1 - y <= 0  ->  y == 1
        return Affine(g.axes, np.zeros(b.ax.shape(g.axes)), g.cell, g.col, np.ones(ncell))
    if np.all(g.coef == 1) and np.allclose(const, 0):  # y <= 0  ->  y == 0
        return Affine(g.axes, np.ones(b.ax.shape(g.axes)), g.cell, g.col, -np.ones(ncell))
    return None


def indicator_implies(
    b: Builder,
    d: Affine,
    lit: Literal,
    name: str,
    where: str,
    mask=None,
    axes=None,
    drop_invalid: bool = False,
) -> None:
    """d = 1  =>  g <= 0 for each piece:  g + U (d - 1) <= 0  with U = max g (Williams 9.1.1)."""
    for k, g in enumerate(lit):
        _, upper = interval(g, b)
        upper = _finite(upper, g, b, "implies/either", where)
        if np.all(upper <= 0) and not invalid_cells(g, b.ax).any():
            continue  # holds within bounds; a piece with a broken reference still goes on, to be reported
        u = constant(g.axes, np.maximum(upper, 0.0))
        row = add(add(g, scale(d, u, b.ax), b.ax), u, b.ax, -1.0)
        b.add_rows(
            f"{name}/{k}" if len(lit) > 1 else name,
            row,
            -np.inf,
            0.0,
            axes=union(row.axes, axes or ()),
            mask=mask,
            where=where,
            drop_invalid=drop_invalid,
        )


def literal_implies_indicator(b: Builder, lit: Literal, d: Affine, name: str, where: str) -> None:
    """g <= 0  =>  d = 1, i.e. d = 0  =>  g >= eps:  g >= eps + (L - eps) d  (Williams 9.1.2)."""
    lit = essential(lit, b)
    if len(lit) != 1:
        raise LowerError(
            "check.logic-operand",
            "an '==' or range condition cannot force an indicator",
            "Split it into two conditions with '<=' and '>='.",
            where,
        )
    g = lit[0]
    eps = 1.0 if _is_integral(g, b) else STRICT_MARGIN
    lower, _ = interval(g, b)
    lower = _finite(lower, g, b, "a logic condition", where)
    coef = constant(g.axes, lower - eps)
    row = add(add(scale(d, coef, b.ax), g, b.ax, -1.0), constant((), eps), b.ax)
    b.add_rows(name, row, -np.inf, 0.0, where=where, drop_invalid=True)


def forward_indicator(b: Builder, lit: Literal, name: str, where: str) -> Affine:
    """An indicator d with d = 1 => literal (binary literals are their own indicator)."""
    d = binary_literal(lit, b)
    if d is not None:
        return d
    axes = union(*(g.axes for g in lit))
    d = b.aux_columns(f"{name}_on", axes, 0.0, 1.0, True, where)
    indicator_implies(b, d, lit, f"{name}_on#{b.aux_count}", where, drop_invalid=True)
    _poison(d, lit, b)
    return d


def backward_indicator(b: Builder, lit: Literal, name: str, where: str, both: bool = False) -> Affine:
    """An indicator d with literal => d = 1 (and d = 1 => literal when ``both``)."""
    d = binary_literal(lit, b)
    if d is not None:
        return d
    axes = union(*(g.axes for g in lit))
    d = b.aux_columns(f"{name}_holds", axes, 0.0, 1.0, True, where)
    literal_implies_indicator(b, lit, d, f"{name}_holds#{b.aux_count}", where)
    if both:
        indicator_implies(b, d, lit, f"{name}_holds#{b.aux_count}/back", where, drop_invalid=True)
    _poison(d, lit, b)
    return d


def count_rows(
    b: Builder,
    name: str,
    indicators: list[Affine],
    extra_axes: list[tuple[int, ...]],
    masks: list,
    k: Affine,
    lo: float,
    hi: float,
    axes,
    mask,
    where: str,
) -> None:
    """sum of indicators (over comprehension axes) compared with k: lo <= sum - k <= hi."""
    total = constant((), 0.0)
    for d, drop, m in zip(indicators, extra_axes, masks, strict=True):
        total = add(total, reduce(d, drop, m, b.ax) if drop or m is not None else d, b.ax)
    row = add(total, k, b.ax, -1.0)
    b.add_rows(name, row, lo, hi, axes=union(row.axes, axes), mask=mask, where=where)
