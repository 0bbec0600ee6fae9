"""What triggers a sync and what does not: mapped changes, new records, unmapped properties, new mappings."""

from __future__ import annotations

from tests.twin.connector.conftest import Both


def test_an_unmapped_property_change_does_not_sync(both: Both):
    contact_id = both.new_contact(email="quiet@example.com", lastname="Quiet")
    both.sync()
    lead_id = both.lead_of(contact_id)
    before_lead = both.sf.Lead.get(lead_id)["LastModifiedDate"]
    before_sync = both.contact(contact_id, "salesforcelastsynctime")["salesforcelastsynctime"]
    both.update_contact(contact_id, lead_source_detail="Trade show")  # mapped as Don't sync
    stats = both.sync()
    assert stats["updated_in_salesforce"] == 0
    assert both.sf.Lead.get(lead_id)["LastModifiedDate"] == before_lead
    assert both.contact(contact_id, "salesforcelastsynctime")["salesforcelastsynctime"] == before_sync


def test_a_cycle_after_a_settled_sync_writes_nothing(both: Both):
    for n in range(5):
        both.new_contact(email=f"settled{n}@example.com", lastname=f"Settled {n}")
    both.sync(cycles=2)  # the second cycle sees the first one's own writes and finds nothing to do
    stats = both.sync()
    assert (stats["hubspot_changes"], stats["salesforce_changes"]) == (0, 0)
    assert stats["updated_in_salesforce"] == stats["updated_in_hubspot"] == 0


def test_a_new_mapping_does_not_backfill_existing_values(org, start):
    def without_title(data):
        data["mappings"]["contacts"] = [m for m in data["mappings"]["contacts"] if m["hubspot"] != "jobtitle"]

    both = start(org(connector=without_title))
    contact_id = both.new_contact(email="backfill@example.com", lastname="Backfill", jobtitle="Analyst")
    untouched_id = both.new_contact(email="untouched@example.com", lastname="Untouched", jobtitle="Chemist")
    both.sync()
    lead_id, untouched_lead = both.lead_of(contact_id), both.lead_of(untouched_id)
    assert both.sf.Lead.get(lead_id)["Title"] is None
    settings = both.control("GET", "/connector/settings")
    settings["mappings"]["contacts"].append({"hubspot": "jobtitle", "salesforce": "Title", "rule": "Two-way"})
    both.control("PATCH", "/connector/settings", {"mappings": settings["mappings"]})
    both.sync()
    assert both.sf.Lead.get(lead_id)["Title"] is None  # existing values do not retroactively sync
    both.update_contact(contact_id, firstname="Bea")  # the record syncs again for another reason
    both.sync()
    assert both.sf.Lead.get(lead_id)["Title"] == "Analyst"
    assert both.sf.Lead.get(untouched_lead)["Title"] is None
    both.control("POST", "/connector/resync", {"object": "contacts", "ids": [untouched_id]})  # a manual sync
    both.sync()
    assert both.sf.Lead.get(untouched_lead)["Title"] == "Chemist"


def test_a_new_mapping_can_wait_for_the_field_itself_to_change(org, start):
    def strict(data):
        data["mappings"]["contacts"] = [m for m in data["mappings"]["contacts"] if m["hubspot"] != "jobtitle"]
        data["switches"] = {"new_mapping_backfill": "never"}

    both = start(org(connector=strict))
    contact_id = both.new_contact(email="strict@example.com", lastname="Strict", jobtitle="Analyst")
    both.sync()
    settings = both.control("GET", "/connector/settings")
    settings["mappings"]["contacts"].append({"hubspot": "jobtitle", "salesforce": "Title", "rule": "Two-way"})
    both.control("PATCH", "/connector/settings", {"mappings": settings["mappings"]})
    both.update_contact(contact_id, firstname="Other")
    both.sync()
    lead_id = both.lead_of(contact_id)
    assert both.sf.Lead.get(lead_id)["Title"] is None
    both.update_contact(contact_id, jobtitle="Lead Analyst")
    both.sync()
    assert both.sf.Lead.get(lead_id)["Title"] == "Lead Analyst"


def test_a_bad_settings_change_is_refused_with_the_setting_named(both: Both):
    response = both.session.patch(both.twin.control_url + "/connector/settings",
                                  json={"mappings": {"contacts": [{"hubspot": "email", "salesforce": "Email",
                                                                   "rule": "Sometimes"}]}})
    assert response.status_code == 400
    assert "mappings.contacts[0].rule" in response.json()["message"]
    assert "'Sometimes' is not a sync rule" in response.json()["message"]


def test_a_formula_field_change_does_not_trigger_a_sync(org, start):
    def formula_field(data):
        data["objects"]["Contact"]["fields"]["Account_Name__c"] = {"type": "string", "formula": "Account.Name"}

    def map_formula(data):
        data["mappings"]["contacts"].append({"hubspot": "company", "salesforce": "Account_Name__c",
                                             "rule": "Always use Salesforce", "salesforce_objects": ["Contact"]})

    both = start(org(connector=map_formula, salesforce=formula_field))
    account = both.sf.Account.create({"Name": "Acme"})["id"]
    contact = both.sf.Contact.create({"LastName": "Formula", "Email": "formula@example.com", "AccountId": account})["id"]
    both.sync()
    hs_id = both.hs.crm.contacts.basic_api.get_by_id("formula@example.com", id_property="email").id
    assert both.contact(hs_id, "company")["company"] == "Acme"
    both.sf.Account.update(account, {"Name": "Acme Corporation"})  # changes the formula's value, not the Contact
    both.sync()
    assert both.contact(hs_id, "company")["company"] == "Acme"
    both.sf.Contact.update(contact, {"Title": "Buyer"})  # the next real trigger carries the formula's value along
    both.sync()
    assert both.contact(hs_id, "company")["company"] == "Acme Corporation"
