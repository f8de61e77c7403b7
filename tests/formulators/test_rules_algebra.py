"""Algebra in prose over named symbols (X, Y, Z), read only after the scalar rules declined.

Optima are found here by brute force over whole numbers; the texts are written for these tests.
"""

from __future__ import annotations

import itertools

import pytest

from nl2opt.formulators.rules import RulesFormulator
from nl2opt.pipeline import solve_spec


def _solve(text: str) -> float | None:
    formulation = RulesFormulator().formulate(text)
    if formulation.spec is None:
        return None
    result = solve_spec(formulation.spec)
    assert result.verified
    return result.objective


def test_linear_combinations_in_words() -> None:
    text = (
        "A planner splits effort between three projects: X, Y and Z. Project X and Y combined cannot exceed 50 units, "
        "while twice the effort for project Y plus the effort for project Z must be at least 40 units. The effort for "
        "project X minus the effort for project Z should be at least 5 units. Each unit of effort costs $4 for X, $3 for "
        "Y and $2 for Z. The planner aims to minimize the total cost, with whole units."
    )
    best = min(
        4 * x + 3 * y + 2 * z
        for x, y, z in itertools.product(range(61), repeat=3)
        if x + y <= 50 and 2 * y + z >= 40 and x - z >= 5
    )
    assert _solve(text) == pytest.approx(best)


def test_ratios_offsets_and_respectively() -> None:
    text = (
        "A developer builds two property types, X and Y. The number of X must be at least half the number of Y plus "
        "3 units. The total number of properties for both types cannot exceed 10. X and Y together must be at least 6. "
        "Each unit costs $50, and $80 for X and Y respectively. The developer aims to minimize the total cost."
    )
    best = min(
        50 * x + 80 * y
        for x, y in itertools.product(range(11), repeat=2)
        if x >= 0.5 * y + 3 and x + y <= 10 and x + y >= 6
    )
    assert _solve(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The investment in X cannot be less than $100 and for Y, it cannot be less than 50 units.",  # 'and Y' after an amount
        "Unless Y is chosen, X must be at most 20 units.",  # a condition
        "Each unit of X needs two-and-a-half hours.",  # a number inside a word
    ],
)
def test_unread_algebra_declines(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _solve(text) is None


def test_a_goal_about_cost_is_not_read_from_returns() -> None:
    text = (
        "A manager invests in channels X and Y. X and Y combined must be at least 500 units. Each dollar yields 2 units "
        "of return on X and 3 units of return on Y. The manager aims to minimize the total cost."
    )
    assert _solve(text) is None


def test_amounts_of_a_symbol_and_totals_across_all_of_them() -> None:
    text = (
        "A developer plans three property types: X, Y and Z. The total number across all three types cannot exceed 12 "
        "units. No more than 7 units of property X and no more than 6 units of property Y can be built. X and Y together "
        "must be at least 9. Each unit costs $5, $4 and $1 for X, Y and Z respectively. The developer aims to minimize "
        "the total cost."
    )
    best = min(
        5 * x + 4 * y + 1 * z
        for x, y, z in itertools.product(range(13), repeat=3)
        if x + y + z <= 12 and x <= 7 and y <= 6 and x + y >= 9
    )
    assert _solve(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The investment in X (doubled) and Y (tripled) should be at least 40 units.",
        "X requires at least 20 units more than negative three times Y.",
        "The amount for X, once halved, must be at least 15 units.",
    ],
)
def test_wordings_that_change_the_numbers_are_declined(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _solve(text) is None
