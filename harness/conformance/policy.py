"""Delete policy and automation on governed fields.

Delete policy: per object and side, the profile's `delete_policy` against the connector's delete settings (the twin's
control plane; real HubSpot has no API for them, so against real sandboxes the clause is not evaluated and named).

Automation: an active Salesforce flow, trigger or workflow rule, or an enabled HubSpot workflow, that writes a mapped
field the source-of-truth map gives to the *other* system (read as the automation audit reads it, harness/audit).
The lifecycle stage is governed: HubSpot sets stages before the boundary, Salesforce from it; a retired stage
belongs to no one.
"""

from __future__ import annotations

from collections.abc import Iterator

from harness.audit.hubspot import catalogue_hubspot
from harness.audit.salesforce import catalogue_salesforce
from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed
from harness.profile.model import SystemOfRecord

SIDES = (("on_salesforce_delete", "a Salesforce delete"), ("on_hubspot_delete", "a HubSpot delete"))


def _action(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return "delete" if text.startswith("delete") else text


def delete_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    for hubspot_object in profile.mappings:
        owner = places.functional_owner(profile, hubspot_object)
        policy = profile.delete_policy.get(hubspot_object)
        for side, words in SIDES:
            label = f"{hubspot_object}: on {words}"
            if policy is None:
                yield not_evaluated("delete_policy", label, "the profile's delete policy",
                                    f"the profile states no delete policy for {hubspot_object} (`delete_policy`)",
                                    places.profile_setting(profile, "delete_policy"), owner)
                continue
            expected = getattr(policy, side)
            settings = observed.connector_settings
            if settings is None:
                yield not_evaluated("delete_policy", label, expected, observed.why.get("connector settings", ""),
                                    places.delete_setting(hubspot_object), owner)
                continue
            actual = _action(((settings.get("objects") or {}).get(hubspot_object) or {}).get(side))
            if actual is None:
                yield not_evaluated("delete_policy", label, expected, "the connector's settings do not say",
                                    places.delete_setting(hubspot_object), owner)
                continue
            yield conforms("delete_policy", label, expected, actual, actual == expected,
                           places.delete_setting(hubspot_object), owner)


def automation_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    # (system, object, field), lower case -> (system of record, the item's name, HubSpot object, HubSpot property)
    owners: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
    for m in profile.field_mappings:
        row = profile.ownership(m.hubspot_object, m.hubspot_property)
        if row is None:
            continue
        sor = row.system_of_record.value
        owners[("hubspot", m.hubspot_object, m.hubspot_property.lower())] = (
            sor, f"{m.hubspot_object}.{m.hubspot_property}", m.hubspot_object, m.hubspot_property)
        for sobject in m.salesforce_objects:
            owners[("salesforce", sobject.lower(), m.salesforce_field.lower())] = (
                sor, f"{sobject}.{m.salesforce_field}", m.hubspot_object, m.hubspot_property)
    salesforce = observed.salesforce_automation
    hubspot = observed.hubspot_workflows
    catalogue = []
    for system, rows in (("Salesforce", salesforce), ("HubSpot", hubspot)):
        if rows is None:
            yield not_evaluated("automation", f"{system} automation", "writes no field the other system owns",
                                observed.why.get(f"{system} automation") or observed.why.get(f"{system} workflows", ""),
                                "", places.integration_owner(profile))
    if salesforce is not None:
        fields = sorted({label.split(".")[1] for (system, _o, _f), (_s, label, _h, _p) in owners.items()
                         if system == "salesforce"}, key=str.lower)
        catalogue += catalogue_salesforce(salesforce, fields)
    if hubspot is not None:
        catalogue += catalogue_hubspot(hubspot)
    life = profile.lifecycle
    checked = 0
    for automation in catalogue:
        if not automation.active:
            continue
        for touch in automation.touches:
            if not touch.sets:
                continue
            found = owners.get((automation.system, str(touch.object or "").lower(), touch.field.lower()))
            if found is None:
                continue
            system_of_record, label, hubspot_object, prop = found
            owner = places.functional_owner(profile, hubspot_object, prop)
            allowed = _allowed(system_of_record, automation.system, touch.value, life)
            checked += 1
            value = f" to {touch.value!r}" if touch.value else ""
            yield conforms("automation", f"{automation.label} sets {label}{value}", _expected(system_of_record, label,
                                                                                              life),
                           "allowed" if allowed else f"{automation.system} automation writes a field "
                           f"{'the other system' if system_of_record != 'both' else 'both systems'} owns",
                           allowed, places.automation(automation.system, automation.kind, automation.name), owner)
    if checked == 0 and salesforce is not None and hubspot is not None:
        yield conforms("automation", "active automation on mapped fields", "none writes a field the other system owns",
                       "no active automation writes a mapped field", True, "",
                       places.integration_owner(profile))


def _expected(system_of_record: str, label: str, life: object) -> str:
    if system_of_record == SystemOfRecord.GOVERNED.value and life is not None:
        return (f"HubSpot sets {label} before {life.salesforce_owns_from}, Salesforce from it; "  # type: ignore[attr-defined]
                "no one sets a retired stage")
    return f"only {system_of_record} automates {label}"


def _allowed(system_of_record: str, system: str, value: str | None, life: object) -> bool:
    if system_of_record == SystemOfRecord.GOVERNED.value and life is not None:
        stages = getattr(life, "stages", [])
        boundary = stages.index(life.salesforce_owns_from)  # type: ignore[attr-defined]
        if value is None or value not in stages:
            return False  # an unknown or retired stage: no system may set it
        salesforce_side = stages.index(value) >= boundary
        return salesforce_side == (system == "salesforce")
    if system_of_record == SystemOfRecord.BOTH.value:
        return False
    return system_of_record == system
