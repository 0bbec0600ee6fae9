"""Picklists both ways: for every synced pair whose Salesforce field is a picklist, each active Salesforce value
has a HubSpot option and each HubSpot option a Salesforce value, after the profile's normalisation table (variants
fold into canonical values; `hubspot_values` renames a canonical value on the HubSpot side).

A value with no counterpart is refused by the other side (HubSpot: INVALID_OPTION; a restricted Salesforce picklist:
INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST) or silently lost: one clause per value and side, named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed
from harness.profile.model import PicklistTable, Profile
from harness.sync.rules import SyncRule


def table_for(profile: Profile, hubspot_object: str, prop: str, sobject: str, field: str) -> PicklistTable | None:
    for table in profile.normalisation.values():
        if f"{hubspot_object}.{prop}" in table.hubspot or f"{sobject}.{field}" in table.salesforce:
            return table
    return None


def _to_hubspot(table: PicklistTable | None, value: str) -> str:
    if table is None:
        return value
    return table.hubspot_value(table.canonical(value) or value)


def _to_salesforce(table: PicklistTable | None, option: str) -> str:
    if table is None:
        return option
    renamed = {hs: canonical for canonical, hs in table.hubspot_values.items()}
    return table.canonical(renamed.get(option, option)) or renamed.get(option, option)


def _options(prop: dict[str, Any]) -> list[str]:
    return [str(o["value"]) for o in prop.get("options") or [] if not o.get("hidden")]


def picklist_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    seen: set[tuple[str, str, str, str]] = set()
    for m in profile.field_mappings:
        if m.rule is SyncRule.DONT_SYNC:
            continue
        for sobject in m.salesforce_objects:
            key = (m.hubspot_object, m.hubspot_property, sobject, m.salesforce_field)
            if key in seen:
                continue
            seen.add(key)
            yield from _pair(observed, m.hubspot_object, m.hubspot_property, sobject, m.salesforce_field)


def _pair(observed: Observed, obj: str, prop_name: str, sobject: str, field_name: str) -> Iterator[Clause]:
    profile = observed.profile
    pair = f"{obj}.{prop_name} <-> {sobject}.{field_name}"
    owner = places.functional_owner(profile, obj, prop_name)
    accepted = observed.picklist_of(sobject, field_name)
    if accepted is None:
        return  # not a picklist (or missing: the field clause names it)
    values = accepted[0]
    properties = observed.properties(obj)
    if properties is None:
        yield not_evaluated("picklist", pair, "each value has a counterpart on the other side",
                            f"HubSpot properties of {obj}: {observed.why.get(f'properties {obj}', 'unreadable')}",
                            places.hubspot_property(obj, prop_name), owner)
        return
    prop = properties.get(prop_name)
    if prop is None:
        return  # the field clause names the missing property
    table = table_for(profile, obj, prop_name, sobject, field_name)
    if prop.get("type") != "enumeration":
        yield conforms("picklist", f"{pair}: any value", f"HubSpot options matching {sobject}.{field_name}'s "
                       f"{len(values)} values", f"HubSpot's {obj}.{prop_name} is free text ({prop.get('type')}): "
                       "values outside the Salesforce picklist are refused or lost", False,
                       places.hubspot_property(obj, prop_name), owner)
        return
    options = _options(prop)
    for value in values:
        wanted = _to_hubspot(table, value)
        yield conforms("picklist", f"{pair}: Salesforce value {value!r}", f"HubSpot option {wanted!r}",
                       f"HubSpot option {wanted!r}" if wanted in options else
                       f"no HubSpot option {wanted!r} (HubSpot offers {len(options)} options)", wanted in options,
                       places.hubspot_property(obj, prop_name), owner)
    for option in options:
        wanted = _to_salesforce(table, option)
        yield conforms("picklist", f"{pair}: HubSpot option {option!r}", f"Salesforce value {wanted!r}",
                       f"Salesforce value {wanted!r}" if wanted in values else
                       f"no active {sobject}.{field_name} value {wanted!r}", wanted in values,
                       places.salesforce_field(sobject, field_name), owner)
