"""A formulator that cannot change its answer is asked once: no retries, no 'repeated model' noise."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from nl2opt import ModelSpec, Status, formulate_and_solve
from nl2opt.formulators.base import Formulation

INFEASIBLE_TEXT = (
    "A shop sells chairs and tables. Each chair takes 2 hours of labour and each table takes 3 hours of "
    "labour. At most 10 hours of labour are available. The shop must make at least 8 chairs. The profit "
    "per chair is $20 and the profit per table is $30. How many chairs and tables should the shop make to "
    "maximize profit?"
)
SPEC = ModelSpec.model_validate(
    {
        "variables": [{"name": "x"}],
        "objective": {"sense": "maximize", "expression": "x"},
        "constraints": [{"name": "low", "expression": "x <= 1"}, {"name": "high", "expression": "x >= 2"}],
    }
)


class Fixed:
    """Returns the same infeasible spec whatever it is told."""

    name = "fixed"

    def __init__(self, deterministic: bool) -> None:
        self.deterministic = deterministic
        self.calls = 0

    def formulate(self, text: str, **_: Any) -> Formulation:
        self.calls += 1
        return Formulation(spec=SPEC, model="fixed")


@pytest.mark.skipif(
    importlib.util.find_spec("nl2opt.formulators.rules") is None, reason="no rules formulator"
)
def test_rules_are_not_retried_on_an_infeasible_model() -> None:
    result = formulate_and_solve(INFEASIBLE_TEXT, formulator="rules", max_attempts=3)
    assert result.status is Status.INFEASIBLE
    assert len(result.attempts) == 1
    codes = {d.code for d in result.diagnostics}
    assert "diagnose.conflict" in codes
    assert not codes & {"formulate.repeated-spec", "formulate.attempts-exhausted"}


def test_a_deterministic_formulator_is_asked_once() -> None:
    fixed = Fixed(deterministic=True)
    result = formulate_and_solve("any", formulator=fixed, max_attempts=3)
    assert fixed.calls == 1 and len(result.attempts) == 1
    assert "formulate.repeated-spec" not in {d.code for d in result.diagnostics}


def test_a_formulator_that_listens_is_asked_again() -> None:
    fixed = Fixed(deterministic=False)
    result = formulate_and_solve("any", formulator=fixed, max_attempts=3)
    assert fixed.calls == 2, "asked again with feedback, then stopped on the repeat"
    assert "formulate.repeated-spec" in {d.code for d in result.diagnostics}
