"""Regression: every solver-correctness reproducer gives its expected answer on every installed backend.

The reproducers were found by differential testing against brute force (issue 9); they
live in the shared folder beside the repository (``../shared/repro/solver-correctness``,
never copied here), with the expected outcome of each in ``expected.json``: the status,
for "optimal" the objective (relative 1e-6) with a verified answer, and for "invalid"
the diagnostic code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nl2opt import solve_spec
from nl2opt.backends import available_backends, backend_names

ROOT = Path(__file__).resolve().parents[2]
FOLDER = next(
    (
        base / "shared" / "repro" / "solver-correctness"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared" / "repro" / "solver-correctness" / "expected.json").is_file()
    ),
    None,
)
EXPECTED: dict[str, dict[str, Any]] = (
    json.loads((FOLDER / "expected.json").read_text(encoding="utf-8")) if FOLDER else {}
)


def _cases() -> list[Any]:
    if FOLDER is None:
        return [
            pytest.param(None, None, marks=pytest.mark.skip(reason="../shared/repro is not on this machine"))
        ]
    cases = []
    for name in EXPECTED:
        for backend in backend_names():
            marks = []
            if backend not in available_backends():
                marks.append(pytest.mark.skip(reason=f"backend {backend!r} is not installed"))
            cases.append(pytest.param(name, backend, marks=marks, id=f"{Path(name).stem}-{backend}"))
    return cases


@pytest.mark.parametrize("name, backend", _cases())
def test_reproducer_gives_the_expected_answer(name: str, backend: str) -> None:
    assert FOLDER is not None
    expected = EXPECTED[name]

    result = solve_spec(FOLDER / name, backend=backend, time_limit=60)

    codes = [d.code for d in result.diagnostics]
    assert result.status.value == expected["status"], (codes, result.explanation)
    if expected["status"] == "optimal":
        assert result.verified and result.ok, result.explanation
        assert result.objective == pytest.approx(expected["objective"], rel=1e-6, abs=1e-9)
    if "code" in expected:
        assert expected["code"] in codes
    assert "diagnose.conflict" not in codes or expected["status"] == "infeasible"
