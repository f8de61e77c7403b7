"""Problems as Ray tasks: a benchmark spread over a cluster (``nl2opt bench --executor ray``).

The driver stays what it is with the local pool (:mod:`nl2opt.bench.pool`): it alone
writes the results file, one record as each problem finishes, so a run cut short
resumes the same way. Only where a problem runs changes: each is one Ray task
(``max_retries=0``: a problem that crashed its worker is recorded as ``crashed``, not
silently run again), at most ``concurrency`` in flight (by default as many as the
cluster has CPUs). A task still running ``timeout`` seconds after it was submitted is
cancelled with ``force=True``, which kills its worker process, and recorded as
``timeout``; keeping no more tasks in flight than there are CPUs keeps queueing out
of that clock.

Every node needs nl2opt (and the chosen backend) installed, as for any Ray job; the
``solve`` function and formulator travel to the workers by pickle, so they must be
importable there. So do the LLM settings, API key included, as they do to local
workers: use a cluster you would trust with the key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from nl2opt.bench.datasets import Problem
from nl2opt.bench.pool import Job, _failure, _solve
from nl2opt.bench.records import ProblemRecord, RunFailure
from nl2opt.errors import ConfigurationError

__all__ = ["run_ray"]


def run_ray(
    todo: Sequence[Problem],
    job: Job,
    *,
    timeout: float,
    on_record: Callable[[ProblemRecord], None],
    concurrency: int | None = None,
    address: str | None = None,
) -> None:
    """Run every problem as a Ray task; ``on_record`` gets each record on the driver as it finishes.

    Connects to the cluster at ``address`` ("auto", "ray://host:10001", or None for
    $RAY_ADDRESS or a local instance) unless this process is already connected, and
    disconnects afterwards only if it connected here.

    Raises:
        ConfigurationError: Ray is not installed, or the cluster cannot be reached.
        Nl2OptError: a task hit a configuration error (it would hit every problem alike).
        KeyboardInterrupt: after cancelling the tasks in flight, whose problems get no record.
    """
    ray = _import_ray()
    connected_here = not ray.is_initialized()
    if connected_here:
        try:
            ray.init(address=address, log_to_driver=False, include_dashboard=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigurationError(
                f"cannot reach the Ray cluster at {address or 'the default address'}: {exc}"
            ) from exc
    try:
        _run(ray, todo, job, timeout=timeout, on_record=on_record, concurrency=concurrency)
    finally:
        if connected_here:
            ray.shutdown()


def _run(
    ray: Any,
    todo: Sequence[Problem],
    job: Job,
    *,
    timeout: float,
    on_record: Callable[[ProblemRecord], None],
    concurrency: int | None,
) -> None:
    task = ray.remote(max_retries=0, num_cpus=1)(_solve)
    slots = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1)))
    pending = list(reversed(todo))
    running: dict[Any, tuple[Problem, float]] = {}
    try:
        while pending or running:
            while pending and len(running) < slots:
                problem = pending.pop()
                running[task.remote(problem, job)] = (problem, time.monotonic())
            deadline = min(started for _, started in running.values()) + timeout
            done, _ = ray.wait(
                list(running), num_returns=1, timeout=max(0.0, deadline - time.monotonic()), fetch_local=True
            )
            now = time.monotonic()
            for ref in done:
                problem, started = running.pop(ref)
                record = _outcome(ray, ref, problem, job)
                record.seconds.wall = now - started
                on_record(record)
            for ref, (problem, started) in list(running.items()):
                if now - started >= timeout:
                    del running[ref]
                    ray.cancel(ref, force=True)
                    record = _failure(
                        problem,
                        job,
                        RunFailure.TIMEOUT,
                        f"stopped after {now - started:.1f} s (the wall-clock guard)",
                    )
                    record.seconds.wall = now - started
                    on_record(record)
    finally:
        for ref in running:
            ray.cancel(ref, force=True)


def _outcome(ray: Any, ref: Any, problem: Problem, job: Job) -> ProblemRecord:
    """The record of a finished task; a configuration error is raised, as the local pool does."""
    try:
        kind, payload = ray.get(ref)
    except ray.exceptions.RayError as exc:  # the worker died, or the task could not run
        return _failure(problem, job, RunFailure.CRASHED, f"the Ray task failed: {type(exc).__name__}: {exc}")
    if kind == "record":
        return ProblemRecord.model_validate_json(payload)
    if kind == "abort":
        raise payload
    return _failure(problem, job, RunFailure.CRASHED, payload)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ConfigurationError("the Ray executor needs Ray: pip install 'nl2opt[ray]'") from exc
    return ray
