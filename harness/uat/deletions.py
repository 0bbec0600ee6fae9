"""Deletes on one side and what they may or may not do to the other, as documented."""

from __future__ import annotations

from datetime import date, timedelta

from simple_salesforce.exceptions import SalesforceResourceNotFound

from harness.sync import LINK_PROPERTY
from harness.uat.companies import account_synced, linked_through_contact
from harness.uat.failures import MappingMismatch
from harness.uat.pairs import Pair
from harness.uat.waiter import SyncTimeout, settle
from harness.uat.world import World


def opportunity_synced(world: World) -> Pair:
    """A Salesforce Opportunity (on a synced Account, with the Account's contact as its contact role) and its deal,
    found by id through the contact's deal associations."""
    account = account_synced(world)
    contact = account.values["_contact"]
    opportunity = world.create_salesforce("Opportunity", {
        "Name": f"UAT {world.tag} deal", "AccountId": account.salesforce_id, "StageName": "Prospecting",
        "CloseDate": (date.today() + timedelta(days=45)).isoformat(), "Amount": 42000})
    world.create_salesforce("OpportunityContactRole", {"OpportunityId": opportunity, "ContactId": contact.salesforce_id,
                                                       "IsPrimary": True})
    observed = world.waiter.until(
        f"Salesforce Opportunity {opportunity} reaches HubSpot as a deal of contact {contact.hubspot_id}",
        lambda: linked_through_contact(world, contact.hubspot_id, "deals", LINK_PROPERTY["Opportunity"], opportunity),
        lambda deal: None if deal else {"deal associated with the contact and linked to the Opportunity": None})
    world.observed("hubspot", "deals", observed.value)
    return Pair("deals", observed.value, "Opportunity", opportunity)


def delete_in_salesforce(world: World, pair: Pair) -> None:
    world.sandboxes.salesforce.delete(pair.sobject, pair.salesforce_id)


def archive_in_hubspot(world: World, pair: Pair) -> None:
    world.sandboxes.hubspot.archive(pair.hubspot_object, pair.hubspot_id)


def _hubspot_exists(world: World, pair: Pair) -> bool:
    return bool(world.sandboxes.hubspot.read_many(pair.hubspot_object, [pair.hubspot_id], ["hs_object_id"]))


def expect_hubspot_archived(world: World, pair: Pair) -> None:
    try:
        world.waiter.until(f"HubSpot {pair.hubspot_object[:-1]} {pair.hubspot_id} archived after the Salesforce delete",
                           lambda: _hubspot_exists(world, pair), lambda exists: {"still active": True} if exists else None)
    except SyncTimeout as timeout:
        raise MappingMismatch(f"deleting Salesforce {pair.sobject} {pair.salesforce_id} did not remove HubSpot "
                              f"{pair.hubspot_object[:-1]} {pair.hubspot_id}", timeout.last_difference) from None


def _salesforce_exists(world: World, pair: Pair) -> bool:
    try:
        world.sandboxes.salesforce.get(pair.sobject, pair.salesforce_id)
        return True
    except SalesforceResourceNotFound:
        return False


def expect_salesforce_kept(world: World, pair: Pair) -> None:
    settle(world.waiter, f"Salesforce {pair.sobject} {pair.salesforce_id} survives the HubSpot delete",
           lambda: _salesforce_exists(world, pair), lambda exists: None if exists else {"deleted": True},
           "mapping mismatch")
