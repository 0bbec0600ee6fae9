"""Every governance rule fires on a profile made to break it, and none fires at error level on the shipped one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harness.lint import Severity, lint_profile
from harness.profile import load_profile

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "fixtures" / "profiles" / "default.yaml"


def findings_for(tmp_path: Path, edit_profile: Callable[[dict], None] | None = None,
                 edit_csv: Callable[[str, str], str] | None = None):
    """Copy the shipped profile and its CSVs, apply the breakage, lint."""
    (tmp_path / "mappings").mkdir()
    (tmp_path / "profiles").mkdir()
    for csv_file in (ROOT / "fixtures" / "mappings").glob("*.csv"):
        text = csv_file.read_text(encoding="utf-8")
        (tmp_path / "mappings" / csv_file.name).write_text(edit_csv(csv_file.stem, text) if edit_csv else text)
    shutil.copytree(ROOT / "fixtures" / "seed", tmp_path / "seed")
    data = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    if edit_profile:
        edit_profile(data)
    path = tmp_path / "profiles" / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    profile = load_profile(path)
    return lint_profile(profile)


def fired(findings, rule: str, severity: Severity = Severity.ERROR) -> list:
    return [f for f in findings if f.rule == rule and f.severity is severity]


def sot(data: dict, obj: str, field: str | None) -> dict:
    return next(r for r in data["source_of_truth"] if r["object"] == obj and r.get("field") == field)


def test_the_shipped_profile_has_no_error_level_finding():
    profile = load_profile(DEFAULT)
    findings = lint_profile(profile)
    assert [f for f in findings if f.severity is Severity.ERROR] == []


def test_gov001_lifecycle_as_a_plain_two_way_field(tmp_path):
    findings = findings_for(tmp_path, lambda d: sot(d, "contacts", "lifecyclestage").update(direction="both"))
    assert "does not mark it governed" in fired(findings, "GOV001")[0].message


def test_gov001_lifecycle_always_use_salesforce_looks_stuck(tmp_path):
    findings = findings_for(tmp_path, edit_csv=lambda name, text: text.replace(
        "Lifecycle_Stage__c,picklist,Two-way", "Lifecycle_Stage__c,picklist,Always use Salesforce"))
    assert any("stuck" in f.message for f in fired(findings, "GOV001"))


def test_gov002_lead_status_mapped_to_lifecycle_stage(tmp_path):
    findings = findings_for(tmp_path, edit_csv=lambda name, text: text.replace(
        "hs_lead_status,select,Lead,Lead Status,Status,picklist", "hs_lead_status,select,Lead,Lifecycle Stage,"
        "Lifecycle_Stage__c,picklist").replace("Lifecycle Stage,lifecyclestage,radio,Lead;Contact,Lifecycle Stage,"
                                               "Lifecycle_Stage__c", "Lifecycle Stage,lifecyclestage,radio,Contact,"
                                               "Lifecycle Stage,Lifecycle_Stage__c"))
    found = fired(findings, "GOV002")
    assert found and "hs_lead_status is mapped to Lifecycle_Stage__c" in found[0].message
    assert found[0].where.endswith("contacts.csv:13")


def test_gov003_owner_owned_by_both_systems(tmp_path):
    findings = findings_for(tmp_path, lambda d: sot(d, "contacts", "hubspot_owner_id").update(
        system_of_record="both", direction="both"))
    assert any("owned by both systems" in f.message for f in fired(findings, "GOV003"))


def test_gov004_rule_contradicting_the_source_of_truth(tmp_path):
    findings = findings_for(tmp_path, edit_csv=lambda name, text: text.replace(
        "Amount,amount,number,Opportunity,Amount,Amount,currency,Always use Salesforce",
        "Amount,amount,number,Opportunity,Amount,Amount,currency,Two-way"))
    found = fired(findings, "GOV004")
    assert found and "deals.amount" in found[0].message and "from_salesforce" in found[0].message


def test_gov005_retired_stage_in_a_normalisation_table(tmp_path):
    def edit(d):
        d["normalisation"]["lifecycle_aliases"] = {"values": ["lead", "salesacceptedlead"], "variants": {"SAL": "salesacceptedlead"}}
    assert fired(findings_for(tmp_path, edit), "GOV005")


def test_gov005_retired_stage_timestamp_and_mapping(tmp_path):
    def edit(d):
        d["lifecycle"]["timestamps"].append({"stage": "salesacceptedlead", "hubspot": "hs_lifecyclestage_salesacceptedlead_date",
                                             "salesforce": "SAL_Date__c", "immutable": True})
    findings = findings_for(tmp_path, edit, edit_csv=lambda name, text: text + (
        "SAL date,hs_lifecyclestage_salesacceptedlead_date,date,Lead,SAL Date,SAL_Date__c,date,Prefer Salesforce unless blank\n"
        if name == "contacts" else ""))
    messages = " ".join(f.message for f in fired(findings, "GOV005"))
    assert "timestamps names retired stage" in messages and "mapping contacts.hs_lifecyclestage_salesacceptedlead_date" in messages


def test_gov006_mutable_timestamp(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["lifecycle"]["timestamps"][1].update(immutable=False))
    assert any("not immutable" in f.message for f in fired(findings, "GOV006"))


def test_gov006_missing_timestamp_and_two_way_timestamp(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["lifecycle"]["timestamps"].pop(1), edit_csv=lambda name, text:
                            text.replace("MQL_Date__c,date,Prefer Salesforce unless blank", "MQL_Date__c,date,Two-way"))
    messages = [f.message for f in fired(findings, "GOV006")]
    assert any("no timestamp field for salesqualifiedlead" in m for m in messages)
    assert any("re-stamps an immutable timestamp" in m for m in messages)


def test_gov007_variant_folding_into_an_unknown_value(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["normalisation"]["country"]["variants"].update({"Murica": "America"}))
    assert any("'Murica'" in f.message for f in fired(findings, "GOV007"))


def test_gov007_mapped_picklist_without_a_table(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["normalisation"].pop("industry"))
    assert any("companies.industry" in f.message for f in fired(findings, "GOV007"))


def test_gov008_no_owner_and_a_committee_owner(tmp_path):
    (tmp_path / "a").mkdir()
    assert fired(findings_for(tmp_path / "a", lambda d: d.pop("integration_owner")), "GOV008")
    (tmp_path / "b").mkdir()
    findings = findings_for(tmp_path / "b", lambda d: d["integration_owner"].update(name="RevOps team"))
    assert "not a named person" in fired(findings, "GOV008")[0].message


def test_gov009_no_reconciliation_thresholds(tmp_path):
    assert fired(findings_for(tmp_path, lambda d: d.pop("reconciliation")), "GOV009")


def test_gov009_synced_object_without_tolerance(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["reconciliation"]["objects"].pop("deals"))
    assert "deals is synced but has no reconciliation tolerance" in fired(findings, "GOV009")[0].message


def test_gov010_dedupe_keys_differ(tmp_path):
    findings = findings_for(tmp_path, lambda d: d["deduplication"]["salesforce"].update(Lead=["LastName", "Company"]))
    found = fired(findings, "GOV010")
    assert found and "one system merges what the other splits" in found[0].message


def test_gov011_and_gov012_are_warnings(tmp_path):
    def edit(d):
        d["source_of_truth"] = [r for r in d["source_of_truth"] if r["object"] != "deals"]
        d["stakeholders"] = [{"role": "Sales Ops", "name": "Marcus Lee"}]
    findings = findings_for(tmp_path, edit)
    assert fired(findings, "GOV011", Severity.WARNING) and fired(findings, "GOV012", Severity.WARNING)


def test_cli_table_json_and_exit_codes(tmp_path):
    def uat(*args):
        return subprocess.run([sys.executable, "-m", "harness.cli", "lint", *args], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
    clean = uat(str(DEFAULT), "--json")
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["counts"]["error"] == 0
    findings_for(tmp_path, lambda d: d.pop("reconciliation"))
    broken = uat(str(tmp_path / "profiles" / "broken.yaml"), "--json")
    assert broken.returncode == 1
    assert "GOV009" in {f["rule"] for f in json.loads(broken.stdout)["findings"]}
    table = uat(str(tmp_path / "profiles" / "broken.yaml"))
    assert table.returncode == 1 and "GOV009" in table.stdout and "error" in table.stdout
    missing = uat(str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


@pytest.mark.parametrize("rule", [f"GOV{n:03d}" for n in range(1, 13)])
def test_every_rule_is_documented(rule):
    assert f"`{rule}`" in (ROOT / "docs" / "profile.md").read_text(encoding="utf-8")
