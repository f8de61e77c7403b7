"""Item data in brackets, after a header or on list lines: 'a kayak (12 kg, worth 7), ...'.

Each text is written for these tests; its optimum is found by brute force over every subset,
never taken from the code. Each reading has a near miss that must still decline.
"""

from __future__ import annotations

import itertools

import pytest

from nl2opt.formulators.rules.itemlists import rewrite
from tests.formulators.offline import declined, solved


def _best(costs: list[float], values: list[float], limit: float, most: int | None = None) -> float:
    return max(
        sum(v for v, p in zip(values, pick) if p)
        for pick in itertools.product((0, 1), repeat=len(costs))
        if sum(c for c, p in zip(costs, pick) if p) <= limit and (most is None or sum(pick) <= most)
    )


_GRANTS = (
    "A charity has $90,000 for new programmes this year. Four are proposed: a literacy club ($30,000, "
    "impact score 12), a food bank van ($45,000, impact score 20), a youth choir ($25,000, impact score 9) "
    "and a repair cafe ($20,000, impact score 8). Each programme is funded in full or not at all. "
    "Which programmes should be funded to maximise the total impact score?"
)


def test_items_in_brackets_are_read_one_sentence_each() -> None:
    assert solved(_GRANTS) == pytest.approx(_best([30, 45, 25, 20], [12, 20, 9, 8], 90))


def test_a_budget_in_millions_is_compared_with_costs_in_dollars() -> None:
    text = (
        "The trust can spend $1.5 million on upgrades. Three are proposed: a new roof ($600,000, net present "
        "value $900,000), heat pumps ($700,000, NPV $1,000,000) and better insulation ($400,000, NPV $650,000). "
        "Each upgrade is either done in full or not at all. Which upgrades should be funded to maximise total NPV?"
    )
    assert solved(text) == pytest.approx(_best([600, 700, 400], [900, 1000, 650], 1500) * 1000)


def test_a_header_names_the_fields_of_unlabelled_items() -> None:
    text = (
        "A library can spend $0.9 million on branch repairs. Options (cost, readers helped): north branch "
        "$0.4 million, 3,000; east branch $0.3 million, 2,100; west branch $0.5 million, 3,600. "
        "Each repair is all-or-nothing. Pick the repairs that help the most readers."
    )
    assert solved(text) == pytest.approx(_best([0.4, 0.3, 0.5], [3000, 2100, 3600], 0.9))


def test_weights_after_a_header_and_one_or_none() -> None:
    text = (
        "My kayak can hold at most 8 kg of gear. Gear with weight and how much I want it (0-10): tarp 3 kg, 6; "
        "lantern 1 kg, 4; cooler 5 kg, 9; fishing rod 2 kg, 5. I take one of each or none. "
        "What's the largest total I can bring?"
    )
    assert solved(text) == pytest.approx(_best([3, 1, 5, 2], [6, 4, 9, 5], 8))


def test_list_lines_with_a_name_and_two_fields() -> None:
    text = (
        "Our camper van can carry at most 20 kg of extras. Each extra is taken or not.\n"
        "- bike rack: 9 kg, worth 14\n"
        "- awning: 7 kg, worth 10\n"
        "- grill: 6 kg, worth 8\n"
        "- kayak: 12 kg, worth 17\n"
        "Which extras give the highest total worth?"
    )
    assert solved(text) == pytest.approx(_best([9, 7, 6, 12], [14, 10, 8, 17], 20))


def test_a_cap_on_how_many_items_is_kept() -> None:
    text = (
        "The school can afford $100,000 for new facilities and will fund no more than two of them. The "
        "candidates are: a climbing wall ($40,000, score 30), a greenhouse ($35,000, score 25), a music room "
        "($50,000, score 45) and a bike shed ($20,000, score 12). Each is funded fully or not at all. "
        "What's the highest total score?"
    )
    assert solved(text) == pytest.approx(_best([40, 35, 50, 20], [30, 25, 45, 12], 100, most=2))


def test_fields_that_are_not_one_cost_and_one_value_are_left_alone() -> None:
    two_prices = "Options: a tarp ($30, $4 a day), a lantern ($20, $2 a day) and a cooler ($60, $5 a day)."
    assert rewrite(two_prices) is None
    unlabelled = "Options: a tarp (30, 6), a lantern (20, 4) and a cooler (60, 9)."
    assert rewrite(unlabelled) is None


def test_a_near_miss_with_an_unread_requirement_still_declines() -> None:
    # The second budget year is a requirement the selection reader does not read.
    assert declined(_GRANTS.replace("Each programme", "At most $50,000 may be spent in the first half. Each programme"))


def test_weights_against_a_budget_in_dollars_decline() -> None:
    text = (
        "Our budget for gear is $20. Gear: a tarp (3 kg, worth 6), a lantern (1 kg, worth 4) and a cooler "
        "(5 kg, worth 9). Each is taken or not. Which gear gives the highest total worth?"
    )
    assert declined(text)
    assert not declined(text.replace("Our budget for gear is $20", "The boat can carry at most 6 kg of gear"))


_BREAKFAST = (
    "A hostel makes breakfast from servings of oats (30 cents, 5 g protein, 150 kcal), milk (50 cents, 8 g "
    "protein, 120 kcal) and eggs ($0.90, 12 g protein, 140 kcal). Each breakfast needs at least 20 g protein "
    "and at least 500 kcal. Whole servings only. What is the cheapest breakfast?"
)


def _breakfast_best(cap: int = 10) -> float:
    return min(
        0.3 * o + 0.5 * m + 0.9 * e
        for o, m, e in itertools.product(range(cap + 1), repeat=3)
        if 5 * o + 8 * m + 12 * e >= 20 and 150 * o + 120 * m + 140 * e >= 500
    )


def test_a_price_and_amounts_in_brackets_are_per_serving_facts() -> None:
    assert solved(_BREAKFAST) == pytest.approx(_breakfast_best())


def test_a_cap_of_any_one_food_caps_each_food_alone() -> None:
    text = _BREAKFAST.replace("servings", "portions").replace(
        "at least 500 kcal.", "at least 500 kcal, and no more than 3 portions of any one food."
    )
    assert solved(text) == pytest.approx(_breakfast_best(cap=3))


def test_items_whose_amounts_differ_in_kind_are_left_alone() -> None:
    assert rewrite(_BREAKFAST.replace("12 g protein", "12 g fat")) is None
    assert declined(_BREAKFAST.replace("12 g protein", "12 g fat"))


_WORKSHOP = (
    "A workshop makes stools (profit $30, 2 h cutting, 1 h sanding), benches (profit $50, 3 h cutting, "
    "2 h sanding) and shelves (profit $20, 1 h cutting, 1 h sanding). There are 40 hours of cutting and "
    "25 hours of sanding available. How many of each should it make to maximise profit?"
)


def _workshop_best() -> float:
    return max(
        30 * s + 50 * b + 20 * h
        for s, b, h in itertools.product(range(41), repeat=3)
        if 2 * s + 3 * b + h <= 40 and s + 2 * b + h <= 25
    )


def test_a_profit_and_hours_in_brackets_are_per_unit_facts() -> None:
    assert solved(_WORKSHOP) == pytest.approx(_workshop_best())


def test_list_lines_with_a_price_per_serving() -> None:
    text = (
        "A hostel makes breakfast from three foods.\n"
        "- oats: $0.30 a serving, 5 g protein, 150 kcal\n"
        "- milk: $0.50 a serving, 8 g protein, 120 kcal\n"
        "- eggs: $0.90 a serving, 12 g protein, 140 kcal\n"
        "Each breakfast needs at least 20 g protein and at least 500 kcal. Whole servings only. "
        "What is the cheapest breakfast?"
    )
    assert solved(text) == pytest.approx(_breakfast_best())


def test_a_bare_amount_of_money_is_a_price_only_when_the_goal_is_the_lowest_cost() -> None:
    # '$30' could be a price or a profit: with a profit goal it is left unread.
    assert rewrite(_WORKSHOP.replace("profit $", "$")) is None


@pytest.mark.parametrize(
    "cap",
    ["and no more than 3 servings of any one food.", "and nobody wants more than 3 servings of any one food."],
)
def test_a_cap_in_servings_of_any_one_food(cap: str) -> None:
    assert solved(_BREAKFAST.replace("at least 500 kcal.", f"at least 500 kcal, {cap}")) == pytest.approx(_breakfast_best(cap=3))


def test_a_header_with_a_scale_in_brackets_is_left_alone() -> None:
    text = "Options with cost and value (in $1000s): roof $40, 7; pumps $35, 6; lights $20, 4."
    assert rewrite(text) is None
