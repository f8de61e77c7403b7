"""No path reports "optimal" for an answer that fails verification.

One small model throughout, solved by hand:

    max 3 a + 2 b   s.t.  capacity: a + b <= 4;   0 <= a, b <= 10

The optimum is a = 4, b = 0, value 12. A lying solver returns a = 4, b = 3 (value 18),
which puts ``capacity`` at 7 > 4. Every consumer must see that answer as a failure:
``result.ok``, the status, the explanation, the CLI's exit code, the benchmark's scoring
and the repair loop.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import nl2opt.pipeline as pipeline
from nl2opt.backends import available_backends, get_backend
from nl2opt.backends._common import assemble, guarded_solve
from nl2opt.backends.base import Capabilities, SolveOptions
from nl2opt.bench.datasets import Expect
from nl2opt.bench.metrics import Tolerance, is_correct
from nl2opt.bench.records import ProblemRecord
from nl2opt.cli import app
from nl2opt.diagnostics import CODES, Diagnostic, Severity, Stage
from nl2opt.explain import explain
from nl2opt.formulators.base import Formulation
from nl2opt.pipeline import solve_spec
from nl2opt.program import LinearProgram
from nl2opt.repair import formulate_and_solve
from nl2opt.result import Result, Status
from nl2opt.solution import Solution, Termination, TerminationReason
from nl2opt.spec import ModelSpec

MODEL: dict[str, Any] = {
    "name": "two products",
    "variables": [{"name": "a", "upper": 10}, {"name": "b", "upper": 10}],
    "objective": {"sense": "maximize", "expression": "3 * a + 2 * b"},
    "constraints": [{"name": "capacity", "expression": "a + b <= 4", "description": "machine hours"}],
}
OPTIMUM = 12.0
LIE = np.array([4.0, 3.0])
"""Breaks capacity (7 > 4); its objective 18 would beat the optimum."""

Answer = Callable[[LinearProgram, SolveOptions], Solution]


class FakeBackend:
    """A backend whose solver is ``answer``, wrapped like every real backend (point check included)."""

    name = "fake"
    package = "numpy"
    capabilities = Capabilities()

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.calls = 0

    def solve(self, program: LinearProgram, options: SolveOptions | None = None) -> Solution:
        def counted(prog: LinearProgram, opts: SolveOptions) -> Solution:
            self.calls += 1
            return self.answer(prog, opts)

        return guarded_solve(self.name, program, options or SolveOptions(), counted)


def lying(prog: LinearProgram, _: SolveOptions) -> Solution:
    return assemble(prog, "fake", Termination(TerminationReason.OPTIMAL), LIE)


def claiming(reason: TerminationReason) -> Answer:
    return lambda prog, _: assemble(prog, "fake", Termination(reason), None)


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch) -> Callable[[Answer], FakeBackend]:
    """Route solve_spec's backend to a fake one (diagnosis and confirmation still use HiGHS)."""

    def install(answer: Answer) -> FakeBackend:
        fake = FakeBackend(answer)
        monkeypatch.setattr(pipeline, "get_backend", lambda name: fake)
        return fake

    return install


# --- a solver's broken point ---------------------------------------------------------------


def test_a_point_that_breaks_the_model_is_unverified_everywhere(use) -> None:
    fake = use(lying)

    result = solve_spec(MODEL)

    assert fake.calls == 2  # the first answer, and the safe re-solve
    assert result.status is Status.UNVERIFIED
    assert not result.ok and not result.verified and not result.status.has_solution
    assert result.values == {"a": 4.0, "b": 3.0}  # kept for inspection
    wrong = next(d for d in result.errors if d.code == "solve.wrong-answer")
    assert "capacity: activity 7 outside [-inf, 4]" in wrong.message
    assert result.explanation.startswith("No verified answer")
    assert "capacity" in result.explanation and "An optimal solution" not in result.explanation


def test_the_cli_exits_1_for_an_unverified_answer(use, tmp_path: Path) -> None:
    use(lying)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL), encoding="utf-8")

    out = CliRunner().invoke(app, ["solve-spec", str(path), "--json"])

    assert out.exit_code == 1
    assert json.loads(out.stdout)["status"] == "unverified"

    text = CliRunner().invoke(app, ["solve-spec", str(path)])

    assert text.exit_code == 1
    assert "status: unverified" in text.stdout
    assert "objective: 18" not in text.stdout
    assert "objective of the rejected values: 18 (not an answer)" in text.stdout


def test_values_the_spec_verifier_rejects_are_unverified(monkeypatch: pytest.MonkeyPatch) -> None:
    """The program check passes but verify/ (its own evaluator) disagrees: still no answer."""
    rejected = Diagnostic(code="verify.constraint-violated", stage=Stage.VERIFY, message="capacity is broken")
    monkeypatch.setattr(pipeline, "verify", lambda *args, **kwargs: [rejected])

    result = solve_spec(MODEL)

    assert result.status is Status.UNVERIFIED and not result.ok and not result.verified
    assert result.objective == pytest.approx(OPTIMUM)
    assert "capacity is broken" in result.explanation


def test_skipping_verification_keeps_the_solvers_status_but_not_the_verified_flag() -> None:
    result = solve_spec(MODEL, verify_solution=False)

    assert result.status is Status.OPTIMAL and result.ok and not result.verified


def test_an_answer_checked_only_in_part_is_not_called_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    """Verification stopped at its time budget: the solver's optimum stands, unconfirmed."""
    monkeypatch.setenv("NL2OPT_VERIFY_SECONDS", "1e-9")

    result = solve_spec(MODEL)

    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(OPTIMUM)
    assert not result.verified
    assert "verify.incomplete" in [d.code for d in result.diagnostics]
    assert "NOT confirmed" in result.explanation


def test_an_unverified_answer_is_never_counted_correct() -> None:
    """Even with the expected objective: the values failed verification."""
    assert not is_correct(Status.UNVERIFIED, OPTIMUM, OPTIMUM, Expect.VALUE, Tolerance())
    assert is_correct(Status.OPTIMAL, OPTIMUM, OPTIMUM, Expect.VALUE, Tolerance())
    record = ProblemRecord(dataset="d", id="1", status=Status.UNVERIFIED, objective=OPTIMUM, expected=OPTIMUM)
    assert not record.answered


class Scripted:
    name = "fake"

    def __init__(self, *specs: dict[str, Any]) -> None:
        self.specs = list(specs)
        self.feedback: list[str | None] = []

    def formulate(self, text: str, *, data=None, previous=None, feedback=None) -> Formulation:
        self.feedback.append(feedback)
        return Formulation(ModelSpec.model_validate(self.specs.pop(0)), model="fake-1")


def test_the_repair_loop_treats_an_unverified_answer_as_a_failure(use) -> None:
    honest = get_backend("highs")

    def lies_on_the_first_model(prog: LinearProgram, options: SolveOptions) -> Solution:
        return lying(prog, options) if fake.calls <= 2 else honest.solve(prog, options)

    fake = use(lies_on_the_first_model)
    renamed = {**MODEL, "constraints": [{**MODEL["constraints"][0], "name": "hours"}]}
    formulator = Scripted(MODEL, renamed)

    result = formulate_and_solve("two products", formulator=formulator)

    first, second = result.attempts
    assert first.status is Status.UNVERIFIED and first.feedback is not None
    assert "fails the check" in formulator.feedback[1]
    assert second.status is Status.OPTIMAL
    assert result.status is Status.OPTIMAL and result.verified
    assert result.objective == pytest.approx(OPTIMUM)


# --- "infeasible" from a MIP solver is confirmed --------------------------------------------

UNBOUNDED_MIP: dict[str, Any] = {
    "name": "runaway",
    "variables": [{"name": "x", "lower": 0}, {"name": "n", "domain": "integer", "lower": 0, "upper": 3}],
    "objective": {"sense": "maximize", "expression": "x + n"},
    "constraints": [{"name": "few", "expression": "n <= 2"}],
}
"""x has no upper bound and appears in no row: unbounded, and plainly feasible (x = n = 0)."""


def test_an_unbounded_mip_called_infeasible_is_unbounded_without_a_conflict(use) -> None:
    use(claiming(TerminationReason.INFEASIBLE))

    result = solve_spec(UNBOUNDED_MIP, backend="fake")

    codes = [d.code for d in result.diagnostics]
    assert result.status is Status.UNBOUNDED
    assert "solve.infeasible-refuted" in codes and "diagnose.unbounded-ray" in codes
    assert "diagnose.conflict" not in codes and "solve.infeasible" not in codes


def test_a_feasible_mip_called_infeasible_is_an_error_naming_the_optimum(use) -> None:
    bounded = {**UNBOUNDED_MIP, "variables": [{"name": "x", "upper": 5}, UNBOUNDED_MIP["variables"][1]]}
    use(claiming(TerminationReason.INFEASIBLE))

    result = solve_spec(bounded, backend="fake")

    refuted = next(d for d in result.errors if d.code == "solve.infeasible-refuted")
    assert result.status is Status.ERROR and not result.ok
    assert "objective 7" in refuted.message  # x = 5, n = 2
    assert "diagnose.conflict" not in [d.code for d in result.diagnostics]


def test_a_confirmed_infeasible_mip_is_explained(use) -> None:
    infeasible = {**UNBOUNDED_MIP, "constraints": [{"name": "many", "expression": "n >= 4"}]}
    use(claiming(TerminationReason.INFEASIBLE))

    result = solve_spec(infeasible, backend="fake")

    codes = [d.code for d in result.diagnostics]
    assert result.status is Status.INFEASIBLE and "solve.infeasible-refuted" not in codes
    assert "diagnose.conflict" in codes or "solve.infeasible" in codes


# --- "infeasible" and "unbounded" from any other solver are confirmed (CBC, on LPs too) ---------

UNBOUNDED_LP: dict[str, Any] = {
    "name": "runaway LP",
    "variables": [{"name": "x", "lower": 0}, {"name": "y", "lower": 0, "upper": 2}],
    "objective": {"sense": "maximize", "expression": "x + y"},
    "constraints": [{"name": "start", "expression": "x - y >= 1"}],
}
"""x grows without limit (x = 1 + y is feasible): unbounded."""
INFEASIBLE_LP = {**UNBOUNDED_LP, "constraints": [{"name": "start", "expression": "y >= 3"}]}
"""y <= 2 by its bound and y >= 3 by the row: infeasible."""
BOUNDED_LP = {**UNBOUNDED_LP, "variables": [{"name": "x", "upper": 4}, UNBOUNDED_LP["variables"][1]]}
"""x <= 4, y <= 2 and x - y >= 1 hold at x = 4, y = 2: the optimum is 6."""


@pytest.mark.parametrize(
    ("claim", "spec", "status", "codes"),
    [
        (TerminationReason.INFEASIBLE, UNBOUNDED_LP, Status.UNBOUNDED, {"solve.infeasible-refuted"}),
        (
            TerminationReason.UNBOUNDED,
            INFEASIBLE_LP,
            Status.INFEASIBLE,
            {"solve.unbounded-refuted", "diagnose.conflict"},
        ),
        (TerminationReason.UNBOUNDED, BOUNDED_LP, Status.ERROR, {"solve.unbounded-refuted"}),
        (TerminationReason.UNBOUNDED, UNBOUNDED_LP, Status.UNBOUNDED, {"diagnose.unbounded-ray"}),
    ],
    ids=[
        "unbounded-called-infeasible",
        "infeasible-called-unbounded",
        "bounded-called-unbounded",
        "true-claim",
    ],
)
def test_an_lp_claim_of_no_answer_is_settled_by_highs(use, claim, spec, status, codes) -> None:
    use(claiming(claim))

    result = solve_spec(spec, backend="fake")

    found = {d.code for d in result.diagnostics}
    assert result.status is status and codes <= found
    if status is Status.ERROR:
        assert "objective 6" in next(d.message for d in result.errors if d.code == "solve.unbounded-refuted")
    if claim is TerminationReason.UNBOUNDED and status is not Status.UNBOUNDED:
        assert "solve.unbounded" not in found and "diagnose.unbounded-ray" not in found


def test_a_solver_that_fails_is_replaced_by_highs_and_the_answer_says_so(use) -> None:
    use(claiming(TerminationReason.ERROR))

    result = solve_spec(MODEL, backend="fake")

    assert result.status is Status.OPTIMAL and result.verified and result.objective == pytest.approx(OPTIMUM)
    assert result.backend == "highs"
    [fallback] = [d for d in result.diagnostics if d.code == "solve.fallback"]
    assert fallback.severity is Severity.WARNING and "the fake backend failed" in fallback.message


def test_a_chosen_solver_that_fails_is_reported_not_replaced(use) -> None:
    use(claiming(TerminationReason.ERROR))

    result = solve_spec(MODEL, backend="fake", solver="some-solver")

    assert result.status is Status.ERROR and "solve.fallback" not in [d.code for d in result.diagnostics]


def claiming_optimum(x: list[float]) -> Answer:
    return lambda prog, _: assemble(prog, "fake", Termination(TerminationReason.OPTIMAL), np.array(x))


def test_an_optimum_of_an_unbounded_mip_is_refuted(use) -> None:
    use(claiming_optimum([0.0, 0.0]))  # feasible (x = n = 0), but x can grow forever

    result = solve_spec(UNBOUNDED_MIP, backend="fake")

    codes = [d.code for d in result.diagnostics]
    assert result.status is Status.UNBOUNDED and not result.ok
    assert result.objective is None and result.values == {}
    assert "solve.optimum-refuted" in codes and "diagnose.unbounded-ray" in codes


def test_an_optimum_of_a_bounded_mip_stands(use) -> None:
    bounded = {**UNBOUNDED_MIP, "variables": [{"name": "x", "upper": 5}, UNBOUNDED_MIP["variables"][1]]}
    use(claiming_optimum([5.0, 2.0]))

    result = solve_spec(bounded, backend="fake")

    assert result.status is Status.OPTIMAL and result.verified and result.objective == 7


# --- numbers a solver cannot hold -------------------------------------------------------------

TINY: dict[str, Any] = {
    "name": "grams",
    "variables": [{"name": "y", "upper": 1e12}],
    "objective": {"sense": "maximize", "expression": "y"},
    "constraints": [{"name": "budget", "expression": "1e-10 * y <= 1"}],
}


@pytest.mark.parametrize("backend", available_backends())
def test_a_tiny_coefficient_reaches_the_true_optimum(backend: str) -> None:
    result = solve_spec(TINY, backend=backend)

    assert result.status is Status.OPTIMAL and result.verified
    assert result.objective == pytest.approx(1e10, rel=1e-6)
    assert "solve.rescaled" in [d.code for d in result.diagnostics]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # lower/ warns as it multiplies the constants
def test_an_overflowing_objective_is_a_diagnostic_not_a_crash() -> None:
    overflow = {**MODEL, "objective": {"sense": "maximize", "expression": "1e308 * 10 * a"}}

    result = solve_spec(overflow)

    assert not result.ok and result.errors
    assert "Problem:" in result.explanation


@pytest.mark.parametrize("objective", [math.nan, math.inf, -math.inf])
def test_explain_survives_a_non_finite_objective(objective: float) -> None:
    result = Result(status=Status.OPTIMAL, objective=objective, spec=ModelSpec.model_validate(MODEL))

    assert "n/a" not in explain(result) and explain(result).count("\n") >= 1


def test_every_new_code_is_registered() -> None:
    for code in (
        "solve.wrong-answer",
        "solve.re-solved",
        "solve.rescaled",
        "solve.tiny-coefficient",
        "solve.non-finite",
        "solve.infeasible-refuted",
        "solve.infeasible-unconfirmed",
    ):
        assert code in CODES
    assert Severity.ERROR  # the codes above are emitted with the severities the pipeline maps


@pytest.mark.parametrize(("sense", "side"), [("maximize", "at most"), ("minimize", "at least")])
def test_an_optimum_within_a_mip_gap_says_how_far_the_best_value_can_be(sense: str, side: str) -> None:
    spec = {**MODEL, "objective": {"sense": sense, "expression": "3 * a + 2 * b"}}
    result = solve_spec(spec)
    result.best_bound, result.mip_gap = 12.001, 1e-4

    assert f"the best possible value is {side} 12.001, a gap of 0.01%" in explain(result)
    result.mip_gap = 0.0
    assert "gap" not in explain(result)


def test_a_solver_that_fails_on_a_priority_level_is_replaced_by_highs(use) -> None:
    use(claiming(TerminationReason.ERROR))
    goals = {
        **MODEL,
        "objective": None,
        "objectives": [
            {"name": "first", "priority": 1, **MODEL["objective"]},
            {"name": "second", "priority": 2, **MODEL["objective"]},
        ],
    }

    result = solve_spec(goals, backend="fake")

    assert result.status is Status.OPTIMAL and result.verified and result.objective == pytest.approx(OPTIMUM)
    assert result.backend == "highs" and [level.value for level in result.levels] == pytest.approx(
        [OPTIMUM] * 2
    )
    assert "solve.fallback" in [d.code for d in result.diagnostics]


# --- a MIP point that only its tolerances let pass: polished, or refuted -----------------------

WHOLE: dict[str, Any] = {
    "name": "whole crates",
    "variables": [{"name": "a", "domain": "integer", "upper": 10}, {"name": "b", "upper": 10}],
    "objective": {"sense": "maximize", "expression": "3 * a + 2 * b"},
    "constraints": [{"name": "room", "expression": "a + b <= 4.5"}],
}
"""By hand: a = 4, b = 0.5 gives 13; a = 4.5 is not whole, so no more."""


def test_a_mip_point_the_verifier_rejects_is_polished_with_its_integers_fixed(use, monkeypatch) -> None:
    use(claiming_optimum([4.0 + 4e-7, 0.5 - 4e-7]))  # within the integrality tolerance
    real = pipeline.verify
    off = Diagnostic(code="verify.integrality", stage=Stage.VERIFY, message="a is not whole")

    def exact(model, values, **kwargs):  # a verifier as strict as a person checking the numbers
        return [off] if float(values["a"]) != round(float(values["a"])) else real(model, values, **kwargs)

    monkeypatch.setattr(pipeline, "verify", exact)

    result = solve_spec(WHOLE, backend="fake")

    assert result.status is Status.OPTIMAL and result.verified
    assert result.values == {"a": 4.0, "b": pytest.approx(0.5)} and result.objective == pytest.approx(13.0)
    assert "solve.polished" in [d.code for d in result.diagnostics]


def test_values_that_break_an_infeasible_mip_are_refuted_by_highs(use) -> None:
    impossible = {
        **WHOLE,
        "constraints": [
            {"name": "between", "expression": "a >= 2.2"},
            {"name": "below", "expression": "a <= 2.8"},
        ],
    }
    use(claiming_optimum([2.5, 0.0]))  # no whole number lies between 2.2 and 2.8

    result = solve_spec(impossible, backend="fake")

    codes = [d.code for d in result.diagnostics]
    assert result.status is Status.INFEASIBLE and not result.verified and not result.values
    assert "solve.point-refuted" in codes and "solve.polished" not in codes


AMPLIFIED: dict[str, Any] = {
    "name": "a big-M that amplifies tolerances",
    "variables": [{"name": "z", "domain": "binary"}, {"name": "x", "upper": 1}],
    "objective": {"sense": "maximize", "expression": "x"},
    "constraints": [
        {"name": "needs", "expression": "x + 200000 * z >= 200000.5"},
        {"name": "cap", "expression": "x <= 0.4"},
    ],
}
"""By hand: z = 0 needs x >= 200000.5, z = 1 needs x >= 0.5 > 0.4: infeasible. Yet z = 1, x = 0.4
misses ``needs`` by 0.1, inside a row tolerance scaled by 200000.5."""


def test_a_re_solve_point_that_holds_only_through_tolerances_does_not_overturn_infeasible(use) -> None:
    def answer(prog: LinearProgram, opts: SolveOptions) -> Solution:
        if not prog.is_mip:  # the point's LP with its integers fixed: HiGHS judges it
            return get_backend("highs").solve(prog, opts)
        if not opts.safe:
            return assemble(prog, "fake", Termination(TerminationReason.INFEASIBLE), None)
        return assemble(prog, "fake", Termination(TerminationReason.OPTIMAL), np.array([1.0, 0.4]))

    use(answer)

    result = solve_spec(AMPLIFIED, backend="fake")

    assert result.status is Status.INFEASIBLE and not result.values
    resolved = next(d for d in result.diagnostics if d.code == "solve.re-solved")
    assert "not trusted over the first answer" in resolved.message


# --- a search that may never end --------------------------------------------------------------

NO_INTEGER_POINT: dict[str, Any] = {
    "name": "odd",
    "variables": [
        {"name": "x", "domain": "integer", "lower": -2},
        {"name": "y", "domain": "integer", "lower": -2},
    ],
    "objective": {"sense": "minimize", "expression": "2 * x"},
    "constraints": [{"name": "half", "expression": "2 * x - y == 0.5"}],
}
"""``2 x - y`` is a whole number, never 0.5; with no upper bounds the bundled CBC branches forever
(the differential run's seed 80723)."""


def test_a_mip_with_no_integer_point_and_unbounded_integers_is_settled_before_the_search(use) -> None:
    fake = use(lying)

    result = solve_spec(NO_INTEGER_POINT, backend="fake")

    assert fake.calls == 0  # never started
    assert result.status is Status.INFEASIBLE and result.backend == "highs"
    assert "solve.settled-first" in [d.code for d in result.diagnostics]
    assert "diagnose.conflict" in [d.code for d in result.diagnostics]


def test_a_feasible_mip_with_unbounded_integers_is_still_solved_by_the_chosen_backend(use) -> None:
    spec = {**NO_INTEGER_POINT, "constraints": [{"name": "whole", "expression": "2 * x - y == 1"}]}
    fake = use(lambda prog, opts: get_backend("highs").solve(prog, opts))

    result = solve_spec(spec, backend="fake")

    assert fake.calls == 1 and result.backend == "fake" and result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(0.0)  # y = 2x - 1 >= -2 needs x >= -1/2: x = 0, y = -1


@pytest.mark.skipif("pulp" not in available_backends(), reason="PuLP (CBC) is not installed")
def test_cbc_answers_a_mip_with_no_integer_point_instead_of_searching_forever() -> None:
    import subprocess
    import sys

    code = f"from nl2opt import solve_spec; print(solve_spec({NO_INTEGER_POINT!r}, backend='pulp').status.value)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip().splitlines()[-1] == "infeasible"


def test_values_only_the_spec_verifier_rejects_are_replaced_by_highs_verified_answer(
    use, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A MIP point the program check passes but the spec's own evaluator rejects (an `exactly`
    held only through a big-M's tolerance, SCIP in the differential run, seed 105489), which
    polishing cannot repair: HiGHS answers, and the answer says whose it is."""
    whole = {**MODEL, "variables": [{**v, "domain": "integer"} for v in MODEL["variables"]]}
    use(lambda prog, _: assemble(prog, "fake", Termination(TerminationReason.OPTIMAL), np.array([3.0, 1.0])))
    real = pipeline.verify
    broken = Diagnostic(code="verify.constraint-violated", stage=Stage.VERIFY, message="c2: 2 of its items hold")

    def picky(model: Any, values: Any, **kwargs: Any) -> list[Diagnostic]:
        return [broken] if float(values["a"]) == 3.0 else real(model, values, **kwargs)

    monkeypatch.setattr(pipeline, "verify", picky)

    result = solve_spec(whole, backend="fake")

    assert result.status is Status.OPTIMAL and result.verified and result.objective == pytest.approx(OPTIMUM)
    assert result.backend == "highs"
    [note] = [d for d in result.diagnostics if d.code == "solve.fallback"]
    assert "fake" in note.message and "c2: 2 of its items hold" in note.message
