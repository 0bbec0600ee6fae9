"""Lead conversion (SOAP convertLead) and merges on either side, as the connector follows them."""

from __future__ import annotations

from tests.twin.connector.conftest import Both, convert_lead, merge

ALLOW_DUPLICATE = {"Sforce-Duplicate-Rule-Header": "allowSave=true"}


def converted(both: Both, **contact: str):
    contact_id = both.new_contact(email="convert@example.com", lastname="Convert", company="Convertco", **contact)
    both.sync()
    lead_id = both.lead_of(contact_id)
    result = convert_lead(both, lead_id)
    both.sync()
    return contact_id, lead_id, result


def test_after_conversion_the_contact_follows_the_converted_contact(both: Both):
    contact_id, lead_id, result = converted(both)
    linked = both.contact(contact_id, "salesforcecontactid", "salesforceleadid", "salesforceaccountid")
    assert linked["salesforcecontactid"] == result["contactId"]
    assert linked["salesforceleadid"] == lead_id  # switch lead_conversion_keeps_lead_id (default true)
    assert linked["salesforceaccountid"] == result["accountId"]
    both.update_contact(contact_id, jobtitle="Customer champion")
    both.sync()
    assert both.sf.Contact.get(result["contactId"])["Title"] == "Customer champion"
    assert both.sf.Lead.get(lead_id)["Title"] is None  # the converted Lead is left alone
    assert both.errors() == []


def test_conversion_brings_the_account_as_company_and_the_opportunity_as_deal(both: Both):
    contact_id, _, result = converted(both)
    both.sync()
    company = both.hs.crm.associations.v4.basic_api.get_page("contacts", contact_id, "companies").results
    account_company = both.hs.crm.companies.basic_api.get_by_id(str(company[0].to_object_id),
                                                                properties=["salesforceaccountid", "name"])
    assert account_company.properties["salesforceaccountid"] == result["accountId"]
    deals = both.hs.crm.deals.basic_api.get_page(properties=["hs_salesforceopportunityid"]).results
    assert [d.properties["hs_salesforceopportunityid"] for d in deals] == [result["opportunityId"]]
    # the converted contact is the opportunity's contact role: it became an opportunity
    assert both.contact(contact_id, "lifecyclestage")["lifecyclestage"] == "opportunity"


def test_the_lead_id_can_be_cleared_on_conversion(org, start):
    def clear(data):
        data["switches"] = {"lead_conversion_keeps_lead_id": False}

    both = start(org(connector=clear))
    contact_id, _, result = converted(both)
    linked = both.contact(contact_id, "salesforcecontactid", "salesforceleadid")
    assert (linked["salesforcecontactid"], linked["salesforceleadid"]) == (result["contactId"], None)


def synced_loser_and_master(both: Both, loser_email: str, master_email: str) -> tuple[str, str, str]:
    """A HubSpot contact synced to its Lead (the merge's loser) and a second, synced Lead (the master):
    (the loser's contact id, the loser Lead id, the master Lead id)."""
    contact_id = both.new_contact(email=loser_email, lastname="Loser")
    both.sync()
    loser = both.lead_of(contact_id)
    master = both.sf.Lead.create({"LastName": "Master", "Company": "M", "Email": master_email},
                                 headers=ALLOW_DUPLICATE)["id"]
    both.sync()
    return contact_id, loser, master


def test_a_salesforce_merge_relinks_the_contact_to_the_master(both: Both):
    contact_id, loser, master = synced_loser_and_master(both, "loser@example.com", "master@example.com")
    master_contact = both.hs.crm.contacts.basic_api.get_by_id("master@example.com", id_property="email").id
    merge(both, "Lead", master, loser)
    both.sync()
    # The master already syncs with its own contact: the loser's contact is left unlinked, marked, never merged.
    assert both.lead_of(master_contact) == master
    orphan = both.contact(contact_id, "salesforceleadid", "salesforcedeleted")
    assert orphan["salesforcedeleted"] == "true"


def test_a_merge_into_an_unsynced_master_relinks_the_contact(both: Both):
    contact_id = both.new_contact(email="keep@example.com", lastname="Keep")
    both.sync()
    loser = both.lead_of(contact_id)
    both.control("POST", "/pause")
    master = both.sf.Lead.create({"LastName": "Keep", "Company": "K", "FirstName": "Master", "Email": "keep2@example.com"},
                                 headers=ALLOW_DUPLICATE)["id"]
    merge(both, "Lead", master, loser)
    both.control("POST", "/resume")
    both.sync()
    assert both.lead_of(contact_id) == master


def test_the_merge_can_orphan_the_contact_instead(org, start):
    def orphan(data):
        data["switches"] = {"salesforce_merge": "orphan"}

    both = start(org(connector=orphan))
    contact_id = both.new_contact(email="orphan@example.com", lastname="Orphan")
    both.sync()
    loser = both.lead_of(contact_id)
    both.control("POST", "/pause")
    master = both.sf.Lead.create({"LastName": "Other", "Company": "O", "Email": "other@example.com"})["id"]
    merge(both, "Lead", master, loser)
    both.control("POST", "/resume")
    both.sync()
    kept = both.contact(contact_id, "salesforcedeleted")
    assert kept["salesforcedeleted"] == "true"


def test_after_a_hubspot_contact_merge_only_the_primary_keeps_syncing(both: Both):
    primary = both.new_contact(email="primary@example.com", lastname="Primary")
    secondary = both.new_contact(email="secondary@example.com", lastname="Secondary")
    both.sync()
    primary_lead, secondary_lead = both.lead_of(primary), both.lead_of(secondary)
    merged = both.hs.crm.contacts.basic_api.merge({"primaryObjectId": primary, "objectIdToMerge": secondary})
    both.sync()
    assert both.lead_of(merged.id) == primary_lead
    both.sf.Lead.update(secondary_lead, {"FirstName": "Ignored"})
    both.sf.Lead.update(primary_lead, {"FirstName": "Followed"})
    both.sync()
    assert both.contact(merged.id, "firstname")["firstname"] == "Followed"
    assert both.hs.crm.contacts.basic_api.get_page().results[0].id == merged.id  # no contact came back
    assert len(both.hs.crm.contacts.basic_api.get_page().results) == 1


def test_a_contact_left_marked_by_a_merge_waits_for_a_real_change_before_it_syncs_again(both: Both):
    contact_id, loser, master = synced_loser_and_master(both, "marked@example.com", "master2@example.com")
    merge(both, "Lead", master, loser)
    for _ in range(4):  # the connector's own mark is not a trigger: no second Lead, however many cycles run
        both.sync()
    assert both.contact(contact_id, "salesforcedeleted")["salesforcedeleted"] == "true"
    assert both.sf.query("SELECT Id FROM Lead WHERE Email = 'marked@example.com'")["totalSize"] == 0
    both.hs.crm.contacts.basic_api.update(contact_id, {"properties": {"jobtitle": "Back in play"}})
    both.sync()
    assert both.sf.query("SELECT Id FROM Lead WHERE Email = 'marked@example.com'")["totalSize"] == 1
