"""Exceptions: for programmer errors and calls that cannot proceed, never for bad models.

A bad model is reported through :class:`nl2opt.diagnostics.Diagnostic`; these
exceptions are for the caller's own mistakes, each with a message that says what to do::

    Nl2OptError
    ├── ConfigurationError      no LLM configured, bad setting, missing API key
    ├── UnknownBackendError     backend name not in the registry
    ├── BackendUnavailableError backend known but its package is not installed
    ├── DatasetError            a benchmark dataset file is malformed (names the line)
    └── WhatIfError             a what-if change names no parameter of the model, or has the wrong shape
"""

from __future__ import annotations


class Nl2OptError(Exception):
    """Base of every exception nl2opt raises on purpose."""


class ConfigurationError(Nl2OptError):
    """A setting needed for the call is missing or invalid."""


class UnknownBackendError(Nl2OptError, ValueError):
    """The backend name is not one nl2opt knows."""


class BackendUnavailableError(Nl2OptError):
    """The backend is known but its solver package is not installed."""


class DatasetError(Nl2OptError, ValueError):
    """A dataset file cannot be read; the message names the file and line."""


class WhatIfError(Nl2OptError, ValueError):
    """A what-if change does not fit the model; the message says what the model has."""
