"""Solver-independent checking of a solution against the spec, and of the spec against the text.

:func:`verify` re-evaluates every constraint row and the objective from the spec's
own expressions with the evaluator in :mod:`nl2opt.verify.evaluate` (its own reading
of the spec, sharing no code with :mod:`nl2opt.lower`), never with the compiler or
the solver's view of the model: a compiler bug or a solver
tolerance problem then shows up as a named violated row instead of passing
silently. :func:`plausibility` compares the spec with the problem text
(numbers left out, whole things modelled as fractions, the wrong direction) and
only ever warns. Both keep their feedback short: a few rows per constraint and
a count of the rest.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence

import numpy as np

from nl2opt.check.budget import data_problems
from nl2opt.check.parsed import ParsedConstraint, ParsedSpec, extend_to, parse_spec_expressions
from nl2opt.config import Limits
from nl2opt.derived import resolve
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.expr.nodes import Call, Node, Sum, children
from nl2opt.expr.strict import relax_constraint, whole_indices
from nl2opt.result import LevelReport
from nl2opt.spec import Domain, ModelSpec, priority_levels
from nl2opt.symbols import Member, Symbols, VarInfo, build_symbols
from nl2opt.tables import Tables
from nl2opt.verify.evaluate import (
    Env,
    EvaluationError,
    Outcome,
    OutOfTime,
    failing,
    member_label,
    row_bindings,
    suspect_rows,
)
from nl2opt.verify.evaluate import (
    evaluate as evaluate_expression,
)

__all__ = ["INCOMPLETE", "MAX_REPORTED", "complete", "verify"]

INCOMPLETE = "verify.incomplete"
"""The warning of a verification that stopped at a limit: the answer is then not verified."""

MAX_REPORTED = 5
"""Violations reported one by one per constraint or variable; the rest are counted in one summary."""

_HINT_ROW = (
    "The values break this constraint as the spec states it. If the solver called them optimal, the "
    "compiled model differs from the spec or the numbers are badly scaled; otherwise re-solve."
)

_HINT_VALUES = (
    "Pass one value per variable element: a float for a scalar, an array of the variable's shape otherwise."
)


def verify(
    spec: ModelSpec,
    values: Mapping[str, np.ndarray | float],
    *,
    objective: float | None = None,
    tol: float = 1e-6,
    limits: Limits | None = None,
    tables: Tables | None = None,
    parsed: ParsedSpec | None = None,
    levels: Sequence[LevelReport] = (),
) -> list[Diagnostic]:
    """Every way ``values`` fail the spec: bounds, integrality, constraint rows and the objective.

    Verification stops after ``limits.verify_seconds`` (default: from the environment) with
    a ``verify.incomplete`` warning saying the answer was not verified, rather than run for
    as long as a huge model takes row by row.

    Args:
        spec: The model the values claim to solve.
        values: Variable name to a dense array of the variable's shape (a float for a scalar).
        objective: The objective the solver reported, compared with the one recomputed here.
        tol: Absolute tolerance, scaled by ``max(1, |rhs|)`` for rows and bounds; relative for the objective.
        limits: Sizes and the time budget; the model's data beyond them is not checked at all.
        tables: The data tables the spec binds by reference.
        parsed: The spec's expressions as the checker parsed them; parsed here when not given.
        levels: The priority levels as solved (a spec with ``objectives``): each level's value is
            recomputed from its goals, and a held level must keep its bound.
    """
    limits = limits or Limits.from_env()
    resolved, found = resolve(spec, tables)
    if resolved is None:
        return found
    spec = resolved
    if data_problems(spec, limits):
        message = "the answer was not verified: the model's sets or tables are beyond the size limits"
        return [_diag(INCOMPLETE, "sets", message, "Check the set ranges.", Severity.WARNING)]
    started = time.monotonic()
    symbols = build_symbols(spec, tables)
    out: list[Diagnostic] = []
    usable: dict[str, np.ndarray] = {}
    for info in symbols.vars.values():
        arr, problem = _array(info, values)
        if arr is None:
            out.append(_diag("verify.evaluation-error", f"variables[{info.name}]", problem, _HINT_VALUES))
            continue
        usable[info.name] = arr
        out += _bounds(info, arr, symbols, tol)
        out += _integrality(info, arr, symbols, tol)
    env = Env(symbols, usable, {}, tol, deadline=started + limits.verify_seconds)
    parsed = parse_spec_expressions(spec) if parsed is None else extend_to(parsed, spec)
    try:
        for pc in parsed.constraints:
            out += _constraint(_strict_read(pc, symbols, spec.strict_epsilon), env, tol)
        if objective is not None and parsed.objective is not None:
            try:
                slack = tol * (1 + _linearised_cells(parsed.objective, symbols))
                out += _objective(parsed.objective, env, objective, slack)
            except OutOfTime:
                raise _Stopped("objective.expression", []) from None
        if levels:
            try:
                out += _levels(spec, parsed, env, levels, tol)
            except OutOfTime:
                raise _Stopped("objectives", []) from None
    except _Stopped as stop:
        out += stop.found
        where = stop.where
        message = (
            f"the answer was not verified: checking it stopped at {where} after "
            f"{time.monotonic() - started:.1f} s (limit {limits.verify_seconds:g} s); the findings "
            "above cover only what was checked"
        )
        hint = "Raise NL2OPT_VERIFY_SECONDS to check every row, or reduce the model."
        out.append(_diag(INCOMPLETE, where, message, hint, Severity.WARNING))
    return out


def _strict_read(pc: ParsedConstraint, symbols: Symbols, epsilon: float | None) -> ParsedConstraint:
    """A row ``a < b`` holds when ``a <= b - margin``: the same reading the compiler enforces."""
    if pc.expression is None:
        return pc
    whole = whole_indices(pc.bindings, symbols)
    return dataclasses.replace(pc, expression=relax_constraint(pc.expression, symbols, epsilon, whole)[0])


def complete(found: list[Diagnostic]) -> bool:
    """Whether the verification that returned ``found`` checked everything (no :data:`INCOMPLETE`)."""
    return not any(d.code == INCOMPLETE for d in found)


def _diag(
    code: str, where: str, message: str, hint: str = "", severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, stage=Stage.VERIFY, where=where, message=message, hint=hint
    )


def _array(info: VarInfo, values: Mapping[str, np.ndarray | float]) -> tuple[np.ndarray | None, str]:
    if info.name not in values:
        return None, f"no value was given for {info.name}"
    try:
        arr = np.asarray(values[info.name], dtype=float)
    except (TypeError, ValueError):
        return None, f"the value of {info.name} is not numeric"
    if arr.shape != info.shape and not (info.shape == () and arr.size == 1):
        return None, f"the values of {info.name} have shape {arr.shape}, expected {info.shape}"
    arr = arr.reshape(info.shape)
    inside = np.ones(info.shape, dtype=bool) if info.inside is None else info.inside
    if not np.isfinite(arr[inside]).all():
        return None, f"{info.name} has values that are NaN or infinite"
    if info.inside is not None:  # no cell exists outside a sparse domain: whatever is there is not read
        arr = np.where(inside, arr, np.nan)
    return arr, ""


def _label(info: VarInfo, position: tuple[int, ...], symbols: Symbols) -> str:
    if not position:
        return info.name
    members = [symbols.sets[s].members[k] for s, k in zip(info.index, position, strict=True)]
    return f"{info.name}[{member_label(members)}]"


def _capped(found: list[tuple[int, ...]]) -> tuple[list[tuple[int, ...]], int]:
    return found[:MAX_REPORTED], max(0, len(found) - MAX_REPORTED)


def _bounds(info: VarInfo, arr: np.ndarray, symbols: Symbols, tol: float) -> list[Diagnostic]:
    lo, hi = info.lower, info.upper
    slack_lo = tol * max(1.0, abs(lo)) if math.isfinite(lo) else 0.0
    slack_hi = tol * max(1.0, abs(hi)) if math.isfinite(hi) else 0.0
    with np.errstate(invalid="ignore"):  # NaN outside a sparse domain compares false
        bad = (arr < lo - slack_lo) | (arr > hi + slack_hi)
    shown, rest = _capped([tuple(int(i) for i in p) for p in np.argwhere(bad)])
    where = f"variables[{info.name}]"
    out = []
    for pos in shown:
        v = float(arr[pos])
        side = f"below its lower bound {lo:g}" if v < lo else f"above its upper bound {hi:g}"
        out.append(
            _diag(
                "verify.bound-violated",
                where,
                f"{_label(info, pos, symbols)} = {v:.6g} is {side}",
                "The solver should never return values outside the bounds; check the bounds and "
                "the solver status.",
            )
        )
    if rest:
        out.append(
            _diag("verify.bound-violated", where, f"{rest} more elements of {info.name} are out of bounds")
        )
    return out


def _integrality(info: VarInfo, arr: np.ndarray, symbols: Symbols, tol: float) -> list[Diagnostic]:
    if info.domain is Domain.CONTINUOUS:
        return []
    with np.errstate(invalid="ignore"):  # NaN outside a sparse domain compares false
        frac = np.abs(arr - np.round(arr)) > tol
    shown, rest = _capped([tuple(int(i) for i in p) for p in np.argwhere(frac)])
    where = f"variables[{info.name}]"
    out = [
        _diag(
            "verify.integrality",
            where,
            f"{_label(info, pos, symbols)} = {float(arr[pos]):.6g} is fractional, "
            f"but {info.name} is {info.domain}",
            "Solve with a MIP solver (not its LP relaxation), or check the solver's integrality tolerance.",
        )
        for pos in shown
    ]
    if rest:
        out.append(_diag("verify.integrality", where, f"{rest} more elements of {info.name} are fractional"))
    return out


def _constraint(pc: ParsedConstraint, env: Env, tol: float) -> list[Diagnostic]:
    if not pc.ok:
        return [
            _diag(
                "verify.evaluation-error",
                pc.where,
                f"{pc.spec.name} could not be parsed, so it was not checked",
                "Fix the parse errors reported for this constraint.",
                Severity.WARNING,
            )
        ]
    bindings = [b for b in pc.bindings if b is not None]
    violated: list[tuple[str, Outcome]] = []
    errors: list[tuple[str, str]] = []
    name = pc.spec.name

    def label(members: tuple[Member, ...]) -> str:
        return f"{name}[{member_label(members)}]" if members else name

    check = None
    stopped = False
    try:
        # All rows at once with numpy where the expression allows; then only the suspects one by one.
        rows = suspect_rows(bindings, env, pc.filter, pc.expression, tol)  # type: ignore[arg-type]
        if rows is None:
            rows = row_bindings(bindings, env, pc.filter)
        for k, (members, bound) in enumerate(rows):
            if not k & 255 and time.monotonic() > env.deadline:
                raise OutOfTime
            if check is None:  # compiled at the first row, so a model without rows is never compiled
                check = failing(pc.expression, env)  # type: ignore[arg-type]
            try:
                outcome = check(bound, tol)
            except (EvaluationError, ZeroDivisionError, OverflowError) as err:
                errors.append((label(members), str(err)))
                continue
            if outcome is not None:
                violated.append((label(members), outcome))
    except (EvaluationError, RecursionError) as err:
        errors.append((name, str(err) or type(err).__name__))
    except OutOfTime:
        stopped = True
    out = [_violation(pc, row, o) for row, o in violated[:MAX_REPORTED]]
    if len(violated) > MAX_REPORTED:
        worst_row, worst = max(violated, key=lambda ro: ro[1].amount)
        out.append(
            _diag(
                "verify.constraint-violated",
                pc.where,
                f"{len(violated) - MAX_REPORTED} more rows of {pc.spec.name} are violated "
                f"({len(violated)} in all; the worst is {worst_row}, by {worst.amount:.6g})",
                _HINT_ROW,
            )
        )
    out += [
        _diag(
            "verify.evaluation-error",
            f"{pc.where}.expression",
            f"{row}: {message}",
            "Make sure every index stays inside its set (filter with 'where') and every parameter "
            "used has a value.",
        )
        for row, message in errors[:MAX_REPORTED]
    ]
    if stopped:
        raise _Stopped(pc.where, out)
    return out


class _Stopped(Exception):
    """Verification ran out of time at ``where``; ``found`` holds what was found there so far."""

    def __init__(self, where: str, found: list[Diagnostic]) -> None:
        super().__init__(where)
        self.where, self.found = where, found


def _violation(pc: ParsedConstraint, row: str, o: Outcome) -> Diagnostic:
    node = pc.expression
    if isinstance(node, Call) and node.func in ("at_least", "at_most", "exactly"):
        need = {"at_least": "at least", "at_most": "at most", "exactly": "exactly"}[node.func]
        message = f"{row}: {o.lhs:g} of its items hold, but {need} {o.rhs:g} must"
    elif isinstance(node, Call):
        detail = f" (misses by {o.amount:.6g})" if o.amount else ""
        message = f"{row}: {node.func}(...) does not hold{detail}"
    else:
        message = f"{row}: lhs {o.lhs:.6g} {o.op} rhs {o.rhs:.6g} does not hold (violated by {o.amount:.6g})"
    return _diag("verify.constraint-violated", pc.where, message, _HINT_ROW)


def _linearised_cells(node: Node, symbols: Symbols) -> int:
    """How many abs/min/max cells the expression holds (an upper bound: filters ignored).

    The solver's value for each is an auxiliary column that meets its rows only within the
    feasibility tolerance, so the objective recomputed from the spec may differ from the
    solver's by up to one tolerance per cell (nested abs in a sum, found by differential tests).
    Walked with a stack: an objective of a thousand terms is a chain a thousand deep.
    """
    cells = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        current, times = stack.pop()
        if isinstance(current, Sum):
            for binding in current.bindings:
                info = symbols.sets.get(binding.set)
                times *= len(info.members) if info is not None else 1
            stack.append((current.body, times))
            continue
        if isinstance(current, Call) and current.func in ("abs", "min", "max"):
            cells += times
        stack.extend((child, times) for child in children(current))
    return cells


def _objective(node: Node, env: Env, reported: float, tol: float) -> list[Diagnostic]:
    try:
        value = float(evaluate_expression(node, env))
    except (EvaluationError, ZeroDivisionError, OverflowError, RecursionError) as err:
        return [
            _diag(
                "verify.evaluation-error",
                "objective.expression",
                f"the objective cannot be evaluated on the values: {err}",
            )
        ]
    if math.isfinite(reported) and abs(value - reported) <= tol * max(1.0, abs(reported)):
        return []
    return [
        _diag(
            "verify.objective-mismatch",
            "objective.expression",
            f"the objective recomputed from the spec is {value:.10g}, the solver reported {reported:.10g} "
            f"(difference {value - reported:.3g})",
            "The compiled objective differs from the spec's expression (or the solver's value is stale).",
        )
    ]


def _levels(
    spec: ModelSpec, parsed: ParsedSpec, env: Env, levels: Sequence[LevelReport], tol: float
) -> list[Diagnostic]:
    """Each level's weighted goals recomputed from the spec: equal to the reported value, and
    within the bound it was held to while later levels were optimised."""
    nodes = {id(g): node for g, node in zip(spec.objectives, parsed.goals, strict=False)}
    out: list[Diagnostic] = []
    for goals, report in zip(priority_levels(spec.objectives), levels, strict=False):
        if [g.name for g in goals] != report.goals or report.value is None:
            continue
        where = f"objectives[{goals[0].name}]"
        value = 0.0
        for g in goals:
            node = nodes.get(id(g))
            if node is None:
                return out
            try:
                value += g.weight * float(evaluate_expression(node, env))
            except (EvaluationError, ZeroDivisionError, OverflowError, RecursionError) as err:
                message = f"the goal {g.name} cannot be evaluated on the values: {err}"
                return [*out, _diag("verify.evaluation-error", f"objectives[{g.name}].expression", message)]
        slack = tol * (1 + sum(_linearised_cells(nodes[id(g)], env.symbols) for g in goals))
        if not abs(value - report.value) <= slack * max(1.0, abs(report.value)):
            out.append(
                _diag(
                    "verify.level-mismatch",
                    where,
                    f"{report.name} recomputed from the spec is {value:.10g}, the solver reported "
                    f"{report.value:.10g}",
                    "The compiled goals differ from the spec's expressions (or the solver's value is stale).",
                )
            )
        if report.held is not None:
            worse = value - report.held if goals[0].sense.value == "minimize" else report.held - value
            if worse > tol * max(1.0, abs(report.held)):
                out.append(
                    _diag(
                        "verify.level-not-held",
                        where,
                        f"{report.name} is {value:.10g} at the answer, beyond the {report.held:.10g} it was "
                        "held to while later levels were optimised",
                        "The held row was not enforced; re-solve, or loosen the level's tolerance.",
                    )
                )
    return out
