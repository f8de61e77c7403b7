"""check(spec): every mistake a formulator makes gets a stable code, a location and a hint."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nl2opt.check import check, parse_spec_expressions
from nl2opt.diagnostics import CODES, Severity
from nl2opt.spec import ModelSpec

TRANSPORT: dict[str, Any] = {
    "name": "transport",
    "sets": [
        {"name": "Plants", "elements": ["Seattle", "SanDiego"]},
        {"name": "Markets", "elements": ["NewYork", "Chicago", "Topeka"]},
    ],
    "parameters": [
        {"name": "supply", "index": ["Plants"], "values": [350, 600]},
        {"name": "demand", "index": ["Markets"], "values": [325, 300, 275]},
        {"name": "cost", "index": ["Plants", "Markets"], "values": [[2.5, 1.7, 1.8], [2.5, 1.8, 1.4]]},
        {"name": "budget", "value": 1000},
    ],
    "variables": [{"name": "ship", "index": ["Plants", "Markets"]}],
    "objective": {
        "sense": "minimize",
        "expression": "sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)",
    },
    "constraints": [
        {
            "name": "supply_limit",
            "for": ["i in Plants"],
            "expression": "sum(ship[i, j] for j in Markets) <= supply[i]",
        },
        {
            "name": "meet_demand",
            "for": ["j in Markets"],
            "expression": "sum(ship[i, j] for i in Plants) >= demand[j]",
        },
    ],
}

NETWORK: dict[str, Any] = {
    "name": "network",
    "sets": [
        {"name": "Nodes", "elements": ["A", "B", "C"]},
        {"name": "Arcs", "elements": [["A", "B"], ["B", "C"], ["A", "C"]]},
        {"name": "T", "range": {"start": 1, "stop": 3}},
    ],
    "parameters": [
        {"name": "cap", "index": ["Arcs"], "values": [10, 8, 5]},
        {
            "name": "need",
            "index": ["Nodes", "T"],
            "value": 0,
            "entries": [{"key": ["C", 1], "value": 4}, {"key": ["C", 3], "value": 4}],
        },
        {"name": "initial", "index": ["Nodes"], "values": [20, 0, 0]},
        {"name": "supply", "value": 20},
    ],
    "variables": [
        {"name": "flow", "index": ["Arcs", "T"], "upper": 50},
        {"name": "stock", "index": ["Nodes", "T"], "upper": 100},
        {"name": "open", "index": ["Arcs"], "domain": "binary"},
    ],
    "objective": {
        "sense": "minimize",
        "expression": "sum(flow[a, b, t] for (a, b) in Arcs for t in T)"
        " + sum(stock[n, t] for n in Nodes for t in T) + 3 * sum(open[e] for e in Arcs)",
    },
    "constraints": [
        {"name": "capacity", "for": ["e in Arcs", "t in T"], "expression": "flow[e, t] <= cap[e]"},
        {
            "name": "use_open",
            "for": ["(a, b) in Arcs", "t in T"],
            "expression": "implies(open[a, b] == 0, flow[a, b, t] <= 0)",
        },
        {
            "name": "balance",
            "for": ["n in Nodes", "t in T"],
            "where": "t > 1",
            "expression": "stock[n, t] == stock[n, t - 1] + sum(flow[a, b, t] for (a, b) in Arcs if b == n)"
            " - sum(flow[a, b, t] for (a, b) in Arcs if a == n) - need[n, t]",
        },
        {
            "name": "first",
            "for": ["n in Nodes"],
            "expression": "stock[n, 1] == initial[n] + sum(flow[a, b, 1] for (a, b) in Arcs if b == n)"
            " - sum(flow[a, b, 1] for (a, b) in Arcs if a == n) - need[n, 1]",
        },
        {"name": "few_arcs", "expression": "at_most(2, [open[e] for e in Arcs])"},
        {
            "name": "source",
            "expression": "sum(flow[a, b, t] for (a, b) in Arcs for t in T if a == 'A') <= 3 * supply",
        },
        {"name": "route", "expression": "either(flow['A', 'B', 1] >= 1, flow['A', 'C', 1] >= 1)"},
    ],
}

Mutation = Callable[[dict], None]


def expr(text: str, k: int = 0) -> Mutation:
    def apply(d: dict) -> None:
        d["constraints"][k]["expression"] = text

    return apply


def objective(text: str) -> Mutation:
    def apply(d: dict) -> None:
        d["objective"]["expression"] = text

    return apply


def put(section: str, target: str, /, **fields: Any) -> Mutation:
    """Update the item of ``section`` named ``target``."""

    def apply(d: dict) -> None:
        next(i for i in d[section] if i["name"] == target).update(fields)

    return apply


def add(section: str, /, **fields: Any) -> Mutation:
    """Append a new item to ``section``."""

    def apply(d: dict) -> None:
        d[section].append(fields)

    return apply


def build(base: dict, *mutations: Mutation) -> ModelSpec:
    d = copy.deepcopy(base)
    for m in mutations:
        m(d)
    return ModelSpec.model_validate(d)


@dataclass(frozen=True)
class Case:
    id: str
    mutations: tuple[Mutation, ...]
    code: str
    severity: Severity = Severity.ERROR
    where: str | None = None
    base: str = "transport"


def case(
    id: str,
    mutation: Mutation | tuple,
    code: str,
    severity: Severity = Severity.ERROR,
    *,
    where: str | None = None,
    base: str = "transport",
) -> Case:
    mutations = mutation if isinstance(mutation, tuple) else (mutation,)
    return Case(id, mutations, code, severity, where, base)


W = Severity.WARNING
SUPPLY_EXPR = "constraints[supply_limit].expression"

CASES = [
    case(
        "misspelled variable",
        expr("sum(shp[i, j] for j in Markets) <= supply[i]"),
        "check.undefined-name",
        where=SUPPLY_EXPR,
    ),
    case(
        "misspelled parameter",
        objective("sum(costs[i, j] * ship[i, j] for i in Plants for j in Markets)"),
        "check.undefined-name",
        where="objective.expression",
    ),
    case(
        "parameter named like a variable",
        add("parameters", name="ship", value=1),
        "check.duplicate-name",
        where="variables[ship].name",
    ),
    case(
        "an expression writes a declared full-width name, which the parser reads as plain (NFKC)",
        (add("parameters", name="\uff53upply", value=1), expr("sum(ship[i, j] for j in Markets) <= \uff53upply")),
        "check.bad-name",
        where=SUPPLY_EXPR,
    ),
    case(
        "two constraints with one name",
        put("constraints", "meet_demand", name="supply_limit"),
        "check.duplicate-name",
    ),
    case(
        "constraint named like a parameter",
        put("constraints", "meet_demand", name="demand"),
        "check.duplicate-name",
        Severity.INFO,
    ),
    case("too few indices", expr("sum(ship[i] for j in Markets) <= supply[i]"), "check.index-arity"),
    case("too many indices", expr("ship[i, 'Chicago', 1] <= supply[i]"), "check.index-arity"),
    case(
        "pair set bound to one name and indexed by two",
        expr("flow[a, t] <= cap[a]"),
        "check.index-arity",
        base="network",
    ),
    case(
        "binding unpacks the wrong width",
        put("constraints", "capacity", **{"for": ["(a, b, c) in Arcs", "t in T"]}),
        "check.index-arity",
        base="network",
        where="constraints[capacity].for[0]",
    ),
    case("indexed variable used bare", expr("ship <= supply[i]"), "check.not-indexed"),
    case("scalar parameter subscripted", expr("ship[i, 'Chicago'] <= budget[i]"), "check.not-indexed"),
    case("unknown member", expr("ship[i, 'Boston'] <= supply[i]"), "check.unknown-element"),
    case(
        "string member of an integer set",
        expr("stock[n, '1'] == initial[n]", 3),
        "check.unknown-element",
        base="network",
    ),
    case(
        "indices in the wrong order",
        expr("sum(ship[j, i] for j in Markets) <= supply[i]"),
        "check.index-set-mismatch",
    ),
    case(
        "partly overlapping sets",
        (
            add("sets", name="Hubs", elements=["Seattle", "Denver"]),
            put("constraints", "supply_limit", **{"for": ["i in Hubs"]}),
            expr("ship[i, 'Chicago'] <= 5"),
        ),
        "check.index-set-mismatch",
        W,
    ),
    case(
        "unknown set in for",
        put("constraints", "supply_limit", **{"for": ["i in Plant"]}),
        "check.unknown-set",
        where="constraints[supply_limit].for[0]",
    ),
    case(
        "unknown set in a parameter",
        put("parameters", "supply", index=["Factories"]),
        "check.unknown-set",
        where="parameters[supply].index",
    ),
    case(
        "unknown set in a variable",
        put("variables", "ship", index=["Plants", "Cities"]),
        "check.unknown-set",
        where="variables[ship].index",
    ),
    case("unknown set in sum", expr("sum(ship[i, j] for j in Market) <= supply[i]"), "check.unknown-set"),
    case("empty set", add("sets", name="Spare", elements=[]), "check.empty-set", W),
    case(
        "repeated member", put("sets", "Plants", elements=["Seattle", "Seattle"]), "check.duplicate-element"
    ),
    case("elements and range", put("sets", "T", elements=[1, 2, 3]), "check.set-definition", base="network"),
    case("neither elements nor range", put("sets", "Plants", elements=None), "check.set-definition"),
    case(
        "range stops before it starts",
        put("sets", "T", range={"start": 5, "stop": 1}),
        "check.set-definition",
        base="network",
        where="sets[T].range",
    ),
    case(
        "pairs of different lengths",
        put("sets", "Arcs", elements=[["A", "B"], ["B", "C", "D"], ["A", "C"]]),
        "check.set-definition",
        base="network",
    ),
    case(
        "huge range",
        put("sets", "T", range={"start": 1, "stop": 10**12}),
        "check.set-definition",
        base="network",
    ),
    case("scalar without value", put("parameters", "budget", value=None), "check.parameter-missing-value"),
    case("table without values", put("parameters", "demand", values=None), "check.parameter-missing-value"),
    case(
        "sparse table without default",
        put("parameters", "need", value=None),
        "check.parameter-missing-value",
        W,
        base="network",
        where="parameters[need].entries",
    ),
    case(
        "transposed table",
        put("parameters", "cost", values=[[2.5, 2.5], [1.7, 1.8], [1.8, 1.4]]),
        "check.parameter-shape",
        where="parameters[cost].values",
    ),
    case(
        "ragged table",
        put("parameters", "cost", values=[[2.5, 1.7], [2.5, 1.8, 1.4]]),
        "check.parameter-shape",
    ),
    case(
        "scalar given a table",
        put("parameters", "budget", value=None, values=[1, 2]),
        "check.parameter-shape",
    ),
    case(
        "entry for an unknown member",
        put("parameters", "need", entries=[{"key": ["D", 1], "value": 4}]),
        "check.parameter-extra-value",
        base="network",
    ),
    case(
        "entry key of the wrong length",
        put("parameters", "need", entries=[{"key": ["C"], "value": 4}]),
        "check.parameter-extra-value",
        base="network",
    ),
    case("NaN value", put("parameters", "supply", values=[350, float("nan")]), "check.parameter-non-finite"),
    case("infinite value", put("parameters", "budget", value=float("inf")), "check.parameter-non-finite"),
    case(
        "three variables multiplied",
        expr("ship[i, 'Chicago'] * ship[i, 'Topeka'] * ship[i, 'Chicago'] <= supply[i]"),
        "check.nonlinear-product",
    ),
    case(
        "division by a variable",
        expr("ship[i, 'Chicago'] / ship[i, 'Topeka'] <= 0.4"),
        "check.division-by-variable",
    ),
    case("division by zero", expr("ship[i, 'Chicago'] / (budget - 1000) <= 3"), "check.division-by-zero"),
    case("constraint without variable", expr("supply[i] <= budget"), "check.no-variable"),
    case(
        "objective without variable",
        objective("sum(cost[i, j] for i in Plants for j in Markets)"),
        "check.no-variable",
        W,
        where="objective.expression",
    ),
    case(
        "lower above upper",
        put("variables", "ship", lower=10, upper=5),
        "check.bounds-inverted",
        where="variables[ship]",
    ),
    case(
        "no integer between bounds",
        put("variables", "ship", domain="integer", lower=0.2, upper=0.8),
        "check.bounds-inverted",
    ),
    case(
        "binary with bounds beyond 0..1",
        put("variables", "open", upper=5),
        "check.binary-bounds",
        W,
        base="network",
    ),
    case(
        "variable used nowhere",
        add("variables", name="spare"),
        "check.unused-variable",
        W,
        where="variables[spare]",
    ),
    case("index not bound", expr("ship[i, j] <= supply[i]"), "check.unbound-index"),
    case(
        "index bound twice",
        expr("sum(ship[i, 'Chicago'] for i in Plants) <= supply[i]"),
        "check.shadowed-index",
    ),
    case(
        "index named like a parameter",
        expr("sum(ship[i, supply] for supply in Markets) <= 1"),
        "check.shadowed-index",
    ),
    case(
        "continuous condition",
        expr("implies(flow['A', 'B', 1], stock['C', 1] >= 1)", 4),
        "check.logic-operand",
        base="network",
    ),
    case(
        "arithmetic alternative",
        expr("either(flow['A', 'B', 1] + 1, flow['A', 'C', 1] >= 1)", 6),
        "check.logic-operand",
        base="network",
    ),
    case(
        "nested logic",
        expr("implies(open['A', 'B'], either(flow['A', 'B', 1] >= 1, stock['A', 1] >= 1))", 4),
        "check.logic-operand",
        base="network",
    ),
    case(
        "logic inside arithmetic",
        expr("flow['A', 'B', 1] + at_most(1, [open[e] for e in Arcs]) <= 3", 4),
        "check.logic-operand",
        base="network",
    ),
    case(
        "count above the items",
        expr("at_least(3, [open['A', 'B'], open['B', 'C']])", 4),
        "check.bad-count",
        base="network",
    ),
    case(
        "fractional count",
        expr("at_least(1.5, [open[e] for e in Arcs])", 4),
        "check.bad-count",
        base="network",
    ),
    case(
        "count with a variable",
        expr("at_least(stock['A', 1], [open[e] for e in Arcs])", 4),
        "check.bad-count",
        base="network",
    ),
    case(
        "at_most that always holds",
        expr("at_most(2, [open['A', 'B'], open['B', 'C']])", 4),
        "check.bad-count",
        W,
        base="network",
    ),
    case("no variables", lambda d: d.update(variables=[]), "check.no-variables"),
    case(
        "filter on a variable",
        put("constraints", "supply_limit", where="ship[i, 'Chicago'] > 0"),
        "check.filter-has-variable",
        where="constraints[supply_limit].where",
    ),
    case(
        "sum filter on a variable",
        expr("sum(ship[i, j] for j in Markets if ship[i, j] >= 1) <= supply[i]"),
        "check.filter-has-variable",
    ),
    case(
        "filter that is not a comparison",
        put("constraints", "supply_limit", where="supply[i]"),
        "check.bad-filter",
    ),
    case("expression without comparison", expr("sum(ship[i, j] for j in Markets)"), "parse.not-a-constraint"),
    case(
        "'or' of constraints",
        expr("ship[i, 'Chicago'] >= 1 or ship[i, 'Topeka'] >= 1"),
        "parse.not-a-constraint",
    ),
    case(
        "chain that is not a range",
        expr("ship[i, 'Chicago'] <= 5 >= ship[i, 'Topeka']"),
        "parse.not-a-constraint",
    ),
    case(
        "objective is a comparison",
        objective("sum(ship[i, j] for i in Plants for j in Markets) >= 3"),
        "check.objective-not-expression",
    ),
    case(
        "objective is a logic call",
        objective("either(ship['Seattle', 'Chicago'] >= 1, ship['Seattle', 'Topeka'] >= 1)"),
        "check.objective-not-expression",
    ),
    case("strict less-than", expr("sum(ship[i, j] for j in Markets) < supply[i]"), "check.strict-inequality"),
    case("not-equal constraint", expr("ship[i, 'Chicago'] != 3"), "check.strict-inequality"),
    case("arithmetic on a named set", expr("ship[i - 1, 'Chicago'] <= supply[i]"), "check.index-arithmetic"),
    case(
        "index arithmetic leaving the set",
        put("constraints", "balance", where=None),
        "check.unknown-element",
        base="network",
        where="constraints[balance].expression",
    ),
    case(
        "name that is not an identifier",
        put("variables", "ship", name="ship cost"),
        "check.bad-name",
        where="variables[ship cost].name",
    ),
    case("set used as a number", expr("sum(ship[i, j] for j in Markets) <= Plants"), "check.not-a-number"),
    case("named index used as a number", expr("ship[i, 'Chicago'] <= i"), "check.not-a-number"),
    case("string in arithmetic", expr("ship[i, 'Chicago'] <= 'ten'"), "check.not-a-number"),
    case("parameter as an index", expr("ship[i, demand] <= 3"), "check.bad-index"),
    case(
        "fraction in index arithmetic", expr("stock[n, t - 0.5] == 1", 2), "check.bad-index", base="network"
    ),
    case(
        "syntax error",
        expr("sum(ship[i, j] for j in Markets <= supply[i]"),
        "parse.syntax",
        where=SUPPLY_EXPR,
    ),
    case(
        "bad binding",
        put("constraints", "supply_limit", **{"for": ["Plants"]}),
        "parse.bad-binding",
        where="constraints[supply_limit].for[0]",
    ),
    case(
        "unsupported construct in a filter",
        put("constraints", "supply_limit", where="i in ['Seattle']"),
        "parse.unsupported",
        where="constraints[supply_limit].where",
    ),
    case("unknown function", expr("log(ship[i, 'Chicago']) <= 3"), "parse.unknown-function"),
]


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_each_mistake_has_its_code(c: Case) -> None:
    spec = build(TRANSPORT if c.base == "transport" else NETWORK, *c.mutations)
    found = [d for d in check(spec) if d.code == c.code]
    assert found, f"expected {c.code}, got {[str(d) for d in check(spec)]}"
    d = found[0]
    assert d.severity is c.severity
    assert d.message and d.hint, "every diagnostic says what is wrong and how to fix it"
    if c.where is not None:
        assert d.where == c.where


def test_every_code_used_is_registered() -> None:
    for c in CASES:
        assert c.code in CODES


@pytest.mark.parametrize("base", [TRANSPORT, NETWORK], ids=["transport", "network"])
def test_correct_specs_are_clean(base: dict) -> None:
    assert check(build(base)) == []


@pytest.mark.parametrize(
    ("base", "mutation", "fragment"),
    [
        (TRANSPORT, expr("sum(shp[i, j] for j in Markets) <= supply[i]"), "'ship'"),
        (TRANSPORT, expr("sum(SHIP[i, j] for j in Markets) <= supply[i]"), "'ship'"),
        (TRANSPORT, put("constraints", "supply_limit", **{"for": ["i in plants"]}), "'Plants'"),
        (TRANSPORT, expr("ship[i, 'chicago'] <= 3"), "'Chicago'"),
        (TRANSPORT, put("parameters", "cost", values=[[2.5, 2.5], [1.7, 1.8], [1.8, 1.4]]), "transposed"),
        (TRANSPORT, expr("ship[i, k] <= 1"), "sum(... for k in"),
        (TRANSPORT, expr("sum(ship[j, i] for j in Markets) <= supply[i]"), "[Plants, Markets] in that order"),
        (NETWORK, expr("stock[n, '2'] == 1", 3), "without quotes"),
        (NETWORK, put("parameters", "need", entries=[{"key": ["C", "1"], "value": 4}]), "without quotes"),
        (NETWORK, put("constraints", "balance", where=None), "'where': 't > 1'"),
    ],
)
def test_hints_name_the_fix(base: dict, mutation: Mutation, fragment: str) -> None:
    text = " ".join(d.message + " " + d.hint for d in check(build(base, mutation)))
    assert fragment in text


def test_subset_of_the_expected_set_is_fine() -> None:
    spec = build(
        TRANSPORT,
        add("sets", name="West", elements=["Seattle"]),
        put("constraints", "supply_limit", **{"for": ["i in West"]}),
    )
    assert check(spec) == []


def test_integer_literal_matches_integer_member_and_filtered_arithmetic_is_accepted() -> None:
    spec = build(NETWORK, expr("stock[n, 3] >= stock[n, 3 - 1] - 5", 3))
    assert check(spec) == []


def test_whole_constraint_checks_do_not_stop_at_the_first_problem() -> None:
    spec = build(
        TRANSPORT, expr("shp[i, 'Chicago'] + ship[i, 'Boston'] * ship[i, 'Topeka'] ** 2 < supply[k]")
    )
    codes = {d.code for d in check(spec)}
    assert {
        "check.undefined-name",
        "check.unknown-element",
        "check.nonlinear-product",
        "check.strict-inequality",
        "check.unbound-index",
    } <= codes


MISTAKEN_CONSTRAINTS = [
    # (code, expression, for, where)
    ("check.undefined-name", "shp[i, 'Chicago'] <= 1", ["i in Plants"], None),
    ("check.index-arity", "ship[i] <= 1", ["i in Plants"], None),
    ("check.not-indexed", "ship <= 1", [], None),
    ("check.unknown-element", "ship[i, 'Boston'] <= 1", ["i in Plants"], None),
    ("check.index-set-mismatch", "sum(ship[j, i] for j in Markets) <= 1", ["i in Plants"], None),
    ("check.index-set-mismatch", "ship[h, 'Chicago'] <= 1", ["h in Hubs"], None),
    ("check.unknown-set", "level <= 1", ["i in Plant"], None),
    ("check.nonlinear-product", "ship[i, 'Chicago'] * level * level <= 1", ["i in Plants"], None),
    ("check.division-by-variable", "ship[i, 'Chicago'] / level <= 1", ["i in Plants"], None),
    ("check.division-by-zero", "ship[i, 'Chicago'] / 0 <= 1", ["i in Plants"], None),
    ("check.no-variable", "supply[i] <= 1", ["i in Plants"], None),
    ("check.unbound-index", "ship[i, k] <= 1", ["i in Plants"], None),
    ("check.shadowed-index", "sum(ship[i, 'Chicago'] for i in Plants) <= 1", ["i in Plants"], None),
    ("check.logic-operand", "implies(level, ship['Seattle', 'Chicago'] <= 1)", [], None),
    ("check.bad-count", "at_least(2, [on])", [], None),
    ("check.filter-has-variable", "ship[i, 'Chicago'] <= 1", ["i in Plants"], "level > 0"),
    ("check.bad-filter", "ship[i, 'Chicago'] <= 1", ["i in Plants"], "supply[i]"),
    ("parse.not-a-constraint", "ship[i, 'Chicago'] + 1", ["i in Plants"], None),
    ("check.strict-inequality", "ship[i, 'Chicago'] < 1", ["i in Plants"], None),
    ("check.index-arithmetic", "ship[i - 1, 'Chicago'] <= 1", ["i in Plants"], None),
    ("check.unknown-element", "stock[t - 1] <= 1", ["t in T"], None),
    ("check.not-a-number", "ship[i, 'Chicago'] <= Plants", ["i in Plants"], None),
    ("check.bad-index", "ship[i, demand] <= 1", ["i in Plants"], None),
    ("parse.syntax", "ship[i, 'Chicago'] <= (1", ["i in Plants"], None),
    ("parse.bad-binding", "level <= 1", ["Plants"], None),
    ("parse.unknown-function", "log(level) <= 1", [], None),
]

MISTAKEN_DEFINITIONS = [
    ("check.empty-set", "sets[Empty].elements", add("sets", name="Empty", elements=[])),
    ("check.duplicate-element", "sets[Twice].elements", add("sets", name="Twice", elements=["a", "a"])),
    (
        "check.set-definition",
        "sets[Both]",
        add("sets", name="Both", elements=[1], range={"start": 1, "stop": 1}),
    ),
    ("check.duplicate-name", "sets[Hubs].name", add("sets", name="Hubs", elements=["X"])),
    ("check.parameter-missing-value", "parameters[nothing].value", add("parameters", name="nothing")),
    (
        "check.parameter-shape",
        "parameters[flipped].values",
        add("parameters", name="flipped", index=["Plants", "Markets"], values=[[1, 2], [3, 4], [5, 6]]),
    ),
    (
        "check.parameter-extra-value",
        "parameters[sparse].entries",
        add("parameters", name="sparse", index=["Plants"], entries=[{"key": ["Boston"], "value": 1}]),
    ),
    (
        "check.parameter-non-finite",
        "parameters[broken].value",
        add("parameters", name="broken", value=float("inf")),
    ),
    ("check.bounds-inverted", "variables[inverted]", add("variables", name="inverted", lower=5, upper=1)),
    ("check.binary-bounds", "variables[flag]", add("variables", name="flag", domain="binary", upper=3)),
    ("check.unused-variable", "variables[spare]", add("variables", name="spare")),
    ("check.bad-name", "variables[bad name].name", add("variables", name="bad name")),
    (
        "check.duplicate-name",
        "constraints[dup].name",
        lambda d: d["constraints"].extend([{"name": "dup", "expression": "level <= 1"}] * 2),
    ),
    (
        "check.objective-not-expression",
        "objective.expression",
        objective("sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets) >= 0"),
    ),
]


def test_spec_with_every_kind_of_mistake() -> None:
    """One spec holding one of each mistake: each is reported where it is, and none hides another."""
    d = copy.deepcopy(TRANSPORT)
    d["sets"] += [
        {"name": "Hubs", "elements": ["Seattle", "Denver"]},
        {"name": "T", "range": {"start": 1, "stop": 3}},
    ]
    d["variables"] += [
        {"name": "level"},
        {"name": "on", "domain": "binary"},
        {"name": "stock", "index": ["T"]},
    ]
    for _, _, mutation in MISTAKEN_DEFINITIONS:
        mutation(d)
    for k, (_, expression, bindings, where) in enumerate(MISTAKEN_CONSTRAINTS):
        d["constraints"].append({"name": f"c{k}", "for": bindings, "where": where, "expression": expression})
    found = {(x.code, _element(x.where)) for x in check(ModelSpec.model_validate(d))}
    expected = {(code, f"constraints[c{k}]") for k, (code, *_) in enumerate(MISTAKEN_CONSTRAINTS)}
    expected |= {(code, _element(where)) for code, where, _ in MISTAKEN_DEFINITIONS}
    assert expected - found == set()


def _element(where: str) -> str:
    """``constraints[c1].expression`` -> ``constraints[c1]``: the spec element a location is in."""
    head, sep, _ = where.partition("].")
    return head + "]" if sep else where


def test_parse_spec_expressions_parses_each_part_once() -> None:
    parsed = parse_spec_expressions(build(NETWORK))
    assert parsed.objective is not None and parsed.diagnostics == []
    balance = next(pc for pc in parsed.constraints if pc.spec.name == "balance")
    assert balance.ok and balance.filter is not None and len(balance.bindings) == 2


def test_a_long_flat_sum_is_checked_without_recursion_trouble() -> None:
    terms = " + ".join(["ship[i, 'Chicago']"] * 900)
    assert check(build(TRANSPORT, expr(f"{terms} <= 5"))) == []


# -- robustness ------------------------------------------------------------------------------
TOKENS = [
    "ship",
    "cost",
    "supply",
    "demand",
    "budget",
    "Plants",
    "Markets",
    "i",
    "j",
    "k",
    "x",
    "sum",
    "abs",
    "min",
    "max",
    "implies",
    "either",
    "at_least",
    "at_most",
    "exactly",
    "for",
    "in",
    "if",
    "and",
    "or",
    "not",
    "(",
    ")",
    "[",
    "]",
    ",",
    "+",
    "-",
    "*",
    "/",
    "<=",
    ">=",
    "==",
    "<",
    "!=",
    "0",
    "1",
    "2.5",
    "-3",
    "'Seattle'",
    "'Boston'",
    "1e400",
    "t - 1",
    "(a, b)",
    "lambda",
    ".",
    "**",
    ":",
    "Plants[0]",
]
names = st.one_of(
    st.sampled_from(["ship", "cost", "Plants", "i", "x y", "", "for", "sum"]), st.text(max_size=8)
)
expressions = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join),
    st.text(max_size=40),
)
members = st.one_of(
    st.text(max_size=6),
    st.integers(-3, 5),
    st.lists(st.one_of(st.text(max_size=3), st.integers(0, 3)), max_size=3),
)
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5))
dense = st.recursive(numbers, lambda inner: st.lists(inner, max_size=4), max_leaves=12)


@st.composite
def mutated_spec(draw: st.DrawFn) -> dict:
    d = copy.deepcopy(draw(st.sampled_from([TRANSPORT, NETWORK])))
    for _ in range(draw(st.integers(1, 6))):
        section = draw(st.sampled_from(["sets", "parameters", "variables", "constraints", "objective"]))
        if section == "objective":
            d["objective"]["expression"] = draw(expressions)
            continue
        if not d[section]:
            continue
        item = d[section][draw(st.integers(0, len(d[section]) - 1))]
        field = draw(
            st.sampled_from(
                {
                    "sets": ["name", "elements", "range"],
                    "parameters": ["name", "index", "value", "values", "entries"],
                    "variables": ["name", "index", "lower", "upper", "domain"],
                    "constraints": ["name", "for", "where", "expression"],
                }[section]
            )
        )
        item[field] = draw(
            {
                "name": names,
                "elements": st.one_of(st.none(), st.lists(members, max_size=5)),
                "range": st.one_of(
                    st.none(),
                    st.fixed_dictionaries(
                        {"start": st.integers(-(10**13), 10), "stop": st.integers(-10, 10**13)}
                    ),
                ),
                "index": st.lists(names, max_size=3),
                "value": st.one_of(st.none(), numbers),
                "values": st.one_of(st.none(), st.lists(dense, max_size=4)),
                "entries": st.one_of(
                    st.none(),
                    st.lists(
                        st.fixed_dictionaries(
                            {
                                "key": st.lists(
                                    st.one_of(st.text(max_size=3), st.integers(0, 4)), max_size=3
                                ),
                                "value": numbers,
                            }
                        ),
                        max_size=3,
                    ),
                ),
                "lower": st.one_of(st.none(), numbers),
                "upper": st.one_of(st.none(), numbers),
                "domain": st.sampled_from(["continuous", "integer", "binary"]),
                "for": st.lists(
                    st.one_of(expressions, st.sampled_from(["i in Plants", "(a, b) in Arcs", "t in T"])),
                    max_size=3,
                ),
                "where": st.one_of(st.none(), expressions),
                "expression": expressions,
            }[field]
        )
    return d


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_spec())
def test_check_never_raises_on_mutated_specs(d: dict) -> None:
    diagnostics = check(ModelSpec.model_validate(d))
    for x in diagnostics:
        assert x.code in CODES
        assert x.where
