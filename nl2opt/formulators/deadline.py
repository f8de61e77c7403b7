"""Wall-clock deadlines for LLM requests: bound a whole HTTP attempt and a whole call, not each read.

The SDK's timeout is httpx's, which applies to each socket operation: a server that
sends one byte a second never trips a 60 s timeout and holds the caller forever. So
every socket operation of a request made inside :func:`deadline` is given only the
time left, and fails with httpcore's own timeout once none is left:

* ``attempt_seconds`` (NL2OPT_TIMEOUT) bounds each HTTP attempt from its start to its
  last byte: its clock restarts when the SDK sends a retry (httpx's request hook);
* ``budget`` (NL2OPT_BUDGET) bounds the whole call, retries and waits included;
  :func:`budget_left` lets the SDK's back-off give up instead of sleeping past it.

Each attempt may also read at most ``max_bytes``: a server that answers fast but without
end would otherwise fill the memory before any deadline passes (:class:`ReplyTooLarge`).

The deadline lives in a :class:`~contextvars.ContextVar`, so threads sharing one
client (a benchmark, the web form) each have their own. It is enforced by wrapping the
network backend of each connection pool of the httpx client (:func:`guard`): the only
place that sees every read, including the status line and headers. That reaches into
httpx's private ``_transport`` / ``_mounts`` / ``_pool``; ``tests/formulators/test_llm.py``
pins it with a server that drips its reply.
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpcore2

_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar("nl2opt_deadline", default=None)


class ReplyTooLarge(Exception):
    """An attempt read more than its ``max_bytes``; not an httpx error, so the SDK does not retry it."""


@dataclass
class Deadline:
    """When the current attempt and the whole call must end (``time.monotonic`` seconds)."""

    attempt_seconds: float
    call_end: float = math.inf
    attempt_end: float = math.inf
    max_bytes: float = math.inf
    read: int = 0
    """Bytes read in the current attempt."""

    def start_attempt(self) -> None:
        self.attempt_end = time.monotonic() + self.attempt_seconds
        self.read = 0

    def count(self, data: bytes) -> bytes:
        self.read += len(data)
        if self.read > self.max_bytes:
            raise ReplyTooLarge(f"the reply is larger than {self.max_bytes:,.0f} bytes")
        return data

    def left(self) -> float:
        return min(self.attempt_end, self.call_end) - time.monotonic()


@contextmanager
def deadline(
    attempt_seconds: float, budget: float | None = None, *, max_bytes: float = math.inf
) -> Iterator[Deadline]:
    """Requests made in this block end within ``attempt_seconds`` each and ``budget`` in all."""
    now = time.monotonic()
    current = Deadline(
        attempt_seconds, call_end=now + budget if budget is not None else math.inf, max_bytes=max_bytes
    )
    current.start_attempt()
    token = _CURRENT.set(current)
    try:
        yield current
    finally:
        _CURRENT.reset(token)


def budget_left() -> float | None:
    """Seconds left of the current call's budget; None outside a deadline or without a budget."""
    current = _CURRENT.get()
    if current is None or math.isinf(current.call_end):
        return None
    return current.call_end - time.monotonic()


def guard(http_client: Any) -> Any:
    """Make every request of ``http_client`` (an ``httpx2.Client``) obey the current deadline.

    Returns the client. Pools already guarded are left alone.
    """
    hooks = dict(http_client.event_hooks)
    hooks["request"] = [*hooks.get("request", []), _start_attempt]
    http_client.event_hooks = hooks
    transports = [getattr(http_client, "_transport", None), *getattr(http_client, "_mounts", {}).values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _Backend):
            pool._network_backend = _Backend(backend)  # type: ignore[union-attr]
    return http_client


def guarded(http_client: Any) -> bool:
    """True when every pool of ``http_client`` obeys the deadline (what :func:`guard` did)."""
    transports = [getattr(http_client, "_transport", None), *getattr(http_client, "_mounts", {}).values()]
    pools = [getattr(t, "_pool", None) for t in transports if t is not None]
    return bool(pools) and all(isinstance(getattr(p, "_network_backend", None), _Backend) for p in pools)


def _start_attempt(request: Any) -> None:
    current = _CURRENT.get()
    if current is not None:
        current.start_attempt()


def _clamp(timeout: float | None, expired: type[Exception]) -> float | None:
    current = _CURRENT.get()
    if current is None:
        return timeout
    left = current.left()
    if left <= 0:
        raise expired("the request ran out of time (a wall-clock deadline for the whole request)")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore2.NetworkStream):
    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, _clamp(timeout, httpcore2.ReadTimeout))
        current = _CURRENT.get()
        return current.count(data) if current is not None else data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore2.NetworkStream:
        return _Stream(
            self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore2.ConnectTimeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend(httpcore2.NetworkBackend):
    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        return _Stream(
            self._inner.connect_tcp(
                host, port, _clamp(timeout, httpcore2.ConnectTimeout), local_address, socket_options
            )
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore2.NetworkStream:
        return _Stream(
            self._inner.connect_unix_socket(path, _clamp(timeout, httpcore2.ConnectTimeout), socket_options)
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
