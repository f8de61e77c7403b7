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


def _warnings(app: AppTest) -> str:
    return " ".join(e.value for e in app.warning)


def _markdown(app: AppTest) -> str:
    """The Markdown on the page as a reader sees it (the app escapes Markdown's special characters)."""
    return re.sub(r"\\(.)", r"\1", " ".join(m.value for m in app.markdown))


def _has_result(app: AppTest) -> bool:
    return any(h.value.startswith("Result") for h in app.header)


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
    assert _metric(at, "Objective") == f"${ANSWERS['product_mix.txt']['objective']:,}"
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
    assert "belongs to the earlier input" in _warnings(at), "the kept answer is marked as the old model's"


def test_spec_with_errors_is_reported_as_invalid(at: AppTest) -> None:
    bad = dict(SPEC, objective={"sense": "maximize", "expression": "3 * x + 5 * z"})
    _solve_json(at, json.dumps(bad))
    assert _metric(at, "Status") == "Invalid"
    assert "has errors" in _errors(at)
    assert "check.undefined-name" in _markdown(at), "the findings are listed as wrapped text"


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
    assert _metric(at, "Objective") == "$164"


# ----------------------------------------------------------------------------- an answer belongs to its input


@needs_rules
def test_switching_the_example_clears_the_answer(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    assert _has_result(at)
    at.selectbox(key="example").select("Blending").run()
    assert not at.exception
    assert not _has_result(at) and not at.metric, "the bakery's answer is gone under the feed problem"


@needs_rules
def test_changed_text_marks_the_answer_as_the_earlier_inputs(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    assert "earlier input" not in _warnings(at)
    at.text_area(key="problem").set_value("A farm grows wheat. Maximize profit.").run()
    assert "belongs to the earlier input" in _warnings(at)
    assert any(h.value == "Result (for the earlier input)" for h in at.header)


@needs_rules
def test_an_empty_submit_clears_the_answer(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    at.text_area(key="problem").set_value("   ")
    at.button(key="solve_text").click().run()
    assert "Describe the problem first" in _warnings(at)
    assert not _has_result(at)


def test_broken_json_from_the_model_tab_clears_the_answer(at: AppTest) -> None:
    _solve_json(at, json.dumps(SPEC))
    assert _has_result(at)
    _solve_json(at, '{"name": "broken", ')
    assert "not valid JSON" in _errors(at)
    assert not _has_result(at)


@needs_rules
def test_an_edited_model_is_labelled_and_explained_in_its_own_numbers(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    edited = json.loads(at.text_area(key="spec_edit").value)
    flour = next(c for c in edited["constraints"] if "flour" in c["name"])
    assert "100 kg of flour" in flour["description"]
    flour["expression"] = flour["expression"].replace("100", "120")
    _solve_json(at, json.dumps(edited), edited=True)
    assert any("Answer from your edited model" in i.value for i in at.info)
    explanation = _markdown(at)
    assert "<= 120" in explanation and "100 kg of flour" not in explanation
    # by hand: 2b + c <= 120, 10b + 30c <= 600 meet at b = 60 - 3c -> c = 0, b = 60: profit 180
    assert _metric(at, "Objective") == "$180"


# ----------------------------------------------------------------------------- readable answers


def test_what_if_shows_the_new_answer_beside_the_old_one(at: AppTest) -> None:
    spec = dict(SPEC, parameters=[{"name": "labour_hours", "value": 100, "unit": "hours"}],
                constraints=[{"name": "labour", "expression": "x + 2 * y <= labour_hours"}, SPEC["constraints"][1]])
    _solve_json(at, json.dumps(spec))
    assert _metric(at, "Objective") == "270"
    inputs = [n for n in at.number_input if n.key and n.key.startswith("wi_labour_hours")]
    assert inputs and inputs[0].value == 100
    inputs[0].set_value(120).run()
    at.button(key="solve_what_if").click().run()
    assert not at.exception
    assert _metric(at, "Before: objective") == "270"
    assert _metric(at, "After: objective") == "315"  # SPEC's docstring: 120 labour hours give 315
    changed = [t.value for t in at.table if "decision" in (t.value.index.name or "")]
    assert changed and set(changed[0].index) == {"x", "y"}
    assert _metric(at, "Objective") == "270", "the answer itself is untouched"


def test_a_model_without_numbers_to_change_says_where_to_change_them(at: AppTest) -> None:
    _solve_json(at, json.dumps(dict(SPEC, constraints=[{"name": "balance", "expression": "x <= y"},
                                                      {"name": "cap", "expression": "x + y <= 2 * x + 50"}])))
    assert any("no named parameters" in i.value for i in at.info)


def test_ranges_and_shadow_prices_in_words(at: AppTest) -> None:
    _solve_json(at, (ROOT / "examples" / "transportation.json").read_text(encoding="utf-8"))
    text = _markdown(at)
    assert "Total haulage cost per unit of ship[Leeds,London] (now 9 GBP) can range from 5 GBP to 12 GBP" in text
    binding = [t.value for t in at.table if "one more unit" in t.value.columns]
    assert binding
    assert "One more pallet of stock at Bristol would lower total haulage cost by 4 GBP." in \
        binding[0]["one more unit"].tolist()
    assert _metric(at, "Objective") == "3,450 GBP"


def test_closed_depots_are_not_listed_as_binding(at: AppTest) -> None:
    _solve_json(at, (ROOT / "examples" / "facility_location.json").read_text(encoding="utf-8"))
    binding = next(t.value for t in at.table if "one more unit" in t.value.columns)
    assert "depot_capacity[Delta]" in binding.index, "Delta is open and full (120 of 120)"
    assert not {"depot_capacity[Alpha]", "depot_capacity[Beta]"} & set(binding.index), "closed depots"


@needs_rules
def test_downloads_are_named_after_the_model(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    text = " ".join(b.proto.help for b in at.get("download_button"))  # each button's help is its file name
    assert "word_problem" not in text
    assert "bakery_makes_bread_and_cakes" in text


def test_llm_without_key_is_explained_in_the_form_before_submitting(
    at: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    at.radio(key="formulator").set_value("llm").run()
    assert "No LLM is configured yet" in _warnings(at) and "API key" in _warnings(at)
    at.text_area(key="problem").set_value("A bakery makes bread. Maximize profit.")
    at.button(key="solve_text").click().run()
    assert "Offline rules" in _errors(at)
    assert not at.status, "nothing was started, so no folded 'Could not start' box"


@needs_rules
def test_a_long_paste_lists_each_constraint_once(at: AppTest) -> None:
    text = (ROOT / "examples" / "problems" / "product_mix.txt").read_text(encoding="utf-8").strip()
    at.text_area(key="problem").set_value(" ".join([text] * 45))  # about 20,000 characters
    at.button(key="solve_text").click().run()
    assert not at.exception
    assert _metric(at, "Objective") == "$164"
    binding = next(t.value for t in at.table if "one more unit" in t.value.columns)
    assert list(binding.index) == ["flour_capacity (×45)", "oven_time_capacity (×45)"]
    assert any("88 row(s) repeat another constraint" in c.value for c in at.caption)


def test_a_chart_of_many_decisions_shows_the_largest_with_whole_labels(at: AppTest) -> None:
    many = {
        "name": "many",
        "sets": [{"name": "Items", "range": {"start": 1, "stop": 30}}],
        "variables": [{"name": "a_rather_long_decision_name", "index": ["Items"]}],
        "objective": {"sense": "minimize", "expression": "sum(a_rather_long_decision_name[i] for i in Items)"},
        "constraints": [{"name": "least", "for": ["i in Items"], "expression": "a_rather_long_decision_name[i] >= i"}],
    }
    _solve_json(at, json.dumps(many))
    assert _metric(at, "Objective") == "465"  # 1 + 2 + ... + 30
    assert any(c.value == "The 20 largest of 30 nonzero decisions." for c in at.caption)
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert charts
    assert charts[0]["encoding"]["y"]["axis"]["labelLimit"] == 0, "labels are never cut"


@needs_rules
def test_what_if_on_numbers_written_into_the_constraints(at: AppTest) -> None:
    at.selectbox(key="example").select("Product mix").run()
    at.button(key="solve_text").click().run()
    flour = next(n for n in at.number_input if n.key and n.key.startswith("wi_limit_flour"))
    assert flour.value == 100
    flour.set_value(120).run()
    at.button(key="solve_what_if").click().run()
    assert not at.exception
    assert _metric(at, "Before: objective") == "$164"
    assert _metric(at, "After: objective") == "$180"  # by hand: 2b + c <= 120, 10b + 30c <= 600 -> b = 60
    numbers = next(t.value for t in at.table if t.value.index.name == "number")
    assert numbers.loc["flour_capacity", "after"] == "2*bread + cake <= 120"
    assert _metric(at, "Objective") == "$164", "the answer itself is untouched"


def test_the_models_reading_is_shown_beside_the_answer(at: AppTest) -> None:
    _solve_json(at, json.dumps(SPEC))
    page = (" ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)).replace("\\", "")
    assert "Verified means the solution satisfies the model" in page
    assert "x: any amount, from 0 to 40" in page
    assert "requirement labour: labour hours" in page
