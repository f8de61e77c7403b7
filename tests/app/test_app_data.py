"""The web form with tables bound by reference: upload, solve, see what each column feeds, edit, re-solve.

The hand-solved case of tests/unit/test_data.py: optimum 140; with the B-Z lane's cost cut
from 5 to 1 the 15 units to Z save 4 each, so 80. No LLM is configured: the re-solve must
not need one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from tests.app.test_app import APP, _errors, _metric, _unescape
from tests.unit.test_data import SPEC

UPLOADS = [
    ("lanes.csv", b"origin,dest,cost\nA,X,2\nA,Y,4\nB,Y,1\nB,Z,5\n", "text/csv"),
    ("plants.csv", b"plant,supply\nA,30\nB,40\n", "text/csv"),
    ("markets.csv", b"market,demand\nX,20\nY,25\nZ,15\n", "text/csv"),
]


@pytest.fixture
def at() -> Iterator[AppTest]:
    main = sys.modules["__main__"]
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    yield app
    sys.modules["__main__"] = main


def test_uploaded_tables_solve_a_model_that_reads_them_then_an_edited_cell_solves_again(at: AppTest) -> None:
    at.file_uploader(key="data_files").set_value(UPLOADS).run()
    at.text_area(key="spec_json").set_value(json.dumps(SPEC))
    at.button(key="solve_model").click().run()
    assert not at.exception
    assert _metric(at, "Objective") == "140", _errors(at)
    assert not [w for w in at.warning if "not available" in w.value], (
        "LP, MPS and the script are built with the tables"
    )

    captions = [_unescape(c.value) for c in at.caption]
    assert "cost → parameter cost (values), objective" in captions
    assert "supply → parameter supply (values), constraint stock" in captions

    at.session_state["data_edit_0_lanes"] = {
        "edited_rows": {3: {"cost": 1}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="solve_data").click().run()

    assert not at.exception
    assert _metric(at, "Objective") == "80", _errors(at)
