"""formulate_and_solve: text in, a verified answer out, repairing the model on the way.

The loop is the self-debugging part of nl2opt. Each attempt asks a formulator for a
spec and runs it through :func:`nl2opt.pipeline.solve_spec`; anything that stops a
verified answer (an unreadable reply, a spec with errors, an infeasible or unbounded
model with its diagnosis, a failed verification) is rendered once by
:func:`~nl2opt.formulators.feedback.render_feedback` and sent back with the spec it is
about. Failure is data: every attempt is kept on the Result, and a model that never
comes right ends in a Result that says so and what to do, not in an exception.

Stopping rules, in order:

- a formulator failure a retry cannot fix (the LLM server is unreachable after the
  SDK's own retries, or the offline rules decline) ends the loop at once;
- a deterministic formulator (the offline rules, or any that sets ``deterministic = True``)
  is asked once: feedback cannot change its answer, so a retry would only repeat it;
- the same spec twice (compared as canonical JSON) ends it with
  ``formulate.repeated-spec``: the formulator is not listening, more rounds only cost;
- a verified answer ends it, except that plausibility warnings about the text (a
  number it gives that the model never uses, counted things made continuous, a
  sense that contradicts the question) buy one extra attempt; the better of the two
  answers is kept, and a verified answer is never given up for an unverified one.
  Warnings the spec's own ``assumptions`` answer are not raised, so a model may keep a
  right reading by stating it instead of bending the model; warnings are not computed
  for a spec that does not yet read as a model (check errors);
- otherwise it stops after ``max_attempts``, and an infeasible or unbounded model is
  then a legitimate final answer, reported with its diagnosis.

A cascade runs the whole loop per model, cheapest first, and escalates only when a
model ends without a verified answer. With ``samples=k`` the loop runs k times
concurrently and :func:`nl2opt.agreement.choose_reading` answers with the optimum most
samples reach, keeping the other readings on the Result.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from nl2opt import config
from nl2opt.agreement import choose_reading
from nl2opt.ambiguity import ambiguity
from nl2opt.backends import get_backend
from nl2opt.config import Settings
from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.errors import ConfigurationError
from nl2opt.explain import explain
from nl2opt.formulators.base import Formulation, Formulator
from nl2opt.formulators.cache import ReplyCache
from nl2opt.formulators.feedback import render_feedback
from nl2opt.pipeline import solve_spec
from nl2opt.reading import reading
from nl2opt.result import Attempt, Result, Status, Timings, Usage
from nl2opt.spec import ModelSpec
from nl2opt.tables import Tables, load_tables, table_infos
from nl2opt.verify.plausibility import plausibility

__all__ = ["formulate_and_solve"]

FINAL_CODES = frozenset({"formulate.llm-error", "formulate.declined"})
_SETTLED = frozenset({Status.INFEASIBLE, Status.UNBOUNDED})
"""Outcomes without values that another reading of the text could still change."""
"""Formulator failures that feedback cannot fix: the server is unreachable, or rules declined."""

_VARIABLES = "OPENAI_API_KEY (OpenAI), OPENAI_BASE_URL (any OpenAI-compatible server) and NL2OPT_MODEL"


_Step = Formulator | Settings
"""A formulator to use as is, or the settings of one LLM model of the plan."""


@dataclass
class _Round:
    """One attempt, with the full Result behind its summary."""

    attempt: Attempt
    result: Result
    warnings: list[Diagnostic]
    """Plausibility warnings on the spec."""

    @property
    def verified(self) -> bool:
        return self.result.status.has_solution and self.result.verified

    def rank(self) -> tuple[bool, bool, int]:
        """Higher is better: verified, then proven optimal, then fewer plausibility warnings."""
        return self.verified, self.result.status is Status.OPTIMAL, -len(self.warnings)


def formulate_and_solve(
    text: str,
    *,
    data: Mapping[str, Any] | None = None,
    model: str | None = None,
    formulator: str | Formulator = "auto",
    backend: str = "highs",
    max_attempts: int = 3,
    time_limit: float | None = None,
    settings: Settings | None = None,
    cascade: Sequence[str] | None = None,
    cache: bool | ReplyCache | None = None,
    plausibility_retry: bool = True,
    samples: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Formulate ``text`` as a model, solve and verify it, repairing the model until it is right.

    Args:
        text: the problem in plain words.
        data: named tables the text refers to: lists of row dicts, pandas or polars DataFrames,
            or CSV / Excel / Parquet paths. The formulator sees a summary of each (columns, types,
            row count, a few rows, ranges) and binds the spec to them by reference, so every row
            is used and none passes through the LLM.
        model: LLM model name; overrides ``NL2OPT_MODEL`` / ``settings.model``.
        formulator: ``"auto"`` (the LLM when one is configured, else the offline rules),
            ``"llm"``, ``"rules"``, or a Formulator instance.
        backend: solver backend for every attempt.
        max_attempts: formulate/solve rounds per model, the first included.
        time_limit: solver seconds per attempt.
        settings: LLM settings; ``Settings.from_env()`` when None.
        cascade: LLM model names tried in order; the next is used only when the previous
            ends without a verified answer. Replaces ``model``.
        cache: reuse LLM replies stored on disk (True, or a ReplyCache); off when None or False.
        plausibility_retry: spend one extra attempt (within ``max_attempts``) when a
            verified answer has plausibility warnings about the text.
        samples: formulations asked for concurrently (each repaired on its own, at a temperature of
            at least ``SAMPLE_TEMPERATURE``); their answers are grouped by optimum and the largest
            group answers. The Result says how many agreed and how the other readings differ.
        progress: called on the caller's thread with a short label as each stage starts
            ("formulating (attempt 1 of 3)", "checking", "solving", "verifying",
            "repairing (attempt 2 of 3)"), so a UI never sits silent.

    Returns:
        The chosen answer with every attempt; a model that never came right gives a
        Result whose status and Diagnostics say so (``declined`` when no spec was produced).

    Raises:
        ConfigurationError: an LLM is required but none is configured, or the formulator
            name is unknown.
        UnknownBackendError: the backend name is not known.
        BackendUnavailableError: the backend's package is not installed.
        ValueError: ``max_attempts`` or ``samples`` below 1, or ``cascade`` combined with
            ``model`` or with a non-LLM formulator.
    """
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    if cascade is not None and model is not None:
        raise ValueError("give either model or cascade, not both")
    get_backend(backend)
    started = time.perf_counter()
    name, plan = _plan(formulator, settings=settings, model=model, cascade=cascade)
    loading = time.perf_counter()
    tables, problems = load_tables(data)
    loaded = time.perf_counter() - loading
    if problems:
        failed = Result(status=Status.INVALID, diagnostics=problems, backend=backend, formulator=name, text=text)
        failed.explanation = explain(failed)
        return failed
    if samples > 1:
        options = {
            "data": tables,
            "backend": backend,
            "time_limit": time_limit,
            "max_attempts": max_attempts,
            "plausibility_retry": plausibility_retry,
        }
        sampled = _sampled(
            plan,
            samples,
            text=text,
            name=name,
            cache=cache,
            started=started,
            progress=progress or _silent,
            options=options,
        )
        sampled.tables = table_infos(tables)
        sampled.timings.load = loaded
        return sampled
    rounds: list[_Round] = []
    for step in plan:
        with _opened(step, cache) as current:
            rounds += _loop(
                current,
                text,
                data=tables,
                backend=backend,
                time_limit=time_limit,
                max_attempts=max_attempts,
                plausibility_retry=plausibility_retry,
                first=len(rounds) + 1,
                progress=progress or _silent,
            )
        if any(r.verified for r in rounds):
            break
    result = _final(rounds, text=text, formulator=name, started=started)
    result.tables = table_infos(tables)
    result.timings.load = loaded
    return result


def _silent(_: str) -> None:
    """The default progress callback."""


SAMPLE_TEMPERATURE = 0.7
"""The least temperature for sampled formulations: at 0, k samples would be one reading k times."""


def _sampled(
    plan: list[_Step],
    samples: int,
    *,
    text: str,
    name: str,
    cache: bool | ReplyCache | None,
    started: float,
    progress: Callable[[str], None],
    options: dict[str, Any],
) -> Result:
    """``samples`` independent repair loops per step of the plan, run concurrently, then grouped."""
    spent = Usage()
    results: list[Result] = []
    for step in plan:
        progress(f"formulating {samples} readings")

        def one(index: int, step: _Step = step) -> list[_Round]:
            with _opened(_for_sample(step), cache, sample=index) as current:
                return _loop(current, text, first=1, progress=_silent, **options)

        with ThreadPoolExecutor(max_workers=min(samples, MAX_CONCURRENT_SAMPLES)) as pool:
            runs = list(pool.map(one, range(samples)))
        results = [_final(rounds, text=text, formulator=name, started=started) for rounds in runs]
        spent = sum((r.usage for r in results), spent)
        if any(r.verified and r.status.has_solution for r in results):
            break
    chosen = choose_reading(results)
    chosen.usage = spent
    chosen.timings = chosen.timings.model_copy(update={"total": time.perf_counter() - started})
    chosen.explanation = explain(chosen)
    return chosen


MAX_CONCURRENT_SAMPLES = 8


def _for_sample(step: _Step) -> _Step:
    if not isinstance(step, Settings):
        return step
    temperature = step.temperature
    if temperature is not None and temperature < SAMPLE_TEMPERATURE:
        return step.model_copy(update={"temperature": SAMPLE_TEMPERATURE})
    return step


def _plan(
    formulator: str | Formulator,
    *,
    settings: Settings | None,
    model: str | None,
    cascade: Sequence[str] | None,
) -> tuple[str, list[_Step]]:
    """Resolve the formulator choice before any work, so configuration errors come first."""
    if not isinstance(formulator, str):
        if cascade is not None:
            raise ValueError("cascade names LLM models; it needs formulator='llm' or 'auto'")
        return formulator.name, [formulator]
    if formulator not in ("auto", "llm", "rules"):
        raise ConfigurationError(f"unknown formulator {formulator!r}: use 'auto', 'llm' or 'rules'")
    wants_llm = formulator == "llm" or cascade is not None
    has_llm = settings.llm_configured() if settings is not None else config.llm_configured()
    if formulator == "rules" or (formulator == "auto" and not has_llm and not wants_llm):
        if cascade is not None:
            raise ValueError("cascade names LLM models; it needs formulator='llm' or 'auto'")
        return "rules", [_rules(explicit=formulator == "rules")]
    base = (settings or Settings.from_env()).require_llm()
    models = list(cascade) if cascade is not None else [model or base.model]
    if not models:
        raise ValueError("cascade is empty: name at least one model")
    return "llm", [base.model_copy(update={"model": m}) for m in models]


def _rules(*, explicit: bool) -> Formulator:
    try:
        from nl2opt.formulators.rules import RulesFormulator
    except ImportError:
        if explicit:
            raise ConfigurationError(
                "The offline rules formulator is not available in this installation; "
                f"use an LLM instead by setting {_VARIABLES}."
            ) from None
        raise ConfigurationError(
            f"No LLM is configured and the offline rules formulator is not available. Set {_VARIABLES} "
            "(e.g. OPENAI_BASE_URL=http://localhost:11434/v1 for Ollama)."
        ) from None
    return RulesFormulator()


@contextmanager
def _opened(step: _Step, cache: bool | ReplyCache | None, *, sample: int = 0) -> Iterator[Formulator]:
    """An LLM formulator for one model of the plan, closed afterwards; other formulators as given."""
    if not isinstance(step, Settings):
        yield step
        return
    from nl2opt.formulators.llm import LLMFormulator

    with LLMFormulator(step, cache=cache or False, sample=sample) as llm:
        yield llm


def _loop(
    formulator: Formulator,
    text: str,
    *,
    data: Tables,
    backend: str,
    time_limit: float | None,
    max_attempts: int,
    plausibility_retry: bool,
    first: int,
    progress: Callable[[str], None],
) -> list[_Round]:
    """The attempts of one formulator: formulate, solve, and decide whether to ask again."""
    rounds: list[_Round] = []
    seen: dict[str, _Round] = {}
    previous: ModelSpec | None = None
    feedback: str | None = None
    for number in range(first, first + max_attempts):
        stage = "formulating" if previous is None and feedback is None else "repairing"
        progress(f"{stage} (attempt {number - first + 1} of {max_attempts})")
        frames = {name: table.frame for name, table in data.items()}  # formulators read DataFrames
        formulation = formulator.formulate(text, data=frames or None, previous=previous, feedback=feedback)
        spec = formulation.spec
        key = _canonical(spec) if spec is not None else None
        earlier = seen.get(key) if key is not None else None
        if earlier is not None:
            rounds.append(_repeat(number, formulation, earlier))
            break
        current = _attempt(number, formulation, text, backend=backend, time_limit=time_limit, progress=progress,
                           data=data)
        rounds.append(current)
        if key is not None:
            seen[key] = current
        last = number == first + max_attempts - 1 or _deterministic(formulator)
        if _codes_of(formulation.diagnostics) & FINAL_CODES or last:
            break
        if "solve.capability" in _codes_of(current.attempt.diagnostics):
            break  # the chosen backend cannot solve this class of model: a rewrite would only approximate it
        if any(r.verified for r in rounds[:-1]):
            break  # this was the plausibility retry: keep the better of the two
        if current.verified:
            if not (plausibility_retry and current.warnings):
                break
            problems = current.warnings
        else:
            problems = _problems(current.attempt.diagnostics)
        previous = spec
        feedback = render_feedback(problems, spec)
        current.attempt.feedback = feedback
    return rounds


def _deterministic(formulator: Formulator) -> bool:
    """True when asking again cannot give another answer (the rules read the same text the same way)."""
    return bool(getattr(formulator, "deterministic", formulator.name == "rules"))


def _attempt(number: int, formulation: Formulation, text: str, *, backend: str,
             time_limit: float | None, progress: Callable[[str], None], data: Tables | None = None) -> _Round:
    """Solve and verify what the formulator wrote (or record why there is nothing to solve)."""
    spec = formulation.spec
    if spec is None:
        result = Result(status=Status.DECLINED, diagnostics=list(formulation.diagnostics), backend=backend,
                        draft=formulation.draft, unread=list(formulation.unread))
        warnings: list[Diagnostic] = []
        diagnostics = list(formulation.diagnostics)
    else:
        result = solve_spec(spec, backend=backend, time_limit=time_limit, progress=progress, data=data)
        if formulation.alternatives and (result.status.has_solution or result.status in _SETTLED):
            differ = ambiguity(
                result,
                formulation.alternatives,
                lambda other: solve_spec(other, backend=backend, time_limit=time_limit, data=data),
            )
            if differ is not None:  # no answer the words do not settle
                result = Result(status=Status.DECLINED, diagnostics=[*result.diagnostics, differ], spec=spec,
                                backend=backend, draft=spec, unread=[r.sentence for r in formulation.alternatives])
        warnings = _text_warnings(text, spec, result)
        result.diagnostics += warnings
        diagnostics = [*formulation.diagnostics, *result.diagnostics]
    attempt = Attempt(
        number=number,
        model=formulation.model,
        spec=spec,
        status=result.status,
        objective=result.objective,
        diagnostics=diagnostics,
        usage=formulation.usage,
        seconds=formulation.seconds + result.timings.total,
    )
    result.timings = result.timings.model_copy(update={"formulate": formulation.seconds})
    return _Round(attempt, result, warnings)


def _text_warnings(text: str, spec: ModelSpec, result: Result) -> list[Diagnostic]:
    """Plausibility warnings, once the spec reads as a model (a typo'd name would only add noise)."""
    unreadable = any(d.severity is Severity.ERROR and d.stage in _UNREAD for d in result.diagnostics)
    if unreadable:
        return []
    return plausibility(text, spec, values=result.values if result.status.has_solution else None)


_UNREAD = frozenset({Stage.PARSE, Stage.CHECK})


def _repeat(number: int, formulation: Formulation, earlier: _Round) -> _Round:
    """The same spec again: record it with the earlier outcome instead of solving it twice."""
    repeated = Diagnostic(
        code="formulate.repeated-spec",
        severity=Severity.WARNING if earlier.verified else Severity.ERROR,
        stage=Stage.FORMULATE,
        message=f"The formulator returned the same model as attempt {earlier.attempt.number}, "
        "after being told what was wrong with it; stopping.",
        hint="Rephrase the problem so every number and limit is stated plainly, "
        "or try a stronger model (a cascade).",
    )
    attempt = earlier.attempt.model_copy(update={
        "number": number,
        "model": formulation.model,
        "diagnostics": [*formulation.diagnostics, *earlier.attempt.diagnostics, repeated],
        "feedback": None,
        "usage": formulation.usage,
        "seconds": formulation.seconds,
    })
    result = earlier.result.model_copy(update={
        "diagnostics": [*earlier.result.diagnostics, repeated],
        "timings": earlier.result.timings.model_copy(update={"formulate": formulation.seconds}),
    })
    return _Round(attempt, result, earlier.warnings)


def _final(rounds: list[_Round], *, text: str, formulator: str, started: float) -> Result:
    """The chosen answer dressed with how it was reached."""
    verified = [r for r in rounds if r.verified]
    chosen = max(verified, key=_Round.rank) if verified else rounds[-1]
    result = chosen.result.model_copy(deep=True)
    result.diagnostics = list(chosen.attempt.diagnostics)
    explained = FINAL_CODES | {"formulate.repeated-spec"}
    if not verified and len(rounds) > 1 and not _codes_of(result.diagnostics) & explained:
        result.diagnostics.append(_exhausted(rounds))
    usage = sum((r.attempt.usage for r in rounds), Usage())
    stages = chosen.result.timings
    result.timings = Timings(
        formulate=sum(r.result.timings.formulate for r in rounds),
        check=stages.check,
        lower=stages.lower,
        solve=stages.solve,
        verify=stages.verify,
        total=time.perf_counter() - started,
    )
    result.formulator = formulator
    result.model = chosen.attempt.model
    result.attempts = [r.attempt for r in rounds]
    result.usage = usage
    result.text = text
    if result.spec is not None:
        result.reading = reading(result.spec)
        result.assumptions = list(result.spec.assumptions)
    result.explanation = explain(result)
    return result


def _exhausted(rounds: list[_Round]) -> Diagnostic:
    models = list(dict.fromkeys(r.attempt.model for r in rounds if r.attempt.model))
    by = f" ({', '.join(models)})" if models else ""
    return Diagnostic(
        code="formulate.attempts-exhausted",
        stage=Stage.FORMULATE,
        message=f"No verified model after {len(rounds)} attempts{by}; the last one ended "
        f"{rounds[-1].attempt.status.value}.",
        hint="Rephrase the problem so every number and limit is stated plainly, allow more attempts, "
        "or try a stronger model (a cascade).",
    )


def _problems(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """What the feedback lists: errors first, then warnings; info notes are left out."""
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    return errors + [d for d in diagnostics if d.severity is Severity.WARNING]


def _canonical(spec: ModelSpec) -> str:
    return json.dumps(spec.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"))


def _codes_of(diagnostics: list[Diagnostic]) -> set[str]:
    return {d.code for d in diagnostics}
