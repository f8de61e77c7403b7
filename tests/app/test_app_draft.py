"""The web form opens a declined problem's draft in the model editor, with the unread sentences listed."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parents[2] / "app.py")
TEXT = (
    "A factory must meet a demand of 100 units in month 1, 150 units in month 2, 120 units in month 3 and 180 units in "
    "month 4. It can produce at most 150 units per month at a cost of $5 per unit. Units left at the end of a month can "
    "be stored at a cost of $1 per unit per month. There is no inventory at the start. Minimize the total production and "
    "storage cost. At the end of month 4, 50 units must remain in stock."
)


@pytest.fixture
def at() -> Iterator[AppTest]:
    main = sys.modules["__main__"]
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    yield app
    sys.modules["__main__"] = main


def test_declined_text_opens_its_draft_in_the_editor_and_the_finished_draft_solves(at: AppTest) -> None:
    at.text_area(key="problem").set_value(TEXT).run()
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "Status"] == ["Declined"]
    draft = json.loads(at.text_area(key="spec_edit").value)
    assert {v["name"] for v in draft["variables"]} == {"make", "stock"}
    notes = " ".join(i.value for i in at.info)
    assert "must remain in stock" in notes
    draft["constraints"].append({"name": "ending_stock", "expression": "stock[4] >= 50"})
    at.text_area(key="spec_edit").set_value(json.dumps(draft))
    at.button(key="solve_edited").click().run()
    assert not at.exception
    objective = [m.value for m in at.metric if m.label.startswith("Objective")]
    assert objective == ["3,230"]  # hand-derived in tests/formulators/test_rules_draft.py
