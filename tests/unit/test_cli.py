"""The nl2opt command for model files: readable by default, JSON on request, exit codes that script well."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nl2opt.cli import app

runner = CliRunner()

PRODUCT_MIX = {
    "variables": [{"name": "bread", "domain": "integer"}, {"name": "cakes", "domain": "integer"}],
    "objective": {"sense": "maximize", "expression": "3*bread + 2*cakes", "description": "profit"},
    "constraints": [
        {"name": "flour", "expression": "2*bread + cakes <= 100", "description": "100 kg of flour"},
        {"name": "cake_sales", "expression": "cakes <= 30", "description": "at most 30 cakes sell"},
    ],
}


def _write(tmp_path: Path, doc: dict | str) -> Path:
    path = tmp_path / "model.json"
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def test_solve_spec_prints_a_readable_report(tmp_path: Path) -> None:
    out = runner.invoke(app, ["solve-spec", str(_write(tmp_path, PRODUCT_MIX))])
    assert out.exit_code == 0, out.output
    assert "status: optimal" in out.output
    assert "objective: 165" in out.output
    assert "bread = 35" in out.output


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_solve_spec_json_is_the_result(tmp_path: Path, backend: str) -> None:
    out = runner.invoke(app, ["solve-spec", str(_write(tmp_path, PRODUCT_MIX)), "--json", "--backend", backend])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["objective"] == 165 and doc["values"] == {"bread": 35.0, "cakes": 30.0}


@pytest.mark.parametrize(
    "content, code",
    [
        ("{not json", "spec.invalid-json"),
        ({"variables": [{"name": "x"}], "objective": {"sense": "sideways", "expression": "x"}}, "spec.schema"),
        ({"variables": [{"name": "x"}], "objective": {"sense": "minimize", "expression": "x + y"}},
         "check.undefined-name"),
        ({"variables": [{"name": "x"}], "objective": {"sense": "minimize", "expression": "x"},
          "constraints": [{"name": "a", "expression": "x >= 5"}, {"name": "b", "expression": "x <= 3"}]},
         "diagnose.conflict"),
    ],
    ids=["malformed-json", "schema", "unknown-name", "infeasible"],
)
def test_bad_models_end_in_a_result_not_a_traceback(tmp_path: Path, content, code: str) -> None:
    out = runner.invoke(app, ["solve-spec", str(_write(tmp_path, content)), "--json"])
    assert out.exit_code == 1, out.output
    assert code in [d["code"] for d in json.loads(out.stdout)["diagnostics"]]


@pytest.mark.parametrize(
    "args, message",
    [(["solve-spec", "missing.json"], "no such file"), (["solve-spec", "{}", "--backend", "gurobi"], "unknown backend")],
)
def test_usage_errors_exit_2_with_advice(tmp_path: Path, args: list[str], message: str) -> None:
    if args[1] == "{}":
        args[1] = str(_write(tmp_path, PRODUCT_MIX))
    out = runner.invoke(app, args)
    assert out.exit_code == 2
    assert message in out.output


def test_schema_command_prints_the_strict_schema() -> None:
    out = runner.invoke(app, ["schema"])
    assert json.loads(out.stdout)["additionalProperties"] is False


def test_a_bug_is_one_clear_line_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import sys

    import nl2opt
    from nl2opt.cli import main

    def broken(*args, **kwargs):
        raise RuntimeError("simulated defect")

    monkeypatch.setattr(nl2opt, "solve_spec", broken)
    monkeypatch.setattr(sys, "argv", ["nl2opt", "solve-spec", str(_write(tmp_path, PRODUCT_MIX))])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated defect" in err and "Traceback" not in err
