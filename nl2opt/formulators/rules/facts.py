"""The facts a sentence can state, independent of how they were worded.

The sentence rules (:mod:`patterns`) produce these; the assembler (:mod:`build`)
turns them into spec elements. Keeping them as plain data lets each side be
tested alone and lets the assembler check the whole problem before it answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Coef:
    """A per-unit number: one unit of ``var`` has ``value`` of something."""

    var: str
    value: float
    words: frozenset[str]  # lemmas naming what is measured ('sugar', 'sewing machine')
    money: str | None  # cost | profit | revenue | return, for amounts of money
    sentence: int
    percent: bool = False


@dataclass
class Limit:
    """A total that a sum over the decisions must respect (capacity, budget, demand)."""

    op: str
    value: float
    words: frozenset[str]  # what the number measures
    context: frozenset[str]  # other content words of its clause
    money: str | None
    sentence: int
    total: bool = False  # the clause says total / combined / all / in total
    every: bool = False  # the clause says both / each (one row per matching resource)
    scope: list[str] | None = None  # decisions named with the amount ('$1000 on A and B'); None = all
    obliged: bool = False  # no comparison word, only an obligation ('you must throw 12 bags'): an exact count
    each: bool = False  # said of every decision alone ('no shift can take more than 14'): one row per decision
    each_of: str | None = None  # opens on 'each X' for an X not known to be the decisions ('each washer'): each or all?


@dataclass
class Bound:
    """A minimum or maximum on one decision."""

    var: str
    op: str
    value: float
    sentence: int


@dataclass
class Relation:
    """lhs op factor * (sum of rhs) (+ offset); rhs None means all decisions (a share)."""

    lhs: str
    op: str
    factor: float
    rhs: list[str] | None
    sentence: int
    offset: float = 0.0
    kind: str = "ratio"  # ratio: lhs op factor*rhs; sum: sum(rhs) op factor; linear: sum(terms) op factor
    terms: dict[str, float] | None = None  # linear: the weight of each decision
    of_money: bool = False  # a share 'of the budget' ('30% of the budget must go to A'): of money, not of a count


@dataclass
class Goal:
    """The objective: its sense and the words naming what is optimised."""

    sense: str  # minimize | maximize
    words: frozenset[str]
    sentence: int
    count_of: str | None = None  # 'number of X': the X counted


@dataclass
class Problem:
    """A sentence the rules did not understand, and why."""

    sentence: int
    reason: str


@dataclass
class Analysis:
    """Everything read from the text."""

    coefs: list[Coef] = field(default_factory=list)
    limits: list[Limit] = field(default_factory=list)
    bounds: list[Bound] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
