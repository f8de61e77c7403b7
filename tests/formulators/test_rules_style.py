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


@pytest.mark.parametrize(
    "text",
    [
        CANDLES.replace("50 kg", "5 tons"),  # short or metric ton: not assumed
        CANDLES.replace("400 g", "14 ounces").replace("250 g", "9 ounces").replace("50 kg", "120 pounds"),
        KOMBUCHA.replace("150 litres", "40 gallons"),  # US or imperial gallon
    ],
    ids=["tons-against-grams", "pounds-against-ounces", "gallons-against-millilitres"],
)
def test_a_limit_in_a_unit_the_rules_cannot_convert_declines(text: str) -> None:
    assert declined(text)
