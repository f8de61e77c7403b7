"""The repair loop: scripted LLM conversations over real HTTP, and the loop's rules with a fake formulator.

One problem throughout, a bakery product mix with its optimum worked out by hand:

    max 3 bread + 5 cake
    s.t. 2 bread + cake <= 100   (flour, kg)
         bread + 2 cake <= 80    (oven hours)
         bread >= 6              (loaves promised to regulars)
         bread, cake integer >= 0

The two capacity rows meet at bread = 40, cake = 20 (2*40 + 20 = 100, 40 + 2*20 = 80),
profit 3*40 + 5*20 = 220; the other vertices give (50, 0) -> 150, (6, 37) -> 203,
(6, 0) -> 18. Without the oven row the best is bread = 6, cake = 88 (flour 12 + 88 = 100),
profit 18 + 440 = 458.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from typer.testing import CliRunner

import nl2opt
from nl2opt.cli import app
from nl2opt.config import Settings
from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.errors import ConfigurationError, UnknownBackendError
from nl2opt.formulators.base import Formulation, Usage
from nl2opt.formulators.feedback import render_feedback
from nl2opt.repair import formulate_and_solve
from nl2opt.result import Result, Status
from nl2opt.spec import ModelSpec
from tests.support.llm_server import HttpError, Reply, ScriptedLLMServer, Step

KEY = "sk-test-DO-NOT-LEAK-0c1d7e"
PROBLEM = (
    "A bakery has 100 kg of flour and 80 oven hours a week. A loaf of bread needs 2 kg of flour and "
    "1 oven hour and earns $3 profit. A cake needs 1 kg of flour and 2 oven hours and earns $5 profit. "
    "The bakery must bake at least 6 loaves for its regulars. How many loaves and cakes should it bake "
    "to maximise profit?"
)
OPTIMUM = 220.0
WITHOUT_OVEN = 458.0


def _constraint(name: str, expression: str, description: str, kind: str) -> dict[str, Any]:
    return {"name": name, "for": [], "where": None, "expression": expression, "description": description,
            "kind": kind}


def _parameter(name: str, value: float, unit: str, description: str) -> dict[str, Any]:
    return {"name": name, "index": [], "value": value, "values": None, "entries": None, "unit": unit,
            "description": description}


def bakery(
    *,
    flour: str = "2 * bread + cake <= flour",
    oven: str | None = "bread + 2 * cake <= oven",
    min_bread: float = 6,
    description: str = "Loaves and cakes for most profit.",
) -> dict[str, Any]:
    """The bakery spec as a strict-schema LLM would write it; keyword changes make the faulty variants."""
    parameters = [_parameter("flour", 100, "kg", "100 kg of flour"),
                  _parameter("min_bread", min_bread, "loaves", "at least 6 loaves for its regulars")]
    constraints = [_constraint("flour_use", flour, "2 kg per loaf, 1 kg per cake", "capacity"),
                   _constraint("min_bread_rule", "bread >= min_bread", "at least 6 loaves", "demand")]
    if oven is not None:
        parameters.append(_parameter("oven", 80, "h", "80 oven hours a week"))
        constraints.append(_constraint("oven_use", oven, "1 h per loaf, 2 h per cake", "capacity"))
    return {
        "schema_version": "1",
        "name": "bakery",
        "description": description,
        "sets": [],
        "parameters": parameters,
        "variables": [
            {"name": "bread", "index": [], "domain": "integer", "lower": 0, "upper": None, "description": "loaves"},
            {"name": "cake", "index": [], "domain": "integer", "lower": 0, "upper": None, "description": "cakes"},
        ],
        "objective": {"sense": "maximize", "expression": "3 * bread + 5 * cake", "description": "profit in $"},
        "constraints": constraints,
    }


RIGHT = bakery()
TYPO = bakery(flour="2 * bread + cake <= flower")
INFEASIBLE = bakery(min_bread=60)
"""60 loaves need 120 kg of flour: flour_use and min_bread_rule conflict."""
UNBOUNDED = bakery(flour="2 * bread <= flour", oven="bread <= oven")
"""Cake left out of both capacity rows: nothing limits it (HiGHS's MIP presolve says
'infeasible or unbounded'; the diagnosis finds the ray)."""
NO_OVEN = bakery(oven=None)
"""Verified (458), but the text's 80 oven hours are unused: a plausibility warning."""


def first(spec: dict[str, Any] | str) -> Reply:
    """A first answer: system prompt + problem in, a spec out."""
    return Reply(spec, prompt_tokens=900, completion_tokens=300)


def again(spec: dict[str, Any] | str) -> Reply:
    """An answer to a repair request: the conversation has grown by the spec and the feedback."""
    return Reply(spec, prompt_tokens=1400, completion_tokens=300)


def settings_for(server: ScriptedLLMServer, **overrides: Any) -> Settings:
    fields: dict[str, Any] = {"base_url": server.base_url, "api_key": KEY, "model": "test-model", "timeout": 2.0,
                              "max_retries": 0, **overrides}
    return Settings(**fields)


def last_user_message(body: dict[str, Any]) -> str:
    return [m["content"] for m in body["messages"] if m["role"] == "user"][-1]


# -- scripted conversations over HTTP -----------------------------------------------------------


@dataclass
class Conversation:
    """A script, what the Result must say, and what the repair request must have told the model."""

    script: list[Step]
    status: Status
    objective: float | None
    attempts: list[Status]
    requests: int
    """HTTP requests the server saw (the SDK's retries and format fallbacks included)."""
    tokens: tuple[int, int, int]
    """Result.usage: calls, prompt tokens, completion tokens."""
    told: tuple[str, ...] = ()
    """Text the second chat request's last user message (the feedback) must contain."""
    codes: tuple[str, ...] = ()
    """Codes the final Result's diagnostics must include."""
    settings: dict[str, Any] = field(default_factory=dict)
    reject: frozenset[str] = frozenset()
    max_attempts: int = 3


CONVERSATIONS = {
    "right-first-time": Conversation(
        [first(RIGHT)], Status.OPTIMAL, OPTIMUM, [Status.OPTIMAL], 1, (1, 900, 300)),
    "unknown-name-then-fixed": Conversation(
        [first(TYPO), again(RIGHT)], Status.OPTIMAL, OPTIMUM, [Status.INVALID, Status.OPTIMAL], 2,
        (2, 2300, 600), told=("[check.undefined-name] at constraints[flour_use].expression", "flower is not",
                              "Did you mean 'flour'?")),
    "infeasible-then-fixed": Conversation(
        [first(INFEASIBLE), again(RIGHT)], Status.OPTIMAL, OPTIMUM, [Status.INFEASIBLE, Status.OPTIMAL], 2,
        (2, 2300, 600), told=("[solve.infeasible]", "[diagnose.conflict]", "flour_use", "min_bread_rule")),
    "unbounded-then-fixed": Conversation(
        [first(UNBOUNDED), again(RIGHT)], Status.OPTIMAL, OPTIMUM,
        [Status.UNBOUNDED, Status.OPTIMAL], 2, (2, 2300, 600),
        told=("[solve.infeasible-or-unbounded]", "[diagnose.unbounded-ray]", "pushed up forever", ": cake")),
    "unused-number-then-better": Conversation(
        [first(NO_OVEN), again(RIGHT)], Status.OPTIMAL, OPTIMUM, [Status.OPTIMAL, Status.OPTIMAL], 2,
        (2, 2300, 600), told=("[verify.unused-number, warning]", "80")),
    "not-json-then-fixed": Conversation(
        [first("Here is the model: {broken"), again(RIGHT)], Status.OPTIMAL, OPTIMUM,
        [Status.DECLINED, Status.OPTIMAL], 2, (2, 2300, 600),
        told=("[formulate.invalid-json]", "nothing to edit")),
    "every-attempt-fails": Conversation(
        [first(TYPO), again(INFEASIBLE), again(UNBOUNDED)], Status.UNBOUNDED, None,
        [Status.INVALID, Status.INFEASIBLE, Status.UNBOUNDED], 3, (3, 3700, 900),
        codes=("solve.infeasible-or-unbounded", "diagnose.unbounded-ray", "formulate.attempts-exhausted")),
    "infeasible-to-the-end": Conversation(
        [first(TYPO), again(INFEASIBLE)], Status.INFEASIBLE, None, [Status.INVALID, Status.INFEASIBLE], 2,
        (2, 2300, 600), codes=("solve.infeasible", "diagnose.conflict", "formulate.attempts-exhausted"),
        max_attempts=2),
    "repeated-spec-stops-early": Conversation(
        [first(TYPO), again(TYPO)], Status.INVALID, None, [Status.INVALID, Status.INVALID], 2, (2, 2300, 600),
        codes=("check.undefined-name", "formulate.repeated-spec")),
    "429-then-answer": Conversation(
        [HttpError(429, "slow down", headers={"retry-after-ms": "10"}), first(RIGHT)], Status.OPTIMAL, OPTIMUM,
        [Status.OPTIMAL], 2, (1, 900, 300), settings={"max_retries": 1}),
    "timeout": Conversation(
        [Reply(RIGHT, delay=2.0)], Status.DECLINED, None, [Status.DECLINED], 1, (0, 0, 0),
        codes=("formulate.llm-error",), settings={"timeout": 0.25}),
    "401-echoing-the-key": Conversation(
        [HttpError(401, f"Incorrect API key provided: {KEY}")], Status.DECLINED, None, [Status.DECLINED], 1,
        (0, 0, 0), codes=("formulate.llm-error",)),
    "strict-schema-rejected": Conversation(
        [first(RIGHT)], Status.OPTIMAL, OPTIMUM, [Status.OPTIMAL], 2, (1, 900, 300),
        reject=frozenset({"json_schema"})),
}


@pytest.mark.parametrize("case", CONVERSATIONS.values(), ids=CONVERSATIONS.keys())
def test_conversation(llm_server: ScriptedLLMServer, case: Conversation) -> None:
    llm_server.push(*case.script)
    llm_server.reject |= case.reject

    result = formulate_and_solve(PROBLEM, formulator="llm", settings=settings_for(llm_server, **case.settings),
                                 max_attempts=case.max_attempts)

    assert result.status is case.status, result.explanation
    assert result.objective == case.objective
    assert [a.status for a in result.attempts] == case.attempts
    assert [a.number for a in result.attempts] == list(range(1, len(case.attempts) + 1))
    assert len(llm_server.chat_requests) == case.requests
    assert (result.usage.calls, result.usage.prompt_tokens, result.usage.completion_tokens) == case.tokens
    assert set(case.codes) <= {d.code for d in result.diagnostics}
    assert result.formulator == "llm"
    assert result.text == PROBLEM
    assert KEY not in result.to_json()
    if result.ok:
        assert result.verified
        assert result.values == {"bread": 40.0, "cake": 20.0}
        assert result.model == "test-model"
        assert r"flour\_use" in result.latex and result.explanation.startswith("An optimal solution")
    else:
        assert result.errors, "a failed Result says what is wrong"
        assert all(d.hint for d in result.errors if d.code.startswith("formulate."))
    if case.told:
        feedback = last_user_message(llm_server.chat_requests[1])
        assert all(words in feedback for words in case.told), feedback
        assert result.attempts[0].feedback and result.attempts[0].feedback in feedback
    assert result.attempts[-1].feedback is None


def test_repair_request_carries_the_previous_spec_as_the_models_own_answer(llm_server):
    llm_server.push(first(TYPO), again(RIGHT))

    formulate_and_solve(PROBLEM, formulator="llm", settings=settings_for(llm_server))

    messages = llm_server.chat_requests[1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert ModelSpec.model_validate_json(messages[2]["content"]) == ModelSpec.model_validate(TYPO)


def test_plausibility_repair_keeps_the_answer_without_warnings(llm_server):
    llm_server.push(first(NO_OVEN), again(RIGHT))

    result = formulate_and_solve(PROBLEM, formulator="llm", settings=settings_for(llm_server))

    first_attempt = result.attempts[0]
    assert first_attempt.objective == WITHOUT_OVEN
    assert "verify.unused-number" in first_attempt.codes
    assert result.objective == OPTIMUM
    assert not [d for d in result.diagnostics if d.code.startswith("verify.")]


def test_cache_hit_makes_no_http_call(llm_server, tmp_path):
    llm_server.push(first(RIGHT))
    settings = settings_for(llm_server, cache_dir=tmp_path)

    cold = formulate_and_solve(PROBLEM, formulator="llm", settings=settings, cache=True)
    warm = formulate_and_solve(PROBLEM, formulator="llm", settings=settings, cache=True)

    assert len(llm_server.chat_requests) == 1
    assert (cold.usage.calls, cold.usage.cached_calls, cold.usage.total_tokens) == (1, 0, 1200)
    assert (warm.usage.calls, warm.usage.cached_calls, warm.usage.total_tokens) == (0, 1, 0)
    assert warm.objective == cold.objective == OPTIMUM
    assert KEY not in "".join(p.read_text() for p in tmp_path.rglob("*.json"))


def test_cache_is_off_by_default(llm_server, tmp_path):
    llm_server.push(first(RIGHT), first(RIGHT))
    settings = settings_for(llm_server, cache_dir=tmp_path)

    for _ in range(2):
        formulate_and_solve(PROBLEM, formulator="llm", settings=settings)

    assert len(llm_server.chat_requests) == 2
    assert not list(tmp_path.iterdir())


def test_cascade_escalates_when_the_cheap_model_never_gets_it_right(llm_server):
    llm_server.push(first(TYPO), again(INFEASIBLE), first(RIGHT))

    result = formulate_and_solve(PROBLEM, formulator="llm", settings=settings_for(llm_server),
                                 cascade=["model-a", "model-b"], max_attempts=2)

    assert result.status is Status.OPTIMAL and result.objective == OPTIMUM
    assert result.model == "model-b"
    assert [(a.number, a.model, a.status) for a in result.attempts] == [
        (1, "model-a", Status.INVALID), (2, "model-a", Status.INFEASIBLE), (3, "model-b", Status.OPTIMAL)]
    assert [body["model"] for body in llm_server.chat_requests] == ["model-a", "model-a", "model-b"]
    assert len(llm_server.chat_requests[2]["messages"]) == 2, "the next model starts afresh"
    assert (result.usage.calls, result.usage.prompt_tokens, result.usage.completion_tokens) == (3, 3200, 900)


def test_cascade_stops_at_the_first_model_that_answers(llm_server):
    llm_server.push(first(RIGHT))

    result = formulate_and_solve(PROBLEM, settings=settings_for(llm_server), cascade=["model-a", "model-b"])

    assert result.model == "model-a"
    assert len(llm_server.chat_requests) == 1


def test_cli_solve_json_against_the_scripted_server(llm_server, tmp_path):
    llm_server.push(first(TYPO), again(RIGHT))
    problem = tmp_path / "bakery.txt"
    problem.write_text(PROBLEM, encoding="utf-8")
    env = {"OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": KEY, "NL2OPT_MODEL": "test-model",
           "NL2OPT_MAX_RETRIES": "0", "NL2OPT_TIMEOUT": "2"}

    run = CliRunner().invoke(app, ["solve", "--file", str(problem), "--json"], env=env)

    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert (out["status"], out["objective"], out["formulator"], out["model"]) == ("optimal", 220.0, "llm",
                                                                                  "test-model")
    assert [a["status"] for a in out["attempts"]] == ["invalid", "optimal"]
    assert out["usage"]["calls"] == 2
    assert KEY not in run.output


def test_cli_repeated_model_option_is_a_cascade(llm_server):
    llm_server.push(first(TYPO), again(TYPO), first(RIGHT))
    env = {"OPENAI_BASE_URL": llm_server.base_url, "NL2OPT_MAX_RETRIES": "0"}

    run = CliRunner().invoke(app, ["solve", PROBLEM, "--model", "model-a", "--model", "model-b", "--json"], env=env)

    assert run.exit_code == 0, run.output
    out = json.loads(run.stdout)
    assert out["model"] == "model-b"
    assert [a["model"] for a in out["attempts"]] == ["model-a", "model-a", "model-b"]


def test_cli_solve_prints_model_decisions_objective_and_attempts(llm_server):
    llm_server.push(first(INFEASIBLE), again(RIGHT))
    env = {"OPENAI_BASE_URL": llm_server.base_url, "OPENAI_API_KEY": KEY, "NL2OPT_MAX_RETRIES": "0"}

    run = CliRunner().invoke(app, ["solve", PROBLEM, "--model", "test-model"], env=env)

    assert run.exit_code == 0, run.output
    for words in ("status: optimal", "objective: 220", "flour_use: 2 * bread + cake <= flour", "bread = 40",
                  "cake = 20", "1. infeasible", "2. optimal"):
        assert words in run.stdout, run.stdout


# -- the loop's rules, with a fake formulator (no HTTP) ----------------------------------------


class Scripted:
    """A Formulator answering from a list; records what the loop sent it."""

    name = "fake"

    def __init__(self, *answers: dict[str, Any] | Formulation) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []

    def formulate(self, text: str, *, data: dict[str, Any] | None = None, previous: ModelSpec | None = None,
                  feedback: str | None = None) -> Formulation:
        self.calls.append({"text": text, "data": data, "previous": previous, "feedback": feedback})
        answer = self.answers.pop(0)
        if isinstance(answer, Formulation):
            return answer
        return Formulation(ModelSpec.model_validate(answer), usage=Usage(calls=1, prompt_tokens=5,
                                                                         completion_tokens=7),
                           model="fake-1", seconds=0.25)


def solve(*answers: dict[str, Any] | Formulation, **options: Any) -> tuple[Result, Scripted]:
    fake = Scripted(*answers)
    return formulate_and_solve(PROBLEM, formulator=fake, **options), fake


def test_right_first_time_makes_one_call_and_fills_the_result():
    result, fake = solve(RIGHT)

    assert (result.status, result.objective, result.verified) == (Status.OPTIMAL, OPTIMUM, True)
    assert (result.formulator, result.model, result.backend) == ("fake", "fake-1", "highs")
    assert len(fake.calls) == 1 and fake.calls[0]["previous"] is None and fake.calls[0]["feedback"] is None
    assert result.timings.formulate == 0.25
    assert result.timings.total >= result.timings.solve > 0
    assert result.usage.total_tokens == 12
    assert result.explanation and result.latex


def test_feedback_is_rendered_once_and_sent_with_the_previous_spec():
    result, fake = solve(TYPO, RIGHT)

    sent = fake.calls[1]
    assert sent["previous"] == ModelSpec.model_validate(TYPO)
    errors = [d for d in result.attempts[0].diagnostics if d.severity == "error"]
    assert sent["feedback"] == render_feedback(errors, sent["previous"]) == result.attempts[0].feedback


def test_a_verified_answer_is_never_replaced_by_an_unverified_one():
    result, fake = solve(NO_OVEN, TYPO, RIGHT)

    assert len(fake.calls) == 2, "one plausibility retry, then stop"
    assert (result.status, result.objective) == (Status.OPTIMAL, WITHOUT_OVEN)
    assert result.spec == ModelSpec.model_validate(NO_OVEN)
    assert [a.status for a in result.attempts] == [Status.OPTIMAL, Status.INVALID]
    assert "verify.unused-number" in {d.code for d in result.diagnostics}
    assert not result.errors


def test_more_plausibility_warnings_do_not_win():
    more = bakery(oven=None, min_bread=7)  # the text's 6 is now unused as well as its 80

    result, fake = solve(NO_OVEN, more)

    assert len(fake.calls) == 2
    assert result.attempts[1].status is Status.OPTIMAL
    assert result.spec == ModelSpec.model_validate(NO_OVEN)
    assert result.timings.formulate == 0.5


def test_only_one_plausibility_retry():
    also_unused = bakery(oven=None, description="Loaves and cakes, again.")

    result, fake = solve(NO_OVEN, also_unused, RIGHT)

    assert len(fake.calls) == 2
    assert result.objective == WITHOUT_OVEN


def test_plausibility_retry_can_be_turned_off():
    result, fake = solve(NO_OVEN, RIGHT, plausibility_retry=False)

    assert len(fake.calls) == 1
    assert result.objective == WITHOUT_OVEN
    assert "verify.unused-number" in {d.code for d in result.diagnostics}


def test_repeated_spec_stops_early():
    result, fake = solve(INFEASIBLE, INFEASIBLE, RIGHT, max_attempts=3)

    assert len(fake.calls) == 2
    assert result.status is Status.INFEASIBLE
    assert {"diagnose.conflict", "formulate.repeated-spec"} <= {d.code for d in result.diagnostics}
    assert result.attempts[1].codes[-1] == "formulate.repeated-spec"


def test_repeating_a_verified_spec_after_a_warning_keeps_it_without_error():
    result, fake = solve(NO_OVEN, NO_OVEN)

    assert len(fake.calls) == 2
    assert result.objective == WITHOUT_OVEN and not result.errors
    assert result.attempts[1].codes[-1] == "formulate.repeated-spec"


def test_infeasible_is_the_answer_only_when_attempts_run_out():
    result, fake = solve(INFEASIBLE, max_attempts=1)

    assert len(fake.calls) == 1
    assert result.status is Status.INFEASIBLE
    assert "diagnose.conflict" in {d.code for d in result.diagnostics}
    assert result.attempts[0].feedback is None
    assert "min_bread_rule" in result.explanation


def test_a_formulator_that_declines_gives_a_declined_result():
    declined = Formulation(None, [Diagnostic(code="formulate.declined", stage=Stage.FORMULATE,
                                             message="could not read it", hint="Configure an LLM.")],
                           model="rules")

    result, fake = solve(declined)

    assert len(fake.calls) == 1
    assert (result.status, result.spec, result.model) == (Status.DECLINED, None, "rules")
    assert [d.code for d in result.errors] == ["formulate.declined"]
    assert "Configure an LLM" in result.explanation


def test_data_reaches_the_formulator_as_loaded_tables():
    tables = {"products": [{"name": "bread", "profit": 3}]}

    result, fake = solve(RIGHT, data=tables)

    given = fake.calls[0]["data"]
    assert list(given) == ["products"]
    assert given["products"].to_dict(orient="records") == tables["products"]
    assert [(t.name, t.rows) for t in result.tables] == [("products", 1)]


def test_an_unreadable_table_is_a_diagnostic_before_any_formulation():
    fake = Scripted(RIGHT)

    result = formulate_and_solve(PROBLEM, formulator=fake, data={"lanes": "no/such/lanes.csv"})

    assert fake.calls == []
    assert result.status is Status.INVALID
    assert [d.code for d in result.errors] == ["data.unreadable"]
    assert "lanes.csv" in result.errors[0].message


def test_unknown_backend_fails_before_any_formulation():
    fake = Scripted(RIGHT)

    with pytest.raises(UnknownBackendError):
        formulate_and_solve(PROBLEM, formulator=fake, backend="nope")
    assert fake.calls == []


@pytest.mark.parametrize("bad", [{"max_attempts": 0}, {"model": "a", "cascade": ["a", "b"]}, {"cascade": ["a"]}])
def test_bad_arguments(bad):
    with pytest.raises(ValueError):
        formulate_and_solve(PROBLEM, formulator=Scripted(), **bad)


# -- choosing a formulator ------------------------------------------------------------------------


def test_llm_without_configuration_says_how_to_configure_one():
    with pytest.raises(ConfigurationError) as info:
        formulate_and_solve(PROBLEM, formulator="llm")
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NL2OPT_MODEL"):
        assert variable in str(info.value)


def test_unknown_formulator_name():
    with pytest.raises(ConfigurationError, match="'auto', 'llm' or 'rules'"):
        formulate_and_solve(PROBLEM, formulator="oracle")


@pytest.fixture
def no_rules(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As if the offline formulator were not installed."""
    import sys

    monkeypatch.setitem(sys.modules, "nl2opt.formulators.rules", None)
    yield


def test_auto_without_llm_or_rules_says_how_to_configure_an_llm(no_rules):
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        formulate_and_solve(PROBLEM)


def test_auto_without_llm_uses_the_rules_and_says_so():
    result = formulate_and_solve("Colourless green ideas sleep furiously.")

    assert result.formulator == "rules"
    assert result.status is Status.DECLINED
    assert "formulate.declined" in {d.code for d in result.errors}
    assert "OPENAI_API_KEY" in result.explanation


def test_auto_prefers_the_llm_when_one_is_configured(llm_server, monkeypatch):
    llm_server.push(first(RIGHT))
    monkeypatch.setenv("OPENAI_BASE_URL", llm_server.base_url)
    monkeypatch.setenv("NL2OPT_MAX_RETRIES", "0")

    result = nl2opt.formulate_and_solve(PROBLEM, model="test-model")

    assert (result.formulator, result.model, result.objective) == ("llm", "test-model", OPTIMUM)


def test_the_cli_reports_a_missing_configuration_as_a_usage_error():
    run = CliRunner().invoke(app, ["solve", PROBLEM, "--formulator", "llm"])

    assert run.exit_code == 2
    assert "OPENAI_API_KEY" in run.output


def test_progress_reports_each_stage_in_order():
    seen: list[str] = []
    solve(TYPO, RIGHT, progress=seen.append)
    assert seen[0] == "formulating (attempt 1 of 3)"
    assert "repairing (attempt 2 of 3)" in seen
    after = seen[seen.index("repairing (attempt 2 of 3)"):]
    assert after.index("checking") < after.index("solving") < after.index("verifying")
