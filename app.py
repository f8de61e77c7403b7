"""The nl2opt web form: describe a decision problem in words, get a solved, checked and explained model.

Run it with ``streamlit run app.py``. The page is thin over nl2opt's public API
(``formulate_and_solve`` for text, ``solve_spec`` for an edited model) and
``nl2opt.export`` for the downloads; everything the page shows comes from the
Result. It never shows a traceback: every call is wrapped and a failure becomes
a message that says what to do.

The API key typed in the sidebar goes into :class:`nl2opt.config.Settings` (a
``SecretStr``) for the one call that needs it; it is never logged, written to
disk or put into the environment.

Text that comes from a model, a file or a server (names, descriptions, messages)
is escaped before Streamlit renders it as Markdown (``_md``), so a description
cannot show a remote image or a link. Uploaded tables are refused past a size
(bytes, unpacked bytes of a workbook, rows) before they are parsed, and each file
is parsed once: the parse is cached by the hash of its bytes.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

import nl2opt
from nl2opt import ModelSpec, Nl2OptError, Result, Severity, Status, editable, paging, present
from nl2opt.config import DEFAULT_MODEL, Settings
from nl2opt.export import to_lp, to_mps, to_python_script, values_csv
from nl2opt.result import split_index_key

ROOT = Path(__file__).resolve().parent
PROBLEMS = ROOT / "examples" / "problems"
MODELS = ROOT / "examples"
CHOOSE = "(choose an example)"
MAX_CHART_BARS = 20  # the largest decisions; a longer chart is unreadable
MAX_WRAPPED_ROWS = 50  # tables up to this many rows wrap their text; longer ones scroll
MAX_LISTED_RANGES = 12
MAX_TABLE_CELLS = 5000  # variables with more entries show only their nonzero values
# No bare string literals at module level below: Streamlit's "magic" would print them on the page.


def _env_limit(name: str, default: int) -> int:
    """A positive integer limit from the environment (README: Limits), else the default."""
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


UPLOAD_MAX_BYTES = _env_limit("NL2OPT_UPLOAD_MAX_BYTES", 5_000_000)  # a file as uploaded
UPLOAD_MAX_UNPACKED = _env_limit("NL2OPT_UPLOAD_MAX_UNPACKED", 25_000_000)  # an .xlsx's XML, unzipped
UPLOAD_MAX_ROWS = _env_limit("NL2OPT_UPLOAD_MAX_ROWS", 20_000)  # rows of one table or sheet
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@=&])")

Progress = Callable[[str], None]

_ADVICE: dict[Status, str] = {
    Status.FEASIBLE: "The solver stopped at its time limit: this plan meets every requirement but may not be "
    "the best. Raise the time limit in the sidebar to search longer.",
    Status.UNVERIFIED: "Not verified: the solver returned a plan that breaks the model (the broken "
    "requirements are listed below), so it must not be used. Try another backend in the sidebar.",
    Status.INFEASIBLE: "No plan meets every requirement at once. The findings below name the requirements "
    "that conflict: check their numbers in the text or the model, relax one, and solve again.",
    Status.UNBOUNDED: "The objective can improve without limit, so a limit is missing (a capacity, budget "
    "or demand). Add it to the text or the model and solve again.",
    Status.INFEASIBLE_OR_UNBOUNDED: "The model is either infeasible or unbounded: check that every "
    "requirement's number is right and that every resource has a limit.",
    Status.NO_SOLUTION: "The solver reached its time limit before finding any plan. Raise the time limit "
    "in the sidebar, or simplify the model.",
    Status.INVALID: "The model has errors (listed below), so nothing was solved. Fix them in the model JSON "
    "(tab 'Model' of the result) and press 'Solve edited model'.",
    Status.ERROR: "The solver failed (details below). Try another backend in the sidebar.",
    Status.DECLINED: "No trustworthy model could be built from the text. Rephrase the sentences named below "
    "plainly ('each table needs 3 hours of labour', 'at most 40 hours are available', 'maximize profit'), "
    "or choose an LLM in the sidebar.",
}


@dataclass(frozen=True)
class Options:
    """What the sidebar chose; the API key stays inside ``settings``."""

    formulator: str
    settings: Settings | None
    backend: str
    time_limit: float | None
    max_attempts: int
    samples: int = 1
    """Formulations asked for at once; the answer most of them reach is shown, with the others."""
    setup_problem: str = ""
    """What to do before the chosen formulator can run (an LLM with neither key nor server)."""


# ----------------------------------------------------------------------------- examples and uploads


@st.cache_data
def example_problems() -> dict[str, str]:
    """Plain-language examples, by a label made from the file name."""
    return {_label(p): p.read_text(encoding="utf-8").strip() for p in sorted(PROBLEMS.glob("*.txt"))}


@st.cache_data
def example_models() -> dict[str, str]:
    """The JSON spec examples, by a label made from the file name."""
    return {_label(p): p.read_text(encoding="utf-8") for p in sorted(MODELS.glob("*.json"))}


def _label(path: Path) -> str:
    return path.stem.replace("_", " ").capitalize()


def read_tables(files: list[Any]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Uploaded CSV/Excel files as named tables, and a message for each file that could not be read."""
    tables: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    for upload in files:
        name = getattr(upload, "name", "upload")
        raw = upload.getvalue()
        found, problem = _parse_upload(name, hashlib.sha256(raw).hexdigest(), raw)
        if problem:
            errors.append(problem)
            continue
        for key, df in found.items():
            if df.empty or len(df.columns) == 0:
                errors.append(f"{name!r} has no data rows under its header; the table {key!r} was left out. "
                              "Upload a table with a header row and at least one row of numbers.")
            else:
                tables[key] = df
    return tables, errors


@st.cache_data(max_entries=32, show_spinner=False)
def _parse_upload(name: str, digest: str, _raw: bytes) -> tuple[dict[str, pd.DataFrame], str]:
    """One uploaded file's tables, or a message; cached by name and the hash of its bytes.

    Every widget change reruns the page, so without the cache a workbook would be parsed
    again on each click. Size limits are checked before any parsing: a 259 KB workbook can
    unzip to 62 MB of XML and take most of a minute to read.
    """
    problem = _too_large(name, _raw)
    if problem:
        return {}, problem
    stem = _table_name(Path(name).stem)
    try:
        if name.lower().endswith((".xlsx", ".xlsm")):
            sheets = pd.read_excel(io.BytesIO(_raw), sheet_name=None, nrows=UPLOAD_MAX_ROWS + 1)
            found = {stem if len(sheets) == 1 else _table_name(f"{stem}_{s}"): df for s, df in sheets.items()}
        else:
            found = {stem: pd.read_csv(io.BytesIO(_raw), nrows=UPLOAD_MAX_ROWS + 1)}
    except Exception as exc:  # any reader failure is the file's fault, reported as such
        return {}, (f"Could not read {name!r} ({type(exc).__name__}: {_short(exc)}). Upload a CSV file "
                    "with a header row, or an Excel workbook (.xlsx) whose first row names the columns.")
    if any(len(df) > UPLOAD_MAX_ROWS for df in found.values()):
        return {}, (f"{name!r} has more than {UPLOAD_MAX_ROWS:,} rows in a table, the limit for uploads "
                    "(NL2OPT_UPLOAD_MAX_ROWS raises it). Upload a smaller table.")
    return found, ""


def _too_large(name: str, raw: bytes) -> str:
    """Why an upload is refused unread (bytes, or a workbook that unzips past its limit); else ''."""
    if len(raw) > UPLOAD_MAX_BYTES:
        return (f"{name!r} has {len(raw):,} bytes, more than the {UPLOAD_MAX_BYTES:,} allowed for an upload "
                "(NL2OPT_UPLOAD_MAX_BYTES raises it). Upload a smaller table.")
    if not name.lower().endswith((".xlsx", ".xlsm")):
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            unpacked = sum(info.file_size for info in workbook.infolist())
    except (zipfile.BadZipFile, ValueError):
        return ""  # not a workbook: the reader says so below
    if unpacked > UPLOAD_MAX_UNPACKED:
        return (f"{name!r} unpacks to {unpacked:,} bytes, more than the {UPLOAD_MAX_UNPACKED:,} allowed for a "
                "workbook (NL2OPT_UPLOAD_MAX_UNPACKED raises it). Upload a smaller table, or save it as CSV.")
    return ""


def _md(text: object) -> str:
    """Text shown literally by Streamlit's Markdown: every character with a Markdown meaning is escaped.

    Names, descriptions and messages come from models, files and servers; unescaped, a
    description could show a remote image (``![](http://...)``), a link or a heading.
    Line breaks become spaces, so the text stays one paragraph.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))


def _table_name(text: str) -> str:
    return re.sub(r"\W+", "_", text).strip("_").lower() or "table"


def _short(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ----------------------------------------------------------------------------- sidebar


def sidebar() -> Options | None:
    """The settings; None (with a message) when the LLM settings are unusable."""
    st.sidebar.header("Settings")
    formulator = st.sidebar.radio(
        "Formulator",
        ["rules", "llm"],
        format_func=lambda f: {"rules": "Offline rules (no API key)", "llm": "LLM (OpenAI-compatible)"}[f],
        key="formulator",
        help="The offline rules read simple word problems without any network. An LLM reads anything, "
        "through any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp, LM Studio).",
    )
    settings: Settings | None = None
    if formulator == "llm":
        base_url = st.sidebar.text_input(
            "Base URL", key="base_url", placeholder="empty for api.openai.com; http://localhost:11434/v1 for Ollama"
        )
        model = st.sidebar.text_input("Model", value=_default_model(), key="model")
        api_key = st.sidebar.text_input(
            "API key", type="password", key="api_key", help="Used for this session's requests only; never stored."
        )
        overrides: dict[str, Any] = {"model": model.strip() or DEFAULT_MODEL}
        if base_url.strip():
            overrides["base_url"] = base_url.strip()
        if api_key.strip():
            overrides["api_key"] = api_key.strip()
        try:
            settings = Settings.from_env(**overrides)
        except Nl2OptError as exc:
            st.sidebar.error(f"{exc} Correct it above.")
            return None
    setup = ""
    if settings is not None and settings.api_key is None and settings.base_url is None:
        setup = ("No LLM is configured yet. To use the LLM, open the sidebar (Settings, on the left) and enter "
                 "an API key for api.openai.com, or the Base URL of your own server (e.g. "
                 "http://localhost:11434/v1 for Ollama). Or choose 'Offline rules (no API key)' there: it "
                 "needs nothing.")
    backends = nl2opt.available_backends() or ["highs"]
    backend = st.sidebar.selectbox("Solver backend", backends, key="backend")
    limit = st.sidebar.number_input("Time limit (seconds, 0 = none)", min_value=0.0, value=0.0, step=5.0,
                                    key="time_limit")
    attempts = st.sidebar.number_input("Max attempts (repairs + 1)", min_value=1, max_value=10, value=3,
                                       key="max_attempts")
    samples = 1
    if formulator != "rules":
        samples = st.sidebar.number_input("Readings to compare (samples)", min_value=1, max_value=8, value=1,
                                          key="samples", help="Ask the LLM for several models at once; the "
                                          "answer most of them reach is shown, with how the others differ.")
    return Options(formulator, settings, str(backend), float(limit) or None, int(attempts), int(samples), setup)


# ----------------------------------------------------------------------------- solving


def _default_model() -> str:
    """NL2OPT_MODEL when set (and valid), else nl2opt's default."""
    try:
        return Settings.from_env().model
    except Nl2OptError:
        return DEFAULT_MODEL


def solve_text(text: str, data: dict[str, pd.DataFrame], options: Options) -> None:
    """Formulate and solve with progress by stage; the outcome goes to session state."""
    if not text.strip():
        _clear_answer()
        st.warning("Describe the problem first, or pick an example above.")
        return
    if options.setup_problem:
        _clear_answer()
        st.error(options.setup_problem)
        return
    who = "the offline rules" if options.formulator == "rules" else "the LLM"
    st.session_state["data"] = dict(data)

    def work(progress: Progress | None) -> Result:
        kwargs: dict[str, Any] = {}
        if progress is not None:
            kwargs["progress"] = progress
        return nl2opt.formulate_and_solve(
            text,
            data=data or None,
            formulator=options.formulator,
            settings=options.settings,
            backend=options.backend,
            max_attempts=options.max_attempts,
            time_limit=options.time_limit,
            samples=options.samples,
            **kwargs,
        )

    _run(f"Formulating with {who}, then checking, solving and verifying…", work, source="text", options=options,
         max_attempts=options.max_attempts)


def solve_model(spec_json: str, options: Options, data: dict[str, pd.DataFrame] | None = None, *,
                source: str = "json") -> None:
    """Solve model JSON directly (``source`` 'json': the input tab; 'edit': the result's editor; 'data':
    the result's edited tables); no LLM.

    ``data`` are the tables a model reads by reference; None keeps those of the last solve
    (the uploads, or the tables as edited in the result's Data tab). A failed submit from the
    input tab clears the old answer; a broken edit keeps it (marked as belonging to the earlier
    model) together with the editor holding the person's text.
    """
    if not spec_json.strip():
        if source == "json":
            _clear_answer()
        st.warning("The model is empty. Pick a JSON example above, or solve a problem in words first.")
        return
    try:
        parsed = json.loads(spec_json)
    except json.JSONDecodeError as exc:
        if source == "json":
            _clear_answer()
        st.error(f"The model is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
                 "Fix it and solve again.")
        return
    if not isinstance(parsed, dict):
        st.error("The model must be a JSON object, {...} with its variables, objective and constraints.")
        return

    previous = st.session_state.get("result")
    if data is not None:
        st.session_state["data"] = dict(data)
    tables = st.session_state.get("data") or None

    def work(progress: Progress | None) -> Result:
        result = nl2opt.solve_spec(spec_json, backend=options.backend, time_limit=options.time_limit, data=tables)
        if source in ("edit", "data") and isinstance(previous, Result):
            result.text = previous.text  # the same problem: its words still give the money's unit
        return result

    _run("Checking, solving and verifying the model…", work, source=source, options=options,
         edited=spec_json if source == "edit" else None)


def _accepts_progress() -> bool:
    try:
        return "progress" in inspect.signature(nl2opt.formulate_and_solve).parameters
    except (TypeError, ValueError):
        return False


def _run(label: str, work: Callable[[Progress | None], Result], *, source: str, options: Options,
         edited: str | None = None, max_attempts: int = 1) -> None:
    """Run ``work`` inside a live status box; keep the result, its input's fingerprint and the stage log.

    The result's model goes into the editor of the results (``edited``, the text the person
    solved, when there is one: a spec with errors has no parsed model to show instead).
    """
    from_text = source == "text"
    digest = _fingerprint(source, options)
    lines: list[str] = []
    with st.status(label, expanded=True) as box:

        def progress(stage: str) -> None:
            lines.append(stage)
            box.update(label=f"{stage}…")
            box.write(stage)

        live = from_text and _accepts_progress()
        if not live:
            box.write("Working: the stages of each attempt are listed when it finishes.")
        try:
            result = work(progress if live else None)
        except Nl2OptError as exc:
            box.update(label=f"Could not start: {_short(exc, 120)}", state="error", expanded=False)
            _forget_result(source)
            _failure(f"{exc}", from_text)
            return
        except Exception as exc:  # the page must never show a traceback
            box.update(label="Failed", state="error")
            _forget_result(source)
            st.error(_md(f"Something went wrong: {type(exc).__name__}: {_short(exc)}. Try again; if it "
                         "repeats, save the model JSON and report it."))
            return
        if not live:
            lines += _stage_lines(result, max_attempts)
            for line in lines:
                box.write(line)
        state = "complete" if result.status.has_solution else "error"
        done = f"{_status_text(result)} in {result.timings.total:.2f} s"
        box.update(label=done, state=state, expanded=False)
    model = result.spec if result.spec is not None else result.draft  # a decline's draft, to finish by hand
    editor = edited if edited is not None else model.to_json() if model is not None else ""
    st.session_state["result"] = result
    st.session_state["answer_for"] = {"source": source, "digest": digest, "editor": editor}
    st.session_state.pop("what_if", None)
    st.session_state["run_log"] = {"label": done, "state": state, "lines": lines}
    st.session_state["pending_edit"] = editor
    st.rerun()


def _forget_result(source: str) -> None:
    """A new question that failed must not leave the old answer below it (an edited model keeps its editor)."""
    if source != "edit":
        _clear_answer()


def _clear_answer() -> None:
    """Remove the answer and everything derived from it: the input it belonged to is gone."""
    for key in ("result", "run_log", "answer_for", "what_if", "exports"):
        st.session_state.pop(key, None)


def _fingerprint(source: str, options: Options) -> str:
    """A hash of the input an answer is computed from: what was typed (or uploaded) and the settings."""
    state = st.session_state
    settings = options.settings
    common = [options.backend, options.time_limit]
    if source == "text":
        files = [(getattr(f, "name", ""), getattr(f, "size", 0)) for f in state.get("data_files") or []]
        llm = [settings.model, settings.base_url] if settings is not None else []
        parts = [state.get("problem") or "", files, options.formulator, options.max_attempts, options.samples, llm,
                 *common]
    elif source == "data":
        parts = [state.get("data_version", 0), *common]
    else:
        files = [(getattr(f, "name", ""), getattr(f, "size", 0)) for f in state.get("data_files") or []]
        parts = [state.get("spec_edit" if source == "edit" else "spec_json") or "", files, *common]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def _failure(message: str, from_text: bool) -> None:
    hint = ""
    if from_text and ("LLM" in message or "OPENAI" in message):
        hint = " Enter an API key or a server URL in the sidebar, or choose the offline formulator."
    st.error(_md(message + hint))


def _stage_lines(result: Result, max_attempts: int) -> list[str]:
    """What each attempt went through, written after the fact when the loop reports no progress."""
    if not result.attempts:
        return [f"Checked, compiled and solved with {result.backend}: {_status_text(result).lower()}."]
    out = []
    for a in result.attempts:
        stages = ["formulating" if a.number == 1 else f"repairing ({a.number} of {max_attempts})"]
        if a.spec is not None:
            stages.append("checking")
            if a.status is not Status.INVALID:
                stages.append("solving")
            if a.status.has_values:
                stages.append("verifying")
        errors = sum(d.severity is Severity.ERROR for d in a.diagnostics)
        notes = [f"{errors} problem(s) found"] if errors else []
        if a.feedback:
            notes.append("feedback sent to the formulator")
        tail = f"; {', '.join(notes)}" if notes else ""
        out.append(f"Attempt {a.number}: {' → '.join(stages)} → {a.status.value.replace('_', ' ')}"
                   f"{tail} ({a.seconds:.2f} s).")
    return out


def _status_text(result: Result) -> str:
    text = result.status.value.replace("_", " ")
    if result.status is Status.UNVERIFIED:
        text = "answer failed verification"
    elif result.status.has_solution:
        text += ", verified" if result.verified else ", not verified"
    return text.capitalize()


# ----------------------------------------------------------------------------- results


def show_result(result: Result, options: Options | None) -> None:
    """Headline, explanation, decisions, constraints, what-if, model, repair log and downloads.

    The answer says which input it belongs to: an answer from the model editor is labelled so,
    and one whose input (text, model or settings) changed since it was computed is marked as
    belonging to the earlier input.
    """
    with st.container():  # always there, so the tabs below keep their place (and the open tab) when it fills
        stale = _provenance(options)
    log = st.session_state.get("run_log")
    if log:
        with st.status(log["label"], state=log["state"], expanded=False):
            for line in log["lines"]:
                st.write(line)
    st.header("Result (for the earlier input)" if stale else "Result")
    spec = result.spec
    unit = present.units(spec, result.text) if spec is not None else None
    cols = st.columns([1, 2, 1, 1])
    check = None
    if result.status.has_values:
        check = "verified" if result.verified else "not verified"
    cols[0].metric("Status", result.status.value.replace("_", " ").capitalize(), delta=check,
                   delta_color="green" if result.verified else "orange", delta_arrow="off")
    objective = "—" if result.objective is None else present.with_unit(result.objective, unit.objective if unit else "")
    goal = f"Objective ({spec.headline.sense.value} {present.objective_noun(spec)})" if spec else "Objective"
    cols[1].metric(goal, objective)
    if result.agreement is not None and result.agreement.samples > 1:
        cols[2].metric("Readings agreeing", str(result.agreement))
    else:
        cols[2].metric("Attempts", len(result.attempts) if result.attempts else 1)
    cols[3].metric("Time", f"{result.timings.total:.2f} s")
    if result.status.has_solution and result.reading:
        st.caption("Verified means the solution satisfies the model, checked independently of the solver. "
                   "Whether the model reads your text as you meant is for you to judge: its reading is listed "
                   "under Answer.")
    _advice(result)
    answer, constraints, whatif, model, data, repairs, downloads = st.tabs(
        ["Answer", "Constraints", "What if", "Model", "Data", "Repair log", "Downloads"]
    )
    with answer:
        if result.explanation:
            st.markdown(_markdown(result.explanation))
        _decisions(result)
    with constraints:
        _constraints(result)
    with whatif:
        _what_if(result, options)
    with model:
        _model(result, options)
    with data:
        _data(result, options)
    with repairs:
        _repair_log(result)
    with downloads:
        _downloads(result)


def _provenance(options: Options | None) -> bool:
    """Say where the answer comes from; True (with a warning) when the input on screen is no longer its input."""
    answer_for = st.session_state.get("answer_for") or {}
    source = answer_for.get("source", "")
    if source == "edit":
        st.info("**Answer from your edited model.** It was solved from the model JSON in the editor below "
                "(no formulator, no LLM); the explanation reads that model's own numbers, not the text's.",
                icon=":material/edit_note:")
    elif source == "data":
        st.info("**Answer from your edited tables.** The same model was solved again with the tables as "
                "edited in the Data tab (no formulator, no LLM).", icon=":material/edit_note:")
    elif source == "json":
        st.caption("Answer from the model JSON (no formulator, no LLM).")
    if not answer_for or options is None:
        return False
    what = None
    if _fingerprint(source, options) != answer_for.get("digest"):
        what = {"text": ("the problem text, its tables or the settings", "Formulate and solve"),
                "json": ("the model JSON or the settings", "Solve this model"),
                "edit": ("the model in the editor or the settings", "Solve edited model"),
                "data": ("the tables or the settings", "Solve again with the edited tables (no LLM)")}[source]
    elif st.session_state.get("spec_edit", answer_for.get("editor")) != answer_for.get("editor"):
        what = ("the model in the editor (tab 'Model')", "Solve edited model")
    if what is not None:
        st.warning(f"**This answer belongs to the earlier input:** {what[0]} changed after it was computed. "
                   f"Press '{what[1]}' to solve what is on screen now.", icon=":material/history:")
        return True
    return False


def _advice(result: Result) -> None:
    codes = {d.code for d in result.diagnostics}
    if "formulate.llm-error" in codes:
        st.error("The LLM server could not be reached or answered with an error (details below). Check the "
                 "base URL, model name and API key in the sidebar, or choose the offline formulator.")
    elif result.status is Status.OPTIMAL and not result.verified:
        st.warning("The solver reports an optimum, but it was not re-checked against the model. "
                   "Treat this answer with care.")
    elif result.status in _ADVICE:
        (st.warning if result.status is Status.FEASIBLE else st.error)(_ADVICE[result.status])
    if result.spec is None and result.draft is not None:
        st.info("A draft of the model, with the sentences that were not understood, is in the 'Model' tab: "
                "finish it there and solve it, no LLM needed.")
    findings = [d for d in result.diagnostics if d.severity is not Severity.INFO]
    if findings and not result.status.has_solution:
        _findings(findings)
    elif findings:
        unique = len(present.unique_findings(findings))
        with st.expander(f"{unique} finding(s) from checking and verifying"):
            _findings(findings)


def _findings(diagnostics: list[Any]) -> None:
    """Each distinct finding once, as wrapped text (a table cell would cut the message and the hint)."""
    lines = []
    for d, times in present.unique_findings(diagnostics):
        where = f" in {_md(d.where)}" if d.where else ""
        repeat = f" (reported {times} times)" if times > 1 else ""
        hint = f"  \n  *What to do:* {_md(d.hint)}" if d.hint else ""
        lines.append(f"- **{d.severity.value}** {_md(d.code)}{where}: {_md(d.message)}{repeat}{hint}")
    st.markdown("\n".join(lines))


def _markdown(text: str) -> str:
    """The plain-text explanation as Markdown: "- " lines stay list items, other lines become paragraphs."""
    out: list[str] = []
    for line in text.splitlines():
        item = line.strip()
        if item.startswith("- "):
            out.append("- " + _md(item[2:]))
        elif item:
            out += ["", _md(item), ""]
    return "\n".join(out)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    v = 0.0 if abs(value) < 1e-12 else float(value)
    return f"{v:,.10g}"


def _decisions(result: Result) -> None:
    if not result.values:
        return
    st.subheader("Decisions")
    spec_vars = {v.name: v for v in result.spec.variables} if result.spec else {}
    unit = present.units(result.spec, result.text) if result.spec else present.Units()
    scalars = {k: v for k, v in result.values.items() if not isinstance(v, dict)}
    if scalars:
        st.table(
            pd.DataFrame({
                "decision": list(scalars),
                "value": [present.with_unit(v, unit.of_variable(k)) for k, v in scalars.items()],
                "meaning": [spec_vars[k].description if k in spec_vars else "" for k in scalars],
            }).set_index("decision")
        )
    for name, table in result.values.items():
        if not isinstance(table, dict):
            continue
        table = _page(result.values, name, table)
        var = spec_vars.get(name)
        of = unit.of_variable(name)
        st.markdown(f"**{_md(name)}**" + (f" ({_md(of)})" if of else "")
                    + (f": {_md(var.description)}" if var and var.description else ""))
        st.dataframe(_table(table, var.index if var else []))
    _chart(result.values)


def _round(v: float) -> float:
    return float(f"{v:.10g}")


def _page(values: Any, name: str, table: dict[str, float]) -> dict[str, float]:
    """The whole table, or past MAX_TABLE_CELLS entries its nonzero values a page at a time."""
    if len(table) <= MAX_TABLE_CELLS:
        return table
    first = paging.page_of(values, name, 1)
    if first.pages == 1:
        st.caption(f"{_md(name)}: the {first.total:,} nonzero values of {len(table):,}")
        return first.items
    label = f"{_md(name)}: {first.total:,} nonzero values of {len(table):,}, {paging.PAGE_ROWS:,} a page; page"
    number = st.number_input(label, min_value=1, max_value=first.pages, value=1, key=f"page_{name}")
    return paging.page_of(values, name, int(number)).items


def _table(values: dict[str, float], sets: list[str]) -> pd.DataFrame:
    """One-index values as a column, two-index values as a pivot table, more as a long table."""
    items = values.items()
    if len(values) > MAX_TABLE_CELLS:
        items = [(k, v) for k, v in items if abs(v) > 1e-9]
    keys = [list(split_index_key(k)) for k, _ in items]
    vals = [_round(v) for _, v in items]
    width = len(sets) if sets and all(len(k) == len(sets) for k in keys) else None
    if width == 2 and len({k[0] for k in keys}) * len({k[1] for k in keys}) <= MAX_TABLE_CELLS:
        frame = pd.DataFrame({"row": [k[0] for k in keys], "col": [k[1] for k in keys], "value": vals})
        pivot = frame.pivot(index="row", columns="col", values="value")
        pivot = pivot.reindex(index=list(dict.fromkeys(frame["row"])), columns=list(dict.fromkeys(frame["col"])))
        pivot.index.name, pivot.columns.name = sets[0], sets[1]
        return pivot
    if width:
        frame = pd.DataFrame(keys, columns=sets)
        frame["value"] = vals
        return frame.set_index(sets)
    return pd.DataFrame({"index": [k for k, _ in items], "value": vals}).set_index("index")


def _chart_frame(values: dict[str, float | dict[str, float]]) -> tuple[pd.DataFrame, int]:
    """The largest nonzero decisions (at most MAX_CHART_BARS), and how many are nonzero in all."""
    flat, total = paging.largest(values, MAX_CHART_BARS)  # numpy picks them; labels only for these
    return pd.DataFrame([(k, _round(x)) for k, x in flat], columns=["decision", "value"]), total


def _chart(values: dict[str, float | dict[str, float]]) -> None:
    """A horizontal bar per decision with its whole name readable (no label limit)."""
    frame, total = _chart_frame(values)
    if frame.empty:
        return
    if total > len(frame):
        st.caption(f"The {len(frame)} largest of {total} nonzero decisions.")
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title="value"),
            y=alt.Y("decision:N", sort=None, title=None, axis=alt.Axis(labelLimit=0)),
            tooltip=["decision", "value"],
        )
    )
    st.altair_chart(chart, width="stretch", height=60 + 28 * len(frame))


def _constraints(result: Result) -> None:
    if not result.rows:
        st.info("Constraint activities, slacks and shadow prices appear here once a model has been solved.")
        return
    spec = result.spec
    cons = {c.name: c for c in spec.constraints} if spec else {}
    unit = present.units(spec, result.text) if spec else present.Units()

    def meaning(name: str) -> str:
        con = cons.get(name)
        return present.constraint_text(spec, con) if spec is not None and con is not None else ""

    rows = present.unique_rows(spec, result.rows)
    repeated = sum(times - 1 for _, times in rows)
    binding = [(r, times) for r, times in rows if r.binding]
    st.subheader("Binding constraints")
    st.caption("These limits are reached at the optimum. Rows of options that are not used (a closed depot's "
               "capacity at 0) are left out. Shadow prices exist for linear models only.")
    if repeated:
        st.caption(f"{repeated} row(s) repeat another constraint word for word and are shown once.")
    if not binding:
        st.write("No constraint is binding.")
    else:
        table = pd.DataFrame([
            {
                "constraint": r.name + (f" (×{times})" if times > 1 else ""),
                "meaning": meaning(r.constraint),
                "at": present.with_unit(r.activity, unit.of_constraint(r.constraint)),
                "one more unit": (present.shadow_price(spec, r, result.text) if spec else "")
                or ("—" if r.dual is None else "no effect on the objective"),
            }
            for r, times in binding
        ]).set_index("constraint")
        (st.table if len(table) <= MAX_WRAPPED_ROWS else st.dataframe)(table)
    lines = present.sensitivity_lines(result)
    if lines:
        st.subheader("How far the numbers can move")
        st.caption("From the solver's ranging: within these limits the same plan stays optimal.")
        st.markdown("\n".join(f"- {_md(line)}" for line in lines[:MAX_LISTED_RANGES]))
        if len(lines) > MAX_LISTED_RANGES:
            with st.expander(f"All {len(lines)} ranges"):
                st.markdown("\n".join(f"- {_md(line)}" for line in lines))
    frame = pd.DataFrame([
        {
            "constraint": r.name,
            "meaning": meaning(r.constraint),
            "activity": _round(r.activity),
            "lower": r.lower,
            "upper": r.upper,
            "slack": _round(r.slack),
            "shadow price": None if r.dual is None else _round(r.dual),
            "binding": r.binding,
            "repeated": times,
        }
        for r, times in rows
    ])
    with st.expander(f"All {len(frame)} constraint rows"):
        st.dataframe(frame, hide_index=True, placeholder="—",
                     column_config={"meaning": st.column_config.TextColumn(width="large")})


# ----------------------------------------------------------------------------- what-if


def _what_if(result: Result, options: Options | None) -> None:
    """Change the model's numbers and solve again (no LLM): the new answer beside the old one."""
    spec = result.spec
    if spec is None or not result.status.has_solution:
        st.info("What-if needs a solved model: solve a problem first.")
        return
    bounds = editable.limits(spec) if not spec.parameters else {}
    if not spec.parameters and not bounds:
        st.info("This model writes its numbers straight into its expressions (it has no named parameters), so "
                "there is nothing to change here. Change a number in the model JSON (tab 'Model') and press "
                "'Solve edited model'.")
        return
    st.caption("Change any number below and press the button: the same model is solved again with the new "
               "numbers (no formulator, no LLM), and the new answer is shown beside this one.")
    tag = id(result)
    changes: dict[str, Any] = {}
    if bounds:
        _what_if_limits(result, spec, bounds, options, tag)
        return
    scalars = [p for p in spec.parameters if not p.index]
    if scalars:
        columns = st.columns(min(3, len(scalars)))
        for k, param in enumerate(scalars):
            now = editable.parameter_cells(spec, param.name).get("")
            if now is None:
                continue
            label = param.name + (f" ({param.unit})" if param.unit else "")
            new = columns[k % len(columns)].number_input(label, value=float(now), key=f"wi_{param.name}_{tag}",
                                                        help=param.description or None, format="%g")
            if new != now:
                changes[param.name] = float(new)
    for param in (p for p in spec.parameters if p.index):
        cells = editable.parameter_cells(spec, param.name)
        if not cells:
            continue
        st.markdown(f"**{_md(param.name)}**" + (f" ({_md(param.unit)})" if param.unit else "")
                    + (f": {_md(param.description)}" if param.description else ""))
        shown = _table(cells, param.index)
        edited = st.data_editor(shown, key=f"wi_{param.name}_{tag}", disabled=list(shown.index.names))
        changed = _changed_cells(shown, edited, len(param.index))
        if changed:
            changes[param.name] = changed
    pressed = st.button("Solve again with these numbers", key="solve_what_if", type="primary",
                        disabled=options is None)
    if pressed and options is not None:
        if not changes:
            st.warning("No number differs from the model's: change one above first.")
        else:
            try:
                after = result.what_if(changes, time_limit=options.time_limit)
            except Nl2OptError as exc:
                st.error(f"{exc}")
            else:
                st.session_state["what_if"] = (tag, after)
    stored = st.session_state.get("what_if")
    if stored and stored[0] == tag:
        _comparison(result, stored[1])


def _what_if_limits(result: Result, spec: ModelSpec, bounds: dict[str, float], options: Options | None,
                    tag: int) -> None:
    """What-if for a model without parameters: the number each constraint compares against."""
    cons = {c.name: c for c in spec.constraints}
    changes: dict[str, float] = {}
    columns = st.columns(min(3, len(bounds)))
    for k, (name, now) in enumerate(bounds.items()):
        new = columns[k % len(columns)].number_input(
            name, value=float(now), key=f"wi_limit_{name}_{tag}", format="%g",
            help=present.constraint_text(spec, cons[name]))
        if new != now:
            changes[name] = float(new)
    pressed = st.button("Solve again with these numbers", key="solve_what_if", type="primary",
                        disabled=options is None)
    if pressed and options is not None:
        if not changes:
            st.warning("No number differs from the model's: change one above first.")
        else:
            after = nl2opt.solve_spec(editable.with_limits(spec, changes), backend=result.backend or options.backend,
                                      time_limit=options.time_limit)
            after.text = result.text  # the same problem: its words still give the money's unit
            st.session_state["what_if"] = (tag, after)
    stored = st.session_state.get("what_if")
    if stored and stored[0] == tag:
        _comparison(result, stored[1])


def _changed_cells(before: pd.DataFrame, after: pd.DataFrame, width: int) -> dict[str, float]:
    """Cells whose number the person changed, keyed 'member,member' as Result.values and what-if key them."""
    changed: dict[str, float] = {}
    if width == 2:
        for row in before.index:
            for col in before.columns:
                a, b = before.at[row, col], after.at[row, col]
                if pd.notna(b) and (pd.isna(a) or float(a) != float(b)):
                    changed[f"{row},{col}"] = float(b)
        return changed
    for key in before.index:
        a, b = before.at[key, "value"], after.at[key, "value"]
        if pd.notna(b) and float(a) != float(b):
            changed[",".join(map(str, key)) if isinstance(key, tuple) else str(key)] = float(b)
    return changed


def _comparison(before: Result, after: Result) -> None:
    """The what-if answer beside the answer it started from: objective, changed numbers, changed decisions."""
    change = nl2opt.compare(before, after)
    unit = present.units(before.spec, before.text) if before.spec else present.Units()
    st.subheader("Before and after")
    left, right = st.columns(2)
    left.metric("Before: objective", present.with_unit(before.objective, unit.objective) if before.objective
                is not None else "—", help="The answer above.")
    delta = None if change.objective_change is None else present.with_unit(change.objective_change, unit.objective)
    right.metric("After: objective", "—" if after.objective is None else present.with_unit(after.objective,
                 unit.objective), delta=delta, delta_color="off")
    if change.status_after is not change.status_before:
        right.error(f"With the new numbers the model is {change.status_after.value.replace('_', ' ')}.")
    numbers = [
        {"number": p.parameter + (f"[{p.index}]" if p.index else ""), "before": _fmt(p.before),
         "after": _fmt(p.after)} for p in change.parameters
    ]
    if before.spec is not None and after.spec is not None:  # numbers written into the constraints
        was = {c.name: c.expression for c in before.spec.constraints}
        numbers += [{"number": c.name, "before": was[c.name], "after": c.expression}
                    for c in after.spec.constraints if c.name in was and was[c.name] != c.expression]
    st.markdown("**Numbers changed**")
    st.table(pd.DataFrame(numbers, columns=["number", "before", "after"]).set_index("number"))
    if not change.decisions:
        st.success("The plan stays the same: no decision changes.")
        return
    st.markdown(f"**Decisions that changed** ({len(change.decisions)})")
    st.table(pd.DataFrame([
        {"decision": d.variable + (f"[{d.index}]" if d.index else ""),
         "before": present.with_unit(d.before, unit.of_variable(d.variable)) if d.before is not None else "—",
         "after": present.with_unit(d.after, unit.of_variable(d.variable)) if d.after is not None else "—"}
        for d in change.decisions[:MAX_WRAPPED_ROWS]
    ]).set_index("decision"))


# ----------------------------------------------------------------------------- model, log, downloads


def _model(result: Result, options: Options | None) -> None:
    if result.latex:
        st.latex(result.latex)
    if result.spec is None and result.draft is not None:
        unread = "".join("\n- " + u.replace("$", "\\$") for u in result.unread)
        st.info("The editor holds a draft of what the offline formulator understood. Finish it (add what "
                "these sentences say, check the rest) and press 'Solve edited model'; no LLM is needed."
                + (f"\n\nNot understood:{unread}" if unread else ""), icon="✏️")
    st.text_area("Edit the model (JSON) and solve it again; no LLM is used", key="spec_edit", height=420)
    if st.button("Solve edited model", type="primary", key="solve_edited", disabled=options is None) and options:
        solve_model(st.session_state.get("spec_edit") or "", options, source="edit")


def _data(result: Result, options: Options | None) -> None:
    """The tables the model read by reference, what each column feeds, and cells to edit and solve again."""
    if not result.tables:
        st.write("This model reads no data tables: its numbers are in the model itself.")
        return
    frames: dict[str, pd.DataFrame] = st.session_state.get("data") or {}
    uses = nl2opt.table_uses(result.spec) if result.spec is not None else {}
    version = st.session_state.get("data_version", 0)
    edited: dict[str, pd.DataFrame] = {}
    for info in result.tables:
        st.markdown(_md(f"{info.name}: {info.rows:,} rows, columns {', '.join(info.columns)}"))
        for column, parts in uses.get(info.name, {}).items():
            st.caption(_md(f"{column} → {', '.join(parts)}"))
        frame = frames.get(info.name)
        if frame is None:
            st.write("This table is not in the session any more; upload it again to edit it.")
            continue
        edited[info.name] = st.data_editor(frame, key=f"data_edit_{version}_{_table_name(info.name)}",
                                           num_rows="fixed", hide_index=True)
    label = "Solve again with the edited tables (no LLM)"
    if st.button(label, type="primary", key="solve_data", disabled=options is None or result.spec is None
                 or not edited) and options and result.spec is not None:
        st.session_state["data_version"] = version + 1
        solve_model(result.spec.to_json(), options, {**frames, **edited}, source="data")


def _repair_log(result: Result) -> None:
    if not result.attempts:
        st.write("Solved directly from the model JSON; no formulator was involved.")
        return
    st.caption(_md(f"Formulator: {result.formulator or '?'}; model: {result.model or '—'}; "
                   f"tokens: {result.usage.total_tokens}."))
    for a in result.attempts:
        objective = f", objective {_fmt(a.objective)}" if a.objective is not None else ""
        title = f"Attempt {a.number}: {a.status.value}{objective} ({_md(a.model or result.formulator)}, {a.seconds:.2f} s)"
        with st.expander(title, expanded=len(result.attempts) > 1):
            if a.diagnostics:
                _findings(a.diagnostics)
            else:
                st.write("No findings.")
            if a.feedback:
                st.caption("Feedback sent to the formulator for the next attempt:")
                st.code(a.feedback, language=None)


def _downloads(result: Result) -> None:
    spec = result.spec
    if spec is None:
        st.write("Nothing to download: no model was produced.")
        return
    files, problem = _export_files(result, spec)
    if problem:
        st.warning(_md(f"LP, MPS and the PuLP script are not available for this model: {problem}"))
    st.caption("The LP and MPS files open in any solver; the PuLP script rebuilds and solves the same model "
               "without nl2opt (`pip install pulp`).")
    for column, (label, data, name, mime, key) in zip(st.columns(len(files)), files):
        column.download_button(label, data, name, mime, key=key, icon=":material/download:", help=name,
                               width="stretch")


def _export_files(result: Result, spec: ModelSpec) -> tuple[list[tuple[str, str, str, str, str]], str]:
    """The download files of a result, built once per result (every widget change reruns the page)."""
    cached = st.session_state.get("exports")
    if cached and cached[0] is result:
        return cached[1], cached[2]
    stem = present.file_stem(spec)
    files = [("Model spec (JSON)", spec.to_json(), f"{stem}.json", "application/json", "dl_json")]
    problem = ""
    data = (st.session_state.get("data") or None) if result.tables else None
    try:
        files += [
            ("LP file", to_lp(spec, data=data), f"{stem}.lp", "text/plain", "dl_lp"),
            ("MPS file", to_mps(spec, data=data), f"{stem}.mps", "text/plain", "dl_mps"),
            ("PuLP script", to_python_script(spec, data=data), f"{stem}.py", "text/x-python", "dl_py"),
        ]
    except Exception as exc:  # an unexportable model still offers its JSON
        problem = _short(exc)
    if result.values:
        files.append(("Decisions (CSV)", values_csv(result), f"{stem}_decisions.csv", "text/csv", "dl_csv"))
    st.session_state["exports"] = (result, files, problem)
    return files, problem


# ----------------------------------------------------------------------------- page


def _load_problem() -> None:
    choice = st.session_state.get("example")
    if choice and choice != CHOOSE:
        st.session_state["problem"] = example_problems().get(choice, "")
        _clear_answer()  # another problem: the old answer does not belong to it


def _load_model() -> None:
    choice = st.session_state.get("model_example")
    if choice and choice != CHOOSE:
        st.session_state["spec_json"] = example_models().get(choice, "")
        _clear_answer()


def main() -> None:
    st.set_page_config(page_title="nl2opt", page_icon="🧮", layout="wide")
    if "pending_edit" in st.session_state:
        st.session_state["spec_edit"] = st.session_state.pop("pending_edit")
    st.title("nl2opt")
    st.caption("Describe a decision problem in plain words. nl2opt writes the optimisation model, solves it "
               "with a real solver, checks the answer and explains it.")
    options = sidebar()
    words, model_tab = st.tabs(["Problem in words", "Model (JSON)"])
    with words:
        problems = example_problems()
        st.selectbox("Example problems", [CHOOSE, *problems], key="example", on_change=_load_problem)
        text = st.text_area("Your problem", key="problem", height=180,
                            placeholder="A bakery makes bread and cakes. Each loaf of bread needs ...")
        uploads = st.file_uploader("Data tables (optional): CSV or Excel, one table per file or sheet",
                                   type=["csv", "xlsx"], accept_multiple_files=True, key="data_files")
        tables, problems_with_uploads = read_tables(list(uploads or []))
        for message in problems_with_uploads:
            st.error(_md(message))
        if tables:
            with st.expander(f"{len(tables)} table(s) passed to the formulator"):
                st.caption("The formulator sees each table's columns, row count, ranges and first rows; the "
                           "model reads every row by reference.")
                for name, df in tables.items():
                    st.markdown(f"`{name}`: {len(df):,} rows")
                    st.dataframe(df, height=min(400, 38 + 35 * len(df)))
        solve_words = st.button("Formulate and solve", type="primary", key="solve_text",
                                disabled=options is None)
        if options is not None and options.setup_problem and not solve_words:  # a submit shows it as the error
            st.warning(options.setup_problem, icon=":material/key:")
    with model_tab:
        models = example_models()
        if models:
            st.selectbox("Example models", [CHOOSE, *models], key="model_example", on_change=_load_model)
        spec_json = st.text_area("Model spec (JSON), solved directly without any LLM", key="spec_json",
                                 height=360, placeholder='{"name": "...", "variables": [...], ...}')
        solve_json = st.button("Solve this model", type="primary", key="solve_model", disabled=options is None)
    if options is not None and solve_words:
        solve_text(text or "", tables, options)
    if options is not None and solve_json:
        solve_model(spec_json or "", options, tables)
    result = st.session_state.get("result")
    if isinstance(result, Result):
        try:
            show_result(result, options)
        except Exception as exc:  # showing a result must not crash the page
            st.error(_md(f"The result could not be displayed ({type(exc).__name__}: {_short(exc)}). "
                         "Download the model JSON and solve it again."))


if __name__ == "__main__":
    main()
