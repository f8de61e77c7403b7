"""The oracle checks itself: its two independent methods agree, and it reads specs as documented."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings

from nl2opt.spec import ModelSpec
from tests.differential.cases import (
    Add,
    BinLit,
    Case,
    Cmp,
    ConstraintDef,
    Count,
    FCmp,
    Func,
    Goal,
    Idx,
    Implies,
    Num,
    Scale,
    SetDef,
    Sum,
    VarDef,
    VarRef,
    to_spec,
)
from tests.differential.compare import same_objective
from tests.differential.generate import FAST, LONG, RandomDrawer, cases, generate
from tests.differential.oracle import branch_optimum, enumerate_optimum, enumeration_size, truth


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(case=cases(FAST))
def test_enumeration_and_milp_pieces_agree_on_pure_integer_cases(case: Case) -> None:
    size = enumeration_size(case)
    if size is None or size > 512:
        return
    enumerated, pieces = enumerate_optimum(case, 512), branch_optimum(case, 512)
    if pieces.status == "unknown":
        return
    assert enumerated.status == pieces.status, (enumerated, pieces)
    if enumerated.status == "optimal":
        assert same_objective(enumerated.objective, pieces.objective), (enumerated, pieces)


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(case=cases(FAST))
def test_every_generated_case_renders_to_a_schema_valid_spec(case: Case) -> None:
    ModelSpec.model_validate(to_spec(case))


def _one(variables, objective, constraints=(), sense="maximize") -> Case:
    body = tuple(ConstraintDef(f"c{k}", (), None, c) for k, c in enumerate(constraints))
    return Case((), (), tuple(variables), sense, objective, body)


X, Y, B = VarRef("x"), VarRef("y"), VarRef("b")
CONT = VarDef("x", (), "continuous", -3, 3)
INT_X, INT_Y = VarDef("x", (), "integer", 0, 2), VarDef("y", (), "integer", 0, 2)
BIN = VarDef("b", (), "binary", 0, 1)

T123 = SetDef("T", (1, 2, 3), is_range=True)
SPARSE_X = VarDef("x", ("T",), "integer", 0, 2, over=("m",), where=FCmp(Idx("m"), "!=", Num(2)))
"""x[1] and x[3] exist, x[2] does not."""
XT = VarRef("x", (Idx("t"),))


def _sparse(objective, constraints=(), where=None) -> Case:
    body = tuple(ConstraintDef(f"c{k}", (("t", "T"),), where, c) for k, c in enumerate(constraints))
    return Case((T123,), (), (SPARSE_X,), "maximize", objective, body)


HAND_WORKED = {
    # "not x >= 2" is x <= 2 - eps with eps = 1e-5 for a continuous x (docs/spec-format.md)
    "implies, linear condition, strict": (
        _one([CONT, BIN], X, [Implies(Cmp(X, ">=", Num(2)), BinLit(B, 1)), Cmp(B, "<=", Num(0))]),
        2 - 1e-5,
    ),
    "at_most forces the other item false": (
        _one(
            [INT_X, INT_Y],
            Add(((1, X), (1, Y))),
            [Count("at_most", 1, (Cmp(X, ">=", Num(1)), Cmp(Y, ">=", Num(1))))],
        ),
        2.0,
    ),
    "exactly two of three binaries": (
        _one(
            [VarDef(n, (), "binary", 0, 1) for n in ("p", "q", "r")],
            Add(((1, VarRef("p")), (1, Scale(Num(2), VarRef("q"))), (1, Scale(Num(3), VarRef("r"))))),
            [Count("exactly", 2, (BinLit(VarRef("p")), BinLit(VarRef("q")), BinLit(VarRef("r"))))],
        ),
        5.0,
    ),
    "either splits the line": (
        _one(
            [CONT],
            Func("abs", (Add(((1, X), (-1, Num(0.5)))),)),
            [Count("either", 1, (Cmp(X, "<=", Num(-1)), Cmp(X, ">=", Num(1))))],
            sense="minimize",
        ),
        0.5,
    ),
    "abs maximised (non-convex)": (_one([CONT], Func("abs", (Add(((1, X), (-1, Num(1)))),))), 4.0),
    "min maximised (concave)": (_one([CONT], Func("min", (X, Add(((1, Num(2)), (-1, X)))))), 1.0),
    "implies with a negated binary": (
        _one([INT_X, BIN], Add(((1, X), (-3, B))), [Implies(BinLit(B, 0), Cmp(X, "<=", Num(1)))]),
        1.0,  # b = 0 caps x at 1 (1); b = 1 frees x (2 - 3 = -1)
    ),
    "a sum skips the cells outside a sparse domain, constant included": (
        _sparse(Sum(Add(((1, XT), (1, Num(1)))), (("t", "T"),))),
        6.0,  # (2 + 1) for t = 1 and t = 3 only
    ),
    "a row guarded by the domain's filter": (
        _sparse(Sum(XT, (("t", "T"),)), [Cmp(XT, "<=", Num(1))], where=FCmp(Idx("t"), "!=", Num(2))),
        2.0,
    ),
}


def test_a_row_that_names_a_missing_cell_outside_any_sum_is_invalid() -> None:
    found = truth(_sparse(Sum(XT, (("t", "T"),)), [Cmp(XT, "<=", Num(1))]))
    assert (found.status, found.detail) == ("invalid", "outside-domain")


@pytest.mark.parametrize(("case", "optimum"), HAND_WORKED.values(), ids=list(HAND_WORKED))
def test_the_oracle_reads_each_construct_as_documented(case: Case, optimum: float) -> None:
    for method in (branch_optimum, enumerate_optimum):
        found = method(case)
        if found.status == "unknown":  # enumeration needs every variable integer and bounded
            continue
        assert found.status == "optimal" and same_objective(found.objective, optimum), (
            method.__name__,
            found,
        )


def test_a_held_level_keeps_the_points_within_its_tolerance() -> None:
    x = VarRef("x")
    levels = (Goal("g1", "maximize", x, 1, 1.0), Goal("g2", "minimize", x, 2))
    case = Case((), (), (VarDef("x", (), "integer", 0, 3),), "minimize", x, (), goals=levels)
    found = truth(case)  # level 1 reaches 3 and is held at x >= 2; level 2 then picks 2
    assert (found.status, found.objective, found.levels, found.held) == ("optimal", 2.0, (3.0, 2.0), (2.0,))


def test_the_generator_reaches_the_newer_constructs() -> None:
    """Each construct is drawn, and tagged so that benchmarks/differential.py counts it."""
    tags: set[str] = set()
    for seed in range(400):
        tags |= generate(RandomDrawer(random.Random(seed)), LONG).tags
    wanted = {"sparse-var", "domain-guard", "domain-skip", "unguarded-domain", "quadratic-product"}
    wanted |= {"quadratic-square", "quadratic-sum", "lexicographic", "lex-tolerance"}
    assert wanted <= tags, wanted - tags
