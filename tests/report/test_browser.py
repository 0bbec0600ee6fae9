"""The two HTML reports in a real browser: headless Chromium (Debian's `chromium`) loads `signoff.html` and the
Allure report offline, and neither may throw a script error, log a console error or try the network.

`make test` installs nothing system-wide, so without a Chromium this skips and says why; CI installs one
(`.ci/run`). `UAT_SAVE_SCREENSHOTS=1` also saves the screenshots the README shows, into docs/img/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from report_runs import ROOT, Run

pytestmark = pytest.mark.slow
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    found = os.environ.get("UAT_CHROMIUM") or next((p for p in map(shutil.which, BROWSERS) if p), None)
    if not found:
        pytest.skip("no Chromium on this machine (Debian: `apt-get install chromium`; CI installs it)")
    if not shutil.which("node") or not (ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.skip("node or the npm package playwright-core is missing; run `make setup` (npm ci)")
    return found


def load(pages: list[dict], tmp_path) -> list[dict]:
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps(pages), encoding="utf-8")
    done = subprocess.run(["node", str(ROOT / "tests" / "report" / "browser_check.mjs"), chromium(),
                           str(tmp_path / "profile"), str(jobs)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def screenshot_path(tmp_path, name: str):
    if os.environ.get("UAT_SAVE_SCREENSHOTS"):
        (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
        return ROOT / "docs" / "img" / name
    return tmp_path / name


def assert_clean(page: dict) -> None:
    assert page["page_errors"] == [], page["page_errors"]
    assert page["console_errors"] == [], page["console_errors"]
    assert page["failed_requests"] == [], f"the page tried the network: {page['failed_requests']}"


def test_signoff_html_renders_cleanly_and_prints(mismatch_run: Run, tmp_path):
    shot = screenshot_path(tmp_path, "signoff.png")
    [page] = load([{"url": (mismatch_run.folder / "signoff.html").as_uri(), "screenshot": str(shot), "pdf": True}],
                  tmp_path)
    assert_clean(page)
    text = page["text"]
    assert "NO-GO" in text.split("Exit criteria")[0]  # the verdict is the first thing a reader sees
    for defect in mismatch_run.signoff["defects"]:
        assert defect["id"] in text and defect["category"] in text
    assert "Not signed yet: Marketing Ops, Sales Ops, Business owner." in text
    assert page["pdf_bytes"] > 20_000
    assert shot.stat().st_size > 10_000


def test_allure_report_renders_without_script_errors(mismatch_run: Run, tmp_path):
    shot = screenshot_path(tmp_path, "allure-report.png")
    name = mismatch_run.signoff["profile"]
    [page] = load([{"url": (mismatch_run.folder / "allure-report" / "index.html").as_uri(), "screenshot": str(shot),
                    "wait_for_text": name, "settle_ms": 1500}], tmp_path)
    assert_clean(page)
    assert page["found_text"], page["text"][:500]
    assert "Failed" in page["text"]
    assert shot.stat().st_size > 10_000
