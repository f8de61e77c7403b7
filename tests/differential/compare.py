"""Solve one case on every installed backend and judge each answer against the oracle.

Tolerances (stated once, used everywhere):

* objective: ``|a - b| <= OBJ_ATOL + OBJ_RTOL * max(|a|, |b|)``;
* a returned point: every bound, integrality and constraint row within
  :class:`oracle.Tolerance` (1e-6 absolute + 1e-6 relative; a logic condition forces
  its consequence while its slack is below 4e-6, under the documented eps 1e-5).

Disagreement classes: ``crash`` (an exception, or status "error" on a valid case),
``wrong-status``, ``wrong-objective``, ``infeasible-point``, ``unverified`` (nl2opt's own
verifier rejected an answer it called optimal) and ``backends-disagree`` (no oracle
answer, and the backends' answers differ).
"""

from __future__ import annotations

import json
import math
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nl2opt.backends import available_backends
from nl2opt.backends.capability import capabilities_of
from nl2opt.pipeline import solve_spec
from tests.differential.cases import Case, to_spec
from tests.differential.oracle import (
    InvalidCase,
    Point,
    Tolerance,
    Truth,
    is_quadratic,
    objective_value,
    truth,
    value,
    var_cells,
    violations,
)

OBJ_ATOL = 1e-5
OBJ_RTOL = 1e-6
POINT = Tolerance()
ACCEPTED_REJECTIONS = {"lower.missing-bound"}
"""Codes by which nl2opt may refuse a valid case that has an infinite bound (documented)."""
INFEASIBLE_REJECTIONS = {"lower.trivially-infeasible", "check.bounds-inverted", "check.bad-count"}
"""Codes by which nl2opt may refuse a case that is infeasible on its face (a row with no
variable that cannot hold; integer bounds with no whole number between them; a count
that asks for more items than listed)."""

CLASSES = ("crash", "wrong-status", "wrong-objective", "infeasible-point", "unverified", "backends-disagree")


@dataclass
class Outcome:
    """One backend's answer, reduced to what is judged."""

    backend: str
    status: str
    objective: float | None = None
    values: dict[str, Any] = field(default_factory=dict)
    verified: bool = False
    codes: list[str] = field(default_factory=list)
    error: str = ""
    best_bound: float | None = None
    levels: list[float | None] = field(default_factory=list)
    """A lexicographic model's optimum of each level (Result.levels), first level first."""


@dataclass
class Disagreement:
    kind: str
    backend: str
    detail: str


@dataclass
class Report:
    case: Case
    truth: Truth
    outcomes: dict[str, Outcome]
    disagreements: list[Disagreement]

    def describe(self) -> str:
        spec = json.dumps(to_spec(self.case), indent=1)
        lines = [f"truth: {self.truth}"]
        lines += [
            f"{o.backend}: {o.status} {o.objective} verified={o.verified} {o.codes}"
            for o in self.outcomes.values()
        ]
        lines += [f"[{d.kind}] {d.backend}: {d.detail}" for d in self.disagreements]
        return "\n".join(lines) + "\nspec:\n" + spec

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": to_spec(self.case),
            "tags": sorted(self.case.tags),
            "truth": asdict(self.truth),
            "outcomes": {k: asdict(v) for k, v in self.outcomes.items()},
            "disagreements": [asdict(d) for d in self.disagreements],
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, default=str) + "\n", encoding="utf-8")


def same_objective(a: float, b: float) -> bool:
    return abs(a - b) <= OBJ_ATOL + OBJ_RTOL * max(abs(a), abs(b))


def solve(case: Case, backend: str) -> Outcome:
    """nl2opt's answer on one backend; an exception becomes status 'crash'."""
    try:
        result = solve_spec(to_spec(case), backend=backend)
    except Exception as exc:  # the point of the suite: a crash is a finding, not a test error
        return Outcome(
            backend, "crash", error="".join(traceback.format_exception_only(type(exc), exc)).strip()
        )
    return Outcome(
        backend,
        result.status.value,
        result.objective,
        dict(result.values),
        result.verified,
        [d.code for d in result.errors],
        "; ".join(d.message for d in result.errors)[:500],
        result.best_bound,
        [level.optimum for level in result.levels],
    )


def point_of(case: Case, values: dict[str, Any]) -> Point:
    """Result.values (keys 'a,1') back into the oracle's (member tuple) form."""
    x: Point = {v.name: {} for v in case.variables}
    for name, key in var_cells(case):
        got = values.get(name)
        x[name][key] = float(got[",".join(map(str, key))] if isinstance(got, dict) else got)  # type: ignore[arg-type]
    return x


def _has_infinite_bound(case: Case) -> bool:
    return any(v.domain != "binary" and (v.lower is None or v.upper is None) for v in case.variables)


def judge_one(case: Case, t: Truth, o: Outcome) -> list[Disagreement]:
    """Everything wrong with one backend's answer, given the oracle's (possibly unknown) truth."""
    out: list[Disagreement] = []

    def flag(kind: str, detail: str) -> None:
        out.append(Disagreement(kind, o.backend, detail))

    if o.status == "error" and o.codes == ["solve.capability"] and _cannot_solve(case, o.backend):
        return out
    if o.status in ("crash", "error"):
        flag("crash", o.error or f"status {o.status}")
        return out
    if o.status == "invalid":
        if t.status == "invalid":
            if t.detail == "outside-domain" and "check.outside-domain" not in o.codes and len(o.codes) == 1:
                flag("wrong-status", f"invalid for {o.codes}, but the case names a cell outside a domain")
            return out
        if set(o.codes) <= ACCEPTED_REJECTIONS and _has_infinite_bound(case):
            return out
        if set(o.codes) <= INFEASIBLE_REJECTIONS | ACCEPTED_REJECTIONS and t.status in (
            "infeasible",
            "unknown",
        ):
            return out
        flag("wrong-status", f"rejected a valid case ({t.status}): {o.codes} {o.error}")
        return out
    if t.status == "invalid":
        flag("wrong-status", f"{o.status}, but the case is invalid ({t.detail})")
        return out
    if o.status in ("optimal", "feasible"):
        out += _judge_point(case, t, o)
    if t.status == "unknown":
        return out
    expected = {"optimal": ("optimal",), "infeasible": ("infeasible", "infeasible_or_unbounded")}.get(
        t.status, ("unbounded", "infeasible_or_unbounded")
    )
    if o.status not in expected:
        flag("wrong-status", f"{o.status} {o.objective}, expected {t.status} {t.objective} ({t.method})")
    elif t.status == "optimal" and not (
        same_objective(o.objective, t.objective) or _within_gap(o, t.objective)  # type: ignore[arg-type]
    ):
        flag("wrong-objective", f"{o.objective}, expected {t.objective} ({t.method})")
    elif t.status == "optimal" and t.levels:
        out += _judge_levels(case, t, o)
    return out


def _judge_levels(case: Case, t: Truth, o: Outcome) -> list[Disagreement]:
    """A lexicographic answer: each level's optimum as the oracle's, and the point within every held bound."""
    out = []
    got = o.levels
    if len(got) != len(t.levels) or not all(
        g is not None and same_objective(g, want) for g, want in zip(got, t.levels, strict=False)
    ):
        out.append(
            Disagreement("wrong-objective", o.backend, f"level optima {got}, expected {list(t.levels)}")
        )
    try:
        x = point_of(case, o.values)
    except (KeyError, TypeError, ValueError) as exc:
        return [*out, Disagreement("infeasible-point", o.backend, f"values unreadable: {exc!r}")]
    for goal, bound in zip(case.goals, t.held, strict=False):
        v = value(case, goal.expression, {}, x)
        slack = v - bound if goal.sense == "minimize" else bound - v
        if slack > POINT.atol + POINT.rtol * max(abs(v), abs(bound)):
            out.append(
                Disagreement(
                    "infeasible-point", o.backend, f"{goal.name} is {v} at the point, held to {bound}"
                )
            )
    return out


def _cannot_solve(case: Case, backend: str) -> bool:
    """The backend declares (nl2opt/backends, as data) that it does not solve this kind of model."""
    if not is_quadratic(case):
        return False
    caps = capabilities_of(backend)
    if any(v.domain != "continuous" for v in case.variables):
        return not caps.mixed_integer_quadratic
    return not caps.quadratic_objective


def _within_gap(o: Outcome, truth: float) -> bool:
    """A MIP solver's "optimal" claims the optimum lies between its bound and its objective
    (its relative gap, 1e-4 by default for HiGHS): the truth must lie there."""
    if o.best_bound is None or o.objective is None:
        return False
    low, high = sorted((o.best_bound, o.objective))
    return low - OBJ_ATOL <= truth <= high + OBJ_ATOL


def _judge_point(case: Case, t: Truth, o: Outcome) -> list[Disagreement]:
    out = []
    try:
        x = point_of(case, o.values)
        broken = violations(case, x, POINT)
        at_point = objective_value(case, x)
    except (KeyError, TypeError, ValueError, InvalidCase) as exc:
        return [Disagreement("infeasible-point", o.backend, f"values unreadable: {exc!r}")]
    if broken:
        out.append(Disagreement("infeasible-point", o.backend, f"breaks {', '.join(broken[:5])}"))
    if o.objective is None or not math.isfinite(o.objective) or not same_objective(o.objective, at_point):
        out.append(
            Disagreement("wrong-objective", o.backend, f"reported {o.objective}, the point gives {at_point}")
        )
    if o.status == "optimal" and not o.verified:
        out.append(Disagreement("unverified", o.backend, f"optimal but not verified: {o.codes} {o.error}"))
    return out


def judge_across(outcomes: dict[str, Outcome]) -> list[Disagreement]:
    """Without an oracle answer: backends that answered must agree on status and objective."""
    answers = {
        b: o
        for b, o in outcomes.items()
        if o.status not in ("crash", "error", "invalid", "infeasible_or_unbounded")
    }
    statuses = {o.status for o in answers.values()}
    optima = [o.objective for o in answers.values() if o.status == "optimal" and o.objective is not None]
    if len(statuses) > 1 or (optima and not all(same_objective(optima[0], v) for v in optima)):
        detail = ", ".join(f"{b}={o.status} {o.objective}" for b, o in answers.items())
        return [Disagreement("backends-disagree", "all", detail)]
    return []


def check_case(
    case: Case,
    backends: list[str] | None = None,
    *,
    enum_limit: int = 4096,
    piece_limit: int = 256,
) -> Report:
    """Solve on every backend (default: all installed) and judge every answer."""
    t = truth(case, enum_limit=enum_limit, piece_limit=piece_limit)
    outcomes = {b: solve(case, b) for b in (backends or available_backends())}
    found = [d for o in outcomes.values() for d in judge_one(case, t, o)]
    if t.status == "unknown":
        found += judge_across(outcomes)
    return Report(case, t, outcomes, found)
