"""Build and solve speed: nl2opt (spec -> lower -> highs) against a direct highspy build.

Run:  python benchmarks/compile_speed.py [--repeats 3] [--sizes 50 200 500] [--skip-modelers]

For each transportation LP (n plants x n markets) and a facility-location MILP it
prints build seconds, solve seconds and objective for nl2opt and for highspy fed
the same matrix directly, and the ratio of nl2opt's build time to the direct one.
At 500x500 it also times the same model written in plain PuLP, plain Pyomo and
linopy (benchmark-only extra: ``pip install nl2opt[bench]``). Medians over
``--repeats`` runs. The last line is ``build_ratio_500: <number>``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import highspy
import numpy as np
import scipy.sparse as sp

from nl2opt.backends.highs import load_highs, new_highs
from nl2opt.lower import lower
from nl2opt.spec import ModelSpec


def transport_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 100, size=(n, n)).astype(float)
    supply = rng.integers(50, 150, size=n).astype(float)
    demand = np.floor(supply.sum() * 0.9 / n) * np.ones(n)
    return cost, supply, demand


def transport_spec(cost: np.ndarray, supply: np.ndarray, demand: np.ndarray) -> ModelSpec:
    n = len(supply)
    return ModelSpec.model_validate(
        {
            "name": f"transport_{n}",
            "sets": [
                {"name": "Plants", "elements": [f"p{i}" for i in range(n)]},
                {"name": "Markets", "elements": [f"m{j}" for j in range(n)]},
            ],
            "parameters": [
                {"name": "cost", "index": ["Plants", "Markets"], "values": cost.tolist()},
                {"name": "supply", "index": ["Plants"], "values": supply.tolist()},
                {"name": "demand", "index": ["Markets"], "values": demand.tolist()},
            ],
            "variables": [{"name": "ship", "index": ["Plants", "Markets"]}],
            "objective": {
                "sense": "minimize",
                "expression": "sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)",
            },
            "constraints": [
                {
                    "name": "supply_limit",
                    "for": ["i in Plants"],
                    "expression": "sum(ship[i, j] for j in Markets) <= supply[i]",
                },
                {
                    "name": "meet_demand",
                    "for": ["j in Markets"],
                    "expression": "sum(ship[i, j] for i in Plants) >= demand[j]",
                },
            ],
        }
    )


def transport_direct(cost: np.ndarray, supply: np.ndarray, demand: np.ndarray) -> highspy.Highs:
    """What a user writing highspy by hand would do: build the CSR rows with numpy, pass once."""
    n = len(supply)
    nv = n * n
    rows = np.concatenate([np.repeat(np.arange(n), n), n + np.tile(np.arange(n), n)])
    cols = np.concatenate([np.arange(nv), np.arange(nv)])
    A = sp.csr_matrix((np.ones(2 * nv), (rows, cols)), shape=(2 * n, nv))
    lower_rows = np.concatenate([np.full(n, -highspy.kHighsInf), demand])
    upper_rows = np.concatenate([supply, np.full(n, highspy.kHighsInf)])
    h = new_highs()
    h.passModel(
        nv,
        2 * n,
        A.nnz,
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        cost.reshape(-1),
        np.zeros(nv),
        np.full(nv, highspy.kHighsInf),
        lower_rows,
        upper_rows,
        A.indptr.astype(np.int32),
        A.indices.astype(np.int32),
        A.data,
        np.zeros(nv, dtype=np.int32),
    )
    return h


def facility_data(nf: int, nc: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    fixed = rng.integers(500, 1500, size=nf).astype(float)
    cap = rng.integers(80, 200, size=nf).astype(float)
    demand = rng.integers(5, 30, size=nc).astype(float)
    cost = rng.integers(1, 40, size=(nf, nc)).astype(float)
    return fixed, cap, demand, cost


def facility_spec(fixed, cap, demand, cost) -> ModelSpec:
    nf, nc = cost.shape
    return ModelSpec.model_validate(
        {
            "name": "facility",
            "sets": [
                {"name": "F", "elements": [f"f{i}" for i in range(nf)]},
                {"name": "C", "elements": [f"c{j}" for j in range(nc)]},
            ],
            "parameters": [
                {"name": "fixed", "index": ["F"], "values": fixed.tolist()},
                {"name": "cap", "index": ["F"], "values": cap.tolist()},
                {"name": "demand", "index": ["C"], "values": demand.tolist()},
                {"name": "cost", "index": ["F", "C"], "values": cost.tolist()},
            ],
            "variables": [
                {"name": "open", "index": ["F"], "domain": "binary"},
                {"name": "x", "index": ["F", "C"]},
            ],
            "objective": {
                "sense": "minimize",
                "expression": "sum(fixed[f] * open[f] for f in F) + sum(cost[f, c] * x[f, c] for f in F for c in C)",
            },
            "constraints": [
                {"name": "serve", "for": ["c in C"], "expression": "sum(x[f, c] for f in F) == demand[c]"},
                {
                    "name": "capacity",
                    "for": ["f in F"],
                    "expression": "sum(x[f, c] for c in C) <= cap[f] * open[f]",
                },
            ],
        }
    )


def facility_direct(fixed, cap, demand, cost) -> highspy.Highs:
    nf, nc = cost.shape
    nx = nf * nc
    n = nf + nx
    xcol = nf + np.arange(nx).reshape(nf, nc)
    serve_rows = np.repeat(np.arange(nc), nf)
    serve_cols = xcol.T.reshape(-1)
    cap_rows = nc + np.concatenate([np.repeat(np.arange(nf), nc), np.arange(nf)])
    cap_cols = np.concatenate([xcol.reshape(-1), np.arange(nf)])
    cap_vals = np.concatenate([np.ones(nx), -cap])
    A = sp.csr_matrix(
        (
            np.concatenate([np.ones(nx), cap_vals]),
            (np.concatenate([serve_rows, cap_rows]), np.concatenate([serve_cols, cap_cols])),
        ),
        shape=(nc + nf, n),
    )
    inf = highspy.kHighsInf
    h = new_highs()
    integrality = np.concatenate([np.ones(nf, dtype=np.int32), np.zeros(nx, dtype=np.int32)])
    h.passModel(
        n,
        nc + nf,
        A.nnz,
        int(highspy.MatrixFormat.kRowwise),
        int(highspy.ObjSense.kMinimize),
        0.0,
        np.concatenate([fixed, cost.reshape(-1)]),
        np.zeros(n),
        np.concatenate([np.ones(nf), np.full(nx, inf)]),
        np.concatenate([demand, np.full(nf, -inf)]),
        np.concatenate([demand, np.zeros(nf)]),
        A.indptr.astype(np.int32),
        A.indices.astype(np.int32),
        A.data,
        integrality,
    )
    return h


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def solve(h: highspy.Highs) -> tuple[float, float]:
    t, _ = timed(h.run)
    return t, h.getInfo().objective_function_value


def compare(label: str, spec: ModelSpec, direct: Callable[[], highspy.Highs], repeats: int) -> float:
    nl_build, nl_solve, d_build, d_solve = [], [], [], []
    nl_obj = d_obj = float("nan")
    for _ in range(repeats):
        t, h = timed(direct)
        d_build.append(t)
        ts, d_obj = solve(h)
        d_solve.append(ts)
        t, prog_h = timed(lambda: load_highs(lower(spec)[0]))
        nl_build.append(t)
        ts, nl_obj = solve(prog_h)
        nl_solve.append(ts)
    med = statistics.median
    ratio = med(nl_build) / med(d_build)
    agree = "agree" if abs(nl_obj - d_obj) <= 1e-6 * max(1.0, abs(d_obj)) else "DISAGREE"
    print(
        f"{label:16} nl2opt build {med(nl_build):8.4f}s solve {med(nl_solve):7.3f}s obj {nl_obj:.6g} | "
        f"highspy build {med(d_build):8.4f}s solve {med(d_solve):7.3f}s obj {d_obj:.6g} | "
        f"objectives {agree} | build ratio {ratio:.2f}"
    )
    return ratio


def modelers_500(cost: np.ndarray, supply: np.ndarray, demand: np.ndarray, repeats: int) -> None:
    n = len(supply)
    runs: dict[str, Callable[[], float]] = {}
    try:
        import pulp

        def pulp_build() -> float:
            t0 = time.perf_counter()
            m = pulp.LpProblem("t", pulp.LpMinimize)
            x = {(i, j): pulp.LpVariable(f"x_{i}_{j}", lowBound=0) for i in range(n) for j in range(n)}
            m += pulp.lpSum(cost[i, j] * x[i, j] for i in range(n) for j in range(n))
            for i in range(n):
                m += pulp.lpSum(x[i, j] for j in range(n)) <= supply[i]
            for j in range(n):
                m += pulp.lpSum(x[i, j] for i in range(n)) >= demand[j]
            return time.perf_counter() - t0

        runs["pulp"] = pulp_build
    except ImportError:
        print("pulp: not installed (pip install nl2opt[pulp])")
    try:
        import pyomo.environ as pyo

        def pyomo_build() -> float:
            t0 = time.perf_counter()
            m = pyo.ConcreteModel()
            m.I = pyo.RangeSet(0, n - 1)
            m.J = pyo.RangeSet(0, n - 1)
            m.x = pyo.Var(m.I, m.J, within=pyo.NonNegativeReals)
            m.obj = pyo.Objective(expr=sum(cost[i, j] * m.x[i, j] for i in m.I for j in m.J))
            m.s = pyo.Constraint(m.I, rule=lambda m, i: sum(m.x[i, j] for j in m.J) <= supply[i])
            m.d = pyo.Constraint(m.J, rule=lambda m, j: sum(m.x[i, j] for i in m.I) >= demand[j])
            return time.perf_counter() - t0

        runs["pyomo"] = pyomo_build
    except ImportError:
        print("pyomo: not installed (pip install nl2opt[pyomo])")
    try:
        import linopy
        import xarray as xr

        def linopy_build() -> float:
            t0 = time.perf_counter()
            m = linopy.Model()
            ii, jj = np.arange(n), np.arange(n)
            x = m.add_variables(lower=0, coords=[ii, jj], name="x", dims=["i", "j"])
            c = xr.DataArray(cost, coords=[ii, jj], dims=["i", "j"])
            m.add_objective((c * x).sum())
            m.add_constraints(x.sum("j") <= xr.DataArray(supply, coords=[ii], dims=["i"]), name="s")
            m.add_constraints(x.sum("i") >= xr.DataArray(demand, coords=[jj], dims=["j"]), name="d")
            h = m.to_highspy()
            del h
            return time.perf_counter() - t0

        runs["linopy"] = linopy_build
    except ImportError:
        print("linopy: not installed (pip install nl2opt[bench])")
    spec = transport_spec(cost, supply, demand)
    base = statistics.median(timed(lambda: load_highs(lower(spec)[0]))[0] for _ in range(repeats))
    for name, fn in runs.items():
        t = statistics.median(fn() for _ in range(max(1, repeats // 2 or 1)))
        print(f"{'500x500 ' + name:16} build {t:8.3f}s   ({t / base:.1f}x nl2opt's {base:.3f}s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--skip-modelers", action="store_true", help="do not time PuLP, Pyomo and linopy")
    args = parser.parse_args()
    ratio_500 = float("nan")
    for n in args.sizes:
        data = transport_data(n)
        ratio = compare(
            f"transport {n}x{n}", transport_spec(*data), lambda d=data: transport_direct(*d), args.repeats
        )
        if n == 500:
            ratio_500 = ratio
    fdata = facility_data(30, 200)
    compare("facility 30x200", facility_spec(*fdata), lambda: facility_direct(*fdata), args.repeats)
    if 500 in args.sizes and not args.skip_modelers:
        modelers_500(*transport_data(500), args.repeats)
    print(f"build_ratio_500: {ratio_500:.3f}")


if __name__ == "__main__":
    main()
