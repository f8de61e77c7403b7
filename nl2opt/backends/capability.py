"""Whether a backend can solve a program, read from the capabilities it declares as data.

The check runs before any solver is built, both in the pipeline (which reports it as a
``solve.capability`` Diagnostic) and in :func:`nl2opt.backends._common.guarded_solve` (so a
backend called directly never silently drops a program's quadratic parts).
"""

from __future__ import annotations

import importlib

from nl2opt.backends.base import Capabilities
from nl2opt.classify import Needs, ProblemClass, classify, needs
from nl2opt.program import LinearProgram

_WORDS = {
    "integer": "integer variables",
    "quadratic_objective": "a quadratic objective",
    "quadratic_constraints": "quadratic or cone constraints",
    "nonconvex": "a nonconvex quadratic part",
    "mixed_integer_quadratic": "integer variables with quadratic parts",
}
_LABELS = {
    ProblemClass.LP: "an LP",
    ProblemClass.MILP: "a MILP",
    ProblemClass.CONVEX_QP: "a convex QP",
    ProblemClass.NONCONVEX_QP: "a nonconvex QP",
    ProblemClass.MIQP: "a mixed-integer QP",
    ProblemClass.CONVEX_QCQP: "a convex QCQP/SOCP",
    ProblemClass.NONCONVEX_QCQP: "a nonconvex QCQP",
    ProblemClass.MIQCP: "a mixed-integer QCQP",
}


def capabilities_of(name: str) -> Capabilities:
    """The declared capabilities of a registered backend (its module imports no solver)."""
    from nl2opt.backends import _REGISTRY

    module_name, class_name = _REGISTRY[name].target.split(":")
    return getattr(importlib.import_module(module_name), class_name).capabilities


def lacking(caps: Capabilities, need: Needs) -> list[str]:
    """The needs ``caps`` does not cover, as words."""
    return [words for field, words in _WORDS.items() if getattr(need, field) and not getattr(caps, field)]


def able_backends(need: Needs) -> list[str]:
    """Registered backends whose declared capabilities cover ``need`` (installed or not)."""
    from nl2opt.backends import backend_names

    return [name for name in backend_names() if not lacking(capabilities_of(name), need)]


def refusal(backend: str, program: LinearProgram, caps: Capabilities | None = None) -> str | None:
    """Why ``backend`` (declaring ``caps``, by default its registered ones) cannot solve ``program``
    and which backends can; None when it can."""
    if not program.is_quadratic and not program.is_mip:
        return None
    kind = classify(program)
    need = needs(kind, program)
    missing = lacking(caps if caps is not None else capabilities_of(backend), need)
    if not missing:
        return None
    others = [name for name in able_backends(need) if name != backend]
    alternative = (
        f"use the {' or '.join(others)} backend" if others else "no backend nl2opt knows can solve it"
    )
    return (
        f"the model is {_LABELS[kind]} ({kind.value}); the {backend} backend cannot solve "
        f"{' or '.join(missing)}: {alternative}"
    )
