"""Parse expression text into :mod:`nl2opt.expr.nodes` through a whitelist of ``ast`` nodes.

``ast.parse`` only builds a syntax tree: nothing is compiled or executed. Every
``ast`` node is then matched against the shapes below; anything else (attribute
access, lambdas, imports, calls to other functions, powers other than ``** 2``, f-strings, ...) becomes
a ``parse.unsupported`` Diagnostic naming the construct and its position. No
input makes this module raise anything but :class:`ParseError`, which the public
functions turn into Diagnostics.
"""

from __future__ import annotations

import ast
import math
from contextvars import ContextVar

from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.expr.nodes import (
    COUNT_FUNCS,
    FUNCS,
    INDEX_FUNCS,
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
    Pos,
    Str,
    Subscript,
    Sum,
)

MAX_LENGTH = 20_000
"""Longer expressions are refused: no hand- or LLM-written model needs more."""

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMPOPS = {ast.LtE: "<=", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.Gt: ">"}
_CONSTRUCTS = {
    ast.Attribute: "attribute access",
    ast.Lambda: "lambda",
    ast.FloorDiv: "floor division (//)",
    ast.Mod: "modulo (%)",
    ast.MatMult: "matrix product (@)",
    ast.JoinedStr: "f-string",
    ast.Dict: "dict",
    ast.Set: "set literal",
    ast.IfExp: "conditional expression (x if c else y)",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "star argument",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.DictComp: "dict comprehension",
    ast.SetComp: "set comprehension",
    ast.Slice: "slice",
    ast.In: "'in' test",
    ast.NotIn: "'not in' test",
    ast.Is: "'is' test",
    ast.IsNot: "'is not' test",
    ast.BitAnd: "bitwise and (&)",
    ast.BitOr: "bitwise or (|)",
    ast.BitXor: "bitwise xor (^)",
    ast.Invert: "bitwise not (~)",
    ast.LShift: "shift (<<)",
    ast.RShift: "shift (>>)",
}


_SOURCE: ContextVar[tuple[list[str], int, int]] = ContextVar("_SOURCE", default=([], 0, 0))
"""Lines of the text being parsed, and the line/column shift of the whitespace stripped before it."""


class ParseError(Exception):
    def __init__(self, code: str, message: str, pos: Pos | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pos = pos
        self.hint = hint

    def diagnostic(self, where: str) -> Diagnostic:
        at = f" (line {self.pos[0]}, column {self.pos[1]})" if self.pos else ""
        return Diagnostic(
            code=self.code, stage=Stage.PARSE, where=where, message=self.message + at, hint=self.hint
        )


def parse_expression(text: str, where: str = "") -> tuple[Node | None, list[Diagnostic]]:
    """Parse an expression or constraint; on failure return None and a Diagnostic."""
    try:
        return _parse(text), []
    except ParseError as exc:
        return None, [exc.diagnostic(where)]


def parse_binding(text: str, where: str = "") -> tuple[Binding | None, list[Diagnostic]]:
    """Parse one entry of a constraint's ``for`` list: ``i in Set`` or ``(a, b) in Set``."""
    try:
        tree = _ast_of(text)
        if not (isinstance(tree, ast.Compare) and len(tree.ops) == 1 and isinstance(tree.ops[0], ast.In)):
            raise ParseError(
                "parse.bad-binding",
                f"{text!r} is not a binding",
                _pos(tree),
                "Write each 'for' entry as 'i in SetName' or '(a, b) in SetName'.",
            )
        return _binding(tree.left, tree.comparators[0]), []
    except ParseError as exc:
        return None, [exc.diagnostic(where)]


def _ast_of(text: str) -> ast.expr:
    if not isinstance(text, str):
        raise ParseError("parse.syntax", f"expected text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ParseError("parse.syntax", f"expression is {len(text)} characters long (limit {MAX_LENGTH})")
    if not text.strip():
        raise ParseError(
            "parse.syntax", "the expression is empty", hint="Write an expression such as '2*x + y'."
        )
    body = text.strip()
    leading = text[: len(text) - len(text.lstrip())]
    _SOURCE.set((body.splitlines(), leading.count("\n"), len(leading) - leading.rfind("\n") - 1))
    try:
        try:
            return ast.parse(body, mode="eval").body
        except SyntaxError:
            if "\n" not in body:
                raise
            # Line breaks outside brackets are a syntax error in Python; an LLM writes them freely.
            lines, line_shift, col_shift = _SOURCE.get()
            _SOURCE.set((["(" + lines[0], *lines[1:]], line_shift, col_shift - 1))
            return ast.parse(f"({body})", mode="eval").body
    except SyntaxError as exc:
        pos = _shift(exc.lineno or 1, exc.offset or 1)
        if "integer string conversion" in str(exc.msg):  # Python's 4,300-digit limit
            raise ParseError(
                "parse.syntax", "a number has thousands of digits", pos, "Use a number below 1e300."
            ) from None
        raise ParseError("parse.syntax", f"invalid syntax: {exc.msg}", pos) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ParseError("parse.syntax", f"the expression cannot be parsed ({type(exc).__name__})") from None


def _parse(text: str) -> Node:
    tree = _ast_of(text)
    try:
        return _convert(tree)
    except RecursionError:
        raise ParseError("parse.syntax", "the expression is nested too deeply") from None


def _pos(node: ast.AST) -> Pos:
    """1-based (line, column) in characters of the text as given (ast counts UTF-8 bytes)."""
    line, offset = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
    lines = _SOURCE.get()[0]
    if 0 < line <= len(lines):
        offset = len(lines[line - 1].encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
    return _shift(line, offset + 1)


def _shift(line: int, column: int) -> Pos:
    _, line_shift, col_shift = _SOURCE.get()
    return (line + line_shift, column + (col_shift if line == 1 else 0))


def _unsupported(node: ast.AST, what: str | None = None) -> ParseError:
    name = what or _CONSTRUCTS.get(type(node)) or type(node).__name__
    return ParseError(
        "parse.unsupported",
        f"{name} is not part of the expression language",
        _pos(node),
        "Use numbers, names, subscripts, + - * / and ** 2, comparisons, sum(... for i in Set), "
        "abs/min/max and implies/either/at_least/at_most/exactly.",
    )


def _convert(node: ast.AST) -> Node:
    pos = _pos(node)
    match node:
        case ast.Constant(value=bool()):
            raise _unsupported(node, "a boolean constant")
        case ast.Constant(value=int() | float() as v):
            value = float(v) if not isinstance(v, int) or abs(v) < 10**300 else math.inf
            if not math.isfinite(value):
                raise ParseError("parse.syntax", "the number is too large", pos, "Use a number below 1e300.")
            return Num(value, pos=pos)
        case ast.Constant(value=str() as s):
            return Str(s, pos=pos)
        case ast.Constant():
            raise _unsupported(node, f"the constant {type(node.value).__name__}")
        case ast.Name(id=name):
            return Name(name, pos=pos)
        case ast.Subscript(value=ast.Name(id=name), slice=index):
            items = index.elts if isinstance(index, ast.Tuple) else [index]
            if not items:
                raise ParseError("parse.syntax", f"empty subscript on {name}", pos)
            return Subscript(name, tuple(_convert(i) for i in items), pos=pos)
        case ast.Subscript():
            raise _unsupported(node, "subscript of something other than a name")
        case ast.BinOp(op=op, left=left, right=right) if type(op) in _BINOPS:
            return BinOp(_BINOPS[type(op)], _convert(left), _convert(right), pos=pos)
        case ast.BinOp(op=ast.Pow(), left=left, right=right):
            return _square(left, right, pos)
        case ast.BinOp(op=op):
            raise _unsupported(node, _CONSTRUCTS.get(type(op)))
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return Neg(_convert(operand), pos=pos)
        case ast.UnaryOp(op=ast.UAdd(), operand=operand):
            return _convert(operand)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return Not(_convert(operand), pos=pos)
        case ast.UnaryOp(op=op):
            raise _unsupported(node, _CONSTRUCTS.get(type(op)))
        case ast.Compare(left=left, ops=ops, comparators=rest):
            for op in ops:
                if type(op) not in _CMPOPS:
                    raise _unsupported(node, _CONSTRUCTS.get(type(op)))
            operands = (_convert(left), *(_convert(c) for c in rest))
            return Compare(tuple(_CMPOPS[type(o)] for o in ops), operands, pos=pos)
        case ast.BoolOp(op=op, values=values):
            return BoolOp(
                "and" if isinstance(op, ast.And) else "or", tuple(_convert(v) for v in values), pos=pos
            )
        case ast.Call(func=ast.Name(id=func), args=args, keywords=keywords):
            if keywords:
                raise _unsupported(keywords[0], "keyword argument")
            return _call(func, args, node)
        case ast.Call():
            raise _unsupported(node, "call of something other than a known function name")
        case ast.List(elts=elts) | ast.Tuple(elts=elts):
            return ListOf(tuple(_convert(e) for e in elts), pos=pos)
        case ast.ListComp(elt=elt, generators=gens) | ast.GeneratorExp(elt=elt, generators=gens):
            bindings, cond = _generators(gens)
            return ListOf((_convert(elt),), bindings, cond, pos=pos)
    raise _unsupported(node)


def _square(base: ast.expr, exponent: ast.expr, pos: Pos) -> Node:
    """``e ** 2`` is read as ``e * e``: the language's one power, so every later stage sees a product."""
    if not (
        isinstance(exponent, ast.Constant) and type(exponent.value) in (int, float) and exponent.value == 2
    ):
        raise ParseError(
            "parse.unsupported",
            "only the square (** 2) is part of the expression language",
            pos,
            "Write e ** 2 or e * e for a square; other powers are not supported.",
        )
    operand = _convert(base)
    return BinOp("*", operand, operand, pos=pos)


def _call(func: str, args: list[ast.expr], node: ast.Call) -> Node:
    pos = _pos(node)
    if func not in FUNCS:
        raise ParseError(
            "parse.unknown-function",
            f"unknown function {func}()",
            pos,
            "Available: sum, abs, min, max, norm2, implies, either, at_least, at_most, exactly, and prev/next "
            "as an index.",
        )
    if any(isinstance(a, ast.Starred) for a in args):
        raise _unsupported(node, "star argument")
    if func == "sum":
        if len(args) != 1 or not isinstance(args[0], ast.GeneratorExp | ast.ListComp):
            raise _bad_args(func, "one generator, e.g. sum(x[i] for i in Items)", pos)
        elt, gens = args[0].elt, args[0].generators
        bindings, cond = _generators(gens)
        return Sum(_convert(elt), bindings, cond, pos=pos)
    converted = tuple(_convert(a) for a in args)
    if func in INDEX_FUNCS and not (
        1 <= len(converted) <= 2
        and isinstance(converted[0], Name)
        and (len(converted) == 1 or (isinstance(converted[1], Str) and converted[1].value == "cyclic"))
    ):
        raise _bad_args(func, f"a bound index and optionally 'cyclic': {func}(t) or {func}(t, 'cyclic')", pos)
    if func == "norm2" and (
        len(converted) != 1 or not isinstance(converted[0], ListOf) or not converted[0].items
    ):
        raise _bad_args(func, "one list: norm2([x - a, y - b]) or norm2([v[i] for i in Items])", pos)
    if func == "abs" and len(converted) != 1:
        raise _bad_args(func, "exactly one argument", pos)
    if func in ("min", "max") and len(converted) < 2:
        raise _bad_args(func, "two or more arguments", pos)
    if func == "implies" and len(converted) != 2:
        raise _bad_args(func, "two arguments: implies(condition, constraint)", pos)
    if func == "either" and len(converted) < 2:
        raise _bad_args(func, "two or more constraints", pos)
    if func in COUNT_FUNCS and (len(converted) != 2 or not isinstance(converted[1], ListOf)):
        raise _bad_args(func, f"a count and a list: {func}(k, [c1, c2, ...])", pos)
    return Call(func, converted, pos=pos)


def _bad_args(func: str, expected: str, pos: Pos) -> ParseError:
    return ParseError("parse.bad-arguments", f"{func}() takes {expected}", pos)


def _generators(gens: list[ast.comprehension]) -> tuple[tuple[Binding, ...], Node | None]:
    bindings: list[Binding] = []
    conds: list[Node] = []
    for gen in gens:
        if gen.is_async:
            raise _unsupported(gen, "async comprehension")
        bindings.append(_binding(gen.target, gen.iter))
        conds.extend(_convert(c) for c in gen.ifs)
    cond: Node | None = None
    if len(conds) == 1:
        cond = conds[0]
    elif conds:
        cond = BoolOp("and", tuple(conds), pos=conds[0].pos)
    return tuple(bindings), cond


def _binding(target: ast.AST, iterable: ast.AST) -> Binding:
    if not isinstance(iterable, ast.Name):
        raise ParseError(
            "parse.bad-binding",
            "iterate over a set by name (e.g. 'for i in Plants')",
            _pos(iterable),
            "range(), lists and other iterables are not allowed; define a set instead.",
        )
    if isinstance(target, ast.Name):
        names: tuple[str, ...] = (target.id,)
    elif (
        isinstance(target, ast.Tuple | ast.List)
        and target.elts
        and all(isinstance(e, ast.Name) for e in target.elts)
    ):
        names = tuple(e.id for e in target.elts)  # type: ignore[attr-defined]
    else:
        raise ParseError(
            "parse.bad-binding", "the loop target must be a name or a tuple of names", _pos(target)
        )
    if len(set(names)) != len(names):
        raise ParseError("parse.bad-binding", f"the same name is bound twice in {names}", _pos(target))
    return Binding(names, iterable.id, pos=_pos(target))
