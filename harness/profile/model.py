"""The integration profile: what the team *expects* of the connected sandboxes, validated with pydantic.

Sections follow the integration guide's governance vocabulary: the source-of-truth map, the lifecycle taxonomy,
Lead Status, picklist normalisation, inclusion list and selective sync, reconciliation tolerances, deduplication
keys, exit criteria and stakeholders. docs/profile.md documents every setting.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, PrivateAttr, model_validator

if TYPE_CHECKING:  # the mapping rows refer back to this module's object names
    from harness.profile.mappings import FieldMapping

HubSpotObject = Literal["contacts", "companies", "deals", "tickets"]
# The Salesforce objects each HubSpot object syncs with (HubSpot's object pairs).
SALESFORCE_OBJECTS: dict[str, tuple[str, ...]] = {
    "contacts": ("Lead", "Contact"), "companies": ("Account",), "deals": ("Opportunity",), "tickets": ("Case",),
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Person(Strict):
    name: str = Field(min_length=1)
    email: str | None = None
    role: str | None = None


class Target(Strict):
    kind: Literal["twin", "sandboxes"] = "twin"
    org: str = "healthy"  # twin only: the org fixture under fixtures/orgs/
    sync: Literal["manual", "interval"] = "manual"  # twin only: nudge cycles, or let them run on a timer
    # light, heavy, none or a fault-profile file relative to this profile: the twin misbehaves for the whole run
    # (harness/run/faults.py); `uat run --faults` overrides it. Needs the twin's control plane.
    faults: str | None = Field(default=None, min_length=1)


class SyncWindow(Strict):
    timeout_seconds: PositiveFloat = 900.0  # HubSpot: changes are checked for every 15 minutes
    first_poll_seconds: PositiveFloat = 0.5
    max_poll_seconds: PositiveFloat = 30.0


class SeedSettings(Strict):
    recipe: str = "../seed/representative.yaml"
    seed: int = 20261128
    scale: PositiveFloat = 1.0


# -- source of truth ---------------------------------------------------------------------------------
class SystemOfRecord(StrEnum):
    HUBSPOT = "hubspot"
    SALESFORCE = "salesforce"
    GOVERNED = "governed"  # split by a rule (lifecycle: HubSpot below the boundary, Salesforce from it)
    BOTH = "both"  # no single owner: the guide's anti-pattern for owner fields, allowed (and linted) elsewhere


class Direction(StrEnum):
    BOTH = "both"  # either side may change it, the most recent change wins (Two-way)
    FROM_SALESFORCE = "from_salesforce"  # Salesforce writes, HubSpot reads
    FROM_HUBSPOT = "from_hubspot"  # HubSpot writes, Salesforce reads
    GOVERNED = "governed"  # both sides, under the lifecycle rules (forward only, boundary)
    NONE = "none"  # deliberately not synced


class Ownership(Strict):
    """One row of the source-of-truth map: an object (all its fields) or one field of it."""

    object: HubSpotObject
    field: str | None = None  # HubSpot property internal name; omitted = the whole object
    system_of_record: SystemOfRecord
    direction: Direction
    functional_owner: str = Field(min_length=1)
    note: str | None = None

    @property
    def key(self) -> str:
        return f"{self.object}.{self.field}" if self.field else self.object


# -- lifecycle ---------------------------------------------------------------------------------------
class LifecycleTimestamp(Strict):
    stage: str
    hubspot: str | None = None  # e.g. hs_lifecyclestage_marketingqualifiedlead_date
    salesforce: str | None = None  # e.g. MQL_Date__c
    immutable: bool = False  # stamped once, on first entry; a profile must say so explicitly


class Lifecycle(Strict):
    hubspot_property: str = "lifecyclestage"
    salesforce_field: str = "Lifecycle_Stage__c"
    stages: list[str] = Field(min_length=2)  # active stages, in funnel order
    retired: list[str] = Field(default_factory=list)  # stages that must no longer be set or tested by anything
    salesforce_owns_from: str  # the boundary: from this stage on Salesforce owns the stage
    forward_only: bool = True
    timestamps: list[LifecycleTimestamp] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Lifecycle:
        if self.salesforce_owns_from not in self.stages:
            raise ValueError(f"salesforce_owns_from {self.salesforce_owns_from!r} is not one of the active stages "
                             f"{self.stages}")
        both = sorted(set(self.stages) & set(self.retired))
        if both:
            raise ValueError(f"stage(s) {both} are listed as active and retired; keep each stage in one list")
        return self

    def rank(self, stage: str) -> int:
        return self.stages.index(stage) if stage in self.stages else -1


class LeadStatus(Strict):
    hubspot_property: str = "hs_lead_status"
    salesforce_field: str = "Status"  # on Lead
    values: list[str] = Field(min_length=1)  # Salesforce picklist values, in order
    converted: list[str] = Field(default_factory=list)  # the values that mean "converted"


# -- picklists ---------------------------------------------------------------------------------------
class PicklistTable(Strict):
    """Canonical values of one business picklist, where it lives on each side, and the spellings to fold in."""

    hubspot: list[str] = Field(default_factory=list)  # "object.property", e.g. contacts.country
    salesforce: list[str] = Field(default_factory=list)  # "Object.Field", e.g. Lead.Country
    values: list[str] = Field(min_length=1)
    variants: dict[str, str] = Field(default_factory=dict)  # spelling seen in the wild -> canonical value
    # Where the two sides store one canonical value under different names: canonical (Salesforce) value -> the
    # HubSpot option's internal value. Applied both ways by configuration conformance; one to one (GOV015).
    hubspot_values: dict[str, str] = Field(default_factory=dict)

    def hubspot_value(self, canonical: str) -> str:
        """The HubSpot option that holds a canonical value (the value itself unless `hubspot_values` renames it)."""
        return self.hubspot_values.get(canonical, canonical)

    def canonical(self, value: str | None) -> str | None:
        if value is None:
            return None
        folded = " ".join(str(value).split()).casefold()
        for canonical in self.values:
            if canonical.casefold() == folded:
                return canonical
        for variant, canonical in self.variants.items():
            if " ".join(variant.split()).casefold() == folded:
                return canonical
        return None


# -- inclusion and selective sync --------------------------------------------------------------------
class ListFilter(Strict):
    property: str
    operator: Literal["EQ", "NEQ", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "IN", "NOT_IN"]
    value: str | list[str] | None = None


class InclusionList(Strict):
    enabled: bool = True
    name: str | None = None
    filters: list[ListFilter] = Field(default_factory=list)  # all must hold (AND)
    expect_excluded: list[str] = Field(default_factory=list)  # segments the team means to keep out, in words


class SelectiveSync(Strict):
    enabled: bool = False
    integration_user: str | None = None  # the Salesforce user the connector runs as
    hidden: list[str] = Field(default_factory=list)  # records the integration user must not see, in words


# -- configuration the connector must run ------------------------------------------------------------
DeleteAction = Literal["delete", "do_nothing"]


class DeletePolicy(Strict):
    """What the connector does on one object when a synced record is deleted on either side (its settings page:
    "Deleting contacts", the opportunity and case delete rules). `delete`: the other side's record is deleted too;
    `do_nothing`: it is kept (and unlinked)."""

    on_salesforce_delete: DeleteAction
    on_hubspot_delete: DeleteAction


# The integration's settings pages, as the team decided them. Every key and value is the connector's own
# vocabulary (docs/twin-connector.md); a setting left unset is not checked and is listed as a residual risk.
class ContactSync(Strict):
    create_in_salesforce_as: Literal["Lead", "Contact"] | None = None  # HubSpot creates one, never both
    on_hubspot_create_or_update: Literal["create_or_update", "do_nothing"] | None = None
    on_salesforce_create_or_update: Literal["create_or_update", "do_nothing"] | None = None


class CompanySync(Strict):
    enabled: bool | None = None
    hubspot_auto_create_companies: bool | None = None  # HubSpot's "create and associate companies automatically"
    sync_associations: bool | None = None


class DealSync(Strict):
    enabled: bool | None = None
    on_hubspot_create: Literal["create_opportunity", "do_nothing"] | None = None
    stage_rule: Literal["Two-way", "Prefer Salesforce unless blank", "Always use Salesforce", "Don't sync"] | None = None


class LifecycleSync(Strict):
    automatic_transitions: bool | None = None  # contact role on an open opportunity -> opportunity; won -> customer
    never_backwards: bool | None = None
    company_to_contacts: bool | None = None  # a company's lifecycle stage reaches its associated contacts


ActivityKind = Literal["notes", "calls", "emails", "meetings", "tasks"]


class ActivitySync(Strict):
    enabled: bool | None = None
    # Each HubSpot activity type: the Salesforce Task type it becomes, or `off` (not synced).
    hubspot_to_salesforce: dict[ActivityKind, str] = Field(default_factory=dict)
    # Each Salesforce activity type the settings page lists: synced to HubSpot or not.
    salesforce_to_hubspot: dict[Literal["tasks", "emails", "calls", "meetings"], bool] = Field(default_factory=dict)


class OwnerSync(Strict):
    sync: bool | None = None


class ConnectorSettings(Strict):
    """What the connector's settings pages must say (HubSpot: Settings > Integrations > Connected apps >
    Salesforce). HubSpot offers no API for them: on the twin they are read from its control plane, against real
    sandboxes each stated setting is a residual risk to confirm on the page."""

    contacts: ContactSync = ContactSync()
    companies: CompanySync = CompanySync()
    deals: DealSync = DealSync()
    activities: ActivitySync = ActivitySync()
    lifecycle: LifecycleSync = LifecycleSync()
    owners: OwnerSync = OwnerSync()
    conflict_rule: Literal["most_recent", "prefer_salesforce", "prefer_hubspot"] | None = None


# Salesforce automation the governance relies on: each must exist, be active and act as stated.
class RequiredFlow(Strict):
    name: str = Field(min_length=1)  # the flow's API name
    object: str | None = None  # the object that triggers it
    why: str | None = None


class RequiredValidationRule(Strict):
    object: str = Field(min_length=1)
    name: str = Field(min_length=1)
    field: str | None = None  # the field it guards: an immutable lifecycle timestamp names its rule this way (GOV018)
    why: str | None = None


DuplicateAction = Literal["allow", "block"]


class RequiredDuplicateRule(Strict):
    object: str = Field(min_length=1)
    name: str = Field(min_length=1)  # DeveloperName
    on_create: DuplicateAction | None = None  # None: only that it is active
    on_edit: DuplicateAction | None = None
    why: str | None = None


class RequiredAutomation(Strict):
    flows: list[RequiredFlow] = Field(default_factory=list)
    validation_rules: list[RequiredValidationRule] = Field(default_factory=list)
    duplicate_rules: list[RequiredDuplicateRule] = Field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.flows or self.validation_rules or self.duplicate_rules)


class Owner(Strict):
    """A person who owns synced records: a Salesforce user and a HubSpot owner with the same e-mail (the connector
    matches owners by e-mail only)."""

    email: str = Field(min_length=3)
    name: str | None = None
    # The Salesforce territory (its name or DeveloperName) this person owns: territory assignment hands them its
    # accounts, so a territory handed to someone else moves records between owners.
    territory: str | None = None
    note: str | None = None


class Conformance(Strict):
    """Where configuration conformance reads what the connector actually runs on real sandboxes (the twin's
    connector answers its control plane instead). HubSpot offers no API for the integration's field mappings: the
    admin exports them to CSV from the integration's settings (one file per object, or a folder of them)."""

    connector_export: str | None = Field(default=None, min_length=1)  # a CSV or a folder, relative to the profile


# -- reconciliation ----------------------------------------------------------------------------------
class ObjectTolerance(Strict):
    salesforce: list[str] = Field(min_length=1)
    max_count_diff: int = Field(default=0, ge=0)
    max_count_diff_percent: float = Field(default=0.0, ge=0, le=100)
    max_orphans: int = Field(default=0, ge=0)


class KeyTotal(Strict):
    name: str = Field(min_length=1)
    hubspot: str  # object.property
    salesforce: str  # Object.Field
    aggregate: Literal["sum", "count"] = "sum"
    group_by: dict[str, str] | None = None  # {hubspot: deals.dealstage, salesforce: Opportunity.StageName}
    tolerance: float = Field(default=0.0, ge=0)  # absolute difference allowed


class Reconciliation(Strict):
    objects: dict[HubSpotObject, ObjectTolerance] = Field(default_factory=dict)
    key_totals: list[KeyTotal] = Field(default_factory=list)
    # `uat reconcile`'s default population: every record of each object (all) or the run's ledger (run).
    scope: Literal["all", "run"] = "run"


class DealPipeline(Strict):
    """Where Salesforce opportunities land in HubSpot: the pipeline, and each Salesforce stage's HubSpot stage."""

    pipeline: str = Field(min_length=1)  # the HubSpot pipeline's label
    stages: dict[str, str] = Field(min_length=1)  # Salesforce StageName -> HubSpot deal stage id


class Deduplication(Strict):
    hubspot: dict[HubSpotObject, list[str]] = Field(default_factory=dict)  # object -> properties
    salesforce: dict[str, list[str]] = Field(default_factory=dict)  # sObject -> fields


# -- sign-off ----------------------------------------------------------------------------------------
class ExitCriteria(Strict):
    max_failed_scenarios: int = Field(default=0, ge=0)
    min_pass_rate: float = Field(default=1.0, ge=0, le=1)
    max_open_critical_defects: int = Field(default=0, ge=0)
    require_reconciliation: bool = True
    require_clean_audit: bool = True
    require_clean_lint: bool = False  # an error-level governance finding blocks GO (otherwise shown, advisory)
    # Configuration conformance: every evaluated clause conforms (docs/conformance.md); blocking when it ran.
    require_conformance: bool = True
    # Open Sync Health errors allowed; unset: advisory (a shared sandbox may hold errors the run never caused)
    max_open_sync_errors: int | None = Field(default=None, ge=0)
    # Seed records the platforms refused, as a share of those planned: over it the run cannot end GO
    max_seed_loss_percent: float = Field(default=0.0, ge=0, le=100)


class ApiBudget(Strict):
    """API calls one run may spend on each platform (0: no budget); the sign-off report shows use against it."""

    salesforce: int = Field(default=0, ge=0)
    hubspot: int = Field(default=0, ge=0)


class Stakeholder(Strict):
    role: str = Field(min_length=1)
    name: str = Field(min_length=1)
    email: str | None = None


class Profile(Strict):
    name: str = Field(min_length=1)
    integration_owner: Person | None = None  # required in practice: `uat lint` rule GOV008 says so and why
    target: Target = Target()
    sync_window: SyncWindow = SyncWindow()
    mappings: dict[HubSpotObject, str] = Field(min_length=1)
    source_of_truth: list[Ownership] = Field(default_factory=list)
    lifecycle: Lifecycle | None = None
    lead_status: LeadStatus | None = None
    normalisation: dict[str, PicklistTable] = Field(default_factory=dict)
    inclusion_list: InclusionList | None = None
    selective_sync: SelectiveSync | None = None
    reconciliation: Reconciliation | None = None
    deduplication: Deduplication | None = None
    deal_pipeline: DealPipeline | None = None
    delete_policy: dict[HubSpotObject, DeletePolicy] = Field(default_factory=dict)
    owners: list[Owner] = Field(default_factory=list)
    connector: ConnectorSettings | None = None
    required_automation: RequiredAutomation = RequiredAutomation()
    conformance: Conformance = Conformance()
    seed: SeedSettings = SeedSettings()
    exit_criteria: ExitCriteria = ExitCriteria()
    api_budget: ApiBudget = ApiBudget()
    stakeholders: list[Stakeholder] = Field(default_factory=list)

    # Where the profile was read from: relative paths inside it are relative to this file.
    source: Path = Field(default=Path("."), exclude=True)
    _lines: dict[tuple[Any, ...], int] = PrivateAttr(default_factory=dict)
    # The rows of the mapping CSVs, read and checked once by `load_profile`: everything downstream takes the profile.
    _field_mappings: list[FieldMapping] = PrivateAttr(default_factory=list)

    @property
    def field_mappings(self) -> list[FieldMapping]:
        return self._field_mappings

    def mapping_files(self) -> dict[str, Path]:
        """HubSpot object -> its mapping CSV, resolved."""
        return {object_type: self.resolve(relative) for object_type, relative in self.mappings.items()}

    def resolve(self, relative: str) -> Path:
        return (self.source.parent / relative).resolve()

    def line(self, *path: Any) -> int:
        """The line a setting starts on (its nearest existing parent when it is absent); 1 when unknown."""
        for end in range(len(path), -1, -1):
            found = self._lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1

    def ownership(self, hubspot_object: str, field: str | None = None) -> Ownership | None:
        """The source-of-truth row for a field: its own row, else its object's row."""
        object_row = None
        for row in self.source_of_truth:
            if row.object == hubspot_object and row.field == field and field is not None:
                return row
            if row.object == hubspot_object and row.field is None:
                object_row = row
        return object_row
