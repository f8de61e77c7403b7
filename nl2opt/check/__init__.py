"""The checker: semantic checks of a spec (:mod:`nl2opt.check.checker`) and their helpers.

Helpers live beside it: ``semantics`` (the language's meaning), ``slots`` and ``tables``
(parameter data), ``parsed`` (the parsed spec handed to lower, verify and explain) and
``budget`` (the size estimate made before anything is allocated). The package imports
nothing at import time, so a helper can be imported without the whole checker.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return getattr(importlib.import_module("nl2opt.check.checker"), name)
    except AttributeError:
        raise AttributeError(f"module 'nl2opt.check' has no attribute {name!r}") from None
