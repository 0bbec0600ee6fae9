"""Picklists compared as both platforms define them, and variants the profile says must be normalised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tabulate import tabulate

from harness.uat.failures import Picklists, TestDataProblem
from harness.uat.pairs import Pair
from harness.uat.waiter import SyncTimeout
from harness.uat.world import World


def option_gaps(world: World) -> list[list[Any]]:
    """[mapping, HubSpot options Salesforce lacks] for every mapping where both sides are picklists."""
    gaps = []
    for mapping in world.mappings:
        prop = world.catalog.hubspot(mapping.hubspot_object, mapping.hubspot_property)
        if prop is None or prop.type != "enumeration" or mapping.salesforce_field == "OwnerId":
            continue
        for sobject in mapping.salesforce_objects:
            described = world.catalog.salesforce(sobject, mapping.salesforce_field)
            if described is None or described.kind not in {"picklist", "multi"}:
                continue
            missing = sorted(set(prop.options) - set(described.picklist))
            if missing:
                gaps.append([f"{mapping.hubspot_object}.{mapping.hubspot_property} -> {sobject}.{mapping.salesforce_field}",
                             ", ".join(missing)])
    return gaps


@dataclass
class PicklistComparison:
    gaps: list[list[Any]]  # [mapping, HubSpot options Salesforce lacks]
    lead_status_missing: list[str] | None  # Salesforce Lead Status values HubSpot lacks; None: not defined


def compare(world: World) -> PicklistComparison:
    """Both platforms' definitions of every picklist the profile maps, read once and compared."""
    status = world.profile.lead_status
    prop = world.catalog.hubspot("contacts", status.hubspot_property if status else "hs_lead_status")
    described = world.catalog.salesforce("Lead", status.salesforce_field if status else "Status")
    missing = sorted(set(described.picklist) - set(prop.options)) if prop and described else None
    return PicklistComparison(option_gaps(world), missing)


def expect_options_valid(comparison: PicklistComparison) -> None:
    if comparison.gaps:
        raise Picklists("HubSpot options that Salesforce's picklist would refuse",
                        tabulate(comparison.gaps, headers=["Mapping", "Missing in Salesforce"], tablefmt="github"))


def expect_lead_status_options(comparison: PicklistComparison) -> None:
    if comparison.lead_status_missing is None:
        raise TestDataProblem("Lead Status is not defined on one of the sides")
    if comparison.lead_status_missing:
        raise Picklists("Salesforce Lead Status values with no HubSpot lead status option",
                        {"missing": comparison.lead_status_missing})


def variant_for(world: World, prop: str) -> tuple[str, str]:
    for table in world.profile.normalisation.values():
        if f"contacts.{prop}" in table.hubspot and table.variants:
            variant, canonical = next(iter(table.variants.items()))
            return variant, canonical
    raise TestDataProblem(f"the profile has no normalisation table with variants for contacts.{prop}")


def set_variant(world: World, pair: Pair, prop: str) -> dict[str, Any]:
    """Write a variant spelling in HubSpot. A dropdown refusing it is normalisation at entry: also a pass."""
    variant, canonical = variant_for(world, prop)
    try:
        world.sandboxes.hubspot.update("contacts", pair.hubspot_id, {prop: variant})
    except Exception as refused:
        if getattr(refused, "status", None) == 400:
            return {"variant": variant, "canonical": canonical, "refused_at_entry": True}
        raise
    return {"variant": variant, "canonical": canonical, "refused_at_entry": False}


def expect_valid_salesforce_value(world: World, pair: Pair, field: str, attempt: dict[str, Any]) -> None:
    if attempt["refused_at_entry"]:
        return

    try:
        world.waiter.until(f"Salesforce {pair.sobject}.{field} holds {attempt['canonical']!r} after HubSpot wrote "
                           f"{attempt['variant']!r}",
                           lambda: world.salesforce(pair.sobject, pair.salesforce_id, [field]),
                           lambda record: None if record.get(field) == attempt["canonical"] else
                           {field: record.get(field)})
    except SyncTimeout as timeout:
        raise Picklists(f"the variant {attempt['variant']!r} was not normalised to {attempt['canonical']!r} before "
                        f"reaching Salesforce {field}", timeout.last_difference) from None


def expect_no_picklist_errors(world: World, pair: Pair) -> None:
    if world.sandboxes.control is None:
        return  # real sandboxes expose no sync-health API; the value check above stands for it
    health = world.sandboxes.control.health()
    errors = [e for e in health.get("errors", []) if e.get("category") == "picklists"
              and pair.hubspot_id in {str(e.get("hubspot_id")), str(e.get("record_id"))}]
    if errors:
        raise Picklists(f"the connector recorded picklist errors for contact {pair.hubspot_id}", errors[:3])
