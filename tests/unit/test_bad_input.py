"""Bad input files end in a sentence that names the file and says what to do, never a traceback.

Each case is written here, byte for byte: a binary file, UTF-16 and UTF-8 with a byte-order
mark (read), UTF-16 that is cut short and Latin-1 (refused by name), a directory, a path
given as a string exactly as README shows, and a word problem with a 5,000-digit number.
The same files go through the Python API (a Diagnostic) and the CLI (exit 2, one line).
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nl2opt import Status, formulate_and_solve, solve_spec
from nl2opt.cli import app

ROOT = Path(__file__).parents[2]
runner = CliRunner()

SPEC = {
    "variables": [{"name": "bread", "upper": 40}, {"name": "cakes", "upper": 30}],
    "objective": {"sense": "maximize", "expression": "3*bread + 2*cakes"},
    "constraints": [{"name": "flour", "expression": "2*bread + cakes <= 100"}],
}
"""Optimum 130 + 30 = 165 at bread = 35, cakes = 30."""
TEXT = json.dumps(SPEC)

READABLE = {
    "utf8-bom": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "utf16-le-bom": TEXT.encode("utf-16"),
    "utf16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "utf32-bom": TEXT.encode("utf-32"),
}

REFUSED = {
    "binary": (bytes(range(256)) * 4, "binary"),
    "utf16-cut-short": (codecs.BOM_UTF16_LE + b"{\x00}", "UTF-16"),
    "latin1": ('{"name": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(READABLE))
def test_text_with_a_byte_order_mark_is_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(READABLE[name])
    result = solve_spec(path)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(165)
    out = runner.invoke(app, ["solve-spec", str(path)])
    assert out.exit_code == 0 and "objective: 165" in out.output


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_undecodable_files_are_refused_by_name(tmp_path: Path, name: str) -> None:
    data, says = REFUSED[name]
    path = tmp_path / "model.json"
    path.write_bytes(data)
    result = solve_spec(path)
    assert result.status is Status.INVALID
    [error] = result.errors
    assert error.code == "spec.unreadable" and says in error.message and str(path) in error.message
    out = runner.invoke(app, ["solve-spec", str(path)])
    assert out.exit_code == 2 and says in out.output and "Traceback" not in out.output


def test_a_directory_is_not_a_spec(tmp_path: Path) -> None:
    [error] = solve_spec(tmp_path).errors
    assert error.code == "spec.unreadable" and "is a directory" in error.message
    out = runner.invoke(app, ["solve-spec", str(tmp_path)])
    assert out.exit_code == 2 and "is a directory" in out.output
    out = runner.invoke(app, ["solve", "--file", str(tmp_path), "--formulator", "rules"])
    assert out.exit_code == 2 and "is a directory" in out.output


def test_a_path_given_as_a_string_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """README: ``nl2opt.solve_spec("examples/transportation.json")``."""
    monkeypatch.chdir(ROOT)
    by_string = solve_spec("examples/transportation.json")
    by_path = solve_spec(Path("examples/transportation.json"))
    assert by_string.status is Status.OPTIMAL
    assert by_string.objective == pytest.approx(by_path.objective)


def test_a_string_that_starts_with_a_brace_is_json_text() -> None:
    assert solve_spec("  \n" + TEXT).objective == pytest.approx(165)
    assert solve_spec("\ufeff" + TEXT).objective == pytest.approx(165)


def test_a_missing_path_says_so(tmp_path: Path) -> None:
    [error] = solve_spec(str(tmp_path / "nope.json")).errors
    assert error.code == "spec.unreadable" and "no such file" in error.message


@pytest.mark.parametrize("data, says", [(READABLE["utf16-le-bom"], None), (REFUSED["binary"][0], "binary")])
def test_standard_input_is_decoded_like_a_file(data: bytes, says: str | None) -> None:
    out = runner.invoke(app, ["solve-spec", "-"], input=data)
    if says is None:
        assert out.exit_code == 0 and "objective: 165" in out.output
    else:
        assert out.exit_code == 2 and says in out.output


def test_problem_text_files_are_decoded_too(tmp_path: Path) -> None:
    path = tmp_path / "problem.txt"
    path.write_bytes("A bakery makes bread and cakes.".encode("utf-16"))
    out = runner.invoke(app, ["solve", "--file", str(path), "--formulator", "rules"])
    assert "Traceback" not in out.output and out.exit_code in (0, 1)
    path.write_bytes(bytes(range(256)))
    out = runner.invoke(app, ["solve", "--file", str(path), "--formulator", "rules"])
    assert out.exit_code == 2 and "binary" in out.output


def test_a_5000_digit_number_in_the_text_is_named_not_a_crash() -> None:
    huge = "9" * 5000
    text = (
        f"A farm grows wheat and corn on at most {huge} acres. Each acre of wheat earns $3 and each acre "
        "of corn earns $2. How many acres of each should it plant to maximize profit?"
    )
    result = formulate_and_solve(text, formulator="rules")  # an OverflowError before
    assert result.status is Status.DECLINED
    assert any("999999" in d.message and "larger than" in d.message for d in result.diagnostics)


def test_a_number_within_the_limit_is_still_read() -> None:
    text = (
        "A farm grows wheat and corn on at most 1,000,000,000,000 acres. Each acre of wheat earns $3 and "
        "each acre of corn earns $2. How many acres of each should it plant to maximize profit?"
    )
    result = formulate_and_solve(text, formulator="rules")
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(3e12)  # all wheat


def test_the_mcp_tool_never_reads_a_path_from_a_client() -> None:
    """solve_spec("some/path") reads a file; over MCP the string comes from a remote client."""
    pytest.importorskip("mcp", reason="the MCP server needs the mcp extra")
    from mcp.server.mcpserver.exceptions import ToolError

    from nl2opt import mcp

    with pytest.raises(ToolError, match="reads no files"):
        mcp.solve_spec(str(ROOT / "examples" / "transportation.json"))
    assert mcp.solve_spec(TEXT).objective == pytest.approx(165)
