"""Differential run: random specs on every installed backend against an independent oracle.

Run:  python benchmarks/differential.py --minutes 5 [--seed 0] [--out-dir DIR] [--backends highs pulp]

Generates cases with the differential suite's generator at its long profile
(tests/differential/generate.py, ``LONG``), one seeded RNG per case, until the time is
up; solves each with ``nl2opt.solve_spec`` on every backend and judges the answers
against the oracle (tests/differential/oracle.py: enumeration of integer points, the only
method for quadratic objectives and priority levels, or scipy MILPs over the disjunctive
pieces of the case's own AST; sparse domains are decided in its own code). A backend that
declares it cannot solve a quadratic case is skipped. Prints the cases tried,
how the oracle answered, per-construct counts, and disagreements by class; each
disagreeing case is saved as ``<class>-<seed>.json`` (spec, truth, every backend's
answer) under --out-dir. The goal is zero disagreements. ``--write-regressions DIR`` writes
the minimal case of every bug class found so far as a spec file instead.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nl2opt.backends import available_backends  # noqa: E402
from tests.differential.cases import to_spec  # noqa: E402
from tests.differential.compare import CLASSES, check_case  # noqa: E402
from tests.differential.generate import LONG, RandomDrawer, generate  # noqa: E402
from tests.differential.regressions import REGRESSIONS, explained  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0, help="how long to generate cases")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first case (each case: seed + k)")
    parser.add_argument(
        "--out-dir", type=Path, default=None, help="where reproducers go (default: a temp dir)"
    )
    parser.add_argument("--backends", nargs="*", default=None, help="default: every installed backend")
    parser.add_argument("--piece-limit", type=int, default=1024, help="oracle MILP pieces per case at most")
    parser.add_argument(
        "--write-regressions",
        type=Path,
        default=None,
        help="write each regression case's spec there and stop",
    )
    args = parser.parse_args(argv)
    if args.write_regressions:
        return write_regressions(args.write_regressions)
    backends = args.backends or available_backends()
    out_dir = args.out_dir or Path(tempfile.mkdtemp(prefix="nl2opt-differential-"))
    out_dir.mkdir(parents=True, exist_ok=True)

    deadline = time.monotonic() + 60 * args.minutes
    tried = 0
    oracle: Counter[str] = Counter()
    constructs: Counter[str] = Counter()
    by_class: Counter[str] = Counter()
    by_class_backend: Counter[tuple[str, str]] = Counter()
    unexplained: Counter[str] = Counter()
    statuses: Counter[tuple[str, str]] = Counter()
    saved: list[Path] = []
    seed = args.seed
    while time.monotonic() < deadline:
        case = generate(RandomDrawer(random.Random(seed)), LONG)
        report = check_case(case, backends, piece_limit=args.piece_limit)
        tried += 1
        oracle[f"{report.truth.status} ({report.truth.method})"] += 1
        constructs.update(case.tags)
        for o in report.outcomes.values():
            statuses[(o.backend, o.status)] += 1
        kinds = sorted({d.kind for d in report.disagreements})
        for d in report.disagreements:
            by_class_backend[(d.kind, d.backend)] += 1
        for kind in sorted({d.kind for d in report.disagreements if not explained(report, d)}):
            unexplained[kind] += 1
        for kind in kinds:
            by_class[kind] += 1
            path = out_dir / f"{kind}-{seed}.json"
            report.save(path)
            saved.append(path)
        seed += 1

    print(
        f"differential: {tried} specs tried in {args.minutes:g} min on {', '.join(backends)} (seeds {args.seed}..{seed - 1})"
    )
    print("oracle answers: " + ", ".join(f"{k} {v}" for k, v in sorted(oracle.items())))
    print("backend statuses:")
    for b in backends:
        row = {s: n for (bb, s), n in statuses.items() if bb == b}
        print(f"  {b:8s} " + ", ".join(f"{s} {n}" for s, n in sorted(row.items())))
    print("specs per construct:")
    for tag, n in sorted(constructs.items()):
        print(f"  {tag:26s} {n}")
    total = sum(by_class.values())  # a spec counts once per class it shows
    print(f"specs with a disagreement, by class ({total} in all; 'new': not explained by an open bug):")
    for kind in CLASSES:
        per_backend = ", ".join(f"{b} {n}" for (k, b), n in sorted(by_class_backend.items()) if k == kind)
        line = f"  {kind:18s} {by_class.get(kind, 0):5d}  new {unexplained.get(kind, 0):4d}"
        print(line + (f"  ({per_backend})" if per_backend else ""))
    print(f"reproducers: {len(saved)} under {out_dir}")
    return 0


def write_regressions(out_dir: Path) -> int:
    """Each bug class's minimal case as a spec file nl2opt reads (``nl2opt solve-spec FILE``), with its answer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for r in REGRESSIONS:
        spec = to_spec(r.case, name=r.name)
        spec["description"] = f"{r.bug}. Expected: {r.expected.status} {r.expected.objective or ''}".strip()
        (out_dir / f"{r.name}.json").write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
        print(
            f"{out_dir / (r.name + '.json')}: {r.expected.status} {r.expected.objective} (open on: {', '.join(r.open_on) or '-'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
