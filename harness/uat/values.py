"""Fresh values for mapped fields: valid on both platforms (picklist options present on both sides, lengths within
Salesforce's), different from what the record holds, and recognisably test data."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from harness.profile import FieldMapping
from harness.sandboxes.catalog import FieldCatalog

_counter = itertools.count(1)
# Identity keys and governed fields have scenarios of their own; a generic "change every mapping" step skips them.
SKIPPED = {"email", "lifecyclestage", "hubspot_owner_id"}


@dataclass(frozen=True)
class FieldValue:
    hubspot: str | None
    salesforce: Any


def writable_on_hubspot(catalog: FieldCatalog, mapping: FieldMapping) -> bool:
    prop = catalog.hubspot(mapping.hubspot_object, mapping.hubspot_property)
    return prop is not None and not prop.read_only and not prop.calculated


def writable_on_salesforce(catalog: FieldCatalog, mapping: FieldMapping, sobject: str) -> bool:
    described = catalog.salesforce(sobject, mapping.salesforce_field)
    return described is not None and described.updateable and not described.calculated


def fresh_value(catalog: FieldCatalog, mapping: FieldMapping, sobject: str, current: Any, tag: str) -> FieldValue:
    prop = catalog.hubspot(mapping.hubspot_object, mapping.hubspot_property)
    described = catalog.salesforce(sobject, mapping.salesforce_field)
    number = next(_counter)
    kind = described.kind if described else "string"
    if kind in {"picklist", "multi"} or (prop and prop.type == "enumeration"):
        hubspot_options = list(prop.options) if prop and prop.options else []
        salesforce_options = list(described.picklist) if described and described.picklist else []
        both = [o for o in hubspot_options if o in salesforce_options] if hubspot_options and salesforce_options \
            else hubspot_options or salesforce_options
        choices = [o for o in both if o != current] or both
        if not choices:
            raise ValueError(f"no value valid on both sides for {mapping.key}")
        # The first valid option that differs: deterministic, so a scenario exercises the same values every run.
        value = choices[0]
        return FieldValue(value, value)
    if kind == "number":
        value = 1000 + number
        return FieldValue(str(value), value)
    if kind == "boolean":
        flipped = str(current).lower() != "true"
        return FieldValue("true" if flipped else "false", flipped)
    if kind == "date":
        day = (date.today() - timedelta(days=number % 300)).isoformat()
        return FieldValue(day, day)
    if kind == "datetime":
        stamp = (datetime.now(UTC) - timedelta(minutes=number)).replace(microsecond=0)
        return FieldValue(stamp.strftime("%Y-%m-%dT%H:%M:%SZ"), stamp.strftime("%Y-%m-%dT%H:%M:%S.000+0000"))
    if described is not None and described.type == "phone":
        value = f"+1 555 01{number % 100:02d}"
        return FieldValue(value, value)
    text = f"UAT {tag} {mapping.hubspot_property} {number}"
    limit = described.length if described and described.length else 80
    return FieldValue(text[:limit], text[:limit])
