"""A spec's number lists are converted once per run, and afresh in the next one."""

from __future__ import annotations

import numpy as np
import pytest

from nl2opt import solve_spec
from nl2opt.dense import as_array, converted_once


def test_inside_a_run_a_list_is_converted_once_and_cannot_be_changed_through_the_array() -> None:
    values = [[1.0, 2.0], [3.0, 4.0]]
    with converted_once():
        first = as_array(values)
        assert as_array(values) is first
        assert first is not None and first.tolist() == values
        with pytest.raises(ValueError, match="read-only"):
            first[0, 0] = 9.0
        with converted_once():  # a nested block shares the outer memo
            assert as_array(values) is first
    assert as_array(values) is not as_array(values)


def test_ragged_or_non_numeric_lists_are_not_arrays() -> None:
    with converted_once():
        assert as_array([[1.0, 2.0], [3.0]]) is None
        assert as_array([["a", 1.0]]) is None


def test_a_table_edited_in_place_between_runs_is_read_afresh() -> None:
    """Nothing is remembered across runs: the web form's editor changes lists in place."""
    spec = {
        "name": "pick",
        "sets": [{"name": "I", "elements": ["a", "b", "c"]}],
        "parameters": [{"name": "value", "index": ["I"], "values": [3.0, 5.0, 4.0]}],
        "variables": [{"name": "x", "index": ["I"], "domain": "binary"}],
        "objective": {"sense": "maximize", "expression": "sum(value[i] * x[i] for i in I)"},
        "constraints": [{"name": "one", "expression": "sum(x[i] for i in I) <= 1"}],
    }
    from nl2opt.spec import ModelSpec

    model = ModelSpec.model_validate(spec)
    assert solve_spec(model).objective == pytest.approx(5.0)
    model.parameters[0].values[2] = 7.0  # type: ignore[index]
    again = solve_spec(model)
    assert again.objective == pytest.approx(7.0) and again.verified
    assert np.isclose(again.value("x", "c"), 1.0)
