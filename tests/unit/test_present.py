"""Answers in words: units, shadow prices and ranges as sentences, de-duplicated lists, file names.

Oracles are worked by hand or re-solved independently (a shadow price is checked against
the objective of the model solved again with one more unit), never read back from the code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2opt import Diagnostic, ModelSpec, Severity, solve_spec
from nl2opt.editable import limits, with_limits
from nl2opt.present import (
    constraint_text,
    cost_range,
    file_stem,
    shadow_price,
    unique_findings,
    unique_rows,
    units,
)

EXAMPLES = Path(__file__).parents[2] / "examples"

BAKERY = {
    "name": "word_problem",
    "description": "A bakery makes bread and cakes.",
    "variables": [{"name": "bread"}, {"name": "cake"}],
    "objective": {"sense": "maximize", "expression": "2*bread + 3*cake", "description": "maximize profit"},
    "constraints": [
        {
            "name": "flour_capacity",
            "expression": "bread + cake <= 4",
            "description": "The bakery has 4 kg of flour.",
        },
        {
            "name": "oven_time_capacity",
            "expression": "bread + 3*cake <= 6",
            "description": "The oven is available for 6 hours.",
        },
    ],
}
"""max 2b + 3c, b + c <= 4, b + 3c <= 6. Vertices (4, 0) = 8, (3, 1) = 9, (0, 2) = 6: optimum (3, 1).
The objective (2, c) stays in the cone of (1, 1) and (1, 3) while 2 <= c <= 6; the duals solve
y1 + y2 = 2, y1 + 3 y2 = 3: flour 1.5, oven 0.5."""
TEXT = "Each loaf earns $2 and each cake $3."


def _bakery() -> object:
    result = solve_spec(BAKERY)
    result.text = TEXT
    return result


def test_shadow_price_reads_as_a_sentence_with_unit_and_direction() -> None:
    result = _bakery()
    rows = {r.name: r for r in result.rows}
    assert (
        shadow_price(result.spec, rows["flour_capacity"], TEXT)
        == "One more kg of flour would raise profit by $1.50."
    )
    assert (
        shadow_price(result.spec, rows["oven_time_capacity"], TEXT)
        == "One more hour of oven time would raise profit by $0.50."
    )


def test_cost_range_in_words() -> None:
    result = _bakery()
    cake = next(c for c in result.sensitivity.costs if c.variable == "cake")
    assert (
        cost_range(result.spec, cake, TEXT)
        == "Profit per cake (now $3) can range from $2 to $6 before the plan changes."
    )


def test_a_negative_shadow_price_lowers_and_matches_a_re_solve() -> None:
    result = solve_spec(EXAMPLES / "transportation.json")
    bristol = next(r for r in result.rows if r.name == "stock_limit[Bristol]")
    sentence = shadow_price(result.spec, bristol)
    assert sentence == "One more pallet of stock at Bristol would lower total haulage cost by 4 GBP."
    more = result.what_if({"stock": {"Bristol": 401}})
    assert result.objective - more.objective == pytest.approx(4)


def test_units_come_from_the_parameters_through_the_expressions() -> None:
    spec = solve_spec(EXAMPLES / "transportation.json").spec
    found = units(spec)
    assert found.objective == "GBP"  # haulage is GBP/pallet
    assert found.of_variable("ship") == "pallets"  # summed alone against stock (pallets)
    assert found.of_constraint("fill_order") == "pallets"


def test_edited_numbers_replace_the_texts_words() -> None:
    spec = ModelSpec.model_validate(BAKERY)
    flour = spec.constraints[0]
    assert constraint_text(spec, flour) == "The bakery has 4 kg of flour."
    edited = spec.model_copy(deep=True)
    edited.constraints[0].expression = "bread + cake <= 5"
    assert constraint_text(edited, edited.constraints[0]) == "bread + cake <= 5"


def test_closed_depots_are_not_binding_but_a_full_open_one_is() -> None:
    result = solve_spec(EXAMPLES / "facility_location.json")
    opened = result.values["open"]
    binding = {r.name for r in result.rows if r.binding}
    closed = [d for d, v in opened.items() if v < 0.5]
    assert closed, "the example closes some depots"
    assert not {f"depot_capacity[{d}]" for d in closed} & binding
    served = {d: sum(v for k, v in result.values["serve"].items() if k.startswith(f"{d},")) for d in opened}
    capacity = dict(zip(["Alpha", "Beta", "Gamma", "Delta"], [180, 140, 240, 120], strict=True))
    full = {d for d, v in opened.items() if v > 0.5 and served[d] == pytest.approx(capacity[d])}
    assert {f"depot_capacity[{d}]" for d in full} <= binding


def test_repeated_constraints_are_shown_once_with_a_count() -> None:
    spec = dict(
        BAKERY,
        constraints=[
            *BAKERY["constraints"],
            *[{"name": f"flour_again_{k}", "expression": "bread + cake <= 4"} for k in range(3)],
        ],
    )
    result = solve_spec(spec)
    shown = unique_rows(result.spec, result.rows)
    assert len(shown) == 2
    assert dict((r.constraint, n) for r, n in shown) == {"flour_capacity": 4, "oven_time_capacity": 1}


def test_findings_are_counted_once() -> None:
    a = Diagnostic(
        code="check.undefined-name", severity=Severity.ERROR, stage="check", message="no z", hint="add z"
    )
    b = Diagnostic(code="check.undefined-name", severity=Severity.ERROR, stage="check", message="no w")
    assert [(d.message, n) for d, n in unique_findings([a, b, a, a])] == [("no z", 3), ("no w", 1)]


def test_a_generic_name_gives_way_to_the_description() -> None:
    assert file_stem(ModelSpec.model_validate(BAKERY)) == "bakery_makes_bread_and_cakes"
    assert file_stem(ModelSpec.model_validate(dict(BAKERY, name="Bakery plan"))) == "bakery_plan"


def test_limits_written_into_constraints_can_be_changed_and_re_solved() -> None:
    spec = ModelSpec.model_validate(BAKERY)
    assert limits(spec) == {"flour_capacity": 4, "oven_time_capacity": 6}
    more = with_limits(spec, {"flour_capacity": 5})
    assert [c.expression for c in more.constraints] == ["bread + cake <= 5", "bread + 3*cake <= 6"]
    assert spec.constraints[0].expression == "bread + cake <= 4", "the original is untouched"
    # by hand: b + c <= 5, b + 3c <= 6 meet at c = 0.5, b = 4.5: 9 + 1.5 = 10.5 (vs (5, 0) = 10)
    assert solve_spec(more).objective == pytest.approx(10.5)
    assert (
        with_limits(spec, {"oven_time_capacity": 1234567.5}).constraints[1].expression
        == "bread + 3*cake <= 1234567.5"
    ), "every digit kept"
