"""A price per a batch of units ('$18 per dozen', '$20 per thousand') is not a price per unit: the
scalar rules, which give each decision one price per unit, decline it rather than be 12x or 1000x
off. The same texts priced per unit are read (so the decline is about the batch, nothing else)."""

from __future__ import annotations

import pytest

from tests.formulators.offline import declined, solved

BAKERY = (
    "A bakery makes muffins and cookies. Muffins sell for $18 per dozen and cookies for $6 per dozen. "
    "A muffin needs 2 minutes of oven time and a cookie 1 minute; there are 600 minutes of oven time. "
    "How many muffins and cookies maximise revenue?"
)
PRINTER = (
    "A printer prints flyers and posters. Flyers earn $20 per thousand and posters $2 each. Each flyer takes "
    "0.01 hours and each poster 0.1 hours; 50 hours are available. How many of each maximise profit?"
)


@pytest.mark.parametrize("text", [BAKERY, PRINTER])
def test_a_price_per_a_batch_declines(text: str):
    assert declined(text)


def test_the_same_text_priced_per_unit_is_read():
    """Per unit: muffins $1.50, cookies $0.50; oven 2m + c <= 600. Revenue per oven minute is 0.75 for a
    muffin and 0.5 for a cookie, so 300 muffins: $450."""
    per_unit = BAKERY.replace("$18 per dozen", "$1.50 each").replace("$6 per dozen", "$0.50 each")
    assert solved(per_unit) == pytest.approx(450)
