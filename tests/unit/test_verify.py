"""verify(): the spec re-evaluated on a solution, independent of any solver; plausibility(): the text."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nl2opt.diagnostics import CODES, Severity
from nl2opt.spec import ModelSpec
from nl2opt.verify import MAX_REPORTED, verify
from nl2opt.verify.plausibility import plausibility
from tests.unit.test_check import TRANSPORT, mutated_spec

SPEC = ModelSpec.model_validate(TRANSPORT)
COST = np.array(TRANSPORT["parameters"][2]["values"])
FEASIBLE = np.array([[50.0, 300.0, 0.0], [275.0, 0.0, 275.0]])
"""Seattle ships 350 (its supply), San Diego 550 of 600; every market gets exactly its demand."""


def codes(diagnostics: list) -> list[str]:
    return [d.code for d in diagnostics]


def test_a_feasible_solution_has_no_findings() -> None:
    assert verify(SPEC, {"ship": FEASIBLE}, objective=float((COST * FEASIBLE).sum())) == []


def test_a_violated_row_is_named_with_both_sides_and_the_amount() -> None:
    ship = FEASIBLE.copy()
    ship[0, 0] += 100  # Seattle now ships 450 > 350
    [d] = verify(SPEC, {"ship": ship})
    assert d.code == "verify.constraint-violated" and d.severity is Severity.ERROR
    assert d.where == "constraints[supply_limit]"
    assert "supply_limit[Seattle]" in d.message
    assert all(s in d.message for s in ("450", "350", "100"))


def test_violations_within_the_scaled_tolerance_pass() -> None:
    ship = FEASIBLE.copy()
    ship[0, 0] += 350 * 0.5e-6  # within 1e-6 * |rhs|
    assert verify(SPEC, {"ship": ship}) == []
    ship[0, 0] += 350 * 1e-6
    assert codes(verify(SPEC, {"ship": ship})) == ["verify.constraint-violated"]


def _many(n: int) -> ModelSpec:
    return ModelSpec.model_validate(
        {
            "sets": [{"name": "I", "range": {"start": 1, "stop": n}}],
            "variables": [{"name": "x", "index": ["I"], "domain": "integer", "upper": 10}],
            "objective": {"sense": "maximize", "expression": "sum(x[i] for i in I)"},
            "constraints": [
                {"name": "cap", "for": ["i in I"], "expression": "x[i] <= 1"},
                {"name": "later", "for": ["i in I"], "where": "i > 1", "expression": "x[i] >= x[i - 1]"},
            ],
        }
    )


def test_reports_are_capped_per_constraint_with_a_count_of_the_rest() -> None:
    found = verify(_many(20), {"x": np.full(20, 2.0)})
    rows = [d for d in found if d.where == "constraints[cap]"]
    assert len(rows) == MAX_REPORTED + 1
    assert [d.message.split(":")[0] for d in rows[:2]] == ["cap[1]", "cap[2]"]
    assert "15 more rows of cap" in rows[-1].message and "20 in all" in rows[-1].message


def test_where_filters_the_rows_checked() -> None:
    x = np.array([1.0, 0.0, 0.0])  # x[2] < x[1] breaks later[2]; later[1] does not exist
    found = verify(_many(3), {"x": x})
    assert [d.message.split(":")[0] for d in found] == ["later[2]"]


@pytest.mark.parametrize(
    ("values", "code", "fragment"),
    [
        (
            {"x": np.array([1.0, -0.5, 1.0])},
            "verify.bound-violated",
            "x[2] = -0.5 is below its lower bound 0",
        ),
        ({"x": np.array([1.0, 1.0, 11.0])}, "verify.bound-violated", "above its upper bound 10"),
        ({"x": np.array([1.0, 1.0, 0.5 + 0.5])}, None, None),
        ({"x": np.array([0.5, 1.0, 1.0])}, "verify.integrality", "x[1] = 0.5 is fractional"),
        ({"x": np.array([1 - 1e-7, 1.0, 1.0])}, None, None),
        ({}, "verify.evaluation-error", "no value was given for x"),
        ({"x": np.ones(4)}, "verify.evaluation-error", "shape"),
        ({"x": np.array([1.0, np.nan, 1.0])}, "verify.evaluation-error", "NaN"),
    ],
)
def test_bounds_integrality_and_values(values: dict, code: str | None, fragment: str | None) -> None:
    found = [d for d in verify(_many(3), values) if d.code != "verify.constraint-violated"]
    if code is None:
        assert found == []
    else:
        assert code in codes(found)
        assert any(fragment in d.message for d in found)


def test_objective_mismatch_is_relative() -> None:
    value = float((COST * FEASIBLE).sum())
    assert verify(SPEC, {"ship": FEASIBLE}, objective=value * (1 + 1e-7)) == []
    [d] = verify(SPEC, {"ship": FEASIBLE}, objective=value + 1.0)
    assert d.code == "verify.objective-mismatch" and d.where == "objective.expression"
    assert f"{value:.10g}" in d.message


LOGIC: dict[str, Any] = {
    "sets": [{"name": "F", "elements": ["north", "south"]}],
    "variables": [
        {"name": "open", "index": ["F"], "domain": "binary"},
        {"name": "make", "index": ["F"], "upper": 100},
    ],
    "objective": {"sense": "minimize", "expression": "sum(make[f] for f in F)"},
    "constraints": [
        {"name": "only_if_open", "for": ["f in F"], "expression": "implies(open[f] == 0, make[f] <= 0)"},
        {"name": "one_site", "expression": "exactly(1, [open[f] for f in F])"},
        {"name": "enough", "expression": "either(make['north'] >= 10, make['south'] >= 20)"},
    ],
}


@pytest.mark.parametrize(
    ("open_", "make", "violated"),
    [
        ([1, 0], [10, 0], []),
        ([0, 1], [0, 20], []),
        ([1, 0], [10, 5], ["only_if_open[south]"]),
        ([1, 1], [10, 0], ["one_site"]),
        ([1, 0], [5, 0], ["enough"]),
    ],
)
def test_logic_constraints_are_evaluated_as_truths(open_: list, make: list, violated: list[str]) -> None:
    found = verify(
        ModelSpec.model_validate(LOGIC), {"open": np.array(open_, float), "make": np.array(make, float)}
    )
    assert [d.message.split(":")[0] for d in found] == violated
    assert all(d.code == "verify.constraint-violated" for d in found)


def test_rows_that_cannot_be_evaluated_are_reported_not_raised() -> None:
    spec = copy.deepcopy(_many(3).model_dump(by_alias=True))
    spec["constraints"][1]["where"] = None  # later[1] reaches x[0]
    found = verify(ModelSpec.model_validate(spec), {"x": np.ones(3)})
    assert codes(found) == ["verify.evaluation-error"]
    assert "later[1]" in found[0].message and "0 is not a member of I" in found[0].message


def test_sets_too_large_to_check_are_reported_not_expanded() -> None:
    spec = ModelSpec.model_validate(
        {
            "sets": [{"name": "T", "range": {"start": 1, "stop": 10**12}}],
            "variables": [{"name": "x", "index": ["T"]}],
            "objective": {"sense": "minimize", "expression": "sum(x[t] for t in T)"},
        }
    )
    [d] = verify(spec, {})
    assert (d.code, d.severity) == ("verify.incomplete", Severity.WARNING)
    assert "not verified" in d.message


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_spec(), st.sampled_from([0.0, 0.5, 1.0, -3.0, float("nan")]))
def test_verify_never_raises(d: dict, fill: float) -> None:
    spec = ModelSpec.model_validate(d)
    if any(s.range is not None and s.range.stop - s.range.start > 1000 for s in spec.sets):
        return
    values = {
        v.name: np.full([len(s.elements or []) for s in spec.sets if s.name in v.index], fill)
        for v in spec.variables
    }
    for x in verify(spec, values, objective=fill):
        assert x.code in CODES


def test_unparsable_constraints_are_skipped_with_a_warning() -> None:
    spec = copy.deepcopy(TRANSPORT)
    spec["constraints"][0]["expression"] = "sum(ship[i, j] for j in Markets <= supply[i]"
    [d] = verify(ModelSpec.model_validate(spec), {"ship": FEASIBLE})
    assert (d.code, d.severity) == ("verify.evaluation-error", Severity.WARNING)


# -- plausibility ----------------------------------------------------------------------------
BAKERY: dict[str, Any] = {
    "parameters": [
        {"name": "flour", "value": 120, "unit": "kg"},
        {"name": "share", "value": 0.4},
        {"name": "budget", "value": 1000},
    ],
    "variables": [
        {"name": "bread", "description": "loaves baked"},
        {"name": "cakes", "description": "cakes baked"},
    ],
    "objective": {"sense": "maximize", "expression": "3 * bread + 5.5 * cakes"},
    "constraints": [
        {"name": "flour_use", "expression": "2 * bread + cakes <= flour"},
        {"name": "mix", "expression": "cakes <= share * (bread + cakes)"},
        {"name": "spend", "expression": "1.5 * bread + 2 * cakes <= budget"},
    ],
}


def bakery(**changes: Any) -> ModelSpec:
    d = copy.deepcopy(BAKERY)
    d.update(changes)
    return ModelSpec.model_validate(d)


def unused(text: str, spec: ModelSpec | None = None) -> list[str]:
    found = [d for d in plausibility(text, spec or bakery()) if d.code == "verify.unused-number"]
    return [d.message.split("the number ")[1].split(" in ")[0] for d in found]


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("A loaf needs 2 kg of flour and a cake 1 kg; there are 120 kg.", []),
        ("Bread sells for $3 and cake for $5.50.", []),
        ("Cakes may be at most 40% of all items baked.", []),
        ("At least 60% of the items must be bread.", []),
        ("The budget is $1,000 and bread costs $1.50 to make.", []),
        ("Ovens run 80 hours a week.", ["80"]),
        ("A cake sells for $7.25.", ["$7.25"]),
        ("At most 35% may be cakes.", ["35%"]),
        ("The bakery opened in 2019.", []),
        ("Orders arrived on March 3, 2024 and in 2023.", []),
        ("Weekly demand is 1500, 2000 and 120 loaves.", ["1500", "2000"]),
        ("Oven 3 is broken, Oven 4 works.", []),
        ("On the 2nd day, one batch of 0 extra.", []),
        ("Demand is 2.5 thousand loaves.", ["2.5 thousand"]),
    ],
)
def test_numbers_in_the_text_must_appear_in_the_model(sentence: str, flagged: list[str]) -> None:
    assert unused(sentence) == flagged


def test_unused_numbers_quote_their_sentence() -> None:
    [d] = plausibility("Bread sells for $3. Ovens run 80 hours a week. Maximize profit.", bakery())
    assert d.severity is Severity.WARNING and d.where == "text"
    assert '"Ovens run 80 hours a week."' in d.message


def test_large_amounts_match_with_their_multiplier() -> None:
    spec = bakery(parameters=[*BAKERY["parameters"], {"name": "cap", "value": 2_500_000}])
    assert unused("Capacity is 2.5 million loaves.", spec) == []


@pytest.mark.parametrize(
    ("text", "variables", "where"),
    [
        ("How many trucks should the company buy?", [{"name": "trucks"}], "variables[trucks].domain"),
        ("How many trucks should the company buy?", [{"name": "trucks", "domain": "integer"}], None),
        (
            "Find the number of workers to hire.",
            [{"name": "hire", "description": "workers hired"}],
            "variables[hire].domain",
        ),
        ("How many cakes should be baked?", [{"name": "x"}], "variables"),
        ("How many hours should each machine run?", [{"name": "run_time", "description": "hours run"}], None),
        ("How much flour should be bought?", [{"name": "flour_kg"}], None),
        (
            "Each bus carries 40 people.",
            [{"name": "buses", "description": "buses used"}],
            "variables[buses].domain",
        ),
    ],
)
def test_whole_things_should_not_be_continuous(text: str, variables: list, where: str | None) -> None:
    spec = ModelSpec.model_validate(
        {"variables": variables, "objective": {"sense": "minimize", "expression": variables[0]["name"]}}
    )
    found = [d for d in plausibility(text, spec) if d.code == "verify.integrality-wording"]
    assert [d.where for d in found] == ([where] if where else [])


@pytest.mark.parametrize(
    ("text", "sense", "warned"),
    [
        ("Which plan will maximize profit?", "minimize", True),
        ("Find the plan that maximises total profit.", "maximize", False),
        ("Produce as much as possible.", "minimize", True),
        ("Minimise the total cost of shipping.", "maximize", True),
        ("Use the fewest trucks.", "maximize", True),
        ("What is the least cost plan?", "minimize", False),
        ("Maximize profit while keeping waste as small as possible.", "minimize", False),
        ("Plan the week.", "maximize", False),
    ],
)
def test_objective_sense_matches_the_question(text: str, sense: str, warned: bool) -> None:
    spec = bakery(objective={"sense": sense, "expression": "3 * bread + 5.5 * cakes"})
    found = [d for d in plausibility(text, spec) if d.code == "verify.objective-sense"]
    assert bool(found) is warned
    assert all(d.where == "objective.sense" for d in found)


def test_plausibility_only_warns_with_registered_codes() -> None:
    text = "How many trucks? Maximize the lowest cost of 17 items, 40% of them in 2024."
    for d in plausibility(text, bakery(objective={"sense": "minimize", "expression": "bread"})):
        assert d.severity is Severity.WARNING and d.code in CODES and d.hint


# -- a mid-size indexed model: whole sums are gathered at once, and must still name the row -----
def _transport(n: int) -> tuple[ModelSpec, np.ndarray, np.ndarray]:
    """An n x n transport whose supplies are tight for the plan returned with it."""
    rng = np.random.default_rng(7)
    cost = rng.integers(1, 100, size=(n, n)).astype(float)
    ship = rng.integers(0, 20, size=(n, n)).astype(float)
    ship[:, 0] = 0.0  # market m0 gets nothing, so no_self is as tight as supply_limit
    spec = ModelSpec.model_validate(
        {
            "sets": [
                {"name": "Plants", "elements": [f"p{i}" for i in range(n)]},
                {"name": "Markets", "elements": [f"m{j}" for j in range(n)]},
            ],
            "parameters": [
                {"name": "cost", "index": ["Plants", "Markets"], "values": cost.tolist()},
                {"name": "supply", "index": ["Plants"], "values": ship.sum(axis=1).tolist()},
                {"name": "demand", "index": ["Markets"], "values": ship.sum(axis=0).tolist()},
            ],
            "variables": [{"name": "ship", "index": ["Plants", "Markets"]}],
            "objective": {
                "sense": "minimize",
                "expression": "sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)",
            },
            "constraints": [
                {
                    "name": "supply_limit",
                    "for": ["i in Plants"],
                    "expression": "sum(ship[i, j] for j in Markets) <= supply[i]",
                },
                {
                    "name": "meet_demand",
                    "for": ["j in Markets"],
                    "expression": "sum(ship[i, j] for i in Plants) >= demand[j]",
                },
                {
                    "name": "no_self",
                    "for": ["i in Plants"],
                    "where": "i != 'p0'",
                    "expression": "sum(ship[i, j] for j in Markets if j != 'm0') <= supply[i]",
                },
            ],
        }
    )
    return spec, cost, ship


def test_one_wrong_shipment_in_a_60x60_transport_is_caught_and_named() -> None:
    spec, cost, ship = _transport(60)
    assert verify(spec, {"ship": ship}, objective=float((cost * ship).sum())) == []
    wrong = ship.copy()
    wrong[17, 42] += 5  # plant p17 now ships 5 more than its supply
    found = verify(spec, {"ship": wrong}, objective=float((cost * ship).sum()))
    by_where = {d.where: d for d in found}
    assert sorted(by_where) == ["constraints[no_self]", "constraints[supply_limit]", "objective.expression"]
    row = by_where["constraints[supply_limit]"]
    assert row.code == "verify.constraint-violated"
    assert row.message.startswith("supply_limit[p17]: ") and "violated by 5" in row.message
    assert by_where["constraints[no_self]"].message.startswith("no_self[p17]: ")
    assert by_where["objective.expression"].code == "verify.objective-mismatch"


def test_a_short_delivery_in_a_60x60_transport_names_the_market() -> None:
    spec, _, ship = _transport(60)
    wrong = ship.copy()
    wrong[3, 59] -= 0.5
    [d] = verify(spec, {"ship": wrong})
    assert d.where == "constraints[meet_demand]"
    assert d.message.startswith("meet_demand[m59]: ") and "violated by 0.5" in d.message


def test_a_missing_value_in_a_large_sum_is_reported_as_by_the_row_walk() -> None:
    spec, _, ship = _transport(60)
    d = spec.model_dump(by_alias=True)
    d["parameters"][0] = {
        "name": "cost",
        "index": ["Plants", "Markets"],
        "entries": [
            {"key": [f"p{i}", f"m{j}"], "value": 1.0} for i in range(60) for j in range(60) if i or j != 7
        ],
    }
    found = verify(ModelSpec.model_validate(d), {"ship": ship}, objective=0.0)
    assert [x.message for x in found] == [
        "the objective cannot be evaluated on the values: parameter cost[p0, m7] has no value"
    ]


# -- bounded verification: sums remembered, filters in numpy, a time budget ----------------------
ROWS_OVER_A_GRID = ModelSpec.model_validate(
    {
        "sets": [
            {"name": "I", "range": {"start": 1, "stop": 300}},
            {"name": "J", "range": {"start": 1, "stop": 300}},
            {"name": "K", "range": {"start": 1, "stop": 200}},
        ],
        "variables": [{"name": "x", "index": ["K"]}],
        "objective": {"sense": "maximize", "expression": "sum(x[k] for k in K)"},
        "constraints": [
            {"name": "c", "for": ["k in K"], "expression": "x[k] <= sum(1 for i in I for j in J if i == j)"}
        ],
    }
)


def test_a_sum_that_does_not_depend_on_the_row_is_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from nl2opt.verify import gather

    runs: list[float | None] = []
    loops: list[object] = []
    run, loop = gather.SumPlan.run, gather.SumPlan._compute_mask
    monkeypatch.setattr(gather.SumPlan, "run", lambda self, b: runs.append(run(self, b)) or runs[-1])
    monkeypatch.setattr(gather.SumPlan, "_compute_mask", lambda self, b: loops.append(b) or loop(self, b))
    x = np.full(200, 300.0)
    assert verify(ROWS_OVER_A_GRID, {"x": x}) == []
    assert runs == [300.0], "one gathered sum for the 200 rows"
    assert loops == [], "the filter i == j is computed with numpy, not member by member"
    x[7] = 301.0
    [d] = verify(ROWS_OVER_A_GRID, {"x": x})
    assert d.code == "verify.constraint-violated" and "c[8]" in d.message


def test_verification_stops_at_its_time_budget_and_says_the_answer_is_not_verified() -> None:
    from nl2opt.config import Limits

    x = np.full(200, 301.0)
    found = verify(ROWS_OVER_A_GRID, {"x": x}, limits=Limits(verify_seconds=1e-9))
    assert codes(found) == ["verify.incomplete"]
    assert found[0].severity is Severity.WARNING and "not verified" in found[0].message
    assert found[0].where == "constraints[c]" and "NL2OPT_VERIFY_SECONDS" in found[0].hint


_RNG = np.random.default_rng(5)
GRID = ModelSpec.model_validate(
    {
        "sets": [
            {"name": "I", "range": {"start": 1, "stop": 60}},
            {"name": "J", "elements": [f"j{k}" for k in range(30)]},
        ],
        "parameters": [
            {
                "name": "cap",
                "index": ["I", "J"],
                "values": _RNG.integers(0, 9, (60, 30)).astype(float).tolist(),
            },
            {
                "name": "w",
                "index": ["I"],
                "entries": [{"key": [i], "value": i % 4} for i in range(1, 61) if i % 7],
            },
        ],
        "variables": [{"name": "x", "index": ["I", "J"]}, {"name": "y", "index": ["I"]}],
        "objective": {"sense": "minimize", "expression": "0"},
        "constraints": [
            {"name": "cap", "for": ["i in I", "j in J"], "expression": "x[i, j] <= cap[i, j]"},
            {
                "name": "ratio",
                "for": ["i in I", "j in J"],
                "where": "cap[i, j] > 2 and j != 'j3'",
                "expression": "2 * x[i, j] >= cap[i, j] - y[i]",
            },
            {"name": "step", "for": ["t in I"], "where": "t > 1", "expression": "y[t] - y[t - 1] <= 0.5"},
            {"name": "gap", "for": ["t in I"], "expression": "y[t] - y[t - 1] <= 0.5"},
            {"name": "weighted", "for": ["i in I"], "expression": "w[i] * y[i] <= 3"},
            {"name": "range", "for": ["i in I", "j in J"], "expression": "-1 <= x[i, j] - y[i] <= 4"},
            {
                "name": "divided",
                "for": ["i in I"],
                "where": "w[i] >= 0",
                "expression": "y[i] / (w[i] - 1) <= 9",
            },
        ],
    }
)


@pytest.mark.parametrize("seed", range(3))
def test_rows_judged_together_report_exactly_what_rows_walked_one_by_one_report(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nl2opt.verify.verifier as verify_module

    rng = np.random.default_rng(seed)
    values = {"x": rng.integers(0, 10, (60, 30)).astype(float), "y": np.cumsum(rng.random(60) * 0.6)}
    together = verify(GRID, values)
    assert {d.where for d in together} >= {"constraints[cap]", "constraints[step]", "constraints[weighted]"}
    monkeypatch.setattr(verify_module, "suspect_rows", lambda *args: None)
    assert verify(GRID, values) == together


def test_a_stopped_verification_is_not_complete_and_a_finished_one_is() -> None:
    from nl2opt.config import Limits
    from nl2opt.verify import complete

    x = np.full(200, 301.0)  # every row violated: each is walked, so the clock is read
    assert complete(verify(ROWS_OVER_A_GRID, {"x": x}))
    assert not complete(verify(ROWS_OVER_A_GRID, {"x": x}, limits=Limits(verify_seconds=1e-9)))


_SIDES = st.sampled_from(
    ["x[i, j]", "cap[i, j]", "2 * x[i, j] - y[i]", "y[i] / w[i]", "y[i - 1]", "3", "x[i, 'j2']"]
)
_WHERES = st.sampled_from([None, "cap[i, j] > 2", "j != 'j3' and i > 4", "w[i] >= 1", "i - 1 > 'a'"])


@settings(max_examples=60, deadline=None)
@given(_SIDES, st.sampled_from(["<=", ">=", "=="]), _SIDES, _WHERES, st.integers(0, 3))
def test_any_row_constraint_judged_together_matches_the_walk(
    lhs: str, op: str, rhs: str, where: str | None, seed: int
) -> None:
    import nl2opt.verify.verifier as verify_module

    data = GRID.model_dump(by_alias=True)
    data["constraints"] = [
        {"name": "r", "for": ["i in I", "j in J"], "where": where, "expression": f"{lhs} {op} {rhs}"}
    ]
    spec = ModelSpec.model_validate(data)
    rng = np.random.default_rng(seed)
    values = {"x": rng.integers(0, 4, (60, 30)).astype(float), "y": rng.integers(0, 3, 60).astype(float)}
    together = verify(spec, values)
    real = verify_module.suspect_rows
    verify_module.suspect_rows = lambda *args: None
    try:
        assert verify(spec, values) == together
    finally:
        verify_module.suspect_rows = real


_ROW_SUMS = [
    "sum(x[i, j] for j in J)",
    "sum(cap[i, j] * x[i, j] for j in J if cap[i, j] > 2)",
    "sum(x[k, 'j1'] for k in I if k <= i)",
    "sum(x[i, j] / w[i] for j in J)",
    "sum(x[i, j] for j in J) - y[i]",
    "sum(x[i, j] for j in J if j != 'j3') + sum(x[i, j] for j in J if j == 'j3')",
    "sum(z[i, j] + 1 for j in J)",  # a sparse variable: the sum skips (and adds no 1 for) cells outside
    "40 * sum(x[i, j] for j in J)",  # a multiple of a sum: its rounding is a multiple too
]


@pytest.mark.parametrize("scale", [1.0, 1e16])
@pytest.mark.parametrize("op", ["<=", ">=", "=="])
@pytest.mark.parametrize("side", _ROW_SUMS)
def test_rows_with_sums_inside_judged_together_match_the_walk(side: str, op: str, scale: float) -> None:
    """Inner sums are added by numpy, not exactly: rows on the line, within one tolerance of it
    and under cancellation (terms of 1e16 and 1 that cancel) must still be judged as the walk judges."""
    import math

    import nl2opt.verify.verifier as verify_module

    rng = np.random.default_rng(len(side))
    x = rng.integers(0, 4, (60, 30)).astype(float)
    if scale > 1:
        x[:, 0], x[:, -1] = scale, -scale  # numpy loses the small terms between; fsum does not
    y = rng.integers(0, 3, 60).astype(float)
    exact = [math.fsum(r) - (v if side.endswith("- y[i]") else 0.0) for r, v in zip(x, y, strict=True)]
    if side.startswith("40 *"):
        exact = [40 * math.fsum(r) for r in x]
    if side.startswith("sum(z"):
        inside = np.asarray(GRID.parameters[0].values) > 4
        exact = [math.fsum((r + 1.0)[keep]) for r, keep in zip(x, inside, strict=True)]
    for offset in (0.0, 1e-6, -1e-6, 1.0000001e-6, -1.0000001e-6, 1e-3, -1e-3):
        data = GRID.model_dump(by_alias=True)
        data["parameters"].append(
            {"name": "s", "index": ["I"], "values": [v + offset * max(1.0, abs(v)) for v in exact]}
        )
        data["variables"].append(
            {"name": "z", "index": ["I", "J"], "over": ["i in I", "j in J"], "where": "cap[i, j] > 4"}
        )
        data["constraints"] = [{"name": "r", "for": ["i in I"], "expression": f"{side} {op} s[i]"}]
        spec = ModelSpec.model_validate(data)
        values = {"x": x, "y": y, "z": x}
        together = verify(spec, values)
        real = verify_module.suspect_rows
        verify_module.suspect_rows = lambda *args: None
        try:
            assert verify(spec, values) == together, offset
        finally:
            verify_module.suspect_rows = real


def test_rows_with_sums_inside_are_judged_together_and_only_failing_ones_walked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import nl2opt.verify.evaluate as evaluate_module
    import nl2opt.verify.verifier as verify_module

    data = GRID.model_dump(by_alias=True)
    data["constraints"] = [{"name": "r", "for": ["i in I"], "expression": "sum(x[i, j] for j in J) <= 30"}]
    spec = ModelSpec.model_validate(data)
    x = np.ones((60, 30))
    x[[4, 9], 0] = 2.0  # rows 5 and 10 add up to 31
    walked: list[object] = []
    real = evaluate_module.failing

    def counting(node: object, env: object) -> object:
        check = real(node, env)  # type: ignore[arg-type]

        def counted(bound: object, tol: float) -> object:
            walked.append(dict(bound))  # type: ignore[call-overload]
            return check(bound, tol)

        return counted

    monkeypatch.setattr(verify_module, "failing", counting)
    found = verify(spec, {"x": x, "y": np.zeros(60)})
    assert [d.message.split(":")[0] for d in found] == ["r[5]", "r[10]"]
    assert [b["i"] for b in walked] == [5, 10]  # type: ignore[index]


def test_a_long_objective_is_verified_without_deep_recursion() -> None:
    """A sum written term by term is a chain as deep as it is long (found with 300-term objectives)."""
    from nl2opt import solve_spec

    n = 900
    spec = {
        "name": "long",
        "variables": [{"name": f"x{i}", "upper": 1} for i in range(n)],
        "objective": {"sense": "maximize", "expression": " + ".join(f"x{i}" for i in range(n))},
        "constraints": [{"name": "pair", "expression": "x0 + x1 <= 1"}],
    }
    result = solve_spec(spec)
    assert result.status.value == "optimal" and result.verified and result.objective == n - 1
