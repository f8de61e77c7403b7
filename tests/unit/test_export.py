"""Exports: LP/MPS files read back by HiGHS and the generated PuLP script reach solve_spec's optimum.

The models are every golden model whose recorded status is optimal, the JSON examples,
and a few specs below that reach the corners of the writers (logic and abs columns,
ranges, free and negative bounds, an objective constant, names that are LP keywords
or Python builtins, hostile descriptions).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nl2opt import ModelSpec, Status, solve_spec
from nl2opt.export import safe_names, to_lp, to_mps, to_python_script, values_csv

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "golden"

TRANSPORT: dict[str, Any] = {
    "name": "transport",
    "description": "Ship from plants to markets at least cost.",
    "sets": [
        {"name": "Plants", "elements": ["Seattle", "San Diego"]},
        {"name": "Markets", "elements": ["New-York", "Chicago", "Topeka"]},
    ],
    "parameters": [
        {"name": "supply", "index": ["Plants"], "values": [350, 600]},
        {"name": "demand", "index": ["Markets"], "values": [325, 300, 275]},
        {"name": "cost", "index": ["Plants", "Markets"], "values": [[2.5, 1.7, 1.8], [2.5, 1.8, 1.4]]},
    ],
    "variables": [{"name": "ship", "index": ["Plants", "Markets"], "description": "cases shipped"}],
    "objective": {
        "sense": "minimize",
        "expression": "sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)",
        "description": "total shipping cost",
    },
    "constraints": [
        {"name": "supply_limit", "for": ["i in Plants"], "expression": "sum(ship[i, j] for j in Markets) <= supply[i]"},
        {"name": "meet_demand", "for": ["j in Markets"], "expression": "sum(ship[i, j] for i in Plants) >= demand[j]"},
    ],
}

FACILITY: dict[str, Any] = {
    "name": "facility with logic",
    "description": "Open facilities\nimport os  # a description that tries to break out of its comment",
    "sets": [{"name": "F", "elements": ["a", "b", "c"]}, {"name": "C", "range": {"start": 1, "stop": 4}}],
    "parameters": [
        {"name": "fixed", "index": ["F"], "values": [100, 120, 90]},
        {"name": "cap", "index": ["F"], "values": [50, 60, 40]},
        {"name": "dem", "index": ["C"], "values": [20, 25, 15, 30]},
        {"name": "cost", "index": ["F", "C"], "values": [[2, 3, 4, 5], [3, 2, 5, 4], [4, 4, 2, 3]]},
    ],
    "variables": [
        {"name": "open", "index": ["F"], "domain": "binary", "description": "'''\"\"\" quotes"},
        {"name": "ship", "index": ["F", "C"], "upper": 60},
        {"name": "dev", "lower": None, "upper": 100},
        {"name": "print", "domain": "integer", "upper": 10},
    ],
    "objective": {
        "sense": "minimize",
        "expression": "sum(fixed[f] * open[f] for f in F) + sum(cost[f, c] * ship[f, c] for f in F for c in C)"
        " + abs(dev) + print + 7",
    },
    "constraints": [
        {"name": "demand", "for": ["c in C"], "expression": "sum(ship[f, c] for f in F) == dem[c]"},
        {"name": "closed", "for": ["f in F"], "expression": "implies(open[f] == 0, sum(ship[f, c] for c in C) <= 0)"},
        {"name": "capacity", "for": ["f in F"], "expression": "sum(ship[f, c] for c in C) <= cap[f]"},
        {"name": "dev_def", "expression": "dev == ship['a', 1] - 10"},
        {"name": "range", "expression": "2 <= print + ship['b', 2] <= 30"},
        {"name": "few", "expression": "at_most(2, [open['a'], open['b'], open['c']])"},
    ],
}

KEYWORDS: dict[str, Any] = {
    "name": "end",
    "variables": [
        {"name": "free", "lower": -5, "upper": 8},
        {"name": "inf", "domain": "integer", "upper": 7},
        {"name": "x1", "lower": None},
    ],
    "objective": {"sense": "maximize", "expression": "3 * free + 2 * inf - x1 + 12.5"},
    "constraints": [
        {"name": "st", "expression": "free + inf <= 12.25"},
        {"name": "bounds", "expression": "x1 >= -3"},
        {"name": "min", "expression": "x1 + free >= -20"},
    ],
}

OWN = {"transport": TRANSPORT, "facility": FACILITY, "keywords": KEYWORDS}


def _golden_models() -> dict[str, str]:
    """Golden model files whose recorded status is optimal (all of them if no optima file yet)."""
    models = sorted((GOLDEN / "models").glob("*.json"))
    optima_path = GOLDEN / "optima.json"
    optima: dict[str, Any] = json.loads(optima_path.read_text(encoding="utf-8")) if optima_path.exists() else {}
    chosen = {}
    for path in models:
        entry = optima.get(path.stem, optima.get(path.name))
        status = entry.get("status") if isinstance(entry, dict) else entry
        if optima and status != "optimal":
            continue
        chosen[f"golden/{path.stem}"] = path.read_text(encoding="utf-8")
    return chosen


def _cases() -> dict[str, str]:
    cases = {f"own/{k}": json.dumps(v) for k, v in OWN.items()}
    cases.update(_golden_models())
    cases.update({f"examples/{p.stem}": p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.json"))})
    return cases


CASES = _cases()


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[ModelSpec, float]:
    """A spec and its optimum according to solve_spec."""
    spec = ModelSpec.model_validate_json(CASES[request.param])
    reference = solve_spec(spec)
    if reference.status is not Status.OPTIMAL:
        pytest.skip(f"solve_spec gives {reference.status.value}, not optimal")
    assert reference.objective is not None
    return spec, reference.objective


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


@pytest.mark.parametrize("write, suffix", [(to_lp, ".lp"), (to_mps, ".mps")], ids=["lp", "mps"])
def test_file_read_back_by_highs_has_the_same_optimum(
    case: tuple[ModelSpec, float], write: Any, suffix: str, tmp_path: Path
) -> None:
    import highspy

    spec, optimum = case
    path = tmp_path / f"model{suffix}"
    path.write_text(write(spec), encoding="utf-8")
    h = highspy.Highs()
    h.silent()
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    assert _close(h.getInfo().objective_function_value, optimum)


def test_generated_script_prints_the_same_optimum(case: tuple[ModelSpec, float], tmp_path: Path) -> None:
    spec, optimum = case
    script = to_python_script(spec)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(script))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"pulp"}, "the script must stand alone"
    path = tmp_path / "model.py"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    found = re.search(r"^Objective: (\S+)$", run.stdout, re.MULTILINE)
    assert found, run.stdout
    assert _close(float(found.group(1)), optimum)
    assert "Status: Optimal" in run.stdout


def test_lp_uses_the_spec_names_made_safe() -> None:
    text = to_lp(ModelSpec.model_validate(TRANSPORT))
    assert "ship_San_Diego_New_York" in text
    assert "supply_limit_Seattle:" in text
    assert "[" not in text.split("\n", 1)[1]


def test_keyword_names_are_renamed_in_lp() -> None:
    text = to_lp(ModelSpec.model_validate(KEYWORDS))
    assert re.search(r"\bn_free\b", text) and re.search(r"\bn_st:", text)


def test_script_keeps_spec_names_and_stays_one_line_per_comment() -> None:
    script = to_python_script(ModelSpec.model_validate(FACILITY))
    assert "open_ = {" in script and "print_ = pulp.LpVariable" in script
    assert "ship['a', 1]" in script
    assert "\nimport os" not in script
    assert "aux = {" in script


def test_script_prints_nonzero_decisions_by_spec_name(tmp_path: Path) -> None:
    path = tmp_path / "transport.py"
    path.write_text(to_python_script(ModelSpec.model_validate(TRANSPORT)), encoding="utf-8")
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60).stdout
    assert "ship[Seattle,Chicago] = 300" in out
    assert "ship[San Diego,New-York] = 325" in out


def test_safe_names_are_unique_and_legal() -> None:
    names = safe_names(["x[a,b]", "x[a b]", "1st", "e", "end", "", "ünï", "x_a_b", "y" * 300])
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n) for n in names)
    assert names[:4] == ["x_a_b", "x_a_b_2", "n_1st", "e"]
    assert names[4] == "n_end"
    assert all(len(n) <= 255 for n in names)


def test_invalid_spec_is_refused_with_its_errors() -> None:
    broken = dict(TRANSPORT, objective={"sense": "minimize", "expression": "sum(price[i] for i in Plants)"})
    with pytest.raises(ValueError, match="price"):
        to_lp(ModelSpec.model_validate(broken))


def test_values_csv_lists_every_decision() -> None:
    result = solve_spec(ModelSpec.model_validate(FACILITY))
    rows = list(csv.DictReader(io.StringIO(values_csv(result))))
    assert set(rows[0]) == {"variable", "index", "value"}
    by_key = {(r["variable"], r["index"]): float(r["value"]) for r in rows}
    assert by_key[("ship", "a,1")] == pytest.approx(20)
    assert by_key[("print", "")] == pytest.approx(2)
    assert len(rows) == 3 + 12 + 2
