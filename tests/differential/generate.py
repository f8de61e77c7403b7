"""Random small cases in the differential suite's AST, from hypothesis or a seeded RNG.

One generator, two sources of choices (:class:`Drawer`): hypothesis in the tests (so
failures shrink and CI is deterministic) and :class:`random.Random` in
benchmarks/differential.py (so a long run is cheap and each case is reproducible by
its seed). Every case is valid by docs/spec-format.md, except that with probability
``Size.invalid`` an index offset, or a reference to a cell outside a sparse domain outside
any sum, is left unguarded (the oracle then expects "invalid").
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from hypothesis import strategies as st

from tests.differential.cases import (
    Add,
    BinLit,
    Case,
    Cmp,
    ConstraintDef,
    Count,
    Div,
    FBool,
    FCmp,
    Func,
    Goal,
    Idx,
    Implies,
    Items,
    Num,
    ParamDef,
    ParamRef,
    Prod,
    Range,
    Scale,
    SetDef,
    Square,
    Sum,
    VarDef,
    VarRef,
)
from tests.differential.oracle import in_domain

T = TypeVar("T")


class Drawer(Protocol):
    def integer(self, lo: int, hi: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...

    def chance(self, p: float) -> bool:
        """True with probability p (shrinks to False)."""
        ...


class RandomDrawer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


class HypothesisDrawer:
    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self.draw = draw

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def choice(self, options: Sequence[T]) -> T:
        return options[self.draw(st.integers(0, len(options) - 1))]

    def chance(self, p: float) -> bool:
        return self.draw(st.integers(0, 999)) >= 1000 - round(p * 1000)


@dataclass(frozen=True)
class Size:
    """How big and how adventurous cases are (the fast and long profiles differ)."""

    max_set_size: int = 3
    max_vars: int = 3
    max_constraints: int = 3
    max_terms: int = 2
    func_depth: int = 2
    unbounded: float = 0.08
    """Chance that a variable's bound is missing."""
    big: float = 0.05
    """Chance that a right-hand side or a continuous bound is drawn from _BIG."""
    invalid: float = 0.03
    """Chance that an index offset or a sparse cell is left unguarded (the case is then invalid)."""
    sparse: float = 0.3
    """Chance that an indexed variable exists only on a filtered domain (``over``/``where``)."""
    quadratic: float = 0.25
    """Chance that an enumerable case's objective gets a product or a square."""
    lexicographic: float = 0.2
    """Chance that an enumerable case has two priority levels instead of one objective."""


FAST = Size()
LONG = Size(max_set_size=3, max_vars=4, max_constraints=4, max_terms=3, unbounded=0.12)

_COEFS = (1.0, 1.0, 2.0, 3.0, -1.0, -2.0, 0.5, -0.5, 1.5)
_RHS = (0.0, 1.0, 2.0, 3.0, -1.0, -2.0, 4.0, 5.0, 0.5, 1.5, -0.5, 2.5)
_BIG = (20.0, 30.0, -25.0, 100.0, 12.5)
"""Magnitudes past 10, where relative and absolute tolerances part ways."""
_PARAM_VALUES = (0.0, 1.0, 2.0, -1.0, 3.0, 0.5, -2.0)


@dataclass
class _Scope:
    """Index names bound around an expression, and guards that offsets need."""

    binders: list[tuple[str, str]] = field(default_factory=list)
    guards: dict[str, list[Any]] = field(default_factory=dict)
    summed: frozenset[str] = frozenset()
    """Names bound by a sum or comprehension (which skips missing sparse cells by itself)."""

    def extended(self, more: list[tuple[str, str]], summed: bool = False) -> _Scope:
        names = frozenset(n for n, _ in more) if summed else frozenset()
        return _Scope(self.binders + more, {**self.guards, **{n: [] for n, _ in more}}, self.summed | names)


class _Gen:
    def __init__(self, d: Drawer, size: Size) -> None:
        self.d = d
        self.size = size
        self.tags: set[str] = set()
        self.fresh = 0
        self.sets: list[SetDef] = []
        self.params: list[ParamDef] = []
        self.vars: list[VarDef] = []

    # -- data ---------------------------------------------------------------------------

    def data(self) -> None:
        d = self.d
        for k in range(d.integer(0, 2)):
            n = d.integer(1, self.size.max_set_size)
            if d.chance(0.5):
                start = d.choice((1, 0, -1, 2))
                self.sets.append(SetDef("TU"[k], tuple(range(start, start + n)), is_range=True))
                self.tags.add("range-set")
            else:
                self.sets.append(SetDef("IJ"[k], tuple("abcd"[:n])))
        for k, s in enumerate(self.sets):
            if d.chance(0.7):
                keys = [(m,) for m in s.members]
                values = {key: d.choice(_PARAM_VALUES) for key in keys}
                sparse = d.chance(0.3)
                default = None
                if sparse:
                    default = d.choice(_PARAM_VALUES)
                    values = {key: v for key, v in values.items() if d.chance(0.5)}
                    self.tags.add("sparse-param")
                self.params.append(ParamDef("pq"[k], (s.name,), values, default, sparse))
        if len(self.sets) == 2 and d.chance(0.5):
            a, b = self.sets
            values = {(m1, m2): d.choice(_PARAM_VALUES) for m1 in a.members for m2 in b.members}
            self.params.append(ParamDef("r", (a.name, b.name), values))
            self.tags.add("2d-param")
        if d.chance(0.3):
            self.params.append(ParamDef("s", (), {(): d.choice((1.0, 2.0, 3.0, -1.0))}))
        for k in range(d.integer(1, self.size.max_vars)):
            self.vars.append(self.variable("xyzw"[k]))

    def rhs(self) -> float:
        if self.d.chance(self.size.big):
            self.tags.add("big-number")
            return self.d.choice(_BIG)
        return self.d.choice(_RHS)

    def variable(self, name: str) -> VarDef:
        d = self.d
        index: tuple[str, ...] = ()
        if self.sets and d.chance(0.6):
            index = (d.choice(self.sets).name,)
            if len(self.sets) == 2 and d.chance(0.35):
                index = (self.sets[0].name, self.sets[1].name)
        domain = d.choice(("continuous", "integer", "binary"))
        self.tags.add(f"domain-{domain}")
        if len(index) == 2:
            self.tags.add("2d-var")
        if domain == "binary":
            return VarDef(name, index, domain, 0.0, 1.0)
        lows = (0.0, -1.0, -2.0, 1.0, -3.0) + ((-0.5, -1.5) if domain == "integer" else (-1.5,))
        highs = (1.0, 2.0, 3.0, 0.0, 5.0) + ((0.5, 2.5, -0.5) if domain == "integer" else (0.5,))
        if domain == "continuous" and d.chance(self.size.big):
            lows, highs = (-50.0, 0.0, -12.5), (50.0, 100.0, 30.0)
            self.tags.add("big-number")
        lo = None if d.chance(self.size.unbounded) else d.choice(lows)
        hi = None if d.chance(self.size.unbounded) else d.choice(highs)
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        if (lo is not None and lo < 0) or (hi is not None and hi < 0):
            self.tags.add("negative-bound")
        if lo is None or hi is None:
            self.tags.add("infinite-bound")
        if domain == "integer" and any(v is not None and not float(v).is_integer() for v in (lo, hi)):
            self.tags.add("fractional-integer-bound")
        if index and d.chance(self.size.sparse):
            return self.sparse(VarDef(name, index, domain, lo, hi))
        return VarDef(name, index, domain, lo, hi)

    def sparse(self, var: VarDef) -> VarDef:
        """The variable on a filtered domain with at least one cell (else it stays dense): a filter
        like a constraint's, or ``m != n`` across two sets of the same kind (members may coincide)."""
        for _ in range(3):
            sparse = self.domain(var)
            if self.domain_cells(sparse):
                self.tags.add("sparse-var")
                return sparse
        return var

    def domain(self, var: VarDef) -> VarDef:
        over = ("m", "n")[: len(var.index)]
        binders = list(zip(over, var.index, strict=True))
        sets = [next(s for s in self.sets if s.name == name) for name in var.index]
        if len(sets) == 2 and sets[0].is_range == sets[1].is_range and self.d.chance(0.5):
            ops = ("!=", "<", "<=") if sets[0].is_range else ("!=", "==")
            where: Any = FCmp(Idx("m"), self.d.choice(ops), Idx("n"))
        else:
            where = self.filter(binders)
        if self.d.chance(0.2):
            self.tags.add("or-domain")
            where = FBool("or", (where, self.filter(binders)))
        return VarDef(var.name, var.index, var.domain, var.lower, var.upper, over, where)

    def domain_cells(self, var: VarDef) -> list[tuple[Any, ...]]:
        case = Case(tuple(self.sets), tuple(self.params), (var,), "minimize", Num(0.0), ())
        keys = itertools.product(*(case.set(s).members for s in var.index))
        return [key for key in keys if in_domain(case, var.name, key)]

    # -- expressions --------------------------------------------------------------------

    def name(self, set_name: str) -> str:
        self.fresh += 1
        return f"{set_name.lower()}{self.fresh}"

    def index_for(self, set_name: str, scope: _Scope, offsets: bool = True) -> Idx:
        s = next(s for s in self.sets if s.name == set_name)
        bound = [n for n, sn in scope.binders if sn == set_name]
        if bound and self.d.chance(0.85):
            n = bound[-1] if self.d.chance(0.7) else self.d.choice(bound)
            if offsets and s.is_range and self.d.chance(0.25):
                offset = self.d.choice((-1, 1))
                self.tags.add("index-offset")
                if self.d.chance(self.size.invalid):
                    self.tags.add("unguarded-offset")
                elif offset < 0:
                    scope.guards[n].append(FCmp(Idx(n), ">", Num(float(s.members[0]))))
                else:
                    scope.guards[n].append(FCmp(Idx(n), "<", Num(float(s.members[-1]))))
                return Idx(n, offset=offset)
            return Idx(n)
        self.tags.add("literal-index")
        return Idx(literal=self.d.choice(s.members))

    def var_ref(self, scope: _Scope, var: VarDef | None = None) -> VarRef:
        var = var or self.d.choice(self.vars)
        idx = tuple(self.index_for(s, scope, offsets=var.where is None) for s in var.index)
        if var.where is not None:
            idx = self.on_domain(var, idx, scope)
        return VarRef(var.name, idx)

    def on_domain(self, var: VarDef, idx: tuple[Idx, ...], scope: _Scope) -> tuple[Idx, ...]:
        """A reference to a sparse variable that names only existing cells (docs/spec-format.md).

        Literal indices are drawn from the domain. Otherwise the domain's filter, read at the
        reference's indices, guards the innermost level binding one of them; when that level is a
        sum it may instead skip the missing cells by itself. With probability ``Size.invalid`` a
        reference outside any sum stays unguarded (the oracle then finds the case invalid, unless
        no row reaches a missing cell).
        """
        names = [i.name for i in idx if i.name is not None]
        unguarded = self.d.chance(self.size.invalid)
        if not names:
            if unguarded:
                self.tags.add("unguarded-domain")
                return idx
            return tuple(Idx(literal=m) for m in self.d.choice(self.domain_cells(var)))
        order = [n for n, _ in scope.binders]
        innermost = max(names, key=order.index)
        if innermost in scope.summed and self.d.chance(0.5):
            self.tags.add("domain-skip")
        elif unguarded and innermost not in scope.summed:
            self.tags.add("unguarded-domain")
        else:
            scope.guards[innermost].append(_substitute(var.where, dict(zip(var.over, idx, strict=True))))
            self.tags.add("domain-guard")
        return idx

    def coef(self, scope: _Scope) -> Num | ParamRef:
        usable = [p for p in self.params if all(any(sn == s for _, sn in scope.binders) for s in p.index)]
        if usable and self.d.chance(0.25):
            p = self.d.choice(usable)
            self.tags.add("param-coef")
            return ParamRef(p.name, tuple(self.index_for(s, scope) for s in p.index))
        return Num(self.d.choice(_COEFS))

    def linear(self, scope: _Scope, depth: int, nterms: int | None = None) -> Any:
        """A sum of terms whose first term always holds a variable (a check rule)."""
        n = nterms or self.d.integer(1, self.size.max_terms)
        terms = tuple((self.d.choice((1, 1, -1)), self.term(scope, depth, var=k == 0)) for k in range(n))
        if len(terms) == 1 and terms[0][0] == 1:
            return terms[0][1]
        return Add(terms)

    def term(self, scope: _Scope, depth: int, var: bool = False) -> Any:
        d = self.d
        kind = d.choice(("var", "var", "var", "sum", "sum", "func") + (() if var else ("const",)))
        if kind == "func" and depth > 0:
            return self.func(scope, depth - 1)
        if kind == "sum" and self.sets:
            return self.sum(scope, depth)
        if kind == "const":
            self.tags.add("constant-term")
            return Num(self.rhs())
        ref = self.var_ref(scope)
        c = self.coef(scope)
        return ref if c == Num(1.0) else Scale(c, ref)

    def func(self, scope: _Scope, depth: int) -> Func:
        name = self.d.choice(("abs", "abs", "min", "max"))
        self.tags.add(name)
        if depth < self.size.func_depth - 1:
            self.tags.add("nested-func")
        nargs = 1 if name == "abs" else self.d.integer(2, 3)
        return Func(name, tuple(self.linear(scope, depth, self.d.integer(1, 2)) for _ in range(nargs)))

    def sum(self, scope: _Scope, depth: int) -> Sum:
        d = self.d
        picked = [d.choice(self.sets)]
        if len(self.sets) == 2 and d.chance(0.3):
            picked = list(self.sets)
            self.tags.add("sum-two-sets")
        binders = [(self.name(s.name), s.name) for s in picked]
        inner = scope.extended(binders, summed=True)
        filt = self.filter(binders) if d.chance(0.4) else None
        divisor = [p for p in self.params if p.index == (picked[0].name,)]
        if divisor and d.chance(0.2):
            p = divisor[0]
            guard = FCmp(ParamRef(p.name, (Idx(binders[0][0]),)), d.choice((">", "!=")), Num(0.0))
            body: Any = Div(self.var_ref(inner), ParamRef(p.name, (Idx(binders[0][0]),)))
            filt = guard if filt is None else FBool("and", (guard, filt))
            self.tags.add("filtered-division")
        elif d.chance(0.1):
            body = Div(self.var_ref(inner), Num(d.choice((2.0, -4.0))))
            self.tags.add("division")
        elif depth > 0 and d.chance(0.15):
            body = self.func(inner, depth - 1)
            self.tags.add("func-in-sum")
        else:
            ref = self.var_ref(inner)
            c = self.coef(inner)
            body = ref if c == Num(1.0) else Scale(c, ref)
        guards = [g for n, _ in binders for g in inner.guards[n]]
        for g in guards:
            filt = g if filt is None else FBool("and", (filt, g))
        if filt is not None:
            self.tags.add("filter")
        return Sum(body, tuple(binders), filt)

    def filter(self, binders: list[tuple[str, str]]) -> Any:
        d = self.d
        n, s_name = d.choice(binders)
        s = next(s for s in self.sets if s.name == s_name)
        params = [p for p in self.params if p.index == (s_name,)]
        if params and d.chance(0.4):
            p = params[0]
            f: Any = FCmp(
                ParamRef(p.name, (Idx(n),)), d.choice((">", ">=", "<=", "!=")), Num(d.choice((0.0, 1.0)))
            )
            self.tags.add("param-filter")
        elif s.is_range:
            f = FCmp(Idx(n), d.choice((">", "<=", "!=", "==")), Num(float(d.choice(s.members))))
        else:
            f = FCmp(Idx(n), d.choice(("!=", "==")), Idx(literal=d.choice(s.members)))
        if d.chance(0.15):
            self.tags.add("not-filter")
            f = FBool("not", (f,))
        if d.chance(0.1):
            self.tags.add("or-filter")
            f = FBool("or", (f, self.filter(binders)))
        return f

    # -- constraints --------------------------------------------------------------------

    def constraint(self, k: int) -> ConstraintDef:
        d = self.d
        binders: list[tuple[str, str]] = []
        if self.sets and d.chance(0.5):
            picked = [d.choice(self.sets)]
            if len(self.sets) == 2 and d.chance(0.3):
                picked = list(self.sets)
            binders = [(self.name(s.name), s.name) for s in picked]
            self.tags.add(f"for-{len(binders)}")
        scope = _Scope().extended(binders)
        where = self.filter(binders) if binders and d.chance(0.3) else None
        kind = d.choice(("cmp", "cmp", "range", "eq", "implies", "either", "at_least", "at_most", "exactly"))
        self.tags.add(f"c-{kind}")
        depth = self.size.func_depth
        if kind == "cmp":
            rhs = self.linear(scope, 0, 1) if d.chance(0.2) else Num(self.rhs())
            body: Any = Cmp(self.linear(scope, depth), d.choice(("<=", ">=")), rhs)
        elif kind == "eq":
            body = Cmp(self.linear(scope, depth), "==", Num(self.rhs()))
        elif kind == "range":
            lo, hi = sorted((self.rhs(), self.rhs()))
            body = Range(lo, self.linear(scope, depth), hi)
        elif kind == "implies":
            body = Implies(self.condition(scope, negatable=True), self.comparison(scope, eq_ok=True))
        else:
            body = self.count(kind, scope)
        guards = [g for n, _ in binders for g in scope.guards[n]]
        for g in guards:
            where = g if where is None else FBool("and", (where, g))
        if where is not None:
            self.tags.add("where")
        return ConstraintDef(f"c{k}", tuple(binders), where, body)

    def comparison(self, scope: _Scope, eq_ok: bool) -> Any:
        d = self.d
        if eq_ok and d.chance(0.15):
            lo, hi = sorted((self.rhs(), self.rhs()))
            return Range(lo, self.linear(scope, 1), hi)
        ops = ("<=", ">=", "==") if eq_ok else ("<=", ">=")
        return Cmp(self.linear(scope, 1), d.choice(ops), Num(self.rhs()))

    def binary_literal(self, scope: _Scope) -> BinLit | None:
        binaries = [v for v in self.vars if v.domain == "binary"]
        if not binaries:
            return None
        value = self.d.choice((None, 1, 0))
        self.tags.add("binary-condition")
        if value == 0:
            self.tags.add("negated-condition")
        return BinLit(self.var_ref(scope, self.d.choice(binaries)), value)

    def condition(self, scope: _Scope, negatable: bool) -> Any:
        lit = self.binary_literal(scope) if self.d.chance(0.5) else None
        if lit is not None:
            return lit
        self.tags.add("linear-condition")
        return self.comparison(scope, eq_ok=not negatable)

    def count(self, kind: str, scope: _Scope) -> Count:
        d = self.d
        negatable = kind in ("at_most", "exactly")
        if negatable:
            self.tags.add("negated-condition")
        indexed = [v for v in self.vars if len(v.index) == 1]
        if kind != "either" and indexed and d.chance(0.3):
            var = d.choice(indexed)
            n, set_name = self.name(var.index[0]), var.index[0]
            ref = VarRef(var.name, (Idx(n),))
            item: Any = BinLit(ref, d.choice((None, 1)))
            if var.domain != "binary":
                item = Cmp(ref, d.choice(("<=", ">=")), Num(self.rhs()))
            filt = self.filter([(n, set_name)]) if d.chance(0.3) else None
            if var.where is not None and d.chance(0.5):
                guard = _substitute(var.where, {var.over[0]: Idx(n)})
                filt = guard if filt is None else FBool("and", (filt, guard))
                self.tags.add("domain-guard")
            elif var.where is not None:
                self.tags.add("domain-skip")
            items: tuple[Any, ...] = (Items(item, ((n, set_name),), filt),)
            self.tags.add("items-comprehension")
            total = len(next(s for s in self.sets if s.name == set_name).members)
        else:
            items = tuple(self.condition(scope, negatable) for _ in range(d.integer(2, 3)))
            total = len(items)
        if kind == "either":
            return Count("either", 1, items)
        k = d.integer(0, total)
        k_param = None
        if d.chance(0.2):
            k_param = "kk"
            existing = [p for p in self.params if p.name == "kk"]
            if existing:
                k = int(existing[0].values[()])
            else:
                self.params.append(ParamDef("kk", (), {(): float(k)}))
            self.tags.add("k-param")
        return Count(kind, k, items, k_param)

    def enumerable(self) -> bool:
        """Every variable integer or binary with both bounds: the oracle can list every point."""
        return all(v.domain != "continuous" and None not in (v.lower, v.upper) for v in self.vars)

    def quadratic(self) -> Any:
        """``c * a * b`` or ``c * (a - k) ** 2``, alone or summed over a set (any sign: the oracle
        enumerates, so nonconvex terms are decided exactly)."""
        d = self.d
        binders: list[tuple[str, str]] = []
        if self.sets and d.chance(0.3):
            s = d.choice(self.sets)
            binders = [(self.name(s.name), s.name)]
            self.tags.add("quadratic-sum")
        scope = _Scope().extended(binders, summed=True)
        if d.chance(0.5):
            q: Any = Prod(self.var_ref(scope), self.var_ref(scope))
            self.tags.add("quadratic-product")
        else:
            ref = self.var_ref(scope)
            q = Square(ref if d.chance(0.5) else Add(((1, ref), (-1, Num(d.choice((1.0, 2.0, 0.5)))))))
            self.tags.add("quadratic-square")
        c = Num(d.choice(_COEFS))
        q = q if c == Num(1.0) else Scale(c, q)
        if not binders:
            return q
        guards = [g for n, _ in binders for g in scope.guards[n]]
        filt = None
        for g in guards:
            filt = g if filt is None else FBool("and", (filt, g))
        return Sum(q, tuple(binders), filt)

    def case(self) -> Case:
        self.data()
        constraints = []
        for k in range(self.d.integer(0, self.size.max_constraints)):
            c = self.constraint(k)
            constraints.append(c)
        objective = self.linear(_Scope(), self.size.func_depth)
        sense = self.d.choice(("minimize", "maximize"))
        _position_tags(objective, 1 if sense == "minimize" else -1, self.tags)
        goals: tuple[Goal, ...] = ()
        if self.enumerable() and self.d.chance(self.size.quadratic):
            objective = Add(((1, objective), (self.d.choice((1, -1)), self.quadratic())))
        elif self.enumerable() and self.d.chance(self.size.lexicographic):
            goals = (self.first_level(), Goal("g2", sense, objective, 2))
        for c in constraints:
            _constraint_position_tags(c.body, self.tags)
        return Case(
            tuple(self.sets),
            tuple(self.params),
            tuple(self.vars),
            sense,
            objective,
            tuple(constraints),
            frozenset(self.tags),
            goals,
        )

    def first_level(self) -> Goal:
        """Priority 1 of a lexicographic case (the drawn objective becomes priority 2), optionally
        held within an absolute tolerance."""
        expression = self.linear(_Scope(), self.size.func_depth)
        sense = self.d.choice(("minimize", "maximize"))
        _position_tags(expression, 1 if sense == "minimize" else -1, self.tags)
        tolerance = self.d.choice((0.0, 0.0, 1.0, 2.5, 0.5))
        self.tags.add("lexicographic")
        if tolerance:
            self.tags.add("lex-tolerance")
        return Goal("g1", sense, expression, 1, tolerance)


def _substitute(f: Any, names: dict[str, Idx]) -> Any:
    """A domain filter read at a reference's indices (``over`` names replaced by them)."""
    if isinstance(f, FBool):
        return FBool(f.op, tuple(_substitute(a, names) for a in f.args))

    def term(t: Any) -> Any:
        if isinstance(t, Idx) and t.name is not None:
            return names[t.name]
        if isinstance(t, ParamRef):
            return ParamRef(t.name, tuple(term(i) for i in t.idx))
        return t

    return FCmp(term(f.lhs), f.op, term(f.rhs))


def _position_tags(e: Any, sign: int, tags: set[str]) -> None:
    """Tag abs/min/max by position: ``sign`` +1 where a larger value is worse (minimised side).

    abs and max where larger is worse, min where larger is better, are convex uses (an
    epigraph suffices); anything else, including sign 0 (both ways), needs binaries.
    """
    if isinstance(e, Add):
        for s, t in e.terms:
            _position_tags(t, sign * s, tags)
    elif isinstance(e, Scale):
        factor = e.factor.value if isinstance(e.factor, Num) else 0.0
        _position_tags(e.e, sign * (factor > 0) - sign * (factor < 0), tags)
    elif isinstance(e, Div):
        divisor = e.divisor.value if isinstance(e.divisor, Num) else 0.0
        _position_tags(e.e, sign * (divisor > 0) - sign * (divisor < 0), tags)
    elif isinstance(e, Sum):
        _position_tags(e.body, sign, tags)
    elif isinstance(e, Func):
        convex = (e.name in ("abs", "max") and sign > 0) or (e.name == "min" and sign < 0)
        tags.add("func-convex" if convex else "func-nonconvex")
        inner = 0 if e.name == "abs" else sign
        for a in e.args:
            _position_tags(a, inner, tags)


def _constraint_position_tags(body: Any, tags: set[str]) -> None:
    if isinstance(body, Cmp):
        sign = {"<=": 1, ">=": -1, "==": 0}[body.op]
        _position_tags(body.lhs, sign, tags)
        _position_tags(body.rhs, -sign, tags)
    elif isinstance(body, Range):
        _position_tags(body.e, 0, tags)
    elif isinstance(body, Implies | Count):  # logic reads its comparisons both ways
        parts = (body.cond, body.then) if isinstance(body, Implies) else body.items
        for it in parts:
            it = it.item if isinstance(it, Items) else it
            for side in (it.lhs, it.rhs) if isinstance(it, Cmp) else (it.e,) if isinstance(it, Range) else ():
                _position_tags(side, 0, tags)


def generate(d: Drawer, size: Size = FAST) -> Case:
    """One random case."""
    return _Gen(d, size).case()


def cases(size: Size = FAST) -> st.SearchStrategy[Case]:
    """Hypothesis strategy of cases."""

    @st.composite
    def strategy(draw: Callable[[st.SearchStrategy[Any]], Any]) -> Case:
        return generate(HypothesisDrawer(draw), size)

    return strategy()
