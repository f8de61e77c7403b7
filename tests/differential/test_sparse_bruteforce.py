"""Sparse domains against brute force: small integer models over a filtered product of a set with itself.

The oracle below decides the domain with its own Python predicate and enumerates every integer
point over the domain's cells; it shares no code with nl2opt (no spec, no parser, no evaluator).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nl2opt
from nl2opt.lower import lower
from nl2opt.spec import ModelSpec

# The filter as the spec writes it, and the same predicate written independently for the oracle.
FILTERS: dict[str, Callable[[int, int, dict], bool]] = {
    "i != j": lambda i, j, ok: i != j,
    "i < j": lambda i, j, ok: i < j,
    "i + j != 4": lambda i, j, ok: i + j != 4,
    "ok[i, j] > 0": lambda i, j, ok: ok[i, j] > 0,
    "ok[i, j] > 0 and i != j": lambda i, j, ok: ok[i, j] > 0 and i != j,
}


@dataclass
class Case:
    n: int
    where: str
    ok: dict[tuple[int, int], int]
    cost: dict[tuple[int, int], int]
    weight: dict[tuple[int, int], int]
    cap: dict[int, int]
    need: int
    upper: int
    sense: str
    per_cell: int
    """A constant added per cell inside the objective's sum: counts only domain cells."""

    def cells(self) -> list[tuple[int, int]]:
        test = FILTERS[self.where]
        return [(i, j) for i in range(1, self.n + 1) for j in range(1, self.n + 1) if test(i, j, self.ok)]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(2, 3))
    pairs = [(i, j) for i in range(1, n + 1) for j in range(1, n + 1)]
    small = st.integers(-3, 3)
    return Case(
        n=n,
        where=draw(st.sampled_from(sorted(FILTERS))),
        ok={p: draw(st.integers(0, 1)) for p in pairs},
        cost={p: draw(small) for p in pairs},
        weight={p: draw(st.integers(0, 3)) for p in pairs},
        cap={i: draw(st.integers(0, 4)) for i in range(1, n + 1)},
        need=draw(st.integers(0, 4)),
        upper=draw(st.integers(1, 2)),
        sense=draw(st.sampled_from(["minimize", "maximize"])),
        per_cell=draw(st.integers(0, 2)),
    )


def spec_of(case: Case) -> dict:
    cells = case.cells()
    pairs = [(i, j) for i in range(1, case.n + 1) for j in range(1, case.n + 1)]
    dense_ok = [[case.ok[i, j] for j in range(1, case.n + 1)] for i in range(1, case.n + 1)]

    def sparse(name: str, table: dict) -> dict:
        # values only for domain cells, as the format allows for a parameter with the same domain
        return {
            "name": name,
            "index": ["N", "N"],
            "over": ["i in N", "j in N"],
            "where": case.where,
            "entries": [{"key": list(p), "value": table[p]} for p in pairs if p in cells],
        }

    return {
        "sets": [{"name": "N", "range": {"start": 1, "stop": case.n}}],
        "parameters": [
            {"name": "ok", "index": ["N", "N"], "values": dense_ok},
            sparse("cost", case.cost),
            sparse("weight", case.weight),
            {"name": "cap", "index": ["N"], "values": [case.cap[i] for i in range(1, case.n + 1)]},
            {"name": "need", "value": case.need},
        ],
        "variables": [
            {
                "name": "x",
                "index": ["N", "N"],
                "over": ["i in N", "j in N"],
                "where": case.where,
                "domain": "integer",
                "upper": case.upper,
            }
        ],
        "objective": {
            "sense": case.sense,
            "expression": f"sum(cost[i, j] * x[i, j] + {case.per_cell} for i in N for j in N)",
        },
        "constraints": [
            {
                "name": "row",
                "for": ["i in N"],
                "expression": "sum(weight[i, j] * x[i, j] for j in N) <= cap[i]",
            },
            {"name": "total", "expression": "sum(x[a, b] for a in N for b in N) >= need"},
        ],
    }


def oracle(case: Case) -> float | None:
    """Best objective over every integer point on the domain's cells; None when none is feasible."""
    cells = case.cells()
    best = None
    for point in itertools.product(range(case.upper + 1), repeat=len(cells)):
        x = dict(zip(cells, point, strict=True))
        if any(sum(case.weight[c] * x[c] for c in cells if c[0] == i) > case.cap[i] for i in case.cap):
            continue
        if sum(point) < case.need:
            continue
        value = sum(case.cost[c] * x[c] + case.per_cell for c in cells)
        if best is None or (value < best if case.sense == "minimize" else value > best):
            best = value
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_sparse_models_match_brute_force(case: Case) -> None:
    spec = spec_of(case)
    expected = oracle(case)
    program, found = lower(ModelSpec.model_validate(spec))
    if program is None:  # a row left with no cell (an empty domain) that cannot hold is refused early
        assert expected is None and {d.code for d in found} == {"lower.trivially-infeasible"}, found
        return
    assert program.num_cols == len(case.cells())
    result = nl2opt.solve_spec(spec)
    if expected is None:
        assert result.status.value == "infeasible", [str(d) for d in result.diagnostics]
        return
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(expected, abs=1e-6)
    assert result.verified
    assert {tuple(int(m) for m in k.split(",")) for k in result.values["x"]} == set(case.cells())


def test_oracle_counts_the_per_cell_constant_on_domain_cells_only() -> None:
    case = Case(
        3,
        "i != j",
        {},
        dict.fromkeys(itertools.product(range(1, 4), repeat=2), 0),
        {},
        {},
        0,
        1,
        "minimize",
        1,
    )
    case.weight = dict.fromkeys(case.cost, 0)
    case.cap = {1: 0, 2: 0, 3: 0}
    assert oracle(case) == 6  # 3 x 3 cells minus the diagonal, 1 each
