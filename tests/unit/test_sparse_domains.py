"""Sparse domains: a variable or parameter declared with ``over`` and ``where`` exists only where the filter holds.

Expected numbers here are worked out by hand from the small data below, never read from nl2opt.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nl2opt
from nl2opt.backends import available_backends, backend_names
from nl2opt.check import check
from nl2opt.diagnostics import CODES
from nl2opt.explain import latex
from nl2opt.export import to_lp, to_mps, to_python_script, values_csv
from nl2opt.lower import lower
from nl2opt.spec import ModelSpec
from nl2opt.verify import verify

NODES = ["A", "B", "C"]
COST = {("A", "B"): 1, ("A", "C"): 4, ("B", "A"): 2, ("B", "C"): 1, ("C", "A"): 3, ("C", "B"): 5}
OFF_DIAGONAL = {f"{i},{j}" for i in NODES for j in NODES if i != j}


def flow_spec(**changes: Any) -> dict[str, Any]:
    """Each node sends at least one unit to the others; cost only off the diagonal. Optimum 5
    (A->B 1, B->C 1, C->A 3: every node's cheapest way out)."""
    spec: dict[str, Any] = {
        "name": "sparse",
        "sets": [{"name": "N", "elements": NODES}],
        "parameters": [
            {
                "name": "cost",
                "index": ["N", "N"],
                "over": ["i in N", "j in N"],
                "where": "i != j",
                "entries": [{"key": [a, b], "value": v} for (a, b), v in COST.items()],
            }
        ],
        "variables": [
            {
                "name": "flow",
                "index": ["N", "N"],
                "over": ["i in N", "j in N"],
                "where": "i != j",
                "upper": 10,
            }
        ],
        "objective": {
            "sense": "minimize",
            "expression": "sum(cost[i, j] * flow[i, j] for i in N for j in N)",
        },
        "constraints": [{"name": "out", "for": ["i in N"], "expression": "sum(flow[i, j] for j in N) >= 1"}],
    }
    spec.update(changes)
    return spec


def codes(found) -> set[str]:
    return {d.code for d in found}


def test_new_codes_are_registered() -> None:
    assert {"check.outside-domain", "check.bad-domain"} <= CODES.keys()


def test_no_column_exists_outside_the_domain() -> None:
    program, found = lower(ModelSpec.model_validate(flow_spec()))
    assert program is not None, found
    assert program.num_cols == 6  # 3 x 3 cells minus the diagonal
    assert sorted(program.col_names) == sorted(f"flow[{k}]" for k in OFF_DIAGONAL)
    dense = flow_spec()
    dense["variables"][0].update(over=None, where=None)
    dense["parameters"][0]["value"] = 0
    program, _ = lower(ModelSpec.model_validate(dense))
    assert program is not None and program.num_cols == 9


@pytest.mark.parametrize("backend", backend_names())
def test_solves_and_lists_only_domain_cells(backend: str) -> None:
    if backend not in available_backends():
        pytest.skip(f"backend {backend!r} is not installed")
    result = nl2opt.solve_spec(flow_spec(), backend=backend)
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(5.0)
    assert result.verified
    assert set(result.values["flow"]) == OFF_DIAGONAL
    assert result.value("flow", "A", "B") == pytest.approx(1.0)
    with pytest.raises(KeyError):
        result.value("flow", "A", "A")
    assert not [d for d in result.diagnostics if d.code == "check.parameter-missing-value"]


def test_sums_skip_whole_cells_outside_the_domain() -> None:
    # 'sum(flow + 1)' adds 1 per domain cell only: 6, not 9.
    spec = flow_spec(
        objective={"sense": "minimize", "expression": "sum(flow[i, j] + 1 for i in N for j in N)"}
    )
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "optimal"
    assert result.objective == pytest.approx(3 + 6)
    assert result.verified


def test_a_sum_of_products_skips_cells_outside_the_domain_too() -> None:
    # Each node splits its unit over two arcs, min c1 a^2 + c2 b^2 with a + b >= 1: c1 c2 / (c1 + c2).
    # Found by the differential suite: the quadratic path raised check.outside-domain instead.
    spec = flow_spec(
        objective={
            "sense": "minimize",
            "expression": "sum(cost[i, j] * flow[i, j] * flow[i, j] for i in N for j in N)",
        }
    )
    result = nl2opt.solve_spec(spec, backend="highs")
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(4 / 5 + 2 / 3 + 15 / 8, abs=1e-6)
    assert result.verified


def test_a_sum_skips_only_references_that_use_its_own_indices() -> None:
    # flow[i, i] does not depend on k: the sum over k cannot make it exist, so it stays an error.
    spec = flow_spec()
    spec["sets"].append({"name": "K", "elements": [1, 2]})
    spec["constraints"].append(
        {"name": "loop", "for": ["i in N"], "expression": "sum(flow[i, i] for k in K) <= 1"}
    )
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "invalid"
    assert "check.outside-domain" in codes(result.diagnostics)


def test_reference_outside_the_domain_in_a_constraint_is_an_error_naming_the_cell() -> None:
    spec = flow_spec()
    spec["constraints"].append({"name": "cap", "for": ["i in N", "j in N"], "expression": "flow[i, j] <= 5"})
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "invalid"
    found = [d for d in result.diagnostics if d.code == "check.outside-domain"]
    assert found and found[0].where == "constraints[cap].expression"
    assert "i = 'A', j = 'A'" in found[0].message
    assert "where" in found[0].hint
    spec["constraints"][-1]["where"] = "i != j"  # the fix the hint gives
    fixed = nl2opt.solve_spec(spec)
    assert fixed.status.value == "optimal" and fixed.objective == pytest.approx(5.0)


def test_rows_outside_are_found_by_the_checker_itself() -> None:
    spec = flow_spec()
    spec["constraints"].append(
        {"name": "cap", "for": ["i in N", "j in N"], "where": "i != 'A'", "expression": "2 * flow[i, j] <= 5"}
    )
    found = [d for d in check(ModelSpec.model_validate(spec)) if d.code == "check.outside-domain"]
    assert len(found) == 1 and found[0].stage == "check"
    assert "i = 'B', j = 'B'" in found[0].message  # the first row the constraint's filter keeps


def test_the_compiler_backs_the_checker_up_where_rows_must_be_walked() -> None:
    # prev(j) cannot be gathered by the checker; the compiler names the first cell itself.
    spec = flow_spec()
    spec["constraints"].append(
        {
            "name": "shifted",
            "for": ["i in N", "j in N"],
            "where": "i != j",
            "expression": "flow[i, prev(j, 'cyclic')] <= 5",
        }
    )
    result = nl2opt.solve_spec(spec)
    found = [d for d in result.diagnostics if d.code == "check.outside-domain"]
    assert result.status.value == "invalid" and found, [str(d) for d in result.diagnostics]
    assert "i = 'A', j = 'B'" in found[0].message  # prev('B') is 'A': flow['A', 'A']


def test_literal_cell_outside_is_found_by_the_checker() -> None:
    spec = flow_spec()
    spec["constraints"].append({"name": "self", "expression": "flow['B', 'B'] <= 1"})
    found = check(ModelSpec.model_validate(spec))
    assert "check.outside-domain" in codes(found)
    assert any("flow['B', 'B']" in d.message for d in found)


def test_parameter_read_outside_its_domain_is_an_error() -> None:
    spec = flow_spec(objective={"sense": "minimize", "expression": "sum(flow[i, j] for i in N for j in N)"})
    spec["constraints"].append(
        {"name": "budget", "for": ["i in N", "j in N"], "expression": "cost[i, j] * flow[i, j] <= 4"}
    )
    result = nl2opt.solve_spec(spec)
    assert "check.outside-domain" in codes(result.diagnostics)
    literal = flow_spec(objective={"sense": "minimize", "expression": "cost['C', 'C'] + flow['A', 'B']"})
    assert "check.outside-domain" in codes(check(ModelSpec.model_validate(literal)))


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"over": None}, "needs 'over'"),
        ({"over": ["i in N"]}, "'over' has 1"),
        ({"over": ["i in N", "j in M"]}, "runs over M"),
        ({"where": "i !="}, "'where'"),
        ({"where": "k != j"}, "uses k"),
        ({"where": "flow[i, j] > 0"}, "may not use variables"),
        ({"where": "1 / 0 > 0"}, "cannot be evaluated"),
    ],
)
def test_a_domain_that_cannot_be_applied_is_a_diagnostic(change: dict[str, Any], fragment: str) -> None:
    spec = flow_spec()
    spec["variables"][0].update(change)
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "invalid"
    found = [d for d in result.diagnostics if d.code == "check.bad-domain"]
    assert found and fragment in found[0].message, [str(d) for d in result.diagnostics]


def test_domain_filtered_by_data() -> None:
    # ship exists only on lanes with capacity; cost 1 everywhere; 2 units A->C: direct lane missing.
    spec = {
        "sets": [{"name": "N", "elements": ["A", "B", "C"]}],
        "parameters": [{"name": "cap", "index": ["N", "N"], "values": [[0, 5, 0], [0, 0, 5], [0, 0, 0]]}],
        "variables": [
            {"name": "ship", "index": ["N", "N"], "over": ["i in N", "j in N"], "where": "cap[i, j] > 0"}
        ],
        "objective": {"sense": "minimize", "expression": "sum(ship[i, j] for i in N for j in N)"},
        "constraints": [
            {
                "name": "net",
                "for": ["n in N"],
                "expression": "sum(ship[n, j] for j in N) - sum(ship[i, n] for i in N) == supply[n]",
            }
        ],
    }
    spec["parameters"].append({"name": "supply", "index": ["N"], "values": [2, 0, -2]})
    program, _ = lower(ModelSpec.model_validate(spec))
    assert program is not None and program.num_cols == 2
    result = nl2opt.solve_spec(spec)
    assert result.objective == pytest.approx(4.0) and set(result.values["ship"]) == {"A,B", "B,C"}


def test_pair_set_index_is_the_other_way_to_say_it() -> None:
    spec = flow_spec()
    spec["sets"].append({"name": "Arcs", "elements": [list(k) for k in COST]})
    spec["variables"][0].update(index=["Arcs"], over=None, where=None)
    spec["objective"]["expression"] = "sum(cost[i, j] * flow[i, j] for (i, j) in Arcs)"
    spec["constraints"][0]["expression"] = "sum(flow[a, b] for (a, b) in Arcs if a == i) >= 1"
    result = nl2opt.solve_spec(spec)
    assert result.objective == pytest.approx(5.0) and set(result.values["flow"]) == OFF_DIAGONAL


def test_verifier_reads_sparse_values_on_its_own() -> None:
    spec = ModelSpec.model_validate(flow_spec())
    x = np.zeros((3, 3))
    x[0, 1] = x[1, 2] = x[2, 0] = 1.0
    x[0, 0] = np.nan  # no cell: never read
    assert not [d for d in verify(spec, {"flow": x}, objective=5.0) if d.severity == "error"]
    x[2, 0] = 0.0  # C sends nothing
    found = verify(spec, {"flow": x}, objective=2.0)
    assert any(d.code == "verify.constraint-violated" and "out[C]" in d.message for d in found)
    x[2, 0], x[1, 1] = 1.0, 99.0  # a diagonal value, however wrong, is not a cell
    assert not [d for d in verify(spec, {"flow": x}, objective=5.0) if d.severity == "error"]
    x[0, 1] = np.nan  # a domain cell without a value is an error
    assert any(d.code == "verify.evaluation-error" for d in verify(spec, {"flow": x}))


def test_verifier_rejects_a_wrong_objective_that_counts_the_diagonal() -> None:
    spec = ModelSpec.model_validate(
        flow_spec(objective={"sense": "minimize", "expression": "sum(flow[i, j] + 1 for i in N for j in N)"})
    )
    x = np.zeros((3, 3))
    x[0, 1] = x[1, 2] = x[2, 0] = 1.0
    assert not verify(spec, {"flow": x}, objective=9.0)
    assert "verify.objective-mismatch" in codes(verify(spec, {"flow": x}, objective=12.0))


def test_exports_work_on_a_sparse_model() -> None:
    spec = ModelSpec.model_validate(flow_spec())
    lp = to_lp(spec)
    assert "flow" in lp and "A_A" not in lp.replace(",", "_")
    assert to_mps(spec).count("flow") >= 6
    script = to_python_script(spec)
    compile(script, "<script>", "exec")  # a syntax check of generated text, never run here
    assert "'A', 'A'" not in script and '"A", "A"' not in script
    tex = latex(spec)
    assert r": i \ne j)" in tex
    result = nl2opt.solve_spec(flow_spec())
    rows = list(csv.reader(io.StringIO(values_csv(result))))
    flow_rows = [r for r in rows if r and r[0] == "flow"]
    assert len(flow_rows) == 6


def test_script_solves_to_the_same_optimum(tmp_path) -> None:
    pytest.importorskip("pulp")
    import subprocess
    import sys

    path = tmp_path / "model.py"
    path.write_text(to_python_script(ModelSpec.model_validate(flow_spec())))
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("Objective:"))
    assert math.isclose(float(line.split(":")[1]), 5.0, abs_tol=1e-6)


def test_derived_bound_on_a_sparse_variable_reads_only_domain_cells() -> None:
    spec = flow_spec()
    spec["variables"][0]["upper"] = "cost[i, j]"  # cost exists only off the diagonal
    spec["constraints"][0]["expression"] = "sum(flow[i, j] for j in N) >= 3"
    # each node ships 3 within its cost caps: A: B<=1, C<=4 -> 1*1 + 2*4 = 9; B: A<=2, C<=1 -> 1*1 + 2*2 = 5;
    # C: A<=3 -> 3*3 = 9. Total 23.
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(23.0)


def test_sparse_spec_round_trips_through_json() -> None:
    spec = ModelSpec.model_validate(flow_spec())
    again = ModelSpec.from_json(spec.to_json())
    assert again.variables[0].where == "i != j" and again.variables[0].over == ["i in N", "j in N"]
    assert copy.deepcopy(again) == spec


def test_the_reading_says_which_cells_exist() -> None:
    result = nl2opt.solve_spec(flow_spec())
    assert any(line.startswith("flow[i in N, j in N where i != j]:") for line in result.reading)


def test_table_bound_parameter_needs_rows_only_for_domain_cells() -> None:
    spec = flow_spec()
    spec["parameters"][0].update(
        entries=None, **{"from": {"table": "lanes", "key": ["o", "d"], "value": "cost"}}
    )
    rows = [{"o": a, "d": b, "cost": c} for (a, b), c in COST.items()]
    result = nl2opt.solve_spec(spec, data={"lanes": rows})
    assert result.status.value == "optimal" and result.objective == pytest.approx(5.0)
    assert not [d for d in result.diagnostics if d.code == "data.missing-key"]
    del rows[0]  # A -> B is in the domain: its row is missing
    found = [
        d for d in nl2opt.solve_spec(spec, data={"lanes": rows}).diagnostics if d.code == "data.missing-key"
    ]
    assert found and "1 of 6 members" in found[0].message


def test_comprehension_items_skip_cells_outside_like_sums() -> None:
    # each node picks at most one partner, the dearest: A 4 (C), B 2 (A), C 5 (B) = 11
    spec = flow_spec(
        objective={"sense": "maximize", "expression": "sum(cost[i, j] * flow[i, j] for i in N for j in N)"},
        constraints=[{"name": "one", "for": ["i in N"], "expression": "at_most(1, [flow[i, j] for j in N])"}],
    )
    spec["variables"][0].update(domain="binary", upper=None)
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(11.0) and result.verified


ROOT = Path(__file__).resolve().parents[2]
REPLAY = next(
    (
        p / "replay" / "frontier_replies.jsonl"
        for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared")
        if p.exists()
    ),
    ROOT.parent / "shared" / "replay" / "frontier_replies.jsonl",
)


@pytest.mark.parametrize("problem", ["mamo-complex-sirlfixed-081", "optmath193-030"])
def test_replayed_pair_models_written_on_sparse_domains_keep_the_published_optimum(problem: str) -> None:
    """The LLM's own final model, with its pair tables declared on i != j and the pinned diagonal dropped."""
    if not REPLAY.exists():
        pytest.skip(f"the replay corpus is not at {REPLAY}")
    record = next(r for r in map(json.loads, REPLAY.read_text().splitlines()) if r["id"] == problem)
    spec = json.loads(record["turns"][-1]["reply"])
    pair_sets = {tuple(x["index"]) for x in spec["variables"] if len(x["index"]) == 2}
    for item in [*spec["variables"], *spec["parameters"]]:
        if tuple(item.get("index", ())) in pair_sets and item["index"][0] == item["index"][1]:
            s = item["index"][0]
            item.update(over=[f"i in {s}", f"j in {s}"], where="i != j")
    spec["constraints"] = [c for c in spec["constraints"] if "[i, i]" not in c["expression"]]
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(record["answer"], rel=1e-6)
    assert result.verified
    assert not [d for d in result.diagnostics if d.code == "check.parameter-missing-value"]
    model = ModelSpec.model_validate(spec)
    n = len(next(s for s in model.sets if s.name == next(iter(pair_sets))[0]).members())
    program, _ = lower(model)
    assert program is not None
    pair_var = next(x["name"] for x in spec["variables"] if tuple(x["index"]) in pair_sets)
    assert sum(1 for name in program.col_names if name.startswith(f"{pair_var}[")) == n * (n - 1)


@pytest.mark.parametrize(
    "expression",
    [
        "sum(sum(cost[i, j] * flow[i, j] for k in K) for i in N for j in N)",  # the outer sum skips
        "sum(sum(cost[i, j] * flow[i, j] for j in N) for k in K for i in N)",  # the inner sum skips
    ],
)
def test_nested_sums_skip_at_the_sum_that_binds_the_indices(expression: str) -> None:
    spec = flow_spec(objective={"sense": "minimize", "expression": expression})
    spec["sets"].append({"name": "K", "elements": [1, 2]})
    result = nl2opt.solve_spec(spec)
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(2 * 5.0) and result.verified


def test_priority_goals_over_a_sparse_variable() -> None:
    # level 1: fewest units (3, one per node); level 2 with 3 held: each node's cheapest partner, 1 + 1 + 3
    goals = [
        {
            "name": "units",
            "sense": "minimize",
            "expression": "sum(flow[i, j] for i in N for j in N)",
            "priority": 1,
        },
        {
            "name": "spend",
            "sense": "minimize",
            "expression": "sum(cost[i, j] * flow[i, j] for i in N for j in N)",
            "priority": 2,
        },
    ]
    result = nl2opt.solve_spec(flow_spec(objective=None, objectives=goals))
    assert result.status.value == "optimal", [str(d) for d in result.diagnostics]
    assert result.objective == pytest.approx(5.0) and result.verified
    goals[1]["expression"] += " + flow['A', 'A']"
    found = check(ModelSpec.model_validate(flow_spec(objective=None, objectives=goals)))
    assert any(d.code == "check.outside-domain" and d.where == "objectives[spend].expression" for d in found)
