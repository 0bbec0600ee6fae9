"""Spelling variants meet restricted picklists: fold them as a form's dropdown would have.

The recipe mixes spellings people type (USA, Deutschland, Tech) into a share of the records, so the profile's
normalisation is exercised where a field takes free text (drifted's HubSpot Country/Region is such a field: the
variant lands and the sync then meets Salesforce's picklist). Where the field is a restricted picklist (Salesforce
`restrictedPicklist`) or a HubSpot enumeration, the platform refuses a variant outright: no such record can exist
in a sandbox, and refusing it would also drop every child record planned under it. There the seeder writes the
canonical value the profile's normalisation table gives for that exact location, and counts it in the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from harness.profile.model import PicklistTable

Location = tuple[str, str, str]  # (system, object, field), e.g. ("salesforce", "Account", "BillingCountry")


def tables_by_location(normalisation: Mapping[str, PicklistTable] | None) -> dict[Location, PicklistTable]:
    """Each location a normalisation table names (hubspot `contacts.country`, salesforce `Lead.Country`)."""
    out: dict[Location, PicklistTable] = {}
    for table in (normalisation or {}).values():
        for system, locations in (("hubspot", table.hubspot), ("salesforce", table.salesforce)):
            for location in locations:
                obj, _, field = location.partition(".")
                if field:
                    out[(system, obj, field)] = table
    return out


def fold_restricted(system: str, obj: str, data: dict[str, Any], restricted: Mapping[Location, set[str]],
                    tables: Mapping[Location, PicklistTable]) -> tuple[dict[str, Any], list[str]]:
    """`data` with every value a restricted field would refuse replaced by its canonical spelling, when the
    profile knows one the field offers; and the fields so folded. Anything else is left for the platform to judge."""
    folded: list[str] = []
    out = dict(data)
    for field, value in data.items():
        allowed = restricted.get((system, obj, field))
        if allowed is None or not isinstance(value, str) or not value or value in allowed:
            continue
        table = tables.get((system, obj, field))
        canonical = table.canonical(value) if table is not None else None
        if canonical is not None and canonical in allowed:
            out[field] = canonical
            folded.append(field)
    return out, folded
