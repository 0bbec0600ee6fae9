"""Companies and Accounts: Salesforce-born pairs (every new Account syncs to HubSpot when company sync is on)."""

from __future__ import annotations

from typing import Any

from faker import Faker

from harness.sync import LINK_PROPERTY
from harness.uat.pairs import Pair, contact_values, salesforce_contact_synced, salesforce_record_synced
from harness.uat.waiter import SyncTimeout
from harness.uat.world import World

_fake = Faker("en_US")


def account_values(world: World, leave_blank: set[str] | None = None, **overrides: Any) -> dict[str, Any]:
    name = f"{_fake.company()} {world.tag}"
    domain = f"{_fake.domain_word()}-{world.tag}.example.com"
    values = {"Name": name, "Website": domain, "Industry": "Technology", "BillingCountry": "United States",
              "Region__c": "NA", "NumberOfEmployees": 250, "AnnualRevenue": 1_000_000.0}
    values.update(overrides)
    for blank in leave_blank or set():
        values.pop(blank, None)
    return values


def linked_through_contact(world: World, contact_id: str, object_type: str, link: str, salesforce_id: str) -> str | None:
    """The HubSpot record of `object_type` associated with a synced contact and linked to `salesforce_id`: found by
    id through associations, never by search (HubSpot's index lags, and offers no key for salesforce*id)."""
    candidates = world.sandboxes.hubspot.associated_ids("contacts", contact_id, object_type)
    if not candidates:
        return None
    for object_id, props in world.sandboxes.hubspot.read_many(object_type, candidates, [link]).items():
        if props.get(link) == salesforce_id:
            return object_id
    return None


def account_synced(world: World, leave_blank: set[str] | None = None, **overrides: Any) -> Pair:
    """A Salesforce Account (with one Contact, the handle by which its HubSpot company is found by id)."""
    data = account_values(world, leave_blank, **overrides)
    account_id = world.create_salesforce("Account", data)
    person = contact_values(world)
    contact = salesforce_record_synced(world, "Contact", {"FirstName": person["firstname"], "LastName": person["lastname"],
                                                          "Email": person["email"], "AccountId": account_id}, "contacts")
    try:
        observed = world.waiter.until(
            f"Salesforce Account {account_id} reaches HubSpot as the company of contact {contact.hubspot_id}",
            lambda: linked_through_contact(world, contact.hubspot_id, "companies", LINK_PROPERTY["Account"], account_id),
            lambda company: None if company else {"company associated with the contact and linked to the Account": None})
    except SyncTimeout as timeout:
        raise SyncTimeout(timeout.what, timeout.waited, timeout.last_difference) from None
    world.observed("hubspot", "companies", observed.value)
    pair = Pair("companies", observed.value, "Account", account_id, data)
    pair.values["_contact"] = contact
    return pair


def contact_on_account(world: World) -> Pair:
    """A Salesforce Contact on a synced Account, and the HubSpot contact the connector makes of it. The pair's values
    keep the AccountId it was created with, for the steps that act on its Account."""
    return salesforce_contact_synced(world, account_synced(world).salesforce_id)
