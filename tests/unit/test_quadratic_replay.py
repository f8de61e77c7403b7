"""A replay-corpus cone problem, written exactly now that norm2 exists.

The frontier LLM's reply to OptMATH-Bench problem optmath193-165 had to replace the cone
``y0[0]^2 + y0[1]^2 <= t0^2`` by its linear necessary conditions ``|y0[k]| <= t0``. Here the
reply is read from ``../shared/replay`` (never copied into the repository), those rows are
replaced by ``norm2([y0[k] for k in ConeDims]) <= t0``, and SCIP must reach the published optimum.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import nl2opt
from nl2opt.backends import available_backends

ROOT = Path(__file__).parents[2]
PROBLEM = "optmath193-165"


def _corpus() -> Path | None:
    for c in (os.environ.get("NL2OPT_SHARED", ""), ROOT.parent / "shared", ROOT.parents[1] / "shared"):
        path = Path(c) / "replay" / "frontier_replies.jsonl" if c else None
        if path is not None and path.is_file():
            return path
    return None


CORPUS = _corpus()


@pytest.mark.skipif(CORPUS is None, reason="../shared/replay is not on this machine")
@pytest.mark.skipif("scip" not in available_backends(), reason="pyscipopt is not installed")
def test_the_cone_the_llm_had_to_approximate_is_written_exactly() -> None:
    assert CORPUS is not None
    record = next(
        r for r in map(json.loads, CORPUS.read_text(encoding="utf-8").splitlines()) if r["id"] == PROBLEM
    )
    spec = json.loads(record["turns"][-1]["reply"])
    linear = [c for c in spec["constraints"] if c["name"] in ("cone_upper", "cone_lower")]
    assert len(linear) == 2, "the recorded reply no longer has the approximated cone"
    spec["constraints"] = [c for c in spec["constraints"] if c not in linear]
    spec["constraints"].append(
        {"name": "cone", "expression": "norm2([y0[k] for k in ConeDims]) <= t0", "description": "the cone"}
    )
    result = nl2opt.solve_spec(spec, backend="scip", time_limit=60)
    assert result.status is nl2opt.Status.OPTIMAL and result.verified, [str(d) for d in result.errors]
    assert result.problem_class == "convex-qcqp"
    assert result.objective == pytest.approx(record["answer"], rel=1e-6)
