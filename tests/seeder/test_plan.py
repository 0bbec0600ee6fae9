"""The plan: deterministic, reserved e-mail domains tagged with the run, and every kind of record UAT needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.errors import UserError
from harness.seeder import load_recipe, plan_from_recipe
from harness.seeder.plan import RESERVED_DOMAINS

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "fixtures" / "seed" / "representative.yaml"


@pytest.fixture(scope="module")
def recipe():
    return load_recipe(RECIPE)


def test_same_recipe_seed_and_scale_give_the_same_records(recipe):
    first, second = plan_from_recipe(recipe, 7, 1.0, "uatabc"), plan_from_recipe(recipe, 7, 1.0, "uatabc")
    assert [(r.key, r.data, r.refs) for r in first.records] == [(r.key, r.data, r.refs) for r in second.records]
    assert first.fingerprint() == plan_from_recipe(recipe, 7, 1.0, "uatxyz").fingerprint()  # the tag aside
    assert first.fingerprint() != plan_from_recipe(recipe, 8, 1.0, "uatabc").fingerprint()


def test_scale_multiplies_counts(recipe):
    single, double = plan_from_recipe(recipe, 1, 1.0, "t1").counts(), plan_from_recipe(recipe, 1, 2.0, "t1").counts()
    assert double["salesforce.Account"] == 2 * single["salesforce.Account"]
    assert double["hubspot.contacts"] == 2 * single["hubspot.contacts"]


def test_every_address_is_reserved_and_tagged(recipe):
    plan = plan_from_recipe(recipe, 3, 1.0, "uatq1w2e3r")
    addresses = [r.data.get("Email") or r.data.get("email") for r in plan.records]
    addresses = [a.strip().lower() for a in addresses if a]
    assert len(addresses) > 60
    assert all(a.rsplit("@", 1)[1] in RESERVED_DOMAINS for a in addresses)
    assert all("+uatq1w2e3r@" in a for a in addresses)
    websites = [r.data["Website"] for r in plan.records if "Website" in r.data]
    assert websites and all(w.endswith(".uatq1w2e3r.example.com") for w in websites)


def test_the_plan_describes_a_representative_sandbox(recipe):
    plan = plan_from_recipe(recipe, 20261128, 1.0, "uat1")
    traits = plan.traits()
    for trait in ("born_in_hubspot", "born_in_salesforce", "contact_without_account", "duplicate_same_email",
                  "duplicate_case_variant", "duplicate_across_systems", "non_ascii", "over_long", "picklist_variant"):
        assert traits.get(trait), trait
    records = plan.records
    stages = {r.data.get("lifecyclestage") or r.data.get("Lifecycle_Stage__c") for r in records} - {None}
    assert {"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"} <= stages
    opportunities = [r for r in records if r.object == "Opportunity"]
    assert {r.data["StageName"] for r in opportunities} >= {"Prospecting", "Closed Won", "Closed Lost"}
    assert all(r.data["Amount"] > 0 and r.data["CloseDate"] and r.refs["AccountId"] for r in opportunities)
    roles = [r for r in records if r.object == "OpportunityContactRole"]
    assert roles and all({"OpportunityId", "ContactId"} <= set(r.refs) for r in roles)
    assert {r.object for r in records if r.system == "hubspot"} >= {"contacts", "tickets", "notes", "calls", "tasks"}
    assert {r.object for r in records if r.system == "salesforce"} >= {"Account", "Contact", "Lead", "Case", "Task"}
    regions = {r.refs.get("OwnerId") for r in records if r.object == "Account"}
    assert regions == {"owner:NA", "owner:EMEA", "owner:APAC"}
    long_titles = [r.data["jobtitle"] for r in records if "over_long" in r.traits]
    assert all(len(t) == 300 for t in long_titles)
    assert any(any(ord(c) > 127 for c in r.data.get("firstname", "") + r.data.get("LastName", "")) for r in records
               if "non_ascii" in r.traits)


def test_stamps_follow_the_funnel(recipe):
    for record in plan_from_recipe(recipe, 5, 1.0, "t").records:
        if "SQL_Date__c" in record.data:
            assert record.data["MQL_Date__c"] <= record.data["SQL_Date__c"]


def test_a_bad_recipe_names_the_file_and_line(tmp_path):
    bad = tmp_path / "recipe.yaml"
    bad.write_text(RECIPE.read_text(encoding="utf-8").replace("  per_account: 1\n", "  per_acount: 1\n"))
    with pytest.raises(UserError) as error:
        load_recipe(bad)
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "per_acount" in text)
    assert str(error.value).startswith(f"{bad}:{line}: accounts.cases.per_acount: unknown setting")
    completed = subprocess.run([sys.executable, "-m", "harness.cli", "seed", "--plan", "--recipe", str(bad)],
                               capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert completed.returncode == 2 and "Traceback" not in completed.stderr and str(bad) in completed.stderr


def test_the_plan_alone_writes_nothing():
    """`uat seed --plan` prints the planned counts; no run folder appears (nothing is seeded, nothing to clean)."""
    reports = ROOT / "reports"
    before = {p.name for p in reports.iterdir()} if reports.exists() else set()
    completed = subprocess.run([sys.executable, "-m", "harness.cli", "seed", "--plan"], capture_output=True, text=True,
                               timeout=60, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr
    assert '"records"' in completed.stdout
    after = {p.name for p in reports.iterdir()} if reports.exists() else set()
    assert after == before
