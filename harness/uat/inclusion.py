"""The inclusion list (HubSpot -> Salesforce gate) from the profile's filters, and segments that must pass it."""

from __future__ import annotations

from typing import Any

import pytest

from harness.reconcile.scope import in_inclusion_list
from harness.sync import LINK_PROPERTY
from harness.uat.checks import SyncTimeoutFailure
from harness.uat.duplicates import hubspot_count_by_email
from harness.uat.failures import Permissions, TestDataProblem
from harness.uat.pairs import Pair, contact_values, wait_for_link
from harness.uat.waiter import settle
from harness.uat.world import World


def _excluding_values(world: World) -> dict[str, Any]:
    """Property values that keep a contact that has an e-mail out of the list (the first filter it can fail)."""
    inclusion = world.profile.inclusion_list
    if inclusion is None or not inclusion.enabled:
        raise TestDataProblem("the profile has no enabled inclusion list")
    for rule in inclusion.filters:
        if rule.property == "email":
            continue
        if rule.operator == "NEQ":
            return {rule.property: rule.value}
        if rule.operator == "EQ":
            return {rule.property: f"not {rule.value}"}
        if rule.operator == "HAS_PROPERTY":
            return {rule.property: None}
        if rule.operator == "NOT_IN" and isinstance(rule.value, list) and rule.value:
            return {rule.property: rule.value[0]}
    raise TestDataProblem("the inclusion list's filters cannot be failed by a contact with an e-mail")


def _including_values(world: World) -> dict[str, Any]:
    stages = world.profile.lifecycle.stages if world.profile.lifecycle else ["lead"]
    return {"lifecyclestage": next((s for s in stages if in_inclusion_list(world.profile, {"email": "x", "lifecyclestage": s})),
                                   "lead")}


def contact_outside(world: World) -> Pair:
    values = contact_values(world, **_excluding_values(world))
    if in_inclusion_list(world.profile, values):
        raise TestDataProblem(f"could not build a contact outside the inclusion list from {values}")
    contact_id = world.create_hubspot("contacts", {k: v for k, v in values.items() if v is not None})
    return Pair("contacts", contact_id, "Lead", "", values)


def expect_not_linked(world: World, pair: Pair) -> None:
    links = [LINK_PROPERTY["Lead"], LINK_PROPERTY["Contact"]]
    try:
        settle(world.waiter, f"HubSpot contact {pair.hubspot_id} outside the inclusion list stays out of Salesforce",
               lambda: world.hubspot("contacts", pair.hubspot_id, links),
               lambda props: {k: v for k, v in props.items() if k in links and v} or None, "permissions")
    except AssertionError as broken:
        raise Permissions("a contact outside the inclusion list synced to Salesforce",
                          str(broken).split("\n", 1)[-1]) from None


def join(world: World, pair: Pair) -> None:
    world.sandboxes.hubspot.update("contacts", pair.hubspot_id, _including_values(world))


def segments(world: World) -> list[dict[str, Any]]:
    """One contact per segment the profile means to include: each allowed lifecycle stage, each canonical country."""
    stages = [s for s in (world.profile.lifecycle.stages if world.profile.lifecycle else [])
              if in_inclusion_list(world.profile, {"email": "x", "lifecyclestage": s})]
    found: list[dict[str, Any]] = [{"lifecyclestage": s} for s in stages]
    country = world.profile.normalisation.get("country")
    base = _including_values(world)
    found += [{**base, "country": value} for value in (country.values if country else [])]
    return found


def contacts_in_segments(world: World) -> list[Pair]:
    pairs = []
    for segment in segments(world):
        values = contact_values(world, **segment)
        pairs.append(Pair("contacts", world.create_hubspot("contacts", values), "Lead", "", values))
    return pairs


def expect_all_linked(world: World, pairs: list[Pair]) -> None:
    missing = []
    for pair in pairs:
        try:
            wait_for_link(world, "contacts", pair.hubspot_id, "Lead")
        except AssertionError:
            missing.append({k: v for k, v in pair.values.items() if k in {"lifecyclestage", "country"}})
    if missing:
        raise SyncTimeoutFailure("contacts in segments the profile includes never reached Salesforce (the inclusion "
                                 "list leaves them out)", missing)


def hidden_lead(world: World) -> dict[str, Any]:
    """A Lead outside the integration user's visibility, built from the profile's selective-sync example. A profile
    without selective sync skips the scenario: every Lead is visible, so there is nothing to hide."""
    selective = world.profile.selective_sync
    if selective is None or not selective.enabled:
        pytest.skip("the profile does not use selective sync (selective_sync.enabled is false)")
    example = getattr(selective, "example_hidden", None)
    if not example:
        raise TestDataProblem("selective_sync is enabled but the profile gives no example of a hidden Lead "
                              "(selective_sync.example_hidden: {Field: value})")
    values = contact_values(world)
    data = {"FirstName": values["firstname"], "LastName": values["lastname"], "Company": values["company"],
            "Email": values["email"], **example}
    data["Id"] = world.create_salesforce("Lead", data)
    return data


def expect_no_contact(world: World, lead: dict[str, Any]) -> None:
    try:
        settle(world.waiter, f"Lead {lead['Id']} hidden from the integration user stays out of HubSpot",
               lambda: hubspot_count_by_email(world, lead["Email"]),
               lambda count: {"HubSpot contacts with the Lead's e-mail": count} if count else None, "permissions")
    except AssertionError as broken:
        raise Permissions("a Salesforce Lead the integration user cannot see reached HubSpot (selective sync leaks)",
                          str(broken).split("\n", 1)[-1]) from None
