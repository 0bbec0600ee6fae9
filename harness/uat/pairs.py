"""Synced record pairs: create on one side, wait (by id) until the connector has linked the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..testdata import new_person
from ..waiter import SyncTimeout
from .failures import MappingMismatch
from .world import LINK_PROPERTY, World


@dataclass
class Pair:
    hubspot_object: str
    hubspot_id: str
    sobject: str
    salesforce_id: str
    values: dict[str, Any] = field(default_factory=dict)  # what the scenario wrote when it created the record


def contact_values(world: World, **overrides: Any) -> dict[str, Any]:
    person = new_person(world.tag)
    values: dict[str, Any] = {"email": person.email, "firstname": person.first_name, "lastname": person.last_name,
                              "company": person.company, "jobtitle": "Operations Manager", "phone": "+1 555 0100"}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return values


def wait_for_link(world: World, object_type: str, object_id: str, sobject: str) -> str:
    """The Salesforce id of `sobject` the HubSpot record carries once the connector has synced it."""
    link = LINK_PROPERTY[sobject]
    observed = world.waiter.until(
        f"HubSpot {object_type} {object_id} linked to a Salesforce {sobject} ({link})",
        lambda: world.hubspot(object_type, object_id, [link]), lambda props: None if props.get(link) else {link: "not set"})
    record_id = observed.value[link]
    world.observed("salesforce", sobject, record_id)
    return record_id


def contact_synced(world: World, sobject: str = "Lead", **overrides: Any) -> Pair:
    values = contact_values(world, **overrides)
    contact_id = world.create_hubspot("contacts", values)
    return Pair("contacts", contact_id, sobject, wait_for_link(world, "contacts", contact_id, sobject), values)


def salesforce_record_synced(world: World, sobject: str, data: dict[str, Any], hubspot_object: str) -> Pair:
    """Create in Salesforce; wait for the HubSpot record the connector creates (found by e-mail for people)."""
    record_id = world.create_salesforce(sobject, data)
    email = data.get("Email")
    link = LINK_PROPERTY[sobject]
    if not email:
        raise ValueError("a Salesforce-born pair needs an e-mail to be found by id on the HubSpot side")
    api = world.sandboxes.hubspot.api(hubspot_object, "basic_api")

    def read() -> dict[str, Any]:
        try:
            found = world.sandboxes.hubspot._call(api.get_by_id, email, id_property="email", properties=[link, "email"])
        except Exception:  # not there yet (404)
            return {}
        return {"id": found.id, **(found.properties or {})}

    observed = world.waiter.until(f"Salesforce {sobject} {record_id} reaches HubSpot as a {hubspot_object[:-1]}", read,
                                  lambda props: None if props.get(link) == record_id else {link: props.get(link)})
    world.observed("hubspot", hubspot_object, observed.value["id"])
    return Pair(hubspot_object, observed.value["id"], sobject, record_id, dict(data))


def expect_salesforce_values(world: World, pair: Pair, expected: dict[str, Any], what: str) -> None:
    """Wait until the Salesforce record holds `expected` (field -> value); a record that differs is a mismatch."""
    from ..reconcile import expected_difference

    fields = list(expected)
    try:
        world.waiter.until(what, lambda: world.salesforce(pair.sobject, pair.salesforce_id, fields),
                           lambda record: expected_difference(expected, record))
    except SyncTimeout as timeout:
        raise MappingMismatch(what, timeout.last_difference) from None


def expect_hubspot_values(world: World, pair: Pair, expected: dict[str, Any], what: str) -> None:
    from ..reconcile import expected_difference

    names = list(expected)
    try:
        world.waiter.until(what, lambda: world.hubspot(pair.hubspot_object, pair.hubspot_id, names),
                           lambda props: expected_difference(expected, props))
    except SyncTimeout as timeout:
        raise MappingMismatch(what, timeout.last_difference) from None
