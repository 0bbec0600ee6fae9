"""Lifecycle stage, its timestamps and Lead Status, on both sides, as the profile's taxonomy governs them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from harness.uat.failures import PlatformAutomation, TestDataProblem
from harness.uat.pairs import (
    Pair,
    contact_values,
    expect_hubspot_values,
    expect_salesforce_values,
    salesforce_record_synced,
)
from harness.uat.waiter import settle
from harness.uat.world import World


def stage_fields(world: World) -> tuple[str, str]:
    lifecycle = world.profile.lifecycle
    if lifecycle is None:
        raise TestDataProblem("the profile has no lifecycle section; lifecycle scenarios need its taxonomy")
    return lifecycle.hubspot_property, lifecycle.salesforce_field


SHORT_STAGES = {"mql": "marketingqualifiedlead", "sql": "salesqualifiedlead", "sal": "salesacceptedlead"}


def timestamp_field(world: World, stage: str) -> str:
    lifecycle = world.profile.lifecycle
    wanted = SHORT_STAGES.get(stage.lower(), stage.lower())
    for stamp in lifecycle.timestamps if lifecycle else []:
        if stamp.stage.lower() == wanted and stamp.salesforce:
            return stamp.salesforce
    raise TestDataProblem(f"the profile's lifecycle.timestamps has no Salesforce field for stage {stage!r}")


def set_stage_in_salesforce(world: World, pair: Pair, stage: str) -> None:
    world.sandboxes.salesforce.update(pair.sobject, pair.salesforce_id, {stage_fields(world)[1]: stage})


def set_stage_in_hubspot(world: World, pair: Pair, stage: str) -> None:
    world.sandboxes.hubspot.update("contacts", pair.hubspot_id, {stage_fields(world)[0]: stage})


def expect_stage_in_salesforce(world: World, pair: Pair, stage: str) -> None:
    field = stage_fields(world)[1]
    expect_salesforce_values(world, pair, {field: stage}, f"Salesforce {pair.sobject} {pair.salesforce_id} reaches "
                                                          f"lifecycle stage {stage}")


def expect_stage_in_hubspot(world: World, pair: Pair, stage: str) -> None:
    prop = stage_fields(world)[0]
    expect_hubspot_values(world, pair, {prop: stage}, f"HubSpot contact {pair.hubspot_id} reaches lifecycle stage {stage}")


def expect_stage_stays(world: World, pair: Pair, stage: str) -> None:
    prop = stage_fields(world)[0]
    settle(world.waiter, f"HubSpot contact {pair.hubspot_id} stays in lifecycle stage {stage} (never backwards)",
           lambda: world.hubspot("contacts", pair.hubspot_id, [prop]),
           lambda props: None if props.get(prop) == stage else {prop: {"expected": stage, "observed": props.get(prop)}},
           "platform automation")


def expect_no_retired_stage(world: World, pair: Pair) -> None:
    prop, field = stage_fields(world)
    retired = {s.lower() for s in (world.profile.lifecycle.retired if world.profile.lifecycle else [])}

    def read() -> dict[str, Any]:
        return {"hubspot": world.hubspot("contacts", pair.hubspot_id, [prop]).get(prop),
                "salesforce": world.salesforce(pair.sobject, pair.salesforce_id, [field]).get(field)}

    settle(world.waiter, f"contact {pair.hubspot_id} never holds a retired stage", read,
           lambda seen: {k: v for k, v in seen.items() if v and str(v).lower() in retired} or None,
           "platform automation")


@dataclass(frozen=True)
class StampedLead:
    """A synced Lead whose Salesforce timestamp for a lifecycle stage is set, with the value first stamped."""

    pair: Pair
    stage: str
    stamped: str


def expect_stamped(world: World, pair: Pair, stage: str) -> StampedLead:
    return StampedLead(pair, stage, stamp(world, pair, stage))


def stamp(world: World, pair: Pair, stage: str) -> str:
    """Wait until the stage's Salesforce timestamp is set, and return it."""
    field = timestamp_field(world, stage)
    observed = world.waiter.until(f"Salesforce {pair.sobject} {pair.salesforce_id} stamps {field}",
                                  lambda: world.salesforce(pair.sobject, pair.salesforce_id, [field]),
                                  lambda record: None if record.get(field) else {field: "blank"})
    return observed.value[field]


def expect_stamp_unchanged(world: World, lead: StampedLead, stage: str) -> None:
    pair, stamped = lead.pair, lead.stamped
    field = timestamp_field(world, stage)
    try:
        settle(world.waiter, f"{field} on {pair.sobject} {pair.salesforce_id} stays as first stamped ({stamped})",
               lambda: world.salesforce(pair.sobject, pair.salesforce_id, [field]),
               lambda record: None if record.get(field) == stamped else {field: {"first": stamped,
                                                                                   "now": record.get(field)}},
               "platform automation")
    except AssertionError as broken:
        raise PlatformAutomation(f"{field} was re-stamped: lifecycle timestamps must be immutable once set",
                                 str(broken).split("\n", 1)[-1]) from None


def touch_in_salesforce(world: World, pair: Pair) -> None:
    world.sandboxes.salesforce.update(pair.sobject, pair.salesforce_id, {"Title": f"UAT {world.tag} touched"})


def change_status(world: World, pair: Pair, status: str) -> None:
    field = world.profile.lead_status.salesforce_field if world.profile.lead_status else "Status"
    world.sandboxes.salesforce.update("Lead", pair.salesforce_id, {field: status})


def expect_status_in_hubspot(world: World, pair: Pair, status: str) -> None:
    prop = world.profile.lead_status.hubspot_property if world.profile.lead_status else "hs_lead_status"
    expect_hubspot_values(world, pair, {prop: status}, f"HubSpot contact {pair.hubspot_id} shows lead status {status}")


def won_stage(world: World) -> str:
    try:
        rows = world.sandboxes.salesforce.query_all("SELECT ApiName FROM OpportunityStage WHERE IsWon = true LIMIT 1")
        if rows:
            return rows[0]["ApiName"]
    except Exception:  # orgs that do not expose OpportunityStage: the standard label
        pass
    return "Closed Won"


def close_won(world: World, opportunity_id: str) -> None:
    """Close the opportunity won, as a rep would: with an amount if it has none yet (orgs commonly require one)."""
    current = world.salesforce("Opportunity", opportunity_id, ["Amount"])
    data: dict[str, Any] = {"StageName": won_stage(world)}
    if not current.get("Amount"):
        data["Amount"] = 25000
    world.sandboxes.salesforce.update("Opportunity", opportunity_id, data)


def open_opportunity_with_role(world: World, account_id: str, contact_id: str) -> str:
    opportunity = world.create_salesforce("Opportunity", {
        "Name": f"UAT {world.tag} opportunity", "AccountId": account_id, "StageName": "Prospecting",
        "CloseDate": (date.today() + timedelta(days=30)).isoformat(), "Amount": 25000})
    world.create_salesforce("OpportunityContactRole", {"OpportunityId": opportunity, "ContactId": contact_id,
                                                       "IsPrimary": True, "Role": "Decision Maker"})
    return opportunity


def open_opportunity_for_contact(world: World, contact: Pair) -> str:
    """An open Opportunity on the Account the pair's Contact was created on, the Contact as its primary role."""
    account_id = contact.values.get("AccountId")
    if not account_id:
        raise TestDataProblem(f"{contact.sobject} {contact.salesforce_id} was not created on an Account; the "
                              "scenario needs a Contact on an Account")
    return open_opportunity_with_role(world, account_id, contact.salesforce_id)


def lead_with_stamp(world: World, stage: str, stamp_stage: str, days_ago: int) -> StampedLead:
    """A Salesforce Lead already in `stage`, its `stamp_stage` timestamp set `days_ago`, synced to HubSpot."""
    stamped = (date.today() - timedelta(days=days_ago)).isoformat()
    values = contact_values(world)
    data = {"FirstName": values["firstname"], "LastName": values["lastname"], "Company": values["company"],
            "Email": values["email"], stage_fields(world)[1]: stage, timestamp_field(world, stamp_stage): stamped}
    return StampedLead(salesforce_record_synced(world, "Lead", data, "contacts"), stamp_stage, stamped)
