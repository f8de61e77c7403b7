"""The differential suite's own small model AST, rendered to spec JSON.

A generated case is kept as this AST, not as spec text, so that the same case can be
rendered for nl2opt (:func:`to_spec`) and evaluated by the oracle without going
through nl2opt's parser. Nothing here imports nl2opt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Member = str | int


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetDef:
    """A set of string names, or an inclusive integer range (which allows index arithmetic)."""

    name: str
    members: tuple[Member, ...]
    is_range: bool = False


@dataclass(frozen=True)
class ParamDef:
    """A scalar (``index == ()``) or a table; ``values`` maps member tuples to numbers.

    A sparse table lists only some keys and falls back to ``default``.
    """

    name: str
    index: tuple[str, ...]
    values: dict[tuple[Member, ...], float]
    default: float | None = None
    sparse: bool = False


@dataclass(frozen=True)
class VarDef:
    """A variable; with ``where`` it exists only on the cells of its index product the filter keeps.

    ``over`` names the index positions (one per set of ``index``) that ``where`` reads.
    """

    name: str
    index: tuple[str, ...]
    domain: str  # continuous | integer | binary
    lower: float | None
    upper: float | None
    over: tuple[str, ...] = ()
    where: Any = None


# -- index positions and filters ------------------------------------------------------------


@dataclass(frozen=True)
class Idx:
    """An index position: a bound name (plus integer offset), or a literal member."""

    name: str | None = None
    literal: Member | None = None
    offset: int = 0


@dataclass(frozen=True)
class FCmp:
    """A filter comparison; sides are Idx, ParamRef or Num."""

    lhs: Any
    op: str
    rhs: Any


@dataclass(frozen=True)
class FBool:
    op: str  # and | or | not
    args: tuple[Any, ...]


# -- numeric expressions --------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class ParamRef:
    name: str
    idx: tuple[Idx, ...] = ()


@dataclass(frozen=True)
class VarRef:
    name: str
    idx: tuple[Idx, ...] = ()


@dataclass(frozen=True)
class Scale:
    """``factor * e`` with a constant or parameter factor."""

    factor: Num | ParamRef
    e: Any


@dataclass(frozen=True)
class Div:
    """``e / divisor`` with a parameter (or nonzero constant) divisor."""

    e: Any
    divisor: Num | ParamRef


@dataclass(frozen=True)
class Add:
    """``±t0 ± t1 ...``: a tuple of (sign, term)."""

    terms: tuple[tuple[int, Any], ...]


@dataclass(frozen=True)
class Sum:
    """``sum(body for n in S ... if filter)``; binders are (name, set name)."""

    body: Any
    binders: tuple[tuple[str, str], ...]
    filter: Any = None


@dataclass(frozen=True)
class Prod:
    """``a * b``: a product of two variable references (quadratic)."""

    a: Any
    b: Any


@dataclass(frozen=True)
class Square:
    """``e ** 2`` (quadratic)."""

    e: Any


@dataclass(frozen=True)
class Func:
    name: str  # abs | min | max
    args: tuple[Any, ...]


# -- constraints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cmp:
    lhs: Any
    op: str  # <= | >= | ==
    rhs: Any


@dataclass(frozen=True)
class Range:
    lo: float
    e: Any
    hi: float


@dataclass(frozen=True)
class BinLit:
    """A binary variable as a condition: ``b`` (value None), ``b == 1`` or ``b == 0``."""

    var: VarRef
    value: int | None = None


@dataclass(frozen=True)
class Items:
    """``[item for n in S if filter]`` inside at_least/at_most/exactly."""

    item: Any
    binders: tuple[tuple[str, str], ...]
    filter: Any = None


@dataclass(frozen=True)
class Implies:
    cond: Any  # BinLit | Cmp
    then: Any  # Cmp | Range


@dataclass(frozen=True)
class Count:
    """either (k=1, at least) / at_least / at_most / exactly over items (BinLit | Cmp | Items)."""

    kind: str
    k: int
    items: tuple[Any, ...]
    k_param: str | None = None


@dataclass(frozen=True)
class ConstraintDef:
    name: str
    binders: tuple[tuple[str, str], ...]
    where: Any
    body: Any


@dataclass(frozen=True)
class Goal:
    """One level of a lexicographic case (weight 1, one goal per priority)."""

    name: str
    sense: str
    expression: Any
    priority: int
    tolerance: float = 0.0


@dataclass(frozen=True)
class Case:
    """A generated model; with ``goals`` it is lexicographic and ``objective``/``sense`` repeat
    its last level (the value nl2opt reports as ``Result.objective``)."""

    sets: tuple[SetDef, ...]
    params: tuple[ParamDef, ...]
    variables: tuple[VarDef, ...]
    sense: str
    objective: Any
    constraints: tuple[ConstraintDef, ...]
    tags: frozenset[str] = field(default_factory=frozenset)
    """Constructs the generator used, for per-construct counts."""
    goals: tuple[Goal, ...] = ()

    def set(self, name: str) -> SetDef:
        return next(s for s in self.sets if s.name == name)

    def param(self, name: str) -> ParamDef:
        return next(p for p in self.params if p.name == name)

    def var(self, name: str) -> VarDef:
        return next(v for v in self.variables if v.name == name)


# -- rendering ------------------------------------------------------------------------------


def fmt_num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _member(m: Member) -> str:
    return repr(m) if isinstance(m, str) else str(m)


def render_idx(i: Idx) -> str:
    if i.name is None:
        return _member(i.literal)  # type: ignore[arg-type]
    if i.offset:
        return f"{i.name} {'+' if i.offset > 0 else '-'} {abs(i.offset)}"
    return i.name


def _ref(name: str, idx: tuple[Idx, ...]) -> str:
    return f"{name}[{', '.join(render_idx(i) for i in idx)}]" if idx else name


def _binders(binders: tuple[tuple[str, str], ...]) -> str:
    return " ".join(f"for {n} in {s}" for n, s in binders)


def render_filter(f: Any) -> str:
    if isinstance(f, FCmp):
        return f"{_fterm(f.lhs)} {f.op} {_fterm(f.rhs)}"
    if f.op == "not":
        return f"not ({render_filter(f.args[0])})"
    return f" {f.op} ".join(f"({render_filter(a)})" for a in f.args)


def _fterm(t: Any) -> str:
    if isinstance(t, Idx):
        return render_idx(t)
    return render(t)


def render(e: Any) -> str:
    """Spec text of a numeric expression, parenthesised where precedence needs it."""
    if isinstance(e, Num):
        return fmt_num(e.value) if e.value >= 0 else f"({fmt_num(e.value)})"
    if isinstance(e, ParamRef | VarRef):
        return _ref(e.name, e.idx)
    if isinstance(e, Scale):
        return f"{render(e.factor)} * {_atom(e.e)}"
    if isinstance(e, Div):
        return f"{_atom(e.e)} / {render(e.divisor)}"
    if isinstance(e, Add):
        out = ""
        for k, (sign, t) in enumerate(e.terms):
            text = _atom(t) if isinstance(t, Add) else render(t)
            if k == 0:
                out = text if sign > 0 else f"-{_atom(t)}"
            else:
                out += f" {'+' if sign > 0 else '-'} {_atom(t) if sign < 0 else text}"
        return out
    if isinstance(e, Sum):
        cond = f" if {render_filter(e.filter)}" if e.filter is not None else ""
        return f"sum({render(e.body)} {_binders(e.binders)}{cond})"
    if isinstance(e, Func):
        return f"{e.name}({', '.join(render(a) for a in e.args)})"
    if isinstance(e, Prod):
        return f"{_atom(e.a)} * {_atom(e.b)}"
    if isinstance(e, Square):
        return f"{_atom(e.e)} ** 2"
    raise TypeError(f"not an expression: {e!r}")


def _atom(e: Any) -> str:
    text = render(e)
    return f"({text})" if isinstance(e, Add | Scale | Div) else text


def render_body(b: Any) -> str:
    """Spec text of a constraint expression or a logic item."""
    if isinstance(b, Cmp):
        return f"{render(b.lhs)} {b.op} {render(b.rhs)}"
    if isinstance(b, Range):
        return f"{fmt_num(b.lo)} <= {render(b.e)} <= {fmt_num(b.hi)}"
    if isinstance(b, BinLit):
        ref = render(b.var)
        return ref if b.value is None else f"{ref} == {b.value}"
    if isinstance(b, Items):
        cond = f" if {render_filter(b.filter)}" if b.filter is not None else ""
        return f"{render_body(b.item)} {_binders(b.binders)}{cond}"
    if isinstance(b, Implies):
        return f"implies({render_body(b.cond)}, {render_body(b.then)})"
    if isinstance(b, Count):
        if b.kind == "either":
            return f"either({', '.join(render_body(i) for i in b.items)})"
        k = b.k_param or str(b.k)
        if len(b.items) == 1 and isinstance(b.items[0], Items):
            return f"{b.kind}({k}, [{render_body(b.items[0])}])"
        return f"{b.kind}({k}, [{', '.join(render_body(i) for i in b.items)}])"
    raise TypeError(f"not a constraint: {b!r}")


def _dense(p: ParamDef, case: Case) -> Any:
    sets = [case.set(s).members for s in p.index]

    def table(depth: int, key: tuple[Member, ...]) -> Any:
        if depth == len(sets):
            return p.values[key]
        return [table(depth + 1, (*key, m)) for m in sets[depth]]

    return table(0, ())


def to_spec(case: Case, name: str = "differential") -> dict[str, Any]:
    """The case as a spec dict (docs/spec-format.md), ready for ``ModelSpec.model_validate``."""
    sets = [
        {
            "name": s.name,
            "elements": None if s.is_range else list(s.members),
            "range": {"start": s.members[0], "stop": s.members[-1]} if s.is_range else None,
        }
        for s in case.sets
    ]
    params = []
    for p in case.params:
        entry: dict[str, Any] = {"name": p.name, "index": list(p.index)}
        if not p.index:
            entry["value"] = p.values[()]
        elif p.sparse:
            entry["value"] = p.default
            entry["entries"] = [{"key": list(k), "value": v} for k, v in p.values.items()]
        else:
            entry["values"] = _dense(p, case)
        params.append(entry)
    variables = []
    for v in case.variables:
        var: dict[str, Any] = {
            "name": v.name,
            "index": list(v.index),
            "domain": v.domain,
            "lower": v.lower,
            "upper": v.upper,
        }
        if v.where is not None:
            var["over"] = [f"{n} in {s}" for n, s in zip(v.over, v.index, strict=True)]
            var["where"] = render_filter(v.where)
        variables.append(var)
    objectives = [
        {
            "name": g.name,
            "sense": g.sense,
            "expression": render(g.expression),
            "priority": g.priority,
            "tolerance": g.tolerance,
        }
        for g in case.goals
    ]
    return {
        "schema_version": "1",
        "name": name,
        "sets": sets,
        "parameters": params,
        "variables": variables,
        "objective": None if objectives else {"sense": case.sense, "expression": render(case.objective)},
        **({"objectives": objectives} if objectives else {}),
        "constraints": [
            {
                "name": c.name,
                "for": [f"{n} in {s}" for n, s in c.binders],
                "where": render_filter(c.where) if c.where is not None else None,
                "expression": render_body(c.body),
            }
            for c in case.constraints
        ],
    }
