"""The shape every object sync shares (contacts, companies, deals, tickets), one cycle at a time.

1. Gather what changed since the watermark on both sides (and the records due for a retry).
2. Pair changed records through their links; a record without a link is matched (or created) by the object's rule.
3. Plan each pair field by field (fieldsync.py), then write: Salesforce in batches of 200 per call, HubSpot as the
   connector. A failed write is a Sync Health error and the pair is retried; a clean one moves its snapshots on.
Subclasses decide eligibility, matching, creation, deletes and the extra HubSpot properties (link ids).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..clock import now_ms
from ..hubspot.models import HsObject
from ..salesforce.exceptions import SalesforceError
from .context import Context
from .fieldsync import VIRTUAL, PairPlan
from .hubspot_side import hubspot_error_code
from .lifecycle import LIFECYCLE_PROPERTY
from .links import Link
from .salesforce_side import HIDDEN
from .settings import FieldMapping, SyncRule

FIRST_SYNC = "_first_sync_pending"  # snapshot marker: the pair's first sync failed and has to happen again
LAST_SYNC_PROPERTY = "salesforcelastsynctime"


@dataclass
class Pair:
    link: Link
    hs: HsObject | None
    row: dict[str, Any] | None


class ObjectSync:
    object_type = ""
    sf_objects: tuple[str, ...] = ()
    link_property: dict[str, str] = {}

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pairs: dict[str, Pair] = {}
        self.forced: set[str] = set()  # HubSpot and Salesforce ids synced by hand or retried this cycle

    # -- configuration --------------------------------------------------------------------------------
    def enabled(self) -> bool:
        return True

    def available_objects(self) -> list[str]:
        return [name for name in self.sf_objects if self.ctx.salesforce.has(name)]

    def mappings(self, sobject_name: str) -> list[FieldMapping]:
        return self.ctx.settings.object_mappings(self.object_type, sobject_name)

    # -- hooks for subclasses -------------------------------------------------------------------------
    def eligible(self, pair: Pair) -> bool:
        return True

    def visible(self, pair: Pair) -> bool:
        """Selective sync: a record the integration user cannot see is not eligible, whatever else holds."""
        return pair.row is not None and not pair.row.get(HIDDEN)

    def hubspot_archived(self, obj: HsObject, link: Link | None) -> None:
        if link is not None:
            self.ctx.links.unlink(self.object_type, link.hs_id)

    def salesforce_deleted(self, sobject_name: str, row: dict[str, Any], link: Link | None) -> None:
        if link is not None:
            self.ctx.links.unlink(self.object_type, link.hs_id)

    def follow_lead_conversion(self, sobject_name: str, row: dict[str, Any], link: Link) -> bool:
        """A linked Lead that was converted: the pair follows the converted Contact (contacts only); True if so."""
        return False

    def match_hubspot(self, unlinked: list[HsObject]) -> None:
        """Unlinked HubSpot records: adopt the record their link property names, else nothing (subclasses create)."""
        for obj in unlinked:
            self.adopt_by_link_property(obj)

    def match_salesforce(self, unlinked: list[tuple[str, dict[str, Any]]]) -> None:
        return None

    def virtual_mappings(self, sobject_name: str) -> list[FieldMapping]:
        """Associations that sync like fields (names start with '@'): e.g. a contact's company <-> AccountId."""
        return []

    def virtual_values(self, pair: Pair) -> dict[str, str | None]:
        return {}

    def write_virtual(self, plan: PairPlan, values: dict[str, str | None]) -> bool:
        """Write '@' values to HubSpot (associations); False when one must wait (it is retried)."""
        return True

    def extend_plan(self, plan: PairPlan) -> None:
        prop = self.link_property.get(plan.link.sf_object)
        if prop and plan.hs.properties.get(prop) != plan.link.sf_id:
            plan.hs_extra[prop] = plan.link.sf_id

    def after_pairs(self) -> None:
        """Work after every pair of the cycle is written (associations, lifecycle transitions)."""
        return None

    # -- the cycle ------------------------------------------------------------------------------------
    def run(self) -> None:
        ctx = self.ctx
        self.pairs = {}
        self.forced = set()
        objects = self.available_objects()
        hs_changed = self._hubspot_changes()
        sf_changed = self._salesforce_changes(objects)
        links = ctx.links.by_hs(self.object_type, hs_changed)
        unlinked_hs: list[HsObject] = []
        for obj in hs_changed.values():
            link = links.get(obj.id)
            if obj.archived:
                self.hubspot_archived(obj, link)
            elif link is None:
                unlinked_hs.append(obj)
            else:
                self.pairs[obj.id] = Pair(link, obj, None)
        sf_ids = [row["Id"] for _, row in sf_changed]
        links_sf = ctx.links.by_sf(sf_ids)
        retired = ctx.links.retired([i for i in sf_ids if i not in links_sf])
        unlinked_sf: list[tuple[str, dict[str, Any]]] = []
        for sobject_name, row in sf_changed:
            link = links_sf.get(row["Id"])
            if row.get("IsDeleted"):
                self.salesforce_deleted(sobject_name, row, link)
            elif link is None:
                if row["Id"] not in retired:
                    unlinked_sf.append((sobject_name, row))
            elif not self.follow_lead_conversion(sobject_name, row, link):
                pair = self.pairs.get(link.hs_id)
                if pair is not None and pair.link.sf_id == row["Id"]:
                    pair.row = row
                elif pair is None:
                    self.pairs[link.hs_id] = Pair(link, None, row)
        self._complete_pairs()
        self.match_hubspot(unlinked_hs)
        self.match_salesforce(unlinked_sf)
        self.sync_pairs(list(self.pairs.values()))
        self.after_pairs()

    def _hubspot_changes(self) -> dict[str, HsObject]:
        ctx = self.ctx
        changed: dict[str, HsObject] = {}
        # A record picked up for a retry leaves the queue; failing again puts it back.
        for hs_id in ctx.retries.due("hs", self.object_type, ctx.cycle, ctx.budget.retries_allowed()):
            ctx.retries.done("hs", self.object_type, hs_id)
            obj = ctx.hubspot.get_any(self.object_type, hs_id)
            if obj is not None:
                changed[obj.id] = obj
                self.forced.add(obj.id)
                ctx.stats.bump(self.object_type, "retried")
        for obj in ctx.hubspot.changed(self.object_type, ctx.since_ms):
            changed[obj.id] = obj
        ctx.stats.bump(self.object_type, "hubspot_changes", len(changed))
        return changed

    def _salesforce_changes(self, objects: list[str]) -> list[tuple[str, dict[str, Any]]]:
        ctx = self.ctx
        out: list[tuple[str, dict[str, Any]]] = []
        seen: set[str] = set()
        for sobject_name in objects:
            due = ctx.retries.due("sf", sobject_name, ctx.cycle, ctx.budget.retries_allowed())
            for record_id in due:
                ctx.retries.done("sf", sobject_name, record_id)
            for row in ctx.salesforce.rows(sobject_name, due).values() if due else []:
                out.append((sobject_name, row))
                seen.add(row["Id"])
                self.forced.add(row["Id"])
            for row in ctx.salesforce.changed(sobject_name, ctx.since_ms):
                if row["Id"] not in seen:
                    out.append((sobject_name, row))
                    seen.add(row["Id"])
        ctx.stats.bump(self.object_type, "salesforce_changes", len(out))
        return out

    def _complete_pairs(self) -> None:
        """Read the side a pair is missing: Salesforce rows in bulk, HubSpot records directly."""
        ctx = self.ctx
        wanted: dict[str, list[str]] = defaultdict(list)
        for pair in self.pairs.values():
            if pair.row is None:
                wanted[pair.link.sf_object].append(pair.link.sf_id)
        rows: dict[str, dict[str, Any]] = {}
        for sobject_name, ids in wanted.items():
            rows.update(ctx.salesforce.rows(sobject_name, ids))
        for hs_id, pair in list(self.pairs.items()):
            if pair.row is None:
                pair.row = rows.get(pair.link.sf_id)
                if pair.row is None or pair.row.get("IsDeleted"):
                    del self.pairs[hs_id]
                    self.salesforce_deleted(pair.link.sf_object, pair.row or {"Id": pair.link.sf_id}, pair.link)
                    continue
            if pair.hs is None:
                obj = ctx.hubspot.get_any(self.object_type, hs_id)
                if obj is None or obj.archived or obj.id != hs_id:
                    del self.pairs[hs_id]
                    self.hubspot_gone(hs_id, obj, pair.link)
                    continue
                pair.hs = obj

    def hubspot_gone(self, hs_id: str, obj: HsObject | None, link: Link) -> None:
        """The linked HubSpot record was deleted or merged away (its id now reads as the survivor)."""
        if obj is not None and obj.archived:
            self.hubspot_archived(obj, link)
        else:
            self.ctx.links.unlink(self.object_type, hs_id)

    def add_pair(self, link: Link, obj: HsObject, row: dict[str, Any]) -> None:
        previous = self.pairs.get(obj.id)
        if previous is not None and previous.link.sf_id != link.sf_id:
            self.ctx.stats.bump(self.object_type, "relinked")
        self.pairs[obj.id] = Pair(link, obj, row)

    def adopt_by_link_property(self, obj: HsObject) -> bool:
        """A HubSpot record already naming its Salesforce record (imported, or a merge survivor) links to it."""
        for sobject_name, prop in self.link_property.items():
            sf_id = obj.properties.get(prop)
            if not sf_id or not self.ctx.salesforce.has(sobject_name):
                continue
            row = self.ctx.salesforce.row(sobject_name, sf_id)
            if row is not None and not row.get("IsDeleted"):
                self.add_pair(Link(self.object_type, obj.id, sobject_name, row["Id"], new=True), obj, row)
                return True
        return False

    # -- creating records -----------------------------------------------------------------------------
    def salesforce_values(self, obj: HsObject, sobject_name: str) -> dict[str, Any]:
        """What a new Salesforce record gets from a HubSpot record: mapped values HubSpot may pass."""
        ctx = self.ctx
        sobject = ctx.salesforce.sobject(sobject_name)
        data: dict[str, Any] = {}
        if sobject is None:
            return data
        for mapping in self.mappings(sobject_name):
            f = sobject.field(mapping.salesforce)
            if f is None or f.calculated or not f.createable or mapping.rule in (SyncRule.DONT_SYNC,
                                                                                 SyncRule.ALWAYS_USE_SALESFORCE) \
                    or not ctx.fields.readable(sobject, f):
                continue  # a hidden field is not sent: the pair's first sync reports it in Sync Health
            tr = ctx.fields.translator(self.object_type, mapping, f)
            value = tr.sf_out(tr.hs(obj.properties.get(mapping.hubspot)))
            if value is not None:
                data[f.name] = value
        return data

    def hubspot_values(self, sobject_name: str, row: dict[str, Any]) -> dict[str, str]:
        """What a new HubSpot record gets from a Salesforce record: every mapped value Salesforce may pass."""
        ctx = self.ctx
        sobject = ctx.salesforce.sobject(sobject_name)
        properties: dict[str, str] = {}
        if sobject is None:
            return properties
        for mapping in self.mappings(sobject_name):
            f = sobject.field(mapping.salesforce)
            if f is None or mapping.rule is SyncRule.DONT_SYNC or not ctx.fields.readable(sobject, f) \
                    or not ctx.hubspot.writable_by_connector(self.object_type, mapping.hubspot):
                continue
            tr = ctx.fields.translator(self.object_type, mapping, f)
            value = tr.hs_out(tr.sf(row.get(f.name)))
            if value is not None:
                properties[mapping.hubspot] = value
        return properties

    def create_in_salesforce(self, requests: list[tuple[HsObject, str, dict[str, Any]]]) -> None:
        """Create Salesforce records for HubSpot ones (batched per object); each success becomes a new pair."""
        ctx = self.ctx
        by_object: dict[str, list[tuple[HsObject, dict[str, Any]]]] = defaultdict(list)
        for obj, sobject_name, data in requests:
            by_object[sobject_name].append((obj, data))
        for sobject_name, items in by_object.items():
            results = ctx.salesforce.create_many(sobject_name, [data for _, data in items])
            created = [r.record_id for r in results if r.ok and r.record_id]
            rows = ctx.salesforce.rows(sobject_name, created, count=False)  # the connector knows what it wrote
            for (obj, _), result in zip(items, results, strict=True):
                if result.ok and result.record_id:
                    ctx.stats.bump(self.object_type, "created_in_salesforce")
                    self.add_pair(Link(self.object_type, obj.id, sobject_name, result.record_id, new=True), obj,
                                  rows[result.record_id])
                else:
                    self.fail_hubspot_record(obj.id, sobject_name, None, result.error)

    def create_in_hubspot(self, sobject_name: str, row: dict[str, Any], extra: dict[str, str] | None = None) -> HsObject | None:
        ctx = self.ctx
        properties = self.hubspot_values(sobject_name, row)
        properties.update(extra or {})
        written = ctx.hubspot.create(self.object_type, properties)
        if written.obj is None:
            assert written.error is not None
            ctx.health.record(hubspot_error_code(written.error), written.error.message, self.object_type, None,
                              sobject_name, row["Id"])
            ctx.retries.later("sf", sobject_name, row["Id"], ctx.cycle + ctx.settings.switches["retry_after_cycles"])
            ctx.stats.bump(self.object_type, "errors")
            return None
        # Values HubSpot refused are not on the new record: the pair's first sync tries them again and reports them.
        ctx.stats.bump(self.object_type, "created_in_hubspot")
        ctx.retries.done("sf", sobject_name, row["Id"])
        return written.obj

    def fail_hubspot_record(self, hs_id: str, sobject_name: str | None, sf_id: str | None,
                            error: SalesforceError | None) -> None:
        ctx = self.ctx
        if error is not None:
            ctx.health.record(error.error_code, error.message, self.object_type, hs_id, sobject_name, sf_id)
        ctx.retries.later("hs", self.object_type, hs_id, ctx.cycle + ctx.settings.switches["retry_after_cycles"])
        ctx.stats.bump(self.object_type, "errors")

    # -- syncing pairs --------------------------------------------------------------------------------
    def sync_pairs(self, pairs: list[Pair]) -> None:
        ctx = self.ctx
        plans: list[PairPlan] = []
        for pair in pairs:
            assert pair.hs is not None and pair.row is not None
            if not self.visible(pair) or not self.eligible(pair):
                ctx.stats.bump(self.object_type, "skipped_not_eligible")
                continue
            sobject = ctx.salesforce.sobject(pair.link.sf_object)
            if sobject is None:
                continue
            if pair.link.hs_snapshot.get(FIRST_SYNC):
                pair.link.new = True
                pair.link.hs_snapshot, pair.link.sf_snapshot = {}, {}
            virtual = self.virtual_mappings(sobject.name)
            plan = ctx.fields.plan(self.object_type, pair.link, pair.hs, pair.row, sobject,
                                   self.mappings(sobject.name) + virtual,
                                   forced=pair.hs.id in self.forced or pair.link.sf_id in self.forced,
                                   virtual=self.virtual_values(pair) if virtual else None)
            self.extend_plan(plan)
            plans.append(plan)
        self.apply(plans)

    def apply(self, plans: list[PairPlan]) -> None:
        ctx = self.ctx
        by_object: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for plan in plans:
            data = {**plan.to_sf, **plan.sf_extra}
            if data:
                by_object[plan.link.sf_object][plan.link.sf_id] = data
        sf_results = {}
        for sobject_name, changes in by_object.items():
            sf_results.update(ctx.salesforce.update_many(sobject_name, changes))
        finished: list[Link] = []
        for plan in plans:
            failed = False
            result = sf_results.get(plan.link.sf_id)
            if result is not None:
                if result.ok:
                    ctx.stats.bump(self.object_type, "updated_in_salesforce")
                else:
                    assert result.error is not None
                    ctx.health.record(result.error.error_code, result.error.message, self.object_type, plan.hs.id,
                                      plan.link.sf_object, plan.link.sf_id)
                    failed = True
            virtual = {k: plan.to_hs.pop(k) for k in list(plan.to_hs) if k.startswith(VIRTUAL)}
            if virtual and not self.write_virtual(plan, virtual):
                for key in virtual:  # not written: keep the old snapshot so it is tried again
                    plan.hs_expect[key] = plan.link.hs_snapshot.get(key)
                    plan.sf_expect[key] = plan.link.sf_snapshot.get(key)
                plan.partial = True
            properties: dict[str, str | None] = {**plan.to_hs, **plan.hs_extra}
            if properties or virtual or plan.link.new or (result is not None and result.ok):
                properties[LAST_SYNC_PROPERTY] = str(now_ms())
                failed = not self.write_hubspot(plan, properties) or failed
            for error in plan.errors:
                ctx.health.record(error.code, error.message, self.object_type, plan.hs.id, plan.link.sf_object,
                                  plan.link.sf_id)
            if plan.link.new:
                ctx.stats.bump(self.object_type, "linked")
            if self.finish(plan, failed):
                finished.append(plan.link)
        ctx.links.save(finished)

    def write_hubspot(self, plan: PairPlan, properties: dict[str, str | None]) -> bool:
        ctx = self.ctx
        stage = properties.get(LIFECYCLE_PROPERTY)
        current = plan.hs.properties.get(LIFECYCLE_PROPERTY)
        if LIFECYCLE_PROPERTY in properties and stage is not None and ctx.funnel.backwards(current, stage):
            # HubSpot's documented way to move a stage back: clear it, then set the earlier one (ungoverned orgs only).
            ctx.hubspot.update(self.object_type, plan.hs.id, {LIFECYCLE_PROPERTY: None})
        written = ctx.hubspot.update(self.object_type, plan.hs.id, properties)
        if written.ok:
            if plan.to_hs:
                ctx.stats.bump(self.object_type, "updated_in_hubspot")
            if written.obj is not None:
                plan.hs = written.obj
            return True
        assert written.error is not None
        if written.refused:
            # Part of the update landed; what was refused stays as it was in HubSpot and is retried.
            for item in written.error.errors or []:
                names = (item.get("context") or {}).get("propertyName", [])
                ctx.health.record(str(item.get("code") or written.error.category),
                                  f"{', '.join(names)}: {item.get('message', written.error.message)}", self.object_type,
                                  plan.hs.id, plan.link.sf_object, plan.link.sf_id)
            for name in written.refused:
                if name in plan.hs_expect:
                    plan.hs_expect[name] = plan.link.hs_snapshot.get(name)
                    plan.sf_expect[name] = plan.link.sf_snapshot.get(name)
            if written.obj is not None:
                plan.hs = written.obj
            plan.partial = True
            return True
        ctx.health.record(hubspot_error_code(written.error), written.error.message, self.object_type, plan.hs.id,
                          plan.link.sf_object, plan.link.sf_id)
        return False

    def finish(self, plan: PairPlan, failed: bool) -> bool:
        """Move the pair's snapshots on after a clean sync; after a failure keep them so the change is retried.
        Returns whether the link should be saved."""
        ctx = self.ctx
        link = plan.link
        if failed:
            ctx.stats.bump(self.object_type, "errors")
            ctx.retries.later("hs", self.object_type, plan.hs.id, ctx.cycle + ctx.settings.switches["retry_after_cycles"])
            if link.new:
                link.hs_snapshot, link.sf_snapshot = {FIRST_SYNC: True}, {}
                return True
            return False
        link.hs_snapshot, link.sf_snapshot = dict(plan.hs_expect), dict(plan.sf_expect)
        if plan.partial:
            ctx.retries.later("hs", self.object_type, plan.hs.id, ctx.cycle + ctx.settings.switches["retry_after_cycles"])
            ctx.stats.bump(self.object_type, "errors")
            return True
        if not plan.errors:
            ctx.health.resolve(self.object_type, plan.hs.id, link.sf_id)
        ctx.retries.done("hs", self.object_type, plan.hs.id)
        ctx.retries.done("sf", link.sf_object, link.sf_id)
        return True
