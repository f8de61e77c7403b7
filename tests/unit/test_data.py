"""Data by reference: sets and parameters read from tables that travel beside the spec.

The small transport case is solved by hand: lanes A-X 2, A-Y 4, B-Y 1, B-Z 5; supply A 30,
B 40; demand X 20, Y 25, Z 15. X can only come from A (20 x 2 = 40), Z only from B
(15 x 5 = 75), and B's remaining 25 cover Y at 1 (25): the optimum is 140.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import nl2opt
from nl2opt.check import check
from nl2opt.cli import app
from nl2opt.diagnostics import CODES, Severity
from nl2opt.spec import ModelSpec
from nl2opt.symbols import build_symbols
from nl2opt.tables import load_tables

pd = pytest.importorskip("pandas")

LANES = [
    {"origin": "A", "dest": "X", "cost": 2},
    {"origin": "A", "dest": "Y", "cost": 4},
    {"origin": "B", "dest": "Y", "cost": 1},
    {"origin": "B", "dest": "Z", "cost": 5},
]
PLANTS = [{"plant": "A", "supply": 30}, {"plant": "B", "supply": 40}]
MARKETS = [{"market": "X", "demand": 20}, {"market": "Y", "demand": 25}, {"market": "Z", "demand": 15}]
OPTIMUM = 140.0

SPEC: dict[str, Any] = {
    "name": "lanes",
    "sets": [
        {"name": "Plants", "from": {"table": "plants", "column": "plant"}},
        {"name": "Markets", "from": {"table": "markets", "column": "market"}},
        {"name": "Lanes", "from": {"table": "lanes", "column": ["origin", "dest"]}},
    ],
    "parameters": [
        {
            "name": "supply",
            "index": ["Plants"],
            "from": {"table": "plants", "key": ["plant"], "value": "supply"},
        },
        {
            "name": "demand",
            "index": ["Markets"],
            "from": {"table": "markets", "key": ["market"], "value": "demand"},
        },
        {
            "name": "cost",
            "index": ["Lanes"],
            "from": {"table": "lanes", "key": ["origin", "dest"], "value": "cost"},
        },
    ],
    "variables": [{"name": "ship", "index": ["Lanes"]}],
    "objective": {"sense": "minimize", "expression": "sum(cost[o, d] * ship[o, d] for (o, d) in Lanes)"},
    "constraints": [
        {
            "name": "stock",
            "for": ["p in Plants"],
            "expression": "sum(ship[o, d] for (o, d) in Lanes if o == p) <= supply[p]",
        },
        {
            "name": "meet",
            "for": ["m in Markets"],
            "expression": "sum(ship[o, d] for (o, d) in Lanes if d == m) >= demand[m]",
        },
    ],
}


def _data(**changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {"lanes": LANES, "plants": PLANTS, "markets": MARKETS, **changes}


def _codes(diagnostics: list) -> list[str]:
    return [d.code for d in diagnostics]


def _check(spec: dict[str, Any] = SPEC, **changes: list[dict[str, Any]]) -> list:
    tables, problems = load_tables(_data(**changes))
    assert problems == []
    return check(ModelSpec.model_validate(spec), tables=tables)


# -- the spec ---------------------------------------------------------------------------------------
def test_a_spec_that_binds_by_reference_stays_small_and_round_trips() -> None:
    spec = ModelSpec.model_validate(SPEC)

    text = spec.to_json(indent=None)

    assert '"from":{"table":"lanes","column":["origin","dest"]}' in text
    assert ModelSpec.from_json(text) == spec
    assert spec.sets[2].width == 2


def test_sets_take_distinct_values_in_order_of_first_appearance() -> None:
    rows = [{"o": "B", "d": "Y"}, {"o": "A", "d": "X"}, {"o": "B", "d": "Y"}, {"o": "B", "d": "Z"}]
    spec = ModelSpec.model_validate(
        {
            "sets": [
                {"name": "Origins", "from": {"table": "t", "column": "o"}},
                {"name": "Pairs", "from": {"table": "t", "column": ["o", "d"]}},
            ],
            "variables": [{"name": "x", "index": ["Pairs"]}],
            "objective": {"sense": "minimize", "expression": "sum(x[o, d] for (o, d) in Pairs)"},
        }
    )
    tables, _ = load_tables({"t": rows})

    symbols = build_symbols(spec, tables)

    assert symbols.sets["Origins"].members == ["B", "A"]
    assert symbols.sets["Pairs"].members == [("B", "Y"), ("A", "X"), ("B", "Z")]


def test_a_parameter_takes_the_stated_default_where_the_table_has_no_row() -> None:
    spec = dict(SPEC, sets=[*SPEC["sets"][:2]], variables=[{"name": "ship", "index": ["Plants", "Markets"]}])
    spec["parameters"] = [
        *SPEC["parameters"][:2],
        {
            "name": "cost",
            "index": ["Plants", "Markets"],
            "value": 99,
            "from": {"table": "lanes", "key": ["origin", "dest"], "value": "cost"},
        },
    ]
    tables, _ = load_tables(_data())

    cost = build_symbols(ModelSpec.model_validate(spec), tables).params["cost"].values

    assert cost.tolist() == [[2, 4, 99], [99, 1, 5]]


# -- solving, from every kind of table -----------------------------------------------------------
def _as(kind: str, rows: list[dict[str, Any]], tmp_path: Path, name: str) -> Any:
    frame = pd.DataFrame(rows)
    if kind == "rows":
        return rows
    if kind == "pandas":
        return frame
    if kind == "polars":
        return pytest.importorskip("polars").DataFrame(rows)
    path = tmp_path / f"{name}.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "xlsx":
        pytest.importorskip("openpyxl")
        frame.to_excel(path, index=False)
    else:
        pytest.importorskip("pyarrow")
        frame.to_parquet(path, index=False)
    return str(path)


@pytest.mark.parametrize("kind", ["rows", "pandas", "polars", "csv", "xlsx", "parquet"])
def test_the_hand_solved_transport_case_solves_from_every_kind_of_table(kind: str, tmp_path: Path) -> None:
    data = {name: _as(kind, rows, tmp_path, name) for name, rows in _data().items()}

    result = nl2opt.solve_spec(SPEC, data=data)

    assert result.status is nl2opt.Status.OPTIMAL, result.diagnostics
    assert result.verified
    assert result.objective == pytest.approx(OPTIMUM)
    assert result.value("ship", "B", "Y") == pytest.approx(25)


def test_the_result_records_each_table_by_name_rows_and_hash_not_its_rows() -> None:
    big = [{"origin": "A", "dest": "X", "cost": 2}] + [
        {"origin": f"P{k}", "dest": "Y", "cost": 1000 + k} for k in range(500)
    ]
    result = nl2opt.solve_spec(SPEC, data=_data(unused=big))

    text = result.to_json(indent=None)
    infos = {t.name: t for t in result.tables}

    assert infos["unused"].rows == 501 and infos["lanes"].rows == 4
    assert len(infos["lanes"].sha256) == 64 and infos["lanes"].sha256 != infos["unused"].sha256
    # the rows' own numbers as JSON numbers (a timing or a hash may hold the digits 1499)
    assert not re.search(r"(?<![\w.])1499(?![\w.])", text) and "P499" not in text
    same = nl2opt.solve_spec(SPEC, data=_data(lanes=pd.DataFrame(LANES)))
    assert {t.name: t.sha256 for t in same.tables}["lanes"] == infos["lanes"].sha256


def test_editing_one_cell_and_solving_again_changes_the_optimum_as_computed_by_hand() -> None:
    cheaper = [dict(r, cost=1) if (r["origin"], r["dest"]) == ("B", "Z") else r for r in LANES]

    result = nl2opt.solve_spec(SPEC, data=_data(lanes=cheaper))

    assert result.objective == pytest.approx(OPTIMUM - 15 * 4)


# -- checks name the table, the row and the column -------------------------------------------------
def test_a_missing_table_is_named_with_the_tables_given() -> None:
    result = nl2opt.solve_spec(SPEC, data={"plants": PLANTS, "markets": MARKETS})

    assert result.status is nl2opt.Status.INVALID
    missing = [d for d in result.errors if d.code == "data.missing-table"]
    assert missing and "'lanes'" in missing[0].message and "markets, plants" in missing[0].message


def test_a_missing_column_is_named_with_the_columns_there_are() -> None:
    rows = [{"origin": r["origin"], "dest": r["dest"], "price": r["cost"]} for r in LANES]

    found = _check(lanes=rows)

    [bad] = [d for d in found if d.code == "data.missing-column"]
    assert bad.where == "parameters[cost].from"
    assert "'cost'" in bad.message and "origin, dest, price" in bad.hint


def test_a_duplicate_key_names_the_table_and_the_row() -> None:
    found = _check(lanes=[*LANES, {"origin": "A", "dest": "Y", "cost": 7}])

    [dup] = [d for d in found if d.code == "data.duplicate-key"]
    assert dup.severity is Severity.ERROR
    assert "table 'lanes', row 5" in dup.message and "origin, dest" in dup.message


def test_a_non_numeric_cell_names_table_row_column_and_value() -> None:
    rows = [dict(r) for r in LANES]
    rows[2]["cost"] = "$1"

    found = _check(lanes=rows)

    [bad] = [d for d in found if d.code == "data.non-numeric"]
    assert bad.severity is Severity.ERROR
    assert "table 'lanes', row 3, column 'cost'" in bad.message and "'$1'" in bad.message


def test_a_blank_value_cell_names_table_row_and_column() -> None:
    rows = [dict(r) for r in LANES]
    rows[1]["cost"] = None

    found = _check(lanes=rows)

    [bad] = [d for d in found if d.code == "data.missing-cell"]
    assert "table 'lanes', row 2, column 'cost'" in bad.message


def test_a_key_not_in_the_set_names_the_row_and_the_key() -> None:
    found = _check(plants=[*PLANTS, {"plant": "C", "supply": 5}], lanes=LANES)
    assert "data.key-not-in-set" not in _codes(found)  # C is a plant with no lane: fine

    spec = json.loads(json.dumps(SPEC))
    spec["sets"][0] = {"name": "Plants", "elements": ["A", "B"]}
    found = _check(spec, plants=[*PLANTS, {"plant": "C", "supply": 5}])

    [bad] = [d for d in found if d.code == "data.key-not-in-set"]
    assert bad.severity is Severity.ERROR
    assert "table 'plants', row 3" in bad.message and "['C']" in bad.message and "Plants" in bad.message


def test_keys_the_table_lacks_without_a_default_are_counted_with_an_example() -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["sets"][0] = {"name": "Plants", "elements": ["A", "B", "C"]}

    found = _check(spec)

    [lack] = [d for d in found if d.code == "data.missing-key"]
    assert "1 of 3 members of supply" in lack.message and "['C']" in lack.message


def test_a_table_that_cannot_be_read_is_a_diagnostic_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_text("x")

    result = nl2opt.solve_spec(
        SPEC, data={"lanes": str(tmp_path / "nope.csv"), "plants": 7, "markets": str(tmp_path / "notes.docx")}
    )

    assert result.status is nl2opt.Status.INVALID
    assert _codes(result.errors) == ["data.unreadable"] * 3
    assert [d.where for d in result.errors] == ["tables[lanes]", "tables[plants]", "tables[markets]"]


def test_every_data_code_is_registered() -> None:
    assert {c for c in CODES if c.startswith("data.")} >= {
        "data.unreadable",
        "data.missing-table",
        "data.missing-column",
        "data.duplicate-key",
        "data.non-numeric",
        "data.missing-cell",
        "data.key-not-in-set",
        "data.missing-key",
    }


# -- formulators and the command line --------------------------------------------------------------
def _files(tmp_path: Path) -> list[str]:
    args = []
    for name, rows in _data().items():
        pd.DataFrame(rows).to_csv(tmp_path / f"{name}.csv", index=False)
        args += ["--data", f"{name}={tmp_path / f'{name}.csv'}"]
    return args


def test_the_cli_binds_tables_with_repeated_data_options(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))

    out = CliRunner().invoke(app, ["solve-spec", str(spec), *_files(tmp_path), "--json"])

    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["objective"] == pytest.approx(OPTIMUM)
    assert sorted(t["name"] for t in result["tables"]) == ["lanes", "markets", "plants"]


@pytest.mark.parametrize("bad", ["lanes", "=x.csv", "lanes="])
def test_a_malformed_data_option_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))

    out = CliRunner().invoke(app, ["solve-spec", str(spec), "--data", bad])

    assert out.exit_code == 2
    assert "name=path" in out.output


def test_the_cli_solve_reads_its_data_options(tmp_path: Path) -> None:
    missing = tmp_path / "lanes.csv"

    out = CliRunner().invoke(app, ["solve", "Minimise cost over the lanes.", "--data", f"lanes={missing}"])

    assert out.exit_code == 1
    assert "lanes.csv does not exist" in out.output


# -- exports embed the bound data ------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_lp_and_mps_files_of_a_table_bound_model_solve_to_the_hand_optimum(
    suffix: str, tmp_path: Path
) -> None:
    import highspy

    from nl2opt.export import to_lp, to_mps

    write = to_lp if suffix == ".lp" else to_mps
    path = tmp_path / f"model{suffix}"
    path.write_text(write(ModelSpec.model_validate(SPEC), data=_data()), encoding="utf-8")
    h = highspy.Highs()
    h.silent()
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()

    assert h.getInfo().objective_function_value == pytest.approx(OPTIMUM)


def test_the_pulp_script_embeds_the_tables_and_runs_without_them(tmp_path: Path) -> None:
    import subprocess
    import sys

    from nl2opt.export import to_python_script

    pytest.importorskip("pulp")
    script = to_python_script(ModelSpec.model_validate(SPEC), data=_data())
    path = tmp_path / "model.py"
    path.write_text(script, encoding="utf-8")

    run = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )

    assert run.returncode == 0, run.stderr
    assert f"Objective: {OPTIMUM:g}" in run.stdout
    assert "# Data: table lanes (4 rows, sha256 " in script


def test_exporting_without_the_tables_names_the_missing_table() -> None:
    from nl2opt.export import to_lp

    with pytest.raises(ValueError, match="no data table named 'lanes'"):
        to_lp(ModelSpec.model_validate(SPEC), data={"plants": PLANTS, "markets": MARKETS})


def test_table_uses_names_the_model_parts_each_column_feeds() -> None:
    uses = nl2opt.table_uses(ModelSpec.model_validate(SPEC))

    assert uses["lanes"]["cost"] == ["parameter cost (values)", "objective"]
    assert uses["lanes"]["origin"] == [
        "set Lanes",
        "objective",
        "constraint stock",
        "constraint meet",
        "parameter cost (key)",
    ]
    assert uses["plants"]["supply"] == ["parameter supply (values)", "constraint stock"]


def test_the_readme_example_runs_as_written_and_prints_what_it_says(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    root = Path(__file__).parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Data by reference") :]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(root)
    exec(compile(block, "README.md", "exec"), {})  # the README's own code, not model text

    printed = capsys.readouterr().out.splitlines()
    promised = [line.split("# ", 1)[1].strip() for line in block.splitlines() if "print(" in line]
    assert printed == promised


def test_what_if_on_a_table_bound_parameter_says_to_edit_the_table() -> None:
    result = nl2opt.solve_spec(SPEC, data=_data())

    with pytest.raises(nl2opt.WhatIfError, match="reads its values from table 'lanes'"):
        result.what_if({"cost": {"B,Z": 1}}, data=_data())


def test_importing_nl2opt_loads_neither_pandas_nor_numpy_for_table_records() -> None:
    import subprocess
    import sys

    code = "import sys, nl2opt; print([m for m in ('pandas', 'numpy', 'polars') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)

    assert out.stdout.strip() == "[]", out.stderr
