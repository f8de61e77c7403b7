"""Our own problem sets (four written blind, one in the public style) keep labels two independent solvers agree on."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from benchmarks import fresh_oracle

FRESH = Path(fresh_oracle.__file__).with_name("fresh_problems.jsonl")
FRESH_2 = FRESH.with_name("fresh_problems_2.jsonl")
"""The second set, written blind to measure the rules once after they were improved on the first."""
FRESH_3 = FRESH.with_name("fresh_problems_3.jsonl")
"""The third set, written blind to measure the rules once after they were improved on the second."""
FRESH_4 = FRESH.with_name("fresh_problems_4.jsonl")
"""The fourth set, written blind to measure the rules once after they were improved on the first three."""
STYLE = FRESH.with_name("style_problems.jsonl")
"""Problems in the public sets' style aimed at phrasings a literal reader can misread; studied."""
BLIND = [FRESH, FRESH_2, FRESH_3, FRESH_4]
EVERY_SET = pytest.mark.parametrize("path", [*BLIND, STYLE], ids=["first", "second", "third", "fourth", "style"])


def _records(path: Path = FRESH) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@EVERY_SET
def test_every_fresh_label_is_confirmed_by_scipy_and_by_plain_python(path: Path) -> None:
    failures = [line for ok, line in fresh_oracle.check_file(path) if not ok]

    assert failures == []


@EVERY_SET
def test_a_wrong_label_is_caught(path: Path) -> None:
    record = next(r for r in _records(path) if r["answer"] is not None)
    record["answer"] += 1.0

    ok, line = fresh_oracle.check_record(record)

    assert not ok and line.startswith("FAIL")


@EVERY_SET
def test_an_infeasible_label_must_be_null(path: Path) -> None:
    record = next(r for r in _records(path) if r["answer"] is None)
    record["answer"] = 0.0

    assert not fresh_oracle.check_record(record)[0]


@pytest.mark.parametrize("path", BLIND, ids=["first", "second", "third", "fourth"])
def test_the_set_is_sixty_problems_ten_of_which_should_be_declined(path: Path) -> None:
    records = _records(path)

    assert len(records) == 60
    assert sum(r["extra"]["expect"] == "decline" for r in records) == 10
    assert {r["source"]["dataset"] for r in records} == {"nl2opt-fresh"}


def test_the_second_set_is_new_text_with_its_own_ids_and_is_unseen_too() -> None:
    from benchmarks.split import UNSEEN, part_of

    first, second = _records(FRESH), _records(FRESH_2)

    assert [r["id"] for r in second] == [f"fresh2-{k:03d}" for k in range(1, 61)]
    assert not {r["question"] for r in first} & {r["question"] for r in second}
    assert {r["source"]["author"] for r in second} == {"written for nl2opt, second set"}
    assert {part_of(r) for r in second} == {UNSEEN}


def test_the_third_set_is_new_text_with_its_own_ids_and_is_unseen_too() -> None:
    from benchmarks.split import UNSEEN, part_of

    earlier, third = _records(FRESH) + _records(FRESH_2), _records(FRESH_3)

    assert [r["id"] for r in third] == [f"fresh3-{k:03d}" for k in range(1, 61)]
    assert not {r["question"] for r in earlier} & {r["question"] for r in third}
    assert {r["source"]["author"] for r in third} == {"written for nl2opt, third set"}
    assert {part_of(r) for r in third} == {UNSEEN}


def test_the_style_set_is_new_text_every_problem_of_which_should_be_answered() -> None:
    from benchmarks.split import UNSEEN, part_of

    earlier, style = [r for path in BLIND for r in _records(path)], _records(STYLE)

    assert [r["id"] for r in style] == [f"style-{k:03d}" for k in range(1, len(style) + 1)]
    assert len(style) >= 60
    assert not {r["question"] for r in earlier} & {r["question"] for r in style}
    assert {r["source"]["author"] for r in style} == {"written for nl2opt, public style"}
    assert {r["extra"]["expect"] for r in style} == {"answer"}
    assert {part_of(r) for r in style} == {UNSEEN}


def test_the_fourth_set_is_new_text_with_its_own_ids_and_is_unseen_too() -> None:
    from benchmarks.split import UNSEEN, part_of

    earlier = _records(FRESH) + _records(FRESH_2) + _records(FRESH_3)
    fourth = _records(FRESH_4)

    assert [r["id"] for r in fourth] == [f"fresh4-{k:03d}" for k in range(1, 61)]
    assert not {r["question"] for r in earlier} & {r["question"] for r in fourth}
    assert {r["source"]["author"] for r in fourth} == {"written for nl2opt, fourth set"}
    assert {part_of(r) for r in fourth} == {UNSEEN}


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
