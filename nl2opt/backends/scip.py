"""SCIP through PySCIPOpt (its wheels bundle SCIP): LPs, MILPs and every quadratic class.

SCIP solves nonconvex quadratic objectives and rows, with or without integers, to global
optimality by spatial branch-and-bound, within its tolerances and any limit set. Its
objective must be linear, so a quadratic objective becomes an epigraph column ``z`` with the
row ``c x + 1/2 x'Qx - z <= 0`` (``>= 0`` when maximising), and ``z`` is optimised.

Rows are built as ``pyscipopt.Expr`` from term dictionaries, one per row; quadratic terms
are added to the same dictionary, so a row with products is one SCIP nonlinear constraint.
A second-order cone row ``g(x) - c t^2 <= u`` is given to SCIP as ``sqrt((g(x) - u) / c) <= t``:
SCIP judges feasibility on the form it is given, and in squared form its 1e-6 tolerance lets
a norm near zero be off by 1e-3 (a depot at a shop reported 1e-4 km too close).
Duals are not reported: SCIP's duals belong to its final (presolved, bound-tightened) LP,
and in testing did not certify the optimum of the rows as given.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nl2opt.backends._common import (
    ERROR,
    Outcome,
    assemble,
    canonical_csr,
    finite_or_none,
    guarded_solve,
    has_values,
    lookup,
    promote,
)
from nl2opt.backends.base import Capabilities, SolveOptions
from nl2opt.program import LinearProgram, Sense
from nl2opt.solution import Limit, Solution, Termination, TerminationReason

_STOPPED = TerminationReason.NO_SOLUTION_FOUND

STATUS: dict[str, Outcome] = {
    "optimal": (TerminationReason.OPTIMAL, None),
    "gaplimit": (TerminationReason.OPTIMAL, None),
    "infeasible": (TerminationReason.INFEASIBLE, None),
    "unbounded": (TerminationReason.UNBOUNDED, None),
    "inforunbd": (TerminationReason.INFEASIBLE_OR_UNBOUNDED, None),
    "timelimit": (_STOPPED, Limit.TIME),
    "nodelimit": (_STOPPED, Limit.NODE),
    "totalnodelimit": (_STOPPED, Limit.NODE),
    "stallnodelimit": (_STOPPED, Limit.NODE),
    "memlimit": (_STOPPED, Limit.OTHER),
    "sollimit": (_STOPPED, Limit.SOLUTION),
    "bestsollimit": (_STOPPED, Limit.SOLUTION),
    "restartlimit": (_STOPPED, Limit.OTHER),
    "primallimit": (_STOPPED, Limit.OTHER),
    "duallimit": (_STOPPED, Limit.OTHER),
    "userinterrupt": (_STOPPED, Limit.INTERRUPTED),
    "terminate": (_STOPPED, Limit.INTERRUPTED),
    "unknown": ERROR,
}
"""Every ``Model.getStatus()`` string. ``gaplimit`` is SCIP stopping at the requested MIP gap,
which HiGHS reports as optimal too. Limit rows are promoted to FEASIBLE with an incumbent."""


SAFE_FEASTOL = 1e-9
"""SCIP's feasibility (and integrality) tolerance in the safe re-solve: its default 1e-6 let a
binary sit at 8e-7, which satisfies the compiled rows and breaks the spec's logic."""

SUB_SOLVERS = ("scip",)


class ScipBackend:
    """SCIP: LP, MILP, convex and nonconvex QP/QCQP/SOCP and MIQCP.

    ``options.extra`` is passed to ``Model.setParam`` item by item (e.g. ``{"numerics/feastol": 1e-7}``).
    """

    name = "scip"
    package = "pyscipopt"
    capabilities = Capabilities(
        duals=False,
        threads=False,
        quadratic_objective=True,
        quadratic_constraints=True,
        nonconvex=True,
        mixed_integer_quadratic=True,
    )

    def solve(self, program: LinearProgram, options: SolveOptions | None = None) -> Solution:
        return guarded_solve(self.name, program, options or SolveOptions(), _solve)


def _solve(program: LinearProgram, options: SolveOptions) -> Solution:
    if options.solver is not None and options.solver.strip().lower() not in SUB_SOLVERS:
        detail = f"the scip backend has no sub-solver {options.solver!r}; leave the solver option unset"
        return Solution(Termination(TerminationReason.ERROR, detail=detail), backend=ScipBackend.name)
    model, columns = build(program)
    _configure(model, options)
    model.optimize()
    status = str(model.getStatus())
    termination = promote(lookup(STATUS, status, raw=status), has_solution=model.getNSols() > 0)
    if not has_values(termination):
        return assemble(program, ScipBackend.name, termination, None)
    best = model.getBestSol()
    x = np.array([model.getSolVal(best, v) for v in columns], dtype=float)
    bound = finite_or_none(model.getDualbound())
    gap = finite_or_none(model.getGap()) if program.is_mip else None
    return assemble(
        program,
        ScipBackend.name,
        termination,
        x,
        best_bound=bound,
        mip_gap=gap,
        claimed_objective=model.getObjVal(),
    )


def scip_settings() -> Any:
    from pyscipopt import SCIP_PARAMSETTING

    return SCIP_PARAMSETTING


def build(program: LinearProgram) -> tuple[Any, list[Any]]:
    """A silent SCIP model holding the program and its columns in program order."""
    from pyscipopt import scip

    model = scip.Model()
    model.hideOutput()
    columns = [
        model.addVar(
            name=f"x{j}",
            vtype="I" if integer else "C",
            lb=None if not np.isfinite(lo) else lo,
            ub=None if not np.isfinite(up) else up,
        )
        for j, (lo, up, integer) in enumerate(
            zip(
                program.col_lower.tolist(),
                program.col_upper.tolist(),
                program.integrality.tolist(),
                strict=True,
            )
        )
    ]
    terms = _row_terms(program, columns, scip)
    lower, upper = program.row_lower.tolist(), program.row_upper.tolist()
    cones = set(program.q_rows.cone.tolist()) if program.q_rows is not None else set()
    for i, row in enumerate(terms):
        lo, up = lower[i], upper[i]
        if not (np.isfinite(lo) or np.isfinite(up)):
            continue
        if i in cones and _add_cone(model, row, lo, up, columns, scip, i):
            continue
        model.addCons(
            scip.ExprCons(
                scip.Expr(row),
                lhs=lo if np.isfinite(lo) else None,
                rhs=up if np.isfinite(up) else None,
            ),
            name=f"r{i}",
        )
    objective = {scip.Term(columns[j]): float(v) for j, v in enumerate(program.c.tolist()) if v}
    sense = "maximize" if program.sense is Sense.MAXIMIZE else "minimize"
    if program.q is None:
        model.setObjective(scip.Expr(objective), sense)
    else:
        _epigraph(model, program, columns, objective, sense, scip)
    if program.offset:
        model.addObjoffset(float(program.offset))
    return model, columns


def _add_cone(
    model: Any, row: dict[Any, float], lo: float, up: float, columns: list[Any], scip: Any, i: int
) -> bool:
    """Add ``sqrt((g - up) / c) <= t`` for the cone row ``g - c t^2 <= up``; False when the row has not that shape."""
    squares = [(key, v) for key, v in row.items() if len(key) == 2 and key[0] is key[1] and v < 0]
    if np.isfinite(lo) or not np.isfinite(up) or len(squares) != 1:
        return False
    key, coef = squares[0]
    t = key[0]
    rest = {k: v / -coef for k, v in row.items() if k != key}
    rest[scip.Term()] = rest.get(scip.Term(), 0.0) - up / -coef
    model.addCons(scip.sqrt(scip.Expr(rest)) - t <= 0, name=f"r{i}")
    return True


def _row_terms(program: LinearProgram, columns: list[Any], scip: Any) -> list[dict[Any, float]]:
    A = canonical_csr(program.A)
    indptr, indices, data = A.indptr.tolist(), A.indices.tolist(), A.data.tolist()
    terms: list[dict[Any, float]] = [
        {
            scip.Term(columns[j]): v
            for j, v in zip(indices[indptr[i] : indptr[i + 1]], data[indptr[i] : indptr[i + 1]])
        }
        for i in range(program.num_rows)
    ]
    rows = program.q_rows
    if rows is not None:
        for r, i, j, v in zip(
            rows.row.tolist(), rows.i.tolist(), rows.j.tolist(), rows.coef.tolist(), strict=True
        ):
            key = scip.Term(columns[i], columns[j])
            terms[r][key] = terms[r].get(key, 0.0) + v
    return terms


def _epigraph(
    model: Any, program: LinearProgram, columns: list[Any], objective: dict, sense: str, scip: Any
) -> None:
    """Optimise ``z`` with ``c x + 1/2 x'Qx - z <= 0`` (minimising) or ``>= 0`` (maximising)."""
    from scipy.sparse import triu

    terms = dict(objective)
    upper = triu(program.q).tocoo()  # 1/2 x'Qx = sum_i Q_ii/2 x_i^2 + sum_{i<j} Q_ij x_i x_j
    for i, j, v in zip(upper.row.tolist(), upper.col.tolist(), upper.data.tolist(), strict=True):
        key = scip.Term(columns[i], columns[j])
        terms[key] = terms.get(key, 0.0) + (0.5 * v if i == j else v)
    z = model.addVar(name="objective", lb=None, ub=None)
    terms[scip.Term(z)] = -1.0
    bound = {"rhs": 0.0} if sense == "minimize" else {"lhs": 0.0}
    model.addCons(scip.ExprCons(scip.Expr(terms), **bound), name="objective")
    model.setObjective(z, sense)


def _configure(model: Any, options: SolveOptions) -> None:
    if options.verbose:
        model.hideOutput(False)
    if options.time_limit is not None:
        model.setParam("limits/time", float(options.time_limit))
    if options.mip_gap is not None:
        model.setParam("limits/gap", float(options.mip_gap))
    for key, value in options.extra.items():
        model.setParam(key, value)
    if options.safe:  # presolve off, and integrality and rows held tighter than the point check's 1e-6
        model.setPresolve(scip_settings().OFF)
        model.setParam("numerics/feastol", SAFE_FEASTOL)
