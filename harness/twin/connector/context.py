"""What every object module of one connector shares: both sides, links, health, retries, settings, stats."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .budget import ApiBudget
from .fieldsync import FieldSync
from .health import SyncHealth
from .hubspot_side import HubSpotSide
from .lifecycle import Funnel
from .links import Links
from .owners import OwnerDirectory
from .retries import Retries
from .salesforce_side import SalesforceSide
from .settings import ConnectorSettings


@dataclass
class CycleStats:
    started_ms: int
    duration_ms: int = 0
    hubspot_changes: int = 0
    salesforce_changes: int = 0
    created_in_salesforce: int = 0
    created_in_hubspot: int = 0
    updated_in_salesforce: int = 0
    updated_in_hubspot: int = 0
    deleted_in_hubspot: int = 0
    linked: int = 0
    relinked: int = 0
    errors: int = 0
    retried: int = 0
    api_calls: int = 0
    lifecycle_transitions: int = 0
    skipped_not_eligible: int = 0
    paused: bool = False
    suspended: str | None = None
    by_object: dict[str, dict[str, int]] = field(default_factory=dict)

    def bump(self, object_type: str, what: str, amount: int = 1) -> None:
        bucket = self.by_object.setdefault(object_type, {})
        bucket[what] = bucket.get(what, 0) + amount
        if hasattr(self, what) and isinstance(getattr(self, what), int) and not isinstance(getattr(self, what), bool):
            setattr(self, what, getattr(self, what) + amount)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Context:
    settings: ConnectorSettings
    salesforce: SalesforceSide
    hubspot: HubSpotSide
    links: Links
    health: SyncHealth
    retries: Retries
    budget: ApiBudget
    owners: OwnerDirectory
    funnel: Funnel
    fields: FieldSync
    cycle: int = 0
    since_ms: int = 0
    stats: CycleStats = field(default_factory=lambda: CycleStats(0))
