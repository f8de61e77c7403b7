"""The web form with hostile input: escaped Markdown, upload limits before parsing, one parse per upload.

Markdown on the page is rendered here with markdown-it (CommonMark) as the oracle: text
from a spec must never become an image or a link. Limits are lowered through their
environment variables so that small files stand for big ones.
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).parents[2]
APP = str(ROOT / "app.py")
BOMB = next(
    (
        p / "repro" / "hostile-input" / "bomb_200000x20.xlsx"
        for p in (ROOT.parent / "shared", ROOT.parents[1] / "shared")
        if p.exists()
    ),
    ROOT.parent / "shared" / "repro" / "hostile-input" / "bomb_200000x20.xlsx",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INJECTED: dict[str, Any] = {
    "name": "![logo](http://127.0.0.1:9/logo.png)",
    "sets": [{"name": "S", "elements": ["[click](http://127.0.0.1:9/s)", "www.example.com"]}],
    "variables": [
        {
            "name": "x",
            "index": ["S"],
            "upper": 1,
            "description": "![img](http://127.0.0.1:9/i.png) <img src=x> [a](javascript:alert(1)) # heading",
        }
    ],
    "objective": {
        "sense": "maximize",
        "expression": "sum(x[s] for s in S)",
        "description": "![o](http://127.0.0.1:9/o.png) profit",
    },
    "constraints": [
        {
            "name": "c",
            "expression": "sum(x[s] for s in S) <= 1.5",
            "description": "[c](http://127.0.0.1:9/c) limit",
        }
    ],
}
"""Optimum 1.5; every text field carries an image, a link or raw HTML."""


@pytest.fixture
def at() -> Iterator[AppTest]:
    main = sys.modules["__main__"]
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    yield app
    sys.modules["__main__"] = main  # AppTest leaves app.py installed as __main__


def _markdown_sources(app: AppTest) -> list[str]:
    found = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in app.get(kind)
    ]
    found += [e.label for e in app.expander]
    return [str(f) for f in found]


def _errors(app: AppTest) -> str:
    return " ".join(e.value for e in app.error)


def test_text_from_a_spec_renders_as_text_not_images_or_links(at: AppTest) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    at.text_area(key="spec_json").set_value(json.dumps(INJECTED))
    at.button(key="solve_model").click().run()
    assert not at.exception
    sources = _markdown_sources(at)
    page = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", " ".join(sources))
    assert "127.0.0.1" in page and "javascript" in page, "the hostile text is shown (escaped), not dropped"
    renderer = markdown_it.MarkdownIt("commonmark")
    for source in sources:
        html = renderer.render(source)
        assert "<img" not in html and "<a " not in html and "<h1" not in html, (source, html)
        bare_url = re.search(r"(?<!\\)://|www\.", source)
        assert not bare_url, f"GFM would autolink a bare URL: {source}"


def test_a_workbook_that_unzips_past_the_limit_is_refused_unparsed(
    at: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NL2OPT_UPLOAD_MAX_UNPACKED", "50000")
    buffer = io.BytesIO()
    pd.DataFrame({"a": range(3000), "b": range(3000)}).to_excel(buffer, index=False)
    calls: list[int] = []
    monkeypatch.setattr(pd, "read_excel", lambda *a, **k: calls.append(1) or {})
    at.run()
    at.file_uploader(key="data_files").set_value((f"{uuid.uuid4().hex}.xlsx", buffer.getvalue(), XLSX)).run()
    assert not at.exception
    assert "unpacks to" in _errors(at) and "NL2OPT\\_UPLOAD\\_MAX\\_UNPACKED" in _errors(at)
    assert not calls, "the workbook must be refused before it is parsed"


def test_the_shared_bomb_is_refused_quickly(at: AppTest) -> None:
    if not BOMB.exists():
        pytest.skip(f"{BOMB} is not here (the shared reproducers live beside the repository)")
    started = time.perf_counter()
    at.file_uploader(key="data_files").set_value(("bomb.xlsx", BOMB.read_bytes(), XLSX)).run()
    assert time.perf_counter() - started < 5, "read for 49 s before the limit"
    assert not at.exception and "unpacks to" in _errors(at)


def test_too_many_rows_or_bytes_are_refused(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NL2OPT_UPLOAD_MAX_ROWS", "10")
    monkeypatch.setenv("NL2OPT_UPLOAD_MAX_BYTES", "400")
    tag = uuid.uuid4().hex
    rows = lambda n: ("item,kg\n" + "".join(f"i{k},{k}\n" for k in range(n))).encode()  # noqa: E731
    at.run()
    at.file_uploader(key="data_files").set_value(
        [
            (f"ten_{tag}.csv", rows(10), "text/csv"),
            (f"eleven_{tag}.csv", rows(11), "text/csv"),
            (f"big_{tag}.csv", b"item,kg\n" + b"x,1\n" * 200, "text/csv"),
        ]
    ).run()
    assert not at.exception
    errors = _errors(at)
    assert "more than 10 rows" in errors and "eleven" in errors
    assert "more than the 400 allowed" in errors and "big" in errors
    assert "ten" not in errors.replace("eleven", "")
    assert any("1 table(s)" in e.label for e in at.expander)


def test_each_upload_is_parsed_once(at: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = pd.read_csv
    monkeypatch.setattr(pd, "read_csv", lambda *a, **k: calls.append(1) or real(*a, **k))
    content = f"item,kg\nflour,{uuid.uuid4().int % 1000}\n".encode()
    at.file_uploader(key="data_files").set_value(("stock.csv", content, "text/csv")).run()
    at.text_area(key="problem").set_value("Any words: a rerun of the page.").run()
    at.radio(key="formulator").set_value("rules").run()
    assert not at.exception
    assert len(calls) == 1
