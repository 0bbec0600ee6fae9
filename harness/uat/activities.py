"""HubSpot activities and the Salesforce Tasks the connector makes of them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from harness.uat.pairs import Pair
from harness.uat.world import World

ACTIVITY_PROPERTIES = {
    "calls": lambda tag: {"hs_call_title": f"UAT {tag} discovery call", "hs_call_body": "Talked about the renewal.",
                          "hs_call_direction": "OUTBOUND", "hs_call_status": "COMPLETED", "hs_call_duration": "600000"},
    "notes": lambda tag: {"hs_note_body": f"UAT {tag} note: prefers e-mail follow-ups."},
}


def log_activity(world: World, pair: Pair, kind: str) -> str:
    properties: dict[str, Any] = ACTIVITY_PROPERTIES[kind](world.tag)
    properties["hs_timestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    activity_id = world.create_hubspot(kind, properties)
    world.sandboxes.hubspot.associate(kind, activity_id, "contacts", pair.hubspot_id)
    return activity_id


def expect_task(world: World, pair: Pair, kind: str) -> None:
    field = "WhoId"
    observed = world.waiter.until(
        f"a Salesforce Task for the {kind[:-1]} on {pair.sobject} {pair.salesforce_id}",
        lambda: world.sandboxes.salesforce.query_all(
            f"SELECT Id, Subject, Type FROM Task WHERE {field} = '{pair.salesforce_id}'"),
        lambda tasks: None if tasks else {"tasks": 0})
    for task in observed.value:
        world.observed("salesforce", "Task", task["Id"])
