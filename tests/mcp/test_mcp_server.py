"""The MCP server answers a real MCP client: the SDK's own, over stdio, in a subprocess.

The numbers are the bakery's, derived by hand in tests/unit/test_whatif.py: profit 140
at bread 30, cake 10; with 120 kg of flour, profit 160 at 20 and 20.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the MCP server needs the mcp extra: pip install 'nl2opt[mcp]'")
import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.unit.test_whatif import BAKERY

ROOT = Path(__file__).parents[2]
SERVER = [sys.executable, "-m", "nl2opt.mcp"]
CLI = [sys.executable, "-m", "nl2opt.cli", "mcp"]


def talk(
    command: list[str], conversation: Callable[[Client], Awaitable[Any]], env: dict[str, str] | None = None
) -> Any:
    """Start the server as an MCP client would (a subprocess on stdio) and hold one conversation."""

    async def run() -> Any:
        params = StdioServerParameters(command=command[0], args=command[1:], cwd=str(ROOT), env=env)
        with anyio.fail_after(60):
            async with Client(params) as client:
                return await conversation(client)

    return anyio.run(run)


def test_the_cli_serves_four_tools_with_structured_output() -> None:
    async def conversation(client: Client) -> Any:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in talk(CLI, conversation)}
    assert set(tools) == {"formulate_and_solve", "solve_spec", "explain", "what_if"}
    for tool in tools.values():
        assert tool.output_schema is not None and tool.description
    assert "objective" in tools["solve_spec"].output_schema["properties"]
    assert "comparison" in tools["what_if"].output_schema["properties"]


def test_solve_explain_and_what_if_over_stdio() -> None:
    async def conversation(client: Client) -> dict[str, Any]:
        solved = await client.call_tool("solve_spec", {"spec": BAKERY})
        assert not solved.is_error
        result = solved.structured_content
        explained = await client.call_tool("explain", {"result": result})
        changed = await client.call_tool("what_if", {"result": result, "changes": {"flour_available": 120}})
        cell = await client.call_tool("what_if", {"result": result, "changes": {"profit": {"cake": 7}}})
        wrong = await client.call_tool("what_if", {"result": result, "changes": {"flour": 120}})
        broken = await client.call_tool("solve_spec", {"spec": '{"variables": ['})
        return {
            "result": result,
            "explained": explained,
            "changed": changed,
            "cell": cell,
            "wrong": wrong,
            "broken": broken,
        }

    answers = talk(SERVER, conversation)
    result = answers["result"]
    assert result["status"] == "optimal" and result["objective"] == pytest.approx(140)
    assert result["values"]["make"] == {"bread": 30, "cake": 10}
    assert result["verified"] is True

    explained = answers["explained"].structured_content
    assert explained["objective"] == pytest.approx(140)
    assert "optimal" in explained["explanation"].lower()
    assert any("make[cake]" in line and "from 3 to 6" in line for line in explained["ranges"])

    changed = answers["changed"].structured_content
    assert changed["result"]["objective"] == pytest.approx(160)
    assert changed["comparison"]["objective_change"] == pytest.approx(20)
    assert {(d["index"], d["before"], d["after"]) for d in changed["comparison"]["decisions"]} == {
        ("bread", 30, 20),
        ("cake", 10, 20),
    }
    assert answers["cell"].structured_content["result"]["objective"] == pytest.approx(175)

    wrong = answers["wrong"]
    assert wrong.is_error
    assert "no parameter 'flour'" in wrong.content[0].text and "flour_available" in wrong.content[0].text

    broken = answers["broken"]
    assert not broken.is_error, "a bad model is an answer with diagnostics, not a tool error"
    assert broken.structured_content["status"] == "invalid"
    assert broken.structured_content["diagnostics"][0]["code"] == "spec.invalid-json"


def test_formulate_and_solve_over_stdio_with_the_offline_rules() -> None:
    text = (ROOT / "examples" / "problems" / "product_mix.txt").read_text(encoding="utf-8")

    async def conversation(client: Client) -> Any:
        rules = await client.call_tool("formulate_and_solve", {"text": text, "formulator": "rules"})
        llm = await client.call_tool("formulate_and_solve", {"text": text, "formulator": "llm"})
        return rules, llm

    rules, llm = talk(SERVER, conversation, env={"OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert not rules.is_error
    assert rules.structured_content["status"] == "optimal"
    assert rules.structured_content["objective"] == pytest.approx(164)  # examples/problems/answers.json
    assert rules.structured_content["formulator"] == "rules"
    assert rules.structured_content["text"] == text
    # With no LLM configured on the server, asking for one is a tool error that says what to set.
    assert llm.is_error and "OPENAI" in llm.content[0].text
