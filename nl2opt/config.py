"""Settings from the environment: which LLM to call, how patiently, and at what price.

The usual OpenAI variables (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``) work unchanged, so
any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp, LM Studio) can be
used; nl2opt's own knobs are prefixed ``NL2OPT_``. The API key is held as a
:class:`~pydantic.SecretStr`, so it never shows in a repr, a log line or a JSON dump.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from nl2opt._compat import StrEnum
from nl2opt.errors import ConfigurationError

DEFAULT_MODEL = "gpt-4.1-mini"
MAX_SECONDS = 7 * 24 * 3600.0
"""The longest timeout or budget (a week): sockets cannot wait for longer, and nobody should."""
LOCAL_PLACEHOLDER_KEY = "not-needed"
"""Sent as the key to a server that needs none (Ollama, llama.cpp): the SDK insists on one."""


class ResponseFormatMode(StrEnum):
    """How the LLM is asked for JSON; ``auto`` tries the strictest and falls back."""

    AUTO = "auto"
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    TEXT = "text"


class ModelPrice(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: float = Field(ge=0, description="$ per 1M prompt tokens.")
    output: float = Field(ge=0, description="$ per 1M completion tokens.")

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1_000_000


def _default_cache_dir() -> Path:
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches"
    else:
        root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "nl2opt"


class Settings(BaseModel):
    """Everything the LLM formulator needs to reach and pay for a model.

    Build it with :meth:`from_env`; fields can also be given directly, which is what
    tests and the benchmark runner do.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr | None = Field(default=None, description="OPENAI_API_KEY.")
    base_url: str | None = Field(default=None, description="OPENAI_BASE_URL; null for api.openai.com.")
    model: str = Field(default=DEFAULT_MODEL, description="NL2OPT_MODEL.")
    temperature: float | None = Field(
        default=0.0, ge=0, description="NL2OPT_TEMPERATURE; null leaves it to the server."
    )
    timeout: float = Field(
        default=60.0,
        gt=0,
        le=MAX_SECONDS,
        allow_inf_nan=False,
        description="NL2OPT_TIMEOUT: seconds per HTTP attempt, first byte sent to last byte read.",
    )
    max_retries: int = Field(default=3, ge=0, description="NL2OPT_MAX_RETRIES: the SDK's retries.")
    budget: float | None = Field(
        default=None,
        gt=0,
        le=MAX_SECONDS,
        allow_inf_nan=False,
        description="NL2OPT_BUDGET: seconds for one formulate call, all attempts and back-offs.",
    )
    response_format: ResponseFormatMode = Field(
        default=ResponseFormatMode.AUTO, description="NL2OPT_RESPONSE_FORMAT."
    )
    cache_dir: Path = Field(default_factory=_default_cache_dir, description="NL2OPT_CACHE_DIR.")
    prices: dict[str, ModelPrice] = Field(
        default_factory=dict, description="Model name -> price; read from the NL2OPT_PRICES file."
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read the environment (or ``env``); keyword overrides win over variables.

        Raises:
            ConfigurationError: a variable holds a value of the wrong kind; the message
                names the variable.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for field, var in ENV_VARS.items():
            raw = env.get(var, "").strip()
            if raw:
                values[field] = raw
        if "prices" in values:
            values["prices"] = _read_prices(values["prices"])
        if values.get("temperature", "").lower() == "none":
            values["temperature"] = None
        values.update(overrides)
        try:
            return cls(**values)
        except ValidationError as err:
            raise ConfigurationError(_explain(err, set(overrides))) from None

    def llm_configured(self) -> bool:
        """True when there is somewhere to send a request: a key, or a (local) server URL."""
        return self.api_key is not None or self.base_url is not None

    def require_llm(self) -> Settings:
        """Return self, or raise when no LLM is configured.

        Raises:
            ConfigurationError: neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.
        """
        if not self.llm_configured():
            raise ConfigurationError(
                "No LLM is configured. Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for an "
                "OpenAI-compatible server (e.g. http://localhost:11434/v1 for Ollama), and "
                f"NL2OPT_MODEL to the model name (default {DEFAULT_MODEL!r}); or use the offline "
                "rules formulator."
            )
        return self

    def client_api_key(self) -> str:
        """The key to hand to the SDK: the real one, or a placeholder for keyless local servers."""
        return self.api_key.get_secret_value() if self.api_key is not None else LOCAL_PLACEHOLDER_KEY

    def price(self, *models: str | None) -> ModelPrice | None:
        """The first price found for any of ``models`` (requested name, then served name)."""
        return next((self.prices[m] for m in models if m and m in self.prices), None)


ENV_VARS: dict[str, str] = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "NL2OPT_MODEL",
    "temperature": "NL2OPT_TEMPERATURE",
    "timeout": "NL2OPT_TIMEOUT",
    "max_retries": "NL2OPT_MAX_RETRIES",
    "budget": "NL2OPT_BUDGET",
    "response_format": "NL2OPT_RESPONSE_FORMAT",
    "cache_dir": "NL2OPT_CACHE_DIR",
    "prices": "NL2OPT_PRICES",
}
"""Settings field -> environment variable."""


def llm_configured(env: Mapping[str, str] | None = None) -> bool:
    """True when the environment names an LLM (key or server URL), i.e. the LLM formulator can run."""
    env = os.environ if env is None else env
    return any(env.get(ENV_VARS[f], "").strip() for f in ("api_key", "base_url"))


def _read_prices(path: str) -> dict[str, Any]:
    try:
        table = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ConfigurationError(
            f"NL2OPT_PRICES={path!r} could not be read as JSON ({err}). It should name a file like "
            '{"gpt-4.1-mini": {"input": 0.4, "output": 1.6}} giving $ per 1M tokens.'
        ) from None
    if not isinstance(table, dict):
        raise ConfigurationError(f"NL2OPT_PRICES={path!r} must hold a JSON object: model -> price.")
    return table


def _explain(err: ValidationError, overridden: set[str]) -> str:
    """One line per bad field, naming the variable a person would fix (never echoing a secret)."""
    lines = []
    for e in err.errors(include_url=False):
        field = str(e["loc"][0]) if e["loc"] else ""
        source = f"argument {field!r}" if field in overridden or field not in ENV_VARS else ENV_VARS[field]
        shown = "" if field == "api_key" else f" (got {e.get('input')!r})"
        lines.append(f"{source}: {e['msg']}{shown}")
    return "Invalid setting. " + "; ".join(lines)


class Limits(BaseModel):
    """How large a model nl2opt will read, compile and verify; each bound protects memory or time.

    The defaults keep a hostile or mistaken spec (a few kilobytes that expand to billions of
    cells) well under a second and a few hundred megabytes; a user with a big machine raises
    them through the ``NL2OPT_MAX_*`` variables (see :data:`LIMIT_VARS`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    spec_bytes: int = Field(
        default=20_000_000, gt=0, description="NL2OPT_MAX_SPEC_BYTES: size of a spec file."
    )
    set_members: int = Field(
        default=1_000_000, gt=0, description="NL2OPT_MAX_SET_MEMBERS: members of all sets together."
    )
    parameter_cells: int = Field(
        default=20_000_000, gt=0, description="NL2OPT_MAX_PARAMETER_CELLS: cells of all parameter tables."
    )
    columns: int = Field(
        default=5_000_000, gt=0, description="NL2OPT_MAX_COLUMNS: variables, with the auxiliary ones."
    )
    rows: int = Field(default=5_000_000, gt=0, description="NL2OPT_MAX_ROWS: constraint rows.")
    nonzeros: int = Field(default=20_000_000, gt=0, description="NL2OPT_MAX_NONZEROS: coefficients.")
    cells: int = Field(
        default=10_000_000,
        gt=0,
        description="NL2OPT_MAX_CELLS: cells one expression's sums, products and filters touch.",
    )
    verify_seconds: float = Field(
        default=30.0, gt=0, description="NL2OPT_VERIFY_SECONDS: time after which verification stops."
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Limits:
        """Read the ``NL2OPT_MAX_*`` variables (or ``env``); keyword overrides win.

        Raises:
            ConfigurationError: a variable is not a positive number; the message names it.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for field, var in LIMIT_VARS.items():
            raw = env.get(var, "").strip().replace("_", "")
            if raw:
                values[field] = raw
        values.update(overrides)
        try:
            return cls(**values)
        except ValidationError as err:
            lines = []
            for e in err.errors(include_url=False):
                field = str(e["loc"][0]) if e["loc"] else ""
                source = f"argument {field!r}" if field in overrides else LIMIT_VARS.get(field, field)
                lines.append(f"{source}: {e['msg']} (got {e.get('input')!r})")
            raise ConfigurationError("Invalid limit. " + "; ".join(lines)) from None


LIMIT_VARS: dict[str, str] = {
    "spec_bytes": "NL2OPT_MAX_SPEC_BYTES",
    "set_members": "NL2OPT_MAX_SET_MEMBERS",
    "parameter_cells": "NL2OPT_MAX_PARAMETER_CELLS",
    "columns": "NL2OPT_MAX_COLUMNS",
    "rows": "NL2OPT_MAX_ROWS",
    "nonzeros": "NL2OPT_MAX_NONZEROS",
    "cells": "NL2OPT_MAX_CELLS",
    "verify_seconds": "NL2OPT_VERIFY_SECONDS",
}
"""Limits field -> environment variable."""
