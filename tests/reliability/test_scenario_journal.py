"""A run killed after the platform created a scenario's record but before the ledger heard of it: the intent
written before the create lets cleanup find the record and remove it, and nothing else."""

from __future__ import annotations

from harness.run.cleanup import cleanup_run
from harness.run.ledger import Ledger, intend
from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials


def test_cleanup_finds_scenario_creates_the_ledger_never_heard_of(twin, tmp_path):
    sandboxes = connect(twin_credentials(twin.info()))
    before_leads = {r["Id"] for r in twin.snapshot()["salesforce"]["Lead"] if not r["IsDeleted"]}
    ledger = Ledger(tmp_path / "ledger.jsonl", "run")
    recorded = {"LastName": "Recorded", "Company": "Journal Ltd", "Email": "recorded@example.com"}
    key = intend(tmp_path, "salesforce", "Lead", recorded)
    ledger.record("salesforce", "Lead", sandboxes.salesforce.create("Lead", recorded), "scenario", key=key)
    # the kill: both creates reached the platforms, neither reached the ledger
    lost_lead = {"LastName": "Lost", "Company": "Journal Ltd", "Email": "lost.lead@example.com"}
    intend(tmp_path, "salesforce", "Lead", lost_lead)
    sandboxes.salesforce.create("Lead", lost_lead)
    lost_contact = {"email": "lost.contact@example.com", "firstname": "Lost"}
    intend(tmp_path, "hubspot", "contacts", lost_contact)
    sandboxes.hubspot.create("contacts", lost_contact)
    # an intent whose create never happened (refused, or killed before sending) finds nothing
    intend(tmp_path, "salesforce", "Lead", {"LastName": "Never", "Company": "Journal Ltd", "Email": "never@example.com"})
    # someone else's record with a lost record's e-mail, made before the run: not the run's to delete
    twin_lead = sandboxes.salesforce.create("Lead", {"LastName": "Other", "Company": "Else",
                                                     "Email": "someone.else@example.com"})

    result = cleanup_run(sandboxes, ledger, tmp_path / "cleanup.jsonl")

    assert result.failed == []
    assert {(e.object, e.origin) for e in ledger.entries() if e.key} == {("Lead", "scenario"), ("contacts", "scenario")}
    live = twin.snapshot()
    leads = {r["Id"] for r in live["salesforce"]["Lead"] if not r["IsDeleted"]}
    contacts = [r for r in live["hubspot"] if r["object_type"] == "contacts" and not r["archived"]]
    assert leads - before_leads == {twin_lead}
    assert contacts == []
