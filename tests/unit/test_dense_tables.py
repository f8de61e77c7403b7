"""Dense parameter tables are checked as arrays: no Python call per cell, the same findings.

The oracle for shapes is the nested lists written out by hand; for "no per-cell Python" the
list walkers are replaced by ones that fail, so a rectangular table must be judged by numpy.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from nl2opt.check import check, tables
from nl2opt.spec import ModelSpec


def spec(values: Any) -> ModelSpec:
    return ModelSpec.model_validate(
        {
            "name": "table",
            "sets": [{"name": "I", "elements": ["a", "b", "c"]}, {"name": "J", "elements": ["x", "y"]}],
            "parameters": [{"name": "u", "index": ["I", "J"], "values": values}],
            "variables": [{"name": "v", "index": ["I", "J"]}],
            "objective": {"sense": "maximize", "expression": "sum(v[i, j] for i in I for j in J)"},
            "constraints": [{"name": "cap", "for": ["i in I", "j in J"], "expression": "v[i, j] <= u[i, j]"}],
        }
    )


def findings(values: Any) -> list[tuple[str, str, str]]:
    return [(d.code, d.where, d.message) for d in check(spec(values)) if d.code.startswith("check.parameter")]


@pytest.fixture
def no_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("a rectangular table was walked cell by cell")

    monkeypatch.setattr(tables, "_flat", refuse)
    monkeypatch.setattr(tables, "_shape", refuse)


def test_a_rectangular_table_is_judged_without_walking_it(no_walk: None) -> None:
    assert findings([[1, 2], [3, 4], [5, 6]]) == []


def test_a_table_of_the_wrong_shape_is_named_without_walking_it(no_walk: None) -> None:
    [(code, where, message)] = findings([[1, 2, 3], [4, 5, 6]])
    assert (code, where) == ("check.parameter-shape", "parameters[u].values")
    assert "got 2 x 3" in message and "transposed" in message


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_non_finite_cell_is_named_without_walking_it(no_walk: None, bad: float) -> None:
    [(code, where, message)] = findings([[1, 2], [3, bad], [5, 6]])
    assert (code, where) == ("check.parameter-non-finite", "parameters[u].values")
    assert f"contains {bad}" in message


def test_a_ragged_table_is_still_described_row_by_row() -> None:
    [(code, _, message)] = [f for f in findings([[1, 2], [3], [5, 6]]) if f[0] == "check.parameter-shape"]
    assert code == "check.parameter-shape" and "rows of different lengths" in message


def test_a_ragged_table_with_a_non_finite_cell_reports_both() -> None:
    codes = sorted(code for code, _, _ in findings([[1, 2], [math.inf], [5, 6]]))
    assert codes == ["check.parameter-non-finite", "check.parameter-shape"]
