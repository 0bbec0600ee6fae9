"""Field-level security governs what the connector reads as well as what it writes: a mapped field hidden from the
integration user does not sync either way and Sync Health shows a Permissions error naming it; a read-only field
still reaches HubSpot, and HubSpot's writes to it are refused under the same category."""

from __future__ import annotations

import pytest

from tests.twin.connector.conftest import Both


def _access(fields: dict[str, dict[str, str]]):
    def patch(data):
        data["access"] = {"integration": {"fields": fields}}
    return patch


def _by_email(both: Both, email: str, properties: list[str]):
    """The contact a Salesforce Lead made, read by id (its e-mail), never by search (HubSpot's index lags)."""
    contact = both.hs.crm.contacts.basic_api.get_by_id(email, id_property="email", properties=properties)
    assert contact.properties["salesforceleadid"], f"{email} is not linked to a Lead"
    return contact


@pytest.fixture
def hidden_title(org, start) -> Both:
    return start(org(salesforce=_access({"Lead": {"Title": "none"}})))


def test_a_hidden_field_does_not_sync_from_salesforce_and_sync_health_names_it(hidden_title: Both):
    both = hidden_title
    lead_id = both.sf.Lead.create({"LastName": "Hidden", "Company": "Acme", "Email": "hidden@example.com",
                                   "FirstName": "Hana", "Title": "Head of Secrets"})["id"]
    both.sync()
    contact = _by_email(both, "hidden@example.com", ["jobtitle", "firstname", "salesforceleadid"])
    assert contact.properties["salesforceleadid"] == lead_id
    assert contact.properties["firstname"] == "Hana"  # the rest of the record syncs
    assert not contact.properties.get("jobtitle")
    [error] = both.errors("permissions")
    assert error["code"] == "FIELD_PERMISSIONS_MISSING" and "Lead.Title" in error["message"]
    assert error["salesforce_id"] == lead_id

    both.sf.Lead.update(lead_id, {"Title": "Chief of Secrets", "FirstName": "Hanna"})
    both.sync()
    after = both.contact(contact.id, "jobtitle", "firstname")
    assert after["firstname"] == "Hanna" and not after.get("jobtitle")


def test_a_hidden_field_is_not_sent_to_salesforce_and_the_record_still_syncs(hidden_title: Both):
    both = hidden_title
    contact_id = both.new_contact(email="sent@example.com", lastname="Sent", jobtitle="Never lands")
    both.sync()
    lead_id = both.lead_of(contact_id)  # created: the connector does not send what it cannot see
    assert both.sf.Lead.get(lead_id)["Title"] is None
    both.update_contact(contact_id, jobtitle="Still never", firstname="Sam")
    both.sync()
    lead = both.sf.Lead.get(lead_id)
    assert lead["Title"] is None and lead["FirstName"] == "Sam"
    assert {(e["category"], e["code"]) for e in both.errors()} == {("permissions", "FIELD_PERMISSIONS_MISSING")}


def test_a_read_only_field_reaches_hubspot_and_hubspots_writes_to_it_are_permissions_errors(org, start):
    both = start(org(salesforce=_access({"Lead": {"Title": "read"}})))
    lead_id = both.sf.Lead.create({"LastName": "Reader", "Company": "Acme", "Email": "reader@example.com",
                                   "Title": "Readable"})["id"]
    both.sync()
    contact = _by_email(both, "reader@example.com", ["jobtitle", "salesforceleadid"])
    assert contact.properties["salesforceleadid"] == lead_id and contact.properties["jobtitle"] == "Readable"
    assert both.errors() == []
    both.update_contact(contact.id, jobtitle="Cannot land")
    both.sync()
    assert both.sf.Lead.get(lead_id)["Title"] == "Readable"  # Salesforce refused the write
    [error] = both.errors()
    assert (error["category"], error["code"]) == ("permissions", "INVALID_FIELD_FOR_INSERT_UPDATE")
    assert "Title" in error["message"]


def test_with_full_access_the_same_edits_sync_cleanly(both: Both):
    lead_id = both.sf.Lead.create({"LastName": "Open", "Company": "Acme", "Email": "open@example.com",
                                   "Title": "Visible"})["id"]
    both.sync()
    contact = _by_email(both, "open@example.com", ["jobtitle", "salesforceleadid"])
    assert contact.properties["salesforceleadid"] == lead_id and contact.properties["jobtitle"] == "Visible"
    assert both.errors() == []
