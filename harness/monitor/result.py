"""What one monitor run found: its figures (charted over time), its alerts, what it could not evaluate and why,
and the remediation list (quarterly). Alerts decide the exit code: 1 when any, else 0."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Cadence(StrEnum):
    """The integration guide's "Post Go-Live Monitoring Practices" (docs/monitoring.md)."""

    DAILY = "daily"  # sync-health check: API usage, error counts, last successful sync
    WEEKLY = "weekly"  # reconciliation report: object counts and orphans against variance thresholds
    QUARTERLY = "quarterly"  # sync and automation audit: mappings, automation conflicts, dead-stage logic, governance


@dataclass(frozen=True)
class Alert:
    check: str  # e.g. "API usage", "Sync Health errors", "Object counts", "Conformance"
    message: str  # one line a RevOps owner can act on

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


@dataclass(frozen=True)
class Remediation:
    source: str  # conformance | audit | lint
    item: str  # the clause, automation or rule
    problem: str
    fix: str
    severity: str = "error"


@dataclass
class MonitorResult:
    cadence: Cadence
    target: str  # "Salesforce <org id> / HubSpot <portal id>": the history keys deltas by it
    figures: dict[str, Any] = field(default_factory=dict)
    alerts: list[Alert] = field(default_factory=list)
    not_evaluated: list[str] = field(default_factory=list)  # "<check>: <why>", never a reassuring zero
    remediation: list[Remediation] = field(default_factory=list)

    @property
    def alerting(self) -> bool:
        return bool(self.alerts)

    def to_json(self) -> dict[str, Any]:
        return {"cadence": self.cadence.value, "target": self.target, "figures": self.figures,
                "alerts": [asdict(a) for a in self.alerts], "not_evaluated": self.not_evaluated,
                "remediation": [asdict(r) for r in self.remediation]}
