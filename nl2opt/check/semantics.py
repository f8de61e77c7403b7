"""Semantic checks of parsed expressions: names, indices, linearity, filters and logic.

One walk per expression computes each sub-expression's *degree* (which variables
it contains and whether it is still linear) while checking every name against the
symbol table and the bound indices in scope. Findings go to a callback as
Diagnostics, so one mistake never stops the checker from reporting the next; a
name that could not be resolved is marked "unknown" so that it does not cause a
cascade of follow-on findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from nl2opt.check.slots import Bound, IndexChecker, Scope, snippet, suggest
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.expr.nodes import (
    ARITH_FUNCS,
    COUNT_FUNCS,
    LOGIC_FUNCS,
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
)
from nl2opt.expr.strict import STRICT_OPS, margin
from nl2opt.spec import Domain
from nl2opt.symbols import Symbols

STRICT_MARGIN = 1e-5
"""How far a comparison inside logic must miss to count as false, unless every term is integral (then 1).

One constant for the language: the compiler reads "not ``a <= b``" as ``a >= b + STRICT_MARGIN``
(conditions of ``implies``, items of ``at_most``/``exactly``), and the verifier judges those
comparisons with a tolerance of at most :data:`CONDITION_TOL`, below it, so that a point the
compiled rows allow (``x = 20 - 1e-5`` when ``x >= 20`` must be false) verifies too."""

CONDITION_TOL = STRICT_MARGIN / 2
"""The verifier's largest tolerance for a comparison used as a condition: half the margin, leaving
room for a solver's own feasibility tolerance on either side."""

_STRICT_HINT = {
    "<": "Use <= (a solver cannot enforce a strict inequality; for integers write x <= y - 1).",
    ">": "Use >= (a solver cannot enforce a strict inequality; for integers write x >= y + 1).",
    "!=": "To keep an integer x away from v, write either(x <= v - 1, x >= v + 1).",
}
_REPORT_ALLOWED = frozenset({"check.nonlinear-product", "check.division-by-variable"})
"""Findings that do not apply to reports: they are computed from the values, not solved for."""
_LOGIC_HINT = (
    "Write the operand as a binary variable (open[f]), open[f] == 1, open[f] == 0 or a linear comparison."
)


@dataclass(frozen=True)
class Val:
    """The degree of an expression: the variables it contains and whether it is still linear."""

    vars: frozenset[str] = frozenset()
    nonlinear: bool = False
    known: bool = True
    """False when part of it could not be resolved (an error was reported already)."""
    quadratic: bool = False
    """Of degree two (a product of two linear parts, a square, or a norm2): allowed in an objective
    and at the top of a comparison, not inside logic or abs/min/max."""

    @staticmethod
    def join(vals: Iterable[Val]) -> Val:
        vals = list(vals)
        return Val(
            frozenset().union(*(v.vars for v in vals)),
            any(v.nonlinear for v in vals),
            all(v.known for v in vals),
            any(v.quadratic for v in vals),
        )

    @property
    def degree(self) -> int:
        """0 for a constant, 1 for linear in the variables, 2 for anything beyond."""
        return 0 if not self.vars else 2 if self.nonlinear or self.quadratic else 1


UNKNOWN = Val(known=False)


class ExprChecker:
    """Checks the expressions of one spec; ``where`` is set by the caller before each expression."""

    def __init__(self, symbols: Symbols, emit: Callable[[Diagnostic], None]) -> None:
        self.symbols = symbols
        self.emit = emit
        self.where = ""
        self.used_vars: set[str] = set()
        self.strict_epsilon: float | None = None
        """The spec's gap for strict comparisons on non-integral amounts (None: not allowed)."""
        self.indices = IndexChecker(symbols, self.error)

    def error(self, code: str, message: str, hint: str = "", severity: Severity = Severity.ERROR) -> None:
        stage = Stage.PARSE if code.startswith("parse.") else Stage.CHECK
        self.emit(
            Diagnostic(
                code=code, severity=severity, stage=stage, where=self.where, message=message, hint=hint
            )
        )

    # -- whole expressions ----------------------------------------------------------------
    def objective(self, node: Node) -> None:
        if isinstance(node, Compare | BoolOp | Not) or _is_logic(node):
            self.error(
                "check.objective-not-expression",
                f"the objective `{snippet(node)}` is a condition, not an amount to optimise",
                "Write the quantity itself, e.g. 'sum(cost[i] * x[i] for i in Items)'; "
                "requirements belong in constraints.",
            )
            return
        val = self.value(node, Scope())
        if val.known and not val.vars:
            self.error(
                "check.no-variable",
                f"the objective `{snippet(node)}` contains no decision variable, so every solution scores "
                "the same",
                "Write the objective in terms of the variables (check for a misspelled variable name).",
                Severity.WARNING,
            )

    def report(self, node: Node) -> None:
        """A report is evaluated on the solution, never optimised: products of variables are fine."""
        if isinstance(node, Compare | BoolOp | Not) or _is_logic(node):
            self.error(
                "check.report-not-expression",
                f"the report `{snippet(node)}` is a condition, not an amount",
                "Write the quantity the question asks for, e.g. 'sum(use[k] for k in Trucks)'.",
            )
            return
        emit = self.emit
        self.emit = lambda d: None if d.code in _REPORT_ALLOWED else emit(d)
        try:
            self.value(node, Scope())
        finally:
            self.emit = emit

    def constraint(self, node: Node, scope: Scope) -> None:
        match node:
            case Compare():
                self._comparison(node, scope, in_logic=False)
            case Call(func=f) if f in LOGIC_FUNCS:
                self._logic(node, scope)
            case BoolOp(op=op):
                hint = (
                    "For 'one or the other' write either(c1, c2)."
                    if op == "or"
                    else "Write each part as its own constraint."
                )
                self.error(
                    "parse.not-a-constraint", f"`{snippet(node)}` combines conditions with '{op}'", hint
                )
            case _:
                self.error(
                    "parse.not-a-constraint",
                    f"`{snippet(node)}` is not a comparison or a logic call",
                    "Write 'lhs <= rhs', 'lhs >= rhs', 'lhs == rhs', 'lo <= e <= hi', or "
                    "implies/either/at_least/at_most/exactly.",
                )

    def filter(self, node: Node, scope: Scope) -> None:
        """A ``where`` or ``if``: comparisons of indices and parameters joined by and/or/not."""
        match node:
            case BoolOp(values=values):
                for v in values:
                    self.filter(v, scope)
            case Not(operand=a):
                self.filter(a, scope)
            case Compare(ops=ops, operands=operands):
                vals = [self._filter_operand(o, scope) for o in operands]
                found = Val.join(vals).vars
                if found:
                    self.error(
                        "check.filter-has-variable",
                        f"the filter `{snippet(node)}` mentions the decision variable(s) {_names(found)}",
                        "Filters choose which rows or terms exist before solving; use only indices and "
                        "parameters. To make a requirement depend on a decision, use implies(...).",
                    )
                for op, a, b in zip(ops, operands, operands[1:], strict=False):
                    if op in ("==", "!="):
                        self.indices.filter_literal(a, b, scope)
            case _:
                val = self.value(node, scope)
                code = "check.filter-has-variable" if val.vars else "check.bad-filter"
                self.error(
                    code,
                    f"the filter `{snippet(node)}` is not a comparison",
                    "Write a comparison of indices or parameters, e.g. 'i != j' or 'demand[j] > 0'.",
                )

    def bind(self, bindings: Iterable[Binding], scope: Scope, *, filtered: bool = False) -> Scope:
        """The scope inside ``for``/``sum`` bindings, reporting unknown sets, arity and shadowing."""
        names = dict(scope.names)
        for b in bindings:
            info = self.symbols.sets.get(b.set)
            for n in b.names:
                self._shadowing(n, names)
            if info is None:
                self._unknown_set(b.set)
                names.update((n, Bound(None)) for n in b.names)
            elif len(b.names) > 1 and len(b.names) != info.width:
                self.error(
                    "check.index-arity",
                    f"`{snippet(b)}` unpacks {len(b.names)} names, but members of {b.set} have "
                    f"{info.width} part{'s' if info.width > 1 else ''}",
                    f"Write '{_binding_example(b.set, info.width)}'.",
                )
                names.update((n, Bound(None)) for n in b.names)
            elif len(b.names) == 1:
                names[b.names[0]] = Bound(b.set, None, info.width)
            else:
                names.update((n, Bound(b.set, k)) for k, n in enumerate(b.names))
        return Scope(names, scope.filtered or filtered, scope.complete)

    # -- arithmetic -----------------------------------------------------------------------
    def value(self, node: Node, scope: Scope) -> Val:
        match node:
            case Num():
                return Val()
            case BinOp(op="+" | "-"):
                return Val.join(self.value(t, scope) for t in _terms(node))
            case BinOp(op="*", left=a, right=b):
                return self._product(node, self.value(a, scope), self.value(b, scope))
            case BinOp(op="/", left=a, right=b):
                return self._division(node, b, self.value(a, scope), self.value(b, scope), scope)
            case Neg(operand=a):
                return self.value(a, scope)
            case Name(id=n):
                return self._name(n, scope)
            case Subscript(name=n, indices=idx):
                return self._subscript(node, n, idx, scope)
            case Sum(body=body, bindings=bs, cond=cond):
                inner = self.bind(bs, scope, filtered=cond is not None)
                if cond is not None:
                    self.filter(cond, inner)
                return self.value(body, inner)
            case Call(func=f, args=args) if f in ARITH_FUNCS:
                val = Val.join(self.value(a, scope) for a in args)
                if val.quadratic and not val.nonlinear:
                    self.error(
                        "check.quadratic-context",
                        f"{f}(...) of a quadratic expression in `{snippet(node)}` is not supported",
                        "Use products and squares only in the objective or at the top of a comparison; "
                        "abs/min/max take linear arguments.",
                    )
                    return Val(val.vars, True, val.known)
                return val
            case Call(func="norm2", args=(ListOf() as items,)):
                return self._norm(node, items, scope)
            case Call(func="prev" | "next" as f):
                self.error(
                    "check.bad-index",
                    f"{f}(...) is used as a number in `{snippet(node)}`",
                    f"{f}(t) names a member, so it only goes inside [..], e.g. inv[{f}(t)].",
                )
                return UNKNOWN
            case Call(func=f):
                self.error(
                    "check.logic-operand",
                    f"{f}(...) is used inside arithmetic in `{snippet(node)}`",
                    f"Logic calls are only allowed as a whole constraint expression: "
                    f"'expression': '{f}(...)'.",
                )
            case Str(value=v):
                self.error(
                    "check.not-a-number",
                    f"the text {v!r} is used as a number",
                    "Strings only name set members, inside [..] or in a filter such as i == 'A'.",
                )
            case Compare() | BoolOp() | Not():
                self.error(
                    "check.not-a-number",
                    f"the condition `{snippet(node)}` is used as a number",
                    "Comparisons belong at the top of a constraint or in a filter, not inside arithmetic.",
                )
            case _:
                self.error(
                    "check.not-a-number",
                    f"`{snippet(node)}` is a list, not a number",
                    "Lists are only arguments of at_least/at_most/exactly; to add terms use sum(...).",
                )
        return UNKNOWN

    def _product(self, node: Node, a: Val, b: Val) -> Val:
        """Products of two linear parts are quadratic; a third factor with variables is refused."""
        out = Val.join((a, b))
        if not (a.vars and b.vars) or out.nonlinear:
            return out
        if a.quadratic or b.quadratic:
            left, right = (snippet(x) for x in (node.left, node.right))  # type: ignore[attr-defined]
            self.error(
                "check.nonlinear-product",
                f"`{left}` (with {_names(a.vars)}) times `{right}` (with {_names(b.vars)}) has degree "
                "above two",
                "Products of two variables and squares (x ** 2) are supported; for more factors introduce "
                "a variable for a product. A binary times a bounded variable can be replaced by a new "
                "variable z with z <= U*b, z <= x, z >= x - U*(1 - b).",
            )
            return Val(out.vars, True, out.known)
        return Val(out.vars, False, out.known, True)

    def _norm(self, node: Node, items: ListOf, scope: Scope) -> Val:
        """``norm2([...])``: each entry linear; the norm itself counts as quadratic (a cone row)."""
        inner = scope
        if items.bindings:
            inner = self.bind(items.bindings, scope, filtered=items.cond is not None)
            if items.cond is not None:
                self.filter(items.cond, inner)
        val = Val.join(self.value(item, inner) for item in items.items)
        if val.quadratic and not val.nonlinear:
            self.error(
                "check.quadratic-context",
                f"the entries of `{snippet(node)}` must be linear",
                "Write norm2([x - a, y - b]) with linear entries; the norm squares them itself.",
            )
            return Val(val.vars, True, val.known)
        return Val(val.vars, val.nonlinear, val.known, bool(val.vars))

    def _division(self, node: Node, divisor: Node, a: Val, b: Val, scope: Scope) -> Val:
        if b.vars:
            self.error(
                "check.division-by-variable",
                f"`{snippet(node)}` divides by `{snippet(divisor)}`, which contains {_names(b.vars)}",
                "Multiply both sides of the comparison by the divisor instead, e.g. x / y <= 0.4 "
                "becomes x <= 0.4 * y (valid when y >= 0).",
            )
            return Val(a.vars | b.vars, True, a.known and b.known)
        const = self.indices.constant(divisor)
        if const == 0:
            self.error(
                "check.division-by-zero",
                f"`{snippet(node)}` divides by zero",
                "Check the divisor's value, or drop the division.",
            )
        elif const is None and not scope.filtered:
            # Under a filter the zeros may be skipped; the compiler reports a zero the filter keeps.
            self.indices.zero_entries(divisor)
        return a

    def _name(self, n: str, scope: Scope) -> Val:
        if n in scope.names:
            return Val() if self.indices.index_is_number(n, scope.names[n]) else UNKNOWN
        kind = self.symbols.kind(n)
        if kind == "variable":
            self.used_vars.add(n)
            info = self.symbols.vars[n]
            if info.index:
                self._indexed_bare(n, info.index)
            return Val(frozenset({n}))
        if kind == "parameter":
            if self.symbols.params[n].index:
                self._indexed_bare(n, self.symbols.params[n].index)
            return Val()
        if kind == "set":
            self.error(
                "check.not-a-number",
                f"the set {n} is used as a number",
                f"Add over its members with sum(... for i in {n}), or define a parameter for its size.",
            )
            return UNKNOWN
        self.undefined(n, scope)
        return UNKNOWN

    def _subscript(self, node: Subscript, n: str, idx: tuple[Node, ...], scope: Scope) -> Val:
        if n in scope.names:
            self.error(
                "check.not-indexed",
                f"{n} is a bound index, so `{snippet(node)}` cannot subscript it",
                "Subscript a parameter or variable instead, e.g. x[i].",
            )
            return UNKNOWN
        kind = self.symbols.kind(n)
        if kind in ("variable", "parameter"):
            info = self.symbols.vars[n] if kind == "variable" else self.symbols.params[n]
            if kind == "variable":
                self.used_vars.add(n)
            if not info.index:
                self.error(
                    "check.not-indexed",
                    f"{n} is a scalar {kind}, but `{snippet(node)}` subscripts it",
                    f"Write {n} without [..], or give {n} an 'index' of sets.",
                )
                return Val(frozenset({n}) if kind == "variable" else frozenset(), known=False)
            ok = self.indices.check(node, info.index, scope, self.undefined_index)
            return Val(frozenset({n}) if kind == "variable" else frozenset(), known=ok)
        if kind == "set":
            self.error(
                "check.not-a-number",
                f"the set {n} cannot be subscripted (`{snippet(node)}`)",
                f"Iterate over it with 'for i in {n}' and use i as an index.",
            )
            return UNKNOWN
        self.undefined(n, scope)
        return UNKNOWN

    def _indexed_bare(self, n: str, index: tuple[str, ...]) -> None:
        letters = ", ".join("ijklmn"[k % 6] for k in range(len(index)))
        self.error(
            "check.not-indexed",
            f"{n} is indexed by {' x '.join(index)} but is used without an index",
            f"Write {n}[{letters}] with the indices bound by 'for' or sum(... for ...), "
            f"or sum it: sum({n}[{letters}] for ...).",
        )

    def undefined(self, n: str, scope: Scope) -> None:
        guess = suggest(n, [*self.symbols.known_names(), *scope.names])
        known = ", ".join(self.symbols.known_names()[:10])
        self.error(
            "check.undefined-name",
            f"{n} is not a set, parameter, variable or bound index",
            f"Did you mean '{guess}'?" if guess else f"Define it, or use one of: {known}.",
        )

    def undefined_index(self, n: str, scope: Scope) -> None:
        if not scope.complete:
            return
        guess = suggest(n, list(scope.names))
        bound = ", ".join(scope.names) or "none"
        self.error(
            "check.unbound-index",
            f"the index {n} is not bound here (bound: {bound})",
            (f"Did you mean '{guess}'? " if guess else "")
            + f"Bind it with 'for': [\"{n} in SetName\"] or inside sum(... for {n} in SetName).",
        )

    # -- comparisons and logic ------------------------------------------------------------
    def _comparison(self, node: Compare, scope: Scope, *, in_logic: bool) -> None:
        strict = [op for op in node.ops if op in _STRICT_HINT]
        if strict and strict[0] in STRICT_OPS and "!=" not in node.ops:
            if margin(node, self.symbols, self.strict_epsilon, self._whole_indices(scope)) is None:
                weak = "<=" if strict[0] == "<" else ">="
                self.error(
                    "check.strict-inequality",
                    f"'{strict[0]}' in `{snippet(node)}` compares amounts that need not be whole numbers, "
                    "so 'strictly' has no exact margin",
                    f"State the margin: write {weak} with the smallest gap that counts (e.g. 'a {weak} b "
                    f"{'-' if weak == '<=' else '+'} 0.01'), or set the model's 'strict_epsilon'. "
                    "On integer variables with whole-number coefficients '<' and '>' are exact.",
                )
        elif strict:
            self.error(
                "check.strict-inequality",
                f"'{strict[0]}' in `{snippet(node)}` is a strict comparison, which a solver cannot enforce",
                _STRICT_HINT[strict[0]],
            )
        if len(node.ops) > 1 and not (len(node.ops) == 2 and node.ops[0] == node.ops[1] != "=="):
            self.error(
                "parse.not-a-constraint",
                f"`{snippet(node)}` chains comparisons that are not a range",
                "A chain must be a range 'lo <= e <= hi' (or 'hi >= e >= lo'); split other chains "
                "into separate constraints.",
            )
        val = Val.join(self.value(o, scope) for o in node.operands)
        if in_logic and val.quadratic and not val.nonlinear:
            self.error(
                "check.quadratic-logic",
                f"the logic operand `{snippet(node)}` is quadratic",
                "Conditions of implies/either/at_least/... must be linear; state the quadratic "
                "requirement as its own constraint.",
            )
        if val.known and not val.vars:
            if in_logic:
                self.error(
                    "check.logic-operand",
                    f"the logic operand `{snippet(node)}` contains no decision variable, so it is fixed",
                    _LOGIC_HINT,
                )
            else:
                self.error(
                    "check.no-variable",
                    f"`{snippet(node)}` contains no decision variable, so the solver cannot act on it",
                    "Involve a variable (check for a misspelled variable name); data-only facts belong in "
                    "parameters, and filters on indices in 'where'.",
                )

    def _whole_indices(self, scope: Scope) -> frozenset[str]:
        """Bound names whose members are integers, so a strict comparison on them is exact."""
        out = set()
        for n, b in scope.names.items():
            info = self.symbols.sets.get(b.set) if b.set is not None else None
            if info is None or (b.comp is None and info.width > 1):
                continue
            arr = info.member_array if b.comp is None else info.component_array(b.comp)
            if arr.dtype.kind == "i":
                out.add(n)
        return frozenset(out)

    def _logic(self, node: Call, scope: Scope) -> None:
        if node.func == "implies":
            self._operand(node.args[0], scope, "condition")
            self._operand(node.args[1], scope, "consequence")
        elif node.func == "either":
            for a in node.args:
                self._operand(a, scope, "alternative")
        elif node.func in COUNT_FUNCS and len(node.args) == 2 and isinstance(node.args[1], ListOf):
            lst = node.args[1]
            if lst.bindings:
                inner = self.bind(lst.bindings, scope, filtered=lst.cond is not None)
                if lst.cond is not None:
                    self.filter(lst.cond, inner)
                self._operand(lst.items[0], inner, "item")
            else:
                for item in lst.items:
                    self._operand(item, scope, "item")
            self._count(node.func, node.args[0], None if lst.bindings else len(lst.items), scope)

    def _operand(self, node: Node, scope: Scope, role: str) -> None:
        match node:
            case Compare():
                self._comparison(node, scope, in_logic=True)
                return
            case Name(id=n) | Subscript(name=n) if n in self.symbols.vars and n not in scope.names:
                self.value(node, scope)
                domain = self.symbols.vars[n].domain
                if domain is Domain.BINARY:
                    return
                message = (
                    f"the {role} `{snippet(node)}` is a {domain} variable, not a binary one or a comparison"
                )
            case Call(func=f) if f in LOGIC_FUNCS:
                message = f"the {role} `{snippet(node)}` nests {f}(...) inside another logic call"
            case _:
                val = self.value(node, scope)
                if not val.known:
                    return
                message = f"the {role} `{snippet(node)}` is neither a binary variable nor a comparison"
        self.error("check.logic-operand", message, _LOGIC_HINT)

    def _count(self, func: str, k_node: Node, n_items: int | None, scope: Scope) -> None:
        val = self.value(k_node, scope)
        k = self.indices.constant(k_node)
        if val.vars:
            problem = f"the count `{snippet(k_node)}` contains the variable(s) {_names(val.vars)}"
        elif k is not None and (k < 0 or not float(k).is_integer()):
            problem = f"the count {k:g} is not a whole number >= 0"
        elif k is not None and n_items is not None and func in ("at_least", "exactly") and k > n_items:
            problem = (
                f"{func}({k:g}, ...) asks for more items than the {n_items} listed, so it can never hold"
            )
        elif k is not None and n_items is not None and func == "at_most" and k >= n_items:
            self.error(
                "check.bad-count",
                f"at_most({k:g}, ...) of {n_items} items always holds",
                "Check the count; the constraint has no effect as written.",
                Severity.WARNING,
            )
            return
        else:
            return
        self.error("check.bad-count", problem, f"Write {func}(k, [...]) with k a constant whole number.")

    # -- helpers --------------------------------------------------------------------------
    def _filter_operand(self, node: Node, scope: Scope) -> Val:
        if isinstance(node, Str) or (isinstance(node, Name) and node.id in scope.names):
            return Val()
        return self.value(node, scope)

    def _shadowing(self, n: str, names: Mapping[str, Bound]) -> None:
        if n in names:
            self.error(
                "check.shadowed-index",
                f"the index {n} is bound again while it is already bound",
                f"Use a different name for the inner index, e.g. {n}2.",
            )
        elif self.symbols.kind(n):
            self.error(
                "check.shadowed-index",
                f"the index {n} has the same name as the {self.symbols.kind(n)} {n}",
                f"Rename the index (e.g. '{n[0].lower()}{n[0].lower()}') so that {n} keeps its meaning.",
            )

    def _unknown_set(self, name: str) -> None:
        kind = self.symbols.kind(name)
        guess = suggest(name, self.symbols.sets)
        message = f"{name} is a {kind}, not a set" if kind else f"there is no set named {name}"
        sets = ", ".join(self.symbols.sets) or "none defined"
        self.error(
            "check.unknown-set",
            message,
            f"Did you mean '{guess}'?" if guess else f"Iterate over a defined set (sets: {sets}).",
        )


def _terms(node: Node) -> list[Node]:
    """The operands of a left-deep ``a + b - c + ...`` chain, without recursion."""
    out: list[Node] = []
    while isinstance(node, BinOp) and node.op in ("+", "-"):
        out.append(node.right)
        node = node.left
    out.append(node)
    return out


def _is_logic(node: Node) -> bool:
    return isinstance(node, Call) and node.func in LOGIC_FUNCS


def _names(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


def _binding_example(set_name: str, width: int) -> str:
    if width == 1:
        return f"i in {set_name}"
    parts = ", ".join("abcdefgh"[k % 8] for k in range(width))
    return f"({parts}) in {set_name}' or 'e in {set_name}"
