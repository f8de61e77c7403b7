"""LinearProgram: the flat arrays every backend sees, and nothing else.

Rows are ``row_lower <= A x <= row_upper``; columns ``col_lower <= x <= col_upper``.
Names are derived lazily from :class:`Block` provenance, because formatting
250,000 names costs more than building the matrix and most backends never need them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
        shape = tuple(len(d) for d in self.dims)
        pos = np.unravel_index(cell, shape)
        out: list[object] = []
        for d, p in zip(self.dims, pos, strict=True):
            member = d[int(p)]
            out.extend(member if isinstance(member, tuple) else (member,))
        return tuple(out)

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
    levels: list[Level] = field(default_factory=list)
    """Priority levels of a lexicographic model, first optimised first; empty for one objective."""

    @property
    def num_cols(self) -> int:
        return int(self.c.shape[0])

    @property
    def num_rows(self) -> int:
        return int(self.A.shape[0])

    @property
    def is_mip(self) -> bool:
        return bool(self.integrality.any())

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
