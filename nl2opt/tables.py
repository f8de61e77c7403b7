"""Data tables bound by reference: load what a caller gives into one normalised form.

A spec names tables (``"from": {"table": "lanes", ...}``); the tables themselves travel
beside it, never inside it, so a 10,000-row table costs the formulator a summary, not
10,000 rows of tokens. This module's one job is turning what a caller hands over (a list
of row dicts, a pandas or polars DataFrame, or a CSV / Excel / Parquet path or uploaded
file) into a :class:`Table`: a pandas DataFrame with string column names and a content
hash. Reading a table never raises on bad input: it returns a Diagnostic naming the table.

pandas and numpy are imported when a table is loaded, never by ``import nl2opt`` (a
Result records :class:`TableInfo` from here); polars is never imported: a polars frame is
read through its own ``to_dict``.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from nl2opt.diagnostics import Diagnostic, Stage

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MAX_TABLE_ROWS", "Table", "TableInfo", "Tables", "load_tables", "table_infos"]

MAX_TABLE_ROWS = 5_000_000
"""Rows beyond this are refused: a larger table is a mistake here, not a model."""

SAMPLE_ROWS = 5
"""Rows shown to a formulator as examples of a table's contents."""

_READERS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".xlsx": "excel",
    ".xls": "excel",
    ".parquet": "parquet",
}


@dataclass(frozen=True)
class Table:
    """One named table: its rows as a DataFrame, where it came from, and a hash of its content."""

    name: str
    frame: pd.DataFrame
    source: str
    """A path, or what kind of object was given ('rows', 'pandas', 'polars')."""
    sha256: str

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def info(self) -> TableInfo:
        return TableInfo(
            name=self.name, rows=self.rows, columns=self.columns, sha256=self.sha256, source=self.source
        )


Tables = Mapping[str, Table]
"""Tables by name, as check, lower and verify read them."""


class TableInfo(BaseModel):
    """What a Result records of a bound table: enough to know which data it was, not the data."""

    name: str
    rows: int
    columns: list[str] = Field(default_factory=list)
    sha256: str = Field(description="SHA-256 of the table's normalised content (columns, then CSV rows).")
    source: str = ""


def table_infos(tables: Tables | None) -> list[TableInfo]:
    return [t.info() for t in (tables or {}).values()]


def load_tables(data: Mapping[str, Any] | None) -> tuple[dict[str, Table], list[Diagnostic]]:
    """Normalise every table in ``data``; the ones that cannot be read become Diagnostics.

    Each value may be a :class:`Table`, a list of row dicts, a pandas or polars DataFrame,
    a path (``str`` or ``Path``) to a ``.csv``, ``.tsv``, ``.xlsx``/``.xls`` or ``.parquet``
    file, or an open binary file with a ``name`` (an upload).
    """
    tables: dict[str, Table] = {}
    problems: list[Diagnostic] = []
    for name, given in (data or {}).items():
        if isinstance(given, Table):
            tables[str(name)] = (
                given if given.name == name else Table(str(name), given.frame, given.source, given.sha256)
            )
            continue
        try:
            import pandas  # noqa: F401
        except ImportError:
            problems.append(
                _diag(name, "reading a data table needs pandas", "Install it: pip install 'nl2opt[data]'.")
            )
            continue
        frame, source, problem = _frame(given)
        if frame is None:
            problems.append(_diag(name, f"table {name!r}: {problem}", _HINT))
            continue
        if len(frame) > MAX_TABLE_ROWS:
            problems.append(
                _diag(name, f"table {name!r} has {len(frame):,} rows (limit {MAX_TABLE_ROWS:,})", "")
            )
            continue
        frame = _normalise(frame)
        tables[str(name)] = Table(str(name), frame, source, content_hash(frame))
    return tables, problems


_HINT = (
    "Give a list of row dicts, a pandas or polars DataFrame, or the path of a .csv, .xlsx or "
    ".parquet file with one header row."
)


def _diag(name: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(
        code="data.unreadable", stage=Stage.CHECK, where=f"tables[{name}]", message=message, hint=hint
    )


def _frame(given: Any) -> tuple[pd.DataFrame | None, str, str]:
    import pandas as pd

    if isinstance(given, pd.DataFrame):
        return given, "pandas", ""
    if type(given).__module__.split(".")[0] == "polars":
        try:
            return pd.DataFrame(given.to_dict(as_series=False)), "polars", ""
        except Exception as exc:  # a polars object that is not a DataFrame
            return None, "", f"cannot read this polars object ({exc})"
    if isinstance(given, (str, Path)):
        return _read(Path(given), str(given))
    if hasattr(given, "read") and isinstance(getattr(given, "name", None), str):
        return _read(given, given.name)
    if isinstance(given, (list, tuple)):
        if not all(isinstance(row, Mapping) for row in given):
            return None, "", "a list of rows must hold one dict per row"
        return pd.DataFrame.from_records(list(given)), "rows", ""
    return None, "", f"a {type(given).__name__} is not a table"


def _read(source: Any, label: str) -> tuple[pd.DataFrame | None, str, str]:
    import pandas as pd

    kind = _READERS.get(Path(label).suffix.lower())
    if kind is None:
        return None, "", f"{label} is not a .csv, .tsv, .xlsx, .xls or .parquet file"
    if isinstance(source, Path) and not source.is_file():
        return None, "", f"{label} does not exist or is not a file"
    try:
        if kind in ("csv", "tsv"):
            raw = source.read_bytes() if isinstance(source, Path) else source.read()
            raw = raw.encode() if isinstance(raw, str) else raw
            frame = pd.read_csv(io.BytesIO(raw), sep="\t" if kind == "tsv" else ",", skipinitialspace=True)
        elif kind == "excel":
            frame = pd.read_excel(source)
        else:
            frame = pd.read_parquet(source)
    except Exception as exc:  # every reader has its own errors; all mean "not a readable table"
        return (
            None,
            "",
            f"cannot read {label}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
        )
    return frame, label, ""


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """String column names without surrounding spaces; text cells stripped; a fresh 0..n-1 index."""

    frame = frame.reset_index(drop=True).copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    for col in frame.columns[frame.dtypes.eq(object).to_numpy()]:
        frame[col] = frame[col].map(lambda v: v.strip() if isinstance(v, str) else v)
    return frame


def content_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of the columns and the rows as CSV: equal tables hash equal however they were given."""
    digest = hashlib.sha256()
    digest.update("\x1f".join(map(str, frame.columns)).encode())
    digest.update(frame.to_csv(index=False, header=False, float_format="%.17g").encode())
    return digest.hexdigest()


def describe(table: Table, *, sample: int = SAMPLE_ROWS) -> dict[str, Any]:
    """A summary of constant size: columns with types and ranges or distinct counts, and a few rows.

    This is what a formulator sees instead of the data, so it grows with the number of
    columns, never with the number of rows.
    """
    import numpy as np
    import pandas as pd

    columns = []
    for col in table.frame.columns:
        series = table.frame[col]
        entry: dict[str, Any] = {"name": str(col), "distinct": int(series.nunique(dropna=True))}
        missing = int(series.isna().sum())
        if missing:
            entry["missing"] = missing
        if pd.api.types.is_bool_dtype(series):
            entry["type"] = "boolean"
        elif pd.api.types.is_numeric_dtype(series):
            present = series.dropna().to_numpy(dtype=float)
            integral = bool(np.isfinite(present).all() and (present == np.round(present)).all())
            entry["type"] = "integer" if integral else "number"
            if series.notna().any():
                entry["min"], entry["max"] = _plain(series.min()), _plain(series.max())
        else:
            entry["type"] = "text"
            entry["examples"] = [_plain(v) for v in series.dropna().unique()[:3]]
        columns.append(entry)
    rows = table.frame.head(sample).astype(object).where(table.frame.head(sample).notna(), None)
    return {
        "name": table.name,
        "rows": table.rows,
        "columns": columns,
        "sample": [{str(k): _plain(v) for k, v in r.items()} for r in rows.to_dict(orient="records")],
    }


def _plain(value: Any) -> Any:
    """A numpy scalar as a plain Python one (ints stay ints)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
