"""The native connector: one sync cycle over every enabled object, pause, suspension, and its health.

The connector is HubSpot's code talking to Salesforce over the API, so it reads HubSpot state directly and
counts every Salesforce read and write against the org's daily allowance and HubSpot's allocation. A cycle looks
at what changed on either side since the previous one (the watermark) plus the records due for a retry; a cycle
with nothing to do costs one indexed query per object on each side.

Order matters: companies before contacts (a contact's account must be a company first), deals after both (their
associations and contact roles), then activities and tickets.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ..clock import now_ms
from ..hubspot.exceptions import HubSpotError
from ..hubspot.models import HsObject, HubSpotBackend
from ..salesforce.models import SalesforceBackend
from ..store import Store
from .activities import ActivitySync
from .budget import ApiBudget, Suspended
from .companies import CompanySync
from .compat import check_mappings
from .contacts import ContactSync
from .context import Context, CycleStats
from .deals import DealSync
from .fieldsync import FieldSync
from .health import SyncHealth
from .hubspot_side import HubSpotSide
from .inclusion import InclusionList
from .lifecycle import Funnel
from .links import Links
from .objects import ObjectSync
from .owners import OwnerDirectory
from .retries import Retries
from .salesforce_side import SalesforceSide
from .settings import ConnectorSettings, parse_settings
from .tickets import TicketSync


class Connector:
    def __init__(self, store: Store, salesforce: SalesforceBackend, hubspot: HubSpotBackend,
                 settings: ConnectorSettings, source: str = "connector.yaml") -> None:
        self.store = store
        self.sf = salesforce
        self.hs = hubspot
        self.source = source
        self._cycle_lock = threading.Lock()
        self.health = SyncHealth(store)
        self._build(settings)

    def _build(self, settings: ConnectorSettings) -> None:
        """Wire every part to one settings object (again, when the settings change at run time)."""
        check_mappings(settings, self.sf.schema, self.hs.portal, self.source)
        self.settings = settings
        self.budget = ApiBudget(self.store, self.sf, settings.api)
        sf_side = SalesforceSide(self.store, self.sf, self.budget, settings.integration_user)
        hs_side = HubSpotSide(self.store, self.hs)
        owners = OwnerDirectory(self.hs, sf_side,
                                mint_unknown=settings.switches["unknown_salesforce_owner"] == "create_salesforce_owner")
        funnel = Funnel(settings.lifecycle, self.hs)
        self.ctx = Context(settings=settings, salesforce=sf_side, hubspot=hs_side, links=Links(self.store),
                           health=self.health, retries=Retries(self.store), budget=self.budget, owners=owners,
                           funnel=funnel, fields=FieldSync(settings, hs_side, owners, funnel, sf_side))
        self.inclusion = InclusionList(settings.objects.contacts.inclusion_list, self.hs, self.source)
        self.companies = CompanySync(self.ctx, self.inclusion)
        self.contacts = ContactSync(self.ctx, self.inclusion)
        self.deals = DealSync(self.ctx, self.source)
        self.deals.check()
        self.activities = ActivitySync(self.ctx)
        self.tickets = TicketSync(self.ctx, self.source)
        self.tickets.check()
        self.modules: list[ObjectSync] = [self.companies, self.contacts, self.deals, self.activities, self.tickets]
        # HubSpot refuses company merges while the integration syncs companies (switch hubspot_company_merge).
        guards = self.hs.merge_guards
        guards[:] = [g for g in guards if not getattr(g, "connector_guard", False)]
        if settings.objects.companies.enabled and settings.switches["hubspot_company_merge"] == "blocked":
            guards.append(_company_merge_guard)

    def apply_settings(self, changes: dict[str, Any]) -> ConnectorSettings:
        """Change settings as an admin would on HubSpot's settings screens: `changes` is merged into the current
        settings (mappings and other lists are replaced whole). Links, snapshots and health are kept, so a new
        mapping does not backfill: existing values wait for their records to sync again."""
        with self._cycle_lock:
            merged = _merge(self.settings.model_dump(mode="json"), changes)
            settings = parse_settings(merged, f"{self.source} (changed at run time)")
            added = dict(self.ctx.fields.mapping_added_ms)
            before = {(o, m.hubspot, m.salesforce) for o, rows in self.settings.mappings.items() for m in rows}
            stamp = now_ms()
            for object_type, rows in settings.mappings.items():
                for m in rows:
                    if (object_type, m.hubspot, m.salesforce) not in before:
                        added[(object_type, m.hubspot, m.salesforce)] = stamp
            self._build(settings)
            self.ctx.fields.mapping_added_ms = added
            return settings

    def resync(self, object_type: str, ids: list[str]) -> int:
        """A manual sync ("Sync" on the record, a list, a view): the records sync on the next cycle."""
        due = 0
        for record_id in ids:
            self.ctx.retries.later("hs", object_type, str(record_id), 0)
            due += 1
        return due

    # -- state kept across restarts -------------------------------------------------------------------
    @property
    def watermark(self) -> int:
        return int(self.store.meta("connector.watermark", "0") or 0)

    @property
    def cycles(self) -> int:
        return int(self.store.meta("connector.cycles", "0") or 0)

    @property
    def paused(self) -> bool:
        return self.store.meta("connector.paused", "0") == "1"

    @paused.setter
    def paused(self, value: bool) -> None:
        self.store.set_meta("connector.paused", "1" if value else "0")

    @property
    def suspended(self) -> str | None:
        return self.store.meta("connector.suspended") or None

    @property
    def suspension_detail(self) -> str | None:
        return self.store.meta("connector.suspension_detail") or None

    def suspend(self, reason: str, detail: str = "") -> None:
        self.store.set_meta("connector.suspended", reason)
        self.store.set_meta("connector.suspension_detail", detail)

    def clear_suspension(self) -> None:
        """Sync Health's "Clear Suspension"."""
        self.store.set_meta("connector.suspended", "")
        self.store.set_meta("connector.suspension_detail", "")

    def last_success(self) -> int | None:
        value = self.store.meta("connector.last_success")
        return int(value) if value else None

    def object_enabled(self, module: ObjectSync) -> bool:
        return module.enabled() and bool(module.available_objects())

    # -- the cycle ------------------------------------------------------------------------------------
    def run_cycle(self) -> CycleStats:
        with self._cycle_lock:
            clock = time.perf_counter()  # durations in real time: now_ms() runs ahead of the wall during write bursts
            stats = CycleStats(started_ms=now_ms())
            if self.paused:
                stats.paused = True
                return stats
            if self.suspended:
                if not self.budget.available() or not self.suspended.startswith("Salesforce Organization API limit"):
                    stats.suspended = self.suspended
                    return stats
                self.clear_suspension()  # calls are available again: the integration resumes by itself
            ctx = self.ctx
            ctx.stats = stats
            ctx.since_ms = self.watermark
            ctx.cycle = self.cycles + 1
            ctx.owners.refresh()
            self.inclusion.refresh()
            used_before = self.sf.usage.used
            with self.store.transaction():
                try:
                    for module in self.modules:
                        if self.object_enabled(module):
                            module.run()
                except Suspended as suspension:
                    # Work already written stays; the watermark stays put so the rest is picked up on resumption.
                    self.suspend(suspension.reason, suspension.detail)
                    stats.suspended = suspension.reason
                else:
                    self.store.set_meta("connector.watermark", str(stats.started_ms))
                    self.store.set_meta("connector.last_success", str(now_ms()))
                self.budget.flush()
                self.store.set_meta("connector.cycles", str(ctx.cycle))
            stats.api_calls = self.sf.usage.used - used_before
            stats.duration_ms = round((time.perf_counter() - clock) * 1000)
            return stats

    # -- Sync Health ----------------------------------------------------------------------------------
    def sync_health(self) -> dict[str, Any]:
        summary = self.health.summary()
        allocation = self.budget.allocation()
        summary.update({
            "api_usage": {"used_last_24h": self.budget.used_last_24h(), "allocated_to_hubspot": allocation,
                          "limited_by_salesforce": self.sf.usage.maximum, "org_used": self.sf.usage.used,
                          "retries_allowed": self.budget.retries_allowed(),
                          # kept for the skeleton's readers
                          "used": self.sf.usage.used, "max": self.sf.usage.maximum},
            "paused": self.paused, "suspended": self.suspended, "suspension_detail": self.suspension_detail,
            "last_successful_sync_ms": self.last_success(), "cycles": self.cycles,
            "pending_retries": self.ctx.retries.pending(),
            "objects": {m.object_type if m.object_type != "engagements" else "activities": self.object_enabled(m)
                        for m in self.modules},
        })
        return summary


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _company_merge_guard(object_type: str, primary: HsObject, secondary: HsObject) -> None:
    if object_type == "companies":
        raise HubSpotError("Companies can't be merged while the Salesforce integration syncs companies. Merge the "
                           "accounts in Salesforce instead.", category="VALIDATION_ERROR")


_company_merge_guard.connector_guard = True  # type: ignore[attr-defined]
