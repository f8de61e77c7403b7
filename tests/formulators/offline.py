"""What the offline rules make of a text, for the rules' tests: the verified optimum, or a decline."""

from __future__ import annotations

from nl2opt.formulators.rules import RulesFormulator
from nl2opt.pipeline import solve_spec


def solved(text: str) -> float | None:
    """The optimum of the model the rules read (it must verify), or None when they decline."""
    formulation = RulesFormulator().formulate(text)
    if formulation.spec is None:
        return None
    result = solve_spec(formulation.spec)
    assert result.verified
    return result.objective


def declined(text: str) -> bool:
    return RulesFormulator().formulate(text).spec is None
