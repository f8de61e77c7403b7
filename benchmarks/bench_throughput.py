"""Runner throughput against an LLM that answers after a fixed delay.

Run:  python benchmarks/bench_throughput.py [--latency 1.0] [--runs 1:16 4:32 16:32 16:64]

It starts the scripted OpenAI-compatible server of the tests on 127.0.0.1 in its
fixed-delay mode (every request answered with the same valid small spec after
``--latency`` seconds) and runs the benchmark runner, with the real
``formulate_and_solve`` and LLM formulator, over synthetic problems whose answer is
that spec's optimum, once per ``CONCURRENCY:PROBLEMS`` pair, each into a fresh
results file. It prints problems per second for each run and its ratio to the run
at concurrency 1; with N requests in flight the ideal ratio is N.

An untimed warm-up problem runs first, so that the one-off start of the forkserver
(about 2 s: it imports the pipeline, the solver and the openai SDK once for all
workers) is reported apart from the throughput. Each run still starts its own
workers, and a worker's first problem costs about 0.1 s of CPU against about 0.05 s
for later ones (the openai client, the solve); on a machine with few cores, or busy
with other work, the first wave of a high-concurrency run is therefore CPU-bound.
The 64-problem run shows the rate once that ramp is amortised; the load average is
printed with the figures. The last lines are ``ratio_<N>_vs_1 (<problems> problems): <x>``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the scripted server lives with the tests

from nl2opt.bench import Problem, run_problems  # noqa: E402
from nl2opt.config import Settings  # noqa: E402
from tests.support.llm_server import SMALL_SPEC, Reply, ScriptedLLMServer  # noqa: E402

QUESTION = (
    "A bakery has 100 kg of flour. A loaf of bread needs 2 kg of flour and earns $3 profit; a cake "
    "needs 1 kg of flour and earns $5 profit. How many loaves and cakes maximise profit?"
)
"""Every number in it is used by SMALL_SPEC, so no plausibility retry doubles the requests."""
ANSWER = 500.0
"""The optimum of SMALL_SPEC: 100 cakes."""


def problems(n: int, tag: str) -> list[Problem]:
    return [Problem(dataset=f"synthetic-{tag}", id=str(i), question=QUESTION, answer=ANSWER)
            for i in range(n)]


def measure(settings: Settings, concurrency: int, n: int, out: Path, *, tag: str) -> tuple[float, int, float]:
    """Seconds for ``n`` problems at ``concurrency``, how many were correct, and the mean attempts."""
    started = time.perf_counter()
    outcome = run_problems(problems(n, tag), formulator="llm", settings=settings, concurrency=concurrency,
                           out=out)
    seconds = time.perf_counter() - started
    attempts = sum(len(r.attempts) for r in outcome.records) / max(n, 1)
    return seconds, sum(r.correct for r in outcome.records), attempts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds the server waits before answering")
    parser.add_argument("--runs", nargs="+", default=["1:16", "4:32", "16:32", "16:64"],
                        help="CONCURRENCY:PROBLEMS pairs, run in order")
    args = parser.parse_args()
    runs = [tuple(int(x) for x in pair.split(":")) for pair in args.runs]

    reply = Reply(SMALL_SPEC, delay=args.latency, prompt_tokens=800, completion_tokens=300)
    with ScriptedLLMServer(default=reply) as server, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(base_url=server.base_url, api_key="bench", model="test-model", max_retries=0,
                            timeout=60, cache_dir=Path(tmp) / "cache")
        warm, _, _ = measure(settings, 1, 1, Path(tmp) / "warm.jsonl", tag="warm-up")
        print(f"latency {args.latency:g} s per request; warm-up (forkserver start + 1 problem): {warm:.2f} s; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"{'concurrency':>11} {'problems':>8} {'seconds':>8} {'problems/s':>10} {'correct':>7} "
              f"{'attempts':>8}")
        rows: list[tuple[int, int, float]] = []
        for index, (concurrency, n) in enumerate(runs):
            out = Path(tmp) / f"run{index}.jsonl"  # a fresh results file: nothing may be resumed
            seconds, correct, attempts = measure(settings, concurrency, n, out, tag=f"run{index}")
            rows.append((concurrency, n, n / seconds))
            print(f"{concurrency:>11} {n:>8} {seconds:>8.2f} {n / seconds:>10.2f} {correct:>7} {attempts:>8.2f}")
        requests = len(server.chat_requests)
    print(f"chat requests served: {requests} (one per problem); load average {os.getloadavg()[0]:.1f}")
    base = next((rate for c, _, rate in rows if c == 1), None)
    if base is None:
        return
    for concurrency, n, rate in rows:
        if concurrency > 1:
            print(f"ratio_{concurrency}_vs_1 ({n} problems): {rate / base:.1f}")


if __name__ == "__main__":
    main()
