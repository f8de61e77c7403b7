"""samples=k: several readings of one text, asked for concurrently over real HTTP, grouped by optimum.

The problem is written so that two readings are natural. "More than 4 tables" is read
either as tables >= 4 (the label convention) or as tables >= 5 (strictly more):

    max 30 chairs + 50 tables   s.t. 2 chairs + 5 tables <= 40, chairs and tables whole
    reading A: tables >= 4 -> chairs earn 15/hour, tables 10/hour, so as few tables as allowed:
               tables = 4, chairs = (40 - 20) / 2 = 10, profit 300 + 200 = 500
    reading B: tables >= 5 -> tables = 5, chairs = floor(15 / 2) = 7, profit 210 + 250 = 460
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from nl2opt.agreement import choose_reading
from nl2opt.config import Settings
from nl2opt.repair import formulate_and_solve
from nl2opt.result import Result, Status
from tests.support.llm_server import Reply, ScriptedLLMServer

TEXT = (
    "A shop sells chairs for $30 and tables for $50. A chair takes 2 hours to make and a table 5 hours; "
    "there are 40 hours. The shop must sell more than 4 tables. How many of each maximise revenue?"
)

READING_A: dict[str, Any] = {
    "name": "shop",
    "parameters": [
        {"name": "hours", "value": 40},
        {"name": "min_tables", "value": 4, "description": "more than 4 tables"},
    ],
    "variables": [
        {"name": "chairs", "domain": "integer", "description": "chairs made"},
        {"name": "tables", "domain": "integer", "description": "tables made"},
    ],
    "objective": {"sense": "maximize", "expression": "30 * chairs + 50 * tables"},
    "constraints": [
        {
            "name": "time",
            "expression": "2 * chairs + 5 * tables <= hours",
            "description": "there are 40 hours",
        },
        {"name": "tables_sold", "expression": "tables >= min_tables", "description": "more than 4 tables"},
    ],
}
READING_B = copy.deepcopy(READING_A)
READING_B["constraints"][1]["expression"] = "tables >= min_tables + 1"
READING_B["assumptions"] = ["'more than 4' read as at least 5"]


def settings_for(server: ScriptedLLMServer, tmp_path: Path) -> Settings:
    return Settings(
        base_url=server.base_url, api_key="test", model="m", max_retries=0, timeout=5.0, cache_dir=tmp_path
    )


def test_the_largest_group_answers_and_the_other_reading_is_described(
    llm_server: ScriptedLLMServer, tmp_path: Path
) -> None:
    llm_server.push(Reply(READING_A), Reply(READING_B), Reply(READING_A))
    result = formulate_and_solve(
        TEXT, formulator="llm", settings=settings_for(llm_server, tmp_path), samples=3
    )

    assert (result.status, result.objective, result.verified) == (Status.OPTIMAL, 500.0, True)
    assert str(result.agreement) == "2 of 3"
    assert [(r.objective, r.samples) for r in result.readings] == [(500.0, 2), (460.0, 1)]
    assert result.readings[1].differences == [
        "tables_sold reads tables >= min_tables + 1 in this reading but tables >= min_tables in the chosen one",
        "this reading assumes \"'more than 4' read as at least 5\"",
    ]
    assert "verify.readings-disagree" in {d.code for d in result.diagnostics}
    assert "2 of 3" in result.explanation and "460" in result.explanation
    assert result.usage.calls == 3 and result.usage.total_tokens == 3 * 30


def test_samples_are_asked_concurrently_at_a_sampling_temperature_and_cached_apart(
    llm_server: ScriptedLLMServer, tmp_path: Path
) -> None:
    llm_server.push(*(Reply(READING_A, delay=0.5) for _ in range(4)))
    settings = settings_for(llm_server, tmp_path)
    result = formulate_and_solve(TEXT, formulator="llm", settings=settings, samples=4, cache=True)

    assert str(result.agreement) == "4 of 4" and len(result.readings) == 1
    assert {body["temperature"] for body in llm_server.chat_requests} == {0.7}
    assert result.timings.total < 4 * 0.5, "four half-second replies, not one after another"
    again = formulate_and_solve(TEXT, formulator="llm", settings=settings, samples=4, cache=True)
    assert again.usage.cached_calls == 4 and len(llm_server.chat_requests) == 4


def test_no_agreement_when_no_sample_answers(llm_server: ScriptedLLMServer, tmp_path: Path) -> None:
    llm_server.push(Reply("not json"), Reply("not json"))
    result = formulate_and_solve(
        TEXT, formulator="llm", settings=settings_for(llm_server, tmp_path), samples=2, max_attempts=1
    )
    assert result.status is Status.DECLINED and str(result.agreement) == "0 of 2"


def test_a_tie_goes_to_the_reading_with_fewer_text_warnings() -> None:
    quiet = Result(status=Status.OPTIMAL, objective=1.0, verified=True)
    noisy = Result(status=Status.OPTIMAL, objective=2.0, verified=True, diagnostics=[_warning()])
    assert choose_reading([noisy, quiet]).objective == 1.0


def test_samples_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="samples"):
        formulate_and_solve(TEXT, formulator="rules", samples=0)


def _warning():
    from nl2opt.diagnostics import Diagnostic, Severity, Stage

    return Diagnostic(code="verify.unused-number", severity=Severity.WARNING, stage=Stage.VERIFY, message="m")
