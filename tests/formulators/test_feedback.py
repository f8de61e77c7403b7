"""The repair message, pinned by a golden file.

Regenerate after an intended wording change with::

    NL2OPT_REGEN_GOLDEN=1 pytest tests/formulators/test_feedback.py

and read the diff of ``tests/formulators/golden/feedback.txt`` before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.formulators.feedback import render_feedback
from nl2opt.spec import ModelSpec
from tests.support.llm_server import SMALL_SPEC

GOLDEN = Path(__file__).parent / "golden" / "feedback.txt"
PREVIOUS = ModelSpec.model_validate(SMALL_SPEC)
PROBLEMS = [
    Diagnostic(
        code="check.undefined-name",
        stage=Stage.CHECK,
        where="constraints[flour_use].expression",
        message="'flower' is not a set, parameter, variable or bound index.",
        hint="Did you mean 'flour'?",
    ),
    Diagnostic(
        code="solve.unbounded",
        stage=Stage.SOLVE,
        message="The objective can grow without limit: 'cake' runs away.",
        hint="Add the limit the text gives on cakes, e.g. the oven hours.",
    ),
    Diagnostic(
        code="verify.unused-number",
        severity=Severity.WARNING,
        stage=Stage.VERIFY,
        message='The number 80 ("80 oven hours") appears nowhere in the model.',
    ),
]


def rendered_cases() -> str:
    cases = {
        "three problems, previous spec given": render_feedback(PROBLEMS, PREVIOUS),
        "one problem, no previous spec": render_feedback(
            [
                Diagnostic(
                    code="formulate.invalid-json",
                    stage=Stage.FORMULATE,
                    message="The reply is not valid JSON: Expecting ',' delimiter at line 3, column 7.",
                )
            ],
            None,
        ),
        "warnings only: the model may answer with an assumption": render_feedback(PROBLEMS[2:], PREVIOUS),
    }
    return "".join(f"===== {title} =====\n{text}\n" for title, text in cases.items())


def test_feedback_matches_golden():
    text = rendered_cases()
    if os.environ.get("NL2OPT_REGEN_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_problems_are_numbered_with_code_location_and_hint():
    lines = render_feedback(PROBLEMS, PREVIOUS).splitlines()

    assert "1. [check.undefined-name] at constraints[flour_use].expression: 'flower' is not" in "\n".join(
        lines
    )
    assert "   Hint: Did you mean 'flour'?" in lines
    assert any(line.startswith("2. [solve.unbounded]: ") for line in lines)
    assert any(line.startswith("3. [verify.unused-number, warning]: ") for line in lines)


@pytest.mark.parametrize(("previous", "noted"), [(PREVIOUS, False), (None, True)])
def test_missing_previous_spec_is_said(previous, noted):
    assert ("nothing to edit" in render_feedback(PROBLEMS[:1], previous)) is noted


def test_every_rendering_asks_for_a_complete_spec():
    assert "one complete JSON object" in render_feedback(PROBLEMS[:1], PREVIOUS)


def test_no_problems_is_a_programming_error():
    with pytest.raises(ValueError, match="at least one diagnostic"):
        render_feedback([], PREVIOUS)


def test_warnings_alone_invite_an_assumption_and_errors_do_not() -> None:
    assert "'assumptions'" in render_feedback(PROBLEMS[2:], PREVIOUS)
    assert "'assumptions'" not in render_feedback(PROBLEMS, PREVIOUS)
