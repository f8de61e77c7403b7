"""The asked quantity: reports evaluated on the solution, the answer, and benchmark scoring by report."""

from __future__ import annotations

import json
from typing import Any

import pytest

import nl2opt
from nl2opt.answer import evaluate_reports
from nl2opt.bench.datasets import Problem
from nl2opt.bench.metrics import Tolerance, record_for, rescore
from nl2opt.check import check
from nl2opt.errors import DatasetError
from nl2opt.result import Result, Status
from nl2opt.spec import ModelSpec


def trucks(reports: list[dict[str, Any]], answer: str | None = None) -> dict:
    """Large trucks carry 30 t for $500, small 10 t for $200; move 100 t. Optimum L=3, S=1, $1700."""
    return {
        "variables": [
            {"name": "large", "domain": "integer", "upper": 10},
            {"name": "small", "domain": "integer", "upper": 10},
        ],
        "objective": {"sense": "minimize", "expression": "500 * large + 200 * small"},
        "constraints": [{"name": "move", "expression": "30 * large + 10 * small >= 100"}],
        "reports": reports,
        "answer": answer,
    }


def errors(s: dict) -> list[str]:
    return [d.code for d in check(ModelSpec.model_validate(s)) if d.severity == "error"]


def test_the_answer_is_the_named_report_and_reports_are_computed_from_the_values() -> None:
    s = trucks(
        [
            {"name": "used", "expression": "large + small"},
            {"name": "cost_per_truck", "expression": "(500 * large + 200 * small) / (large + small)"},
        ],
        answer="used",
    )
    result = nl2opt.solve_spec(json.dumps(s))
    assert result.status == "optimal" and result.objective == pytest.approx(1700)
    assert result.answer == pytest.approx(4)
    assert result.reports == pytest.approx({"used": 4, "cost_per_truck": 425})
    assert "Answer: used = 4" in result.explanation
    assert "report" in result.latex


def test_without_answer_the_objective_is_the_answer() -> None:
    result = nl2opt.solve_spec(json.dumps(trucks([{"name": "used", "expression": "large + small"}])))
    assert result.answer == pytest.approx(1700) and result.reports["used"] == pytest.approx(4)


def test_a_report_that_cannot_be_computed_is_a_warning_not_a_failure() -> None:
    s = ModelSpec.model_validate(trucks([{"name": "ratio", "expression": "large / small"}], answer="ratio"))
    values, found = evaluate_reports(s, {"large": 4.0, "small": 0.0})
    assert values == {} and [d.code for d in found] == ["verify.report-error"]
    assert found[0].where == "reports[ratio].expression"


@pytest.mark.parametrize(
    "reports, answer, code",
    [
        ([{"name": "used", "expression": "large + small"}], "trucks", "check.unknown-answer"),
        ([], "used", "check.unknown-answer"),
        ([{"name": "ok", "expression": "large >= 1"}], None, "check.report-not-expression"),
        (
            [{"name": "a", "expression": "large"}, {"name": "a", "expression": "small"}],
            None,
            "check.duplicate-name",
        ),
        ([{"name": "2x", "expression": "large"}], None, "check.bad-name"),
        ([{"name": "u", "expression": "lorge + small"}], None, "check.undefined-name"),
        ([{"name": "u", "expression": "large +"}], None, "parse.syntax"),
    ],
)
def test_bad_reports_are_check_errors(reports: list, answer: str | None, code: str) -> None:
    assert code in errors(trucks(reports, answer))


def test_products_of_variables_are_fine_in_a_report() -> None:
    assert errors(trucks([{"name": "p", "expression": "large * small + large / (small + 1)"}])) == []


def _problem(extra: dict) -> Problem:
    return Problem(dataset="d", id="1", question="q", answer=4.0, extra=extra)


def test_bench_scores_the_report_when_the_dataset_names_it() -> None:
    result = Result(status=Status.OPTIMAL, objective=1700.0, reports={"used": 4.0}, answer=1700.0)
    tol = Tolerance()
    assert not record_for(_problem({}), result, tol).correct  # the objective is 1700, not 4
    named = record_for(_problem({"report": "used"}), result, tol)
    assert named.correct and named.by_report and named.answer == 4.0
    assert rescore(named, tol).correct
    declared = Result(status=Status.OPTIMAL, objective=1700.0, reports={"n": 4.0}, answer=4.0)
    assert record_for(_problem({"report": True}), declared, tol).correct
    wrong = Result(status=Status.OPTIMAL, objective=1700.0, reports={"n": 5.0}, answer=5.0)
    assert not record_for(_problem({"report": True}), wrong, tol).correct


def test_dataset_report_field_is_validated(tmp_path) -> None:
    from nl2opt.bench.datasets import load_dataset

    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "1", "question": "q", "answer": 4, "extra": {"report": 3}}) + "\n")
    with pytest.raises(DatasetError, match=r"extra\.report"):
        load_dataset(path)
    path.write_text(json.dumps({"id": "1", "question": "q", "answer": 4, "extra": {"report": "used"}}) + "\n")
    assert load_dataset(path)[0].extra["report"] == "used"
