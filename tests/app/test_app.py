"""The web form through Streamlit's AppTest: the script runs in-process, widgets are driven by key.

Every failure path must end in a message on the page (st.error / st.warning), never in
an exception: ``at.exception`` is asserted empty throughout.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).parents[2]
APP = str(ROOT / "app.py")
ANSWERS = json.loads((ROOT / "examples" / "problems" / "answers.json").read_text(encoding="utf-8"))

needs_rules = pytest.mark.skipif(
    importlib.util.find_spec("nl2opt.formulators.rules") is None,
    reason="the offline rules formulator (nl2opt.formulators.rules) is not installed",
)

SPEC: dict[str, Any] = {
    "name": "two products",
    "variables": [{"name": "x", "upper": 40}, {"name": "y"}],
    "objective": {"sense": "maximize", "expression": "3 * x + 5 * y", "description": "profit"},
    "constraints": [
        {"name": "labour", "expression": "x + 2 * y <= 100", "description": "labour hours"},
        {"name": "wood", "expression": "3 * x + 2 * y <= 180"},
    ],
}
"""Optimum 270 at x = 40, y = 30; with 120 labour hours it is 315 at x = 30, y = 45."""


@pytest.fixture
def at() -> Iterator[AppTest]:
    main = sys.modules["__main__"]
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    yield app
    sys.modules["__main__"] = main  # AppTest leaves app.py installed as __main__


def _metric(app: AppTest, prefix: str) -> str:
    found = [m.value for m in app.metric if m.label.startswith(prefix)]
    assert found, [m.label for m in app.metric]
    return found[0]


def _errors(app: AppTest) -> str:
    """The error messages as read on the page (Markdown escapes removed)."""
    return " ".join(_unescape(e.value) for e in app.error)


def _unescape(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


def _solve_json(app: AppTest, text: str, *, edited: bool = False) -> None:
    """Solve JSON from the input tab, or (``edited``) from the result's model editor."""
    app.text_area(key="spec_edit" if edited else "spec_json").set_value(text)
    app.button(key="solve_edited" if edited else "solve_model").click().run()
    assert not app.exception


@needs_rules
def test_example_problem_solves_offline(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    assert "bakery" in at.text_area(key="problem").value
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert _metric(at, "Objective") == f"{ANSWERS['product_mix.txt']['objective']:,}"
    assert _metric(at, "Status").startswith("Optimal")
    assert not at.error
    assert at.latex, "the model is shown as LaTeX"
    assert '"variables"' in at.text_area(key="spec_edit").value, "the solved spec is loaded for editing"
    labels = {b.label for b in at.get("download_button")}
    assert {"Model spec (JSON)", "LP file", "MPS file", "PuLP script", "Decisions (CSV)"} <= labels
    assert at.status and at.status[0].state == "complete"


@needs_rules
def test_unreadable_text_is_declined_with_advice(at: AppTest) -> None:
    at.text_area(key="problem").set_value("Please make my business better next year.")
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert "No trustworthy model" in _errors(at)
    assert _metric(at, "Status") == "Declined"


def test_json_spec_solves_then_edited_spec_solves_again(at: AppTest) -> None:
    _solve_json(at, json.dumps(SPEC, indent=2))
    assert _metric(at, "Objective") == "270"
    edited = json.loads(at.text_area(key="spec_edit").value)
    edited["constraints"][0]["expression"] = "x + 2 * y <= 120"
    _solve_json(at, json.dumps(edited), edited=True)
    assert _metric(at, "Objective") == "315"
    assert not at.error
    assert "<= 120" in at.text_area(key="spec_edit").value


def test_json_examples_load_into_the_editor(at: AppTest) -> None:
    examples = sorted((ROOT / "examples").glob("*.json"))
    if not examples:
        pytest.skip("no JSON examples in examples/ yet")
    label = examples[0].stem.replace("_", " ").capitalize()
    at.selectbox(key="model_example").select(label).run()
    assert json.loads(at.text_area(key="spec_json").value)
    at.button(key="solve_model").click().run()
    assert not at.exception
    assert _metric(at, "Status")


def test_invalid_json_gives_a_message_not_an_exception(at: AppTest) -> None:
    _solve_json(at, '{"name": "broken", "variables": [')
    assert "not valid JSON" in _errors(at)
    assert "line 1" in _errors(at)


def test_invalid_edit_keeps_the_text_and_the_previous_answer(at: AppTest) -> None:
    _solve_json(at, json.dumps(SPEC))
    broken = at.text_area(key="spec_edit").value.replace('"variables"', '"variables" "oops"')
    _solve_json(at, broken, edited=True)
    assert "not valid JSON" in _errors(at)
    assert at.text_area(key="spec_edit").value == broken
    assert _metric(at, "Objective") == "270"


def test_spec_with_errors_is_reported_as_invalid(at: AppTest) -> None:
    bad = dict(SPEC, objective={"sense": "maximize", "expression": "3 * x + 5 * z"})
    _solve_json(at, json.dumps(bad))
    assert _metric(at, "Status") == "Invalid"
    assert "has errors" in _errors(at)
    assert at.dataframe, "the findings are listed"


def test_infeasible_model_says_what_to_do(at: AppTest) -> None:
    bad = dict(SPEC, constraints=[*SPEC["constraints"], {"name": "too_much", "expression": "x + y >= 1000"}])
    _solve_json(at, json.dumps(bad))
    assert _metric(at, "Status") == "Infeasible"
    assert "relax one" in _errors(at)


def test_bad_uploads_are_reported(at: AppTest) -> None:
    at.file_uploader(key="data_files").set_value([
        ("broken.xlsx", b"this is not a workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("empty.csv", b"", "text/csv"),
        ("header_only.csv", b"product,price\n", "text/csv"),
        ("prices.csv", b"product,price\nbread,3\ncake,5\n", "text/csv"),
    ]).run()
    assert not at.exception
    errors = _errors(at)
    assert "Could not read 'broken.xlsx'" in errors
    assert "Could not read 'empty.csv'" in errors
    assert "'header_only.csv' has no data rows" in errors
    assert any("1 table(s)" in e.label for e in at.expander), "the good table is kept"


def test_llm_without_key_or_server_says_how_to_configure(at: AppTest) -> None:
    at.radio(key="formulator").set_value("llm").run()
    at.text_area(key="problem").set_value("A bakery makes bread. Maximize profit.")
    at.button(key="solve_text").click().run()
    assert not at.exception
    errors = _errors(at)
    assert "No LLM is configured" in errors and "sidebar" in errors


def test_unreachable_llm_server_is_reported(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NL2OPT_MAX_RETRIES", "0")
    monkeypatch.setenv("NL2OPT_TIMEOUT", "5")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at.radio(key="formulator").set_value("llm").run()
    at.text_input(key="base_url").set_value(f"http://127.0.0.1:{port}/v1")
    at.text_input(key="api_key").set_value("sk-test-never-shown-1234")
    at.text_area(key="problem").set_value("A bakery makes bread. Maximize profit.")
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert "could not be reached" in _errors(at)
    page = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert "sk-test-never-shown-1234" not in page


@needs_rules
def test_repairs_are_listed_attempt_by_attempt(at: AppTest) -> None:
    at.text_area(key="problem").set_value(
        "A shop sells chairs and tables. Each chair takes 2 hours of labour and each table takes 3 hours of "
        "labour. At most 10 hours of labour are available. The shop must make at least 8 chairs. The profit "
        "per chair is $20 and the profit per table is $30. How many chairs and tables should the shop make to "
        "maximize profit?"
    )
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert _metric(at, "Status") == "Infeasible"
    assert "relax one" in _errors(at)
    assert any(e.label.startswith("Attempt 1: infeasible") for e in at.expander)
    stages = [c.value for c in at.status[0].children.values()]
    assert any("formulating (attempt 1 of" in s for s in stages) and any("diagnosing" in s for s in stages), stages


def test_stages_are_shown_live_when_the_loop_reports_progress(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The contract asked of formulate_and_solve: a ``progress(stage)`` callback, shown as it is called."""
    import nl2opt

    seen: list[str] = []

    def formulate_and_solve(text: str, *, progress: Any = None, **options: Any) -> nl2opt.Result:
        for stage in ("formulating (attempt 1 of 3)", "checking", "solving", "verifying"):
            seen.append(stage)
            progress(stage)
        return nl2opt.solve_spec(SPEC)

    monkeypatch.setattr(nl2opt, "formulate_and_solve", formulate_and_solve)
    at.text_area(key="problem").set_value("Any text: the loop above is a stand-in.")
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert len(seen) == 4
    assert [c.value for c in at.status[0].children.values()] == seen
    assert _metric(at, "Objective") == "270"


def test_two_index_decisions_show_as_a_pivot_table(at: AppTest) -> None:
    transport = {
        "name": "transport",
        "sets": [{"name": "Plants", "elements": ["Seattle", "San Diego"]},
                 {"name": "Markets", "elements": ["New York", "Chicago", "Topeka"]}],
        "parameters": [
            {"name": "supply", "index": ["Plants"], "values": [350, 600]},
            {"name": "demand", "index": ["Markets"], "values": [325, 300, 275]},
            {"name": "cost", "index": ["Plants", "Markets"], "values": [[2.5, 1.7, 1.8], [2.5, 1.8, 1.4]]},
        ],
        "variables": [{"name": "ship", "index": ["Plants", "Markets"]}],
        "objective": {"sense": "minimize", "expression": "sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)"},
        "constraints": [
            {"name": "supply_limit", "for": ["i in Plants"], "expression": "sum(ship[i, j] for j in Markets) <= supply[i]"},
            {"name": "demand_met", "for": ["j in Markets"], "expression": "sum(ship[i, j] for i in Plants) >= demand[j]"},
        ],
    }
    _solve_json(at, json.dumps(transport))
    assert _metric(at, "Objective") == "1,707.5"
    pivots = [d.value for d in at.dataframe if d.value.index.name == "Plants"]
    assert pivots, "ship[Plants, Markets] is shown with plants as rows"
    table = pivots[0]
    assert list(table.columns) == ["New York", "Chicago", "Topeka"]
    assert table.to_numpy().sum() == 900, "every market gets its demand"


@needs_rules
def test_uploaded_table_is_shown_and_passed_along(at: AppTest) -> None:
    at.file_uploader(key="data_files").set_value(("Flour stock.csv", b"item,kg\nflour,100\n", "text/csv")).run()
    assert any(e.label == "1 table(s) passed to the formulator" for e in at.expander)
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert _metric(at, "Objective") == "164"


def test_the_models_reading_is_shown_beside_the_answer(at: AppTest) -> None:
    _solve_json(at, json.dumps(SPEC))
    page = (" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)).replace("\\", "")
    assert "Verified means the solution satisfies the model" in page
    assert "x: any amount, from 0 to 40" in page
    assert "requirement labour: labour hours" in page
