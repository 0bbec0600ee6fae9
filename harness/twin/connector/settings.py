"""The connector's actual configuration, read from `fixtures/orgs/<org>/connector.yaml`.

This is what the org *does*, which may differ from what the team's profile *expects*: the difference is
what the UAT suite exists to find.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml


class SyncRule(StrEnum):
    TWO_WAY = "Two-way"
    PREFER_SALESFORCE_UNLESS_BLANK = "Prefer Salesforce unless blank"
    ALWAYS_USE_SALESFORCE = "Always use Salesforce"
    DONT_SYNC = "Don't sync"


class SettingsError(ValueError):
    """The connector fixture itself is wrong."""


@dataclass(frozen=True)
class FieldMapping:
    hubspot: str
    salesforce: str
    rule: SyncRule
    salesforce_objects: tuple[str, ...] = ("Lead", "Contact")


@dataclass
class ContactSettings:
    create_in_salesforce_as: str = "Lead"  # "Lead" or "Contact": one, never both
    on_salesforce_create_or_update: str = "create_or_update"  # or "do_nothing"
    on_hubspot_create_or_update: str = "create_or_update"


@dataclass
class ConnectorSettings:
    contacts: ContactSettings
    mappings: dict[str, list[FieldMapping]]  # HubSpot object type -> mappings
    integration_user: str = "integration"
    interval_seconds: float = 5.0
    switches: dict[str, Any] = field(default_factory=dict)

    def contact_mappings(self, salesforce_object: str) -> list[FieldMapping]:
        return [m for m in self.mappings.get("contacts", []) if salesforce_object in m.salesforce_objects]


def load_settings(path: Path) -> ConnectorSettings:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SettingsError(f"{path}: not valid YAML ({error})") from error
    contacts_raw = (raw.get("objects") or {}).get("contacts") or {}
    create_as = str(contacts_raw.get("create_in_salesforce_as", "Lead"))
    if create_as not in {"Lead", "Contact"}:
        raise SettingsError(f"{path}: objects.contacts.create_in_salesforce_as must be Lead or Contact, not {create_as!r}")
    contacts = ContactSettings(create_in_salesforce_as=create_as,
                               on_salesforce_create_or_update=str(contacts_raw.get("on_salesforce_create_or_update",
                                                                                   "create_or_update")),
                               on_hubspot_create_or_update=str(contacts_raw.get("on_hubspot_create_or_update",
                                                                                "create_or_update")))
    mappings: dict[str, list[FieldMapping]] = {}
    for object_type, rows in (raw.get("mappings") or {}).items():
        parsed = []
        for index, row in enumerate(rows or []):
            where = f"{path}: mappings.{object_type}[{index}]"
            try:
                rule = SyncRule(row["rule"])
            except (KeyError, ValueError):
                raise SettingsError(f"{where}.rule: {row.get('rule')!r} is not a sync rule; use one of "
                                    f"{[r.value for r in SyncRule]}") from None
            objects = row.get("salesforce_objects") or (["Lead", "Contact"] if object_type == "contacts" else [])
            parsed.append(FieldMapping(str(row["hubspot"]), str(row["salesforce"]), rule, tuple(objects)))
        mappings[object_type] = parsed
    return ConnectorSettings(contacts=contacts, mappings=mappings,
                             integration_user=str(raw.get("integration_user", "integration")),
                             interval_seconds=float(raw.get("interval_seconds", 5.0)),
                             switches=dict(raw.get("switches") or {}))
