"""A scalar tree-walking evaluator, kept deliberately naive and separate from the compiler.

The verifier re-computes every constraint row and the objective from the spec's own
expressions on the solver's values. If this used the vectorised compiler, a bug
there would check itself; a plain walk over one row at a time is slow but obviously
right, which is what an independent check needs. Nothing here executes model text:
it interprets the closed node set of :mod:`nl2opt.expr.nodes`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    to_text,
)
from nl2opt.spec import ModelSpec
from nl2opt.symbols import Member, SetInfo, Symbols, build_symbols

Values = Mapping[str, np.ndarray | float]
"""Variable values: a dense array of the variable's shape, or a float for a scalar."""


class EvaluationError(ValueError):
    """An expression cannot be evaluated here (unknown name, index outside its set, missing value)."""


@dataclass
class Env:
    """Everything an expression can refer to: the spec's symbols, variable values, bound indices.

    Treat it as immutable (:meth:`bind` makes a child); it is not frozen only because frozen
    dataclasses are slow to create, and verifying a large model creates one per term.
    """

    symbols: Symbols
    values: Values = field(default_factory=dict)
    bound: Mapping[str, Member] = field(default_factory=dict)
    tol: float = 1e-6
    """Absolute tolerance, scaled by ``max(1, |rhs|)``, for comparisons that are constraints."""
    tables: dict[str, _Table] = field(default_factory=dict, compare=False, repr=False)
    """Per-name lookup data, filled on first use and shared by child environments."""

    @classmethod
    def of(cls, spec: ModelSpec, values: Values | None = None, *, tol: float = 1e-6) -> Env:
        """The top-level environment of ``spec``: no index bound yet."""
        return cls(build_symbols(spec), values or {}, {}, tol)

    def bind(self, names: Sequence[str], member: Member) -> Env:
        """A child environment with ``names`` bound to ``member`` (unpacked when it is a tuple)."""
        bound = dict(self.bound)
        if len(names) == 1:
            bound[names[0]] = member
        elif isinstance(member, tuple) and len(member) == len(names):
            bound.update(zip(names, member, strict=True))
        else:
            raise EvaluationError(f"cannot bind {', '.join(names)} to the member {member!r}")
        return Env(self.symbols, self.values, bound, self.tol, self.tables)


@dataclass(frozen=True)
class Outcome:
    """How a constraint (or logic item) fares on the values."""

    holds: bool
    amount: float
    """How far from holding: the residual of a comparison, 0 when it holds."""
    lhs: float | None = None
    rhs: float | None = None
    op: str | None = None


def evaluate(node: Node, env: Env) -> float | bool:
    """The value of an arithmetic expression, or the truth of a comparison or logic call.

    Comparisons use the environment's tolerance; filters inside sums are exact.

    Raises:
        EvaluationError: the expression refers to something that has no value here.
    """
    if isinstance(node, Compare | BoolOp | Not) or _is_logic(node):
        return _truth(node, env, env.tol)
    return _num(node, env)


def violation(node: Node, env: Env, tol: float | None = None) -> float:
    """How much a constraint is violated beyond tolerance; 0 when it holds.

    For a comparison this is the residual (e.g. ``lhs - rhs`` for ``<=``); for logic it
    is the residual of the cheapest way to make it hold, or for ``at_most`` the number
    of items too many.
    """
    out = assess(node, env, env.tol if tol is None else tol)
    return 0.0 if out.holds else out.amount


def assess(node: Node, env: Env, tol: float) -> Outcome:
    """Whether a constraint expression holds within ``tol * max(1, |rhs|)``, and by how much it fails."""
    match node:
        case Compare(ops=ops, operands=operands):
            vals = [_num(o, env) for o in operands]
            worst = Outcome(True, 0.0, vals[0], vals[-1], ops[0])
            for op, a, b in zip(ops, vals, vals[1:], strict=False):
                amount = _residual(op, a, b)
                holds = amount <= tol * max(1.0, abs(b))
                if not holds and (worst.holds or amount > worst.amount):
                    worst = Outcome(False, amount, a, b, op)
            return worst
        case Call(func="implies", args=(cond, con)):
            if not _truth(cond, env, tol):
                return Outcome(True, 0.0)
            return assess(con, env, tol)
        case Call(func="either", args=items):
            outs = [assess(i, env, tol) for i in items]
            return Outcome(any(o.holds for o in outs), min(o.amount for o in outs))
        case Call(func="at_least" | "at_most" | "exactly" as func, args=(k_node, ListOf() as lst)):
            return _count(func, _count_k(k_node, env), [assess(*ie, tol) for ie in _items(lst, env)])
        case Name() | Subscript():
            value = _num(node, env)
            return Outcome(value > 0.5, max(0.0, 1.0 - value), value, 1.0, "==")
        case BoolOp() | Not():
            holds = _truth(node, env, tol)
            return Outcome(holds, 0.0 if holds else 1.0)
    raise EvaluationError(f"{_snippet(node)} is not a constraint")


def iter_bindings(bindings: Sequence[Binding], env: Env, cond: Node | None = None) -> Iterator[Env]:
    """Every combination of the bindings' members (in set order) that passes the exact filter."""
    for _, child in iter_rows(bindings, env, cond):
        yield child


def iter_rows(
    bindings: Sequence[Binding], env: Env, cond: Node | None = None
) -> Iterator[tuple[tuple[Member, ...], Env]]:
    """Like :func:`iter_bindings`, with the members of each combination (to name a row)."""
    domains = [_members(b, env) for b in bindings]
    for combo in itertools.product(*domains):
        child = env
        for b, member in zip(bindings, combo, strict=True):
            child = child.bind(b.names, member)
        if cond is None or _truth(cond, child, 0.0):
            yield combo, child


def member_label(members: Sequence[Member]) -> str:
    """``Seattle, 3`` for a row's members, flattening pairs, as in ``supply[Seattle, 3]``."""
    flat: list[object] = []
    for m in members:
        flat.extend(m if isinstance(m, tuple) else (m,))
    return ", ".join(str(a) for a in flat)


def _members(b: Binding, env: Env) -> list[Member]:
    info = env.symbols.sets.get(b.set)
    if info is None:
        raise EvaluationError(f"unknown set {b.set}")
    if len(b.names) > 1 and info.width != len(b.names):
        raise EvaluationError(f"{b.set} members have {info.width} parts, not {len(b.names)}")
    return info.members


def _num(node: Node, env: Env) -> float:
    match node:
        case Num(value=v):
            return float(v)
        case BinOp(op="+" | "-"):
            return _chain(node, env)
        case BinOp(op="*", left=a, right=b):
            return _num(a, env) * _num(b, env)
        case BinOp(op="/", left=a, right=b):
            den = _num(b, env)
            if den == 0:
                raise EvaluationError(f"{_snippet(node)} divides by zero")
            return _num(a, env) / den
        case Neg(operand=a):
            return -_num(a, env)
        case Name(id=n):
            return _name(n, env)
        case Subscript(name=n, indices=idx):
            return _lookup(n, idx, env)
        case Sum(body=body, bindings=bs, cond=cond):
            return math.fsum(_num(body, child) for child in iter_bindings(bs, env, cond))
        case Call(func=f, args=args) if f in ARITH_FUNCS:
            vals = [_num(a, env) for a in args]
            return abs(vals[0]) if f == "abs" else (min(vals) if f == "min" else max(vals))
    raise EvaluationError(f"{_snippet(node)} is not a number")


def _chain(node: Node, env: Env) -> float:
    """Left-deep ``a + b - c + ...`` walked in a loop, so a 900-term sum cannot exhaust the stack."""
    terms: list[tuple[float, Node]] = []
    sign = 1.0
    while isinstance(node, BinOp) and node.op in "+-":
        terms.append((sign if node.op == "+" else -sign, node.right))
        node = node.left
    terms.append((sign, node))
    return math.fsum(s * _num(t, env) for s, t in reversed(terms))


def _name(name: str, env: Env) -> float:
    if name in env.bound:
        member = env.bound[name]
        if isinstance(member, int | float) and not isinstance(member, bool):
            return float(member)
        raise EvaluationError(f"index {name} = {member!r} is not a number")
    table = _table(name, env)
    if table.sets:
        raise EvaluationError(
            f"{name} is indexed by {', '.join(s.name for s in table.sets)} but used without [..]"
        )
    return table.value((), name)


def _lookup(name: str, indices: Sequence[Node], env: Env) -> float:
    table = _table(name, env)
    atoms: list[object] = []
    for node in indices:
        value = _index(node, env)
        atoms.extend(value if isinstance(value, tuple) else (value,))
    if len(atoms) != table.width:
        raise EvaluationError(f"{name} takes {table.width} indices, got {len(atoms)}")
    position: list[int] = []
    k = 0
    for s in table.sets:
        member = atoms[k] if s.width == 1 else tuple(atoms[k : k + s.width])
        k += s.width
        at = s.position.get(member)  # type: ignore[arg-type]
        if at is None:
            raise EvaluationError(f"{name}[{member_label(atoms)}]: {member!r} is not a member of {s.name}")
        position.append(at)
    return table.value(tuple(position), lambda: f"{name}[{member_label(atoms)}]")


@dataclass(frozen=True)
class _Table:
    """A parameter's or variable's index sets and dense values, resolved once per name."""

    sets: tuple[SetInfo, ...]
    width: int
    array: np.ndarray | None
    problem: str
    """Why ``array`` is None (no values given, or the wrong shape)."""
    is_var: bool

    def value(self, position: tuple[int, ...], label: str | Callable[[], str]) -> float:
        if self.array is None:
            raise EvaluationError(self.problem)
        value = float(self.array[position])
        if math.isnan(value):
            text = label if isinstance(label, str) else label()
            raise EvaluationError(f"{'variable' if self.is_var else 'parameter'} {text} has no value")
        return value


def _table(name: str, env: Env) -> _Table:
    if name in env.tables:
        return env.tables[name]
    info = env.symbols.vars.get(name) or env.symbols.params.get(name)
    if info is None:
        raise EvaluationError(f"unknown name {name}")
    sets = tuple(env.symbols.sets[s] for s in info.index if s in env.symbols.sets)
    if len(sets) != len(info.index):
        raise EvaluationError(f"{name} is indexed by an unknown set")
    shape = tuple(s.size for s in sets)
    is_var = name in env.symbols.vars
    array, problem = _var_array(name, shape, env) if is_var else (env.symbols.params[name].values, "")
    if array is not None and array.shape != shape:
        array, problem = None, f"parameter {name} has no values of shape {shape}"
    table = _Table(sets, sum(s.width for s in sets), array, problem, is_var)
    env.tables[name] = table
    return table


def _var_array(name: str, shape: tuple[int, ...], env: Env) -> tuple[np.ndarray | None, str]:
    if name not in env.values:
        return None, f"no value for variable {name}"
    try:
        arr = np.asarray(env.values[name], dtype=float)
    except (TypeError, ValueError):
        return None, f"the values of {name} are not numbers"
    if arr.shape != shape and not (shape == () and arr.size == 1):
        return None, f"the values of {name} have shape {arr.shape}, expected {shape}"
    return arr.reshape(shape), ""


def _index(node: Node, env: Env) -> Member:
    """A set member from an index expression: a bound name, a literal, or integer index arithmetic."""
    match node:
        case Name(id=n) if n in env.bound:
            return env.bound[n]
        case Str(value=v):
            return v
        case Num(value=v) if float(v).is_integer():
            return int(v)
        case Neg(operand=Num(value=v)) if float(v).is_integer():
            return -int(v)
        case Name(id=n):
            raise EvaluationError(f"index {n} is not bound here")
        case BinOp(op="+" | "-" as op, left=a, right=b):
            left, right = _index(a, env), _index(b, env)
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in (left, right)):
                raise EvaluationError(f"index arithmetic {_snippet(node)} needs integers")
            return left + right if op == "+" else left - right  # type: ignore[operator]
    raise EvaluationError(f"{_snippet(node)} is not a valid index")


def _operand(node: Node, env: Env) -> object:
    """A filter operand: a bound member (maybe a name), a string, or a number."""
    match node:
        case Name(id=n) if n in env.bound:
            return env.bound[n]
        case Str(value=v):
            return v
    return _num(node, env)


def _truth(node: Node, env: Env, tol: float) -> bool:
    match node:
        case Compare(ops=ops, operands=operands):
            vals = [_operand(o, env) for o in operands]
            return all(_compare(op, a, b, tol) for op, a, b in zip(ops, vals, vals[1:], strict=False))
        case BoolOp(op="and", values=vals):
            return all(_truth(v, env, tol) for v in vals)
        case BoolOp(op="or", values=vals):
            return any(_truth(v, env, tol) for v in vals)
        case Not(operand=a):
            return not _truth(a, env, tol)
    return assess(node, env, tol).holds


def _compare(op: str, a: object, b: object, tol: float) -> bool:
    """Exact for members and strict operators; within ``tol * max(1, |b|)`` for ``<= >= ==`` on numbers."""
    numeric = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
    if numeric and tol > 0 and op in ("<=", ">=", "=="):
        return _residual(op, a, b) <= tol * max(1.0, abs(b))  # type: ignore[arg-type]
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    try:
        return {"<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b}[op]  # type: ignore[operator]
    except TypeError:
        raise EvaluationError(f"cannot order {a!r} and {b!r}") from None


def _residual(op: str, a: float, b: float) -> float:
    if op in ("<=", "<"):
        return max(0.0, a - b)
    if op in (">=", ">"):
        return max(0.0, b - a)
    if op == "==":
        return abs(a - b)
    return 0.0 if a != b else 1.0


def _is_logic(node: Node) -> bool:
    return isinstance(node, Call) and node.func not in ARITH_FUNCS


def _items(lst: ListOf, env: Env) -> Iterator[tuple[Node, Env]]:
    if not lst.bindings:
        yield from ((item, env) for item in lst.items)
        return
    for child in iter_bindings(lst.bindings, env, lst.cond):
        yield lst.items[0], child


def _count_k(node: Node, env: Env) -> int:
    k = _num(node, env)
    if not float(k).is_integer():
        raise EvaluationError(f"the count {_snippet(node)} = {k} is not an integer")
    return int(k)


def _count(func: str, k: int, outs: list[Outcome]) -> Outcome:
    true = sum(o.holds for o in outs)
    missing = sorted(o.amount for o in outs if not o.holds)
    if func in ("at_least", "exactly") and true < k:
        return Outcome(False, math.fsum(missing[: k - true]), float(true), float(k), ">=")
    if func in ("at_most", "exactly") and true > k:
        return Outcome(False, float(true - k), float(true), float(k), "<=")
    return Outcome(True, 0.0, float(true), float(k), "==")


def _snippet(node: Node) -> str:
    try:
        text = to_text(node)
    except (TypeError, RecursionError):
        text = type(node).__name__
    return text if len(text) <= 80 else text[:77] + "..."
