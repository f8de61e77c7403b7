"""LLMFormulator end to end: the real openai client over HTTP against the scripted server."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from nl2opt.config import ResponseFormatMode, Settings
from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.errors import ConfigurationError
from nl2opt.formulators.cache import CachedReply
from nl2opt.formulators.feedback import render_feedback
from nl2opt.formulators.llm import (
    MAX_SCHEMA_ERRORS,
    LLMFormulator,
    extract_json,
    parse_reply,
    system_prompt,
)
from nl2opt.spec import ModelSpec, strict_json_schema
from nl2opt.tables import SAMPLE_ROWS
from tests.support.llm_server import (
    ECHO_KEY,
    SMALL_SPEC,
    HttpError,
    Raw,
    Reply,
    ScriptedLLMServer,
    failing_then,
)

KEY = "sk-test-DO-NOT-LEAK-4f9a2c"
PROBLEM = "A bakery has 100 kg of flour; a loaf needs 2 kg and earns $3, a cake 1 kg and $5."

MakeFormulator = Callable[..., LLMFormulator]


@pytest.fixture
def make_formulator(llm_server: ScriptedLLMServer) -> Iterator[MakeFormulator]:
    """Formulators pointed at the scripted server: fast timeouts, no retries unless asked."""
    made: list[LLMFormulator] = []

    def make(**overrides: Any) -> LLMFormulator:
        cache = overrides.pop("cache", False)
        fields = {
            "base_url": llm_server.base_url,
            "api_key": KEY,
            "model": "test-model",
            "timeout": 2.0,
            "max_retries": 0,
            **overrides,
        }
        formulator = LLMFormulator(Settings(**fields), cache=cache)
        made.append(formulator)
        return formulator

    yield make
    for formulator in made:
        formulator.close()


def formats(server: ScriptedLLMServer) -> list[str | None]:
    return [(body.get("response_format") or {}).get("type") for body in server.chat_requests]


def codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def test_right_first_time_asks_for_strict_json_schema(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC, prompt_tokens=120, completion_tokens=80))

    result = make_formulator().formulate(PROBLEM)

    assert result.diagnostics == []
    assert result.spec == ModelSpec.model_validate(SMALL_SPEC)
    assert result.model == "test-model"
    assert (result.usage.calls, result.usage.prompt_tokens, result.usage.completion_tokens) == (1, 120, 80)
    [body] = llm_server.chat_requests
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "model_spec", "schema": strict_json_schema(), "strict": True},
    }
    assert body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert PROBLEM in body["messages"][1]["content"]


@pytest.mark.parametrize(
    ("rejected", "content", "expected_formats", "mode"),
    [
        ({"json_schema"}, SMALL_SPEC, ["json_schema", "json_object"], ResponseFormatMode.JSON_OBJECT),
        (
            {"json_schema", "json_object"},
            "Here is the model:\n```json\n" + json.dumps(SMALL_SPEC) + "\n```\nHope it helps!",
            ["json_schema", "json_object", None],
            ResponseFormatMode.TEXT,
        ),
    ],
    ids=["json_object", "text"],
)
def test_auto_mode_falls_back_and_remembers(
    llm_server, make_formulator, rejected, content, expected_formats, mode
):
    llm_server.reject = rejected
    llm_server.push(Reply(content), Reply(content))
    formulator = make_formulator()

    first = formulator.formulate(PROBLEM)
    assert first.spec == ModelSpec.model_validate(SMALL_SPEC)
    assert formats(llm_server) == expected_formats
    assert formulator.detected_mode is mode
    fallback_system = llm_server.chat_requests[-1]["messages"][0]["content"]
    assert json.dumps(strict_json_schema(), separators=(",", ":")) in fallback_system

    second = formulator.formulate(PROBLEM)
    assert second.spec is not None
    assert formats(llm_server) == [*expected_formats, expected_formats[-1]], "detection is not repeated"


def test_explicit_mode_skips_detection(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC))

    result = make_formulator(response_format="json_object").formulate(PROBLEM)

    assert result.spec is not None
    assert formats(llm_server) == ["json_object"]


def test_explicit_mode_rejected_by_server_is_an_llm_error(llm_server, make_formulator):
    llm_server.reject = {"json_schema"}

    result = make_formulator(response_format="json_schema").formulate(PROBLEM)

    assert codes(result.diagnostics) == ["formulate.llm-error"]
    assert "NL2OPT_RESPONSE_FORMAT" in result.diagnostics[0].hint


@pytest.mark.parametrize(
    ("failure", "min_seconds"),
    [
        (HttpError(429, retry_after="0"), 0.0),
        (HttpError(429, retry_after="0.7"), 0.7),  # above the SDK's own 0.5 s first back-off
        (HttpError(503), 0.0),
    ],
    ids=["429-retry-after-0", "429-retry-after-honoured", "503"],
)
def test_sdk_retries_transient_failures_once_each(llm_server, make_formulator, failure, min_seconds):
    llm_server.push(failure, Reply(SMALL_SPEC))

    started = time.monotonic()
    result = make_formulator(max_retries=1).formulate(PROBLEM)

    assert time.monotonic() - started >= min_seconds
    assert result.spec is not None
    assert result.diagnostics == []
    assert len(llm_server.chat_requests) == 2
    assert llm_server.pending == 0
    assert result.usage.calls == 1


def test_timeout_becomes_a_diagnostic(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC, delay=5))

    started = time.monotonic()
    result = make_formulator(timeout=0.3).formulate(PROBLEM)

    assert time.monotonic() - started < 2
    assert result.spec is None
    assert codes(result.diagnostics) == ["formulate.llm-error"]
    assert "did not answer within 0.3 s" in result.diagnostics[0].message


def test_budget_shrinks_the_request_timeout(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC, delay=5))

    started = time.monotonic()
    result = make_formulator(timeout=10, budget=0.3).formulate(PROBLEM)

    assert time.monotonic() - started < 2
    assert codes(result.diagnostics) == ["formulate.llm-error"]


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (
            HttpError(401, message=f"Incorrect API key provided: {KEY}"),
            ["rejected the API key", "OPENAI_API_KEY"],
        ),
        (HttpError(404, message="model 'test-model' not found"), ["does not know model", "NL2OPT_MODEL"]),
        (HttpError(500, message="boom"), ["HTTP 500", "boom"]),
        (HttpError(429, message="slow down"), ["rate-limiting", "NL2OPT_MAX_RETRIES"]),
        (HttpError(400, message="bad temperature"), ["HTTP 400", "bad temperature"]),
    ],
    ids=["401", "404", "500", "429", "400"],
)
def test_http_failures_say_what_to_do_and_never_show_the_key(llm_server, make_formulator, failure, words):
    llm_server.push(failure)

    result = make_formulator().formulate(PROBLEM)

    assert result.spec is None
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "formulate.llm-error"
    assert diagnostic.stage is Stage.FORMULATE
    for word in words:
        assert word in f"{diagnostic.message} {diagnostic.hint}"
    assert KEY not in repr(result)


def test_unreachable_server_points_at_base_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    settings = Settings(base_url=f"http://127.0.0.1:{port}/v1", api_key=KEY, timeout=1, max_retries=0)

    with LLMFormulator(settings) as formulator:
        result = formulator.formulate(PROBLEM)

    assert codes(result.diagnostics) == ["formulate.llm-error"]
    assert "OPENAI_BASE_URL" in result.diagnostics[0].hint


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (Reply('{"name": "bakery", "variables": ['), "formulate.invalid-json"),
        (Reply("I think you should make more cakes."), "formulate.invalid-json"),
        (Reply(""), "formulate.empty"),
        (Reply(None), "formulate.empty"),
        (Reply(None, refusal="I can't help with that."), "formulate.refusal"),
        (Reply(None, finish_reason="content_filter"), "formulate.refusal"),
        (Reply('{"name": "bakery", "variables": [{"na', finish_reason="length"), "formulate.truncated"),
        (Reply({"variables": "bread and cake"}), "formulate.schema"),
        (Reply("[1, 2, 3]"), "formulate.schema"),
    ],
    ids=[
        "broken-json",
        "prose",
        "empty",
        "null",
        "refusal",
        "content-filter",
        "length",
        "schema",
        "not-object",
    ],
)
def test_unusable_replies_become_diagnostics(llm_server, make_formulator, reply, code):
    llm_server.push(reply)

    result = make_formulator().formulate(PROBLEM)

    assert result.spec is None
    assert set(codes(result.diagnostics)) == {code}
    assert result.usage.calls == 1


def test_schema_errors_are_located_by_element_name(llm_server, make_formulator):
    spec = json.loads(json.dumps(SMALL_SPEC))
    spec["variables"][0]["domain"] = "whole"
    del spec["constraints"][0]["expression"]
    spec["objective"]["goal"] = "profit"
    llm_server.push(Reply(spec))

    result = make_formulator().formulate(PROBLEM)

    found = {d.where: d.message for d in result.diagnostics}
    assert set(found) == {"variables[bread].domain", "constraints[flour_use].expression", "objective.goal"}
    assert "'whole'" in found["variables[bread].domain"]
    assert found["constraints[flour_use].expression"] == "Field required"


def test_schema_errors_are_capped_for_a_short_repair_message():
    bad = {
        **SMALL_SPEC,
        "variables": [
            {**SMALL_SPEC["variables"][0], "name": f"x{i}", "domain": "whole"}
            for i in range(MAX_SCHEMA_ERRORS + 2)
        ],
    }

    spec, diagnostics = parse_reply(CachedReply(json.dumps(bad), "stop", "test-model"))

    assert spec is None
    assert len(diagnostics) == MAX_SCHEMA_ERRORS + 1
    assert diagnostics[-1].message == "2 more places do not fit the schema."


def test_repair_sends_previous_spec_then_feedback_last(llm_server, make_formulator):
    previous = ModelSpec.model_validate(SMALL_SPEC)
    problem = Diagnostic(code="solve.unbounded", stage=Stage.SOLVE, message="profit grows without limit")
    feedback = render_feedback([problem], previous)
    llm_server.push(Reply(SMALL_SPEC))

    make_formulator().formulate(PROBLEM, previous=previous, feedback=feedback)

    messages = llm_server.chat_requests[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert ModelSpec.from_json(messages[2]["content"]) == previous
    assert messages[3]["content"] == feedback


def test_feedback_without_previous_spec_joins_the_problem_message(llm_server, make_formulator):
    feedback = render_feedback(
        [Diagnostic(code="formulate.invalid-json", stage=Stage.FORMULATE, message="x")], None
    )
    llm_server.push(Reply(SMALL_SPEC))

    make_formulator().formulate(PROBLEM, feedback=feedback)

    messages = llm_server.chat_requests[0]["messages"]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[1]["content"].endswith(feedback)


@pytest.mark.parametrize("as_dataframe", [False, True], ids=["rows", "dataframe"])
def test_data_tables_are_shown_as_a_summary_and_a_few_rows(llm_server, make_formulator, as_dataframe):
    rows = [{"plant": f"P{i}", "capacity": 100 + i} for i in range(SAMPLE_ROWS + 30)]
    table: Any = rows
    if as_dataframe:
        table = pytest.importorskip("pandas").DataFrame(rows)
    llm_server.push(Reply(SMALL_SPEC))

    make_formulator().formulate(PROBLEM, data={"plants": table})

    user = llm_server.chat_requests[0]["messages"][1]["content"]
    assert f"Table `plants`: {SAMPLE_ROWS + 30} rows." in user
    assert f"- `plant` (text): {SAMPLE_ROWS + 30} distinct" in user
    assert f"- `capacity` (integer): {SAMPLE_ROWS + 30} distinct, from 100 to {100 + SAMPLE_ROWS + 29}" in user
    assert "| plant | capacity |" in user
    assert "| P0 | 100 |" in user
    assert f"| P{SAMPLE_ROWS - 1} |" in user
    assert f"| P{SAMPLE_ROWS} |" not in user
    assert '"from"' in user


@pytest.mark.parametrize(
    ("prices", "expected"),
    [({"test-model": {"input": 1.0, "output": 2.0}}, 0.002), ({}, None)],
    ids=["priced", "unpriced"],
)
def test_usage_records_tokens_and_cost(llm_server, make_formulator, prices, expected):
    llm_server.reject = {"json_schema"}
    llm_server.push(Reply(SMALL_SPEC, prompt_tokens=1000, completion_tokens=500))

    usage = make_formulator(prices=prices).formulate(PROBLEM).usage

    assert (usage.calls, usage.cached_calls, usage.prompt_tokens, usage.completion_tokens) == (
        1,
        0,
        1000,
        500,
    )
    assert usage.cost_usd == (pytest.approx(expected) if expected is not None else None)


def test_served_model_name_is_reported(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC, model="test-model-2026-01-01"))

    assert make_formulator().formulate(PROBLEM).model == "test-model-2026-01-01"


def test_keyless_local_server_gets_a_placeholder_key(llm_server):
    llm_server.push(Reply(SMALL_SPEC))

    with LLMFormulator(Settings(base_url=llm_server.base_url, max_retries=0)) as formulator:
        assert formulator.formulate(PROBLEM).spec is not None

    assert llm_server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_nothing_configured_raises_with_the_variables_to_set():
    with pytest.raises(ConfigurationError, match=r"OPENAI_API_KEY.*OPENAI_BASE_URL.*NL2OPT_MODEL"):
        LLMFormulator(Settings())


def test_key_never_appears_in_reprs(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC))
    formulator = make_formulator()

    result = formulator.formulate(PROBLEM)

    for text in (
        repr(formulator),
        repr(formulator.settings),
        str(formulator.settings),
        formulator.settings.model_dump_json(),
        repr(result),
    ):
        assert KEY not in text


def test_concurrent_calls_are_served_in_parallel(llm_server, make_formulator):
    llm_server.default = Reply(SMALL_SPEC, delay=0.3)
    formulator = make_formulator()

    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: formulator.formulate(PROBLEM), range(16)))

    assert time.monotonic() - started < 1.5
    assert all(r.spec is not None for r in results)
    assert len(llm_server.chat_requests) == 16


def test_previous_without_feedback_is_a_programming_error(make_formulator):
    with pytest.raises(ValueError, match="feedback"):
        make_formulator().formulate(PROBLEM, previous=ModelSpec.model_validate(SMALL_SPEC))


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"a": 1}),
        'Sure! ```json\n{"a": 1}\n``` done',
        '```\n{"a": 1}\n```',
        'The model is {"a": 1} and that is all {not json}',
    ],
    ids=["bare", "json-fence", "plain-fence", "first-object"],
)
def test_extract_json_finds_the_object(content):
    assert extract_json(content) == {"a": 1}


def test_system_prompt_examples_are_valid_specs():
    blocks = re.findall(r"```json\n(.*?)```", system_prompt(), re.S)

    assert len(blocks) == 4
    assert {ModelSpec.from_json(b).name for b in blocks} == {"bakery", "crate_transport", "line_setup", "lanes"}


# --- Hostile servers: the key never leaves, malformed answers are Diagnostics, deadlines hold ---


def _spec_with(**changes: Any) -> dict[str, Any]:
    spec = json.loads(json.dumps(SMALL_SPEC))
    for path, value in changes.items():
        node = spec
        *parents, last = path.split("__")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[last] = value
    return spec


ECHOES = {
    "content": Reply(_spec_with(description=f"Made for {ECHO_KEY}.")),
    "content-prose": Reply(f"My key is {ECHO_KEY}, no JSON today."),
    "refusal": Reply(None, refusal=f"I will not use {ECHO_KEY}."),
    "schema-input": Reply(_spec_with(variables__0__domain=ECHO_KEY)),
    "usage": Reply(SMALL_SPEC, usage={"prompt_tokens": "ten", "completion_tokens": ECHO_KEY}),
    "model-name": Reply(SMALL_SPEC, model=ECHO_KEY),
    "error-body": HttpError(400, message=f"key {ECHO_KEY} may not use this model"),
    "error-500": HttpError(500, body={"error": {"message": f"overloaded for {ECHO_KEY}"}}),
    "not-a-completion": Raw(f"hello {ECHO_KEY}"),
    "not-json": Raw(f"<html>{ECHO_KEY}</html>", content_type="text/html"),
    "content-object": Reply({"secret": ECHO_KEY}, raw_content=True),
}


@pytest.mark.parametrize("step", ECHOES.values(), ids=ECHOES.keys())
def test_a_server_echoing_the_key_never_gets_it_into_a_formulation_or_the_cache(
    llm_server, make_formulator, tmp_path, step
):
    llm_server.push(step)

    result = make_formulator(cache=True, cache_dir=tmp_path).formulate(PROBLEM)

    said = [result.raw or "", result.model or "", *(d.model_dump_json() for d in result.diagnostics)]
    if result.spec is not None:
        said.append(result.spec.to_json())
    assert all(KEY not in text for text in said), said
    assert llm_server.requests[0].headers["authorization"] == f"Bearer {KEY}", "the server did see the key"
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]


def test_the_key_is_cut_out_wherever_the_reply_says_it(llm_server, make_formulator):
    llm_server.push(Reply(_spec_with(description=f"Made for {ECHO_KEY}."), model=ECHO_KEY))

    result = make_formulator().formulate(PROBLEM)

    assert result.spec is not None and result.spec.description == "Made for [redacted]."
    assert result.model == "[redacted]"


def test_a_key_spelled_with_json_escapes_is_cut_out_too(llm_server, make_formulator):
    escaped = "".join(f"\\u{ord(c):04x}" for c in KEY)  # the same string once JSON is decoded
    llm_server.push(Raw('{"choices": [{"message": {"content": null, "refusal": "' + escaped + '"}}]}'))

    result = make_formulator().formulate(PROBLEM)

    assert codes(result.diagnostics) == ["formulate.refusal"]
    assert "[redacted]" in result.diagnostics[0].message and KEY not in result.diagnostics[0].message


MALFORMED = {
    "json-string": (Raw('"just a string"'), "is a string, not an object"),
    "json-list": (Raw([1, 2]), "is a list, not an object"),
    "not-json": (Raw("<html>busy</html>", content_type="text/html"), "not JSON"),
    "content-object": (Reply(SMALL_SPEC, raw_content=True), "'choices[0].message.content' is an object"),
    "choices-not-list": (Raw({"choices": "none"}), "'choices' is not a list"),
    "message-not-object": (Raw({"choices": [{"message": "hi"}]}), "'choices[0].message' is a string"),
    "error-with-200": (Raw({"error": {"message": "overloaded"}}), "an error with HTTP status 200"),
}


@pytest.mark.parametrize(("step", "words"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_body_that_is_not_a_chat_completion_is_an_llm_error(llm_server, make_formulator, step, words):
    llm_server.push(step)

    result = make_formulator().formulate(PROBLEM)

    assert result.spec is None
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.stage) == ("formulate.llm-error", Stage.FORMULATE)
    assert words in diagnostic.message and "not with a chat completion" in diagnostic.message
    assert "OPENAI_BASE_URL" in diagnostic.hint


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": "ten", "completion_tokens": 5},
        {"prompt_tokens": 7, "completion_tokens": [1]},
        {"prompt_tokens": -3, "completion_tokens": 5},
        {"prompt_tokens": 1.5, "completion_tokens": 5},
    ],
    ids=["string", "list", "negative", "fraction"],
)
def test_unreadable_token_counts_are_noted_and_counted_as_zero(llm_server, make_formulator, usage):
    llm_server.push(Reply(SMALL_SPEC, usage=usage))

    result = make_formulator().formulate(PROBLEM)

    assert result.spec == ModelSpec.model_validate(SMALL_SPEC), "the model's answer is still used"
    [note] = result.diagnostics
    assert (note.code, note.severity.value) == ("formulate.usage-unreadable", "info")
    readable = {k: v for k, v in usage.items() if isinstance(v, int) and v >= 0}
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (
        readable.get("prompt_tokens", 0),
        readable.get("completion_tokens", 0),
    )


def test_usage_that_is_not_an_object_is_noted(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC, usage="lots"))

    result = make_formulator().formulate(PROBLEM)

    assert result.spec is not None and codes(result.diagnostics) == ["formulate.usage-unreadable"]
    assert result.usage.total_tokens == 0


@pytest.mark.parametrize(
    ("failures", "retries", "ok"), [(2, 2, True), (3, 2, False)], ids=["recovers", "gives-up"]
)
def test_http_500_then_success_is_retried_per_nl2opt_max_retries(llm_server, failures, retries, ok):
    llm_server.push(*failing_then(failures, Reply(SMALL_SPEC)))
    env = {
        "OPENAI_BASE_URL": llm_server.base_url,
        "OPENAI_API_KEY": KEY,
        "NL2OPT_MODEL": "test-model",
        "NL2OPT_TIMEOUT": "2",
        "NL2OPT_MAX_RETRIES": str(retries),
    }

    with LLMFormulator(Settings.from_env(env)) as formulator:
        result = formulator.formulate(PROBLEM)

    assert len(llm_server.chat_requests) == retries + 1
    if ok:
        assert result.spec is not None and result.diagnostics == []
    else:
        assert codes(result.diagnostics) == ["formulate.llm-error"]
        assert "HTTP 500, after 2 retries" in result.diagnostics[0].message
        llm_server.push(Reply(SMALL_SPEC))  # the step left over: not an unexpected request


def test_a_dripping_reply_ends_at_the_timeout_for_the_whole_request(llm_server, make_formulator):
    llm_server.push(Reply(SMALL_SPEC, drip=0.25))  # every read is quick; the whole reply would take minutes

    started = time.monotonic()
    result = make_formulator(timeout=1.0).formulate(PROBLEM)
    elapsed = time.monotonic() - started

    assert 0.9 < elapsed < 2.5  # a per-read timeout would wait out the whole drip: minutes
    assert codes(result.diagnostics) == ["formulate.llm-error"]
    assert "did not answer within 1 s" in result.diagnostics[0].message


def test_each_retry_gets_the_timeout_and_the_budget_bounds_them_all(llm_server, make_formulator):
    llm_server.default = Reply(SMALL_SPEC, drip=0.25)

    started = time.monotonic()
    result = make_formulator(timeout=0.6, max_retries=5, budget=1.5).formulate(PROBLEM)
    elapsed = time.monotonic() - started

    assert 1.4 < elapsed < 3.0  # without the budget: 6 attempts of 0.6 s and 15 s of back-off
    assert codes(result.diagnostics) == ["formulate.llm-error"]
    assert len(llm_server.chat_requests) >= 2, "a timed-out attempt is retried while the budget lasts"


def test_a_back_off_longer_than_the_budget_is_not_slept(llm_server, make_formulator):
    llm_server.push(HttpError(429, retry_after="30"))

    started = time.monotonic()
    result = make_formulator(max_retries=2, budget=1.5).formulate(PROBLEM)

    assert time.monotonic() - started < 0.5
    assert codes(result.diagnostics) == ["formulate.llm-error"]
    assert (
        "budget of 1.5 s ran out" in result.diagnostics[0].message
        and "30.0 s" in result.diagnostics[0].message
    )


def test_the_deadline_guards_every_pool_of_the_shared_client(make_formulator):
    from nl2opt.formulators import deadline

    formulator = make_formulator()

    assert deadline.guarded(formulator._client._client)


def _files_holding(root: Path, secret: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_the_key_is_in_no_result_cache_file_or_cli_output(llm_server, tmp_path):
    from typer.testing import CliRunner

    from nl2opt.cli import app

    llm_server.push(
        Reply(_spec_with(variables__0__domain=ECHO_KEY), model=ECHO_KEY, usage={"prompt_tokens": ECHO_KEY}),
        Reply(None, refusal=f"Not with {ECHO_KEY}."),
        Reply(
            _spec_with(description=f"For {ECHO_KEY}."), model=ECHO_KEY, usage={"completion_tokens": ECHO_KEY}
        ),
        Reply(_spec_with(description=f"Again for {ECHO_KEY}."), model=ECHO_KEY),
        HttpError(400, message=f"key {ECHO_KEY} is not allowed here"),
    )
    cache = tmp_path / "cache"
    env = {
        "OPENAI_BASE_URL": llm_server.base_url,
        "OPENAI_API_KEY": KEY,
        "NL2OPT_MODEL": "test-model",
        "NL2OPT_MAX_RETRIES": "0",
        "NL2OPT_TIMEOUT": "5",
        "NL2OPT_CACHE_DIR": str(cache),
    }
    runner = CliRunner()

    solved = runner.invoke(app, ["solve", PROBLEM, "--formulator", "llm", "--json", "--cache"], env=env)
    shown = runner.invoke(app, ["solve", PROBLEM + " Again.", "--formulator", "llm"], env=env)
    failed = runner.invoke(app, ["solve", PROBLEM + " Once more.", "--formulator", "llm"], env=env)

    result = json.loads(solved.stdout)
    assert result["status"] == "optimal" and result["spec"]["description"] == "For [redacted]."
    assert [a["status"] for a in result["attempts"]] == ["declined", "declined", "optimal"]
    assert "[redacted]" in json.dumps(result["attempts"][0]["diagnostics"])
    assert "status: optimal" in shown.stdout
    assert failed.exit_code == 1 and "[redacted]" in failed.stdout
    for invocation in (solved, shown, failed):
        assert KEY not in invocation.stdout + invocation.stderr
    assert len(llm_server.chat_requests) == 5 and all(
        r.headers["authorization"] == f"Bearer {KEY}" for r in llm_server.requests
    )
    assert list(cache.rglob("*.json")), "replies were cached"
    assert _files_holding(cache, KEY) == []


@pytest.mark.parametrize("variable", ["NL2OPT_TIMEOUT", "NL2OPT_BUDGET"])
@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "1e300"])
def test_timeouts_that_no_socket_can_wait_are_refused_by_name(variable, value):
    with pytest.raises(ConfigurationError, match=variable):
        Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:1/v1", variable: value})


def test_a_reply_without_end_is_cut_off_at_the_size_limit(llm_server, make_formulator, monkeypatch):
    import nl2opt.formulators.llm as llm

    monkeypatch.setattr(llm, "MAX_REPLY_BYTES", 50_000)
    llm_server.push(Reply(_spec_with(description="x" * 60_000)), Reply(_spec_with(description="x" * 40_000)))
    formulator = make_formulator()

    too_big = formulator.formulate(PROBLEM)
    fits = formulator.formulate(PROBLEM)

    assert codes(too_big.diagnostics) == ["formulate.llm-error"]
    assert "larger than 50,000 bytes" in too_big.diagnostics[0].message
    assert fits.spec is not None
