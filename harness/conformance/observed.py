"""What the target actually runs, read once through the same clients a real sandbox answers: Salesforce describe,
SOQL and the Tooling API; HubSpot's properties, owners and workflows APIs; the connector's settings from the twin's
control plane or, on real sandboxes, the mapping export the admin downloads from HubSpot.

Every read that fails leaves `None` and a reason (`why[...]`): the clauses that need it are then "not evaluated"
with that reason, never guessed.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from harness.audit.read import read_hubspot_workflows, read_salesforce_automation
from harness.errors import UserError
from harness.profile import Profile
from harness.profile.mappings import FieldMapping, load_mappings
from harness.sandboxes import Sandboxes
from harness.sync.rules import SyncRule


def reason_of(error: Exception) -> str:
    status = getattr(error, "status", None) or getattr(getattr(error, "response", None), "status_code", None)
    content = getattr(error, "content", None)
    code = ""
    if isinstance(content, list) and content and isinstance(content[0], dict):
        code = str(content[0].get("errorCode") or "")
    return " ".join(str(x) for x in (type(error).__name__, status, code) if x)


class Observed:
    """The target's configuration, read lazily: a family of clauses reads only what it needs."""

    def __init__(self, profile: Profile, sandboxes: Sandboxes) -> None:
        self.profile = profile
        self.sandboxes = sandboxes
        self.why: dict[str, str] = {}  # read -> why it is unavailable
        self._describe: dict[str, dict[str, dict[str, Any]] | None] = {}
        self._properties: dict[str, dict[str, dict[str, Any]] | None] = {}
        self._duplicates: dict[str, dict[str, Any] | None] = {}

    # -- Salesforce describe and HubSpot properties -----------------------------------------------------
    def sobject(self, name: str) -> dict[str, dict[str, Any]] | None:
        """Field name (lower case) -> describe's field, or None when the org has no such object (or denies it)."""
        if name not in self._describe:
            try:
                described = self.sandboxes.salesforce.call(f"describe {name}",
                                                           self.sandboxes.salesforce.sobject(name).describe)
                self._describe[name] = {f["name"].lower(): f for f in described["fields"]}
            except Exception as error:  # 404 NOT_FOUND: no such object for this user
                self._describe[name] = None
                self.why[f"describe {name}"] = reason_of(error)
        return self._describe[name]

    def sf_field(self, sobject: str, field: str) -> dict[str, Any] | None:
        return (self.sobject(sobject) or {}).get(field.lower())

    def picklist_of(self, sobject: str, field: str) -> tuple[list[str], bool] | None:
        """The values a field accepts, as (active values, is a picklist) or None when it is free text.

        With State and Country/Territory Picklists the integration writes the text field (`BillingCountry`, a
        string in describe) and Salesforce checks it against the labels of its code picklist (`BillingCountryCode`).
        """
        described = self.sf_field(sobject, field)
        if described is None:
            return None
        if described.get("type") in ("picklist", "multipicklist"):
            return [str(v["value"]) for v in described.get("picklistValues") or [] if v.get("active", True)], True
        code = self.sf_field(sobject, f"{field}Code")
        if described.get("type") == "string" and code is not None and code.get("type") == "picklist" and \
                code.get("compoundFieldName") and code.get("compoundFieldName") == described.get("compoundFieldName"):
            return [str(v["label"]) for v in code.get("picklistValues") or [] if v.get("active", True)], True
        return None

    def properties(self, hubspot_object: str) -> dict[str, dict[str, Any]] | None:
        if hubspot_object not in self._properties:
            try:
                page = self.sandboxes.hubspot.request("GET", f"/crm/v3/properties/{hubspot_object}")
                self._properties[hubspot_object] = {p["name"]: p for p in (page or {}).get("results", [])}
            except Exception as error:
                self._properties[hubspot_object] = None
                self.why[f"properties {hubspot_object}"] = reason_of(error)
        return self._properties[hubspot_object]

    def hs_property(self, hubspot_object: str, name: str) -> dict[str, Any] | None:
        return (self.properties(hubspot_object) or {}).get(name)

    # -- the connector ------------------------------------------------------------------------------------
    @cached_property
    def connector_settings(self) -> dict[str, Any] | None:
        """The twin's connector settings (control plane). Real HubSpot has no API for them: None."""
        control = self.sandboxes.control
        if control is None:
            self.why["connector settings"] = ("HubSpot offers no API for the Salesforce integration's settings; "
                                              "compare them by hand on its settings page")
            return None
        try:
            return control.connector_settings()
        except Exception as error:
            self.why["connector settings"] = f"the control plane did not answer ({reason_of(error)})"
            return None

    @cached_property
    def mappings(self) -> dict[str, list[FieldMapping]] | None:
        """HubSpot object -> the mapping rows the connector runs: the twin's control plane, else the profile's
        `conformance.connector_export`. None (and a reason) when neither is available."""
        settings = self.connector_settings
        if settings is not None and "mappings" in settings:
            out: dict[str, list[FieldMapping]] = {}
            for hubspot_object, rows in (settings.get("mappings") or {}).items():
                out[hubspot_object] = [
                    FieldMapping(hubspot_object, row["hubspot"], tuple(row["salesforce_objects"]), row["salesforce"],
                                 SyncRule(row["rule"]), number) for number, row in enumerate(rows, start=1)]
            self.mappings_source = "the connector's running settings (control plane)"
            return out
        export = self.profile.conformance.connector_export
        if not export:
            self.why["connector mappings"] = ("no mapping export to compare with: set `conformance.connector_export` "
                                              "in the profile to the CSV(s) exported from HubSpot's Salesforce "
                                              "integration settings (Field mappings > Export)")
            return None
        return self._export(self.profile.resolve(export), export)

    mappings_source: str = ""

    def _export(self, path: Path, setting: str) -> dict[str, list[FieldMapping]] | None:
        if not path.exists():
            raise UserError(f"{self.profile.source}: conformance.connector_export {setting!r}: {path} does not "
                            "exist; export the field mappings from HubSpot and point the setting at the file(s)")
        files = {path.stem.lower(): path} if path.is_file() else {
            p.stem.lower(): p for p in sorted(path.glob("*.csv"))}
        out = {}
        for hubspot_object in self.profile.mappings:
            if hubspot_object in files:
                out[hubspot_object] = load_mappings(files[hubspot_object], hubspot_object)
            else:
                self.why[f"connector mappings {hubspot_object}"] = (
                    f"the export {setting} has no {hubspot_object}.csv")
        self.mappings_source = f"the mapping export {setting}"
        return out

    # -- owners -------------------------------------------------------------------------------------------
    @cached_property
    def hubspot_owners(self) -> list[dict[str, Any]] | None:
        owners: list[dict[str, Any]] = []
        after = None
        try:
            while True:
                page = self.sandboxes.hubspot.request("GET", "/crm/v3/owners?limit=500" + (f"&after={after}" if after
                                                                                           else ""))
                owners.extend(page.get("results", []))
                after = ((page.get("paging") or {}).get("next") or {}).get("after")
                if not after:
                    return owners
        except Exception as error:
            self.why["HubSpot owners"] = reason_of(error)
            return None

    @cached_property
    def users(self) -> dict[str, dict[str, Any]] | None:
        try:
            rows = self.sandboxes.salesforce.query_all("SELECT Id, Username, Email, FirstName, LastName, IsActive FROM User")
        except Exception as error:
            self.why["Salesforce users"] = reason_of(error)
            return None
        return {r["Id"]: r for r in rows}

    @cached_property
    def api_user_id(self) -> str | None:
        """The user the harness connects as: records it creates are the run's own, not the org's ownership."""
        client = self.sandboxes.salesforce.client
        try:
            response = client.session.get(f"https://{client.sf_instance}/services/oauth2/userinfo",
                                          headers=client.headers, timeout=30)
            response.raise_for_status()
            return str(response.json().get("user_id") or "") or None
        except Exception:
            return None

    def query(self, name: str, soql: str) -> list[dict[str, Any]] | None:
        try:
            return self.sandboxes.salesforce.query_all(soql)
        except Exception as error:
            self.why[name] = reason_of(error)
            return None

    # -- automation (the audit's reads) -------------------------------------------------------------------
    @cached_property
    def salesforce_automation(self) -> dict[str, list[dict[str, Any]]] | None:
        try:
            return read_salesforce_automation(self.sandboxes)
        except Exception as error:
            self.why["Salesforce automation"] = f"the Tooling API did not answer ({reason_of(error)})"
            return None

    def duplicate_configuration(self, sobject: str) -> dict[str, Any] | None:
        """The object's duplicate management as the UI API gives it (GET /ui-api/duplicates/{object}): its active
        duplicate rules with what each does on a create and an edit. The DuplicateRule sObject has no action."""
        if sobject not in self._duplicates:
            client = self.sandboxes.salesforce.client
            try:
                self._duplicates[sobject] = self.sandboxes.salesforce.call(
                    f"duplicates {sobject}", client.restful, f"ui-api/duplicates/{sobject}")
            except Exception as error:
                self._duplicates[sobject] = None
                self.why[f"duplicates {sobject}"] = f"the UI API did not answer ({reason_of(error)})"
        return self._duplicates[sobject]

    @cached_property
    def hubspot_workflows(self) -> list[dict[str, Any]] | None:
        try:
            return read_hubspot_workflows(self.sandboxes)
        except Exception as error:
            self.why["HubSpot workflows"] = f"the automation API did not answer ({reason_of(error)})"
            return None
