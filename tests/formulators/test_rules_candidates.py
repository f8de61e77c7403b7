"""0-1 selection from listed candidates, read offline: '(cost, value)' parentheses, 'NAME costs $C
and scores V' lists, 'NAME 3 kg, 9' knapsack lists, a cap on how many are chosen. Every optimum
by enumerating all subsets; near misses (a count the list does not match, an answer asked in
thousands, a capacity in another unit, a number no rule reads) decline."""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.offline import declined, solved


def _best(items: list[tuple[float, float]], budget: float, most: int | None = None) -> float:
    return max(
        sum(items[i][1] for i in chosen)
        for k in range(len(items) + 1)
        for chosen in itertools.combinations(range(len(items)), k)
        if sum(items[i][0] for i in chosen) <= budget and (most is None or k <= most)
    )


MUSEUM = (
    "The museum can spend $120,000 on new exhibits and will open no more than two of them. The four candidates are: "
    "a dinosaur hall ($70,000, visitors 900), a space gallery ($50,000, visitors 650), an insect room ($30,000, "
    "visitors 400) and a water lab ($45,000, visitors 500). Each is funded fully or not at all. "
    "Which exhibits bring the most visitors in total?"
)


def test_candidates_in_parentheses_with_a_cap_on_how_many():
    items = [(70000, 900), (50000, 650), (30000, 400), (45000, 500)]
    assert solved(MUSEUM) == pytest.approx(_best(items, 120000, most=2))


GRANTS = (
    "A charity has $10,000 for grants. Grant A costs $4,000 and scores 8, B costs $3,500 and scores 7, "
    "C costs $5,000 and scores 9, D costs $2,000 and scores 3, E costs $1,500 and scores 2. "
    "Each is funded fully or not at all. What is the highest total score?"
)


def test_candidates_listed_with_costs_and_scores():
    items = [(4000, 8), (3500, 7), (5000, 9), (2000, 3), (1500, 2)]
    assert solved(GRANTS) == pytest.approx(_best(items, 10000))


BAG = (
    "My bag can carry at most 7 kg. Items: lamp 3 kg, 9; rope 2 kg, 5; stove 4 kg, 10; map 1 kg, 3. "
    "I take one of an item or none. What is the largest total value?"
)


def test_a_knapsack_listed_by_weight_and_value():
    assert solved(BAG) == pytest.approx(_best([(3, 9), (2, 5), (4, 10), (1, 3)], 7))


def test_a_budget_with_a_thousands_comma_is_not_a_candidate():
    """'We have $500,000 and ...' once read as a candidate 'We have' costing $500 worth 000."""
    text = (
        "We have $500,000 and will fund at most two projects. Project A costs $200,000 (NPV $300,000); project B "
        "costs $250,000 (NPV $320,000); project C costs $150,000 (NPV $180,000). Each project is either done in full "
        "or not at all. Maximise total NPV."
    )
    items = [(200000, 300000), (250000, 320000), (150000, 180000)]
    assert solved(text) == pytest.approx(_best(items, 500000, most=2))


@pytest.mark.parametrize(
    "near_miss",
    [
        MUSEUM.replace("The four candidates", "The five candidates"),  # a candidate missed or miscounted
        GRANTS.replace("What is the highest total score?", "What is the highest total score, in thousands?"),
        BAG.replace("at most 7 kg", "at most 7 lb"),  # capacity in pounds, weights in kilograms
        GRANTS.replace("Each is funded", "Paperwork adds $200 per grant. Each is funded"),
        MUSEUM.replace("Which exhibits", "The space gallery opens only if the dinosaur hall does. Which exhibits"),  # logic unread
    ],
)
def test_a_candidate_list_the_reader_cannot_account_for_fully_is_declined(near_miss: str):
    assert declined(near_miss)
