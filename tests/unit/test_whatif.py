"""What-if re-solves and LP ranging, against optima and ranges derived by hand.

The bakery: maximise 3 bread + 5 cake subject to flour 2 bread + 4 cake <= 100,
oven bread + cake <= 40, cake <= 30. The optimum is bread 30, cake 10, profit 140, at
the corner of flour and oven. The plan stays while profit[bread] / profit[cake] lies
between the slopes 2/4 and 1/1: bread's profit in [2.5, 5] (cake at 5), cake's in
[3, 6] (bread at 3). Both constraints have shadow price 1; flour's bound can move in
[80, 140] (oven binds cake to 0 at 80, cake hits 30 at 140), oven's in [25, 50].
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
from pathlib import Path

import pytest

import nl2opt

BAKERY = {
    "name": "bakery",
    "sets": [{"name": "Products", "elements": ["bread", "cake"]}],
    "parameters": [
        {"name": "profit", "index": ["Products"], "values": [3, 5], "unit": "$"},
        {"name": "flour_use", "index": ["Products"], "values": [2, 4]},
        {"name": "flour_available", "value": 100, "unit": "kg"},
        {"name": "oven_hours", "value": 40},
        {"name": "cake_max", "value": 30},
    ],
    "variables": [{"name": "make", "index": ["Products"]}],
    "objective": {"sense": "maximize", "expression": "sum(profit[p] * make[p] for p in Products)"},
    "constraints": [
        {"name": "flour", "expression": "sum(flour_use[p] * make[p] for p in Products) <= flour_available"},
        {"name": "oven", "expression": "make['bread'] + make['cake'] <= oven_hours"},
        {"name": "cake_limit", "expression": "make['cake'] <= cake_max"},
    ],
}

# Two plants, two markets. Optimum ships A->X 8 and B->Y 8 at cost 16. With cost[A,X] = 5,
# plant B (10 units) is worth more at X (saves 3 per unit over A) than at Y (saves 2):
# B->X 8, B->Y 2, A->Y 6, cost 16 + 2 + 18 = 36.
TRANSPORT = {
    "name": "transport",
    "sets": [{"name": "Plants", "elements": ["A", "B"]}, {"name": "Markets", "elements": ["X", "Y"]}],
    "parameters": [
        {"name": "supply", "index": ["Plants"], "values": [10, 10]},
        {"name": "demand", "index": ["Markets"], "values": [8, 8]},
        {"name": "cost", "index": ["Plants", "Markets"], "values": [[1, 3], [2, 1]]},
    ],
    "variables": [{"name": "ship", "index": ["Plants", "Markets"]}],
    "objective": {
        "sense": "minimize",
        "expression": "sum(cost[p, m] * ship[p, m] for p in Plants for m in Markets)",
    },
    "constraints": [
        {
            "name": "out",
            "for": ["p in Plants"],
            "expression": "sum(ship[p, m] for m in Markets) <= supply[p]",
        },
        {
            "name": "meet",
            "for": ["m in Markets"],
            "expression": "sum(ship[p, m] for p in Plants) >= demand[m]",
        },
    ],
}


@pytest.fixture(scope="module")
def bakery() -> nl2opt.Result:
    result = nl2opt.solve_spec(copy.deepcopy(BAKERY))
    assert result.status is nl2opt.Status.OPTIMAL and result.objective == pytest.approx(140)
    return result


@pytest.fixture(scope="module")
def transport() -> nl2opt.Result:
    result = nl2opt.solve_spec(copy.deepcopy(TRANSPORT))
    assert result.objective == pytest.approx(16)
    return result


def test_a_scalar_change_re_solves_without_touching_the_original(bakery: nl2opt.Result) -> None:
    new = bakery.what_if({"flour_available": 120})
    # 2b + 4c <= 120 and b + c <= 40 meet at b = c = 20: profit 160.
    assert new.status is nl2opt.Status.OPTIMAL
    assert new.objective == pytest.approx(160)
    assert new.value("make", "cake") == pytest.approx(20)
    assert bakery.objective == pytest.approx(140)
    assert bakery.spec is not None and bakery.spec.parameters[2].value == 100


def test_compare_lists_the_changed_numbers_objective_and_decisions(bakery: nl2opt.Result) -> None:
    new = bakery.what_if({"flour_available": 120})
    diff = nl2opt.compare(bakery, new)
    assert diff.objective_before == pytest.approx(140) and diff.objective_after == pytest.approx(160)
    assert diff.objective_change == pytest.approx(20)
    assert [(p.parameter, p.index, p.before, p.after) for p in diff.parameters] == [
        ("flour_available", "", 100, 120)
    ]
    moved = {(d.variable, d.index): (d.before, d.after) for d in diff.decisions}
    assert moved == {("make", "bread"): (30, 20), ("make", "cake"): (10, 20)}
    assert diff.plan_changed
    assert bakery.compare(new) == diff
    assert nl2opt.compare(bakery, bakery).decisions == []


def test_a_table_cell_changes_by_member_name(bakery: nl2opt.Result) -> None:
    # Cake's profit 7 is past its range [3, 6]: the corners are (40, 0) 120, (30, 10) 160 and
    # (0, 25) 175, where flour alone binds.
    new = bakery.what_if({"profit": {"cake": 7}})
    assert new.objective == pytest.approx(175)
    assert new.values["make"] == {"bread": 0, "cake": 25}


@pytest.mark.parametrize("cell", ["A,X", ("A", "X"), " A , X "])
def test_two_dimensional_cells_take_the_result_key_or_a_tuple(transport: nl2opt.Result, cell: object) -> None:
    new = transport.what_if({"cost": {cell: 5}})
    assert new.objective == pytest.approx(36)
    assert new.values["ship"] == {"A,X": 0, "A,Y": 6, "B,X": 8, "B,Y": 2}
    diff = nl2opt.compare(transport, new)
    assert [(p.parameter, p.index, p.before, p.after) for p in diff.parameters] == [("cost", "A,X", 1, 5)]


def test_sparse_tables_get_an_entry_for_the_changed_cell() -> None:
    spec = copy.deepcopy(TRANSPORT)
    spec["parameters"][2] = {
        "name": "cost",
        "index": ["Plants", "Markets"],
        "value": 1,
        "entries": [{"key": ["A", "Y"], "value": 3}, {"key": ["B", "X"], "value": 2}],
    }
    before = nl2opt.solve_spec(spec)
    assert before.objective == pytest.approx(16)
    after = before.what_if({"cost": {"A,X": 5, "A,Y": 3}})
    assert after.objective == pytest.approx(36)


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"flour": 120}, ["no parameter 'flour'", "flour_available", "oven_hours"]),
        ({"flour_available": {"x": 1}}, ["single number"]),
        ({"profit": 4}, ["table over Products", "'bread'"]),
        ({"profit": {"pie": 4}}, ["'pie' is not a member of Products", "bread, cake"]),
        ({"profit": {"bread,cake": 4}}, ["needs 1"]),
        ({"profit": {"cake": "4"}}, ["profit[cake]", "finite number"]),
        ({"oven_hours": float("nan")}, ["finite number"]),
        ({}, ["non-empty mapping"]),
    ],
)
def test_changes_that_do_not_fit_say_what_the_model_has(
    bakery: nl2opt.Result, changes: dict, words: list[str]
) -> None:
    with pytest.raises(nl2opt.WhatIfError) as err:
        bakery.what_if(changes)
    for word in words:
        assert word in str(err.value)


def test_a_result_without_a_model_cannot_be_changed() -> None:
    with pytest.raises(nl2opt.WhatIfError, match="no model"):
        nl2opt.Result(status=nl2opt.Status.DECLINED).what_if({"x": 1})


def test_an_infeasible_what_if_is_a_result_not_an_exception(bakery: nl2opt.Result) -> None:
    spec = copy.deepcopy(BAKERY)
    spec["constraints"].append({"name": "order", "expression": "make['cake'] >= cake_min"})
    spec["parameters"].append({"name": "cake_min", "value": 5})
    before = nl2opt.solve_spec(spec)
    after = before.what_if({"cake_min": 40})  # 4 * 40 kg of flour > 100
    assert after.status is nl2opt.Status.INFEASIBLE
    diff = before.compare(after)
    assert diff.objective_change is None and diff.plan_changed


def test_cost_ranging_matches_the_slopes_of_the_binding_constraints(bakery: nl2opt.Result) -> None:
    assert bakery.sensitivity is not None
    costs = {c.variable: (c.cost, c.lower, c.upper) for c in bakery.sensitivity.costs}
    assert costs["make[bread]"] == pytest.approx((3, 2.5, 5))
    assert costs["make[cake]"] == pytest.approx((5, 3, 6))


def test_cost_ranges_are_where_the_plan_actually_changes(bakery: nl2opt.Result) -> None:
    inside = bakery.what_if({"profit": {"cake": 5.9}})
    outside = bakery.what_if({"profit": {"cake": 6.1}})
    assert not bakery.compare(inside).decisions
    assert bakery.compare(outside).decisions


def test_rhs_ranging_lists_binding_constraints_with_their_range(bakery: nl2opt.Result) -> None:
    assert bakery.sensitivity is not None
    rhs = {r.name: (r.rhs, r.lower, r.upper, abs(r.dual)) for r in bakery.sensitivity.rhs}
    assert rhs == {"flour": pytest.approx((100, 80, 140, 1)), "oven": pytest.approx((40, 25, 50, 1))}
    # Inside the range the objective moves by the shadow price; the JSON keeps it.
    assert bakery.what_if({"flour_available": 130}).objective == pytest.approx(140 + 30)
    assert nl2opt.Result.model_validate_json(bakery.to_json()).sensitivity == bakery.sensitivity


def test_unbounded_ranges_are_null() -> None:
    # max x + y, x + y <= 10, x <= 4 (a row): raising x's cost keeps x = 4 forever.
    spec = {
        "variables": [{"name": "x"}, {"name": "y"}],
        "objective": {"sense": "maximize", "expression": "2 * x + y"},
        "constraints": [
            {"name": "total", "expression": "x + y <= 10"},
            {"name": "cap", "expression": "x <= 4"},
        ],
    }
    result = nl2opt.solve_spec(spec)
    assert result.objective == pytest.approx(14)
    costs = {c.variable: (c.lower, c.upper) for c in result.sensitivity.costs}
    assert costs["x"] == (pytest.approx(1), None)


def test_integer_models_have_no_ranging() -> None:
    spec = copy.deepcopy(BAKERY)
    spec["variables"][0]["domain"] = "integer"
    result = nl2opt.solve_spec(spec)
    assert result.objective == pytest.approx(140)
    assert result.sensitivity is None


def test_a_model_without_parameters_says_so() -> None:
    spec = {"variables": [{"name": "x", "upper": 4}], "objective": {"sense": "maximize", "expression": "x"}}
    with pytest.raises(nl2opt.WhatIfError, match="written into its expressions"):
        nl2opt.solve_spec(spec).what_if({"x": 1})


def test_the_readme_what_if_example_prints_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).parents[2]
    monkeypatch.chdir(root)  # the example reads examples/transportation.json, as from a clone
    readme = (root / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if ".what_if(" in b]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    said = [line.split("# ", 1)[1] for line in block.splitlines() if line.startswith("print(")]
    assert out.getvalue().splitlines() == said


def test_cells_of_a_table_over_pairs_are_keyed_by_both_ends() -> None:
    # One route s -> a -> t: the flow is the smaller capacity, 3, then 5 when a -> t carries 10.
    spec = {
        "sets": [{"name": "Pipes", "elements": [["s", "a"], ["a", "t"]]}],
        "parameters": [{"name": "capacity", "index": ["Pipes"], "values": [5, 3]}],
        "variables": [{"name": "flow", "index": ["Pipes"]}],
        "objective": {"sense": "maximize", "expression": "flow['a', 't']"},
        "constraints": [
            {"name": "cap", "for": ["(i, j) in Pipes"], "expression": "flow[i, j] <= capacity[i, j]"},
            {"name": "keep", "expression": "flow['s', 'a'] == flow['a', 't']"},
        ],
    }
    before = nl2opt.solve_spec(spec)
    assert before.objective == pytest.approx(3)
    after = before.what_if({"capacity": {"a,t": 10}})
    assert after.objective == pytest.approx(5)
    assert [(p.index, p.before, p.after) for p in before.compare(after).parameters] == [("a,t", 3, 10)]
    with pytest.raises(nl2opt.WhatIfError, match="needs 2"):
        before.what_if({"capacity": {"a": 10}})
