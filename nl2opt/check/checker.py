"""Semantic checks of a ModelSpec, before anything is expanded or solved.

``check(spec)`` reads the whole spec and returns every finding as a Diagnostic
with a stable code, where it is, and how to fix it: the repair loop sends these
back to the formulator, so each finding should be specific enough to act on
without seeing the checker. It never raises on a spec, however broken.

This module holds the order of the checks and those on names and variables; the
data checks live in :mod:`nl2opt.check.tables`, the expression walk (names, degree,
filters, logic) in :mod:`nl2opt.check.semantics`, and the index checks in
:mod:`nl2opt.check.slots`.
"""

from __future__ import annotations

import contextlib
import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Iterable

from nl2opt.binding import check_bindings
from nl2opt.check.budget import data_problems, model_problems
from nl2opt.check.parsed import ParsedConstraint, ParsedSpec, parse_spec_expressions
from nl2opt.check.semantics import ExprChecker, Scope
from nl2opt.check.tables import bounded, check_parameters, check_sets, diag, unknown_sets
from nl2opt.config import Limits
from nl2opt.derived import resolve
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.domains import domain_problems
from nl2opt.priorities import check_priorities
from nl2opt.spec import Domain, ModelSpec, Variable
from nl2opt.symbols import build_symbols
from nl2opt.tables import Tables

__all__ = ["ParsedConstraint", "ParsedSpec", "check", "parse_spec_expressions"]


def check(
    spec: ModelSpec,
    limits: Limits | None = None,
    *,
    tables: Tables | None = None,
    parsed: ParsedSpec | None = None,
) -> list[Diagnostic]:
    """Every problem found in ``spec``: errors block solving, warnings may prompt a repair.

    ``parsed`` is the spec's expressions already parsed (:func:`parse_spec_expressions`), as the
    pipeline hands them on to lower, verify and the LaTeX view; without it they are parsed here.

    Sets and tables beyond ``limits`` (default: from the environment) are reported as
    ``lower.too-large`` before any of them is built, and nothing else is checked then;
    a model that would expand beyond them is reported after the expressions are read.
    ``tables`` are the data tables bound by reference (:func:`nl2opt.tables.load_tables`);
    the sets and parameters that name one are read from it and its cells checked.
    """
    limits = limits or Limits.from_env()
    resolved, out = resolve(spec, tables)
    if resolved is None:
        return out
    spec = resolved
    if not spec.variables:
        out.append(
            diag(
                "check.no-variables",
                "variables",
                "the model has no variables",
                "Add the decisions as variables, e.g. {'name': 'x', 'index': ['Items']}.",
            )
        )
    out += _names(spec)
    out += check_sets(spec)
    too_large = data_problems(spec, limits)
    if too_large:
        return out + too_large
    symbols = build_symbols(bounded(spec), tables)
    out += check_parameters(spec, symbols)
    out += check_bindings(spec, symbols, tables)
    out += _variables(spec)
    parsed = parse_spec_expressions(spec) if parsed is None else parsed
    out += parsed.diagnostics
    checker = ExprChecker(symbols, out.append)
    checker.strict_epsilon = spec.strict_epsilon
    out += _strict_epsilon(spec)
    out += domain_problems(spec, symbols, parsed)
    _expressions(parsed, checker, out, [g.name for g in spec.objectives])
    out += _reports(spec, parsed, checker)
    out += check_priorities(spec)
    out += _unused(spec, checker.used_vars, parsed)
    with contextlib.suppress(RecursionError):  # reported above as an expression nested too deeply
        out += model_problems(spec, parsed, limits)
    return out


def _expressions(
    parsed: ParsedSpec, checker: ExprChecker, out: list[Diagnostic], goal_names: Iterable[str] = ()
) -> None:
    def guarded(where: str, run: Callable[..., None], *args: object) -> None:
        checker.where = where
        try:
            run(*args)
        except RecursionError:
            message = "the expression is nested too deeply to check"
            hint = "Split it into a sum(...) or several constraints."
            out.append(
                Diagnostic(code="parse.syntax", stage=Stage.PARSE, where=where, message=message, hint=hint)
            )

    if parsed.objective is not None and not parsed.goals:
        guarded("objective.expression", checker.objective, parsed.objective)
    for goal, node in zip(goal_names, parsed.goals, strict=False):
        if node is not None:
            guarded(f"objectives[{goal}].expression", checker.objective, node)
    for pc in parsed.constraints:
        scope = Scope(complete=all(b is not None for b in pc.bindings))
        for j, binding in enumerate(pc.bindings):
            if binding is not None:
                checker.where = f"{pc.where}.for[{j}]"
                scope = checker.bind([binding], scope)
        if pc.filter is not None:
            scope = Scope(scope.names, filtered=True, complete=scope.complete)
            guarded(f"{pc.where}.where", checker.filter, pc.filter, scope)
        if pc.expression is not None:
            guarded(f"{pc.where}.expression", checker.constraint, pc.expression, scope)


def _reports(spec: ModelSpec, parsed: ParsedSpec, checker: ExprChecker) -> list[Diagnostic]:
    """Reports: distinct identifiers, amounts (not conditions), and an ``answer`` that names one."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for r in spec.reports:
        where = f"reports[{r.name}]"
        if not r.name.isidentifier() or keyword.iskeyword(r.name):
            out.append(diag("check.bad-name", f"{where}.name", f"{r.name!r} is not an identifier", _ID_HINT))
        elif r.name in seen:
            out.append(
                diag("check.duplicate-name", f"{where}.name", f"two reports are named {r.name}", _ID_HINT)
            )
            continue
        seen.add(r.name)
        node = parsed.reports.get(r.name)
        if node is not None:
            checker.where = f"{where}.expression"
            try:
                checker.report(node)
            except RecursionError:
                out.append(
                    diag(
                        "parse.syntax",
                        f"{where}.expression",
                        "the report is nested too deeply",
                        "Simplify it.",
                    )
                )
    if spec.answer is not None and spec.answer not in seen:
        known = ", ".join(sorted(seen)) or "none"
        out.append(
            diag(
                "check.unknown-answer",
                "answer",
                f"answer names {spec.answer!r}, which is not a report (reports: {known})",
                "Add a report with that name whose expression is the asked quantity, or set answer "
                "to null when the objective is the answer.",
            )
        )
    return out


_ID_HINT = "Give every report its own identifier: letters, digits and _, not starting with a digit."


# -- names ---------------------------------------------------------------------------------
def _names(spec: ModelSpec) -> list[Diagnostic]:
    out = []
    seen: dict[str, str] = {}
    groups: list[tuple[str, str, Iterable]] = [
        ("set", "sets", spec.sets),
        ("parameter", "parameters", spec.parameters),
        ("variable", "variables", spec.variables),
    ]
    for kind, plural, items in groups:
        for item in items:
            where = f"{plural}[{item.name}].name"
            if not item.name.isidentifier() or keyword.iskeyword(item.name):
                fixed = re.sub(r"\W+", "_", item.name).strip("_") or kind[0]
                fixed = f"{kind[0]}_{fixed}" if fixed[0].isdigit() or keyword.iskeyword(fixed) else fixed
                out.append(
                    diag(
                        "check.bad-name",
                        where,
                        f"{item.name!r} cannot be written in an expression",
                        f"Use an identifier: letters, digits and _, not starting with a digit, "
                        f"e.g. {fixed!r}.",
                    )
                )
            if item.name in seen:
                out.append(
                    diag(
                        "check.duplicate-name",
                        where,
                        f"{item.name} is defined twice (as a {seen[item.name]} and as a {kind})",
                        "Give every set, parameter and variable its own name.",
                    )
                )
            else:
                seen[item.name] = kind
    constraint_names: set[str] = set()
    for k, con in enumerate(spec.constraints):
        where = f"constraints[{con.name or k}].name"
        if not con.name.strip():
            out.append(
                diag(
                    "check.bad-name",
                    where,
                    "a constraint has no name",
                    "Name every constraint, e.g. 'capacity' or 'min_protein'.",
                )
            )
        elif con.name in constraint_names:
            out.append(
                diag(
                    "check.duplicate-name",
                    where,
                    f"two constraints are named {con.name}",
                    "Give every constraint its own name; results and conflicts are reported by name.",
                )
            )
        elif con.name in seen:
            out.append(
                diag(
                    "check.duplicate-name",
                    where,
                    f"the constraint {con.name} has the same name as the {seen[con.name]} {con.name}",
                    "A distinct name (e.g. 'meet_" + con.name + "') makes reports unambiguous.",
                    Severity.INFO,
                )
            )
        constraint_names.add(con.name)
    return out + _folded_names(spec, seen)


_WORD = re.compile(r"[^\W\d]\w*")


def _folded_names(spec: ModelSpec, declared: dict[str, str]) -> list[Diagnostic]:
    """Declared names an expression writes but cannot mean: Python's parser reads identifiers in
    NFKC form, so ``ｘ`` (full-width) in an expression is the name ``x``."""
    texts = [("objective.expression", spec.objective.expression)] if spec.objective is not None else []
    texts += [(f"objectives[{g.name}].expression", g.expression) for g in spec.objectives]
    for k, con in enumerate(spec.constraints):
        base = f"constraints[{con.name or k}]"
        texts += [(f"{base}.expression", con.expression), (f"{base}.where", con.where or "")]
    out = []
    for where, text in texts:
        for word in dict.fromkeys(_WORD.findall(text)):
            folded = unicodedata.normalize("NFKC", word)
            if folded != word and word in declared:
                out.append(
                    diag(
                        "check.bad-name",
                        where,
                        f"{word!r} reads as {folded!r} in an expression (Unicode compatibility characters, "
                        f"e.g. full-width letters, read as plain ones), so the {declared[word]} {word!r} "
                        "cannot be referred to",
                        f"Rename {word!r} with plain letters, digits and _.",
                    )
                )
    return out


def _strict_epsilon(spec: ModelSpec) -> list[Diagnostic]:
    eps = spec.strict_epsilon
    if eps is None or (math.isfinite(eps) and eps > 0):
        return []
    return [
        diag(
            "check.bad-option",
            "strict_epsilon",
            f"strict_epsilon is {eps}; it must be a positive number",
            "Give the smallest gap that counts as 'strictly' (e.g. 0.01), or null.",
        )
    ]


# -- variables -----------------------------------------------------------------------------
def _variables(spec: ModelSpec) -> list[Diagnostic]:
    set_names = {s.name for s in spec.sets}
    out = []
    for v in spec.variables:
        where = f"variables[{v.name}]"
        out += unknown_sets(v.index, set_names, f"{where}.index")
        out += _bounds(v, where)
    return out


def _bounds(v: Variable, where: str) -> list[Diagnostic]:
    lo = -math.inf if v.lower is None else v.lower
    hi = math.inf if v.upper is None else v.upper
    if math.isnan(lo) or math.isnan(hi) or lo == math.inf or hi == -math.inf:
        return [
            diag(
                "check.bounds-inverted",
                where,
                f"{v.name} has bounds [{lo}, {hi}], which admit no value",
                "Use a finite number, or null for no bound.",
            )
        ]
    if lo > hi:
        return [
            diag(
                "check.bounds-inverted",
                where,
                f"the lower bound of {v.name} ({lo:g}) is above its upper bound ({hi:g})",
                "Swap them or correct the numbers; no value can satisfy them.",
            )
        ]
    if (
        v.domain is Domain.INTEGER
        and math.isfinite(lo)
        and math.isfinite(hi)
        and math.ceil(lo) > math.floor(hi)
    ):
        return [
            diag(
                "check.bounds-inverted",
                where,
                f"no whole number lies between the bounds of {v.name} ({lo:g} and {hi:g})",
                "Widen the bounds, or make the variable continuous.",
            )
        ]
    if v.domain is Domain.BINARY and any(b is not None and not 0 <= b <= 1 for b in (v.lower, v.upper)):
        return [
            diag(
                "check.binary-bounds",
                where,
                f"{v.name} is binary but has bounds [{lo:g}, {hi:g}]; binary variables are 0 or 1 regardless",
                "Drop the bounds (lower 0, upper null), or make it an integer variable if it counts "
                "more than one.",
                Severity.WARNING,
            )
        ]
    return []


def _unused(spec: ModelSpec, used: set[str], parsed: ParsedSpec) -> list[Diagnostic]:
    """Variables no expression mentions; unparsed text is searched too, to avoid false alarms."""
    raw = " ".join(
        [*(o.expression for o in spec.stated_objectives), *(c.expression or "" for c in spec.constraints)]
    )
    out = []
    for name in dict.fromkeys(v.name for v in spec.variables):
        if name in used or (
            re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", raw) and not _all_parsed(parsed)
        ):
            continue
        out.append(
            diag(
                "check.unused-variable",
                f"variables[{name}]",
                f"{name} appears in no constraint and not in the objective",
                "Use it where the text says it matters, or remove it.",
                Severity.WARNING,
            )
        )
    return out


def _all_parsed(parsed: ParsedSpec) -> bool:
    return parsed.objective is not None and all(pc.expression is not None for pc in parsed.constraints)
