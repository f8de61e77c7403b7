"""PuLP with the CBC binary it bundles (or any PuLP solver named in ``options.solver``).

Columns are named ``x0..xn`` and rows ``r0..rm`` inside PuLP, whatever the program calls
them: PuLP rewrites or rejects characters such as ``[],-+`` and spaces, and our names
are only needed for reporting, which works from indices.

CBC is driven through ``COIN_CMD`` pointed at the bundled binary rather than through
``PULP_CBC_CMD``, which is deprecated in PuLP 3.3 and warns on every construction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from nl2opt.backends._common import (
    ERROR,
    Outcome,
    assemble,
    canonical_csr,
    guarded_solve,
    has_values,
    lookup,
    unlabelled_limit,
)
from nl2opt.backends.base import Capabilities, SolveOptions
from nl2opt.program import LinearProgram, Sense
from nl2opt.solution import Limit, Solution, Termination, TerminationReason

if TYPE_CHECKING:
    import pulp

STATUS: dict[tuple[int, int], Outcome] = {
    (1, 1): (TerminationReason.OPTIMAL, None),
    (1, 2): (TerminationReason.FEASIBLE, Limit.TIME),
    (0, 0): (TerminationReason.NO_SOLUTION_FOUND, Limit.TIME),
    (-1, -1): (TerminationReason.INFEASIBLE, None),
    (-1, 0): (TerminationReason.INFEASIBLE, None),
    (-2, -2): (TerminationReason.UNBOUNDED, None),
    (-3, 0): ERROR,
    (-3, -1): ERROR,
}
"""``(LpProblem.status, LpProblem.sol_status)`` as PuLP sets them from CBC's solution file.

PuLP reports CBC's "Stopped on time" (or iterations, nodes) with an incumbent as
``(LpStatusOptimal, LpSolutionIntegerFeasible)``, and without one as ``(NotSolved,
NoSolutionFound)``; the limit is TIME when we set one, else OTHER. "Integer
infeasible" arrives as ``(Infeasible, NoSolutionFound)``. Other pairs are ERRORs."""


CBC_DEFAULTS: dict[str, object] = {"preprocess": "off"}
"""CBC's MIP preprocessing is off unless ``options.extra`` turns it on: in differential testing
it returned suboptimal "optimal" answers, points that break rows, and false "infeasible"
claims, none of which the point check can catch when the point itself holds (a suboptimal
optimum). Pass ``extra={"preprocess": "on"}`` for speed on large MIPs."""

CBC_SAFE: dict[str, object] = {"preprocess": "off", "presolve": "off", "cuts": "off", "heuristics": "off"}
"""The safe configuration (``SolveOptions.safe``): every transformation of the model off."""


class PulpBackend:
    """CBC through PuLP.

    ``options.solver`` names another PuLP solver (``pulp.listSolvers()``, e.g. "GLPK_CMD");
    ``options.extra`` items become solver command-line options (``"key value"``).
    """

    name = "pulp"
    package = "pulp"
    capabilities = Capabilities()

    def solve(self, program: LinearProgram, options: SolveOptions | None = None) -> Solution:
        return guarded_solve(self.name, program, options or SolveOptions(), _solve)


def _solve(program: LinearProgram, options: SolveOptions) -> Solution:
    import pulp

    solver = _solver(options)
    if not solver.available():
        detail = f"PuLP solver {solver.name} cannot run: its executable was not found"
        if options.solver is None:
            detail += "; reinstall PuLP with `pip install nl2opt[pulp]` (it bundles CBC)"
        return Solution(Termination(TerminationReason.ERROR, detail=detail), backend=PulpBackend.name)
    problem, columns, rows = _build(program)
    detail = ""
    try:
        problem.solve(solver)
    except pulp.PulpSolverError:
        if not _preprocessing_ours(options):
            raise
        # The bundled CBC 2.10 crashes (SIGSEGV) with preprocessing off on some integer-
        # infeasible MIPs; its answer with preprocessing on is point-checked, and an
        # "infeasible" from a MIP is confirmed before it is explained.
        try:
            problem.solve(_solver(options, preprocess="on"))
        except pulp.PulpSolverError:
            detail = "CBC stopped abnormally on this model, with its preprocessing off and on"
            return Solution(Termination(TerminationReason.ERROR, detail=detail), backend=PulpBackend.name)
        detail = "CBC crashed with preprocessing off; solved again with it on"
    status, sol_status = int(problem.status), int(problem.sol_status)
    raw = f"{pulp.LpStatus.get(status, status)} / {pulp.LpSolution.get(sol_status, sol_status)}"
    termination = unlabelled_limit(lookup(STATUS, (status, sol_status), raw=raw, detail=detail), options)
    if not has_values(termination):
        return assemble(program, PulpBackend.name, termination, None)
    x = np.array([0.0 if v.varValue is None else v.varValue for v in columns], dtype=float)
    row_duals = reduced_costs = None
    if not program.is_mip and termination.reason is TerminationReason.OPTIMAL:
        row_duals = np.array([sum(c.pi or 0.0 for c in row) for row in rows], dtype=float)
        reduced_costs = np.array([v.dj or 0.0 for v in columns], dtype=float)
    return assemble(
        program, PulpBackend.name, termination, x, row_duals=row_duals, reduced_costs=reduced_costs
    )


def _preprocessing_ours(options: SolveOptions) -> bool:
    """Whether CBC's preprocessing is off by nl2opt's choice rather than the user's."""
    return options.solver is None and "preprocess" not in options.extra


def _solver(options: SolveOptions, preprocess: str | None = None) -> pulp.LpSolver:
    import pulp

    extra = dict(options.extra)
    if options.solver is None:
        extra = {**CBC_DEFAULTS, **extra, **(CBC_SAFE if options.safe else {})}
        if preprocess is not None:
            extra["preprocess"] = preprocess
    settings = {
        "msg": options.verbose,
        "timeLimit": options.time_limit,
        "gapRel": options.mip_gap,
        "threads": options.threads,
        "options": [f"{key} {value}" for key, value in extra.items()],
    }
    if options.solver is not None:
        return pulp.getSolver(options.solver, **settings)
    bundled = getattr(getattr(pulp.apis.coin_api, "PULP_CBC_CMD", None), "pulp_cbc_path", None)
    return pulp.COIN_CMD(path=bundled, **settings)


def _build(
    program: LinearProgram,
) -> tuple[pulp.LpProblem, list[pulp.LpVariable], list[list[pulp.LpConstraint]]]:
    """The program as PuLP objects; returns the columns and, per row, its 0-2 constraints.

    A ranged row becomes two constraints (PuLP has no ranges); a free row none. Every
    column enters the objective, even at cost 0, so CBC sees the bounds of columns
    that appear nowhere else.
    """
    import pulp

    sense = pulp.LpMaximize if program.sense is Sense.MAXIMIZE else pulp.LpMinimize
    problem = pulp.LpProblem("nl2opt", sense)
    lower = [None if not np.isfinite(b) else b for b in program.col_lower.tolist()]
    upper = [None if not np.isfinite(b) else b for b in program.col_upper.tolist()]
    kinds = [pulp.LpInteger if k else pulp.LpContinuous for k in program.integrality.tolist()]
    columns = [
        problem.add_variable(f"x{j}", lo, up, kind)
        for j, (lo, up, kind) in enumerate(zip(lower, upper, kinds, strict=True))
    ]
    problem.setObjective(pulp.LpAffineExpression(zip(columns, program.c.tolist(), strict=True)))
    A = canonical_csr(program.A)
    indptr, indices, data = A.indptr.tolist(), A.indices.tolist(), A.data.tolist()
    rows: list[list[pulp.LpConstraint]] = []
    for i, (lo, up) in enumerate(zip(program.row_lower.tolist(), program.row_upper.tolist(), strict=True)):
        start, end = indptr[i], indptr[i + 1]
        terms = list(zip([columns[j] for j in indices[start:end]], data[start:end], strict=True))
        row = []
        if lo == up:
            row.append(pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintEQ, f"r{i}", lo))
        else:
            if np.isfinite(lo):
                row.append(
                    pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintGE, f"r{i}", lo)
                )
            if np.isfinite(up):
                row.append(
                    pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintLE, f"r{i}u", up)
                )
        for constraint in row:
            problem.addConstraint(constraint)
        rows.append(row)
    return problem, columns, rows
