"""Every bug class the differential suite found, as a minimal case on every backend.

The oracle is held to the hand-derived answer first (so a broken oracle cannot hide a
bug), then each backend's answer is judged like a generated case's.
"""

from __future__ import annotations

import pytest

from nl2opt.backends import available_backends, backend_names
from tests.differential.compare import judge_one, same_objective, solve
from tests.differential.oracle import branch_optimum, enumerate_optimum, is_quadratic, truth
from tests.differential.regressions import REGRESSIONS, Regression


def _params() -> list:
    out = []
    for r in REGRESSIONS:
        for backend in backend_names():
            marks = []
            if backend in r.open_on:
                marks.append(pytest.mark.xfail(strict=True, reason=f"open bug: {r.bug}"))
            out.append(pytest.param(r, backend, marks=marks, id=f"{r.name}-{backend}"))
    return out


def _same(got, expected) -> bool:
    if got.status != expected.status:
        return False
    return expected.objective is None or same_objective(got.objective, expected.objective)


@pytest.mark.parametrize("regression", REGRESSIONS, ids=[r.name for r in REGRESSIONS])
def test_the_oracle_derives_the_hand_worked_answer(regression: Regression) -> None:
    found = truth(regression.case)
    assert _same(found, regression.expected), found
    enumerated = enumerate_optimum(regression.case)
    if enumerated.status != "unknown":  # both oracles, where both apply, agree
        assert _same(enumerated, regression.expected), enumerated
        if not (regression.case.goals or is_quadratic(regression.case)):  # the pieces are linear
            assert _same(branch_optimum(regression.case), regression.expected)


@pytest.mark.parametrize(("regression", "backend"), _params())
def test_backend_answers_the_regression_case_right(regression: Regression, backend: str) -> None:
    if backend not in available_backends():
        pytest.skip(f"backend {backend!r} is not installed (pip install nl2opt[{backend}])")
    outcome = solve(regression.case, backend)
    problems = judge_one(regression.case, regression.expected, outcome)
    assert not problems, f"{regression.bug}\n{outcome}\n{problems}"
