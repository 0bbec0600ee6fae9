"""A lint finding: which governance rule fired, how bad it is, where, and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # the integration contradicts its own governance: `uat lint` exits 1
    WARNING = "warning"  # a gap that will hurt later (reporting, sign-off), not a contradiction
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    rule: str  # GOV001..., DRIFT001...
    title: str  # the rule's short name, e.g. "lifecycle stage synced as a plain field"
    severity: Severity
    message: str
    fix: str
    where: str  # "file:line", "object.field" or a sandbox location

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
