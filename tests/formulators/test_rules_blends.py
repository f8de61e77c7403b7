"""Blends with percentage compositions, read offline: each optimum found by enumerating the
vertices of the blend's polytope in the test (never nl2opt's own output), and each near miss
(a cost scale that would be a guess, a component one ingredient does not state, a number no
rule reads) declined."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from tests.formulators.offline import declined, solved
from tests.formulators.polytope import vertex_min


def _share(content: list[F], sense: str, q: F) -> tuple[list[F], str, F]:
    """sum_i p_i x_i (sense) q * sum_i x_i, as a row: sum_i (p_i - q) x_i (sense) 0."""
    return ([p - q for p in content], sense, F(0))


SANDS = (
    "A glassworks blends two sands. Sand P is 70% silica and 4% clay and costs $12 a ton; "
    "sand Q is 90% silica and 1% clay and costs $20 a ton. The blend must be at least 80% silica "
    "and at most 3% clay. We need 600 tons of blend. Minimise the cost of the sand."
)


def test_a_two_ingredient_blend_with_shares_of_two_components():
    silica, clay = [F(70, 100), F(90, 100)], [F(4, 100), F(1, 100)]
    rows = [([F(1), F(1)], "==", F(600)), _share(silica, ">=", F(80, 100)), _share(clay, "<=", F(3, 100))]
    assert solved(SANDS) == pytest.approx(float(vertex_min([F(12), F(20)], rows)))  # 9,600


STEEL = (
    "A mill must produce 40 tonnes of steel from three kinds of feed. Feed R: 0.9% C, 18% Ni, $900/tonne. "
    "Feed S: 0.4% C, 8% Ni, $600/tonne. Feed T: 0.1% C, 2% Ni, $350/tonne. "
    "The steel must contain between 9% and 12% nickel and no more than 0.5% carbon, "
    "and at least 25% of it must be feed T. Any amounts can be used. What is the least it can cost?"
)


def test_three_ingredients_with_symbols_a_range_and_a_share_of_one_ingredient():
    carbon = [F(9, 1000), F(4, 1000), F(1, 1000)]
    nickel = [F(18, 100), F(8, 100), F(2, 100)]
    rows = [
        ([F(1)] * 3, "==", F(40)),
        _share(nickel, ">=", F(9, 100)),
        _share(nickel, "<=", F(12, 100)),
        _share(carbon, "<=", F(5, 1000)),
        _share([F(0), F(0), F(1)], ">=", F(25, 100)),
    ]
    assert solved(STEEL) == pytest.approx(float(vertex_min([F(900), F(600), F(350)], rows)))


COMPOST = (
    "A nursery mixes peat and compost into exactly 800 litres of potting soil. "
    "Peat costs 30 cents per litre and is 2% nitrogen; compost costs 12 cents per litre and is 0.5% nitrogen "
    "and 10% sand. The soil must contain at least 9 litres of nitrogen and at most 6% sand. "
    "How much of each keeps the cost lowest?"
)


def test_an_amount_of_a_component_and_costs_in_cents():
    """'at least 9 litres of nitrogen' is sum_i p_i x_i >= 9; 30 cents is $0.30. Peat states no sand: declined."""
    assert declined(COMPOST)  # peat's sand is not stated: the sand requirement cannot be read
    stated = COMPOST.replace("is 2% nitrogen;", "is 2% nitrogen and 0% sand;")
    nitrogen, sand = [F(2, 100), F(5, 1000)], [F(0), F(10, 100)]
    rows = [([F(1), F(1)], "==", F(800)), ([*nitrogen], ">=", F(9)), _share(sand, "<=", F(6, 100))]
    assert solved(stated) == pytest.approx(float(vertex_min([F(30, 100), F(12, 100)], rows)))


@pytest.mark.parametrize(
    "near_miss",
    [
        SANDS.replace("600 tons of blend", "600 kg of blend"),  # costs per ton, amount in kg: the scale is a guess
        SANDS.replace("and at most 3% clay", "and at most 3% iron"),  # no sand states its iron
        SANDS.replace("We need 600 tons", "Sand Q is delivered 250 tons at a time. We need 600 tons"),
        SANDS.replace("Minimise the cost of the sand.", "Maximise the profit of the sand."),
        SANDS.replace("We need 600 tons of blend.", "We need whole truckloads of 600 tons of blend."),
        SANDS.replace("We need 600 tons of blend.", "At least 50 tons of sand Q must be used."),  # a limit on an ingredient, no amount made
    ],
)
def test_a_blend_the_reader_cannot_account_for_fully_is_declined(near_miss: str):
    assert declined(near_miss)


DIESEL = (
    "A distributor blends exactly 5,000 litres of diesel from two stocks: stock L (cetane 42, $0.80 per litre) "
    "and stock H (cetane 55, $1.10 per litre). The blend needs a cetane number of at least 48; cetane blends "
    "linearly by volume. What is the cheapest blend?"
)


def test_a_property_that_blends_as_the_weighted_average():
    rows = [([F(1), F(1)], "==", F(5000)), ([F(42 - 48), F(55 - 48)], ">=", F(0))]
    assert solved(DIESEL) == pytest.approx(float(vertex_min([F(80, 100), F(110, 100)], rows)))


def test_a_property_not_said_to_blend_linearly_is_declined():
    assert declined(DIESEL.replace("; cetane blends linearly by volume", ""))
