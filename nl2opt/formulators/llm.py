"""The LLM formulator: problem text in, a ModelSpec (or Diagnostics saying why not) out.

This is the only module that imports :mod:`openai`, so any OpenAI-compatible server
works and nothing else in nl2opt knows about HTTP. Everything that can go wrong with
a reply or a request comes back as ``formulate.*`` Diagnostics, never as an exception.

**Structured output, with fallback.** ``response_format`` ``auto`` asks for strict JSON
schema output first. A server that answers HTTP 400/422 naming ``response_format`` /
``json_schema`` is asked again in JSON mode (``json_object``) with the schema written
into the system prompt, and one that rejects that too gets plain text from which the
JSON object is cut out (a ```json fence, or the first ``{...}``). The mode that worked
is remembered per (base URL, model) on the instance; an explicit mode skips detection.

**Retries: one layer, the SDK's.** The client is built with
``OpenAI(max_retries=settings.max_retries, timeout=settings.timeout)``. openai 3.57's
``SyncAPIClient.request`` retries timeouts, connection errors and HTTP 408/409/429/5xx,
and ``_calculate_retry_timeout`` waits for the server's ``retry-after-ms`` or
``Retry-After`` (seconds, or an HTTP date) when it is above 0 and at most 120 s, and
otherwise (no header, or ``Retry-After: 0``) backs off exponentially from 0.5 s (capped
at 8 s, minus up to 25% jitter); ``_should_retry`` gives up at once when Retry-After
exceeds 120 s. ``tests/formulators/test_llm.py`` pins this. nl2opt adds no retry
loop of its own.

**Deadlines for the whole request, not each read.** httpx's timeout applies to each
socket read, so a server dripping a byte a second would never time out. Each HTTP
attempt ends within ``settings.timeout`` from its first byte sent to its last byte read,
and a whole ``formulate`` call (every attempt, retry and back-off) within
``settings.budget`` (:mod:`nl2opt.formulators.deadline`); a back-off that would sleep past
the budget gives up at once.

**What the server says is not trusted.** The body is read by
:mod:`nl2opt.formulators.completion`, which cuts the API key out of every string before
anything else sees it and turns a body that is not a chat completion into a Diagnostic.
Error bodies go through the same redaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any

import openai
from pydantic import ValidationError

from nl2opt.config import ResponseFormatMode, Settings
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.formulators import deadline
from nl2opt.formulators.base import Formulation, Usage
from nl2opt.formulators.cache import CachedReply, ReplyCache, reply_key
from nl2opt.formulators.completion import MalformedReply, Redactor, read_completion
from nl2opt.spec import ModelSpec, strict_json_schema
from nl2opt.tables import SAMPLE_ROWS, describe, load_tables

Mode = ResponseFormatMode
OPENAI_URL = "https://api.openai.com/v1"
FALLBACK_ORDER: tuple[Mode, ...] = (Mode.JSON_SCHEMA, Mode.JSON_OBJECT, Mode.TEXT)
"""What ``auto`` tries, strictest first."""
MAX_REPLY_BYTES = 16 * 1024 * 1024
"""Bytes one HTTP attempt may read: a model spec is never near this, a runaway server soon is."""
MAX_SCHEMA_ERRORS = 8
"""Schema errors reported per reply: enough to repair, short enough to read."""

_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured output")
_FENCE = re.compile(r"```(?:json|JSON)?[ \t]*\n(.*?)```", re.S)


class _BudgetSpent(openai.OpenAIError):
    """The SDK would wait for a retry past the call's budget; an OpenAIError, so it is not retried."""


class _Client(openai.OpenAI):
    """The SDK's client, whose back-off before a retry never sleeps past the call's budget."""

    def _calculate_retry_timeout(
        self, remaining_retries: int, options: Any, response_headers: Any = None
    ) -> float:
        wait = super()._calculate_retry_timeout(remaining_retries, options, response_headers)
        left = deadline.budget_left()
        if left is not None and wait >= left:
            raise _BudgetSpent(
                f"a retry would wait {wait:.1f} s with {max(left, 0):.1f} s of the budget left"
            )
        return wait


class _HttpClient(openai.DefaultHttpxClient):
    """The SDK's default HTTP client, closed (its sockets too) when dropped, as the SDK's own is."""

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


_CLIENTS: dict[tuple[str, str, float, int], openai.OpenAI] = {}
_MODES: dict[tuple[str, str], Mode] = {}
"""Response format each (base URL, model) was found to accept, remembered for the process."""
_LOCK = threading.Lock()


def _shared_client(settings: Settings) -> openai.OpenAI:
    """One client per server and key for the whole process.

    A new client costs an SSL context (~20 ms of CPU) and a cold connection pool; a batch run
    formulating hundreds of problems would pay that for each. The key is hashed for the lookup.
    """
    key = settings.client_api_key()
    base_url = settings.base_url or OPENAI_URL
    lookup = (hashlib.sha256(key.encode()).hexdigest(), base_url, settings.timeout, settings.max_retries)
    with _LOCK:
        client = _CLIENTS.get(lookup)
        if client is None:
            client = _Client(
                api_key=key,
                base_url=base_url,
                timeout=settings.timeout,
                max_retries=settings.max_retries,
                http_client=deadline.guard(_HttpClient()),
            )
            _CLIENTS[lookup] = client
        return client


class LLMFormulator:
    """Asks an OpenAI-compatible chat model for a spec; implements ``Formulator``.

    Args:
        settings: where and how to call the model; ``Settings.from_env()`` when None.
        cache: True for a :class:`ReplyCache` under ``settings.cache_dir``, or a cache
            to use; False calls the server every time.
        sample: the index of this formulation among several sampled ones (``samples=k``),
            so that each sample has its own cached reply.

    Raises:
        ConfigurationError: neither an API key nor a base URL is configured.
    """

    name = "llm"

    def __init__(
        self, settings: Settings | None = None, *, cache: bool | ReplyCache = False, sample: int = 0
    ) -> None:
        self.settings = (settings or Settings.from_env()).require_llm()
        self.sample = sample
        """Which of several sampled formulations this is; part of the cache key when above 0."""
        if cache is True:
            cache = ReplyCache(self.settings.cache_dir)
        self.cache: ReplyCache | None = cache or None
        self._client = _shared_client(self.settings)
        self._redactor = Redactor(
            self.settings.api_key.get_secret_value() if self.settings.api_key is not None else None
        )
        self.base_url = str(self._client.base_url)
        self._modes = _MODES

    def __repr__(self) -> str:
        return f"LLMFormulator(model={self.settings.model!r}, base_url={self.base_url!r})"

    def __enter__(self) -> LLMFormulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: the client and its connection pool are shared (see _shared_client)."""

    @property
    def detected_mode(self) -> Mode | None:
        """The response format this server accepted, once ``auto`` has found it."""
        return self._modes.get((self.base_url, self.settings.model))

    def formulate(
        self,
        text: str,
        *,
        data: Mapping[str, Any] | None = None,
        previous: ModelSpec | None = None,
        feedback: str | None = None,
    ) -> Formulation:
        """Ask for a spec; on repair, ``previous`` goes in as the model's own answer.

        Raises:
            ValueError: ``previous`` without ``feedback`` (there would be nothing to ask).
        """
        started = time.monotonic()
        modes = self._modes_to_try()

        @functools.cache
        def conversation(mode: Mode) -> list[dict[str, str]]:
            return build_messages(text, data=data, previous=previous, feedback=feedback, mode=mode)

        if self.cache is not None:
            for mode in modes:
                hit = self.cache.get(self._key(mode, conversation(mode)))
                if hit is not None:
                    usage = Usage(cached_calls=1, cost_usd=self._cost(hit.model, 0, 0))
                    return self._formulation(self._redacted(hit), usage, started)

        usage = Usage()
        with deadline.deadline(self.settings.timeout, self.settings.budget, max_bytes=MAX_REPLY_BYTES):
            for mode in modes:
                timeout = self._time_left(started)
                if timeout <= 0:
                    return self._failure(_budget_spent(self.settings), usage, started)
                try:
                    reply, notes = self._call(mode, conversation(mode))
                except _BudgetSpent as err:
                    return self._failure(_budget_spent(self.settings, str(err)), usage, started)
                except openai.APIError as err:
                    if mode is not modes[-1] and _rejects_format(err):
                        continue
                    return self._failure(self._transport_diagnostic(err, timeout), usage, started)
                except (MalformedReply, deadline.ReplyTooLarge) as err:
                    return self._failure(self._malformed(err), usage + Usage(calls=1), started)
                self._modes[(self.base_url, self.settings.model)] = mode
                usage = usage + Usage(
                    calls=1,
                    prompt_tokens=reply.prompt_tokens,
                    completion_tokens=reply.completion_tokens,
                    cost_usd=self._cost(reply.model, reply.prompt_tokens, reply.completion_tokens),
                )
                if self.cache is not None and _worth_caching(reply):
                    self.cache.put(self._key(mode, conversation(mode)), reply)
                formulation = self._formulation(reply, usage, started)
                formulation.diagnostics += [_unreadable_usage(note) for note in notes]
                return formulation
        raise AssertionError("unreachable: the last mode answers or fails")  # pragma: no cover

    def _modes_to_try(self) -> tuple[Mode, ...]:
        if self.settings.response_format is not Mode.AUTO:
            return (self.settings.response_format,)
        detected = self.detected_mode
        return (detected,) if detected else FALLBACK_ORDER

    def _key(self, mode: Mode, messages: list[dict[str, str]]) -> str:
        return reply_key(
            base_url=self.base_url,
            model=self.settings.model,
            messages=messages,
            mode=str(mode) if not self.sample else f"{mode}/sample-{self.sample}",
            schema=_schema() if mode is Mode.JSON_SCHEMA else None,
            temperature=self.settings.temperature,
        )

    def _time_left(self, started: float) -> float:
        if self.settings.budget is None:
            return self.settings.timeout
        return min(self.settings.timeout, self.settings.budget - (time.monotonic() - started))

    def _call(self, mode: Mode, messages: list[dict[str, str]]) -> tuple[CachedReply, list[str]]:
        """One request (with the SDK's retries): the reply, and notes on unreadable usage fields.

        Raises:
            openai.APIError: the request failed (after retries).
            _BudgetSpent: a retry would have waited past the budget.
            MalformedReply: the server answered 200 with something that is not a chat completion.
        """
        options: dict[str, Any] = {}
        if mode is Mode.JSON_SCHEMA:
            options["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "model_spec", "schema": _schema(), "strict": True},
            }
        elif mode is Mode.JSON_OBJECT:
            options["response_format"] = {"type": "json_object"}
        if self.settings.temperature is not None:
            options["temperature"] = self.settings.temperature
        response = self._client.chat.completions.with_raw_response.create(
            model=self.settings.model,
            messages=messages,  # type: ignore[arg-type]
            timeout=self.settings.timeout,
            **options,
        )
        return read_completion(response.content, redactor=self._redactor, model=self.settings.model)

    def _cost(self, served_model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
        price = self.settings.price(self.settings.model, served_model)
        return price.cost(prompt_tokens, completion_tokens) if price else None

    def _formulation(self, reply: CachedReply, usage: Usage, started: float) -> Formulation:
        spec, diagnostics = parse_reply(reply)
        return Formulation(
            spec, diagnostics, usage, model=reply.model, raw=reply.content, seconds=time.monotonic() - started
        )

    def _failure(self, diagnostic: Diagnostic, usage: Usage, started: float) -> Formulation:
        return Formulation(
            None, [diagnostic], usage, model=self.settings.model, seconds=time.monotonic() - started
        )

    def _transport_diagnostic(self, err: openai.APIError, timeout: float) -> Diagnostic:
        """Say what failed and what to check, in words; the key is never included."""
        facts = {
            "url": self.base_url,
            "model": self.settings.model,
            "timeout": f"{timeout:g}",
            "retries": self.settings.max_retries,
            "status": getattr(err, "status_code", "?"),
            "detail": self._redact(err.message)[:300],
        }
        message, hint = next((m, h) for kind, m, h in _TRANSPORT_ADVICE if isinstance(err, kind))
        if _rejects_format(err):
            hint = (
                "Set NL2OPT_RESPONSE_FORMAT=auto (or json_object/text) for servers without structured output."
            )
        return _diag("formulate.llm-error", message.format(**facts), hint=hint.format(**facts))

    def _redact(self, text: str) -> str:
        return self._redactor.text(text)

    def _redacted(self, reply: CachedReply) -> CachedReply:
        """A cached reply with the key cut out (entries written before replies were redacted)."""
        return CachedReply(**self._redactor.tree(dataclasses.asdict(reply)))

    def _malformed(self, err: MalformedReply | deadline.ReplyTooLarge) -> Diagnostic:
        return _diag(
            "formulate.llm-error",
            f"The server at {self.base_url} answered, but not with a chat completion: {err}",
            hint="Check that OPENAI_BASE_URL is the API root of an OpenAI-compatible server (often ending in "
            "'/v1') and NL2OPT_MODEL a model it serves.",
        )


def build_messages(
    text: str,
    *,
    data: Mapping[str, Any] | None = None,
    previous: ModelSpec | None = None,
    feedback: str | None = None,
    mode: Mode = Mode.JSON_SCHEMA,
) -> list[dict[str, str]]:
    """The chat: system prompt, the problem (+ data), and on repair the previous spec and feedback.

    Feedback without a previous spec is appended to the problem message, so roles still
    alternate (some local chat templates reject two user turns in a row).

    Raises:
        ValueError: ``previous`` without ``feedback``.
    """
    if previous is not None and feedback is None:
        raise ValueError("a previous spec needs feedback saying what to change")
    system = system_prompt()
    if mode is not Mode.JSON_SCHEMA:
        schema = json.dumps(_schema(), separators=(",", ":"))
        system += (
            "\n\n# Output format\n\nAnswer with one JSON object and nothing else. It must fit this JSON "
            "schema (every property is required; use null where a value does not apply):\n\n"
            f"```json\n{schema}\n```\n"
        )
    problem = f"Problem:\n{text.strip()}"
    if data:
        problem += "\n\n" + render_data(data)
    messages = [{"role": "system", "content": system}, {"role": "user", "content": problem}]
    if previous is not None:
        messages.append({"role": "assistant", "content": previous.to_json(indent=None)})
        messages.append({"role": "user", "content": feedback or ""})
    elif feedback:
        messages[-1]["content"] += "\n\n" + feedback
    return messages


def render_data(data: Mapping[str, Any]) -> str:
    """Each table as a summary of constant size, and how to bind it by reference.

    The model sees a table's name, row count, columns with types, distinct counts and
    ranges, and its first :data:`SAMPLE_ROWS` rows; never the rest. It is taught to read
    sets and parameters with ``"from"``, so a table's numbers are never copied into the
    spec and the prompt does not grow with the rows. A table is anything
    :func:`nl2opt.tables.load_tables` reads; one it cannot read is named as unreadable.
    """
    tables, problems = load_tables(data)
    parts = [
        "Data tables (bound by reference: the solver reads every row; you see a summary and the first "
        f"{SAMPLE_ROWS} rows. Never copy their numbers into the spec: read sets and parameters from "
        'them with "from"):'
    ]
    for table in tables.values():
        summary = describe(table)
        lines = [f"Table `{_cell(table.name)}`: {table.rows} rows. Columns:"]
        lines += [f"- {_column(c)}" for c in summary["columns"]]
        keys = [c["name"] for c in summary["columns"]]
        header = [_cell(k) for k in keys]
        lines += [
            f"First {len(summary['sample'])} rows:",
            "| " + " | ".join(header) + " |",
            "|" + " --- |" * len(header),
        ]
        lines += ["| " + " | ".join(_cell(row.get(k)) for k in keys) + " |" for row in summary["sample"]]
        parts.append("\n".join(lines))
    unread = [name for name in data if str(name) not in tables]
    parts += [
        f"Table `{_cell(name)}` could not be read: {_cell(d.message)}" for name, d in zip(unread, problems)
    ]
    return "\n\n".join(parts)


def _column(c: dict[str, Any]) -> str:
    """One column of a table summary: type, distinct count, range or examples, gaps."""
    text = f"`{_cell(c['name'])}` ({c['type']}): {c['distinct']} distinct"
    if "min" in c:
        text += f", from {_cell(c['min'])} to {_cell(c['max'])}"
    if c.get("examples"):
        text += ", e.g. " + ", ".join(json.dumps(e) for e in c["examples"])
    if c.get("missing"):
        text += f"; {c['missing']} blank"
    return text


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def parse_reply(reply: CachedReply) -> tuple[ModelSpec | None, list[Diagnostic]]:
    """Read a reply into a spec, or say why it cannot be read (never raises)."""
    if reply.refusal:
        return None, [_diag("formulate.refusal", f"The model refused: {reply.refusal[:300]}")]
    if reply.finish_reason == "content_filter":
        return None, [_diag("formulate.refusal", "The server's content filter stopped the reply.")]
    if reply.finish_reason == "length":
        return None, [
            _diag(
                "formulate.truncated",
                "The reply was cut off at the token limit before the JSON was complete.",
                hint="Shorten descriptions; use ranges for long integer sets, 'entries' for sparse tables.",
            )
        ]
    if not (reply.content or "").strip():
        return None, [
            _diag("formulate.empty", "The reply was empty.", hint="Answer with the model spec JSON.")
        ]
    try:
        document = extract_json(reply.content or "")
    except json.JSONDecodeError as err:
        return None, [
            _diag(
                "formulate.invalid-json",
                f"The reply is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}.",
                hint="Answer with the model spec as one JSON object and no other text.",
            )
        ]
    try:
        return ModelSpec.model_validate(document), []
    except ValidationError as err:
        return None, schema_diagnostics(err, document)


def extract_json(content: str) -> Any:
    """The JSON value in ``content``: all of it, else a ```json fence, else the first ``{...}``.

    Raises:
        json.JSONDecodeError: no candidate parses; the error is that of the whole text.
    """
    fence = _FENCE.search(content)
    candidates = [content.strip()] + ([fence.group(1).strip()] if fence else [])
    first_error: json.JSONDecodeError | None = None
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except json.JSONDecodeError as err:
            first_error = first_error or err
    start = content.find("{")
    if start >= 0:
        try:
            return json.JSONDecoder().raw_decode(content, start)[0]
        except json.JSONDecodeError:
            pass
    assert first_error is not None
    raise first_error


def schema_diagnostics(err: ValidationError, document: Any) -> list[Diagnostic]:
    """Pydantic's errors, one Diagnostic per location, named like ``constraints[supply].expression``."""
    grouped: dict[str, list[str]] = {}
    for e in err.errors(include_url=False):
        messages = grouped.setdefault(_where(e["loc"], document, missing=e["type"] == "missing"), [])
        message = e["msg"] + _shown_input(e)
        if message not in messages:
            messages.append(message)
    items = list(grouped.items())
    diagnostics = [
        _diag("formulate.schema", "; ".join(msgs), where=where) for where, msgs in items[:MAX_SCHEMA_ERRORS]
    ]
    if len(items) > MAX_SCHEMA_ERRORS:
        diagnostics.append(
            _diag("formulate.schema", f"{len(items) - MAX_SCHEMA_ERRORS} more places do not fit the schema.")
        )
    return diagnostics


def _where(loc: Iterable[int | str], document: Any, *, missing: bool) -> str:
    """Follow pydantic's location through the document, skipping union-branch tags.

    List items with a ``name`` are shown by name, as elsewhere in nl2opt's diagnostics.
    """
    parts = list(loc)
    out, node = "", document
    for i, part in enumerate(parts):
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            name = node.get("name") if isinstance(node, dict) else None
            out += f"[{name}]" if isinstance(name, str) and name else f"[{part}]"
        elif (
            isinstance(part, str)
            and isinstance(node, dict)
            and (part in node or (missing and i == len(parts) - 1))
        ):
            out += f".{part}" if out else part
            node = node.get(part)
    return out


def _shown_input(error: Mapping[str, Any]) -> str:
    value = error.get("input")
    if error["type"] == "missing" or not isinstance(value, str | int | float):
        return ""
    text = repr(value)
    return f" (got {text[:40]}{'...' if len(text) > 40 else ''})"


def _rejects_format(err: openai.APIError) -> bool:
    """A 400/422 that names the response format: the server cannot do this mode."""
    if not isinstance(err, openai.APIStatusError) or err.status_code not in (400, 422):
        return False
    said = f"{err.message} {json.dumps(err.body, default=str)}".lower()
    return any(word in said for word in _FORMAT_WORDS)


def _worth_caching(reply: CachedReply) -> bool:
    """Keep replies a rerun would want again; not ones that may be transient."""
    return (
        bool((reply.content or "").strip())
        and not reply.refusal
        and reply.finish_reason
        not in (
            "length",
            "content_filter",
        )
    )


def _diag(
    code: str, message: str, *, where: str = "", hint: str = "", severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, stage=Stage.FORMULATE, where=where, message=message, hint=hint
    )


def _budget_spent(settings: Settings, why: str = "") -> Diagnostic:
    return _diag(
        "formulate.llm-error",
        f"The time budget of {settings.budget:g} s ran out before the LLM answered"
        + (f" ({why})." if why else "."),
        hint="Raise NL2OPT_BUDGET, or use a faster model or server.",
    )


def _unreadable_usage(note: str) -> Diagnostic:
    return _diag(
        "formulate.usage-unreadable",
        f"The server's token count could not be read ({note}); it is counted as 0, so tokens and cost "
        "are understated.",
        severity=Severity.INFO,
    )


_TRANSPORT_ADVICE: tuple[tuple[type[openai.APIError], str, str], ...] = (
    (
        openai.APITimeoutError,
        "The LLM server at {url} did not answer within {timeout} s (after {retries} retries).",
        "Check that the server is up and not overloaded, or raise NL2OPT_TIMEOUT.",
    ),
    (
        openai.APIConnectionError,
        "Could not connect to the LLM server at {url} (after {retries} retries).",
        "Check OPENAI_BASE_URL and that the server is running and reachable.",
    ),
    (
        openai.AuthenticationError,
        "The server at {url} rejected the API key (HTTP 401).",
        "Check OPENAI_API_KEY: it must be a valid key for this server.",
    ),
    (
        openai.PermissionDeniedError,
        "The API key may not use model {model!r} at {url} (HTTP 403): {detail}",
        "Check the key's project and permissions, or choose another NL2OPT_MODEL.",
    ),
    (
        openai.NotFoundError,
        "The server at {url} does not know model {model!r} or the chat endpoint (HTTP 404): {detail}",
        "Check NL2OPT_MODEL and that OPENAI_BASE_URL ends in the API root (often '/v1').",
    ),
    (
        openai.RateLimitError,
        "The server at {url} kept rate-limiting requests (HTTP 429, after {retries} retries): {detail}",
        "Wait and try again, run fewer requests at once, or raise NL2OPT_MAX_RETRIES.",
    ),
    (
        openai.InternalServerError,
        "The server at {url} failed (HTTP {status}, after {retries} retries): {detail}",
        "The server is in trouble; try again later or use another OPENAI_BASE_URL.",
    ),
    (
        openai.APIStatusError,
        "The server at {url} refused the request (HTTP {status}): {detail}",
        "Check NL2OPT_MODEL and the server's documentation for the options it accepts.",
    ),
    (
        openai.APIError,
        "The LLM call to {url} failed: {detail}",
        "Check OPENAI_BASE_URL and that the server speaks the OpenAI chat completions API.",
    ),
)
"""First matching exception class -> (message, hint); subclasses come before their bases."""


@functools.cache
def system_prompt() -> str:
    """The system prompt (package data ``prompts/system.md``)."""
    return resources.files("nl2opt.formulators").joinpath("prompts", "system.md").read_text(encoding="utf-8")


@functools.cache
def _schema() -> dict[str, Any]:
    return strict_json_schema()
