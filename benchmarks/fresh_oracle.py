"""An oracle for the fresh sets (``fresh_problems.jsonl``, ``_2``, ``_3``, ``_4``) that shares no code with nl2opt.

Usage::

    python benchmarks/fresh_oracle.py [FILE.jsonl]

Each record's ``extra.lp`` holds its model as plain data (``sense``, ``names``, ``c``,
``A_ub``, ``b_ub``, ``A_eq``, ``b_eq``, ``bounds``, ``integrality``; optionally
``quadratic``, a separable ``q_i x_i**2`` term per variable, or ``ratio_den``, the
denominator of a linear-fractional objective). Every model is solved twice by methods that
share nothing but the data: scipy (``linprog`` / ``milp``; a concave quadratic by unit
increments, a ratio by Dinkelbach's iteration) and plain Python (exact vertex enumeration
with fractions for continuous models, a pruned integer grid for integer ones). Both must
agree with the stored ``answer`` (``null`` for an infeasible model). One line per
problem; the exit code is 1 on any disagreement. It must never import nl2opt: it is the
independent check of the labels the formulator is scored against.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

DEFAULT = Path(__file__).resolve().parent / "fresh_problems.jsonl"  # the first set
TOL = 1e-6


def agree(a: float | None, b: float | None) -> bool:
    """Both infeasible, or equal within 1e-6 relative (1e-6 absolute near zero)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOL * max(1.0, abs(a), abs(b))


def value(lp: dict, x: list) -> float:
    """The objective at ``x``: linear, plus a separable quadratic, or a ratio."""
    top = sum(ci * xi for ci, xi in zip(lp["c"], x))
    if lp.get("quadratic"):
        top += sum(qi * xi * xi for qi, xi in zip(lp["quadratic"], x))
    if lp.get("ratio_den"):
        return top / sum(di * xi for di, xi in zip(lp["ratio_den"], x))
    return top


def _rows(lp: dict) -> tuple[list, list, list, list]:
    return lp.get("A_ub") or [], lp.get("b_ub") or [], lp.get("A_eq") or [], lp.get("b_eq") or []


def upper_bound(lp: dict, i: int) -> int:
    """An integer upper bound on variable ``i``, from its own bound or from a row with no
    negative coefficient (the grid and the unit increments need one; none is an error)."""
    a_ub, b_ub, a_eq, b_eq = _rows(lp)
    hi = lp["bounds"][i][1]
    best = math.inf if hi is None else hi
    for row, rhs in list(zip(a_ub, b_ub)) + list(zip(a_eq, b_eq)):
        if row[i] > 0 and all(a >= 0 for a in row):
            best = min(best, rhs / row[i])
    if best == math.inf:
        raise ValueError(f"{lp['names'][i]} has no upper bound the grid can use")
    return math.floor(best + 1e-9)


# --- scipy ---------------------------------------------------------------------------


def _scipy_linear(lp: dict, c: list[float]) -> list[float] | None:
    """Minimise ``c x`` over the model's rows with milp (integers) or linprog; None when
    the rows are infeasible."""
    a_ub, b_ub, a_eq, b_eq = _rows(lp)
    if any(lp["integrality"]):
        cons = []
        if a_ub:
            cons.append(LinearConstraint(np.array(a_ub, float), -np.inf, np.array(b_ub, float)))
        if a_eq:
            cons.append(LinearConstraint(np.array(a_eq, float), np.array(b_eq, float), np.array(b_eq, float)))
        lo = [b[0] for b in lp["bounds"]]
        hi = [np.inf if b[1] is None else b[1] for b in lp["bounds"]]
        res = milp(
            np.array(c, float),
            constraints=cons,
            integrality=np.array(lp["integrality"]),
            bounds=Bounds(lo, hi),
        )
        return list(res.x) if res.status == 0 else None
    res = linprog(
        c,
        A_ub=a_ub or None,
        b_ub=b_ub or None,
        A_eq=a_eq or None,
        b_eq=b_eq or None,
        bounds=[tuple(b) for b in lp["bounds"]],
        method="highs",
    )
    if res.status not in (0, 2):
        raise RuntimeError(f"linprog status {res.status}: {res.message}")
    return list(res.x) if res.status == 0 else None


def _unit_increments(lp: dict) -> dict:
    """The exact MILP of a separable quadratic over integers: x_i = sum_k z_ik with binary
    z_ik, and x_i**2 = sum_k (2k-1) z_ik, which holds because the objective is concave
    (maximised) or convex (minimised), so the cheaper increments fill first."""
    n = len(lp["c"])
    q = lp["quadratic"]
    tops = [upper_bound(lp, i) if qi else 0 for i, qi in enumerate(q)]
    sign = -1 if lp["sense"] == "max" else 1
    if any(sign * qi < 0 for qi in q):
        raise ValueError("unit increments need a convex (min) or concave (max) quadratic")
    extra_c: list[float] = []
    links: list[tuple[int, int, int]] = []  # (variable, first z column, count)
    col = n
    for i, qi in enumerate(q):
        if qi:
            links.append((i, col, tops[i]))
            extra_c += [qi * (2 * k - 1) for k in range(1, tops[i] + 1)]
            col += tops[i]
    width = col
    pad = lambda row: list(row) + [0.0] * (width - n)  # noqa: E731
    a_eq = [pad(r) for r in lp.get("A_eq") or []]
    b_eq = list(lp.get("b_eq") or [])
    for i, first, count in links:
        row = [0.0] * width
        row[i] = 1.0
        for k in range(count):
            row[first + k] = -1.0
        a_eq.append(row)
        b_eq.append(0.0)
    return {
        "sense": lp["sense"],
        "c": list(lp["c"]) + extra_c,
        "A_ub": [pad(r) for r in lp.get("A_ub") or []],
        "b_ub": list(lp.get("b_ub") or []),
        "A_eq": a_eq,
        "b_eq": b_eq,
        "bounds": list(lp["bounds"]) + [[0, 1]] * (width - n),
        "integrality": list(lp["integrality"]) + [1] * (width - n),
    }


def scipy_optimum(lp: dict) -> float | None:
    """The optimum by scipy, or None when the model is infeasible."""
    sign = -1.0 if lp["sense"] == "max" else 1.0
    if lp.get("quadratic"):
        big = _unit_increments(lp)
        x = _scipy_linear(big, [sign * ci for ci in big["c"]])
        return None if x is None else value(lp, x[: len(lp["c"])])
    if lp.get("ratio_den"):  # Dinkelbach: optimise num - t den until it reaches 0
        x = _scipy_linear(lp, [sign * ci for ci in lp["c"]])
        if x is None:
            return None
        t = value(lp, x)
        for _ in range(50):
            x = _scipy_linear(lp, [sign * (ci - t * di) for ci, di in zip(lp["c"], lp["ratio_den"])])
            new = value(lp, x)
            if abs(new - t) <= 1e-12 * max(1.0, abs(t)):
                break
            t = new
        return t
    x = _scipy_linear(lp, [sign * ci for ci in lp["c"]])
    return None if x is None else value(lp, x)


# --- plain Python ----------------------------------------------------------------------


def solve_exact(rows: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gauss-Jordan elimination on a square system; None when it is singular."""
    n = len(rows)
    m = [[*r, b] for r, b in zip(rows, rhs)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return None
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col] / m[col][col]
                m[r] = [a - f * b for a, b in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] for i in range(n)]


def vertex_optimum(lp: dict) -> float | None:
    """The best vertex of a bounded continuous model, by exact enumeration of bases."""
    frac = lambda v: Fraction(str(v))  # noqa: E731
    n = len(lp["c"])
    a_ub, b_ub, a_eq, b_eq = _rows(lp)
    ineq = [([frac(a) for a in r], frac(b)) for r, b in zip(a_ub, b_ub)]
    for i, (lo, hi) in enumerate(lp["bounds"]):
        unit = [Fraction(int(j == i)) for j in range(n)]
        if lo is not None:
            ineq.append(([-u for u in unit], -frac(lo)))
        if hi is not None:
            ineq.append((unit, frac(hi)))
    eq = [([frac(a) for a in r], frac(b)) for r, b in zip(a_eq, b_eq)]
    best = None
    for chosen in itertools.combinations(ineq, n - len(eq)):
        system = eq + list(chosen)
        x = solve_exact([r for r, _ in system], [b for _, b in system])
        if x is None:
            continue
        if all(sum(a * v for a, v in zip(r, x)) <= b for r, b in ineq) and all(
            sum(a * v for a, v in zip(r, x)) == b for r, b in eq
        ):
            val = value(lp, [float(v) for v in x])
            if best is None or (val > best if lp["sense"] == "max" else val < best):
                best = val
    return best


def _integer_rows(lp: dict) -> list[tuple[list[int], int, str]]:
    """Each row scaled by the common denominator of its decimals, so the grid walks in
    exact integer arithmetic."""
    a_ub, b_ub, a_eq, b_eq = _rows(lp)
    out = []
    for rows, rhs, op in ((a_ub, b_ub, "<="), (a_eq, b_eq, "==")):
        for row, b in zip(rows, rhs):
            exact = [Fraction(str(a)) for a in row] + [Fraction(str(b))]
            scale = math.lcm(*(f.denominator for f in exact))
            ints = [int(f * scale) for f in exact]
            out.append((ints[:-1], ints[-1], op))
    return out


def grid_optimum(lp: dict) -> float | None:
    """The best integer point: every variable but the last walks from its lower bound up to
    an upper bound its rows imply, skipping branches a row with no negative coefficient
    left already rules out; the last one takes the ends of its feasible interval (every
    point of it for a quadratic objective)."""
    n = len(lp["c"])
    rows = _integer_rows(lp)
    tops = [upper_bound(lp, i) for i in range(n - 1)]
    lows = [math.ceil(b[0]) for b in lp["bounds"]]
    last_hi = lp["bounds"][-1][1]
    if any(lo < 0 for lo in lows):
        raise ValueError("the grid assumes non-negative variables")
    # rows that can only get worse as variables i.. grow: a prefix above their bound is dead
    monotone = [[k for k, (r, _, _) in enumerate(rows) if all(a >= 0 for a in r[i:])] for i in range(n)]
    better = (lambda a, b: a > b) if lp["sense"] == "max" else (lambda a, b: a < b)
    best: list = [None]

    def finish(prefix: list[int], partial: list[int]) -> None:
        lo = lows[-1]
        hi = None if last_hi is None else math.floor(last_hi)
        for (row, rhs, op), done in zip(rows, partial):
            rest, a = rhs - done, row[-1]
            if a == 0:
                if rest < 0 or (op == "==" and rest != 0):
                    return
                continue
            if op == "==":
                if rest % a:
                    return
                lo, hi = max(lo, rest // a), rest // a if hi is None else min(hi, rest // a)
            elif a > 0:
                hi = rest // a if hi is None else min(hi, rest // a)
            else:
                lo = max(lo, -(-rest // a))
        if hi is not None and lo > hi:
            return
        if lp.get("quadratic"):
            if hi is None:
                raise ValueError("a quadratic's last variable needs an upper bound")
            points: list[int] | range = range(lo, hi + 1)
        else:
            points = [lo] if hi is None else [lo, hi]
        for p in points:
            val = value(lp, [*prefix, p])
            if best[0] is None or better(val, best[0]):
                best[0] = val

    def walk(prefix: list[int], partial: list[int]) -> None:
        i = len(prefix)
        if i == n - 1:
            finish(prefix, partial)
            return
        for v in range(lows[i], tops[i] + 1):
            moved = [done + row[i] * v for (row, _, _), done in zip(rows, partial)]
            if any(moved[k] > rows[k][1] for k in monotone[i]):
                break  # every row here only grows with v: larger v is dead too
            walk([*prefix, v], moved)

    walk([], [0] * len(rows))
    return best[0]


def check_record(row: dict) -> tuple[bool, str]:
    """Solve one record both ways; (all three agree, a line saying what each gave)."""
    lp = row["extra"]["lp"]
    stored = row["answer"]
    first = scipy_optimum(lp)
    integer = any(lp["integrality"])
    second = grid_optimum(lp) if integer else vertex_optimum(lp)
    ok = agree(first, stored) and agree(second, stored)
    kind = "grid" if integer else "vertices"
    return ok, f"{'ok  ' if ok else 'FAIL'} {row['id']}: answer={stored} scipy={first} {kind}={second}"


def check_file(path: Path) -> list[tuple[bool, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [check_record(r) for r in rows]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    results = check_file(Path(args[0]) if args else DEFAULT)
    for _, line in results:
        print(line)
    bad = sum(not ok for ok, _ in results)
    print(f"{len(results) - bad}/{len(results)} labels confirmed")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
