"""Say *why* a model has no answer: which constraints conflict, which variables run away.

Infeasible: HiGHS's IIS where it finds one, otherwise an elastic filter (add a
slack pair to every row, minimise their sum: rows with slack are suspects), then
a deletion filter (drop each suspect in turn; keep it out if the rest stay
infeasible), which leaves an irreducible set (Chinneck, *Feasibility and
Infeasibility in Optimization*, ch. 6). Unbounded: solve again inside a large
box and report the variables that hit it. Names come from provenance, so the
feedback says ``demand[Paris]``, not "row 17".
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from nl2opt.backends import get_backend
from nl2opt.backends.base import SolveOptions
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.program import Block, LinearProgram, Origin, Sense
from nl2opt.result import Status
from nl2opt.solution import SolutionStatus, TerminationReason
from nl2opt.spec import ModelSpec

BOX = 1e7
"""Half-width of the box used to expose an unbounded ray."""
MAX_DELETION_ROWS = 60
"""Above this many suspects the deletion filter would cost too many solves: report the suspects."""
_OPTIONS = SolveOptions(time_limit=20.0)


def diagnose(program: LinearProgram, status: Status, spec: ModelSpec | None = None) -> list[Diagnostic]:
    """Diagnostics explaining an infeasible or unbounded program; empty when nothing is found."""
    try:
        if status is Status.INFEASIBLE:
            return _conflict(program, spec)
        if status is Status.UNBOUNDED:
            return _ray(program)
        if status is Status.INFEASIBLE_OR_UNBOUNDED:
            return _conflict(program, spec) if not _feasible(program) else _ray(program)
    except Exception as exc:
        return [
            Diagnostic(
                code="diagnose.conflict",
                stage=Stage.DIAGNOSE,
                severity=Severity.INFO,
                message=f"could not analyse the model further ({type(exc).__name__})",
            )
        ]
    return []


def _solve(program: LinearProgram):
    return get_backend("highs").solve(program, _OPTIONS)


def _feasible(program: LinearProgram) -> bool:
    zero = replace(program, c=np.zeros_like(program.c), offset=0.0)
    return _solve(zero).status in (SolutionStatus.OPTIMAL, SolutionStatus.FEASIBLE)


def confirm_infeasible(program: LinearProgram, backend: str) -> tuple[Status, list[Diagnostic]]:
    """Check another backend's "infeasible" for a MIP with HiGHS before it is explained.

    MIP solvers have called unbounded programs infeasible (CBC and SCIP after presolve, on
    an unbounded continuous column beside integer ones), and a diagnosis of such a claim
    invents a conflict. HiGHS solves the program once: "infeasible" confirms the claim;
    "unbounded", or "infeasible or unbounded" with a feasible point, makes the program
    UNBOUNDED; a verified optimum makes the claim an ERROR (the program has an answer
    the backend did not find). When HiGHS cannot settle it in time, the claim stands
    with a note that it was not confirmed.
    """
    solution = _solve(program)
    reason = solution.termination.reason
    if reason is TerminationReason.INFEASIBLE:
        return Status.INFEASIBLE, []
    if reason is TerminationReason.UNBOUNDED or (
        reason is TerminationReason.INFEASIBLE_OR_UNBOUNDED and _feasible(program)
    ):
        refuted = _refuted(backend, "HiGHS finds it feasible and unbounded", Severity.WARNING)
        return Status.UNBOUNDED, [refuted, _SOLVE_UNBOUNDED]
    if solution.status in (SolutionStatus.OPTIMAL, SolutionStatus.FEASIBLE) and _survives_polishing(
        program, solution
    ):
        found = f"HiGHS finds a feasible point with objective {solution.objective:.10g}"
        return Status.ERROR, [_refuted(backend, found, Severity.ERROR)]
    note = Diagnostic(
        code="solve.infeasible-unconfirmed",
        stage=Stage.DIAGNOSE,
        severity=Severity.INFO,
        message=f"HiGHS could not confirm the {backend} solver's 'infeasible' ({reason.value})",
    )
    return Status.INFEASIBLE, [note]


def confirm_unbounded(program: LinearProgram, backend: str) -> tuple[Status, list[Diagnostic]]:
    """Check another backend's "unbounded" with HiGHS before it is explained.

    CBC has called infeasible programs unbounded (differential testing). HiGHS's
    "unbounded", or "infeasible or unbounded" with a feasible point, confirms the claim;
    "infeasible" (or no feasible point) makes the program INFEASIBLE; an optimum makes
    the claim an ERROR. When HiGHS cannot settle it in time the claim stands, with a note.
    """
    solution = _solve(program)
    reason = solution.termination.reason
    if reason is TerminationReason.UNBOUNDED:
        return Status.UNBOUNDED, []
    if reason is TerminationReason.INFEASIBLE_OR_UNBOUNDED:
        if _feasible(program):
            return Status.UNBOUNDED, []
        reason = TerminationReason.INFEASIBLE
    if reason is TerminationReason.INFEASIBLE:
        wrong = _claim_refuted(backend, "unbounded", "HiGHS finds no feasible point", Severity.WARNING)
        wrong = wrong.model_copy(
            update={"hint": "The constraints contradict each other; see the conflict below."}
        )
        return Status.INFEASIBLE, [wrong, _SOLVE_INFEASIBLE]
    if solution.status in (SolutionStatus.OPTIMAL, SolutionStatus.FEASIBLE):
        found = f"HiGHS finds an optimum with objective {solution.objective:.10g}"
        return Status.ERROR, [_claim_refuted(backend, "unbounded", found, Severity.ERROR)]
    note = Diagnostic(
        code="solve.unbounded-unconfirmed",
        stage=Stage.DIAGNOSE,
        severity=Severity.INFO,
        message=f"HiGHS could not confirm the {backend} solver's 'unbounded' ({reason.value})",
    )
    return Status.UNBOUNDED, [note]


def _survives_polishing(program: LinearProgram, solution) -> bool:
    """A MIP point with its integers fixed exactly still has feasible continuous values.

    A point that meets big-M rows only through its tolerances (an indicator at 1 - 1e-6) is
    no evidence against "infeasible" (differential testing, seed 8642).
    """
    from nl2opt.polish import polish

    return not program.is_mip or polish(program, solution, _OPTIONS) is not None


def refute_point(program: LinearProgram, backend: str) -> list[Diagnostic]:
    """Diagnostics when HiGHS finds no feasible point for a MIP whose ``backend`` returned values
    the verifier rejects (and polishing could not repair); else empty."""
    solution = _solve(program)
    if solution.termination.reason is not TerminationReason.INFEASIBLE:
        return []
    return [
        Diagnostic(
            code="solve.point-refuted",
            stage=Stage.DIAGNOSE,
            severity=Severity.WARNING,
            message=f"the {backend} solver returned values that break the model, and HiGHS finds no "
            "feasible point at all",
            hint="The constraints contradict each other; see the conflict below.",
        ),
        _SOLVE_INFEASIBLE,
    ]


def refute_bounded(program: LinearProgram, backend: str) -> list[Diagnostic]:
    """Diagnostics when another backend's MIP "optimum" belongs to an unbounded program; else empty.

    A feasible MIP whose LP relaxation is unbounded is itself unbounded (Meyer: with rational
    data the integer hull has the relaxation's recession cone), so one HiGHS LP solve of the
    relaxation, without presolve, refutes such an "optimum": CBC has returned one.
    """
    relaxed = replace(program, integrality=np.zeros_like(program.integrality))
    solution = get_backend("highs").solve(relaxed, replace(_OPTIONS, safe=True))
    if solution.termination.reason is not TerminationReason.UNBOUNDED:
        return []
    return [
        Diagnostic(
            code="solve.optimum-refuted",
            stage=Stage.DIAGNOSE,
            severity=Severity.WARNING,
            message=f"the {backend} solver reported an optimum, but the model is unbounded: it has a "
            "feasible point and its LP relaxation is unbounded (HiGHS)",
            hint="The model lacks a limit; see the variables named below.",
        ),
        _SOLVE_UNBOUNDED,
    ]


_SOLVE_UNBOUNDED = Diagnostic(
    code="solve.unbounded", stage=Stage.SOLVE, message="The objective can improve without limit."
)


_SOLVE_INFEASIBLE = Diagnostic(
    code="solve.infeasible", stage=Stage.SOLVE, message="No values satisfy all the constraints together."
)


def _refuted(backend: str, found: str, severity: Severity) -> Diagnostic:
    return _claim_refuted(backend, "infeasible", found, severity)


def _claim_refuted(backend: str, claim: str, found: str, severity: Severity) -> Diagnostic:
    return Diagnostic(
        code=f"solve.{claim}-refuted",
        stage=Stage.DIAGNOSE,
        severity=severity,
        message=f"the {backend} solver reported the model {claim}, but {found}",
        hint="The solver's answer is wrong; solve with --backend highs."
        if severity is Severity.ERROR
        else "The model lacks a limit; see the variables named below.",
    )


def conflict_rows(program: LinearProgram) -> list[int]:
    """Row indices of a small infeasible subset (irreducible when the deletion filter ran)."""
    from nl2opt.backends.highs import compute_iis

    iis = compute_iis(program, time_limit=_OPTIONS.time_limit)
    if iis is not None and len(iis.rows) > 0:
        return sorted(int(r) for r in iis.rows)
    suspects = _elastic(program)
    if len(suspects) > MAX_DELETION_ROWS:
        return suspects
    return _deletion_filter(program, suspects)


def _elastic(program: LinearProgram) -> list[int]:
    m, n = program.num_rows, program.num_cols
    eye = sp.identity(m, format="csr")
    A = sp.hstack([program.A, eye, -eye], format="csr")
    elastic = LinearProgram(
        sense=Sense.MINIMIZE,
        c=np.concatenate([np.zeros(n), np.ones(2 * m)]),
        A=A,
        row_lower=program.row_lower,
        row_upper=program.row_upper,
        col_lower=np.concatenate([program.col_lower, np.zeros(2 * m)]),
        col_upper=np.concatenate([program.col_upper, np.full(2 * m, np.inf)]),
        integrality=np.concatenate([program.integrality, np.zeros(2 * m, dtype=bool)]),
        col_blocks=[*program.col_blocks, _aux_block("slack_up", n, m), _aux_block("slack_down", n + m, m)],
        row_blocks=program.row_blocks,
    )
    sol = _solve(elastic)
    if sol.x is None:
        return list(range(m))
    slack = sol.x[n : n + m] + sol.x[n + m :]
    return np.flatnonzero(slack > 1e-7).tolist()


def _aux_block(name: str, start: int, size: int) -> Block:
    return Block(name, Origin.AUXILIARY, start, size)


def _deletion_filter(program: LinearProgram, suspects: list[int]) -> list[int]:
    """Keep relaxing rows while the rest stays infeasible; what must stay is the conflict."""
    lower, upper = program.row_lower.copy(), program.row_upper.copy()
    candidates = suspects or list(range(program.num_rows))
    others = np.setdiff1d(np.arange(program.num_rows), candidates)
    lower[others], upper[others] = -np.inf, np.inf
    zero = np.zeros_like(program.c)
    if _feasible(replace(program, c=zero, row_lower=lower, row_upper=upper)):
        lower, upper = program.row_lower.copy(), program.row_upper.copy()
    keep: list[int] = []
    for r in candidates:
        saved = lower[r], upper[r]
        lower[r], upper[r] = -np.inf, np.inf
        if _feasible(replace(program, c=zero, row_lower=lower, row_upper=upper)):
            lower[r], upper[r] = saved
            keep.append(r)
    return keep


def _conflict(program: LinearProgram, spec: ModelSpec | None) -> list[Diagnostic]:
    rows = conflict_rows(program)
    if not rows:
        return []
    descriptions = {c.name: c.description for c in spec.constraints} if spec else {}
    named = []
    for r in rows[:12]:
        block, k = program.row_block(r)
        base = block.name.split("/")[0].split("#")[0]
        text = descriptions.get(base, "")
        named.append(block.element_name(k) + (f" ({text})" if text else ""))
    more = f" and {len(rows) - 12} more" if len(rows) > 12 else ""
    return [
        Diagnostic(
            code="diagnose.conflict",
            stage=Stage.DIAGNOSE,
            where=", ".join(sorted({program.row_block(r)[0].name.split("/")[0] for r in rows})),
            message="these constraints cannot all hold together: " + "; ".join(named) + more,
            hint="Check the numbers and directions (<= vs >=) of these constraints against the text; "
            "one of them is probably mis-stated.",
        )
    ]


def _ray(program: LinearProgram) -> list[Diagnostic]:
    lower = np.maximum(program.col_lower, -BOX)
    upper = np.minimum(program.col_upper, BOX)
    sol = _solve(replace(program, col_lower=lower, col_upper=upper))
    if sol.x is None:
        return []
    at_box = np.flatnonzero(np.abs(sol.x) >= BOX * 0.999)
    if at_box.size == 0:
        return []
    names = [program.col_name(int(j)) for j in at_box[:10]]
    more = f" and {at_box.size - 10} more" if at_box.size > 10 else ""
    direction = "down" if program.sense is Sense.MINIMIZE else "up"
    return [
        Diagnostic(
            code="diagnose.unbounded-ray",
            stage=Stage.DIAGNOSE,
            where=", ".join(sorted({program.col_block(int(j))[0].name for j in at_box})),
            message=f"the objective ({program.sense.value}) can be pushed {direction} forever by increasing "
            f"or decreasing: {', '.join(names)}{more}",
            hint="Add the missing limit on these variables (a capacity, budget or demand from the text), "
            "or check the objective's sense and signs.",
        )
    ]
