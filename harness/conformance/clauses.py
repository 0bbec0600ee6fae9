"""One clause of the contract: a configuration item the profile states, what the target runs, and the verdict.

A clause is never dropped: what cannot be checked against this target is `not_evaluated` with the reason, so the
run lists it as a residual risk instead of passing it silently.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    CONFORMS = "conforms"
    DIFFERS = "differs"
    NOT_EVALUATED = "not_evaluated"


@dataclass(frozen=True)
class Family:
    """A kind of clause: its lint rule id (`uat lint --against`), its name, and the defect-log category its
    differences fall under."""

    kind: str
    rule: str
    title: str
    category: str  # harness.uat.failures category of a differing clause


FAMILIES: dict[str, Family] = {f.kind: f for f in (
    Family("mapping", "CONF001", "mapping row runs in the connector", "mapping_mismatch"),
    Family("sync_rule", "CONF002", "mapping runs with the profile's sync rule", "mapping_mismatch"),
    Family("field", "CONF003", "mapped field and property exist with compatible types", "mapping_mismatch"),
    Family("picklist", "CONF004", "picklist value has a counterpart on the other side", "picklists"),
    Family("owner", "CONF005", "owner exists on both sides with the same e-mail", "mapping_mismatch"),
    Family("field_security", "CONF006", "integration user can read / edit the mapped field", "permissions"),
    Family("required", "CONF007", "records HubSpot creates meet required fields and validation rules", "permissions"),
    Family("delete_policy", "CONF008", "connector delete setting matches the profile", "mapping_mismatch"),
    Family("automation", "CONF009", "no automation writes a field the other system owns", "platform_automation"),
    Family("inclusion_list", "CONF010", "inclusion list filters match the profile", "mapping_mismatch"),
    Family("connector_setting", "CONF011", "connector setting matches the profile", "mapping_mismatch"),
    Family("required_automation", "CONF012", "automation the governance relies on is active and acts as stated",
           "platform_automation"),
)}


@dataclass(frozen=True)
class Clause:
    kind: str  # a FAMILIES key
    item: str  # the configuration item, named: "contacts: firstname <-> Lead.FirstName", "owner aiko@..."
    expected: str
    actual: str
    status: Status
    change_at: str  # where to change it: the setup page, or the profile file if the profile is what is wrong
    functional_owner: str | None = None
    reason: str = ""  # why it is not evaluated

    @property
    def id(self) -> str:
        return f"{self.kind}: {self.item}"

    @property
    def family(self) -> Family:
        return FAMILIES[self.kind]

    def line(self) -> str:
        """One line a person reads in a failure message or a residual risk."""
        if self.status is Status.NOT_EVALUATED:
            return f"{self.item}: not evaluated ({self.reason})"
        if self.status is Status.CONFORMS:
            return f"{self.item}: {self.actual}"
        owner = f"; owner: {self.functional_owner}" if self.functional_owner else ""
        return f"{self.item}: expected {self.expected}, found {self.actual} (change at: {self.change_at}{owner})"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["id"] = self.id
        data["rule"] = self.family.rule
        return data


def conforms(kind: str, item: str, expected: str, actual: str, ok: bool, change_at: str,
             functional_owner: str | None = None) -> Clause:
    return Clause(kind, item, expected, actual, Status.CONFORMS if ok else Status.DIFFERS, change_at, functional_owner)


def not_evaluated(kind: str, item: str, expected: str, reason: str, change_at: str = "",
                  functional_owner: str | None = None) -> Clause:
    return Clause(kind, item, expected, "-", Status.NOT_EVALUATED, change_at, functional_owner, reason)
