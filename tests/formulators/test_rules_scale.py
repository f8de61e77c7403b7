"""Costs quoted per a batch of units ('per 1,000 litres') or in cents, read offline: the cost of
one unit is divided down only when the amounts are stated in the batch's unit; otherwise the
scale would be a guess 1000x off, so the text is declined. Optima by vertex enumeration."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from tests.formulators.offline import declined, solved
from tests.formulators.polytope import vertex_min

FUEL = (
    "Two depots, North and South, supply fuel to two towns, Alton and Bury. North holds 30,000 litres and "
    "South holds 20,000 litres. Alton needs 25,000 litres and Bury needs 15,000 litres. Shipping costs per "
    "1,000 litres: $40 from North to Alton, $55 from North to Bury, $50 from South to Alton and $35 from South "
    "to Bury. Minimise the total shipping cost."
)


def _fuel_optimum(per_litre: list[F]) -> float:
    # routes: North-Alton, North-Bury, South-Alton, South-Bury
    rows = [
        ([F(1), F(1), F(0), F(0)], "<=", F(30000)),
        ([F(0), F(0), F(1), F(1)], "<=", F(20000)),
        ([F(1), F(0), F(1), F(0)], ">=", F(25000)),
        ([F(0), F(1), F(0), F(1)], ">=", F(15000)),
    ]
    return float(vertex_min(per_litre, rows))


def test_costs_per_thousand_litres_are_divided_down_to_one_litre():
    assert solved(FUEL) == pytest.approx(_fuel_optimum([F(40, 1000), F(55, 1000), F(50, 1000), F(35, 1000)]))


def test_costs_in_cents_per_litre():
    cents = FUEL.replace("Shipping costs per 1,000 litres: $40 from North to Alton, $55 from North to Bury, $50", "Shipping costs 4 cents per litre from North to Alton, 5.5 cents from North to Bury, 5 cents")
    cents = cents.replace("$35 from South", "3.5 cents from South")
    assert solved(cents) == pytest.approx(_fuel_optimum([F(4, 100), F(55, 1000), F(5, 100), F(35, 1000)]))


@pytest.mark.parametrize(
    "near_miss",
    [
        FUEL.replace("30,000 litres", "30 kilolitres").replace("20,000 litres", "20 kilolitres")
        .replace("25,000 litres", "25 kilolitres").replace("15,000 litres", "15 kilolitres"),  # per 1,000 litres, amounts in kl
        FUEL.replace("per 1,000 litres", "per 1,000 barrels"),  # no amount is in barrels
    ],
)
def test_a_cost_per_batch_in_a_unit_the_amounts_are_not_in_is_declined(near_miss: str):
    assert declined(near_miss)
