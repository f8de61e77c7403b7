"""The backend registry: names to classes, resolved lazily.

Importing this package imports no solver: each entry names its class as a
``"module:Class"`` string, and availability is checked with
:func:`importlib.util.find_spec`, which finds a package without running it.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass

from nl2opt.backends.base import Backend, Capabilities, SolveOptions
from nl2opt.errors import BackendUnavailableError, UnknownBackendError

__all__ = [
    "Backend",
    "Capabilities",
    "SolveOptions",
    "available_backends",
    "backend_names",
    "get_backend",
]


@dataclass(frozen=True)
class _Entry:
    target: str
    """``"module:Class"`` of the backend."""
    packages: tuple[str, ...]
    """Top-level modules the backend imports when solving."""
    install: str
    """The command that makes the backend available."""


_REGISTRY: dict[str, _Entry] = {
    "highs": _Entry("nl2opt.backends.highs:HighsBackend", ("highspy",), "pip install highspy"),
    "pulp": _Entry("nl2opt.backends.pulp:PulpBackend", ("pulp",), "pip install nl2opt[pulp]"),
    "ortools": _Entry("nl2opt.backends.ortools:OrToolsBackend", ("ortools",), "pip install nl2opt[ortools]"),
    "pyomo": _Entry("nl2opt.backends.pyomo:PyomoBackend", ("pyomo",), "pip install nl2opt[pyomo]"),
    "scip": _Entry("nl2opt.backends.scip:ScipBackend", ("pyscipopt",), "pip install nl2opt[scip]"),
}


def backend_names() -> list[str]:
    """Every backend nl2opt knows, installed or not, default first."""
    return list(_REGISTRY)


def available_backends() -> list[str]:
    """The backends whose solver packages are installed (found, not imported)."""
    return [name for name, entry in _REGISTRY.items() if not _missing(entry)]


def get_backend(name: str) -> Backend:
    """A ready backend instance.

    Raises:
        UnknownBackendError: ``name`` is not in the registry; the message lists the known names.
        BackendUnavailableError: the backend's package is not installed; the message says
            what to install.
    """
    key = name.strip().lower()
    entry = _REGISTRY.get(key)
    if entry is None:
        known = ", ".join(_REGISTRY)
        raise UnknownBackendError(f"unknown backend {name!r}; choose one of: {known}")
    missing = _missing(entry)
    if missing:
        raise BackendUnavailableError(
            f"backend {key!r} needs the {', '.join(missing)} package; install it with `{entry.install}`"
        )
    module_name, class_name = entry.target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls()


def _missing(entry: _Entry) -> list[str]:
    return [package for package in entry.packages if importlib.util.find_spec(package) is None]
