"""The MCP server: nl2opt as tools an AI assistant can call (``nl2opt mcp``, stdio).

Four tools, each answering with structured content an MCP client can read as data:

- ``formulate_and_solve``: plain words in, a verified :class:`~nl2opt.Result` out;
- ``solve_spec``: a model spec (JSON object or text) in, a Result out;
- ``explain``: a Result in, its plain-language reading, the model as LaTeX and the
  sensitivity ranges out;
- ``what_if``: a Result and changed parameter values in, the new Result and what
  changed out (no LLM call).

A bad model is an answer (a Result with status ``invalid`` and Diagnostics), not a
tool error; tool errors are kept for calls that cannot proceed (no LLM configured, an
unknown backend, a what-if naming no parameter), with the message that says what to do.
The server uses the official ``mcp`` SDK (``pip install 'nl2opt[mcp]'``).
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel, Field

import nl2opt
from nl2opt.result import Result

INSTRUCTIONS = (
    "nl2opt turns decision problems in plain words into optimisation models, solves them with a real "
    "solver (HiGHS by default), verifies the answer and explains it. Call formulate_and_solve with the "
    "problem text, or solve_spec with a model spec (see the spec's JSON schema). Pass a returned result "
    "to explain, or to what_if with new parameter values to see how the plan changes."
)


class Explanation(BaseModel):
    """How to read a result."""

    status: str
    objective: float | None
    explanation: str = Field(description="A few sentences a non-specialist can act on.")
    latex: str = Field(description="The model as LaTeX.")
    ranges: list[str] = Field(
        default_factory=list, description="How far costs and binding limits may move before the plan changes."
    )


class WhatIf(BaseModel):
    """A what-if answer: the new result and what changed against the old one."""

    result: Result
    comparison: nl2opt.Comparison


def formulate_and_solve(
    text: str,
    formulator: str = "auto",
    model: str | None = None,
    backend: str = "highs",
    max_attempts: int = 3,
    time_limit: float | None = None,
) -> Result:
    """Formulate a decision problem given in plain words, solve it, verify and explain the answer.

    Args:
        text: the problem, e.g. "A bakery makes bread and cakes ... how many of each maximise profit?"
        formulator: "auto" (an LLM when one is configured on the server, else offline rules), "llm" or "rules".
        model: LLM model name (default: the server's NL2OPT_MODEL).
        backend: solver: highs, pulp, ortools, pyomo or scip.
        max_attempts: formulate/repair rounds.
        time_limit: solver seconds per attempt.
    """
    return _call(
        nl2opt.formulate_and_solve,
        text,
        formulator=formulator,
        model=model,
        backend=backend,
        max_attempts=max_attempts,
        time_limit=time_limit,
    )


def solve_spec(spec: dict[str, Any] | str, backend: str = "highs", time_limit: float | None = None) -> Result:
    """Check, solve and verify a model spec: sets, parameters, variables, objective, constraints.

    Args:
        spec: the model as a JSON object (or JSON text); mistakes come back as diagnostics.
        backend: solver: highs, pulp, ortools, pyomo or scip.
        time_limit: solver seconds.
    """
    if isinstance(spec, str) and not spec.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        # solve_spec reads such a string as a path: a remote client must not make the server open files
        return _call(_refuse_path)
    return _call(nl2opt.solve_spec, spec, backend=backend, time_limit=time_limit)


def _refuse_path() -> Result:
    raise ValueError("spec must be the model as a JSON object or JSON text starting with '{'; the server reads no files")


def explain(result: Result) -> Explanation:
    """Read a result (as returned by formulate_and_solve or solve_spec) in plain language."""
    from nl2opt.explain import explain as summary
    from nl2opt.explain import latex
    from nl2opt.sensitivity import describe

    return Explanation(
        status=result.status.value,
        objective=result.objective,
        explanation=summary(result),
        latex=latex(result.spec) if result.spec is not None else "",
        ranges=describe(result.sensitivity) if result.sensitivity is not None else [],
    )


def what_if(result: Result, changes: dict[str, Any]) -> WhatIf:
    """Solve a result's model again with some numbers changed, without any LLM call.

    Args:
        result: a result returned by formulate_and_solve or solve_spec.
        changes: new parameter values: {"flour_available": 120} for a number,
            {"cost": {"Seattle,Chicago": 3}} for cells of a table (members joined by commas).
    """
    new = _call(result.what_if, changes)
    return WhatIf(result=new, comparison=nl2opt.compare(result, new))


def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run an nl2opt call; a caller's mistake becomes a tool error with nl2opt's own message."""
    from mcp.server.mcpserver.exceptions import ToolError

    try:
        return fn(*args, **kwargs)
    except (nl2opt.Nl2OptError, ValueError) as exc:
        raise ToolError(str(exc)) from exc


def build_server() -> Any:
    """The MCPServer with nl2opt's tools registered (an ``mcp.server.mcpserver.MCPServer``)."""
    try:
        from mcp.server.mcpserver import MCPServer
    except ImportError as exc:
        raise nl2opt.ConfigurationError(
            "the MCP server needs the mcp package (version 2 or later): pip install 'nl2opt[mcp]'"
        ) from exc
    server = MCPServer("nl2opt", instructions=INSTRUCTIONS, version=nl2opt.__version__)
    for tool in (formulate_and_solve, solve_spec, explain, what_if):
        server.add_tool(tool, structured_output=True)
    return server


def main() -> None:
    """Serve over stdio until the client closes the connection."""
    try:
        server = build_server()
    except nl2opt.ConfigurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    server.run("stdio")


if __name__ == "__main__":
    main()
