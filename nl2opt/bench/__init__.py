"""Benchmarks: run nl2opt over datasets of word problems with known answers, and report.

::

    from nl2opt import bench

    outcome = bench.run(["nl4opt_dev.jsonl"], formulator="llm", out="results.jsonl")
    print(bench.format_summary(outcome.summary()))
    bench.write_report("report.md", outcome.records, config=outcome.config)

One module per job: :mod:`~nl2opt.bench.datasets` reads problems,
:mod:`~nl2opt.bench.runner` runs them (resumably) through the isolated worker
processes of :mod:`~nl2opt.bench.pool`, :mod:`~nl2opt.bench.records` is the results
file, :mod:`~nl2opt.bench.metrics` scores and aggregates, :mod:`~nl2opt.bench.report`
writes tables, the report and its chart.
"""

from __future__ import annotations

from nl2opt.bench.datasets import DATASETS_ENV, Expect, Problem, load_dataset, resolve_dataset, select
from nl2opt.bench.metrics import (
    Comparison,
    Stats,
    Summary,
    Tolerance,
    compare,
    is_correct,
    repair_reasons,
    summarise,
)
from nl2opt.bench.records import AttemptRecord, ProblemRecord, ResultsFile, RunFailure, read_results
from nl2opt.bench.report import (
    format_comparison,
    format_summary,
    write_chart,
    write_report,
    write_summary_json,
)
from nl2opt.bench.runner import BenchRun, SolveFn, default_concurrency, default_timeout, run, run_problems

__all__ = [
    "DATASETS_ENV",
    "AttemptRecord",
    "BenchRun",
    "Comparison",
    "Expect",
    "Problem",
    "ProblemRecord",
    "ResultsFile",
    "RunFailure",
    "SolveFn",
    "Stats",
    "Summary",
    "Tolerance",
    "compare",
    "default_concurrency",
    "default_timeout",
    "format_comparison",
    "format_summary",
    "is_correct",
    "load_dataset",
    "read_results",
    "repair_reasons",
    "resolve_dataset",
    "run",
    "run_problems",
    "select",
    "summarise",
    "write_chart",
    "write_report",
    "write_summary_json",
]
