"""The batch runner: many problems in flight, each in its own process, every result on disk at once.

**One process per problem, forked from a warm forkserver.** Each problem runs
``formulate_and_solve`` in a worker process of its own, with at most
``concurrency`` workers alive. A process is what makes a problem expendable: a
model that makes the solver or the compiler hang is stopped by killing its worker
when its wall-clock deadline passes (status ``timeout``), and one that crashes the
interpreter (a segfault in a native solver, memory exhausted) takes down only its
worker (status ``crashed``); the run goes on either way. A thread offers neither,
since Python cannot stop a thread, and a reused pool worker cannot be killed
without breaking the pool. The solver also gets ``time_limit`` for each solve, so
the wall-clock guard is the backstop, not the plan.

Workers are forked from a ``forkserver`` (spawned with the ``spawn`` method where
there is none, on Windows). The forkserver is a fresh single-threaded process,
so forking from it is safe even though this process runs threads (the progress
bar, a caller's own); it imports :mod:`nl2opt.bench._preload` once, so each fork
starts with the pipeline, the solver and the openai SDK already loaded, and costs
milliseconds instead of the second and a half that a spawned interpreter spends
importing them. LLM calls are blocking I/O, so with ``concurrency`` workers that
many requests are in flight at once.

**Nothing finished is lost.** The parent alone writes the results file: each record
is appended as one line and fsynced when its worker reports (see
:mod:`nl2opt.bench.records`). Ctrl-C kills the workers in flight and records
nothing for them; a rerun with the same ``out`` skips every (dataset, id) already
in the file and runs only the rest.

**Configuration errors stop the run.** A worker that hits an ``Nl2OptError`` (no
LLM configured, an unknown backend) reports it instead of a record, and the
runner raises it: such an error would fail every problem alike, and recording
them would make a rerun skip problems that never ran.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from nl2opt.bench.datasets import Problem, load_dataset, resolve_dataset, select
from nl2opt.bench.metrics import Summary, Tolerance, is_correct, rescore, summarise
from nl2opt.bench.records import AttemptRecord, ProblemRecord, ResultsFile, RunFailure, StageSeconds
from nl2opt.config import Settings
from nl2opt.diagnostics import Severity
from nl2opt.errors import ConfigurationError, DatasetError, Nl2OptError
from nl2opt.formulators.base import Formulator
from nl2opt.result import Attempt, Result

__all__ = ["BenchRun", "SolveFn", "default_concurrency", "default_timeout", "run", "run_problems"]

SolveFn = Callable[..., Result]
"""Called as ``formulate_and_solve`` is: ``solve(text, formulator=..., model=..., backend=...,
max_attempts=..., time_limit=..., settings=...)``."""

LLM_CONCURRENCY = 8
"""Default problems in flight when an LLM formulates: enough to hide latency, few enough for rate limits."""
LLM_ALLOWANCE = 120.0
"""Seconds allowed per attempt for the LLM call and its retries, in the default wall-clock guard."""
DEFAULT_SOLVE_SECONDS = 60.0
"""Seconds allowed per attempt for the solve, in the default guard, when no time limit is set."""
_REAP_SECONDS = 5.0
"""How long a worker that has reported may take to exit before it is killed."""


@dataclass(frozen=True)
class _Options:
    """What every worker needs besides its problem; pickled to each one."""

    solve: SolveFn
    formulator: str | Formulator
    model: str | None
    backend: str
    max_attempts: int
    time_limit: float | None
    settings: Settings | None
    tolerance: Tolerance


@dataclass
class _Worker:
    problem: Problem
    process: BaseProcess
    conn: Connection
    started: float
    deadline: float


@dataclass
class BenchRun:
    """The outcome of :func:`run`: a record for every selected problem, resumed or run now."""

    records: list[ProblemRecord]
    resumed: int = 0
    """Problems found in the results file and not run again."""
    ran: int = 0
    seconds: float = 0.0
    config: dict[str, Any] = field(default_factory=dict)
    """The options of the run, for reports."""

    def summary(self) -> Summary:
        return summarise(self.records)


def default_concurrency(formulator: str | Formulator, settings: Settings | None) -> int:
    """8 when an LLM formulates (its calls are waits); else one per CPU (the rules only compute)."""
    name = formulator if isinstance(formulator, str) else getattr(formulator, "name", "")
    uses_llm = name == "llm" or (name == "auto" and settings is not None and settings.llm_configured())
    return LLM_CONCURRENCY if uses_llm else max(1, os.cpu_count() or 1)


def default_timeout(max_attempts: int, time_limit: float | None) -> float:
    """The wall-clock guard per problem: each attempt's solve limit plus two minutes for its LLM call."""
    return max_attempts * ((time_limit or DEFAULT_SOLVE_SECONDS) + LLM_ALLOWANCE)


def run(
    datasets: str | Path | Sequence[str | Path],
    *,
    formulator: str | Formulator = "auto",
    model: str | None = None,
    backend: str = "highs",
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
    concurrency: int | None = None,
    max_attempts: int = 3,
    time_limit: float | None = None,
    timeout: float | None = None,
    out: str | Path | None = None,
    tolerance: Tolerance | None = None,
    settings: Settings | None = None,
    progress: bool = False,
    solve: SolveFn | None = None,
) -> BenchRun:
    """Run nl2opt over benchmark datasets and score every answer.

    Args:
        datasets: JSONL files, or names found under ``NL2OPT_DATASETS``.
        formulator: ``"auto"``, ``"llm"``, ``"rules"``, or a picklable Formulator.
        model: LLM model name (default: ``settings.model``).
        backend: solver backend.
        limit: the first N problems of each dataset (after ``sample``).
        sample: N problems drawn at random from each dataset, reproducibly with ``seed``.
        seed: seed of ``sample``.
        concurrency: problems in flight; see :func:`default_concurrency`.
        max_attempts: formulate/repair rounds per problem.
        time_limit: solver seconds per solve.
        timeout: wall-clock seconds per problem, all attempts, after which its worker is
            killed and the problem recorded as ``timeout``; see :func:`default_timeout`.
        out: results file (JSONL). Problems already in it are not run again; new records
            are appended as they finish.
        tolerance: how close an objective must be; 1e-4 relative, 1e-6 absolute by default.
        settings: LLM settings; read from the environment when None.
        progress: show a progress bar (tqdm) with the running accuracy and cost.
        solve: the function run per problem, ``nl2opt.formulate_and_solve`` by default. It
            runs in a worker process, so it must be picklable: a module-level function.

    Returns:
        Every selected problem's record, in dataset order, resumed ones included.

    Raises:
        DatasetError: a dataset or the results file is malformed; the message names the line.
        ConfigurationError: an LLM is required but none is configured.
        Nl2OptError: any other error that would fail every problem alike (unknown backend).
        KeyboardInterrupt: after killing the workers in flight; finished records are on disk.
    """
    sources = [datasets] if isinstance(datasets, str | Path) else list(datasets)
    problems: list[Problem] = []
    files: dict[str, Path] = {}
    for source in sources:
        path = resolve_dataset(source)
        if path.stem in files:
            raise DatasetError(
                f"{path} and {files[path.stem]} would both be called {path.stem!r} in the results; "
                "give each dataset once, with distinct file names."
            )
        files[path.stem] = path
        problems += select(load_dataset(path), limit=limit, sample=sample, seed=seed)
    return run_problems(
        problems,
        formulator=formulator,
        model=model,
        backend=backend,
        concurrency=concurrency,
        max_attempts=max_attempts,
        time_limit=time_limit,
        timeout=timeout,
        out=out,
        tolerance=tolerance,
        settings=settings,
        progress=progress,
        solve=solve,
    )


def run_problems(
    problems: Sequence[Problem],
    *,
    formulator: str | Formulator = "auto",
    model: str | None = None,
    backend: str = "highs",
    concurrency: int | None = None,
    max_attempts: int = 3,
    time_limit: float | None = None,
    timeout: float | None = None,
    out: str | Path | None = None,
    tolerance: Tolerance | None = None,
    settings: Settings | None = None,
    progress: bool = False,
    solve: SolveFn | None = None,
) -> BenchRun:
    """:func:`run` for problems already loaded (for instance made up by a benchmark script)."""
    started = time.perf_counter()
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    if concurrency is not None and concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    tolerance = tolerance or Tolerance()
    settings = _settings(formulator, settings)
    options = _Options(
        solve=solve or _formulate_and_solve,
        formulator=formulator,
        model=model,
        backend=backend,
        max_attempts=max_attempts,
        time_limit=time_limit,
        settings=settings,
        tolerance=tolerance,
    )
    config = {
        "formulator": formulator if isinstance(formulator, str) else formulator.name,
        "model": model or (settings.model if settings is not None and settings.llm_configured() else None),
        "backend": backend,
        "max_attempts": max_attempts,
        "time_limit": time_limit,
        "tolerance": {"rel": tolerance.rel, "abs": tolerance.abs},
    }
    results = ResultsFile(out) if out is not None else None
    try:
        done = {r.key: rescore(r, tolerance) for r in (results.records if results else [])}
        wanted = {p.key for p in problems}
        resumed = [done[p.key] for p in problems if p.key in done]
        todo = [p for p in problems if p.key not in done]
        workers = concurrency or default_concurrency(formulator, settings)
        new = _pool(todo, options, workers=min(workers, max(len(todo), 1)),
                    timeout=timeout or default_timeout(max_attempts, time_limit),
                    results=results, progress=progress, finished=resumed, total=len(wanted))
    finally:
        if results is not None:
            results.close()
    by_key = {r.key: r for r in [*resumed, *new]}
    return BenchRun(
        records=[by_key[p.key] for p in problems if p.key in by_key],
        resumed=len(resumed),
        ran=len(new),
        seconds=time.perf_counter() - started,
        config=config,
    )


def _settings(formulator: str | Formulator, settings: Settings | None) -> Settings | None:
    """Resolve LLM settings here, once, so that workers see this process's environment."""
    if not isinstance(formulator, str) or formulator == "rules":
        return settings
    if formulator not in ("auto", "llm"):
        raise ConfigurationError(f"unknown formulator {formulator!r}: use 'auto', 'llm' or 'rules'")
    settings = settings or Settings.from_env()
    if formulator == "llm":
        settings.require_llm()
    return settings


def _pool(
    todo: Sequence[Problem],
    options: _Options,
    *,
    workers: int,
    timeout: float,
    results: ResultsFile | None,
    progress: bool,
    finished: list[ProblemRecord],
    total: int,
) -> list[ProblemRecord]:
    """Keep ``workers`` problems running until all are recorded; kill the late and the stuck."""
    context = _context()
    pending = deque(todo)
    running: list[_Worker] = []
    records: list[ProblemRecord] = []
    bar = _Progress(total, finished, enabled=progress)
    try:
        while pending or running:
            while pending and len(running) < workers:
                running.append(_start(context, pending.popleft(), options, timeout))
            soonest = min(w.deadline for w in running)
            wait([w.conn for w in running] + [w.process.sentinel for w in running],
                 timeout=max(0.0, soonest - time.monotonic()))
            now = time.monotonic()
            for worker in list(running):
                record = _collect(worker, options, now)
                if record is None:
                    continue
                running.remove(worker)
                record.seconds.wall = now - worker.started
                if results is not None:
                    results.append(record)
                records.append(record)
                bar.update(record)
    finally:
        for worker in running:
            _stop(worker)
        bar.close()
    return records


def _context() -> Any:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["nl2opt.bench._preload"])
        return context
    return multiprocessing.get_context("spawn")


def _start(context: Any, problem: Problem, options: _Options, timeout: float) -> _Worker:
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(sender, problem, options), daemon=True,
                              name=f"nl2opt-bench {problem.dataset}/{problem.id}")
    started = time.monotonic()
    process.start()
    sender.close()
    return _Worker(problem, process, receiver, started, started + timeout)


def _collect(worker: _Worker, options: _Options, now: float) -> ProblemRecord | None:
    """The worker's record if it has finished one way or another, else None (still running)."""
    if worker.conn.poll():
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            kind, payload = "died", None
    elif not worker.process.is_alive():
        kind, payload = "died", None
    elif now >= worker.deadline:
        _stop(worker)
        return _failure(worker.problem, options, RunFailure.TIMEOUT,
                        f"stopped after {now - worker.started:.1f} s (the wall-clock guard)")
    else:
        return None
    worker.process.join(_REAP_SECONDS)
    death = _death(worker.process) if kind == "died" else ""
    _stop(worker)
    if kind == "abort":
        raise payload
    if kind == "record":
        return ProblemRecord.model_validate_json(payload)
    return _failure(worker.problem, options, RunFailure.CRASHED, payload if kind == "error" else death)


def _death(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"the worker died from signal {signal.Signals(-code).name}"
        except ValueError:
            return f"the worker died from signal {-code}"
    return f"the worker exited with code {code} without a result"


def _stop(worker: _Worker) -> None:
    if worker.conn.closed:
        return
    if worker.process.is_alive():
        worker.process.kill()
    worker.process.join()
    worker.conn.close()
    worker.process.close()


def _work(conn: Connection, problem: Problem, options: _Options) -> None:
    """Worker process: solve one problem, send back its record (or the error that stops the run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills us
    try:
        result = options.solve(
            problem.question,
            formulator=options.formulator,
            model=options.model,
            backend=options.backend,
            max_attempts=options.max_attempts,
            time_limit=options.time_limit,
            settings=options.settings,
        )
        message: tuple[str, Any] = ("record", record_for(problem, result, options.tolerance).model_dump_json())
    except Nl2OptError as err:
        message = ("abort", err)
    except Exception as err:
        message = ("error", f"{type(err).__name__}: {err}")
    conn.send(message)
    conn.close()


def _formulate_and_solve(text: str, **options: Any) -> Result:
    from nl2opt.repair import formulate_and_solve

    return formulate_and_solve(text, **options)


def record_for(problem: Problem, result: Result, tolerance: Tolerance) -> ProblemRecord:
    """Score a Result and reduce it to the record a benchmark keeps."""
    first = result.attempts[0] if result.attempts else None
    correct = is_correct(result.status, result.objective, problem.answer, problem.expect, tolerance)
    usage = result.usage
    timings = result.timings
    return ProblemRecord(
        dataset=problem.dataset,
        id=problem.id,
        status=result.status,
        objective=result.objective,
        expected=problem.answer,
        expect=problem.expect,
        correct=correct,
        first_correct=correct if first is None
        else is_correct(first.status, first.objective, problem.answer, problem.expect, tolerance),
        formulator=result.formulator,
        model=result.model,
        backend=result.backend,
        attempts=[_attempt(a) for a in result.attempts],
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        cost_usd=usage.cost_usd,
        seconds=StageSeconds(
            formulate=timings.formulate,
            check=timings.check,
            lower=timings.lower,
            solve=timings.solve,
            verify=timings.verify,
            total=timings.total,
        ),
        codes=_codes(result.diagnostics),
        spec=result.spec.model_dump(mode="json", by_alias=True) if result.spec is not None else None,
    )


def _attempt(attempt: Attempt) -> AttemptRecord:
    return AttemptRecord(
        number=attempt.number,
        status=attempt.status,
        objective=attempt.objective,
        codes=_codes(attempt.diagnostics),
        failed=attempt.feedback is not None or not attempt.status.has_solution,
        tokens=attempt.usage.total_tokens,
        seconds=attempt.seconds,
    )


def _codes(diagnostics: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(d.code for d in diagnostics if d.severity is not Severity.INFO))


def _failure(problem: Problem, options: _Options, status: RunFailure, error: str) -> ProblemRecord:
    formulator = options.formulator if isinstance(options.formulator, str) else options.formulator.name
    return ProblemRecord(
        dataset=problem.dataset,
        id=problem.id,
        status=status,
        expected=problem.answer,
        expect=problem.expect,
        formulator=formulator,
        model=options.model,
        backend=options.backend,
        error=error,
    )


class _Progress:
    """A tqdm bar with the running accuracy and cost; silent when disabled or tqdm is missing."""

    def __init__(self, total: int, finished: list[ProblemRecord], *, enabled: bool) -> None:
        self.done = len(finished)
        self.correct = sum(r.correct for r in finished)
        self.cost = sum(r.cost_usd or 0.0 for r in finished)
        self.tokens = sum(r.tokens for r in finished)
        self._bar: Any = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self._bar = tqdm(total=total, initial=self.done, unit="problem", dynamic_ncols=True)
            self._show()
            self._bar.refresh()

    def update(self, record: ProblemRecord) -> None:
        self.done += 1
        self.correct += record.correct
        self.cost += record.cost_usd or 0.0
        self.tokens += record.tokens
        if self._bar is not None:
            self._show()
            self._bar.update(1)

    def _show(self) -> None:
        accuracy = self.correct / self.done if self.done else 0.0
        spend = f"${self.cost:.4f}" if self.cost else f"{self.tokens} tok"
        self._bar.set_postfix_str(f"acc {accuracy:.1%}, {spend}", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
