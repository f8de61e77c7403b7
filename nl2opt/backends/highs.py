"""HiGHS through highspy, the default backend: the whole program passes in one call.

``Highs.passModel`` takes the CSR arrays as they are (no per-variable Python objects),
which is what keeps building a 250,000-variable model under a tenth of a second.

Also home of :func:`compute_iis`, because the IIS comes from the same solver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

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
from nl2opt.solution import Limit, Ranging, Solution, Termination, TerminationReason

if TYPE_CHECKING:
    import highspy

_STOPPED = TerminationReason.NO_SOLUTION_FOUND

STATUS: dict[str, Outcome] = {
    "kNotset": ERROR,
    "kLoadError": ERROR,
    "kModelError": ERROR,
    "kPresolveError": ERROR,
    "kSolveError": ERROR,
    "kPostsolveError": ERROR,
    "kModelEmpty": (TerminationReason.OPTIMAL, None),
    "kOptimal": (TerminationReason.OPTIMAL, None),
    "kInfeasible": (TerminationReason.INFEASIBLE, None),
    "kUnboundedOrInfeasible": (TerminationReason.INFEASIBLE_OR_UNBOUNDED, None),
    "kUnbounded": (TerminationReason.UNBOUNDED, None),
    "kObjectiveBound": (_STOPPED, Limit.OTHER),
    "kObjectiveTarget": (_STOPPED, Limit.OTHER),
    "kTimeLimit": (_STOPPED, Limit.TIME),
    "kIterationLimit": (_STOPPED, Limit.ITERATION),
    "kUnknown": ERROR,
    "kSolutionLimit": (_STOPPED, Limit.SOLUTION),
    "kInterrupt": (_STOPPED, Limit.INTERRUPTED),
    "kMemoryLimit": (_STOPPED, Limit.OTHER),
    "kHighsInterrupt": (_STOPPED, Limit.INTERRUPTED),
}
"""Every ``highspy.HighsModelStatus`` by name. Limit rows read NO_SOLUTION_FOUND and are
promoted to FEASIBLE when HiGHS holds a feasible point. ``kSolutionLimit`` also covers
HiGHS' node and leaf limits."""


RANGING_MAX_COLS = 10_000
"""Largest LP whose ranging is computed: ``getRanging`` adds a third or more to the solve time
(0.15 s to a 0.37 s solve of a 40,000-column transport LP; 0.5 s to 1.6 s at 250,000), for a
Result that lists at most 1,000 decisions."""


class HighsBackend:
    """HiGHS: simplex/IPM for LPs, branch-and-cut for MIPs.

    ``options.solver`` selects HiGHS' LP algorithm ("simplex", "ipm", "pdlp");
    ``options.extra`` is passed to ``Highs.setOptionValue`` item by item.
    """

    name = "highs"
    package = "highspy"
    capabilities = Capabilities(quadratic_objective=True)
    """Convex quadratic objectives over continuous variables (HiGHS' QP solver); HiGHS has no MIQP."""

    def solve(self, program: LinearProgram, options: SolveOptions | None = None) -> Solution:
        return guarded_solve(self.name, program, options or SolveOptions(), _solve)


def _solve(program: LinearProgram, options: SolveOptions) -> Solution:
    import highspy

    h = load_highs(program)
    _configure(h, options)
    h.run()
    status = h.getModelStatus().name
    detail = ""
    if status == "kUnboundedOrInfeasible":
        status, detail = _disambiguate(h, program, options)
    info = h.getInfo()
    termination = promote(
        lookup(STATUS, status, raw=status, detail=detail),
        has_solution=info.primal_solution_status == int(highspy.kSolutionStatusFeasible),
    )
    if not has_values(termination):
        return assemble(program, HighsBackend.name, termination, None)
    solution = h.getSolution()
    row_duals = reduced_costs = None
    if program.is_mip:
        best_bound, gap = finite_or_none(info.mip_dual_bound), finite_or_none(info.mip_gap)
    else:
        best_bound, gap = _lp_bound(termination, info.objective_function_value), None
        if termination.reason is TerminationReason.OPTIMAL and solution.dual_valid:
            row_duals = np.asarray(solution.row_dual, dtype=float)
            reduced_costs = np.asarray(solution.col_dual, dtype=float)
    result = assemble(
        program,
        HighsBackend.name,
        termination,
        np.asarray(solution.col_value, dtype=float),
        row_duals=row_duals,
        reduced_costs=reduced_costs,
        best_bound=best_bound,
        mip_gap=gap,
        claimed_objective=info.objective_function_value,
    )
    if row_duals is not None and program.num_cols <= RANGING_MAX_COLS and program.q is None:
        result.ranging = lp_ranging(h, program)
    return result


def presolve_infeasible(program: LinearProgram, *, seconds: float = 10.0) -> bool:
    """Whether HiGHS's presolve alone proves ``program`` infeasible (within ``seconds``)."""
    import highspy

    try:
        h = load_highs(program)
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(seconds))
        h.presolve()
        return h.getModelPresolveStatus() == highspy.HighsPresolveStatus.kInfeasible
    except Exception:  # a probe only: any failure means "not proved"
        return False


def lp_ranging(h: highspy.Highs, program: LinearProgram) -> Ranging | None:
    """Cost and right-hand-side ranging of the optimal basis HiGHS holds (``Highs.getRanging``).

    Only for an LP solved to optimality with a basis (an interior-point solve without
    crossover has none); None when HiGHS cannot give it. Rows in the basis (not binding)
    get NaN: their dual is zero whatever their bound until it meets the activity.
    """
    import highspy

    try:
        status, ranging = h.getRanging()
        basic = np.asarray(
            [s == highspy.HighsBasisStatus.kBasic for s in h.getBasis().row_status], dtype=bool
        )
    except Exception:  # ranging is an extra; a HiGHS that cannot give it is not an error
        return None
    if getattr(status, "name", "") == "kError" or not ranging.valid:
        return None
    n, m = program.num_cols, program.num_rows
    rhs_lower = np.asarray(ranging.row_bound_dn.value_, dtype=float)[:m]
    rhs_upper = np.asarray(ranging.row_bound_up.value_, dtype=float)[:m]
    if basic.shape == (m,):
        rhs_lower[basic] = rhs_upper[basic] = np.nan
    return Ranging(
        cost_lower=np.asarray(ranging.col_cost_dn.value_, dtype=float)[:n],
        cost_upper=np.asarray(ranging.col_cost_up.value_, dtype=float)[:n],
        rhs_lower=rhs_lower,
        rhs_upper=rhs_upper,
    )


def _lp_bound(termination: Termination, objective: float) -> float | None:
    return finite_or_none(objective) if termination.reason is TerminationReason.OPTIMAL else None


def _disambiguate(h: highspy.Highs, program: LinearProgram, options: SolveOptions) -> tuple[str, str]:
    """Settle HiGHS' "unbounded or infeasible" with one cheap extra solve.

    For an LP, re-solve without presolve: the simplex then proves one or the other.
    For a MIP, solve the LP relaxation without presolve: if it is infeasible so is the
    MIP; otherwise the answer stays ambiguous (an unbounded relaxation does not make an
    infeasible MIP feasible), and the pipeline's diagnosis takes over.
    """
    probe = h
    if program.is_mip:
        probe = load_highs(program, relax=True)
        _configure(probe, options)
    probe.setOptionValue("presolve", "off")
    probe.run()
    status = probe.getModelStatus().name
    if not program.is_mip:
        return status, "re-solved without presolve to tell infeasible from unbounded"
    if status == "kInfeasible":
        return status, "the LP relaxation is infeasible"
    return "kUnboundedOrInfeasible", ""


def load_highs(program: LinearProgram, *, relax: bool = False) -> highspy.Highs:
    """A silent Highs holding the program, passed in one bulk call."""
    import highspy

    h = new_highs()
    A = canonical_csr(program.A)
    integrality = np.zeros(program.num_cols, dtype=np.int32)
    if not relax:
        integrality = np.asarray(program.integrality, dtype=bool).astype(np.int32)
    _check(
        h.passModel(
            program.num_cols,
            program.num_rows,
            A.nnz,
            int(highspy.MatrixFormat.kRowwise),
            int(
                highspy.ObjSense.kMaximize if program.sense is Sense.MAXIMIZE else highspy.ObjSense.kMinimize
            ),
            float(program.offset),
            _floats(program.c),
            _floats(program.col_lower),
            _floats(program.col_upper),
            _floats(program.row_lower),
            _floats(program.row_upper),
            np.asarray(A.indptr, dtype=np.int32),
            np.asarray(A.indices, dtype=np.int32),
            _floats(A.data),
            integrality,
        ),
        "passModel",
    )
    if program.q is not None:
        _pass_hessian(h, program.q)
    return h


def _pass_hessian(h: highspy.Highs, q) -> None:
    """``1/2 x'Qx`` as HiGHS takes it: the lower triangle of Q, column-wise (``HessianFormat.kTriangular``)."""
    import highspy
    import scipy.sparse as sp

    lower = sp.csc_matrix(sp.tril(q))
    lower.sort_indices()
    _check(
        h.passHessian(
            lower.shape[0],
            lower.nnz,
            int(highspy.HessianFormat.kTriangular),
            np.asarray(lower.indptr, dtype=np.int32),
            np.asarray(lower.indices, dtype=np.int32),
            _floats(lower.data),
        ),
        "passHessian",
    )


def new_highs() -> highspy.Highs:
    """A Highs that prints nothing, not even the banner.

    ``highspy.Highs.__init__`` calls ``enableCallbacks()``, which prints the "Running HiGHS"
    banner to the process's stdout before ``output_flag`` can be set (and would corrupt
    ``--json`` output). The C++ base class has every method we use and no such call.
    """
    import highspy

    base = getattr(getattr(highspy, "_core", None), "_Highs", None) or highspy.Highs
    h = base()
    h.setOptionValue("output_flag", False)
    return h


def _configure(h: highspy.Highs, options: SolveOptions) -> None:
    settings: dict[str, Any] = {"output_flag": options.verbose}
    if options.time_limit is not None:
        settings["time_limit"] = float(options.time_limit)
    if options.mip_gap is not None:
        settings["mip_rel_gap"] = float(options.mip_gap)
    if options.threads is not None:
        settings["threads"] = int(options.threads)
    if options.solver is not None:
        settings["solver"] = options.solver
    settings.update(options.extra)
    if options.safe:
        settings["presolve"] = "off"
    for key, value in settings.items():
        _check(h.setOptionValue(key, value), f"option {key}={value!r}")
    if options.threads is not None:
        reset_scheduler()


def reset_scheduler() -> None:
    """Let the next HiGHS solve in this process use a new thread count.

    HiGHS keeps one task scheduler per process, sized by the first solve; a solve asking
    for a different ``threads`` fails until the scheduler is rebuilt. Not safe while
    another thread is solving with HiGHS.
    """
    import highspy

    highspy.Highs.resetGlobalScheduler(True)


def _check(status: object, what: str) -> None:
    if getattr(status, "name", "") == "kError":
        raise RuntimeError(f"HiGHS rejected {what}")


def _floats(values: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.float64)


class Iis(NamedTuple):
    """An irreducible infeasible subset: drop any member and the rest is feasible.

    ``rows`` are row indices whose bounds conflict; ``cols`` are columns whose own bounds
    take part (a column that only appears inside the rows is not listed). ``row_bounds``
    and ``col_bounds`` say which side is involved: "lower", "upper" or "boxed" (both, as
    for an equality).
    """

    rows: list[int]
    cols: list[int]
    row_bounds: list[str]
    col_bounds: list[str]


_BOUND_SIDES = {2: "lower", 3: "upper", 4: "boxed"}
"""``highspy.IisBoundStatus`` values naming a bound that belongs to the IIS."""


def compute_iis(program: LinearProgram, *, time_limit: float | None = None) -> Iis | None:
    """An IIS of an infeasible program, from HiGHS' ``getIis`` (highspy >= 1.10).

    HiGHS computes the IIS of the LP (a MIP's integrality is ignored), with the strategy
    "from the LP, made irreducible". Returns None when there is nothing to report or it
    cannot be had: the program is feasible, only integrality makes it infeasible, the
    installed highspy has no ``getIis``, or HiGHS fails or runs out of ``time_limit``.
    """
    try:
        import highspy

        h = load_highs(program)
        if not hasattr(h, "getIis"):
            return None
        strategy = int(highspy.IisStrategy.kIisStrategyFromLp) | int(
            highspy.IisStrategy.kIisStrategyIrreducible
        )
        h.setOptionValue("iis_strategy", strategy)
        if time_limit is not None:
            h.setOptionValue("iis_time_limit", float(time_limit))
        status, iis = h.getIis()
    except Exception:  # an IIS is a diagnostic extra; failing to get one is not an error
        return None
    if getattr(status, "name", "") == "kError" or not iis.valid_:
        return None
    rows = [
        (int(i), _BOUND_SIDES.get(int(b), "boxed"))
        for i, b in zip(iis.row_index_, iis.row_bound_, strict=True)
    ]
    cols = [
        (int(j), _BOUND_SIDES[int(b)])
        for j, b in zip(iis.col_index_, iis.col_bound_, strict=True)
        if int(b) in _BOUND_SIDES
    ]
    if not rows and not cols:
        return None
    return Iis(
        rows=[i for i, _ in rows],
        cols=[j for j, _ in cols],
        row_bounds=[side for _, side in rows],
        col_bounds=[side for _, side in cols],
    )
