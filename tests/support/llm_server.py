"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests and benchmarks.

No LLM is reachable from this project's machines, so LLM-facing code is exercised
end-to-end over real HTTP against this server with the real openai client. Each
request to ``POST /v1/chat/completions`` takes the next step of the script (a
:class:`Reply` or an :class:`HttpError`, either with an optional delay); when the
script is empty the ``default`` reply answers every request (the "fixed delay echo"
mode benchmarks use). Requests whose ``response_format`` type is in ``reject`` get a
400 naming ``response_format`` without using up a step, as a server without
structured output would. Every request body is recorded.

Misbehaving servers are scripted too: :class:`Raw` answers any body (a JSON string
instead of a chat completion, HTML); ``Reply(raw_content=True)`` sends a dict
``content`` as an object; ``Reply(usage=...)`` sends any ``usage``; ``drip`` sends
the answer one byte per ``drip`` seconds. :data:`ECHO_KEY` anywhere in an answer is
replaced by the bearer token of the request, so a test can make the server echo the
API key in content, refusals, usage fields, model names and error bodies.

Usage::

    with ScriptedLLMServer([Reply(spec_dict)]) as server:
        settings = Settings(base_url=server.base_url, api_key="test")
        ...
        assert server.chat_requests[0]["response_format"]["type"] == "json_schema"
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
ECHO_KEY = "{{api_key}}"
"""Replaced, in whatever the server sends, by the API key the request carried."""


@dataclass
class Reply:
    """A 200 answer. A dict ``content`` is JSON-encoded; None sends ``content: null``."""

    content: str | dict[str, Any] | None = ""
    finish_reason: str = "stop"
    prompt_tokens: int = 10
    completion_tokens: int = 20
    refusal: str | None = None
    model: str | None = None
    """Model name in the answer; the requested one when None."""
    delay: float = 0.0
    """Seconds to wait before answering."""
    raw_content: bool = False
    """Send a dict ``content`` as a JSON object, as a broken server would, instead of as text."""
    usage: Any = None
    """The whole ``usage`` value to send (strings, say); built from the token counts when None."""
    drip: float = 0.0
    """Seconds between bytes of the answer (status line and headers included); 0 sends it at once."""


@dataclass
class Raw:
    """Any answer: ``body`` is sent as is when bytes or str, else JSON-encoded (a JSON string, a list)."""

    body: Any
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0
    drip: float = 0.0


@dataclass
class HttpError:
    """An error answer, e.g. ``HttpError(429, retry_after="0")``."""

    status: int
    message: str = "scripted error"
    retry_after: str | None = None
    delay: float = 0.0
    body: dict[str, Any] | None = None
    """Whole JSON body; by default OpenAI's ``{"error": {"message": ...}}`` shape."""
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0


Step = Reply | HttpError | Raw


def failing_then(failures: int, reply: Reply, *, status: int = 500) -> list[Step]:
    """``failures`` answers of HTTP ``status`` (retry at once) and then ``reply``: a server recovering."""
    return [
        HttpError(status, "scripted outage", headers={"retry-after-ms": "10"}) for _ in range(failures)
    ] + [reply]


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class ScriptedLLMServer:
    """Threaded HTTP server answering from a script; a context manager.

    Args:
        script: steps answered in order, one per chat request.
        default: answers every chat request once the script is used up; without it,
            an exhausted script answers 500 with ``x-should-retry: false`` and the
            request is listed in ``unexpected``.
        reject: response_format types (``"json_schema"``, ``"json_object"``) answered 400.
    """

    script: Iterable[Step] = ()
    default: Reply | None = None
    reject: set[str] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list, init=False)
    unexpected: list[RecordedRequest] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self._steps: deque[Step] = deque(self.script)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """The URL to give the openai client (ends in ``/v1``)."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of the chat completion requests received so far."""
        with self._lock:
            return [r.body or {} for r in self.requests if r.path == CHAT_PATH]

    def push(self, *steps: Step) -> None:
        """Append steps to the script."""
        with self._lock:
            self._steps.extend(steps)

    @property
    def pending(self) -> int:
        """Steps not yet used."""
        with self._lock:
            return len(self._steps)

    def start(self) -> ScriptedLLMServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="llm-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still waiting out a delay are cut short."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_step(self, request: RecordedRequest) -> Step:
        body = request.body or {}
        rf_type = (body.get("response_format") or {}).get("type")
        if rf_type in self.reject:
            return HttpError(400, f"response_format type '{rf_type}' is not supported by this server")
        with self._lock:
            if self._steps:
                return self._steps.popleft()
        if self.default is not None:
            return self.default
        with self._lock:
            self.unexpected.append(request)
        return HttpError(
            500, "script exhausted: more requests than scripted steps", headers={"x-should-retry": "false"}
        )

    def _completion(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        content = reply.content
        if isinstance(content, dict) and not reply.raw_content:
            content = json.dumps(content)
        usage = reply.usage
        if usage is None:
            usage = {
                "prompt_tokens": reply.prompt_tokens,
                "completion_tokens": reply.completion_tokens,
                "total_tokens": reply.prompt_tokens + reply.completion_tokens,
            }
        return {
            "id": f"chatcmpl-{next(self._ids)}",
            "object": "chat.completion",
            "created": 0,
            "model": reply.model or body.get("model", "test-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": reply.refusal},
                    "finish_reason": reply.finish_reason,
                    "logprobs": None,
                }
            ],
            "usage": usage,
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms delayed-ACK stalls
    server_state: ScriptedLLMServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``requests``, not stderr."""

    def do_GET(self) -> None:
        state = self.server_state
        state._record(RecordedRequest("GET", self.path, dict(self.headers), None))
        if self.path.rstrip("/") == MODELS_PATH:
            models = {
                "object": "list",
                "data": [{"id": "test-model", "object": "model", "created": 0, "owned_by": "nl2opt-tests"}],
            }
            self._send(200, models)
        else:
            self._send(404, {"error": {"message": f"no route {self.path}"}})

    def do_POST(self) -> None:
        state = self.server_state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        request = RecordedRequest("POST", self.path, dict(self.headers), body)
        state._record(request)
        if self.path != CHAT_PATH:
            self._send(404, {"error": {"message": f"no route {self.path}"}})
            return
        step = state._next_step(request)
        if step.delay and state._stopping.wait(step.delay):
            return
        if isinstance(step, HttpError):
            headers = dict(step.headers)
            if step.retry_after is not None:
                headers["Retry-After"] = step.retry_after
            error = step.body or {
                "error": {
                    "message": step.message,
                    "type": "invalid_request_error",
                    "param": None,
                    "code": None,
                }
            }
            self._send(step.status, error, headers, drip=step.drip)
        elif isinstance(step, Raw):
            data = step.body if isinstance(step.body, bytes | str) else json.dumps(step.body)
            self._send(step.status, data, {"Content-Type": step.content_type}, drip=step.drip)
        else:
            self._send(200, state._completion(step, body or {}), drip=step.drip)

    def _send(
        self, status: int, payload: Any, headers: dict[str, str] | None = None, *, drip: float = 0.0
    ) -> None:
        text = payload if isinstance(payload, bytes | str) else json.dumps(payload)
        data = text.encode() if isinstance(text, str) else text
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        data = data.replace(ECHO_KEY.encode(), json.dumps(token)[1:-1].encode())
        fields = {"Content-Type": "application/json", "Content-Length": str(len(data)), **(headers or {})}
        try:
            if drip:
                self._drip(status, fields, data, drip)
                return
            self.send_response(status)
            for name, value in fields.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    def _drip(self, status: int, fields: dict[str, str], data: bytes, seconds: float) -> None:
        """The whole answer, status line first, one byte every ``seconds``, until done or stopped."""
        head = f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in fields.items()) + "\r\n"
        self.close_connection = True
        for byte in head.encode() + data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if self.server_state._stopping.wait(seconds):
                return


SMALL_SPEC: dict[str, Any] = {
    "schema_version": "1",
    "name": "bakery",
    "description": "Loaves and cakes for most profit.",
    "sets": [],
    "parameters": [
        {
            "name": "flour",
            "index": [],
            "value": 100,
            "values": None,
            "entries": None,
            "unit": "kg",
            "description": "100 kg of flour",
        },
    ],
    "variables": [
        {
            "name": "bread",
            "index": [],
            "domain": "integer",
            "lower": 0,
            "upper": None,
            "description": "loaves",
        },
        {"name": "cake", "index": [], "domain": "integer", "lower": 0, "upper": None, "description": "cakes"},
    ],
    "objective": {"sense": "maximize", "expression": "3 * bread + 5 * cake", "description": "profit"},
    "constraints": [
        {
            "name": "flour_use",
            "for": [],
            "where": None,
            "expression": "2 * bread + cake <= flour",
            "description": "2 kg per loaf, 1 kg per cake",
            "kind": "capacity",
        },
    ],
}
"""A valid spec, as a scripted LLM would send it (strict schema: every field present)."""
