"""The numbers of a solved model a person can change in a form, and the model with them changed.

A model either names its numbers (parameters: a single value or a table, changed through
:meth:`nl2opt.Result.what_if`) or writes them into its constraints (``2*bread + cake <= 100``,
as the offline rules do); for the latter each single-row constraint's limit can be changed
here, and the changed spec solved with :func:`nl2opt.solve_spec`.
"""

from __future__ import annotations

import re

from nl2opt.expr.nodes import Compare, Num
from nl2opt.expr.parse import parse_expression
from nl2opt.spec import Constraint, ModelSpec

_LITERAL = re.compile(r"\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?")


def limits(spec: ModelSpec) -> dict[str, float]:
    """The number each single-row constraint compares against (``flour: 2*bread + cake <= 100`` gives
    ``{"flour": 100}``), for models that write their numbers into the expressions instead of parameters."""
    out: dict[str, float] = {}
    for con in spec.constraints:
        found = _limit(con)
        if found is not None:
            out[con.name] = found[0].value
    return out


def with_limits(spec: ModelSpec, changes: dict[str, float]) -> ModelSpec:
    """A copy of ``spec`` whose constraints compare against the given numbers; ``spec`` is untouched.

    Only the literal is replaced, at its position in the expression, so the rest reads as written.
    """
    copy = spec.model_copy(deep=True)
    for con in copy.constraints:
        if con.name not in changes:
            continue
        found = _limit(con)
        if found is None:
            raise ValueError(f"constraint {con.name!r} has no single number to change")
        _, start, end = found
        value = float(changes[con.name])
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        con.expression = f"{con.expression[:start]}{text}{con.expression[end:]}"
    return copy


def _limit(con: Constraint) -> tuple[Num, int, int] | None:
    """The lone number on one side of a one-line, single-row comparison, with its span in the text."""
    if con.for_ or "\n" in con.expression:
        return None
    node, _ = parse_expression(con.expression)
    if not isinstance(node, Compare) or len(node.operands) != 2:
        return None
    for side in node.operands:
        if isinstance(side, Num):
            start = side.pos[1] - 1
            match = _LITERAL.match(con.expression, start)
            if match is not None:
                return side, start, match.end()
    return None


def parameter_cells(spec: ModelSpec, name: str) -> dict[str, float]:
    """A parameter's numbers keyed ``'member,member'`` ('' for a scalar), read as the compiler reads
    them (dense values, entries, the default), which is also how what-if keys its changes."""
    from nl2opt.whatif import _cells  # what-if's own reading of a table: one reading, not two

    return {index: value for (_, index), value in _cells(spec, [name]).items()}


__all__ = ["limits", "parameter_cells", "with_limits"]
