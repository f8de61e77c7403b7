"""The example problems of the web form are solved offline to their hand-worked optima."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from nl2opt import Status, formulate_and_solve

PROBLEMS = Path(__file__).parents[2] / "examples" / "problems"
ANSWERS = json.loads((PROBLEMS / "answers.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("nl2opt.formulators.rules") is None,
    reason="the offline rules formulator (nl2opt.formulators.rules) is not installed",
)


def test_every_example_has_an_answer() -> None:
    assert {p.name for p in PROBLEMS.glob("*.txt")} == {k for k in ANSWERS if not k.startswith("_")}


@pytest.mark.parametrize("name", sorted(p.name for p in PROBLEMS.glob("*.txt")))
def test_example_solves_offline_to_the_hand_worked_optimum(name: str) -> None:
    answer = ANSWERS[name]
    result = formulate_and_solve((PROBLEMS / name).read_text(encoding="utf-8"), formulator="rules")
    assert result.status is Status.OPTIMAL, [str(d) for d in result.diagnostics]
    assert result.verified
    assert result.spec is not None and result.spec.objective.sense.value == answer["sense"]
    assert result.objective == pytest.approx(answer["objective"])
    values = sorted(v for v in result.values.values() if isinstance(v, float))
    assert values == pytest.approx(sorted(answer["decisions"].values()))
