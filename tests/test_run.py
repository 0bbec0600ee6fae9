"""`uat run` on the twin: the whole loop, and the run folder it leaves (a contract users rely on)."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_run_on_healthy_exits_0_with_go(healthy_run):
    completed, run_dir = healthy_run.completed, healthy_run.folder
    assert completed.returncode == 0, completed.stderr[-2000:]
    signoff = json.loads((run_dir / "signoff.json").read_text())
    assert signoff["verdict"] == "GO"
    assert signoff["totals"]["failed"] == 0 and signoff["totals"]["passed"] >= 2


def test_run_folder_holds_the_contracted_files(healthy_run):
    run_dir = healthy_run.folder
    for name in ("allure-results", "allure-report/index.html", "signoff.md", "signoff.json", "ledger.jsonl",
                 "seed-manifest.json"):
        assert (run_dir / name).exists(), name
    assert any((run_dir / "allure-results").glob("*-result.json"))
    assert "Verdict: GO" in (run_dir / "signoff.md").read_text()


def test_the_ledger_lists_what_the_run_created_and_cleanup_removed_it(healthy_run):
    run_dir = healthy_run.folder
    entries = [json.loads(line) for line in (run_dir / "ledger.jsonl").read_text().splitlines()]
    manifest = json.loads((run_dir / "seed-manifest.json").read_text())
    seeded = [e for e in entries if e["origin"] == "seed"]
    assert len(seeded) == sum(manifest["created"].values()) == manifest["records"]
    assert all(e["system"] in {"salesforce", "hubspot"} for e in entries)
    cleaned = {json.loads(line)["id"] for line in (run_dir / "cleanup.jsonl").read_text().splitlines()}
    assert {e["id"] for e in entries} <= cleaned
