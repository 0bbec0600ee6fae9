"""Contacts ⇄ Leads/Contacts: creation, the e-mail rule, identity of the connector's writes, deletes."""

from __future__ import annotations

from tests.twin.connector.conftest import Both

# Healthy alerts on duplicate Lead e-mails; a user who means it saves anyway (the duplicate-rule header).
ALLOW_DUPLICATE = {"Sforce-Duplicate-Rule-Header": "allowSave=true"}


def test_a_new_contact_creates_one_lead_with_the_mapped_values_written_as_the_integration_user(both: Both):
    contact_id = both.new_contact(email="ada@example.com", firstname="Ada", lastname="Lovelace", company="Analytical",
                                  jobtitle="Engineer", lead_source_detail="Webinar")
    stats = both.sync()
    assert stats["created_in_salesforce"] == 1
    lead = both.sf.Lead.get(both.lead_of(contact_id))
    assert (lead["Email"], lead["FirstName"], lead["LastName"], lead["Company"], lead["Title"]) == (
        "ada@example.com", "Ada", "Lovelace", "Analytical", "Engineer")
    assert lead["LeadSource"] is None  # Don't sync
    assert lead["LastModifiedById"] == both.integration_user() == lead["CreatedById"]
    contacts = both.sf.query("SELECT Id FROM Contact WHERE Email = 'ada@example.com'")
    assert contacts["totalSize"] == 0  # Leads or Contacts, never both


def test_the_connector_stamps_its_identity_on_hubspot(both: Both):
    contact_id = both.new_contact(email="grace@example.com", lastname="Hopper")
    both.sync()
    read = both.hs.crm.contacts.basic_api.get_by_id(
        contact_id, properties=["salesforceleadid", "salesforcelastsynctime", "hs_lead_status"],
        properties_with_history=["salesforceleadid", "hs_lead_status"])
    assert read.properties["salesforceleadid"].startswith("00Q")
    assert read.properties["salesforcelastsynctime"]  # a timestamp (HubSpot renders datetimes as ISO 8601)
    history = read.properties_with_history
    assert history["salesforceleadid"][0].source_type == "SALESFORCE"
    # The Lead's default status came back to HubSpot (Always use Salesforce), also as the connector.
    assert read.properties["hs_lead_status"] == "Open - Not Contacted"
    assert history["hs_lead_status"][0].source_type == "SALESFORCE"


def test_required_salesforce_fields_get_a_placeholder(both: Both):
    contact_id = both.new_contact(email="noname@example.com")
    both.sync()
    lead = both.sf.Lead.get(both.lead_of(contact_id))
    assert (lead["LastName"], lead["Company"]) == ("[not provided]", "[not provided]")


def test_contacts_can_be_set_to_create_salesforce_contacts_instead(org, start):
    def create_contacts(data):
        data["objects"]["contacts"]["create_in_salesforce_as"] = "Contact"

    both = start(org(connector=create_contacts))
    contact_id = both.new_contact(email="kat@example.com", firstname="Katherine", lastname="Johnson", country="United States")
    both.sync()
    linked = both.contact(contact_id, "salesforcecontactid", "salesforceleadid")
    assert linked["salesforcecontactid"].startswith("003") and not linked["salesforceleadid"]
    record = both.sf.Contact.get(linked["salesforcecontactid"])
    assert (record["LastName"], record["MailingCountry"]) == ("Johnson", "United States")
    assert both.sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0


def test_a_contact_without_an_email_never_syncs(both: Both):
    contact_id = both.new_contact(firstname="Anonymous", lastname="Visitor")
    stats = both.sync()
    assert stats["created_in_salesforce"] == 0
    assert both.sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0
    assert not both.contact(contact_id, "salesforceleadid")["salesforceleadid"]


def test_first_sync_uses_the_existing_salesforce_record_with_that_email(both: Both):
    older = both.sf.Lead.create({"LastName": "First", "Company": "Old", "Email": "dup@example.com"})["id"]
    newer = both.sf.Lead.create({"LastName": "Second", "Company": "New", "Email": "DUP@example.com"},
                                headers=ALLOW_DUPLICATE)["id"]
    both.sync()  # both Leads reach HubSpot as one contact (HubSpot dedupes on e-mail)
    contact = both.hs.crm.contacts.basic_api.get_by_id("dup@example.com", id_property="email",
                                                       properties=["lastname", "salesforceleadid"])
    assert both.sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 2  # nothing new was created
    # The contact follows the most recently updated Lead, and neither Lead was overwritten with the other's name.
    assert contact.properties["salesforceleadid"] == newer and contact.properties["lastname"] == "Second"
    assert (both.sf.Lead.get(older)["LastName"], both.sf.Lead.get(newer)["LastName"]) == ("First", "Second")


def test_a_new_hubspot_contact_links_to_the_oldest_existing_lead_rather_than_creating_one(org, start):
    def no_import(data):
        data["objects"]["contacts"]["on_salesforce_create_or_update"] = "do_nothing"

    both = start(org(connector=no_import))
    oldest = both.sf.Lead.create({"LastName": "Oldest", "Company": "A", "Email": "match@example.com"})["id"]
    both.sf.Lead.create({"LastName": "Younger", "Company": "B", "Email": "match@example.com"}, headers=ALLOW_DUPLICATE)
    both.sync()
    assert both.hs.crm.contacts.basic_api.get_page().results == []  # do nothing: Salesforce creates no contacts
    contact_id = both.new_contact(email="match@example.com", firstname="Matched")
    stats = both.sync()
    assert stats["created_in_salesforce"] == 0
    assert both.lead_of(contact_id) == oldest
    assert both.sf.Lead.get(oldest)["FirstName"] == "Matched"


def test_afterwards_the_contact_follows_the_most_recently_updated_record(both: Both):
    contact_id = both.new_contact(email="follow@example.com", firstname="Fay", lastname="Follow")
    both.sync()
    first = both.lead_of(contact_id)
    other = both.sf.Lead.create({"LastName": "Follow", "FirstName": "Newer", "Company": "X",
                                 "Email": "follow@example.com"}, headers=ALLOW_DUPLICATE)["id"]
    both.sync()
    assert both.lead_of(contact_id) == other
    assert both.contact(contact_id, "firstname")["firstname"] == "Newer"
    both.sf.Lead.update(first, {"FirstName": "Older again"})
    both.sync()
    assert both.lead_of(contact_id) == first


def test_a_new_salesforce_lead_creates_a_contact(both: Both):
    lead_id = both.sf.Lead.create({"FirstName": "Alan", "LastName": "Turing", "Company": "Bletchley",
                                   "Email": "alan@example.com", "Title": "Cryptanalyst"})["id"]
    stats = both.sync()
    assert stats["created_in_hubspot"] == 1
    contact = both.hs.crm.contacts.basic_api.get_by_id(
        "alan@example.com", id_property="email",
        properties=["firstname", "lastname", "company", "jobtitle", "salesforceleadid"]).properties
    assert (contact["firstname"], contact["company"], contact["jobtitle"], contact["salesforceleadid"]) == (
        "Alan", "Bletchley", "Cryptanalyst", lead_id)


def test_a_salesforce_lead_without_email_does_not_reach_hubspot(both: Both):
    both.sf.Lead.create({"LastName": "Nomail", "Company": "Quiet"})
    both.sync()
    assert both.hs.crm.contacts.basic_api.get_page().results == []


def test_deleting_the_lead_unlinks_the_contact_and_marks_it(both: Both):
    contact_id = both.new_contact(email="gone@example.com", lastname="Gone")
    both.sync()
    both.sf.Lead.delete(both.lead_of(contact_id))
    both.sync()
    kept = both.contact(contact_id, "salesforcedeleted", "email")
    assert kept["email"] == "gone@example.com" and kept["salesforcedeleted"] == "true"


def test_deleting_the_lead_can_delete_the_contact(org, start):
    def delete_contacts(data):
        data["objects"]["contacts"]["on_salesforce_delete"] = "delete_contact"

    both = start(org(connector=delete_contacts))
    contact_id = both.new_contact(email="bye@example.com", lastname="Bye")
    both.sync()
    both.sf.Lead.delete(both.lead_of(contact_id))
    stats = both.sync()
    assert stats["deleted_in_hubspot"] == 1
    archived = both.hs.crm.contacts.basic_api.get_by_id(contact_id, archived=True)
    assert archived.archived is True


def test_deleting_the_contact_in_hubspot_leaves_the_lead(both: Both):
    contact_id = both.new_contact(email="stay@example.com", lastname="Stay")
    both.sync()
    lead_id = both.lead_of(contact_id)
    both.hs.crm.contacts.basic_api.archive(contact_id)
    both.sync()
    assert both.sf.Lead.get(lead_id)["IsDeleted"] is False
