"""Money split among named places with rates, read offline: places named where their rate is,
later named by a word only they have; shares of the money, amounts, multiples of another place;
all of the money placed or not, as the text says. Optima by vertex enumeration (the maximum as
the least of the negated return); near misses decline."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from tests.formulators.offline import declined, solved
from tests.formulators.polytope import vertex_min

RETIREE = (
    "A retiree has $300,000 to place, all of it, in a money market account (2%), treasury notes (4%) and a "
    "dividend fund (7%). At least 20% of the money must be in treasury notes, the dividend fund can hold no more "
    "than $100,000, and the money market account must be at least half of what goes into treasury notes. "
    "What is the largest yearly income?"
)


def test_all_of_the_money_with_a_share_an_amount_and_a_multiple():
    # decisions: money market, treasury notes, dividend fund
    rows = [
        ([F(1)] * 3, "==", F(300000)),
        ([F(-20, 100), F(80, 100), F(-20, 100)], ">=", F(0)),  # t >= 20% of the total
        ([F(0), F(0), F(1)], "<=", F(100000)),
        ([F(1), F(-1, 2), F(0)], ">=", F(0)),  # m >= t / 2
    ]
    best = -vertex_min([F(-2, 100), F(-4, 100), F(-7, 100)], rows)
    assert solved(RETIREE) == pytest.approx(float(best))


INVESTOR = (
    "An investor has $50,000 but does not have to invest everything. Fund P returns 6% and fund Q 10%. "
    "At most 40% of the money invested may go into Q, and at least $5,000 must go into P. "
    "What is the highest annual return?"
)


def test_not_all_of_the_money_and_a_rate_stated_once_for_two_places():
    rows = [
        ([F(1), F(1)], "<=", F(50000)),
        ([F(-40, 100), F(60, 100)], "<=", F(0)),  # q <= 40% of what is invested
        ([F(1), F(0)], ">=", F(5000)),
    ]
    assert solved(INVESTOR) == pytest.approx(float(-vertex_min([F(-6, 100), F(-10, 100)], rows)))


@pytest.mark.parametrize(
    "near_miss",
    [
        RETIREE.replace("in treasury notes,", "in notes or bonds,").replace("treasury notes (4%)", "treasury bonds (4%)")
        .replace("dividend fund (7%)", "dividend bonds (7%)"),  # 'bonds' names two places
        INVESTOR.replace("What is", "Fees are 1% a year. What is"),
        INVESTOR.replace("returns 6%", "returns 6% with a risk score of 3"),
        RETIREE.replace("(2%)", "(2% risk)"),  # a percentage in parentheses that is not a rate
        RETIREE.replace("What is", "Treasury notes may be bought only if the dividend fund is used. What is"),  # logic unread
    ],
)
def test_a_portfolio_the_reader_cannot_account_for_fully_is_declined(near_miss: str):
    assert declined(near_miss)


FUNDS = (
    "Invest exactly $90,000 across three funds. Fund K returns 5% with a risk score of 2; fund L returns 9% with "
    "a risk score of 8; fund M returns 7% with a risk score of 5. The money-weighted average risk score must be at "
    "most 5, and no single fund may receive more than $50,000. What is the largest expected annual return?"
)


def test_a_money_weighted_average_of_a_score_and_a_cap_on_every_place():
    rows = [
        ([F(1)] * 3, "==", F(90000)),
        ([F(2 - 5), F(8 - 5), F(5 - 5)], "<=", F(0)),  # sum s_i x_i <= 5 * sum x_i
        ([F(1), F(0), F(0)], "<=", F(50000)),
        ([F(0), F(1), F(0)], "<=", F(50000)),
        ([F(0), F(0), F(1)], "<=", F(50000)),
    ]
    best = -vertex_min([F(-5, 100), F(-9, 100), F(-7, 100)], rows)
    assert solved(FUNDS) == pytest.approx(float(best))


def test_scores_no_requirement_uses_are_declined():
    assert declined(FUNDS.replace("The money-weighted average risk score must be at most 5, and no", "No"))
