"""Small quadratic models against oracles that share no code with nl2opt.

Integer models (products, squares, quadratic rows, often nonconvex) are checked against
enumeration of every integer point in their box, written here in plain Python; continuous
convex QPs are checked for agreement between the two backends that solve them, whose
algorithms share nothing (HiGHS' active-set QP, SCIP's spatial branch-and-bound).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

import nl2opt
from nl2opt import Status
from nl2opt.backends import available_backends

LOW, HIGH = -2, 3
"""Every integer variable lies in [LOW, HIGH]."""
N = 3


def _integer_case(seed: int) -> tuple[dict[str, Any], float | None]:
    """A random integer quadratic model and its optimum by enumeration (None: infeasible)."""
    rng = np.random.default_rng(seed)
    c = rng.integers(-4, 5, N)
    q = rng.integers(-3, 4, (N, N))
    a = rng.integers(-2, 3, N)
    rhs = int(rng.integers(0, 4))
    k = int(rng.integers(-2, 5))
    sense = "minimize" if seed % 2 else "maximize"
    terms = [f"{c[i]} * x{i}" for i in range(N)]
    terms += [f"{q[i, j]} * x{i} * x{j}" for i in range(N) for j in range(i, N) if q[i, j]]
    objective = " + ".join(terms)
    constraints = [
        " + ".join(f"{a[i]} * x{i}" for i in range(N)) + f" <= {rhs}",
        f"x0 * x1 - x2 ** 2 <= {k}",
    ]

    def value(x: tuple[int, ...]) -> float:
        return float(
            sum(c[i] * x[i] for i in range(N))
            + sum(q[i, j] * x[i] * x[j] for i in range(N) for j in range(i, N))
        )

    feasible = [
        x
        for x in itertools.product(range(LOW, HIGH + 1), repeat=N)
        if sum(a[i] * x[i] for i in range(N)) <= rhs and x[0] * x[1] - x[2] ** 2 <= k
    ]
    best = None
    if feasible:
        pick = min if sense == "minimize" else max
        best = pick(value(x) for x in feasible)
    spec = {
        "schema_version": "1",
        "name": f"iq{seed}",
        "description": "random integer quadratic model",
        "sets": [],
        "parameters": [],
        "variables": [{"name": f"x{i}", "domain": "integer", "lower": LOW, "upper": HIGH} for i in range(N)],
        "objective": {"sense": sense, "expression": objective},
        "constraints": [{"name": f"c{k}", "expression": e} for k, e in enumerate(constraints)],
    }
    return spec, best


@pytest.mark.skipif("scip" not in available_backends(), reason="pyscipopt is not installed")
@pytest.mark.parametrize("seed", range(24))
def test_integer_quadratic_models_match_enumeration(seed: int) -> None:
    spec, best = _integer_case(seed)
    result = nl2opt.solve_spec(spec, backend="scip", time_limit=30)
    if best is None:
        assert result.status is Status.INFEASIBLE
        return
    assert result.status is Status.OPTIMAL, [str(d) for d in result.diagnostics]
    assert result.verified
    assert result.objective == pytest.approx(best, abs=1e-6)


def _convex_case(seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(1000 + seed)
    n = 4
    B = rng.normal(size=(n, n)).round(2)
    Q = B.T @ B + 0.1 * np.eye(n)  # positive definite
    c = rng.normal(size=n).round(2)
    names = [f"y{i}" for i in range(n)]
    quad = " + ".join(f"{Q[i, j] / 2:.6f} * {names[i]} * {names[j]}" for i in range(n) for j in range(n))
    lin = " + ".join(f"{c[i]:.2f} * {names[i]}" for i in range(n))
    return {
        "schema_version": "1",
        "name": f"cq{seed}",
        "description": "random convex QP",
        "sets": [],
        "parameters": [],
        "variables": [{"name": v, "lower": -1, "upper": 2} for v in names],
        "objective": {"sense": "minimize", "expression": f"{quad} + {lin}"},
        "constraints": [{"name": "total", "expression": " + ".join(names) + " >= 1"}],
    }


@pytest.mark.skipif(
    not {"highs", "scip"} <= set(available_backends()), reason="needs both highspy and pyscipopt"
)
@pytest.mark.parametrize("seed", range(8))
def test_convex_qps_agree_across_backends(seed: int) -> None:
    spec = _convex_case(seed)
    results = [nl2opt.solve_spec(spec, backend=b, time_limit=30) for b in ("highs", "scip")]
    assert all(r.status is Status.OPTIMAL and r.verified for r in results), [r.status for r in results]
    assert results[0].problem_class == results[1].problem_class == "convex-qp"
    assert results[0].objective == pytest.approx(results[1].objective, rel=1e-5, abs=1e-5)
