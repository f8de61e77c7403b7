"""nl2opt: plain-language decision problems to verified optimisation models.

The public API is this module's ``__all__``. Importing nl2opt is cheap: the
pipeline, the solvers and the LLM client load on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from nl2opt.diagnostics import Diagnostic, Severity
from nl2opt.errors import (
    BackendUnavailableError,
    ConfigurationError,
    DatasetError,
    Nl2OptError,
    UnknownBackendError,
    WhatIfError,
)
from nl2opt.result import Attempt, Result, Status
from nl2opt.spec import Constraint, Domain, IndexSet, ModelSpec, Objective, Parameter, Sense, Variable

if TYPE_CHECKING:
    from nl2opt.backends import available_backends, backend_names
    from nl2opt.binding import table_uses
    from nl2opt.pipeline import solve_spec
    from nl2opt.repair import formulate_and_solve
    from nl2opt.spec import strict_json_schema
    from nl2opt.whatif import Comparison, compare

__version__ = "0.1.0"

_LAZY = {
    "solve_spec": "nl2opt.pipeline",
    "formulate_and_solve": "nl2opt.repair",
    "available_backends": "nl2opt.backends",
    "backend_names": "nl2opt.backends",
    "strict_json_schema": "nl2opt.spec",
    "compare": "nl2opt.whatif",
    "Comparison": "nl2opt.whatif",
    "table_uses": "nl2opt.binding",
}

__all__ = [
    "Attempt",
    "BackendUnavailableError",
    "Comparison",
    "ConfigurationError",
    "Constraint",
    "DatasetError",
    "Diagnostic",
    "Domain",
    "IndexSet",
    "ModelSpec",
    "Nl2OptError",
    "Objective",
    "Parameter",
    "Result",
    "Sense",
    "Severity",
    "Status",
    "UnknownBackendError",
    "Variable",
    "WhatIfError",
    "__version__",
    "available_backends",
    "backend_names",
    "compare",
    "formulate_and_solve",
    "solve_spec",
    "strict_json_schema",
    "table_uses",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nl2opt' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
