"""The repair message: the one place Diagnostics are worded for the formulator.

This is the exact text the LLM receives after a failed attempt; anything else that
presents the failure to a model must call :func:`render_feedback`. It is pinned by
``tests/formulators/golden/feedback.txt`` (regenerate with
``NL2OPT_REGEN_GOLDEN=1 pytest tests/formulators/test_feedback.py``).
"""

from __future__ import annotations

from nl2opt.diagnostics import Diagnostic, Severity
from nl2opt.spec import ModelSpec

_NO_PREVIOUS = (
    "Your previous reply could not be read as a model, so there is nothing to edit: "
    "write the complete model again from the problem text."
)

_WARNINGS_ONLY = (
    "These are warnings about how the model reads the text, not errors. Fix the model where a warning "
    "shows a real mistake; where the model is right, keep it unchanged and add one short sentence per "
    "warning to 'assumptions' saying how you read the text (for example \"servings are divisible\" or "
    "\"'4.' is a list label, not data\")."
)

_ASK = (
    "Return the corrected model as one complete JSON object in the same format: all five "
    "elements (sets, parameters, variables, objective, constraints), not only the parts that "
    "change. Keep what was right and fix what each problem points to."
)


def render_feedback(diagnostics: list[Diagnostic], previous: ModelSpec | None) -> str:
    """Numbered problems (code, location, message, hint), then the request for a full spec.

    The previous spec travels as the assistant message before this one, so it is not
    repeated here; when there is none, the text says so, because "correct your model"
    would otherwise refer to nothing.

    Raises:
        ValueError: ``diagnostics`` is empty; there is nothing to repair.
    """
    if not diagnostics:
        raise ValueError("render_feedback needs at least one diagnostic")
    n = len(diagnostics)
    head = f"Your previous answer has {n} problem{'s' if n > 1 else ''}:"
    items = [_item(i, d) for i, d in enumerate(diagnostics, start=1)]
    parts = [head, "\n".join(items)]
    if previous is None:
        parts.append(_NO_PREVIOUS)
    if all(d.severity is not Severity.ERROR for d in diagnostics):
        parts.append(_WARNINGS_ONLY)
    parts.append(_ASK)
    return "\n\n".join(parts)


def _item(number: int, d: Diagnostic) -> str:
    label = f"[{d.code}]" if d.severity is Severity.ERROR else f"[{d.code}, {d.severity}]"
    where = f" at {d.where}" if d.where else ""
    lines = [f"{number}. {label}{where}: {d.message}"]
    if d.hint:
        lines.append(f"   Hint: {d.hint}")
    return "\n".join(lines)
