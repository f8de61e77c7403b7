"""Bind a spec's table references to the tables: set members from columns, parameter arrays.

Sets and parameters with ``"from"`` name a table and its columns; the tables travel beside
the spec (:mod:`nl2opt.tables`). Here a set becomes the distinct values (or tuples) of its
columns, in order of first appearance, and a parameter becomes a dense array over its
index sets, filled with whole-column numpy operations: the rows are matched to set
positions with ``pandas.Index.get_indexer`` and written with one fancy-index assignment,
so a 10,000-row table costs no per-row Python.

Every function returns what it could resolve plus Diagnostics naming the table, the row
(1-based, counting data rows after the header) and the column; it never raises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from nl2opt.diagnostics import Diagnostic, Severity, Stage
from nl2opt.spec import IndexSet, ModelSpec, Parameter
from nl2opt.tables import Tables

if TYPE_CHECKING:
    import pandas as pd

    from nl2opt.symbols import Member, SetInfo, Symbols

__all__ = ["check_bindings", "parameter_values", "set_members", "table_uses"]

MAX_LISTED = 3
"""Rows named one by one in a Diagnostic; the rest are counted."""


def _diag(
    code: str, where: str, message: str, hint: str = "", severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, stage=Stage.CHECK, where=where, message=message, hint=hint
    )


def _table(name: str, tables: Tables | None, where: str) -> tuple[Any, list[Diagnostic]]:
    table = (tables or {}).get(name)
    if table is not None:
        return table, []
    known = ", ".join(sorted(tables or {})) or "none were given"
    return None, [
        _diag(
            "data.missing-table",
            where,
            f"there is no data table named {name!r} (tables: {known})",
            "Name one of the tables given with the problem, or pass the table "
            "(solve_spec(spec, data={...}), --data name=path).",
        )
    ]


def _columns(table: Any, columns: Sequence[str], where: str) -> list[Diagnostic]:
    out = []
    for col in columns:
        if col not in table.frame.columns:
            out.append(
                _diag(
                    "data.missing-column",
                    where,
                    f"table {table.name!r} has no column {col!r}",
                    f"Use one of its columns: {', '.join(table.columns)}.",
                )
            )
    return out


def _rows(mask: np.ndarray) -> tuple[list[int], int]:
    """1-based row numbers where ``mask`` holds: the first few, and how many in all."""
    found = np.flatnonzero(mask)
    return [int(k) + 1 for k in found[:MAX_LISTED]], int(found.size)


def _rows_text(rows: list[int], count: int) -> str:
    shown = ", ".join(map(str, rows))
    return (
        f"row {shown}"
        if count == 1
        else f"rows {shown}" + (f" and {count - len(rows)} more" if count > len(rows) else "")
    )


def _atoms(series: pd.Series) -> np.ndarray:
    """Key cells as set members: integral floats become ints (a CSV column with gaps reads as float)."""
    import pandas as pd

    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy()
        finite = np.isfinite(values)
        if finite.all() and (values == np.round(values)).all():
            return values.astype(np.int64).astype(object)
    return series.to_numpy(dtype=object)


def set_members(s: IndexSet, tables: Tables | None) -> tuple[list[Member], list[Diagnostic]]:
    """Distinct values (one column) or distinct tuples (several), in order of first appearance."""
    src = s.from_
    where = f"sets[{s.name}].from"
    if src is None:
        return s.members(), []
    table, out = _table(src.table, tables, where)
    if table is None:
        return [], out
    columns = [src.column] if isinstance(src.column, str) else list(src.column)
    if not columns:
        return [], [
            _diag(
                "data.missing-column", where, f"{s.name} names no column of {src.table!r}", "Name a column."
            )
        ]
    out += _columns(table, columns, where)
    if out:
        return [], out
    frame = table.frame[columns]
    blank = frame.isna().any(axis=1).to_numpy()
    if blank.any():
        rows, count = _rows(blank)
        out.append(
            _diag(
                "data.missing-cell",
                where,
                f"table {src.table!r}, {_rows_text(rows, count)}: column "
                f"{', '.join(repr(c) for c in columns)} is empty",
                "Fill the cells or remove those rows; a set member cannot be blank.",
            )
        )
    frame = frame[~blank].drop_duplicates()
    parts = [_atoms(frame[c]) for c in columns]
    if len(parts) == 1:
        members: list[Member] = parts[0].tolist()
    else:
        members = list(zip(*(p.tolist() for p in parts)))
    return members, out


def _positions(sets: Sequence[SetInfo], keys: list[np.ndarray]) -> list[np.ndarray]:
    """For each index set, the position of every row's key in it (-1 where not a member)."""
    import pandas as pd

    out, k = [], 0
    for info in sets:
        if info.width == 1:
            index = pd.Index(info.members, dtype=object)
            out.append(index.get_indexer(keys[k]) if index.is_unique else _first(index, keys[k]))
        else:
            members = info.members if info.members else [(None,) * info.width]
            index = pd.MultiIndex.from_tuples(members)
            rows = pd.MultiIndex.from_arrays(keys[k : k + info.width])
            found = index.get_indexer(rows) if index.is_unique else _first(index, rows)
            out.append(found if info.members else np.full(len(rows), -1))
        k += info.width
    return out


def _first(index: Any, keys: Any) -> np.ndarray:
    """get_indexer for an index with repeats (reported elsewhere): the first position wins."""
    return index.drop_duplicates().get_indexer(keys).astype(np.int64)


def parameter_values(
    p: Parameter,
    sets: Sequence[SetInfo],
    tables: Tables | None,
    *,
    report: bool = True,
    inside: np.ndarray | None = None,
) -> tuple[np.ndarray | None, list[Diagnostic]]:
    """The dense array of a table-bound parameter over its index sets, and what is wrong with the table.

    Cells the table does not key take ``p.value`` (the stated default), or NaN when there is
    none. Rows whose key is not a member, whose value is blank or not a number, or whose
    key repeats an earlier row are reported; with ``report=False`` only the array is built.
    """
    src = p.from_
    where = f"parameters[{p.name}].from"
    if src is None:
        return None, []
    table, out = _table(src.table, tables, where)
    if table is None:
        return None, out
    widths = [s.width for s in sets]
    if len(src.key) != sum(widths):
        return None, [
            _diag(
                "data.key-columns",
                where,
                f"{p.name} is indexed by {', '.join(s.name for s in sets) or 'nothing'} "
                f"({sum(widths)} key parts) but names {len(src.key)} key columns",
                "Give one key column per index set in order (two for a set of pairs); "
                "a scalar cannot come from a table.",
            )
        ]
    out += _columns(table, [*src.key, src.value], where)
    if out:
        return None, out
    import pandas as pd

    frame = table.frame
    raw = frame[src.value]
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    keys = [_atoms(frame[c]) for c in src.key]
    positions = _positions(sets, keys)
    shape = tuple(s.size for s in sets)
    default = np.nan if p.value is None else float(p.value)
    values = np.full(shape, default, dtype=float)
    known = np.logical_and.reduce([pos >= 0 for pos in positions]) if positions else np.ones(len(frame), bool)
    usable = known & np.isfinite(numbers)
    if shape and usable.any():
        flat = np.ravel_multi_index(tuple(pos[usable] for pos in positions), shape)
        values.reshape(-1)[flat] = numbers[usable]
    if not report:
        return values, out
    out += _cells(p, src, raw, numbers, where)
    out += _outsiders(p, src, sets, keys, known, where)
    if shape and known.any():
        flat_all = np.ravel_multi_index(tuple(pos[known] for pos in positions), shape)
        repeated = np.zeros(len(frame), bool)
        repeated[np.flatnonzero(known)] = pd.Index(flat_all).duplicated(keep="first")
        if repeated.any():
            rows, count = _rows(repeated)
            out.append(
                _diag(
                    "data.duplicate-key",
                    where,
                    f"table {src.table!r}, {_rows_text(rows, count)}: the key "
                    f"({', '.join(src.key)}) repeats an earlier row, so {p.name} would have two values",
                    "Keep one row per key, or aggregate the table first (e.g. sum or mean per key).",
                )
            )
        covered = np.zeros(values.size, bool) if inside is None else ~inside.reshape(-1)  # a sparse domain
        covered[flat_all] = True  # needs rows only for its cells
        lacking = int((~covered).sum())
        if lacking and p.value is None:
            first = np.unravel_index(int(np.flatnonzero(~covered)[0]), shape)
            example = [sets[d].members[int(k)] for d, k in enumerate(first)]
            out.append(
                _diag(
                    "data.missing-key",
                    where,
                    f"{lacking:,} of {values.size if inside is None else int(inside.sum()):,} members of {p.name} have no row in table {src.table!r} "
                    f"(e.g. {example}) and there is no default",
                    "Set 'value' to the default for keys the table lacks (often 0), or index the parameter "
                    "by a set read from the same table's key columns.",
                    Severity.WARNING,
                )
            )
    return values, out


def _cells(p: Parameter, src: Any, raw: pd.Series, numbers: np.ndarray, where: str) -> list[Diagnostic]:
    out = []
    blank = raw.isna().to_numpy()
    text = ~blank & ~np.isfinite(numbers)
    if blank.any():
        rows, count = _rows(blank)
        out.append(
            _diag(
                "data.missing-cell",
                where,
                f"table {src.table!r}, {_rows_text(rows, count)}, column {src.value!r}: no value",
                f"Fill the cells, or drop the rows so {p.name} takes its default there.",
            )
        )
    if text.any():
        rows, count = _rows(text)
        shown = raw.iloc[rows[0] - 1]
        out.append(
            _diag(
                "data.non-numeric",
                where,
                f"table {src.table!r}, {_rows_text(rows, count)}, column {src.value!r}: "
                f"{shown!r} is not a finite number",
                "Write plain numbers (no units, currency signs or thousands separators).",
            )
        )
    return out


def _outsiders(
    p: Parameter, src: Any, sets: Sequence[SetInfo], keys: list[np.ndarray], known: np.ndarray, where: str
) -> list[Diagnostic]:
    if known.all():
        return []
    rows, count = _rows(~known)
    row = rows[0] - 1
    key = [k[row] for k in keys]
    return [
        _diag(
            "data.key-not-in-set",
            where,
            f"table {src.table!r}, {_rows_text(rows, count)}: the key {key} "
            f"(columns {', '.join(src.key)}) is not a member of {' x '.join(s.name for s in sets)}",
            "Read the set from the same table's column(s) with 'from', add the members to the set, "
            "or drop those rows from the table.",
        )
    ]


def check_bindings(spec: ModelSpec, symbols: Symbols, tables: Tables | None) -> list[Diagnostic]:
    """Every problem with the tables a spec reads: missing tables or columns, bad cells and keys."""
    out: list[Diagnostic] = []
    for s in spec.sets:
        if s.from_ is not None:
            out += set_members(s, tables)[1]
    for p in spec.parameters:
        if p.from_ is None:
            continue
        where = f"parameters[{p.name}].from"
        if not p.index:
            out.append(
                _diag(
                    "data.key-columns",
                    where,
                    f"{p.name} has no index, so it cannot take its values from table {p.from_.table!r}",
                    "Index it by the sets its key columns hold, or give one number in 'value'.",
                )
            )
        elif p.values is not None or p.entries:
            out.append(
                _diag(
                    "check.parameter-shape",
                    where,
                    f"{p.name} gives both 'from' and inline values",
                    "Keep 'from' and set 'values' and 'entries' to null; the table holds the numbers.",
                )
            )
        if p.index and all(name in symbols.sets for name in p.index):
            inside = symbols.params[p.name].inside if p.name in symbols.params else None
            out += parameter_values(p, [symbols.sets[name] for name in p.index], tables, inside=inside)[1]
    return out


def table_uses(spec: ModelSpec) -> dict[str, dict[str, list[str]]]:
    """Which parts of the model read each table column: ``{table: {column: [part, ...]}}``.

    A part is a set or parameter bound to the column, followed by the objective and the
    constraints whose expressions name that set or parameter, so a person editing a cell
    can see what it moves.
    """
    mentions: dict[str, list[str]] = {}
    texts = [("objective", o.expression) for o in spec.stated_objectives]
    texts += [
        (f"constraint {c.name}", f"{c.expression} {' '.join(c.for_)} {c.where or ''}")
        for c in spec.constraints
    ]
    out: dict[str, dict[str, list[str]]] = {}

    def add(table: str, column: str, part: str, name: str) -> None:
        if name not in mentions:
            pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
            mentions[name] = [where for where, text in texts if pattern.search(text)]
        parts = out.setdefault(table, {}).setdefault(column, [])
        for item in [part, *mentions[name]]:
            if item not in parts:
                parts.append(item)

    for s in spec.sets:
        if s.from_ is not None:
            for column in [s.from_.column] if isinstance(s.from_.column, str) else s.from_.column:
                add(s.from_.table, column, f"set {s.name}", s.name)
    for p in spec.parameters:
        if p.from_ is not None:
            for column in p.from_.key:
                add(p.from_.table, column, f"parameter {p.name} (key)", p.name)
            add(p.from_.table, p.from_.value, f"parameter {p.name} (values)", p.name)
    return out
