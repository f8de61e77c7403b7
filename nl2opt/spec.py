"""The model spec: the contract between whoever writes a model and the compiler.

The spec is the JSON an LLM writes (through :func:`strict_json_schema`), the file a
person saves and edits, and the input of :mod:`nl2opt.check` and :mod:`nl2opt.lower`.
It knows nothing of solvers or formulators. Field descriptions are part of the
contract: they become the JSON schema the LLM reads.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from typing_extensions import TypeAliasType

from nl2opt._compat import StrEnum

SCHEMA_VERSION = "1"

MAX_INTEGER = 2**53
"""Integer members, range ends and keys stay within +-2**53: exact as floats and in int64 index arithmetic."""


def _exact_integer(value: int) -> int:
    if not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise ValueError(
            f"integers in a spec must lie within +-2**53 ({MAX_INTEGER:,}); got {len(str(abs(value)))} digits"
        )
    return value


SafeInt = Annotated[int, AfterValidator(_exact_integer)]
"""An integer a set member, range end or key may be (see :data:`MAX_INTEGER`)."""

Element: TypeAlias = str | int
"""One member of a set: a name or an integer."""

SetMember: TypeAlias = str | int | list[str | int]
"""A set member: an atom, or a tuple of atoms for sets of pairs such as arcs."""

Dense = TypeAliasType("Dense", "float | list[Dense]")  # type: ignore[misc]


class Domain(StrEnum):
    """What values a decision variable may take."""

    CONTINUOUS = "continuous"
    INTEGER = "integer"
    BINARY = "binary"


class Sense(StrEnum):
    """Direction of the objective."""

    MINIMIZE = "minimize"
    MAXIMIZE = "maximize"


class ConstraintKind(StrEnum):
    """What role a constraint plays; used to explain results, never to solve."""

    BOUND = "bound"
    CAPACITY = "capacity"
    DEMAND = "demand"
    RATIO = "ratio"
    BALANCE = "balance"
    LOGIC = "logic"
    ASSIGNMENT = "assignment"
    OTHER = "other"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


class IntRange(_Strict):
    """An inclusive integer range, e.g. periods 1..12."""

    start: SafeInt | str = Field(
        description="First element (inclusive): an integer, or an expression of scalar parameters."
    )
    stop: SafeInt | str = Field(
        description="Last element (inclusive): an integer, or an expression of scalar parameters such as "
        "'n_periods'."
    )


class SetFromTable(_Strict):
    """Members read from a data table bound by reference: distinct values or distinct tuples."""

    table: str = Field(description="Name of a data table given beside the problem, e.g. 'lanes'.")
    column: str | list[str] = Field(
        description="One column for its distinct values, or a list of columns (e.g. ['origin', 'dest']) "
        "for the distinct tuples they form, as for a set of pairs."
    )


class ParameterFromTable(_Strict):
    """Values read from a data table bound by reference, one per row, keyed by key columns."""

    table: str = Field(description="Name of a data table given beside the problem, e.g. 'lanes'.")
    key: list[str] = Field(
        description="Key columns, one per component of the parameter's index in order, "
        "e.g. ['origin', 'dest'] for cost[Origins, Dests] or for cost[Lanes] over pairs."
    )
    value: str = Field(description="The column holding the numbers, e.g. 'cost'.")


class IndexSet(_Strict):
    """A named index set such as Plants, Products or Periods."""

    name: str = Field(description="Identifier used in expressions, e.g. 'Plants'.")
    elements: list[SetMember] | None = Field(
        default=None,
        description=(
            "Explicit members (names or integers). For a set of pairs such as arcs, "
            "each member is a list like ['A', 'B']. Null when 'range' is given."
        ),
    )
    range: IntRange | None = Field(
        default=None, description="Inclusive integer range instead of explicit elements."
    )
    from_: SetFromTable | None = Field(
        default=None,
        alias="from",
        description="Members taken from a data table's column(s) instead of listed; null otherwise.",
    )
    description: str = Field(default="", description="What the set stands for, in the problem's words.")

    @field_validator("elements")
    @classmethod
    def _exact_elements(cls, elements: list[SetMember] | None) -> list[SetMember] | None:
        for e in elements or []:
            for atom in e if isinstance(e, list) else [e]:
                if isinstance(atom, int):
                    _exact_integer(atom)
        return elements

    def members(self) -> list[Element | tuple[Element, ...]]:
        """Members in order, with pair members as tuples (none for a set read from a table)."""
        if self.elements is not None:
            return [tuple(e) if isinstance(e, list) else e for e in self.elements]
        if self.range is not None and isinstance(self.range.start, int) and isinstance(self.range.stop, int):
            return list(range(self.range.start, self.range.stop + 1))
        return []

    @property
    def width(self) -> int:
        """How many index names one member binds (1, or the tuple length)."""
        if self.from_ is not None and self.elements is None and self.range is None:
            return len(self.from_.column) if isinstance(self.from_.column, list) else 1
        if self.elements and isinstance(self.elements[0], list):
            return len(self.elements[0])
        return 1


class Entry(_Strict):
    """One value of an indexed parameter, keyed by set members."""

    key: list[Element] = Field(description="One member per index set, in the parameter's index order.")

    @field_validator("key")
    @classmethod
    def _exact_key(cls, key: list[Element]) -> list[Element]:
        for atom in key:
            if isinstance(atom, int):
                _exact_integer(atom)
        return key

    value: float = Field(description="The number.")


class Parameter(_Strict):
    """A named number or table of numbers given by the problem."""

    name: str = Field(description="Identifier used in expressions, e.g. 'cost'.")
    index: list[str] = Field(
        default_factory=list, description="Names of the sets this table is indexed by; empty for a scalar."
    )
    over: list[str] | None = Field(
        default=None,
        description="Names for the index positions, one binding per index set in order, e.g. "
        "['i in Nodes', 'j in Nodes'], so that 'where' can filter the cells; null for all cells.",
    )
    where: str | None = Field(
        default=None,
        description="Sparse domain: only the cells where this filter on the 'over' names holds exist, "
        "e.g. 'i != j'; references outside are errors and sums skip them. Null: every cell exists.",
    )
    value: float | None = Field(
        default=None,
        description="The value of a scalar; for an indexed table, the default for members not listed.",
    )
    values: list[Dense] | None = Field(
        default=None,
        description=(
            "Dense table as nested lists in the order of the index sets' members, e.g. "
            "[[4, 6], [5, 3]] for cost[Plants, Markets]. Null when 'entries' or only 'value' is used."
        ),
    )
    entries: list[Entry] | None = Field(
        default=None, description="Sparse table as key/value pairs. Null when 'values' is used."
    )
    from_: ParameterFromTable | None = Field(
        default=None,
        alias="from",
        description="Values read from a data table by reference (never copy a table's numbers); 'value' "
        "is then the default for keys the table lacks (null: every key must be in the table).",
    )
    unit: str | None = Field(default=None, description="Unit of measure, e.g. '$/unit' or 'kg'.")
    description: str = Field(default="", description="Where the number comes from, quoting the text.")


class Variable(_Strict):
    """A decision: what the solver chooses."""

    name: str = Field(description="Identifier used in expressions, e.g. 'ship'.")
    index: list[str] = Field(
        default_factory=list, description="Names of the sets this variable is indexed by; empty for a scalar."
    )
    over: list[str] | None = Field(
        default=None,
        description="Names for the index positions, one binding per index set in order, e.g. "
        "['i in Nodes', 'j in Nodes'], so that 'where' can filter the cells; null for all cells.",
    )
    where: str | None = Field(
        default=None,
        description="Sparse domain: only the cells where this filter on the 'over' names holds exist, "
        "e.g. 'i != j'; references outside are errors and sums skip them. Null: every cell exists.",
    )
    domain: Domain = Field(default=Domain.CONTINUOUS, description="continuous, integer or binary.")
    lower: float | str | None = Field(
        default=0.0,
        description="Lower bound: a number, an expression of parameters and the variable's indices "
        "(e.g. 'min_load[i]'), or null for no lower bound.",
    )
    upper: float | str | None = Field(
        default=None,
        description="Upper bound: a number, an expression of parameters and the variable's indices "
        "(e.g. 'capacity[i]'), or null for no upper bound.",
    )
    description: str = Field(default="", description="What the decision means, with its unit.")


class Objective(_Strict):
    """What to optimise."""

    sense: Sense = Field(description="minimize or maximize.")
    expression: str = Field(
        description="Linear expression, e.g. 'sum(cost[i, j] * ship[i, j] for i in Plants for j in Markets)'."
    )
    description: str = Field(default="", description="The goal in the problem's words.")


class Goal(_Strict):
    """One objective of a lexicographic (goal programming) model, at a priority level.

    Levels are optimised in increasing ``priority`` (1 first); the objectives of one level
    are added with their weights. Each level's optimum is then held, within the level's
    tolerance, while the later levels are optimised.
    """

    name: str = Field(description="Identifier of the goal, e.g. 'meet_profit' or 'limit_overtime'.")
    sense: Sense = Field(
        description="minimize or maximize; every goal of one priority level has the same sense."
    )
    expression: str = Field(
        description="Linear expression, e.g. 'under_profit' or 'over_hours + under_hours'."
    )
    priority: int = Field(
        description="Priority level: 1 is optimised first, then 2 with level 1 held at its optimum, and so on."
    )
    weight: float = Field(
        default=1.0, description="Positive weight of this goal within its level (levels add weighted goals)."
    )
    tolerance: float = Field(
        default=0.0,
        description="How much the level's optimum may worsen, in its units, while later levels are optimised; "
        "0 holds it exactly. One value per level.",
    )
    relative_tolerance: float = Field(
        default=0.0,
        description="The same as a fraction of |optimum| (0.05 = 5%); the looser of the two applies. "
        "One value per level.",
    )
    description: str = Field(default="", description="The goal in the problem's words.")


class Constraint(_Strict):
    """A requirement the decisions must meet, possibly one per member of some sets."""

    name: str = Field(description="Identifier, e.g. 'supply' or 'min_protein'.")
    for_: list[str] = Field(
        default_factory=list,
        alias="for",
        description="Index bindings, one per entry, e.g. ['i in Plants', '(a, b) in Arcs']; empty for one row.",
    )
    where: str | None = Field(
        default=None, description="Filter on the bound indices, e.g. 'i != j'; null for none."
    )
    expression: str = Field(
        description=(
            "Comparison 'lhs <= rhs', 'lhs >= rhs', 'lhs == rhs' or 'lo <= e <= hi', or a logic call: "
            "implies(cond, constraint), either(c1, c2), at_least(k, [..]), at_most(k, [..]), exactly(k, [..])."
        )
    )
    description: str = Field(default="", description="The requirement in the problem's words.")
    kind: ConstraintKind | None = Field(default=None, description="Role of the constraint, or null.")


class Report(_Strict):
    """A quantity computed from the solution, such as the one the question asks for."""

    name: str = Field(description="Identifier of the quantity, e.g. 'trucks_used'.")
    expression: str = Field(
        description="Expression of the variables evaluated on the solution, e.g. 'sum(use[k] for k in Trucks)'."
    )
    unit: str | None = Field(default=None, description="Unit of measure, e.g. 'trucks'.")
    description: str = Field(default="", description="What it measures, quoting the question.")


class ModelSpec(_Strict):
    """A complete optimisation model in five elements."""

    schema_version: Literal["1"] = Field(default=SCHEMA_VERSION, description="Always '1'.")
    name: str = Field(default="model", description="Short name of the problem.")
    description: str = Field(default="", description="One-sentence summary of the decision problem.")
    sets: list[IndexSet] = Field(default_factory=list, description="Index sets; empty for a scalar model.")
    parameters: list[Parameter] = Field(default_factory=list, description="Given numbers.")
    variables: list[Variable] = Field(description="Decisions.")
    objective: Objective | None = Field(
        default=None,
        description="What to optimise; null when 'objectives' lists goals at priority levels.",
    )
    objectives: list[Goal] = Field(
        default_factory=list,
        description=(
            "Goals at priority levels (lexicographic / goal programming), used instead of 'objective' "
            "when the text ranks goals; empty otherwise."
        ),
    )
    constraints: list[Constraint] = Field(default_factory=list, description="Requirements.")
    reports: list[Report] = Field(
        default_factory=list,
        description="Quantities to compute from the solution (e.g. the one the question asks for); may be empty.",
    )
    answer: str | None = Field(
        default=None,
        description=(
            "Name of the report that answers the question when it asks for something other than the "
            "objective (e.g. 'how many trucks are used' in a cost-minimising model); null when the "
            "objective value is the answer."
        ),
    )
    strict_epsilon: float | None = Field(
        default=None,
        description=(
            "Gap that a strict comparison '<' or '>' on amounts that are not whole numbers stands for: "
            "'a < b' means 'a <= b - strict_epsilon'. Null: strict comparisons are allowed only on "
            "integer expressions, where 'a < b' means 'a <= b - 1'."
        ),
    )
    assumptions: list[str] = Field(
        default_factory=list,
        description=(
            "Short sentences on readings the text leaves open, e.g. 'servings are whole', "
            "\"'exceed' read as at least one more\", 'acres are divisible', '15 is a label, not data'. "
            "Empty when the text is explicit."
        ),
    )

    @model_validator(mode="after")
    def _has_objective(self) -> ModelSpec:
        if self.objective is None and not self.objectives:
            raise ValueError("give the 'objective' (or, for ranked goals, the 'objectives' list)")
        return self

    @property
    def headline(self) -> Objective:
        """The objective the answer reports: ``objective``, or else the last priority level's goals
        (their weighted sum, in that level's sense) -- see :func:`priority_levels`."""
        if self.objective is not None:
            return self.objective
        return level_objective(priority_levels(self.objectives)[-1])

    @property
    def stated_objectives(self) -> list[Objective]:
        """Every objective as written: ``objective``, or each goal of ``objectives`` on its own."""
        if self.objective is not None:
            return [self.objective]
        return [
            Objective(sense=g.sense, expression=g.expression, description=g.description)
            for g in self.objectives
        ]

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> ModelSpec:
        return cls.model_validate_json(text)

    @classmethod
    def load(cls, path: str | Path) -> ModelSpec:
        return cls.from_json(Path(path).read_bytes())

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def priority_levels(goals: list[Goal]) -> list[list[Goal]]:
    """Goals grouped by priority, the level optimised first (lowest number) first."""
    levels: dict[int, list[Goal]] = {}
    for g in goals:
        levels.setdefault(g.priority, []).append(g)
    return [levels[p] for p in sorted(levels)]


def level_objective(level: list[Goal]) -> Objective:
    """One level as a single objective: its goals' weighted sum in the first goal's sense."""
    if len(level) == 1 and level[0].weight == 1:
        g = level[0]
        return Objective(sense=g.sense, expression=g.expression, description=g.description)
    terms = [f"({g.expression})" if g.weight == 1 else f"{g.weight!r} * ({g.expression})" for g in level]
    text = " + ".join(terms)
    about = "; ".join(g.description for g in level if g.description)
    return Objective(sense=level[0].sense, expression=text, description=about)


_DROP_KEYS = {"title", "default"}


def strict_json_schema() -> dict[str, Any]:
    """The spec's JSON schema in OpenAI's strict structured-output subset.

    Strict mode wants every property required, ``additionalProperties: false`` on
    every object and no ``default``/``title``; optional fields stay expressible as
    ``anyOf [..., null]``, which pydantic already emits for ``X | None``.
    """
    schema = copy.deepcopy(ModelSpec.model_json_schema(by_alias=True, mode="validation"))
    return _strictify(schema, schema.get("$defs", {}))


def _strictify(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strictify(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node and len(node) > 1:
        # Strict mode rejects keywords beside $ref: inline the definition instead.
        target = defs[node["$ref"].rsplit("/", 1)[-1]]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP_KEYS:
            continue
        if key == "properties":
            out[key] = {name: _strictify(sub, defs) for name, sub in value.items()}
        else:
            out[key] = _strictify(value, defs)
    if "const" in out:
        out["enum"] = [out.pop("const")]
    if out.get("type") == "object" or "properties" in out:
        out["additionalProperties"] = False
        out["required"] = list(out.get("properties", {}))
    return out


def schema_text() -> str:
    """The strict schema as stable, pretty JSON (the pinned golden copy)."""
    return json.dumps(strict_json_schema(), indent=2, sort_keys=True) + "\n"
