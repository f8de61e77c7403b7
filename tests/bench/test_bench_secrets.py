"""`nl2opt bench` against a server that echoes the API key everywhere: the key is in nothing it writes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nl2opt.cli import app
from tests.bench.fakes import fake_solve
from tests.support.llm_server import ECHO_KEY, SMALL_SPEC, HttpError, Raw, Reply, ScriptedLLMServer

KEY = "sk-test-DO-NOT-LEAK-b3c9e1"
QUESTION = (
    "A bakery has 100 kg of flour. A loaf of bread needs 2 kg of flour and earns $3 profit; "
    "a cake needs 1 kg of flour and earns $5 profit. How many loaves and cakes maximise profit?"
)


def _echoing_spec() -> dict[str, object]:
    spec = json.loads(json.dumps(SMALL_SPEC))
    spec["description"] = f"Written for {ECHO_KEY}."
    spec["variables"][0]["description"] = f"loaves ({ECHO_KEY})"
    return spec


def test_bench_out_report_summary_and_output_never_hold_the_key(tmp_path: Path) -> None:
    data = tmp_path / "bakery.jsonl"
    data.write_text(
        "".join(json.dumps({"id": f"b{i}", "question": QUESTION, "answer": 500}) + "\n" for i in range(4)),
        encoding="utf-8",
    )
    bad_domain = json.loads(json.dumps(SMALL_SPEC))
    bad_domain["variables"][0]["domain"] = ECHO_KEY
    script = [
        HttpError(400, message=f"key {ECHO_KEY} may not do this"),
        Raw(f'"{ECHO_KEY}"'),
        Reply(None, refusal=f"I saw {ECHO_KEY}."),
        Reply(bad_domain, model=ECHO_KEY, usage={"prompt_tokens": ECHO_KEY, "completion_tokens": 3}),
    ]
    echo = Reply(_echoing_spec(), model=f"model-of-{ECHO_KEY}", usage={"prompt_tokens": ECHO_KEY})
    out, report, summary = tmp_path / "out.jsonl", tmp_path / "report.md", tmp_path / "summary.json"
    with ScriptedLLMServer(script, default=echo) as server:
        env = {
            "OPENAI_BASE_URL": server.base_url,
            "OPENAI_API_KEY": KEY,
            "NL2OPT_MODEL": "test-model",
            "NL2OPT_MAX_RETRIES": "0",
            "NL2OPT_TIMEOUT": "10",
            "NL2OPT_CACHE_DIR": str(tmp_path / "cache"),
        }
        invocation = CliRunner().invoke(
            app,
            [
                "bench",
                str(data),
                "--formulator",
                "llm",
                "--out",
                str(out),
                "--report",
                str(report),
                "--summary-json",
                str(summary),
                "--no-progress",
                "--concurrency",
                "2",
            ],
            env=env,
        )
        requests = server.requests

    assert invocation.exit_code == 0, invocation.output
    assert len(requests) >= 5 and all(r.headers["authorization"] == f"Bearer {KEY}" for r in requests)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4
    assert any(r["spec"] and r["spec"]["description"] == "Written for [redacted]." for r in records)
    assert any(r["model"] == "model-of-[redacted]" for r in records)
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != data]
    assert {out, report, summary} <= set(written)
    assert [p for p in written if KEY.encode() in p.read_bytes()] == []
    assert KEY not in invocation.stdout + invocation.stderr


def test_a_crash_that_quotes_the_key_is_recorded_without_it(tmp_path: Path) -> None:
    from nl2opt.bench import run
    from nl2opt.config import Settings
    from tests.bench.fakes import write_dataset

    data = write_dataset(tmp_path / "toy.jsonl", [("p", 1.0, {"raise": f"connecting with {KEY} failed"})])
    out = tmp_path / "out.jsonl"

    [record] = run(
        data, out=out, formulator="rules", solve=fake_solve, settings=Settings(api_key=KEY)
    ).records

    assert record.error == "RuntimeError: connecting with [redacted] failed"
    assert KEY.encode() not in out.read_bytes()
