"""Large results a piece at a time, for a page that must stay responsive.

A 250,000-variable answer cannot be drawn whole: the web form shows a variable's nonzero
values one page at a time and charts only the largest values. Both are read here from
``Result.values`` with numpy when it is the solver's view (:class:`SolutionValues`), so
keys are written only for what is shown; a plain dict (a Result read from JSON) works too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from nl2opt.values import SolutionValues

__all__ = ["PAGE_ROWS", "Page", "largest", "page_of"]

PAGE_ROWS = 1000
"""Entries on one page."""

_ZERO = 1e-9

Values = Mapping[str, "float | Mapping[str, float]"]


@dataclass(frozen=True)
class Page:
    """Nonzero entries ``number`` (1-based) of ``pages`` of one variable, ``total`` nonzero in all."""

    items: dict[str, float]
    number: int
    pages: int
    total: int


def page_of(values: Values, name: str, number: int, size: int = PAGE_ROWS) -> Page:
    """Page ``number`` of the nonzero entries of the indexed variable ``name``, in key order.

    A number past the last page gives the last page; below 1 the first.
    """
    if isinstance(values, SolutionValues):
        where = np.flatnonzero(np.abs(values.array(name)) > _ZERO)
        total = int(where.size)
        pages, number = _clamp(total, number, size)
        shown = where[(number - 1) * size : number * size]
        items = dict(zip(values.keys_at(name, shown), values.array(name)[shown].tolist(), strict=True))
        return Page(items, number, pages, total)
    table = values[name]
    if not isinstance(table, Mapping):
        raise TypeError(f"{name} is a scalar variable")
    nonzero = [(k, v) for k, v in table.items() if abs(v) > _ZERO]
    pages, number = _clamp(len(nonzero), number, size)
    return Page(dict(nonzero[(number - 1) * size : number * size]), number, pages, len(nonzero))


def _clamp(total: int, number: int, size: int) -> tuple[int, int]:
    pages = max(1, math.ceil(total / size))
    return pages, min(max(1, number), pages)


def largest(values: Values, limit: int) -> tuple[list[tuple[str, float]], int]:
    """The ``limit`` nonzero values largest in size, labelled ``name`` or ``name[key]``, largest
    first (ties in the order of ``values``), and how many values are nonzero in all."""
    names: list[str] = []
    arrays: list[np.ndarray] = []
    for name in values:
        if isinstance(values, SolutionValues) and values.is_indexed(name):
            arrays.append(values.array(name))
        else:
            v = values[name]
            arrays.append(np.fromiter(v.values(), float) if isinstance(v, Mapping) else np.array([v], float))
        names.append(name)
    if not arrays:
        return [], 0
    flat = np.concatenate(arrays)
    nonzero = np.flatnonzero(np.abs(flat) > _ZERO)
    order = nonzero[np.argsort(-np.abs(flat[nonzero]), kind="stable")[:limit]]
    starts = np.cumsum([0, *(a.size for a in arrays)])
    owner = np.searchsorted(starts, order, side="right") - 1
    listed: dict[str, list[str]] = {}
    out = []
    for at, k in zip(order.tolist(), owner.tolist(), strict=True):
        name, position = names[k], at - int(starts[k])
        out.append((_label(values, name, position, listed), float(flat[at])))
    return out, int(nonzero.size)


def _label(values: Values, name: str, position: int, listed: dict[str, list[str]]) -> str:
    if isinstance(values, SolutionValues):
        if not values.is_indexed(name):
            return name
        return f"{name}[{values.keys_at(name, np.array([position]))[0]}]"
    v = values[name]
    if not isinstance(v, Mapping):
        return name
    if name not in listed:
        listed[name] = list(v)
    return f"{name}[{listed[name][position]}]"
