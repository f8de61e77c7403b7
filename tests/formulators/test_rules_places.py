"""Transportation prose that counts its places instead of naming them, or names them in lower case.

'Two bakeries make 15 and 12 loaves', 'the first bakery', 'the east quarry', 'Kappa (capacity 40
crates)', 'costs $5, $8 and $6 to the three shops'. Each optimum is found in the test by brute
force over whole-unit plans (a transportation LP with whole-number data has a whole-number
optimum), never from nl2opt's own output. Each phrasing has a near miss that must still decline.
"""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.offline import solved


def _cheapest(supply: tuple[int, int], demand: tuple[int, ...], cost: tuple[tuple[float, ...], tuple[float, ...]]) -> float:
    """Two sources: what the first sends to each place; the second sends the rest of each need."""
    best = float("inf")
    for sent in itertools.product(*(range(need + 1) for need in demand)):
        rest = [need - s for need, s in zip(demand, sent, strict=True)]
        if sum(sent) <= supply[0] and sum(rest) <= supply[1]:
            best = min(best, sum(c * s for c, s in zip(cost[0], sent, strict=True)) + sum(c * r for c, r in zip(cost[1], rest, strict=True)))
    return best


BAKERIES = (
    "Two bakeries make 15 and 12 loaves a day. Three cafes need 8, 9 and 7 loaves. Delivering a loaf from the "
    "first bakery costs $0.30, $0.50 and $0.40 to the three cafes, and from the second $0.60, $0.20 and $0.30. "
    "What is the cheapest delivery plan?"
)
QUARRIES = (
    "Sand is hauled from two quarries to three sites. The east quarry can supply 90 tonnes and the west quarry "
    "60 tonnes. Site P needs 50 tonnes, site Q 40 tonnes and site R 45 tonnes. Hauling a tonne from the east "
    "quarry costs $4 to P, $6 to Q and $5 to R; from the west quarry it costs $7 to P, $3 to Q and $4 to R. "
    "Minimise the haulage cost."
)
DOCKS = (
    "Crates go from two docks, Kappa (capacity 40 crates) and Sigma (capacity 30), to three shops that need at "
    "least 20, 25 and 15 crates. Per crate, Kappa costs $5, $8 and $6 to the three shops, and Sigma costs $7, $4 "
    "and $5. Minimise the shipping cost."
)


def test_counted_places_and_ordinals_are_named_in_order() -> None:
    expected = _cheapest((15, 12), (8, 9, 7), ((0.3, 0.5, 0.4), (0.6, 0.2, 0.3)))
    assert expected == pytest.approx(6.7)
    assert solved(BAKERIES) == pytest.approx(expected)


def test_places_told_apart_by_one_lower_case_word_and_needs_with_the_verb_left_out() -> None:
    expected = _cheapest((90, 60), (50, 40, 45), ((4, 6, 5), (7, 3, 4)))
    assert solved(QUARRIES) == pytest.approx(expected)


def test_a_capacity_in_brackets_and_costs_listed_to_unnamed_destinations() -> None:
    expected = _cheapest((40, 30), (20, 25, 15), ((5, 8, 6), (7, 4, 5)))
    assert solved(DOCKS) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        BAKERIES.replace("8, 9 and 7", "8 and 9"),  # three cafes, two needs
        BAKERIES.replace("a loaf from", "10 loaves from"),  # costs per ten loaves: never read per loaf
        DOCKS.replace("$7, $4 and $5", "$7 and $4"),  # a cost missing
        QUARRIES.replace("site R 45 tonnes", "site R 45 percent"),  # a need that is no amount of sand
    ],
)
def test_a_place_left_without_its_amounts_still_declines(text: str) -> None:
    assert solved(text) is None


PLANTS = (
    "Two plants make 80 and 60 units a week. Store A needs 50 units, store B 40 units and store C 30 units. From "
    "the first plant a unit costs $3 to A, $5 to B and $4 to C; from the second {it} costs $6 to A, $2 to B and $3 "
    "to C. Minimise the shipping cost."
)


def test_counted_sources_shipping_to_named_places_with_a_bare_ordinal() -> None:
    expected = _cheapest((80, 60), (50, 40, 30), ((3, 5, 4), (6, 2, 3)))
    assert expected == 330
    assert solved(PLANTS.format(it="it")) == pytest.approx(expected)


def test_an_ordinal_of_something_else_is_no_source() -> None:
    assert solved(PLANTS.format(it="shift it")) is None
