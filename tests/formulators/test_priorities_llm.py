"""A goal program through the LLM loop: the strict-schema reply with ``objective: null`` and
ranked ``objectives`` is accepted, a bad tolerance is fed back by its code, and the answer
carries every level (optima derived in tests/golden/optima.json, goal_programming_labour)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from nl2opt.config import Settings
from nl2opt.repair import formulate_and_solve
from nl2opt.result import Status
from nl2opt.spec import ModelSpec
from tests.support.llm_server import Reply, ScriptedLLMServer

GOLDEN = Path(__file__).parents[1] / "golden" / "models" / "goal_programming_labour.json"
SPEC: dict[str, Any] = ModelSpec.load(GOLDEN).model_dump(by_alias=True, mode="json")
SPEC["assumptions"] = ["chairs and tables may be fractional: the goals are read as a linear programme"]
PROBLEM = SPEC["description"].split("Problem statement: ", 1)[1].strip("'")


def _settings(server: ScriptedLLMServer) -> Settings:
    return Settings(
        base_url=server.base_url, api_key="sk-test-priorities", model="test-model", timeout=2.0, max_retries=0
    )


def test_a_goal_program_is_repaired_and_answered_level_by_level(llm_server: ScriptedLLMServer) -> None:
    assert (
        SPEC["objective"] is None and len(SPEC["objectives"]) == 4
    )  # every field written, as strict mode does
    negative = copy.deepcopy(SPEC)
    negative["objectives"][1]["tolerance"] = -100
    llm_server.push(Reply(negative), Reply(SPEC))

    result = formulate_and_solve(PROBLEM, formulator="llm", settings=_settings(llm_server))

    assert [a.status for a in result.attempts] == [Status.INVALID, Status.OPTIMAL]
    assert "check.goal-tolerance" in result.attempts[0].codes
    feedback = [m["content"] for m in llm_server.chat_requests[1]["messages"] if m["role"] == "user"][-1]
    assert "objectives[reach_profit].tolerance" in feedback
    assert result.verified and result.objective == 20
    assert [level.value for level in result.levels] == [0, 0, 20]
