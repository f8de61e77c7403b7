"""The expression tree: a small, closed set of node types.

The parser builds these from Python's ``ast`` after checking every node
against a whitelist, so everything downstream (checker, compiler, evaluator)
matches on a finite set of shapes and never sees a Python object it did not make.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Pos = tuple[int, int]
"""(line, column), both 1-based, of a node inside its expression text."""


@dataclass(frozen=True)
class Node:
    pos: Pos = field(default=(1, 1), compare=False, kw_only=True)


@dataclass(frozen=True)
class Num(Node):
    value: float


@dataclass(frozen=True)
class Str(Node):
    """A string literal: only meaningful as a set member in a subscript or filter."""

    value: str


@dataclass(frozen=True)
class Name(Node):
    id: str


@dataclass(frozen=True)
class Subscript(Node):
    name: str
    indices: tuple[Node, ...]


@dataclass(frozen=True)
class BinOp(Node):
    op: str
    """One of ``+ - * /``."""
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True)
class Compare(Node):
    """``a <= b``, ``a == b``, or a chain such as ``lo <= e <= hi``."""

    ops: tuple[str, ...]
    """Each one of ``<= >= == != < >``."""
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class BoolOp(Node):
    """``and``/``or``: only allowed in filters."""

    op: str
    values: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class Binding(Node):
    """``i in Set`` or ``(a, b) in Set``: binds names to the members of a set."""

    names: tuple[str, ...]
    set: str


@dataclass(frozen=True)
class Sum(Node):
    """``sum(body for ... in ... if cond)``."""

    body: Node
    bindings: tuple[Binding, ...]
    cond: Node | None = None


@dataclass(frozen=True)
class ListOf(Node):
    """Operands of the counting functions: explicit items or one comprehension."""

    items: tuple[Node, ...] = ()
    bindings: tuple[Binding, ...] = ()
    cond: Node | None = None
    """Set when the list is a comprehension ``[item for ... if ...]`` (then ``items`` has one element)."""


@dataclass(frozen=True)
class Call(Node):
    """abs, min, max, implies, either, at_least, at_most, exactly."""

    func: str
    args: tuple[Node, ...]


ARITH_FUNCS = frozenset({"abs", "min", "max"})
LOGIC_FUNCS = frozenset({"implies", "either", "at_least", "at_most", "exactly"})
COUNT_FUNCS = frozenset({"at_least", "at_most", "exactly"})
INDEX_FUNCS = frozenset({"prev", "next"})
"""``prev(t)``/``next(t)``: the neighbouring member in the order of the indexed set (an index only)."""
CONE_FUNCS = frozenset({"norm2"})
"""``norm2([a, b, ...])``: the Euclidean norm, a second-order cone when bounded above or minimised."""
FUNCS = ARITH_FUNCS | LOGIC_FUNCS | INDEX_FUNCS | CONE_FUNCS | {"sum"}


def shift_of(node: Node) -> tuple[str, int, bool] | None:
    """For ``prev(t)``/``next(t, 'cyclic')``: the bound name, the step (-1 or +1), and whether it wraps."""
    if not (
        isinstance(node, Call) and node.func in INDEX_FUNCS and node.args and isinstance(node.args[0], Name)
    ):
        return None
    cyclic = len(node.args) == 2 and isinstance(node.args[1], Str) and node.args[1].value == "cyclic"
    return node.args[0].id, -1 if node.func == "prev" else 1, cyclic


def children(node: Node) -> tuple[Node, ...]:
    """Direct sub-nodes, for generic walks (bindings excluded: they hold names, not values)."""
    match node:
        case Subscript(indices=idx):
            return idx
        case BinOp(left=a, right=b):
            return (a, b)
        case Neg(operand=a) | Not(operand=a):
            return (a,)
        case Compare(operands=ops):
            return ops
        case BoolOp(values=vals):
            return vals
        case Sum(body=body, cond=cond):
            return (body,) if cond is None else (body, cond)
        case ListOf(items=items, cond=cond):
            return items if cond is None else (*items, cond)
        case Call(args=args):
            return args
    return ()


def _operand(node: Node) -> str:
    """Comparisons and boolean operators bind loosest: parenthesise them inside other nodes."""
    text = to_text(node)
    return f"({text})" if isinstance(node, Compare | BoolOp | Not) else text


def walk(node: Node):
    """Pre-order traversal of every node."""
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(children(cur)))


def to_text(node: Node) -> str:
    """Render back to the expression language (canonical spacing)."""
    match node:
        case Num(value=v):
            return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(v)
        case Str(value=v):
            return repr(v)
        case Name(id=n):
            return n
        case Subscript(name=n, indices=idx):
            return f"{n}[{', '.join(to_text(i) for i in idx)}]"
        case BinOp(op=op, left=a, right=b):
            return f"({_operand(a)} {op} {_operand(b)})"
        case Neg(operand=a):
            return f"-{_operand(a)}"
        case Not(operand=a):
            return f"not {_operand(a)}"
        case Compare(ops=ops, operands=operands):
            parts = [_operand(operands[0])]
            for op, o in zip(ops, operands[1:], strict=True):
                parts += [op, _operand(o)]
            return " ".join(parts)
        case BoolOp(op=op, values=vals):
            return f" {op} ".join(f"({to_text(v)})" for v in vals)
        case Binding(names=names, set=s):
            target = names[0] if len(names) == 1 else f"({', '.join(names)})"
            return f"{target} in {s}"
        case Sum(body=body, bindings=bs, cond=cond):
            gens = " ".join(f"for {to_text(b)}" for b in bs)
            tail = f" if {to_text(cond)}" if cond is not None else ""
            return f"sum({to_text(body)} {gens}{tail})"
        case ListOf(items=items, bindings=bs, cond=cond):
            if bs:
                gens = " ".join(f"for {to_text(b)}" for b in bs)
                tail = f" if {to_text(cond)}" if cond is not None else ""
                return f"[{to_text(items[0])} {gens}{tail}]"
            return f"[{', '.join(to_text(i) for i in items)}]"
        case Call(func=f, args=args):
            return f"{f}({', '.join(to_text(a) for a in args)})"
    raise TypeError(f"not an expression node: {node!r}")
