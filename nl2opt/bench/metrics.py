"""Scoring and aggregation: is an answer right, the record that says so, and what records add up to.

Correct means: the expected number is met within a tolerance by an answer that
has a solution (optimal, or feasible at a limit; never ``unverified``, whose values
failed verification however close their objective), or, for a problem whose answer
is null, nl2opt reports the model infeasible (unbounded when so labelled;
``infeasible_or_unbounded`` is accepted for both, as the solver could not tell).

The tolerance is ``|got - expected| <= max(rel * max(|got|, |expected|), abs)``,
symmetric in the two numbers so that a comparison does not depend on which one
is the label. The defaults (1e-4 relative, 1e-6 absolute) forgive solver noise
and labels rounded to four significant figures, but not a wrong model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from nl2opt.bench.datasets import Expect, Problem
from nl2opt.bench.records import AttemptRecord, ProblemRecord, RunFailure, StageSeconds
from nl2opt.diagnostics import Diagnostic, Severity
from nl2opt.result import Attempt, Result, Status

__all__ = [
    "Comparison", "Stats", "Summary", "Tolerance", "asked_value", "compare", "failure_record", "is_correct",
    "percentile", "record_for", "repair_reasons", "rescore", "summarise",
]

_NO_OPTIMUM = {
    Expect.INFEASIBLE: {Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED},
    Expect.UNBOUNDED: {Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED},
}


@dataclass(frozen=True)
class Tolerance:
    """How close an objective must be to the label to count as correct."""

    rel: float = 1e-4
    abs: float = 1e-6

    def __post_init__(self) -> None:
        if self.rel < 0 or self.abs < 0:
            raise ValueError(f"tolerances must be at least 0, got rel={self.rel}, abs={self.abs}")

    def close(self, got: float, expected: float) -> bool:
        if not math.isfinite(got):
            return False
        return abs(got - expected) <= max(self.rel * max(abs(got), abs(expected)), self.abs)


def is_correct(
    status: Status | RunFailure,
    objective: float | None,
    expected: float | None,
    expect: Expect = Expect.VALUE,
    tolerance: Tolerance = Tolerance(),
) -> bool:
    """Whether an outcome answers the problem; see the module docstring for the rule."""
    if expect is not Expect.VALUE:
        return status in _NO_OPTIMUM[expect]
    if expected is None or objective is None or not isinstance(status, Status) or not status.has_solution:
        return False
    return tolerance.close(objective, expected)


def rescore(record: ProblemRecord, tolerance: Tolerance) -> ProblemRecord:
    """The record judged with ``tolerance`` (records from an earlier run may have used another)."""
    got = record.answer if record.by_report else record.objective
    correct = is_correct(record.status, got, record.expected, record.expect, tolerance)
    first = record.attempts[0] if record.attempts else None
    if record.by_report:
        first_correct = correct and len(record.attempts) <= 1
    elif first is None:
        first_correct = correct
    else:
        first_correct = is_correct(first.status, first.objective, record.expected, record.expect, tolerance)
    return record.model_copy(update={"correct": correct, "first_correct": first_correct})


def asked_value(problem: Problem, result: Result) -> tuple[bool, float | None]:
    """Whether the dataset scores a report (``extra.report``), and the number to score.

    ``extra.report`` is a report name, scored when the model has a report of that name, or
    ``true``: either way the model's own declared answer (``result.answer``) stands in otherwise.
    """
    name = problem.extra.get("report")
    if not name:
        return False, result.objective
    if isinstance(name, str) and name in result.reports:
        return True, result.reports[name]
    return True, result.answer


def record_for(problem: Problem, result: Result, tolerance: Tolerance) -> ProblemRecord:
    """Score a Result and reduce it to the record a benchmark keeps."""
    first = result.attempts[0] if result.attempts else None
    by_report, got = asked_value(problem, result)
    correct = is_correct(result.status, got, problem.answer, problem.expect, tolerance)
    usage = result.usage
    timings = result.timings
    return ProblemRecord(
        dataset=problem.dataset,
        id=problem.id,
        status=result.status,
        objective=result.objective,
        expected=problem.answer,
        expect=problem.expect,
        correct=correct,
        by_report=by_report,
        answer=got if by_report else None,
        first_correct=(correct and len(result.attempts) <= 1) if by_report
        else correct if first is None
        else is_correct(first.status, first.objective, problem.answer, problem.expect, tolerance),
        formulator=result.formulator,
        model=result.model,
        backend=result.backend,
        attempts=[_attempt(a) for a in result.attempts],
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        cost_usd=usage.cost_usd,
        seconds=StageSeconds(
            formulate=timings.formulate,
            check=timings.check,
            lower=timings.lower,
            solve=timings.solve,
            verify=timings.verify,
            total=timings.total,
        ),
        codes=_codes(result.diagnostics),
        spec=result.spec.model_dump(mode="json", by_alias=True) if result.spec is not None else None,
    )


def _attempt(attempt: Attempt) -> AttemptRecord:
    return AttemptRecord(
        number=attempt.number,
        status=attempt.status,
        objective=attempt.objective,
        codes=_codes(attempt.diagnostics),
        failed=attempt.feedback is not None or not attempt.status.has_solution,
        tokens=attempt.usage.total_tokens,
        seconds=attempt.seconds,
    )


def _codes(diagnostics: Iterable[Diagnostic]) -> list[str]:
    return list(dict.fromkeys(d.code for d in diagnostics if d.severity is not Severity.INFO))


def failure_record(
    problem: Problem, status: RunFailure, error: str, *, formulator: str | None, model: str | None,
    backend: str | None,
) -> ProblemRecord:
    """The record of a problem that returned no Result (it timed out or crashed)."""
    return ProblemRecord(
        dataset=problem.dataset,
        id=problem.id,
        status=status,
        expected=problem.answer,
        expect=problem.expect,
        formulator=formulator,
        model=model,
        backend=backend,
        error=error,
    )


class Stats(BaseModel):
    """Aggregates over a set of problems (one dataset, or all of them)."""

    n: int = Field(description="Problems.")
    correct: int
    accuracy: float
    answered: int = Field(description="Problems with an answer: an objective, or a claim that there is none.")
    declined: int = Field(
        description="Problems without an answer: declined, invalid, error, unverified, timeout, crashed."
    )
    wrong: int = Field(description="Answered, but not correctly.")
    first_attempt_correct: int
    first_attempt_accuracy: float
    repaired: int = Field(description="Correct at the end but not at the first attempt.")
    mean_attempts: float
    tokens: int
    tokens_per_problem: float
    cost_usd: float | None = Field(description="Total; null when no price was known for any call.")
    cost_per_problem: float | None
    p50_seconds: float
    p95_seconds: float
    statuses: dict[str, int] = Field(description="Final status -> problems.")


class Summary(BaseModel):
    """Overall figures, and the same per dataset in the order first seen."""

    overall: Stats
    datasets: dict[str, Stats]

    def to_dict(self) -> dict[str, object]:
        """The summary JSON: the overall figures at the top level, then ``datasets``."""
        return {**self.overall.model_dump(mode="json"), "datasets": {
            name: stats.model_dump(mode="json") for name, stats in self.datasets.items()
        }}


def stats(records: Sequence[ProblemRecord]) -> Stats:
    """Aggregate ``records`` (an empty list gives zeros)."""
    n = len(records)
    correct = sum(r.correct for r in records)
    answered = sum(r.answered for r in records)
    first = sum(r.first_correct for r in records)
    costs = [r.cost_usd for r in records if r.cost_usd is not None]
    cost = math.fsum(costs) if costs else None
    tokens = sum(r.tokens for r in records)
    wall = [r.seconds.wall for r in records]
    return Stats(
        n=n,
        correct=correct,
        accuracy=_ratio(correct, n),
        answered=answered,
        declined=n - answered,
        wrong=answered - correct,
        first_attempt_correct=first,
        first_attempt_accuracy=_ratio(first, n),
        repaired=sum(r.correct and not r.first_correct for r in records),
        mean_attempts=_ratio(sum(len(r.attempts) for r in records), n),
        tokens=tokens,
        tokens_per_problem=_ratio(tokens, n),
        cost_usd=cost,
        cost_per_problem=None if cost is None else _ratio(cost, n),
        p50_seconds=percentile(wall, 50),
        p95_seconds=percentile(wall, 95),
        statuses=dict(Counter(str(r.status) for r in records).most_common()),
    )


def summarise(records: Iterable[ProblemRecord]) -> Summary:
    """Overall and per-dataset :class:`Stats`."""
    records = list(records)
    by_dataset: dict[str, list[ProblemRecord]] = {}
    for r in records:
        by_dataset.setdefault(r.dataset, []).append(r)
    return Summary(overall=stats(records), datasets={name: stats(rs) for name, rs in by_dataset.items()})


def repair_reasons(records: Iterable[ProblemRecord]) -> Counter[str]:
    """Diagnostic code -> failed attempts that reported it (each code once per attempt)."""
    return Counter(code for r in records for a in r.attempts if a.failed for code in set(a.codes))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation (numpy's default); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Comparison:
    """How two runs differ on the problems both attempted."""

    fixed: list[tuple[ProblemRecord, ProblemRecord]] = field(default_factory=list)
    """Wrong (or unanswered) in A, correct in B: (A's record, B's record)."""
    broken: list[tuple[ProblemRecord, ProblemRecord]] = field(default_factory=list)
    """Correct in A, wrong (or unanswered) in B."""
    both_correct: int = 0
    both_wrong: int = 0
    only_a: int = 0
    only_b: int = 0

    @property
    def common(self) -> int:
        return len(self.fixed) + len(self.broken) + self.both_correct + self.both_wrong

    @property
    def accuracy_a(self) -> float:
        return _ratio(self.both_correct + len(self.broken), self.common)

    @property
    def accuracy_b(self) -> float:
        return _ratio(self.both_correct + len(self.fixed), self.common)


def compare(a: Iterable[ProblemRecord], b: Iterable[ProblemRecord]) -> Comparison:
    """Match two runs by (dataset, id); the last record of a key wins, as when a file was appended twice."""
    first = {r.key: r for r in a}
    second = {r.key: r for r in b}
    result = Comparison(only_a=len(first.keys() - second.keys()), only_b=len(second.keys() - first.keys()))
    for key, ra in first.items():
        rb = second.get(key)
        if rb is None:
            continue
        if ra.correct and rb.correct:
            result.both_correct += 1
        elif ra.correct:
            result.broken.append((ra, rb))
        elif rb.correct:
            result.fixed.append((ra, rb))
        else:
            result.both_wrong += 1
    return result


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0
