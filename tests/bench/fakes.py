"""A stand-in for ``formulate_and_solve``, scripted by the question text, for offline runner tests.

Each question is a JSON script, so a test dataset says exactly what "nl2opt" will do::

    {"tag": "p1", "objective": 42, "after": ["parse.syntax"], "sleep": 0.5, "log": "/tmp/calls.jsonl"}

``after`` lists the diagnostic codes of failed attempts before the final one; ``status``
sets the final status (default optimal); ``raise`` raises (``"config"`` a
ConfigurationError, anything else a RuntimeError); ``abort`` kills the process with
SIGABRT, as a crashing native solver would. With ``log``, the call appends a ``start``
line (with the options it was given) and an ``end`` line, so tests can tell which
problems ran, when, and whether a killed worker ever finished.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from nl2opt.diagnostics import Diagnostic, Stage
from nl2opt.errors import ConfigurationError
from nl2opt.result import Attempt, Result, Status, Timings, Usage


def script(tag: str, **behaviour: Any) -> str:
    """A question for :func:`fake_solve`."""
    return json.dumps({"tag": tag, **behaviour})


def fake_solve(text: str, **options: Any) -> Result:
    plan = json.loads(text)
    log = plan.get("log")
    started = time.time()
    if log:
        _log(log, {"event": "start", "tag": plan["tag"], "at": started, "pid": os.getpid(), **_plain(options)})
    time.sleep(plan.get("sleep", 0.0))
    if plan.get("abort"):
        os.abort()
    if "raise" in plan:
        if plan["raise"] == "config":
            raise ConfigurationError("scripted: no LLM is configured")
        raise RuntimeError(plan["raise"])
    result = _result(plan, options)
    if log:
        _log(log, {"event": "end", "tag": plan["tag"], "at": time.time()})
    return result


def _result(plan: dict[str, Any], options: dict[str, Any]) -> Result:
    status = Status(plan.get("status", "optimal"))
    objective = plan.get("objective") if status.has_solution else None
    tokens = plan.get("tokens", 0)
    usage = Usage(calls=1 if tokens else 0, prompt_tokens=tokens, completion_tokens=tokens // 2,
                      cost_usd=plan.get("cost"))
    attempts = [
        Attempt(number=i, status=Status.INVALID, diagnostics=[_diag(code)], feedback="fix it")
        for i, code in enumerate(plan.get("after", []), start=1)
    ]
    final_codes = plan.get("codes", [])
    attempts.append(Attempt(number=len(attempts) + 1, status=status, objective=objective,
                            diagnostics=[_diag(c) for c in final_codes], usage=usage))
    return Result(
        status=status,
        objective=objective,
        diagnostics=[_diag(c) for c in final_codes],
        backend=options.get("backend"),
        formulator="fake",
        model=options.get("model") or "fake-model",
        attempts=attempts,
        usage=usage,
        timings=Timings(formulate=0.01, check=0.001, lower=0.002, solve=0.003, verify=0.001, total=0.02),
    )


def _diag(code: str) -> Diagnostic:
    return Diagnostic(code=code, stage=Stage(code.split(".")[0]), message=f"scripted {code}")


def _plain(options: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str | int | float | bool | type(None)) else repr(v) for k, v in options.items()}


def _log(path: str, entry: dict[str, Any]) -> None:
    with Path(path).open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


def read_log(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def started(path: Path) -> list[str]:
    """Tags of the problems the stand-in was called for, in call order."""
    return [e["tag"] for e in read_log(path) if e["event"] == "start"]


def write_dataset(
    path: Path, rows: list[tuple[str, float | None, dict[str, Any]]], *, log: Path | None = None,
    extra: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A JSONL dataset of (id, answer, behaviour) rows whose questions script :func:`fake_solve`."""
    behaviour_log = {"log": str(log)} if log else {}
    lines = []
    for ident, answer, behaviour in rows:
        record: dict[str, Any] = {"id": ident, "question": script(ident, **behaviour_log, **behaviour),
                                  "answer": answer}
        if extra and ident in extra:
            record["extra"] = extra[ident]
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
