"""Fixtures for the whole suite: no network, no real credentials, a scripted LLM server."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from nl2opt.config import ENV_VARS
from tests.support.llm_server import ScriptedLLMServer

_LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def _is_local(address: Any) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else address
    return not host or host in _LOOPBACK or (isinstance(host, str) and host.startswith("127."))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that tries to reach a non-loopback host.

    A blocked connect raises inside the code under test, where an HTTP client may turn it
    into a polite error; so the attempt is also recorded and fails the test afterwards.
    """
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address: Any) -> None:
        if not _is_local(address):
            attempts.append(repr(address))
            raise ConnectionRefusedError(f"tests may not use the network (tried {address!r})")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        guard((host.decode() if isinstance(host, bytes) else host,))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    if attempts:
        pytest.fail(f"test tried to reach the network: {', '.join(attempts)}")


@pytest.fixture(autouse=True)
def _no_llm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see a developer's real key, server or model settings."""
    for var in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def llm_server() -> Iterator[ScriptedLLMServer]:
    """A started scripted server with an empty script; ``push`` steps onto it.

    A test that sends more chat requests than it scripted fails here, even when the
    code under test turned the server's 500 into a Diagnostic.
    """
    with ScriptedLLMServer() as server:
        yield server
    assert not server.unexpected, f"{len(server.unexpected)} chat request(s) beyond the script"


@pytest.fixture(autouse=True)
def _fresh_llm_memory() -> Iterator[None]:
    """Shared clients and remembered response formats must not leak between scripted servers."""
    yield
    llm = sys.modules.get("nl2opt.formulators.llm")
    if llm is not None:
        llm._CLIENTS.clear()
        llm._MODES.clear()
