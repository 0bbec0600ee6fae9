"""The two gates: HubSpot's inclusion list and Salesforce's selective sync (what the integration user can see),
plus field-level security on what it may write."""

from __future__ import annotations

import pytest

from harness.twin import Twin
from harness.twin.connector.settings import SettingsError
from tests.twin.connector.conftest import Both

ALLOW_DUPLICATE = {"Sforce-Duplicate-Rule-Header": "allowSave=true"}


def with_inclusion_list(data):
    data["lists"].append({"id": "201", "name": "Salesforce inclusion list", "object": "contacts",
                          "processing": "DYNAMIC",
                          "filters": [[{"property": "email", "operator": "HAS_PROPERTY"},
                                       {"property": "lifecyclestage", "operator": "NEQ", "value": "subscriber"}]]})


def use_inclusion_list(data):
    data["objects"]["contacts"]["inclusion_list"] = "Salesforce inclusion list"


@pytest.fixture
def gated(org, start) -> Both:
    return start(org(connector=use_inclusion_list, hubspot=with_inclusion_list))


def test_contacts_outside_the_inclusion_list_do_not_sync(gated: Both):
    subscriber = gated.new_contact(email="sub@example.com", lastname="Sub", lifecyclestage="subscriber")
    member = gated.new_contact(email="member@example.com", lastname="Member", lifecyclestage="lead")
    stats = gated.sync()
    assert stats["created_in_salesforce"] == 1
    assert gated.lead_of(member)
    assert not gated.contact(subscriber, "salesforceleadid")["salesforceleadid"]


def test_joining_the_inclusion_list_triggers_the_sync(gated: Both):
    contact_id = gated.new_contact(email="joins@example.com", lastname="Joins", lifecyclestage="subscriber")
    gated.sync()
    gated.update_contact(contact_id, lifecyclestage="marketingqualifiedlead")
    gated.sync()
    lead = gated.sf.Lead.get(gated.lead_of(contact_id))
    assert lead["Lifecycle_Stage__c"] == "marketingqualifiedlead"


def test_a_salesforce_lead_outside_the_list_still_creates_its_contact_but_no_further_updates(gated: Both):
    lead_id = gated.sf.Lead.create({"LastName": "Outside", "Company": "X", "Email": "outside@example.com",
                                    "Lifecycle_Stage__c": "subscriber"})["id"]
    gated.sync()
    contact = gated.hs.crm.contacts.basic_api.get_by_id("outside@example.com", id_property="email",
                                                       properties=["lastname", "salesforceleadid"])
    assert contact.properties["lastname"] == "Outside" and contact.properties["salesforceleadid"] == lead_id
    gated.sf.Lead.update(lead_id, {"LastName": "Renamed"})
    gated.sync()
    assert gated.contact(contact.id, "lastname")["lastname"] == "Outside"  # waits until it qualifies
    gated.update_contact(contact.id, lifecyclestage="lead")
    gated.sync()
    assert gated.contact(contact.id, "lastname")["lastname"] == "Renamed"


def test_only_an_active_list_can_be_the_inclusion_list(org):
    def manual_list(data):
        data["objects"]["contacts"]["inclusion_list"] = "UAT - manual review"

    with pytest.raises(SettingsError, match="only an active \\(DYNAMIC\\) list"):
        Twin.start(org=str(org(connector=manual_list)))


def test_an_unknown_inclusion_list_names_the_setting_and_the_lists(org):
    def missing(data):
        data["objects"]["contacts"]["inclusion_list"] = "No such list"

    with pytest.raises(SettingsError, match="objects.contacts.inclusion_list: the portal has no contact list"):
        Twin.start(org=str(org(connector=missing)))


# -- selective sync --------------------------------------------------------------------------------------
def hide_apac(data):
    data["access"] = {"integration": {"records": {"Lead": "OwnerId != '@owner_apac'"}}}


def test_records_the_integration_user_cannot_see_do_not_sync(org, start):
    both = start(org(salesforce=hide_apac))
    apac = both.sf.query("SELECT Id FROM User WHERE Alias = 'atanaka'")["records"][0]["Id"]
    both.sf.Lead.create({"LastName": "Hidden", "Company": "X", "Email": "hidden@example.com", "OwnerId": apac})
    both.sf.Lead.create({"LastName": "Shown", "Company": "X", "Email": "shown@example.com"})
    stats = both.sync()
    assert stats["created_in_hubspot"] == 1
    emails = {c.properties["email"] for c in both.hs.crm.contacts.basic_api.get_page().results}
    assert emails == {"shown@example.com"}


def test_a_linked_record_hidden_later_stops_syncing(org, start):
    both = start(org(salesforce=hide_apac))
    contact_id = both.new_contact(email="moving@example.com", lastname="Moving")
    both.sync()
    lead_id = both.lead_of(contact_id)
    apac = both.sf.query("SELECT Id FROM User WHERE Alias = 'atanaka'")["records"][0]["Id"]
    both.sf.Lead.update(lead_id, {"OwnerId": apac})
    both.sync()
    both.update_contact(contact_id, firstname="Unseen")
    both.sync()
    assert both.sf.Lead.get(lead_id)["FirstName"] is None  # the connector can no longer see (or write) the Lead
    assert both.contact(contact_id, "salesforceleadid")["salesforceleadid"] == lead_id  # still linked, not deleted


def test_a_hidden_duplicate_makes_hubspot_create_a_lead_that_salesforce_refuses(org, start):
    both = start(org(salesforce=hide_apac))
    apac = both.sf.query("SELECT Id FROM User WHERE Alias = 'atanaka'")["records"][0]["Id"]
    both.sf.Lead.create({"LastName": "Twin", "Company": "X", "Email": "twin@example.com", "OwnerId": apac})
    both.new_contact(email="twin@example.com", lastname="Twin")
    both.sync()
    [error] = both.errors()
    assert (error["category"], error["code"]) == ("duplicates", "DUPLICATES_DETECTED")


def test_a_field_the_integration_user_cannot_edit_is_a_permissions_error(org, start):
    def read_only_title(data):
        data["access"] = {"integration": {"fields": {"Lead": {"Title": "read"}}}}

    both = start(org(salesforce=read_only_title))
    contact_id = both.new_contact(email="fls@example.com", lastname="Fls")
    both.sync()
    lead_id = both.lead_of(contact_id)
    both.update_contact(contact_id, jobtitle="Cannot land")
    both.sync()
    assert both.sf.Lead.get(lead_id)["Title"] is None
    assert {(e["category"], e["code"]) for e in both.errors()} == {("permissions", "INVALID_FIELD_FOR_INSERT_UPDATE")}
