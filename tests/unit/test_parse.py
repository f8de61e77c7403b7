"""The expression parser: a whitelist over ``ast`` that accepts the language and nothing else.

Nothing a formulator writes is ever executed: these tests feed the parser hostile
text with ``eval``/``exec`` and code compilation made to fail, and check that no
side effect happens.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nl2opt.check import check
from nl2opt.expr import parse_binding, parse_expression, to_text
from nl2opt.expr.nodes import Binding, Compare, Num, Subscript, Sum
from nl2opt.spec import ModelSpec

ACCEPTED = [
    "3",
    "2.5",
    "1e-3",
    "x",
    "x[i]",
    "cost[i, j]",
    "make['cake']",
    'make["cake"]',
    "x[3]",
    "x[-1]",
    "inv[t - 1]",
    "inv[t + 2 - 1]",
    "flow[a, b]",
    "flow[(a, b)]",
    "-x",
    "+x",
    "--x",
    "x + y - z",
    "2 * x / 3",
    "(x + y) * (2 - z)",
    "x - (y - z)",
    "x <= 3",
    "x >= 3",
    "x == 3",
    "x < 3",
    "x != 3",
    "1 <= x <= 5",
    "sum(x[i] for i in I)",
    "sum([x[i] for i in I])",
    "sum(c[i, j] * x[i, j] for i in I for j in J if i != j)",
    "sum(x[i] for i in I if i > 1 if i < 5)",
    "sum(x[a, b] for (a, b) in Arcs)",
    "sum(x[a, b] for a, b in Arcs)",
    "sum(x[e] for e in Arcs)",
    "sum(sum(x[i, j] for j in J) for i in I)",
    "abs(x - y)",
    "min(x, y, 3)",
    "max(x, 2)",
    "implies(b[f] == 1, sum(x[f, c] for c in C) >= 10)",
    "implies(b, x <= 3)",
    "either(x >= 1, y >= 2)",
    "either(x >= 1, y >= 2, z <= 0)",
    "at_least(2, [x >= 1, y >= 1, b])",
    "at_most(1, [b[i] for i in I])",
    "exactly(1, [b[i] for i in I if i > 2])",
    "exactly(k, (x >= 1, y >= 1))",
    "i != j and t > 1",
    "i == 'A' or not t > 1",
    "demand[j] > 0",
    "(x\n + y)",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_accepted_constructs_round_trip_through_text(text: str) -> None:
    node, diags = parse_expression(text)
    assert node is not None and diags == []
    again, diags = parse_expression(to_text(node))
    assert diags == [] and again == node


def test_the_tree_has_the_expected_shape() -> None:
    node, _ = parse_expression("sum(cost[i, 'A'] * x[i] for (i, k) in Pairs if k != 2) <= 10")
    assert isinstance(node, Compare) and node.ops == ("<=",)
    total = node.operands[0]
    assert isinstance(total, Sum) and total.bindings == (Binding(("i", "k"), "Pairs"),)
    assert node.operands[1] == Num(10.0)
    product = total.body
    assert isinstance(product.left, Subscript) and product.left.name == "cost"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "names", "set_name"),
    [
        ("i in Plants", ("i",), "Plants"),
        ("(a, b) in Arcs", ("a", "b"), "Arcs"),
        ("[a, b] in Arcs", ("a", "b"), "Arcs"),
    ],
)
def test_bindings(text: str, names: tuple[str, ...], set_name: str) -> None:
    binding, diags = parse_binding(text)
    assert diags == [] and binding == Binding(names, set_name)


@pytest.mark.parametrize(
    "text",
    ["i", "i in range(3)", "i not in S", "i in S in T", "1 in S", "(a, a) in S", "a.b in S", "i in S.T"],
)
def test_bad_bindings(text: str) -> None:
    binding, diags = parse_binding(text, "constraints[c].for[0]")
    assert binding is None
    assert [d.code for d in diags] in (["parse.bad-binding"], ["parse.syntax"], ["parse.unsupported"])
    assert diags[0].where == "constraints[c].for[0]"


REJECTED = [
    # (text, code, column)
    ("x.y", "parse.unsupported", 1),
    ("x + os.system", "parse.unsupported", 5),
    ("lambda: 1", "parse.unsupported", 1),
    ("x ** 3", "parse.unsupported", 1),
    ("x // 2", "parse.unsupported", 1),
    ("x % 2", "parse.unsupported", 1),
    ("x @ y", "parse.unsupported", 1),
    ("~x", "parse.unsupported", 1),
    ("x & y", "parse.unsupported", 1),
    ('f"{x}"', "parse.unsupported", 1),
    ("(y := 1)", "parse.unsupported", 2),
    ("__import__('os')", "parse.unknown-function", 1),
    ("open('/tmp/x', 'w')", "parse.unknown-function", 1),
    ("eval('1')", "parse.unknown-function", 1),
    ("1 + getattr(x, 'y')", "parse.unknown-function", 5),
    ("x[1:2]", "parse.unsupported", 3),
    ("x[::2]", "parse.unsupported", 3),
    ("{1: 2}", "parse.unsupported", 1),
    ("{1, 2}", "parse.unsupported", 1),
    ("{i: 1 for i in S}", "parse.unsupported", 1),
    ("{i for i in S}", "parse.unsupported", 1),
    ("i in S", "parse.unsupported", 1),
    ("i not in S", "parse.unsupported", 1),
    ("x is None", "parse.unsupported", 1),
    ("max(x, key=y)", "parse.unsupported", 8),
    ("max(*xs)", "parse.unsupported", 1),
    ("[*xs]", "parse.unsupported", 2),
    ("x if c else y", "parse.unsupported", 1),
    ("sum(x for x in range(3))", "parse.bad-binding", 16),
    ("sum(x for x in [1, 2])", "parse.bad-binding", 16),
    ("sum(x for x.y in S)", "parse.bad-binding", 11),
    ("True", "parse.unsupported", 1),
    ("x + False", "parse.unsupported", 5),
    ("None", "parse.unsupported", 1),
    ("b'x'", "parse.unsupported", 1),
    ("1j", "parse.unsupported", 1),
    ("x[...]", "parse.unsupported", 3),
    ("x[i][j]", "parse.unsupported", 1),
    ("f(x)[0]", "parse.unsupported", 1),
    ("(x).y()", "parse.unsupported", 1),
    ("await x", "parse.unsupported", 1),
    ("sum(x)", "parse.bad-arguments", 1),
    ("abs(x, y)", "parse.bad-arguments", 1),
    ("min(x)", "parse.bad-arguments", 1),
    ("implies(x)", "parse.bad-arguments", 1),
    ("either(x >= 1)", "parse.bad-arguments", 1),
    ("at_least(1, x)", "parse.bad-arguments", 1),
    ("x = 1", "parse.syntax", 3),
    ("import os", "parse.syntax", 1),
    ("x; y", "parse.syntax", 2),
    ("sum(x[i] for i in I", "parse.syntax", 4),
]


@pytest.mark.parametrize(("text", "code", "column"), REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected_constructs_say_what_and_where(text: str, code: str, column: int) -> None:
    node, diags = parse_expression(text, "constraints[c].expression")
    assert node is None
    [d] = diags
    assert (d.code, d.where) == (code, "constraints[c].expression")
    assert f"(line 1, column {column})" in d.message


@pytest.mark.parametrize("text", ["", "   ", "x" * 20_001])
def test_empty_or_huge_text_is_a_syntax_error(text: str) -> None:
    node, diags = parse_expression(text)
    assert node is None and [d.code for d in diags] == ["parse.syntax"]


def test_deep_nesting_is_refused_not_crashed() -> None:
    for text in ("-" * 5000 + "x", "(" * 300 + "x" + ")" * 300):
        node, diags = parse_expression(text)
        assert node is None and diags[0].code == "parse.syntax"


# -- no input executes code ----------------------------------------------------------------------
@contextmanager
def nothing_executes() -> Iterator[None]:
    """eval and exec fail; compile may only build syntax trees (which ast.parse needs), never code."""
    real_compile = builtins.compile

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("model text reached eval/exec")

    def ast_only(source, filename, mode, flags=0, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not flags & ast.PyCF_ONLY_AST:
            raise AssertionError("model text was compiled to code")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    with (
        mock.patch.object(builtins, "eval", forbidden),
        mock.patch.object(builtins, "exec", forbidden),
        mock.patch.object(builtins, "compile", ast_only),
    ):
        yield


def hostile(tmp: Path) -> list[str]:
    return [
        f"__import__('os').system('touch {tmp}/pwned')",
        f"open('{tmp}/x', 'w').write('1')",
        f"[c for c in ().__class__.__base__.__subclasses__()][0]('touch {tmp}/pwned')",
        f"x[__import__('os').system('touch {tmp}/pwned')]",
        f"sum(x for x in __import__('os').system('touch {tmp}/pwned'))",
        f"exec(\"open('{tmp}/x', 'w')\")",
        f"lambda: open('{tmp}/x', 'w')",
        f"(lambda f: f('{tmp}/x', 'w'))(open)",
        f"breakpoint() or open('{tmp}/x', 'w')",
    ]


def test_hostile_text_runs_nothing(tmp_path: Path) -> None:
    texts = hostile(tmp_path)
    with nothing_executes():
        for text in texts:
            assert parse_expression(text)[0] is None
        spec = ModelSpec.model_validate(
            {
                "variables": [{"name": "x"}],
                "objective": {"sense": "minimize", "expression": texts[0]},
                "constraints": [{"name": f"c{k}", "expression": t, "where": t} for k, t in enumerate(texts)],
            }
        )
        assert check(spec)
    assert list(tmp_path.iterdir()) == []


TOKENS = [
    *re.findall(r"\S+", "x y i S cost sum abs min max implies either at_least exactly __import__ open eval"),
    *re.findall(r"\S+", "exec compile getattr globals os system __class__ for in if else and or not lambda"),
    *re.findall(r"\S+", "import from yield await async is ( ) [ ] { } , : ; . = := + - * / ** // % @ <= >="),
    *re.findall(r"\S+", "== != < > ~ & | ^ << 'a' \"b\" f'{x}' b'x' 0 1 2.5 1e3 1e400 -1 True None ... \\ #"),
    "\n",
    " ",
]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)))
def test_parse_never_raises_and_never_executes(text: str) -> None:
    with nothing_executes():
        node, diags = parse_expression(text, "objective.expression")
    if node is None:
        assert len(diags) == 1 and diags[0].code.startswith("parse.")
        assert diags[0].where == "objective.expression"
    else:
        assert diags == []


# -- edge cases that once escaped -----------------------------------------------------------------
def test_huge_integer_literal_is_a_diagnostic() -> None:
    node, diags = parse_expression("1" * 400)
    assert node is None and diags[0].code.startswith("parse.")


def test_non_finite_literal_is_refused() -> None:
    node, diags = parse_expression("x <= 1e400")
    assert node is None and diags


@pytest.mark.parametrize(
    "text", ["not (a == 1 and b == 2)", "(a <= b) <= c", "(a or b) == c", "(a <= b) + 1"]
)
def test_nested_conditions_round_trip(text: str) -> None:
    node, _ = parse_expression(text)
    assert node is not None and parse_expression(to_text(node))[0] == node


@pytest.mark.parametrize(("text", "column"), [("  x[1:2]", 5), ("é + x[1:2]", 7)])
def test_columns_count_characters_of_the_text_as_given(text: str, column: int) -> None:
    _, [d] = parse_expression(text)
    assert re.search(rf"column {column}\)", d.message)
