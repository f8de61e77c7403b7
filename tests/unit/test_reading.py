"""The model's reading in plain words, and the differences between two readings."""

from __future__ import annotations

from typing import Any

from nl2opt.reading import decision, differences, reading
from nl2opt.spec import ModelSpec, Variable


def spec(**changes: Any) -> ModelSpec:
    base: dict[str, Any] = {
        "variables": [{"name": "x", "domain": "integer", "description": "trucks bought"}],
        "objective": {"sense": "minimize", "expression": "x"},
        "constraints": [{"name": "need", "expression": "x >= 3", "description": "at least 3 trucks"}],
        "assumptions": ["trucks are bought whole"],
    }
    base.update(changes)
    return ModelSpec.model_validate(base)


def test_a_decision_reads_with_its_domain_and_bounds() -> None:
    assert (
        decision(Variable(name="project_e", domain="integer"))
        == "project_e: whole number, 0 or more, no upper limit"
    )
    assert decision(
        Variable(name="open", index=["Sites"], domain="binary", description="1 if the site opens")
    ) == ("open[Sites]: yes/no (0 or 1) (1 if the site opens)")
    assert decision(Variable(name="t", lower=None, upper=2.5)) == "t: any amount, no lower limit, at most 2.5"
    assert decision(Variable(name="s", lower=1, upper=4)) == "s: any amount, from 1 to 4"


def test_the_reading_lists_decisions_requirements_and_assumptions() -> None:
    assert reading(spec()) == [
        "x: whole number, 0 or more, no upper limit (trucks bought)",
        "requirement need: at least 3 trucks [x >= 3]",
        "assumes: trucks are bought whole",
    ]


def test_differences_name_what_one_reading_has_and_the_other_lacks() -> None:
    other = spec(
        variables=[{"name": "x", "description": "trucks bought"}],
        constraints=[
            {"name": "need", "expression": "x >= 4", "description": "more than 3 trucks"},
            {"name": "cap", "expression": "x <= 9", "description": "at most 9"},
        ],
        assumptions=[],
    )
    assert differences(spec(), other, names=("A", "B")) == [
        "x is whole number, 0 or more, no upper limit in A but any amount, 0 or more, no upper limit in B",
        "need reads x >= 3 in A but x >= 4 in B",
        "B requires 'at most 9' (cap: x <= 9); A does not",
        'A assumes "trucks are bought whole"',
    ]


def test_identical_readings_have_no_differences() -> None:
    assert differences(spec(), spec()) == []


def test_solve_spec_results_carry_the_reading_and_assumptions() -> None:
    from nl2opt.pipeline import solve_spec

    result = solve_spec(spec())
    assert result.reading == reading(spec()) and result.assumptions == ["trucks are bought whole"]
    assert "Whether the model reads your text as you meant is for you to judge" in result.explanation
