"""Large results a piece at a time: pages of nonzero values and the largest values, from the view
or from a plain dict alike. Oracle: the same selections written with sorted() over the dict."""

from __future__ import annotations

import numpy as np
import pytest

from nl2opt.paging import largest, page_of
from nl2opt.values import SolutionValues, VariableArray

N = 60
X = np.where(np.arange(N * N) % 7 == 0, 0.0, (np.arange(N * N) * 37 % 101) - 50.0)
"""A 60 x 60 variable: every seventh entry zero, the rest integers in [-50, 50] with many ties."""


def view() -> SolutionValues:
    members = [f"m{k}" for k in range(N)]
    return SolutionValues({"s": -75.0, "x": VariableArray(X.copy(), [members, members]), "z": 0.0})


def plain() -> dict:
    return view().to_dict()


@pytest.mark.parametrize("values", [view, plain], ids=["view", "dict"])
@pytest.mark.parametrize("number", [1, 2, 4, 99, 0])
def test_pages_cover_the_nonzero_values_in_key_order(values, number: int) -> None:
    nonzero = [(k, v) for k, v in plain()["x"].items() if v != 0]
    pages = -(-len(nonzero) // 1000)
    page = page_of(values(), "x", number, size=1000)
    expected_number = min(max(number, 1), pages)
    assert (page.number, page.pages, page.total) == (expected_number, pages, len(nonzero))
    assert list(page.items.items()) == nonzero[(expected_number - 1) * 1000 : expected_number * 1000]


@pytest.mark.parametrize("values", [view, plain], ids=["view", "dict"])
def test_largest_values_first_ties_in_order(values) -> None:
    flat = [("s", -75.0)] + [(f"x[{k}]", v) for k, v in plain()["x"].items()]
    nonzero = [(k, v) for k, v in flat if abs(v) > 1e-9]
    expected = sorted(nonzero, key=lambda kv: -abs(kv[1]))[:40]
    assert largest(values(), 40) == (expected, len(nonzero))
