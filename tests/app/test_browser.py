"""The web form in a real browser: `streamlit run app.py`, driven by Playwright in Debian's chromium.

Playwright's own browser download does not work on these machines, so the test uses the
system chromium at /usr/bin/chromium (``apt-get install chromium``) and skips without it.
The screenshot lands in artifacts/browser/solve.png for a person to look at.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "artifacts" / "browser" / "solve.png"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium); Playwright's browser download does not work here"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"streamlit did not answer within {timeout} s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """The app served by a real `streamlit run` on a free loopback port, stopped afterwards."""
    port = _free_port()
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.mark.skipif(
    not (ROOT / "nl2opt" / "formulators" / "rules").exists(), reason="the offline rules formulator is missing"
)
def test_pick_example_solve_offline_and_see_the_objective(app_url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    answers = json.loads((ROOT / "examples" / "problems" / "answers.json").read_text(encoding="utf-8"))
    objective = f"{answers['product_mix.txt']['objective']:,}"
    problem = (ROOT / "examples" / "problems" / "product_mix.txt").read_text(encoding="utf-8").strip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.set_default_timeout(30_000)
            page.goto(app_url)
            page.get_by_role("combobox", name="Example problems").click()
            page.get_by_role("option", name="Product mix").click()
            sync_api.expect(page.get_by_label("Your problem")).to_have_value(problem)
            page.get_by_role("button", name="Formulate and solve").click()
            metric = page.get_by_test_id("stMetric").filter(has_text="Objective")
            sync_api.expect(metric).to_contain_text(objective)
            sync_api.expect(page.get_by_test_id("stMetric").filter(has_text="Status")).to_contain_text("Optimal")
            sync_api.expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()
            sync_api.expect(page.get_by_test_id("data-grid-canvas").first).to_be_visible()
            page.wait_for_timeout(500)  # let the chart and tables finish drawing before the picture
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))  # the page scrolls inside its own container
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
