"""The verifier: the spec re-evaluated on a solution (:mod:`nl2opt.verify.verifier`).

Its own evaluator (``evaluate``, with ``gather`` for vectorised sums) shares no code with
``lower/``; ``plausibility`` and the ``text*`` / ``words`` helpers compare the spec with
the problem's words. The package imports nothing at import time, so the evaluator can be
imported without the whole verifier.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return getattr(importlib.import_module("nl2opt.verify.verifier"), name)
    except AttributeError:
        raise AttributeError(f"module 'nl2opt.verify' has no attribute {name!r}") from None
