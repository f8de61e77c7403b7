"""Algebra in prose over named symbols (X, Y, Z), read only after the scalar rules declined.

Optima are found here by brute force over whole numbers; the texts are written for these tests.
"""

from __future__ import annotations

import itertools

import pytest

from nl2opt.formulators.rules import algebra
from nl2opt.formulators.rules.sentences import sentences
from nl2opt.pipeline import solve_spec
from tests.formulators.offline import solved as _solve


def test_linear_combinations_in_words() -> None:
    text = (
        "A planner splits effort between three projects: X, Y and Z. Project X and Y combined cannot exceed 50 units, "
        "while twice the effort for project Y plus the effort for project Z must be at least 40 units. The effort for "
        "project X minus the effort for project Z should be at least 5 units. Each unit of effort costs $4 for X, $3 for "
        "Y and $2 for Z. The planner aims to minimize the total cost, with whole units."
    )
    best = min(
        4 * x + 3 * y + 2 * z
        for x, y, z in itertools.product(range(61), repeat=3)
        if x + y <= 50 and 2 * y + z >= 40 and x - z >= 5
    )
    assert _solve(text) == pytest.approx(best)


def test_ratios_offsets_and_respectively() -> None:
    text = (
        "A developer builds two property types, X and Y. The number of X must be at least half the number of Y plus "
        "3 units. The total number of properties for both types cannot exceed 10. X and Y together must be at least 6. "
        "Each unit costs $50, and $80 for X and Y respectively. The developer aims to minimize the total cost."
    )
    best = min(
        50 * x + 80 * y
        for x, y in itertools.product(range(11), repeat=2)
        if x >= 0.5 * y + 3 and x + y <= 10 and x + y >= 6
    )
    assert _solve(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The investment in X cannot be less than $100 and for Y, it cannot be less than 50 units.",  # 'and Y' after an amount
        "Unless Y is chosen, X must be at most 20 units.",  # a condition
        "Each unit of X needs two-and-a-half hours.",  # a number inside a word
    ],
)
def test_unread_algebra_declines(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _solve(text) is None


def test_a_goal_about_cost_is_not_read_from_returns() -> None:
    text = (
        "A manager invests in channels X and Y. X and Y combined must be at least 500 units. Each dollar yields 2 units "
        "of return on X and 3 units of return on Y. The manager aims to minimize the total cost."
    )
    assert _solve(text) is None


def test_amounts_of_a_symbol_and_totals_across_all_of_them() -> None:
    text = (
        "A developer plans three property types: X, Y and Z. The total number across all three types cannot exceed 12 "
        "units. No more than 7 units of property X and no more than 6 units of property Y can be built. X and Y together "
        "must be at least 9. Each unit costs $5, $4 and $1 for X, Y and Z respectively. The developer aims to minimize "
        "the total cost."
    )
    best = min(
        5 * x + 4 * y + 1 * z
        for x, y, z in itertools.product(range(13), repeat=3)
        if x + y + z <= 12 and x <= 7 and y <= 6 and x + y >= 9
    )
    assert _solve(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The investment in X (doubled) and Y (tripled) should be at least 40 units.",
        "X requires at least 20 units more than negative three times Y.",
        "The amount for X, once halved, must be at least 15 units.",
    ],
)
def test_wordings_that_change_the_numbers_are_declined(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _solve(text) is None


def _algebra_reads(text: str) -> bool:
    """Whether the symbol reader itself (not the scalar rules tried before it) returns a model."""
    return algebra.read(sentences(text), text, integer=True) is not None


def _solve_both(text: str) -> float | None:
    """The optimum from the symbol reader alone, which the whole formulator must agree with."""
    spec = algebra.read(sentences(text), text, integer=True)
    assert spec is not None, "the symbol reader declined"
    result = solve_spec(spec)
    assert result.verified
    assert _solve(text) == pytest.approx(result.objective)
    return result.objective


def _best(sense: str, objective, constraints, ranges) -> float:
    """Brute force over whole numbers: the optimum of ``objective`` over points meeting ``constraints``."""
    values = [objective(*p) for p in itertools.product(*ranges) if constraints(*p)]
    return min(values) if sense == "min" else max(values)


def test_a_question_is_the_goal_and_wrappers_around_requirements_are_dropped() -> None:
    text = (
        "A clinic splits staff hours between two wards, $X$ and $Y$. To keep both wards open, the hours for ward X "
        "plus the hours for ward Y must be at least 12 hours, as night cover is shared (such as nurses or porters). "
        "Furthermore, due to the demands of each ward, the hours for ward X minus the hours for ward Y should not be "
        "less than 2. Each hour costs \\$30 for ward X and \\$20 for ward Y.\\n\\nWhat is the minimum total cost in "
        "dollars, rounded up to the nearest dollar?"
    )
    best = _best(
        "min", lambda x, y: 30 * x + 20 * y, lambda x, y: x + y >= 12 and x - y >= 2, [range(20)] * 2
    )
    assert _solve_both(text) == pytest.approx(best)  # 7 and 5: 310


def test_bounds_listed_after_one_comparison_word() -> None:
    text = (
        "A farm divides labour between three fields: X, Y and Z. X, Y and Z together need at least 20 days. "
        "The maximum labour for field X is 6 days and for field Y is 9 days due to soil limits. "
        "There are caps on each field: a maximum of 8 for Z. "
        "Each day of labour costs $5 for X, $4 for Y and $7 for Z. The farm aims to minimize the total cost."
    )
    best = _best(
        "min",
        lambda x, y, z: 5 * x + 4 * y + 7 * z,
        lambda x, y, z: x + y + z >= 20 and x <= 6 and y <= 9 and z <= 8,
        [range(21)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


def test_a_heading_then_one_requirement_per_symbol() -> None:
    text = (
        "A school funds two clubs, X and Y. X and Y combined cannot exceed 30 units. "
        "Each club needs a minimum amount to run: club X requires at least 4 units, and club Y needs at least 7 units. "
        "Each unit costs $3 for X and $2 for Y. The school aims to minimize the total cost."
    )
    best = _best(
        "min", lambda x, y: 3 * x + 2 * y, lambda x, y: x + y <= 30 and x >= 4 and y >= 7, [range(31)] * 2
    )
    assert _solve_both(text) == pytest.approx(best)


def test_upper_limits_with_respectively_and_costs_in_listed_order() -> None:
    text = (
        "A workshop makes three parts: x1, x2 and x3. Parts x1, x2 and x3 together must be at least 15 units. "
        "The upper limits for x1 and x2 are 4 and 6 units respectively. "
        "The workloads of the parts are 2, 3 and 5 hours respectively. The workshop aims to minimize the total workload."
    )
    best = _best(
        "min",
        lambda a, b, c: 2 * a + 3 * b + 5 * c,
        lambda a, b, c: a + b + c >= 15 and a <= 4 and b <= 6,
        [range(16)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


def test_exceed_by_a_margin_and_an_excess_over_another_symbol() -> None:
    text = (
        "A port assigns cranes to three berths, X, Y and Z. X and Y combined cannot exceed 40 cranes. "
        "The cranes at berth X should exceed those at berth Y by at least 4 units. "
        "Berth X cannot exceed twice the cranes at berth Y by more than 10 units. "
        "Berth Y requires a minimum excess of 3 units over the quantity at Z. "
        "Z must be at least 2 units. Each crane costs $9 for X, $6 for Y and $1 for Z. "
        "The port aims to minimize the total cost."
    )
    best = _best(
        "min",
        lambda x, y, z: 9 * x + 6 * y + z,
        lambda x, y, z: x + y <= 40 and x - y >= 4 and x - 2 * y <= 10 and y - z >= 3 and z >= 2,
        [range(41)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


def test_ranges_shared_totals_and_meet_or_exceed() -> None:
    text = (
        "A lab runs tests on three machines: X, Y and Z. Machine X can run a minimum of 2 tests up to a maximum of "
        "9 tests. Machine Y needs at least 1 but no more than 5 tests. At least 6 tests must be split between X and Z. "
        "Twice the tests on Y plus the tests on Z must meet or exceed 8. "
        "Each test costs $4 on X, $3 on Y and $2 on Z. The lab aims to minimize the total cost."
    )
    best = _best(
        "min",
        lambda x, y, z: 4 * x + 3 * y + 2 * z,
        lambda x, y, z: 2 <= x <= 9 and 1 <= y <= 5 and x + z >= 6 and 2 * y + z >= 8,
        [range(20)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


def test_budget_totals_mixed_case_symbols_fractions_and_multipliers_in_brackets() -> None:
    text = (
        "A fund manager allocates a budget across three funds: x1, x2 and x3. The total budget for all three funds "
        "cannot exceed $60. Fund x1 (multiplied by two) plus fund X2 must be at least equal to 20. "
        "Three-fourths of the amount in fund X3 plus x2 should be at least 9. "
        "Each dollar in x1, x2 and x3 has a risk of 5, 3 and 4 units respectively. "
        "The manager aims to minimize the total risk."
    )
    best = _best(
        "min",
        lambda a, b, c: 5 * a + 3 * b + 4 * c,
        lambda a, b, c: a + b + c <= 60 and 2 * a + b >= 20 and 0.75 * c + b >= 9,
        [range(61)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The maximum for X and Y is 20 units.",  # one amount for two symbols: each, or their sum?
        "The excess of X over Y must be at most 10 units.",  # a difference written as 'excess of ... over'
        "X must exceed Y by 10 units.",  # 'by' with no direction of its own
        "At least 20 units of X are needed in favor of Y.",  # an amount tied to the wrong symbol
        "A maximum of 30 for X, 25 for Y and 10 spare.",  # an amount with no symbol
        "The upper limits for X and Y are 10, 20 and 30 units respectively.",  # three amounts for two symbols
        "X and Y combined cannot exceed 50 units as 3 rooms are shared.",  # a reason holding a number
        "The hours for X subtracted from twice the hours for Y must be at most 5.",  # order reversed by 'from'
        "X should not be less than Y plus Z.",  # a comparison with no number that names a third symbol
        "Six-tenths-ish of X must be at least 5 units.",  # a number word glued into another word
    ],
)
def test_near_misses_of_the_new_phrasings_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. What is the minimum total cost?"
    )
    assert _algebra_reads(text.replace(sentence, ""))  # the text without the sentence is read
    assert not _algebra_reads(text)


def test_a_comparison_with_no_number_must_still_be_read() -> None:
    base = (
        "A planner splits effort between two projects: X and Y. X and Y combined must be at least 10 units. "
        "Each unit of effort costs $4 for X and $3 for Y. What is the minimum total cost?"
    )
    assert _solve(base) == pytest.approx(30)
    read = base.replace("10 units.", "10 units. The effort for X should not be less than the effort for Y.")
    assert _solve(read) == pytest.approx(35)  # 5 and 5
    unread = base.replace(
        "10 units.", "10 units. The effort for X should not be less than the effort for Y squared."
    )
    assert _algebra_reads(read) and not _algebra_reads(unread)


def test_ranges_in_brackets_and_words_a_headed_list_and_more_than_with_a_unit() -> None:
    text = (
        "A hospital assigns shifts to three teams: x1, x2 and x3.\\nx1: [2,9]\\n"
        "For team x2 it ranges from 1-6 shifts, and x3 lies between 0 and 7 shifts. "
        "The minimum shifts per team are as follows: 3 for x1 and 2 for x2. "
        "Team x3 should have at least 2 more shifts allocated than team x2. "
        "Each shift costs $8 for x1, $5 for x2 and $6 for x3. What is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda a, b, c: 8 * a + 5 * b + 6 * c,
        lambda a, b, c: 2 <= a <= 9 and 1 <= b <= 6 and 0 <= c <= 7 and a >= 3 and b >= 2 and c - b >= 2,
        [range(12)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "X ranges from 9 to 3 units.",  # a range that runs backwards
        "X and Y range from 0 to 40 units.",  # one range for two symbols
        "The bounds are 0-10 for X and at most 4 for Y.",  # a range next to another requirement
        "The maximum hours are as follows: 20 for X and 30.",  # an amount with no symbol under a heading
        "X should have at least 2 more units of Y than Z.",  # 'more ... than' with a symbol between
    ],
)
def test_near_misses_of_ranges_and_headed_lists_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. What is the minimum total cost?"
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_limits_named_once_a_lead_in_before_a_total_and_ranges_inside_the_question() -> None:
    text = (
        "A port plans the loads of two ships, X and Y. However, due to budget constraints, the total number of loads "
        "for both ships cannot exceed 30. The maximum number of loads that can be put on ship X is 12 and on ship Y "
        "is 20. Twice the loads provided by ship X plus the loads provided by ship Y should be at least 24. "
        "Each load costs $7 on X and $4 on Y. Given that both loads are bounded (X can range from 1-12 loads, while "
        "Y can range from 2-20 loads), what is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda x, y: 7 * x + 4 * y,
        lambda x, y: x + y <= 30 and 1 <= x <= 12 and 2 <= y <= 20 and 2 * x + y >= 24,
        [range(31)] * 2,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The maximum for X is 20 units and 30 units in total.",  # a second amount with no symbol
        "The maximum for X is 20 units or 30 units.",  # two amounts offered for one limit
        "X can range from 1-12 units provided that Y is used.",  # 'provided that' is a condition
    ],
)
def test_near_misses_of_limits_named_once_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_names_given_to_symbols_are_read_as_the_symbols() -> None:
    text = (
        "A builder plans three kinds of homes: timber cabins (X), stone cottages (Y) and Z (glass studios). "
        "The total number of homes cannot exceed 20. At least 3 cabins must be built. "
        "The number of stone cottages plus the number of glass studios must be at least 9. "
        "Each cabin costs $40, each cottage costs $70 and each glass studio costs $50. "
        "The builder aims to minimize the total cost."
    )
    best = _best(
        "min",
        lambda x, y, z: 40 * x + 70 * y + 50 * z,
        lambda x, y, z: x + y + z <= 20 and x >= 3 and y + z >= 9,
        [range(21)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "Each cabin and cottage costs $40 and $70.",  # two names, two amounts, no 'respectively'
        "Stone walls need at least 5 units.",  # a word of a name used for something else, with a number
    ],
)
def test_near_misses_of_names_decline(sentence: str) -> None:
    text = (
        "A builder plans two kinds of homes: timber cabins (X) and stone cottages (Y). "
        "The total number of homes cannot exceed 20. " + sentence + " What is the minimum total cost?"
    )
    with_costs = text.replace(sentence, "Each cabin costs $40 and each cottage costs $70.")
    assert _algebra_reads(with_costs)
    assert not _algebra_reads(text.replace(" What", " Each cabin costs $40 and each cottage costs $70. What"))


def test_capped_must_equal_and_cannot_as_a_negated_comparison() -> None:
    text = (
        "A studio books hours for three rooms: x1, x2 and x3. The hours for rooms x1 and x2 are capped at 12. "
        "Rooms x2 and x3 can't have more than 10 hours combined. The hours of x1 plus x3 must equal 9. "
        "The hours are whole numbers, as one can't book half an hour. "
        "Each hour costs $5 for x1, $2 for x2 and $3 for x3. What is the maximum total cost?"
    )
    best = _best(
        "max",
        lambda a, b, c: 5 * a + 2 * b + 3 * c,
        lambda a, b, c: a + b <= 12 and b + c <= 10 and a + c == 9,
        [range(13)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "Twice X minus Y and Z should not surpass 4 units.",  # is Z subtracted too?
        "X cannot be chosen when Y is above 5 units.",  # 'cannot' that is not a comparison
        "X can't be negative and Y must exceed 2 units.",  # a second requirement after a harmless 'cannot'
    ],
)
def test_near_misses_of_cannot_and_subtraction_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between three projects: X, Y and Z. X, Y and Z combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X, $3 for Y and $1 for Z. The planner aims to maximize the total cost."
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_a_formula_in_brackets_factors_in_brackets_and_respective_listings() -> None:
    text = (
        "A carrier plans trips on three lanes: X, Y and Z. To meet demand, at least 40 loads (calculated as twice "
        "the trips on lane X plus thrice the trips on lane Y) must be moved. Lane X (multiplied by a factor of 4 due "
        "to its length) plus lane Z must be at least 12. Given that the upper limits for lanes X and Y are "
        "respectively limited to 9 trips and 8 trips, what is the minimum total cost? The costs to run one unit of "
        "each lane are $6, $5 and $2 respectively."
    )
    best = _best(
        "min",
        lambda x, y, z: 6 * x + 5 * y + 2 * z,
        lambda x, y, z: 2 * x + 3 * y >= 40 and 4 * x + z >= 12 and x <= 9 and y <= 8,
        [range(20)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "At least 40 loads (calculated as twice X plus Y) must be moved on 3 days.",  # a number outside the brackets
        "At least 40 loads (calculated as twice X plus 5) must be moved.",  # a constant inside the formula
        "Lane X (multiplied by a factor of 4 for 2 weeks) plus Y must be at least 12.",  # a number in the reason
    ],
)
def test_near_misses_of_bracketed_formulas_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_percent_of_a_symbol_and_a_comparison_word_that_only_describes_a_formula() -> None:
    text = (
        "A clinic plans two services, X and Y. X and Y combined cannot exceed 30 units. "
        "The allocation for X minus 50% of the allocation for Y should not exceed 6 units. "
        "The clinic must reach a minimum score calculated as twice the units of X plus thrice the units of Y, "
        "which should be at least 36 points. Each unit costs $5 for X and $9 for Y. What is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda x, y: 5 * x + 9 * y,
        lambda x, y: x + y <= 30 and x - 0.5 * y <= 6 and 2 * x + 3 * y >= 36,
        [range(31)] * 2,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The allocation for X must be 50% for Y.",  # a percentage that is not 'of' a symbol
        "A minimum score of twice X plus Y should be at most 20 points.",  # two directions for one formula
    ],
)
def test_near_misses_of_percentages_and_describing_words_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_ranges_in_a_bracketed_list_and_a_trailing_only() -> None:
    text = (
        "A firm staffs two desks, X and Y. Both desks are bounded (X between 1 to 7 units inclusive; Y between 2 to "
        "5 units inclusive). Desk X requires at least 3 staff while desk Y can take up to 4 staff only. "
        "X and Y combined must be at least 8. Each staff member costs $9 at X and $7 at Y. "
        "What is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda x, y: 9 * x + 7 * y,
        lambda x, y: 1 <= x <= 7 and 2 <= y <= 5 and x >= 3 and y <= 4 and x + y >= 8,
        [range(10)] * 2,
    )
    assert _solve_both(text) == pytest.approx(best)
    conditional = text.replace("4 staff only.", "4 staff only if X is full.")
    assert not _algebra_reads(conditional)


def test_bulleted_limits_negative_bounds_and_decisions_named_only_by_symbols() -> None:
    text = (
        "A general splits supplies between three units: scouts (division X), medics (division Y) and "
        "engineers (division Z). The difference between the supplies for X and Y should not be less than -4. "
        "The supplies of all three divisions must be at least 20 units. Each division has a cap:- Scouts: Up to "
        "9 units- Medics: Up to 8 units- Engineers: Up to 6 units. Each unit costs $3 for scouts, $2 for medics and "
        "$4 for engineers. What is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda x, y, z: 3 * x + 2 * y + 4 * z,
        lambda x, y, z: x - y >= -4 and x + y + z >= 20 and x <= 9 and y <= 8 and z <= 6,
        [range(10)] * 3,
    )
    assert _solve_both(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "The X hours - three times the hours for Y must be at least 2.",  # a dash after a word
        "X plus Y must return at least $2 million.",  # a scaled amount against counted units
    ],
)
def test_near_misses_of_dashes_and_scaled_amounts_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_a_number_in_words_outside_every_row_declines() -> None:
    text = (
        "A manager places new hires in two teams, X and Y. Team X needs at least 4 hires and team Y at least 3 "
        "hires. These two teams share one office. Each hire costs $20 in X and $30 in Y. What is the minimum "
        "total cost?"
    )
    assert _solve_both(text) == pytest.approx(170)  # 'these two teams' and 'one office' are no amounts
    assert not _algebra_reads(
        text.replace("two teams, X and Y.", "two teams, X and Y, a hundred hires in all.")
    )
    assert not _algebra_reads(text.replace("share one office", "share five offices"))


def test_the_phrasings_named_in_issue_14() -> None:
    text = (
        "A studio splits its budget between two channels, $X$ and $Y$. The combined reach of these channels, "
        "calculated as 2 times the budget for channel X plus 5 times the budget for channel Y, of at least 60 "
        "points is required. The combined output of 4 units from channel X and 3 units from channel Y must be at "
        "least 30 units. The difference in units between channel X and twice that of channel Y should not exceed "
        "8 units. Channel X requires a minimum excess of 1 unit over channel Y.\\nThe cost per unit of reach for "
        "channel X is \\$7 and for channel Y is \\$9, and the studio aims to minimize the total cost "
        "(X, Y are integers due to whole slots)."
    )
    best = _best(
        "min",
        lambda x, y: 7 * x + 9 * y,
        lambda x, y: 2 * x + 5 * y >= 60 and 4 * x + 3 * y >= 30 and x - 2 * y <= 8 and x - y >= 1,
        [range(40)] * 2,
    )
    assert _solve_both(text) == pytest.approx(best)
    respectively = text.replace(
        "The cost per unit of reach for channel X is \\$7 and for channel Y is \\$9, and the studio",
        "Each unit of budget in channel X and Y incurs costs of 7 and 9 units respectively. The studio",
    )
    assert _solve_both(respectively) == pytest.approx(best)


def test_one_limit_for_each_symbol_of_a_list() -> None:
    text = (
        "A tour firm fills four tours: x1, x2, x3 and x4. All four tours together need at least 30 seats. "
        "Each tour has a cap: tours x1 and x2 can have up to 6 seats each while tours x3 and x4 can have up to "
        "10 seats each. Each seat costs $2, $3, $4 and $5 for x1, x2, x3 and x4 respectively. "
        "What is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda a, b, c, d: 2 * a + 3 * b + 4 * c + 5 * d,
        lambda a, b, c, d: a + b + c + d >= 30 and a <= 6 and b <= 6 and c <= 10 and d <= 10,
        [range(11)] * 4,
    )
    assert _solve_both(text) == pytest.approx(best)
    assert not _algebra_reads(text.replace("tours x1 and x2 can", "tours x1 and x2 combined can"))


def test_a_count_pointing_back_is_no_amount() -> None:
    text = (
        "A lab shares hours among three benches: X, Y and Z. Benches X and Y combined need at least 12 hours, "
        "reflecting the joint work of these two benches. Bench Z needs at least 2 hours. Each hour costs $3 for X, "
        "$5 for Y and $4 for Z. What is the minimum total cost?"
    )
    assert _solve_both(text) == pytest.approx(3 * 12 + 4 * 2)
    assert not _algebra_reads(text.replace("these two benches", "two benches"))


def test_twice_as_much_x_as_y_and_times_as_a_noun() -> None:
    text = (
        "A grower plants two crops, X and Y. He must plant at least twice as much crop X as crop Y, but the total "
        "area planted with crops X and Y should be at least 12 acres. The difference in planting times between "
        "crop X and crop Y cannot exceed 9 acres. Each acre costs $4 for X and $5 for Y. "
        "What is the minimum total cost?"
    )
    best = _best(
        "min",
        lambda x, y: 4 * x + 5 * y,
        lambda x, y: x - 2 * y >= 0 and x + y >= 12 and x - y <= 9,
        [range(20)] * 2,
    )
    assert _solve_both(text) == pytest.approx(best)
    other = "A grower plants two crops, X and Y. There must be at least as many acres for X as three times those for Y."
    assert _solve_both(
        other + " X and Y together need at least 8 acres. Each acre costs $4 for X and $5 for Y. "
        "What is the minimum total cost?"
    ) == pytest.approx(
        _best("min", lambda x, y: 4 * x + 5 * y, lambda x, y: x >= 3 * y and x + y >= 8, [range(9)] * 2)
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "At least twice as much X as Y and 4 more units are needed.",  # an amount added after the comparison
        "At least twice as much X as X is needed.",  # one symbol on both sides
        "At least twice as much X as Y or half of Y is needed.",  # two alternatives on the right
    ],
)
def test_near_misses_of_as_much_as_decline(sentence: str) -> None:
    text = (
        "A planner splits effort between two projects: X and Y. X and Y combined cannot exceed 50 units. "
        + sentence
        + " Each unit of effort costs $4 for X and $3 for Y. The planner aims to minimize the total cost."
    )
    assert _algebra_reads(text.replace(sentence, ""))
    assert not _algebra_reads(text)


def test_a_total_budget_in_units_is_the_sum_but_in_dollars_it_is_not_read() -> None:
    text = (
        "A manager spreads effort over two campaigns, X and Y. The total budget for both campaigns combined is "
        "limited to 20 units. X must be at least 5 units and Y at least 4 units. Each unit costs $3 for X and $2 "
        "for Y. What is the maximum total cost?"
    )
    assert _solve_both(text) == pytest.approx(3 * 16 + 2 * 4)
    assert not _algebra_reads(text.replace("limited to 20 units", "limited to $20"))


def test_a_shared_total_after_a_lead_in_that_says_all() -> None:
    text = (
        "A carrier runs three routes: x1, x2 and x3. To cover all areas served by the company, at least 12 trucks "
        "should be allocated between routes x1 and x3. Route x2 needs at least 2 trucks. Each truck costs $5 on x1, "
        "$4 on x2 and $6 on x3. What is the minimum total cost?"
    )
    assert _solve_both(text) == pytest.approx(5 * 12 + 4 * 2)


def test_the_symbol_reader_wins_when_both_readers_read_the_text() -> None:
    """The scalar rules once read 'X should not exceed twice Y by more than 20' as two rows (X <= 2Y
    and Y >= 20); the symbol reader, which reads every clause, writes X - 2Y <= 20."""
    text = (
        "A caterer offers two menus, X and Y. The total number of menus X and Y cannot exceed 40. The number of "
        "menus X and Y together must be at least 12. The number of menu X should not exceed twice the number of "
        "menu Y by more than 6 menus. Each menu X costs $90 and each menu Y costs $140. What is the minimum total "
        "cost, in whole menus?"
    )
    best = _best(
        "min",
        lambda x, y: 90 * x + 140 * y,
        lambda x, y: x + y <= 40 and x + y >= 12 and x - 2 * y <= 6,
        [range(41)] * 2,
    )
    assert best == 90 * 10 + 140 * 2  # X is cheaper: X = 2Y + 6 at most, and 3Y + 6 >= 12 gives Y = 2, X = 10
    assert _solve(text) == pytest.approx(best)


def test_bounds_listed_in_brackets_after_a_limit() -> None:
    text = (
        "A gardener divides watering time among three beds: X, Y and Z. Beds X and Y together need at least 12 "
        "minutes, and bed Z needs at least 3 minutes. Since each bed has a maximum amount of water it can take "
        "(8 for X, 5 for Y and 6 for Z), the gardener wants to minimize the total effort. Each minute costs "
        "4 effort points for X, 2 for Y and 3 for Z."
    )
    best = min(
        4 * x + 2 * y + 3 * z
        for x, y, z in itertools.product(range(20), repeat=3)
        if x + y >= 12 and z >= 3 and x <= 8 and y <= 5 and z <= 6
    )
    assert _solve(text) == pytest.approx(best)
    question = (
        "A shop stocks two goods: X and Y. X and Y combined must be at least 9 units. Each unit costs $7 for X and "
        "$5 for Y. Given specific bounds on how many units can be stored (6 for X and 4 for Y), what is the "
        "minimum total cost?"
    )
    best = min(7 * x + 5 * y for x, y in itertools.product(range(7), range(5)) if x + y >= 9)
    assert _solve(question) == pytest.approx(best)


@pytest.mark.parametrize(
    "clause",
    [
        "Given a lower limit on the units of each good (6 for X and 4 for Y)",  # a minimum said with 'limit'
        "Given the units of each good (6 for X and 4 for Y)",  # no direction named
        "Given an upper limit of 2 units more on each good (6 for X and 4 for Y)",  # another amount
        "Given an upper limit on the units of each good (6 for X and 4 and 5 for Y)",  # two amounts for Y
        "Given an upper limit on the units unless stocked (6 for X and 4 for Y)",  # a condition
    ],
)
def test_near_misses_of_bracketed_bounds_decline(clause: str) -> None:
    text = (
        "A shop stocks two goods: X and Y. X and Y combined must be at least 9 units. Each unit costs $7 for X and "
        "$5 for Y. " + clause + ", what is the minimum total cost?"
    )
    assert _solve(text) is None


def test_a_margin_said_before_the_compared_symbol() -> None:
    text = (
        "A mill blends two grains: X and Y. X and Y combined must be at least 10 tonnes. Three times the tonnes of X "
        "should not exceed by more than 6 from the tonnes of Y. Each tonne costs $2 for X and $5 for Y. The mill aims "
        "to minimize the total cost."
    )
    best = min(
        2 * x + 5 * y for x, y in itertools.product(range(20), repeat=2) if x + y >= 10 and 3 * x - y <= 6
    )
    assert _solve(text) == pytest.approx(best)
    rows = algebra._rows(sentences("X should not exceed by more than 6 Y.")[0], ["X", "Y"])
    assert rows is None  # no 'from' / 'over' naming what X is compared with


def test_a_difference_carried_into_the_next_clause() -> None:
    text = (
        "A lab shares machine hours among three teams: X, Y and Z. The hours for X, Y and Z combined must be at "
        "least 12. The difference between X and Y must not exceed 3 and between Y and Z must not exceed 2. Each hour "
        "costs $9 for X, $4 for Y and $1 for Z. The lab aims to minimize the total cost."
    )
    best = min(
        9 * x + 4 * y + z
        for x, y, z in itertools.product(range(13), repeat=3)
        if x + y + z >= 12 and x - y <= 3 and y - z <= 2
    )
    assert _solve(text) == pytest.approx(best)
    plain_sum = sentences("The sum of X and Y must not exceed 3 and between Y and Z must not exceed 5.")[0]
    assert "{Y} - {Z} <= 5" not in (algebra._rows(plain_sum, ["X", "Y", "Z"]) or [])


def test_a_sentence_glued_to_the_next_and_costs_after_a_subject_naming_every_symbol() -> None:
    text = (
        "A farmer sows two crops: X and Y. Crops X and Y together must cover at least 20 acres. The area of crop X "
        "must be at least 4 acres more than that of crop Y.Each acre sown with crops X and Y incurs costs for seed "
        "and labour, set at $30 for crop X and $70 for crop Y. The farmer aims to minimize the total cost."
    )
    best = min(
        30 * x + 70 * y for x, y in itertools.product(range(30), repeat=2) if x + y >= 20 and x >= y + 4
    )
    assert _solve(text) == pytest.approx(best)
    one_named = text.replace("sown with crops X and Y", "sown with crop X")
    assert _solve(one_named) is None  # the subject names X only: is Y's amount per acre of X?


def test_an_amount_more_of_one_symbol_than_of_the_rest() -> None:
    text = (
        "A clinic books two kinds of sessions: X and Y. Sessions X and Y combined must be at least 9. Moreover, "
        "there should be at least 3 more sessions of X than twice the sessions of Y. Each session costs $40 for X "
        "and $25 for Y. The clinic aims to minimize the total cost."
    )
    best = min(
        40 * x + 25 * y for x, y in itertools.product(range(20), repeat=2) if x + y >= 9 and x - 2 * y >= 3
    )
    assert _solve(text) == pytest.approx(best)
    assert algebra.read(sentences(text), text, integer=True) is not None  # read by the symbol reader
    compared = text.replace("sessions of X than twice", "sessions of X compared to twice")
    assert _solve(compared) == pytest.approx(best)


@pytest.mark.parametrize(
    "clause",
    [
        "there should be at least 3 more sessions of X and Y than of Y",  # two symbols before 'than'
        "there should be at least 3 more sessions of X than 2 sessions",  # no symbol after 'than'
        "X should have at least 3 more sessions than Y unless Y is full",  # a condition
        "there should be at least 3 more sessions of X than of X",  # the same symbol twice
    ],
)
def test_near_misses_of_more_than_decline(clause: str) -> None:
    text = (
        "A clinic books two kinds of sessions: X and Y. Sessions X and Y combined must be at least 9. Moreover, "
        + clause
        + ". Each session costs $40 for X and $25 for Y. The clinic aims to minimize the total cost."
    )
    assert algebra.read(sentences(text), text, integer=True) is None  # the symbol reader declines


def test_a_cap_on_a_difference_named_after_its_amount() -> None:
    sents = sentences(
        "Also, there should not be more than a difference of 6 units between team X and team Y."
    )
    assert algebra._rows(sents[0], ["X", "Y"]) == ["{X} - {Y} <= 6"]
    text = (
        "A league trains two teams: X and Y. Teams X and Y together need at least 14 hours. Also, there should not "
        "be more than a difference of 6 hours between team X and team Y. Each hour costs $5 for X and $8 for Y. "
        "The league aims to minimize the total cost."
    )
    best = min(
        5 * x + 8 * y for x, y in itertools.product(range(20), repeat=2) if x + y >= 14 and abs(x - y) <= 6
    )
    assert _solve(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "sentence",
    [
        "There should be at least a difference of 6 units between team X and team Y.",  # a floor, not a cap
        "The difference in hours must be at least 6 units between team X and team Y.",  # no shared total
        "There should not be more than a difference of 6 units between teams X, Y and Z.",  # three teams
        "There should not be more than a difference of 6 units between 2 teams X and Y.",  # another amount
        "There should not be more than a difference of 6 units unless between team X and team Y.",  # a condition
    ],
)
def test_near_misses_of_a_capped_difference_decline(sentence: str) -> None:
    assert algebra._rows(sentences(sentence)[0], ["X", "Y", "Z"]) is None


def test_sentences_that_only_say_whole_amounts_or_how_to_round() -> None:
    text = (
        "A studio books two rooms: X and Y. Rooms X and Y together must be booked for at least 7 slots. The slots "
        "are fixed and cannot be broken into smaller pieces. Each slot costs $12 for X and $9 for Y. What is the "
        "minimum total cost (rounded up to the nearest dollar)?"
    )
    best = min(12 * x + 9 * y for x, y in itertools.product(range(8), repeat=2) if x + y >= 7)
    assert _solve(text) == pytest.approx(best)
    for changed in (
        text.replace("cannot be broken into smaller pieces", "cannot be broken into more than 3 pieces"),
        text.replace("(rounded up to the nearest dollar)", "(with up to 5 slots for X)"),
    ):
        assert algebra.read(sentences(changed), changed, integer=True) is None


def test_decisions_counted_first_and_named_by_symbol_later() -> None:
    text = (
        "A charity plans the split of its grants between two local programs this year. The grants for both "
        "programs combined cannot exceed 900 units. The combined reach, calculated as 3 times the grant for "
        "program X plus 2 times the grant for program Y, must be at least 1200. Each unit costs $4 for program X "
        "and $5 for program Y. The charity aims to minimize the total cost."
    )
    best = min(
        4 * x + 5 * y
        for x, y in itertools.product(range(901), range(601))
        if x + y <= 900 and 3 * x + 2 * y >= 1200
    )
    assert _solve(text) == pytest.approx(best)
    for changed in (
        text.replace("between two local programs", "between three local programs"),  # the count disagrees
        text.replace("grant for program Y", "grant for fund Y").replace("for program Y.", "for fund Y."),
    ):
        assert algebra.read(sentences(changed), changed, integer=True) is None


def test_whole_requirements_joined_by_while_are_read_clause_by_clause() -> None:
    text = (
        "A depot loads three trucks: x1, x2 and x3. Trucks x1, x2 and x3 together must carry at least 40 crates. "
        "Truck x1 can carry no more than 10 crates, while trucks x2 and x3 can carry up to 12 and 30 crates "
        "respectively. Each crate costs $3 on x1, $4 on x2 and $6 on x3. The depot aims to minimize the total cost."
    )
    best = min(
        3 * a + 4 * b + 6 * c
        for a, b, c in itertools.product(range(11), range(13), range(31))
        if a + b + c >= 40
    )
    assert _solve(text) == pytest.approx(best)
    dangling = text.replace(
        "while trucks x2 and x3 can carry", "while by 5 crates trucks x2 and x3 can carry"
    )
    assert algebra.read(sentences(dangling), dangling, integer=True) is None


def test_a_total_weighted_by_what_each_symbol_uses() -> None:
    text = (
        "A studio runs two shows: X and Y. The total crew time for both shows combined is limited to a maximum of "
        "60 hours, with every 4 hours used on show X and 3 hours on show Y. Show X must run at least 2 more "
        "episodes than show Y. Each episode earns $50 for X and $45 for Y. The studio aims to maximize the total "
        "profit."
    )
    best = max(
        50 * x + 45 * y
        for x, y in itertools.product(range(16), range(21))
        if 4 * x + 3 * y <= 60 and x - y >= 2
    )
    assert _solve(text) == pytest.approx(best)


@pytest.mark.parametrize(
    "clause",
    [
        "The total crew time for both shows combined is limited to a maximum of 60 hours, with every 4 hours used on show X.",  # Y unweighted
        "The total crew time for both shows combined is limited to a maximum of 60 hours, with every 4 and 2 hours on show X and 3 hours on show Y.",  # two weights
        "The total crew time for both shows combined is limited to a maximum of 60 hours, with every 4 hours used on show X unless 3 hours on show Y.",  # a condition
        "A weighted combination of the crew time for X and Y cannot exceed 60 hours.",  # weights not given
    ],
)
def test_near_misses_of_weighted_totals_decline(clause: str) -> None:
    text = (
        "A studio runs two shows: X and Y. "
        + clause
        + " Show X must run at least 2 more episodes than show Y. "
        "Each episode earns $50 for X and $45 for Y. The studio aims to maximize the total profit."
    )
    assert algebra.read(sentences(text), text, integer=True) is None


def test_a_question_that_counts_the_decisions_is_the_goal() -> None:
    text = (
        "A port assigns cranes to three docks: X, Y and Z. Docks X, Y and Z together need at least 11 cranes. "
        "Dock X must have at least 2 more cranes than dock Z. Each crane costs $6 at X, $4 at Y and $5 at Z. "
        "Since a crane cannot be split into fractions, what is the minimum total cost across all three docks "
        "(X, Y, Z)?"
    )
    best = min(
        6 * x + 4 * y + 5 * z
        for x, y, z in itertools.product(range(12), repeat=3)
        if x + y + z >= 11 and x - z >= 2
    )
    assert _solve(text) == pytest.approx(best)
    for changed in (
        text.replace(
            "across all three docks (X, Y, Z)?", "if dock Y has at least 3 cranes?"
        ),  # a requirement
        text.replace("across all three docks", "across all 3 docks"),  # an amount in digits
        text.replace(
            "what is the minimum total cost", "what is the minimum of X and Y"
        ),  # a minimum of symbols
    ):
        assert algebra.read(sentences(changed), changed, integer=True) is None


def test_the_same_bound_on_decisions_named_after_each_or_not_at_all() -> None:
    symbols = ["X", "Y", "Z"]
    every = sentences("The machines can run for a maximum of 16 hours each.")[0]
    kinds = frozenset({"machine"})  # the symbols are named 'machine X' elsewhere in the text
    assert algebra._rows(every, symbols, kinds=kinds) == ["{X} <= 16", "{Y} <= 16", "{Z} <= 16"]
    assert algebra._rows(every, symbols, kinds=frozenset({"product"})) is None  # machines are not X, Y, Z
    after = sentences("At least 2 units each must be made for X and Z.")[0]
    assert algebra._rows(after, symbols) == ["{X} >= 2", "{Z} >= 2"]
    text = (
        "A plant runs three machines: X, Y and Z. The machines can run for a maximum of 6 hours each. Machines X, "
        "Y and Z together must run at least 14 hours. Each hour costs $7 on X, $3 on Y and $5 on Z. The plant "
        "aims to minimize the total cost."
    )
    best = min(7 * x + 3 * y + 5 * z for x, y, z in itertools.product(range(7), repeat=3) if x + y + z >= 14)
    assert _solve(text) == pytest.approx(best)
    workers = text.replace("The machines can run", "Workers can stay")  # the workers are not X, Y, Z
    assert algebra.read(sentences(workers), workers, integer=True) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The machines can run for a maximum of 16 hours each day.",  # 'each day': a period, not each machine
        "Machine X is new and the machines can run for a maximum of 16 hours each.",  # which machines?
        "The total for the machines is a maximum of 16 hours each.",  # a total
        "The machines cost a maximum of 16 hours each.",  # an amount of the goal
    ],
)
def test_near_misses_of_each_decline(sentence: str) -> None:
    assert algebra._rows(sentences(sentence)[0], ["X", "Y", "Z"], kinds=frozenset({"machine"})) is None


def test_a_total_that_should_reach_an_amount() -> None:
    symbols = ["X", "Y"]
    reach = sentences(
        "The minimum combined output from twice the output of line X and line Y should reach 30 units."
    )
    assert algebra._rows(reach[0], symbols) == ["2*{X} + {Y} >= 30"]
    plain_reach = sentences("Line X and line Y together must reach 30 units.")[0]
    assert algebra._rows(plain_reach, symbols) == ["{X} + {Y} >= 30"]
    unless = sentences("Line X and line Y together must reach 30 units unless line X is idle.")[0]
    assert algebra._rows(unless, symbols) is None


def test_an_amount_allocated_collectively_to_several_symbols() -> None:
    symbols = ["x1", "x2", "x3"]
    shared = sentences("At least 90 units should be allocated collectively to sites x1 and x3.")[0]
    assert algebra._rows(shared, symbols) == ["{x1} + {x3} >= 90"]
    split = sentences("At least 90 units should be allocated collectively to x1 and 5 to x3.")[0]
    assert algebra._rows(split, symbols) is None  # two amounts: not one shared total, nor one per symbol


def test_a_difference_from_a_named_sum() -> None:
    symbols = ["X1", "X2", "X3"]
    grouped = sentences("The difference between X1 and the sum of X2 and X3 should be at least 4 units.")[0]
    assert algebra._rows(grouped, symbols) == ["{X1} - {X2} - {X3} >= 4"]
    text = (
        "A mill feeds three lines: X1, X2 and X3. Lines X1, X2 and X3 together need at least 20 tonnes. The "
        "difference between X1 and the sum of X2 and X3 should be at least 4 tonnes. Each tonne costs $2 on X1, "
        "$6 on X2 and $3 on X3. The mill aims to minimize the total cost."
    )
    best = min(
        2 * a + 6 * b + 3 * c
        for a, b, c in itertools.product(range(21), repeat=3)
        if a + b + c >= 20 and a - b - c >= 4
    )
    assert _solve(text) == pytest.approx(best)
    for ambiguous in (
        "The difference between X1 and X2 plus X3 should be at least 4 units.",  # (X1 - X2) + X3 or X1 - (X2 + X3)?
        "The difference between X1 and the sum of X2 minus X3 should be at least 4 units.",
    ):
        assert algebra._rows(sentences(ambiguous)[0], symbols) is None


def test_a_total_named_after_the_comparison_word() -> None:
    symbols = ["X", "Y"]
    only = sentences("Because of staffing, only a total of 12 shifts can be covered.")[0]
    assert algebra._rows(only, symbols) == ["{X} + {Y} <= 12"]
    in_total = sentences("The crew can cover a maximum of 12 shifts in total.")[0]
    assert algebra._rows(in_total, symbols) == ["{X} + {Y} <= 12"]
    text = (
        "A hospital staffs two wards: X and Y. Because of staffing, only a total of 12 shifts can be covered. Ward "
        "X needs at least 3 more shifts than ward Y. Each shift yields a benefit of $9 on X and $8 on Y. The "
        "hospital aims to maximize the total benefit."
    )
    best = max(9 * x + 8 * y for x, y in itertools.product(range(13), repeat=2) if x + y <= 12 and x - y >= 3)
    assert _solve(text) == pytest.approx(best)
    for sentence in (
        "Only a total of $12 can be spent on the shifts.",  # dollars, not counted shifts
        "Only a total cost of 12 can be covered.",  # an amount of the goal
        "Only 12 shifts can be covered.",  # no total named: for which ward?
    ):
        assert algebra._rows(sentences(sentence)[0], symbols) is None


def test_multiples_of_as_many_totaling_an_amount() -> None:
    symbols = ["X", "Y"]
    totaling = sentences(
        "The shop must bake at least twice as many X plus three times as many Y totaling at least 40."
    )
    assert algebra._rows(totaling[0], symbols) == ["2*{X} + 3*{Y} >= 40"]
    compared = sentences("The shop must bake at least twice as many X as Y.")[0]
    assert algebra._rows(compared, symbols) == ["{X} - 2*{Y} >= 0"]
    no_total = sentences(
        "The shop must bake at least twice as many X plus three times as many Y, at least 40."
    )[0]
    assert algebra._rows(no_total, symbols) is None  # two comparisons with no 'totaling' tying them


def test_a_second_requirement_opened_by_and_for_a_symbol() -> None:
    symbols = ["X", "Y"]
    two = sentences(
        "The spend on channel X cannot be less than $400 and for channel Y, it cannot be less than $250."
    )
    assert algebra._rows(two[0], symbols, True) == ["{X} >= 400", "{Y} >= 250"]
    dangling = sentences("The spend on channel X cannot be less than $400 and for channel Y.")[0]
    assert algebra._rows(dangling, symbols, True) is None  # no comparison for Y


def test_a_requirement_added_with_with() -> None:
    symbols = ["X", "Y"]
    both = sentences("Line X must run at least 10 hours, with line Y at most 5 hours.")[0]
    assert algebra._clause_rows(both, symbols, False) == ["{X} >= 10", "{Y} <= 5"]
    share = sentences("Lines X and Y together cannot exceed 100 hours, with X making up at least half.")[0]
    assert algebra._clause_rows(share, symbols, False) is None  # 'half' of what: not read
