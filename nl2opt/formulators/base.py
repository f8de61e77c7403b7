"""The formulator protocol: problem text (+ feedback) in, a ModelSpec or Diagnostics out.

Formulators are stateless: the repair loop passes the previous spec and the
feedback explicitly, so a retry is data, not hidden conversation state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from nl2opt.diagnostics import Diagnostic
from nl2opt.result import Usage
from nl2opt.spec import ModelSpec


@dataclass
class Formulation:
    """One formulator answer: a spec, or Diagnostics saying why there is none."""

    spec: ModelSpec | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    model: str | None = None
    """Which model answered (LLM model name, or 'rules')."""
    raw: str | None = None
    seconds: float = 0.0
    draft: ModelSpec | None = None
    """When declining: the part of a model that was understood, for a person to finish."""
    unread: list[str] = field(default_factory=list)
    """When declining: the sentences that were not understood."""
    alternatives: list[Reading] = field(default_factory=list)
    """Other models the text also reads as (one sentence read another way); the answer stands
    only when every reading gives it (see :mod:`nl2opt.ambiguity`)."""


@dataclass(frozen=True)
class Reading:
    """``spec`` is the model with ``sentence`` read as the row ``meaning`` instead of ``written``."""

    sentence: str
    written: str
    meaning: str
    spec: ModelSpec
    hint: str = "Say which is meant in so many words and solve again, or finish the attached draft."
    """How the writer can settle it (shown when the readings' answers differ)."""


class Formulator(Protocol):
    name: str
    """'llm' or 'rules'."""

    def formulate(
        self,
        text: str,
        *,
        data: dict[str, Any] | None = None,
        previous: ModelSpec | None = None,
        feedback: str | None = None,
    ) -> Formulation: ...
