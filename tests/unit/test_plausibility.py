"""The text checks read a problem the way a person does: labels are not data, signs and
notation do not hide a number, counted things are tied to the variable that counts them,
and yes/no sentences need a yes/no decision. Each case is written here, with its reading."""

from __future__ import annotations

from typing import Any

import pytest

from nl2opt.spec import ModelSpec
from nl2opt.verify.plausibility import plausibility
from nl2opt.verify.textreqs import Kind, requirements, unreflected


def model(
    *,
    parameters: list[dict[str, Any]] | None = None,
    variables: list[dict[str, Any]] | None = None,
    constraints: list[dict[str, Any]] | None = None,
    sets: list[dict[str, Any]] | None = None,
    objective: str = "x",
    sense: str = "maximize",
    assumptions: list[str] | None = None,
    description: str = "",
) -> ModelSpec:
    return ModelSpec.model_validate(
        {
            "description": description,
            "sets": sets or [],
            "parameters": parameters or [],
            "variables": variables or [{"name": "x"}],
            "objective": {"sense": sense, "expression": objective},
            "constraints": constraints or [],
            "assumptions": assumptions or [],
        }
    )


def codes(text: str, spec: ModelSpec, **kw: Any) -> list[str]:
    return [d.code for d in plausibility(text, spec, **kw)]


def unused(text: str, spec: ModelSpec) -> list[str]:
    return [
        d.message.split("the number ")[1].split(" in ")[0]
        for d in plausibility(text, spec)
        if d.code == "verify.unused-number"
    ]


USES_40 = model(constraints=[{"name": "cap", "expression": "x <= 40"}])


# -- numbers that are not data -------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Rules:\n1. Output is at most 40 units.\n2. Nothing else.",
        "Rules:\n(4) Output is at most 40 units.",
        "- 3) Output is at most 40 units.",
        "Prices are shown in Table 1.3. Output is at most 40.",
        "See Table 4-4 and Figure 2. Output is at most 40.",
        "The model has 14 linear constraints and 3 decision variables; output is at most 40.",
    ],
)
def test_labels_and_counts_of_the_models_parts_are_not_data(text: str) -> None:
    assert unused(text, USES_40) == []


def test_a_number_after_a_list_label_is_still_data() -> None:
    assert unused("Rules:\n1. Output is at most 45 units.", USES_40) == ["45"]


def test_members_of_a_declared_range_are_used() -> None:
    spec = model(sets=[{"name": "Parts", "range": {"start": 1, "stop": 10}}])
    assert unused("| Part | 1 | 2 | 7 | 8 | 9 | 10 |", spec) == []
    assert unused("| Part | 11 |", spec) == ["11"]


def test_a_sets_size_matches_a_count_of_its_members() -> None:
    spec = model(sets=[{"name": "Products", "elements": ["a", "b", "c", "d", "e"]}])
    assert unused("There are 5 products.", spec) == []
    assert unused("There are 6 products.", spec) == ["6"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The second city has a surplus of 11 units.", -11),
        ("The second city has a deficit of 11 units.", -11),
        ("Profit is minus 0.25 per unit.", -0.25),
        ("Net demand is -15.", -15),
        ("The rate is 5.276e-04 per unit.", 0.0005276),
        ("The budget is $1,250,000.", 1_250_000),
        ("Output may grow by 20%.", 1.2),
        ("At most 35% may be cakes.", 0.35),
        ("At least 35% must be bread.", 0.65),
    ],
)
def test_signs_notation_separators_and_percentages_do_not_hide_a_used_number(text: str, value: float) -> None:
    spec = model(parameters=[{"name": "p", "value": value}], objective="p * x")
    assert unused(text, spec) == []


def test_scientific_notation_is_one_number_not_a_mantissa() -> None:
    spec = model(parameters=[{"name": "p", "value": 5.276}], objective="p * x")
    assert unused("The rate is 5.276e-04 per unit.", spec) == ["5.276e-04"]


def test_a_number_the_model_derives_and_states_is_used() -> None:
    spec = model(
        parameters=[{"name": "big_m", "value": 100000, "description": "giving 99997 = 100000 - 3"}],
        objective="big_m * x",
    )
    assert unused("Right-hand sides such as 99997 and 99993 appear.", spec) == ["99993"]


def test_a_parameter_no_expression_uses_is_reported_once_with_its_numbers() -> None:
    spec = model(
        parameters=[{"name": "cap", "value": 40}, {"name": "hours", "value": 80}],
        constraints=[{"name": "c", "expression": "x <= cap"}],
    )
    found = plausibility("Capacity is 40. Ovens run 80 hours.", spec)
    assert [(d.code, d.where) for d in found] == [("verify.unused-parameter", "parameters[hours]")]


def test_an_assumption_naming_a_number_answers_its_warning() -> None:
    spec = model(constraints=[{"name": "cap", "expression": "x <= 40"}], assumptions=["15 is a room number"])
    assert unused("Output is at most 40 in room 15.", spec) == []


# -- whole things --------------------------------------------------------------------------
ACRES = {"name": "acres", "index": [], "description": "acres of land worked by machine m"}


@pytest.mark.parametrize(
    ("text", "variable"),
    [
        ("A farmer has 200 acres. How many acres should each machine work?", ACRES),
        (
            "Number of Distribution Centers: 4. Ship goods to stores.",
            {"name": "ship", "description": "units shipped from center c"},
        ),
        (
            "How many machines run each job? Find start times.",
            {"name": "start", "description": "start time of job j"},
        ),
        ("How many trucks? Write a linear programming model.", {"name": "trucks"}),
        ("How many trucks? Fractional amounts are allowed.", {"name": "trucks"}),
    ],
)
def test_integrality_is_tied_to_the_variable_and_to_explicit_words(
    text: str, variable: dict[str, Any]
) -> None:
    opened = {"name": "opened", "domain": "binary", "description": "1 if center c opens"}
    spec = model(variables=[variable, opened], objective=variable["name"])
    assert "verify.integrality-wording" not in codes(text, spec)


def test_integer_linear_programming_still_asks_for_whole_trucks() -> None:
    spec = model(variables=[{"name": "trucks"}], objective="trucks")
    assert "verify.integrality-wording" in codes(
        "How many trucks? Write an integer linear programming model.", spec
    )


def test_integrality_warning_is_silent_when_the_solved_values_are_whole() -> None:
    spec = model(variables=[{"name": "trucks"}], objective="trucks")
    text = "How many trucks should the company buy?"
    assert "verify.integrality-wording" in codes(text, spec, values={"trucks": 2.5})
    assert "verify.integrality-wording" not in codes(text, spec, values={"trucks": 3.0})


def test_an_assumption_about_the_variable_answers_the_integrality_warning() -> None:
    spec = model(
        variables=[{"name": "servings"}], objective="servings", assumptions=["servings are divisible"]
    )
    assert "verify.integrality-wording" not in codes("How many servings of each food?", spec)


# -- yes/no requirements -------------------------------------------------------------------
FIVE_PROJECTS = (
    "A firm chooses among five projects A to E with costs 30, 40, 20, 50 and 25 and returns 50, 60, 36, "
    "72 and 40. The budget is 100. Each project is either fully selected or not at all. Maximize return."
)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Each project is either fully selected or not at all.", Kind.ALL_OR_NOTHING),
        ("A project is funded in full or not at all.", Kind.ALL_OR_NOTHING),
        ("At most one of the two sites may open.", Kind.AT_MOST_ONE),
        ("Plans A and B cannot both be chosen.", Kind.NOT_BOTH),
        ("Decide whether to open each warehouse.", Kind.YES_NO),
    ],
)
def test_yes_no_sentences_are_recognised(sentence: str, kind: Kind) -> None:
    [req] = requirements(f"Costs are 5. {sentence} Minimise cost.")
    assert req.kind is kind and req.sentence == sentence


def test_plain_sentences_are_not_yes_no_requirements() -> None:
    assert requirements("Either truck may carry at most 40 boxes. Each box weighs 2 kg.") == []


def projects(domain: str, upper: float | None = None) -> ModelSpec:
    names = [f"project_{c}" for c in "abcde"]
    return model(
        variables=[
            {"name": n, "domain": domain, "upper": upper, "description": f"Project {n[-1].upper()}"}
            for n in names
        ],
        objective="50*project_a + 60*project_b + 36*project_c + 72*project_d + 40*project_e",
    )


def test_the_five_project_selection_with_unbounded_integers_is_flagged() -> None:
    found = [
        d
        for d in plausibility(FIVE_PROJECTS, projects("integer"), values={"project_c": 5.0})
        if d.code == "verify.yes-no-unmodelled"
    ]
    assert len(found) == 1 and "fully selected or not at all" in found[0].message


@pytest.mark.parametrize(("domain", "upper"), [("binary", None), ("integer", 1)])
def test_zero_one_variables_reflect_the_requirement(domain: str, upper: float | None) -> None:
    assert unreflected(FIVE_PROJECTS, projects(domain, upper)) == []


def test_values_that_came_out_zero_or_one_need_no_warning() -> None:
    values = {f"project_{c}": v for c, v in zip("abcde", [1.0, 0.0, 1.0, 0.0, 1.0], strict=True)}
    assert unreflected(FIVE_PROJECTS, projects("continuous"), values=values) == []


def test_a_logic_constraint_reflects_an_at_most_one_sentence() -> None:
    spec = model(
        variables=[{"name": "open_a", "description": "site A"}, {"name": "open_b", "description": "site B"}],
        constraints=[
            {"name": "one", "expression": "at_most(1, [open_a >= 1, open_b >= 1])", "kind": "logic"}
        ],
        objective="open_a + open_b",
    )
    assert unreflected("At most one of the two sites may open.", spec) == []


# -- constraint sense ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expression", "description", "warned"),
    [
        ("x >= 40", "output cannot exceed 40", True),
        ("40 >= x", "output cannot exceed 40", False),
        ("x <= 40", "output of at least 40", True),
        ("x <= 40", "The production capacity is 40", False),
        ("x >= 40", "meet the demand of 40", False),
        ("x <= 40", "meet the demand of 40", True),
        ("x <= 2 * y", "x can be at most twice y", False),
        ("y >= 0.5 * x", "x can be at most twice y", False),
        ("y <= 0.5 * x", "x can be at most twice y", True),
        ("x == 40", "at most 40", False),
        ("x <= 40", "at most 40 and at least 10", False),
    ],
)
def test_a_constraint_runs_the_way_its_description_says(
    expression: str, description: str, warned: bool
) -> None:
    spec = model(
        variables=[{"name": "x"}, {"name": "y"}],
        constraints=[{"name": "c", "expression": expression, "description": description}],
        objective="x + y",
    )
    assert ("verify.constraint-sense" in codes("Make x and y; at most 40 and twice.", spec)) is warned


def test_a_variable_described_as_yes_no_must_not_be_continuous() -> None:
    spec = model(
        variables=[{"name": "opened", "upper": 1, "description": "1 if the site opens"}], objective="opened"
    )
    assert "verify.integrality-wording" in codes("Open sites.", spec, values={"opened": 0.5})
    assert "verify.integrality-wording" not in codes("Open sites.", spec, values={"opened": 1.0})


@pytest.mark.parametrize(
    ("assumption", "answered"),
    [
        ("hours is a label of the shift, not data", True),
        ("ovens are old", False),
    ],
)
def test_an_assumption_naming_an_idle_parameter_answers_it(assumption: str, answered: bool) -> None:
    spec = model(
        parameters=[{"name": "cap", "value": 40}, {"name": "hours", "value": 80}],
        constraints=[{"name": "c", "expression": "x <= cap"}],
        assumptions=[assumption],
    )
    assert ("verify.unused-parameter" in codes("Capacity is 40. Ovens run 80 hours.", spec)) is not answered


def test_choosing_exactly_one_method_is_a_yes_no_requirement() -> None:
    [req] = requirements("The company must choose exactly one method to complete each task.")
    assert req.kind is Kind.AT_MOST_ONE


@pytest.mark.parametrize(
    ("expression", "kind", "warned"),
    [
        ("ship <= 40 * opened", None, False),
        ("ship >= 40 * opened", None, True),
        ("x <= 40", "capacity", False),
        ("x >= 40", "capacity", True),
        ("x >= 40", "demand", False),
    ],
)
def test_the_subject_is_the_amount_not_the_yes_no_switch_and_kind_says_the_direction(
    expression: str, kind: str | None, warned: bool
) -> None:
    description = "the site's capacity" if kind is None else "the site"
    spec = model(
        variables=[{"name": "x"}, {"name": "ship"}, {"name": "opened", "domain": "binary"}],
        constraints=[{"name": "c", "expression": expression, "description": description, "kind": kind}],
        objective="x + ship",
    )
    assert ("verify.constraint-sense" in codes("Ship and open; 40 each.", spec)) is warned


def test_a_repeated_yes_no_sentence_is_warned_about_once() -> None:
    text = "Each project is either fully selected or not at all. " * 50
    found = [d for d in plausibility(text, projects("integer")) if d.code == "verify.yes-no-unmodelled"]
    assert len(found) == 1


@pytest.mark.parametrize(
    ("expression", "description", "warned"),
    [
        ("x <= 12", "You cannot throw more than 12 of either type.", False),
        ("x >= 12", "You cannot throw more than 12 of either type.", True),
        ("x <= 15", "Time restricts you from answering more than 15.", False),
        ("x <= 40", "keep the wage bill below $40", False),
        ("x >= 40", "must sell more than 40", False),
        ("x <= 50", "needs at least 150 units of protein but must not eat more than 50 units of fat", False),
        ("x >= 150", "needs at least 150 units of protein but must not eat more than 50 units of fat", False),
    ],
)
def test_negated_comparatives_and_the_clause_holding_the_number_give_the_direction(
    expression: str, description: str, warned: bool
) -> None:
    spec = model(constraints=[{"name": "c", "expression": expression, "description": description}])
    assert ("verify.constraint-sense" in codes("x; 12 15 40 50 150.", spec)) is warned


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("It costs $500 to run farm 1 and $400 to run farm 2.", []),
        ("Each cartoon is seen by 2 millions boys.", []),
        ("A cup of coffee earns $1 and a cup of tea $3.", []),
    ],
)
def test_numbered_members_millions_and_implicit_ones_are_read_as_a_person_would(
    text: str, flagged: list[str]
) -> None:
    spec = model(
        parameters=[{"name": "p", "index": ["F"], "values": [500, 400, 2_000_000, 3]}],
        sets=[{"name": "F", "elements": ["a", "b", "c", "d"]}],
        objective="sum(p[f] for f in F) * x",
    )
    assert unused(text, spec) == flagged


def test_a_verb_before_numbers_is_not_a_label() -> None:
    text = "Operation 0 takes 3 units, operation 1 takes 6 units and operation 2 takes 2 units."
    spec = model(
        parameters=[{"name": "t", "index": ["O"], "values": [3, 2, 2]}],
        sets=[{"name": "O", "range": {"start": 0, "stop": 2}}],
        objective="sum(t[o] for o in O) * x",
    )
    assert unused(text, spec) == ["6"]


def test_indivisible_amounts_are_not_yes_no_requirements() -> None:
    assert requirements("Buses can't be split and partial sales are not possible.") == []


def test_a_cost_named_with_an_extra_word_still_asks_for_a_minimum() -> None:
    text = "The maximum number of hires is 7. What is the minimum possible total hiring cost?"
    assert "verify.objective-sense" not in codes(
        text, model(sense="minimize", constraints=[{"name": "c", "expression": "x <= 7"}])
    )


@pytest.mark.parametrize(
    ("expression", "description", "warned"),
    [
        ("team_y >= 6", "Team X requires at least 6 hours of work, while team Y needs 4 hours.", True),
        ("team_x >= 6", "Team X requires at least 6 hours of work, while team Y needs 4 hours.", False),
        ("team_y >= 4", "Team X requires at least 6 hours of work, while team Y needs 4 hours.", False),
        ("team_x + team_y >= 6", "Team X requires at least 6 hours of work.", False),
        ("team_y >= 6", "at least 6 hours of work", False),
    ],
)
def test_a_one_decision_constraint_is_on_the_decision_its_clause_names(
    expression: str, description: str, warned: bool
) -> None:
    spec = model(
        variables=[{"name": "team_x"}, {"name": "team_y"}],
        constraints=[{"name": "c", "expression": expression, "description": description}],
        objective="team_x + team_y",
    )
    assert ("verify.constraint-subject" in codes("Teams X and Y; 6 and 4 hours.", spec)) is warned
