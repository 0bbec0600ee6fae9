"""What the connected sandboxes can take: which objects and fields exist, and who the owners are.

Read once per seed from the platforms' own descriptions (Salesforce describe, HubSpot properties and owners),
so a recipe can name objects an org lacks: those are planned, skipped, and said so in the manifest.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from harness.sandboxes import Sandboxes


@dataclass
class SeedTarget:
    salesforce_objects: set[str] = field(default_factory=set)
    salesforce_fields: dict[str, set[str]] = field(default_factory=dict)  # createable fields by sObject
    hubspot_properties: dict[str, set[str] | None] = field(default_factory=dict)  # None: could not be read
    salesforce_owners: dict[str, str] = field(default_factory=dict)  # region -> User Id
    hubspot_owners: dict[str, str] = field(default_factory=dict)  # region -> owner id
    # (system, object, field) -> the values a restricted picklist or a HubSpot enumeration accepts
    restricted: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_target(sandboxes: Sandboxes, objects: set[tuple[str, str]], owners: dict[str, list[str]]) -> SeedTarget:
    target = SeedTarget()
    sf = sandboxes.salesforce
    wanted_sf = sorted(o for s, o in objects if s == "salesforce")
    if wanted_sf:
        described = sf.call("describe global", sf.client.describe)
        target.salesforce_objects = {o["name"] for o in (described or {}).get("sobjects", [])
                                     if o.get("createable", True)}
        for name in wanted_sf:
            if name not in target.salesforce_objects:
                continue
            fields = sf.call(f"describe {name}", sf.sobject(name).describe).get("fields", [])
            target.salesforce_fields[name] = {f["name"] for f in fields if f.get("createable", True)}
            names = {f["name"] for f in fields}
            for f in fields:
                if f.get("type") == "picklist" and f.get("restrictedPicklist"):
                    active = [v for v in f.get("picklistValues") or [] if v.get("active", True)]
                    target.restricted[("salesforce", name, f["name"])] = {str(v["value"]) for v in active}
                    # State and Country/Territory Picklists: the text field beside a ...Code picklist (Country,
                    # BillingState) takes only the picklist's labels, the integration values.
                    if f["name"].endswith("Code") and f["name"][:-4] in names:
                        target.restricted[("salesforce", name, f["name"][:-4])] = {str(v["label"]) for v in active}
    for name in sorted(o for s, o in objects if s == "hubspot"):
        properties = _hubspot_properties(sandboxes, name)
        target.hubspot_properties[name] = set(properties) if properties is not None else None
        for prop, options in (properties or {}).items():
            if options is not None:
                target.restricted[("hubspot", name, prop)] = options
    emails = sorted({e.lower() for values in owners.values() for e in values})
    if emails and "User" in (target.salesforce_objects or {"User"}):
        quoted = ", ".join(f"'{e}'" for e in emails)
        with contextlib.suppress(Exception):
            users = sf.query_all(f"SELECT Id, Email FROM User WHERE IsActive = true AND Email IN ({quoted})")
            by_email = {u["Email"].lower(): u["Id"] for u in users}
            for region, addresses in owners.items():
                found = [by_email[a.lower()] for a in addresses if a.lower() in by_email]
                if found:
                    target.salesforce_owners[region] = found[0]
    missing = sorted(set(owners) - set(target.salesforce_owners))
    if missing:
        target.notes.append(f"no active Salesforce user for region(s) {missing}: those records keep the API user "
                            "as owner")
    hubspot_owners = _hubspot_owners(sandboxes)
    if hubspot_owners is None:
        target.notes.append("HubSpot owners could not be read: hubspot_owner_id left blank on HubSpot records")
    else:
        for region, addresses in owners.items():
            found = [hubspot_owners[a.lower()] for a in addresses if a.lower() in hubspot_owners]
            if found:
                target.hubspot_owners[region] = found[0]
    return target


def _hubspot_properties(sandboxes: Sandboxes, object_type: str) -> dict[str, set[str] | None] | None:
    """Property name -> the options of a single-choice enumeration (HubSpot refuses any other value), else None."""
    try:
        response = sandboxes.hubspot._call(sandboxes.hubspot.client.crm.properties.core_api.get_all, object_type)
    except Exception:  # no properties API here: the creates themselves will tell
        return None
    out: dict[str, set[str] | None] = {}
    for prop in getattr(response, "results", None) or []:
        single_choice = prop.type == "enumeration" and prop.field_type in {"select", "radio"}
        out[prop.name] = {str(o.value) for o in prop.options or []} if single_choice else None
    return out


def _hubspot_owners(sandboxes: Sandboxes) -> dict[str, str] | None:
    owners: dict[str, str] = {}
    after: Any = None
    try:
        while True:
            page = sandboxes.hubspot._call(sandboxes.hubspot.client.crm.owners.owners_api.get_page, limit=100,
                                           after=after)
            for owner in page.results or []:
                if owner.email:
                    owners[owner.email.lower()] = str(owner.id)
            after = page.paging.next.after if page.paging and page.paging.next else None
            if not after:
                return owners
    except Exception:
        return None
