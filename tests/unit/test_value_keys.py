"""Result.values keys name exactly one index tuple, even when members contain commas.

The oracle is hand-derived: in the model below every x[i, j] reaches its own bound u[i, j],
so each index tuple has a value no other tuple shares.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from nl2opt import Result, Status, solve_spec
from nl2opt.result import index_key, split_index_key

COMMAS: dict[str, Any] = {
    "name": "members with commas",
    "sets": [{"name": "I", "elements": ["a", "a,b"]}, {"name": "J", "elements": ["b,c", "c"]}],
    "parameters": [{"name": "u", "index": ["I", "J"], "values": [[1, 2], [3, 4]]}],
    "variables": [{"name": "x", "index": ["I", "J"]}, {"name": "s", "upper": 7}],
    "objective": {"sense": "maximize", "expression": "sum(x[i, j] for i in I for j in J) + s"},
    "constraints": [{"name": "cap", "for": ["i in I", "j in J"], "expression": "x[i, j] <= u[i, j]"}],
}
"""x['a','b,c'] = 1, x['a','c'] = 2, x['a,b','b,c'] = 3, x['a,b','c'] = 4; joined with ',' the first
and last would both be 'a,b,c'."""

ARCS: dict[str, Any] = {
    "name": "pair members",
    "sets": [{"name": "A", "elements": [["p", "q"], ["p", "r,s"]]}],
    "parameters": [{"name": "cap", "index": ["A"], "values": [5, 6]}],
    "variables": [{"name": "f", "index": ["A"]}],
    "objective": {"sense": "maximize", "expression": "sum(f[i, j] for (i, j) in A)"},
    "constraints": [{"name": "limit", "for": ["(i, j) in A"], "expression": "f[i, j] <= cap[i, j]"}],
}


@pytest.fixture(scope="module")
def commas() -> Result:
    result = solve_spec(COMMAS)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(17)
    return result


@pytest.mark.parametrize(
    "index, expected", [(("a", "b,c"), 1), (("a", "c"), 2), (("a,b", "b,c"), 3), (("a,b", "c"), 4)]
)
def test_value_reads_each_member_tuple_exactly(
    commas: Result, index: tuple[str, str], expected: float
) -> None:
    assert commas.value("x", *index) == pytest.approx(expected)


def test_every_tuple_has_its_own_key(commas: Result) -> None:
    table = commas.values["x"]
    assert isinstance(table, dict) and len(table) == 4
    assert {split_index_key(k): v for k, v in table.items()} == {
        ("a", "b,c"): 1,
        ("a", "c"): 2,
        ("a,b", "b,c"): 3,
        ("a,b", "c"): 4,
    }


def test_unambiguous_keys_stay_plain_and_json_round_trips(commas: Result) -> None:
    table = commas.values["x"]
    assert isinstance(table, dict)
    assert "a,c" in table, "a tuple without commas keeps the readable 'member,member' key"
    assert commas.value("s") == pytest.approx(7)
    again = Result.model_validate_json(commas.to_json())
    assert again.value("x", "a,b", "c") == pytest.approx(4)
    assert again.value("x", "a", "b,c") == pytest.approx(1)
    assert json.loads(commas.to_json())["values"]["x"]["a,c"] == 2


def test_a_key_as_written_in_values_also_reads(commas: Result) -> None:
    assert commas.value("x", "a,c") == pytest.approx(2)
    assert commas.value("x", index_key(["a,b", "c"])) == pytest.approx(4)


def test_a_missing_index_names_itself(commas: Result) -> None:
    with pytest.raises(KeyError, match="b,c"):
        commas.value("x", "b,c", "a")
    with pytest.raises(KeyError, match="scalar"):
        commas.value("s", "a")


def test_pair_members_spread_into_the_index() -> None:
    result = solve_spec(ARCS)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(11)
    assert result.value("f", "p", "q") == pytest.approx(5)
    assert result.value("f", ("p", "q")) == pytest.approx(5)
    assert result.value("f", "p", "r,s") == pytest.approx(6)


def test_members_without_commas_keep_plain_keys() -> None:
    result = solve_spec(str(Path(__file__).parents[2] / "examples" / "transportation.json"))
    assert result.status is Status.OPTIMAL
    table = result.values["ship"]
    assert isinstance(table, dict) and table
    assert all(not k.startswith("[") and k.count(",") == 1 for k in table)


TRICKY = ["", "a", "a,b", ",", "[", "[x]", '"', "\\", "1", "é,ü", " "]


def test_keys_are_injective_and_inverted_by_split() -> None:
    """Brute force over every tuple of up to three tricky members: no two share a key."""
    seen: dict[str, tuple[str, ...]] = {}
    for n in (1, 2, 3):
        for members in itertools.product(TRICKY, repeat=n):
            key = index_key(members)
            assert key not in seen or seen[key] == members, (key, seen.get(key), members)
            seen[key] = members
            assert split_index_key(key) == members
