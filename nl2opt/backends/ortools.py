"""OR-Tools' pywraplp: SCIP for MIPs and GLOP for LPs unless ``options.solver`` names another.

The model is loaded as one ``MPModelProto`` (one message per column, one per row with
its coefficient lists extended in bulk), which builds about twice as fast as calling
``SetCoefficient`` per nonzero.

HiGHS through pywraplp is not a default: at a time limit it drops the incumbent
(status 99, objective 0); ask for it with ``options.solver="HIGHS"`` if you must.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    unlabelled_limit,
)
from nl2opt.backends.base import Capabilities, SolveOptions
from nl2opt.program import LinearProgram, Sense
from nl2opt.solution import Limit, Solution, Termination, TerminationReason

if TYPE_CHECKING:
    from ortools.linear_solver import pywraplp

STATUS: dict[str, Outcome] = {
    "OPTIMAL": (TerminationReason.OPTIMAL, None),
    "FEASIBLE": (TerminationReason.FEASIBLE, Limit.TIME),
    "INFEASIBLE": (TerminationReason.INFEASIBLE, None),
    "UNBOUNDED": (TerminationReason.UNBOUNDED, None),
    "ABNORMAL": ERROR,
    "MODEL_INVALID": ERROR,
    "NOT_SOLVED": (TerminationReason.NO_SOLUTION_FOUND, Limit.TIME),
}
"""Every ``pywraplp.Solver`` result status by name. FEASIBLE and NOT_SOLVED mean the solver
stopped early, with and without an incumbent; the limit is TIME when we set one, else
OTHER. Codes outside the enum (pywraplp's HiGHS returns 99) are ERRORs."""

DEFAULT_LP = "GLOP"
DEFAULT_MIP = "SCIP"


class OrToolsBackend:
    """OR-Tools linear solver wrapper.

    ``options.solver`` is any ``pywraplp.Solver.CreateSolver`` id ("GLOP", "PDLP", "CLP",
    "SCIP", "CBC", "SAT", ...); ``options.extra["parameters"]`` is passed to
    ``SetSolverSpecificParametersAsString`` in that solver's own syntax.
    """

    name = "ortools"
    package = "ortools"
    capabilities = Capabilities()

    def solve(self, program: LinearProgram, options: SolveOptions | None = None) -> Solution:
        return guarded_solve(self.name, program, options or SolveOptions(), _solve)


def _solve(program: LinearProgram, options: SolveOptions) -> Solution:
    from ortools.linear_solver import pywraplp

    solver_id = options.solver or (DEFAULT_MIP if program.is_mip else DEFAULT_LP)
    solver = pywraplp.Solver.CreateSolver(solver_id)
    if solver is None:
        return _refuse(f"OR-Tools has no solver {solver_id!r} in this build; try GLOP, PDLP, SCIP or CBC")
    if program.is_mip and not solver.IsMip():
        return _refuse(f"{solver_id} solves LPs only and this program has integer columns; use SCIP or CBC")
    proto, kept_rows = _proto(program)
    error = solver.LoadModelFromProto(proto)
    if error:
        return _refuse(f"OR-Tools rejected the model: {error}")
    params = _configure(solver, options)
    code = solver.Solve(params)
    detail = ""
    if code == pywraplp.Solver.INFEASIBLE and not program.is_mip:
        # GLOP's presolve reports unbounded LPs as infeasible; the simplex alone tells them apart.
        params.SetIntegerParam(params.PRESOLVE, params.PRESOLVE_OFF)
        code = solver.Solve(params)
        detail = "re-solved without presolve to tell infeasible from unbounded"
    names = {int(getattr(pywraplp.Solver, name)): name for name in STATUS}
    raw = names.get(int(code), str(code))
    termination = unlabelled_limit(lookup(STATUS, raw, raw=raw, detail=detail), options)
    if not has_values(termination):
        return assemble(program, OrToolsBackend.name, termination, None)
    columns, rows = solver.variables(), solver.constraints()
    x = np.array([v.solution_value() for v in columns], dtype=float)
    row_duals = reduced_costs = best_bound = None
    if program.is_mip:
        best_bound = finite_or_none(solver.Objective().BestBound())
    elif termination.reason is TerminationReason.OPTIMAL:
        row_duals = np.zeros(program.num_rows)
        row_duals[kept_rows] = [c.dual_value() for c in rows]
        reduced_costs = np.array([v.reduced_cost() for v in columns], dtype=float)
    return assemble(
        program,
        OrToolsBackend.name,
        termination,
        x,
        row_duals=row_duals,
        reduced_costs=reduced_costs,
        best_bound=best_bound,
        claimed_objective=solver.Objective().Value(),
    )


def _refuse(detail: str) -> Solution:
    return Solution(Termination(TerminationReason.ERROR, detail=detail), backend=OrToolsBackend.name)


def _configure(solver: pywraplp.Solver, options: SolveOptions) -> pywraplp.MPSolverParameters:
    from ortools.linear_solver import pywraplp

    if options.verbose:
        solver.EnableOutput()
    else:
        solver.SuppressOutput()
    if options.time_limit is not None:
        solver.SetTimeLimit(max(1, round(options.time_limit * 1000)))
    if options.threads is not None:
        solver.SetNumThreads(int(options.threads))
    parameters = options.extra.get("parameters")
    if parameters is not None and not solver.SetSolverSpecificParametersAsString(str(parameters)):
        raise ValueError(f"OR-Tools rejected the solver parameters {parameters!r}")
    params = pywraplp.MPSolverParameters()
    if options.safe:
        params.SetIntegerParam(params.PRESOLVE, params.PRESOLVE_OFF)
    if options.mip_gap is not None and solver.IsMip():
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, float(options.mip_gap))
    return params


def _proto(program: LinearProgram) -> tuple[object, list[int]]:
    """The program as an ``MPModelProto``, and the rows it holds.

    Free rows are left out (``LoadModelFromProto`` would drop them anyway, shifting the
    constraint order); other infinite bounds pass through as ``inf``.
    """
    from ortools.linear_solver import linear_solver_pb2

    proto = linear_solver_pb2.MPModelProto()
    proto.maximize = program.sense is Sense.MAXIMIZE
    proto.objective_offset = float(program.offset)
    add_variable = proto.variable.add
    for lo, up, cost, integer in zip(
        program.col_lower.tolist(),
        program.col_upper.tolist(),
        program.c.tolist(),
        program.integrality.tolist(),
        strict=True,
    ):
        add_variable(lower_bound=lo, upper_bound=up, objective_coefficient=cost, is_integer=integer)
    A = canonical_csr(program.A)
    indptr, indices, data = A.indptr.tolist(), A.indices.tolist(), A.data.tolist()
    kept = np.flatnonzero(np.isfinite(program.row_lower) | np.isfinite(program.row_upper)).tolist()
    lower, upper = program.row_lower.tolist(), program.row_upper.tolist()
    add_constraint = proto.constraint.add
    for i in kept:
        row = add_constraint(lower_bound=lower[i], upper_bound=upper[i])
        row.var_index.extend(indices[indptr[i] : indptr[i + 1]])
        row.coefficient.extend(data[indptr[i] : indptr[i + 1]])
    return proto, kept
