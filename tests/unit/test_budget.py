"""The size budget: an oversized model is refused from the spec alone, before anything is allocated."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from nl2opt.check import check
from nl2opt.check.budget import estimate, model_problems
from nl2opt.config import LIMIT_VARS, Limits
from nl2opt.errors import ConfigurationError
from nl2opt.lower import lower
from nl2opt.pipeline import load_spec, solve_spec
from nl2opt.result import Status
from nl2opt.spec import ModelSpec

ROOT = Path(__file__).parents[2]
GOLDEN = sorted((ROOT / "tests" / "golden" / "models").glob("*.json"))
MB = 1 << 20


def _spec(sets, variables, objective="0", constraints=(), parameters=()) -> ModelSpec:
    return ModelSpec.model_validate(
        {
            "sets": list(sets),
            "parameters": list(parameters),
            "variables": variables,
            "objective": {"sense": "minimize", "expression": objective},
            "constraints": [{"name": f"c{k}", **c} for k, c in enumerate(constraints)],
        }
    )


def _range(name: str, n: int) -> dict:
    return {"name": name, "range": {"start": 1, "stop": n}}


def _too_large(diagnostics) -> list:
    return [d for d in diagnostics if d.code == "lower.too-large"]


def _peak_bytes(fn) -> tuple[object, int]:
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


X = [{"name": "x", "lower": 0, "upper": 10}]


# -- limits ----------------------------------------------------------------------------------------


def test_limits_have_defaults_and_are_raised_by_environment_variables() -> None:
    assert Limits.from_env({}) == Limits()
    raised = Limits.from_env({"NL2OPT_MAX_ROWS": "50_000_000", "NL2OPT_VERIFY_SECONDS": "600"})
    assert (raised.rows, raised.verify_seconds) == (50_000_000, 600.0)
    assert set(LIMIT_VARS) == set(Limits.model_fields)


def test_a_bad_limit_names_its_variable() -> None:
    with pytest.raises(ConfigurationError, match="NL2OPT_MAX_NONZEROS"):
        Limits.from_env({"NL2OPT_MAX_NONZEROS": "-1"})


# -- refused before allocation ---------------------------------------------------------------------


def test_many_large_sets_are_refused_without_listing_their_members() -> None:
    spec = _spec([_range(f"S{k}", 1_000_000) for k in range(5)], X, "x")
    found, peak = _peak_bytes(lambda: check(spec))
    (d,) = _too_large(found)
    assert "5,000,000 set members" in d.message and "sets[S0]" in d.message
    assert "NL2OPT_MAX_SET_MEMBERS" in d.hint
    assert peak < 20 * MB


def test_large_tables_are_refused_before_they_are_filled() -> None:
    tables = [{"name": f"p{k}", "index": ["A", "B"], "value": 1.0} for k in range(2)]
    spec = _spec([_range("A", 4472), _range("B", 4472)], X, "x", parameters=tables)
    found, peak = _peak_bytes(lambda: check(spec))
    (d,) = _too_large(found)
    assert "parameter cells" in d.message and "parameters[p0] 19,998,784" in d.message
    assert peak < 20 * MB


def test_rows_that_repeat_over_an_unused_set_are_counted_before_expansion() -> None:
    spec = _spec(
        [_range("I", 100_000), _range("J", 300)],
        [{"name": "x", "index": ["I"], "upper": 10}],
        "sum(x[i] for i in I)",
        [{"for": ["i in I", "j in J"], "expression": "x[i] <= 1"}],
    )
    (program, found), peak = _peak_bytes(lambda: lower(spec))
    assert program is None
    rows = [d for d in found if "constraint rows" in d.message]
    assert rows and "30,000,000" in rows[0].message and rows[0].where == "constraints[c0]"
    assert peak < 20 * MB
    assert _too_large(check(spec)), "the checker refuses it too, so the pipeline never lowers it"


def test_a_sum_over_a_huge_grid_is_refused_by_its_cells() -> None:
    spec = _spec(
        [_range("I", 10_000), _range("J", 10_000)],
        X,
        "x",
        [{"expression": "x <= sum(1 for i in I for j in J if i == j)"}],
    )
    (d,) = _too_large(model_problems(spec))
    assert "constraints[c0] touches 100,000,000 cells" in d.message and "NL2OPT_MAX_CELLS" in d.hint


def test_columns_count_auxiliary_variables() -> None:
    # abs over 3,000 cells adds a t and two selectors per cell in a non-convex use.
    spec = _spec(
        [_range("I", 3000)],
        [{"name": "x", "index": ["I"], "lower": -1, "upper": 1}],
        "sum(x[i] for i in I)",
        [{"for": ["i in I"], "expression": "abs(x[i]) >= 0.5"}],
    )
    assert not model_problems(spec, limits=Limits(columns=12_000))
    (d,) = _too_large(model_problems(spec, limits=Limits(columns=5_000)))
    assert "columns" in d.message and "constraints[c0]" in d.message


def test_raising_a_limit_lets_the_model_through() -> None:
    spec = _spec(
        [_range("I", 2000), _range("J", 3)],
        [{"name": "x", "index": ["I"], "upper": 10}],
        "sum(x[i] for i in I)",
        [{"for": ["i in I", "j in J"], "expression": "x[i] <= j"}],
    )
    tight = Limits(rows=5000)
    assert _too_large(lower(spec, limits=tight)[1])
    program, found = lower(spec, limits=Limits(rows=6000))
    assert program is not None and program.num_rows == 6000, found


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_the_estimate_never_undercounts_what_lowering_builds(path: Path) -> None:
    spec = ModelSpec.model_validate_json(path.read_text(encoding="utf-8"))
    program, _ = lower(spec)
    if program is None:
        pytest.skip("the golden model does not compile")
    tally = estimate(spec)
    assert sum(tally.columns.values()) >= program.num_cols
    assert sum(tally.rows.values()) >= program.num_rows
    assert sum(tally.nonzeros.values()) >= program.A.nnz


# -- the spec file ---------------------------------------------------------------------------------


def test_a_spec_file_beyond_the_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    path.write_text("not json at all " * 10, encoding="utf-8")
    monkeypatch.setenv("NL2OPT_MAX_SPEC_BYTES", "100")
    spec, (d,) = load_spec(path)
    assert spec is None and d.code == "spec.too-large" and "160 bytes" in d.message
    monkeypatch.setenv("NL2OPT_MAX_SPEC_BYTES", "1000")
    assert load_spec(path)[1][0].code == "spec.invalid-json"  # within the limit it is read


# -- the shared reproducers ------------------------------------------------------------------------


def _hostile() -> Path | None:
    for c in (os.environ.get("NL2OPT_SHARED", ""), ROOT.parent / "shared", ROOT.parents[1] / "shared"):
        folder = Path(c) / "repro" / "hostile-input" if c else None
        if folder is not None and folder.is_dir():
            return folder
    return None


HOSTILE = _hostile()


@pytest.mark.skipif(HOSTILE is None, reason="../shared/repro/hostile-input is not on this machine")
@pytest.mark.parametrize("name", sorted(p.name for p in (HOSTILE or Path()).glob("dos_[em]*.json")))
def test_shared_dos_specs_are_refused_fast_and_small(name: str) -> None:
    assert HOSTILE is not None
    started = time.perf_counter()
    result, peak = _peak_bytes(lambda: solve_spec(HOSTILE / name))
    assert result.status is Status.INVALID  # type: ignore[union-attr]
    assert _too_large(result.diagnostics)  # type: ignore[union-attr]
    assert time.perf_counter() - started < 1.0 and peak < 50 * MB


@pytest.mark.skipif(HOSTILE is None, reason="../shared/repro/hostile-input is not on this machine")
def test_shared_verify_spec_is_verified_in_seconds() -> None:
    assert HOSTILE is not None
    result = solve_spec(HOSTILE / "dos_verify_2100_1000.json")
    assert result.status is Status.OPTIMAL and result.verified
    assert result.timings.verify < 2.0
    spec = json.loads((HOSTILE / "dos_verify_2100_1000.json").read_text(encoding="utf-8"))
    assert result.objective == pytest.approx(2100 * spec["sets"][2]["range"]["stop"])
