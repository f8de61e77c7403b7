"""The oracle: the true answer of a generated case, computed without nl2opt.

Two independent ways, both reading the case's own AST (:mod:`cases`) with the
semantics of docs/spec-format.md:

* :func:`enumerate_optimum`: every integer point of a bounded pure integer/binary
  case is evaluated in plain Python; the best feasible one is the optimum.
* :func:`branch_optimum`: for cases with continuous variables, each abs/min/max and
  each logic row is split into its disjunctive pieces (``abs(e)`` is ``e`` with
  ``e >= 0`` or ``-e`` with ``e <= 0``; ``implies(c, k)`` is "not c" or "k"; ...);
  every combination of pieces is a plain MILP, built here as matrices and solved with
  scipy's ``milp``/``linprog``; the best piece is the optimum, an unbounded feasible
  piece makes the case unbounded.

A variable with a sparse domain (``where``) has cells only where its filter holds; a sum or
a comprehension skips each of its cells in which a reference using its own indices lands on
a missing cell, and any other reference to one makes the case invalid. Quadratic and
lexicographic cases are decided by enumeration only (levels filtered in turn).

"not (g <= 0)" is ``g >= eps`` with the documented eps: 1 when the comparison's
variables are all integer and its coefficients and constant integral, else 1e-5.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from tests.differential.cases import (
    Add,
    BinLit,
    Case,
    Cmp,
    Count,
    Div,
    FBool,
    Func,
    Idx,
    Implies,
    Items,
    Member,
    Num,
    ParamRef,
    Prod,
    Range,
    Scale,
    Square,
    Sum,
    VarRef,
)

EPS_CONTINUOUS = 1e-5
"""docs/spec-format.md: the strictness of a negated non-integral comparison."""

Point = dict[str, dict[tuple[Member, ...], float]]
Env = dict[str, Member]


class InvalidCase(Exception):
    """The case breaks a documented rule (a member outside its set, division by zero)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Truth:
    """What the right answer is: status, and the optimum when there is one."""

    status: str  # optimal | infeasible | unbounded | invalid | unknown
    objective: float | None = None
    method: str = ""
    detail: str = ""
    levels: tuple[float, ...] = ()
    """A lexicographic case's optimum of each level, first level first."""
    held: tuple[float, ...] = ()
    """The bound each level but the last is held to."""


# -- shared walking helpers -----------------------------------------------------------------


def _index_value(case: Case, i: Idx, env: Env) -> Member:
    if i.name is None:
        return i.literal  # type: ignore[return-value]
    v = env[i.name]
    return v + i.offset if i.offset else v  # type: ignore[operator]


def _key(case: Case, idx: tuple[Idx, ...], sets: tuple[str, ...], env: Env, what: str) -> tuple[Member, ...]:
    key = tuple(_index_value(case, i, env) for i in idx)
    for m, s in zip(key, sets):
        if m not in case.set(s).members:
            raise InvalidCase("unknown-element", f"{what}[{m!r}] is outside {s}")
    return key


def param_value(case: Case, ref: ParamRef, env: Env) -> float:
    p = case.param(ref.name)
    key = _key(case, ref.idx, p.index, env, ref.name)
    if key in p.values:
        return p.values[key]
    if p.default is None:
        raise InvalidCase("missing-value", f"{ref.name}{list(key)} has no value")
    return p.default


def var_key(case: Case, ref: VarRef, env: Env) -> tuple[Member, ...]:
    key = _key(case, ref.idx, case.var(ref.name).index, env, ref.name)
    if not in_domain(case, ref.name, key):
        raise InvalidCase("outside-domain", f"{ref.name}{list(key)} is outside its domain")
    return key


def in_domain(case: Case, name: str, key: tuple[Member, ...]) -> bool:
    """The cell exists: the variable has no ``where``, or its filter holds there."""
    v = case.var(name)
    return v.where is None or filter_holds(case, v.where, dict(zip(v.over, key, strict=True)))


def _parts(e: Any) -> Iterator[Any]:
    """Every node below ``e`` (the case's AST is frozen dataclasses and tuples)."""
    stack = [e]
    while stack:
        cur = stack.pop()
        if isinstance(cur, tuple):
            stack.extend(cur)
        elif dataclasses.is_dataclass(cur):
            yield cur
            stack.extend(getattr(cur, f.name) for f in dataclasses.fields(cur))


def summed(
    case: Case, binders: tuple[tuple[str, str], ...], env: Env, where: Any, body: Any
) -> Iterator[Env]:
    """The cells a sum (or comprehension) over ``body`` adds: ``bindings``, minus each cell in which
    a reference using the sum's own names (and none a nested sum binds) lands on a missing cell."""
    if all(v.where is None for v in case.variables):
        yield from bindings(case, binders, env, where)
        return
    own = {n for n, _ in binders}
    nested = {n for x in _parts(body) if isinstance(x, Sum | Items) for n, _ in x.binders}
    skippers = []
    for ref in _parts(body):
        if isinstance(ref, VarRef) and case.var(ref.name).where is not None:
            names = {i.name for i in ref.idx if i.name is not None}
            if names & own and not names & nested:
                skippers.append(ref)
    for inner in bindings(case, binders, env, where):
        if all(_exists(case, ref, inner) for ref in skippers):
            yield inner


def _exists(case: Case, ref: VarRef, env: Env) -> bool:
    """False only for a member tuple inside the sets but outside the domain (outside a set is an error)."""
    key = tuple(_index_value(case, i, env) for i in ref.idx)
    v = case.var(ref.name)
    if any(m not in case.set(s).members for m, s in zip(key, v.index, strict=True)):
        return True
    return in_domain(case, ref.name, key)


def is_quadratic(case: Case) -> bool:
    return any(isinstance(x, Prod | Square) for x in _parts(case.objective))


def bindings(case: Case, binders: tuple[tuple[str, str], ...], env: Env, where: Any) -> Iterator[Env]:
    """Every environment a ``for``/comprehension produces, filter applied, in member order."""
    names = [n for n, _ in binders]
    for combo in itertools.product(*(case.set(s).members for _, s in binders)):
        inner = {**env, **dict(zip(names, combo))}
        if where is None or filter_holds(case, where, inner):
            yield inner


def filter_holds(case: Case, f: Any, env: Env) -> bool:
    if isinstance(f, FBool):
        if f.op == "not":
            return not filter_holds(case, f.args[0], env)
        vals = [filter_holds(case, a, env) for a in f.args]
        return all(vals) if f.op == "and" else any(vals)
    lhs, rhs = _fterm(case, f.lhs, env), _fterm(case, f.rhs, env)
    return {
        "==": lhs == rhs,
        "!=": lhs != rhs,
        "<": lhs < rhs,  # type: ignore[operator]
        "<=": lhs <= rhs,  # type: ignore[operator]
        ">": lhs > rhs,  # type: ignore[operator]
        ">=": lhs >= rhs,  # type: ignore[operator]
    }[f.op]


def _fterm(case: Case, t: Any, env: Env) -> Member | float:
    if isinstance(t, Idx):
        return _index_value(case, t, env)
    if isinstance(t, ParamRef):
        return param_value(case, t, env)
    return t.value


def var_cells(case: Case) -> list[tuple[str, tuple[Member, ...]]]:
    """Every variable cell, in a fixed order (the oracle's own column order)."""
    cells = []
    for v in case.variables:
        for key in itertools.product(*(case.set(s).members for s in v.index)):
            if in_domain(case, v.name, tuple(key)):
                cells.append((v.name, tuple(key)))
    return cells


def cell_bounds(case: Case, name: str) -> tuple[float, float]:
    v = case.var(name)
    if v.domain == "binary":
        return 0.0, 1.0
    lo = -math.inf if v.lower is None else float(v.lower)
    hi = math.inf if v.upper is None else float(v.upper)
    if v.domain == "integer":
        lo = math.ceil(lo - 1e-9) if math.isfinite(lo) else lo
        hi = math.floor(hi + 1e-9) if math.isfinite(hi) else hi
    return lo, hi


# -- direct evaluation at a point -----------------------------------------------------------


def value(case: Case, e: Any, env: Env, x: Point) -> float:
    """The number an expression takes at point ``x``."""
    if isinstance(e, Num):
        return e.value
    if isinstance(e, ParamRef):
        return param_value(case, e, env)
    if isinstance(e, VarRef):
        return x[e.name][var_key(case, e, env)]
    if isinstance(e, Scale):
        return value(case, e.factor, env, x) * value(case, e.e, env, x)
    if isinstance(e, Div):
        d = value(case, e.divisor, env, x)
        if d == 0:
            raise InvalidCase("division-by-zero", f"division by zero in {e!r}")
        return value(case, e.e, env, x) / d
    if isinstance(e, Add):
        return sum(s * value(case, t, env, x) for s, t in e.terms)
    if isinstance(e, Sum):
        return sum(value(case, e.body, inner, x) for inner in summed(case, e.binders, env, e.filter, e.body))
    if isinstance(e, Func):
        vals = [value(case, a, env, x) for a in e.args]
        return {"abs": lambda: abs(vals[0]), "min": lambda: min(vals), "max": lambda: max(vals)}[e.name]()
    if isinstance(e, Prod):
        return value(case, e.a, env, x) * value(case, e.b, env, x)
    if isinstance(e, Square):
        return value(case, e.e, env, x) ** 2
    raise TypeError(f"not an expression: {e!r}")


@dataclass(frozen=True)
class Tolerance:
    """How a point is judged: a row holds when its violation is at most ``atol + rtol * size``.

    ``forcing`` is the largest slack (``g``) at which a logic condition still forces its
    consequence: the compiler guarantees "not c" only at ``g >= eps``; below ``eps`` the
    condition counts as holding, so any threshold under eps (minus solver noise) is fair.
    """

    atol: float = 1e-6
    rtol: float = 1e-6
    forcing: float = 4e-6


EXACT = Tolerance(atol=1e-9, rtol=0.0, forcing=1e-9)


def _slack(case: Case, c: Cmp, env: Env, x: Point) -> tuple[float, float]:
    """(g, size) with ``g <= 0`` meaning the comparison holds (for ==, g is |lhs - rhs|)."""
    lhs, rhs = value(case, c.lhs, env, x), value(case, c.rhs, env, x)
    size = max(abs(lhs), abs(rhs))
    g = {"<=": lhs - rhs, ">=": rhs - lhs, "==": abs(lhs - rhs)}[c.op]
    return g, size


def holds(case: Case, item: Any, env: Env, x: Point, tol: Tolerance) -> bool:
    """The item is satisfied (within tolerance)."""
    if isinstance(item, BinLit):
        v = x[item.var.name][var_key(case, item.var, env)]
        return v >= 1 - tol.atol if item.value in (None, 1) else v <= tol.atol
    if isinstance(item, Range):
        v = value(case, item.e, env, x)
        size = max(abs(v), abs(item.lo), abs(item.hi))
        return item.lo - v <= tol.atol + tol.rtol * size and v - item.hi <= tol.atol + tol.rtol * size
    g, size = _slack(case, item, env, x)
    return g <= tol.atol + tol.rtol * size


def forced(case: Case, item: Any, env: Env, x: Point, tol: Tolerance) -> bool:
    """The item is true enough that the compiler must treat it as true (see Tolerance)."""
    if isinstance(item, BinLit):
        return holds(case, item, env, x, tol)
    g, _ = _slack(case, item, env, x)
    return g <= tol.forcing


def expand_items(case: Case, items: tuple[Any, ...], env: Env) -> list[tuple[Any, Env]]:
    out: list[tuple[Any, Env]] = []
    for it in items:
        if isinstance(it, Items):
            out.extend((it.item, inner) for inner in summed(case, it.binders, env, it.filter, it.item))
        else:
            out.append((it, env))
    return out


def count_k(case: Case, c: Count) -> int:
    return int(case.param(c.k_param).values[()]) if c.k_param else c.k


def body_holds(case: Case, body: Any, env: Env, x: Point, tol: Tolerance) -> bool:
    """One constraint row at point x, logic included."""
    if isinstance(body, Cmp | Range):
        return holds(case, body, env, x, tol)
    if isinstance(body, Implies):
        return not forced(case, body.cond, env, x, tol) or holds(case, body.then, env, x, tol)
    items = expand_items(case, body.items, env)
    k = 1 if body.kind == "either" else count_k(case, body)
    if body.kind in ("either", "at_least"):
        return sum(holds(case, it, e, x, tol) for it, e in items) >= k
    if body.kind == "at_most":
        return sum(forced(case, it, e, x, tol) for it, e in items) <= k
    # exactly: k forced true ones at most, and at least k that hold
    return (
        sum(forced(case, it, e, x, tol) for it, e in items) <= k
        and sum(holds(case, it, e, x, tol) for it, e in items) >= k
    )


def violations(case: Case, x: Point, tol: Tolerance) -> list[str]:
    """Every bound, integrality and constraint row the point breaks (names like ``c0[a]``)."""
    out = []
    for name, key in var_cells(case):
        v = x[name][key]
        lo, hi = cell_bounds(case, name)
        size = max(1.0, abs(v))
        if v < lo - tol.atol * size or v > hi + tol.atol * size:
            out.append(f"bound {name}{list(key)} = {v}")
        if case.var(name).domain != "continuous" and abs(v - round(v)) > tol.atol:
            out.append(f"integrality {name}{list(key)} = {v}")
    for c in case.constraints:
        for env in bindings(case, c.binders, {}, c.where):
            if not body_holds(case, c.body, env, x, tol):
                out.append(f"{c.name}{[env[n] for n, _ in c.binders]}")
    return out


def objective_value(case: Case, x: Point) -> float:
    return value(case, case.objective, {}, x)


def check_references(case: Case) -> None:
    """Raise InvalidCase if any reference in a live cell is outside its set (or divides by 0).

    Evaluating everything at the all-ones point visits every live cell.
    """
    ones: Point = {v.name: {} for v in case.variables}
    for name, key in var_cells(case):
        ones[name][key] = 1.0
    objective_value(case, ones)
    for g in case.goals:
        value(case, g.expression, {}, ones)
    for c in case.constraints:
        for env in bindings(case, c.binders, {}, c.where):
            body_holds(case, c.body, env, ones, EXACT)
            _visit_all(case, c.body, env, ones)


def _visit_all(case: Case, body: Any, env: Env, x: Point) -> None:
    """Evaluate every part of a row, including parts that logic short-circuits."""
    if isinstance(body, Cmp):
        value(case, body.lhs, env, x), value(case, body.rhs, env, x)
    elif isinstance(body, Range):
        value(case, body.e, env, x)
    elif isinstance(body, BinLit):
        var_key(case, body.var, env)
    elif isinstance(body, Implies):
        _visit_all(case, body.cond, env, x), _visit_all(case, body.then, env, x)
    elif isinstance(body, Count):
        for it, e in expand_items(case, body.items, env):
            _visit_all(case, it, e, x)


# -- oracle 1: enumeration of integer points ------------------------------------------------


def enumeration_size(case: Case) -> int | None:
    """How many integer points a pure integer case has, or None if not enumerable."""
    total = 1
    for name, _ in var_cells(case):
        if case.var(name).domain == "continuous":
            return None
        lo, hi = cell_bounds(case, name)
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return None
        total *= max(0, int(hi - lo) + 1)
    return total


def enumerate_optimum(case: Case, limit: int = 4096) -> Truth:
    """Best objective over all integer points, or 'unknown' past ``limit`` points."""
    try:
        check_references(case)
    except InvalidCase as exc:
        return Truth("invalid", detail=exc.code, method="enumerate")
    size = enumeration_size(case)
    if size is None or size > limit:
        return Truth("unknown", method="enumerate")
    cells = var_cells(case)
    ranges = []
    for name, _ in cells:
        lo, hi = cell_bounds(case, name)
        ranges.append(range(int(lo), int(hi) + 1))
    best: float | None = None
    sign = 1.0 if case.sense == "minimize" else -1.0
    level_values: list[tuple[float, ...]] = []
    for combo in itertools.product(*ranges):
        x: Point = {v.name: {} for v in case.variables}
        for (name, key), v in zip(cells, combo):
            x[name][key] = float(v)
        if violations(case, x, EXACT):
            continue
        if case.goals:
            level_values.append(tuple(value(case, g.expression, {}, x) for g in case.goals))
            continue
        obj = objective_value(case, x)
        if best is None or sign * obj < sign * best:
            best = obj
    if case.goals:
        return lexicographic(case, level_values)
    if best is None:
        return Truth("infeasible", method="enumerate")
    return Truth("optimal", best, method="enumerate")


def lexicographic(case: Case, points: list[tuple[float, ...]]) -> Truth:
    """Levels in turn over the feasible points' level values: keep the points within the level's
    tolerance of its best (docs/spec-format.md, "Priorities"), then optimise the next level."""
    if not points:
        return Truth("infeasible", method="enumerate")
    optima: list[float] = []
    held: list[float] = []
    for k, goal in enumerate(case.goals):
        minimise = goal.sense == "minimize"
        best = min(p[k] for p in points) if minimise else max(p[k] for p in points)
        optima.append(best)
        if k == len(case.goals) - 1:
            break
        bound = best + goal.tolerance if minimise else best - goal.tolerance
        held.append(bound)
        points = [p for p in points if (p[k] <= bound + 1e-9 if minimise else p[k] >= bound - 1e-9)]
    return Truth("optimal", optima[-1], method="enumerate", levels=tuple(optima), held=tuple(held))


# -- oracle 2: disjunctive pieces, each a MILP ----------------------------------------------


@dataclass
class Lin:
    """An affine form over the oracle's columns: ``coef . x + const``."""

    coef: dict[int, float]
    const: float

    def __add__(self, other: Lin) -> Lin:
        coef = dict(self.coef)
        for k, v in other.coef.items():
            coef[k] = coef.get(k, 0.0) + v
        return Lin(coef, self.const + other.const)

    def scaled(self, s: float) -> Lin:
        return Lin({k: s * v for k, v in self.coef.items()}, s * self.const)


class _Pieces:
    """Builds the MILP of one combination of pieces; ``choose(n)`` picks the piece."""

    def __init__(self, case: Case, choose: Callable[[int], int]) -> None:
        self.case = case
        self.choose = choose
        self.cols = {cell: k for k, cell in enumerate(var_cells(case))}
        self.integer = [case.var(n).domain != "continuous" for n, _ in self.cols]
        self.rows: list[tuple[Lin, float, float]] = []  # lo <= lin <= hi
        self.objective = Lin({}, 0.0)

    def lin(self, e: Any, env: Env) -> Lin:
        c = self.case
        if isinstance(e, Num):
            return Lin({}, e.value)
        if isinstance(e, ParamRef):
            return Lin({}, param_value(c, e, env))
        if isinstance(e, VarRef):
            return Lin({self.cols[(e.name, var_key(c, e, env))]: 1.0}, 0.0)
        if isinstance(e, Scale):
            return self.lin(e.e, env).scaled(self.lin(e.factor, env).const)
        if isinstance(e, Div):
            d = self.lin(e.divisor, env).const
            if d == 0:
                raise InvalidCase("division-by-zero", "division by zero")
            return self.lin(e.e, env).scaled(1.0 / d)
        if isinstance(e, Add):
            out = Lin({}, 0.0)
            for s, t in e.terms:
                out = out + self.lin(t, env).scaled(s)
            return out
        if isinstance(e, Sum):
            out = Lin({}, 0.0)
            for inner in summed(c, e.binders, env, e.filter, e.body):
                out = out + self.lin(e.body, inner)
            return out
        if isinstance(e, Func):
            args = [self.lin(a, env) for a in e.args]
            if e.name == "abs":
                args = [args[0], args[0].scaled(-1.0)]
            pick = self.choose(len(args))
            chosen = args[pick]
            for k, other in enumerate(args):
                if k == pick:
                    continue
                # max/abs: chosen >= other; min: chosen <= other
                diff = chosen + other.scaled(-1.0)
                self.require(diff, 0.0, math.inf) if e.name != "min" else self.require(diff, -math.inf, 0.0)
            return chosen
        raise TypeError(f"not an expression: {e!r}")

    def require(self, g: Lin, lo: float, hi: float) -> None:
        self.rows.append((Lin(g.coef, 0.0), lo - g.const, hi - g.const))

    def _le_zero(self, item: Any, env: Env) -> list[Lin]:
        """The item as pieces ``g <= 0`` (== gives two)."""
        if isinstance(item, BinLit):
            x = self.lin(item.var, env)
            return [Lin(x.scaled(-1.0).coef, 1.0)] if item.value in (None, 1) else [x]
        if isinstance(item, Range):
            e = self.lin(item.e, env)
            return [Lin(e.scaled(-1.0).coef, item.lo - e.const), Lin(e.coef, e.const - item.hi)]
        lhs, rhs = self.lin(item.lhs, env), self.lin(item.rhs, env)
        g = lhs + rhs.scaled(-1.0)
        return {"<=": [g], ">=": [g.scaled(-1.0)], "==": [g, g.scaled(-1.0)]}[item.op]

    def hold(self, pieces: list[Lin]) -> None:
        for g in pieces:
            self.require(g, -math.inf, 0.0)

    def negate(self, pieces: list[Lin]) -> None:
        if len(pieces) != 1:
            raise InvalidCase("logic-operand", "an == or range condition cannot be negated")
        g = pieces[0]
        self.require(g, self._eps(g), math.inf)

    def _eps(self, g: Lin) -> float:
        integral = all(self.integer[k] and float(v).is_integer() for k, v in g.coef.items() if v != 0)
        return 1.0 if integral and float(g.const).is_integer() else EPS_CONTINUOUS

    def row(self, body: Any, env: Env) -> None:
        """One row; every part is linearised first, so the choices asked never depend on earlier ones."""
        if isinstance(body, Cmp | Range):
            self.hold(self._le_zero(body, env))
            return
        if isinstance(body, Implies):
            cond, then = self._le_zero(body.cond, env), self._le_zero(body.then, env)
            if self.choose(2) == 0:
                self.negate(cond)
            else:
                self.hold(then)
            return
        items = [self._le_zero(it, e) for it, e in expand_items(self.case, body.items, env)]
        n = len(items)
        k = 1 if body.kind == "either" else count_k(self.case, body)
        if body.kind in ("either", "at_least"):
            true_set, false_set = self._subset(n, max(k, 0)), []
            possible = true_set is not None
        elif body.kind == "at_most":
            true_set, false_set = [], self._subset(n, max(n - k, 0))
            possible = false_set is not None
        else:
            true_set = self._subset(n, k) if k >= 0 else None
            possible = true_set is not None
            false_set = [i for i in range(n) if i not in (true_set or [])]
        if not possible:
            self.require(Lin({}, 1.0), -math.inf, 0.0)  # the count cannot be met: an infeasible piece
            return
        for i, pieces in enumerate(items):
            if i in (true_set or []):
                self.hold(pieces)
            elif i in (false_set or []):
                self.negate(pieces)

    def _subset(self, n: int, size: int) -> list[int] | None:
        if size > n:
            return None
        combos = list(itertools.combinations(range(n), size))
        return list(combos[self.choose(len(combos))])

    def build(self) -> Lin:
        for c in self.case.constraints:
            for env in bindings(self.case, c.binders, {}, c.where):
                self.row(c.body, env)
        self.objective = self.lin(self.case.objective, {})
        return self.objective


def _pieces(case: Case, limit: int) -> Iterator[_Pieces] | None:
    """Every combination of pieces (odometer over the choices), or None past ``limit``."""
    arities: list[int] = []

    def first(n: int) -> int:
        arities.append(n)
        return 0

    _Pieces(case, first).build()
    if math.prod(arities) > limit:
        return None

    def all_pieces() -> Iterator[_Pieces]:
        for combo in itertools.product(*(range(a) for a in arities)):
            p = _Pieces(case, _replay(combo))
            p.build()
            yield p

    return all_pieces()


def _replay(choices: tuple[int, ...]) -> Callable[[int], int]:
    it = iter(choices)
    return lambda _n: next(it)


def _solve_piece(p: _Pieces, sense: float) -> tuple[str, float | None]:
    from scipy.optimize import Bounds, LinearConstraint, linprog, milp
    from scipy.sparse import lil_matrix

    ncol = len(p.cols)
    c = np.zeros(ncol)
    obj = p.objective
    for k, v in obj.coef.items():
        c[k] += sense * v
    lb = np.array([cell_bounds(p.case, n)[0] for n, _ in p.cols])
    ub = np.array([cell_bounds(p.case, n)[1] for n, _ in p.cols])
    if np.any(lb > ub):
        return "infeasible", None
    rows = [r for r in p.rows if r[0].coef or not (r[1] <= 1e-12 and r[2] >= -1e-12)]
    const_rows = [r for r in rows if not any(r[0].coef.values())]
    if any(not (lo <= 1e-12 and hi >= -1e-12) for _, lo, hi in const_rows):
        return "infeasible", None
    rows = [r for r in rows if any(r[0].coef.values())]
    a = lil_matrix((max(len(rows), 1), ncol))
    lo = np.full(max(len(rows), 1), -np.inf)
    hi = np.full(max(len(rows), 1), np.inf)
    for i, (g, rlo, rhi) in enumerate(rows):
        for k, v in g.coef.items():
            a[i, k] += v
        lo[i], hi[i] = rlo, rhi
    a = a.tocsr()
    integrality = np.array(p.integer, dtype=int)
    # LP relaxation first: it separates "unbounded" from "infeasible" reliably.
    ub_rows = np.vstack([a.toarray(), -a.toarray()])
    ub_rhs = np.concatenate([hi, -lo])
    keep = np.isfinite(ub_rhs)
    # Without presolve: scipy's HiGHS presolve has called a feasible unbounded LP infeasible (seed
    # 27190 of the 30-minute run: -1 <= 2x - y + 2z <= -0.5, y free below), and on pieces this
    # small it only costs time (most pieces are infeasible, and each was solved twice).
    relax = linprog(
        c,
        A_ub=ub_rows[keep],
        b_ub=ub_rhs[keep],
        bounds=list(zip(lb, ub)),
        method="highs",
        options={"presolve": False},
    )
    if relax.status == 2:
        return "infeasible", None
    cons = LinearConstraint(a, lo, hi)
    if relax.status == 3:
        feas = milp(np.zeros(ncol), constraints=cons, integrality=integrality, bounds=Bounds(lb, ub))
        return ("unbounded", None) if feas.status == 0 else ("infeasible", None)
    if relax.status != 0:
        return "unknown", None
    if np.all(np.abs(relax.x - np.round(relax.x))[integrality == 1] <= 1e-9):
        return "optimal", sense * float(relax.fun) + obj.const  # the relaxation's optimum is a MILP point
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(lb, ub))
    if res.status == 2:
        return "infeasible", None
    if res.status != 0:
        return "unknown", None
    return "optimal", sense * float(res.fun) + obj.const


def branch_optimum(case: Case, limit: int = 256) -> Truth:
    """Optimum over all disjunctive pieces, each solved by scipy; 'unknown' past ``limit`` pieces."""
    if case.goals or is_quadratic(case):
        return Truth("unknown", method="pieces", detail="quadratic or lexicographic")
    try:
        check_references(case)
        pieces = _pieces(case, limit)
    except InvalidCase as exc:
        return Truth("invalid", detail=exc.code, method="pieces")
    if pieces is None:
        return Truth("unknown", method="pieces", detail="too many pieces")
    sense = 1.0 if case.sense == "minimize" else -1.0
    best: float | None = None
    for p in pieces:
        status, obj = _solve_piece(p, sense)
        if status == "unbounded":
            return Truth("unbounded", method="pieces")
        if status == "unknown":
            return Truth("unknown", method="pieces", detail="scipy gave no answer for a piece")
        if status == "optimal" and (best is None or sense * obj < sense * best):  # type: ignore[operator]
            best = obj
    if best is None:
        return Truth("infeasible", method="pieces")
    return Truth("optimal", best, method="pieces")


def truth(case: Case, *, enum_limit: int = 4096, piece_limit: int = 256) -> Truth:
    """The true answer: enumeration where the case is small and pure integer, else pieces."""
    if any(lo > hi for lo, hi in (cell_bounds(case, v.name) for v in case.variables)):
        try:
            check_references(case)
        except InvalidCase as exc:
            return Truth("invalid", detail=exc.code, method="bounds")
        return Truth("infeasible", method="bounds", detail="a variable's bounds hold no value")
    found = enumerate_optimum(case, enum_limit)
    if found.status != "unknown" or case.goals or is_quadratic(case):
        return found  # the pieces are linear programs with one objective
    return branch_optimum(case, piece_limit)
