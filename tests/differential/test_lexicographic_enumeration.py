"""Priority levels against brute force: small integer goal programs solved by enumeration.

The oracle here reads the random case's own numbers (never nl2opt's code): it lists
every integer point, keeps the feasible ones, and for each priority level in turn keeps
the points within ``max(tolerance, relative_tolerance * |best|)`` of the level's best,
as docs/spec-format.md defines. Coefficients, weights and tolerances are integers or
binary fractions, so every bound is exact and no answer sits within a solver tolerance
of a bound it could fall either side of.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import pytest

import nl2opt
from nl2opt.backends import available_backends, backend_names

UPPER = 3
"""Every variable is an integer in 0..UPPER."""


@dataclass(frozen=True)
class GoalCase:
    name: str
    sense: str
    coefs: tuple[int, ...]
    priority: int
    weight: int
    tolerance: float
    relative: float


@dataclass(frozen=True)
class Case:
    seed: int
    nvars: int
    rows: tuple[tuple[tuple[int, ...], int], ...]
    """Each row ``sum(a[j] * x[j]) <= b``."""
    goals: tuple[GoalCase, ...]


def make_case(seed: int) -> Case:
    rng = random.Random(seed)
    nvars = rng.randint(2, 3)
    rows = tuple(
        (tuple(rng.randint(-3, 3) for _ in range(nvars)), rng.randint(-2, 6))
        for _ in range(rng.randint(1, 3))
    )
    goals = []
    for level in range(1, rng.randint(2, 3) + 1):
        sense = rng.choice(["minimize", "maximize"])
        tolerance, relative = rng.choice([0.0, 0.0, 1.0, 2.5]), rng.choice([0.0, 0.25, 0.5])
        for k in range(rng.randint(1, 2)):
            coefs = tuple(rng.randint(-3, 3) for _ in range(nvars))
            goals.append(
                GoalCase(f"g{level}_{k}", sense, coefs, level, rng.randint(1, 3), tolerance, relative)
            )
    rng.shuffle(goals)  # the spec lists goals in any order; priority decides
    return Case(seed, nvars, rows, tuple(goals))


def to_spec(case: Case) -> dict:
    def linear(coefs: tuple[int, ...]) -> str:
        return " + ".join(f"{a} * x{j}" for j, a in enumerate(coefs))

    return {
        "name": f"priorities_{case.seed}",
        "variables": [{"name": f"x{j}", "domain": "integer", "upper": UPPER} for j in range(case.nvars)],
        "objective": None,
        "objectives": [
            {
                "name": g.name,
                "sense": g.sense,
                "expression": linear(g.coefs),
                "priority": g.priority,
                "weight": g.weight,
                "tolerance": g.tolerance,
                "relative_tolerance": g.relative,
            }
            for g in case.goals
        ],
        "constraints": [
            {"name": f"row{i}", "expression": f"{linear(a)} <= {b}"} for i, (a, b) in enumerate(case.rows)
        ],
    }


@dataclass
class Truth:
    feasible: bool
    optima: list[float]
    """Each level's best over the points the earlier levels left."""
    bounds: list[float]
    """The bound each level but the last is held to."""
    senses: list[str]


def level_value(goals: list[GoalCase], point: tuple[int, ...]) -> float:
    return sum(g.weight * sum(a * x for a, x in zip(g.coefs, point, strict=True)) for g in goals)


def oracle(case: Case) -> Truth:
    points = [
        p
        for p in itertools.product(range(UPPER + 1), repeat=case.nvars)
        if all(sum(a * x for a, x in zip(row, p, strict=True)) <= b for row, b in case.rows)
    ]
    if not points:
        return Truth(False, [], [], [])
    levels = [[g for g in case.goals if g.priority == p] for p in sorted({g.priority for g in case.goals})]
    optima, bounds = [], []
    for k, goals in enumerate(levels):
        values = {p: level_value(goals, p) for p in points}
        minimise = goals[0].sense == "minimize"
        best = min(values.values()) if minimise else max(values.values())
        optima.append(best)
        if k == len(levels) - 1:
            break
        room = max(goals[0].tolerance, goals[0].relative * abs(best))
        bound = best + room if minimise else best - room
        bounds.append(bound)
        points = [p for p in points if (values[p] <= bound if minimise else values[p] >= bound)]
    return Truth(True, optima, bounds, [g[0].sense for g in levels])


def level_groups(case: Case) -> list[list[GoalCase]]:
    return [[g for g in case.goals if g.priority == p] for p in sorted({g.priority for g in case.goals})]


def check_against_oracle(case: Case, backend: str) -> None:
    truth = oracle(case)
    result = nl2opt.solve_spec(to_spec(case), backend=backend)
    if not truth.feasible:
        assert result.status.value == "infeasible", result.explanation
        assert "solve.priority-level" in {d.code for d in result.diagnostics}
        return
    assert result.status.value == "optimal", result.explanation
    assert result.verified, [str(d) for d in result.errors]
    assert result.objective == pytest.approx(truth.optima[-1], abs=1e-6)
    assert [level.optimum for level in result.levels] == pytest.approx(truth.optima, abs=1e-6)
    point = tuple(round(result.values[f"x{j}"]) for j in range(case.nvars))
    assert all(sum(a * x for a, x in zip(row, point, strict=True)) <= b for row, b in case.rows)
    groups = level_groups(case)
    for k, bound in enumerate(truth.bounds):
        value = level_value(groups[k], point)
        assert (value <= bound) if truth.senses[k] == "minimize" else (value >= bound), (k, value, bound)
        assert result.levels[k].held == pytest.approx(bound, abs=1e-6)
    assert level_value(groups[-1], point) == pytest.approx(truth.optima[-1], abs=1e-6)


@pytest.mark.parametrize("seed", range(60))
def test_highs_matches_enumeration(seed: int) -> None:
    check_against_oracle(make_case(seed), "highs")


@pytest.mark.parametrize("backend", [b for b in backend_names() if b != "highs"])
def test_other_backends_match_enumeration(backend: str) -> None:
    if backend not in available_backends():
        pytest.skip(f"backend {backend!r} is not installed (pip install nl2opt[{backend}])")
    for seed in range(100, 112):
        check_against_oracle(make_case(seed), backend)


def test_cases_exercise_what_matters() -> None:
    """The generator reaches infeasible cases, tolerances that change the answer, and weighted levels."""
    cases = [make_case(seed) for seed in range(60)]
    truths = [oracle(c) for c in cases]
    assert any(not t.feasible for t in truths)
    assert sum(t.feasible for t in truths) >= 40
    assert any(len({g.priority for g in c.goals}) == 3 for c in cases)
    assert any(len([g for g in c.goals if g.priority == 1]) == 2 for c in cases)
    loose = [
        c
        for c, t in zip(cases, truths, strict=True)
        if t.feasible and t.bounds and t.bounds[0] != t.optima[0]
    ]
    changed = [c for c in loose if oracle(_exact(c)).optima[-1] != oracle(c).optima[-1]]
    assert changed, "no case where a tolerance changes the last level's optimum"


def _exact(case: Case) -> Case:
    goals = tuple(GoalCase(g.name, g.sense, g.coefs, g.priority, g.weight, 0.0, 0.0) for g in case.goals)
    return Case(case.seed, case.nvars, case.rows, goals)
