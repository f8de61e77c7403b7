"""0-1 selection and knapsack in prose: 'Project A costs $40,000 and returns $60,000 ...'.

Each named item (project, item, option, proposal, investment) has a cost (or weight)
and a value; a budget (or capacity) limits the total cost; the goal maximises the
total value; every item is taken fully or not at all, so the decisions are binary.
Logic between items is read when worded plainly: 'at most one of A and B', 'A and B
cannot both be selected', 'A only if B', 'at least two of A, C and E', 'at most
three projects'. Any other sentence with a number or a requirement leaves a draft.
"""

from __future__ import annotations

import re

from nl2opt.formulators.rules.families import NUM_OR_WORD, NUMBER, Reading, finish, num
from nl2opt.formulators.rules.requirements import requirements
from nl2opt.formulators.rules.sentences import Sentence
from nl2opt.spec import (
    Constraint,
    ConstraintKind,
    Domain,
    IndexSet,
    ModelSpec,
    Objective,
    Parameter,
    Variable,
)

_SCALED = NUMBER + r"(?:\s?(?:million|thousand|billion|k)\b)?"
"""'$1.2 million', '$120k': a budget in millions against costs in dollars must not be read as 1.2."""
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "billion": 1e9}
_KIND = r"(?:project|item|option|proposal|investment|candidate|site|product|package|ad|campaign)"
_ITEM = re.compile(r"\b(?i:" + _KIND + r")\s+([A-Z][A-Za-z0-9]*)\b")
_COST = re.compile(
    r"\b(?:costs?|requires an? (?:investment|outlay|budget) of|requires|needs|weighs|uses|takes)\s*(?:of\s+|:\s*)?("
    + _SCALED
    + ")",
    re.I,
)
_VALUE = re.compile(
    r"\b(?:returns?|yields?|earns?|brings?(?: in)?|is worth|gives|generates|has an? (?:value|return|profit|net present value|npv|expected return|payoff|benefit) of|(?:value|return|profit|npv|payoff|benefit)\s*(?:of|:|is)?)\s*("
    + _SCALED
    + ")",
    re.I,
)
_LIMIT = re.compile(
    r"\b(?:budget|capacity|available|can carry|can hold|holds|can spend|can afford|can invest|has|limit)\b[^.]*?("
    + _SCALED
    + ")",
    re.I,
)
_GOAL = re.compile(r"\bmaximi[sz]e\b|\bthe most\b|\bas (?:much|large|high) as possible\b|\bhighest\b|\blargest\b", re.I)
_SELECT = re.compile(
    r"\b(?:select|selected|choose|chosen|fund|funded|which (?:projects|items|options|proposals))\b", re.I
)
_NAMES = (
    r"([A-Z][A-Za-z0-9]*(?:\s*,\s*(?:"
    + _KIND
    + r"\s+)?[A-Z][A-Za-z0-9]*)*\s*,?\s*(?:and|or)\s+(?:"
    + _KIND
    + r"\s+)?[A-Z][A-Za-z0-9]*)"
)
_AT_MOST_ONE = re.compile(
    r"\b(?:at most|no more than|only) one of (?:the )?(?:" + _KIND + r"s\s+)?" + _NAMES, re.I
)
_BOTH = re.compile(
    r"\b(?:"
    + _KIND
    + r"s?\s+)?"
    + _NAMES
    + r"\s+(?:cannot|can't|can not|may not|must not) both\b|\bnot both (?:"
    + _KIND
    + r"s?\s+)?"
    + _NAMES
    + r"|\b(?:"
    + _KIND
    + r"s?\s+)?"
    + _NAMES
    + r" are mutually exclusive",
    re.I,
)
_K_OF = re.compile(
    r"\b(at least|at most|exactly) (" + NUM_OR_WORD + r") of (?:the )?(?:" + _KIND + r"s\s+)?" + _NAMES, re.I
)
_K_ALL = re.compile(
    r"\b(at least|at most|exactly|no more than) (" + NUM_OR_WORD + r") " + _KIND + r"s?\b(?! [A-Z])", re.I
)
_ONLY_IF = re.compile(
    r"\b(?:"
    + _KIND
    + r"\s+)?([A-Z][A-Za-z0-9]*) (?:can|may) (?:only )?be (?:selected|chosen|funded|taken|done)(?: only)? if (?:"
    + _KIND
    + r"\s+)?([A-Z][A-Za-z0-9]*)"
    r"|\bif (?:"
    + _KIND
    + r"\s+)?([A-Z][A-Za-z0-9]*) is (?:selected|chosen|funded|taken|done),? (?:then )?(?:"
    + _KIND
    + r"\s+)?([A-Z][A-Za-z0-9]*) must (?:also )?be",
    re.I,
)
_OPS = {"at least": ">=", "at most": "<=", "no more than": "<=", "exactly": "=="}


def _amount(text: str) -> float:
    """'$1.2 million' -> 1200000.0; '$300,000' -> 300000.0."""
    scale = re.search(r"(million|thousand|billion|k)$", text.strip(), re.I)
    if scale is None:
        return num(text)
    return num(text.strip()[: scale.start()]) * _SCALES[scale.group(1).lower()]


def _names(group: str) -> list[str]:
    return [n for n in re.findall(r"\b([A-Z][A-Za-z0-9]*)\b", group) if n.lower() not in ("and", "or")]


def read(sents: list[Sentence], text: str) -> Reading | None:
    """A 0-1 selection model, a draft, or None when the text is not a selection problem."""
    cost: dict[str, float] = {}
    value: dict[str, float] = {}
    consumed: set[int] = set()
    logic: list[tuple[int, str, str]] = []  # (sentence, name, expression)
    limit: tuple[int, float] | None = None
    goal = None
    dollars: set[bool] = set()  # whether each item's cost is in dollars, to compare with the limit's
    dollars_limit = False
    yes_no = {r.sentence for r in requirements(sents) if r.label == "all or nothing"}
    for s in sents:
        items = list(dict.fromkeys(m.upper() if len(m) <= 2 else m for m in _ITEM.findall(s.text)))
        c, v = _COST.findall(s.text), _VALUE.findall(s.text)
        logic_here = _logic(s.text)
        if logic_here is not None:
            logic += [(s.index, n, e) for n, e in logic_here]
            consumed.add(s.index)
        elif len(items) == 1 and len(c) == 1 and len(v) == 1:
            cost[items[0]], value[items[0]] = _amount(c[0]), _amount(v[0])
            dollars.add("$" in c[0])
            consumed.add(s.index)
        elif s.index in yes_no:
            consumed.add(s.index)
        elif _GOAL.search(s.text) and not any(t.is_num and not t.spelled for t in s.tokens):
            goal = s.index
            consumed.add(s.index)
        elif (
            not items
            and len(_LIMIT.findall(s.text)) == 1
            and len([t for t in s.numbers if not t.spelled]) == 1
        ):
            limit = (s.index, _amount(_LIMIT.findall(s.text)[0]))
            dollars_limit = "$" in _LIMIT.findall(s.text)[0]
            consumed.add(s.index)
        elif (
            not items
            and s.numbers
            and all(t.spelled for t in s.numbers)
            and re.search(_KIND + "s", s.text, re.I)
        ):
            consumed.add(s.index)  # 'A firm is considering five projects.'
    if len(cost) < 2 or not (yes_no or _SELECT.search(text)):
        return None
    names = list(cost)
    problems: list[tuple[int, str]] = []
    if goal is None:
        problems.append((len(sents) - 1, "no goal such as 'maximize the total return' was found"))
    if limit is not None and dollars != {dollars_limit}:
        problems.append((limit[0], "the limit and the items' costs are not both in dollars (or both in another unit)"))
    if limit is None:
        problems.append((0, "no budget or capacity ('the budget is $100,000') was found"))
    for k, _name, expression in logic:
        unknown = [x for x in re.findall(r"pick\['([^']+)'\]", expression) if x not in names]
        if unknown:
            problems.append(
                (k, "a requirement naming " + ", ".join(unknown) + ", which has no cost and value")
            )
    if (
        goal is not None
        and re.search(r"\bnet\b|\bprofit\b", sents[goal].text, re.I)
        and not re.search(r"\bnet\b|\bprofit\b", text.replace(sents[goal].text, ""), re.I)
    ):
        problems.append(
            (
                goal,
                "the goal says net / profit while the items state returns: whether costs are subtracted is unclear",
            )
        )

    def build() -> ModelSpec:
        constraints = []
        if limit is not None:
            constraints.append(
                Constraint(
                    name="budget",
                    expression=f"sum(cost[i] * pick[i] for i in Items) <= {limit[1]:g}",
                    kind=ConstraintKind.CAPACITY,
                    description=sents[limit[0]].text,
                )
            )
        for k, (sentence, name, expression) in enumerate(logic):
            if all(x in names for x in re.findall(r"pick\['([^']+)'\]", expression)):
                constraints.append(
                    Constraint(
                        name=f"{name}_{k + 1}",
                        expression=expression,
                        kind=ConstraintKind.LOGIC,
                        description=sents[sentence].text,
                    )
                )
        return model(sents, names, [cost[n] for n in names], [value[n] for n in names], constraints)

    return finish("selection", sents, consumed, build, problems)


def model(
    sents: list[Sentence], items: list[str], cost: list[float], value: list[float], constraints: list[Constraint]
) -> ModelSpec:
    """The 0-1 selection model over ``items``: pick each fully or not at all, most total value.

    Shared by this reader and :mod:`candidates` (candidates listed one per line or bracket)."""
    return ModelSpec(
        name="selection",
        description=sents[0].text if sents else "",
        sets=[IndexSet(name="Items", elements=items, description="what can be selected")],
        parameters=[
            Parameter(name="cost", index=["Items"], values=cost, description="cost (or weight) of each item"),
            Parameter(name="value", index=["Items"], values=value, description="value (return) of each item"),
        ],
        variables=[
            Variable(
                name="pick",
                index=["Items"],
                domain=Domain.BINARY,
                lower=0,
                upper=1,
                description="1 when the item is selected, fully; 0 when not",
            )
        ],
        objective=Objective(
            sense="maximize", expression="sum(value[i] * pick[i] for i in Items)", description="total value"
        ),
        constraints=constraints,
    )


def _logic(text: str) -> list[tuple[str, str]] | None:
    """Rows for the plainly worded logic of one sentence, or None when it states none."""
    out: list[tuple[str, str]] = []
    for m in _AT_MOST_ONE.finditer(text):
        out.append(("at_most_one", " + ".join(f"pick['{n}']" for n in _names(m.group(1))) + " <= 1"))
    for m in _BOTH.finditer(text):
        group = next(g for g in m.groups() if g)
        out.append(("not_both", " + ".join(f"pick['{n}']" for n in _names(group)) + " <= 1"))
    for m in _K_OF.finditer(text):
        out.append(
            (
                "count",
                " + ".join(f"pick['{n}']" for n in _names(m.group(3)))
                + f" {_OPS[m.group(1).lower()]} {num(m.group(2)):g}",
            )
        )
    if not out:
        for m in _K_ALL.finditer(text):
            out.append(
                ("count", f"sum(pick[i] for i in Items) {_OPS[m.group(1).lower()]} {num(m.group(2)):g}")
            )
    for m in _ONLY_IF.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.append(("only_if", f"pick['{a}'] <= pick['{b}']"))
    return out or None
