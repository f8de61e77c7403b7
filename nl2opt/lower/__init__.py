"""Lower a ModelSpec to a LinearProgram: expand indices, linearise logic, assemble arrays.

``lower(spec)`` is a pure function returning the program (or None) and Diagnostics.
It assumes :func:`nl2opt.check.check` found no errors, but stays safe when it
did not run: every problem it meets becomes a Diagnostic, never an exception.
"""

from __future__ import annotations

import numpy as np

from nl2opt.check.budget import problems as budget_problems
from nl2opt.check.parsed import ParsedConstraint, ParsedSpec, extend_to, parse_spec_expressions
from nl2opt.config import Limits
from nl2opt.derived import resolve
from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.expr.nodes import COUNT_FUNCS, Call, Compare, ListOf, Name, Node, Subscript, to_text
from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.expr.strict import relax_constraint, whole_indices
from nl2opt.lower import canon
from nl2opt.lower import quadratic as quad
from nl2opt.lower.affine import Affine, add, constant, invalid_cells, spread
from nl2opt.lower.assemble import Builder, LowerError
from nl2opt.lower.evaluate import Evaluator, Scope
from nl2opt.lower.levels import compile_levels, level_vectors
from nl2opt.program import LinearProgram, Origin
from nl2opt.program import Sense as ProgramSense
from nl2opt.spec import Constraint, Domain, ModelSpec, Sense
from nl2opt.symbols import Symbols, build_symbols

__all__ = ["lower"]


def lower(
    spec: ModelSpec,
    symbols: Symbols | None = None,
    *,
    limits: Limits | None = None,
    parsed: ParsedSpec | None = None,
) -> tuple[LinearProgram | None, list[Diagnostic]]:
    """Compile ``spec``; a model beyond ``limits`` (default: from the environment) is refused first.

    The size is estimated from the spec (:mod:`nl2opt.check.budget`) before any symbol or
    array is built, so an oversized model costs no memory. ``parsed`` is the spec's
    expressions as the checker parsed them; without it they are parsed here.
    """
    parsed = parse_spec_expressions(spec) if parsed is None else parsed
    limits = limits or Limits.from_env()
    resolved, found = resolve(spec)
    if resolved is None:
        return None, found
    if resolved is not spec:  # the caller's symbols were built from the unresolved spec
        spec, symbols = resolved, None
        parsed = extend_to(parsed, spec)
    try:
        too_large = budget_problems(spec, parsed, limits=limits)
    except RecursionError:
        too_large = []  # the expression is refused below, as the checker refuses it
    if too_large:
        return None, too_large
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # overflow is reported, not warned
        return _lower(spec, symbols or build_symbols(spec), limits, parsed)


def _lower(
    spec: ModelSpec, symbols: Symbols, limits: Limits, parsed: ParsedSpec
) -> tuple[LinearProgram | None, list[Diagnostic]]:
    b = Builder(max_nonzeros=limits.nonzeros)
    ev = Evaluator(symbols, b, lambda func, parts, sign, where: canon.arith(b, func, parts, sign, where))
    diagnostics: list[Diagnostic] = []
    for info in symbols.vars.values():
        dims = tuple(tuple(symbols.sets[s].members) for s in info.index if s in symbols.sets)
        b.add_columns(
            info.name,
            Origin.VARIABLE,
            info.columns,
            info.lower,
            info.upper,
            info.domain is not Domain.CONTINUOUS,
            dims,
            cells=info.cells,
        )
    objective: Affine | None = None
    products: Affine | None = None
    try:
        ev.where = "objective.expression"
        node = _parsed(parsed.objective, spec.headline.expression, ev.where)
        sign = 1 if spec.headline.sense is Sense.MINIMIZE else -1
        ev.broken.clear()
        if quad.has_product(ev, node):
            q = quad.quadratic(ev, node, Scope(), sign)
            objective, products = q.lin, q.quad
            quad.check_finite(products)
            if products.axes:
                raise LowerError("check.unbound-index", "the objective depends on an unbound index")
            if invalid_cells(products, b.ax).any():
                raise LowerError(
                    "lower.unknown-element", "a product in the objective refers to a missing member"
                )
        else:
            objective = ev.affine(node, Scope(), sign)
        if objective.axes:
            raise LowerError("check.unbound-index", "the objective depends on an unbound index")
        if invalid_cells(objective, b.ax).any():
            raise LowerError(
                "lower.unknown-element",
                "the objective refers to a set member that does not exist or a parameter value that is missing",
                "Restrict the sum with 'if' (e.g. 'if t > 1' for t - 1) or give the missing values.",
            )
    except LowerError as err:
        diagnostics.append(_diagnostic(_with_reference(err, ev), "objective.expression"))
    pending, found = compile_levels(ev, spec, parsed)
    diagnostics += found
    for con, pc in zip(spec.constraints, parsed.constraints, strict=True):
        where = f"constraints[{con.name}]"
        ev.where = where
        ev.broken.clear()
        try:
            _constraint(ev, con, where, pc, spec.strict_epsilon)
        except LowerError as err:
            diagnostics.append(_diagnostic(_with_reference(err, ev), err.where or f"{where}.expression"))
    if diagnostics or objective is None:
        return None, diagnostics
    sense = ProgramSense.MINIMIZE if spec.headline.sense is Sense.MINIMIZE else ProgramSense.MAXIMIZE
    program = b.program(sense, objective, products)
    program.levels = level_vectors(pending, program.num_cols)
    return program, diagnostics


def _with_reference(err: LowerError, ev: Evaluator) -> LowerError:
    """Name the first reference that left its sets, so the message says which one."""
    if err.code == "lower.unknown-element" and ev.broken:
        err.message += f" (first: {ev.broken[0]})"
    return err


def _diagnostic(err: LowerError, where: str) -> Diagnostic:
    return Diagnostic(code=err.code, stage=Stage.LOWER, where=where, message=err.message, hint=err.hint)


def _parsed(node: Node | None, text: str, where: str) -> Node:
    """The checker's tree, or where it could not parse, the parse error as a LowerError."""
    return node if node is not None else _parse(text, where)


def _parse(text: str, where: str) -> Node:
    node, diags = parse_expression(text, where)
    if node is None:
        d = diags[0]
        raise LowerError(d.code, d.message, d.hint, where)
    return node


def _constraint(
    ev: Evaluator, con: Constraint, where: str, pc: ParsedConstraint, epsilon: float | None = None
) -> None:
    scope = Scope()
    axes: list[int] = []
    bindings = []
    for k, text in enumerate(con.for_):
        binding = pc.bindings[k]
        if binding is None:
            _, diags = parse_binding(text, f"{where}.for[{k}]")
            raise LowerError(diags[0].code, diags[0].message, diags[0].hint, f"{where}.for[{k}]")
        bindings.append(binding)
        scope, axis = scope.bind(ev.b, ev.symbols, binding.names, binding.set)
        axes.append(axis)
    row_axes = tuple(axes)
    mask = None
    if con.where:
        mask = ev.condition(_parsed(pc.filter, con.where, f"{where}.where"), scope)
    whole = whole_indices(bindings, ev.symbols)
    node, unstated = relax_constraint(
        _parsed(pc.expression, con.expression, f"{where}.expression"), ev.symbols, epsilon, whole
    )
    if unstated:
        raise LowerError(
            "check.strict-inequality",
            f"`{to_text(unstated[0])}` compares amounts that need not be whole numbers, so a strict "
            "comparison has no exact margin",
            "State the margin with <= / >=, or set the model's 'strict_epsilon'.",
            f"{where}.expression",
        )
    if isinstance(node, Compare):
        with ev.filtered(mask):
            _comparison(ev, con.name, node, scope, row_axes, mask, where)
    elif isinstance(node, Call) and node.func in ("implies", "either", *COUNT_FUNCS):
        with ev.filtered(mask):
            _logic(ev, con.name, node, scope, row_axes, mask, where)
    else:
        raise LowerError(
            "parse.not-a-constraint",
            "the expression is not a comparison or a logic call",
            "Write 'lhs <= rhs', 'lhs >= rhs', 'lhs == rhs', 'lo <= e <= hi' or implies/either/at_least/...",
            f"{where}.expression",
        )


_SIGN = {"<=": 1, ">=": -1, "==": 0}


def _comparison(ev: Evaluator, name: str, node: Compare, scope: Scope, axes, mask, where: str) -> None:
    ops = node.ops
    if any(op not in _SIGN for op in ops):
        raise LowerError(
            "parse.not-a-constraint",
            f"'{next(op for op in ops if op not in _SIGN)}' is not allowed in a constraint",
            "Use <=, >= or == (strict inequalities cannot be enforced by a solver).",
            f"{where}.expression",
        )
    ax = ev.b.ax
    if quad.has_product(ev, node):
        _quadratic_comparison(ev, name, node, scope, axes, mask, where)
        return
    if len(ops) == 2 and ops[0] == ops[1] != "==" and not any(ev.has_variable(n) for n in node.operands[::2]):
        lo_node, mid, hi_node = node.operands if ops[0] == "<=" else node.operands[::-1]
        e = ev.affine(mid, scope, 0)
        lo, hi = ev.affine(lo_node, scope), ev.affine(hi_node, scope)
        target = tuple(dict.fromkeys((*axes, *e.axes, *lo.axes, *hi.axes)))
        ev.b.add_rows(
            name, e, _dense(lo, target, ev), _dense(hi, target, ev), axes=target, mask=mask, where=where
        )
        return
    for k, (op, left, right) in enumerate(zip(ops, node.operands, node.operands[1:], strict=False)):
        s = _SIGN[op]
        row = add(ev.affine(left, scope, s), ev.affine(right, scope, -s), ax, -1.0)
        lo, hi = {"<=": (-np.inf, 0.0), ">=": (0.0, np.inf), "==": (0.0, 0.0)}[op]
        target = tuple(dict.fromkeys((*axes, *row.axes)))
        ev.b.add_rows(
            name if len(ops) == 1 else f"{name}/{k}", row, lo, hi, axes=target, mask=mask, where=where
        )


def _quadratic_comparison(
    ev: Evaluator, name: str, node: Compare, scope: Scope, axes, mask, where: str
) -> None:
    """Rows with products: each link ``left op right`` becomes ``left - right`` in its bounds."""
    ax = ev.b.ax
    for k, (op, left, right) in enumerate(zip(node.ops, node.operands, node.operands[1:], strict=False)):
        s = _SIGN[op]
        a, c = quad.quadratic(ev, left, scope, s), quad.quadratic(ev, right, scope, -s)
        row, products = add(a.lin, c.lin, ax, -1.0), add(a.quad, c.quad, ax, -1.0)
        quad.check_finite(products)
        lo, hi = {"<=": (-np.inf, 0.0), ">=": (0.0, np.inf), "==": (0.0, 0.0)}[op]
        target = tuple(dict.fromkeys((*axes, *row.axes, *products.axes)))
        ev.b.add_rows(
            name if len(node.ops) == 1 else f"{name}/{k}",
            row,
            lo,
            hi,
            axes=target,
            mask=mask,
            where=where,
            quad=products,
        )


def _dense(e: Affine, target, ev: Evaluator) -> np.ndarray:
    return np.asarray(spread(e.const, e.axes, target, ev.b.ax))


def _literal(ev: Evaluator, node: Node, scope: Scope) -> canon.Literal:
    """A logic operand as pieces g <= 0: comparisons, or a bare binary variable meaning '== 1'."""
    ax = ev.b.ax
    if isinstance(node, Name | Subscript):
        e = ev.affine(node, scope)
        return [add(constant((), 1.0), e, ax, -1.0)]
    if not isinstance(node, Compare) or any(op not in _SIGN for op in node.ops):
        raise LowerError(
            "check.logic-operand",
            "a logic operand must be a binary variable or a comparison with <=, >= or ==",
            "Write e.g. implies(open[f] == 1, ship[f] <= cap[f]).",
        )
    pieces: canon.Literal = []
    for op, left, right in zip(node.ops, node.operands, node.operands[1:], strict=False):
        a, c = ev.affine(left, scope), ev.affine(right, scope)
        if op in ("<=", "=="):
            pieces.append(add(a, c, ax, -1.0))
        if op in (">=", "=="):
            pieces.append(add(c, a, ax, -1.0))
    return pieces


def _items(ev: Evaluator, node: Node, scope: Scope) -> list[tuple[Node, Scope, tuple[int, ...], object]]:
    """Operands of either/at_least/...: explicit items, or one comprehension with its own axes."""
    if isinstance(node, ListOf) and node.bindings:
        inner, extra = ev.bind_all(node.bindings, scope)
        mask = ev.condition(node.cond, inner) if node.cond is not None else None
        mask = ev.within_domains(node.items[0], node.bindings, inner, mask)
        return [(node.items[0], inner, extra, mask)]
    items = node.items if isinstance(node, ListOf) else (node,)
    return [(item, scope, (), None) for item in items]


def _logic(ev: Evaluator, name: str, node: Call, scope: Scope, axes, mask, where: str) -> None:
    b = ev.b
    if node.func == "implies":
        cond = _literal(ev, node.args[0], scope)
        then = _literal(ev, node.args[1], scope)
        d = canon.backward_indicator(b, cond, name, where)
        canon.indicator_implies(b, d, then, name, where, mask=mask, axes=axes)
        return
    if node.func == "either":
        items = [(a, scope, (), None) for a in node.args]
        k, lo, hi, mode = constant((), 1.0), 0.0, np.inf, "forward"
    else:
        k = ev.affine(node.args[0], scope)
        items = _items(ev, node.args[1], scope)
        lo, hi, mode = {
            "at_least": (0.0, np.inf, "forward"),
            "at_most": (-np.inf, 0.0, "backward"),
            "exactly": (0.0, 0.0, "both"),
        }[node.func]
    indicators, extra_axes, masks = [], [], []
    for item, item_scope, extra, item_mask in items:
        with ev.filtered(item_mask):
            lit = _literal(ev, item, item_scope)
        if mode == "forward":
            d = canon.forward_indicator(b, lit, name, where)
        else:
            d = canon.backward_indicator(b, lit, name, where, both=mode == "both")
        indicators.append(d)
        extra_axes.append(extra)
        masks.append(item_mask)
    canon.count_rows(b, name, indicators, extra_axes, masks, k, lo, hi, axes, mask, where)
