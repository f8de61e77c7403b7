"""``Result.values`` as a view over the solver's array: keys are written only when read.

A million-variable transport LP has a million ``"plant,market"`` keys; writing them all
after every solve cost more than the solve. :class:`SolutionValues` keeps each
variable's (rounded) values as one numpy array with its index sets' members, and:

- reads one value in O(1) (``Result.value``) through a member -> position table per set;
- builds a variable's ``{"member,member": value}`` dict when that variable is read, with
  one string join per key and no per-element Python index arithmetic, and keeps it;
- lists nonzero values with numpy, writing keys for the listed ones only (explain);
- streams ``(variable, key, value)`` rows for CSV without building any dict.

It is a ``Mapping``: equal to the dict it stands for, and serialised by ``Result`` as that dict.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported where it is used: importing nl2opt loads no numpy
    import numpy as np

__all__ = ["SolutionValues", "VariableArray", "clean", "index_key", "nonzero_entries", "split_index_key"]


def index_key(members: Iterable[object]) -> str:
    """The key of one index tuple in ``Result.values``: ``"a,b"`` when that reads back exactly.

    Members are joined with ``,`` unless one of them contains a comma or the first starts
    with ``[``; then the key is the members' JSON array (``'["a,b","c"]'``). The two forms
    cannot meet, so every key names exactly one tuple and :func:`split_index_key` inverts it.
    Members are compared as text (``1`` and ``"1"`` are one member).
    """
    parts = [str(m) for m in _flat(members)]
    if any("," in p for p in parts) or (parts and parts[0].startswith("[")):
        return json.dumps(parts, ensure_ascii=False)
    return ",".join(parts)


def split_index_key(key: str) -> tuple[str, ...]:
    """The members (as text) of a key made by :func:`index_key`."""
    if key.startswith("["):
        return tuple(str(m) for m in json.loads(key))
    return tuple(key.split(","))


def _flat(members: Iterable[object]) -> list[object]:
    """Members with pair members (tuples, as in a set of arcs) spread out, as variables index them."""
    out: list[object] = []
    for m in members:
        out.extend(m if isinstance(m, tuple | list) else (m,))
    return out


def clean(x: np.ndarray, integral: bool) -> np.ndarray:
    """Solver noise rounded away, all at once: integers to integers, tiny values to zero, no -0.0."""
    import numpy as np

    if integral:
        return np.round(x) + 0.0
    return np.where(np.abs(x) < 1e-9, 0.0, x) + 0.0


@dataclass
class VariableArray:
    """One indexed variable: its values in row-major order and its index sets' members."""

    x: np.ndarray
    """Values, flat, in the order of the product of ``dims``."""
    dims: Sequence[Sequence[object]]
    """Members of each index set (a pair member is a tuple)."""
    at: np.ndarray | None = None
    """For a sparse domain: the flat position in the product of ``dims`` of each value (ascending)."""
    _parts: list[list[tuple[str, ...]]] | None = field(default=None, repr=False)
    _positions: list[dict[tuple[str, ...], int]] | None = field(default=None, repr=False)

    def parts(self) -> list[list[tuple[str, ...]]]:
        """Each member of each set as the text parts it adds to a key."""
        if self._parts is None:
            self._parts = [[tuple(str(m) for m in _flat((member,))) for member in d] for d in self.dims]
        return self._parts

    def _texts(self) -> list[list[str]] | None:
        """Each member's key text per set when every key is the plain ``a,b`` form, else None."""
        parts = self.parts()
        if any("," in p for d in parts for m in d for p in m):
            return None
        if parts and any(m and m[0].startswith("[") for m in parts[0]):
            return None
        return [[",".join(m) for m in d] for d in parts]

    def keys(self, positions: np.ndarray | None = None) -> list[str]:
        """The keys of all entries, or of the flat ``positions`` given, in their order."""
        import numpy as np

        parts, texts = self.parts(), self._texts()
        if self.at is not None:  # a sparse domain: value k sits at cell at[k]
            positions = self.at if positions is None else self.at[positions]
        if positions is None:
            if texts is None:
                return list(self.iter_keys())
            keys = texts[0]
            for more in texts[1:]:
                keys = [f"{k},{t}" for k in keys for t in more]
            return list(keys)
        coords = [c.tolist() for c in np.unravel_index(positions, tuple(len(d) for d in parts))]
        if texts is not None:
            return [",".join(t[p] for t, p in zip(texts, at, strict=True)) for at in zip(*coords)]
        return [index_key(m for d, p in zip(parts, at, strict=True) for m in d[p]) for at in zip(*coords)]

    def iter_keys(self) -> Iterator[str]:
        """The keys of all entries in order, one at a time."""
        if self.at is not None:
            return iter(self.keys())
        texts = self._texts()
        if texts is not None:
            return map(",".join, itertools.product(*texts))
        return (index_key(p for m in combo for p in m) for combo in itertools.product(*self.parts()))

    def table(self) -> dict[str, float]:
        """``{"member,member": value}`` for every entry."""
        return dict(zip(self.keys(), self.x.tolist(), strict=True))

    def position(self, key: str) -> int | None:
        """Flat position of the entry ``key`` names, exactly as the table would find it."""
        try:
            parts = split_index_key(key)
        except (ValueError, TypeError):
            return None
        if index_key(parts) != key:
            return None
        if any(len({len(m) for m in d}) > 1 for d in self.parts()):
            return _last(self.keys(), key)  # members of different lengths: the checker refuses these
        if self._positions is None:
            # a later member with the same text wins, as when the table's dict is built
            self._positions = [{m: k for k, m in enumerate(d)} for d in self.parts()]
        flat, start = 0, 0
        for d, lookup in zip(self.parts(), self._positions, strict=True):
            width = len(d[0]) if d else 1
            k = lookup.get(parts[start : start + width])
            if k is None:
                return None
            flat, start = flat * len(d) + k, start + width
        if start != len(parts):
            return None
        return flat if self.at is None else self._value_at(flat)

    def _value_at(self, cell: int) -> int | None:
        """Which value sits at dense ``cell`` of a sparse domain; None when the cell does not exist."""
        import numpy as np

        assert self.at is not None
        k = int(np.searchsorted(self.at, cell))
        return k if k < self.at.size and int(self.at[k]) == cell else None


def _last(keys: list[str], key: str) -> int | None:
    """Position of the last entry keyed ``key`` (the one a dict built from ``keys`` keeps)."""
    for k in range(len(keys) - 1, -1, -1):
        if keys[k] == key:
            return k
    return None


class SolutionValues(Mapping[str, "float | dict[str, float]"]):
    """Scalar variables map to a number; indexed ones to ``{"member,member": value}``, built on access."""

    def __init__(self, entries: Mapping[str, float | VariableArray]) -> None:
        self._entries = dict(entries)
        self._tables: dict[str, dict[str, float]] = {}

    def __getitem__(self, name: str) -> float | dict[str, float]:
        entry = self._entries[name]
        if not isinstance(entry, VariableArray):
            return entry
        if name not in self._tables:
            self._tables[name] = entry.table()
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return repr(self.to_dict())

    def __getstate__(self) -> dict[str, Any]:
        return {"_entries": self._entries, "_tables": {}}

    def to_dict(self) -> dict[str, float | dict[str, float]]:
        """The plain dict this view stands for (what JSON holds)."""
        return {name: self[name] for name in self._entries}

    def value(self, name: str, *index: object) -> float:
        """One value without building the variable's table; the rules of ``Result.value``."""
        entry = self._entries[name]
        if not isinstance(entry, VariableArray):
            if index:
                raise KeyError(f"{name} is a scalar variable; call value({name!r}) without an index")
            return entry
        key = index_key(index)
        at = entry.position(key)
        if at is None and len(index) == 1 and isinstance(index[0], str):
            at = entry.position(index[0])
        if at is None:
            raise KeyError(f"{name} has no entry for index {tuple(index)!r} (key {key!r})")
        return float(entry.x[at])

    def is_indexed(self, name: str) -> bool:
        return isinstance(self._entries[name], VariableArray)

    def array(self, name: str) -> np.ndarray:
        """The flat values of an indexed variable, in the order of its keys."""
        entry = self._entries[name]
        if not isinstance(entry, VariableArray):
            raise TypeError(f"{name} is a scalar variable")
        return entry.x

    def keys_at(self, name: str, positions: np.ndarray) -> list[str]:
        """The keys of the entries at flat ``positions`` of an indexed variable."""
        entry = self._entries[name]
        if not isinstance(entry, VariableArray):
            raise TypeError(f"{name} is a scalar variable")
        return entry.keys(positions)

    def nonzero(self, name: str, limit: int) -> tuple[list[tuple[str, float]], int]:
        """The first ``limit`` entries of ``name`` above 1e-9 in size, and how many there are."""
        entry = self._entries[name]
        if not isinstance(entry, VariableArray):
            raise TypeError(f"{name} is a scalar variable")
        import numpy as np

        where = np.flatnonzero(np.abs(entry.x) > 1e-9)
        shown = where[:limit]
        return list(zip(entry.keys(shown), entry.x[shown].tolist(), strict=True)), int(where.size)

    def rows(self) -> Iterator[tuple[str, str | None, float]]:
        """``(variable, key, value)`` for every value, key None for scalars; no dict is built."""
        for name, entry in self._entries.items():
            if not isinstance(entry, VariableArray):
                yield name, None, entry
                continue
            yield from zip(itertools.repeat(name), entry.iter_keys(), entry.x.tolist())


def nonzero_entries(
    values: Mapping[str, float | Mapping[str, float]], name: str, limit: int
) -> tuple[list[tuple[str, float]], int] | None:
    """The first ``limit`` entries of an indexed variable above 1e-9 in size and how many there are;
    None for a scalar. A view answers with numpy and writes only the listed keys."""
    if isinstance(values, SolutionValues):
        return values.nonzero(name, limit) if values.is_indexed(name) else None
    table = values[name]
    if not isinstance(table, Mapping):
        return None
    found = [(k, v) for k, v in table.items() if abs(v) > 1e-9]
    return found[:limit], len(found)
