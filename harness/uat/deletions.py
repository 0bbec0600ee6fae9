"""Deletes on one side and what they may or may not do to the other, as documented."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from simple_salesforce.exceptions import SalesforceResourceNotFound

from ..waiter import SyncTimeout, settle
from .companies import account_synced
from .failures import MappingMismatch
from .pairs import Pair
from .world import World


def find_deal(world: World, opportunity_id: str) -> dict[str, Any] | None:
    body = {"filterGroups": [{"filters": [{"propertyName": "hs_salesforceopportunityid", "operator": "EQ",
                                           "value": opportunity_id}]}], "properties": ["dealname"], "limit": 10}
    results = world.sandboxes.hubspot._call(world.sandboxes.hubspot.api("deals", "search_api").do_search, body).results
    return {"id": results[0].id} if results else None


def opportunity_synced(world: World) -> Pair:
    account = account_synced(world)
    opportunity = world.create_salesforce("Opportunity", {
        "Name": f"UAT {world.tag} deal", "AccountId": account.salesforce_id, "StageName": "Prospecting",
        "CloseDate": (date.today() + timedelta(days=45)).isoformat(), "Amount": 42000})
    started = time.monotonic()
    found = None
    cycles = 0
    while found is None and time.monotonic() - started < (30 if world.waiter.nudge else world.waiter.timeout):
        if world.waiter.nudge is not None and cycles < world.waiter.nudged_cycles:
            world.waiter.nudge()
            cycles += 1
        found = find_deal(world, opportunity)
        if found is None:
            time.sleep(0.5 if world.waiter.nudge else world.waiter.first_poll)
    if found is None:
        raise SyncTimeout(f"Salesforce Opportunity {opportunity} reaches HubSpot as a deal", time.monotonic() - started,
                          {"hs_salesforceopportunityid": opportunity, "deal": "not found"})
    world.observed("hubspot", "deals", found["id"])
    return Pair("deals", found["id"], "Opportunity", opportunity)


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
