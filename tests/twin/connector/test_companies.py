"""Companies ⇄ Accounts: creation rules, dedupe by Salesforce Account ID, the contact's company ⇄ its account."""

from __future__ import annotations

import pytest
from hubspot.crm.companies.exceptions import ApiException

from tests.twin.connector.conftest import Both


def company_by_account(both: Both, account_id: str):
    page = both.hs.crm.companies.basic_api.get_page(properties=["name", "salesforceaccountid", "industry", "region"])
    matches = [c for c in page.results if c.properties.get("salesforceaccountid") == account_id]
    assert len(matches) == 1, f"{len(matches)} companies carry account {account_id}"
    return matches[0]


def primary_company(both: Both, contact_id: str) -> str | None:
    labels = both.hs.crm.associations.v4.basic_api.get_page("contacts", contact_id, "companies").results
    primary = [r for r in labels if any(t.label == "Primary" for t in r.association_types)]
    return str(primary[0].to_object_id) if primary else None


def test_a_new_account_becomes_a_company_without_any_contact(both: Both):
    account_id = both.sf.Account.create({"Name": "Globex", "Website": "globex.example.com", "Industry": "Finance",
                                         "Region__c": "EMEA"})["id"]
    stats = both.sync()
    assert stats["by_object"]["companies"]["created_in_hubspot"] == 1
    company = company_by_account(both, account_id)
    assert (company.properties["name"], company.properties["industry"], company.properties["region"]) == (
        "Globex", "Finance", "EMEA")


def test_companies_are_deduplicated_by_account_id_not_by_domain(both: Both):
    both.hs.crm.companies.basic_api.create({"properties": {"name": "Initech (marketing)", "domain": "initech.example.com"}})
    both.sf.Account.create({"Name": "Initech", "Website": "initech.example.com"})
    both.sync()
    names = sorted(c.properties["name"] for c in both.hs.crm.companies.basic_api.get_page().results)
    assert names == ["Initech", "Initech (marketing)"]  # two companies: the domain is not a match key


def test_a_salesforce_contacts_account_is_its_hubspot_company(both: Both):
    account_id = both.sf.Account.create({"Name": "Umbrella"})["id"]
    contact_sf = both.sf.Contact.create({"LastName": "Wesker", "Email": "wesker@example.com",
                                         "AccountId": account_id})["id"]
    both.sync()
    contact = both.hs.crm.contacts.basic_api.get_by_id("wesker@example.com", id_property="email",
                                                       properties=["salesforcecontactid", "salesforceaccountid"])
    assert contact.properties["salesforcecontactid"] == contact_sf
    assert contact.properties["salesforceaccountid"] == account_id
    assert primary_company(both, contact.id) == company_by_account(both, account_id).id


def test_moving_the_contact_to_another_company_in_hubspot_moves_its_account(both: Both):
    first = both.sf.Account.create({"Name": "First Co"})["id"]
    second = both.sf.Account.create({"Name": "Second Co"})["id"]
    contact_sf = both.sf.Contact.create({"LastName": "Mover", "Email": "mover@example.com", "AccountId": first})["id"]
    both.sync()
    contact_id = both.hs.crm.contacts.basic_api.get_by_id("mover@example.com", id_property="email").id
    second_company = company_by_account(both, second).id
    both.hs.crm.associations.v4.basic_api.create("contacts", contact_id, "companies", second_company,
                                                 [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}])
    both.sync()
    assert both.sf.Contact.get(contact_sf)["AccountId"] == second


def test_a_company_of_a_private_contact_creates_its_account(both: Both):
    contact_sf = both.sf.Contact.create({"LastName": "Private", "Email": "private@example.com"})["id"]
    both.sync()
    contact_id = both.hs.crm.contacts.basic_api.get_by_id("private@example.com", id_property="email").id
    company = both.hs.crm.companies.basic_api.create({"properties": {"name": "Private Ventures"}})
    both.hs.crm.associations.v4.basic_api.create("contacts", contact_id, "companies", company.id,
                                                 [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}])
    both.sync(cycles=2)
    account_id = both.sf.Contact.get(contact_sf)["AccountId"]
    assert account_id and both.sf.Account.get(account_id)["Name"] == "Private Ventures"
    assert company_by_account(both, account_id).id == company.id


def test_a_company_whose_contacts_all_sync_with_leads_creates_no_account(both: Both):
    contact_id = both.new_contact(email="leadonly@example.com", lastname="LeadOnly")
    both.sync()
    company = both.hs.crm.companies.basic_api.create({"properties": {"name": "Lead Only Ltd"}})
    both.hs.crm.associations.v4.basic_api.create("contacts", contact_id, "companies", company.id,
                                                 [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}])
    lonely = both.hs.crm.companies.basic_api.create({"properties": {"name": "Nobody Inc"}})
    both.sync(cycles=2)
    assert both.sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0
    assert lonely.id  # a company without contacts creates no account either


def test_a_contact_whose_account_has_not_synced_waits_for_it(org, start):
    def hide_apac_accounts(data):
        data["access"] = {"integration": {"records": {"Account": "Region__c != 'APAC'"}}}

    both = start(org(salesforce=hide_apac_accounts))
    account_id = both.sf.Account.create({"Name": "Hidden Pte", "Region__c": "APAC"})["id"]
    both.sf.Contact.create({"LastName": "Waiting", "Email": "waiting@example.com", "AccountId": account_id})
    both.sync()
    [error] = both.errors("associations")
    assert error["code"] == "WAITING_FOR_ACCOUNT" and "Waiting for account to sync" in error["message"]
    assert both.hs.crm.contacts.basic_api.get_by_id("waiting@example.com", id_property="email").id  # still synced


def test_merging_companies_in_hubspot_is_blocked_while_the_integration_is_on(both: Both):
    one = both.hs.crm.companies.basic_api.create({"properties": {"name": "One"}})
    two = both.hs.crm.companies.basic_api.create({"properties": {"name": "Two"}})
    with pytest.raises(ApiException) as refused:
        both.hs.crm.companies.basic_api.merge({"primaryObjectId": one.id, "objectIdToMerge": two.id})
    assert refused.value.status == 400 and "can't be merged" in refused.value.body
