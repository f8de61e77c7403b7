"""What-if: change a solved model's numbers, solve it again, and say what moved.

No LLM is involved: the result's own spec is copied with new parameter values and
handed to :func:`nl2opt.pipeline.solve_spec`. Changes name parameters the spec
defines::

    result.what_if({"flour_available": 120})                  # a scalar
    result.what_if({"cost": {"Seattle,Chicago": 3}})           # one cell, keyed as in Result.values
    result.what_if({"cost": {("Seattle", "Chicago"): 3}})      # the same cell as a tuple
    result.what_if({"demand": {"Paris": 50, "Rome": 20}})      # cells of a one-set table

A name the spec does not define, a table given as a number, a scalar given cells,
or a cell that is not a member of the table's sets raises :class:`WhatIfError`
naming what is wrong and what is there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import product
from typing import Any

from pydantic import BaseModel, Field

from nl2opt.errors import WhatIfError
from nl2opt.result import Result, Status, split_index_key
from nl2opt.spec import Entry, ModelSpec, Parameter

Changes = Mapping[str, Any]
"""``{parameter: number}`` for a scalar, ``{parameter: {cell: number}}`` for a table."""

_TOLERANCE = 1e-7
"""Relative difference below which a value counts as unchanged (solver noise)."""


class ParameterChange(BaseModel):
    """One number of the model that differs between two results."""

    parameter: str
    index: str = Field(default="", description="The cell, 'member,member'; empty for a scalar.")
    before: float | None
    after: float | None


class DecisionChange(BaseModel):
    """One decision whose value differs between two results."""

    variable: str
    index: str = Field(default="", description="The cell, 'member,member'; empty for a scalar.")
    before: float | None
    after: float | None


class Comparison(BaseModel):
    """Two results side by side: the numbers changed, the objective, the decisions that moved."""

    status_before: Status
    status_after: Status
    objective_before: float | None
    objective_after: float | None
    objective_change: float | None = Field(description="after - before; null if either has none.")
    parameters: list[ParameterChange] = Field(default_factory=list)
    decisions: list[DecisionChange] = Field(default_factory=list)

    @property
    def plan_changed(self) -> bool:
        return bool(self.decisions) or self.status_before is not self.status_after


def what_if(result: Result, changes: Changes, **options: Any) -> Result:
    """Solve ``result``'s spec again with ``changes`` applied; no LLM call.

    ``options`` go to :func:`nl2opt.solve_spec` (``time_limit``, ...); the backend defaults
    to the one that produced ``result``.

    Raises:
        WhatIfError: the result has no spec, or a change does not fit it.
    """
    from nl2opt.pipeline import solve_spec

    if result.spec is None:
        raise WhatIfError("this result has no model to change (nothing was formulated); solve a model first.")
    options.setdefault("backend", result.backend or "highs")
    new = solve_spec(apply_changes(result.spec, changes), **options)
    new.text = result.text
    return new


def apply_changes(spec: ModelSpec, changes: Changes) -> ModelSpec:
    """A copy of ``spec`` with the given parameter values; ``spec`` itself is untouched.

    Raises:
        WhatIfError: an unknown parameter, a wrong shape, an unknown cell or a value that is
            not a finite number.
    """
    if not isinstance(changes, Mapping) or not changes:
        raise WhatIfError('give the changes as a non-empty mapping, e.g. {"flour_available": 120}.')
    params = {p.name: p for p in spec.parameters}
    updated = dict(params)
    for name, change in changes.items():
        if name not in params and not params:
            raise WhatIfError(
                f"the model has no parameter {name!r}: its numbers are written into its expressions, "
                "so there is nothing to change by name; edit the spec and solve it with solve_spec."
            )
        if name not in params:
            raise WhatIfError(
                f"the model has no parameter {name!r}; its parameters are: {', '.join(params)}."
            )
        updated[name] = _change(spec, params[name], change)
    return spec.model_copy(update={"parameters": [updated[p.name] for p in spec.parameters]}, deep=True)


def _change(spec: ModelSpec, param: Parameter, change: Any) -> Parameter:
    if param.from_ is not None:
        raise WhatIfError(
            f"{param.name!r} reads its values from table {param.from_.table!r}; change the table's "
            f"{param.from_.value!r} column and solve again with solve_spec(result.spec, data={{...}})."
        )
    if not param.index:
        if isinstance(change, Mapping):
            raise WhatIfError(f"{param.name!r} is a single number; give it as {{{param.name!r}: 120}}.")
        return param.model_copy(update={"value": _number(param.name, change)})
    if not isinstance(change, Mapping) or not change:
        raise WhatIfError(
            f"{param.name!r} is a table over {', '.join(param.index)}; give the cells to change, e.g. "
            f"{{{param.name!r}: {{{_example_key(spec, param)!r}: 3}}}}."
        )
    dims = _dims(spec, param)
    entries = list(param.entries or [])
    dense = _dense_copy(param, dims)
    for key, value in change.items():
        members, position = _cell(param, dims, key)
        number = _number(f"{param.name}[{_key_text(members)}]", value)
        entries = [e for e in entries if [str(m) for m in e.key] != [str(m) for m in members]]
        if dense is not None:
            _set(dense, position, number)
        else:
            entries.append(Entry(key=members, value=number))
    return param.model_copy(update={"values": dense, "entries": entries or None})


def _dims(spec: ModelSpec, param: Parameter) -> list[list[tuple[Any, ...]]]:
    """Members of each index set, each as a tuple of atoms (pair members have two)."""
    sets = {s.name: s for s in spec.sets}
    dims = []
    for name in param.index:
        if name not in sets:
            raise WhatIfError(f"{param.name!r} is indexed by {name!r}, which the model does not define.")
        dims.append([m if isinstance(m, tuple) else (m,) for m in sets[name].members()])
    return dims


def _cell(param: Parameter, dims: list[list[tuple[Any, ...]]], key: Any) -> tuple[list[Any], tuple[int, ...]]:
    """The members and position of a cell given as 'a,b', ('a', 'b') or a lone member."""
    if isinstance(key, str) and key.lstrip().startswith("["):
        parts = list(split_index_key(key.strip()))  # the JSON-array form of a key with commas in members
    elif isinstance(key, str):
        parts = [k.strip() for k in key.split(",")]
    elif isinstance(key, tuple | list):
        parts = [str(k) for k in key]
    else:
        parts = [str(key)]
    width = sum(len(d[0]) if d else 1 for d in dims)
    if len(parts) != width:
        raise WhatIfError(
            f"{param.name}[{_key_text(parts)}] names {len(parts)} member(s); "
            f"{param.name!r} is indexed by {', '.join(param.index)} and needs {width}."
        )
    members: list[Any] = []
    position: list[int] = []
    k = 0
    for name, dim in zip(param.index, dims, strict=True):
        size = len(dim[0]) if dim else 1
        want = parts[k : k + size]
        k += size
        found = next((i for i, m in enumerate(dim) if [str(a) for a in m] == want), None)
        if found is None:
            shown = ", ".join(_key_text(m) for m in dim[:10]) + (", ..." if len(dim) > 10 else "")
            raise WhatIfError(f"{_key_text(want)!r} is not a member of {name} ({shown}).")
        members.extend(dim[found])
        position.append(found)
    return members, tuple(position)


def _dense_copy(param: Parameter, dims: list[list[tuple[Any, ...]]]) -> list[Any] | None:
    """A copy of the dense table when it has the sets' shape, else None (cells become entries)."""
    if param.values is None:
        return None
    shape = tuple(len(d) for d in dims)

    def fits(node: Any, depth: int) -> bool:
        if depth == len(shape):
            return not isinstance(node, list)
        return isinstance(node, list) and len(node) == shape[depth] and all(fits(n, depth + 1) for n in node)

    if not fits(param.values, 0):
        return None

    def copy(node: Any) -> Any:
        return [copy(n) for n in node] if isinstance(node, list) else node

    return copy(param.values)


def _set(dense: list[Any], position: tuple[int, ...], value: float) -> None:
    node = dense
    for p in position[:-1]:
        node = node[p]
    node[position[-1]] = value


def _number(what: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WhatIfError(f"the new value of {what} must be a finite number, got {value!r}.")
    return float(value)


def _key_text(parts: Any) -> str:
    return ",".join(map(str, parts))


def _example_key(spec: ModelSpec, param: Parameter) -> str:
    try:
        dims = _dims(spec, param)
    except WhatIfError:
        return "member"
    return _key_text(a for d in dims for a in (d[0] if d else ("member",)))


def compare(before: Result, after: Result) -> Comparison:
    """What differs between two results of the same model: numbers, objective, decisions."""
    objective_change = None
    if before.objective is not None and after.objective is not None:
        objective_change = after.objective - before.objective
    return Comparison(
        status_before=before.status,
        status_after=after.status,
        objective_before=before.objective,
        objective_after=after.objective,
        objective_change=objective_change,
        parameters=_parameter_changes(before.spec, after.spec),
        decisions=[
            DecisionChange(variable=name, index=index, before=a, after=b)
            for name, index, a, b in _differences(_flat(before.values), _flat(after.values))
        ],
    )


def _flat(values: Mapping[str, float | Mapping[str, float]]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for name, value in values.items():
        if isinstance(value, Mapping):
            out.update(((name, k), float(v)) for k, v in value.items())
        else:
            out[(name, "")] = float(value)
    return out


def _differences(
    a: Mapping[tuple[str, str], float], b: Mapping[tuple[str, str], float]
) -> list[tuple[str, str, float | None, float | None]]:
    changed = []
    for key in dict.fromkeys([*a, *b]):
        x, y = a.get(key), b.get(key)
        if x is None or y is None or abs(x - y) > _TOLERANCE * max(1.0, abs(x), abs(y)):
            changed.append((key[0], key[1], x, y))
    return changed


def _parameter_changes(a: ModelSpec | None, b: ModelSpec | None) -> list[ParameterChange]:
    """Cells of the parameters whose definitions differ (unchanged tables are not expanded)."""
    if a is None or b is None:
        return []
    old = {p.name: p for p in a.parameters}
    new = {p.name: p for p in b.parameters}
    differ = [n for n in dict.fromkeys([*old, *new]) if old.get(n) != new.get(n)]
    return [
        ParameterChange(parameter=name, index=index, before=x, after=y)
        for name, index, x, y in _differences(_cells(a, differ), _cells(b, differ))
    ]


def _cells(spec: ModelSpec, names: list[str]) -> dict[tuple[str, str], float]:
    """The values of the named parameters, keyed (name, 'member,member'), read as the compiler reads them."""
    out: dict[tuple[str, str], float] = {}
    for param in spec.parameters:
        if param.name not in names:
            continue
        if not param.index:
            if param.value is not None:
                out[(param.name, "")] = float(param.value)
            continue
        try:
            dims = _dims(spec, param)
        except WhatIfError:
            continue
        table: dict[str, float] = {}
        dense = _dense_copy(param, dims)
        for position in product(*(range(len(d)) for d in dims)):
            key = _key_text(a for d, p in zip(dims, position, strict=True) for a in d[p])
            value = dense
            for p in position:
                value = value[p] if value is not None else None
            if value is None and param.value is not None:
                value = param.value
            if value is not None:
                table[key] = float(value)
        for entry in param.entries or []:
            table[_key_text(entry.key)] = float(entry.value)
        out.update(((param.name, k), v) for k, v in table.items())
    return out


__all__ = [
    "Changes",
    "Comparison",
    "DecisionChange",
    "ParameterChange",
    "WhatIfError",
    "apply_changes",
    "compare",
    "what_if",
]
