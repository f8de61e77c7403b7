"""Assemble facts into a ModelSpec, or say why they do not make a trustworthy model.

Per-unit numbers are grouped into *attributes* (what one unit of a decision
uses, gives or costs: 'sugar', 'machine time', money 'cost'). A limit sentence
becomes a row over the attribute it names; words shared by every attribute
('hours') carry no weight in that match, distinctive words ('sewing') do. An
attribute that no requirement and no objective uses means a sentence was
misread, so the assembler reports it instead of answering.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from nl2opt.formulators.rules.amounts import stem
from nl2opt.formulators.rules.conversions import limit_scale
from nl2opt.formulators.rules.entities import Var
from nl2opt.formulators.rules.facts import Analysis, Bound, Goal, Limit, Problem
from nl2opt.formulators.rules.guards import both_senses as _both_senses
from nl2opt.formulators.rules.guards import other_periods as _other_periods
from nl2opt.formulators.rules.guards import speaks_of_spending as _speaks_of_spending
from nl2opt.formulators.rules.lexicon import AREA_UNITS, OBJECTIVE_MONEY, PEOPLE, STAFF, UNITS
from nl2opt.formulators.rules.numbers import format_number
from nl2opt.formulators.rules.requirements import requirements, unaccounted
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.formulators.rules.units import decision_units
from nl2opt.spec import Constraint, ConstraintKind, Domain, ModelSpec, Objective, Variable

_SYMBOL = re.compile(r"[a-z]\d{0,2}")  # 'x3', 'y': a decision named by a symbol
_TIME_UNITS = frozenset({"hour", "hr", "minute", "min", "day", "week", "month", "year"})
# Clock units: a limit naming only its clock unit may target the one timed per-unit amount.
_CLOCK = {"hour": 3600.0, "hr": 3600.0, "h": 3600.0, "minute": 60.0, "min": 60.0, "second": 1.0, "sec": 1.0}
# What an objective word totals when per-unit amounts are named otherwise ('maximize the score': points).
_OBJECTIVE_NAMES = {"score": ("point",), "viewership": ("viewer",), "audience": ("viewer", "person", "people")}
_COUNT_WORDS = frozenset({"number", "item", "unit", "total", "amount", "product", "quantity", "thing", "piece", "count", "type", "kind", "sort", "variety"})


@dataclass
class Attr:
    """Something each decision has a per-unit amount of."""

    words: frozenset[str]
    money: str | None
    coefs: dict[str, float] = field(default_factory=dict)
    sentences: list[int] = field(default_factory=list)
    used: bool = False

    @property
    def label(self) -> str:
        if self.money:
            return self.money
        core = [w for w in sorted(self.words) if w not in UNITS] or sorted(self.words)
        return "_".join(core[:3]) or "resource"


@dataclass
class Row:
    name: str
    expression: str
    sentence: int
    kind: ConstraintKind


def _attributes(analysis: Analysis, problems: list[Problem]) -> list[Attr]:
    attrs: list[Attr] = []
    for c in analysis.coefs:
        target = None
        if c.money:
            target = next((a for a in attrs if a.money == c.money), None)
        else:
            same = [a for a in attrs if not a.money and a.words == c.words]
            near = [a for a in attrs if not a.money and c.words and a.words and (a.words <= c.words or c.words <= a.words)]
            core = c.words - UNITS
            if not near and core:
                # '10 g of resin' and '20 units of resin': the same thing in another unit word
                near = [a for a in attrs if not a.money and a.words - UNITS == core]
            target = same[0] if same else near[0] if len(near) == 1 else None
        if target is None:
            target = Attr(c.words, c.money)
            attrs.append(target)
        if target.words != c.words and limit_scale(c.words, target.words) != 1.0:
            # '0.4 kilograms of wax' and '250 g of wax': one resource's amounts in two unit sizes
            problems.append(Problem(c.sentence, f"amounts of '{target.label}' in two different units"))
        if c.var in target.coefs and target.coefs[c.var] != c.value:
            problems.append(Problem(c.sentence, f"two different amounts of '{target.label}' for the same decision"))
        target.coefs[c.var] = c.value
        target.sentences.append(c.sentence)
    return attrs


def _idf(attrs: list[Attr]) -> dict[str, float]:
    plain = [a for a in attrs if not a.money]
    n = len(plain)
    df: dict[str, int] = {}
    for a in plain:
        for w in a.words:
            df[w] = df.get(w, 0) + 1
    if n <= 1:
        return {w: 1.0 for w in df}
    return {w: math.log(n / d) + (0.05 if n == d else 0) for w, d in df.items()}


def _match(words: frozenset[str], attrs: list[Attr], idf: dict[str, float]) -> list[Attr]:
    """Attributes best matching ``words`` (several when tied)."""
    scored = []
    for a in attrs:
        if a.money:
            continue
        score = sum(idf.get(w, 0) for w in words & a.words)
        if score > 0.2 or (score > 0 and len(attrs) == 1):
            scored.append((score, a))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [a for s, a in scored if s >= best - 1e-9]


def _terms(coefs: dict[str, float], order: list[str]) -> str:
    parts = []
    for name in order:
        c = coefs.get(name, 0.0)
        if c == 0:
            continue
        mag = abs(c)
        term = name if mag == 1 else f"{format_number(mag)}*{name}"
        parts.append(("- " if c < 0 else "+ ") + term)
    if not parts:
        return "0"
    text = " ".join(parts)
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def assemble(
    analysis: Analysis,
    variables: list[Var],
    sents: list[Sentence],
    *,
    class_words: set[str],
    integer: bool,
    money_vars: bool,
) -> tuple[ModelSpec | None, list[Problem], ModelSpec]:
    """The spec built from the facts (or None and the problems that prevent it), and the draft either way."""
    problems = list(analysis.problems)
    order = [v.name for v in variables]
    attrs = _attributes(analysis, problems)
    idf = _idf(attrs)
    rows: list[Row] = []
    names: set[str] = set()

    def add(name: str, expression: str, sentence: int, kind: ConstraintKind) -> None:
        base, k = name, 2
        while name in names:
            name, k = f"{base}_{k}", k + 1
        names.add(name)
        rows.append(Row(name, expression, sentence, kind))

    ops = {">=": "min", "<=": "max", "==": "fix"}
    units = decision_units(sents, variables)
    if _allocates_money(sents):
        units = units | {"$"}  # 'allocate the budget across A and B': the decisions are sums of money
    if _staffs(sents):
        units = units | {"staff"}  # 'hires cooks and waiters': the decisions are counts of people
    class_words = class_words | {stem(w) for w in class_words}  # a limit's words are stems: 'servings' -> 'serv'
    class_words = class_words | _counting_nouns(analysis.limits, attrs, idf, class_words, money_vars, units) | _counted_goal(analysis, attrs)
    stated: dict[tuple[str, str, tuple[str, ...]], float] = {}  # (resource, direction, decisions) -> amount
    for lim in analysis.limits:
        targets = _limit_targets(lim, attrs, idf, class_words, money_vars, problems, units, {v.name: frozenset(v.key) for v in variables})
        if targets is None:
            continue
        scope = lim.scope or order
        named = [v.name for v in variables if {k for k in v.key if _SYMBOL.fullmatch(k)} & (lim.context | lim.words)]
        if targets == "sum" and lim.scope is None and named and len(named) < len(order):
            problems.append(Problem(lim.sentence, f"a total that names only {', '.join(named)} without their being read as decisions"))
            continue
        if targets != "sum" and lim.each:
            problems.append(Problem(lim.sentence, "a limit on each decision alone in an amount of what it uses"))
            continue
        if targets == "sum" and lim.each_of:
            problems.append(Problem(lim.sentence, f"an amount said of each {lim.each_of}: of each decision alone or of all together is unclear"))
            continue
        if targets == "sum" and lim.each:
            for name in scope:
                add(f"{ops[lim.op]}_{name}", f"{name} {lim.op} {format_number(lim.value)}", lim.sentence, ConstraintKind.BOUND)
            continue
        if targets == "sum":
            if lim.obliged and not lim.money:
                lim.op = "=="  # 'in total, you must throw 12 bags': that many, not at least that many
            kind = ConstraintKind.CAPACITY if lim.op == "<=" else ConstraintKind.DEMAND
            if len(scope) == 1:
                add(f"{ops[lim.op]}_{scope[0]}", f"{scope[0]} {lim.op} {format_number(lim.value)}", lim.sentence, ConstraintKind.BOUND)
            else:
                label = "total" if len(scope) == len(order) else "_".join(scope)
                add(f"{label}_{ops[lim.op]}", f"{_terms({n: 1.0 for n in scope}, order)} {lim.op} {format_number(lim.value)}", lim.sentence, kind)
            continue
        for a in targets:
            a.used = True
            scale = limit_scale(lim.words, a.words)
            if scale is None:
                problems.append(Problem(lim.sentence, f"a limit on '{a.label}' in a unit other than its per-unit amounts' that the rules cannot convert"))
                continue
            key = (a.label, lim.op, tuple(scope))
            if key in stated and stated[key] != lim.value * scale:
                # '200 hours, but 20 of those hours are needed for maintenance': two amounts of one resource
                problems.append(Problem(lim.sentence, f"two different limits on '{a.label}' in the same direction"))
                continue
            stated[key] = lim.value * scale
            role = "capacity" if lim.op == "<=" else "requirement" if lim.op == ">=" else "exact"
            kind = ConstraintKind.CAPACITY if lim.op == "<=" else ConstraintKind.DEMAND
            coefs = {n: c for n, c in a.coefs.items() if n in scope}
            if not any(coefs.values()):
                problems.append(Problem(lim.sentence, f"a limit on '{a.label}' over decisions that have no amount of it"))
                continue
            add(f"{a.label}_{role}", f"{_terms(coefs, order)} {lim.op} {format_number(lim.value * scale)}", lim.sentence, kind)
    problems.extend(_repeated_bounds(analysis.bounds))
    for b in analysis.bounds:
        add(f"{ops[b.op]}_{b.var}", f"{b.var} {b.op} {format_number(b.value)}", b.sentence, ConstraintKind.BOUND)
    for r in analysis.relations:
        # 'the spending on X' adds '$' to the units, yet X and Y each cost so much a unit: they are counted
        priced = "dollar" not in units and any(a.money == "cost" and all(a.coefs.get(n) for n in [r.lhs, *(r.rhs or [])]) for a in attrs)
        if r.kind == "ratio" and r.rhs and not money_vars and ("$" not in units or priced) and _speaks_of_spending(sents, r.sentence):
            # 'radio spending must be at least a quarter of TV spending': a ratio of money, not of counts
            problems.append(Problem(r.sentence, "a comparison of the money spent on decisions that are counted in units"))
            continue
        if r.kind == "linear" and r.terms:
            add(f"sum_{ops[r.op]}", f"{_terms(r.terms, order)} {r.op} {format_number(r.factor)}", r.sentence, ConstraintKind.CAPACITY if r.op == "<=" else ConstraintKind.DEMAND)
        elif r.kind == "sum":
            group = r.rhs or order
            label = "total" if len(group) == len(order) else "_".join(group)
            add(f"{label}_{ops[r.op]}", f"{_terms({n: 1.0 for n in group}, order)} {r.op} {format_number(r.factor)}", r.sentence, ConstraintKind.CAPACITY)
        elif r.rhs is None and r.of_money and not money_vars and "$" not in units:
            spent = _budget_share(r, attrs, analysis.limits, problems)
            if spent is not None:
                add(f"budget_share_{r.lhs}", f"{format_number(spent[0])}*{r.lhs} {r.op} {format_number(spent[1])}", r.sentence, ConstraintKind.RATIO)
        elif r.rhs is None:
            share = " + ".join(order)
            rhs = f"{format_number(r.factor)}*({share})"
            add(f"share_{r.lhs}", f"{r.lhs} {r.op} {rhs}", r.sentence, ConstraintKind.RATIO)
        else:
            rhs_names = " + ".join(r.rhs)
            rhs = rhs_names if r.factor == 1 else f"{format_number(r.factor)}*{rhs_names if len(r.rhs) == 1 else '(' + rhs_names + ')'}"
            if r.offset:
                rhs += f" {'+' if r.offset > 0 else '-'} {format_number(abs(r.offset))}"
            add(f"ratio_{r.lhs}_{'_'.join(r.rhs)}", f"{r.lhs} {r.op} {rhs}", r.sentence, ConstraintKind.RATIO)

    objective = _objective(analysis.goals, attrs, idf, order, class_words, variables, problems, units, sents)
    if analysis.goals:
        problems.extend(_other_periods(sents, analysis.goals[-1].sentence, {lim.sentence for lim in analysis.limits} | {r.sentence for r in rows}))
    problems.extend(Problem(s.index, "two objectives asked for at once (maximize one thing and minimize another)") for s in sents if _both_senses(s))
    for a in attrs:
        if not a.used and a.money and objective is not None and objective.description.endswith("the total number"):
            problems.append(Problem(a.sentences[0], f"the objective counts the decisions although each has a {a.money} that nothing uses"))
        elif not a.used and a.money == "cost" and objective is not None and objective.sense == "maximize" and objective.description.endswith("profit"):
            # 'earns $50 profit, but each table also incurs a $5 delivery cost': netted already, or to subtract?
            problems.append(Problem(a.sentences[0], "a per-unit cost that neither the objective nor any limit uses"))
        if not a.used and not a.money:
            problems.append(Problem(a.sentences[0], f"the amounts of '{a.label}' are used by no requirement and not by the objective"))
    mentioned = " ".join(r.expression for r in rows) + " " + (objective.expression if objective else "")
    for v in variables:
        if v.name not in mentioned.replace("(", " ").replace(")", " ").replace("*", " ").split():
            problems.append(Problem(v.sentence, f"the decision '{v.phrase}' appears in no requirement and not in the objective"))
    for sentence, reason in unaccounted(
        requirements(sents), row_sentences={r.sentence for r in rows}, logic_sentences=set(), binary=False
    ):
        problems.append(Problem(sentence, reason))
    domain = Domain.INTEGER if integer else Domain.CONTINUOUS
    spec = ModelSpec(
        name="word_problem",
        description=sents[0].text if sents else "",
        variables=[
            Variable(name=v.name, domain=domain, lower=0, description=f"amount of {v.phrase} (from: \"{sents[v.sentence].text}\")")
            for v in variables
        ],
        objective=objective or Objective(sense="maximize", expression="0", description="not read: write the goal here"),
        constraints=[
            Constraint(name=r.name, expression=r.expression, description=sents[r.sentence].text, kind=r.kind)
            for r in rows
        ],
    )
    if problems or objective is None:
        return None, problems, spec
    return spec, problems, spec


_MONEY_NOUNS = frozenset({"budget", "fund", "money", "capital", "dollar"})


def _allocates_money(sents: list[Sentence]) -> bool:
    """'plans to allocate its budget across three channels': the amounts chosen are money."""
    for s in sents:
        lemmas = [t.lemma for t in s.tokens]
        for k, w in enumerate(lemmas):
            if w.startswith("allocat") and _MONEY_NOUNS & set(lemmas[max(0, k - 3):k + 4]):
                return True
    return False


_NET_WORDS = frozenset({"profit", "earning", "gain"})


def _budget_share(r, attrs, limits: list[Limit], problems: list[Problem]) -> tuple[float, float] | None:
    """'At least 30% of the $30,000 budget must go to A' when the decisions are counted things:
    A's cost against that share of the one budget (cost[A] * A >= 0.3 * 30000), or None and why."""
    cost = next((a for a in attrs if a.money == "cost"), None)
    budgets = [lim for lim in limits if lim.money == "cost" and lim.op == "<=" and lim.scope is None]
    if cost is None or not cost.coefs.get(r.lhs) or len(budgets) != 1:
        problems.append(Problem(r.sentence, "a share of the budget without one budget and a cost for the decision"))
        return None
    cost.used = True
    return cost.coefs[r.lhs], r.factor * budgets[0].value


def _a_price(a: Attr, sents) -> bool:
    """Revenue read from selling words only ('sells for $1.00'), never from a sentence that says profit."""
    return bool(a.sentences) and all(
        0 <= k < len(sents) and not {t.lemma for t in sents[k].tokens} & {"profit", "net", "earn", "earning", "margin"} for k in a.sentences
    )


def _counting_nouns(limits: list[Limit], attrs, idf, class_words, money_vars, units) -> set[str]:
    """Nouns a total counts the decisions in: after 'at least 30 nurses in total', 'nurses' names the decisions' unit."""
    out: set[str] = set()
    for lim in limits:
        if lim.total and not lim.money and len(lim.words) == 1 and _limit_targets(lim, attrs, idf, class_words, money_vars, [], units) == "sum":
            out |= lim.words
    return out


def _counted_goal(analysis: Analysis, attrs) -> set[str]:
    """'maximize the number of devices' and 'at least 60 devices': a noun the goal counts and a limit
    counts alone, which no decision has an amount of, is the decisions' group name."""
    goal = analysis.goals[-1] if analysis.goals else None
    noun = goal.count_of if goal else None
    if noun is None or noun in UNITS or any(noun in a.words for a in attrs):
        return set()
    return {noun} if any(lim.words == {noun} and not lim.money for lim in analysis.limits) else set()


_STAFFING = ("hire", "employ", "staff", "recruit", "schedul", "roster")
_WORKING = frozenset({"work", "working", "duty", "shift", "roster", "team", "payroll"})  # where the people are: on duty, on the roster


def _staffs(sents: list[Sentence]) -> bool:
    """'A restaurant hires cooks and waiters', 'schedules guides': the decisions are people taken on."""
    return any(t.lemma.startswith(_STAFFING) for s in sents for t in s.tokens)


def _repeated_bounds(bounds: list[Bound]) -> list[Problem]:
    """Two minimums (or two maximums) on one decision in one sentence: one was misattributed.

    A sentence states one bound per decision and direction; 'Y needs at least 50 and Z at
    least 30' read as two minimums on Z means Y's was given to the wrong decision. (Across
    sentences a text may restate a bound, so only one sentence is checked.)
    """
    seen: set[tuple[str, str, int]] = set()
    out: list[Problem] = []
    for b in bounds:
        key = (b.var, b.op, b.sentence)
        if key in seen:
            which = "minimum" if b.op == ">=" else "maximum" if b.op == "<=" else "value"
            out.append(Problem(b.sentence, f"a second {which} for '{b.var}' in one sentence: which decision each belongs to is unclear"))
        seen.add(key)
    return out


def _other_clock(lim: Limit, attrs) -> list[Attr]:
    """'6 minutes of mixing' each and '40 hours of mixing time': the one timed amount, in another clock unit.

    Only when the limit names nothing but its clock unit (and 'time') beyond the amount's own words,
    and exactly one per-unit amount is timed; the build then converts the limit's unit.
    """
    if lim.money or not lim.words & _CLOCK.keys():
        return []
    timed = [a for a in attrs if not a.money and a.words & _CLOCK.keys()]
    if len(timed) != 1 or (lim.words - _CLOCK.keys() - {"time"}) - timed[0].words:
        return []
    return timed


def _limit_targets(lim: Limit, attrs, idf, class_words, money_vars, problems, units=frozenset(), var_keys=None) -> list[Attr] | str | None:
    if lim.money and "dollar" in units:
        return "sum"  # 'each dollar invested in A yields ...': a sum of money bounds the decisions themselves
    if lim.money and lim.words:
        named = [a for a in _match(lim.words, attrs, idf) if not a.money]
        if len(named) == 1:
            return named  # '$9000 of credit' when each decision uses '$400 of credit'
    if lim.money == "cost" and "$" in units and any(a.money == "cost" for a in attrs):
        problems.append(Problem(lim.sentence, "a money limit when the decisions are themselves money and also have a cost"))
        return None
    if lim.money and money_vars and lim.money == "cost" and {"investment", "invest", "invested"} & (lim.words | lim.context) and any(a.money == "cost" for a in attrs):
        problems.append(Problem(lim.sentence, "a total investment when each decision also has a cost: the sum or the cost"))
        return None
    if lim.money:
        kinds = [lim.money] if lim.money != "cost" else ["cost"]
        for kind in kinds:
            a = next((x for x in attrs if x.money == kind), None)
            if a is not None:
                return [a]
        if money_vars:
            return "sum"
        problems.append(Problem(lim.sentence, f"a limit on {lim.money} but no per-unit {lim.money} was found"))
        return None
    found = _match(lim.words, attrs, idf) or _other_clock(lim, attrs)
    rest = lim.words - class_words - _COUNT_WORDS
    if not found and lim.words and not rest:
        return "sum"
    if (not found or len(found) > 1) and not (lim.words - UNITS):
        found = _match(lim.words | lim.context, attrs, idf) or found
    if len(found) == 1 or (found and lim.every):
        return found
    if found:
        problems.append(Problem(lim.sentence, "a limit that matches several resources equally"))
        return None
    rest = lim.words - class_words - _COUNT_WORDS
    if not rest and (lim.total or lim.words & class_words or lim.words & _COUNT_WORDS):
        return "sum"
    nouns = {w for w in rest if not (w.endswith("ed") and len(w) > 4)}  # 'trees planted in total': the participle is no resource
    if lim.total and len(nouns) == 1 and not nouns & UNITS:
        return "sum"  # 'at most 100 flowers in total': the decisions counted together
    attr_words = {w for a in attrs for w in a.words}
    core = rest - units
    if not lim.words and lim.every and lim.context & class_words:
        return "sum"  # 'the demand for both shirts will not exceed 70'
    if lim.words & units and len(core) <= 1 and not core & (attr_words | UNITS):
        return _scoped(lim, var_keys)  # 'has 60 acres of land' when the decisions are acres of each crop
    if lim.words & AREA_UNITS and not attr_words & AREA_UNITS and len(core - AREA_UNITS) <= 2:
        return _scoped(lim, var_keys)  # '80 acres of land' when nothing is measured per acre: the area the decisions share
    if core and core <= PEOPLE and not attr_words & PEOPLE:
        return _scoped(lim, var_keys)  # 'can carry at most 300 passengers' when no decision is said to hold people: they are the decisions
    if "staff" in units and nouns - _WORKING and nouns - _WORKING <= STAFF and not attr_words & (STAFF | PEOPLE):
        return _scoped(lim, var_keys)  # 'hires cooks and waiters ... room for at most 20 staff': the people hired
    problems.append(Problem(lim.sentence, f"a limit on '{' '.join(sorted(lim.words)) or 'something'}' that matches no per-unit amount"))
    return None


def _scoped(lim: Limit, var_keys: dict[str, frozenset[str]] | None) -> str:
    """A total in the decisions' own unit; over the decisions its clause names, when it names only some.

    'At least 20 acres must grow herbs or beans': herbs + beans >= 20.
    """
    named = [n for n, k in (var_keys or {}).items() if k & (lim.context | lim.words)]
    if named and len(named) < len(var_keys) and lim.scope is None:
        lim.scope = named
    return "sum"


def _objective(goals: list[Goal], attrs, idf, order, class_words, variables, problems, units=frozenset(), sents=()) -> Objective | None:
    if not goals:
        problems.append(Problem(0, "no objective (maximize / minimize) was found"))
        return None
    g = goals[-1]
    for w in g.words:
        for kind in OBJECTIVE_MONEY.get(w, ()):
            a = next((x for x in attrs if x.money == kind), None)
            if a is not None:
                a.used = True
                spent = next((x for x in attrs if x.money == "cost"), None) if kind == "revenue" and w in _NET_WORDS and _a_price(a, sents) else None
                if spent is not None and not all(spent.coefs.get(n) for n in order):
                    problems.append(Problem(g.sentence, "a profit from selling prices and costs that not every decision has"))
                    return None
                if spent is not None:
                    # 'costs $0.40 to make and sells for $1.00 ... maximize profit': the price less the cost
                    spent.used = True
                    net = {n: a.coefs.get(n, 0.0) - spent.coefs.get(n, 0.0) for n in order}
                    return Objective(sense=g.sense, expression=_terms(net, order), description=f"{g.sense} revenue minus cost")
                missing = [n for n in order if not a.coefs.get(n)]
                if missing and len(order) > 1:
                    problems.append(Problem(g.sentence, f"the objective ({kind}) has no per-unit {kind} for {', '.join(missing)}"))
                return Objective(sense=g.sense, expression=_terms(a.coefs, order), description=f"{g.sense} {kind}")
    priced = _selling_price(g, attrs, sents)
    if priced is not None:
        priced.used = True
        return Objective(sense=g.sense, expression=_terms(priced.coefs, order), description=f"{g.sense} revenue")
    if g.count_of is not None:
        counted = _match(frozenset({g.count_of}), attrs, idf)
        names_all = all(v.key & g.words for v in variables) and _counted_amount(g, attrs, sents) is None
        if not counted and (names_all or g.count_of in class_words | _COUNT_WORDS | {w for v in variables for w in v.words} | {"sale"}):
            return Objective(sense=g.sense, expression=_terms({n: 1.0 for n in order}, order), description=f"{g.sense} the total number")
    named = frozenset(w for x in g.words for w in _OBJECTIVE_NAMES.get(x, ()))
    found = _match(g.words | (_TIME_UNITS if "time" in g.words else frozenset()) | named, attrs, idf)
    timed = [a for a in found if a.words & _TIME_UNITS]
    if len(found) > 1 and "time" in g.words and len(timed) == 1:
        found = timed  # 'minimize the time spent baking bread': the minutes, not the flour
    if len(found) == 1:
        found[0].used = True
        return Objective(sense=g.sense, expression=_terms(found[0].coefs, order), description=f"{g.sense} {found[0].label}")
    var_words = {w for v in variables for w in v.words}
    rest = g.words - class_words - _COUNT_WORDS - var_words
    if not found and not rest and (g.words & (class_words | _COUNT_WORDS | var_words)):
        return Objective(sense=g.sense, expression=_terms({n: 1.0 for n in order}, order), description=f"{g.sense} the total number")
    attr_words = {w for a in attrs for w in a.words}
    total = Objective(sense=g.sense, expression=_terms({n: 1.0 for n in order}, order), description=f"{g.sense} the total number")
    if not found and g.count_of is not None and g.sense == "minimize" and not g.words & attr_words:
        amount = _counted_amount(g, attrs, sents)
        if amount is not None:
            problems.append(Problem(g.sentence, f"the objective counts '{g.count_of}', which may be the decisions or their '{amount.label}'"))
            return None
        return total  # 'minimize the number of trips': nothing else is counted per decision
    if not found and (g.words - _COUNT_WORDS <= {"time", "need", "needed"} or "time" in g.words) and units & _TIME_UNITS and not attr_words & _TIME_UNITS:
        return total  # 'how many hours should each press run to minimize the total time (spent at both sites)'
    problems.append(Problem(g.sentence, f"the objective '{' '.join(sorted(g.words))}' matches no per-unit amount"))
    return None


def _counted_amount(g: Goal, attrs: list[Attr], sents) -> Attr | None:
    """A per-unit amount that the counted noun may name: 'deliveries' when A and B 'deliver' packages.

    'Minimize the number of deliveries' counts the decisions only if each one is one delivery; when
    another sentence pairs the noun's verb ('deliver') with an amount per decision ('packages'),
    it may as well be that amount. A noun with no such verb ('trips') counts the decisions.
    """
    noun = g.count_of or ""
    if len(noun) < 5:
        return None

    def verb_of_noun(w: str) -> bool:  # 'deliver' / 'delivery', 'ship' / 'shipment'
        return w != noun and len(w) >= 4 and (noun.startswith(w) or w.startswith(noun[:5]))

    for a in attrs:
        if a.money:
            continue
        for s in sents:
            if s.index == g.sentence:
                continue
            lemmas = {t.lemma for t in s.tokens}
            if lemmas & a.words and any(verb_of_noun(w) for w in lemmas):
                return a
    return None


_BUYING = frozenset({"cost", "pay", "paid", "spend", "buy", "bought", "purchase", "expense", "fee", "charge", "budget", "wage", "salary", "rent"})


def _selling_price(g: Goal, attrs: list[Attr], sents) -> Attr | None:
    """'the price of a pretzel is $3 ... maximize the revenue': a price, never spent, is what each sale brings."""
    if g.sense != "maximize" or not g.words & {"revenue", "sale", "income"} or any(a.money in ("revenue", "profit", "return") for a in attrs):
        return None
    priced = [a for a in attrs if a.money == "cost" and not a.used]
    if len(priced) != 1 or not sents:
        return None
    said = [{t.lemma for t in sents[k].tokens} for k in set(priced[0].sentences)]
    if all("price" in words and not words & _BUYING for words in said):
        return priced[0]
    return None
