"""Owners: HubSpot owners ⇄ Salesforce users by exact e-mail and name; mismatches reset to Salesforce's owner."""

from __future__ import annotations

from tests.twin.connector.conftest import Both

NADIA, EMIL = "71000001", "71000002"


def user_id(both: Both, alias: str) -> str:
    return both.sf.query(f"SELECT Id FROM User WHERE Alias = '{alias}'")["records"][0]["Id"]


def test_a_hubspot_owner_becomes_the_matching_salesforce_user(both: Both):
    contact_id = both.new_contact(email="owned@example.com", lastname="Owned", hubspot_owner_id=NADIA)
    both.sync()
    assert both.sf.Lead.get(both.lead_of(contact_id))["OwnerId"] == user_id(both, "nortiz")


def test_an_owner_change_in_either_system_syncs_and_the_most_recent_wins(both: Both):
    contact_id = both.new_contact(email="moves@example.com", lastname="Moves", hubspot_owner_id=NADIA)
    both.sync()
    lead_id = both.lead_of(contact_id)
    both.sf.Lead.update(lead_id, {"OwnerId": user_id(both, "enovak")})
    both.sync()
    assert both.contact(contact_id, "hubspot_owner_id")["hubspot_owner_id"] == EMIL
    both.update_contact(contact_id, hubspot_owner_id=NADIA)
    both.sync()
    assert both.sf.Lead.get(lead_id)["OwnerId"] == user_id(both, "nortiz")


def test_an_owner_salesforce_does_not_know_resets_to_salesforces_owner_with_an_error(org, start):
    def extra_owners(data):
        data["owners"].append({"id": "71000009", "userId": 9100009, "email": "zoe.nobody@example.com",
                               "firstName": "Zoe", "lastName": "Nobody"})
        # Same e-mail as a Salesforce user but another name: HubSpot needs both to match.
        data["owners"].append({"id": "71000010", "userId": 9100010, "email": "emil.novak@example.com",
                               "firstName": "Emile", "lastName": "Novack"})

    both = start(org(hubspot=extra_owners))
    contact_id = both.new_contact(email="reset@example.com", lastname="Reset", hubspot_owner_id=NADIA)
    both.sync()
    lead_id = both.lead_of(contact_id)
    for stranger in ("71000009", "71000010"):
        both.update_contact(contact_id, hubspot_owner_id=stranger)
        both.sync()
        assert both.sf.Lead.get(lead_id)["OwnerId"] == user_id(both, "nortiz")
        assert both.contact(contact_id, "hubspot_owner_id")["hubspot_owner_id"] == NADIA
    codes = {(e["category"], e["code"]) for e in both.errors()}
    assert codes == {("property_values", "OWNER_NOT_FOUND")}


def test_a_salesforce_owner_unknown_to_hubspot_becomes_a_salesforce_owner(both: Both):
    lead_id = both.sf.Lead.create({"LastName": "Runner-owned", "Company": "X", "Email": "runner@example.com",
                                   "OwnerId": user_id(both, "uat")})["id"]
    both.sync()
    contact = both.hs.crm.contacts.basic_api.get_by_id("runner@example.com", id_property="email",
                                                       properties=["hubspot_owner_id", "salesforceleadid"])
    owner = both.hs.crm.owners.owners_api.get_by_id(int(contact.properties["hubspot_owner_id"]))
    assert (owner.email, owner.last_name) == ("uat.runner@example.com", "Runner")
    assert contact.properties["salesforceleadid"] == lead_id


def test_the_first_sync_keeps_the_existing_salesforce_owner(both: Both):
    lead_id = both.sf.Lead.create({"LastName": "Existing", "Company": "X", "Email": "existing@example.com",
                                   "OwnerId": user_id(both, "enovak")})["id"]
    contact_id = both.new_contact(email="existing@example.com", lastname="Existing", hubspot_owner_id=NADIA)
    both.sync()
    assert both.sf.Lead.get(lead_id)["OwnerId"] == user_id(both, "enovak")
    assert both.contact(contact_id, "hubspot_owner_id")["hubspot_owner_id"] == EMIL
