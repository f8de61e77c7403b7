"""A sentence that reads two ways gives an answer only when both readings give it.

Optima are derived by hand in each test (two variables, a few corners).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from nl2opt.ambiguity import ambiguity
from nl2opt.formulators.rules import RulesFormulator
from nl2opt.pipeline import solve_spec
from nl2opt.repair import formulate_and_solve
from nl2opt.result import Status

TWO_WAYS = (
    "A company splits its budget between two channels, X and Y. The total budget for X and Y cannot exceed "
    "1000 dollars. X and Y combined must be at least 300. The difference between X and Y should not exceed 100. "
    "Each unit costs $5 for X and $3 for Y. The company aims to minimize the total cost."
)
"""Read one way (X - Y <= 100) the cheapest plan is all Y: 300 * 3 = 900. Read both ways
(|X - Y| <= 100) Y may lead X by at most 100 too: X = 100, Y = 200 costs 500 + 600 = 1100."""


def test_readings_with_different_optima_decline_and_name_both() -> None:
    result = formulate_and_solve(TWO_WAYS, formulator="rules")

    assert result.status is Status.DECLINED and result.objective is None
    [found] = [d for d in result.diagnostics if d.code == "formulate.ambiguous"]
    assert "optimum of 900" in found.message and "optimum of 1100" in found.message
    assert "The difference between X and Y should not exceed 100." in found.message
    assert result.draft is not None and result.unread == ["The difference between X and Y should not exceed 100."]


def test_readings_with_the_same_optimum_answer() -> None:
    text = TWO_WAYS.replace("X and Y combined must be at least 300", "X must be at least 200 and Y at least 150")
    result = formulate_and_solve(text, formulator="rules")

    # X = 200, Y = 150 is cheapest, and X - Y = 50 holds either way: 1000 + 450.
    assert result.status is Status.OPTIMAL and result.verified
    assert result.objective == pytest.approx(1450.0)
    assert "formulate.ambiguous" not in [d.code for d in result.diagnostics]


@pytest.mark.parametrize(
    "sentence",
    [
        "The difference between X and Y must be at least 100.",  # both label sets read one way
        "X minus Y should not exceed 100.",  # no 'difference': written one way
    ],
)
def test_only_a_capped_difference_is_read_two_ways(sentence: str) -> None:
    text = TWO_WAYS.replace("The difference between X and Y should not exceed 100.", sentence)
    formulation = RulesFormulator().formulate(text)

    assert formulation.spec is not None and formulation.alternatives == []


def test_the_other_reading_is_the_same_model_but_one_row() -> None:
    formulation = RulesFormulator().formulate(TWO_WAYS)
    assert formulation.spec is not None
    [reading] = formulation.alternatives
    assert reading.meaning == f"abs({reading.written.split(' <=')[0]}) <= 100"
    mine = {c.name: c.expression for c in formulation.spec.constraints}
    other = {c.name: c.expression for c in reading.spec.constraints}
    assert {k for k in mine if mine[k] != other[k]} == {
        next(c.name for c in formulation.spec.constraints if c.expression == reading.written)
    }
    assert ambiguity(solve_spec(formulation.spec), [reading], solve_spec) is not None


def test_the_offline_benchmark_counts_an_ambiguous_text_as_declined() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from benchmarks.offline_accuracy import run

    counts = run([{"id": "t", "question": TWO_WAYS, "answer": 900.0}], RulesFormulator())

    assert (counts["correct"], counts["declined"], counts["wrong"]) == (0, 1, 0)


def test_an_outcome_without_values_differs_from_an_optimum() -> None:
    from nl2opt.formulators.base import Reading
    from nl2opt.result import Result

    formulation = RulesFormulator().formulate(TWO_WAYS)
    assert formulation.spec is not None
    reading = Reading("s", "x <= 1", "abs(x) <= 1", formulation.spec)
    infeasible = Result(status=Status.INFEASIBLE)
    assert ambiguity(infeasible, [reading], lambda _: Result(status=Status.INFEASIBLE)) is None
    found = ambiguity(infeasible, [reading], lambda _: Result(status=Status.OPTIMAL, objective=3.0))
    assert found is not None and "no optimum (infeasible)" in found.message and "optimum of 3" in found.message
