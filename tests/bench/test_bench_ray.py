"""`--executor ray`: problems as Ray tasks on a cluster (here a local one with 2 CPUs), records on the driver.

The stand-in solver (tests/bench/fakes.py) logs which process ran each problem, so the
tests can tell that problems ran in Ray's workers, not in the driver or its pool.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nl2opt.bench import RunFailure, read_results, run, runner
from nl2opt.cli import app
from nl2opt.errors import ConfigurationError
from tests.bench.fakes import fake_solve, read_log, started, write_dataset

ray = pytest.importorskip("ray", reason="the Ray executor needs the ray extra: pip install 'nl2opt[ray]'")

FAST = {"formulator": "rules", "solve": fake_solve, "executor": "ray"}


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """One local Ray instance for the module, as a small cluster would be: 2 CPUs, on loopback only."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    yield
    ray.shutdown()


def test_problems_run_as_ray_tasks_and_a_rerun_resumes(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "results.jsonl"
    rows = [(f"p{i}", float(i), {"objective": float(i) if i != 2 else 99.0}) for i in range(6)]
    data = write_dataset(tmp_path / "toy.jsonl", rows, log=log)

    first = run(data, limit=4, out=out, **FAST)

    assert (first.ran, first.resumed) == (4, 0)
    assert [(r.id, r.correct) for r in first.records] == [
        ("p0", True),
        ("p1", True),
        ("p2", False),
        ("p3", True),
    ]
    assert {r.id for r in read_results(out)} == {"p0", "p1", "p2", "p3"}
    workers = {e["pid"] for e in read_log(log) if e["event"] == "start"}
    assert os.getpid() not in workers
    assert all(r.seconds.wall > 0 for r in first.records)

    second = run(data, out=out, **FAST)

    assert (second.ran, second.resumed) == (2, 4)
    assert sorted(started(log)) == ["p0", "p1", "p2", "p3", "p4", "p5"]  # nothing ran twice
    assert [r.id for r in second.records] == [f"p{i}" for i in range(6)]
    assert len(read_results(out)) == 6


def test_a_late_task_is_cancelled_and_a_crashed_one_recorded(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    data = write_dataset(
        tmp_path / "toy.jsonl",
        [("slow", 1.0, {"sleep": 60}), ("dies", 1.0, {"abort": True}), ("fine", 1.0, {"objective": 1.0})],
        log=log,
    )
    began = time.monotonic()

    outcome = run(data, timeout=10.0, **FAST)  # a fresh worker for "fine" may take seconds on a loaded machine

    assert time.monotonic() - began < 45
    by_id = {r.id: r for r in outcome.records}
    assert by_id["slow"].status is RunFailure.TIMEOUT
    assert by_id["dies"].status is RunFailure.CRASHED
    assert by_id["fine"].correct
    [slow_pid] = [e["pid"] for e in read_log(log) if e["tag"] == "slow"]
    assert _gone(slow_pid, within=10.0), "the late task's worker process was not killed"


def _gone(pid: int, *, within: float) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_configuration_error_stops_the_run(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"raise": "config"})])
    with pytest.raises(ConfigurationError, match="scripted"):
        run(data, **FAST)


def test_the_cli_takes_the_executor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_formulate_and_solve", fake_solve)
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"objective": 1.0})], log=log)

    result = CliRunner().invoke(
        app, ["bench", str(data), "--formulator", "rules", "--executor", "ray", "--no-progress"]
    )

    assert result.exit_code == 0, result.output
    assert "ran 1 problems" in result.output
    assert {e["pid"] for e in read_log(log) if e["event"] == "start"} - {os.getpid()}


@pytest.mark.parametrize(
    "args, words",
    [(["--executor", "dask"], "unknown executor 'dask'"), (["--address", "auto"], "add --executor ray")],
)
def test_the_cli_refuses_unknown_executors_and_a_stray_address(
    tmp_path: Path, args: list[str], words: str
) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("a", 1.0, {"objective": 1.0})])
    result = CliRunner().invoke(app, ["bench", str(data), "--formulator", "rules", "--no-progress", *args])
    assert result.exit_code == 2
    assert words in result.output
