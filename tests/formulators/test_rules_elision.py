"""Per-unit facts left out after the first decision's clause: a bare amount, a unit written once, a verb dropped.

Each optimum is found in the test by brute force over whole-unit plans, never from nl2opt's own
output. Each phrasing has a near miss whose bare amount has no parallel to take its words from.
"""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.offline import solved


def _best(profit: tuple[float, float], rows: list[tuple[float, float, float]], most: int = 60) -> float:
    return max(
        profit[0] * a + profit[1] * b
        for a, b in itertools.product(range(most + 1), repeat=2)
        if all(x * a + y * b <= cap for x, y, cap in rows)
    )


def test_a_bare_amount_measures_what_the_first_clause_measured() -> None:
    text = (
        "A workshop makes tables and chairs. A table takes 5 hours of labour and earns $50; a chair takes 2 and "
        "earns $25. There are 40 hours of labour. Maximise profit."
    )
    assert solved(text) == pytest.approx(_best((50, 25), [(5, 2, 40)]))


def test_a_unit_written_once_serves_the_amounts_after_it() -> None:
    text = (
        "A workshop makes tables and chairs. A table takes 6 hours of cutting and 2 of finishing; a chair takes "
        "2 hours of cutting and 1 of finishing. There are 60 hours of cutting and 30 of finishing. A table earns "
        "$50 and a chair $25. Maximise profit."
    )
    expected = _best((50, 25), [(6, 2, 60), (2, 1, 30)])
    assert expected == 750
    assert solved(text) == pytest.approx(expected)


def test_facts_reordered_after_a_dropped_verb_keep_their_own_words() -> None:
    text = (
        "A tailor makes shirts and coats. A shirt takes 2 hours of sewing and earns $11, a coat $14 and 3 hours. "
        "There are 60 hours of sewing a week. At most 12 shirts can be sold. Maximise profit."
    )
    expected = _best((11, 14), [(2, 3, 60), (1, 0, 12)])
    assert expected == 300
    assert solved(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        # the chair's 2 has no parallel amount: the table's only fact is money
        "A workshop makes tables and chairs. A table earns $50; a chair takes 2 and earns $25. "
        "There are 40 hours of labour. Maximise profit.",
        # the chair's second bare amount has no second amount of the table's to mirror
        "A workshop makes tables and chairs. A table takes 5 hours of labour and earns $50; a chair takes 2 and 3 "
        "and earns $25. There are 40 hours of labour. Maximise profit.",
    ],
)
def test_a_bare_amount_without_a_parallel_still_declines(text: str) -> None:
    assert solved(text) is None


_SHOP = (
    "A shop makes chairs and stools. A chair earns $30 and a stool earns $20. {shared} At most 15 stools can be "
    "sold. Maximise profit."
)


@pytest.mark.parametrize(
    "shared",
    [
        "Each item takes 2 hours of sanding; there are 40 hours of sanding.",
        "Each unit of either takes two hours of sanding and there are 40 sanding hours.",
        "Each of them takes 2 hours of sanding; 40 hours of sanding are on hand.",
    ],
)
def test_one_amount_said_of_every_decision_is_each_ones_amount(shared: str) -> None:
    expected = _best((30, 20), [(2, 2, 40), (0, 1, 15)])
    assert expected == 600
    assert solved(_SHOP.format(shared=shared)) == pytest.approx(expected)


def test_an_amount_said_of_something_else_is_no_decisions_amount() -> None:
    assert solved(_SHOP.format(shared="Each customer takes 2 hours of sanding and there are 40 sanding hours.")) is None


_CLOCKS = (
    "A workshop makes lamps and clocks. Oven time per lamp is 3 min and per clock 5 min, max 300 min per day. "
    "{paint} per lamp is 4 min and per clock 2 min, max 240 min per day. A lamp earns $7 and a clock $9. "
    "Maximise daily profit."
)


def test_the_attribute_named_before_per_is_what_each_amount_and_its_max_measure() -> None:
    expected = _best((7, 9), [(3, 5, 300), (4, 2, 240)], most=100)
    assert expected == 607
    assert solved(_CLOCKS.format(paint="Paint time")) == pytest.approx(expected)


def test_minutes_with_no_attribute_named_before_them_still_decline() -> None:
    text = _CLOCKS.format(paint="Paint time").replace("Paint time per lamp is", "Per lamp painting is")
    assert solved(text) is None


_GROWER = (
    "A grower has 20 acres to plant with beans, peas and oats. Per acre, beans earn $300, peas $200 and oats $150. "
    "Water is limited to {water} for the season: beans use 6, peas 4 and oats 2 per acre. Labour is limited to "
    "120 hours: beans need 8 hours, peas 5 and oats 3 per acre. How many acres of each maximise earnings?"
)


def test_bare_amounts_after_a_colon_measure_the_amount_before_it() -> None:
    expected = max(
        300 * b + 200 * p + 150 * o
        for b, p, o in itertools.product(range(21), repeat=3)
        if b + p + o <= 20 and 6 * b + 4 * p + 2 * o <= 80 and 8 * b + 5 * p + 3 * o <= 120
    )
    assert solved(_GROWER.format(water="80 megalitres")) == pytest.approx(expected)


def test_two_amounts_before_the_colon_leave_the_bare_ones_unread() -> None:
    assert solved(_GROWER.format(water="80 megalitres and 30 cubic metres")) is None


def test_a_bare_amount_in_a_priced_clause_takes_its_parallel_not_money() -> None:
    text = (
        "A shop advertises with flyers and posters. A poster costs $50 and reaches 900 people; a flyer batch costs "
        "$20 and reaches 300. The budget is $1,000 and at most 12 posters can be hung. Maximise the number of "
        "people reached."
    )
    expected = max(900 * p + 300 * f for p in range(13) for f in range(51) if 50 * p + 20 * f <= 1000)
    assert expected == 16800
    assert solved(text) == pytest.approx(expected)
