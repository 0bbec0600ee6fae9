"""Field definitions as both platforms describe them (Salesforce describe, HubSpot properties API), read once
per session: types for reconciliation, valid values for test data, writability for choosing what to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from simple_salesforce.exceptions import SalesforceResourceNotFound

from harness.sandboxes import Sandboxes

KIND_BY_SALESFORCE_TYPE = {
    "picklist": "picklist", "combobox": "picklist", "multipicklist": "multi", "double": "number", "currency": "number",
    "percent": "number", "int": "number", "boolean": "boolean", "date": "date", "datetime": "datetime",
}


@dataclass(frozen=True)
class SalesforceField:
    object: str
    name: str
    type: str
    length: int
    updateable: bool
    createable: bool
    nillable: bool
    picklist: tuple[str, ...]
    restricted: bool
    calculated: bool

    @property
    def kind(self) -> str:
        if self.type == "string" and self.restricted and self.picklist:
            return "picklist"  # a country/state text field checked against its code picklist (see below)
        return KIND_BY_SALESFORCE_TYPE.get(self.type, "string")


@dataclass(frozen=True)
class HubSpotProperty:
    object: str
    name: str
    type: str
    field_type: str
    options: tuple[str, ...]
    read_only: bool
    calculated: bool


@dataclass
class FieldCatalog:
    sandboxes: Sandboxes
    _salesforce: dict[str, dict[str, SalesforceField]] = field(default_factory=dict)
    _hubspot: dict[str, dict[str, HubSpotProperty]] = field(default_factory=dict)

    def salesforce(self, sobject: str, name: str) -> SalesforceField | None:
        if sobject not in self._salesforce:
            try:
                described = self.sandboxes.salesforce.call(f"describe {sobject}",
                                                           self.sandboxes.salesforce.sobject(sobject).describe)
            except SalesforceResourceNotFound:  # the object does not exist in this org
                described = {"fields": []}
            self._salesforce[sobject] = {
                f["name"].lower(): SalesforceField(
                    sobject, f["name"], f["type"], int(f.get("length") or 0), bool(f.get("updateable")),
                    bool(f.get("createable")), bool(f.get("nillable")),
                    tuple(p["value"] for p in f.get("picklistValues") or [] if p.get("active", True)),
                    bool(f.get("restrictedPicklist")), bool(f.get("calculated")))
                for f in described.get("fields", [])}
            self._address_values(sobject, described.get("fields", []))
        return self._salesforce[sobject].get(name.lower())

    def _address_values(self, sobject: str, fields: list[dict[str, Any]]) -> None:
        """With State and Country/Territory Picklists, `BillingCountry` is a string in describe that Salesforce checks
        against the labels of `BillingCountryCode` (same compoundFieldName): it takes those values like a picklist."""
        by_name = {f["name"]: f for f in fields}
        known = self._salesforce[sobject]
        for f in fields:
            code = by_name.get(f"{f['name']}Code")
            if f.get("type") == "string" and code is not None and code.get("type") == "picklist" and \
                    code.get("compoundFieldName") and code.get("compoundFieldName") == f.get("compoundFieldName"):
                labels = tuple(str(p["label"]) for p in code.get("picklistValues") or [] if p.get("active", True))
                known[f["name"].lower()] = replace(known[f["name"].lower()], picklist=labels, restricted=True)

    def hubspot(self, object_type: str, name: str) -> HubSpotProperty | None:
        if object_type not in self._hubspot:
            page = self.sandboxes.hubspot.request("GET", f"/crm/v3/properties/{object_type}")
            found: dict[str, HubSpotProperty] = {}
            for p in (page or {}).get("results", []):
                metadata: dict[str, Any] = p.get("modificationMetadata") or {}
                found[p["name"]] = HubSpotProperty(
                    object_type, p["name"], p.get("type", "string"), p.get("fieldType", "text"),
                    tuple(str(o["value"]) for o in p.get("options") or [] if not o.get("hidden")),
                    bool(metadata.get("readOnlyValue")), bool(p.get("calculated")))
            self._hubspot[object_type] = found
        return self._hubspot[object_type].get(name)
