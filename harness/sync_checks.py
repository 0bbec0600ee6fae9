"""Expectations about a sync, checked by polling by id until they hold or the window passes.

A record that never appears is a *sync timeout*; a record that appears with the wrong values is a *mapping
mismatch*. The distinction is what the defect log's categories rest on, so each check raises its own kind.
"""

from __future__ import annotations

from typing import Any

from .expectations import hubspot_after_salesforce_change, salesforce_after_create
from .ledger import Ledger
from .profile import FieldMapping
from .reconcile import expected_difference
from .sandboxes import Sandboxes
from .waiter import SyncTimeout, Waiter

LINK_PROPERTY = {"Lead": "salesforceleadid", "Contact": "salesforcecontactid", "Account": "salesforceaccountid"}


class MappingMismatch(AssertionError):
    """The records synced, but a mapped field does not hold what the profile's mapping says it should."""

    def __init__(self, what: str, difference: Any) -> None:
        self.difference = difference
        super().__init__(f"mapping mismatch: {what}\n{difference}")


def linked_salesforce_record(sandboxes: Sandboxes, waiter: Waiter, ledger: Ledger, contact_id: str, sobject: str) -> str:
    """Wait until the HubSpot contact carries a Salesforce id of `sobject`; the record joins the ledger."""
    link = LINK_PROPERTY[sobject]

    def read() -> dict[str, Any]:
        return sandboxes.hubspot.read_many("contacts", [contact_id], [link]).get(contact_id, {})

    observed = waiter.until(f"HubSpot contact {contact_id} linked to a Salesforce {sobject} ({link})", read,
                            lambda props: None if props.get(link) else {link: "not set"})
    record_id = observed.value[link]
    ledger.record("salesforce", sobject, record_id, "sync")  # created by the connector because of this run
    return record_id


def salesforce_holds_mapped_values(sandboxes: Sandboxes, waiter: Waiter, mappings: list[FieldMapping], sobject: str,
                                   record_id: str, hubspot_values: dict[str, Any]) -> None:
    expected = salesforce_after_create(mappings, sobject, hubspot_values)

    def read() -> dict[str, Any]:
        return sandboxes.salesforce.read_many(sobject, [record_id], expected).get(record_id, {})

    try:
        waiter.until(f"Salesforce {sobject} {record_id} holds the mapped values", read,
                     lambda record: expected_difference(expected, record))
    except SyncTimeout as timeout:
        raise MappingMismatch(f"Salesforce {sobject} {record_id} does not hold the HubSpot values its mappings sync",
                              timeout.last_difference) from None


def hubspot_shows_salesforce_change(sandboxes: Sandboxes, waiter: Waiter, mappings: list[FieldMapping], sobject: str,
                                    field: str, value: Any, contact_id: str) -> None:
    expected = hubspot_after_salesforce_change(mappings, sobject, field, value)
    if not expected:
        raise MappingMismatch(f"the profile maps no HubSpot property to {sobject}.{field} that Salesforce can update",
                              {"field": field})

    def read() -> dict[str, Any]:
        return sandboxes.hubspot.read_many("contacts", [contact_id], expected).get(contact_id, {})

    try:
        waiter.until(f"HubSpot contact {contact_id} shows {sobject}.{field} = {value!r}", read,
                     lambda props: expected_difference(expected, props))
    except SyncTimeout as timeout:
        raise MappingMismatch(f"HubSpot contact {contact_id} did not take the Salesforce change to {field}",
                              timeout.last_difference) from None
