"""Benchmark datasets: JSONL word problems with known optimal objective values.

One problem per line::

    {"id": "p1", "question": "A bakery ...", "answer": 880.0, "extra": {...}}

``answer`` is a JSON number, or ``null`` when the problem has no optimum: it is
then expected to be infeasible, or unbounded when ``extra.answer_status`` says so
(the convention of the datasets in ``/work/shared/datasets``). When the question asks
for a quantity other than the objective, ``extra.report`` (a report name, or ``true``)
makes the benchmark score the model's asked quantity (``Result.answer``) instead. Any other field
(``source`` for one) is ignored. A malformed record raises :class:`DatasetError`
naming the file and line, because a silently skipped problem changes the
denominator of every accuracy reported.

A dataset argument is a path, or a bare name (``nl4opt_dev``) looked up in the
directories listed in ``NL2OPT_DATASETS`` (``os.pathsep``-separated), so one
command line works on every machine that points the variable at its copies.
"""

from __future__ import annotations

import json
import math
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nl2opt._compat import StrEnum
from nl2opt.errors import DatasetError

__all__ = ["DATASETS_ENV", "Expect", "Problem", "load_dataset", "resolve_dataset", "select"]

DATASETS_ENV = "NL2OPT_DATASETS"
"""Directories searched for dataset names that are not paths."""


class Expect(StrEnum):
    """What a correct answer to a problem looks like."""

    VALUE = "value"
    """An optimal objective equal to ``answer`` (within the tolerance)."""
    INFEASIBLE = "infeasible"
    """The answer is null: nl2opt should report the model infeasible."""
    UNBOUNDED = "unbounded"
    """The answer is null and labelled unbounded: nl2opt should report it unbounded."""


@dataclass(frozen=True)
class Problem:
    """One benchmark problem; ``dataset`` and ``id`` together identify it across runs."""

    dataset: str
    id: str
    question: str
    answer: float | None
    expect: Expect = Expect.VALUE
    extra: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return self.dataset, self.id


def resolve_dataset(name: str | Path, *, env: Mapping[str, str] | None = None) -> Path:
    """The file for a dataset argument: an existing path, else ``NAME[.jsonl]`` under ``NL2OPT_DATASETS``.

    Raises:
        DatasetError: nothing by that name exists; the message lists where it looked.
    """
    path = Path(name).expanduser()
    if path.is_file():
        return path
    env = os.environ if env is None else env
    roots = [Path(d).expanduser() for d in env.get(DATASETS_ENV, "").split(os.pathsep) if d.strip()]
    candidates = [root / f"{name}{suffix}" for root in roots for suffix in ("", ".jsonl")]
    found = next((c for c in candidates if c.is_file()), None)
    if found is not None:
        return found
    where = ", ".join(str(r) for r in roots) if roots else f"nowhere else (${DATASETS_ENV} is not set)"
    raise DatasetError(
        f"no dataset file {str(name)!r}: not a file, and not found in {where}. Give a path to a .jsonl "
        f"file, or set {DATASETS_ENV} to the directory holding the datasets."
    )


def load_dataset(source: str | Path, *, name: str | None = None) -> list[Problem]:
    """Read every problem of a JSONL dataset, in file order.

    Args:
        source: a path, or a name resolved by :func:`resolve_dataset`.
        name: the dataset's name in results; the file's stem by default.

    Raises:
        DatasetError: the file is missing, empty, or has a malformed record or a repeated id;
            the message names the file and line.
    """
    path = resolve_dataset(source)
    dataset = name or path.stem
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8") as lines:
            for number, text in enumerate(lines, start=1):
                if not text.strip():
                    continue
                problem = _problem(text, dataset=dataset, where=f"{path}, line {number}", line=number)
                if problem.id in first_line:
                    raise DatasetError(
                        f"{path}, line {number}: id {problem.id!r} repeats line {first_line[problem.id]}; "
                        "ids must be unique within a dataset (results are matched by id)."
                    )
                first_line[problem.id] = number
                problems.append(problem)
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(f"{path}: cannot be read ({err}).") from None
    if not problems:
        raise DatasetError(f"{path}: holds no problems (expected one JSON object per line).")
    return problems


def _problem(text: str, *, dataset: str, where: str, line: int) -> Problem:
    try:
        record = json.loads(text)
    except ValueError as err:
        raise DatasetError(f"{where}: not valid JSON ({err}).") from None
    if not isinstance(record, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(record).__name__}.")
    ident = record.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int) or str(ident).strip() == "":
        raise DatasetError(f"{where}: 'id' must be a non-empty string or integer, got {ident!r}.")
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise DatasetError(f"{where}: 'question' must be non-empty text.")
    if "answer" not in record:
        raise DatasetError(f"{where}: 'answer' is missing; give a number, or null for an infeasible problem.")
    answer = record["answer"]
    if answer is not None and (
        isinstance(answer, bool) or not isinstance(answer, int | float) or not math.isfinite(answer)
    ):
        raise DatasetError(f"{where}: 'answer' must be a finite number or null, got {answer!r}.")
    extra = record.get("extra") or {}
    if not isinstance(extra, dict):
        raise DatasetError(f"{where}: 'extra' must be a JSON object when given.")
    report = extra.get("report")
    if report is not None and not (report is True or (isinstance(report, str) and report)):
        raise DatasetError(f"{where}: 'extra.report' must be a report name or true, got {report!r}.")
    return Problem(
        dataset=dataset,
        id=str(ident),
        question=question,
        answer=None if answer is None else float(answer),
        expect=_expect(answer, extra),
        extra=extra,
        line=line,
    )


def _expect(answer: object, extra: Mapping[str, Any]) -> Expect:
    if answer is not None:
        return Expect.VALUE
    if "unbounded" in str(extra.get("answer_status", "")).lower():
        return Expect.UNBOUNDED
    return Expect.INFEASIBLE


def select(
    problems: Sequence[Problem], *, limit: int | None = None, sample: int | None = None, seed: int = 0
) -> list[Problem]:
    """A reproducible subset of one dataset: ``sample`` drawn with ``seed`` (kept in file order), then the first ``limit``.

    Raises:
        ValueError: ``limit`` or ``sample`` is negative.
    """
    for label, value in (("limit", limit), ("sample", sample)):
        if value is not None and value < 0:
            raise ValueError(f"{label} must be at least 0, got {value}")
    chosen = list(problems)
    if sample is not None and sample < len(chosen):
        picked = set(random.Random(seed).sample(range(len(chosen)), sample))
        chosen = [p for i, p in enumerate(chosen) if i in picked]
    return chosen if limit is None else chosen[:limit]
