"""LinearProgram: the flat arrays every backend sees, and nothing else.

Rows are ``row_lower <= A x <= row_upper``; columns ``col_lower <= x <= col_upper``.
A quadratic model adds ``1/2 x'Qx`` to the objective (``q``, symmetric) and products
``coef * x_i * x_j`` to some rows (``q_rows``); both are None for a linear model, so
backends that only solve linear models never see anything new.
Names are derived lazily from :class:`Block` provenance, because formatting
250,000 names costs more than building the matrix and most backends never need them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from nl2opt._compat import StrEnum


class Sense(StrEnum):
    MINIMIZE = "minimize"
    MAXIMIZE = "maximize"


class Origin(StrEnum):
    """What spec element a block of rows or columns came from."""

    VARIABLE = "variable"
    CONSTRAINT = "constraint"
    AUXILIARY = "auxiliary"


@dataclass(frozen=True)
class Block:
    """A contiguous run of rows or columns produced by one spec element.

    ``labels`` holds one index tuple per row/column (empty tuple for scalars);
    it may be given lazily through ``dims`` (a list of member lists) and ``cells``
    (flat positions in the product of ``dims``), which is how big blocks avoid
    building Python tuples.
    """

    name: str
    origin: Origin
    start: int
    size: int
    dims: tuple[tuple[object, ...], ...] = ()
    cells: np.ndarray | None = None
    note: str = ""

    def label(self, k: int) -> tuple[object, ...]:
        """Index tuple of the k-th row/column inside the block."""
        if not self.dims:
            return () if self.size == 1 else (k,)
        cell = int(self.cells[k]) if self.cells is not None else k
        if not 0 <= cell < math.prod(len(d) for d in self.dims):
            raise IndexError(f"cell {cell} is outside {self.name}")
        out: list[object] = []
        for d in reversed(self.dims):  # row-major, as numpy's unravel_index, in plain integers
            cell, p = divmod(cell, len(d))
            member = d[p]
            out.extend(reversed(member) if isinstance(member, tuple) else (member,))
        return tuple(reversed(out))

    def element_name(self, k: int) -> str:
        lab = self.label(k)
        return f"{self.name}[{','.join(map(str, lab))}]" if lab else self.name


@dataclass(frozen=True)
class Level:
    """One priority level of a lexicographic program: its own objective ``c @ x + offset``.

    Levels are optimised in order, each then held within ``max(tolerance,
    relative_tolerance * |optimum|)`` of its optimum (see :mod:`nl2opt.lexicographic`);
    backends never see them, only the program each step builds.
    """

    name: str
    """How results and diagnostics name the level, e.g. ``priority 1 (meet_profit)``."""
    sense: Sense
    c: np.ndarray
    offset: float = 0.0
    tolerance: float = 0.0
    relative_tolerance: float = 0.0


@dataclass
class QuadraticRows:
    """Products in rows, as triplets: row ``row[k]`` gains ``coef[k] * x[i[k]] * x[j[k]]``.

    ``cone`` lists rows that are second-order cones written as ``e.e - t^2 <= 0`` with ``t >= 0``
    (convex, though their quadratic form is not).
    """

    row: np.ndarray
    i: np.ndarray
    j: np.ndarray
    coef: np.ndarray
    cone: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def values(self, x: np.ndarray, m: int) -> np.ndarray:
        """The quadratic part of every row's activity at ``x``."""
        return np.bincount(self.row, weights=self.coef * x[self.i] * x[self.j], minlength=m)

    def magnitude(self, x: np.ndarray, m: int) -> np.ndarray:
        """Sum of ``|coef x_i x_j|`` per row: the scale a row's tolerance is measured against."""
        return np.bincount(self.row, weights=np.abs(self.coef * x[self.i] * x[self.j]), minlength=m)


@dataclass
class LinearProgram:
    """A linear or mixed-integer program in bulk-array form."""

    sense: Sense
    c: np.ndarray
    A: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integrality: np.ndarray
    offset: float = 0.0
    col_blocks: list[Block] = field(default_factory=list)
    row_blocks: list[Block] = field(default_factory=list)
    q: sp.csr_matrix | None = None
    """Symmetric; the objective adds ``1/2 x'Qx``. None for a linear objective."""
    q_rows: QuadraticRows | None = None
    """Products in rows; None when every row is linear."""
    levels: list[Level] = field(default_factory=list)
    """Priority levels of a lexicographic model, first optimised first; empty for one objective."""

    @property
    def is_quadratic(self) -> bool:
        return self.q is not None or self.q_rows is not None

    @cached_property
    def abs_A(self) -> sp.csr_matrix:
        """``|A|``, for the magnitudes the point check, the optimality check and the row reports
        scale their tolerances by; made once (``replace`` builds a new program, and a new cache)."""
        return abs(self.A)

    def objective_value(self, x: np.ndarray) -> float:
        """``c x + 1/2 x'Qx + offset``: the objective every backend and check computes."""
        value = float(self.c @ x) + self.offset
        if self.q is not None:
            value += 0.5 * float(x @ (self.q @ x))
        return value

    def activity(self, x: np.ndarray) -> np.ndarray:
        """Every row's value at ``x``, products included."""
        out = np.asarray(self.A @ x, dtype=float)
        if self.q_rows is not None:
            out = out + self.q_rows.values(x, self.num_rows)
        return out

    @property
    def num_cols(self) -> int:
        return int(self.c.shape[0])

    @property
    def num_rows(self) -> int:
        return int(self.A.shape[0])

    @property
    def is_mip(self) -> bool:
        return bool(self.integrality.any())

    def with_integers_fixed(self, x: np.ndarray) -> LinearProgram | None:
        """The LP left when every integer column is fixed at ``x`` rounded; None when a rounded
        value lies outside its bounds. Polishing a MIP point solves it (its continuous values
        then meet the rows to the LP's tolerance, not through an integer's tolerance)."""
        integer = np.asarray(self.integrality, dtype=bool)
        fixed = np.round(np.asarray(x, dtype=float)[integer])
        lower, upper = self.col_lower.copy(), self.col_upper.copy()
        if np.any(fixed < lower[integer] - 1e-9) or np.any(fixed > upper[integer] + 1e-9):
            return None
        lower[integer] = upper[integer] = fixed
        return replace(self, col_lower=lower, col_upper=upper, integrality=np.zeros_like(self.integrality))

    def col_block(self, j: int) -> tuple[Block, int]:
        return _find(self.col_blocks, j)

    def row_block(self, i: int) -> tuple[Block, int]:
        return _find(self.row_blocks, i)

    def col_name(self, j: int) -> str:
        block, k = self.col_block(j)
        return block.element_name(k)

    def row_name(self, i: int) -> str:
        block, k = self.row_block(i)
        return block.element_name(k)

    @cached_property
    def col_names(self) -> list[str]:
        return [b.element_name(k) for b in self.col_blocks for k in range(b.size)]

    @cached_property
    def row_names(self) -> list[str]:
        return [b.element_name(k) for b in self.row_blocks for k in range(b.size)]

    def validate(self) -> None:
        """Raise AssertionError when the arrays disagree in shape (a compiler bug)."""
        m, n = self.A.shape
        assert self.c.shape == (n,) and self.col_lower.shape == (n,) and self.col_upper.shape == (n,)
        assert (
            self.integrality.shape == (n,) and self.row_lower.shape == (m,) and self.row_upper.shape == (m,)
        )
        assert sum(b.size for b in self.col_blocks) == n, "column provenance does not cover all columns"
        assert sum(b.size for b in self.row_blocks) == m, "row provenance does not cover all rows"
        assert all(level.c.shape == (n,) for level in self.levels), (
            "a priority level's objective has the wrong shape"
        )


def _find(blocks: list[Block], pos: int) -> tuple[Block, int]:
    starts = [b.start for b in blocks]
    k = int(np.searchsorted(starts, pos, side="right")) - 1
    if k < 0 or pos >= blocks[k].start + blocks[k].size:
        raise IndexError(pos)
    return blocks[k], pos - blocks[k].start
