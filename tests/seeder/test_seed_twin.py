"""Seeding the twin: every record in the ledger, a rerun creates nothing, an interrupted seed resumes without
duplicates, and cleanup deletes exactly the ledger's records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.run.cleanup import cleanup_run
from harness.run.ledger import Ledger
from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials
from harness.seeder import load_recipe, plan_from_recipe, seed_sandboxes, write_manifest
from harness.seeder.journal import SeedJournal

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "fixtures" / "seed" / "representative.yaml"
TAG = "uatseedtest"


@pytest.fixture
def sandboxes(twin):
    return connect(twin_credentials(twin.info()))


@pytest.fixture
def plan():
    return plan_from_recipe(load_recipe(RECIPE), 11, 0.5, TAG)


def leads_on_salesforce(sandboxes) -> list[dict]:
    return sandboxes.salesforce.query_all(f"SELECT Id, Email FROM Lead WHERE Email LIKE '%+{TAG}@%'")


def test_seed_ledgers_every_record_and_a_rerun_creates_nothing(sandboxes, plan, tmp_path):
    ledger = Ledger(tmp_path / "ledger.jsonl", "run-1")
    first = seed_sandboxes(plan, sandboxes, ledger)
    entries = ledger.entries()
    assert len(entries) == len(first.created) > 50
    assert len({e.key for e in entries}) == len(entries)  # one ledger line per planned record
    leads = [e for e in entries if e.object == "Lead"]
    assert {r["Id"] for r in leads_on_salesforce(sandboxes)} == {e.id for e in leads}
    contacts = [e.id for e in entries if e.system == "hubspot" and e.object == "contacts"]
    assert len(sandboxes.hubspot.read_many("contacts", contacts, ["email"])) == len(contacts)
    manifest = write_manifest(tmp_path / "seed-manifest.json", load_recipe(RECIPE), plan, first, sandboxes)
    assert manifest["counts"] == plan.counts() and manifest["recipe_sha256"] and manifest["seed"] == 11
    assert json.loads((tmp_path / "seed-manifest.json").read_text())["created"]["salesforce.Lead"] == len(leads)
    # Objects this org lacks are planned, skipped and said so, never a crash.
    assert all("planned, not seeded" in reason for reason in manifest["skipped"].values())

    again = seed_sandboxes(plan, sandboxes, ledger)
    assert len(ledger.entries()) == len(entries)
    assert again.resumed == len(entries) and len(leads_on_salesforce(sandboxes)) == len(leads)


def test_an_interrupted_seed_resumes_without_duplicates(sandboxes, plan, tmp_path):
    ledger = Ledger(tmp_path / "ledger.jsonl", "run-2")

    class Interrupted(Exception):
        pass

    def stop_during_leads(name: str, done: int, total: int) -> None:
        if name == "salesforce.Lead" and done > 0:
            raise Interrupted

    with pytest.raises(Interrupted):
        seed_sandboxes(plan, sandboxes, ledger, progress=stop_during_leads)
    # The worst moment: the last batch was created but its answer never reached the ledger.
    lines = (tmp_path / "ledger.jsonl").read_text().splitlines()
    lost = [json.loads(line) for line in lines if json.loads(line)["object"] == "Lead"]
    assert lost, "the interruption came after the first Lead batch"
    kept = [line for line in lines if json.loads(line)["object"] != "Lead"]
    (tmp_path / "ledger.jsonl").write_text("".join(line + "\n" for line in kept))

    resumed = seed_sandboxes(plan, sandboxes, ledger)
    assert resumed.adopted == len(lost)
    # Every planned Lead is there once, but those the org refuses by design (a country variant meets Salesforce's
    # restricted country picklist in the healthy org).
    refused_keys = set(resumed.refused) | set(SeedJournal(tmp_path / "seed-journal.jsonl").state()[1])
    refused = sum(1 for key in refused_keys if key.startswith("sf.Lead."))
    planned_leads = plan.counts()["salesforce.Lead"] - refused
    on_salesforce = leads_on_salesforce(sandboxes)
    assert len(on_salesforce) == planned_leads  # nothing created twice
    ledger_leads = {e.id for e in ledger.entries() if e.object == "Lead"}
    assert ledger_leads == {r["Id"] for r in on_salesforce}
    assert SeedJournal(tmp_path / "seed-journal.jsonl").state()[0] >= {e.key for e in ledger.entries()}


def test_cleanup_deletes_the_ledger_and_nothing_else(sandboxes, plan, tmp_path):
    outsider_lead = sandboxes.salesforce.create("Lead", {"LastName": "Outsider", "Company": "Not Ours",
                                                        "Email": "outsider@example.org"})
    outsider_contact = sandboxes.hubspot.create("contacts", {"email": "outsider@example.net", "firstname": "Out"})
    ledger = Ledger(tmp_path / "ledger.jsonl", "run-3")
    seed_sandboxes(plan, sandboxes, ledger)
    result = cleanup_run(sandboxes, ledger, tmp_path / "cleanup.jsonl")
    assert not result.failed
    assert leads_on_salesforce(sandboxes) == []
    seeded_contacts = [e.id for e in ledger.entries() if e.system == "hubspot" and e.object == "contacts"]
    assert sandboxes.hubspot.read_many("contacts", seeded_contacts, ["email"]) == {}
    assert sandboxes.salesforce.get("Lead", outsider_lead)["LastName"] == "Outsider"
    assert sandboxes.hubspot.get("contacts", outsider_contact, ["email"]).properties["email"] == "outsider@example.net"


def test_spelling_variants_are_folded_only_where_a_restricted_picklist_would_refuse_them(sandboxes, tmp_path):
    """With the profile's normalisation every planned record lands (variants written canonical where the field
    is a restricted picklist or a HubSpot dropdown, so no account loses its children); without it the same
    variants are refused by the platforms, as they would be in a sandbox."""
    from harness.profile import load_profile

    normalisation = load_profile(ROOT / "fixtures" / "profiles" / "default.yaml").normalisation
    recipe = load_recipe(RECIPE)
    folded_plan = plan_from_recipe(recipe, 11, 1.0, "uatfold1")
    folded = seed_sandboxes(folded_plan, sandboxes, Ledger(tmp_path / "a.jsonl", "run-a"),
                            normalisation=normalisation)
    assert folded.refused == {}
    assert len(folded.created) == len(folded_plan.records)
    assert folded.folded.get("salesforce.Account.BillingCountry", 0) > 0 and folded.folded.get("hubspot.contacts.country", 0) > 0
    accounts = sandboxes.salesforce.query_all("SELECT BillingCountry FROM Account WHERE Name != null")
    assert {a["BillingCountry"] for a in accounts} <= set(normalisation["country"].values) | {None}

    raw_plan = plan_from_recipe(recipe, 11, 1.0, "uatfold2")
    raw = seed_sandboxes(raw_plan, sandboxes, Ledger(tmp_path / "b.jsonl", "run-b"))
    assert raw.folded == {}
    refused_by_picklists = [why for why in raw.refused.values() if "restricted picklist" in why or "allowed options" in why]
    assert refused_by_picklists
