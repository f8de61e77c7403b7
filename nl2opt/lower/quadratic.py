"""Quadratic expressions and norm2 cones, vectorised like :mod:`nl2opt.lower.affine`.

A :class:`Quadratic` is a linear part (an :class:`Affine`) plus a table of products
``coef * x_i * x_j``, itself stored as an Affine whose "column" is the pair ``(i, j)``
encoded as ``min(i, j) * PAIR + max(i, j)`` (-1 for a broken reference). Encoding pairs as
columns lets the affine helpers (expand, add, scale, reduce over sums and filters) work on
products unchanged, so ``sum((x[i] - a[i]) ** 2 for i in I)`` over many cells is a handful
of numpy calls.

``norm2([e1, e2, ...])`` in a convex position (minimised, or on the small side of ``<=``)
becomes an auxiliary column ``t >= 0`` with the cone row ``e1^2 + e2^2 + ... - t^2 <= 0``
(Lobo, Vandenberghe, Boyd and Lebret, "Applications of second-order cone programming", 1998,
sec. 2); pushed the other way it is nonconvex and refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nl2opt.expr.nodes import BinOp, Call, ListOf, Neg, Node, Sum, walk
from nl2opt.lower.affine import Affine, add, constant, expand, reduce, scale, union
from nl2opt.lower.assemble import Builder, LowerError
from nl2opt.program import Origin

if TYPE_CHECKING:  # the evaluator imports this module's norm2 lazily; types only here
    from nl2opt.lower.evaluate import Evaluator, Scope

PAIR = 2**31
"""Multiplier of the first column in a pair code; columns stay below it (int32 in the CSR)."""

_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=float)


@dataclass
class Quadratic:
    lin: Affine
    quad: Affine
    """Products as pair-coded columns; its constant is always zero."""


def no_products(axes: tuple[int, ...] = ()) -> Affine:
    return Affine(axes, np.zeros(()), _EMPTY_I, _EMPTY_I, _EMPTY_F)


def has_product(ev: Evaluator, node: Node) -> bool:
    """True when ``node`` multiplies two parts that both hold variables (a square counts)."""
    return any(
        isinstance(n, BinOp) and n.op == "*" and ev.has_variable(n.left) and ev.has_variable(n.right)
        for n in walk(node)
    )


def quadratic(ev: Evaluator, node: Node, scope: Scope, sign: int = 0) -> Quadratic:
    """Evaluate a polynomial of degree at most two; linear parts go through ``ev.affine``."""
    ax = ev.b.ax
    if not has_product(ev, node):
        return Quadratic(ev.affine(node, scope, sign), no_products())
    match node:
        case Neg(operand=a):
            q = quadratic(ev, a, scope, -sign)
            return Quadratic(_neg(q.lin), _neg(q.quad))
        case BinOp(op="+" | "-"):
            total: Quadratic | None = None
            for s, term in _chain(node):  # flattened: a long chain neither recurses deeply nor re-walks
                q = quadratic(ev, term, scope, int(sign * s))
                if total is None:  # the first term of a chain is always added
                    total = q
                else:
                    total = Quadratic(add(total.lin, q.lin, ax, s), add(total.quad, q.quad, ax, s))
            assert total is not None
            return total
        case BinOp(op="*", left=left, right=right) if ev.has_variable(left) and ev.has_variable(right):
            return product(ev.affine(left, scope), ev.affine(right, scope), ev.b)
        case BinOp(op="*", left=left, right=right):
            const_node, var_node = (left, right) if not ev.has_variable(left) else (right, left)
            factor = ev.affine(const_node, scope)
            q = quadratic(ev, var_node, scope, sign)
            return Quadratic(scale(q.lin, factor, ax), scale(q.quad, factor, ax))
        case BinOp(op="/", left=left, right=right) if not ev.has_variable(right):
            divisor = ev.affine(right, scope)
            inv = constant(divisor.axes, ev._inverse(divisor, right, scope))
            q = quadratic(ev, left, scope, sign)
            return Quadratic(scale(q.lin, inv, ax), scale(q.quad, inv, ax))
        case Sum(body=body, bindings=bindings, cond=cond):
            inner, axes = ev.bind_all(bindings, scope)
            mask = ev.condition(cond, inner) if cond is not None else None
            mask = ev.within_domains(body, bindings, inner, mask)  # skips missing sparse cells, as sums do
            with ev.filtered(mask):
                q = quadratic(ev, body, inner, sign)
            return Quadratic(reduce(q.lin, axes, mask, ax), reduce(q.quad, axes, mask, ax))
    raise LowerError(
        "check.nonlinear-product",
        "a product of variables is allowed only as a polynomial of degree two "
        "(not inside abs/min/max, a division or a logic call)",
    )


def product(a: Affine, b: Affine, builder: Builder) -> Quadratic:
    """``a * b`` for two linear tables: constant, cross terms, and every pair of terms per cell."""
    ax = builder.ax
    target = union(a.axes, b.axes)
    a, b = expand(a, target, ax), expand(b, target, ax)
    a_terms = Affine(target, np.zeros(ax.shape(target)), a.cell, a.col, a.coef)
    b_terms = Affine(target, np.zeros(ax.shape(target)), b.cell, b.col, b.coef)
    a_const, b_const = constant(target, np.asarray(a.const)), constant(target, np.asarray(b.const))
    lin = add(scale(a_terms, b_const, ax), scale(b_terms, a_const, ax), ax)
    lin.const = np.asarray(a.const, dtype=float) * np.asarray(b.const, dtype=float)
    order = np.argsort(b.cell, kind="stable")
    b_sorted = b.cell[order]
    starts = np.searchsorted(b_sorted, a.cell, side="left")
    counts = np.searchsorted(b_sorted, a.cell, side="right") - starts
    total = int(counts.sum())
    if builder.nnz() + total > builder.max_nonzeros:
        raise LowerError("lower.too-large", f"the model exceeds {builder.max_nonzeros:,} nonzeros")
    a_idx = np.repeat(np.arange(a.cell.size), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    b_idx = order[np.repeat(starts, counts) + (np.arange(total) - first)]
    i, j = a.col[a_idx], b.col[b_idx]
    pair = np.minimum(i, j) * PAIR + np.maximum(i, j)
    pair = np.where((i < 0) | (j < 0), -1, pair)
    zeros = np.zeros(ax.shape(target))
    quad = Affine(target, zeros, a.cell[a_idx], pair, a.coef[a_idx] * b.coef[b_idx])
    return Quadratic(lin, quad)


def check_finite(products: Affine) -> None:
    """Refuse products whose coefficients overflowed (``1e200 * x * 1e200 * y``), before any other check."""
    if np.isinf(products.coef).any():
        raise LowerError(
            "lower.non-finite",
            "a product of variables has a coefficient beyond the largest number (about 1.8e308)",
            "Rescale the data (e.g. thousands instead of units) so that numbers stay well below 1e15.",
        )


def unpair(code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two columns of each pair code."""
    return code // PAIR, code % PAIR


def norm2(ev: Evaluator, node: Call, scope: Scope, sign: int) -> Affine:
    """``t`` with ``sum(e_k^2) <= t^2, t >= 0``: the epigraph of the norm, valid where it is pushed down."""
    if sign <= 0:
        raise LowerError(
            "check.nonconvex-norm",
            "norm2(...) is used where it would be maximised or held from below, which is not convex",
            "Use norm2 in a minimised objective (with a positive weight) or as 'norm2([...]) <= t'.",
        )
    b, ax = ev.b, ev.b.ax
    items = node.args[0]
    assert isinstance(items, ListOf)
    if items.bindings:
        inner, extra = ev.bind_all(items.bindings, scope)
        mask = ev.condition(items.cond, inner) if items.cond is not None else None
        with ev.filtered(mask):
            e = ev.affine(items.items[0], inner)
        sq = product(e, e, b)
        total = Quadratic(reduce(sq.lin, extra, mask, ax), reduce(sq.quad, extra, mask, ax))
    else:
        parts = [product(e, e, b) for e in (ev.affine(item, scope) for item in items.items)]
        total = parts[0]
        for p in parts[1:]:
            total = Quadratic(add(total.lin, p.lin, ax), add(total.quad, p.quad, ax))
    axes = union(total.lin.axes, total.quad.axes)
    t = b.aux_columns("norm2", axes, 0.0, np.inf, False, ev.where)
    t_sq = product(t, t, b).quad
    b.add_rows(
        f"norm2#{b.aux_count}",
        total.lin,
        -np.inf,
        0.0,
        axes=axes,
        origin=Origin.AUXILIARY,
        where=ev.where,
        quad=add(total.quad, t_sq, ax, -1.0),
        cone=True,
    )
    return t


def _chain(node: Node) -> list[tuple[float, Node]]:
    """The signed terms of a left-deep ``a + b - c + ...``, first term first."""
    out: list[tuple[float, Node]] = []
    while isinstance(node, BinOp) and node.op in ("+", "-"):
        out.append((1.0 if node.op == "+" else -1.0, node.right))
        node = node.left
    out.append((1.0, node))
    return out[::-1]


def _neg(e: Affine) -> Affine:
    return Affine(e.axes, -e.const, e.cell, e.col, -e.coef)
