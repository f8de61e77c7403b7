"""Result.values is a view over the solver's array that reads, prints and serialises as the dict.

Oracles: the hand-derived optimum of a model in which every x[i, j] reaches its own bound
u[i, j] (so each entry has a value no other shares), keys written tuple by tuple with
``index_key`` over ``itertools.product`` of the members, and Python's ``round``.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
import pickle
from typing import Any

import numpy as np
import pytest

from nl2opt import Result, Status, solve_spec
from nl2opt.explain import explain
from nl2opt.export import values_csv, write_values_csv
from nl2opt.result import index_key
from nl2opt.values import SolutionValues, VariableArray, clean

ROWS = ["a", "a,b", "[c", 3]
COLS = ["x", "y,z", "w"]
ARCS = [["p", "q"], ["p", "r,s"], ["t", "u"]]


def _bound(i: int, j: int) -> int:
    return 10 * (i + 1) + j + 1


SPEC: dict[str, Any] = {
    "name": "every entry its own value",
    "sets": [
        {"name": "I", "elements": ROWS},
        {"name": "J", "elements": COLS},
        {"name": "K", "elements": ["k1", "k2"]},
        {"name": "A", "elements": ARCS},
    ],
    "parameters": [
        {
            "name": "u",
            "index": ["I", "J"],
            "values": [[_bound(i, j) for j in range(len(COLS))] for i in range(len(ROWS))],
        },
        {"name": "cap", "index": ["A"], "values": [5, 0, 7]},
    ],
    "variables": [
        {"name": "x", "index": ["I", "J"]},
        {"name": "n", "index": ["K"], "domain": "integer", "upper": 4},
        {"name": "f", "index": ["A"]},
        {"name": "s", "upper": 2.5},
    ],
    "objective": {
        "sense": "maximize",
        "expression": "sum(x[i, j] for i in I for j in J) + sum(n[k] for k in K)"
        " + sum(f[p, q] for (p, q) in A) + s",
    },
    "constraints": [
        {"name": "cap_x", "for": ["i in I", "j in J"], "expression": "x[i, j] <= u[i, j]"},
        {"name": "cap_f", "for": ["(p, q) in A"], "expression": "f[p, q] <= cap[p, q]"},
    ],
}

EXPECTED: dict[str, Any] = {
    "x": {
        index_key(m): float(_bound(i, j))
        for (i, j), m in zip(
            itertools.product(range(len(ROWS)), range(len(COLS))), itertools.product(ROWS, COLS), strict=True
        )
    },
    "n": {"k1": 4.0, "k2": 4.0},
    "f": {index_key(a): float(c) for a, c in zip((tuple(a) for a in ARCS), [5, 0, 7], strict=True)},
    "s": 2.5,
}
"""The optimum written out: x at its bounds, n at 4, f at its capacities, s at 2.5."""


@pytest.fixture(scope="module")
def result() -> Result:
    found = solve_spec(SPEC)
    assert found.status is Status.OPTIMAL
    assert isinstance(found.values, SolutionValues), "solve_spec hands back the view"
    return found


def test_the_view_equals_the_dict_of_the_optimum(result: Result) -> None:
    assert dict(result.values) == EXPECTED
    assert result.values == EXPECTED
    assert list(result.values) == ["x", "n", "f", "s"]
    assert list(result.values["x"]) == list(EXPECTED["x"]), "entries in the order of the members"
    assert repr(result.values) == repr(EXPECTED)


def test_json_is_the_dict_and_reads_back_as_a_dict(result: Result) -> None:
    assert json.loads(result.to_json())["values"] == EXPECTED
    assert result.to_dict()["values"] == EXPECTED
    again = Result.model_validate_json(result.to_json())
    assert again.values == EXPECTED and not isinstance(again.values, SolutionValues)
    assert again.value("x", "a,b", "y,z") == result.value("x", "a,b", "y,z") == 22


@pytest.mark.parametrize("i, j", list(itertools.product(range(len(ROWS)), range(len(COLS)))))
def test_value_reads_each_entry(result: Result, i: int, j: int) -> None:
    assert result.value("x", ROWS[i], COLS[j]) == _bound(i, j)
    assert result.value("x", index_key([ROWS[i], COLS[j]])) == _bound(i, j)


def test_value_reads_pairs_scalars_and_integers(result: Result) -> None:
    assert result.value("f", "p", "r,s") == 0
    assert result.value("f", ("t", "u")) == 7
    assert result.value("s") == 2.5
    assert result.value("n", "k2") == 4


def test_value_builds_no_table(result: Result, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = solve_spec(SPEC)

    def refuse(self: VariableArray) -> dict[str, float]:
        raise AssertionError("a table was built to read one value")

    monkeypatch.setattr(VariableArray, "table", refuse)
    assert fresh.value("x", 3, "w") == _bound(3, 2)
    with pytest.raises(KeyError, match="y,z"):
        fresh.value("x", "y,z", "a")


@pytest.mark.parametrize(
    "index",
    [("a", "y", "z"), ("a,y,z",), ('["a","y,z"]',), ("3",), ("nope", "x"), ("x", "a"), ('["a",',)],
)
def test_a_key_the_dict_lacks_is_missing_from_the_view_too(result: Result, index: tuple[str, ...]) -> None:
    plain = result.model_copy(update={"values": EXPECTED})
    with pytest.raises(KeyError):
        plain.value("x", *index)
    with pytest.raises(KeyError):
        result.value("x", *index)


def test_missing_variables_and_scalar_indexes_are_named(result: Result) -> None:
    with pytest.raises(KeyError, match="scalar"):
        result.value("s", "a")
    with pytest.raises(KeyError):
        result.value("nothing")


def test_csv_is_streamed_and_matches_the_dict_rows(result: Result, tmp_path: Any) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["variable", "index", "value"])
    for name, value in EXPECTED.items():
        items = value.items() if isinstance(value, dict) else [("", value)]
        writer.writerows([name, k, f"{v:g}"] for k, v in items)
    expected = buffer.getvalue()
    assert values_csv(result) == expected
    assert values_csv(result.model_copy(update={"values": EXPECTED})) == expected
    with open(tmp_path / "v.csv", "w", encoding="utf-8", newline="") as out:
        write_values_csv(result, out)
    assert (tmp_path / "v.csv").read_bytes().decode("utf-8") == expected


def test_explanation_is_the_one_a_dict_gives(result: Result) -> None:
    plain = result.model_copy(update={"values": EXPECTED})
    assert explain(result) == explain(plain)
    assert "  - f[p,r,s]" not in explain(result), "zero values are not listed"


def test_copies_and_pickles_keep_the_values(result: Result) -> None:
    assert pickle.loads(pickle.dumps(result)).values == EXPECTED
    assert copy.deepcopy(result).values == EXPECTED
    assert result.model_copy(deep=True).value("x", "[c", "w") == _bound(2, 2)


def test_clean_rounds_like_python_and_writes_no_negative_zero() -> None:
    xs = [-0.3, 0.5, 1.5, 2.5, -2.5, 3.0000001, -1e-12, 1e-10, 7.25, -0.0]
    assert clean(np.array(xs), True).tolist() == [float(round(v)) for v in xs]
    expected = [0.0 if abs(v) < 1e-9 else v for v in xs]
    assert clean(np.array(xs), False).tolist() == expected
    assert "-0.0" not in json.dumps(clean(np.array(xs), True).tolist() + clean(np.array(xs), False).tolist())


def test_a_million_entries_are_read_without_writing_a_million_keys() -> None:
    n = 1000
    view = SolutionValues({"ship": VariableArray(np.arange(n * n, dtype=float), [range(n), range(n)])})
    assert view.value("ship", 999, 998) == 999 * n + 998
    listed, count = view.nonzero("ship", 3)
    assert listed == [("0,1", 1.0), ("0,2", 2.0), ("0,3", 3.0)] and count == n * n - 1
    assert view["ship"]["999,999"] == n * n - 1
