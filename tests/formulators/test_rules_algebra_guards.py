"""The algebra reader declines the traps the worded rules decline (see rules/guards.py).

Each trap is a text the algebra reader answered before (named symbols, algebra in words); next to it
a near miss without the trap that it still answers, with the optimum found here by brute force over
whole numbers. The texts are written for these tests.
"""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.offline import declined, solved

_GRID = list(itertools.product(range(101), repeat=2))


def test_a_daily_limit_when_the_plan_is_asked_per_week_declines() -> None:
    # How many days make the week is not said: 16 hours a day is no weekly limit.
    text = (
        "A manager assigns hours to two tasks, X and Y. The hours for X plus twice the hours for Y cannot exceed "
        "16 per day. The hours for X must be at least 3. Each hour of X yields a benefit of 4 and each hour of Y "
        "yields a benefit of 5. How should the hours be split each week to maximize the total benefit?"
    )
    assert declined(text)


def test_the_same_limit_with_no_second_period_is_answered() -> None:
    text = (
        "A manager assigns hours to two tasks, X and Y. The hours for X plus twice the hours for Y cannot exceed "
        "16. The hours for X must be at least 3. Each hour of X yields a benefit of 4 and each hour of Y yields a "
        "benefit of 5. The manager aims to maximize the total benefit."
    )
    best = max(4 * x + 5 * y for x, y in _GRID if x + 2 * y <= 16 and x >= 3)
    assert solved(text) == pytest.approx(best)


def test_a_share_of_a_limit_set_aside_declines() -> None:
    # 100 acres of which 20 are reserved: the crops get 80, which no row of the algebra says.
    text = (
        "A farmer plants two crops, X and Y. The area of X plus the area of Y cannot exceed 100 acres, of which 20 "
        "acres are reserved for roads. Twice the area of X must be at least the area of Y. Each acre of X yields a "
        "profit of 30 and each acre of Y yields a profit of 20. The farmer wants to maximize the total profit."
    )
    assert declined(text)


def test_two_caps_written_as_algebra_both_hold() -> None:
    # Unlike '200 hours, but 30 are set aside', each cap here is a whole requirement: both bind the sum.
    text = (
        "A farmer plants two crops, X and Y. The area of X plus the area of Y cannot exceed 100 acres. Twice the "
        "area of X must be at least the area of Y. The combined area of X and Y cannot exceed 80 acres. Each acre "
        "of X yields a profit of 30 and each acre of Y yields a profit of 20. The farmer wants to maximize the "
        "total profit."
    )
    best = max(30 * x + 20 * y for x, y in _GRID if x + y <= 100 and 2 * x >= y and x + y <= 80)
    assert solved(text) == pytest.approx(best)


def test_one_sum_bounded_from_both_sides_is_answered() -> None:
    text = (
        "A farmer plants two crops, X and Y. The area of X plus the area of Y cannot exceed 100 acres. Twice the "
        "area of X must be at least the area of Y. The combined area of X and Y must be at least 20 acres. Each "
        "acre of X costs 30 and each acre of Y costs 20. The farmer wants to minimize the total cost."
    )
    best = min(30 * x + 20 * y for x, y in _GRID if x + y <= 100 and 2 * x >= y and x + y >= 20)
    assert solved(text) == pytest.approx(best)


def test_money_spent_compared_on_counted_items_declines() -> None:
    # The money on X is 10x and on Y 20y: 'x <= y' would give 450 where 10x <= 20y gives 400.
    text = (
        "A store buys two items, X and Y. The money spent on X cannot exceed the money spent on Y. The total "
        "units of X and Y must be at least 30. Each unit of X costs $10 and each unit of Y costs $20. The store "
        "wants to minimize the total cost."
    )
    assert declined(text)


def test_money_compared_when_the_decisions_are_money_is_answered() -> None:
    text = (
        "A fund divides its budget between two projects, X and Y. The money invested in X cannot exceed the money "
        "invested in Y. The total invested in X and Y must be at least 30. Each dollar in X costs 10 cents in fees "
        "and each dollar in Y costs 20 cents in fees. The fund wants to minimize the total cost."
    )
    best = min(10 * x + 20 * y for x, y in _GRID if x <= y and x + y >= 30)
    assert solved(text) == pytest.approx(best)


def test_two_objectives_at_once_decline() -> None:
    text = (
        "A planner splits effort between two projects, X and Y. X and Y combined cannot exceed 50 units. Each unit "
        "of X gives a profit of 4 and each unit of Y gives a profit of 3. The planner aims to maximize profit and "
        "minimize the effort for X."
    )
    assert declined(text)


def test_a_cost_beside_the_profit_declines() -> None:
    # Is the profit already net of the cost, or is the cost to be subtracted?
    text = (
        "A planner splits effort between two projects, X and Y. X and Y combined cannot exceed 50 units. Twice X "
        "plus Y cannot exceed 70 units. Each unit of X gives a profit of 4 and each unit of Y gives a profit of 3. "
        "Each unit of X also has a cost of 1 and each unit of Y a cost of 2. The planner aims to maximize the "
        "total profit."
    )
    assert declined(text)


def test_one_profit_per_symbol_is_answered() -> None:
    text = (
        "A planner splits effort between two projects, X and Y. X and Y combined cannot exceed 50 units. Twice X "
        "plus Y cannot exceed 70 units. Each unit of X gives a profit of 4 and each unit of Y gives a profit of 3. "
        "The planner aims to maximize the total profit."
    )
    best = max(4 * x + 3 * y for x, y in _GRID if x + y <= 50 and 2 * x + y <= 70)
    assert solved(text) == pytest.approx(best)


def test_spending_on_counted_items_declines_in_words_too() -> None:
    # 'the spending on item X' once passed for decisions that are money: 'x <= 2y' gives 400, 10x <= 2*20y gives 360.
    text = (
        "A store buys two items, X and Y. The total units of X and Y must be at least 30. The spending on item X "
        "cannot exceed twice the spending on item Y. Each unit of X costs $10 and each unit of Y costs $20. The "
        "store wants to minimize the total cost."
    )
    assert declined(text)


def test_numbers_of_counted_items_compared_are_answered() -> None:
    text = (
        "A store buys two items, X and Y. The total units of X and Y must be at least 30. The number of item X "
        "cannot exceed twice the number of item Y. Each unit of X costs $10 and each unit of Y costs $20. The "
        "store wants to minimize the total cost."
    )
    best = min(10 * x + 20 * y for x, y in _GRID if x + y >= 30 and x <= 2 * y)
    assert solved(text) == pytest.approx(best)


def test_a_daily_limit_when_the_question_asks_per_week_declines() -> None:
    # The goal asked as a question ('what is the minimum total cost per week?') has a period too.
    text = (
        "A manager assigns hours to two tasks, X and Y. The hours for X plus twice the hours for Y cannot exceed "
        "16 per day. The hours for X must be at least 3. Each hour of X costs 4 and each hour of Y costs 5. The "
        "hours for X and Y together must be at least 10. What is the minimum total cost per week?"
    )
    assert declined(text)


def test_a_daily_limit_when_the_question_asks_per_day_is_answered() -> None:
    text = (
        "A manager assigns hours to two tasks, X and Y. The hours for X plus twice the hours for Y cannot exceed "
        "16 per day. The hours for X must be at least 3. Each hour of X costs 4 and each hour of Y costs 5. The "
        "hours for X and Y together must be at least 10. What is the minimum total cost per day?"
    )
    best = min(4 * x + 5 * y for x, y in _GRID if x + 2 * y <= 16 and x >= 3 and x + y >= 10)
    assert solved(text) == pytest.approx(best)
