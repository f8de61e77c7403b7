"""Verify speed: how long the independent verifier takes next to the HiGHS solve it checks.

Run:  python benchmarks/verify_speed.py [--repeats 3] [--sizes 200 500] [--skip-golden]

For each transportation LP (n plants x n markets, built like compile_speed.py's) it
solves once with the ``highs`` backend, then times :func:`nl2opt.verify.verify` on the
solver's values and prints the median verify seconds, the HiGHS solve seconds and their
ratio. It also times verify over every golden model in tests/golden/models (summed).
Every verify must come back clean: a finding there is a bug, and the script says so.
The last line is ``verify_ratio_500: <number>`` (verify seconds / solve seconds).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.compile_speed import transport_data, transport_spec  # noqa: E402
from nl2opt.backends import get_backend  # noqa: E402
from nl2opt.backends.base import SolveOptions  # noqa: E402
from nl2opt.diagnostics import has_errors  # noqa: E402
from nl2opt.lower import lower  # noqa: E402
from nl2opt.pipeline import dense_values, load_spec  # noqa: E402
from nl2opt.solution import SolutionStatus  # noqa: E402
from nl2opt.spec import ModelSpec  # noqa: E402
from nl2opt.symbols import build_symbols  # noqa: E402
from nl2opt.verify import verify  # noqa: E402


def solved(spec: ModelSpec) -> tuple[dict, float | None, float] | None:
    """The solver's dense values, its objective and the solve seconds; None without a solution."""
    symbols = build_symbols(spec)
    program, _ = lower(spec, symbols)
    if program is None:
        return None
    t0 = time.perf_counter()
    solution = get_backend("highs").solve(program, SolveOptions(time_limit=60))
    seconds = time.perf_counter() - t0
    if solution.status is SolutionStatus.NONE or solution.x is None:
        return None
    return dense_values(symbols, solution.x), solution.objective, seconds


def time_verify(spec: ModelSpec, values: dict, objective: float | None, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        found = verify(spec, values, objective=objective)
        times.append(time.perf_counter() - t0)
        if has_errors(found):
            print(f"  {spec.name}: verify found errors: {[str(d) for d in found][:3]}")
    return statistics.median(times)


def transport(n: int, repeats: int) -> float:
    spec = transport_spec(*transport_data(n))
    got = solved(spec)
    assert got is not None, "the transport model has a solution"
    values, objective, solve_s = got
    verify_s = time_verify(spec, values, objective, repeats)
    ratio = verify_s / solve_s
    print(f"transport {n}x{n}: verify {verify_s:8.4f}s   highs solve {solve_s:7.3f}s   ratio {ratio:.3f}")
    return ratio


def golden(repeats: int) -> None:
    total = 0.0
    count = 0
    for path in sorted((ROOT / "tests" / "golden" / "models").glob("*.json")):
        spec, _ = load_spec(path)
        got = solved(spec) if spec is not None else None
        if got is None:
            continue
        values, objective, _ = got
        total += time_verify(spec, values, objective, repeats)
        count += 1
    print(f"golden models ({count} with a solution): verify {total:8.4f}s in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 500])
    parser.add_argument("--skip-golden", action="store_true")
    args = parser.parse_args()
    ratio_500 = float("nan")
    for n in args.sizes:
        ratio = transport(n, args.repeats)
        if n == 500:
            ratio_500 = ratio
    if not args.skip_golden:
        golden(args.repeats)
    print(f"verify_ratio_500: {ratio_500:.3f}")


if __name__ == "__main__":
    main()
