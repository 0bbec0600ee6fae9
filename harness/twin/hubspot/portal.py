"""The portal's actual configuration, read from `fixtures/orgs/<org>/hubspot.yaml`: account, properties, owners."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROPERTY_TYPES = {"string", "number", "date", "datetime", "enumeration", "bool", "phone_number"}
OBJECT_TYPES = {"contacts": "0-1", "companies": "0-2", "deals": "0-3", "tickets": "0-5", "calls": "0-48",
                "emails": "0-49", "meetings": "0-47", "notes": "0-46", "tasks": "0-27"}
# The properties each object returns when a read names none (HubSpot's documented defaults).
DEFAULT_READ = {
    "contacts": ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
    "companies": ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
    "deals": ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id",
              "pipeline"],
    "tickets": ["content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage",
                "hs_ticket_category", "hs_ticket_priority", "subject"],
}


class PortalError(ValueError):
    """The portal fixture itself is wrong."""


@dataclass
class PropertyDefinition:
    name: str
    label: str
    type: str
    field_type: str
    group_name: str = "contactinformation"
    options: list[dict[str, Any]] = field(default_factory=list)
    read_only: bool = False
    calculated: bool = False
    hubspot_defined: bool = True
    has_unique_value: bool = False

    def option_values(self) -> set[str]:
        return {str(o["value"]) for o in self.options}


@dataclass
class Portal:
    portal_id: int
    account_type: str
    time_zone: str
    currency: str
    properties: dict[str, dict[str, PropertyDefinition]]  # object type -> name -> definition
    owners: list[dict[str, Any]]
    raw: dict[str, Any]

    def property(self, object_type: str, name: str) -> PropertyDefinition | None:
        return self.properties.get(object_type, {}).get(name)


def _definition(source: Path, object_type: str, name: str, spec: dict[str, Any]) -> PropertyDefinition:
    kind = spec.get("type", "string")
    if kind not in PROPERTY_TYPES:
        raise PortalError(f"{source}: properties.{object_type}.{name}.type: {kind!r} is not a HubSpot property type; "
                          f"use one of {sorted(PROPERTY_TYPES)}")
    default_field = {"string": "text", "number": "number", "date": "date", "datetime": "date", "enumeration": "select",
                     "bool": "booleancheckbox", "phone_number": "phonenumber"}[kind]
    options = []
    for position, option in enumerate(spec.get("options") or []):
        if isinstance(option, dict):
            options.append({"label": str(option.get("label", option["value"])), "value": str(option["value"]),
                            "displayOrder": position, "hidden": bool(option.get("hidden", False))})
        else:
            options.append({"label": str(option), "value": str(option), "displayOrder": position, "hidden": False})
    if kind == "bool" and not options:
        options = [{"label": "Yes", "value": "true", "displayOrder": 0, "hidden": False},
                   {"label": "No", "value": "false", "displayOrder": 1, "hidden": False}]
    return PropertyDefinition(
        name=name, label=spec.get("label", name), type=kind, field_type=spec.get("field_type", default_field),
        group_name=spec.get("group", f"{object_type[:-1]}information"), options=options,
        read_only=bool(spec.get("read_only", False)), calculated=bool(spec.get("calculated", False)),
        hubspot_defined=bool(spec.get("hubspot_defined", not name.startswith("x_"))),
        has_unique_value=bool(spec.get("unique", False)))


def load_portal(path: Path) -> Portal:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise PortalError(f"{path}: not valid YAML ({error})") from error
    account = raw.get("account") or {}
    properties: dict[str, dict[str, PropertyDefinition]] = {}
    for object_type, specs in (raw.get("properties") or {}).items():
        if object_type not in OBJECT_TYPES:
            raise PortalError(f"{path}: properties.{object_type}: not a CRM object type; use one of {sorted(OBJECT_TYPES)}")
        properties[object_type] = {name: _definition(path, object_type, name, spec or {}) for name, spec in specs.items()}
    # Properties HubSpot maintains itself exist on every object whether or not the fixture lists them.
    for object_type in OBJECT_TYPES:
        defined = properties.setdefault(object_type, {})
        for name, kind in (("hs_object_id", "number"), ("createdate", "datetime"), ("lastmodifieddate", "datetime"),
                           ("hs_lastmodifieddate", "datetime"), ("hs_merged_object_ids", "string")):
            defined.setdefault(name, PropertyDefinition(name, name, kind, "text", read_only=True, calculated=False))
    return Portal(portal_id=int(account.get("portal_id", 24681357)), account_type=str(account.get("type", "SANDBOX")),
                  time_zone=str(account.get("time_zone", "US/Eastern")), currency=str(account.get("currency", "USD")),
                  properties=properties, owners=list(raw.get("owners") or []), raw=raw)
