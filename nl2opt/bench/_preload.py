"""Warm-up imported once by the forkserver, so every forked worker starts warm.

The runner forks one worker process per problem from a forkserver. Whatever this
module loads, the forkserver holds, and each fork inherits it for free: the
pipeline and solver modules, the openai SDK's lazily imported chat resources (a
third of a second of pydantic model building on first use) and the LLM
formulator's cached JSON schema and system prompt. Without it every problem
would pay those costs again.

Nothing here may start a thread, because a process that forks must have only one:
so no solver is run (HiGHS starts its worker threads on its first solve) and no
request is sent. Failures are ignored, since a cold worker is only slower.
"""

from __future__ import annotations

import contextlib
import importlib
import platform

MODULES = (
    "nl2opt.repair",
    "nl2opt.backends.highs",
    "nl2opt.formulators.rules",
    "nl2opt.formulators.llm",
    "highspy",
    "h11",
    "httpcore2",
    "jiter",
)
"""Modules a worker would otherwise import on its first solve or request."""


def warm() -> None:
    """Import what a worker needs and fill the LLM formulator's caches."""
    for name in MODULES:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    platform.platform()  # caches `uname -p`, which the openai SDK's headers would run as a subprocess
    with contextlib.suppress(Exception):
        from nl2opt.config import Settings
        from nl2opt.formulators import llm

        llm._schema()
        llm.system_prompt()
        with llm.LLMFormulator(Settings(base_url="http://127.0.0.1:9/v1", api_key="unused")) as formulator:
            formulator._client.chat.completions  # noqa: B018 - the SDK imports its chat resources on first use


warm()
