"""Synced record pairs: create on one side, wait (by id) until the connector has linked the other."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from harness.reconcile import expected_difference
from harness.sync import LINK_PROPERTY
from harness.uat.diagnose import connector_errors, explained
from harness.uat.failures import MappingMismatch, UatFailure
from harness.uat.testdata import new_person
from harness.uat.values import fresh_value
from harness.uat.waiter import SyncTimeout
from harness.uat.world import World


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
    try:
        observed = world.waiter.until(
            f"HubSpot {object_type} {object_id} linked to a Salesforce {sobject} ({link})",
            lambda: world.hubspot(object_type, object_id, [link]),
            lambda props: None if props.get(link) else {link: "not set"})
    except SyncTimeout as timeout:
        raise explained(world, timeout, hubspot_id=object_id) from None
    record_id = observed.value[link]
    world.observed("salesforce", sobject, record_id)
    return record_id


def new_contact(world: World) -> Pair:
    """A HubSpot contact with every mapped property filled, not linked yet: its Salesforce id is still unknown."""
    values = contact_values(world)
    return Pair("contacts", world.create_hubspot("contacts", values), "Lead", "", values)


def expect_linked_to_lead(world: World, pair: Pair) -> Pair:
    """The same contact once the connector has linked it to a Lead, now knowing the Lead's id."""
    return replace(pair, salesforce_id=wait_for_link(world, "contacts", pair.hubspot_id, "Lead"))


def expect_in_hubspot(pair: Pair) -> None:
    """A Salesforce-born pair exists in HubSpot once the Given that made it has found it there."""
    assert pair.hubspot_id, f"Salesforce {pair.sobject} {pair.salesforce_id} has no HubSpot {pair.hubspot_object[:-1]}"


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


    try:
        observed = world.waiter.until(f"Salesforce {sobject} {record_id} reaches HubSpot as a {hubspot_object[:-1]}",
                                      read, lambda props: None if props.get(link) == record_id else {link: props.get(link)})
    except SyncTimeout as timeout:
        raise explained(world, timeout, salesforce_id=record_id) from None
    world.observed("hubspot", hubspot_object, observed.value["id"])
    return Pair(hubspot_object, observed.value["id"], sobject, record_id, dict(data))


def _expect_values(world: World, pair: Pair, expected: dict[str, Any], what: str, failure: type[UatFailure],
                   read: Any) -> None:
    """Wait until `read()` holds `expected`; a record that differs is a `failure` (a mapping mismatch unless the
    caller knows better), or the connector's own error for the record when it reported one."""
    try:
        world.waiter.until(what, read, lambda record: expected_difference(expected, record))
    except SyncTimeout as timeout:
        if connector_errors(world, pair.hubspot_id, pair.salesforce_id):
            raise explained(world, timeout, pair.hubspot_id, pair.salesforce_id) from None
        raise failure(what, timeout.last_difference) from None


def expect_salesforce_values(world: World, pair: Pair, expected: dict[str, Any], what: str,
                             failure: type[UatFailure] = MappingMismatch) -> None:
    fields = list(expected)
    _expect_values(world, pair, expected, what, failure,
                   lambda: world.salesforce(pair.sobject, pair.salesforce_id, fields))


def expect_hubspot_values(world: World, pair: Pair, expected: dict[str, Any], what: str,
                          failure: type[UatFailure] = MappingMismatch) -> None:
    names = list(expected)
    _expect_values(world, pair, expected, what, failure,
                   lambda: world.hubspot(pair.hubspot_object, pair.hubspot_id, names))

# Rules under which a value crosses in each direction (HubSpot KB, "Map HubSpot properties to Salesforce fields").
TO_SALESFORCE = {"Two-way", "Prefer Salesforce unless blank"}
TO_HUBSPOT = {"Two-way", "Prefer Salesforce unless blank", "Always use Salesforce"}


def expect_created_values(world: World, pair: Pair) -> None:
    """A record the connector created from HubSpot holds every HubSpot value its mappings carry across."""
    expected = {}
    for mapping in world.mappings_for(pair.hubspot_object, pair.sobject):
        value = pair.values.get(mapping.hubspot_property)
        if mapping.rule.value in TO_SALESFORCE and value not in (None, ""):
            expected[mapping.salesforce_field] = value
    expect_salesforce_values(world, pair, expected, f"Salesforce {pair.sobject} {pair.salesforce_id} holds every "
                                                    f"mapped HubSpot value ({', '.join(expected)})")


def change_hubspot_property(world: World, pair: Pair, prop: str) -> Any:
    mapping = next((m for m in world.mappings_for(pair.hubspot_object) if m.hubspot_property == prop), None)
    if mapping is None:
        raise MappingMismatch(f"the profile maps no HubSpot property {prop!r} on {pair.hubspot_object}")
    current = world.hubspot(pair.hubspot_object, pair.hubspot_id, [prop]).get(prop)
    value = fresh_value(world.catalog, mapping, pair.sobject, current, world.tag)
    world.sandboxes.hubspot.update(pair.hubspot_object, pair.hubspot_id, {prop: value.hubspot})
    return value


@dataclass(frozen=True)
class SalesforceChange:
    """A value written to one field of the Salesforce side of a pair."""

    field: str
    value: Any


def change_salesforce_field(world: World, pair: Pair, field: str, value: Any) -> SalesforceChange:
    world.sandboxes.salesforce.update(pair.sobject, pair.salesforce_id, {field: value})
    return SalesforceChange(field, value)


def expect_salesforce_field(world: World, pair: Pair, field: str, value: Any) -> None:
    expect_salesforce_values(world, pair, {field: value}, f"Salesforce Lead {pair.salesforce_id} {field} = {value}")


def expect_salesforce_change_in_hubspot(world: World, pair: Pair, change: SalesforceChange) -> None:
    field, value = change.field, change.value
    expected = {m.hubspot_property: value for m in world.mappings_for(pair.hubspot_object, pair.sobject)
                if m.salesforce_field.lower() == field.lower() and m.rule.value in TO_HUBSPOT}
    if not expected:
        raise MappingMismatch(f"the profile maps no HubSpot property that takes {pair.sobject}.{field} from Salesforce")
    expect_hubspot_values(world, pair, expected, f"HubSpot {pair.hubspot_object[:-1]} {pair.hubspot_id} takes "
                                                 f"{pair.sobject}.{field} = {value!r}")


def salesforce_contact_synced(world: World, account_id: str | None = None) -> Pair:
    """A Salesforce Contact (with or without an Account) and the HubSpot contact the connector makes of it."""
    values = contact_values(world)
    data = {"FirstName": values["firstname"], "LastName": values["lastname"], "Email": values["email"]}
    if account_id:
        data["AccountId"] = account_id
    return salesforce_record_synced(world, "Contact", data, "contacts")
