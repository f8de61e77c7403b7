"""Multi-period production plans told as a story, read offline: named periods (seasons,
months), numbers on either side of a period's name, one number for every period, a stored
unit's cost per move or per month, an opening stock and the room in the store. Each optimum
is found in the test by enumerating whole production plans; each near miss must decline."""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.offline import declined, solved


def _least_cost(demand, unit_cost, hold, cap, opening=0, room=None) -> float:
    """Every plan of whole units, made[t] in 0..cap (or cap[t]); stock carried over costs ``hold`` per unit per period."""
    best = None
    caps = cap if isinstance(cap, list) else [cap] * len(demand)
    for made in itertools.product(*(range(c + 1) for c in caps)):
        stock, cost = opening, 0.0
        for t, m in enumerate(made):
            stock += m - demand[t]
            if stock < 0 or (room is not None and stock > room):
                break
            cost += unit_cost[t] * m + hold * stock
        else:
            best = cost if best is None else min(best, cost)
    assert best is not None
    return best


KAYAKS = (
    "A kayak maker plans for autumn and winter. Autumn orders are 40 kayaks and winter orders 70. "
    "The shop can build up to 55 kayaks per season. A kayak built in autumn costs $300 and one built in "
    "winter $340; a kayak kept from autumn to winter costs $25 to store. What is the lowest total cost?"
)


def test_two_seasons_with_each_number_after_its_season():
    assert solved(KAYAKS) == pytest.approx(_least_cost([40, 70], [300, 340], 25, 55))  # 35,300


PIES = (
    "A bakery plans pies for October and November. In October it can bake up to 400 pies at $3 each, in November "
    "300 at $4; keeping a pie frozen for a month costs $0.50; customers want 250 pies in October and 420 in November. "
    "What is the cheapest plan?"
)


def test_a_capacity_and_a_cost_per_period_in_one_clause():
    assert solved(PIES) == pytest.approx(_least_cost([250, 420], [3, 4], 0.5, [400, 300]))


CRATES = (
    "We start with 10 crates in stock. Customers need 60 crates in June, 90 in July and 50 in August. "
    "We can pack at most 70 crates a month. Packing costs $4 per crate in June, $5 in July and $7 in August. "
    "Keeping a crate for a month costs $1 per month, and the shed has room for 25 crates. "
    "Which plan costs the least?"
)


def test_three_months_with_an_opening_stock_and_room_in_the_store():
    assert solved(CRATES) == pytest.approx(_least_cost([60, 90, 50], [4, 5, 7], 1, 70, opening=10, room=25))


def _least_cost_with_overtime(demand, regular_cost, cap, over_cap, over_cost, hold) -> float:
    """Every plan of whole units on regular time and on overtime."""
    best = None
    ranges = [range(cap + 1) for _ in demand] + [range(c + 1) for c in over_cap]
    for plan in itertools.product(*ranges):
        made, over = plan[: len(demand)], plan[len(demand) :]
        stock, cost = 0, 0.0
        for t in range(len(demand)):
            stock += made[t] + over[t] - demand[t]
            if stock < 0:
                break
            cost += regular_cost[t] * made[t] + over_cost[t] * over[t] + hold * stock
        else:
            best = cost if best is None else min(best, cost)
    assert best is not None
    return best


GREENHOUSE = (
    "A greenhouse must supply 30 trays of seedlings in week 1, 55 in week 2 and 40 in week 3. "
    "Regular staff can pot up to 40 trays a week, at $6 a tray in week 1, $6 in week 2 and $7 in week 3. "
    "In week 2 an overtime crew can pot up to 12 extra trays at $9 a tray. "
    "A tray kept for a week costs $2 per week. What is the cheapest plan?"
)


def test_an_overtime_line_in_one_period_only():
    expected = _least_cost_with_overtime([30, 55, 40], [6, 6, 7], 40, [0, 12, 0], [0, 9, 0], 2)
    assert solved(GREENHOUSE) == pytest.approx(expected)


@pytest.mark.parametrize(
    "near_miss",
    [
        CRATES.replace("Which plan", "In July we can also pack more crates on overtime at $9 each. Which plan"),
        GREENHOUSE.replace(" at $9 a tray", ""),  # overtime without its cost
        CRATES.replace("Keeping a crate for a month costs $1 per month", "Keeping a crate from June to July costs $1"),
        CRATES.replace("Which plan costs the least?", "We want 15 crates left at the end of August. Which plan costs the least?"),
        KAYAKS.replace("autumn", "summer").replace("Autumn", "Spring"),  # spring and winter do not follow one another
        KAYAKS.replace("What is the lowest total cost?", "What is the largest profit if a kayak sells for $500?"),
        KAYAKS.replace("What is", "Winter building is allowed only if autumn building is at capacity. What is"),  # logic unread
    ],
)
def test_a_plan_the_reader_cannot_place_every_number_of_is_declined(near_miss: str):
    assert declined(near_miss)
