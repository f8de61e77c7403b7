"""An LLM that binds by reference solves a 2,000-lane transportation problem from CSV files.

The scripted server plays the LLM: it answers with a spec that reads every set and
parameter from the tables. The optimum is computed independently with
``scipy.optimize.linprog`` on a matrix built here from the same rows, and the prompt is
checked to hold a summary of the tables, not their rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nl2opt
from nl2opt.config import Settings
from tests.support.llm_server import Reply, ScriptedLLMServer

pd = pytest.importorskip("pandas")
linprog = pytest.importorskip("scipy.optimize").linprog

PLANTS, MARKETS, LANES = 50, 60, 2000

SPEC: dict[str, Any] = {
    "schema_version": "1",
    "name": "lanes",
    "description": "Ship from plants to markets over the listed lanes at least cost.",
    "sets": [
        {"name": "Plants", "elements": None, "range": None, "from": {"table": "plants", "column": "plant"}},
        {
            "name": "Markets",
            "elements": None,
            "range": None,
            "from": {"table": "markets", "column": "market"},
        },
        {
            "name": "Lanes",
            "elements": None,
            "range": None,
            "from": {"table": "lanes", "column": ["origin", "dest"]},
        },
    ],
    "parameters": [
        {
            "name": "supply",
            "index": ["Plants"],
            "value": None,
            "values": None,
            "entries": None,
            "from": {"table": "plants", "key": ["plant"], "value": "supply"},
        },
        {
            "name": "demand",
            "index": ["Markets"],
            "value": None,
            "values": None,
            "entries": None,
            "from": {"table": "markets", "key": ["market"], "value": "demand"},
        },
        {
            "name": "cost",
            "index": ["Lanes"],
            "value": None,
            "values": None,
            "entries": None,
            "from": {"table": "lanes", "key": ["origin", "dest"], "value": "cost"},
        },
    ],
    "variables": [{"name": "ship", "index": ["Lanes"], "domain": "continuous", "lower": 0, "upper": None}],
    "objective": {"sense": "minimize", "expression": "sum(cost[o, d] * ship[o, d] for (o, d) in Lanes)"},
    "constraints": [
        {
            "name": "stock",
            "for": ["p in Plants"],
            "where": None,
            "expression": "sum(ship[o, d] for (o, d) in Lanes if o == p) <= supply[p]",
        },
        {
            "name": "meet",
            "for": ["m in Markets"],
            "where": None,
            "expression": "sum(ship[o, d] for (o, d) in Lanes if d == m) >= demand[m]",
        },
    ],
}

TEXT = (
    "We ship from our plants (table plants: plant, supply) to our markets (table markets: market, demand) "
    "over the lanes in table lanes (origin, dest, cost per unit). Meet every market's demand at least cost."
)


def write_tables(folder: Path, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Random lanes (every market reachable), supplies with slack, and demands; written as CSV."""
    rng = np.random.default_rng(seed)
    plants = [f"P{k:02d}" for k in range(PLANTS)]
    markets = [f"M{k:02d}" for k in range(MARKETS)]
    pairs = [(p, m) for p in plants for m in markets]
    chosen = rng.choice(len(pairs), size=LANES, replace=False)
    lanes = pd.DataFrame([pairs[k] for k in sorted(chosen)], columns=["origin", "dest"])
    lanes["cost"] = rng.integers(1, 200, LANES) + rng.integers(0, 100, LANES) / 100
    market_rows = pd.DataFrame({"market": markets, "demand": rng.integers(10, 60, MARKETS)})
    market_rows = market_rows[market_rows["market"].isin(lanes["dest"])]
    plant_rows = pd.DataFrame({"plant": plants, "supply": rng.integers(40, 120, PLANTS)})
    lanes.to_csv(folder / "lanes.csv", index=False)
    market_rows.to_csv(folder / "markets.csv", index=False)
    plant_rows.to_csv(folder / "plants.csv", index=False)
    return lanes, plant_rows, market_rows


def linprog_optimum(lanes: pd.DataFrame, plants: pd.DataFrame, markets: pd.DataFrame) -> float:
    """The oracle: one column per lane, supply rows <=, demand rows >= (negated), solved by linprog."""
    n = len(lanes)
    plant_row = {p: k for k, p in enumerate(plants["plant"])}
    market_row = {m: k for k, m in enumerate(markets["market"])}
    a_supply = np.zeros((len(plants), n))
    a_demand = np.zeros((len(markets), n))
    for j, (o, d) in enumerate(zip(lanes["origin"], lanes["dest"])):
        a_supply[plant_row[o], j] = 1.0
        a_demand[market_row[d], j] = -1.0
    answer = linprog(
        lanes["cost"].to_numpy(),
        A_ub=np.vstack([a_supply, a_demand]),
        b_ub=np.concatenate([plants["supply"].to_numpy(), -markets["demand"].to_numpy()]),
        bounds=(0, None),
        method="highs",
    )
    assert answer.status == 0
    return float(answer.fun)


def test_an_llm_binding_by_reference_solves_2000_lanes_from_csv(tmp_path: Path) -> None:
    lanes, plants, markets = write_tables(tmp_path)
    data = {name: str(tmp_path / f"{name}.csv") for name in ("lanes", "plants", "markets")}

    with ScriptedLLMServer([Reply(SPEC)]) as server:
        settings = Settings(base_url=server.base_url, api_key="test", model="test-model", max_retries=0)
        result = nl2opt.formulate_and_solve(TEXT, data=data, formulator="llm", settings=settings)
        prompt = "\n".join(m["content"] for m in server.chat_requests[0]["messages"])

    assert result.status is nl2opt.Status.OPTIMAL, result.diagnostics
    assert result.verified
    assert result.objective == pytest.approx(linprog_optimum(lanes, plants, markets), rel=1e-9)
    assert len(result.values["ship"]) == LANES
    assert {(t.name, t.rows) for t in result.tables} == {
        ("lanes", LANES),
        ("plants", PLANTS),
        ("markets", len(markets)),
    }
    # The LLM saw a summary: the row count and a few rows, never the 100th lane.
    assert f"Table `lanes`: {LANES} rows." in prompt
    hundredth = lanes.iloc[99]
    assert f"| {hundredth['origin']} | {hundredth['dest']} | {hundredth['cost']:g} |" not in prompt
    assert len(prompt) < 25_000
