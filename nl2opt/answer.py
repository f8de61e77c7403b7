"""The asked quantity: a spec's ``reports`` evaluated on a solution.

A question may ask for something other than the objective ("how many trucks are
used?" in a cost-minimising model). Reports are read with the verifier's evaluator
(:mod:`nl2opt.verify.evaluate`), never with the compiler, so the number shown as the
answer comes from the spec's own words and the solver's values alone.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import numpy as np

from nl2opt.check.parsed import ParsedSpec, parse_spec_expressions
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.expr.nodes import ARITH_FUNCS, Call, walk
from nl2opt.result import LevelReport
from nl2opt.spec import ModelSpec, priority_levels
from nl2opt.symbols import build_symbols
from nl2opt.verify.evaluate import Env, EvaluationError, OutOfTime, evaluate

__all__ = ["REPORT_SECONDS", "answer_value", "evaluate_reports", "settle_held_levels"]

REPORT_SECONDS = 60.0
"""A report that takes longer than this to evaluate is left out with a warning."""


def evaluate_reports(
    spec: ModelSpec, values: Mapping[str, np.ndarray | float], parsed: ParsedSpec | None = None
) -> tuple[dict[str, float], list[Diagnostic]]:
    """Each report's value on ``values`` (dense arrays per variable); failures become warnings."""
    if not spec.reports:
        return {}, []
    parsed = parsed or parse_spec_expressions(spec)
    symbols = build_symbols(spec)
    arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    env = Env(symbols, arrays, {}, deadline=time.monotonic() + REPORT_SECONDS)
    out: dict[str, float] = {}
    found: list[Diagnostic] = []
    for name, node in parsed.reports.items():
        if node is None:
            continue
        problem = ""
        try:
            value = evaluate(node, env)
            if isinstance(value, bool) or not math.isfinite(float(value)):
                problem = f"it is {value!r}, not a finite number"
            else:
                out[name] = float(value)
        except (EvaluationError, ZeroDivisionError, OverflowError, RecursionError) as err:
            problem = str(err) or type(err).__name__
        except OutOfTime:
            problem = f"it took longer than {REPORT_SECONDS:g} s"
        if problem:
            found.append(
                Diagnostic(
                    code="verify.report-error",
                    severity=Severity.WARNING,
                    stage=Stage.VERIFY,
                    where=f"reports[{name}].expression",
                    message=f"the report {name} cannot be computed on the solution: {problem}",
                    hint="Write the report so that it has a value for every solution "
                    "(e.g. no division by a variable that can be 0).",
                )
            )
    return out, found


def answer_value(spec: ModelSpec, objective: float | None, reports: Mapping[str, float]) -> float | None:
    """The number that answers the question: the named report, else the objective."""
    if spec.answer is None:
        return objective
    return reports.get(spec.answer)


def settle_held_levels(
    spec: ModelSpec, values: Mapping[str, np.ndarray | float], levels: list[LevelReport], parsed: ParsedSpec
) -> None:
    """Show a held level's value as its goals give it, where the compiled value is only a bound.

    abs, min and max are compiled as auxiliary columns bounded by their arguments. While a level
    is optimised they sit on their bound; once it is held (``held`` set) and later levels are
    optimised, they may float anywhere up to the held bound, and the compiled value reports that
    float (differential regression ``held_level_epigraph_slack_unverified``: abs(x - 1) held at
    0.5 showed 0.5 at x = 1). The spec's value is taken only in that direction, better than the
    compiled one, so a compiled goal that flatters the answer is still caught by the verifier.
    """
    env = None
    by_goal = {id(g): node for g, node in zip(spec.objectives, parsed.goals, strict=False)}
    for goals, report in zip(priority_levels(spec.objectives), levels, strict=False):
        nodes = [by_goal.get(id(g)) for g in goals]
        if report.held is None or report.value is None or [g.name for g in goals] != report.goals:
            continue
        if any(n is None for n in nodes) or not any(
            isinstance(part, Call) and part.func in ARITH_FUNCS for n in nodes for part in walk(n)
        ):
            continue
        if env is None:
            arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
            env = Env(build_symbols(spec), arrays, {}, deadline=time.monotonic() + REPORT_SECONDS)
        try:
            value = sum(g.weight * float(evaluate(n, env)) for g, n in zip(goals, nodes, strict=True))
        except (EvaluationError, ZeroDivisionError, OverflowError, RecursionError, OutOfTime):
            continue  # the verifier reports what cannot be evaluated
        better = value < report.value if report.sense == "minimize" else value > report.value
        if better and math.isfinite(value):
            report.value = value
