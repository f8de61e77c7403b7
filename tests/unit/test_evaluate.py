"""The naive evaluator: one value or one truth per row, by walking the tree."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.spec import ModelSpec
from nl2opt.verify.evaluate import Env, EvaluationError, assess, evaluate, iter_rows, violation

SPEC = ModelSpec.model_validate(
    {
        "sets": [
            {"name": "Foods", "elements": ["bread", "milk", "eggs"]},
            {"name": "T", "range": {"start": 1, "stop": 4}},
            {"name": "Arcs", "elements": [["A", "B"], ["B", "C"]]},
        ],
        "parameters": [
            {"name": "price", "index": ["Foods"], "values": [2.0, 3.5, 1.25]},
            {"name": "demand", "index": ["T"], "values": [10, 0, 30, 40]},
            {"name": "length", "index": ["Arcs"], "entries": [{"key": ["A", "B"], "value": 7}]},
            {"name": "budget", "value": 20},
        ],
        "variables": [
            {"name": "buy", "index": ["Foods"]},
            {"name": "stock", "index": ["T"]},
            {"name": "flow", "index": ["Arcs"]},
            {"name": "on", "index": ["Foods"], "domain": "binary"},
            {"name": "z", "lower": None},
        ],
        "objective": {"sense": "minimize", "expression": "z"},
    }
)
VALUES = {
    "buy": np.array([1.0, 2.0, 4.0]),
    "stock": np.array([5.0, 6.0, 7.0, 8.0]),
    "flow": np.array([3.0, 0.5]),
    "on": np.array([1.0, 0.0, 1.0]),
    "z": -2.5,
}
ENV = Env.of(SPEC, VALUES)


def ev(text: str, env: Env = ENV, **bound: object) -> float | bool:
    node, diags = parse_expression(text)
    assert node is not None, diags
    for name, member in bound.items():
        env = env.bind((name,), member)
    return evaluate(node, env)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 + 3 * 4 - 6 / 3", 12.0),
        ("-z", 2.5),
        ("price['milk'] * buy['milk']", 7.0),
        ("sum(price[f] * buy[f] for f in Foods)", 2 + 7 + 5),
        ("sum(buy[f] for f in Foods if price[f] > 1.5)", 3.0),
        ("sum(buy[f] for f in Foods if f != 'milk' and not price[f] < 2)", 1.0),
        ("sum(stock[t] - stock[t - 1] for t in T if t > 1)", 3.0),
        ("sum(t * stock[t] for t in T)", 5 + 12 + 21 + 32),
        ("sum(flow[a, b] for (a, b) in Arcs if a == 'A')", 3.0),
        ("sum(flow[e] for e in Arcs)", 3.5),
        ("sum(length[a, b] * flow[a, b] for (a, b) in Arcs if b == 'B')", 21.0),
        ("abs(z)", 2.5),
        ("min(buy['bread'], buy['eggs'], 3)", 1.0),
        ("max(buy['bread'], z)", 1.0),
        ("budget - sum(buy[f] for f in Foods)", 13.0),
        ("sum(sum(stock[t] for t in T if t <= s) for s in T)", 5 + 11 + 18 + 26),
    ],
)
def test_arithmetic(text: str, expected: float) -> None:
    assert ev(text) == pytest.approx(expected)


def test_bound_indices_come_from_the_environment() -> None:
    assert ev("stock[t - 1] + demand[t]", t=3) == 6.0 + 30.0
    assert ev("price[f]", f="eggs") == 1.25


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("buy['bread'] <= 1", True),
        ("buy['bread'] <= 1 - 1e-7", True),
        ("buy['bread'] <= 1 - 1e-3", False),
        ("buy['milk'] == 2", True),
        ("1 <= buy['milk'] <= 3", True),
        ("1 <= buy['eggs'] <= 3", False),
        ("implies(on['bread'] == 1, buy['bread'] >= 1)", True),
        ("implies(on['milk'], buy['milk'] >= 100)", True),
        ("implies(on['eggs'], buy['eggs'] >= 100)", False),
        ("either(buy['bread'] >= 5, buy['eggs'] >= 4)", True),
        ("either(buy['bread'] >= 5, buy['eggs'] >= 5)", False),
        ("at_least(2, [on[f] for f in Foods])", True),
        ("at_least(3, [on[f] for f in Foods])", False),
        ("at_most(1, [buy[f] >= 2 for f in Foods])", False),
        ("exactly(2, [buy[f] >= 2 for f in Foods])", True),
        ("exactly(1, [on['bread'], buy['milk'] >= 3])", True),
    ],
)
def test_truth_of_constraints_within_tolerance(text: str, expected: bool) -> None:
    assert ev(text) is expected


def test_filters_are_exact_but_constraints_have_a_tolerance() -> None:
    spec = ModelSpec.model_validate(
        {
            "sets": [{"name": "T", "range": {"start": 1, "stop": 4}}],
            "parameters": [{"name": "p", "value": 1e-9}],
            "variables": [{"name": "x"}],
            "objective": {"sense": "minimize", "expression": "x"},
        }
    )
    env = Env.of(spec, {"x": 1e-9})
    assert ev("x <= 0", env) is True
    assert ev("sum(1 for t in T if p <= 0)", env) == 0.0


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("buy['bread'] <= 1", 0.0),
        ("buy['eggs'] <= 1", 3.0),
        ("buy['eggs'] >= 10", 6.0),
        ("buy['milk'] == 5", 3.0),
        ("0 <= z <= 1", 2.5),
        ("implies(on['eggs'], buy['eggs'] >= 4.5)", 0.5),
        ("implies(on['milk'], buy['milk'] >= 100)", 0.0),
        ("either(buy['bread'] >= 3, buy['eggs'] >= 7)", 2.0),
        ("at_least(3, [on[f] for f in Foods])", 1.0),
        ("at_most(0, [on[f] for f in Foods])", 2.0),
    ],
)
def test_violation_says_by_how_much(text: str, amount: float) -> None:
    node, _ = parse_expression(text)
    assert violation(node, ENV) == pytest.approx(amount)


def test_assess_reports_both_sides_of_the_worst_link() -> None:
    node, _ = parse_expression("buy['bread'] <= buy['milk'] <= buy['bread'] + 0.5")
    out = assess(node, ENV, 1e-6)
    assert not out.holds
    assert (out.lhs, out.op, out.rhs, out.amount) == (2.0, "<=", 1.5, pytest.approx(0.5))


def test_tolerance_scales_with_the_right_hand_side() -> None:
    big = Env.of(SPEC, {**VALUES, "z": 1e6 + 2})
    node, _ = parse_expression("z <= 1000000")
    assert violation(node, big, 1e-6) == pytest.approx(2.0)
    assert violation(node, big, 1e-5) == 0.0


def test_rows_enumerate_bindings_in_set_order_through_the_filter() -> None:
    bindings = [parse_binding(t)[0] for t in ("f in Foods", "t in T")]
    cond, _ = parse_expression("t > 2 and f != 'milk'")
    rows = [members for members, _ in iter_rows(bindings, ENV, cond)]
    assert rows == [("bread", 3), ("bread", 4), ("eggs", 3), ("eggs", 4)]


def test_pair_bindings_unpack_members() -> None:
    binding, _ = parse_binding("(a, b) in Arcs")
    envs = [env for _, env in iter_rows([binding], ENV)]
    assert [(e.bound["a"], e.bound["b"]) for e in envs] == [("A", "B"), ("B", "C")]


@pytest.mark.parametrize(
    ("text", "bound", "message"),
    [
        ("stock[t - 1]", {"t": 1}, "0 is not a member of T"),
        ("price['cheese']", {}, "'cheese' is not a member of Foods"),
        ("length['B', 'C']", {}, "length[B, C] has no value"),
        ("unknown + 1", {}, "unknown name"),
        ("stock[s]", {}, "not bound"),
        ("price[f] + f", {"f": "milk"}, "not a number"),
        ("buy['milk'] / (budget - 20)", {}, "divides by zero"),
        ("stock[1, 2]", {}, "takes 1 indices"),
        ("'text' + 1", {}, "not a number"),
        ("price + 1", {}, "used without [..]"),
    ],
)
def test_what_cannot_be_evaluated_raises_evaluation_error(text: str, bound: dict, message: str) -> None:
    with pytest.raises(EvaluationError, match=re.escape(message)):
        ev(text, **bound)


def test_missing_or_misshapen_values_are_evaluation_errors() -> None:
    with pytest.raises(EvaluationError, match="no value for variable buy"):
        ev("buy['milk']", Env.of(SPEC, {}))
    with pytest.raises(EvaluationError, match="shape"):
        ev("buy['milk']", Env.of(SPEC, {"buy": np.zeros(2)}))


def test_a_long_flat_sum_is_walked_without_recursion() -> None:
    node, _ = parse_expression(" + ".join(["buy['milk']"] * 950))
    assert evaluate(node, ENV) == pytest.approx(1900.0)


# -- large sums are gathered with numpy; they must agree with the term-by-term walk exactly ------
_RNG = np.random.default_rng(11)
BIG = ModelSpec.model_validate(
    {
        "sets": [
            {"name": "I", "range": {"start": 1, "stop": 60}},
            {"name": "J", "elements": [f"j{k}" for k in range(50)]},
            {"name": "P", "elements": [[f"a{k % 7}", f"b{k}"] for k in range(60)]},
        ],
        "parameters": [
            {
                "name": "c",
                "index": ["I", "J"],
                "values": _RNG.integers(0, 9, (60, 50)).astype(float).tolist(),
            },
            {
                "name": "w",
                "index": ["I"],
                "entries": [{"key": [i], "value": i % 5} for i in range(1, 61) if i % 9],
            },
            {"name": "d", "index": ["J"], "values": _RNG.integers(-3, 4, 50).astype(float).tolist()},
            {"name": "len", "index": ["P"], "values": _RNG.random(60).tolist()},
            {"name": "k", "value": 2.5},
        ],
        "variables": [
            {"name": "x", "index": ["I", "J"]},
            {"name": "y", "index": ["I"]},
            {"name": "f", "index": ["P"]},
        ],
        "objective": {"sense": "minimize", "expression": "0"},
    }
)
BIG_VALUES = {"x": _RNG.random((60, 50)) * 10, "y": _RNG.random(60) - 0.3, "f": _RNG.random(60) * 1e-3}


@pytest.mark.parametrize(
    "text",
    [
        "sum(c[i, j] * x[i, j] for i in I for j in J)",
        "sum(x[i, j] for j in J)",
        "sum(c[i, j] * x[i, j] - y[i] for i in I for j in J)",
        "sum(y[t] - y[t - 1] for t in I if t > 1)",
        "sum(t * y[t] / k for t in I)",
        "sum(f[a, b] * len[a, b] for (a, b) in P if a == 'a3')",
        "sum(f[p] * len[p] for p in P)",
        "sum(abs(d[j]) * x[i, j] for i in I for j in J if d[j] > 0 and i <= 30)",
        "sum(sum(x[i, j] for j in J if j != 'j1' and i > 3) for i in I)",
        "sum(sum(y[t] for t in I if t > i) for i in I)",
        # filters computed with numpy over the grid
        "sum(x[i, j] for i in I for j in J if j == 'j3' or i == 7)",
        "sum(y[t] for t in I if not t == 5)",
        "sum(y[t] for t in I if 2 < t <= 40)",
        "sum(y[t] for t in I if t != 'a')",
        "sum(f[a, b] for (a, b) in P if a < b)",
        "sum(x[i, j] for i in I for j in J if c[i, j] >= d[j])",
        "sum(y[t] * x[t, j] for t in I for j in J if t == i)",
        # each of these fails in some term: the walk's error must come out unchanged
        "sum(y[t] for t in I if t < 'a')",
        "sum(y[t] for t in I if w[t] > 1)",
        "sum(y[t] - y[t - 1] for t in I)",
        "sum(w[t] * y[t] for t in I)",
        "sum(y[t] / (w[t] - w[t]) for t in I)",
        "sum(x[i, 'nope'] for i in I)",
        "sum(x[j, i] for i in I for j in J)",
        "sum(y[i] + j for i in I)",
    ],
)
def test_gathered_sums_equal_the_walk(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import nl2opt.verify.evaluate as evaluate_module

    node, _ = parse_expression(text)

    def outcome(env: Env) -> tuple[str, object]:
        try:
            return "value", evaluate(node, env)
        except EvaluationError as err:
            return "error", str(err)

    fast = Env.of(BIG, BIG_VALUES).bind(("i",), 3)
    gathered = [outcome(fast) for _ in range(3)]  # later calls reuse cached positions and masks
    monkeypatch.setattr(evaluate_module, "MIN_CELLS", 10**9)
    walked = outcome(Env.of(BIG, BIG_VALUES).bind(("i",), 3))
    assert gathered == [walked] * 3


def test_large_sums_are_gathered_not_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    from nl2opt.verify import gather

    answers: list[float | None] = []
    run = gather.SumPlan.run

    def spy(self: gather.SumPlan, b: dict) -> float | None:
        answers.append(run(self, b))
        return answers[-1]

    monkeypatch.setattr(gather.SumPlan, "run", spy)
    node, _ = parse_expression("sum(c[i, j] * x[i, j] for i in I for j in J)")
    value = evaluate(node, Env.of(BIG, BIG_VALUES))
    assert answers == [value] and value == pytest.approx(
        float((BIG_VALUES["x"] * BIG.parameters[0].values).sum())
    )


# -- filters over a whole grid in numpy agree with the walk, for any filter ----------------------
_OPERANDS = st.sampled_from(["i", "j", "3", "'j4'", "w[i]", "d[j]", "k", "c[i, j]", "i - 2"])
_COMPARISON = st.builds(
    lambda a, op, b: f"{a} {op} {b}",
    _OPERANDS,
    st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
    _OPERANDS,
)
_FILTER = st.recursive(
    _COMPARISON,
    lambda inner: st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["and", "or"]), inner),
        st.builds(lambda a: f"not ({a})", inner),
    ),
    max_leaves=4,
)


@settings(max_examples=150, deadline=None)
@given(_FILTER)
def test_any_filter_gathered_over_the_grid_equals_the_walk(cond: str) -> None:
    import nl2opt.verify.evaluate as evaluate_module

    node, _ = parse_expression(f"sum(c[i, j] * x[i, j] for i in I for j in J if {cond})")
    assert node is not None

    def outcome(env: Env) -> tuple[str, object]:
        try:
            return "value", evaluate(node, env)
        except EvaluationError as err:
            return "error", str(err)

    fast = [outcome(Env.of(BIG, BIG_VALUES)) for _ in range(2)]
    saved = evaluate_module.MIN_CELLS
    evaluate_module.MIN_CELLS = 10**9  # no plan, no memo: the plain walk
    try:
        walked = outcome(Env.of(BIG, BIG_VALUES))
    finally:
        evaluate_module.MIN_CELLS = saved
    assert fast == [walked] * 2
