"""The offline benchmark's scoring: the headline label decides, other label versions only bound it.

Each problem is written here with its optimum derived by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.offline_accuracy import label_versions, run
from nl2opt.formulators.rules import RulesFormulator

MIX = (
    "A bakery makes bread and cake. Each loaf of bread gives a profit of $3 and each cake a profit of $5. "
    "Each loaf of bread takes 1 hour of oven time and each cake takes 2 hours. "
    "The oven is available for at most 10 hours. How many of each should be made to maximize profit?"
)
"""Bread earns 3 an oven hour, cake 2.5: all bread, 10 loaves, profit 30."""


def _row(answer: float | None, **extra: object) -> dict:
    return {"id": "t", "question": MIX, "answer": answer, "extra": extra}


def test_the_headline_label_decides_correct() -> None:
    counts = run([_row(30.0)], RulesFormulator())
    assert (counts["correct"], counts["wrong"], counts["wrong_vs_every_label"]) == (1, 0, 0)


@pytest.mark.parametrize(
    ("extra", "against_every_label"),
    [
        ({}, 1),
        ({"derived_from_annotation": {"lp": {"status": "optimal", "objective": 30.0}}}, 0),
        ({"derived_from_canonical": {"ip": {"status": "optimal", "objective": 31.0}}}, 1),
        ({"answers_by_source": {"sirl_fixed": {"answer": 30.0}}}, 0),
        ({"original_answer": 30.0}, 0),
    ],
)
def test_another_label_version_never_makes_an_answer_correct(extra: dict, against_every_label: int) -> None:
    counts = run([_row(25.0, **extra)], RulesFormulator())
    assert (counts["correct"], counts["wrong"]) == (0, 1)
    assert counts["wrong_vs_every_label"] == against_every_label


def test_label_versions_list_the_headline_first_and_an_infeasible_label_as_none() -> None:
    row = _row(
        880.0,
        derived_from_annotation={
            "lp": {"status": "optimal", "objective": 888.5},
            "ip": {"status": "infeasible", "objective": None},
        },
        answers_by_source={"llmopt": {"answer": 870.0}},
    )
    assert label_versions(row) == [880.0, 888.5, None, 870.0]


def test_study_only_never_scores_the_held_out_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks.offline_accuracy import main
    from benchmarks.split import HELD_OUT, STUDY, part_of

    rows = [{"id": f"nl4opt-{i}", "question": MIX, "answer": 30.0, "source": {"dataset": "nl4opt"}} for i in range(40)]
    parts = {part_of(r) for r in rows}
    assert parts == {STUDY, HELD_OUT}  # both parts present, so the flag has something to hide
    data = tmp_path / "mixed.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    main([str(data), "--study-only"])
    printed = capsys.readouterr().out
    assert f"[{STUDY}]" in printed and f"[{HELD_OUT}]" not in printed
