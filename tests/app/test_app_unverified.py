"""The web form shows an answer that failed verification as not verified, never as a plan to use."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

import nl2opt.pipeline as pipeline
from nl2opt.diagnostics import Diagnostic, Stage
from tests.app.test_app import SPEC, _errors, _metric, _solve_json, at  # noqa: F401 - `at` is a fixture


def test_an_unverified_answer_is_shown_as_not_verified(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    broken = Diagnostic(
        code="verify.constraint-violated", stage=Stage.VERIFY, message="labour is broken: 130 > 100"
    )
    monkeypatch.setattr(pipeline, "verify", lambda *args, **kwargs: [broken])

    _solve_json(at, json.dumps(SPEC))

    status = next(m for m in at.metric if m.label == "Status")
    assert _metric(at, "Status") == "Unverified" and status.delta == "not verified"
    assert "must not be used" in _errors(at)
    assert "labour is broken" in " ".join(str(getattr(e, "value", "")) for e in at.main)
