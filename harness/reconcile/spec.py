"""What to reconcile for one object pair: the mapped fields with their rule and type, how records match, and
the tolerance. Built from the profile by `from_profile.py`; plain data so the engine has no profile coupling."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from harness.sync.rules import SyncRule


class FieldKind(StrEnum):
    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    MULTI = "multi"  # multi-select: ';'-joined, order irrelevant
    PICKLIST = "picklist"


@dataclass(frozen=True)
class FieldSpec:
    hubspot: str
    salesforce: str
    rule: SyncRule
    kind: FieldKind = FieldKind.STRING
    # Picklist normalisation: variant (either side's spelling, compared case-insensitively) -> canonical value.
    synonyms: tuple[tuple[str, str], ...] = ()
    system_of_record: str = "salesforce"  # which side is right when they disagree (source-of-truth map)
    label: str | None = None  # how reports name the Salesforce side (e.g. "Lead.Country/Contact.MailingCountry")
    # HubSpot computes the value (e.g. "Became an MQL date"): it can flow to Salesforce, never back.
    hubspot_read_only: bool = False

    @property
    def salesforce_label(self) -> str:
        return self.label or self.salesforce


@dataclass(frozen=True)
class KeyTotalSpec:
    """A total both sides must agree on, e.g. opportunity amount by stage or contacts by lifecycle stage."""

    name: str
    hubspot_group: str | None
    salesforce_group: str | None
    hubspot_value: str | None = None  # None: count records
    salesforce_value: str | None = None
    tolerance: float = 0.0  # absolute difference allowed per group
    # Salesforce group value -> the HubSpot group it belongs to (e.g. StageName -> deal stage id), when they differ.
    salesforce_group_map: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ObjectSpec:
    name: str  # e.g. "contacts <-> Lead"
    hubspot_object: str
    salesforce_object: str
    link_property: str  # HubSpot property holding the Salesforce id (e.g. salesforceleadid)
    fields: tuple[FieldSpec, ...]
    hubspot_key: str | None = None  # natural key: email for contacts, domain for companies
    salesforce_key: str | None = None
    count_tolerance_pct: float = 0.0
    count_tolerance_abs: int = 0
    totals: tuple[KeyTotalSpec, ...] = field(default_factory=tuple)

    def compared(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.rule is not SyncRule.DONT_SYNC)
