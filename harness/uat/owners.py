"""Owners on both sides: the same people under two id spaces, matched by e-mail as the connector matches them;
territory realignment as Salesforce runs it (Enterprise Territory Management)."""

from __future__ import annotations

from typing import Any

from harness.uat.failures import PlatformAutomation, TestDataProblem
from harness.uat.pairs import Pair, expect_hubspot_values
from harness.uat.waiter import settle
from harness.uat.world import World

AUTO_ASSIGN = {"Sforce-Auto-Assign": "TRUE"}  # run assignment rules on this save, as the UI's checkbox does


def hubspot_owners(world: World) -> list[Any]:
    api = world.sandboxes.hubspot.client.crm.owners.owners_api
    return list(world.sandboxes.hubspot._call(api.get_page, limit=500).results or [])


def salesforce_users(world: World) -> list[dict[str, Any]]:
    return world.sandboxes.salesforce.query_all("SELECT Id, Email, FirstName, LastName, IsActive FROM User")


def hubspot_owner_for_user(world: World, user_id: str) -> str:
    users = {u["Id"]: str(u.get("Email") or "").lower() for u in salesforce_users(world)}
    for owner in hubspot_owners(world):
        if str(owner.email or "").lower() == users.get(user_id):
            return str(owner.id)
    raise TestDataProblem(f"Salesforce user {user_id} has no HubSpot owner with the same e-mail")


def territory_owner(world: World, territory: str) -> str:
    """The user holding the Owner role in a territory (by developer name or name)."""
    escaped = territory.replace("'", "\\'")
    rows = world.sandboxes.salesforce.query_all(
        "SELECT UserId FROM UserTerritory2Association WHERE RoleInTerritory2 = 'Owner' AND Territory2Id IN "
        f"(SELECT Id FROM Territory2 WHERE DeveloperName = '{escaped}' OR Name = '{escaped}')")
    if not rows:
        raise TestDataProblem(f"no Territory2 {territory!r} with an Owner-role user in the org")
    return rows[0]["UserId"]


def region_user(world: World, region: str) -> str:
    """A user for a region: the region's territory owner, else an active user whose Region__c says so."""
    try:
        return territory_owner(world, region)
    except TestDataProblem:
        escaped = region.replace("'", "\\'")
        rows = world.sandboxes.salesforce.query_all(
            f"SELECT Id FROM User WHERE Region__c = '{escaped}' AND IsActive = true LIMIT 1")
        if not rows:
            raise
        return rows[0]["Id"]


def realign(world: World, pair: Pair, region: str) -> None:
    world.sandboxes.salesforce.update("Account", pair.salesforce_id, {"Region__c": region}, headers=AUTO_ASSIGN)


def expect_hubspot_owner(world: World, pair: Pair, user_id: str, what: str) -> None:
    owner = hubspot_owner_for_user(world, user_id)
    expect_hubspot_values(world, pair, {"hubspot_owner_id": owner}, what)


def change_salesforce_owner(world: World, pair: Pair, user_id: str) -> None:
    world.sandboxes.salesforce.update(pair.sobject, pair.salesforce_id, {"OwnerId": user_id})


def expect_salesforce_owner_stays(world: World, pair: Pair, user_id: str) -> None:
    try:
        settle(world.waiter, f"{pair.sobject} {pair.salesforce_id} stays owned by {user_id}",
               lambda: world.salesforce(pair.sobject, pair.salesforce_id, ["OwnerId"]),
               lambda record: None if record.get("OwnerId") == user_id else {"OwnerId": record.get("OwnerId")},
               "mapping mismatch")
    except AssertionError as broken:
        # An owner that does not hold is automation on the other side answering the sync (round-tripping).
        raise PlatformAutomation(f"the owner of {pair.sobject} {pair.salesforce_id} did not hold (round-tripping)",
                                 str(broken).split("\n", 1)[-1]) from None


def owner_unknown_to_salesforce(world: World) -> str:
    emails = {str(u.get("Email") or "").lower() for u in salesforce_users(world) if u.get("IsActive")}
    for owner in hubspot_owners(world):
        if str(owner.email or "").lower() not in emails:
            return str(owner.id)
    raise TestDataProblem("every HubSpot owner matches an active Salesforce user; the scenario needs one that does not")


def expect_company_owned_by_region(world: World, account: Pair, region: str) -> None:
    user = region_user(world, region)
    expect_hubspot_owner(world, account, user, f"HubSpot company {account.hubspot_id} owned by the {region} owner")


def give_to_region_owner(world: World, pair: Pair, region: str) -> str:
    """Make the region's user the owner of the pair's Salesforce record; returns that user's id."""
    user = region_user(world, region)
    change_salesforce_owner(world, pair, user)
    return user


def expect_contact_owned_by(world: World, pair: Pair, user_id: str, region: str) -> None:
    expect_hubspot_owner(world, pair, user_id, f"HubSpot contact {pair.hubspot_id} owned by the {region} owner")


def give_contact_to_unknown_owner(world: World, pair: Pair) -> str:
    """Set the HubSpot contact's owner to one no Salesforce user matches; returns the Salesforce record's owner
    before the change, which must hold."""
    owner = world.salesforce(pair.sobject, pair.salesforce_id, ["OwnerId"])["OwnerId"]
    world.sandboxes.hubspot.update("contacts", pair.hubspot_id, {"hubspot_owner_id": owner_unknown_to_salesforce(world)})
    return owner
