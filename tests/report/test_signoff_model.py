"""The sign-off report's judgement on hand-made runs: what a reader checks (verdict, criteria, defect log, owners,
risks, the sign-off table), without a twin. The end-to-end checks on real runs are in test_reports_from_runs.py."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from harness.profile import load_profile
from harness.report.publish import render_reports
from harness.signoff.decisions import new_decision, record_decision
from harness.signoff.health import percentile
from harness.signoff.integrity import content_sha256
from harness.signoff.record import RunEvidence, evaluate, load_signoff
from harness.signoff.results import ScenarioResult

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"


@pytest.fixture(scope="module")
def profile():
    """The shipped profile, with the exit criteria a go-live sign-off uses (reconciliation and audit required)."""
    loaded = load_profile(PROFILE)
    loaded.exit_criteria.require_reconciliation = True
    loaded.exit_criteria.require_clean_audit = True
    return loaded


def result(scenario: str, outcome: str = "passed", tags: list[str] | None = None, message: str | None = None,
           category: str | None = None, feature: str = "Contact sync", timings: list[float] | None = None):
    evidence = {"time_to_sync": [{"expectation": f"{scenario} synced", "seconds": s, "polls": 2, "ok": True}
                                 for s in timings or []]}
    return ScenarioResult(nodeid=f"steps/test_uat_suite.py::{scenario}", feature=feature, scenario=scenario,
                          outcome=outcome, duration=0.1, tags=tags or [], message=message, category=category,
                          evidence=evidence)


CLEAN_RECONCILIATION = [{"name": "contacts", "hubspot_count": 10, "salesforce_count": 10, "variance": 0,
                         "variance_pct": 0.0, "within_tolerance": True, "mismatched_pairs": 0, "unmatched_hubspot": 0,
                         "unmatched_salesforce": 0, "field_mismatches": {}, "totals": [], "clean": True}]


def measured(**overrides):
    base = {"reconciliation": CLEAN_RECONCILIATION, "audit": [], "lint": [],
            "sync_health": {"by_category": {"duplicates": {"errors": 0, "records": 0}}, "errors": []},
            "api_calls": {"salesforce": {"used": 40, "limit": 0, "retries": 0}},
            "seed_loss": {"planned": 10, "lost": 0, "examples": {}}}
    return RunEvidence(**{**base, **overrides})


def criterion(report, name):
    return next(c for c in report.criteria if c.name.startswith(name))


def test_a_clean_run_with_everything_measured_is_go(profile):
    report = evaluate("r1", profile, "the twin (org healthy)", [result("a"), result("b")], measured())
    assert report.verdict == "GO"
    assert all(c.met for c in report.criteria if c.blocking)
    assert report.defects == []


def test_one_failed_scenario_is_no_go_and_becomes_a_defect_with_its_owner(profile):
    failing = result("company reaches the Lead", "failed", ["object_contact", "object_lead", "field_company"],
                     "mapping mismatch: Salesforce Lead 00Q1 does not hold the HubSpot values\n{'values_changed': {}}",
                     "mapping_mismatch")
    report = evaluate("r2", profile, "twin", [result("a"), failing], measured())
    assert report.verdict == "NO-GO"
    assert criterion(report, "Failed scenarios").status == "NOT MET"
    [defect] = report.defects
    assert defect["category"] == "Mapping mismatch" and defect["severity"] == "normal"
    # contacts have no row for `company`: the object's owner answers (the shipped map: Marketing Ops).
    assert defect["owner"] == profile.ownership("contacts").functional_owner
    assert defect["summary"].startswith("mapping mismatch: Salesforce Lead 00Q1")


def test_a_field_row_of_the_source_of_truth_map_names_the_owner(profile):
    failing = result("lead status", "failed", ["object_contact", "field_hs_lead_status", "critical"],
                     "sync timeout: HubSpot contact 1 shows Lead.Status", "sync_timeout")
    report = evaluate("r3", profile, "twin", [failing], measured())
    assert report.defects[0]["owner"] == profile.ownership("contacts", "hs_lead_status").functional_owner
    assert report.defects[0]["severity"] == "critical"
    assert criterion(report, "Open blocker or critical defects").met is False


def test_defects_are_logged_worst_first(profile):
    results = [result("minor one", "failed", ["minor"], "picklists: x", "picklists"),
               result("blocker one", "failed", ["blocker"], "duplicates: y", "duplicates")]
    report = evaluate("r4", profile, "twin", results, measured())
    assert [d["scenario"] for d in report.defects] == ["blocker one", "minor one"]
    assert [d["id"] for d in report.defects] == ["D-001", "D-002"]


def test_required_reconciliation_not_measured_is_no_go_even_when_every_scenario_passes(profile):
    report = evaluate("r5", profile, "twin", [result("a")], measured(reconciliation=None))
    assert report.verdict == "NO-GO"
    c = criterion(report, "Reconciliation")
    assert (c.actual, c.status) == ("not measured", "NOT MET")


def test_reconciliation_outside_tolerance_is_no_go_and_named(profile):
    off = [{**CLEAN_RECONCILIATION[0], "name": "deals", "salesforce_count": 8, "variance": 2, "variance_pct": 20.0,
            "within_tolerance": False, "clean": False}]
    report = evaluate("r6", profile, "twin", [result("a")], measured(reconciliation=off))
    assert report.verdict == "NO-GO"
    assert "not clean: deals" in criterion(report, "Reconciliation").actual
    assert report.reconciliation["objects"][0]["variance_pct"] == 20.0


def test_run_level_reconciliation_report_orphans_count_but_noted_classes_do_not(profile):
    run_level = {"objects": CLEAN_RECONCILIATION, "orphans": {
        "by_class": {"never_synced": 0, "duplicate_of_synced": 2},
        "classes": {"never_synced": "never synced", "duplicate_of_synced": "duplicate"},
        "records": [{"kind": "duplicate_of_synced", "object": "Lead", "id": "00Q1", "detail": "same e-mail"}]}}
    report = evaluate("r7", profile, "twin", [result("a")], measured(reconciliation=run_level))
    assert report.verdict == "GO"
    noted = next(o for o in report.reconciliation["orphans"] if o["key"] == "duplicate_of_synced")
    assert noted["noted"] and noted["count"] == 2 and "00Q1" in noted["examples"][0]
    run_level["orphans"]["by_class"]["never_synced"] = 1
    assert evaluate("r8", profile, "twin", [result("a")], measured(reconciliation=run_level)).verdict == "NO-GO"


def test_error_level_audit_finding_fails_the_required_clean_audit(profile):
    finding = {"rule": "AUD001", "severity": "error", "automation": "Flow 'Recycle'", "message": "sets recycled",
               "fix": "deactivate it"}
    report = evaluate("r9", profile, "twin", [result("a")], measured(audit=[finding]))
    assert report.verdict == "NO-GO"
    assert report.audit[0]["id"] == "AUD001" and report.audit[0]["where"] == "Flow 'Recycle'"


def test_open_sync_errors_the_seed_did_not_plant_block_go(profile):
    health = {"by_category": {"duplicates": {"errors": 2, "records": 2}}, "errors": []}
    report = evaluate("r10", profile, "twin", [result("a")], measured(sync_health=health))
    c = criterion(report, "Open connector sync errors")
    assert (c.met, c.blocking, c.status) == (False, True, "NOT MET")
    assert report.verdict == "NO-GO"


def test_a_sync_error_threshold_in_the_profile_makes_the_criterion_blocking(profile):
    strict = profile.model_copy(deep=True)
    strict.exit_criteria.max_open_sync_errors = 1
    health = {"by_category": {"duplicates": {"errors": 2, "records": 2}}, "errors": []}
    report = evaluate("r10b", strict, "twin", [result("a")], measured(sync_health=health))
    c = criterion(report, "Open connector sync errors")
    assert (c.expected, c.met, c.blocking, c.status) == ("at most 1", False, True, "NOT MET")
    assert report.verdict == "NO-GO"


def test_an_error_level_lint_finding_blocks_go_only_when_the_profile_requires_a_clean_lint(profile):
    finding = {"rule": "GOV008", "severity": "error", "message": "no named integration owner", "fix": "name one",
               "where": "profile.yaml:1"}
    relaxed = profile.model_copy(deep=True)
    relaxed.exit_criteria.require_clean_lint = False
    assert evaluate("r10c", relaxed, "twin", [result("a")], measured(lint=[finding])).verdict == "GO"
    strict = profile.model_copy(deep=True)
    strict.exit_criteria.require_clean_lint = True
    report = evaluate("r10d", strict, "twin", [result("a")], measured(lint=[finding]))
    assert criterion(report, "Governance lint").status == "NOT MET" and report.verdict == "NO-GO"


def test_time_to_sync_median_p95_and_max(profile):
    results = [result("a", timings=[1.0, 2.0, 3.0, 4.0]), result("b", timings=[10.0])]
    timing = evaluate("r11", profile, "twin", results, measured()).time_to_sync
    assert (timing["median"], timing["p95"], timing["max"]) == (3.0, 10.0, 10.0)
    assert percentile(list(range(1, 101)), 0.95) == 95


def test_every_twin_run_carries_the_residual_risk_of_not_being_the_sandboxes(profile):
    report = evaluate("r12", profile, "twin", [result("a")], measured())
    assert any("twin" in r["risk"] for r in report.risks)


def test_decisions_fill_the_sign_off_table_latest_per_role_and_show_who_has_not_signed(profile, tmp_path):
    report = evaluate("r13", profile, "twin", [result("a")], measured())
    digest = content_sha256(asdict(report))
    record_decision(tmp_path, new_decision("Sales Ops", "Marcus Lee", "reject", "waiting for the fix", "GO", digest))
    record_decision(tmp_path, new_decision("sales ops", "Marcus Lee", "approve", None, "GO", digest))
    rendered = render_reports(tmp_path, report)
    table = {s["role"]: s for s in rendered.stakeholders}
    assert table["Sales Ops"]["decision"] == "approved"
    assert set(rendered.unsigned_roles) == {s.role for s in profile.stakeholders} - {"Sales Ops"}
    assert len(rendered.decisions) == 2  # the trail keeps the changed mind
    reloaded = load_signoff(tmp_path)
    assert reloaded.verdict == "GO" and reloaded.criteria[0].name == "Scenarios executed"
    markdown = (tmp_path / "signoff.md").read_text()
    assert "Not signed yet:" in markdown and "Marketing Ops" in markdown.split("Not signed yet:")[1]


def test_html_stands_alone_without_scripts_or_network(profile, tmp_path):
    results = [result("a", timings=[0.5, 1.5]),
               result("b", "failed", ["critical"], "sync timeout: x <b>did not</b> hold", "sync_timeout")]
    render_reports(tmp_path, evaluate("r14", profile, "twin", results, measured()))
    html = (tmp_path / "signoff.html").read_text()
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["']https?://""", html)
    assert html.count("<svg") == 3  # results per feature, variance per object, time-to-sync distribution
    assert "&lt;b&gt;did not&lt;/b&gt;" in html  # evidence is escaped, never injected
    assert 'data-verdict="NO-GO"' in html
    data = json.loads((tmp_path / "signoff.json").read_text())
    assert data["defects"][0]["category"] == "Sync timeout"


def test_a_decision_on_other_report_content_is_stale_and_does_not_count_as_signed(profile, tmp_path):
    report = evaluate("r15", profile, "twin", [result("a")], measured())
    record_decision(tmp_path, new_decision("Sales Ops", "Marcus Lee", "approve", None, "GO", "0" * 64))
    rendered = render_reports(tmp_path, report)
    row = next(s for s in rendered.stakeholders if s["role"] == "Sales Ops")
    assert row["decision"] == "approved" and row["stale"] is True
    assert "Sales Ops" in rendered.unsigned_roles and rendered.signoff["stale"] == ["Sales Ops"]
    assert not rendered.signoff["complete"]
    html = (tmp_path / "signoff.html").read_text()
    assert 'data-stale="true"' in html and rendered.content_sha256 in html
    assert rendered.content_sha256 in (tmp_path / "signoff.md").read_text()


def test_the_content_hash_ignores_decisions_and_follows_the_content(profile, tmp_path):
    report = evaluate("r16", profile, "twin", [result("a")], measured())
    first = render_reports(tmp_path, report).content_sha256
    record_decision(tmp_path, new_decision("Sales Ops", "Marcus Lee", "approve", None, "GO", first))
    assert render_reports(tmp_path, load_signoff(tmp_path)).content_sha256 == first
    data = json.loads((tmp_path / "signoff.json").read_text())
    assert data["content_sha256"] == first == content_sha256(data)
    data["totals"]["failed"] = 1
    assert content_sha256(data) != first
