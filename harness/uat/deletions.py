"""Deletes on one side and what they do to the other: as the profile's `delete_policy` says, per object and side
(the delete-policy scenarios), and as documented (an opportunity delete removes the deal, never the reverse)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from simple_salesforce.exceptions import SalesforceResourceNotFound

from harness.conformance.verdict import NOT_EVALUATED_PREFIX
from harness.sync import LINK_PROPERTY
from harness.uat.companies import account_synced, linked_through_contact
from harness.uat.failures import MappingMismatch, TestDataProblem
from harness.uat.pairs import Pair, contact_synced, salesforce_contact_synced
from harness.uat.waiter import ExpectationBroken, SyncTimeout, settle
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


# -- the profile's delete policy, per object and side ---------------------------------------------------------
# The record pairs the delete-policy scenarios can make (features/deletions.feature's Examples, one row per pair and
# side; tests/test_delete_policy.py keeps the two equal).
DELETE_PAIRS = {("contacts", "Lead"), ("contacts", "Contact"), ("companies", "Account"), ("deals", "Opportunity")}
SIDES = {"Salesforce": "on_salesforce_delete", "HubSpot": "on_hubspot_delete"}


def policy_for(world: World, hubspot_object: str, side: str) -> str:
    """What the profile says a delete on `side` does to the other side's record; skipped (a residual risk named by
    the conformance phase's delete-policy clauses) when the profile does not say."""
    if side not in SIDES:
        raise TestDataProblem(f"no side {side!r}: use {' or '.join(SIDES)}")
    policy = world.profile.delete_policy.get(hubspot_object)  # type: ignore[arg-type]
    if policy is None:
        pytest.skip(f"{NOT_EVALUATED_PREFIX}the profile states no delete policy for {hubspot_object} "
                    f"(delete_policy.{hubspot_object}.{SIDES[side]})")
    return str(getattr(policy, SIDES[side]))


def expect_every_policy_exercised(world: World) -> None:
    """Every object the profile states a delete policy for has a pair the delete scenarios make."""
    exercised = {hubspot_object for hubspot_object, _ in DELETE_PAIRS}
    missing = sorted(set(world.profile.delete_policy) - exercised)
    if missing:
        raise MappingMismatch(f"the delete policy of {', '.join(missing)} cannot be exercised: the delete scenarios "
                              f"make pairs for {', '.join(sorted(exercised))} only")


def synced_for_delete(world: World, hubspot_object: str, sobject: str) -> Pair:
    if (hubspot_object, sobject) not in DELETE_PAIRS:
        raise TestDataProblem(f"the delete-policy scenarios make no {hubspot_object}/{sobject} pair; "
                              f"they make {sorted(DELETE_PAIRS)}")
    if hubspot_object == "contacts":
        return contact_synced(world, "Lead") if sobject == "Lead" else salesforce_contact_synced(world)
    return account_synced(world) if hubspot_object == "companies" else opportunity_synced(world)


def delete_on(world: World, pair: Pair, side: str) -> None:
    (delete_in_salesforce if side == "Salesforce" else archive_in_hubspot)(world, pair)


def expect_as_policy_says(world: World, pair: Pair, side: str, action: str) -> None:
    """`delete`: the other side's record goes within the sync window; `do_nothing`: it is still there after it."""
    setting = f"delete_policy.{pair.hubspot_object}.{SIDES[side]} is {action}"
    try:
        if side == "Salesforce" and action == "delete":
            expect_hubspot_archived(world, pair)
        elif side == "Salesforce":
            expect_hubspot_kept(world, pair)
        elif action == "delete":
            expect_salesforce_deleted(world, pair)
        else:
            expect_salesforce_kept(world, pair)
    except (MappingMismatch, ExpectationBroken) as failure:
        raise MappingMismatch(f"{setting}, but a {side} delete of {pair.sobject} {pair.salesforce_id} / HubSpot "
                              f"{pair.hubspot_object[:-1]} {pair.hubspot_id} did otherwise: {str(failure).split(': ', 1)[-1]}"
                              ) from None


def expect_hubspot_kept(world: World, pair: Pair) -> None:
    settle(world.waiter, f"HubSpot {pair.hubspot_object[:-1]} {pair.hubspot_id} survives the Salesforce delete",
           lambda: _hubspot_exists(world, pair), lambda exists: None if exists else {"archived": True},
           "mapping mismatch")


def expect_salesforce_deleted(world: World, pair: Pair) -> None:
    try:
        world.waiter.until(f"Salesforce {pair.sobject} {pair.salesforce_id} deleted after the HubSpot delete",
                           lambda: _salesforce_exists(world, pair),
                           lambda exists: {"still in Salesforce": True} if exists else None)
    except SyncTimeout as timeout:
        raise MappingMismatch(f"archiving HubSpot {pair.hubspot_object[:-1]} {pair.hubspot_id} did not delete "
                              f"Salesforce {pair.sobject} {pair.salesforce_id}", timeout.last_difference) from None
