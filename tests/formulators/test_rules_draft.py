"""A decline is not a dead end: the Result carries a draft model and the sentences not understood.

The draft is a valid spec a person can finish; finishing it by hand (here: adding the row the
unread sentence states) gives the optimum derived by hand.
"""

from __future__ import annotations

import json

import pandas as pd

from nl2opt import formulate_and_solve
from nl2opt.formulators.rules import RulesFormulator
from nl2opt.pipeline import solve_spec
from nl2opt.result import Result, Status
from nl2opt.spec import Constraint, ModelSpec

PRODUCTION = (
    "A factory must meet a demand of 100 units in month 1, 150 units in month 2, 120 units in month 3 and 180 units in "
    "month 4. It can produce at most 150 units per month at a cost of $5 per unit. Units left at the end of a month can "
    "be stored at a cost of $1 per unit per month. There is no inventory at the start. Minimize the total production and "
    "storage cost."
)
ENDING = " At the end of month 4, 50 units must remain in stock."


def test_declined_result_carries_the_draft_and_the_unread_sentence() -> None:
    result = formulate_and_solve(PRODUCTION + ENDING, formulator="rules")
    assert result.status is Status.DECLINED
    assert result.draft is not None and result.unread == [ENDING.strip()]
    again = Result.model_validate_json(result.to_json())  # survives JSON, as the web form and CLI use it
    assert again.draft == result.draft and again.unread == result.unread


def test_finishing_the_draft_by_hand_solves_it() -> None:
    """Hand derivation: demand 100 + 150 + 120 + 180 plus 50 left at the end is 600 = 4 * 150, so every
    month makes its full 150; stock after months 1-4 is 50, 50, 80, 50 (storage 230). Cost 5 * 600 + 230 = 3230."""
    draft = RulesFormulator().formulate(PRODUCTION + ENDING).draft
    assert draft is not None
    finished = ModelSpec.model_validate(json.loads(draft.to_json()))
    finished.constraints.append(Constraint(name="ending_stock", expression="stock[4] >= 50"))
    result = solve_spec(finished)
    assert result.status is Status.OPTIMAL
    assert result.objective == 3230


def test_scalar_decline_also_has_a_draft_with_the_rows_it_read() -> None:
    text = (
        "A shop sells chairs and tables. Each chair gives $30 profit and each table gives $50 profit. Each chair needs "
        "2 hours of work and each table needs 4 hours. 100 hours of work are available. The order is all or nothing. How many of each should it make to maximize profit?"
    )
    formulation = RulesFormulator().formulate(text)
    assert formulation.spec is None and formulation.draft is not None
    assert {v.name for v in formulation.draft.variables} == {"chair", "table"}
    assert any("100" in c.expression for c in formulation.draft.constraints)


def test_a_text_naming_an_uploaded_table_is_declined_with_advice_for_the_web_form() -> None:
    text = "Ship goods from the plants to the stores at least cost. The costs are in the uploaded table."
    formulation = RulesFormulator().formulate(text, data={"costs": pd.DataFrame({"plant": ["P"], "A": [3]})})
    assert formulation.spec is None
    declined = next(d for d in formulation.diagnostics if d.code == "formulate.declined")
    assert "sidebar" in declined.hint


def test_an_unnamed_uploaded_table_is_reported_unused_when_the_text_is_complete() -> None:
    text = (
        "A shop sells chairs and tables. Each chair gives $30 profit and each table gives $50 profit. Each chair needs "
        "2 hours of work and each table needs 4 hours. 100 hours of work are available. How many of each should it make "
        "to maximize profit?"
    )
    formulation = RulesFormulator().formulate(text, data={"stock levels": pd.DataFrame({"kg": [1]})})
    assert formulation.spec is not None
    assert "formulate.table-unused" in [d.code for d in formulation.diagnostics]


def test_a_cost_table_matching_the_named_places_is_used() -> None:
    """The costs of test_rules_families' transportation case, uploaded as a table: optimum 1050 there
    (brute force); here the same numbers arrive by table, so the same optimum."""
    text = (
        "North can supply 120 units and South can supply 80 units. Store A needs 70 units, store B needs 60 units and "
        "store C needs 70 units. The cost of shipping one unit is in the uploaded table. Minimize the total shipping cost."
    )
    table = pd.DataFrame({"from": ["North", "South"], "A": [4, 5], "B": [6, 3], "C": [9, 7]})
    formulation = RulesFormulator().formulate(text, data={"costs": table})
    assert formulation.spec is not None, [d.message for d in formulation.diagnostics]
    assert solve_spec(formulation.spec).objective == 1050


def test_a_table_that_does_not_match_the_named_places_is_declined_with_sidebar_advice() -> None:
    text = (
        "North can supply 120 units and South can supply 80 units. Store A needs 70 units, store B needs 60 units and "
        "store C needs 70 units. The cost of shipping one unit is in the uploaded table. Minimize the total shipping cost."
    )
    table = pd.DataFrame({"from": ["East", "West"], "A": [4, 5], "B": [6, 3], "C": [9, 7]})
    formulation = RulesFormulator().formulate(text, data={"costs": table})
    assert formulation.spec is None and formulation.draft is not None
    declined = next(d for d in formulation.diagnostics if d.code == "formulate.declined")
    assert "sidebar" in declined.hint
