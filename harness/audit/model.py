"""The automation catalogue in one shape for both platforms: what each automation sets and what it tests."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Touch:
    """One field an automation sets (`sets=True`) or tests in a condition, with the literal value if known."""

    object: str  # Salesforce sObject or HubSpot object type
    field: str
    value: str | None
    sets: bool


@dataclass
class Automation:
    system: str  # "salesforce" | "hubspot"
    kind: str  # Flow, ApexTrigger, WorkflowRule, ValidationRule, HubSpot workflow
    name: str
    active: bool
    object: str | None
    touches: list[Touch] = field(default_factory=list)

    @property
    def label(self) -> str:
        state = "active" if self.active else "inactive"
        return f"{self.system} {self.kind} '{self.name}' ({state})"


@dataclass(frozen=True)
class GovernedField:
    """A field the source-of-truth map governs: its names on both sides and the system that owns it."""

    name: str  # e.g. "Lifecycle Stage"
    salesforce: str
    hubspot: str
    system_of_record: str  # "salesforce" | "hubspot" | "governed" (split by a boundary)


@dataclass
class AuditPolicy:
    active_stages: list[str]
    retired_stages: list[str]
    lifecycle: GovernedField
    lead_status: GovernedField
    governed: list[GovernedField] = field(default_factory=list)

    def stage_is_retired(self, value: str | None) -> bool:
        return value is not None and value.strip().lower() in {s.lower() for s in self.retired_stages}


@dataclass(frozen=True)
class Finding:
    rule: str  # AUD001...
    severity: str  # error | warning | info
    system: str
    automation: str
    message: str
    fix: str
