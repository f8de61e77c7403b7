"""Reading benchmark datasets: the record format, clear errors naming the line, selection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nl2opt.bench import DATASETS_ENV, Expect, load_dataset, resolve_dataset, run, select
from nl2opt.errors import DatasetError

GOOD = {"id": "a", "question": "Maximise profit.", "answer": 880}


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_records_in_order_with_numbers_nulls_and_extra(tmp_path: Path) -> None:
    path = write(
        tmp_path / "toy.jsonl",
        json.dumps(GOOD),
        "",
        json.dumps({"id": 7, "question": "q", "answer": None, "extra": {"answer_status": "published_infeasible"}}),
        json.dumps({"id": "u", "question": "q", "answer": None,
                    "extra": {"answer_status": "derived_unbounded_from_annotation"}, "source": {"x": 1}}),
        json.dumps({"id": "f", "question": "q", "answer": -1.5}),
    )

    problems = load_dataset(path)

    assert [(p.dataset, p.id, p.answer, p.expect, p.line) for p in problems] == [
        ("toy", "a", 880.0, Expect.VALUE, 1),
        ("toy", "7", None, Expect.INFEASIBLE, 3),
        ("toy", "u", None, Expect.UNBOUNDED, 4),
        ("toy", "f", -1.5, Expect.VALUE, 5),
    ]
    assert problems[1].extra == {"answer_status": "published_infeasible"}


@pytest.mark.parametrize(
    "bad, says",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"question": "q", "answer": 1}), "'id'"),
        (json.dumps({"id": True, "question": "q", "answer": 1}), "'id'"),
        (json.dumps({"id": "b", "answer": 1}), "'question'"),
        (json.dumps({"id": "b", "question": "  ", "answer": 1}), "'question'"),
        (json.dumps({"id": "b", "question": "q"}), "'answer' is missing"),
        (json.dumps({"id": "b", "question": "q", "answer": "880"}), "'answer' must be"),
        (json.dumps({"id": "b", "question": "q", "answer": True}), "'answer' must be"),
        ('{"id": "b", "question": "q", "answer": NaN}', "'answer' must be"),
        (json.dumps({"id": "b", "question": "q", "answer": 1, "extra": [1]}), "'extra'"),
        (json.dumps(GOOD), "repeats line 1"),
    ],
)
def test_a_malformed_record_names_the_file_and_line(tmp_path: Path, bad: str, says: str) -> None:
    path = write(tmp_path / "broken.jsonl", json.dumps(GOOD), bad)

    with pytest.raises(DatasetError) as err:
        load_dataset(path)

    assert f"{path}, line 2" in str(err.value)
    assert says in str(err.value)


def test_an_empty_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no problems"):
        load_dataset(write(tmp_path / "empty.jsonl", "", "  "))


def test_names_are_found_under_the_datasets_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    write(second / "toy.jsonl", json.dumps(GOOD))
    monkeypatch.setenv(DATASETS_ENV, f"{first}:{second}")

    assert resolve_dataset("toy") == second / "toy.jsonl"
    assert resolve_dataset("toy.jsonl") == second / "toy.jsonl"
    assert load_dataset("toy")[0].dataset == "toy"


def test_an_unknown_name_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATASETS_ENV, raising=False)
    with pytest.raises(DatasetError, match="NL2OPT_DATASETS is not set"):
        resolve_dataset("nl4opt_dev")
    monkeypatch.setenv(DATASETS_ENV, str(tmp_path))
    with pytest.raises(DatasetError, match=str(tmp_path)):
        resolve_dataset("nl4opt_dev")


def test_two_datasets_with_one_name_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = write(tmp_path / "a" / "toy.jsonl", json.dumps(GOOD))
    two = write(tmp_path / "b" / "toy.jsonl", json.dumps(GOOD))

    with pytest.raises(DatasetError, match="both be called 'toy'"):
        run([one, two], formulator="rules")


@pytest.mark.parametrize(
    "limit, sample, seed, expected",
    [
        (None, None, 0, list(range(10))),
        (3, None, 0, [0, 1, 2]),
        (0, None, 0, []),
        (None, 20, 0, list(range(10))),
    ],
)
def test_select_limit(tmp_path: Path, limit: int | None, sample: int | None, seed: int,
                      expected: list[int]) -> None:
    problems = load_dataset(write(tmp_path / "ten.jsonl", *(json.dumps({**GOOD, "id": i}) for i in range(10))))

    assert [int(p.id) for p in select(problems, limit=limit, sample=sample, seed=seed)] == expected


def test_sample_is_reproducible_kept_in_file_order_and_limit_applies_after(tmp_path: Path) -> None:
    problems = load_dataset(write(tmp_path / "ten.jsonl", *(json.dumps({**GOOD, "id": i}) for i in range(10))))

    drawn = [int(p.id) for p in select(problems, sample=4, seed=1)]

    assert len(drawn) == 4 and drawn == sorted(drawn)
    assert drawn == [int(p.id) for p in select(problems, sample=4, seed=1)]
    assert drawn != [int(p.id) for p in select(problems, sample=4, seed=2)]
    assert [int(p.id) for p in select(problems, sample=4, seed=1, limit=2)] == drawn[:2]
    with pytest.raises(ValueError, match="sample"):
        select(problems, sample=-1)


def test_the_shared_datasets_load(tmp_path: Path) -> None:
    shared = Path("/work/shared/datasets")
    files = sorted(shared.glob("*.jsonl"))
    if not files:
        pytest.skip("the shared development datasets are not on this machine")
    for path in files:
        problems = load_dataset(path)
        assert problems and all(p.question for p in problems)
