"""`uat lint --against` on the twin: divergences between the profile and what the org describes become findings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.lint import Severity
from harness.lint.against import lint_against
from harness.profile import load_profile
from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials, twin_environment

from .test_rules import findings_for

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "fixtures" / "profiles" / "default.yaml"


@pytest.fixture
def sandboxes(twin):
    return connect(twin_credentials(twin.info()))


def against(profile_path: Path, sandboxes):
    profile = load_profile(profile_path)
    return lint_against(profile, sandboxes)


def test_healthy_contacts_and_companies_mappings_exist_in_the_org(sandboxes):
    findings = against(DEFAULT, sandboxes)
    assert [f for f in findings if f.rule.startswith("CONF") and f.severity is Severity.ERROR] == []
    assert not [f for f in findings if f.rule in {"DRIFT004", "DRIFT005", "DRIFT007"} and f.severity is Severity.ERROR]


def test_divergences_are_reported(sandboxes, tmp_path):
    def edit(d):
        d["lead_status"]["values"].append("Nurture")
        d["lifecycle"]["stages"].remove("other")
        d["lifecycle"]["retired"].append("other")
        d["lifecycle"]["timestamps"][0]["salesforce"] = "MQL_Stamp__c"
    findings_for(tmp_path, edit, edit_csv=lambda name, text: text.replace(
        "Phone Number,phone,phonenumber,Lead;Contact,Phone,Phone,phone", "Phone Number,phone,phonenumber,Lead;Contact,"
        "Phone,Phone_Number__c,phone").replace("MQL_Date__c,date", "MQL_Stamp__c,date"))
    findings = against(tmp_path / "profiles" / "broken.yaml", sandboxes)
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f.message)
    assert any(m.startswith("contacts: phone <-> Lead.Phone_Number__c") and "Lead has no field Phone_Number__c" in m
               for m in by_rule["CONF003"])
    assert any(m.startswith("contacts: phone <-> Lead.Phone_Number__c") for m in by_rule["CONF001"])
    assert any("'Nurture'" in m for m in by_rule["DRIFT005"])
    assert any("still offers retired stage(s) ['other']" in m for m in by_rule["DRIFT004"])
    assert any("Salesforce Lead has no MQL_Stamp__c" in m for m in by_rule["DRIFT007"])


def test_cli_against_the_twin(twin):
    env = {**os.environ, **twin_environment(twin.info())}
    completed = subprocess.run([sys.executable, "-m", "harness.cli", "lint", str(DEFAULT), "--against", "--json"],
                               capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    assert report["against"] == "the twin (org healthy)"
    assert not [f for f in report["findings"] if f["rule"].startswith("GOV") and f["severity"] == "error"]
