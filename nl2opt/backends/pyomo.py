"""Pyomo, solving with HiGHS by default or with any solver Pyomo knows (``options.solver``).

The model is a ``ConcreteModel`` whose rows are ``LinearExpression`` objects built
straight from the CSR slices, skipping Pyomo's operator overloading. Solvers are
reached through ``pyomo.opt.SolverFactory``, whose legacy results look the same for
HiGHS (``"highs"``, ``"appsi_highs"``) and for shell solvers (``"cbc"``, ``"glpk"``).

Reduced costs are computed as ``c - A.T @ row_duals`` rather than read from an ``rc``
suffix, which Pyomo's HiGHS wrapper does not fill when solutions are loaded by hand.
"""

from __future__ import annotations

import io
import logging
import math
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    import pyomo.environ as pyo

DEFAULT_SOLVER = "highs"

_STOPPED = TerminationReason.NO_SOLUTION_FOUND

STATUS: dict[str, Outcome] = {
    "unknown": ERROR,
    "maxTimeLimit": (_STOPPED, Limit.TIME),
    "maxIterations": (_STOPPED, Limit.ITERATION),
    "minFunctionValue": (_STOPPED, Limit.OTHER),
    "minStepLength": (_STOPPED, Limit.OTHER),
    "globallyOptimal": (TerminationReason.OPTIMAL, None),
    "locallyOptimal": (TerminationReason.OPTIMAL, None),
    "feasible": (_STOPPED, Limit.OTHER),
    "optimal": (TerminationReason.OPTIMAL, None),
    "maxEvaluations": (_STOPPED, Limit.OTHER),
    "other": ERROR,
    "unbounded": (TerminationReason.UNBOUNDED, None),
    "infeasible": (TerminationReason.INFEASIBLE, None),
    "infeasibleOrUnbounded": (TerminationReason.INFEASIBLE_OR_UNBOUNDED, None),
    "invalidProblem": ERROR,
    "intermediateNonInteger": (_STOPPED, Limit.OTHER),
    "noSolution": (_STOPPED, Limit.OTHER),
    "solverFailure": ERROR,
    "internalSolverError": ERROR,
    "error": ERROR,
    "userInterrupt": (_STOPPED, Limit.INTERRUPTED),
    "resourceInterrupt": (_STOPPED, Limit.INTERRUPTED),
    "licensingProblems": ERROR,
}
"""Every ``pyomo.opt.TerminationCondition`` by name. Stopping rows read NO_SOLUTION_FOUND
and become FEASIBLE when the results carry a solution (``feasible`` always does;
``locallyOptimal`` is optimal because the program is linear)."""

OPTION_NAMES: dict[str, dict[str, str]] = {
    "highs": {"time_limit": "time_limit", "mip_gap": "mip_rel_gap", "threads": "threads"},
    "appsi_highs": {"time_limit": "time_limit", "mip_gap": "mip_rel_gap", "threads": "threads"},
    "cbc": {"time_limit": "sec", "mip_gap": "ratio", "threads": "threads"},
    "glpk": {"time_limit": "tmlim", "mip_gap": "mipgap"},
    "gurobi": {"time_limit": "TimeLimit", "mip_gap": "MIPGap", "threads": "Threads"},
    "gurobi_direct": {"time_limit": "TimeLimit", "mip_gap": "MIPGap", "threads": "Threads"},
    "cplex": {"time_limit": "timelimit", "mip_gap": "mipgap", "threads": "threads"},
    "cplex_direct": {"time_limit": "timelimit", "mip_gap": "mipgap", "threads": "threads"},
    "scip": {"time_limit": "limits/time", "mip_gap": "limits/gap", "threads": "parallel/maxnthreads"},
    "xpress": {"time_limit": "maxtime", "mip_gap": "miprelstop", "threads": "threads"},
}
"""Each solver's own name for our common options; options a solver lacks are not sent."""

SAFE_OPTIONS: dict[str, dict[str, object]] = {
    "highs": {"presolve": "off"},
    "appsi_highs": {"presolve": "off"},
    "cbc": {"preprocess": "off", "presolve": "off", "cuts": "off", "heuristics": "off"},
    "scip": {"presolving/maxrounds": 0},
    "gurobi": {"Presolve": 0},
    "gurobi_direct": {"Presolve": 0},
}
"""Each solver's options for ``SolveOptions.safe`` (presolve and preprocessing off); solvers
not listed are re-solved as they are."""

INSTALL_HINTS: dict[str, str] = {
    "highs": "pip install highspy",
    "appsi_highs": "pip install highspy",
    "cbc": "put CBC's `cbc` on PATH (conda install -c conda-forge coincbc, or apt install coinor-cbc)",
    "glpk": "put GLPK's `glpsol` on PATH (conda install -c conda-forge glpk, or apt install glpk-utils)",
    "gurobi": "install Gurobi with a licence (pip install gurobipy)",
    "gurobi_direct": "pip install gurobipy (and a Gurobi licence)",
    "scip": "install SCIP's AMPL executable `scip` on PATH (conda install -c conda-forge scip)",
}


class PyomoBackend:
    """Pyomo with HiGHS, or the Pyomo solver named by ``options.solver``.

    ``options.extra`` items are passed to the solver as its own options.
    """

    name = "pyomo"
    package = "pyomo"
    capabilities = Capabilities()

    def solve(self, program: LinearProgram, options: SolveOptions | None = None) -> Solution:
        return guarded_solve(self.name, program, options or SolveOptions(), _solve)


def _solve(program: LinearProgram, options: SolveOptions) -> Solution:
    from pyomo.common.log import LoggingIntercept

    solver_name = options.solver or DEFAULT_SOLVER
    solver = _solver(solver_name)
    if solver is None:
        hint = INSTALL_HINTS.get(
            solver_name, "install it so Pyomo can find it (see Pyomo's solver documentation)"
        )
        detail = f"Pyomo solver {solver_name!r} is not available; {hint}"
        return Solution(Termination(TerminationReason.ERROR, detail=detail), backend=PyomoBackend.name)
    model, rows = _build(program)
    solver_options, skipped = _solver_options(solver_name, options)
    if options.safe:
        solver_options.update(SAFE_OPTIONS.get(solver_name, {}))
    if options.threads is not None and solver_name in ("highs", "appsi_highs"):
        from nl2opt.backends.highs import reset_scheduler

        reset_scheduler()
    results = solver.solve(model, load_solutions=False, tee=options.verbose, options=solver_options)
    condition = results.solver.termination_condition
    has_solution = len(results.solution) > 0
    detail = f"{solver_name} was not given: {', '.join(skipped)}" if skipped else ""
    termination = promote(
        lookup(STATUS, condition.name, raw=f"{solver_name}: {condition.value}", detail=detail),
        has_solution=has_solution,
    )
    if not has_values(termination) or not has_solution:
        return assemble(program, PyomoBackend.name, _no_values(termination), None)
    with LoggingIntercept(io.StringIO(), "pyomo", logging.WARNING):
        # Pyomo warns when loading a solution from a run that stopped at a limit: we know.
        model.solutions.load_from(results)
    x = np.array([np.nan if v.value is None else v.value for v in model.x.values()], dtype=float)
    fill_unset(program, x)
    row_duals = reduced_costs = None
    if not program.is_mip and termination.reason is TerminationReason.OPTIMAL and len(model.dual):
        row_duals = np.zeros(program.num_rows)
        for i, constraint in rows.items():
            row_duals[i] = model.dual.get(constraint, 0.0)
        reduced_costs = program.c - program.A.T @ row_duals
    return assemble(
        program,
        PyomoBackend.name,
        termination,
        x,
        row_duals=row_duals,
        reduced_costs=reduced_costs,
        best_bound=_bound(results, program) if program.is_mip else None,
    )


def fill_unset(program: LinearProgram, x: np.ndarray) -> None:
    """Give the columns Pyomo left without a value (NaN) the point of their bounds nearest zero.

    Pyomo leaves a variable that appears in no row and not in the objective unset: any
    point within its bounds is optimal. An integer column gets the integer nearest zero
    inside its bounds (``[-2, -0.5]`` gives -1, not -0.5); if its bounds hold no integer the
    program is infeasible and the point check says so.
    """
    unset = np.isnan(x)
    lower, upper = program.col_lower[unset], program.col_upper[unset]
    integer = np.asarray(program.integrality, dtype=bool)[unset]
    lower = np.where(integer, np.ceil(lower), lower)
    upper = np.where(integer, np.floor(upper), upper)
    x[unset] = np.clip(0.0, lower, np.maximum(lower, upper))


def _no_values(termination: Termination) -> Termination:
    """An "optimal" or "feasible" claim without a solution to load is an ERROR."""
    if has_values(termination):
        return Termination(
            TerminationReason.ERROR, detail="the solver returned no solution", raw=termination.raw
        )
    return termination


def _solver(name: str) -> Any | None:
    """The Pyomo solver object, or None when Pyomo cannot find or run it."""
    import pyomo.environ  # noqa: F401 - registers the solver plugins with SolverFactory
    from pyomo.common.log import LoggingIntercept
    from pyomo.opt import SolverFactory

    with LoggingIntercept(io.StringIO(), "pyomo", logging.WARNING):
        solver = SolverFactory(name)
        available = solver is not None and solver.available(exception_flag=False)
    return solver if available else None


def _solver_options(solver_name: str, options: SolveOptions) -> tuple[dict[str, object], list[str]]:
    """Our options under the solver's names, and the ones it could not be given."""
    names = OPTION_NAMES.get(solver_name, {})
    wanted: dict[str, object] = {
        "time_limit": options.time_limit,
        "mip_gap": options.mip_gap,
        "threads": options.threads,
    }
    if solver_name == "glpk" and options.time_limit is not None:
        wanted["time_limit"] = math.ceil(options.time_limit)
    given: dict[str, object] = {}
    skipped = []
    for key, value in wanted.items():
        if value is None:
            continue
        if key in names:
            given[names[key]] = value
        else:
            skipped.append(key)
    given.update(options.extra)
    return given, skipped


def _build(program: LinearProgram) -> tuple[pyo.ConcreteModel, dict[int, Any]]:
    """The program as a ConcreteModel, and the Pyomo constraint of each non-free row."""
    import pyomo.environ as pyo
    from pyomo.core.expr.numeric_expr import LinearExpression

    model = pyo.ConcreteModel(name="nl2opt")
    n = program.num_cols
    model.x = pyo.Var(range(n), dense=True)
    columns = [model.x[j] for j in range(n)]
    for var, lo, up, integer in zip(
        columns,
        program.col_lower.tolist(),
        program.col_upper.tolist(),
        program.integrality.tolist(),
        strict=True,
    ):
        if integer:
            var.domain = pyo.Integers
        var.setlb(lo if math.isfinite(lo) else None)
        var.setub(up if math.isfinite(up) else None)
    nonzero = np.flatnonzero(program.c)
    if not len(nonzero) and n:
        # A model that references no variable reaches HiGHS empty ("unknown" status):
        # a zero coefficient keeps one column in it.
        nonzero = np.array([0])
    objective = LinearExpression(
        linear_coefs=program.c[nonzero].tolist(), linear_vars=[columns[j] for j in nonzero.tolist()]
    )
    sense = pyo.maximize if program.sense is Sense.MAXIMIZE else pyo.minimize
    model.objective = pyo.Objective(expr=objective, sense=sense)

    A = canonical_csr(program.A)
    indptr, indices, data = A.indptr.tolist(), A.indices.tolist(), A.data.tolist()
    lower, upper = program.row_lower.tolist(), program.row_upper.tolist()
    kept = [
        i
        for i in range(program.num_rows)
        if indptr[i] < indptr[i + 1] and (math.isfinite(lower[i]) or math.isfinite(upper[i]))
    ]

    def row(_: object, i: int) -> object:
        start, end = indptr[i], indptr[i + 1]
        body = LinearExpression(
            linear_coefs=data[start:end], linear_vars=[columns[j] for j in indices[start:end]]
        )
        if lower[i] == upper[i]:
            return body == lower[i]
        return (
            lower[i] if math.isfinite(lower[i]) else None,
            body,
            upper[i] if math.isfinite(upper[i]) else None,
        )

    model.rows = pyo.Constraint(kept, rule=row)
    if not program.is_mip:
        model.dual = pyo.Suffix(direction=pyo.Suffix.IMPORT)
    return model, {i: model.rows[i] for i in kept}


def _bound(results: Any, program: LinearProgram) -> float | None:
    """The solver's proven bound, reported by Pyomo as the problem's lower or upper bound."""
    problem = results.problem
    bound = problem.upper_bound if program.sense is Sense.MAXIMIZE else problem.lower_bound
    value = finite_or_none(bound) if isinstance(bound, (int, float)) else None
    return None if value is None else value + program.offset
