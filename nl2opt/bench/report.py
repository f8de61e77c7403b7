"""Reports of a benchmark: the printed table, the summary JSON, a Markdown report with a chart.

The Markdown report is what a person reads after a run: the summary per dataset,
why attempts failed (the repair-reason histogram: diagnostic codes of failed
attempts, which says what to fix next in the formulator or the prompt) and every
wrong answer. The chart beside it (same name, ``.png``) shows accuracy per dataset,
first attempt against after repair, and how many attempts problems took. It is
drawn on a bare matplotlib Figure with the Agg canvas, so no GUI backend is
needed and the caller's pyplot state is left alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nl2opt.bench.metrics import Comparison, Stats, Summary, repair_reasons, summarise
from nl2opt.bench.records import ProblemRecord

__all__ = ["format_comparison", "format_summary", "summary_json", "write_chart", "write_report",
           "write_summary_json"]

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "problems"),
    ("correct", "correct"),
    ("accuracy", "accuracy"),
    ("first_attempt_accuracy", "1st attempt"),
    ("answered", "answered"),
    ("declined", "declined"),
    ("wrong", "wrong"),
    ("mean_attempts", "attempts"),
    ("tokens_per_problem", "tokens/pb"),
    ("cost_per_problem", "$/pb"),
    ("p50_seconds", "p50 s"),
    ("p95_seconds", "p95 s"),
)


def _cell(key: str, stats: Stats) -> str:
    value = getattr(stats, key)
    if value is None:
        return "-"
    if key.endswith("accuracy"):
        return f"{value:.1%}"
    if key == "cost_per_problem":
        return f"{value:.4f}"
    if isinstance(value, float):
        return f"{value:.2f}" if key == "mean_attempts" or key.endswith("seconds") else f"{value:.0f}"
    return str(value)


def _rows(summary: Summary) -> list[tuple[str, Stats]]:
    rows = list(summary.datasets.items())
    return [*rows, ("all", summary.overall)] if len(rows) != 1 else rows


def format_summary(summary: Summary) -> str:
    """The summary as an aligned text table, one row per dataset and one for all."""
    header = ["dataset", *(title for _, title in _COLUMNS)]
    table = [header] + [[name, *(_cell(key, stats) for key, _ in _COLUMNS)] for name, stats in _rows(summary)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
             for row in table]
    return "\n".join(lines)


def summary_json(summary: Summary, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The summary JSON: overall figures at the top, ``datasets`` per dataset, and the run's options."""
    return {**summary.to_dict(), "run": dict(config or {})}


def write_summary_json(path: str | Path, summary: Summary, config: Mapping[str, Any] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary_json(summary, config), indent=2) + "\n", encoding="utf-8")
    return path


def write_report(
    path: str | Path, records: Sequence[ProblemRecord], *, config: Mapping[str, Any] | None = None
) -> Path:
    """Write the Markdown report and, beside it, the chart; returns the report's path.

    Without matplotlib the report is written without the chart, and says so.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = summarise(records)
    chart = path.with_suffix(".png")
    try:
        write_chart(chart, records)
        picture = f"![Accuracy per dataset and attempts per problem]({chart.name})"
    except ImportError:
        picture = "_No chart: matplotlib is not installed (`pip install nl2opt[bench]`)._"
    parts = [
        "# nl2opt benchmark report",
        _config_lines(config),
        "## Summary",
        _markdown_table(["dataset", *(t for _, t in _COLUMNS)],
                        [[n, *(_cell(k, s) for k, _ in _COLUMNS)] for n, s in _rows(summary)]),
        picture,
        "## Outcomes",
        _outcomes(summary),
        "## Repair reasons",
        _reasons(records),
        "## Wrong answers",
        _wrong(records),
    ]
    path.write_text("\n\n".join(p for p in parts if p) + "\n", encoding="utf-8")
    return path


def _config_lines(config: Mapping[str, Any] | None) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    items = [f"- **{k.replace('_', ' ')}**: {_plain(v)}" for k, v in (config or {}).items()]
    return "\n".join([f"Written {stamp}.", "", *items]) if items else f"Written {stamp}."


def _plain(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return "-" if value is None else str(value)


def _outcomes(summary: Summary) -> str:
    statuses = list(dict.fromkeys(s for _, stats in _rows(summary) for s in stats.statuses))
    rows = [[name, *(str(stats.statuses.get(s, 0)) for s in statuses)] for name, stats in _rows(summary)]
    return _markdown_table(["dataset", *statuses], rows)


def _reasons(records: Iterable[ProblemRecord]) -> str:
    reasons = repair_reasons(records)
    if not reasons:
        return "No attempt failed."
    note = "Diagnostic codes of failed attempts (an attempt that led to a repair, or ended without a solution)."
    return note + "\n\n" + _markdown_table(["code", "failed attempts"],
                                           [[f"`{c}`", str(n)] for c, n in reasons.most_common()])


def _wrong(records: Iterable[ProblemRecord]) -> str:
    wrong = [r for r in records if r.answered and not r.correct]
    if not wrong:
        return "None."
    rows = [[r.dataset, _escape(r.id), _number(r.expected, r.expect), _got(r), str(len(r.attempts)),
             ", ".join(f"`{c}`" for c in r.codes) or "-"] for r in wrong]
    return _markdown_table(["dataset", "id", "expected", "got", "attempts", "final codes"], rows, "llrrrl")


def _number(value: float | None, fallback: object) -> str:
    return f"{value:.10g}" if value is not None else str(fallback)


def _got(record: ProblemRecord) -> str:
    return f"{record.objective:.10g}" if record.objective is not None else str(record.status)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]], align: str = "") -> str:
    """A pipe table; ``align`` has one letter per column (l or r), numbers right by default."""
    align = align or "l" + "r" * (len(header) - 1)
    rules = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rules) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def write_chart(path: str | Path, records: Sequence[ProblemRecord]) -> Path:
    """Accuracy per dataset (first attempt and final) and the attempts distribution, as a PNG.

    Raises:
        ImportError: matplotlib is not installed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    summary = summarise(records)
    names = list(summary.datasets)
    figure = Figure(figsize=(max(7.0, 3.0 + 1.1 * len(names)), 3.6), layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2, width_ratios=[max(2, len(names)), 2])
    positions = range(len(names))
    first = [summary.datasets[n].first_attempt_accuracy * 100 for n in names]
    final = [summary.datasets[n].accuracy * 100 for n in names]
    left.bar([p - 0.2 for p in positions], first, width=0.4, label="first attempt", color="#9ecae1")
    left.bar([p + 0.2 for p in positions], final, width=0.4, label="after repair", color="#3182bd")
    left.set_xticks(list(positions), names, rotation=20 if len(names) > 3 else 0, ha="right" if len(names) > 3
                    else "center")
    left.set_ylim(0, 100)
    left.set_ylabel("accuracy (%)")
    left.set_title("Accuracy per dataset")
    left.legend(loc="lower right", fontsize="small")

    attempts = Counter((len(r.attempts), r.correct) for r in records)
    counts = sorted({k for k, _ in attempts})
    right.bar(counts, [attempts[(k, True)] for k in counts], color="#31a354", label="correct")
    right.bar(counts, [attempts[(k, False)] for k in counts], bottom=[attempts[(k, True)] for k in counts],
              color="#de2d26", label="not correct")
    right.set_xticks(counts)
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_xlabel("attempts")
    right.set_ylabel("problems")
    right.set_title("Attempts per problem")
    right.legend(fontsize="small")
    path = Path(path)
    figure.savefig(path, dpi=110)
    return path


def format_comparison(comparison: Comparison, *, a: str = "A", b: str = "B") -> str:
    """The problems that flipped between two runs, with counts."""
    lines = [
        f"common problems: {comparison.common}   accuracy {a}: {comparison.accuracy_a:.1%}   "
        f"{b}: {comparison.accuracy_b:.1%}",
        f"only in {a}: {comparison.only_a}   only in {b}: {comparison.only_b}   both correct: "
        f"{comparison.both_correct}   both wrong: {comparison.both_wrong}",
    ]
    for title, pairs in (("correct -> wrong", comparison.broken), ("wrong -> correct", comparison.fixed)):
        lines += ["", f"{title}: {len(pairs)}"]
        lines += [f"  {ra.dataset}/{ra.id}: expected {_number(ra.expected, ra.expect)}; {a} {_got(ra)}, "
                  f"{b} {_got(rb)}" for ra, rb in pairs]
    return "\n".join(lines)
