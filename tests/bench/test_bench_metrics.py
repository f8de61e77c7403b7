"""Scoring (tolerance edges, null answers), the summary's figures and keys, and run comparison."""

from __future__ import annotations

from typing import Any

import pytest

from nl2opt.bench import Expect, ProblemRecord, RunFailure, Tolerance, compare, is_correct, summarise
from nl2opt.bench.metrics import percentile, repair_reasons
from nl2opt.bench.records import AttemptRecord, StageSeconds
from nl2opt.result import Status

OPT, FEAS = Status.OPTIMAL, Status.FEASIBLE


@pytest.mark.parametrize(
    "status, got, expected, tolerance, correct",
    [
        (OPT, 880.0, 880.0, Tolerance(), True),
        (OPT, 100.01, 100.0, Tolerance(), True),  # |d| = 1e-2 <= 1e-4 * 100.01
        (OPT, 100.0102, 100.0, Tolerance(), False),
        (OPT, 99.9901, 100.0, Tolerance(), True),
        (OPT, 99.9899, 100.0, Tolerance(), False),
        (OPT, -100.01, -100.0, Tolerance(), True),
        (OPT, 100.0, -100.0, Tolerance(), False),  # a flipped sign is a wrong model
        (OPT, 1e-7, 0.0, Tolerance(), True),  # near zero the absolute tolerance rules
        (OPT, 2e-6, 0.0, Tolerance(), False),
        (OPT, 1e9 + 1e5, 1e9, Tolerance(), True),
        (OPT, 1e9 + 2e5, 1e9, Tolerance(), False),
        (OPT, 880.4, 880.0, Tolerance(rel=0, abs=0.5), True),
        (OPT, 880.6, 880.0, Tolerance(rel=0, abs=0.5), False),
        (OPT, 880.0001, 880.0, Tolerance(rel=0, abs=0), False),
        (OPT, float("nan"), 880.0, Tolerance(), False),
        (OPT, float("inf"), 880.0, Tolerance(), False),
        (FEAS, 880.0, 880.0, Tolerance(), True),  # a limit was hit, but the value is right
        (OPT, None, 880.0, Tolerance(), False),
        (Status.INVALID, 880.0, 880.0, Tolerance(), False),
        (Status.DECLINED, None, 880.0, Tolerance(), False),
        (RunFailure.TIMEOUT, None, 880.0, Tolerance(), False),
    ],
)
def test_objective_tolerance(status: Status, got: float | None, expected: float, tolerance: Tolerance,
                             correct: bool) -> None:
    assert is_correct(status, got, expected, Expect.VALUE, tolerance) is correct


@pytest.mark.parametrize(
    "expect, status, correct",
    [
        (Expect.INFEASIBLE, Status.INFEASIBLE, True),
        (Expect.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED, True),
        (Expect.INFEASIBLE, Status.UNBOUNDED, False),
        (Expect.INFEASIBLE, Status.OPTIMAL, False),
        (Expect.INFEASIBLE, Status.DECLINED, False),
        (Expect.INFEASIBLE, RunFailure.CRASHED, False),
        (Expect.UNBOUNDED, Status.UNBOUNDED, True),
        (Expect.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED, True),
        (Expect.UNBOUNDED, Status.INFEASIBLE, False),
    ],
)
def test_a_null_answer_is_met_by_reporting_no_optimum(expect: Expect, status: Status, correct: bool) -> None:
    objective = 0.0 if status in (Status.OPTIMAL, Status.FEASIBLE) else None
    assert is_correct(status, objective, None, expect) is correct


def test_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 0"):
        Tolerance(rel=-1e-4)


def record(ident: str, dataset: str = "d", **fields: Any) -> ProblemRecord:
    attempts = fields.pop("attempts", 1)
    wall = fields.pop("wall", 1.0)
    base: dict[str, Any] = {"status": Status.OPTIMAL, "objective": 1.0, "expected": 1.0, "correct": True,
                            "first_correct": True}
    base.update(fields)
    return ProblemRecord(
        dataset=dataset, id=ident, seconds=StageSeconds(wall=wall),
        attempts=[AttemptRecord(number=i + 1, status=Status.OPTIMAL) for i in range(attempts)], **base,
    )


def test_summary_figures_per_dataset_and_overall() -> None:
    records = [
        record("1", "a", wall=1.0, prompt_tokens=100, completion_tokens=50, cost_usd=0.01),
        record("2", "a", wall=2.0, attempts=3, first_correct=False, prompt_tokens=300, completion_tokens=100,
               cost_usd=0.03),
        record("3", "a", wall=3.0, objective=2.0, correct=False, first_correct=False, attempts=2),
        record("4", "a", wall=4.0, status=Status.DECLINED, objective=None, correct=False, first_correct=False),
        record("5", "b", wall=10.0, status=RunFailure.TIMEOUT, objective=None, correct=False,
               first_correct=False, attempts=0),
        record("6", "b", wall=0.5, status=Status.INFEASIBLE, objective=None, expected=None,
               expect=Expect.INFEASIBLE),
    ]

    summary = summarise(records)
    a, b, overall = summary.datasets["a"], summary.datasets["b"], summary.overall

    assert (a.n, a.correct, a.answered, a.declined, a.wrong) == (4, 2, 3, 1, 1)
    assert (a.accuracy, a.first_attempt_correct, a.first_attempt_accuracy, a.repaired) == (0.5, 1, 0.25, 1)
    assert a.mean_attempts == pytest.approx(7 / 4)
    assert (a.tokens, a.tokens_per_problem) == (550, 137.5)
    assert a.cost_usd == pytest.approx(0.04) and a.cost_per_problem == pytest.approx(0.01)
    assert (a.p50_seconds, a.p95_seconds) == (pytest.approx(2.5), pytest.approx(3.85))
    assert (b.n, b.correct, b.answered, b.declined, b.wrong, b.cost_usd) == (2, 1, 1, 1, 0, None)
    assert b.statuses == {"timeout": 1, "infeasible": 1}
    assert (overall.n, overall.correct, overall.declined, overall.wrong) == (6, 3, 2, 1)
    assert overall.n == overall.correct + overall.wrong + overall.declined


def test_summary_json_has_the_agreed_keys_overall_and_per_dataset() -> None:
    data = summarise([record("1", "a"), record("2", "b", correct=False, objective=5.0)]).to_dict()

    keys = {"n", "correct", "accuracy", "declined", "wrong"}
    assert keys <= data.keys()
    assert set(data["datasets"]) == {"a", "b"}
    assert all(keys <= stats.keys() for stats in data["datasets"].values())
    assert (data["n"], data["correct"], data["wrong"]) == (2, 1, 1)


def test_an_empty_summary_is_zeros() -> None:
    overall = summarise([]).overall
    assert (overall.n, overall.accuracy, overall.p95_seconds, overall.cost_usd) == (0, 0.0, 0.0, None)


@pytest.mark.parametrize(
    "values, q, expected",
    [([], 50, 0.0), ([3.0], 95, 3.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.5), ([1.0, 2.0, 3.0, 4.0], 95, 3.85),
     ([5.0, 1.0, 3.0], 0, 1.0), ([5.0, 1.0, 3.0], 100, 5.0)],
)
def test_percentile_interpolates_like_numpy(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_repair_reasons_count_codes_of_failed_attempts_once_each() -> None:
    failed = AttemptRecord(number=1, status=Status.INVALID, codes=["parse.syntax", "check.undefined-name"],
                           failed=True)
    repeated = AttemptRecord(number=2, status=Status.INVALID, codes=["parse.syntax", "parse.syntax"], failed=True)
    fine = AttemptRecord(number=3, status=Status.OPTIMAL, codes=["verify.plausibility"], failed=False)
    records = [ProblemRecord(dataset="d", id="1", status=Status.OPTIMAL, attempts=[failed, repeated, fine])]

    assert repair_reasons(records) == {"parse.syntax": 2, "check.undefined-name": 1}


def test_compare_lists_flips_both_ways_with_counts() -> None:
    a = [record("1"), record("2"), record("3", correct=False), record("4", correct=False), record("5"),
         record("x", dataset="only-a")]
    b = [record("1"), record("2", correct=False, objective=9.0), record("3"), record("4", correct=False),
         record("5", correct=False, status=Status.DECLINED, objective=None), record("y", dataset="only-b")]

    diff = compare(a, b)

    assert [ra.id for ra, _ in diff.broken] == ["2", "5"]
    assert [rb.id for _, rb in diff.fixed] == ["3"]
    assert (diff.both_correct, diff.both_wrong, diff.only_a, diff.only_b, diff.common) == (1, 1, 1, 1, 5)
    assert (diff.accuracy_a, diff.accuracy_b) == (pytest.approx(0.6), pytest.approx(0.4))
