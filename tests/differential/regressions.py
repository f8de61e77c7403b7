"""Minimal cases, in the generator's AST, for every class of bug the differential suite found.

Each names its bug, the hand-derived answer (the tests also hold the oracle to it) and
``open_on``: the backends on which the bug is still open on main. There its regression
test is a strict xfail, and the property test forgives disagreements that ``KNOWN_BUGS``
recognises as that bug, so CI stays green until the fix lands. When a fix is merged,
clear its ``open_on`` (the strict xfail fails until you do); that retires its filter too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.differential.cases import (
    Add,
    BinLit,
    Case,
    Cmp,
    ConstraintDef,
    Count,
    Div,
    FCmp,
    Func,
    Goal,
    Idx,
    Implies,
    Num,
    ParamDef,
    ParamRef,
    Prod,
    Range,
    Scale,
    SetDef,
    Sum,
    VarDef,
    VarRef,
)
from tests.differential.compare import Disagreement, Report
from tests.differential.oracle import Truth


@dataclass(frozen=True)
class Regression:
    name: str
    bug: str
    case: Case
    expected: Truth
    open_on: tuple[str, ...] = ()
    """Backends on which the bug is still open on main (strict xfail there)."""


def _case(sets=(), params=(), variables=(), sense="minimize", objective=None, constraints=()) -> Case:
    return Case(tuple(sets), tuple(params), tuple(variables), sense, objective, tuple(constraints))


def _c(k: int, body, binders=(), where=None) -> ConstraintDef:
    return ConstraintDef(f"c{k}", tuple(binders), where, body)


x, y, b = VarRef("x"), VarRef("y"), VarRef("b")
ALL = ("highs", "pulp", "ortools", "pyomo")
T12 = SetDef("T", (1, 2), is_range=True)

REGRESSIONS = [
    Regression(
        "abs_over_two_axes",
        "lowering crash: abs() whose argument spans two index sets (2-D bounds to aux_columns)",
        _case(
            sets=[T12, SetDef("I", ("a", "b"))],
            variables=[VarDef("x", ("T", "I"), "integer", -2, 1)],
            objective=Sum(VarRef("x", (Idx("t"), Idx("i"))), (("t", "T"), ("i", "I"))),
            constraints=[
                _c(
                    0,
                    Cmp(Func("abs", (VarRef("x", (Idx("t"), Idx("i"))),)), "<=", Num(1)),
                    [("t", "T"), ("i", "I")],
                )
            ],
        ),
        Truth("optimal", -4.0),
    ),
    Regression(
        "objective_offset_outside_set",
        "lowering crash (np.bincount): objective cell x[t + 1] outside T for a t the filter keeps",
        _case(
            sets=[T12],
            variables=[VarDef("x", ("T",), "integer", -2, 1)],
            objective=Sum(VarRef("x", (Idx("t", offset=1),)), (("t", "T"),), FCmp(Idx("t"), "!=", Num(1))),
        ),
        Truth("invalid"),
    ),
    Regression(
        "filtered_division",
        "check.division-by-zero although the sum's filter p[i] > 0 excludes the zero divisor",
        _case(
            sets=[SetDef("I", ("a", "b", "c"))],
            params=[ParamDef("p", ("I",), {("a",): 0.0, ("b",): 2.0, ("c",): 0.5})],
            variables=[VarDef("x", ("I",), "integer", 0, 4)],
            sense="maximize",
            objective=Sum(VarRef("x", (Idx("i"),)), (("i", "I"),)),
            constraints=[
                _c(
                    0,
                    Cmp(
                        Sum(
                            Div(VarRef("x", (Idx("i"),)), ParamRef("p", (Idx("i"),))),
                            (("i", "I"),),
                            FCmp(ParamRef("p", (Idx("i"),)), ">", Num(0)),
                        ),
                        "<=",
                        Num(2),
                    ),
                )
            ],
        ),
        Truth("optimal", 8.0),  # x[a] = 4 (unconstrained), x[b] = 4, x[c] = 0
    ),
    Regression(
        "strict_condition_optimum_unverified",
        "the verifier's tolerance 1e-6*|rhs| exceeds the compiler's eps 1e-5 once |rhs| > 10",
        _case(
            variables=[VarDef("x", (), "continuous", 0, 50), VarDef("b", (), "binary", 0, 1)],
            sense="maximize",
            objective=x,
            constraints=[_c(0, Implies(Cmp(x, ">=", Num(30)), BinLit(b, 1))), _c(1, Cmp(b, "<=", Num(0)))],
        ),
        Truth("optimal", 30 - 1e-5),
    ),
    Regression(
        "cbc_nested_abs_suboptimal",
        "pulp (CBC preprocessing): 'optimal' 1 for min |abs(y) + 2x| whose optimum is 0",
        _case(
            variables=[VarDef("x", (), "continuous", -1, 2), VarDef("y", (), "continuous", -1, 2)],
            objective=Func("abs", (Add(((1, Func("abs", (y,))), (1, Scale(Num(2), x)))),)),
            constraints=[_c(0, Cmp(Add(((1, x), (1, y))), ">=", Num(0.5)))],
        ),
        Truth("optimal", 0.0),
    ),
    Regression(
        "cbc_false_infeasible",
        "pulp (CBC preprocessing): infeasible, with an invented conflict, for max(x, x) with 3x == 1",
        _case(
            variables=[VarDef("x", (), "continuous", 0, 1)],
            sense="maximize",
            objective=Func("max", (x, x)),
            constraints=[_c(0, Cmp(Scale(Num(3), x), "==", Num(1)))],
        ),
        Truth("optimal", 1 / 3),
    ),
    Regression(
        "cbc_point_within_integrality_tolerance",
        "pulp: 'optimal' with a point that breaks the model (an indicator at 1e-6 lets x pass its bound)",
        _case(
            variables=[VarDef("x", (), "continuous", -2, 1), VarDef("b", (), "binary", 0, 1)],
            objective=b,
            constraints=[
                _c(0, Count("at_most", 1, (Cmp(Scale(Num(4), x), "<=", Num(4)), Cmp(b, ">=", Num(1))))),
                _c(1, Cmp(Func("max", (b, Scale(Num(2), b))), ">=", Num(0.5))),
            ],
        ),
        Truth("infeasible"),
    ),
    Regression(
        "unbounded_mip_called_infeasible",
        "pulp and ortools: an unbounded MIP reported infeasible (then a conflict is invented)",
        _case(
            variables=[VarDef("x", (), "continuous", 0, None), VarDef("y", (), "integer", 0, 3)],
            sense="maximize",
            objective=Add(((1, x), (1, y))),
            constraints=[_c(0, Count("at_most", 1, (Cmp(y, ">=", Num(1)), Cmp(y, ">=", Num(2)))))],
        ),
        Truth("unbounded"),
    ),
    Regression(
        "unbounded_mip_called_infeasible_trivial_count",
        "ortools and pulp: unbounded MIP reported infeasible when a count row always holds",
        _case(
            variables=[VarDef("x", (), "continuous", 0, None), VarDef("b", (), "binary", 0, 1)],
            sense="maximize",
            objective=Add(((1, x), (1, b))),
            constraints=[_c(0, Cmp(b, "<=", Num(0))), _c(1, Count("at_most", 1, (Cmp(b, "<=", Num(3)),)))],
        ),
        Truth("unbounded"),
    ),
    Regression(
        "pyomo_unset_integer_column",
        "pyomo: an integer column no row uses comes back at its fractional bound (-0.5, shown as 0)",
        _case(
            variables=[VarDef("x", (), "integer", -2, -0.5), VarDef("y", (), "integer", 0, 3)],
            sense="maximize",
            objective=y,
            constraints=[_c(0, Cmp(y, "<=", Num(2)))],
        ),
        Truth("optimal", 2.0),
    ),
    Regression(
        "nan_bound_from_filtered_offset",
        "NaN bound on abs()'s auxiliary column when a filtered-out cell reads p[t - 1] outside T "
        "(HiGHS 'rejected passModel', OR-Tools 'Infeasible bounds [-inf, nan]')",
        _case(
            sets=[T12],
            params=[ParamDef("p", ("T",), {(1,): 1.0, (2,): 1.0})],
            variables=[VarDef("x", (), "continuous", 0, 5)],
            sense="maximize",
            objective=x,
            constraints=[
                _c(
                    0,
                    Cmp(
                        Func("abs", (Add(((1, x), (-1, ParamRef("p", (Idx("t", offset=-1),))))),)),
                        "<=",
                        Num(1),
                    ),
                    [("t", "T")],
                    FCmp(Idx("t"), ">", Num(1)),
                )
            ],
        ),
        Truth("optimal", 2.0),
    ),
    Regression(
        "pyomo_zero_objective",
        "pyomo: status error ('the solver reported highs: unknown') for a program with no rows "
        "and an all-zero objective",
        _case(
            variables=[VarDef("x", (), "binary", 0, 1)],
            sense="maximize",
            objective=Add(((1, x), (-1, x))),
        ),
        Truth("optimal", 0.0),
    ),
    Regression(
        "cbc_integer_infeasible",
        "pulp with CBC 'preprocess off' (the truth branch's default): PulpSolverError, 'Error while "
        "trying to execute cbc', on a MIP whose relaxation is feasible but has no integer point",
        _case(
            variables=[VarDef("x", (), "integer", 0, 2)],
            sense="maximize",
            objective=Scale(Num(3), x),
            constraints=[_c(0, Cmp(Add(((1, x), (1, x))), "==", Num(3)))],
        ),
        Truth("infeasible"),
    ),
    Regression(
        "nested_abs_objective_mismatch",
        "HiGHS's optimum of a sum of nested abs (aux rows within 1e-6 each) reports +1e-6 while the "
        "point gives -1e-6: verify.objective-mismatch, so a right answer is 'not verified'",
        _case(
            sets=[T12, SetDef("J", ("a", "b", "c"))],
            variables=[VarDef("x", (), "continuous", -3, 1)],
            sense="maximize",
            objective=Add(
                (
                    (
                        -1,
                        Sum(
                            Func(
                                "abs",
                                (
                                    Add(
                                        (
                                            (1, Sum(Func("abs", (Scale(Num(2), x),)), (("j", "J"),))),
                                            (-1, Num(2)),
                                        )
                                    ),
                                ),
                            ),
                            (("t", "T"),),
                        ),
                    ),
                )
            ),
        ),
        Truth("optimal", 0.0),
    ),
    Regression(
        "oracle_presolve_false_infeasible",
        "the oracle (scipy's HiGHS with presolve) called this feasible, unbounded MIP infeasible while "
        "every backend said unbounded: x = z = 0, y = 0.5 holds, and x -> -inf with y = 2x + 0.5",
        _case(
            variables=[
                VarDef("x", (), "integer", None, None),
                VarDef("y", (), "continuous", None, 3),
                VarDef("z", (), "integer", -2, 0),
            ],
            objective=Add(((1, y), (1, Num(5)), (1, Scale(Num(3), x)))),
            constraints=[
                _c(0, Range(-1, Add(((-1, y), (1, Scale(Num(2), VarRef("z"))), (1, Scale(Num(2), x)))), -0.5))
            ],
        ),
        Truth("unbounded"),
    ),
    Regression(
        "range_and_logic_agree",
        "control case (no bug): a range row and an exactly() over binaries, solved right everywhere",
        _case(
            sets=[SetDef("I", ("a", "b", "c"))],
            variables=[VarDef("b", ("I",), "binary", 0, 1), VarDef("y", (), "integer", -3, 3)],
            sense="maximize",
            objective=Add(((1, y), (1, Sum(VarRef("b", (Idx("i"),)), (("i", "I"),))))),
            constraints=[
                _c(0, Range(-2, Add(((1, y), (1, VarRef("b", (Idx(literal="a"),))))), 2)),
                _c(1, Count("exactly", 1, (BinLit(VarRef("b", (Idx(literal="a"),))), Cmp(y, ">=", Num(2))))),
            ],
        ),
        Truth("optimal", 4.0),  # y = 2 with b[a] = 0, or y = 1 with b[a] = 1; b[b] = b[c] = 1: 4 either way
    ),
    Regression(
        "quadratic_sum_over_sparse_domain",
        "check.outside-domain for sum(y[t] * x for t in T) with y only on t == 1: the quadratic path "
        "did not skip the sum's missing cells as the linear one does (fixed in lower/quadratic.py)",
        _case(
            sets=[SetDef("T", (0, 1, 2), is_range=True)],
            variables=[
                VarDef("x", (), "binary", 0, 1),
                VarDef("y", ("T",), "integer", 1, 5, over=("m",), where=FCmp(Idx("m"), "==", Num(1))),
            ],
            sense="maximize",
            objective=Sum(Prod(VarRef("y", (Idx("t"),)), x), (("t", "T"),)),
        ),
        Truth("optimal", 5.0),  # y[1] = 5, x = 1 (only SCIP solves integer products; the rest refuse)
    ),
    Regression(
        "binary_condition_with_offset_index",
        "check.logic-operand ('an == or range condition cannot force an indicator') for "
        "implies(b[t + 1] == 1, ...) where the filter t < 2 drops the row whose b[t + 1] is outside T: "
        "canon.essential kept the piece b - 1 <= 0 for its broken cell, so the condition had two pieces "
        "(a regression of d10126a; fixed: a broken piece another kept piece carries is dropped)",
        _case(
            sets=[T12],
            variables=[VarDef("b", ("T",), "binary", 0, 1), VarDef("x", (), "continuous", 0, 5)],
            sense="maximize",
            objective=Add(((1, x), (1, VarRef("b", (Idx(literal=2),))))),
            constraints=[
                _c(
                    0,
                    Implies(BinLit(VarRef("b", (Idx("t", offset=1),)), 1), Cmp(x, "<=", Num(1))),
                    [("t", "T")],
                    FCmp(Idx("t"), "<", Num(2)),
                )
            ],
        ),
        Truth("optimal", 5.0),  # b[2] = 0 leaves x free (5); b[2] = 1 caps x at 1 (2)
    ),
    Regression(
        "held_level_epigraph_slack_unverified",
        "a right lexicographic answer was 'unverified' (verify.level-mismatch: 'recomputed from the spec "
        "is 0, the solver reported 0.5'): level 1 minimises abs(x - 1) with tolerance 0.5, and once it "
        "is held the epigraph column of abs floats up to the held bound, which Result.levels reported "
        "(fixed: nl2opt.answer.settle_held_levels shows the spec's value when it is the better one)",
        Case(
            (),
            (),
            (VarDef("x", (), "integer", 0, 2),),
            "maximize",
            Scale(Num(-1), x),
            (),
            goals=(
                Goal("g1", "minimize", Func("abs", (Add(((1, x), (-1, Num(1)))),)), 1, 0.5),
                Goal("g2", "maximize", Scale(Num(-1), x), 2),
            ),
        ),
        Truth("optimal", -1.0),  # level 1: x = 1 (0); held |x - 1| <= 0.5 keeps x = 1, so level 2 is -1
    ),
]


@dataclass(frozen=True)
class KnownBug:
    """An open bug, and how to recognise a disagreement it explains."""

    regression: str
    matches: Callable[[Report, Disagreement], bool]


def _error(report: Report, d: Disagreement) -> str:
    o = report.outcomes.get(d.backend)
    return f"{o.error} {o.codes}" if o else ""


def _status(report: Report, backend: str) -> str:
    return report.outcomes[backend].status


KNOWN_BUGS: list[KnownBug] = [
    KnownBug("abs_over_two_axes", lambda r, d: "more dimensions than allowed" in _error(r, d)),
    KnownBug("objective_offset_outside_set", lambda r, d: "no negative elements" in _error(r, d)),
    KnownBug("filtered_division", lambda r, d: "check.division-by-zero" in _error(r, d)),
    KnownBug(
        "strict_condition_optimum_unverified",
        lambda r, d: d.kind == "unverified" and "verify.constraint-violated" in _error(r, d),
    ),
    KnownBug("cbc_nested_abs_suboptimal", lambda r, d: d.backend == "pulp"),
    KnownBug(
        "unbounded_mip_called_infeasible_trivial_count",
        lambda r, d: r.truth.status == "unbounded" and _status(r, d.backend) == "infeasible",
    ),
    KnownBug(
        "pyomo_unset_integer_column",
        lambda r, d: d.backend == "pyomo" and "fractional-integer-bound" in r.case.tags and d.kind != "crash",
    ),
    KnownBug(
        "nan_bound_from_filtered_offset",
        lambda r, d: d.kind == "crash" and any(s in _error(r, d) for s in ("passModel", "nan]", "NaN")),
    ),
    KnownBug("pyomo_zero_objective", lambda r, d: d.backend == "pyomo" and "highs: unknown" in _error(r, d)),
    KnownBug("nested_abs_objective_mismatch", lambda r, d: "verify.objective-mismatch" in _error(r, d)),
    KnownBug("cbc_integer_infeasible", lambda r, d: "Error while trying to execute" in _error(r, d)),
    KnownBug(
        "binary_condition_with_offset_index",
        lambda r, d: "cannot force an indicator" in _error(r, d) and "index-offset" in r.case.tags,
    ),
]
"""How to recognise each bug in a generated case; active only on its regression's ``open_on``."""

_OPEN = {r.name: r.open_on for r in REGRESSIONS if r.open_on}


def explained(report: Report, d: Disagreement) -> bool:
    """Whether a bug still open on d's backend accounts for the disagreement.

    A bug counts only while its regression lists the backend in ``open_on``: clearing
    ``open_on`` when a fix lands (the xfail must go then anyway) retires its filter too.
    Backends disagreeing (no oracle answer) is explained when only pulp stands apart
    while CBC's wrong answers are open.
    """
    if d.backend == "all":
        others = [o for b, o in report.outcomes.items() if b != "pulp" and o.status not in ("crash", "error")]
        return "pulp" in _OPEN.get("cbc_nested_abs_suboptimal", ()) and len({o.status for o in others}) <= 1
    return any(d.backend in _OPEN.get(bug.regression, ()) and bug.matches(report, d) for bug in KNOWN_BUGS)
