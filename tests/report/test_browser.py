"""The two HTML reports in a real browser: headless Chromium (Debian's `chromium`) loads `signoff.html` and the
Allure report offline, and neither may throw a script error, log a console error or try the network.

`make test` installs nothing system-wide, so without a Chromium this skips and says why; CI installs one
(`.ci/run`). `UAT_SAVE_SCREENSHOTS=1` also saves the screenshots the README shows, into docs/img/.
"""

from __future__ import annotations

import json
import os
import re
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


# What a reader sees of the defect log and its evidence, read in the page itself (folded <details> included).
EVIDENCE = """() => {
  // textContent includes what <details> folds; a space after each cell keeps "4", "21" and "1.0" from reading "4211.0"
  const page = document.body.cloneNode(true);
  page.querySelectorAll('td, th').forEach((cell) => cell.append(' '));
  const text = page.textContent;
  const tables = [...document.querySelectorAll('#defect-log table.evidence')].map((table) => ({
    columns: table.querySelectorAll(':scope > thead > tr > th').length,
    rows: [...table.querySelectorAll(':scope > tbody > tr')].map((row) => row.querySelectorAll('td').length)}));
  return {text, tables, folded: document.querySelectorAll('#defect-log details').length};
}"""


def test_signoff_html_renders_cleanly_and_prints(drifted_run: Run, tmp_path):
    shot = screenshot_path(tmp_path, "signoff.png")
    [page] = load([{"url": (drifted_run.folder / "signoff.html").as_uri(), "screenshot": str(shot), "pdf": True,
                    "evaluate": EVIDENCE}], tmp_path)
    assert_clean(page)
    text = page["text"]
    assert "NO-GO" in text.split("Exit criteria")[0]  # the verdict is the first thing a reader sees
    for defect in drifted_run.signoff["defects"]:
        assert defect["id"] in text and defect["category"] in text
    assert "Not signed yet: Marketing Ops, Sales Ops, Business owner." in text
    assert page["pdf_bytes"] > 20_000
    assert shot.stat().st_size > 10_000


# The phase table as a reader sees it: each row's cells as text.
PHASES = """() => [...document.querySelectorAll('#phase-table tbody tr')].map(
  (row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent.trim()))"""


def test_the_go_page_renders_cleanly(healthy_run: Run, tmp_path):
    shot = screenshot_path(tmp_path, "signoff-go.png")
    [page] = load([{"url": (healthy_run.folder / "signoff.html").as_uri(), "screenshot": str(shot),
                    "evaluate": PHASES}], tmp_path)
    assert_clean(page)
    # Where the run's time went: its phases in the order they ran, each with its seconds and API calls, and a total
    # that is the sum of the rows.
    rows = page["evaluated"]
    names = [row[0] for row in rows]
    assert names[:2] == ["preflight", "seed"] and names[-2:] == ["cleanup", "total"], names
    assert "reconciliation" in names and any(name.startswith("feature: ") for name in names), names
    assert all(len(row) == len(rows[0]) for row in rows)
    seconds = {row[0]: float(row[1]) for row in rows}
    assert abs(sum(v for k, v in seconds.items() if k != "total") - seconds["total"]) <= 0.1 * len(rows)
    calls = {row[0]: int(row[3]) + int(row[4]) for row in rows}
    assert calls["seed"] > 0 and calls["reconciliation"] > 0 and calls["cleanup"] > 0
    assert calls["total"] == sum(v for k, v in calls.items() if k != "total")
    banner = page["text"].split("Exit criteria")[0]
    if healthy_run.signoff["verdict"] == "GO":
        assert "Every blocking exit criterion is met." in banner
    assert "every exit criterion is met" not in banner.lower().replace("every blocking exit", "")
    assert shot.stat().st_size > 10_000


def test_the_evidence_in_the_page_has_no_class_path_no_float_id_and_no_row_cut(drifted_run: Run, tmp_path):
    [page] = load([{"url": (drifted_run.folder / "signoff.html").as_uri(), "evaluate": EVIDENCE}], tmp_path)
    seen = page["evaluated"]
    whole = seen["text"]
    assert not re.search(r"\b(?:[a-z_]+\.){2,}[A-Z]\w+:", whole), "a Python class path is shown"
    assert not re.search(r"\b\d{5,}\.0\b", whole), "a whole number is shown as a float"
    assert "{'" not in whole and "displayOrder" not in whole, "a Python repr or an option dump is shown"
    assert seen["tables"], "the defect evidence carries no table"
    for table in seen["tables"]:
        assert all(cells == table["columns"] for cells in table["rows"]), table
    assert seen["folded"] > 0  # long evidence is folded, not cut
    assert "(country: Japan)" in whole  # the outline row that failed is named by its example


def test_allure_report_renders_without_script_errors(drifted_run: Run, tmp_path):
    shot = screenshot_path(tmp_path, "allure-report.png")
    name = drifted_run.signoff["profile"]
    [page] = load([{"url": (drifted_run.folder / "allure-report" / "index.html").as_uri(), "screenshot": str(shot),
                    "wait_for_text": name, "settle_ms": 1500}], tmp_path)
    assert_clean(page)
    assert page["found_text"], page["text"][:500]
    assert "Failed" in page["text"]
    assert shot.stat().st_size > 10_000


# The root causes as a reader sees them: where the section sits, and what each visible row says.
CAUSES = """() => {
  const section = document.querySelector('#causes');
  const criteria = document.querySelector('#criteria');
  const rows = [...document.querySelectorAll('#cause-table tr.cause')].map((row) => ({
    text: row.innerText, visible: row.getBoundingClientRect().height > 0,
    names: row.dataset.names ? row.dataset.names.split('|') : []}));
  return {before_criteria: !!section && !!criteria
            && !!(section.compareDocumentPosition(criteria) & Node.DOCUMENT_POSITION_FOLLOWING),
          top: section ? section.getBoundingClientRect().top : null, rows,
          evidence: document.querySelectorAll('#causes tr.cause-evidence details').length};
}"""


def test_the_root_causes_show_above_the_exit_criteria(drifted_run: Run, tmp_path):
    [page] = load([{"url": (drifted_run.folder / "signoff.html").as_uri(), "evaluate": CAUSES}], tmp_path)
    assert_clean(page)
    seen = page["evaluated"]
    causes = drifted_run.signoff["causes"]
    assert causes and seen["before_criteria"], seen
    assert len(seen["rows"]) == len(causes) and all(row["visible"] for row in seen["rows"])
    assert seen["evidence"] == len(causes)  # each cause's scenarios and Sync Health errors, folded beneath it
    for row, cause in zip(seen["rows"], causes, strict=True):
        assert row["names"] == cause["names"]
        for part in (cause["id"], cause["owner"], cause["change_at"][0].split(" > ")[0]):
            assert part in row["text"], (part, row["text"])


def test_allure_lists_a_category_per_root_cause(drifted_run: Run, tmp_path):
    [page] = load([{"url": (drifted_run.folder / "allure-report" / "index.html").as_uri() + "#categories",
                    "wait_for_text": "Root cause C1", "settle_ms": 1500}], tmp_path)
    assert_clean(page)
    assert page["found_text"], page["text"][:500]
    for cause in drifted_run.signoff["causes"]:
        assert f"Root cause {cause['id']}: {cause['item']}" in page["text"], (cause["id"], page["text"][:1500])
