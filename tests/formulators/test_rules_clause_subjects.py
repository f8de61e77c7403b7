"""Decisions introduced one clause at a time, never listed together ('a senior guide ...; a junior guide ...').

Each optimum is found in the test by brute force over whole-unit plans, never from nl2opt's
own output. Each text has a near miss that leaves one decision's fact unstated: it must decline.
"""

from __future__ import annotations

import pytest

from tests.formulators.offline import solved

VASES = (
    "A large vase needs 3 hours of kiln time and earns $50; a small bowl needs 1 hour of kiln time and earns $15. "
    "There are 60 hours of kiln time a week. At most 12 vases can be sold. How many should be made to maximise profit?"
)
TENTS = (
    "The Standard tent takes 2 hours of sewing, the Deluxe 3 hours; 120 sewing hours are available. "
    "Profit is $30 per Standard and $50 per Deluxe. At least 15 Standard tents must be made. Maximise profit."
)
GUIDES = (
    "A senior guide leads 12 hikers and costs $300 a day; a junior guide leads 8 hikers and costs $180 a day. "
    "At least 100 hikers must be led. No more than 6 senior guides are free. Minimise the daily cost."
)


def test_two_subjects_sharing_their_verbs_are_the_decisions() -> None:
    expected = max(50 * v + 15 * b for v in range(13) for b in range(61) if 3 * v + b <= 60)
    assert expected == 960
    assert solved(VASES) == pytest.approx(expected)


def test_a_subject_whose_verb_is_left_out_joins_the_first() -> None:
    expected = max(30 * s + 50 * d for s in range(15, 61) for d in range(41) if 2 * s + 3 * d <= 120)
    assert expected == 1950
    assert solved(TENTS) == pytest.approx(expected)


def test_staff_kinds_stated_one_clause_each_are_hired_at_least_cost() -> None:
    expected = min(300 * s + 180 * j for s in range(7) for j in range(30) if 12 * s + 8 * j >= 100)
    assert expected == 2280
    assert solved(GUIDES) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        VASES.replace(" and earns $15", ""),
        GUIDES.replace(" and costs $180 a day", ""),
        TENTS.replace(" and $50 per Deluxe", ""),
    ],
)
def test_a_decision_missing_a_fact_still_declines(text: str) -> None:
    assert solved(text) is None


def test_small_ones_are_the_small_kind_of_the_thing_named_before() -> None:
    text = (
        "We must carry 60 crates. A small van carries 5 crates and costs $40 a day; a large van carries 12 crates "
        "and costs $85. The depot has 3 large vans and 8 small ones. Minimise rental cost."
    )
    expected = min(40 * s + 85 * b for s in range(9) for b in range(4) if 5 * s + 12 * b >= 60)
    assert solved(text) == pytest.approx(expected)


def test_a_second_verb_of_the_first_subject_is_no_new_subject() -> None:
    from nl2opt.formulators.rules.entities import find_variables
    from nl2opt.formulators.rules.sentences import sentences

    text = (
        "Small crates weigh 20 kg, occupy 2 cubic feet and earn $40; large crates weigh 50 kg, occupy 3 cubic feet "
        "and earn $90. The van takes at most 500 kg. Maximise profit."
    )
    assert [v.name for v in find_variables(sentences(text)) or []] == ["small_crate", "large_crate"]


def test_staff_hours_of_cover_are_met_by_the_hours_each_kind_works() -> None:
    text = (
        "A help desk needs at least 120 staff-hours of cover a week. A full-time clerk works 40 hours and costs $800 "
        "a week; a part-time clerk works 20 hours and costs $380 a week. At most 2 full-time clerks can be hired. "
        "Minimise the weekly wage bill."
    )
    expected = min(800 * f + 380 * p for f in range(3) for p in range(7) if 40 * f + 20 * p >= 120)
    assert expected == 2280
    assert solved(text) == pytest.approx(expected)
