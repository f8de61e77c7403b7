"""The offline rules formulator: each rule on sentences written for these tests.

No sentence here comes from a benchmark dataset. Complete problems carry their
optimum worked out by hand in the docstring of the test.
"""

from __future__ import annotations

import pytest

from nl2opt.formulators.rules import RulesFormulator, integer_wording
from nl2opt.formulators.rules.cues import find_cues
from nl2opt.formulators.rules.entities import find_mentions, find_variables
from nl2opt.formulators.rules.numbers import format_number, fraction_value, word_value
from nl2opt.formulators.rules.patterns import analyze
from nl2opt.formulators.rules.sentences import lemma, normalize, sentences, split_sentences, tokenize
from nl2opt.spec import Domain


def read(text: str):
    sents = sentences(text)
    variables = find_variables(sents)
    assert variables, "no decisions found"
    return sents, variables, analyze(sents, variables, set())


def spec_of(text: str):
    f = RulesFormulator().formulate(text)
    assert f.spec is not None, [str(d) for d in f.diagnostics]
    return f.spec


def rows(spec) -> dict[str, str]:
    return {c.name: c.expression for c in spec.constraints}


# --- numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "flag"),
    [
        ("costs $1,500 each", 1500, "money"),
        ("uses 0.75 kg", 0.75, None),
        ("at most 40% of", 40, "percent"),
        ("at most 40 percent of", 40, "percent"),
        ("earns 12 dollars", 12, "money"),
        ("needs twenty five bolts", 25, None),
        ("a budget of 1.5 million", 1_500_000, None),
        ("reaches 3 millions viewers", 3_000_000, None),
    ],
)
def test_numbers_are_read_with_their_flags(text, value, flag):
    nums = [t for t in tokenize(text) if t.is_num]
    assert len(nums) == 1
    assert nums[0].value == pytest.approx(value)
    if flag:
        assert getattr(nums[0], flag)


def test_multipliers_and_fractions():
    toks = [t for t in tokenize("twice as many, half of, two thirds of, a third of") if t.is_num]
    assert [round(t.value, 4) for t in toks] == [2, 0.5, 0.6667, 0.3333]
    assert all(t.factor for t in toks)
    assert word_value(["two", "hundred", "chairs"]) == (200, 2)
    assert fraction_value(["three", "quarters"]) == (0.75, 2)
    assert format_number(2.0) == "2" and format_number(0.25) == "0.25"


# --- sentences ---------------------------------------------------------------------------


def test_sentences_split_but_not_inside_decimals_or_abbreviations():
    parts = split_sentences("A pen costs $0.50 each, e.g. blue ones. A cap costs $1.25. Done?")
    assert parts == ["A pen costs $0.50 each, e.g. blue ones.", "A cap costs $1.25.", "Done?"]


def test_normalize_undoes_dataset_escapes():
    assert normalize("costs $\\$5$ per unit.\\nNext") == "costs $5 per unit.\nNext"


@pytest.mark.parametrize(
    ("word", "base"),
    [("muffins", "muffin"), ("batteries", "battery"), ("boxes", "box"), ("geese", "goose"), ("glass", "glass"),
     ("hoodies", "hoody"), ("hoodie", "hoody"), ("whereas", "whereas"), ("John's", "john")],
)
def test_lemma(word, base):
    assert lemma(word) == base


# --- cues --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("the number of vans must not exceed 12", "<="),
        ("no less than 5 crates", ">="),
        ("she does not want to spend more than $80", "<="),
        ("there must be at least 3 guards", ">="),
        ("up to 9 hours", "<="),
        ("a minimum of 40 kg", ">="),
        ("exactly 7 rooms", "=="),
        ("the oven can run for at the most 10 hours", "<="),
    ],
)
def test_direction_cues(text, op):
    assert [c.op for c in find_cues(tokenize(text))][:1] == [op]


# --- decisions ---------------------------------------------------------------------------


def test_list_with_a_shared_head_names_each_decision():
    _sents, variables, _ = read("A cafe bakes lemon and poppy seed cakes. Each lemon cake needs 2 eggs. Each poppy seed cake needs 3 eggs.")
    assert [v.name for v in variables] == ["lemon_cake", "poppy_seed_cake"]
    assert variables[0].key == {"lemon"}


def test_either_or_list_of_vehicles():
    _, variables, _ = read("A mover can rent either vans or box trucks. A van carries 10 boxes. A box truck carries 25 boxes.")
    assert [v.name for v in variables] == ["van", "box_truck"]


def test_labelled_decisions():
    _, variables, _ = read("A mill blends two grains. Blend A has 3 units of fiber. Blend B has 5 units of fiber.")
    assert [v.name for v in variables] == ["blend_a", "blend_b"]


def test_the_actor_is_not_a_decision():
    sents = sentences("A ferry firm carries cars and bikes. Each car pays $20 and the firm keeps $5 for each bike.")
    assert [v.name for v in find_variables(sents)] == ["car", "bike"]


def test_a_modifier_before_another_noun_is_not_a_mention():
    sents = sentences("He runs a north farm and a south farm. The north shop buys 5 kg. The north farm grows 3 kg each day.")
    variables = find_variables(sents)
    assert find_mentions(sents[1], variables) == []
    assert [m.var.name for m in find_mentions(sents[2], variables)] == ["north_farm"]


# --- sentence rules ----------------------------------------------------------------------


def test_coefficients_per_decision_and_resource():
    _, _, a = read("A shop makes kites and yoyos. Each kite needs 3 hours of cutting and 2 hours of gluing, while each yoyo needs 1 hour of cutting.")
    got = {(c.var, tuple(sorted(c.words)), c.value) for c in a.coefs}
    assert ("kite", ("cut", "hour"), 3) in got and ("kite", ("glu", "hour"), 2) in got and ("yoyo", ("cut", "hour"), 1) in got


def test_respectively_pairs_numbers_with_decisions_in_order():
    _, _, a = read("A stand sells tacos and wraps. Tacos and wraps sell for a profit of $4 and $6 respectively.")
    assert {(c.var, c.value, c.money) for c in a.coefs} == {("taco", 4, "profit"), ("wrap", 6, "profit")}


def test_loss_is_negative_profit():
    _, _, a = read("A stall sells mugs and plates. Each mug sold results in a $2 loss. Each plate sold gives a $7 profit.")
    assert {(c.var, c.value) for c in a.coefs} == {("mug", -2), ("plate", 7)}


def test_capacity_and_requirement_limits():
    _, _, a = read(
        "A farm mixes oats and corn. Each sack of oats has 4 units of protein. Each sack of corn has 2 units of protein. "
        "The herd needs at least 90 units of protein. The barn has room for 30 sacks."
    )
    assert [(lim.op, lim.value) for lim in a.limits] == [(">=", 90), ("<=", 30)]


def test_bounds_on_one_decision():
    _, _, a = read("A bakery makes pies and tarts. It must make at least 8 pies but at most 20 tarts. Each pie needs 2 apples.")
    assert {(b.var, b.op, b.value) for b in a.bounds} == {("pie", ">=", 8), ("tart", "<=", 20)}


def test_one_amount_over_listed_decisions_is_a_sum():
    _, _, a = read("A yard stores kayaks and canoes. It can hold at most 50 kayaks and canoes. Each kayak costs $3.")
    assert [(r.kind, r.op, r.factor, r.rhs) for r in a.relations] == [("sum", "<=", 50, ["kayak", "canoe"])]


def test_either_type_bound_applies_to_every_decision():
    _, _, a = read("A club buys bats and balls. It buys at least 2 bats, but at most 9 of either type. Each bat costs $5.")
    assert {(b.var, b.op, b.value) for b in a.bounds} == {("bat", ">=", 2), ("bat", "<=", 9), ("ball", "<=", 9)}


def test_at_least_twice_as_many():
    _, _, a = read("A zoo feeds seals and otters. The zoo keeps at least twice as many seals as otters. Each seal eats 4 fish.")
    assert [(r.lhs, r.op, r.factor, r.rhs) for r in a.relations] == [("seal", ">=", 2, ["otter"])]


def test_must_not_exceed_the_number_of():
    _, _, a = read("A port uses tugs and barges. The number of tugs must not exceed the number of barges. Each tug costs $9.")
    assert [(r.lhs, r.op, r.factor, r.rhs) for r in a.relations] == [("tug", "<=", 1, ["barge"])]


def test_a_third_of_the_number_of():
    _, _, a = read("A gym hires coaches and cleaners. The number of cleaners should be at most a third of the number of coaches. A coach costs $8.")
    assert [(r.lhs, r.op, round(r.factor, 4), r.rhs) for r in a.relations] == [("cleaner", "<=", 0.3333, ["coach"])]


def test_percentage_of_all_is_a_share():
    _, _, a = read("A stand sells lemonade and cider. At most 30% of all drinks sold can be cider. Each lemonade costs $1.")
    assert [(r.lhs, r.op, r.factor, r.rhs) for r in a.relations] == [("cider", "<=", 0.3, None)]


def test_objective_money_and_count():
    _, _, a = read("A shop sells hats and caps. Each hat costs $4. How many of each should it sell to maximize profit?")
    assert (a.goals[0].sense, "profit" in a.goals[0].words) == ("maximize", True)
    _, _, b = read("A crew uses buses and vans. Each bus seats 40 people. Minimize the total number of vehicles.")
    assert (b.goals[0].sense, b.goals[0].count_of) == ("minimize", "vehicle")


def test_counting_the_decisions_is_not_model_data():
    _, _, a = read("A lab makes two products: gels and pastes. Each gel needs 3 grams of salt.")
    assert a.problems == []


def test_explicit_arithmetic_is_left_unparsed():
    _, _, a = read("A firm makes bolts and nuts. Twice the bolts plus the nuts must be at least 30. Each bolt costs $1.")
    assert any("30" in p.reason for p in a.problems)


# --- integrality -------------------------------------------------------------------------


def test_integrality_follows_the_wording():
    assert integer_wording("How many tables and chairs should be made?")
    assert not integer_wording("Fractional amounts of each blend are allowed.")


# --- complete problems -------------------------------------------------------------------

WORKSHOP = (
    "A workshop builds stools and benches. Each stool takes 2 hours of carpentry and 1 hour of painting. "
    "Each bench takes 3 hours of carpentry and 2 hours of painting. The workshop has 60 hours of carpentry "
    "and 35 hours of painting available each week. The profit per stool is $30 and the profit per bench is $50. "
    "How many of each should the workshop build to maximize profit?"
)
FEED = (
    "A pet owner mixes two feeds, kibble and mash. Each scoop of kibble contains 4 units of protein and 2 units of fat. "
    "Each scoop of mash contains 2 units of protein and 3 units of fat. The pet needs at least 20 units of protein "
    "and 18 units of fat per day. A scoop of kibble costs $1 and a scoop of mash costs $2. "
    "How many scoops of each should the owner use to minimize cost?"
)
FLORIST = (
    "A florist sells roses and tulips. The florist can sell at most 100 flowers in total. At least 20 tulips must be sold. "
    "The florist wants to sell at least twice as many roses as tulips. The profit per rose is $3 and the profit per "
    "tulip is $2. How many of each should the florist sell to maximize profit?"
)
INVESTOR = (
    "An investor has $10000 to invest in bonds and stocks. Each dollar invested in bonds yields a 5% return and each "
    "dollar invested in stocks yields a 9% return. At most 40% of the money invested can be in stocks. "
    "How much should the investor put in each to maximize return?"
)


def test_workshop_spec():
    """max 30s + 50b, 2s + 3b <= 60, s + 2b <= 35: corners (30,0)=900, (15,10)=950, (0,17)=850 -> 950."""
    spec = spec_of(WORKSHOP)
    assert [v.name for v in spec.variables] == ["stool", "bench"]
    assert all(v.domain is Domain.INTEGER and v.lower == 0 for v in spec.variables)
    assert spec.objective.sense == "maximize" and spec.objective.expression == "30*stool + 50*bench"
    assert sorted(rows(spec).values()) == ["2*stool + 3*bench <= 60", "stool + 2*bench <= 35"]
    assert all(c.description.startswith("The workshop has 60 hours") for c in spec.constraints)


def test_feed_spec():
    """min k + 2m, 4k + 2m >= 20, 2k + 3m >= 18: corners (9,0)=9, (3,4)=11, (0,10)=20 -> 9."""
    spec = spec_of(FEED)
    assert spec.objective.sense == "minimize" and spec.objective.expression == "kibble + 2*mash"
    assert sorted(rows(spec).values()) == ["2*kibble + 3*mash >= 18", "4*kibble + 2*mash >= 20"]


def test_florist_spec():
    """max 3r + 2t, r + t <= 100, t >= 20, r >= 2t: r = 100 - t gives 300 - t, so t = 20, r = 80 -> 280."""
    spec = spec_of(FLORIST)
    assert rows(spec) == {"total_max": "rose + tulip <= 100", "min_tulip": "tulip >= 20", "ratio_rose_tulip": "rose >= 2*tulip"}


def test_investor_spec():
    """max 0.05b + 0.09s, b + s <= 10000, s <= 0.4(b + s): s = 4000, b = 6000 -> 300 + 360 = 660."""
    spec = spec_of(INVESTOR)
    assert spec.objective.expression == "0.05*bond + 0.09*stock"
    assert rows(spec) == {"total_max": "bond + stock <= 10000", "share_stock": "stock <= 0.4*(bond + stock)"}


@pytest.mark.parametrize(("text", "optimum"), [(WORKSHOP, 950), (FEED, 9), (FLORIST, 280), (INVESTOR, 660)])
def test_solved_optimum(text, optimum):
    pipeline = pytest.importorskip("nl2opt.pipeline")
    result = pipeline.solve_spec(spec_of(text), backend="highs")
    assert str(result.status) == "optimal"
    assert result.objective == pytest.approx(optimum)


# --- declining ---------------------------------------------------------------------------


def _codes(f):
    return [d.code for d in f.diagnostics]


def test_nonsense_is_declined_with_an_llm_hint():
    f = RulesFormulator().formulate("Colourless green ideas sleep furiously.")
    assert f.spec is None and f.model == "rules"
    assert "formulate.declined" in _codes(f)
    declined = next(d for d in f.diagnostics if d.code == "formulate.declined")
    assert "OPENAI_API_KEY" in declined.hint and "OPENAI_BASE_URL" in declined.hint


def test_an_unhandled_requirement_names_its_sentence():
    text = WORKSHOP.replace("How many", "The stools minus the benches must be at least 4. How many")
    f = RulesFormulator().formulate(text)
    assert f.spec is None
    unparsed = [d for d in f.diagnostics if d.code == "formulate.unparsed-sentence"]
    assert unparsed and "minus" in unparsed[0].message and unparsed[0].where == "sentence 6"


def test_an_unused_number_declines():
    text = WORKSHOP.replace("How many", "The shop is 45 metres from the road. How many")
    f = RulesFormulator().formulate(text)
    assert f.spec is None and "formulate.unparsed-sentence" in _codes(f)


def test_protocol_fields():
    f = RulesFormulator().formulate(WORKSHOP, data=None, previous=None, feedback="ignored")
    assert RulesFormulator.name == "rules" and f.model == "rules" and f.seconds >= 0


def test_a_year_is_not_model_data_but_a_weight_is():
    _, _, a = read("In 2024, a mill makes flour and bran. Each bag of flour needs 2000 grams of wheat. Each bag of bran needs 500 grams of wheat.")
    assert a.problems == [] and {c.value for c in a.coefs} == {2000, 500}


def test_the_thing_counted_comes_before_for():
    _, _, a = read("A depot runs vans and carts. The depot needs at least 30 delivery rounds for customers. Each van makes 3 delivery rounds.")
    assert a.limits[0].words == frozenset({"delivery", "round"})


def test_percentage_of_trips_by_one_decision_is_a_share():
    _, _, a = read("A mine hauls ore by rail or by lorry. Since lorries are slow, at least 60% of trips should be by rail. Each rail trip costs $9.")
    assert [(r.lhs, r.op, r.factor, r.rhs) for r in a.relations] == [("rail", ">=", 0.6, None)]
