"""Golden models: classic problems with optima established independently, on every installed backend.

Optima live in optima.json and were computed from independent formulations (see README.md here);
they are never regenerated from nl2opt's own output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nl2opt
from nl2opt import Status

HERE = Path(__file__).parent
OPTIMA = json.loads((HERE / "optima.json").read_text()) if (HERE / "optima.json").exists() else {}
MODELS = sorted(HERE.glob("models/*.json"))


def test_suite_covers_the_classics() -> None:
    assert len(MODELS) >= 25
    assert {p.stem for p in MODELS} == set(OPTIMA)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_golden_model(path: Path, backend: str) -> None:
    expected = OPTIMA[path.stem]
    result = nl2opt.solve_spec(path, backend=backend, time_limit=60)
    if "class" in expected:  # quadratic and conic models: classified, and solved only where declared
        assert result.problem_class == expected["class"]
        if backend not in expected["solvable_by"]:
            assert result.status is Status.ERROR
            refusal = [d for d in result.diagnostics if d.code == "solve.capability"]
            assert refusal and any(name in refusal[0].message for name in expected["solvable_by"])
            return
    assert result.status.value == expected["status"], result.explanation
    if expected["status"] == Status.OPTIMAL:
        assert result.objective == pytest.approx(expected["objective"], rel=1e-6, abs=1e-6)
        assert result.verified, [str(d) for d in result.errors]
        for name, value in expected.get("reports", {}).items():
            assert result.reports[name] == pytest.approx(value, rel=1e-6, abs=1e-6), name
        levels = expected.get("levels", [])  # each priority level's value at the answer, first level first
        assert [level.value for level in result.levels] == pytest.approx(levels, rel=1e-6, abs=1e-6)
        answer = expected.get("answer", expected["objective"])
        assert result.answer == pytest.approx(answer, rel=1e-6, abs=1e-6)
    elif expected["status"] == Status.INFEASIBLE:
        assert "diagnose.conflict" in {d.code for d in result.diagnostics}
    elif expected["status"] == Status.UNBOUNDED:
        assert "diagnose.unbounded-ray" in {d.code for d in result.diagnostics}
