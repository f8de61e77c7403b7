"""A spec's nested number lists as numpy arrays, converted once per pipeline run.

The checker, the compiler's symbols, the verifier's symbols and the explanation each read a
parameter's ``values``; a 1000 x 1000 table is a million Python floats, and converting it is
most of what those stages cost on a large model. Inside :func:`converted_once` (``solve_spec``
runs in it) a list converted once is remembered by identity: nothing changes a spec's lists
during a run, and every stage still reads the same spec. Outside it nothing is remembered, so
a spec edited between runs is always read afresh. The arrays are read-only: a stage that
wants to change one must copy it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import numpy as np

__all__ = ["as_array", "converted_once"]

_memo: ContextVar[dict[int, tuple[object, np.ndarray | None]] | None] = ContextVar(
    "nl2opt_dense", default=None
)


def as_array(values: object) -> np.ndarray | None:
    """``values`` (nested lists of numbers) as one float array built in C; None when ragged or not numbers."""
    memo = _memo.get()
    if memo is not None:
        hit = memo.get(id(values))
        if hit is not None and hit[0] is values:  # the same list, kept alive by the memo itself
            return hit[1]
    try:
        array: np.ndarray | None = np.asarray(values, dtype=float)
    except (ValueError, TypeError, RecursionError, OverflowError):
        array = None
    else:
        array.flags.writeable = False
    if memo is not None:
        memo[id(values)] = (values, array)
    return array


@contextlib.contextmanager
def converted_once() -> Iterator[None]:
    """Remember conversions until the outermost block ends (usable as a decorator)."""
    token = _memo.set({}) if _memo.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _memo.reset(token)
