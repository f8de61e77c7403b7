"""The runner: records, isolation (timeouts, crashes), concurrency, resume after a cut-short run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nl2opt.bench import Expect, RunFailure, Tolerance, default_concurrency, pool, read_results, run
from nl2opt.config import ModelPrice, Settings
from nl2opt.errors import ConfigurationError, DatasetError, UnknownBackendError
from nl2opt.result import Status
from tests.bench.fakes import fake_solve, read_log, started, write_dataset
from tests.support.llm_server import SMALL_SPEC, Reply, ScriptedLLMServer

ROOT = Path(__file__).parents[2]
FAST = {"formulator": "rules", "solve": fake_solve}


def test_records_carry_outcome_score_attempts_usage_and_stage_seconds(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [
        ("right", 42.0, {"objective": 42.0, "tokens": 100, "cost": 0.002}),
        ("repaired", 7.0, {"objective": 7.0, "after": ["parse.syntax", "check.undefined-name"]}),
        ("wrong", 5.0, {"objective": 6.0, "codes": ["verify.plausibility"]}),
        ("declined", 1.0, {"status": "declined", "codes": ["formulate.declined"]}),
    ])

    outcome = run(data, out=tmp_path / "out.jsonl", max_attempts=4, time_limit=9.0, backend="highs", **FAST)

    right, repaired, wrong, declined = outcome.records
    assert (outcome.ran, outcome.resumed) == (4, 0)
    assert (right.dataset, right.id, right.status, right.objective, right.expected) == (
        "toy", "right", Status.OPTIMAL, 42.0, 42.0)
    assert (right.correct, right.first_correct, right.formulator, right.model) == (True, True, "fake", "fake-model")
    assert (right.prompt_tokens, right.completion_tokens, right.tokens, right.cost_usd) == (100, 50, 150, 0.002)
    assert right.seconds.formulate == 0.01 and right.seconds.solve == 0.003 and right.seconds.wall > 0
    assert (repaired.correct, repaired.first_correct, len(repaired.attempts)) == (True, False, 3)
    assert [a.codes for a in repaired.attempts] == [["parse.syntax"], ["check.undefined-name"], []]
    assert [a.failed for a in repaired.attempts] == [True, True, False]
    assert (wrong.correct, wrong.codes, wrong.answered) == (False, ["verify.plausibility"], True)
    assert (declined.status, declined.answered, declined.attempts[0].failed) == (Status.DECLINED, False, True)
    on_disk = {r.id: r for r in read_results(tmp_path / "out.jsonl")}  # in the order they finished
    assert on_disk == {r.id: r for r in outcome.records}
    assert outcome.config["max_attempts"] == 4 and outcome.config["time_limit"] == 9.0


def test_options_reach_every_solve(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("p", 1.0, {"objective": 1.0})], log=log)

    run(data, model="m-1", backend="pulp", max_attempts=5, time_limit=2.5, **FAST)

    [call] = [e for e in read_log(log) if e["event"] == "start"]
    assert {k: call[k] for k in ("formulator", "model", "backend", "max_attempts", "time_limit")} == {
        "formulator": "rules", "model": "m-1", "backend": "pulp", "max_attempts": 5, "time_limit": 2.5}


def test_null_answers_count_as_correct_when_reported_infeasible(tmp_path: Path) -> None:
    data = write_dataset(
        tmp_path / "nulls.jsonl",
        [("inf", None, {"status": "infeasible"}), ("opt", None, {"objective": 0.0}),
         ("unb", None, {"status": "unbounded"}), ("unb-labelled", None, {"status": "unbounded"})],
        extra={"unb-labelled": {"answer_status": "derived_unbounded_from_annotation"}},
    )

    records = {r.id: r for r in run(data, **FAST).records}

    assert {k: r.correct for k, r in records.items()} == {
        "inf": True, "opt": False, "unb": False, "unb-labelled": True}
    assert records["unb-labelled"].expect is Expect.UNBOUNDED


def test_a_hanging_problem_is_stopped_and_a_crash_is_contained(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "bad.jsonl", [
        ("hangs", 1.0, {"sleep": 30}),
        ("aborts", 1.0, {"abort": True}),
        ("raises", 1.0, {"raise": "boom"}),
        ("fine", 1.0, {"objective": 1.0}),
    ], log=log)
    t0 = time.monotonic()

    records = {r.id: r for r in run(data, timeout=1.0, concurrency=4, out=tmp_path / "out.jsonl", **FAST).records}

    assert time.monotonic() - t0 < 10, "the hanging worker was waited for instead of killed"
    assert records["hangs"].status is RunFailure.TIMEOUT and "wall-clock guard" in (records["hangs"].error or "")
    assert 0.9 < records["hangs"].seconds.wall < 5
    assert records["aborts"].status is RunFailure.CRASHED and "SIGABRT" in (records["aborts"].error or "")
    assert records["raises"].status is RunFailure.CRASHED and records["raises"].error == "RuntimeError: boom"
    assert records["fine"].correct
    assert len(read_results(tmp_path / "out.jsonl")) == 4
    assert "hangs" not in [e["tag"] for e in read_log(log) if e["event"] == "end"]


def test_a_configuration_error_stops_the_run_and_records_nothing_for_it(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("ok", 1.0, {"objective": 1.0}),
                                                  ("misconfigured", 1.0, {"raise": "config", "sleep": 0.3})])

    with pytest.raises(ConfigurationError, match="scripted"):
        run(data, out=tmp_path / "out.jsonl", concurrency=1, **FAST)

    assert [r.id for r in read_results(tmp_path / "out.jsonl")] == ["ok"]


def test_llm_without_configuration_fails_before_any_work(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("p", 1.0, {"objective": 1.0})])
    with pytest.raises(ConfigurationError, match="No LLM is configured"):
        run(data, formulator="llm", solve=fake_solve)


def test_concurrency_bounds_the_problems_in_flight(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "slow.jsonl", [(f"p{i}", 1.0, {"objective": 1.0, "sleep": 0.6})
                                                    for i in range(8)], log=log)

    outcome = run(data, concurrency=4, **FAST)

    assert all(r.correct for r in outcome.records)
    events = sorted(((e["at"], 1 if e["event"] == "start" else -1) for e in read_log(log)), key=lambda e: e[0])
    in_flight = peak = 0
    for _, step in events:
        in_flight += step
        peak = max(peak, in_flight)
    assert peak == 4
    assert outcome.seconds < 8 * 0.6


def test_workers_are_reused_recycled_and_replaced_after_a_kill(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "RECYCLE_AFTER", 2)
    log = tmp_path / "calls.jsonl"
    rows = [(f"p{i}", 1.0, {"objective": 1.0}) for i in range(6)]
    rows[1] = ("p1", 1.0, {"sleep": 30})
    data = write_dataset(tmp_path / "toy.jsonl", rows, log=log)

    outcome = run(data, concurrency=1, timeout=0.5, **FAST)

    assert [r.status for r in outcome.records] == [Status.OPTIMAL, RunFailure.TIMEOUT, *[Status.OPTIMAL] * 4]
    a, a1, b, b1, c, c1 = (e["pid"] for e in read_log(log) if e["event"] == "start")
    assert (a, b, c) == (a1, b1, c1) and len({a, b, c}) == 3  # reused; killed at p1; recycled after 2


@pytest.mark.parametrize(
    "formulator, settings, expected",
    [
        ("llm", None, 8),
        ("auto", Settings(base_url="http://127.0.0.1:1/v1"), 8),
        ("auto", Settings(), os.cpu_count() or 1),
        ("rules", Settings(base_url="http://127.0.0.1:1/v1"), os.cpu_count() or 1),
    ],
)
def test_default_concurrency(formulator: str, settings: Settings | None, expected: int) -> None:
    assert default_concurrency(formulator, settings) == expected


def test_resume_after_a_limited_run_runs_only_the_rest(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [(f"p{i}", float(i), {"objective": float(i)})
                                                   for i in range(5)], log=log)

    first = run(data, out=out, limit=2, **FAST)
    second = run(data, out=out, **FAST)

    assert (first.ran, second.ran, second.resumed) == (2, 3, 2)
    assert sorted(started(log)[:2]) == ["p0", "p1"] and sorted(started(log)[2:]) == ["p2", "p3", "p4"]
    assert [r.id for r in second.records] == ["p0", "p1", "p2", "p3", "p4"]
    assert sorted(r.id for r in read_results(out)) == ["p0", "p1", "p2", "p3", "p4"]


def test_resume_reruns_a_problem_whose_line_was_torn(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [(f"p{i}", 1.0, {"objective": 1.0}) for i in range(3)], log=log)
    run(data, out=out, limit=2, concurrency=1, **FAST)
    out.write_bytes(out.read_bytes()[:-40])  # the crash hit in the middle of writing p1

    assert [r.id for r in read_results(out)] == ["p0"]
    run(data, out=out, concurrency=1, **FAST)

    assert started(log) == ["p0", "p1", "p1", "p2"]
    assert [r.id for r in read_results(out)] == ["p0", "p1", "p2"]


def test_resumed_records_are_judged_with_the_current_tolerance(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("p", 100.0, {"objective": 100.4})])

    strict = run(data, out=out, **FAST)
    loose = run(data, out=out, tolerance=Tolerance(abs=0.5), **FAST)

    assert (strict.records[0].correct, loose.records[0].correct, loose.ran, loose.resumed) == (False, True, 0, 1)


def test_a_garbled_results_file_is_refused_with_its_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text('{"dataset": "toy", "id": "p0", "status": "optimal"}\n{"id": 3}\n', encoding="utf-8")
    data = write_dataset(tmp_path / "toy.jsonl", [("p0", 1.0, {"objective": 1.0})])

    with pytest.raises(DatasetError, match=r"out\.jsonl, line 2"):
        run(data, out=out, **FAST)


DRIVER = """
import sys
from nl2opt.bench import run
from tests.bench.fakes import fake_solve
run(sys.argv[1], out=sys.argv[2], concurrency=2, formulator="rules", solve=fake_solve)
"""


def test_ctrl_c_keeps_every_finished_problem_and_a_rerun_does_only_the_rest(tmp_path: Path) -> None:
    log, out, path = tmp_path / "calls.jsonl", tmp_path / "out.jsonl", tmp_path / "toy.jsonl"
    ids = [f"p{i}" for i in range(10)]
    quick = {"objective": 1.0, "sleep": 0.05}
    write_dataset(path, [(i, 1.0, quick if i in ("p0", "p1", "p2") else {"objective": 1.0, "sleep": 1.0})
                         for i in ids], log=log)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(path), str(out)], env=env, cwd=ROOT,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not out.exists() or out.read_text().count("\n") < 3):
            time.sleep(0.02)
        driver.send_signal(signal.SIGINT)  # the slow p3 and p4 are in flight
        assert driver.wait(timeout=10) != 0
    finally:
        driver.kill()
        driver.wait()
    assert sorted(r.id for r in read_results(out)) == ["p0", "p1", "p2"]
    time.sleep(1.2)  # a worker that survived the interrupt would have logged its end by now
    assert {e["tag"] for e in read_log(log) if e["event"] == "end"} == {"p0", "p1", "p2"}
    before = len(started(log))
    write_dataset(path, [(i, 1.0, quick) for i in ids], log=log)

    outcome = run(path, out=out, concurrency=4, formulator="rules", solve=fake_solve)

    assert sorted(started(log)[before:]) == ids[3:]
    assert (outcome.resumed, outcome.ran) == (3, 7)
    assert sorted(r.id for r in read_results(out)) == ids


def test_workers_exit_when_the_runner_is_killed(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [(f"p{i}", 1.0, {"objective": 1.0, "sleep": 1.0})
                                                   for i in range(4)], log=log)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(data), str(out)], env=env, cwd=ROOT,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(started(log)) < 2:
            time.sleep(0.02)
    finally:
        driver.kill()  # SIGKILL: no cleanup runs in the runner
        driver.wait()

    time.sleep(1.5)  # past the problems' 1 s: an orphaned worker would have logged its end
    assert len(started(log)) == 2
    assert [e for e in read_log(log) if e["event"] == "end"] == []
    assert not out.exists() or read_results(out) == []


def test_an_unknown_backend_fails_before_any_work(tmp_path: Path) -> None:
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("p", 1.0, {"objective": 1.0})], log=log)

    with pytest.raises(UnknownBackendError):
        run(data, backend="cplex-9000", **FAST)

    assert not log.exists()


def test_real_llm_path_against_the_scripted_server(tmp_path: Path) -> None:
    pytest.importorskip("nl2opt.repair", reason="formulate_and_solve (nl2opt/repair.py) is not available")
    question = ("A bakery has 100 kg of flour. A loaf of bread needs 2 kg of flour and earns $3 profit; "
                "a cake needs 1 kg of flour and earns $5 profit. How many loaves and cakes maximise profit?")
    data = tmp_path / "bakery.jsonl"
    data.write_text("".join(json.dumps({"id": f"b{i}", "question": question, "answer": 500}) + "\n"
                            for i in range(3)), encoding="utf-8")
    with ScriptedLLMServer(default=Reply(SMALL_SPEC, prompt_tokens=1000, completion_tokens=500)) as server:
        settings = Settings(base_url=server.base_url, api_key="test", model="test-model", max_retries=0,
                            timeout=10, prices={"test-model": ModelPrice(input=1.0, output=2.0)},
                            cache_dir=tmp_path / "cache")
        outcome = run(data, formulator="llm", settings=settings, concurrency=3, cache=False)

    for r in outcome.records:
        assert (r.status, r.objective, r.correct, r.formulator, r.model) == (
            Status.OPTIMAL, 500.0, True, "llm", "test-model")
        assert r.tokens >= 1500 and r.cost_usd == pytest.approx(0.002 * len(r.attempts))
        assert r.spec is not None and r.spec["name"] == "bakery"
    assert len(server.chat_requests) == sum(len(r.attempts) for r in outcome.records)


def test_batch_runs_reuse_cached_replies_so_a_rerun_costs_nothing(tmp_path: Path) -> None:
    question = ("A bakery has 100 kg of flour. A loaf of bread needs 2 kg of flour and earns $3 profit; "
                "a cake needs 1 kg of flour and earns $5 profit. How many loaves and cakes maximise profit?")
    data = tmp_path / "shop.jsonl"
    data.write_text(json.dumps({"id": "s1", "question": question, "answer": 500}) + "\n", encoding="utf-8")
    with ScriptedLLMServer(default=Reply(SMALL_SPEC, prompt_tokens=1000, completion_tokens=500)) as server:
        settings = Settings(base_url=server.base_url, api_key="test", model="test-model", max_retries=0,
                            timeout=10, cache_dir=tmp_path / "cache")
        first = run(data, formulator="llm", settings=settings, out=tmp_path / "a.jsonl")
        served = len(server.chat_requests)
        again = run(data, formulator="llm", settings=settings, out=tmp_path / "b.jsonl")

    assert served == len(first.records[0].attempts) and len(server.chat_requests) == served
    assert first.records[0].objective == again.records[0].objective == 500.0
    assert again.records[0].tokens == 0


# --- Reruns retry transient failures; the results file is guarded; options are checked first ---


def test_a_rerun_retries_transient_failures_and_keeps_answers(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    first_time = {
        "hangs": {"sleep": 30},
        "crashes": {"raise": "boom"},
        "llm-down": {"status": "declined", "codes": ["formulate.llm-error"]},
        "no-solver": {"status": "error", "codes": ["solve.backend-unavailable"]},
        "wrong": {"objective": 2.0},
        "declined": {"status": "declined", "codes": ["formulate.declined"]},
    }
    data = write_dataset(tmp_path / "toy.jsonl", [(i, 1.0, b) for i, b in first_time.items()], log=log)
    run(data, out=out, timeout=1.0, concurrency=6, **FAST)
    write_dataset(data, [(i, 1.0, {"objective": 1.0}) for i in first_time], log=log)  # the outage is over
    before = len(started(log))

    outcome = run(data, out=out, concurrency=6, **FAST)

    assert sorted(started(log)[before:]) == ["crashes", "hangs", "llm-down", "no-solver"]
    assert (outcome.ran, outcome.retried, outcome.resumed) == (4, 4, 2)
    latest = {r.id: r for r in read_results(out)}
    assert {i: r.correct for i, r in latest.items()} == {
        "hangs": True, "crashes": True, "llm-down": True, "no-solver": True, "wrong": False, "declined": False}
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10, "the failures stay on record"
    assert [r.id for r in outcome.records] == list(first_time)


def test_keep_failures_reruns_nothing_that_is_recorded(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("crashes", 1.0, {"raise": "boom"})], log=log)
    run(data, out=out, **FAST)

    outcome = run(data, out=out, keep_failures=True, **FAST)

    assert started(log) == ["crashes"]
    assert (outcome.ran, outcome.resumed, outcome.records[0].status) == (0, 1, RunFailure.CRASHED)


PRECIOUS = next(
    (p for root in (ROOT.parent, ROOT.parent.parent)
     if (p := root / "shared" / "repro" / "hostile-input" / "precious.json.orig").exists()),
    ROOT.parent / "shared" / "repro" / "hostile-input" / "precious.json.orig",
)
"""The reproducer from ../shared (a worktree sits one level deeper than the main checkout)."""


@pytest.mark.parametrize(
    "content",
    [
        b'{"api_token": "precious", "note": "single-line file without a trailing newline"}',
        b'{"api_token": "precious"}\n',
        b"name,value\nflour,100",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        b'{"dataset": "toy", "id": "p0", "status": "optimal"}\n{"settings": "mine"}',
    ],
    ids=["one-line-json", "json-line", "csv", "binary", "record-then-other"],
)
def test_an_out_file_that_is_not_a_results_file_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    out = tmp_path / "mine.json"
    out.write_bytes(content)
    log = tmp_path / "calls.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("p0", 1.0, {"objective": 1.0})], log=log)

    with pytest.raises(DatasetError, match=r"mine\.json, line \d+: not a benchmark result"):
        run(data, out=out, **FAST)

    assert out.read_bytes() == content
    assert started(log) == [], "nothing ran"


def test_the_reproducer_precious_file_survives(tmp_path: Path) -> None:
    if not PRECIOUS.exists():
        pytest.skip(f"{PRECIOUS} is not here (the shared reproducers)")
    out = tmp_path / "precious.json"
    out.write_bytes(PRECIOUS.read_bytes())
    data = write_dataset(tmp_path / "toy.jsonl", [("p0", 1.0, {"objective": 1.0})])

    with pytest.raises(DatasetError, match=r"precious\.json"):
        run(data, out=out, **FAST)

    assert out.read_bytes() == PRECIOUS.read_bytes()


def test_an_out_that_is_a_directory_is_refused_by_name(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "toy.jsonl", [("p0", 1.0, {"objective": 1.0})])
    (tmp_path / "somedir").mkdir()

    with pytest.raises(DatasetError, match=r"somedir: cannot open the results file"):
        run(data, out=tmp_path / "somedir", **FAST)


def test_a_second_run_on_the_same_out_is_refused_while_the_first_writes(tmp_path: Path) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [(f"p{i}", 1.0, {"objective": 1.0, "sleep": 0.5})
                                                   for i in range(4)], log=log)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([sys.executable, "-c", DRIVER, str(data), str(out)], env=env, cwd=ROOT,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not started(log):
            time.sleep(0.02)

        with pytest.raises(DatasetError, match=r"out\.jsonl is being written by another `nl2opt bench` run"):
            run(data, out=out, **FAST)

        assert first.wait(timeout=20) == 0
    finally:
        first.kill()
        first.wait()
    assert sorted(started(log)) == ["p0", "p1", "p2", "p3"], "the refused run started nothing"
    assert sorted(r.id for r in read_results(out)) == ["p0", "p1", "p2", "p3"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4
    again = run(data, out=out, **FAST)  # the lock went with the first run
    assert (again.ran, again.resumed) == (0, 4)


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("timeout", -1.0, "timeout must be a positive number of seconds"),
        ("timeout", 0.0, "timeout must be a positive number of seconds"),
        ("timeout", float("nan"), "timeout must be a positive number of seconds"),
        ("time_limit", -5.0, "time_limit must be a positive number of seconds"),
        ("time_limit", float("inf"), "time_limit must be a positive number of seconds"),
        ("limit", -1, "limit must be a whole number of at least 0"),
        ("sample", -2, "sample must be a whole number of at least 0"),
        ("concurrency", 0, "concurrency must be a whole number of at least 1"),
        ("max_attempts", 0, "max_attempts must be a whole number of at least 1"),
    ],
)
def test_options_out_of_range_are_refused_before_anything_runs(tmp_path: Path, option: str, value: object,
                                                                words: str) -> None:
    log, out = tmp_path / "calls.jsonl", tmp_path / "out.jsonl"
    data = write_dataset(tmp_path / "toy.jsonl", [("p0", 1.0, {"objective": 1.0})], log=log)

    with pytest.raises(ValueError, match=words):
        run(data, out=out, **{option: value}, **FAST)

    assert not out.exists() and started(log) == []
