"""`nl2opt bench` and `nl2opt bench-compare` through typer's CliRunner, with the stand-in solver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nl2opt import bench
from nl2opt.bench import read_results, runner
from nl2opt.cli import app
from tests.bench.fakes import fake_solve, started, write_dataset


@pytest.fixture(autouse=True)
def _stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI runs the stand-in instead of formulate_and_solve (workers get it by reference)."""
    monkeypatch.setattr(runner, "_formulate_and_solve", fake_solve)


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_bench_writes_results_summary_report_and_chart_and_resumes(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [
        ("a", 1.0, {"objective": 1.0}),
        ("b", 2.0, {"objective": 3.0}),
        ("c", None, {"status": "infeasible"}),
        ("d", 4.0, {"objective": 4.0, "after": ["parse.syntax"]}),
    ], log=log)
    out, summary, report = tmp_path / "r.jsonl", tmp_path / "s.json", tmp_path / "rep" / "report.md"

    code, output = invoke("bench", data, "--formulator", "rules", "--limit", "3", "--out", out, "--no-progress")

    assert code == 0, output
    assert "ran 3 problems" in output and output.splitlines()[1].split()[:4] == ["toy", "3", "2", "66.7%"]

    code, output = invoke("bench", data, "--formulator", "rules", "--out", out, "--summary-json", summary,
                          "--report", report, "--no-progress", "--concurrency", "2")

    assert code == 0, output
    assert "ran 1 problems" in output and f"3 already in {out}" in output
    assert sorted(started(log)) == ["a", "b", "c", "d"]
    assert sorted(r.id for r in read_results(out)) == ["a", "b", "c", "d"]
    data_json = json.loads(summary.read_text(encoding="utf-8"))
    assert (data_json["n"], data_json["correct"], data_json["wrong"], data_json["declined"]) == (4, 3, 1, 0)
    assert data_json["datasets"]["toy"]["accuracy"] == 0.75 and data_json["run"]["formulator"] == "rules"
    assert report.exists() and report.with_suffix(".png").exists()


def test_bench_tolerance_options(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 100.0, {"objective": 100.4})])

    loose = invoke("bench", data, "--formulator", "rules", "--no-progress", "--abs-tolerance", "0.5")
    strict = invoke("bench", data, "--formulator", "rules", "--no-progress")

    assert loose[1].splitlines()[1].split()[2] == "1"
    assert strict[1].splitlines()[1].split()[2] == "0"


def test_bench_malformed_dataset_exits_2_naming_the_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": "a", "question": "q", "answer": 1}\n{"id": "b", "question": "q"}\n', encoding="utf-8")

    code, output = invoke("bench", data, "--no-progress")

    assert code == 2
    assert f"{data}, line 2" in output.replace("\n", "") and "'answer' is missing" in output


def test_bench_llm_without_configuration_exits_2(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"objective": 1.0})])

    code, output = invoke("bench", data, "--formulator", "llm", "--no-progress")

    assert code == 2 and "No LLM is configured" in output


def test_bench_compare_lists_flips_with_counts(tmp_path: Path) -> None:
    rows = [("a", 1.0, {"objective": 1.0}), ("b", 2.0, {"objective": 2.0}), ("c", 3.0, {"objective": 0.0})]
    before = write_dataset(tmp_path / "toy.jsonl", rows)
    invoke("bench", before, "--formulator", "rules", "--no-progress", "--out", tmp_path / "A.jsonl")
    write_dataset(before, [("a", 1.0, {"objective": 1.0}), ("b", 2.0, {"objective": 5.0}),
                           ("c", 3.0, {"objective": 3.0})])
    invoke("bench", before, "--formulator", "rules", "--no-progress", "--out", tmp_path / "B.jsonl")

    code, output = invoke("bench-compare", tmp_path / "A.jsonl", tmp_path / "B.jsonl")

    assert code == 0, output
    assert "correct -> wrong: 1\n  toy/b: expected 2; A.jsonl 2, B.jsonl 5" in output
    assert "wrong -> correct: 1\n  toy/c: expected 3; A.jsonl 0, B.jsonl 3" in output
    assert "both correct: 1" in output


def test_bench_compare_missing_file_exits_2(tmp_path: Path) -> None:
    code, output = invoke("bench-compare", tmp_path / "nope.jsonl", tmp_path / "nope2.jsonl")
    assert code == 2 and "nope.jsonl" in output


def test_bench_interrupted_exits_130_and_says_how_to_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bench, "run", interrupted)

    code, output = invoke("bench", tmp_path / "any.jsonl", "--out", tmp_path / "r.jsonl", "--no-progress")

    assert code == 130 and "rerun the same command to resume" in output


@pytest.mark.parametrize(
    ("option", "value"),
    [("--timeout", "-1"), ("--timeout", "0"), ("--timeout", "nan"), ("--time-limit", "-3"), ("--limit", "-1"),
     ("--sample", "-5"), ("--concurrency", "0")],
)
def test_bench_refuses_options_out_of_range_when_parsed(tmp_path: Path, option: str, value: str) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "r.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"objective": 1.0})], log=log)

    code, output = invoke("bench", data, "--formulator", "rules", "--no-progress", "--out", out, option, value)

    assert code == 2
    assert option in output and "Invalid value" in output
    assert not out.exists() and started(log) == []


def test_bench_refuses_an_out_file_that_is_not_a_results_file(tmp_path: Path) -> None:
    out = tmp_path / "precious.json"
    content = b'{"api_token": "precious", "note": "single-line file without a trailing newline"}'
    out.write_bytes(content)
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"objective": 1.0})])

    code, output = invoke("bench", data, "--formulator", "rules", "--no-progress", "--out", out)

    assert code == 2
    assert "precious.json" in output and "not a benchmark result" in output
    assert out.read_bytes() == content


def test_bench_reruns_failures_unless_told_to_keep_them(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "r.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"objective": 1.0}), ("b", 1.0, {"raise": "boom"})],
                         log=log)
    invoke("bench", data, "--formulator", "rules", "--no-progress", "--out", out)

    kept = invoke("bench", data, "--formulator", "rules", "--no-progress", "--out", out, "--keep-failures")
    retried = invoke("bench", data, "--formulator", "rules", "--no-progress", "--out", out)

    assert kept[0] == 0 and "ran 0 problems" in kept[1]
    assert retried[0] == 0 and "ran 1 problems (1 had failed before)" in retried[1]
    assert sorted(started(log)) == ["a", "b", "b"]
