"""Reports: the Markdown report with its chart, the summary JSON, the printed tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nl2opt.bench import (
    AttemptRecord,
    ProblemRecord,
    compare,
    format_comparison,
    format_summary,
    summarise,
    write_report,
    write_summary_json,
)
from nl2opt.bench.records import StageSeconds
from nl2opt.result import Status

PNG = b"\x89PNG\r\n\x1a\n"


def records() -> list[ProblemRecord]:
    bad = AttemptRecord(number=1, status=Status.INVALID, codes=["parse.syntax"], failed=True)
    good = AttemptRecord(number=2, status=Status.OPTIMAL, objective=5.0)
    return [
        ProblemRecord(dataset="nl4opt", id="a", status=Status.OPTIMAL, objective=5.0, expected=5.0, correct=True,
                      attempts=[bad, good], seconds=StageSeconds(wall=1.0)),
        ProblemRecord(dataset="nl4opt", id="b|c", status=Status.OPTIMAL, objective=7.0, expected=6.0,
                      attempts=[good], codes=["verify.plausibility"], seconds=StageSeconds(wall=2.0)),
        ProblemRecord(dataset="mamo", id="m1", status=Status.DECLINED, expected=3.0,
                      attempts=[AttemptRecord(number=1, status=Status.DECLINED, codes=["formulate.declined"],
                                              failed=True)]),
    ]


def test_report_has_summary_reasons_wrong_answers_and_a_chart(tmp_path: Path) -> None:
    path = write_report(tmp_path / "out" / "report.md", records(), config={"formulator": "llm", "model": "m"})

    text = path.read_text(encoding="utf-8")
    assert (tmp_path / "out" / "report.png").read_bytes().startswith(PNG)
    assert "![Accuracy per dataset and attempts per problem](report.png)" in text
    for heading in ("## Summary", "## Outcomes", "## Repair reasons", "## Wrong answers"):
        assert heading in text
    assert "| nl4opt | 2 | 1 | 50.0% | 0.0% |" in text
    assert "| all | 3 | 1 | 33.3% |" in text
    assert "| `parse.syntax` | 1 |" in text and "| `formulate.declined` | 1 |" in text
    assert "| nl4opt | b\\|c | 6 | 7 | 1 | `verify.plausibility` |" in text
    assert "m1 |" not in text.split("## Wrong answers")[1], "a declined problem is not a wrong answer"
    assert "- **model**: m" in text


def test_report_without_failures_says_so(tmp_path: Path) -> None:
    ok = ProblemRecord(dataset="d", id="1", status=Status.OPTIMAL, objective=1.0, expected=1.0, correct=True,
                       first_correct=True, attempts=[AttemptRecord(number=1, status=Status.OPTIMAL)])

    text = write_report(tmp_path / "r.md", [ok]).read_text(encoding="utf-8")

    assert "No attempt failed." in text and "## Wrong answers\n\nNone." in text


def test_summary_json_file(tmp_path: Path) -> None:
    path = write_summary_json(tmp_path / "s.json", summarise(records()), {"backend": "highs"})

    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["n"], data["correct"], data["declined"], data["wrong"]) == (3, 1, 1, 1)
    assert data["accuracy"] == pytest.approx(1 / 3)
    assert data["datasets"]["mamo"]["declined"] == 1 and data["run"] == {"backend": "highs"}


def test_printed_summary_is_one_row_per_dataset_and_all() -> None:
    lines = format_summary(summarise(records())).splitlines()

    assert lines[0].split()[:4] == ["dataset", "problems", "correct", "accuracy"]
    assert [line.split()[0] for line in lines[1:]] == ["nl4opt", "mamo", "all"]


def test_printed_comparison_lists_flips() -> None:
    before = records()
    after = [r.model_copy(update={"correct": not r.correct}) if r.id in ("a", "b|c") else r for r in before]

    text = format_comparison(compare(before, after), a="old.jsonl", b="new.jsonl")

    assert "correct -> wrong: 1\n  nl4opt/a: expected 5; old.jsonl 5, new.jsonl 5" in text
    assert "wrong -> correct: 1\n  nl4opt/b|c: expected 6; old.jsonl 7, new.jsonl 7" in text
    assert "both wrong: 1" in text
