"""The ``nl2opt`` command. It knows only the public API.

Exit codes: 0 solved (optimal or feasible), 1 no solution (infeasible, unbounded,
invalid, declined), 2 usage or configuration error, 3 a bug in nl2opt.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

import nl2opt
from nl2opt.textfile import decode_text, read_text

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    help="Turn plain-language decision problems into optimisation models, solve and explain them.",
)

BackendOpt = Annotated[str, typer.Option("--backend", "-b", help="highs | pulp | ortools | pyomo | scip")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the whole Result as JSON.")]
TimeOpt = Annotated[float | None, typer.Option("--time-limit", help="Solver time limit in seconds.")]
DataOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--data",
        "-d",
        help="A data table the model reads by reference, as name=path (.csv, .tsv, .xlsx, .parquet); repeatable.",
    ),
]


def _tables(pairs: list[str] | None) -> dict[str, str] | None:
    """``--data name=path`` options as a mapping; a malformed or repeated name is a usage error."""
    tables: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, path = pair.partition("=")
        name, path = name.strip(), path.strip()
        if not sep or not name or not path:
            raise _fail(f"--data takes name=path (e.g. --data lanes=lanes.csv), got {pair!r}")
        if name in tables:
            raise _fail(f"--data names the table {name!r} twice")
        tables[name] = path
    return tables or None
SamplesOpt = Annotated[
    int, typer.Option(min=1, help="Formulations asked for concurrently; the answer most of them reach wins.")
]


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(2)


def _read(file: Path, what: str) -> str:
    """The text of ``file`` ('-' for standard input); an unreadable one is a usage error that names it."""
    if str(file) == "-":
        text, problem = decode_text(sys.stdin.buffer.read(), "standard input")
    else:
        text, problem = read_text(file, what=what)
    if text is None:
        raise _fail(problem)
    return text


@app.command("solve-spec")
def solve_spec_cmd(
    file: Annotated[Path, typer.Argument(help="Model spec JSON file ('-' for standard input).")],
    backend: BackendOpt = "highs",
    as_json: JsonOpt = False,
    time_limit: TimeOpt = None,
    data: DataOpt = None,
) -> None:
    """Check, solve and verify a model spec file."""
    tables = _tables(data)
    text = _read(file, "spec file")
    source: str | Path = file  # solve_spec reads the file again and names it in its findings
    if str(file) == "-":
        if not text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
            raise _fail("standard input does not hold a JSON spec (it should start with '{')")
        source = text
    try:
        result = nl2opt.solve_spec(source, backend=backend, time_limit=time_limit, data=tables)
    except nl2opt.Nl2OptError as exc:
        raise _fail(str(exc)) from None
    _print(result, as_json)


@app.command("solve")
def solve_cmd(
    text: Annotated[str | None, typer.Argument(help="The problem in plain words.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the problem from a text file ('-' for standard input).")
    ] = None,
    formulator: Annotated[str, typer.Option(help="auto | llm | rules")] = "auto",
    model: Annotated[
        list[str] | None,
        typer.Option(help="LLM model name (default: $NL2OPT_MODEL); repeat it for a cascade, cheapest first."),
    ] = None,
    max_attempts: Annotated[int, typer.Option(min=1, help="Formulate/repair rounds per model.")] = 3,
    cache: Annotated[bool, typer.Option("--cache", help="Reuse LLM replies stored on disk ($NL2OPT_CACHE_DIR).")] = False,
    backend: BackendOpt = "highs",
    as_json: JsonOpt = False,
    time_limit: TimeOpt = None,
    data: DataOpt = None,
    samples: SamplesOpt = 1,
) -> None:
    """Formulate a plain-language problem, solve it and explain the answer."""
    tables = _tables(data)
    if file is not None:
        text = _read(file, "problem file")
    if not text or not text.strip():
        raise _fail("give the problem as an argument or with --file")
    models = model or []
    try:
        result = nl2opt.formulate_and_solve(
            text,
            formulator=formulator,
            model=models[0] if len(models) == 1 else None,
            cascade=models if len(models) > 1 else None,
            backend=backend,
            max_attempts=max_attempts,
            time_limit=time_limit,
            cache=cache,
            data=tables,
            samples=samples,
        )
    except (nl2opt.Nl2OptError, ValueError) as exc:
        raise _fail(str(exc)) from None
    _print(result, as_json)


@app.command("schema")
def schema_cmd() -> None:
    """Print the model spec's JSON schema (OpenAI strict subset)."""
    typer.echo(json.dumps(nl2opt.strict_json_schema(), indent=2, sort_keys=True))


@app.command("backends")
def backends_cmd() -> None:
    """List solver backends and whether each is installed."""
    have = set(nl2opt.available_backends())
    for name in nl2opt.backend_names():
        typer.echo(
            f"{name:8} {'installed' if name in have else 'not installed (pip install nl2opt[' + name + '])'}"
        )


def _seconds(value: float | None) -> float | None:
    """A bench option in seconds: absent, or a positive finite number (never 0, negative or nan)."""
    if value is not None and not (value > 0 and value != float("inf")):
        raise typer.BadParameter(f"must be a positive number of seconds, got {value:g}")
    return value


@app.command("bench")
def bench_cmd(
    datasets: Annotated[list[str], typer.Argument(help="JSONL datasets: paths, or names found in $NL2OPT_DATASETS.")],
    formulator: Annotated[str, typer.Option(help="auto | llm | rules")] = "auto",
    model: Annotated[str | None, typer.Option(help="LLM model name (default: $NL2OPT_MODEL).")] = None,
    backend: BackendOpt = "highs",
    limit: Annotated[int | None, typer.Option(min=0, help="Only the first N problems of each dataset.")] = None,
    sample: Annotated[int | None, typer.Option(min=0, help="N problems of each dataset drawn at random.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed of --sample.")] = 0,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Problems in flight (default: 8 with an LLM, else one per CPU).")
    ] = None,
    max_attempts: Annotated[int, typer.Option(min=1, help="Formulate/repair rounds per problem.")] = 3,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", callback=_seconds, help="Solver time limit in seconds.")
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(callback=_seconds, help="Wall-clock seconds per problem before it is stopped (default: "
                                             "attempts x (time limit or 60, + 120))."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Results JSONL; a rerun skips the problems already in it, except "
                                         "failures that may pass now (timeouts, crashes, LLM or solver errors)."),
    ] = None,
    keep_failures: Annotated[
        bool, typer.Option("--keep-failures", help="Rerun no problem recorded in --out, failed or not.")
    ] = False,
    summary_json: Annotated[Path | None, typer.Option(help="Write the summary as JSON.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report, with a PNG chart beside it.")] = None,
    tolerance: Annotated[float, typer.Option(min=0, help="Relative tolerance of a correct objective.")] = 1e-4,
    abs_tolerance: Annotated[float, typer.Option(min=0, help="Absolute tolerance of a correct objective.")] = 1e-6,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")] = True,
    cache: Annotated[
        bool, typer.Option("--cache/--no-cache", help="Reuse LLM replies from the disk cache ($NL2OPT_CACHE_DIR).")
    ] = True,
    samples: SamplesOpt = 1,
    executor: Annotated[
        str, typer.Option(help="local (worker processes here) | ray (Ray tasks on a cluster; nl2opt[ray]).")
    ] = "local",
    address: Annotated[
        str | None, typer.Option(help="Ray cluster address for --executor ray ('auto', 'ray://host:10001').")
    ] = None,
) -> None:
    """Run nl2opt over benchmark datasets, score every answer and summarise."""
    from nl2opt import bench

    try:
        outcome = bench.run(
            datasets,
            formulator=formulator,
            model=model,
            backend=backend,
            limit=limit,
            sample=sample,
            seed=seed,
            concurrency=concurrency,
            max_attempts=max_attempts,
            time_limit=time_limit,
            timeout=timeout,
            out=out,
            tolerance=bench.Tolerance(rel=tolerance, abs=abs_tolerance),
            progress=progress,
            cache=cache,
            samples=samples,
            keep_failures=keep_failures,
            executor=executor,
            address=address,
        )
    except KeyboardInterrupt:
        kept = f" in {out}; rerun the same command to resume" if out else " nowhere (no --out)"
        typer.secho(f"interrupted: the finished problems are recorded{kept}.", err=True, fg=typer.colors.YELLOW)
        raise typer.Exit(130) from None
    except (nl2opt.Nl2OptError, ValueError) as exc:
        raise _fail(str(exc)) from None
    summary = outcome.summary()
    typer.echo(bench.format_summary(summary))
    resumed = f", {outcome.resumed} already in {out}" if outcome.resumed else ""
    retried = f" ({outcome.retried} had failed before)" if outcome.retried else ""
    typer.echo(f"\nran {outcome.ran} problems{retried} in {outcome.seconds:.1f} s{resumed}.")
    if summary_json is not None:
        typer.echo(f"summary: {bench.write_summary_json(summary_json, summary, outcome.config)}")
    if report is not None:
        written = bench.write_report(report, outcome.records, config=outcome.config)
        typer.echo(f"report: {written}")


@app.command("bench-compare")
def bench_compare_cmd(
    a: Annotated[Path, typer.Argument(help="Results JSONL of the first run (the baseline).")],
    b: Annotated[Path, typer.Argument(help="Results JSONL of the second run.")],
) -> None:
    """List the problems that flipped between two benchmark runs (correct -> wrong, wrong -> correct)."""
    from nl2opt import bench

    try:
        comparison = bench.compare(bench.read_results(a), bench.read_results(b))
    except nl2opt.Nl2OptError as exc:
        raise _fail(str(exc)) from None
    typer.echo(bench.format_comparison(comparison, a=a.name, b=b.name))


@app.command("mcp")
def mcp_cmd() -> None:
    """Serve nl2opt's tools to an MCP client over stdio (needs: pip install 'nl2opt[mcp]')."""
    from nl2opt import mcp

    try:
        server = mcp.build_server()
    except nl2opt.Nl2OptError as exc:
        raise _fail(str(exc)) from None
    server.run("stdio")


def _print(result: nl2opt.Result, as_json: bool) -> None:
    if as_json:
        typer.echo(result.to_json())
    else:
        typer.echo(render(result))
    raise typer.Exit(0 if result.ok else 1)


def render(result: nl2opt.Result) -> str:
    """Readable report: the model, the decisions, the objective, the attempts."""
    check = ", verified" if result.verified else ", not verified" if result.status.has_solution else ""
    out = [f"status: {result.status.value}{check}"]
    if result.objective is not None and result.status.has_solution:
        last = " (the last priority level)" if len(result.levels) > 1 else ""
        out.append(f"objective: {result.objective:.10g}{last}")
    elif result.objective is not None and result.status.has_values:
        out.append(f"objective of the rejected values: {result.objective:.10g} (not an answer)")
    for level in result.levels if len(result.levels) > 1 else []:
        held = f", held at {level.held:.10g}" if level.held is not None else ""
        value = f"{level.value:.10g}" if level.value is not None else level.termination
        out.append(f"  {level.name}: {level.sense} = {value}{held}")
    if result.agreement is not None:
        out.append(f"agreement: {result.agreement} sampled readings")
    if result.formulator:
        by = f" ({result.model})" if result.model and result.model != result.formulator else ""
        out.append(f"formulator: {result.formulator}{by}")
    if result.tables:
        out.append("tables: " + ", ".join(f"{t.name} ({t.rows:,} rows)" for t in result.tables))
    if result.spec is not None and result.attempts:
        out.append("")
        out.append("model:")
        out.extend(f"  {line}" for line in _model_lines(result))
    out.append("")
    out.append(result.explanation)
    if result.attempts:
        out.append("")
        out.append("attempts:")
        for a in result.attempts:
            codes = ", ".join(dict.fromkeys(a.codes)) or "no problems"
            model = f" [{a.model}]" if a.model and a.model != result.formulator else ""
            tokens = f", {a.usage.total_tokens} tokens" if a.usage.total_tokens else ""
            out.append(f"  {a.number}. {a.status.value}{model}: {codes} ({a.seconds:.2f} s{tokens})")
        usage = result.usage
        if usage.calls or usage.cached_calls:
            cost = f", ${usage.cost_usd:.4f}" if usage.cost_usd is not None else ""
            out.append(f"  LLM calls: {usage.calls} ({usage.cached_calls} from cache), "
                       f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens{cost}")
    warnings = [d for d in result.diagnostics if d.severity.value == "warning"]
    if warnings:
        out.append("")
        out.extend(f"warning: {d.message}" for d in warnings[:10])
    return "\n".join(out)


def _model_lines(result: nl2opt.Result) -> list[str]:
    spec = result.spec
    assert spec is not None
    goals = [f"priority {g.priority}: {g.sense.value} {g.expression}  ({g.name})" for g in spec.objectives]
    lines = [*goals] if spec.objective is None else [f"{spec.headline.sense.value} {spec.headline.expression}"]
    lines.append("subject to")
    for c in spec.constraints:
        quant = f"  for {', '.join(c.for_)}" if c.for_ else ""
        lines.append(f"  {c.name}: {c.expression}{quant}")
    for v in spec.variables:
        idx = f"[{', '.join(v.index)}]" if v.index else ""
        bounds = [f">= {_bound_text(v.lower)}" if v.lower is not None else "",
                  f"<= {_bound_text(v.upper)}" if v.upper is not None else ""]
        lines.append(f"  {v.name}{idx}: {v.domain.value} {' '.join(b for b in bounds if b)}".rstrip())
    return lines


def main() -> None:
    """The console script: a bug of ours ends in one clear line and exit status 3, not a traceback."""
    try:
        app()
    except Exception as exc:  # the last line of defence for a user at a terminal
        typer.secho(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in nl2opt. Please report it with the command you ran "
            "(set NL2OPT_DEBUG=1 to see the traceback).",
            err=True,
            fg=typer.colors.RED,
        )
        if os.environ.get("NL2OPT_DEBUG"):
            raise
        sys.exit(3)


def _bound_text(b: float | str) -> str:
    """A number as %g; a derived bound (an expression) as written."""
    return b if isinstance(b, str) else f"{b:g}"


if __name__ == "__main__":
    main()
