"""Strict comparisons ``<`` and ``>``: the margin that makes them exact, and the rewrite.

A solver enforces only ``<=`` and ``>=``. On an *integral* expression (integer or
binary variables, whole-number coefficients and constants) ``a < b`` is exactly
``a <= b - 1``; on anything else the gap is a modelling choice, so the spec must
state it, either in the expression or once as ``strict_epsilon``. The checker,
the compiler and the verifier all read strict comparisons through
:func:`relax_constraint`, so the three agree on what a row means.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

import numpy as np

from nl2opt.expr.nodes import (
    COUNT_FUNCS,
    Binding,
    BinOp,
    Call,
    Compare,
    ListOf,
    Name,
    Neg,
    Node,
    Num,
    Subscript,
    Sum,
)
from nl2opt.spec import Domain
from nl2opt.symbols import Symbols

__all__ = ["STRICT_OPS", "integral", "margin", "relax_constraint", "whole_indices"]

STRICT_OPS = frozenset({"<", ">"})
_WEAK = {"<": "<=", ">": ">="}


def whole_indices(bindings: Iterable[Binding | None], symbols: Symbols) -> frozenset[str]:
    """The index names of ``bindings`` whose members are integers (usable as whole numbers)."""
    out: set[str] = set()
    for b in bindings:
        if b is None or b.set not in symbols.sets:
            continue
        info = symbols.sets[b.set]
        if len(b.names) > 1 and len(b.names) != info.width:
            continue  # the checker reports the arity
        for k, name in enumerate(b.names):
            comp = info.component_array(k) if len(b.names) > 1 else info.member_array
            if comp.dtype.kind == "i":
                out.add(name)
    return frozenset(out)


def integral(node: Node, symbols: Symbols, indices: frozenset[str] = frozenset()) -> bool:
    """True when every value ``node`` can take is a whole number; False when unsure.

    ``indices`` are the bound index names known to hold integers.
    """
    match node:
        case Num(value=v):
            return float(v).is_integer()
        case Name(id=n) if n in indices:
            return True
        case Name(id=n) | Subscript(name=n):
            if n in symbols.vars:
                return symbols.vars[n].domain is not Domain.CONTINUOUS
            if n in symbols.params:
                return _whole(symbols.params[n].values)
            return False
        case BinOp(op=op, left=a, right=b) if op in ("+", "-", "*"):
            return integral(a, symbols, indices) and integral(b, symbols, indices)
        case Neg(operand=a):
            return integral(a, symbols, indices)
        case Sum(body=body, bindings=bs):
            return integral(body, symbols, indices | whole_indices(bs, symbols))
        case Call(func=f, args=args) if f in ("abs", "min", "max"):
            return all(integral(a, symbols, indices) for a in args)
    return False


def _whole(values: np.ndarray) -> bool:
    known = values[np.isfinite(values)]
    return bool(np.all(known == np.round(known)))


def margin(
    node: Compare, symbols: Symbols, epsilon: float | None, indices: frozenset[str] = frozenset()
) -> float | None:
    """The gap a strict comparison in ``node`` stands for: 1 when integral, else ``epsilon``."""
    if all(integral(o, symbols, indices) for o in node.operands):
        return 1.0
    if epsilon is not None and math.isfinite(epsilon) and epsilon > 0:
        return float(epsilon)
    return None


def _shift(node: Node, amount: float) -> Node:
    """``node + amount`` (or minus), keeping the node's position for messages."""
    op = "+" if amount > 0 else "-"
    return BinOp(op, node, Num(abs(amount), pos=node.pos), pos=node.pos)


def _relax_compare(
    node: Compare, symbols: Symbols, epsilon: float | None, indices: frozenset[str]
) -> tuple[Node, list[Compare]]:
    if not any(op in STRICT_OPS for op in node.ops):
        return node, []
    m = margin(node, symbols, epsilon, indices)
    if m is None:
        return node, [node]
    operands = list(node.operands)
    for k, op in enumerate(node.ops):
        if op not in STRICT_OPS:
            continue
        # a < b: move b down by m (or, in a range lo < e < hi, move the outer bound lo up).
        sign = 1.0 if op == "<" else -1.0
        if len(node.ops) == 2 and k == 0:
            operands[0] = _shift(operands[0], sign * m)
        else:
            operands[k + 1] = _shift(operands[k + 1], -sign * m)
    ops = tuple(_WEAK.get(op, op) for op in node.ops)
    return Compare(ops, tuple(operands), pos=node.pos), []


def relax_constraint(
    node: Node, symbols: Symbols, epsilon: float | None, indices: frozenset[str] = frozenset()
) -> tuple[Node, list[Compare]]:
    """Rewrite the strict comparisons of a constraint (and of its logic operands) as ``<=``/``>=``.

    Filters inside ``sum(... if ...)`` are left alone: they compare indices, not amounts.
    ``indices`` are the constraint's bound index names that hold integers (:func:`whole_indices`).

    Returns:
        The rewritten tree, and the strict comparisons that have no margin (left as they are).
    """
    match node:
        case Compare():
            return _relax_compare(node, symbols, epsilon, indices)
        case Call(func="implies" | "either", args=args):
            new, bad = _relax_all(args, symbols, epsilon, indices)
            return dataclasses.replace(node, args=tuple(new)), bad
        case Call(func=f, args=(k, ListOf() as items)) if f in COUNT_FUNCS:
            inner = indices | whole_indices(items.bindings, symbols)
            new, bad = _relax_all(items.items, symbols, epsilon, inner)
            return dataclasses.replace(node, args=(k, dataclasses.replace(items, items=tuple(new)))), bad
    return node, []


def _relax_all(
    nodes: Iterable[Node], symbols: Symbols, epsilon: float | None, indices: frozenset[str]
) -> tuple[list[Node], list[Compare]]:
    out: list[Node] = []
    bad: list[Compare] = []
    for n in nodes:
        new, found = relax_constraint(n, symbols, epsilon, indices)
        out.append(new)
        bad += found
    return out, bad
