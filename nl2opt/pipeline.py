"""solve_spec: check -> lower -> solve -> verify (-> diagnose). No LLM here.

Every outcome of a bad model (a malformed file, a spec with mistakes, a solver
that fails or runs out of time) is a Result with a status and Diagnostics; only
a caller's own mistake (an unknown backend name) raises.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from nl2opt import present
from nl2opt.answer import answer_value, evaluate_reports, settle_held_levels
from nl2opt.backends import get_backend
from nl2opt.backends.base import Backend, SolveOptions
from nl2opt.backends.capability import refusal
from nl2opt.backends.pointcheck import describe
from nl2opt.check import check
from nl2opt.check.budget import file_too_large
from nl2opt.check.parsed import ParsedSpec, parse_spec_expressions
from nl2opt.classify import classify
from nl2opt.dense import converted_once
from nl2opt.derived import resolve
from nl2opt.diagnostics import Diagnostic, Severity, Stage, has_errors
from nl2opt.explain import explain, latex
from nl2opt.lexicographic import Lexicographic, level_diagnostics, level_reports, solve_levels
from nl2opt.lower import lower
from nl2opt.lower.levels import level_name
from nl2opt.program import LinearProgram, Origin
from nl2opt.reading import reading
from nl2opt.result import Result, RowReport, Status, Timings
from nl2opt.sensitivity import sensitivity
from nl2opt.solution import Note, Solution, SolutionStatus, TerminationReason
from nl2opt.spec import ModelSpec, priority_levels
from nl2opt.symbols import Symbols, build_symbols
from nl2opt.tables import Tables, load_tables, table_infos
from nl2opt.textfile import read_text
from nl2opt.values import SolutionValues, VariableArray, clean
from nl2opt.verify import complete, verify

CONFIRMING_BACKEND = "highs"
"""The backend whose "infeasible" for a MIP is taken as is; other backends' claims are confirmed with it."""

MAX_VIOLATIONS_SHOWN = 5
"""Broken rows or columns named in ``solve.wrong-answer``; the rest are counted."""

MAX_ROW_REPORTS = 1000
"""Rows listed in a Result; past this only binding rows are listed, up to this many."""

_STATUS = {
    TerminationReason.OPTIMAL: Status.OPTIMAL,
    TerminationReason.FEASIBLE: Status.FEASIBLE,
    TerminationReason.NO_SOLUTION_FOUND: Status.NO_SOLUTION,
    TerminationReason.INFEASIBLE: Status.INFEASIBLE,
    TerminationReason.UNBOUNDED: Status.UNBOUNDED,
    TerminationReason.INFEASIBLE_OR_UNBOUNDED: Status.INFEASIBLE_OR_UNBOUNDED,
    TerminationReason.ERROR: Status.ERROR,
}

_SOLVE_CODES = {
    Status.INFEASIBLE: ("solve.infeasible", "No values satisfy all the constraints together."),
    Status.UNBOUNDED: ("solve.unbounded", "The objective can improve without limit."),
    Status.INFEASIBLE_OR_UNBOUNDED: (
        "solve.infeasible-or-unbounded",
        "The model is infeasible or unbounded.",
    ),
    Status.NO_SOLUTION: (
        "solve.no-solution",
        "The solver stopped at a limit before finding a feasible solution.",
    ),
    Status.ERROR: ("solve.error", "The solver failed."),
}


def load_spec(source: ModelSpec | dict[str, Any] | str | Path) -> tuple[ModelSpec | None, list[Diagnostic]]:
    """Accept a spec object, a dict, JSON text or a path; report what is wrong instead of raising.

    A ``str`` is JSON text when it starts with ``{`` or ``[`` (after whitespace or a BOM), else
    a path, as in ``solve_spec("examples/transportation.json")``. Files are read by
    :func:`nl2opt.textfile.read_text` (UTF-8, or any text with a BOM; a directory, a binary
    file or another encoding is refused by name).
    """
    if isinstance(source, ModelSpec):
        return source, []
    where = ""
    if isinstance(source, str) and not source.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        source = Path(source)
    if isinstance(source, Path):
        where = str(source)
        if (too_large := file_too_large(source)) is not None:
            return None, [too_large]
        text, problem = read_text(source, what="spec file")
        if text is None:
            hint = "Check the path and the file's permissions; save the spec as UTF-8 JSON."
            return None, [_diag("spec.unreadable", Stage.CHECK, problem, where=where, hint=hint)]
        source = text
    try:
        if isinstance(source, str):
            return ModelSpec.model_validate_json(source.lstrip("\ufeff")), []
        return ModelSpec.model_validate(source), []
    except ValidationError as exc:
        return None, [_schema_diagnostic(exc, where)]


def _schema_diagnostic(exc: ValidationError, where: str = "") -> Diagnostic:
    """One Diagnostic summarising pydantic's errors, short enough for a repair prompt."""
    problems = []
    for err in exc.errors()[:8]:
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        problems.append(f"{loc}: {err['msg']}")
    more = f" (+{exc.error_count() - 8} more)" if exc.error_count() > 8 else ""
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return _diag(
            "spec.invalid-json",
            Stage.CHECK,
            "the spec is not valid JSON: " + problems[0],
            where=where,
            hint="Fix the JSON syntax at the position given (a missing comma, quote or bracket).",
        )
    return _diag(
        "spec.schema",
        Stage.CHECK,
        "the spec does not fit the schema: " + "; ".join(problems) + more,
        hint="See docs/spec-format.md for the five elements and their fields.",
        where=where,
    )


def _diag(
    code: str,
    stage: Stage,
    message: str,
    *,
    hint: str = "",
    where: str = "",
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    return Diagnostic(code=code, stage=stage, message=message, hint=hint, where=where, severity=severity)


@converted_once()  # every stage reads the spec's number lists: each is converted once
def solve_spec(
    spec: ModelSpec | dict[str, Any] | str | Path,
    *,
    backend: str = "highs",
    time_limit: float | None = None,
    mip_gap: float | None = None,
    threads: int | None = None,
    solver: str | None = None,
    verify_solution: bool = True,
    progress: Callable[[str], None] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Result:
    """Check, compile, solve and verify a model spec.

    Args:
        spec: a ModelSpec, its dict or JSON text, or a path to a JSON file (a Path, or a str
            that does not start with ``{`` or ``[``).
        backend: 'highs' (default), 'pulp', 'ortools', 'pyomo' or 'scip'.
        time_limit: seconds for the solver; at the limit the best solution found is returned
            with status 'feasible'.
        mip_gap: relative gap at which a MIP solve may stop.
        threads: solver threads.
        solver: backend-specific sub-solver (a Pyomo solver name, an OR-Tools solver id).
        verify_solution: re-evaluate every constraint on the values, independently of the solver.
        progress: called with "checking", "compiling", "solving", "verifying" or "diagnosing"
            as each stage starts.
        data: the tables the spec binds by reference (``"from": {"table": ...}``), by name:
            each a list of row dicts, a pandas or polars DataFrame, or a path to a CSV, Excel
            or Parquet file (see :func:`nl2opt.tables.load_tables`). The Result records each
            table's name, row count and content hash, not its rows.

    Raises:
        UnknownBackendError: the backend name is not known.
        BackendUnavailableError: the backend's package is not installed.
    """
    engine = get_backend(backend)
    report = progress or (lambda _: None)
    started = time.perf_counter()
    timings = Timings()
    model, diagnostics = load_spec(spec)
    t0 = time.perf_counter()
    tables, table_problems = load_tables(data)
    timings.load = time.perf_counter() - t0
    resolved = None
    if model is not None and not table_problems:
        resolved, found = resolve(model, tables)  # derived values, once the tables are known
        diagnostics += found
    if model is None or table_problems or resolved is None:
        return _finish(
            Result(
                status=Status.INVALID,
                diagnostics=diagnostics + table_problems,
                spec=model,
                backend=backend,
                tables=table_infos(tables),
            ),
            timings,
            started,
        )
    model = resolved
    report("checking")
    t0 = time.perf_counter()
    parsed = parse_spec_expressions(model)  # the one parse: lower, verify and latex reuse it
    diagnostics = check(model, tables=tables, parsed=parsed)
    timings.check = time.perf_counter() - t0
    if has_errors(diagnostics):
        return _finish(
            Result(
                status=Status.INVALID,
                diagnostics=diagnostics,
                spec=model,
                backend=backend,
                tables=table_infos(tables),
            ),
            timings,
            started,
            parsed,
        )
    report("compiling")
    t0 = time.perf_counter()
    symbols = build_symbols(model, tables)
    program, lower_diags = lower(model, symbols, parsed=parsed)
    timings.lower = time.perf_counter() - t0
    diagnostics += lower_diags
    if program is None:
        return _finish(
            Result(
                status=Status.INVALID,
                diagnostics=diagnostics,
                spec=model,
                backend=backend,
                tables=table_infos(tables),
            ),
            timings,
            started,
            parsed,
        )
    problem_class = classify(program).value
    refused = refusal(backend.strip().lower(), program, engine.capabilities)
    if refused:
        diagnostics.append(
            _diag(
                "solve.capability",
                Stage.SOLVE,
                refused,
                hint="Choose a backend that can (--backend), or reformulate the model linearly.",
            )
        )
        return _finish(
            Result(
                status=Status.ERROR,
                diagnostics=diagnostics,
                spec=model,
                backend=backend,
                problem_class=problem_class,
            ),
            timings,
            started,
            parsed,
        )
    options = SolveOptions(time_limit=time_limit, mip_gap=mip_gap, threads=threads, solver=solver)
    report("solving")
    t0 = time.perf_counter()
    lex = solve_levels(program, engine, options) if program.levels else None  # priority levels in turn
    if lex is not None and lex.solution.termination.reason is TerminationReason.ERROR and solver is None:
        backend, lex = _fallback_levels(program, options, backend, lex, diagnostics)
    if lex is None and _endless_search(program, backend):
        backend, solution = _settled_first(program, options, backend, engine, diagnostics)
    else:
        solution = engine.solve(program, options) if lex is None else lex.solution
    if lex is None and solution.termination.reason is TerminationReason.ERROR and solver is None:
        backend, solution = _fallback(program, options, backend, solution, diagnostics)
    program = program if lex is None else lex.program
    timings.solve = time.perf_counter() - t0
    result = _result(model, symbols, program, solution, backend, diagnostics)
    result.problem_class = problem_class
    if lex is not None:
        goals = {level_name(level): level for level in priority_levels(model.objectives)}
        result.levels = level_reports(lex, goals)
        result.diagnostics += level_diagnostics(lex, goals)
        result.sensitivity = None  # ranging of the last level alone, with the others held, would mislead
    confirmable = program.is_mip and not program.is_quadratic  # HiGHS confirms linear MIPs only
    if result.status.has_solution and confirmable and backend.strip().lower() != CONFIRMING_BACKEND:
        from nl2opt.diagnose import refute_bounded

        refuted = refute_bounded(program, backend)
        if refuted:
            result = Result(
                status=Status.UNBOUNDED,
                diagnostics=result.diagnostics + refuted,
                spec=model,
                backend=backend,
                termination=result.termination,
            )
    result.tables = table_infos(tables)
    if result.status.has_values and verify_solution:
        report("verifying")
        t0 = time.perf_counter()
        values = dense_values(symbols, solution.x)
        if result.levels:
            settle_held_levels(model, values, result.levels, parsed)
        found = verify(
            model, values, objective=solution.objective, tables=tables, parsed=parsed, levels=result.levels
        )
        refuted: list[Diagnostic] = []
        if has_errors(found) and lex is None and confirmable:
            polished = _polished(model, symbols, program, solution, options, tables, parsed)
            if polished is not None:
                solution, found = polished
                result = _result(model, symbols, program, solution, backend, [*diagnostics, _POLISHED])
                result.problem_class, result.tables = problem_class, table_infos(tables)
            elif backend.strip().lower() != CONFIRMING_BACKEND:
                from nl2opt.diagnose import refute_point

                refuted = refute_point(program, backend)
                replaced = None if refuted else _verified_by_highs(model, symbols, program, options, tables, parsed)
                if replaced is not None:  # HiGHS's answer holds where the chosen solver's broke the model
                    note = _replaced_note(backend, found)
                    solution, found = replaced
                    backend = CONFIRMING_BACKEND
                    result = _result(model, symbols, program, solution, backend, [*diagnostics, note])
                    result.problem_class, result.tables = problem_class, table_infos(tables)
        timings.verify = time.perf_counter() - t0
        result.diagnostics += found
        if refuted:  # values that break the model, for a model HiGHS finds no feasible point in
            result.status, result.values, result.objective = Status.INFEASIBLE, {}, None
            result.diagnostics = [d for d in result.diagnostics if d.code != "solve.wrong-answer"] + refuted
            result.sensitivity = None
        elif has_errors(found):
            result.status = Status.UNVERIFIED  # values the verifier rejects are never an answer
            result.sensitivity = None
        # An answer checked only in part (verify.incomplete) is not called verified.
        result.verified = result.status.has_solution and complete(found)
    if result.status.has_solution:
        reports, found = evaluate_reports(model, dense_values(symbols, solution.x))
        result.reports = reports
        result.answer = answer_value(model, result.objective, reports)
        result.diagnostics += found
    elif result.status in (Status.INFEASIBLE, Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED):
        report("diagnosing")
        _diagnose(result, program, model, backend)
    return _finish(result, timings, started, parsed)


_POLISHED = Diagnostic(
    code="solve.polished",
    stage=Stage.SOLVE,
    severity=Severity.INFO,
    message="the solver's point broke the model by its tolerances; with its whole numbers fixed, "
    "the other values were solved again and now hold",
)


def _verified_by_highs(
    model: ModelSpec,
    symbols: Symbols,
    program: LinearProgram,
    options: SolveOptions,
    tables: Tables,
    parsed: ParsedSpec | None,
) -> tuple[Solution, list[Diagnostic]] | None:
    """HiGHS's answer (polished if need be) and its verification, when the spec verifier accepts it."""
    import nl2opt.backends as backends

    if CONFIRMING_BACKEND not in backends.available_backends():
        return None
    solution = backends.get_backend(CONFIRMING_BACKEND).solve(program, options)
    if solution.x is None or solution.termination.reason is not TerminationReason.OPTIMAL:
        return None
    found = verify(model, dense_values(symbols, solution.x), objective=solution.objective, tables=tables, parsed=parsed)
    if not has_errors(found):
        return solution, found
    return _polished(model, symbols, program, solution, options, tables, parsed)


def _replaced_note(backend: str, found: list[Diagnostic]) -> Diagnostic:
    broken = next((d.message for d in found if d.severity is Severity.ERROR), "values that break the model")
    return _diag(
        "solve.fallback",
        Stage.SOLVE,
        f"the {backend} solver returned values that break the model ({broken}), even after polishing; "
        "the answer below is HiGHS's, verified",
        severity=Severity.WARNING,
        hint=f"Report the model to the {backend} solver's maintainers, or choose the highs backend.",
    )


def _polished(
    model: ModelSpec,
    symbols: Symbols,
    program: LinearProgram,
    solution: Solution,
    options: SolveOptions,
    tables: Tables | None,
    parsed: ParsedSpec,
) -> tuple[Solution, list[Diagnostic]] | None:
    """The MIP point polished (:mod:`nl2opt.polish`) and its verification, when it passes."""
    from nl2opt.polish import polish

    polished = polish(program, solution, options)
    if polished is None:
        return None
    found = verify(model, dense_values(symbols, polished.x), objective=polished.objective, tables=tables, parsed=parsed)
    return None if has_errors(found) else (polished, found)


def _fallback(
    program: LinearProgram, options: SolveOptions, backend: str, failed: Solution, diagnostics: list[Diagnostic]
) -> tuple[str, Solution]:
    """When a backend's own solver fails on a valid program (the bundled CBC aborts on some
    unbounded MIPs), HiGHS answers instead, and a warning says whose answer it is."""
    import nl2opt.backends as backends  # the registry's HiGHS, whatever this module's get_backend is

    if backend.strip().lower() == CONFIRMING_BACKEND or CONFIRMING_BACKEND not in backends.available_backends():
        return backend, failed
    if refusal(CONFIRMING_BACKEND, program):  # a quadratic model HiGHS cannot solve keeps its failure
        return backend, failed
    solution = backends.get_backend(CONFIRMING_BACKEND).solve(program, options)
    if solution.termination.reason is TerminationReason.ERROR:
        return backend, failed
    diagnostics.append(_fallback_note(backend, failed))
    return CONFIRMING_BACKEND, solution


def _endless_search(program: LinearProgram, backend: str) -> bool:
    """Whether another backend's branch and bound may never end: a linear MIP with an integer
    column unbounded on a side. With no integer point, CBC then branches forever (the differential
    run's seed 80723: ``2 x1 - x2 == 0.5``), where HiGHS's presolve proves infeasibility at once."""
    if backend.strip().lower() == CONFIRMING_BACKEND or not program.is_mip or program.is_quadratic:
        return False
    integer = np.asarray(program.integrality, dtype=bool)
    return bool((~np.isfinite(program.col_lower[integer]) | ~np.isfinite(program.col_upper[integer])).any())


def _settled_first(
    program: LinearProgram, options: SolveOptions, backend: str, engine: Backend, diagnostics: list[Diagnostic]
) -> tuple[str, Solution]:
    """Ask HiGHS's presolve before a search that may never end; when it proves the model
    infeasible, HiGHS's checked solve answers (and is believed only if it agrees)."""
    import nl2opt.backends as backends
    from nl2opt.backends.highs import presolve_infeasible

    if CONFIRMING_BACKEND in backends.available_backends() and presolve_infeasible(program):
        settled = backends.get_backend(CONFIRMING_BACKEND).solve(program, options)
        if settled.termination.reason is TerminationReason.INFEASIBLE:
            diagnostics.append(
                _diag(
                    "solve.settled-first",
                    Stage.SOLVE,
                    f"HiGHS proves this model has no solution, so the {backend} backend was not started: "
                    "its search over integer variables without bounds could run forever here",
                    severity=Severity.INFO,
                    hint="Give the integer variables bounds, or check the constraints the diagnosis names.",
                )
            )
            return CONFIRMING_BACKEND, settled
    return backend, engine.solve(program, options)


def _fallback_levels(
    program: LinearProgram,
    options: SolveOptions,
    backend: str,
    failed: Lexicographic,
    diagnostics: list[Diagnostic],
) -> tuple[str, Lexicographic]:
    """:func:`_fallback` for a model with priority levels: HiGHS solves every level again."""
    import nl2opt.backends as backends

    chosen = backend.strip().lower()
    if chosen == CONFIRMING_BACKEND or CONFIRMING_BACKEND not in backends.available_backends():
        return backend, failed
    again = solve_levels(program, backends.get_backend(CONFIRMING_BACKEND), options)
    if again.solution.termination.reason is TerminationReason.ERROR:
        return backend, failed
    diagnostics.append(_fallback_note(backend, failed.solution))
    return CONFIRMING_BACKEND, again


def _fallback_note(backend: str, failed: Solution) -> Diagnostic:
    detail = failed.termination.detail or failed.termination.raw or "no detail"
    return _diag(
        "solve.fallback",
        Stage.SOLVE,
        f"the {backend} backend failed on this model ({detail}); the answer below is HiGHS's",
        severity=Severity.WARNING,
        hint=f"Report the model to the {backend} solver's maintainers, or choose the highs backend.",
    )


def _diagnose(result: Result, program: LinearProgram, model: ModelSpec, backend: str) -> None:
    """Say why there is no answer; another backend's "infeasible" or "unbounded" is confirmed first.

    CBC has called unbounded programs (LP and MIP) infeasible and infeasible ones unbounded, and
    a diagnosis of a wrong claim invents a conflict or a ray, so HiGHS settles the claim first.
    """
    from nl2opt.diagnose import confirm_infeasible, confirm_unbounded, diagnose

    if program.is_quadratic:  # confirmation and diagnosis read linear programs: the solver's claim stands
        if program.q_rows is None and result.status is Status.INFEASIBLE:
            # Only the rows decide feasibility, and a QP's rows are linear: their conflict is named.
            result.diagnostics += diagnose(dataclasses.replace(program, q=None), result.status, model)
        return
    if backend.strip().lower() != CONFIRMING_BACKEND and result.status in (Status.INFEASIBLE, Status.UNBOUNDED):
        claim = result.status
        confirm = confirm_infeasible if claim is Status.INFEASIBLE else confirm_unbounded
        result.status, found = confirm(program, backend)
        if result.status is not claim:
            dropped = "solve.infeasible" if claim is Status.INFEASIBLE else "solve.unbounded"
            result.diagnostics = [d for d in result.diagnostics if d.code != dropped]
        result.diagnostics += found
    found = diagnose(program, result.status, model)
    result.diagnostics += found
    if result.status is Status.INFEASIBLE_OR_UNBOUNDED:
        codes = {d.code for d in found}
        if "diagnose.unbounded-ray" in codes:
            result.status = Status.UNBOUNDED
        elif "diagnose.conflict" in codes:
            result.status = Status.INFEASIBLE


def _finish(result: Result, timings: Timings, started: float, parsed: ParsedSpec | None = None) -> Result:
    if result.spec is not None:
        result.latex = latex(result.spec, parsed)
        result.reading = reading(result.spec, present.trees_of(result.spec, parsed))
        result.assumptions = list(result.spec.assumptions)
    result.explanation = explain(result, parsed)
    timings.total = time.perf_counter() - started
    result.timings = timings
    return result


def dense_values(symbols: Symbols, x: np.ndarray) -> dict[str, np.ndarray | float]:
    """Solver values per variable, shaped like the variable's index sets."""
    out: dict[str, np.ndarray | float] = {}
    for name, info in symbols.vars.items():
        chunk = x[info.offset : info.offset + info.columns]
        if info.cells is not None:  # a sparse domain: NaN where no cell exists
            dense = np.full(info.size, np.nan)
            dense[info.cells] = chunk
            chunk = dense
        out[name] = float(chunk[0]) if not info.index else chunk.reshape(info.shape)
    return out


def keyed_values(symbols: Symbols, x: np.ndarray) -> SolutionValues:
    """Solver values per variable, rounded (:func:`nl2opt.values.clean`); indexed ones keyed by
    :func:`nl2opt.result.index_key` when read. No key is written here: see :mod:`nl2opt.values`."""
    out: dict[str, float | VariableArray] = {}
    for name, info in symbols.vars.items():
        chunk = clean(x[info.offset : info.offset + info.columns], info.domain.value != "continuous")
        if not info.index:
            out[name] = float(chunk[0])
        else:
            out[name] = VariableArray(chunk, [symbols.sets[s].members for s in info.index], at=info.cells)
    return SolutionValues(out)


def _result(
    spec: ModelSpec,
    symbols: Symbols,
    program: LinearProgram,
    solution: Solution,
    backend: str,
    diagnostics: list[Diagnostic],
) -> Result:
    status = _STATUS.get(solution.termination.reason, Status.ERROR)
    if status.has_solution and solution.status is SolutionStatus.NONE:
        status = Status.ERROR
    if status.has_solution and solution.status is SolutionStatus.UNVERIFIED:
        status = Status.UNVERIFIED
    term = solution.termination
    termination = term.reason.value + (f" ({term.limit.value} limit)" if term.limit else "")
    if term.detail:
        termination += f": {term.detail}"
    diagnostics = list(diagnostics) + [_note(note) for note in solution.notes]
    explained = any(note.severity == Severity.ERROR for note in solution.notes)
    if status in _SOLVE_CODES and not (status is Status.ERROR and explained):
        code, message = _SOLVE_CODES[status]
        detail = f" ({term.detail})" if term.detail else ""
        diagnostics.append(_diag(code, Stage.SOLVE, message + detail))
    elif status is Status.UNVERIFIED:
        diagnostics.append(wrong_answer(program, solution))
    elif status is Status.FEASIBLE:
        diagnostics.append(
            _diag(
                "solve.time-limit",
                Stage.SOLVE,
                "the solver stopped at a limit; the solution is feasible but not proven optimal",
                severity=Severity.WARNING,
            )
        )
    result = Result(
        status=status,
        diagnostics=diagnostics,
        spec=spec,
        backend=backend,
        termination=termination,
        best_bound=solution.best_bound,
        mip_gap=solution.mip_gap,
    )
    if status.has_values and solution.x is not None:
        result.objective = solution.objective
        result.values = keyed_values(symbols, solution.x)
        result.rows = row_reports(program, solution)
        if status.has_solution:  # what-if figures of a point that fails the check would mislead
            result.sensitivity = sensitivity(program, solution)
    return result


def wrong_answer(program: LinearProgram, solution: Solution) -> Diagnostic:
    """``solve.wrong-answer``: the solver's point breaks the compiled program (or its duals do not
    prove it optimal), with the numbers."""
    shown = [describe(program, v) for v in solution.violations[:MAX_VIOLATIONS_SHOWN]]
    more = len(solution.violations) - len(shown)
    listed = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
    return _diag(
        "solve.wrong-answer",
        Stage.SOLVE,
        f"the {solution.backend} solver's answer fails the check against the model, even when solved "
        f"again with presolve off: {listed}",
        hint="Try another backend (--backend highs), or rescale the numbers of the rows named "
        "(thousands instead of units) so the solver's tolerances fit them.",
    )


def _note(note: Note) -> Diagnostic:
    return _diag(note.code, Stage.SOLVE, note.message, severity=Severity(note.severity))


def row_reports(program: LinearProgram, solution: Solution, tol: float = 1e-7) -> list[RowReport]:
    """Activity, slack and dual of the spec's constraint rows (binding ones first when there are many)."""
    if solution.x is None or program.num_rows == 0:
        return []
    activity = solution.row_activity if solution.row_activity is not None else program.A @ solution.x
    lo, hi = program.row_lower, program.row_upper
    slack = np.minimum(
        np.where(np.isfinite(hi), hi - activity, np.inf), np.where(np.isfinite(lo), activity - lo, np.inf)
    )
    binding = slack <= tol * np.maximum(1.0, np.abs(activity))
    # A row whose every term is zero (a closed depot's capacity, an unused option) sits at its
    # bound of 0 without limiting anything; it binds only if the solver prices it.
    touched = program.abs_A @ np.abs(solution.x) > tol
    priced = np.abs(solution.row_duals) > tol if solution.row_duals is not None else False
    binding &= touched | priced
    reports: list[RowReport] = []
    rows = np.arange(program.num_rows)
    if program.num_rows > MAX_ROW_REPORTS:
        rows = np.flatnonzero(binding)[:MAX_ROW_REPORTS]
    # one searchsorted for all rows and plain floats up front: no numpy call per row
    owners = np.searchsorted([b.start for b in program.row_blocks], rows, side="right") - 1
    duals = solution.row_duals[rows].tolist() if solution.row_duals is not None else None
    slack = np.where(np.isfinite(slack), slack, 0.0)
    columns = zip(
        rows.tolist(),
        owners.tolist(),
        activity[rows].tolist(),
        np.where(np.isfinite(lo[rows]), lo[rows], np.nan).tolist(),
        np.where(np.isfinite(hi[rows]), hi[rows], np.nan).tolist(),
        slack[rows].tolist(),
        binding[rows].tolist(),
        strict=True,
    )
    rows_seen: list[dict[str, Any]] = []
    for n, (i, owner, act, low, up, gap, binds) in enumerate(columns):
        block = program.row_blocks[owner]
        if block.origin is not Origin.CONSTRAINT:
            continue
        rows_seen.append(
            {
                "name": block.element_name(i - block.start),
                "constraint": block.name.split("/")[0],
                "activity": act,
                "lower": None if math.isnan(low) else low,
                "upper": None if math.isnan(up) else up,
                "slack": gap,
                "dual": duals[n] if duals is not None else None,
                "binding": binds,
            }
        )
    reports += _ROW_REPORTS.validate_python(rows_seen)  # one validation for all rows, in pydantic's core
    return reports


_ROW_REPORTS = TypeAdapter(list[RowReport])


__all__ = ["dense_values", "keyed_values", "load_spec", "solve_spec"]
