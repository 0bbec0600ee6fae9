"""The e-mail rule on first sync and one person per side: what the connector does with duplicates."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

from harness.uat.failures import Duplicates
from harness.uat.pairs import Pair, contact_values, wait_for_link
from harness.uat.waiter import SyncTimeout, settle
from harness.uat.world import World


def unsynced_lead(world: World) -> dict[str, Any]:
    values = contact_values(world)
    data = {"FirstName": values["firstname"], "LastName": values["lastname"], "Company": values["company"],
            "Email": values["email"]}
    data["Id"] = world.create_salesforce("Lead", data)
    return data


def create_contact_with_email(world: World, email: str, **extra: Any) -> str:
    """Create a HubSpot contact; when the connector got there first (a real sandbox syncs on its own clock),
    HubSpot answers 409 with the existing id, which is the same person: use it."""
    values = contact_values(world, email=email, **extra)
    try:
        return world.create_hubspot("contacts", values)
    except Exception as conflict:
        existing = re.search(r"Existing ID: (\d+)", str(getattr(conflict, "body", "")))
        if getattr(conflict, "status", None) == 409 and existing:
            world.observed("hubspot", "contacts", existing.group(1))
            return existing.group(1)
        raise


@dataclass(frozen=True)
class EmailMatch:
    """A Salesforce Lead and a HubSpot contact created with its e-mail: the connector must make them one pair."""

    lead: dict[str, Any]  # the Lead as created: Id, Email, names, Company
    contact_id: str


def contact_with_lead_email(world: World, lead: dict[str, Any], upper_case: bool = False) -> EmailMatch:
    email = lead["Email"].upper() if upper_case else lead["Email"]
    return EmailMatch(lead, create_contact_with_email(world, email))


def person_on_both_sides(world: World) -> EmailMatch:
    """One person created as a Salesforce Lead, then as a HubSpot contact with the same e-mail."""
    return contact_with_lead_email(world, unsynced_lead(world))


def expect_match_linked(world: World, match: EmailMatch) -> None:
    expect_linked_to(world, match.contact_id, "Lead", match.lead["Id"])


def expect_one_lead(world: World, match: EmailMatch) -> None:
    expect_one_salesforce_record(world, "Lead", match.lead["Email"])


def expect_one_pair(world: World, match: EmailMatch) -> None:
    """Exactly one contact and one Lead for the e-mail: the contact links to the Lead, and the Lead is alone."""
    expect_match_linked(world, match)
    expect_one_lead(world, match)


def expect_linked_to(world: World, contact_id: str, sobject: str, record_id: str) -> None:
    linked = wait_for_link(world, "contacts", contact_id, sobject)
    if linked != record_id:
        raise Duplicates(f"HubSpot contact {contact_id} synced to a new {sobject} {linked} instead of the existing "
                         f"{record_id} with the same e-mail")


def salesforce_count_by_email(world: World, sobject: str, email: str) -> int:
    escaped = email.replace("\\", "\\\\").replace("'", "\\'")
    rows = world.sandboxes.salesforce.query_all(f"SELECT Id FROM {sobject} WHERE Email = '{escaped}'")
    return len(rows)


def expect_one_salesforce_record(world: World, sobject: str, email: str) -> None:
    settle(world.waiter, f"Salesforce holds one {sobject} with e-mail {email}",
           lambda: salesforce_count_by_email(world, sobject, email),
           lambda count: None if count == 1 else {f"{sobject} records with this e-mail": count}, "duplicates")


def hubspot_count_by_email(world: World, email: str) -> int:
    api = world.sandboxes.hubspot.api("contacts", "basic_api")
    with contextlib.suppress(Exception):
        world.sandboxes.hubspot._call(api.get_by_id, email, id_property="email")
        return 1  # e-mail is unique in HubSpot: found means exactly one
    return 0


def second_contact_same_name(world: World, first: Pair) -> str:
    values = dict(first.values)
    values["email"] = contact_values(world)["email"]
    return world.create_hubspot("contacts", values)


def expect_email_taken(world: World, pair: Pair) -> None:
    expect_email_conflict(world, pair.values["email"])


def expect_email_conflict(world: World, email: str) -> None:
    try:
        world.create_hubspot("contacts", contact_values(world, email=email))
    except Exception as refused:
        if getattr(refused, "status", None) == 409:
            return
        raise
    raise Duplicates(f"HubSpot accepted a second contact with e-mail {email}; e-mail must be unique")


def expect_second_person_synced(world: World, first: Pair, second_id: str) -> None:
    """A different person (another e-mail) with the same name and company reaches Salesforce as their own Lead."""
    try:
        second = wait_for_link(world, "contacts", second_id, "Lead")
    except (SyncTimeout, AssertionError) as missing:
        raise Duplicates("a second person with the same name and company never reached Salesforce: the two systems "
                         "deduplicate on different keys", str(missing)) from None
    if second == first.salesforce_id:
        raise Duplicates("two different people were synced to the same Salesforce Lead")
