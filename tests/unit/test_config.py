"""Settings from the environment: names, defaults, errors that name the variable, a hidden key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nl2opt.config import (
    DEFAULT_MODEL,
    LOCAL_PLACEHOLDER_KEY,
    ModelPrice,
    ResponseFormatMode,
    Settings,
    llm_configured,
)
from nl2opt.errors import ConfigurationError

KEY = "sk-test-DO-NOT-LEAK-0c3d9e"


def test_defaults():
    settings = Settings.from_env({})

    assert settings.api_key is None
    assert settings.base_url is None
    assert settings.model == DEFAULT_MODEL
    assert (settings.temperature, settings.timeout, settings.max_retries) == (0.0, 60.0, 3)
    assert settings.response_format is ResponseFormatMode.AUTO
    assert settings.budget is None
    assert settings.prices == {}
    assert settings.cache_dir.name == "nl2opt"


@pytest.mark.parametrize(
    ("var", "value", "field", "expected"),
    [
        ("OPENAI_BASE_URL", "http://localhost:11434/v1", "base_url", "http://localhost:11434/v1"),
        ("NL2OPT_MODEL", "llama3.1", "model", "llama3.1"),
        ("NL2OPT_TEMPERATURE", "0.2", "temperature", 0.2),
        ("NL2OPT_TEMPERATURE", "none", "temperature", None),
        ("NL2OPT_TIMEOUT", "12.5", "timeout", 12.5),
        ("NL2OPT_MAX_RETRIES", "0", "max_retries", 0),
        ("NL2OPT_BUDGET", "90", "budget", 90.0),
        ("NL2OPT_RESPONSE_FORMAT", "json_object", "response_format", ResponseFormatMode.JSON_OBJECT),
        ("NL2OPT_CACHE_DIR", "/tmp/nl2opt-cache", "cache_dir", Path("/tmp/nl2opt-cache")),
    ],
)
def test_each_variable_sets_its_field(var, value, field, expected):
    assert getattr(Settings.from_env({var: value}), field) == expected


def test_blank_variables_count_as_unset():
    assert Settings.from_env({"NL2OPT_MODEL": "  ", "OPENAI_API_KEY": ""}) == Settings.from_env({})


def test_overrides_win_over_the_environment():
    assert Settings.from_env({"NL2OPT_MODEL": "a"}, model="b").model == "b"


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("NL2OPT_TIMEOUT", "soon"),
        ("NL2OPT_TIMEOUT", "0"),
        ("NL2OPT_MAX_RETRIES", "-1"),
        ("NL2OPT_RESPONSE_FORMAT", "xml"),
        ("NL2OPT_TEMPERATURE", "hot"),
    ],
)
def test_bad_values_name_the_variable(var, value):
    with pytest.raises(ConfigurationError, match=var):
        Settings.from_env({var: value})


def test_price_table_is_read_from_a_file(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"gpt-4.1-mini": {"input": 0.4, "output": 1.6}}), encoding="utf-8")

    settings = Settings.from_env({"NL2OPT_PRICES": str(path)})

    assert settings.prices == {"gpt-4.1-mini": ModelPrice(input=0.4, output=1.6)}
    assert settings.price("other", "gpt-4.1-mini").cost(1_000_000, 500_000) == pytest.approx(1.2)
    assert settings.price("other") is None


@pytest.mark.parametrize(
    "content",
    [None, "{not json", "[1, 2]", '{"m": {"input": 1}}'],
    ids=["missing", "broken", "not-object", "no-output-price"],
)
def test_bad_price_table_names_the_variable(tmp_path, content):
    path = tmp_path / "prices.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    with pytest.raises(ConfigurationError, match="NL2OPT_PRICES"):
        Settings.from_env({"NL2OPT_PRICES": str(path)})


@pytest.mark.parametrize(
    ("env", "configured", "client_key"),
    [
        ({}, False, LOCAL_PLACEHOLDER_KEY),
        ({"OPENAI_API_KEY": KEY}, True, KEY),
        ({"OPENAI_BASE_URL": "http://localhost:8000/v1"}, True, LOCAL_PLACEHOLDER_KEY),
    ],
    ids=["nothing", "key", "local-server"],
)
def test_llm_is_configured_by_a_key_or_a_server(env, configured, client_key):
    settings = Settings.from_env(env)

    assert llm_configured(env) is configured
    assert settings.llm_configured() is configured
    assert settings.client_api_key() == client_key


def test_requiring_an_unconfigured_llm_says_what_to_set():
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env({}).require_llm()

    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NL2OPT_MODEL"):
        assert var in str(caught.value)


def test_key_is_never_shown():
    settings = Settings.from_env({"OPENAI_API_KEY": KEY})

    for text in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        json.dumps(settings.model_dump(), default=str),
    ):
        assert KEY not in text
    assert settings.client_api_key() == KEY


def test_settings_are_read_from_os_environ_by_default(monkeypatch):
    monkeypatch.setenv("NL2OPT_MODEL", "from-environ")

    assert Settings.from_env().model == "from-environ"
