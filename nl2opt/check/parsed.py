"""A spec's expressions parsed once: shared by the checker and the verifier.

Both read the objective and every constraint's ``for``, ``where`` and expression;
parsing them in one place keeps locations (``constraints[name].for[0]``) and the
hints added to parse errors identical in both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nl2opt.diagnostics import Diagnostic
from nl2opt.expr.nodes import Binding, Node
from nl2opt.expr.parse import parse_binding, parse_expression
from nl2opt.spec import Constraint, ModelSpec

__all__ = ["ParsedConstraint", "ParsedSpec", "extend_to", "parse_spec_expressions"]


@dataclass(frozen=True)
class ParsedConstraint:
    """A constraint's bindings, filter and expression as trees; None where parsing failed."""

    spec: Constraint
    where: str
    """``constraints[name]``: prefix of every location in this constraint."""
    bindings: tuple[Binding | None, ...]
    filter: Node | None
    expression: Node | None

    @property
    def ok(self) -> bool:
        return (
            self.expression is not None
            and all(b is not None for b in self.bindings)
            and (self.filter is not None or not self.spec.where)
        )


@dataclass(frozen=True)
class ParsedSpec:
    objective: Node | None
    constraints: list[ParsedConstraint]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reports: dict[str, Node | None] = field(default_factory=dict)
    """Each report's expression by name (first definition of a name); None where parsing failed."""
    goals: list[Node | None] = field(default_factory=list)
    """Each of ``spec.objectives``' expressions, in order; ``objective`` is then the headline
    (:attr:`nl2opt.spec.ModelSpec.headline`), None when a goal of it failed to parse."""


def parse_spec_expressions(spec: ModelSpec) -> ParsedSpec:
    """Parse the objective and every constraint's ``for``, ``where`` and expression once."""
    diags: list[Diagnostic] = []

    def parse(text: str, where: str) -> Node | None:
        node, found = parse_expression(text, where)
        diags.extend(_with_hint(d) for d in found)
        return node

    goals = [parse(g.expression, f"objectives[{g.name}].expression") for g in spec.objectives]
    if spec.objective is not None:
        objective = parse(spec.objective.expression, "objective.expression")
    else:  # the headline is built from goals parsed (and reported) above
        objective = parse_expression(spec.headline.expression, "objective.expression")[0]
    constraints = [_constraint(k, con, diags) for k, con in enumerate(spec.constraints)]
    reports: dict[str, Node | None] = {}
    for r in spec.reports:
        if r.name not in reports:
            reports[r.name] = parse(r.expression, f"reports[{r.name}].expression")
    return ParsedSpec(objective, constraints, diags, reports, goals)


def extend_to(parsed: ParsedSpec, spec: ModelSpec) -> ParsedSpec:
    """``parsed`` for ``spec``, whose constraints continue the parsed ones (rows that derived
    bounds add): only the added constraints are parsed."""
    known = len(parsed.constraints)
    if len(spec.constraints) == known:
        return parsed
    diags: list[Diagnostic] = []
    added = [_constraint(k, con, diags) for k, con in enumerate(spec.constraints) if k >= known]
    return ParsedSpec(
        parsed.objective,
        [*parsed.constraints, *added],
        [*parsed.diagnostics, *diags],
        parsed.reports,
        parsed.goals,
    )


def _constraint(k: int, con: Constraint, diags: list[Diagnostic]) -> ParsedConstraint:
    base = f"constraints[{con.name or k}]"
    bindings = []
    for j, text in enumerate(con.for_):
        binding, found = parse_binding(text, f"{base}.for[{j}]")
        diags.extend(_with_hint(d) for d in found)
        bindings.append(binding)
    filt = None
    if con.where and con.where.strip():
        filt, found = parse_expression(con.where, f"{base}.where")
        diags.extend(_with_hint(d) for d in found)
    expression, found = parse_expression(con.expression, f"{base}.expression")
    diags.extend(_with_hint(d) for d in found)
    return ParsedConstraint(con, base, tuple(bindings), filt, expression)


_PARSE_HINTS = {
    "parse.syntax": "Check brackets, commas and operators; expressions are Python-shaped, e.g. "
    "'sum(cost[i] * x[i] for i in Items) <= budget'.",
    "parse.bad-arguments": "See the expression language: sum(e for i in I), abs(e), min(a, b), max(a, b), "
    "implies(cond, constraint), either(c1, c2), at_least(k, [c1, c2]).",
    "parse.bad-binding": "Write each 'for' entry as 'i in SetName' or '(a, b) in SetName'.",
}


def _with_hint(d: Diagnostic) -> Diagnostic:
    """Parse diagnostics reach the formulator too, so each gets a hint if the parser gave none."""
    if d.hint or d.code not in _PARSE_HINTS:
        return d
    return d.model_copy(update={"hint": _PARSE_HINTS[d.code]})
