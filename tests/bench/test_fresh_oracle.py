"""The fresh, never-studied problems keep labels two independent solvers agree on."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from benchmarks import fresh_oracle

FRESH = Path(fresh_oracle.__file__).with_name("fresh_problems.jsonl")


def _records() -> list[dict]:
    return [json.loads(line) for line in FRESH.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_fresh_label_is_confirmed_by_scipy_and_by_plain_python() -> None:
    failures = [line for ok, line in fresh_oracle.check_file(FRESH) if not ok]

    assert failures == []


def test_a_wrong_label_is_caught() -> None:
    record = next(r for r in _records() if r["answer"] is not None)
    record["answer"] += 1.0

    ok, line = fresh_oracle.check_record(record)

    assert not ok and line.startswith("FAIL")


def test_an_infeasible_label_must_be_null() -> None:
    record = next(r for r in _records() if r["answer"] is None)
    record["answer"] = 0.0

    assert not fresh_oracle.check_record(record)[0]


def test_the_set_is_sixty_problems_ten_of_which_should_be_declined() -> None:
    records = _records()

    assert len(records) == 60
    assert sum(r["extra"]["expect"] == "decline" for r in records) == 10
    assert {r["source"]["dataset"] for r in records} == {"nl2opt-fresh"}


def test_the_oracle_shares_no_code_with_nl2opt() -> None:
    tree = ast.parse(Path(fresh_oracle.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }

    assert "nl2opt" not in imported


def test_the_fresh_set_is_one_unseen_part_and_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks.offline_accuracy import main
    from benchmarks.split import UNSEEN, part_of

    records = _records()
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(records[0]) + "\n", encoding="utf-8")

    assert {part_of(r) for r in records} == {UNSEEN}
    assert main([str(one)]) == 0
    assert [line.split(":")[0] for line in capsys.readouterr().out.splitlines()] == ["one.jsonl [unseen]"]
