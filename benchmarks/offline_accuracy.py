"""Accuracy of the offline rules formulator on word-problem datasets.

Usage::

    python benchmarks/offline_accuracy.py [FILE.jsonl ...] [--wrong]

With no files, reads nl4opt_dev.jsonl, nl4opt_train.jsonl and mamo_easy_lp.jsonl from
``$NL2OPT_DATASETS`` or, by default, ``../shared/datasets`` next to the repository.
Each line is a JSON record with ``id``, ``question`` and ``answer`` (a number, or null
for a problem labelled infeasible). The datasets never live in the repository.

For each problem the rules formulator writes a spec, ``nl2opt.pipeline.solve_spec``
solves it, and the objective is compared with ``answer`` (within 1e-4 relative or
1e-6 absolute). Outcomes:

- correct: the objective matches (or the answer is null and the model is infeasible);
- declined: the formulator returned no spec, or the text reads two ways whose optima differ
  (:mod:`nl2opt.ambiguity`: nl2opt then gives no answer);
- wrong: a spec was returned but its optimum is not the answer (including models the
  pipeline finds invalid, infeasible or unbounded). This is the dangerous class.

Labels are noisy, so each line also gives ``wrong_vs_every_label``: the wrong answers that
match none of the label versions the dataset records (:func:`label_versions`: for NL4Opt
the LP and integer optima of its annotated model, for MAMO the other groups' re-labels).
It is a lower bound on the dangerous class, never the headline figure: an answer that
matches only the LP relaxation of a problem asking for whole units is still wrong.

Every figure is printed once per part of the fixed development split present in a file
(:mod:`split`: the part studied while writing rules and the held-out part never read; our
own fresh set, ``benchmarks/fresh_problems.jsonl``, is one part, unseen): n, correct,
declined, wrong (counts and %), median and p95 ms per problem (formulate + solve).
``--wrong`` lists the ids of wrong answers of the study and unseen parts; the held-out
part is reported in aggregate, never per problem, and ``--study-only`` does not score it at
all (what anyone writing rules runs, so that no held-out figure guides a rule). ``--text FILE`` times one text (e.g. the
64 KB hostile input) and says whether it was read or declined.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.split import HELD_OUT, STUDY, UNSEEN, part_of  # noqa: E402
from nl2opt.ambiguity import ambiguity  # noqa: E402
from nl2opt.formulators.rules import RulesFormulator  # noqa: E402
from nl2opt.pipeline import solve_spec  # noqa: E402
from nl2opt.result import Result  # noqa: E402

DEFAULT_FILES = ("nl4opt_dev.jsonl", "nl4opt_train.jsonl", "mamo_easy_lp.jsonl")
_NO_OPTIMUM = {"infeasible", "unbounded", "infeasible_or_unbounded"}


def close(a: float, b: float) -> bool:
    """The agreed comparison: 1e-4 relative or 1e-6 absolute."""
    return abs(a - b) <= max(1e-4 * max(abs(a), abs(b)), 1e-6)


def default_paths() -> list[Path]:
    root = Path(os.environ.get("NL2OPT_DATASETS", REPO.parent / "shared" / "datasets"))
    return [root / name for name in DEFAULT_FILES]


def read_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def label_versions(row: dict) -> list[float | None]:
    """Every label recorded for a problem (``None``: labelled without optimum), headline first."""
    extra = row.get("extra") or {}
    versions: list[float | None] = [row.get("answer")]
    derived = extra.get("derived_from_annotation") or extra.get("derived_from_canonical") or {}
    for solved in derived.values():
        if solved.get("status") == "optimal":
            versions.append(float(solved["objective"]))
        elif solved.get("status") == "infeasible":
            versions.append(None)
    for label in (extra.get("answers_by_source") or {}).values():
        versions.append(label.get("answer"))
    if "original_answer" in extra:
        versions.append(extra["original_answer"])
    return versions


def matches(result: Result, label: float | None) -> bool:
    """Whether a solved model's outcome is this label (``None``: no optimum)."""
    if label is None:
        return str(result.status) in _NO_OPTIMUM
    return (
        result.objective is not None and math.isfinite(result.objective) and close(result.objective, float(label))
    )


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of ``times``."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0.0


def run(rows: list[dict], formulator: RulesFormulator) -> dict:
    """Score one list of dataset records."""
    counts = {"n": 0, "correct": 0, "declined": 0, "wrong": 0, "wrong_vs_every_label": 0}
    times: list[float] = []
    wrong_ids: list[str] = []
    for row in rows:
        counts["n"] += 1
        started = time.perf_counter()
        formulation = formulator.formulate(row["question"])
        crashed = False
        result = None
        if formulation.spec is not None:
            try:
                result = solve_spec(formulation.spec)
                settled = result.status.has_solution or str(result.status) in _NO_OPTIMUM
                readings = formulation.alternatives if settled else []
                if readings and ambiguity(result, readings, solve_spec) is not None:
                    result = None  # the readings differ: nl2opt declines (nl2opt.ambiguity)
            except Exception as exc:  # a pipeline bug must not stop the benchmark; it counts as wrong
                crashed = True
                counts["crashed"] = counts.get("crashed", 0) + 1
                counts.setdefault("crash_example", repr(exc))
        times.append(time.perf_counter() - started)
        if result is None and not crashed:
            counts["declined"] += 1
            continue
        if result is not None and matches(result, row.get("answer")):
            counts["correct"] += 1
            continue
        counts["wrong"] += 1
        wrong_ids.append(str(row.get("id")))
        if result is None or not any(matches(result, label) for label in label_versions(row)[1:]):
            counts["wrong_vs_every_label"] += 1
    counts["median_ms"] = 1000 * statistics.median(times) if times else 0.0
    counts["p95_ms"] = 1000 * p95(times)
    counts["wrong_ids"] = wrong_ids
    return counts


def _line(label: str, c: dict) -> str:
    n = max(c["n"], 1)
    return (
        f"{label}: n={c['n']} correct={c['correct']} ({100 * c['correct'] / n:.1f}%) "
        f"declined={c['declined']} ({100 * c['declined'] / n:.1f}%) "
        f"wrong={c['wrong']} ({100 * c['wrong'] / n:.1f}%) "
        f"wrong_vs_every_label={c['wrong_vs_every_label']} ({100 * c['wrong_vs_every_label'] / n:.1f}%) "
        f"median_ms={c['median_ms']:.1f} p95_ms={c['p95_ms']:.1f}"
    )


def time_text(path: Path, formulator: RulesFormulator) -> str:
    """One long text: seconds to read it, and whether a model came out."""
    text = path.read_text(encoding="utf-8", errors="replace")
    started = time.perf_counter()
    formulation = formulator.formulate(text)
    seconds = time.perf_counter() - started
    outcome = "read" if formulation.spec is not None else "declined"
    return f"{path.name}: {len(text)} characters, {outcome} in {seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "files", nargs="*", type=Path, help="JSONL datasets (default: the three under $NL2OPT_DATASETS)"
    )
    parser.add_argument(
        "--wrong", action="store_true", help="also list the ids of wrong answers (never of the held-out part)"
    )
    parser.add_argument(
        "--study-only",
        action="store_true",
        help="skip the held-out part entirely (for rule work: its figures never reach the author)",
    )
    parser.add_argument(
        "--text", type=Path, action="append", default=[], help="also time the formulator on this text file"
    )
    args = parser.parse_args(argv)
    formulator = RulesFormulator()
    for path in args.text:
        print(time_text(path, formulator))
    for path in args.files or ([] if args.text else default_paths()):
        rows = read_rows(path)
        parts = {part_of(r) for r in rows}
        shown = (STUDY, UNSEEN) if args.study_only else (STUDY, HELD_OUT, UNSEEN)
        for part in [p for p in shown if p in parts]:
            c = run([r for r in rows if part_of(r) == part], formulator)
            print(_line(f"{path.name} [{part}]", c))
            if c.get("crashed"):
                print(f"  (the pipeline raised on {c['crashed']} specs, counted as wrong)")
            if args.wrong and part != HELD_OUT and c["wrong_ids"]:
                print("  wrong:", " ".join(c["wrong_ids"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
