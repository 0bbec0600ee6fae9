"""What the seed plan covers of the profile's contract: every picklist value of every picklist-mapped field on the
side that owns it (the profile's source-of-truth map), every owner the profile lists, and the delete policy.

Read from the plan (pure: no I/O), so `uat seed --plan` and a test can say it before anything is created. The
values a field must show come from the profile where it states them (normalisation families, Lead Status,
lifecycle stages); a picklist-mapped field whose values the profile does not state is listed as such, by name,
never silently counted as covered. The seed manifest carries the result (`contract_coverage`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.seeder.plan import SeedPlan

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import FieldMapping, Profile

# Picklist types as the mapping CSV names them (HubSpot field types; Salesforce describe types).
HUBSPOT_OPTION_TYPES = {"select", "radio", "checkbox", "booleancheckbox", "enumeration"}
SALESFORCE_OPTION_TYPES = {"picklist", "multipicklist", "combobox"}


def _owner_of(profile: Profile, hubspot_object: str, prop: str) -> str:
    """The system of record for a property: its field row, else its object's row ("hubspot", "salesforce",
    "governed"); "both" when the profile says nothing."""
    rows = getattr(profile, "source_of_truth", None) or []
    field_row = next((r for r in rows if r.object == hubspot_object and getattr(r, "field", None) == prop), None)
    object_row = next((r for r in rows if r.object == hubspot_object and not getattr(r, "field", None)), None)
    row = field_row or object_row
    return str(getattr(row, "system_of_record", None) or "both")


def _stated_values(profile: Profile, mapping: FieldMapping, sobject: str) -> tuple[list[str], str] | None:
    """The values the profile states for a picklist pair, and where it states them."""
    lifecycle = getattr(profile, "lifecycle", None)
    if lifecycle is not None and mapping.hubspot_property == lifecycle.hubspot_property:
        return list(lifecycle.stages), "lifecycle.stages"
    status = getattr(profile, "lead_status", None)
    if status is not None and mapping.hubspot_property == status.hubspot_property:
        # A converted status is reached only by converting a Lead (the lead conversion scenarios), never created.
        return [v for v in status.values if v not in set(status.converted or [])], "lead_status.values (less converted)"
    for name, family in (getattr(profile, "normalisation", None) or {}).items():
        if mapping.key in (family.hubspot or []) or f"{sobject}.{mapping.salesforce_field}" in (family.salesforce or []):
            return list(family.values), f"normalisation.{name}.values"
    return None


def _sides(profile: Profile, mapping: FieldMapping, values: list[str]) -> dict[str, list[str]]:
    """Which side must show each value: the owner's; a governed lifecycle splits at `salesforce_owns_from`."""
    owner = _owner_of(profile, mapping.hubspot_object, mapping.hubspot_property)
    lifecycle = getattr(profile, "lifecycle", None)
    if owner == "governed" and lifecycle is not None and lifecycle.salesforce_owns_from in values:
        cut = values.index(lifecycle.salesforce_owns_from)
        return {"hubspot": values[:cut], "salesforce": values[cut:]}
    if owner in {"hubspot", "salesforce"}:
        return {owner: values}
    return {"hubspot": values, "salesforce": values}  # owned by both: either side may show it, both must


def _seen(plan: SeedPlan, side: str, objects: set[str], name: str) -> set[str]:
    return {str(r.data[name]) for r in plan.records
            if r.system == side and r.object in objects and r.data.get(name) not in (None, "")}


def picklist_coverage(plan: SeedPlan, profile: Profile) -> list[dict[str, Any]]:
    out = []
    for mapping in getattr(profile, "field_mappings", None) or []:
        if (mapping.hubspot_type or "") not in HUBSPOT_OPTION_TYPES \
                and (mapping.salesforce_type or "") not in SALESFORCE_OPTION_TYPES:
            continue
        # One row per CSV row: a row mapped to Lead and Contact is covered by either (a contact is one or the other).
        sobjects = "/".join(mapping.salesforce_objects)
        row = {"mapping": f"{mapping.key} <-> {sobjects}.{mapping.salesforce_field}"}
        if mapping.salesforce_field == "OwnerId":
            out.append({**row, "status": "owners: see the owners' coverage", "missing": []})
            continue
        stated = _stated_values(profile, mapping, mapping.salesforce_objects[0])
        if stated is None:
            out.append({**row, "status": "values not stated in the profile", "missing": []})
            continue
        values, source = stated
        missing: list[str] = []
        sides = _sides(profile, mapping, values)
        for side, wanted in sides.items():
            objects, name = ({mapping.hubspot_object}, mapping.hubspot_property) if side == "hubspot" \
                else (set(mapping.salesforce_objects), mapping.salesforce_field)
            seen = _seen(plan, side, objects, name)
            missing += [f"{v} ({side})" for v in wanted if v not in seen]
        out.append({**row, "values_from": source, "owned_by": sorted(sides), "values": len(values),
                    "status": "covered" if not missing else "missing values", "missing": missing})
    return out


def owner_coverage(plan: SeedPlan, profile: Profile) -> list[dict[str, Any]]:
    """Records each profile owner owns in the plan: a region's records go to its first listed owner (the seeder
    resolves `owner:<REGION>` to the first of the region's e-mails that exists)."""
    region_owner = {region: emails[0].lower() for region, emails in plan.owners.items() if emails}
    owned: dict[str, int] = {}
    for record in plan.records:
        for ref in record.refs.values():
            if ref.startswith("owner:") and ref[6:] in region_owner:
                owned[region_owner[ref[6:]]] = owned.get(region_owner[ref[6:]], 0) + 1
    return [{"owner": o.email, "records": owned.get(o.email.lower(), 0),
             "status": "covered" if owned.get(o.email.lower()) else "owns no seeded record"}
            for o in getattr(profile, "owners", None) or []]


def delete_coverage(plan: SeedPlan, profile: Profile) -> list[dict[str, Any]]:
    """Deletes seeded per object and side the profile states a policy for (records with the `deleted_on_<side>`
    trait). The seeder creates records only: each stated policy is listed as not seeded, by name; the delete-policy
    scenarios (features/deletions.feature) exercise every object and side on a synced pair instead."""
    out = []
    for hubspot_object, policy in (getattr(profile, "delete_policy", None) or {}).items():
        for side, rule in (("salesforce", getattr(policy, "on_salesforce_delete", None)),
                           ("hubspot", getattr(policy, "on_hubspot_delete", None))):
            if rule is None:
                continue
            seeded = sum(1 for r in plan.records if f"deleted_on_{side}" in r.traits
                         and (r.object == hubspot_object or r.system == "salesforce"))
            out.append({"object": hubspot_object, "deleted_on": side, "policy": str(getattr(rule, "value", rule)),
                        "seeded": seeded, "status": "covered" if seeded else "not seeded"})
    return out


def contract_coverage(plan: SeedPlan, profile: Profile) -> dict[str, Any]:
    """The manifest's `contract_coverage`: each clause family, and every gap named in one line."""
    picklists, owners, deletes = (picklist_coverage(plan, profile), owner_coverage(plan, profile),
                                  delete_coverage(plan, profile))
    gaps = [f"picklist {p['mapping']}: no seeded record shows {', '.join(p['missing'])}" for p in picklists
            if p["missing"]]
    gaps += [f"owner {o['owner']} owns no seeded record" for o in owners if not o["records"]]
    gaps += [f"delete policy {d['object']} on {d['deleted_on']} delete ({d['policy']}): no delete seeded (exercised "
             "on a synced pair by the delete-policy scenarios)" for d in deletes if not d["seeded"]]
    unstated = [p["mapping"] for p in picklists if p["status"] == "values not stated in the profile"]
    return {"picklists": picklists, "owners": owners, "deletes": deletes, "gaps": gaps,
            "values_not_stated": unstated}
