"""The batch runner: select problems, skip those already done, run the rest in isolation, keep every result.

**Isolated and concurrent.** Each problem runs ``formulate_and_solve`` in a worker
process of its own, ``concurrency`` at a time, forked from a warm forkserver: a
problem that hangs is killed at its wall-clock deadline (``timeout``), one that
crashes its interpreter takes down only its worker, and LLM calls, being blocking
I/O, overlap. :mod:`nl2opt.bench.pool` explains why processes and not threads.

**Nothing finished is lost.** The parent alone writes the results file: each record
is appended as one line and fsynced when its worker reports (see
:mod:`nl2opt.bench.records`). Ctrl-C kills the workers in flight and records
nothing for them; a rerun with the same ``out`` skips every (dataset, id) already
in the file and runs only the rest, and the problems whose record is a failure that
may pass next time (a timeout, a crash, an LLM or solver error) again, unless
``keep_failures`` is set.

**Options are checked first.** A negative or non-finite timeout, time limit, limit or
sample is a ``ValueError`` naming the option before any file is opened.

**Configuration errors stop the run.** The backend and the LLM settings are checked
before any work, and a worker that still hits an ``Nl2OptError`` reports it instead
of a record, and the runner raises it: such an error would fail every problem alike,
and recording it would make a rerun skip problems that never ran.
"""

from __future__ import annotations

import math
import numbers
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nl2opt.bench.datasets import Problem, load_dataset, resolve_dataset, select
from nl2opt.bench.metrics import Summary, Tolerance, rescore, summarise
from nl2opt.bench.pool import Job, SolveFn, run_pool
from nl2opt.bench.records import ProblemRecord, ResultsFile
from nl2opt.config import Settings
from nl2opt.errors import ConfigurationError, DatasetError
from nl2opt.formulators.base import Formulator
from nl2opt.result import Result

__all__ = [
    "BenchRun",
    "SolveFn",
    "check_options",
    "default_concurrency",
    "default_timeout",
    "run",
    "run_problems",
]

LLM_CONCURRENCY = 8
"""Default problems in flight when an LLM formulates: enough to hide latency, few enough for rate limits."""
LLM_ALLOWANCE = 120.0
"""Seconds allowed per attempt for the LLM call and its retries, in the default wall-clock guard."""
DEFAULT_SOLVE_SECONDS = 60.0
"""Seconds allowed per attempt for the solve, in the default guard, when no time limit is set."""


@dataclass
class BenchRun:
    """The outcome of :func:`run`: a record for every selected problem, resumed or run now."""

    records: list[ProblemRecord]
    resumed: int = 0
    """Problems found in the results file and not run again."""
    retried: int = 0
    """Problems whose record in the results file was a transient failure, run again."""
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
    cache: bool = True,
    samples: int = 1,
    keep_failures: bool = False,
    executor: str = "local",
    address: str | None = None,
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
        out: results file (JSONL). Problems already in it are not run again, except those whose
            record is a transient failure (timeout, crash, LLM or solver error); new records are
            appended as they finish. A file that is not a results file is refused, and one that
            another run is writing too.
        keep_failures: do not run transient failures again: every recorded problem is done.
        tolerance: how close an objective must be; 1e-4 relative, 1e-6 absolute by default.
        settings: LLM settings; read from the environment when None.
        progress: show a progress bar (tqdm) with the running accuracy and cost.
        cache: reuse LLM replies from the disk cache ($NL2OPT_CACHE_DIR), so a re-run costs no
            tokens; on by default for batch runs.
        solve: the function run per problem, ``nl2opt.formulate_and_solve`` by default. It
            runs in a worker process, so it must be picklable: a module-level function.
        samples: formulations per problem; the answer most of them reach is scored.
        executor: ``"local"`` (worker processes on this machine) or ``"ray"`` (Ray tasks on a
            cluster; see :mod:`nl2opt.bench.ray_executor`). The results file stays here.
        address: the Ray cluster to join (``"auto"``, ``"ray://host:10001"``); with ``"ray"`` only.

    Returns:
        Every selected problem's record, in dataset order, resumed ones included.

    Raises:
        ValueError: an option is out of range (a negative timeout, limit, ...); names it.
        DatasetError: a dataset or the results file is malformed (names the line), or the
            results file is in use by another run.
        ConfigurationError: an LLM is required but none is configured.
        Nl2OptError: any other error that would fail every problem alike (unknown backend).
        KeyboardInterrupt: after killing the workers in flight; finished records are on disk.
    """
    check_options(limit=limit, sample=sample, timeout=timeout, time_limit=time_limit,
                  concurrency=concurrency, max_attempts=max_attempts)
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
        cache=cache,
        samples=samples,
        keep_failures=keep_failures,
        executor=executor,
        address=address,
    )


def check_options(
    *,
    limit: int | None = None,
    sample: int | None = None,
    timeout: float | None = None,
    time_limit: float | None = None,
    concurrency: int | None = None,
    max_attempts: int = 1,
) -> None:
    """Refuse options no run can honour, naming the option, before anything starts.

    Raises:
        ValueError: a count below its minimum, or seconds that are not a positive finite number.
    """
    for name, count, least in (("limit", limit, 0), ("sample", sample, 0), ("concurrency", concurrency, 1),
                               ("max_attempts", max_attempts, 1)):
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < least
        ):
            raise ValueError(f"{name} must be a whole number of at least {least}, got {count!r}")
    for name, seconds in (("timeout", timeout), ("time_limit", time_limit)):
        if seconds is None:
            continue
        if (
            isinstance(seconds, bool)
            or not isinstance(seconds, numbers.Real)
            or not (math.isfinite(seconds) and seconds > 0)
        ):
            raise ValueError(f"{name} must be a positive number of seconds, got {seconds!r}")


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
    cache: bool = True,
    samples: int = 1,
    keep_failures: bool = False,
    executor: str = "local",
    address: str | None = None,
) -> BenchRun:
    """:func:`run` for problems already loaded (for instance made up by a benchmark script)."""
    started = time.perf_counter()
    check_options(timeout=timeout, time_limit=time_limit, concurrency=concurrency, max_attempts=max_attempts)
    from nl2opt.backends import get_backend  # here: reading and reporting results needs no solver

    get_backend(backend)  # an unknown or missing backend would fail every problem: say so now
    if executor not in ("local", "ray"):
        raise ConfigurationError(f"unknown executor {executor!r}: use 'local' or 'ray'")
    if address is not None and executor != "ray":
        raise ConfigurationError("a cluster address is for the Ray executor: add --executor ray")
    tolerance = tolerance or Tolerance()
    settings = _settings(formulator, settings)
    job = Job(
        solve=solve or _formulate_and_solve,
        formulator=formulator,
        model=model,
        backend=backend,
        max_attempts=max_attempts,
        time_limit=time_limit,
        settings=settings,
        tolerance=tolerance,
        cache=cache,
        samples=samples,
    )
    config = {
        "formulator": formulator if isinstance(formulator, str) else formulator.name,
        "model": model or (settings.model if settings is not None and settings.llm_configured() else None),
        "backend": backend,
        "max_attempts": max_attempts,
        "time_limit": time_limit,
        "cache": cache,
        "samples": samples,
        "tolerance": {"rel": tolerance.rel, "abs": tolerance.abs},
    }
    results = ResultsFile(out) if out is not None else None
    new: list[ProblemRecord] = []
    try:
        recorded = {r.key: r for r in (results.records if results else [])}  # the last record of each
        done = {k: rescore(r, tolerance) for k, r in recorded.items() if keep_failures or not r.transient}
        resumed = [done[p.key] for p in problems if p.key in done]
        todo = [p for p in problems if p.key not in done]
        retried = len({p.key for p in todo if p.key in recorded})
        bar = _Progress(len({p.key for p in problems}), resumed, enabled=progress)

        def keep(record: ProblemRecord) -> None:
            if results is not None:
                results.append(record)
            new.append(record)
            bar.update(record)

        try:
            if executor == "ray":
                from nl2opt.bench.ray_executor import run_ray

                run_ray(todo, job, timeout=timeout or default_timeout(max_attempts, time_limit), on_record=keep,
                        concurrency=concurrency, address=address)
            else:
                run_pool(todo, job, workers=min(concurrency or default_concurrency(formulator, settings),
                                                max(len(todo), 1)),
                         timeout=timeout or default_timeout(max_attempts, time_limit), on_record=keep)
        finally:
            bar.close()
    finally:
        if results is not None:
            results.close()
    by_key = {r.key: r for r in [*resumed, *new]}
    return BenchRun(
        records=[by_key[p.key] for p in problems if p.key in by_key],
        resumed=len(resumed),
        retried=retried,
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


def _formulate_and_solve(text: str, **options: Any) -> Result:
    from nl2opt.repair import formulate_and_solve

    return formulate_and_solve(text, **options)


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
