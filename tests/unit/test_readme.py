"""Every code block of README.md runs as written, and prints what its comments say.

Python blocks run in a fresh interpreter from the repository root; each ``print(...)  # text``
comment must appear as a line of the output, in order. Shell blocks run line by line, each
command checked against the result it must show. JSON blocks are parsed; the model spec is
saved and solved as README tells the reader to. A block that cannot run here is listed in
SKIPPED with its reason, and a block that is neither run nor listed fails the test, so a new
README example cannot go untested.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = [(m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", README, re.S | re.M)]

SKIPPED = {
    "pip install -q -e": "installs packages and starts the web form or the whole test suite",
    'formulator="llm"': "needs a real LLM (OPENAI_API_KEY); the loop is tested against a scripted LLM server",
    "nl2opt bench ": "benchmark runs on ../shared datasets, minutes long; tested in tests/bench",
    "ruff check": "the development commands run the test suite itself",
    '"mcpServers"': "an MCP client's configuration; parsed below, the server is tested in tests/unit/test_mcp.py",
}
SKIPPED_COMMANDS = {
    "nl2opt mcp": "serves MCP on stdin until the client closes it; tested end to end in tests/unit/test_mcp.py",
}
COMMANDS = {
    "nl2opt solve-spec examples/transportation.json": "objective: 3450",
    "nl2opt solve-spec examples/transportation.json --json": '"objective": 3450.0',
    "nl2opt solve-spec examples/transportation.json --backend pulp": "objective: 3450",
    'nl2opt solve "A farmer plants…': "objective: 30000",  # by hand: all 100 acres wheat at $300
    "nl2opt solve --file examples/problems/product_mix.txt --json": '"objective": 164.0',
    "nl2opt solve-spec examples/data/lanes.json --data lanes=examples/data/lanes.csv --data "
    "plants=examples/data/plants.csv --data markets=examples/data/markets.csv": "objective: 140",
    "nl2opt backends": "highs",
    "nl2opt schema": '"variables"',
}
"""Each README command and a line of what it must print; a key ending in '…' matches the command's start."""


def _skip_reason(body: str) -> str | None:
    return next((why for key, why in SKIPPED.items() if key in body), None)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NL2OPT_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _ids() -> list[str]:
    return [f"{i}-{lang or 'text'}" for i, (lang, _) in enumerate(BLOCKS)]


def test_every_block_is_run_or_skipped_with_a_reason() -> None:
    runnable = {"python", "bash", "json"}
    assert BLOCKS, "README has code blocks"
    for lang, body in BLOCKS:
        assert lang in runnable, f"a ```{lang} block is neither run nor skipped:\n{body}"


@pytest.mark.parametrize("index", [i for i, (lang, _) in enumerate(BLOCKS) if lang == "python"])
def test_python_block_runs_and_prints_what_it_says(index: int) -> None:
    body = BLOCKS[index][1]
    if (why := _skip_reason(body)) is not None:
        pytest.skip(why)
    run = subprocess.run(
        [sys.executable, "-c", body], cwd=ROOT, capture_output=True, text=True, timeout=300, env=_env()
    )
    assert run.returncode == 0, f"README block {index} failed:\n{body}\n{run.stderr}"
    lines = [line.strip() for line in run.stdout.splitlines()]
    expected = [m.group(1).strip() for m in re.finditer(r"^\s*print\(.*\)\s+#\s*(.+)$", body, re.M)]
    assert expected, "a python block shows what it prints in a comment"
    position = 0
    for want in expected:
        found = next((k for k in range(position, len(lines)) if lines[k] == want), None)
        assert found is not None, f"README says {want!r}; the block printed:\n{run.stdout}"
        position = found + 1


def _commands() -> list[str]:
    out = []
    for lang, body in BLOCKS:
        if lang != "bash" or _skip_reason(body) is not None:
            continue
        for line in body.replace("\\\n", " ").splitlines():  # a trailing backslash continues the line
            command = re.sub(r"\s{2,}#.*$", "", line).strip()  # README's comments sit 2+ spaces away
            command = re.sub(r"\s+", " ", command)
            if command:
                out.append(command)
    return out


@pytest.mark.parametrize("command", _commands())
def test_shell_command_runs_and_prints_its_result(command: str) -> None:
    skip = next((why for key, why in SKIPPED_COMMANDS.items() if command.startswith(key)), None)
    if skip:
        pytest.skip(skip)
    expected = [
        want
        for key, want in COMMANDS.items()
        if command == key or (key.endswith("…") and command.startswith(key[:-1]))
    ]
    assert expected, f"README command without an expected result in COMMANDS: {command}"
    if "--backend pulp" in command:
        pytest.importorskip("pulp")
    run = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=300, env=_env()
    )
    assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
    assert expected[0] in run.stdout, f"{command} must print {expected[0]!r}:\n{run.stdout[:2000]}"
    assert shlex.split(command)[0] == "nl2opt"


def test_the_spec_example_solves_to_the_optimum_readme_gives(tmp_path: Path) -> None:
    specs = [body for lang, body in BLOCKS if lang == "json" and '"schema_version"' in body]
    assert len(specs) == 1
    (tmp_path / "transport.json").write_text(specs[0], encoding="utf-8")
    said = re.search(r"solve-spec transport\.json` \(optimum ([\d.]+)\)", README)
    assert said, "README gives the optimum of its spec example"
    run = subprocess.run(
        ["nl2opt", "solve-spec", "transport.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(),
    )
    assert run.returncode == 0, run.stderr
    assert f"objective: {said.group(1)}" in run.stdout  # by hand: Seattle-Chicago 300 ... = 1707.5


def test_the_mcp_configuration_is_valid_json() -> None:
    configs = [body for lang, body in BLOCKS if lang == "json" and '"mcpServers"' in body]
    assert configs
    assert json.loads(configs[0])["mcpServers"]["nl2opt"]["args"] == ["mcp"]


def _opening_commands() -> list[str]:
    block = next(body for lang, body in BLOCKS if lang == "bash")
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_two_commands() -> None:
    install_and_run, install_and_test = _opening_commands()
    assert "streamlit run app.py" in install_and_run
    assert "pytest" in install_and_test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _opening_commands()[1] in ci
