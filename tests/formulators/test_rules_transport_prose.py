"""Transportation plans in everyday prose: numbered places, any 'can <verb> up to' and a verb left out.

Each optimum is found in the test by brute force over whole-unit plans (a transportation
LP with whole-number data has a whole-number optimum), never from nl2opt's own output.
Each phrasing has a near miss that leaves a fact unstated: it must still decline.
"""

from __future__ import annotations

import itertools

import pytest

from nl2opt.formulators.rules import RulesFormulator
from nl2opt.spec import Domain
from tests.formulators.offline import solved


def _brute_force(
    supply: dict[str, int],
    demand: dict[str, int],
    cost: dict[tuple[str, str], float],
    cap: dict[tuple[str, str], int] | None = None,
) -> float:
    """Two sources: choose what the first sends to each place; the second covers the rest."""
    cap = cap or {}
    first, second = supply
    best = float("inf")
    for sent in itertools.product(*(range(supply[first] + 1) for _ in demand)):
        if sum(sent) > supply[first]:
            continue
        rest = {d: max(0, need - s) for (d, need), s in zip(demand.items(), sent, strict=True)}
        sends = {
            **{(first, d): s for d, s in zip(demand, sent, strict=True)},
            **{(second, d): r for d, r in rest.items()},
        }
        if sum(rest.values()) > supply[second] or any(sends[k] > most for k, most in cap.items()):
            continue
        best = min(
            best,
            sum(cost[(first, d)] * s for d, s in zip(demand, sent, strict=True))
            + sum(cost[(second, d)] * r for d, r in rest.items()),
        )
    return best


MILLS = (
    "Two mills, Upper and Lower, send flour to two bakeries. Upper can grind up to 90 sacks a week "
    "and Lower up to 60 sacks. Bakery P needs 70 sacks and bakery Q needs 50 sacks. Sending one sack "
    "costs $3 from Upper to P, $5 from Upper to Q, $6 from Lower to P and $2 from Lower to Q. "
    "What is the cheapest way to supply both bakeries?"
)
MILLS_COST = {("Upper", "P"): 3, ("Upper", "Q"): 5, ("Lower", "P"): 6, ("Lower", "Q"): 2}


def test_a_supply_verb_left_out_after_and_is_read_as_the_same_limit() -> None:
    expected = _brute_force({"Upper": 90, "Lower": 60}, {"P": 70, "Q": 50}, MILLS_COST)
    assert expected == 310  # Upper sends 70 to P, Lower 50 to Q
    assert solved(MILLS) == pytest.approx(expected)


def test_a_place_with_no_amount_after_and_still_declines() -> None:
    text = MILLS.replace("and Lower up to 60 sacks", "and Lower grinds the rest")
    formulation = RulesFormulator().formulate(text)
    assert formulation.spec is None
    assert "Lower to P" in " ".join(d.message for d in formulation.diagnostics)


@pytest.mark.parametrize(
    "limit",
    [
        "The Upper to P lorry can carry no more than 40 sacks.",
        "The Upper-P road can take at most 40 sacks a week.",
    ],
    ids=["pair", "hyphen"],
)
def test_a_limit_on_one_route_bounds_that_route(limit: str) -> None:
    expected = _brute_force({"Upper": 90, "Lower": 60}, {"P": 70, "Q": 50}, MILLS_COST, {("Upper", "P"): 40})
    assert expected == 460  # P: 40 from Upper, 30 from Lower; Q: 30 from Lower, 20 from Upper
    assert solved(MILLS.replace(" What is", f" {limit} What is")) == pytest.approx(expected)


def test_a_lower_limit_on_one_route_is_not_read_as_a_cap() -> None:
    text = MILLS.replace(" What is", " The Upper to P lorry must carry at least 40 sacks. What is")
    formulation = RulesFormulator().formulate(text)
    assert formulation.spec is None
    assert any("at least 40" in u for u in formulation.unread), formulation.unread


SHOPS = (
    "A wholesaler moves boxes from depots Alpha and Beta to three shops. Alpha has 50 boxes and Beta "
    "has 40 boxes. Shop 1 needs at least 30 boxes, Shop 2 needs at least 25 boxes and Shop 3 needs at "
    "least 20 boxes. Moving one box costs $4 from Alpha to Shop 1, $2 from Alpha to Shop 2, $7 from "
    "Alpha to Shop 3, $3 from Beta to Shop 1, $6 from Beta to Shop 2 and $1 from Beta to Shop 3. "
    "How many boxes should go on each route to minimize the total cost?"
)


def test_numbered_shops_are_places_named_by_their_numbers() -> None:
    cost = {
        ("Alpha", "1"): 4,
        ("Alpha", "2"): 2,
        ("Alpha", "3"): 7,
        ("Beta", "1"): 3,
        ("Beta", "2"): 6,
        ("Beta", "3"): 1,
    }
    expected = _brute_force({"Alpha": 50, "Beta": 40}, {"1": 30, "2": 25, "3": 20}, cost)
    assert expected == 170  # Alpha: 25 to shop 2, 10 to shop 1 (90); Beta: 20 to shops 1 and 3 (80)
    assert solved(SHOPS) == pytest.approx(expected)


def test_a_numbered_shop_with_no_stated_need_still_declines() -> None:
    text = SHOPS.replace(" and Shop 3 needs at least 20 boxes", "")
    formulation = RulesFormulator().formulate(text)
    assert formulation.spec is None
    assert "Alpha to 3" in " ".join(d.message for d in formulation.diagnostics)


PALLETS = (
    "Depot 1 has 12 pallets and depot 2 has 9. Shop K needs 7 pallets, shop L needs 8 and shop M needs 5. "
    "A pallet sent from depot 1 costs $20 to K, $35 to L and $15 to M; from depot 2 it costs $30 to K, "
    "$10 to L and $25 to M. Pallets cannot be split. What is the minimum cost?"
)


def test_costs_listed_per_source_and_whole_units_are_read() -> None:
    cost = {("1", "K"): 20, ("1", "L"): 35, ("1", "M"): 15, ("2", "K"): 30, ("2", "L"): 10, ("2", "M"): 25}
    expected = _brute_force({"1": 12, "2": 9}, {"K": 7, "L": 8, "M": 5}, cost)
    assert expected == 295  # depot 1: K and M in full (215); depot 2: L (80)
    formulation = RulesFormulator().formulate(PALLETS)
    assert formulation.spec is not None, [d.message for d in formulation.diagnostics]
    assert formulation.spec.variables[0].domain == Domain.INTEGER
    assert solved(PALLETS) == pytest.approx(expected)


def test_a_listed_cost_with_no_destination_still_declines() -> None:
    formulation = RulesFormulator().formulate(PALLETS.replace("$25 to M", "$25 for the rest"))
    assert formulation.spec is None


ORCHARDS = (
    "Our orchards in Ayr and Troon grow 30 and 20 crates a week; the shops in Perth, Crieff and Oban need "
    "15, 20 and 10 crates. Haulage per crate: Ayr to Perth £3, Ayr to Crieff £5, Ayr to Oban £4, Troon to "
    "Perth £6, Troon to Crieff £2, Troon to Oban £7. Which haulage plan costs least?"
)


def test_places_and_amounts_listed_in_the_same_order_are_paired() -> None:
    cost = {
        ("Ayr", "Perth"): 3,
        ("Ayr", "Crieff"): 5,
        ("Ayr", "Oban"): 4,
        ("Troon", "Perth"): 6,
        ("Troon", "Crieff"): 2,
        ("Troon", "Oban"): 7,
    }
    expected = _brute_force({"Ayr": 30, "Troon": 20}, {"Perth": 15, "Crieff": 20, "Oban": 10}, cost)
    assert expected == 125  # Troon: Crieff (40); Ayr: Perth and Oban (85)
    assert solved(ORCHARDS) == pytest.approx(expected)


def test_lists_whose_counts_disagree_still_decline() -> None:
    formulation = RulesFormulator().formulate(ORCHARDS.replace("need 15, 20 and 10", "need 15 and 20"))
    assert formulation.spec is None
