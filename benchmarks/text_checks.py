"""Precision and recall of the text checks (plausibility), measured on real model output.

Run:  python benchmarks/text_checks.py [--corpus ../shared/replay/frontier_replies.jsonl] [--no-replay]

The corpus (``../shared/replay/``, see its README) holds 40 problems with every reply a
frontier LLM gave to nl2opt's prompts and a person's review of the warnings then sent.
Three figures, each printed per check:

1. Precision: how many of the 40 *first* replies draw a warning the review calls false.
   A warning counts as true only where the review says so (:data:`TRUE_WARNINGS`); every
   other warning on a first reply is counted false, so this is the strict reading. Replies
   whose review is empty must draw none.
2. Recall: each correct final spec is mutated the way models fail (a constraint dropped, a
   parameter's use dropped, the objective's or a constraint's sense flipped, a binary relaxed
   to continuous, a coefficient the text gives changed). Mutations that leave an optimal model
   with a different optimum are the silent failures the checks are for; a mutation is caught
   when the checks give the mutant a warning the unmutated spec does not have. Mutations that
   make the model infeasible or unbounded are counted apart (the solver reports those).
3. Calls per problem: every problem replayed through ``formulate_and_solve`` against the
   scripted OpenAI-compatible server of the tests, which answers with the recorded replies in
   order (the last one again once they run out).

To measure another checkout (e.g. main, for "before" figures), run this file with that
checkout first on ``PYTHONPATH``; checks it lacks are simply absent from its figures.

Measured (2 cores, about a minute):

| | precision: first replies with a false warning | recall: flagged mutations | calls per problem |
|---|---|---|---|
| commit 2bc54bc (before) | 19 of 40 | 87 of 310 (28%) | 1.50 |
| after issue 11 | 1 of 40 (an unused-parameter warning on labels a model declared) | 258 of 310 (83%) | 1.05 |
"""

from __future__ import annotations

import argparse
import copy
import inspect
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # the scripted server lives with the tests; an earlier checkout wins

from nl2opt import formulate_and_solve  # noqa: E402
from nl2opt.config import Settings  # noqa: E402
from nl2opt.diagnostics import Diagnostic  # noqa: E402
from nl2opt.formulators.llm import extract_json  # noqa: E402
from nl2opt.pipeline import solve_spec  # noqa: E402
from nl2opt.spec import Domain, ModelSpec, Sense  # noqa: E402
from nl2opt.verify.plausibility import plausibility  # noqa: E402
from tests.support.llm_server import Reply, ScriptedLLMServer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "replay" / "frontier_replies.jsonl"
TEXT_CODES = (
    "verify.unused-number",
    "verify.unused-parameter",
    "verify.integrality-wording",
    "verify.yes-no-unmodelled",
    "verify.objective-sense",
    "verify.constraint-sense",
    "verify.constraint-subject",
)

TRUE_WARNINGS: dict[str, set[tuple[str, str | None]]] = {
    "optmath193-026": {("verify.unused-number", "99993")},
    "optmath193-081": {("verify.integrality-wording", None)},
    "nl4opt-test-sirl-131": {("verify.integrality-wording", None)},
}
"""Warnings the reviews accept, as (code, number as written or None for any): 99993 is really
missing from the text's model; whole order quantities are 'reasonable'; servings 'debatable'."""

_TAKES_VALUES = "values" in inspect.signature(plausibility).parameters


def text_warnings(text: str, spec: ModelSpec, values: dict[str, Any] | None) -> list[Diagnostic]:
    found = plausibility(text, spec, values=values) if _TAKES_VALUES else plausibility(text, spec)
    return [d for d in found if d.code in TEXT_CODES]


def is_true(record_id: str, d: Diagnostic) -> bool:
    for code, written in TRUE_WARNINGS.get(record_id, set()):
        if d.code == code and (written is None or f"number {written} " in d.message):
            return True
    return False


def parse(reply: str) -> ModelSpec | None:
    try:
        return ModelSpec.model_validate(extract_json(reply))
    except Exception:
        return None


@dataclass
class Solved:
    status: str
    objective: float | None
    values: dict[str, Any]


def solve(spec: ModelSpec) -> Solved:
    r = solve_spec(spec, time_limit=20)
    return Solved(str(r.status), r.objective, dict(r.values))


# -- precision -------------------------------------------------------------------------------
def precision(records: list[dict[str, Any]]) -> None:
    false_by_code: Counter[str] = Counter()
    true_by_code: Counter[str] = Counter()
    replies_false = 0
    quiet_broken: list[str] = []
    for r in records:
        spec = parse(r["turns"][0]["reply"])
        if spec is None:
            continue
        found = text_warnings(r["question"], spec, solve(spec).values)
        wrong = [d for d in found if not is_true(r["id"], d)]
        for code in {d.code for d in wrong}:
            false_by_code[code] += 1
        for code in {d.code for d in found if is_true(r["id"], d)}:
            true_by_code[code] += 1
        if wrong:
            replies_false += 1
            print(f"  false: {r['id']}: " + "; ".join(f"{d.code} {d.message[:90]}" for d in wrong))
        if found and not r.get("review"):
            quiet_broken.append(r["id"])
    print(
        f"precision: {replies_false} of {len(records)} first replies draw a warning the review calls false "
        "(goal: at most 1)"
    )
    for code in TEXT_CODES:
        print(
            f"  {code:28s} replies with a false warning: {false_by_code[code]:2d}   with a true one: "
            f"{true_by_code[code]:2d}"
        )
    print(f"  replies with an empty review that draw a warning: {len(quiet_broken)} {quiet_broken or ''}")


# -- recall ----------------------------------------------------------------------------------
def _key(d: Diagnostic) -> tuple[str, str, str]:
    return d.code, d.where, d.message


_NUM = re.compile(r"(?<![\w.\]])(\d+\.?\d*)(?![\w.\[])")


def mutations(spec: ModelSpec, text: str) -> Iterator[tuple[str, ModelSpec]]:
    """The ways models fail, each applied once where it applies."""
    base = spec.model_dump(mode="json", by_alias=True)
    text_numbers = {
        float(n.replace(",", ""))
        for n in re.findall(r"\d[\d,]*\.?\d*", text)
        if n.replace(",", "").replace(".", "", 1).isdigit()
    }

    def make(edit: Callable[[dict[str, Any]], None]) -> ModelSpec | None:
        d = copy.deepcopy(base)
        edit(d)
        try:
            return ModelSpec.model_validate(d)
        except Exception:
            return None

    for i, c in enumerate(base["constraints"]):
        m = make(lambda d, i=i: d["constraints"].pop(i))
        if m is not None:
            yield f"drop-constraint {c['name']}", m
    referenced = " ".join([base["objective"]["expression"], *(c["expression"] for c in base["constraints"])])
    for p in base["parameters"]:
        if not re.search(rf"\b{re.escape(p['name'])}\b", referenced):
            continue
        pattern = re.compile(rf"\b{re.escape(p['name'])}\b(?:\s*\[[^\[\]]*\])?")

        def drop_use(d: dict[str, Any], pattern: re.Pattern[str] = pattern) -> None:
            d["objective"]["expression"] = pattern.sub("1", d["objective"]["expression"])
            for c in d["constraints"]:
                c["expression"] = pattern.sub("1", c["expression"])
                c["where"] = pattern.sub("1", c["where"]) if c["where"] else c["where"]

        m = make(drop_use)
        if m is not None:
            yield f"drop-use {p['name']}", m
    flipped = Sense.MINIMIZE if spec.objective.sense is Sense.MAXIMIZE else Sense.MAXIMIZE
    m = make(lambda d: d["objective"].update(sense=flipped.value))
    if m is not None:
        yield "flip-objective", m
    for i, c in enumerate(base["constraints"]):
        ops = re.findall(r"<=|>=", c["expression"])
        if len(ops) != 1 or "==" in c["expression"]:
            continue
        swapped = c["expression"].replace(ops[0], "<=" if ops[0] == ">=" else ">=")
        m = make(lambda d, i=i, swapped=swapped: d["constraints"][i].update(expression=swapped))
        if m is not None:
            yield f"flip-constraint {c['name']}", m
    for i, v in enumerate(base["variables"]):
        if v["domain"] != Domain.BINARY.value:
            continue
        m = make(lambda d, i=i: d["variables"][i].update(domain="continuous", lower=0, upper=1))
        if m is not None:
            yield f"relax-binary {v['name']}", m
    for i, p in enumerate(base["parameters"]):
        if p["value"] is not None and float(p["value"]) in text_numbers and p["value"] not in (0, 1):
            m = make(lambda d, i=i: d["parameters"][i].update(value=_nudge(d["parameters"][i]["value"])))
            if m is not None:
                yield f"change-number {p['name']}", m
            continue
        if p["entries"]:
            k = next(
                (
                    k
                    for k, e in enumerate(p["entries"])
                    if float(e["value"]) in text_numbers and e["value"] not in (0, 1)
                ),
                None,
            )
            if k is not None:

                def change_entry(d: dict[str, Any], i: int = i, k: int = k) -> None:
                    entry = d["parameters"][i]["entries"][k]
                    entry["value"] = _nudge(entry["value"])

                m = make(change_entry)
                if m is not None:
                    yield f"change-number {p['name']}{p['entries'][k]['key']}", m
        elif p["values"]:
            path = _first_number_path(p["values"], text_numbers)
            if path is not None:

                def change_dense(d: dict[str, Any], i: int = i, path: list[int] = path) -> None:
                    cell = d["parameters"][i]["values"]
                    for j in path[:-1]:
                        cell = cell[j]
                    cell[path[-1]] = _nudge(cell[path[-1]])

                m = make(change_dense)
                if m is not None:
                    yield f"change-number {p['name']}{path}", m
    for i, c in enumerate(base["constraints"]):
        lit = next(
            (
                n
                for n in _NUM.finditer(c["expression"])
                if float(n.group(1)) in text_numbers and float(n.group(1)) not in (0, 1)
            ),
            None,
        )
        if lit is not None:
            changed = (
                c["expression"][: lit.start()]
                + repr(_nudge(float(lit.group(1))))
                + c["expression"][lit.end() :]
            )
            m = make(lambda d, i=i, changed=changed: d["constraints"][i].update(expression=changed))
            if m is not None:
                yield f"change-number {c['name']} literal", m


def _nudge(x: float) -> float:
    """A misread number: off by a tenth, rounded the way a person writes numbers."""
    return float(f"{x * 1.1:.4g}") if x != int(x) or abs(x) < 10 else float(round(x * 1.1))


def _first_number_path(
    values: Any, text_numbers: set[float], path: list[int] | None = None
) -> list[int] | None:
    path = path or []
    if isinstance(values, list):
        for j, v in enumerate(values):
            found = _first_number_path(v, text_numbers, [*path, j])
            if found is not None:
                return found
        return None
    return path if float(values) in text_numbers and values not in (0, 1) else None


def recall(records: list[dict[str, Any]]) -> None:
    changed: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    by_check: Counter[str] = Counter()
    not_optimal = 0
    warned_finals: list[str] = []
    for r in records:
        if not r["outcome"].get("correct"):
            continue
        spec = parse(r["turns"][-1]["reply"])
        if spec is None:
            continue
        base = solve(spec)
        if base.objective is None:
            continue
        before = {_key(d) for d in text_warnings(r["question"], spec, base.values)}
        if before:
            warned_finals.append(r["id"])
        for label, mutant in mutations(spec, r["question"]):
            kind = label.split()[0]
            out = solve(mutant)
            if out.status != "optimal" or out.objective is None:
                not_optimal += 1
                continue
            if abs(out.objective - base.objective) <= 1e-6 * max(1.0, abs(base.objective)):
                continue
            changed[kind] += 1
            new = [d for d in text_warnings(r["question"], mutant, out.values) if _key(d) not in before]
            if new:
                caught[kind] += 1
                for code in {d.code for d in new}:
                    by_check[code] += 1
    total, hit = sum(changed.values()), sum(caught.values())
    print(
        f"recall: {hit} of {total} mutations that change the optimum are flagged "
        f"({100 * hit / max(total, 1):.0f}%; goal: at least 70%); {not_optimal} other mutations left no optimum"
    )
    for kind in sorted(changed):
        print(f"  {kind:18s} {caught[kind]:3d} / {changed[kind]:3d}")
    for code in TEXT_CODES:
        print(f"  flagged by {code:28s} {by_check[code]:3d}")
    print(f"  correct final specs that draw a warning themselves: {len(warned_finals)} {warned_finals or ''}")


# -- the repair loop -------------------------------------------------------------------------
def replay(records: list[dict[str, Any]]) -> None:
    calls = 0
    correct = 0
    for r in records:
        replies = [Reply(t["reply"]) for t in r["turns"]]
        with ScriptedLLMServer(replies, default=replies[-1]) as server:
            settings = Settings(
                base_url=server.base_url,
                api_key="replay",
                model="replay",
                max_retries=0,
                cache_dir=Path("/nonexistent-cache"),
            )
            result = formulate_and_solve(r["question"], formulator="llm", settings=settings)
            calls += len(server.chat_requests)
        answer = r["answer"]
        if (
            result.objective is not None
            and answer is not None
            and (abs(result.objective - answer) <= 1e-4 * max(1.0, abs(answer)))
        ):
            correct += 1
    print(
        f"replay: {calls / len(records):.2f} calls per problem (goal: at most 1.1); "
        f"{correct} of {len(records)} answers correct"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--no-replay", action="store_true", help="skip the repair-loop replay")
    args = ap.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"corpus not found: {args.corpus} (see ../shared/replay/README.md)")
    records = [
        json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    started = time.perf_counter()
    precision(records)
    recall(records)
    if not args.no_replay:
        replay(records)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
