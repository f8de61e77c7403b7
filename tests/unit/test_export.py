"""Exports: LP/MPS files read back by HiGHS and CBC and the generated PuLP script reach solve_spec's optimum.

The models are every golden model whose recorded status is optimal, the JSON examples,
and a few specs below that reach the corners of the writers (logic and abs columns,
ranges, free and negative bounds, an objective constant, names that are LP keywords
or Python builtins, names that Python folds together under NFKC, hostile descriptions).
The oracle is always another program reading the exported file: HiGHS, the CBC binary
that PuLP bundles, or Python running the script.
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

NAMES: dict[str, Any] = {
    "name": "names Python would fold together",
    "variables": [
        {"name": "x", "upper": 100},
        *(
            {"name": name, "upper": 1}
            for name in ["ｘ", "ｐｒｉｎｔ", "ｐｕｌｐ", "ｌａｍｂｄａ", "__builtins__", "__name__", "ｐｒｏｂ",
                         "ｒｅｐｏｒｔ", "decisions", "match", "_", "ｄｅｃｉｓｉｏｎｓ"]
        ),
    ],
    "objective": {"sense": "maximize", "expression": "x"},
    "constraints": [{"name": "cap", "expression": "x <= 50"}],
}
"""Optimum 50; a script that lets ``ｘ`` rebind ``x`` (upper 1) finds 1, one that shadows ``print`` crashes."""

COMMAS: dict[str, Any] = {
    "name": "members with commas",
    "sets": [{"name": "A", "elements": [["a", "b,c"], ["a,b", "c"]]}],
    "parameters": [{"name": "t", "index": ["A"], "values": [1, 3]}],
    "variables": [{"name": "x", "index": ["A"], "lower": -10, "upper": 10}],
    "objective": {"sense": "maximize", "expression": "sum(x[i, j] for (i, j) in A)"},
    "constraints": [{"name": "k", "for": ["(i, j) in A"], "expression": "abs(x[i, j]) <= t[i, j]"}],
}
"""Optimum 1 + 3 = 4. Both abs helper columns are named 'abs#1[a,b,c]': keyed by that name, the
script's ``aux`` dict kept one of them and found 2."""

OWN = {"transport": TRANSPORT, "facility": FACILITY, "keywords": KEYWORDS, "names": NAMES, "commas": COMMAS}


def _golden_models() -> dict[str, str]:
    """Golden model files whose recorded status is optimal (all of them if no optima file yet), but
those with several priority levels."""
    models = sorted((GOLDEN / "models").glob("*.json"))
    optima_path = GOLDEN / "optima.json"
    optima: dict[str, Any] = json.loads(optima_path.read_text(encoding="utf-8")) if optima_path.exists() else {}
    chosen = {}
    for path in models:
        entry = optima.get(path.stem, optima.get(path.name))
        status = entry.get("status") if isinstance(entry, dict) else entry
        if optima and status != "optimal":
            continue
        if isinstance(entry, dict) and len(entry.get("levels", [])) > 1:
            continue  # priority levels: exports refuse them (tests/unit/test_priorities.py)
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


def _file_optimum(spec: ModelSpec, optimum: float, suffix: str) -> float:
    """The optimum a solver reading the file must find: an MPS maximisation is written negated."""
    return -optimum if suffix == ".mps" and spec.objective.sense.value == "maximize" else optimum


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
    assert _close(h.getInfo().objective_function_value, _file_optimum(spec, optimum, suffix))


def _cbc() -> str:
    pulp = pytest.importorskip("pulp")
    path = getattr(getattr(pulp.apis.coin_api, "PULP_CBC_CMD", None), "pulp_cbc_path", None)
    if not path or not Path(path).exists():
        pytest.skip("PuLP's bundled CBC binary is not available")
    return str(path)


def _cbc_optimum(path: Path) -> float:
    """CBC's own reading of an LP or MPS file: the objective of its solution file."""
    solution = path.with_suffix(".sol")
    run = subprocess.run([_cbc(), str(path), "-solve", "-solu", str(solution)], capture_output=True, text=True,
                         timeout=60, cwd=path.parent)
    assert run.returncode == 0, run.stdout[-2000:]
    head = solution.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("Optimal"), head
    return float(head.rsplit(maxsplit=1)[-1])


def _linear_only(spec: ModelSpec) -> None:
    """CBC and PuLP solve linear models; a QP's export is checked by HiGHS reading it back."""
    from nl2opt.lower import lower

    program, _ = lower(spec)
    if program is not None and program.is_quadratic:
        pytest.skip("a quadratic model: CBC and PuLP are linear")


def test_mps_read_by_cbc_has_the_same_optimum(case: tuple[ModelSpec, float], tmp_path: Path) -> None:
    spec, optimum = case
    _linear_only(spec)
    path = tmp_path / "model.mps"
    path.write_text(to_mps(spec), encoding="utf-8")
    assert _close(_cbc_optimum(path), _file_optimum(spec, optimum, ".mps"))


def test_lp_read_by_cbc_keeps_integrality(case: tuple[ModelSpec, float], tmp_path: Path) -> None:
    """HiGHS heads the integer sections ``gen``/``bin``, which CBC does not know; the export renames them.

    CBC drops the objective constant of an LP file it reads as a minimisation, and fails on
    several unused columns, so those models are left out (their MPS files are tested above).
    """
    from nl2opt.lower import lower

    spec, optimum = case
    _linear_only(spec)
    program, _ = lower(spec)
    if program is None or program.offset:
        pytest.skip("an objective constant: CBC's LP reader drops it (the MPS file carries it)")
    if ((program.c == 0) & (program.A.getnnz(axis=0) == 0)).any():
        pytest.skip("a column in no row and not in the objective: CBC's LP reader fails on several of those")
    path = tmp_path / "model.lp"
    path.write_text(to_lp(spec), encoding="utf-8")
    assert _close(_cbc_optimum(path), optimum)


def test_mps_of_a_maximisation_says_it_is_negated() -> None:
    spec = ModelSpec.model_validate(KEYWORDS)
    text = to_mps(spec)
    assert text.startswith("*") and "negated" in text.split("NAME", 1)[0]
    body = [line for line in text.splitlines() if not line.startswith("*")]
    assert "OBJSENSE" not in body, "CBC ignores OBJSENSE; the file must not depend on it"


def test_generated_script_prints_the_same_optimum(case: tuple[ModelSpec, float], tmp_path: Path) -> None:
    spec, optimum = case
    _linear_only(spec)
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


def test_script_names_are_ascii_distinct_and_shadow_nothing() -> None:
    """Python folds identifiers with NFKC: each variable needs an ASCII name of its own."""
    import builtins
    import keyword

    script = to_python_script(ModelSpec.model_validate(NAMES))
    assigned = [
        target.id
        for node in ast.parse(script).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    variables = [n for n in assigned if n not in {"prob", "decisions"}]
    assert len(variables) == len(NAMES["variables"]) == len(set(variables))
    for name in variables:
        assert name.isascii() and name.isidentifier(), name
        assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name), name
        assert not hasattr(builtins, name) and not name.startswith("__"), name
        assert name not in {"pulp", "prob", "aux", "decisions", "report"}, name


HOSTILE = next(
    (p / "repro" / "hostile-input" for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if p.exists()),
    ROOT.parent / "shared" / "repro" / "hostile-input",
)
"""The shared reproducers: ``../shared`` beside the repository (or beside a worktree's folder)."""


@pytest.mark.parametrize(
    "name", ["nfkc_alias", "nfkc_keyword", "nfkc_shadow_print", "nfkc_shadow_pulp", "dunder_builtins", "mps_max"]
)
def test_reproducer_script_solves_to_nl2opts_optimum(name: str, tmp_path: Path) -> None:
    source = HOSTILE / f"{name}.json"
    if not source.exists():
        pytest.skip(f"{source} is not here (the shared reproducers live beside the repository)")
    spec = ModelSpec.model_validate_json(source.read_text(encoding="utf-8"))
    reference = solve_spec(spec)
    assert reference.status is Status.OPTIMAL and reference.objective is not None
    path = tmp_path / "model.py"
    path.write_text(to_python_script(spec), encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    found = re.search(r"^Objective: (\S+)$", run.stdout, re.MULTILINE)
    assert found and _close(float(found.group(1)), reference.objective), run.stdout


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


FORMULAS: dict[str, Any] = {
    "name": "cells",
    "sets": [{"name": "F", "elements": ['=HYPERLINK("http://127.0.0.1:9/?x="&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0",
                                         "+1+1", "-2+3", "\tTAB", "\rCR", "-5", "plain"]}],
    "variables": [{"name": "y", "index": ["F"], "upper": 1}],
    "objective": {"sense": "maximize", "expression": "sum(y[f] for f in F)"},
}


def test_csv_cells_a_spreadsheet_would_run_are_text() -> None:
    result = solve_spec(ModelSpec.model_validate(FORMULAS))
    assert result.status is Status.OPTIMAL
    rows = list(csv.reader(io.StringIO(values_csv(result))))[1:]
    cells = [cell for row in rows for cell in row[:2]]
    assert len(rows) == 8
    for cell in cells:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # only a plain number may start with a sign
    indices = {row[1] for row in rows if row[0] == "y"}
    assert "'+1+1" in indices and "'-2+3" in indices and "'\tTAB" in indices and "-5" in indices
    assert "plain" in indices
