"""Checks of the indices inside ``name[...]``: arity, membership and set agreement.

Each index position of a table expects a member of one set (or one component of a
set of tuples). An index is a bound name, a literal member or integer index
arithmetic; from it we know which values it can take, so each position can be
checked for count, membership and agreement with the expected set before any
row is expanded.

Literal types are exact: the integer 3 matches the integer member 3 but not the
string member "3", and vice versa, because the compiler looks members up by value
and type; the hint then names the right spelling.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from nl2opt.diagnostics import Severity
from nl2opt.expr.nodes import BinOp, Call, Name, Neg, Node, Num, Str, Subscript, shift_of, to_text
from nl2opt.symbols import SetInfo, Symbols


@dataclass(frozen=True)
class Bound:
    """What a bound index name ranges over: a set, and a component when the set holds tuples."""

    set: str | None
    """None when the binding itself was wrong (already reported)."""
    comp: int | None = None
    width: int = 1


@dataclass(frozen=True)
class Scope:
    names: Mapping[str, Bound] = field(default_factory=dict)
    filtered: bool = False
    """True inside a ``where``/``if``: index arithmetic may step outside its set there."""
    complete: bool = True
    """False when a ``for`` entry did not parse: unbound names may be its indices, so stay quiet."""


_UNSET: Any = object()


@dataclass(frozen=True)
class _Item:
    """What one index position can hold."""

    node: Node
    literal: object = _UNSET
    values: frozenset | None = None
    origin: tuple[str, int | None] | None = None
    """(set, component) the values come from, for a bound name."""
    arith: bool = False


def snippet(node: Node, limit: int = 70) -> str:
    """Short expression text for messages, without the outer parentheses to_text puts on a BinOp."""
    try:
        text = to_text(node)
    except (TypeError, RecursionError):
        return type(node).__name__
    if isinstance(node, BinOp) and text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _show(members: frozenset | list, limit: int = 6) -> str:
    shown = sorted(members, key=repr)[:limit]
    more = f", ... ({len(members)} in all)" if len(members) > limit else ""
    return ", ".join(repr(m) for m in shown) + more


class IndexChecker:
    """Checks subscripts against the sets they index; reports through the checker's ``error``."""

    def __init__(self, symbols: Symbols, error: Callable[..., None]) -> None:
        self.symbols = symbols
        self.error = error
        self._domains: dict[tuple[str, int | None], frozenset] = {}

    def domain(self, set_name: str, comp: int | None) -> frozenset:
        """The values one index position over ``set_name`` (component ``comp``) can take."""
        key = (set_name, comp)
        if key not in self._domains:
            members = self.symbols.sets[set_name].members
            if comp is None:
                self._domains[key] = frozenset(members)
            else:
                self._domains[key] = frozenset(
                    m[comp] for m in members if isinstance(m, tuple) and len(m) > comp
                )
        return self._domains[key]

    def check(self, node: Subscript, index_sets: tuple[str, ...], scope: Scope, unbound: Callable) -> bool:
        """Report every problem with the indices of ``node``; True when all could be resolved."""
        items = [item for idx in node.indices for item in self._classify(idx, scope, unbound)]
        sets = [self.symbols.sets.get(s) for s in index_sets]
        if any(s is None for s in sets):
            return False
        known_sets: list[SetInfo] = [s for s in sets if s is not None]
        width = sum(s.width for s in known_sets)
        if len(items) != width:
            self._arity(node, known_sets, len(items))
            return False
        ok = True
        k = 0
        for s in known_sets:
            group = items[k : k + s.width]
            k += s.width
            if s.width > 1 and all(i.literal is not _UNSET for i in group):
                member = tuple(i.literal for i in group)
                if member not in s.position:
                    self._not_member(node, member, s, frozenset(s.members))
                continue
            for comp, item in enumerate(group):
                ok &= self._slot(node, item, s, None if s.width == 1 else comp, scope, index_sets)
        return ok and all(i.literal is not _UNSET or i.values is not None or i.arith for i in items)

    def index_is_number(self, name: str, bound: Bound) -> bool:
        """Whether a bound index can be used as a number (its members are integers)."""
        if bound.set is None:
            return False
        if bound.comp is None and bound.width > 1:
            problem = f"the index {name} is a whole member of {bound.set} (a tuple)"
        else:
            dom = self.domain(bound.set, bound.comp)
            if all(_is_int(m) for m in dom):
                return True
            problem = (
                f"the index {name} runs over {bound.set}, whose members ({_show(dom, 3)}) are not numbers"
            )
        self.error(
            "check.not-a-number",
            problem + ", but it is used as a number",
            f"Use a parameter indexed by {bound.set} for the number that belongs to each member.",
        )
        return False

    def filter_literal(self, a: Node, b: Node, scope: Scope) -> None:
        """Warn when a filter compares an index with a literal that is not among its members."""
        for name, lit in ((a, b), (b, a)):
            if not (isinstance(name, Name) and name.id in scope.names and isinstance(lit, Str | Num)):
                continue
            bound = scope.names[name.id]
            if bound.set is None or (bound.comp is None and bound.width > 1):
                continue
            value = _literal_value(lit)
            dom = self.domain(bound.set, bound.comp)
            if dom and value not in dom:
                self.error(
                    "check.unknown-element",
                    f"the filter compares {name.id} (in {bound.set}) with {value!r}, which is not a member",
                    member_hint(value, dom, bound.set),
                    Severity.WARNING,
                )

    def constant(self, node: Node) -> float | None:
        """The value of a constant expression of literals and scalar parameters, or None."""
        match node:
            case Num(value=v):
                return float(v)
            case Neg(operand=a):
                v = self.constant(a)
                return None if v is None else -v
            case BinOp(op=op, left=a, right=b):
                x, y = self.constant(a), self.constant(b)
                if x is None or y is None or (op == "/" and y == 0):
                    return None
                return {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else math.nan}[op]
            case Name(id=n) if n in self.symbols.params and not self.symbols.params[n].index:
                v = float(self.symbols.params[n].values)
                return v if math.isfinite(v) else None
            case Call(func="abs" | "min" | "max" as f, args=args):
                vals = [self.constant(a) for a in args]
                if any(v is None for v in vals):
                    return None
                return abs(vals[0]) if f == "abs" else (min(vals) if f == "min" else max(vals))  # type: ignore
        return None

    def zero_entries(self, divisor: Node) -> None:
        """Warn when a divisor is a parameter table holding zeros (rows using them cannot be built)."""
        if not (isinstance(divisor, Subscript) and divisor.name in self.symbols.params):
            return
        values = self.symbols.params[divisor.name].values
        if values.size and (values == 0).any():
            self.error(
                "check.division-by-zero",
                f"`{snippet(divisor)}` is a divisor and {divisor.name} has zero entries",
                f"Filter out those members (e.g. 'if {divisor.name}[...] > 0') or fix the data.",
                Severity.WARNING,
            )

    # -- one index ------------------------------------------------------------------------
    def _classify(self, idx: Node, scope: Scope, unbound: Callable) -> list[_Item]:
        match idx:
            case Name(id=n) if n in scope.names:
                b = scope.names[n]
                if b.set is None:
                    return [_Item(idx)]
                if b.comp is None and b.width > 1:
                    return [
                        _Item(idx, values=self.domain(b.set, k), origin=(b.set, k)) for k in range(b.width)
                    ]
                return [_Item(idx, values=self.domain(b.set, b.comp), origin=(b.set, b.comp))]
            case Str() | Num():
                return [_Item(idx, literal=_literal_value(idx))]
            case Call(func="prev" | "next", args=(Name(id=n), *_)):
                b = scope.names.get(n)
                if b is None:
                    unbound(n, scope)
                    return [_Item(idx)]
                return [_Item(idx, origin=(b.set, b.comp) if b.set is not None else None, arith=True)]
            case Neg(operand=Num()) | BinOp(op="+" | "-") | Name(id=_) if self._is_arith(idx, scope):
                return [self._arith(idx, scope, unbound)]
            case Name(id=n) if self.symbols.kind(n) is None:
                unbound(n, scope)
                return [_Item(idx)]
        what = f"the {self.symbols.kind(idx.id)} {idx.id}" if isinstance(idx, Name) else f"`{snippet(idx)}`"
        self.error(
            "check.bad-index",
            f"{what} cannot be an index",
            "An index is a bound name (i), a member ('Seattle', 3) or integer index arithmetic (t - 1); "
            "to pick members by data, filter with 'where'/'if'.",
        )
        return [_Item(idx)]

    def _is_arith(self, node: Node, scope: Scope) -> bool:
        if isinstance(node, Name):
            params = self.symbols.params
            return node.id not in scope.names and node.id in params and not params[node.id].index
        return True

    def _arith(self, node: Node, scope: Scope, unbound: Callable) -> _Item:
        """Integer index arithmetic: one bound name plus or minus whole constants, like t - 1."""
        terms: list[tuple[int, Node]] = []
        _signed_terms(node, 1, terms)
        offset, bound_terms = 0, []
        for sign, t in terms:
            if isinstance(t, Name) and t.id in scope.names:
                b = scope.names[t.id]
                if b.set is None:
                    return _Item(node)
                whole = b.comp is None and b.width > 1
                dom = frozenset() if whole else self.domain(b.set, b.comp)
                if whole or not all(_is_int(m) for m in dom):
                    self.error(
                        "check.index-arithmetic",
                        f"`{snippet(node)}` does arithmetic on {t.id}, but {b.set} has members that are not "
                        f"integers ({_show(dom, 3) or 'tuples'})",
                        "Index arithmetic such as t - 1 needs an integer set, e.g. 'range': {'start': 1, "
                        "'stop': 12}; for named members, use a parameter or list the pairs in a set.",
                    )
                    return _Item(node)
                bound_terms.append((sign, dom))
                continue
            if isinstance(t, Name) and self.symbols.kind(t.id) is None:
                unbound(t.id, scope)
                return _Item(node)
            value = self.constant(t) if isinstance(t, Num | Name) else None
            if value is None or not float(value).is_integer():
                self.error(
                    "check.bad-index",
                    f"`{snippet(t)}` in the index `{snippet(node)}` is not a whole-number constant",
                    "Index arithmetic adds or subtracts whole numbers: t - 1, t + 2.",
                )
                return _Item(node)
            offset += sign * int(value)
        if not bound_terms:
            return _Item(node, literal=offset)
        if len(bound_terms) == 1 and bound_terms[0][0] == 1:
            return _Item(node, values=frozenset(m + offset for m in bound_terms[0][1]), arith=True)
        return _Item(node, arith=True)

    def _shift(
        self, node: Subscript, item: _Item, s: SetInfo, comp: int | None, scope: Scope, shift: tuple
    ) -> None:
        """``prev(t)``/``next(t)`` step in the order of the set they index: t must range over it."""
        name, step, cyclic = shift
        if item.origin is None:
            return
        if item.origin != (s.name, comp) and not (item.origin[0] == s.name and s.width == 1):
            self.error(
                "check.index-set-mismatch",
                f"`{snippet(item.node)}` in `{snippet(node)}` steps through {s.name}, but {name} ranges over "
                f"{item.origin[0]}",
                f"Use prev/next on an index of {s.name}.",
            )
            return
        if not cyclic and not scope.filtered and s.members:
            end = s.members[0] if step < 0 else s.members[-1]
            self.error(
                "check.unknown-element",
                f"`{snippet(item.node)}` in `{snippet(node)}` has no member at {name} = {end!r}, the "
                f"{'first' if step < 0 else 'last'} of {s.name}",
                f"Skip that row with a filter (e.g. 'where': \"{name} != {end!r}\"), or wrap around "
                f"with {'prev' if step < 0 else 'next'}({name}, 'cyclic').",
            )

    def _slot(
        self, node: Subscript, item: _Item, s: SetInfo, comp: int | None, scope: Scope, order: tuple[str, ...]
    ) -> bool:
        dom = self.domain(s.name, comp)
        where_in = s.name if comp is None else f"component {comp + 1} of {s.name}"
        shift = shift_of(item.node)
        if shift is not None:
            self._shift(node, item, s, comp, scope, shift)
            return True
        if item.literal is not _UNSET:
            if item.literal not in dom:
                self._not_member(node, item.literal, s, dom, where_in)
            return True
        if item.values is None or not item.values or not dom:
            return item.values is not None or item.arith
        if item.origin == (s.name, comp) or item.values <= dom:
            return True
        if item.arith:
            if not scope.filtered:
                outside = sorted(item.values - dom)
                self.error(
                    "check.unknown-element",
                    f"`{snippet(item.node)}` in `{snippet(node)}` reaches {_show(frozenset(outside), 3)}, "
                    f"outside {where_in}",
                    "Skip those rows with a filter, e.g. 'where': 't > 1' (or 'if t > 1' inside sum), "
                    "and state the first period separately.",
                )
            return True
        origin = item.origin or (s.name, None)
        source = origin[0] if origin[1] is None else f"component {origin[1] + 1} of {origin[0]}"
        expected = f"{node.name}[...] expects {where_in} at this position"
        if item.values.isdisjoint(dom):
            types = _type_note(item.values, dom)
            self.error(
                "check.index-set-mismatch",
                f"{snippet(item.node)} runs over {source} but {expected}; they share no members",
                types
                or f"Use an index bound to {s.name} here; {node.name} is indexed by "
                f"[{', '.join(order)}] in that order.",
            )
        else:
            extra = item.values - dom
            self.error(
                "check.index-set-mismatch",
                f"{snippet(item.node)} runs over {source} but {expected}; "
                f"{_show(extra, 3)} are not in {s.name}",
                f"Filter those members out with 'where'/'if', or index by {s.name}.",
                Severity.WARNING,
            )
        return True

    def _not_member(
        self, node: Subscript, value: object, s: SetInfo, dom: frozenset, where_in: str | None = None
    ) -> None:
        self.error(
            "check.unknown-element",
            f"{value!r} in `{snippet(node)}` is not a member of {where_in or s.name}",
            member_hint(value, dom, s.name),
        )

    def _arity(self, node: Subscript, sets: list[SetInfo], got: int) -> None:
        width = sum(s.width for s in sets)
        names = " x ".join(s.name + (f" (members have {s.width} parts)" if s.width > 1 else "") for s in sets)
        letters = iter("ijklmnpqrs")
        example = ", ".join(next(letters, "k") for _ in range(width))
        self.error(
            "check.index-arity",
            f"`{snippet(node)}` has {got} ind{'ex' if got == 1 else 'ices'}, but {node.name} is indexed by "
            f"{names}, which takes {width}",
            f"Write {node.name}[{example}]"
            + (
                " (a name bound to a whole tuple member counts for all its parts)"
                if width > len(sets)
                else ""
            )
            + ".",
        )


def _signed_terms(node: Node, sign: int, out: list[tuple[int, Node]]) -> None:
    match node:
        case BinOp(op="+" | "-" as op, left=a, right=b):
            _signed_terms(a, sign, out)
            _signed_terms(b, sign if op == "+" else -sign, out)
        case Neg(operand=a):
            _signed_terms(a, -sign, out)
        case _:
            out.append((sign, node))


def _literal_value(node: Str | Num) -> object:
    if isinstance(node, Str):
        return node.value
    return int(node.value) if float(node.value).is_integer() else node.value


def member_hint(value: object, dom: Iterable, set_name: str) -> str:
    """How to spell a member that was not found: the other type (3 vs '3'), a close name, or the members."""
    if isinstance(value, str) and value.strip().lstrip("-").isdecimal() and int(value) in dom:
        return f"{set_name} has integer members: write {int(value)} without quotes."
    if _is_int(value) and str(value) in dom:
        return f"{set_name} has text members: write '{value}' in quotes."
    guess = suggest(str(value), [str(m) for m in dom])
    if guess is not None:
        match = next(m for m in dom if str(m) == guess)
        return f"Did you mean {match!r}? Or add {value!r} to {set_name}."
    return f"Members of {set_name}: {_show(dom)}."


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest known name: a case-insensitive match first, then difflib's best."""
    pool = list(dict.fromkeys(c for c in candidates if c != name))
    folded = [c for c in pool if c.lower() == name.lower()]
    if folded:
        return folded[0]
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    return close[0] if close else None


def _type_note(a: frozenset, b: frozenset) -> str:
    if {str(x) for x in a} & {str(x) for x in b}:
        return "The members look alike but differ in type (integers vs text); write both sets the same way."
    return ""
