"""The results file: one JSON record per finished problem, appended and fsynced at once.

A benchmark of hundreds of LLM calls must survive a crash, a Ctrl-C or a full
disk without losing what it paid for. So each finished problem is written as one
line and forced to disk before the next is reported, and a rerun reads the file
back to skip every problem already in it. A crash in the middle of a write can
leave a torn last line; reading ignores it and :class:`ResultsFile` cuts it off
before appending, so the problem is simply run again.

**Failures that may pass next time are run again.** A record that says the problem
timed out, crashed, or that the LLM call or the local solver failed
(:attr:`ProblemRecord.transient`) stays in the file, and a rerun runs its problem
again and appends the new record; readers take the last record of each problem.

**The file is someone's data.** :class:`ResultsFile` writes to a file only once every
complete line of it has been read as a record, so an ``--out`` given by mistake (a
spec, a config) is refused by name, not truncated; only a last line that is a record
cut short is removed. It holds an exclusive lock on the file while it is open, so two
runs on one file cannot interleave their records.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from nl2opt._compat import StrEnum
from nl2opt.bench.datasets import Expect
from nl2opt.errors import DatasetError
from nl2opt.result import Status

__all__ = [
    "TRANSIENT_CODES",
    "AttemptRecord",
    "ProblemRecord",
    "ResultsFile",
    "RunFailure",
    "StageSeconds",
    "read_results",
]

TRANSIENT_CODES = frozenset({"formulate.llm-error", "solve.backend-unavailable", "solve.error"})
"""Final codes of failures that say nothing about the problem: the LLM server or the local solver failed."""
_RECORD_START = b'{"dataset":'
"""How every record line begins (``dataset`` is the first field): the mark of a torn record."""


class RunFailure(StrEnum):
    """Outcomes decided by the runner, not by nl2opt: the problem never returned a Result."""

    TIMEOUT = "timeout"
    """The wall-clock guard stopped the problem's worker."""
    CRASHED = "crashed"
    """The worker raised an exception or died (see ``error``)."""


class AttemptRecord(BaseModel):
    """One formulate -> solve round, reduced to what a benchmark counts."""

    model_config = ConfigDict(extra="ignore")

    number: int
    status: Status
    objective: float | None = None
    codes: list[str] = Field(default_factory=list, description="Error and warning Diagnostic codes, once each.")
    failed: bool = Field(default=False, description="It led to a repair, or ended without a solution.")
    tokens: int = 0
    seconds: float = 0.0


class StageSeconds(BaseModel):
    """Seconds per stage as nl2opt measured them, and the wall clock the runner saw."""

    model_config = ConfigDict(extra="ignore")

    formulate: float = 0.0
    check: float = 0.0
    lower: float = 0.0
    solve: float = 0.0
    verify: float = 0.0
    total: float = 0.0
    wall: float = Field(default=0.0, description="Problem handed to a worker to record received, overheads included.")


class ProblemRecord(BaseModel):
    """Everything measured about one problem; one line of the results file."""

    model_config = ConfigDict(extra="ignore")

    dataset: str
    id: str
    status: Status | RunFailure
    objective: float | None = None
    expected: float | None = None
    expect: Expect = Expect.VALUE
    by_report: bool = Field(
        default=False, description="The dataset asks for a report, so 'answer' is scored, not 'objective'."
    )
    answer: float | None = Field(default=None, description="The asked quantity scored when by_report.")
    correct: bool = False
    first_correct: bool = Field(default=False, description="Whether the first attempt alone was correct.")
    formulator: str | None = None
    model: str | None = None
    backend: str | None = None
    attempts: list[AttemptRecord] = Field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None
    seconds: StageSeconds = Field(default_factory=StageSeconds)
    codes: list[str] = Field(default_factory=list, description="Error and warning codes of the final answer.")
    error: str | None = Field(default=None, description="Why a timeout or crash happened.")
    spec: dict[str, Any] | None = Field(default=None, description="The final model spec, for inspection.")

    @property
    def key(self) -> tuple[str, str]:
        return self.dataset, self.id

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @property
    def transient(self) -> bool:
        """A failure that may not happen again (timeout, crash, LLM or solver error): rerun by default."""
        return isinstance(self.status, RunFailure) or bool(TRANSIENT_CODES.intersection(self.codes))

    @property
    def answered(self) -> bool:
        """nl2opt gave an answer: an objective, or a claim that there is none.

        An UNVERIFIED result is not an answer: its values failed verification and are
        shown as unusable, so it counts with the declined, never as correct."""
        return self.status in _ANSWERS

    def to_line(self) -> str:
        return self.model_dump_json() + "\n"


_ANSWERS = frozenset(
    {Status.OPTIMAL, Status.FEASIBLE, Status.INFEASIBLE, Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED}
)


def read_results(path: str | Path) -> list[ProblemRecord]:
    """The latest record of each problem in a results file, in file order; a torn last line is ignored.

    Raises:
        DatasetError: the file is missing, or a complete line is not a record; names the line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DatasetError(f"{path}: cannot read the results file ({err}).") from None
    records, _ = _split(path, data)
    return latest(records)


def latest(records: list[ProblemRecord]) -> list[ProblemRecord]:
    """The last record of each problem (a rerun appends a new one after a transient failure)."""
    by_key = {r.key: r for r in records}
    return [r for r in records if by_key[r.key] is r]


def _split(path: Path, data: bytes) -> tuple[list[ProblemRecord], int]:
    """The records, and the length of the file without a torn last line.

    Raises:
        DatasetError: a complete line, or a last line that cannot be a torn record, is not a record.
    """
    end = data.rfind(b"\n") + 1
    records = [
        _record(path, number, line)
        for number, line in enumerate(data[:end].decode("utf-8", errors="replace").split("\n"), start=1)
        if line.strip()
    ]
    tail = data[end:]
    if tail.strip():
        try:
            records.append(ProblemRecord.model_validate_json(tail))
            return records, len(data)
        except ValidationError:
            if not (tail.startswith(_RECORD_START) or _RECORD_START.startswith(tail)):
                _record(path, data.count(b"\n") + 1, tail.decode("utf-8", errors="replace"))
            # else a write cut short by a crash: that problem is run again
    return records, end


def _record(path: Path, number: int, line: str) -> ProblemRecord:
    try:
        return ProblemRecord.model_validate_json(line)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        where = ".".join(map(str, first["loc"])) or "record"
        raise DatasetError(
            f"{path}, line {number}: not a benchmark result ({where}: {first['msg']}). "
            "Is this the --out file of `nl2opt bench`?"
        ) from None


class ResultsFile:
    """An append-only results file, locked while open; ``append`` returns once the record is on disk.

    Opening locks the file, reads the records already there (:attr:`records`) and cuts
    off a torn last line, so that the next record starts on a line of its own.

    Raises:
        DatasetError: the file is not a results file (nothing is changed), cannot be opened,
            or another run holds it; the message names the file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.records: list[ProblemRecord] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            raw = self.path.open("a+b")
        except OSError as err:
            raise DatasetError(f"{self.path}: cannot open the results file ({err}).") from None
        try:
            _lock(raw, self.path)
            raw.seek(0)
            data = raw.read()
            self.records, keep = _split(self.path, data)
            if keep < len(data):
                raw.truncate(keep)
            elif data and not data.endswith(b"\n"):
                raw.write(b"\n")
            raw.flush()
        except BaseException:
            raw.close()
            raise
        self._raw = raw
        self._file: IO[str] | None = open(raw.fileno(), "a", encoding="utf-8", closefd=False)  # noqa: SIM115

    def append(self, record: ProblemRecord) -> None:
        """Write one record as one line and force it to disk."""
        if self._file is None:
            raise ValueError(f"{self.path} is closed")
        self._file.write(record.to_line())
        self._file.flush()
        os.fsync(self._file.fileno())
        self.records.append(record)

    def close(self) -> None:
        """Close the file, which releases the lock."""
        if self._file is not None:
            self._file.close()
            self._file = None
            self._raw.close()

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _lock(file: IO[bytes], path: Path) -> None:
    """An exclusive lock on the open file, or DatasetError at once if another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte instead
        import msvcrt

        def take() -> None:
            file.seek(0)
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    else:

        def take() -> None:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    try:
        take()
    except OSError:
        with contextlib.suppress(OSError):
            file.close()
        raise DatasetError(
            f"{path} is being written by another `nl2opt bench` run (it holds the file's lock). Wait for "
            "that run to finish, or give this one another --out."
        ) from None
