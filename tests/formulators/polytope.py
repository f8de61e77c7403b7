"""Exact optima of small linear programs for the rules' tests: every vertex enumerated over fractions.

Independent of nl2opt and of any solver (the elimination is the fresh sets' oracle's): the optimum of a bounded feasible LP is at a vertex,
and with two or three decisions every vertex is cheap to list.
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

from benchmarks.fresh_oracle import solve_exact  # the fresh sets' oracle: independent of nl2opt too


def vertex_min(cost: list[F], rows: list[tuple[list[F], str, F]]) -> F:
    """The least cost over {x >= 0, rows}: the best feasible vertex, by exact enumeration."""
    n = len(cost)
    rows = rows + [([F(int(i == j)) for j in range(n)], ">=", F(0)) for i in range(n)]
    best = None
    for tight in itertools.combinations(rows, n):
        x = solve_exact([r[0] for r in tight], [r[2] for r in tight])
        if x is None:
            continue
        ok = all(
            (sum(a * v for a, v in zip(coef, x)) >= rhs) if sense == ">=" else
            (sum(a * v for a, v in zip(coef, x)) <= rhs) if sense == "<=" else
            (sum(a * v for a, v in zip(coef, x)) == rhs)
            for coef, sense, rhs in rows
        )  # fmt: skip
        if ok:
            value = sum(c * v for c, v in zip(cost, x))
            best = value if best is None else min(best, value)
    assert best is not None
    return best
