"""The model can answer a text warning with an assumption instead of bending a right model.

Uses the bakery of test_repair: without its oven row the model is verified (458) but leaves
the text's 80 oven hours unused, which draws a warning.
"""

from __future__ import annotations

from typing import Any

from nl2opt.repair import formulate_and_solve
from tests.formulators.test_repair import NO_OVEN, PROBLEM, WITHOUT_OVEN, Scripted

ANSWERED = {**NO_OVEN, "assumptions": ["the 80 oven hours are ignored: the ovens are never the limit"]}


def run(*answers: dict[str, Any]) -> tuple[Any, Scripted]:
    fake = Scripted(*answers)
    return formulate_and_solve(PROBLEM, formulator=fake, max_attempts=3), fake


def test_a_warning_answered_by_an_assumption_is_never_sent() -> None:
    result, fake = run(ANSWERED)
    assert len(fake.calls) == 1
    assert "verify.unused-number" not in {d.code for d in result.diagnostics}
    assert result.assumptions == ANSWERED["assumptions"]


def test_the_same_model_with_an_answering_assumption_ends_the_loop_without_a_third_call() -> None:
    result, fake = run(NO_OVEN, ANSWERED)
    assert len(fake.calls) == 2
    assert "80" in fake.calls[1]["feedback"] and "assumptions" in fake.calls[1]["feedback"]
    assert result.objective == WITHOUT_OVEN and result.attempts[-1].number == 2
    assert "verify.unused-number" not in {d.code for d in result.diagnostics}
    assert "assumes: the 80 oven hours are ignored" in result.explanation
