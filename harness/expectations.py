"""What the profile says should be true after a sync, computed from the mapping CSV and its sync rules.

These are the *expected* values; the twin or the sandboxes provide the actual ones. Nothing here reads the
connector's configuration: a mismatch between the two is exactly what a scenario exists to catch.
"""

from __future__ import annotations

from typing import Any

from .profile import FieldMapping, SyncRule

# Rules under which a HubSpot value reaches Salesforce (the latter only while Salesforce is blank).
HUBSPOT_TO_SALESFORCE = {SyncRule.TWO_WAY, SyncRule.PREFER_SALESFORCE_UNLESS_BLANK}
SALESFORCE_TO_HUBSPOT = {SyncRule.TWO_WAY, SyncRule.PREFER_SALESFORCE_UNLESS_BLANK, SyncRule.ALWAYS_USE_SALESFORCE}


def mappings_for(mappings: list[FieldMapping], hubspot_object: str, sobject: str) -> list[FieldMapping]:
    return [m for m in mappings if m.hubspot_object == hubspot_object and sobject in m.salesforce_objects]


def salesforce_after_create(mappings: list[FieldMapping], sobject: str, hubspot_values: dict[str, Any]) -> dict[str, Any]:
    """Salesforce field -> value, for a record the connector creates from a new HubSpot record."""
    expected = {}
    for m in mappings:
        if sobject in m.salesforce_objects and m.rule in HUBSPOT_TO_SALESFORCE and hubspot_values.get(m.hubspot_property):
            expected[m.salesforce_field] = hubspot_values[m.hubspot_property]
    return expected


def hubspot_after_salesforce_change(mappings: list[FieldMapping], sobject: str, field: str, value: Any) -> dict[str, Any]:
    """HubSpot property -> value after a Salesforce field changes, per the mapping's rule."""
    expected = {}
    for m in mappings:
        applies = sobject in m.salesforce_objects and m.salesforce_field.lower() == field.lower()
        if applies and m.rule in SALESFORCE_TO_HUBSPOT:
            expected[m.hubspot_property] = value
    return expected
