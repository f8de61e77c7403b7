"""ReplyCache: replies on disk, keyed by everything that shapes them except the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from nl2opt.config import Settings
from nl2opt.formulators.cache import CachedReply, ReplyCache, reply_key
from nl2opt.formulators.llm import LLMFormulator
from nl2opt.spec import ModelSpec
from tests.support.llm_server import SMALL_SPEC, Reply, ScriptedLLMServer

KEY = "sk-test-DO-NOT-LEAK-77e1b0"
PROBLEM = "A bakery has 100 kg of flour; a loaf needs 2 kg and earns $3, a cake 1 kg and $5."
REPLY = CachedReply(content='{"a": 1}', finish_reason="stop", model="m", prompt_tokens=3, completion_tokens=4)
KEY_PARTS = {
    "base_url": "http://127.0.0.1:1/v1/",
    "model": "m",
    "messages": [{"role": "user", "content": "hi"}],
    "mode": "json_schema",
    "schema": {"type": "object"},
    "temperature": 0.0,
}


def formulate_with_cache(server: ScriptedLLMServer, cache_dir: Path, **overrides: object):
    """One formulate call on a fresh formulator, as a rerun of a benchmark would make."""
    settings = Settings(
        base_url=server.base_url,
        api_key=KEY,
        model="test-model",
        timeout=2,
        max_retries=0,
        cache_dir=cache_dir,
        **overrides,
    )
    with LLMFormulator(settings, cache=True) as formulator:
        return formulator.formulate(PROBLEM)


def test_round_trip_and_atomic_layout(tmp_path):
    cache = ReplyCache(tmp_path)
    key = reply_key(**KEY_PARTS)

    assert cache.get(key) is None
    cache.put(key, REPLY)

    assert cache.get(key) == REPLY
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{key}.json"], "no temp files left"


def test_damaged_entry_is_a_miss(tmp_path):
    cache = ReplyCache(tmp_path)
    key = reply_key(**KEY_PARTS)
    cache.put(key, REPLY)
    next(tmp_path.rglob("*.json")).write_text("{half", encoding="utf-8")

    assert cache.get(key) is None


@pytest.mark.parametrize(
    ("part", "other"),
    [
        ("base_url", "http://127.0.0.1:2/v1/"),
        ("model", "m2"),
        ("messages", [{"role": "user", "content": "hello"}]),
        ("mode", "json_object"),
        ("schema", None),
        ("temperature", 0.7),
    ],
)
def test_key_depends_on_every_part(part, other):
    assert reply_key(**KEY_PARTS) == reply_key(**dict(KEY_PARTS))
    assert reply_key(**KEY_PARTS) != reply_key(**{**KEY_PARTS, part: other})


def test_hit_makes_no_http_call_and_costs_no_tokens(llm_server, tmp_path):
    llm_server.push(Reply(SMALL_SPEC, prompt_tokens=100, completion_tokens=50))
    first = formulate_with_cache(llm_server, tmp_path, prices={"test-model": {"input": 1, "output": 1}})

    second = formulate_with_cache(llm_server, tmp_path, prices={"test-model": {"input": 1, "output": 1}})

    assert len(llm_server.chat_requests) == 1
    assert second.spec == first.spec == ModelSpec.model_validate(SMALL_SPEC)
    assert (first.usage.calls, first.usage.cached_calls, first.usage.prompt_tokens) == (1, 0, 100)
    assert (second.usage.calls, second.usage.cached_calls, second.usage.total_tokens) == (0, 1, 0)
    assert second.usage.cost_usd == 0.0
    assert second.model == first.model == "test-model"


def test_hit_found_for_a_fallback_mode_without_detection(llm_server, tmp_path):
    llm_server.reject = {"json_schema"}
    llm_server.push(Reply(SMALL_SPEC))
    formulate_with_cache(llm_server, tmp_path)
    sent = len(llm_server.requests)

    again = formulate_with_cache(llm_server, tmp_path)

    assert again.spec is not None
    assert len(llm_server.requests) == sent, "a fresh formulator finds the json_object reply without asking"


@pytest.mark.parametrize(
    "reply",
    [Reply('{"name": "cut', finish_reason="length"), Reply(None, refusal="no"), Reply("")],
    ids=["truncated", "refusal", "empty"],
)
def test_possibly_transient_replies_are_not_stored(llm_server, tmp_path, reply):
    llm_server.push(reply, Reply(SMALL_SPEC))

    formulate_with_cache(llm_server, tmp_path)
    second = formulate_with_cache(llm_server, tmp_path)

    assert second.spec is not None
    assert len(llm_server.chat_requests) == 2


def test_cache_files_never_hold_the_api_key(llm_server, tmp_path):
    llm_server.push(Reply(SMALL_SPEC))

    formulate_with_cache(llm_server, tmp_path)

    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files
    assert not [p for p in files if KEY.encode() in p.read_bytes()]
