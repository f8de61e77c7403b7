"""Symbol table: a spec's sets, parameters and variables resolved to arrays.

Shared by the checker, the compiler and the verifier so that all three read a
spec the same way. Building it never raises on a bad spec: problems are left
for :mod:`nl2opt.check` to report, and the table holds what could be resolved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from nl2opt import binding
from nl2opt.dense import as_array
from nl2opt.spec import Domain, IndexSet, ModelSpec, Parameter, Variable
from nl2opt.tables import Tables

Member = object
"""A set member: str, int, or a tuple of those."""


@dataclass
class SetInfo:
    name: str
    members: list[Member]
    width: int

    @cached_property
    def position(self) -> dict[Member, int]:
        return {m: k for k, m in enumerate(self.members)}

    @property
    def size(self) -> int:
        return len(self.members)

    @cached_property
    def member_array(self) -> np.ndarray:
        """Members as an array (int when all are ints) for vectorised filters."""
        if self.members and all(isinstance(m, int) and not isinstance(m, bool) for m in self.members):
            return np.asarray(self.members, dtype=np.int64)
        arr = np.empty(len(self.members), dtype=object)
        arr[:] = self.members
        return arr

    def component_array(self, k: int) -> np.ndarray:
        """The k-th component of each (tuple) member."""
        comps = [m[k] if isinstance(m, tuple) else m for m in self.members]
        if comps and all(isinstance(c, int) and not isinstance(c, bool) for c in comps):
            return np.asarray(comps, dtype=np.int64)
        arr = np.empty(len(comps), dtype=object)
        arr[:] = comps
        return arr


@dataclass
class ParamInfo:
    name: str
    index: tuple[str, ...]
    values: np.ndarray
    """Dense array over the index sets; NaN where no value was given."""
    spec: Parameter
    inside: np.ndarray | None = None
    """Sparse domain (``where``): True for the cells that exist; None when every cell exists."""
    domain_problem: str = ""
    """Why the ``where`` filter could not be applied (reported by the checker); empty when fine."""


@dataclass
class VarInfo:
    name: str
    index: tuple[str, ...]
    shape: tuple[int, ...]
    domain: Domain
    lower: float
    upper: float
    spec: Variable
    offset: int = 0
    """First column of this variable in the LinearProgram."""
    inside: np.ndarray | None = None
    """Sparse domain (``where``): True for the cells that have a column; None when every cell has one."""
    domain_problem: str = ""
    """Why the ``where`` filter could not be applied (reported by the checker); empty when fine."""

    @property
    def size(self) -> int:
        """Cells of the dense product of the index sets (sparse or not)."""
        return math.prod(self.shape)

    @property
    def columns(self) -> int:
        """Columns in the LinearProgram: one per cell of the domain."""
        return self.size if self.inside is None else int(np.count_nonzero(self.inside))

    @cached_property
    def column_of(self) -> np.ndarray | None:
        """Flat dense cell -> column relative to :attr:`offset`, -1 outside the domain; None when dense."""
        if self.inside is None:
            return None
        flat = self.inside.reshape(-1)
        out = np.full(flat.size, -1, dtype=np.int64)
        out[flat] = np.arange(int(np.count_nonzero(flat)), dtype=np.int64)
        return out

    @property
    def cells(self) -> np.ndarray | None:
        """Flat dense positions of the domain's cells in column order; None when dense."""
        return None if self.inside is None else np.flatnonzero(self.inside.reshape(-1))


@dataclass
class Symbols:
    sets: dict[str, SetInfo] = field(default_factory=dict)
    params: dict[str, ParamInfo] = field(default_factory=dict)
    vars: dict[str, VarInfo] = field(default_factory=dict)

    def kind(self, name: str) -> str | None:
        if name in self.vars:
            return "variable"
        if name in self.params:
            return "parameter"
        if name in self.sets:
            return "set"
        return None

    def known_names(self) -> list[str]:
        return [*self.sets, *self.params, *self.vars]


def set_members(s: IndexSet) -> list[Member]:
    return s.members()


def build_symbols(spec: ModelSpec, tables: Tables | None = None) -> Symbols:
    """Resolve the spec, reading sets and parameters bound by reference from ``tables``.

    The first definition of a duplicated name wins.
    """
    table = Symbols()
    for s in spec.sets:
        if s.name not in table.sets:
            members = binding.set_members(s, tables)[0] if s.from_ is not None else set_members(s)
            table.sets[s.name] = SetInfo(s.name, members, s.width)
    for p in spec.parameters:
        if p.name not in table.params:
            values = param_array(p, table)
            if p.from_ is not None and values.ndim == len(p.index) and p.index:
                bound = binding.parameter_values(p, [table.sets[s] for s in p.index], tables, report=False)[0]
                values = values if bound is None else bound
            table.params[p.name] = ParamInfo(p.name, tuple(p.index), values, p)
    if any(x.where is not None for x in [*spec.parameters, *spec.variables]):
        from nl2opt.domains import apply_domains  # it reads filters with the evaluator, which reads symbols

        apply_domains(spec.parameters, table)
    offset = 0
    for v in spec.variables:
        if v.name in table.vars:
            continue
        shape = tuple(table.sets[s].size if s in table.sets else 0 for s in v.index)
        lower, upper = variable_bounds(v)
        info = VarInfo(v.name, tuple(v.index), shape, v.domain, lower, upper, v, offset)
        if v.where is not None:
            from nl2opt.domains import domain_mask

            info.inside, info.domain_problem = domain_mask(v, table)
        table.vars[v.name] = info
        offset += info.columns
    return table


def variable_bounds(v: Variable) -> tuple[float, float]:
    # A bound still written as an expression (see nl2opt.derived) is no bound until resolved.
    lower = -math.inf if v.lower is None or isinstance(v.lower, str) else float(v.lower)
    upper = math.inf if v.upper is None or isinstance(v.upper, str) else float(v.upper)
    if v.domain is Domain.BINARY:
        lower, upper = max(lower, 0.0), min(upper, 1.0)
    return lower, upper


def param_shape(p: Parameter, table: Symbols) -> tuple[int, ...] | None:
    if any(s not in table.sets for s in p.index):
        return None
    return tuple(table.sets[s].size for s in p.index)


def param_array(p: Parameter, table: Symbols) -> np.ndarray:
    """Dense values of a parameter; NaN where unknown. Never raises."""
    shape = param_shape(p, table)
    if shape is None:
        return np.full((), np.nan)
    default = np.nan if p.value is None else float(p.value)
    out = np.full(shape, default, dtype=float)
    if not p.index:
        return out
    if p.values is not None:
        dense = as_array(p.values)
        if dense is None:
            return out
        if dense.shape == shape:
            out = dense.copy()
    if p.entries:
        positions = [table.sets[s].position for s in p.index]
        widths = [table.sets[s].width for s in p.index]
        for entry in p.entries:
            key = split_key(entry.key, widths)
            if key is None or len(key) != len(positions):
                continue
            try:
                idx = tuple(pos[k] for pos, k in zip(positions, key, strict=True))
            except KeyError:
                continue
            out[idx] = entry.value
    return out


def split_key(key: list, widths: list[int]) -> tuple | None:
    """Group a flat entry key into one member per index set (pair members become tuples)."""
    if len(key) == len(widths) and all(w == 1 for w in widths):
        return tuple(key)
    if len(key) != sum(widths):
        return None
    out, k = [], 0
    for w in widths:
        out.append(key[k] if w == 1 else tuple(key[k : k + w]))
        k += w
    return tuple(out)
