"""The trend page in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core through
tests/report/browser_check.mjs) loads reports/monitor/trend.html offline; no script error, no console error, no
network, and each chart is drawn with the figures of the history it was built from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from monitor_support import ROOT, error_contacts

from harness.monitor.result import Cadence
from harness.monitor.run import run_monitor
from harness.profile import load_profile
from harness.sandboxes import connect
from harness.sandboxes.readonly import connect_read_only
from harness.sandboxes.twin_target import twin_credentials

pytestmark = pytest.mark.slow
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# What a reader sees: each chart's title and legend (SVG text), and the lines it drew.
CHARTS = """() => [...document.querySelectorAll('figure')].map((figure) => ({
  caption: figure.querySelector('figcaption').textContent,
  legend: [...figure.querySelectorAll('svg .legend text, svg .legends text')].map((t) => t.textContent),
  lines: figure.querySelectorAll('svg path.line').length,
  drawn: figure.querySelector('svg') !== null,
  width: figure.querySelector('svg') ? figure.querySelector('svg').getBoundingClientRect().width : 0}))"""


def chromium() -> str:
    found = os.environ.get("UAT_CHROMIUM") or next((p for p in map(shutil.which, BROWSERS) if p), None)
    if not found:
        pytest.skip("no Chromium on this machine (Debian: `apt-get install chromium`; CI installs it)")
    if not shutil.which("node") or not (ROOT / "node_modules" / "playwright-core").is_dir():
        pytest.skip("node or the npm package playwright-core is missing; run `make setup` (npm ci)")
    return found


@pytest.fixture(scope="module")
def trend(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history of every cadence on drifted: two daily runs with errors growing between them, a weekly and a
    quarterly run."""
    from harness.twin import Twin

    reports = tmp_path_factory.mktemp("monitor")
    profile = load_profile(ROOT / "fixtures" / "profiles" / "default.yaml")
    with Twin.start(org="drifted") as twin:
        writable = connect(twin_credentials(twin.info()))
        read_only, _line = connect_read_only(twin_credentials(twin.info()))
        error_contacts(writable, 0, 2)
        twin.sync_now()
        run_monitor(Cadence.DAILY, profile, read_only, reports)
        error_contacts(writable, 2, 2)
        twin.sync_now()
        run_monitor(Cadence.DAILY, profile, read_only, reports)
        run_monitor(Cadence.WEEKLY, profile, read_only, reports)
        output = run_monitor(Cadence.QUARTERLY, profile, read_only, reports)
    return output.trend


def test_the_trend_page_renders_its_charts_in_a_real_browser(trend: Path, tmp_path: Path):
    shot = tmp_path / "trend.png"
    jobs = tmp_path / "jobs.json"
    jobs.write_text(json.dumps([{"url": trend.as_uri(), "screenshot": str(shot), "full_page": True,
                                 "evaluate": CHARTS}]), encoding="utf-8")
    done = subprocess.run(["node", str(ROOT / "tests" / "report" / "browser_check.mjs"), chromium(),
                           str(tmp_path / "profile"), str(jobs)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    [page] = json.loads(done.stdout.strip().splitlines()[-1])
    assert page["page_errors"] == [] and page["console_errors"] == [], (page["page_errors"], page["console_errors"])
    assert page["failed_requests"] == [], f"the page tried the network: {page['failed_requests']}"
    charts = {c["caption"]: c for c in page["evaluated"]}
    assert set(charts) == {"Sync health: errors by category", "Sync health: API usage",
                           "Reconciliation: counts variance", "Audit: findings"}
    assert all(c["drawn"] and c["width"] > 300 for c in charts.values()), charts
    assert "Picklists" in charts["Sync health: errors by category"]["legend"]
    assert {"salesforce", "hubspot", "connector"} <= set(charts["Sync health: API usage"]["legend"])
    assert charts["Sync health: errors by category"]["lines"] >= 1
    assert "conformance: clauses differing" in charts["Audit: findings"]["legend"]
    text = page["text"]
    assert "Picklists: 2 more open errors" in text  # the latest daily run's alert, as a reader sees it
    assert "Remediation list" in text and "Lead_Mark_Sales_Accepted" in text
    assert shot.stat().st_size > 20_000
