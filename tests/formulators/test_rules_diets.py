"""Diets with facts per portion, read offline: the portion's size ('per 50 g'), amounts of
food converted to portions exactly (300 g or 0.3 kg is six portions of 50 g), servings counted
whole. Optima by vertex enumeration or by listing every whole plan; near misses (a need in
another unit, a fact missing, whole or fractional unsaid) decline."""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest

from tests.formulators.offline import declined, solved
from tests.formulators.polytope import vertex_min

SNACK = (
    "A runner builds a snack from oats and peanuts. Per 50 g, oats have 6 g of protein and 190 kcal and cost $0.15; "
    "peanuts have 13 g of protein and 290 kcal and cost $0.40. The snack needs at least 30 g of protein and at least "
    "1,200 kcal, and at most 300 g of food in total. Fractions of a portion are fine. What is the cheapest snack?"
)


def _snack_optimum() -> float:
    rows = [
        ([F(6), F(13)], ">=", F(30)),
        ([F(190), F(290)], ">=", F(1200)),
        ([F(1), F(1)], "<=", F(300, 50)),  # 300 g of food is six portions of 50 g
    ]
    return float(vertex_min([F(15, 100), F(40, 100)], rows))


def test_facts_per_50_g_and_a_total_in_grams_counted_in_portions():
    assert solved(SNACK) == pytest.approx(_snack_optimum())


def test_a_total_in_kilograms_is_converted_exactly():
    assert solved(SNACK.replace("at most 300 g of food", "at most 0.3 kg of food")) == pytest.approx(_snack_optimum())


BREAKFAST = (
    "For each hiker's breakfast I combine whole servings of muesli and yogurt. "
    "Muesli: 8 g protein, 40 mg calcium, costs 55 cents a serving. Yogurt: 5 g protein, 150 mg calcium, 70 cents a serving. "
    "Breakfast needs at least 20 g protein and 400 mg calcium, and nobody wants more than five servings of any one food. "
    "What is the cheapest breakfast?"
)


def test_whole_servings_with_a_cap_on_any_one_food():
    plans = [
        0.55 * m + 0.70 * y
        for m, y in itertools.product(range(6), repeat=2)
        if 8 * m + 5 * y >= 20 and 40 * m + 150 * y >= 400
    ]
    assert solved(BREAKFAST) == pytest.approx(min(plans))


@pytest.mark.parametrize(
    "near_miss",
    [
        SNACK.replace("1,200 kcal", "5,000 kJ"),  # foods in kcal, the need in kJ: no conversion guessed
        SNACK.replace(" and 190 kcal", ""),  # oats' energy unstated
        SNACK.replace(" Fractions of a portion are fine.", ""),  # whole or fractional portions unsaid
        SNACK.replace("Per 50 g, oats", "Oats"),  # per how much food?
        BREAKFAST.replace("400 mg calcium", "0.4 kg calcium").replace(" mg calcium,", " kcal,"),
    ],
)
def test_a_diet_the_reader_cannot_account_for_fully_is_declined(near_miss: str):
    assert declined(near_miss)
