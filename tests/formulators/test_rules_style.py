"""Textbook phrasings a literal reader gets wrong: limits in a larger unit than the per-unit
amounts, bounds said of each decision, multiples of several decisions combined.

Each text is written for these tests; its optimum is found by brute force over small whole
numbers, never taken from the code. Each reading has a near miss that must still decline.
"""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.offline import declined, solved

CANDLES = (
    "A candle maker pours pillar candles and jar candles. A pillar candle uses 400 g of wax and 20 minutes "
    "of finishing, and a jar candle uses 250 g of wax and 10 minutes of finishing. The workshop has 50 kg of "
    "wax and 30 hours of finishing time for the week. A pillar candle earns $9 and a jar candle $5. How many "
    "of each should be poured to maximize profit?"
)
KOMBUCHA = (
    "A kombucha brewer sells ginger and berry flavours by the bottle. A bottle of ginger uses 400 ml of tea "
    "base and a bottle of berry uses 300 ml of tea base. The brewery has 150 litres of tea base each week. At "
    "most 420 bottles can be labelled each week. Ginger earns $3 per bottle and berry $2.50. How many bottles "
    "of each flavour should be filled weekly to maximize profit?"
)


def test_kilograms_available_against_grams_used_are_converted() -> None:
    best = max(
        9 * p + 5 * j
        for p, j in itertools.product(range(130), range(201))
        if 400 * p + 250 * j <= 50_000 and 20 * p + 10 * j <= 30 * 60
    )
    assert solved(CANDLES) == pytest.approx(best)


def test_litres_available_against_millilitres_used_are_converted() -> None:
    best = max(
        3 * g + 2.5 * b
        for g, b in itertools.product(range(376), range(501))
        if 400 * g + 300 * b <= 150_000 and g + b <= 420
    )
    assert solved(KOMBUCHA) == pytest.approx(best)


JOINERY = (
    "A joinery cuts picture frames and coat hooks from oak strip. A frame uses 160 cm of strip and a hook uses "
    "25 cm of strip. The joinery has 60 m of strip this week. A frame earns $12 and a hook earns $2. At most 100 "
    "hooks can be sold. How many frames and hooks should be cut to maximize profit?"
)
BAR = (
    "A bar mixes spritzers and sours. A spritzer uses 12 cl of wine and a sour uses 4 cl of wine. The bar has 9 "
    "litres of wine tonight. A spritzer earns $7 and a sour earns $6. At most 100 drinks of each kind can be "
    "served. How many of each should be mixed to maximize profit?"
)


def test_metres_available_against_centimetres_used_are_converted() -> None:
    best = max(12 * f + 2 * h for f, h in itertools.product(range(40), range(101)) if 160 * f + 25 * h <= 6_000)
    assert solved(JOINERY) == pytest.approx(best)


def test_litres_available_against_centilitres_used_are_converted() -> None:
    best = max(7 * a + 6 * b for a, b in itertools.product(range(101), repeat=2) if 12 * a + 4 * b <= 900)
    assert solved(BAR) == pytest.approx(best)


@pytest.mark.parametrize(
    "text",
    [
        JOINERY.replace("60 m of strip", "200 feet of strip"),
        JOINERY.replace("160 cm of strip", "0.2 square metres of veneer")
        .replace("25 cm of strip", "0.05 square metres of veneer")
        .replace("60 m of strip", "3000 square cm of veneer"),  # an area: not the length's factor
        CANDLES.replace("50 kg", "5 tons"),  # short or metric ton: not assumed
        CANDLES.replace("400 g", "14 ounces").replace("250 g", "9 ounces").replace("50 kg", "120 pounds"),
        KOMBUCHA.replace("150 litres", "40 gallons"),  # US or imperial gallon
    ],
    ids=["feet-against-cm", "square-cm-against-square-metres", "tons-against-grams", "pounds-against-ounces", "gallons-against-ml"],
)
def test_a_limit_in_a_unit_the_rules_cannot_convert_declines(text: str) -> None:
    assert declined(text)


OVENS = (
    "A bakery rents time on two ovens, a gas oven and an electric oven. Each hour of the gas oven bakes 120 "
    "rolls and costs $30; each hour of the electric oven bakes 90 rolls and costs $20. At least 1,500 rolls "
    "must be baked. {rule} How many whole hours should each oven run to minimize the cost?"
)
WASHERS = (
    "A laundry runs two washers, a front loader and a top loader. Each hour of the front loader washes 14 loads "
    "and costs $6; each hour of the top loader washes 10 loads and costs $4. At least 150 loads must be washed "
    "today. {rule} How many whole hours should each run to minimize the cost?"
)


@pytest.mark.parametrize(
    "rule",
    [
        "Each oven must run for at least 2 hours, and neither can run for more than 9 hours.",
        "Each of the ovens must run at least 2 hours and at most 9 hours.",
        "Every oven must run for between 2 and 9 hours.",
        "Both ovens must run from 2 to 9 hours.",
        "Neither oven can run for less than 2 hours or more than 9 hours.",
        "From 2 to 9 hours must be spent on each oven.",
        "Each oven must run for at least 2 hours, and no oven can run for more than 9 hours.",
        "None of the ovens can run for fewer than 2 hours or for more than 9 hours.",
    ],
    ids=["each-and-neither", "each-of-and-at-most", "between", "both-from-to", "neither-or", "on-each", "no-oven", "none-of"],
)
def test_bounds_said_of_each_decision_bound_every_one_alone(rule: str) -> None:
    best = min(
        30 * g + 20 * e
        for g, e in itertools.product(range(2, 10), repeat=2)
        if 120 * g + 90 * e >= 1500
    )
    assert solved(OVENS.format(rule=rule)) == pytest.approx(best)


def test_a_range_said_of_the_decisions_together_bounds_their_total() -> None:
    best = min(
        30 * g + 20 * e
        for g, e in itertools.product(range(21), repeat=2)
        if 120 * g + 90 * e >= 1500 and 4 <= g + e <= 14
    )
    assert solved(OVENS.format(rule="The ovens together must run between 4 and 14 hours.")) == pytest.approx(best)


@pytest.mark.parametrize(
    "text",
    [
        # 'washer' names the decisions only through an apposition: each washer, or the washers together?
        WASHERS.format(rule="Each washer must run for at least 3 hours, and neither can run for more than 10 hours."),
        WASHERS.format(rule="Each of the washers must run at least 3 hours and at most 10 hours."),
        OVENS.format(rule="Neither oven may run for more than 9 hours unless the other runs for at least 2 hours."),
    ],
    ids=["each-unknown-noun", "each-of-unknown-noun", "unless"],
)
def test_a_bound_on_each_of_something_not_known_to_be_the_decisions_declines(text: str) -> None:
    assert declined(text)


FLORIST = (
    "A florist is preparing up to 80 arrangements as posies, bouquets or baskets. Materials cost $6 for a posy, "
    "$15 for a bouquet and $25 for a basket, and the budget is $900. The profit is $9 for a posy, $20 for a "
    "bouquet and $32 for a basket. {rule} How many arrangements of each type should be made to maximize profit?"
)


def test_a_multiple_of_several_decisions_combined_is_a_multiple_of_their_sum() -> None:
    rule = "The number of posies must be at least twice the number of bouquets and baskets combined."
    best = max(
        9 * p + 20 * b + 32 * k
        for p, b, k in itertools.product(range(81), range(61), range(37))
        if 6 * p + 15 * b + 25 * k <= 900 and p + b + k <= 80 and p >= 2 * (b + k)
    )
    assert solved(FLORIST.format(rule=rule)) == pytest.approx(best)


@pytest.mark.parametrize(
    "rule",
    [
        "The number of posies must be at least twice the number of bouquets and baskets.",  # together, or each?
        "There must be at least twice as many posies as bouquets or baskets.",
    ],
    ids=["no-word-for-together", "or"],
)
def test_a_multiple_of_several_decisions_not_said_to_be_combined_declines(rule: str) -> None:
    assert declined(FLORIST.format(rule=rule))


POTTERY = (
    "A pottery studio makes vases and bowls. Each vase requires 3 hours of kiln time and each bowl requires 1 "
    "hour of kiln time. The studio has 90 hours of kiln time available each week. A vase earns $40 profit and a "
    "bowl earns $15. {rule} How many vases and bowls should the studio make each week to maximize profit?"
)


@pytest.mark.parametrize(
    ("rule", "holds"),
    [
        ("The ratio of bowls to vases must be at least 2.", lambda v, b: b >= 2 * v),
        ("The ratio of bowls to vases should not exceed 5:2.", lambda v, b: 2 * b <= 5 * v),
        ("Vases and bowls are made in a ratio of 1:3.", lambda v, b: b == 3 * v),
        ("For every vase, at least 2 bowls must be made.", lambda v, b: b >= 2 * v),
        ("For every 2 vases made, at most 3 bowls can be made.", lambda v, b: 2 * b <= 3 * v),
        ("Bowls must be at least 60% of the total number of vases and bowls.", lambda v, b: b >= 0.6 * (v + b)),
    ],
    ids=["ratio-at-least", "ratio-not-exceed-n-to-m", "in-a-ratio", "for-every", "for-every-k", "share-of-total"],
)
def test_a_proportion_between_two_decisions_is_a_ratio_row(rule: str, holds) -> None:
    best = max(40 * v + 15 * b for v, b in itertools.product(range(31), range(91)) if 3 * v + b <= 90 and holds(v, b))
    assert solved(POTTERY.format(rule=rule)) == pytest.approx(best)


@pytest.mark.parametrize(
    "rule",
    [
        "The studio must make as many bowls as vases.",  # equal, or at least as many?
        "The number of bowls must equal the number of vases.",
        "The studio makes the same number of bowls as vases.",
        "The ratio of bowls to vases must be between 2 and 3.",
        "For every vase, the studio makes 2 bowls and 1 lid.",
    ],
    ids=["as-many-as", "equal", "same-number", "ratio-between", "for-every-with-more"],
)
def test_a_proportion_in_a_form_the_rules_do_not_read_declines(rule: str) -> None:
    assert declined(POTTERY.format(rule=rule))


SAVINGS = (
    "Omar has $50,000 to invest in a savings bond and an index fund. The savings bond returns 3% per year and "
    "the index fund returns 8% per year. {rule} How much should he invest in each to maximize his annual return?"
)


def test_a_money_difference_written_with_exceed_by_is_read() -> None:
    rule = "The amount in the savings bond must exceed the amount in the index fund by at least $10,000."
    # b - f >= 10,000 and b + f <= 50,000: the fund takes half of what is left after the gap
    assert solved(SAVINGS.format(rule=rule)) == pytest.approx(0.03 * 30_000 + 0.08 * 20_000)


@pytest.mark.parametrize(
    "rule",
    [
        "He wants at least $10,000 more in the savings bond than in the index fund.",
        "For every dollar in the index fund, at least 50 cents must be in the savings bond.",
    ],
    ids=["money-more-than", "for-every-dollar"],
)
def test_a_money_proportion_the_rules_do_not_pair_declines(rule: str) -> None:
    assert declined(SAVINGS.format(rule=rule))


@pytest.mark.parametrize(
    ("rule", "holds"),
    [
        ("The studio must make at least twenty-five bowls.", lambda v, b: b >= 25),
        ("The studio must make at least a dozen vases.", lambda v, b: v >= 12),
        ("At most two dozen vases can be sold.", lambda v, b: v <= 24),
        ("The studio must make at least 3 dozen bowls.", lambda v, b: b >= 36),
    ],
    ids=["hyphenated-number-word", "a-dozen", "two-dozen", "digits-dozen"],
)
def test_a_number_written_as_hyphenated_words_or_dozens_is_read(rule: str, holds) -> None:
    best = max(40 * v + 15 * b for v, b in itertools.product(range(31), range(91)) if 3 * v + b <= 90 and holds(v, b))
    assert solved(POTTERY.format(rule=rule)) == pytest.approx(best)


@pytest.mark.parametrize(
    "rule",
    ["At most two-thirds of the items made can be bowls.", "Bowls must make up at least one-half of the items made."],
    ids=["two-thirds", "one-half"],
)
def test_a_hyphenated_fraction_is_never_dropped(rule: str) -> None:
    assert declined(POTTERY.format(rule=rule))


@pytest.mark.parametrize(
    "rule",
    [
        "The studio must make at least a couple of vases.",
        "The studio must make no less than a score of bowls.",
        "At least several vases must be made.",
        "The number of bowls cannot be more than 40 above the number of vases.",
    ],
    ids=["a-couple", "a-score", "several", "above-another-decision"],
)
def test_a_comparison_whose_amount_the_rules_cannot_read_declines(rule: str) -> None:
    assert declined(POTTERY.format(rule=rule))


def test_a_comparison_of_two_decisions_and_a_rounding_remark_are_still_read() -> None:
    text = POTTERY.format(rule="There must be at least as many bowls as vases.") + " Round the answer to the nearest dollar."
    best = max(40 * v + 15 * b for v, b in itertools.product(range(31), range(91)) if 3 * v + b <= 90 and b >= v)
    assert solved(text) == pytest.approx(best)


BAKE_SALE = (
    "A school bake sale makes muffins and scones. Each muffin requires 40 g of flour and each scone requires 60 g "
    "of flour. The school has 6 kg of flour. A muffin sells for $2 and a scone sells for $3. At least 20 muffins "
    "must be made. How many muffins and scones should be baked to maximize {goal}?"
)


def test_an_objective_named_by_its_money_uses_the_prices() -> None:
    best = max(2 * m + 3 * s for m, s in itertools.product(range(151), range(101)) if 40 * m + 60 * s <= 6_000 and m >= 20)
    assert solved(BAKE_SALE.format(goal="revenue")) == pytest.approx(best)


def test_an_objective_read_as_a_count_while_prices_go_unused_declines() -> None:
    assert declined(BAKE_SALE.format(goal="its takings"))  # 'takings': money, not the number of cakes


def test_a_vague_amount_per_decision_declines() -> None:
    assert declined(POTTERY.format(rule="The studio must make at least a couple of bowls for every vase."))


TOYS = (
    "A toy factory makes robots, puzzles and kites. Each robot requires 3 hours of assembly, each puzzle requires "
    "1 hour and each kite requires 2 hours. The factory has 120 hours of assembly time each week. A robot earns "
    "$25 profit, a puzzle $9 and a kite $16. {rule} How many of each should the factory make each week to "
    "maximize profit?"
)


def _toys(holds) -> float:
    return max(
        25 * r + 9 * p + 16 * k
        for r, p, k in itertools.product(range(41), range(121), range(61))
        if 3 * r + p + 2 * k <= 120 and holds(r, p, k)
    )


@pytest.mark.parametrize(
    ("rule", "holds"),
    [
        ("Robots and kites together cannot exceed 30 units.", lambda r, p, k: r + k <= 30),
        ("The number of kites cannot exceed the number of robots and puzzles combined.", lambda r, p, k: k <= r + p),
    ],
    ids=["two-of-three-together", "one-against-two-combined"],
)
def test_a_total_over_some_of_three_decisions_covers_only_those(rule: str, holds) -> None:
    assert solved(TOYS.format(rule=rule)) == pytest.approx(_toys(holds))


def test_a_comparison_among_three_decisions_not_said_to_be_combined_declines() -> None:
    assert declined(TOYS.format(rule="The number of kites cannot exceed the number of robots or puzzles."))


ADS = (
    "A theatre advertises on radio and television. A radio ad costs $500 and reaches 6,000 people; a television "
    "ad costs $2,500 and reaches 40,000 people. The advertising budget is $15,000. {rule} How many ads of each "
    "type should the theatre buy to maximize the number of people reached?"
)


def test_a_ratio_of_the_numbers_of_ads_is_read_on_the_counts() -> None:
    rule = "The number of radio ads must be at least twice the number of television ads."
    best = max(
        6_000 * r + 40_000 * t
        for r, t in itertools.product(range(31), range(7))
        if 500 * r + 2_500 * t <= 15_000 and r >= 2 * t
    )
    assert solved(ADS.format(rule=rule)) == pytest.approx(best)


@pytest.mark.parametrize(
    "rule",
    [
        "Radio spending must be at least a quarter of television spending.",
        "The amount spent on television cannot exceed three times the amount spent on radio.",
    ],
    ids=["spending-share", "amount-spent"],
)
def test_a_ratio_of_money_spent_on_counted_decisions_declines(rule: str) -> None:
    assert declined(ADS.format(rule=rule))


def test_a_limit_for_another_period_than_the_plan_declines() -> None:
    text = (
        "A cabinet shop makes desks and shelves. Each desk requires 5 hours of labour and each shelf requires 2 hours "
        "of labour. The shop has {limit}. A desk earns $70 profit and a shelf earns $25. How many desks and shelves "
        "should the shop make each week to maximize profit?"
    )
    best = max(70 * d + 25 * s for d, s in itertools.product(range(41), range(101)) if 5 * d + 2 * s <= 200)
    assert solved(text.format(limit="200 hours of labour available each week")) == pytest.approx(best)
    assert declined(text.format(limit="40 hours of labour available each day"))  # how many days make its week?


SHOP = (
    "A cabinet shop makes desks and shelves. Each desk requires 5 hours of labour and each shelf requires 2 hours "
    "of labour. The shop has 200 hours of labour available each week{extra}. A desk earns $70 profit and a shelf "
    "earns $25{cost}. How many desks and shelves should the shop make each week to maximize profit?"
)


def test_a_plain_capacity_and_profit_are_read() -> None:
    best = max(70 * d + 25 * s for d, s in itertools.product(range(41), range(101)) if 5 * d + 2 * s <= 200)
    assert solved(SHOP.format(extra="", cost="")) == pytest.approx(best)


@pytest.mark.parametrize(
    ("extra", "cost"),
    [
        (", but 30 of those hours are set aside for repairs", ""),  # two amounts of one resource
        ("", ", but each desk also carries a $6 delivery cost"),  # netted already, or to subtract?
    ],
    ids=["hours-set-aside", "unused-cost"],
)
def test_an_amount_that_changes_a_read_limit_or_profit_declines(extra: str, cost: str) -> None:
    assert declined(SHOP.format(extra=extra, cost=cost))


def test_an_amount_for_every_so_many_of_a_decision_reads_only_when_written_out() -> None:
    best = max(40 * v + 15 * b for v, b in itertools.product(range(31), range(91)) if 3 * v + b <= 90 and 3 * v >= b)
    assert solved(POTTERY.format(rule="The studio must make at least 1 vase for every 3 bowls.")) == pytest.approx(best)
    charity = (
        "A charity assigns volunteers to its kitchen and to delivery. A kitchen volunteer costs $30 a day in meals and "
        "travel, and a delivery volunteer costs $45 a day. It needs at least 24 volunteers in total. Delivery needs at "
        "least one volunteer for every three in the kitchen. How many volunteers should be assigned to each to "
        "minimize the daily cost?"
    )
    assert declined(charity)  # 'one volunteer for every three in the kitchen': not 'delivery >= 1, kitchen >= 3'


PORTFOLIO = (
    "A trust has $120,000 to invest in shares, gilts and property. Shares return 7% per year, gilts 3% and "
    "property 5%. {rule} How much should be invested in each to maximize the annual return?"
)


def test_a_share_held_by_one_decision_is_read() -> None:
    rule = "At most 40% of the money can go into shares, and the amount in property cannot exceed the amount in gilts."
    # shares take their 40%; property and gilts split the rest evenly
    assert solved(PORTFOLIO.format(rule=rule)) == pytest.approx(0.07 * 48_000 + 0.05 * 36_000 + 0.03 * 36_000)


@pytest.mark.parametrize(
    "rule",
    [
        "At least half of the money must be invested in gilts and property together.",
        "At least 50% of the money must be in gilts and property.",
    ],
    ids=["half-of-the-money", "percent-of-the-money"],
)
def test_a_share_held_by_several_decisions_together_declines(rule: str) -> None:
    assert declined(PORTFOLIO.format(rule=rule))


def test_an_amount_of_something_each_decision_has_is_no_bound_on_every_decision() -> None:
    text = (
        "A removals firm uses vans and lorries. A van can carry 20 crates and a lorry can carry 50 crates. At least "
        "400 crates must be moved. {rule} How many vehicles of each type should be used to minimize the number of "
        "vehicles?"
    )
    best = min(v + lo for v, lo in itertools.product(range(21), range(9)) if 20 * v + 50 * lo >= 400 and lo <= 6)
    assert solved(text.format(rule="At most 6 lorries are available.")) == pytest.approx(best)
    assert declined(text.format(rule="The vans can make at most 2 trips each."))  # trips per van, not vans <= 2


MUFFINS = (
    "A bakery makes muffins and cookies. Each muffin requires 3 minutes of oven time and each cookie requires 1 "
    "minute of oven time. The bakery has 300 minutes of oven time each day. A muffin costs $0.80 to make and sells "
    "for $2, and a cookie costs $0.20 and sells for $0.50. How many of each should be baked to {goal}?"
)


@pytest.mark.parametrize(
    ("goal", "per_muffin", "per_cookie"),
    [("maximize profit", 1.2, 0.3), ("maximize revenue", 2.0, 0.5)],
    ids=["profit-nets-the-cost", "revenue-ignores-the-cost"],
)
def test_prices_and_costs_give_profit_or_revenue_as_asked(goal: str, per_muffin: float, per_cookie: float) -> None:
    best = max(per_muffin * m + per_cookie * c for m, c in itertools.product(range(101), range(301)) if 3 * m + c <= 300)
    assert solved(MUFFINS.format(goal=goal)) == pytest.approx(best)


def test_two_objectives_asked_at_once_decline() -> None:
    assert declined(MUFFINS.format(goal="maximize profit and minimize waste"))


def test_a_bound_said_of_listed_decisions_each_bounds_every_one() -> None:
    text = (
        "A lab splits machine time between two assays, P and Q. Each hour on P costs $\\$35$ and each hour on Q "
        "costs $\\$55$. The combined hours must be at least 40. {rule} The lab wants to minimize the total cost. "
        "What is the minimum cost in dollars, given that P and Q must be whole numbers?"
    )
    each = "P and Q must each be at least 12."
    best = min(35 * p + 55 * q for p, q in itertools.product(range(41), repeat=2) if p + q >= 40 and p >= 12 and q >= 12)
    assert solved(text.format(rule=each)) == pytest.approx(best)
    together = "P and Q must together be no more than 60."
    best = min(35 * p + 55 * q for p, q in itertools.product(range(61), repeat=2) if 40 <= p + q <= 60)
    assert solved(text.format(rule=together)) == pytest.approx(best)
