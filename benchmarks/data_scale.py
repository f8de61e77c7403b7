"""Data by reference at scale: prompt size and seconds per stage as a table grows.

Run:  python benchmarks/data_scale.py [--rows 10 100 1000 10000] [--repeats 3]

For each size it writes a lanes table of that many rows (plants x markets, costs) and
the plants and markets tables as CSV files, then runs ``formulate_and_solve`` against
the scripted OpenAI-compatible server in tests/support (so no LLM is needed), which
answers with a spec that reads every set and parameter by reference. It prints the
characters and estimated tokens (characters / 4) the formulator sent, and the median
seconds of each stage, and ``bind``: building the symbol table from the loaded tables
alone (set members from columns, parameter arrays filled with whole-column numpy
operations). Goals: tokens flat within 10% from 10 to 10,000 rows (the LLM sees a
summary, not the rows); binding and compile (lower) seconds growing linearly with the
rows. This model's filtered sums (``... for (o, d) in Lanes if o == p``, one per plant
and per market) make lowering itself grow faster than the rows on a square grid.
The last lines are ``token_spread: <max/min - 1>`` and the microseconds per row of
``bind`` and ``lower``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the scripted server and the 2,000-lane spec live with the tests

import nl2opt  # noqa: E402
from nl2opt.config import Settings  # noqa: E402
from nl2opt.spec import ModelSpec  # noqa: E402
from nl2opt.symbols import build_symbols  # noqa: E402
from nl2opt.tables import load_tables  # noqa: E402
from tests.formulators.test_data_reference import SPEC, TEXT  # noqa: E402
from tests.support.llm_server import Reply, ScriptedLLMServer  # noqa: E402

STAGES = ("formulate", "load", "bind", "check", "lower", "solve", "verify", "total")


def write_tables(folder: Path, rows: int, seed: int = 0) -> None:
    """``rows`` lanes over a near-square grid of plants and markets; supply covers demand."""
    rng = np.random.default_rng(seed)
    plants = max(2, math.isqrt(rows))
    markets = math.ceil(rows / plants)
    grid = [(f"P{p:04d}", f"M{m:04d}") for p in range(plants) for m in range(markets)][:rows]
    lanes = pd.DataFrame(grid, columns=["origin", "dest"])
    lanes["cost"] = rng.integers(100, 20_000, rows) / 100
    used = lanes["dest"].unique()
    demand = rng.integers(10, 60, len(used))
    supply = np.full(plants, math.ceil(demand.sum() / plants * 1.5))
    lanes.to_csv(folder / "lanes.csv", index=False)
    pd.DataFrame({"market": used, "demand": demand}).to_csv(folder / "markets.csv", index=False)
    pd.DataFrame({"plant": sorted(set(lanes["origin"])), "supply": supply}).to_csv(
        folder / "plants.csv", index=False
    )


def _bind_seconds(data: dict[str, str]) -> float:
    tables, _ = load_tables(data)
    spec = ModelSpec.model_validate(SPEC)
    started = time.perf_counter()
    build_symbols(spec, tables)
    return time.perf_counter() - started


def run(rows: int, repeats: int) -> tuple[int, dict[str, float], float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_tables(folder, rows)
        data = {name: str(folder / f"{name}.csv") for name in ("lanes", "plants", "markets")}
        seconds: dict[str, list[float]] = {s: [] for s in STAGES}
        chars = 0
        objective = math.nan
        with ScriptedLLMServer(default=Reply(SPEC)) as server:
            settings = Settings(base_url=server.base_url, api_key="bench", model="bench", max_retries=0)
            for _ in range(repeats):
                result = nl2opt.formulate_and_solve(TEXT, data=data, formulator="llm", settings=settings)
                if result.status is not nl2opt.Status.OPTIMAL:
                    raise SystemExit(f"{rows} rows: {result.status.value}: {result.errors}")
                objective = result.objective or math.nan
                for stage in STAGES:
                    if stage != "bind":
                        seconds[stage].append(getattr(result.timings, stage))
                seconds["bind"].append(_bind_seconds(data))
            messages = server.chat_requests[-1]["messages"]
            chars = sum(len(m["content"]) for m in messages)
    return chars, {s: statistics.median(v) for s, v in seconds.items()}, objective


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10, 100, 1000, 10_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'rows':>7} {'chars':>7} {'tokens~':>7} " + " ".join(f"{s:>9}" for s in STAGES) + "  objective")
    tokens, lowers, binds = [], [], []
    for rows in args.rows:
        chars, seconds, objective = run(rows, args.repeats)
        tokens.append(chars / 4)
        lowers.append(seconds["lower"])
        binds.append(seconds["bind"])
        stages = " ".join(f"{seconds[s]:9.4f}" for s in STAGES)
        print(f"{rows:>7} {chars:>7} {chars // 4:>7} {stages}  {objective:.2f}")
    print(f"token_spread: {max(tokens) / min(tokens) - 1:.3f}")
    print("bind_per_row_us: " + " ".join(f"{1e6 * t / r:.1f}" for t, r in zip(binds, args.rows)))
    print("lower_per_row_us: " + " ".join(f"{1e6 * t / r:.1f}" for t, r in zip(lowers, args.rows)))


if __name__ == "__main__":
    main()
