"""The connector's actual configuration, read from `fixtures/orgs/<org>/connector.yaml`.

This is what the org *does*, which may differ from what the team's profile *expects*: the difference is what
the UAT suite exists to find. The settings follow HubSpot's Salesforce integration settings screens (objects and
their sync rules, field mappings, inclusion list, API allocation); where HubSpot's documentation is silent the
twin's choice is a named switch (`switches.py`), listed in docs/twin-connector.md.

Validated with pydantic (as the profile is): a wrong key or value is one line naming the file, the key path
and what is allowed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .. import fixture_yaml
from .switches import SWITCHES, SwitchError, resolve_switches


class SyncRule(StrEnum):
    TWO_WAY = "Two-way"
    PREFER_SALESFORCE_UNLESS_BLANK = "Prefer Salesforce unless blank"
    ALWAYS_USE_SALESFORCE = "Always use Salesforce"
    DONT_SYNC = "Don't sync"


class SettingsError(ValueError):
    """The connector fixture itself is wrong: the message names the file, the key and the fix."""


# Which Salesforce objects each HubSpot object syncs with, and the HubSpot property holding the link.
SALESFORCE_OBJECTS = {"contacts": ("Lead", "Contact"), "companies": ("Account",), "deals": ("Opportunity",),
                      "tickets": ("Case",)}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldMapping(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hubspot: str = Field(min_length=1)
    salesforce: str = Field(min_length=1)
    rule: SyncRule
    salesforce_objects: tuple[str, ...] = ()

    @field_validator("rule", mode="before")
    @classmethod
    def _rule(cls, value: Any) -> Any:
        # HubSpot's export writes a typographic apostrophe in "Don’t sync".
        return value.replace("’", "'") if isinstance(value, str) else value


class ContactSettings(Strict):
    enabled: Literal[True] = True  # contacts are the one object that must sync
    # HubSpot creates Leads or Contacts in Salesforce: one, never both.
    create_in_salesforce_as: Literal["Lead", "Contact"] = "Lead"
    # "Select what happens in HubSpot when a Salesforce contact or lead is updated".
    on_salesforce_create_or_update: Literal["create_or_update", "do_nothing"] = "create_or_update"
    # Twin switch: HubSpot-side creates/updates reach Salesforce (the documented gate is the inclusion list).
    on_hubspot_create_or_update: Literal["create_or_update", "do_nothing"] = "create_or_update"
    # "Deleting Contacts": the option labels are not in the stored documentation; these are the twin's names.
    on_salesforce_delete: Literal["delete_contact", "do_nothing"] = "do_nothing"
    # Documentation is silent on HubSpot deletes reaching Salesforce: they do not (twin choice).
    on_hubspot_delete: Literal["do_nothing"] = "do_nothing"
    # An active HubSpot list; contacts outside it don't sync. None: every contact is eligible.
    inclusion_list: str | None = None


class CompanySettings(Strict):
    enabled: bool = True
    # HubSpot's "Automatically create and associate companies with contacts" (a portal setting the account-creation
    # rule depends on, so the connector needs to know it).
    hubspot_auto_create_companies: bool = False
    sync_associations: bool = True
    on_salesforce_delete: Literal["delete_company", "do_nothing"] = "do_nothing"
    on_hubspot_delete: Literal["do_nothing"] = "do_nothing"


class DealPipeline(Strict):
    record_type: str | None = None  # None: the org has no opportunity record types (the Master one)
    # HubSpot pipeline id or label (documented: "Salesforce - <record type>"); None: the portal's default pipeline.
    pipeline: str | None = None
    stages: dict[str, str] = Field(default_factory=dict)  # Salesforce StageName -> HubSpot stage (id or label)


class DealSettings(Strict):
    enabled: bool = True
    pipelines: list[DealPipeline] = Field(default_factory=lambda: [DealPipeline()])
    # Documented: deleting an opportunity deletes the deal; deleting a deal does not delete the opportunity.
    on_salesforce_delete: Literal["delete_deal"] = "delete_deal"
    on_hubspot_delete: Literal["do_nothing"] = "do_nothing"
    # Whether a HubSpot deal in a synced pipeline creates an opportunity.
    on_hubspot_create: Literal["create_opportunity", "do_nothing"] = "create_opportunity"
    # The rule for the stage (the pipeline's stage mapping), like a field mapping's.
    stage_rule: SyncRule = SyncRule.TWO_WAY
    sync_associations: bool = True


class ActivityType(Strict):
    sync: bool = True
    task_type: str = "Other"  # the Salesforce Task Type the activity becomes


class ActivitySettings(Strict):
    enabled: bool = True
    hubspot_to_salesforce: dict[Literal["notes", "calls", "emails", "meetings", "tasks"], ActivityType] = Field(
        default_factory=lambda: {"notes": ActivityType(task_type="Other"), "calls": ActivityType(task_type="Call"),
                                 "emails": ActivityType(task_type="Email"), "meetings": ActivityType(task_type="Meeting"),
                                 "tasks": ActivityType(task_type="Other")})
    # Salesforce -> HubSpot toggles, as the settings page lists them.
    salesforce_to_hubspot: dict[Literal["tasks", "emails", "calls", "meetings"], bool] = Field(
        default_factory=lambda: {"tasks": True, "emails": False, "calls": True, "meetings": False})


class TicketPipeline(Strict):
    business_process: str | None = None
    pipeline: str | None = None  # HubSpot ticket pipeline id or label; None: the portal's default one
    statuses: dict[str, str] = Field(default_factory=dict)  # Salesforce Case Status -> HubSpot ticket stage


class TicketSettings(Strict):
    enabled: bool = False  # documented as a beta: one-way, Salesforce cases -> HubSpot tickets
    on_salesforce_delete: Literal["delete_ticket", "do_nothing"] = "do_nothing"
    sync_associations: bool = True
    pipelines: list[TicketPipeline] = Field(default_factory=lambda: [TicketPipeline()])


class ObjectSettings(Strict):
    contacts: ContactSettings = ContactSettings()
    companies: CompanySettings = CompanySettings(enabled=False)
    deals: DealSettings = DealSettings(enabled=False)
    activities: ActivitySettings = ActivitySettings(enabled=False)
    tickets: TicketSettings = TicketSettings()


class ApiSettings(Strict):
    # "Allocated to HubSpot" on the Sync Health tab: the share of the org's daily allowance HubSpot may use.
    allocated_to_hubspot: int | None = Field(default=None, ge=1)
    # Documented: automatic retries of erroring records stop above 75% of the allocation (5,000 calls without one).
    retry_stop_share: float = Field(default=0.75, gt=0, le=1)
    retry_stop_calls_without_allocation: int = Field(default=5000, ge=1)
    # What one call carries: sObject Collections take 200 records, a query page returns 2,000.
    records_per_write_call: int = Field(default=200, ge=1, le=200)
    records_per_query_call: int = Field(default=2000, ge=200, le=2000)


class LifecycleSettings(Strict):
    # "Automatic lifecycle stage transitions": contact role on an open opportunity -> opportunity; won -> customer.
    automatic_transitions: bool = True
    # Documented: the connector cannot move a lifecycle stage backwards. False models an org where the stage is
    # synced as a plain field (drifted).
    never_backwards: bool = True
    # Company lifecycle stage -> associated contacts (HubSpot's lifecycle sync between objects).
    company_to_contacts: bool = True
    # The funnel order; empty: the order of the portal's lifecyclestage options.
    order: list[str] = Field(default_factory=list)


class OwnerSettings(Strict):
    sync: bool = True


class ConnectorSettings(Strict):
    integration_user: str = "integration"  # the Salesforce User (_alias in salesforce.yaml) the connector writes as
    interval_seconds: float = Field(default=5.0, gt=0)
    # The Resolve sync conflict rule: which side wins a Two-way field changed on both sides since the last sync.
    conflict_rule: Literal["most_recent", "prefer_salesforce", "prefer_hubspot"] = "most_recent"
    objects: ObjectSettings = ObjectSettings()
    api: ApiSettings = ApiSettings()
    lifecycle: LifecycleSettings = LifecycleSettings()
    owners: OwnerSettings = OwnerSettings()
    mappings: dict[Literal["contacts", "companies", "deals", "tickets"], list[FieldMapping]] = Field(default_factory=dict)
    switches: dict[str, Any] = Field(default_factory=dict)

    @field_validator("mappings", mode="after")
    @classmethod
    def _default_objects(cls, value: dict[str, list[FieldMapping]]) -> dict[str, list[FieldMapping]]:
        out: dict[str, list[FieldMapping]] = {}
        for object_type, rows in value.items():
            allowed = SALESFORCE_OBJECTS[object_type]
            fixed = []
            seen: dict[tuple[str, str], int] = {}
            for index, row in enumerate(rows):
                objects = row.salesforce_objects or allowed
                wrong = [o for o in objects if o not in allowed]
                if wrong:
                    raise ValueError(f"{object_type}[{index}].salesforce_objects: {wrong[0]} does not sync with HubSpot {object_type}; "
                                     f"use {' or '.join(allowed)}")
                for sobject in objects:
                    if (row.hubspot, sobject) in seen:
                        raise ValueError(f"{object_type}[{index}]: {row.hubspot} is mapped twice on {sobject} (first at "
                                         f"[{seen[(row.hubspot, sobject)]}]); HubSpot allows one mapping per property "
                                         "and object")
                    seen[(row.hubspot, sobject)] = index
                fixed.append(row.model_copy(update={"salesforce_objects": tuple(objects)}))
            out[object_type] = fixed
        return out

    # -- lookups the engine uses ----------------------------------------------------------------------
    def object_mappings(self, object_type: str, salesforce_object: str) -> list[FieldMapping]:
        return [m for m in self.mappings.get(object_type, []) if salesforce_object in m.salesforce_objects]

    def contact_mappings(self, salesforce_object: str) -> list[FieldMapping]:
        return self.object_mappings("contacts", salesforce_object)

    def switch(self, name: str) -> Any:
        return self.switches[name]


def _where(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return "".join(parts) or "(top level)"


def parse_settings(raw: Any, source: str) -> ConnectorSettings:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(f"{source}: a connector fixture is a YAML mapping (integration_user, objects, mappings, ...)")
    try:
        settings = ConnectorSettings.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = _where(tuple(first.get("loc", ())))
        kind = first.get("type", "")
        if kind == "extra_forbidden":
            message = "unknown setting; remove it or check its spelling against docs/twin-connector.md"
        elif kind == "literal_error":
            message = f"{first.get('input')!r} is not allowed; {first['msg'].lower()}"
        elif kind == "enum":
            message = f"{first.get('input')!r} is not a sync rule; use one of {[r.value for r in SyncRule]}"
        else:
            message = first.get("msg", "invalid value").removeprefix("Value error, ")
            if where == "mappings" and message.split("[", 1)[0] in SALESFORCE_OBJECTS:
                where, message = f"mappings.{message.split(':', 1)[0]}", message.split(": ", 1)[1]
        raise SettingsError(f"{source}: {where}: {message}") from None
    try:
        settings.switches = resolve_switches(settings.switches)
    except SwitchError as error:
        raise SettingsError(f"{source}: switches.{error}") from None
    return settings


def load_settings(path: Path) -> ConnectorSettings:
    try:
        raw = fixture_yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path}: connector fixture not found; every org folder needs a connector.yaml") from None
    except yaml.YAMLError as error:
        raise SettingsError(f"{path}: not valid YAML ({error}); fix the syntax at the position shown") from None
    return parse_settings(raw, str(path))


__all__ = ["SWITCHES", "ConnectorSettings", "FieldMapping", "SettingsError", "SyncRule", "load_settings",
           "parse_settings"]
