"""Red-team texts for the item lists, unit conversions, proportions and per-decision bounds: near
variants of what each reader reads, differing in meaning (an exception to a bound on each, a ratio
that must differ, a price per dozen, one resource in two unit sizes, a unit prefix the table lacked).
Each truth is derived here by listing whole plans, never from nl2opt's output: the optimum, or a decline.
"""

from __future__ import annotations

import itertools

import pytest

from tests.formulators.test_rules_redteam import answer

CASES: list[tuple[str, str, object, bool]] = []


def add(mod: str, text: str, truth) -> None:
    CASES.append((mod, text, truth, False))


def ans(mod: str, text: str, truth) -> None:
    CASES.append((mod, text, truth, True))


POT = (
    "A pottery studio makes vases and bowls. Each vase requires 3 hours of kiln time and each bowl requires 1 "
    "hour of kiln time. The studio has 90 hours of kiln time available each week. A vase earns $40 profit and a "
    "bowl earns $15. {rule} How many vases and bowls should the studio make each week to maximize profit?"
)


def pot(holds) -> int:
    return max(40 * v + 15 * b for v, b in itertools.product(range(31), range(91)) if 3 * v + b <= 90 and holds(v, b))


ans("proportions", POT.format(rule="The ratio of vases to bowls must be at least 2."), pot(lambda v, b: v >= 2 * b))
ans("proportions", POT.format(rule="Bowls and vases are made in a ratio of 3 to 1."), pot(lambda v, b: b == 3 * v))
ans("proportions", POT.format(rule="For every 3 bowls, at least 1 vase must be made."), pot(lambda v, b: 3 * v >= b))
ans("proportions", POT.format(rule="The ratio of vases to bowls must not be less than 1:4."), pot(lambda v, b: 4 * v >= b))
ans("proportions", POT.format(rule="For every 2 vases, no more than 5 bowls may be made."), pot(lambda v, b: 2 * b <= 5 * v))
ans("proportions", POT.format(rule="Vases must be at least 20% of the bowls."), pot(lambda v, b: v >= 0.2 * b))
add("proportions", POT.format(rule="The ratio of bowls to vases must differ from 2."), None)  # was read 'bowls == 2 vases'
add("proportions", POT.format(rule="The ratio of bowls to vases must be at least 2 but at most 4."), None)
add("proportions", POT.format(rule="For every vase sold last year, 2 bowls were sold."), None)
add("proportions", POT.format(rule="For every dozen vases, at least 30 bowls must be made."), pot(lambda v, b: 12 * b >= 30 * v))

OV = (
    "A bakery rents time on two ovens, a gas oven and an electric oven. Each hour of the gas oven bakes 120 "
    "rolls and costs $30; each hour of the electric oven bakes 90 rolls and costs $20. At least 1,500 rolls "
    "must be baked. {rule} How many whole hours should each oven run to minimize the cost?"
)


def ov(holds):
    best = [30 * g + 20 * e for g, e in itertools.product(range(40), repeat=2) if 120 * g + 90 * e >= 1500 and holds(g, e)]
    return min(best) if best else "infeasible"


ans("bounds", OV.format(rule="Neither oven can run for more than 6 hours."), ov(lambda g, e: g <= 6 and e <= 6))
ans("bounds", OV.format(rule="Each oven must run for between 3 and 7 hours."), ov(lambda g, e: 3 <= g <= 7 and 3 <= e <= 7))
ans("bounds", OV.format(rule="No oven may run for under 2 hours."), ov(lambda g, e: g >= 2 and e >= 2))
add("bounds", OV.format(rule="Each oven must run for at least 3 hours, but the ovens together can run at most 14 hours."), ov(lambda g, e: g >= 3 and e >= 3 and g + e <= 14))
add("bounds", OV.format(rule="Each oven must run between 2 and 9 hours, and the gas oven at least 4."), ov(lambda g, e: 4 <= g <= 9 and 2 <= e <= 9))
add("bounds", OV.format(rule="None of the ovens can bake more than 900 rolls."), ov(lambda g, e: 120 * g <= 900 and 90 * e <= 900))
# answered 340 (the exception dropped), infeasible ('nor ... 15 hours between them' read as at least 15 each),
# infeasible ('apart from maintenance of 1 hour each' read as at most 1 each)
add("bounds", OV.format(rule="No oven can run for more than 9 hours, except the gas oven, which can run 12."), ov(lambda g, e: g <= 12 and e <= 9))
add("bounds", OV.format(rule="Neither oven can run for more than 9 hours, nor can they run for more than 15 hours between them."), ov(lambda g, e: g <= 9 and e <= 9 and g + e <= 15))
add("bounds", OV.format(rule="Each oven must run for at least 2 hours, and neither can run for more than 9 hours, apart from maintenance of 1 hour each."), None)
add("bounds", OV.format(rule="Each oven costs $50 to start and must run for at least 2 hours."), None)

CAN = (
    "A candle maker pours pillar candles and jar candles. A pillar candle uses 400 g of wax and 20 minutes "
    "of finishing, and a jar candle uses 250 g of wax and 10 minutes of finishing. The workshop has 50 kg of "
    "wax and 30 hours of finishing time for the week. A pillar candle earns $9 and a jar candle $5. How many "
    "of each should be poured to maximize profit?"
)


def can(pm=20, jm=10, wax=50_000):
    return max(9 * p + 5 * j for p, j in itertools.product(range(301), range(401)) if 400 * p + 250 * j <= wax and pm * p + jm * j <= 1800)


ans("conversions", CAN.replace("50 kg", "50,000 g"), can())
ans("conversions", CAN.replace("30 hours", "1,800 minutes"), can())
ans("conversions", CAN.replace("400 g", "0.4 kg").replace("250 g", "0.25 kg"), can())
ans("conversions", CAN.replace("50 kg", "50 tonnes"), can(wax=50_000_000))
add("conversions", CAN.replace("20 minutes", "20 seconds").replace("10 minutes", "10 seconds"), can(pm=1 / 3, jm=1 / 6))
add("conversions", CAN.replace("30 hours", "30 hours per day"), None)
add("conversions", CAN.replace("400 g", "0.4 kilograms"), can())  # was 810: '0.4' kg and '250' g summed as one unit

KOM = (
    "A kombucha brewer sells ginger and berry flavours by the bottle. A bottle of ginger uses 400 ml of tea "
    "base and a bottle of berry uses 300 ml of tea base. The brewery has 150 litres of tea base each week. At "
    "most 420 bottles can be labelled each week. Ginger earns $3 per bottle and berry $2.50. How many bottles "
    "of each flavour should be filled weekly to maximize profit?"
)


def kom(base=150_000):
    return max(3 * g + 2.5 * b for g, b in itertools.product(range(421), repeat=2) if 400 * g + 300 * b <= base and g + b <= 420)


ans("conversions", KOM.replace("150 litres", "150,000 ml"), kom())
add("conversions", KOM.replace("400 ml", "40 cl"), kom())
add("conversions", KOM.replace("400 ml of tea base", "0.4 litres of tea base"), kom())  # was 1125
add("conversions", KOM.replace("150 litres", "1.5 hectolitres"), kom())  # was 0: '1.5' read in ml
add("conversions", KOM.replace("150 litres", "150 kilolitres"), kom(base=150_000_000))  # was 0
add("conversions", KOM.replace("150 litres", "150 litres (or 40 gallons)"), None)

BRK = (
    "A hostel makes breakfast from servings of oats (30 cents, 5 g protein, 150 kcal), milk (50 cents, 8 g "
    "protein, 120 kcal) and eggs ($0.90, 12 g protein, 140 kcal). Each breakfast needs at least 20 g protein "
    "and at least 500 kcal. Whole servings only. What is the cheapest breakfast?"
)


def brk(prot=(5, 8, 12), holds=lambda *x: True):
    return min(
        0.3 * o + 0.5 * m + 0.9 * e
        for o, m, e in itertools.product(range(11), repeat=3)
        if prot[0] * o + prot[1] * m + prot[2] * e >= 20 and 150 * o + 120 * m + 140 * e >= 500 and holds(o, m, e)
    )


ans("itemlists", BRK.replace("(30 cents, 5 g protein, 150 kcal)", "(5 g protein, 30 cents, 150 kcal)"), brk())
add("itemlists", BRK.replace("Whole servings only. ", "Whole servings only, and at least 2 servings of milk. "), brk(holds=lambda o, m, e: m >= 2))
add("itemlists", BRK.replace("12 g protein", "12 mg protein"), brk(prot=(5, 8, 0.012)))
add("itemlists", BRK.replace("$0.90, 12 g protein, 140 kcal", "$0.90, 12 g protein"), None)
add("itemlists", BRK.replace("30 cents", "30 cents per 100 g"), None)
add("itemlists", BRK.replace("30 cents", "30 cents a dozen"), None)  # was 1.2: the dozen dropped
add("itemlists", BRK.replace("What is the cheapest breakfast?", "What is the breakfast with the most protein?"), None)

WS = (
    "A workshop makes stools (profit $30, 2 h cutting, 1 h sanding), benches (profit $50, 3 h cutting, "
    "2 h sanding) and shelves (profit $20, 1 h cutting, 1 h sanding). There are 40 hours of cutting and "
    "25 hours of sanding available. How many of each should it make to maximise profit?"
)


def ws(sand=(1, 2, 1), holds=lambda *x: True):
    return max(
        30 * s + 50 * b + 20 * h
        for s, b, h in itertools.product(range(41), repeat=3)
        if 2 * s + 3 * b + h <= 40 and sand[0] * s + sand[1] * b + sand[2] * h <= 25 and holds(s, b, h)
    )


add("itemlists", WS.replace("(profit $30, 2 h cutting, 1 h sanding)", "(profit $30, 1 h sanding, 2 h cutting)"), ws())
add("itemlists", WS.replace("2 h cutting, 1 h sanding", "2 h cutting, 30 min sanding", 1), ws(sand=(0.5, 2, 1)))
add("itemlists", WS.replace(" available.", " available, and at least 3 benches must be made."), ws(holds=lambda s, b, h: b >= 3))
add("itemlists", WS.replace("maximise profit", "maximise the number of items made"), None)
add("itemlists", WS.replace("profit $30", "profit $30 per dozen"), None)  # was 650: the dozen dropped

GR = (
    "A charity has $90,000 for new programmes this year. Four are proposed: a literacy club ($30,000, "
    "impact score 12), a food bank van ($45,000, impact score 20), a youth choir ($25,000, impact score 9) "
    "and a repair cafe ($20,000, impact score 8). Each programme is funded in full or not at all. "
    "Which programmes should be funded to maximise the total impact score?"
)


def gr(holds=lambda pick: True):
    return max(
        sum(v for v, p in zip((12, 20, 9, 8), pick) if p)
        for pick in itertools.product((0, 1), repeat=4)
        if sum(c for c, p in zip((30, 45, 25, 20), pick) if p) <= 90 and holds(pick)
    )


ans("itemlists", GR.replace("$90,000", "$90 thousand"), gr())
ans("itemlists", GR.replace("($30,000, impact score 12)", "(impact score 12, $30,000)"), gr())
add("itemlists", GR.replace("impact score 12", "impact score 12, staff 3"), None)
add("itemlists", GR.replace("($45,000, impact score 20)", "($45,000 a year for 2 years, impact score 20)"), None)
add("itemlists", GR.replace(" Each programme is funded in full or not at all.", " At most two programmes can be run."), gr(lambda p: sum(p) <= 2))


@pytest.mark.parametrize(
    ("module", "text", "truth", "must_answer"), CASES, ids=[f"{c[0]}-{k}" for k, c in enumerate(CASES)]
)
def test_a_variant_is_answered_right_or_declined(module: str, text: str, truth, must_answer: bool) -> None:
    got = answer(text)
    if truth is None:
        assert got is None, f"{module} must decline: {text}"
    elif must_answer:
        assert got is not None, f"{module} declined a text it reads: {text}"
    if got is None or truth is None:
        return
    if isinstance(truth, str):
        assert got == truth, text
    else:
        assert isinstance(got, float) and got == pytest.approx(float(truth)), text
