"""The web form in a real browser: `streamlit run app.py`, driven by Playwright in Debian's chromium.

Playwright's own browser download does not work on these machines, so the test uses the
system chromium at /usr/bin/chromium (``apt-get install chromium``) and skips without it.
Screenshots of each step land in pytest's tmp_path; the test prints where (``pytest -s``).
"""

from __future__ import annotations

import json
import os
import re
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
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}  # "no key" must hold
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
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
def test_a_newcomer_walks_the_form(app_url: str, tmp_path: Path) -> None:
    """Example solved; input changed (old answer marked, then gone); model edited and re-solved (labelled);
    what-if side by side; the LLM chosen without a key explained on the page. One screenshot per step."""
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    shots = tmp_path / "screenshots"
    shots.mkdir()
    print(f"\nscreenshots of the browser walk: {shots}")
    answers = json.loads((ROOT / "examples" / "problems" / "answers.json").read_text(encoding="utf-8"))
    problem = (ROOT / "examples" / "problems" / "product_mix.txt").read_text(encoding="utf-8").strip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            page.set_default_timeout(30_000)
            metric = page.get_by_test_id("stMetric")

            def shot(name: str) -> None:
                page.wait_for_timeout(400)  # let charts and tables finish drawing
                page.screenshot(path=str(shots / name))

            def pick_example(name: str, starts: str) -> None:
                page.get_by_role("combobox", name="Example problems").click()
                page.get_by_role("option", name=name).click()
                expect(page.get_by_label("Your problem")).to_have_value(re.compile(f"^{re.escape(starts)}"))
                page.wait_for_timeout(600)  # let the rerun the choice started finish before the next click

            # 1. an example, solved offline
            page.goto(app_url)
            pick_example("Product mix", problem[:40])
            page.get_by_role("button", name="Formulate and solve").click()
            expect(metric.filter(has_text="Objective")).to_contain_text(f"${answers['product_mix.txt']['objective']}")
            expect(metric.filter(has_text="Status")).to_contain_text("Optimal")
            expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()
            shot("1_solved.png")

            # 2. the input changes: the answer is marked, and a new example removes it
            page.get_by_label("Your problem").fill("A farm grows wheat. Maximize profit.")
            page.get_by_label("Your problem").press("Tab")
            expect(page.get_by_text("This answer belongs to the earlier input")).to_be_visible()
            shot("2_input_changed.png")
            pick_example("Blending", "A feed company")
            expect(metric).to_have_count(0)
            expect(page.get_by_text("This answer belongs to the earlier input")).to_have_count(0)

            # 3. the model is edited and solved again: labelled, explained in the model's numbers
            pick_example("Product mix", problem[:40])
            page.get_by_role("button", name="Formulate and solve").click()
            expect(metric.filter(has_text="Objective")).to_contain_text("$164")
            page.get_by_role("tab", name="Model", exact=True).click()
            editor = page.get_by_label("Edit the model (JSON) and solve it again; no LLM is used")
            model = json.loads(editor.input_value())
            flour = next(c for c in model["constraints"] if "flour" in c["name"])
            flour["expression"] = flour["expression"].replace("100", "120")
            editor.fill(json.dumps(model, indent=2))
            editor.press("Tab")
            page.get_by_role("button", name="Solve edited model").click()
            expect(page.get_by_text("Answer from your edited model")).to_be_visible()
            expect(metric.filter(has_text="Objective")).to_contain_text("$180")  # by hand: 60 loaves
            page.get_by_role("tab", name="Answer", exact=True).click()
            answer = page.get_by_role("tabpanel", name="Answer")
            expect(answer.get_by_text("flour_capacity (2*bread + cake")).to_contain_text("at 120 kg")
            expect(answer.get_by_text("100 kg of flour")).to_have_count(0)
            shot("3_edited_model.png")

            # 4. what-if on a model with tables: one cell changed, the answers side by side
            page.get_by_role("tab", name="Model (JSON)").click()
            page.get_by_role("combobox", name="Example models").click()
            page.get_by_role("option", name="Transportation").click()
            expect(page.get_by_label("Model spec (JSON), solved directly without any LLM")).to_contain_text("haulage")
            page.get_by_role("button", name="Solve this model").click()
            expect(metric.filter(has_text="Objective")).to_contain_text("3,450 GBP")
            page.get_by_role("tab", name="What if").click()
            grid = page.locator('[class*="st-key-wi_haulage"]')
            expect(grid).to_be_visible()
            page.wait_for_timeout(800)  # the grid draws on a canvas after it is attached
            box = grid.bounding_box()
            assert box is not None
            # the pivot's row Leeds (first under the header), column London (second of four after the index)
            page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + 52)  # select the cell
            page.wait_for_timeout(300)
            page.keyboard.press("Enter")  # open its editor
            page.wait_for_timeout(300)
            page.keyboard.press("Control+a")
            page.keyboard.type("4")
            page.wait_for_timeout(200)
            page.keyboard.press("Enter")  # commit
            page.wait_for_timeout(500)
            page.get_by_role("button", name="Solve again with these numbers").click()
            expect(metric.filter(has_text="Before: objective")).to_contain_text("3,450 GBP")
            expect(metric.filter(has_text="After: objective")).to_contain_text("3,050 GBP")  # README's figure
            expect(page.get_by_text("haulage[Leeds,London]")).to_be_visible()
            page.get_by_text("Before and after").scroll_into_view_if_needed()
            shot("4_what_if.png")

            # 5. the LLM chosen with no key: the page says what to do
            page.get_by_text("LLM (OpenAI-compatible)").click()
            page.get_by_role("tab", name="Problem in words").click()
            expect(page.get_by_text("No LLM is configured yet").first).to_be_visible()
            page.get_by_role("button", name="Formulate and solve").click()
            expect(page.get_by_test_id("stAlertContentError").filter(has_text="Offline rules")).to_be_visible()
            shot("5_llm_without_key.png")
        except Exception:
            page.screenshot(path=str(shots / "failure.png"))  # what the page showed when a step failed
            raise
        finally:
            browser.close()
    pictures = sorted(shots.glob("*.png"))
    assert len(pictures) == 5 and all(p.stat().st_size > 10_000 for p in pictures)
