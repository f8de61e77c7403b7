"""Result: everything a caller gets back, JSON-serialisable.

One type for ``solve_spec`` and ``formulate_and_solve``: the answer (status,
objective, values), how it was reached (every attempt with its Diagnostics,
tokens and seconds) and how to read it (explanation, LaTeX).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, ValidatorFunctionWrapHandler
from pydantic.functional_serializers import WrapSerializer
from pydantic.functional_validators import WrapValidator

from nl2opt._compat import StrEnum
from nl2opt.diagnostics import Diagnostic, Severity
from nl2opt.spec import ModelSpec
from nl2opt.tables import TableInfo
from nl2opt.values import SolutionValues, index_key
from nl2opt.values import split_index_key as split_index_key  # where callers have found it

if TYPE_CHECKING:
    from nl2opt.whatif import Comparison


def _keep_view(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A :class:`SolutionValues` view is kept as it is; anything else is validated as the dict."""
    return value if isinstance(value, SolutionValues) else handler(value)


def _as_dict(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    """A view serialises as the dict it stands for."""
    return handler(value.to_dict() if isinstance(value, SolutionValues) else value)


Values = Annotated[
    dict[str, float | dict[str, float]],
    WrapValidator(_keep_view),
    WrapSerializer(_as_dict, when_used="always"),
]
"""``Result.values``: a plain dict, or the solver's arrays behind :class:`SolutionValues`."""


class Status(StrEnum):
    """The outcome in one word."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """A feasible solution, not proven optimal (a limit was hit)."""
    UNVERIFIED = "unverified"
    """The solver returned values that fail verification (the broken rows are in the diagnostics).

    The values are kept for inspection, but they are no answer: ``ok`` is False, and
    ``has_solution`` is False so that every consumer treats them as a failure."""
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    NO_SOLUTION = "no_solution"
    """A limit was hit before any feasible solution was found."""
    INVALID = "invalid"
    """The spec has errors (see diagnostics); nothing was solved."""
    ERROR = "error"
    """The solver failed."""
    DECLINED = "declined"
    """No trustworthy model could be formulated; nothing was solved."""

    @property
    def has_solution(self) -> bool:
        """An answer to act on: optimal, or feasible at a limit (never UNVERIFIED)."""
        return self in (Status.OPTIMAL, Status.FEASIBLE)

    @property
    def has_values(self) -> bool:
        """The Result carries values, trustworthy or not (``has_solution`` or UNVERIFIED)."""
        return self.has_solution or self is Status.UNVERIFIED


class Usage(BaseModel):
    """Tokens and cost of LLM calls; zero for the offline formulator."""

    calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        costs = [c for c in (self.cost_usd, other.cost_usd) if c is not None]
        return Usage(
            calls=self.calls + other.calls,
            cached_calls=self.cached_calls + other.cached_calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=sum(costs) if costs else None,
        )


class Timings(BaseModel):
    """Seconds per stage; formulate is zero for solve_spec."""

    formulate: float = 0.0
    load: float = 0.0
    """Reading and normalising the data tables bound by reference."""
    check: float = 0.0
    lower: float = 0.0
    solve: float = 0.0
    verify: float = 0.0
    total: float = 0.0


class RowReport(BaseModel):
    """One constraint row at the solution."""

    name: str
    constraint: str
    activity: float
    lower: float | None
    upper: float | None
    slack: float
    dual: float | None = None
    binding: bool


class CostRange(BaseModel):
    """How far one decision's objective coefficient may move before the optimal plan changes."""

    variable: str = Field(description="The decision, e.g. 'make[cake]'.")
    cost: float = Field(description="Its objective coefficient now.")
    lower: float | None = Field(description="Lowest coefficient with the same plan; null for no limit.")
    upper: float | None = Field(description="Highest coefficient with the same plan; null for no limit.")


class RhsRange(BaseModel):
    """How far a binding constraint's bound may move with the same shadow price."""

    name: str = Field(description="The row, e.g. 'flour' or 'demand[Paris]'.")
    constraint: str
    rhs: float = Field(description="The bound that binds now.")
    lower: float | None = Field(description="Lowest bound with the same shadow price; null for no limit.")
    upper: float | None = Field(description="Highest bound with the same shadow price; null for no limit.")
    dual: float | None = Field(default=None, description="Objective change per unit of bound in this range.")


class Sensitivity(BaseModel):
    """Cost and right-hand-side ranging of an optimal LP (from HiGHS); absent for MIPs."""

    costs: list[CostRange] = Field(default_factory=list)
    rhs: list[RhsRange] = Field(default_factory=list)


class Attempt(BaseModel):
    """One formulate -> solve round of the repair loop."""

    number: int
    model: str | None = None
    spec: ModelSpec | None = None
    status: Status
    objective: float | None = None
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    feedback: str | None = Field(default=None, description="The repair message sent after this attempt.")
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]


class Reading(BaseModel):
    """One distinct reading of the text among several sampled formulations."""

    objective: float | None = None
    status: Status
    samples: int = Field(description="How many of the sampled formulations read the text this way.")
    spec: ModelSpec | None = None
    differences: list[str] = Field(
        default_factory=list, description="How this reading differs from the chosen one, in words."
    )


class Agreement(BaseModel):
    """How many sampled formulations reached the chosen optimum."""

    agree: int
    samples: int

    def __str__(self) -> str:
        return f"{self.agree} of {self.samples}"


class LevelReport(BaseModel):
    """One priority level of a lexicographic model, as solved (see nl2opt.lexicographic)."""

    name: str = Field(description="The level, e.g. 'priority 1 (meet_profit)'.")
    priority: int
    goals: list[str] = Field(description="Names of the goals the level adds with their weights.")
    sense: str = Field(description="minimize or maximize.")
    value: float | None = Field(default=None, description="The level's weighted value at the answer.")
    optimum: float | None = Field(default=None, description="Its best value when it was optimised.")
    held: float | None = Field(
        default=None,
        description="The bound it was held to while later levels were optimised; null for the last level.",
    )
    termination: str = Field(description="How its solve ended.")


class Result(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=False)

    status: Status
    objective: float | None = None
    values: Values = Field(
        default_factory=dict,
        description="Scalar variables map to a number; indexed ones to {'member,member': value}, or "
        """{'["member", "member"]': value} when a member contains a comma (see index_key).""",
    )
    reports: dict[str, float] = Field(
        default_factory=dict, description="The spec's reports evaluated on the solution, by name."
    )
    answer: float | None = Field(
        default=None,
        description="The asked quantity: the report the spec names as its answer, else the objective.",
    )
    levels: list[LevelReport] = Field(
        default_factory=list,
        description="Priority levels of a model with 'objectives', first optimised first; 'objective' is "
        "then the last level's value.",
    )
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    spec: ModelSpec | None = None
    backend: str | None = None
    problem_class: str | None = Field(
        default=None,
        description="The compiled model's class: lp, milp, convex-qp, nonconvex-qp, miqp, convex-qcqp, "
        "nonconvex-qcqp or miqcp (see nl2opt.classify).",
    )
    termination: str | None = Field(default=None, description="Why the solver stopped, with any limit.")
    rows: list[RowReport] = Field(default_factory=list)
    sensitivity: Sensitivity | None = Field(
        default=None, description="Ranging of costs and binding bounds; only for LPs solved by HiGHS."
    )
    best_bound: float | None = None
    mip_gap: float | None = None
    verified: bool = False
    formulator: str | None = None
    model: str | None = None
    attempts: list[Attempt] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    timings: Timings = Field(default_factory=Timings)
    explanation: str = ""
    latex: str = ""
    text: str | None = None
    tables: list[TableInfo] = Field(
        default_factory=list,
        description="The data tables the spec bound by reference: names, row counts and content hashes.",
    )
    reading: list[str] = Field(
        default_factory=list,
        description="The model's reading of the text in plain words: decisions with domains and bounds, "
        "requirements, assumptions. 'Verified' is about the model; this is what to check against the words.",
    )
    assumptions: list[str] = Field(default_factory=list, description="The model's own assumptions.")
    agreement: Agreement | None = Field(
        default=None, description="With several samples: how many reached the chosen optimum."
    )
    readings: list[Reading] = Field(
        default_factory=list, description="With several samples: each distinct reading, the chosen one first."
    )
    draft: ModelSpec | None = Field(default=None, description="When declined: the model understood so far, to finish by hand.")
    unread: list[str] = Field(default_factory=list, description="When declined: the sentences that were not understood.")

    @property
    def ok(self) -> bool:
        """An answer to act on: a solution that was not refused by verification."""
        return self.status.has_solution

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def value(self, name: str, *index: object) -> float:
        """Value of a variable; ``result.value('ship', 'Seattle', 'Chicago')``.

        The index is the members, one argument each (``result.value('x', 'a,b', 'c')`` is
        ``x['a,b', 'c']``, never ``x['a', 'b,c']``), or one key exactly as it appears in
        ``values``.

        Raises:
            KeyError: no such variable, or no such index (the message names both).
        """
        if isinstance(self.values, SolutionValues):
            return self.values.value(name, *index)  # O(1): no table is built
        v = self.values[name]
        if not isinstance(v, dict):
            if index:
                raise KeyError(f"{name} is a scalar variable; call value({name!r}) without an index")
            return v
        key = index_key(index)
        if key in v:
            return v[key]
        if len(index) == 1 and isinstance(index[0], str) and index[0] in v:
            return v[index[0]]
        raise KeyError(f"{name} has no entry for index {tuple(index)!r} (key {key!r})")

    def what_if(self, changes: Mapping[str, Any], **options: Any) -> Result:
        """Solve this result's model again with some parameters changed; no LLM call.

        ``result.what_if({"flour_available": 120})`` or ``{"cost": {"Seattle,Chicago": 3}}``;
        see :mod:`nl2opt.whatif`. ``options`` go to ``solve_spec``.

        Raises:
            WhatIfError: a change names no parameter of the model or has the wrong shape.
        """
        from nl2opt.whatif import what_if  # lazily: the pipeline sits above this module

        return what_if(self, changes, **options)

    def compare(self, other: Result) -> Comparison:
        """This result (before) beside ``other`` (after): objective and the decisions that changed."""
        from nl2opt.whatif import compare

        return compare(self, other)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent, by_alias=True)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self.to_json(indent=None))
