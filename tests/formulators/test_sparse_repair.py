"""The repair loop over a sparse domain: a row naming a cell that does not exist is sent back, fixed, solved.

Offline: the replies come from the scripted OpenAI-compatible server the other formulator tests use.
"""

from __future__ import annotations

import copy
from typing import Any

from nl2opt.config import Settings
from nl2opt.repair import formulate_and_solve
from nl2opt.result import Status
from tests.support.llm_server import Reply, ScriptedLLMServer

PROBLEM = (
    "Three depots A, B and C each send at least one truck to another depot (never to itself). "
    "A truck from A costs $1 to B and $4 to C; from B $2 to A and $1 to C; from C $3 to A and $5 to B. "
    "At most 5 trucks go on any route. Minimise the cost."
)
COSTS = {("A", "B"): 1, ("A", "C"): 4, ("B", "A"): 2, ("B", "C"): 1, ("C", "A"): 3, ("C", "B"): 5}


def _sparse(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "index": ["D", "D"], "over": ["i in D", "j in D"], "where": "i != j", **fields}


RIGHT: dict[str, Any] = {
    "name": "trucks",
    "sets": [{"name": "D", "elements": ["A", "B", "C"]}],
    "parameters": [
        _sparse("cost", entries=[{"key": list(k), "value": v} for k, v in COSTS.items()], unit="$/truck")
    ],
    "variables": [_sparse("trucks", domain="integer", upper=5)],
    "objective": {"sense": "minimize", "expression": "sum(cost[i, j] * trucks[i, j] for i in D for j in D)"},
    "constraints": [
        {"name": "send", "for": ["i in D"], "expression": "sum(trucks[i, j] for j in D) >= 1"},
        {
            "name": "route_cap",
            "for": ["i in D", "j in D"],
            "where": "i != j",
            "expression": "trucks[i, j] <= 5",
        },
    ],
}
WRONG = copy.deepcopy(RIGHT)
WRONG["constraints"][1]["where"] = None  # names trucks['A', 'A'], which does not exist


def test_outside_reference_is_fed_back_and_repaired(llm_server: ScriptedLLMServer) -> None:
    llm_server.push(Reply(WRONG), Reply(RIGHT))
    settings = Settings(base_url=llm_server.base_url, api_key="sk-test", model="test-model", max_retries=0)

    result = formulate_and_solve(PROBLEM, formulator="llm", settings=settings)

    assert [a.status for a in result.attempts] == [Status.INVALID, Status.OPTIMAL]
    assert result.objective == 5.0 and result.verified  # A->B 1, B->C 1, C->A 3
    feedback = [m["content"] for m in llm_server.chat_requests[1]["messages"] if m["role"] == "user"][-1]
    assert "[check.outside-domain] at constraints[route_cap].expression" in feedback
    assert "trucks[i, j] with i = 'A', j = 'A'" in feedback and "'where'" in feedback
