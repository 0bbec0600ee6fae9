"""A create whose answer is lost (the connection reset after the platform served it) is not made twice.

The twin drops half the connections *after* serving the request, so every second create succeeds unheard; the
harness must look the record up before sending it again. Both platforms, through the real clients.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials

LOSE_HALF = {"share": 0.5, "when": "after", "seed": 3}


@pytest.fixture
def sandboxes(twin):
    return connect(twin_credentials(twin.info()))


def test_salesforce_creates_survive_lost_answers_without_duplicates(twin, sandboxes):
    state = sandboxes.control.faults("salesforce", {"connection_resets": LOSE_HALF})
    assert state["connection_resets"]["share"] == 0.5
    ids = [sandboxes.salesforce.create("Lead", {"LastName": f"Lost{i}", "Company": "Lost Answers Ltd",
                                                 "Email": f"lost.{i}@example.com"}) for i in range(12)]
    injected = sandboxes.control.faults("salesforce")["connection_resets"]["injected"]["after"]
    sandboxes.control.faults("salesforce", {"clear": True, "connection_resets": {}})
    emails = Counter(r["Email"] for r in twin.snapshot()["salesforce"]["Lead"] if not r["IsDeleted"])
    assert injected >= 3, "the fault did not fire: the test would prove nothing"
    assert len(set(ids)) == 12
    assert all(emails[f"lost.{i}@example.com"] == 1 for i in range(12)), emails


def test_hubspot_creates_survive_lost_answers_without_duplicates(twin, sandboxes):
    sandboxes.control.faults("hubspot", {"connection_resets": LOSE_HALF})
    contacts = [sandboxes.hubspot.create("contacts", {"email": f"lost.{i}@example.com", "firstname": "Lost"})
                for i in range(10)]
    companies = [sandboxes.hubspot.create("companies", {"name": f"Lost Answers {i} Ltd"}) for i in range(4)]
    injected = sandboxes.control.faults("hubspot")["connection_resets"]["injected"]["after"]
    sandboxes.control.faults("hubspot", {"connection_resets": {}})
    rows = [r for r in twin.snapshot()["hubspot"] if not r["archived"]]
    emails = Counter(json.loads(r["properties"]).get("email") for r in rows if r["object_type"] == "contacts")
    names = Counter(json.loads(r["properties"]).get("name") for r in rows if r["object_type"] == "companies")
    assert injected >= 3
    assert len(set(contacts)) == 10 and len(set(companies)) == 4
    assert all(emails[f"lost.{i}@example.com"] == 1 for i in range(10)), emails
    assert all(names[f"Lost Answers {i} Ltd"] == 1 for i in range(4)), names


def test_an_adopted_record_is_never_one_already_in_the_ledger(twin, sandboxes):
    """Two records may share an e-mail on purpose (the duplicates scenarios): the lookup after a lost answer
    must not adopt the first one when creating the second."""
    first = sandboxes.salesforce.create("Lead", {"LastName": "Twin", "Company": "Dup Ltd", "Email": "dup@example.com"})
    sandboxes.control.faults("salesforce", {"connection_resets": {"share": 1.0, "when": "before", "count": 1}})
    second = sandboxes.salesforce.create("Lead", {"LastName": "Twin", "Company": "Dup Ltd", "Email": "dup@example.com"},
                                         headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"},
                                         taken=lambda: {first})
    assert second != first


def test_a_salesforce_merge_and_conversion_whose_answers_are_lost_happen_once(twin, sandboxes):
    from harness.sandboxes.soap import SoapClient

    soap = SoapClient(sandboxes.salesforce)
    master = sandboxes.salesforce.create("Lead", {"LastName": "Keep", "Company": "Merge Ltd", "Email": "keep@example.com"})
    loser = sandboxes.salesforce.create("Lead", {"LastName": "Lose", "Company": "Merge Ltd", "Email": "lose@example.com"})
    convert = sandboxes.salesforce.create("Lead", {"LastName": "Convert", "Company": "Convert Ltd",
                                                   "Email": "convert@example.com"})
    lose_next_soap_answer = {"connection_resets": {"share": 1.0, "when": "after", "count": 1, "paths": ["/services/Soap"]}}
    sandboxes.control.faults("salesforce", lose_next_soap_answer)
    merged = soap.merge("Lead", master, [loser])
    sandboxes.control.faults("salesforce", lose_next_soap_answer)
    status = sandboxes.salesforce.query_all("SELECT ApiName FROM LeadStatus WHERE IsConverted = true LIMIT 1")[0]["ApiName"]
    converted = soap.convert_lead(convert, status)
    injected = sandboxes.control.faults("salesforce")["connection_resets"]["injected"]["after"]
    assert injected == 1  # (the counter restarts with each configure: the second loss)
    assert merged.master_id[:15] == master[:15] and [i[:15] for i in merged.merged_ids] == [loser[:15]]
    contacts = [r for r in twin.snapshot()["salesforce"]["Contact"] if r["Email"] == "convert@example.com"]
    assert len(contacts) == 1 and converted.contact_id == contacts[0]["Id"]


def test_a_hubspot_merge_whose_answer_is_lost_happens_once(twin, sandboxes):
    primary = sandboxes.hubspot.create("contacts", {"email": "primary@example.com"})
    other = sandboxes.hubspot.create("contacts", {"email": "other@example.com"})
    sandboxes.control.faults("hubspot", {"connection_resets": {"share": 1.0, "when": "after", "count": 1,
                                                               "paths": ["/crm/v3/objects/contacts/merge"]}})
    survivor = sandboxes.hubspot.merge("contacts", primary, other)
    assert sandboxes.control.faults("hubspot")["connection_resets"]["injected"]["after"] == 1
    live = [r for r in twin.snapshot()["hubspot"] if r["object_type"] == "contacts" and not r["archived"]
            and r["merged_into"] is None]
    assert [str(r["id"]) for r in live] == [survivor]
