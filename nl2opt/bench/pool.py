"""Isolated workers: processes forked from a warm forkserver, each killed when its problem runs late.

Every problem runs in a worker process, one problem per worker at a time, with at
most ``workers`` workers alive. A process is what makes a problem expendable: a
model that makes the solver or the compiler hang is stopped by killing its worker
when the problem's wall-clock deadline passes (status ``timeout``), and one that
crashes the interpreter (a segfault in a native solver, memory exhausted) takes
down only its worker (status ``crashed``); a fresh worker takes the next problem
and the run goes on. A thread offers neither, since Python cannot stop a thread,
and the workers of ``concurrent.futures`` or ``multiprocessing.Pool`` cannot be
killed one at a time without breaking their pool. The solver also gets the time
limit of each solve, so the wall-clock guard is the backstop, not the plan. A
worker whose runner dies (killed, crashed) exits too, so nothing runs unguarded.

Workers are forked from a ``forkserver`` (spawned with the ``spawn`` method where
there is none, on Windows). The forkserver is a fresh single-threaded process, so
forking from it is safe even though the runner runs threads (the progress bar, a
caller's own); it imports :mod:`nl2opt.bench._preload` once, so a worker starts
with the pipeline, the solver and the openai SDK loaded, in milliseconds instead of
the second and a half a spawned interpreter spends importing them. A worker then
serves problem after problem (up to :data:`RECYCLE_AFTER`, to bound what a long
run could leak), because a warm worker solves one in about half the CPU time of a
fresh fork (its caches, its solver's threads and its first-use imports are paid
for). LLM calls are blocking I/O, so ``workers`` workers keep that many requests
in flight.

Only the parent talks to the results file: for each problem it is sent, a worker
sends back one message, the problem's record (or the error that stops the run).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from nl2opt.bench.datasets import Problem
from nl2opt.bench.metrics import Tolerance, failure_record, record_for
from nl2opt.bench.records import ProblemRecord, RunFailure
from nl2opt.config import Settings
from nl2opt.errors import Nl2OptError
from nl2opt.formulators.base import Formulator
from nl2opt.formulators.completion import Redactor
from nl2opt.result import Result

__all__ = ["RECYCLE_AFTER", "Job", "SolveFn", "run_pool"]

SolveFn = Callable[..., Result]
"""Called as ``formulate_and_solve`` is: ``solve(text, formulator=..., model=..., backend=...,
max_attempts=..., time_limit=..., settings=..., cache=...)``."""

_SOLVER_MODULES = {
    "pulp": ("nl2opt.backends.pulp", "pulp"),
    "ortools": ("nl2opt.backends.ortools", "ortools.linear_solver.pywraplp"),
    "pyomo": ("nl2opt.backends.pyomo", "pyomo.environ"),
}
"""What the other backends import on first use (highs is in the standard preload): seconds per worker."""
RECYCLE_AFTER = 50
"""Problems a worker serves before it is replaced by a fresh fork."""
_EXIT_SECONDS = 5.0
"""How long a worker told to stop may take to exit before it is killed."""


@dataclass(frozen=True)
class Job:
    """What every worker needs besides its problems; pickled to each one, so ``solve`` and
    ``formulator`` must be picklable (a module-level function, a formulator name)."""

    solve: SolveFn
    formulator: str | Formulator
    model: str | None
    backend: str
    max_attempts: int
    time_limit: float | None
    settings: Settings | None
    tolerance: Tolerance
    cache: bool = True
    """Reuse LLM replies from the disk cache (re-running a benchmark then costs nothing)."""
    samples: int = 1
    """Formulations per problem (``formulate_and_solve(samples=...)``); passed on only above 1."""


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    problem: Problem | None = None
    """The problem it is solving; None when idle."""
    started: float = 0.0
    deadline: float = 0.0
    served: int = 0


def run_pool(
    todo: Sequence[Problem],
    job: Job,
    *,
    workers: int,
    timeout: float,
    on_record: Callable[[ProblemRecord], None],
) -> None:
    """Keep ``workers`` problems running until each has a record; kill the late and the stuck.

    ``on_record`` gets each record as its problem finishes, with ``seconds.wall`` set.

    Raises:
        Nl2OptError: a worker hit a configuration error (it would hit every problem alike).
        KeyboardInterrupt: after killing the workers in flight, whose problems get no record.
    """
    context = _context(job.backend)
    pending = deque(todo)
    pool: list[_Worker] = []
    try:
        while True:
            for worker in [w for w in pool if w.problem is None]:
                if not worker.process.is_alive():  # died while idle: replace it, no problem lost
                    _stop(worker)
                    pool.remove(worker)
                elif pending:
                    _assign(worker, pending.popleft(), timeout)
            while pending and len(pool) < workers:
                pool.append(_assign(_spawn(context, job), pending.popleft(), timeout))
            busy = [w for w in pool if w.problem is not None]
            if not busy:
                return
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                 timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic()))
            now = time.monotonic()
            for worker in busy:
                record = _collect(worker, job, now)
                if record is None:
                    continue
                record.seconds.wall = now - worker.started
                worker.problem = None
                if worker.conn.closed or worker.served >= RECYCLE_AFTER:
                    _stop(worker)
                    pool.remove(worker)
                on_record(record)
    finally:
        for worker in pool:
            _stop(worker)


def _context(backend: str) -> Any:
    """The forkserver, preloaded with what every worker needs; ``spawn`` where there is no forkserver.

    The preload takes effect when the forkserver starts, at the first run in this process.
    ``__main__`` is preloaded so that workers do not each run the caller's script again.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "nl2opt.bench._preload", *_SOLVER_MODULES.get(backend, ())])
    return context


def _spawn(context: Any, job: Job) -> _Worker:
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, job), daemon=True, name="nl2opt-bench-worker")
    process.start()
    theirs.close()
    return _Worker(process, ours)


def _assign(worker: _Worker, problem: Problem, timeout: float) -> _Worker:
    worker.problem = problem
    worker.started = time.monotonic()
    worker.deadline = worker.started + timeout
    worker.served += 1
    with contextlib.suppress(OSError):  # it died just now: _collect reports the problem as crashed
        worker.conn.send(problem)
    return worker


def _collect(worker: _Worker, job: Job, now: float) -> ProblemRecord | None:
    """The record of the worker's problem if it has finished one way or another, else None.

    A worker that timed out, died or stops the run is stopped here (its ``conn`` closed).
    """
    assert worker.problem is not None
    if worker.conn.poll():
        try:
            kind, payload = worker.conn.recv()
        except (EOFError, OSError):
            kind, payload = "died", None
    elif not worker.process.is_alive():
        kind, payload = "died", None
    elif now >= worker.deadline:
        _stop(worker)
        return _failure(worker.problem, job, RunFailure.TIMEOUT,
                        f"stopped after {now - worker.started:.1f} s (the wall-clock guard)")
    else:
        return None
    if kind == "record":
        return ProblemRecord.model_validate_json(payload)
    if kind == "error":
        return _failure(worker.problem, job, RunFailure.CRASHED, payload)
    _stop(worker)
    if kind == "abort":
        raise payload
    return _failure(worker.problem, job, RunFailure.CRASHED, _death(worker.process))


def _death(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"the worker died from signal {signal.Signals(-code).name}"
        except ValueError:
            return f"the worker died from signal {-code}"
    return f"the worker exited with code {code} without a result"


def _stop(worker: _Worker) -> None:
    """End a worker: an idle one is told to exit (its pipe closes), a busy one is killed."""
    if worker.conn.closed:
        return
    if worker.problem is not None and worker.process.is_alive():
        worker.process.kill()
    worker.conn.close()
    worker.process.join(_EXIT_SECONDS)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()


def _serve(conn: Connection, job: Job) -> None:
    """Worker process: solve each problem sent, answer with its record, exit when the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills us
    _follow_parent()
    while True:
        try:
            problem = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_solve(problem, job))


def _solve(problem: Problem, job: Job) -> tuple[str, Any]:
    try:
        result = job.solve(
            problem.question,
            formulator=job.formulator,
            model=job.model,
            backend=job.backend,
            max_attempts=job.max_attempts,
            time_limit=job.time_limit,
            settings=job.settings,
            cache=job.cache,
            **({"samples": job.samples} if job.samples > 1 else {}),
        )
        return "record", record_for(problem, result, job.tolerance).model_dump_json()
    except Nl2OptError as err:
        return "abort", err
    except Exception as err:
        return "error", _redact(f"{type(err).__name__}: {err}", job.settings)


def _redact(text: str, settings: Settings | None) -> str:
    """An error text fit for the results file: without the API key, whatever the error quoted."""
    key = settings.api_key.get_secret_value() if settings is not None and settings.api_key is not None else None
    return Redactor(key).text(text)


def _follow_parent() -> None:
    """Exit when the runner does: a worker orphaned by a killed runner would run with no guard."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="nl2opt-bench-runner-watch", daemon=True).start()


def _failure(problem: Problem, job: Job, status: RunFailure, error: str) -> ProblemRecord:
    name = job.formulator if isinstance(job.formulator, str) else job.formulator.name
    return failure_record(problem, status, error, formulator=name, model=job.model, backend=job.backend)
