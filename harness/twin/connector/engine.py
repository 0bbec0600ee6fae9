"""One sync cycle of the native connector, applying the org's actual settings to both sides.

The connector is HubSpot's code talking to Salesforce over the API, so it reads HubSpot state directly and
counts every Salesforce read and write against the org's daily allowance. Per linked pair it remembers the
values it last synced (the link's snapshots): a side whose value differs from its snapshot has changed since,
and each mapping's sync rule decides what crosses. Two-way conflicts go to the most recent write.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from ..clock import now_ms, parse_sf_datetime, sf_datetime
from ..hubspot.exceptions import HubSpotError
from ..hubspot.models import CONNECTOR, HsObject, HubSpotBackend
from ..salesforce.exceptions import RequestLimitExceeded, SalesforceError
from ..salesforce.models import SalesforceBackend, SaveContext
from ..store import Store
from .health import SyncHealth
from .settings import ConnectorSettings, FieldMapping, SyncRule
from .values import hs_to_sf, sf_to_hs

LINK_PROPERTY = {"Lead": "salesforceleadid", "Contact": "salesforcecontactid"}
NOT_PROVIDED = "[not provided]"


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
    linked: int = 0
    errors: int = 0
    api_calls: int = 0
    paused: bool = False
    suspended: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Link:
    hs_id: str
    sf_object: str
    sf_id: str
    hs_snapshot: dict[str, Any] = field(default_factory=dict)
    sf_snapshot: dict[str, Any] = field(default_factory=dict)
    new: bool = False


class Connector:
    def __init__(self, store: Store, salesforce: SalesforceBackend, hubspot: HubSpotBackend,
                 settings: ConnectorSettings) -> None:
        self.store = store
        self.sf = salesforce
        self.hs = hubspot
        self.settings = settings
        self.health = SyncHealth(store)
        self.paused = False
        self.suspended: str | None = None
        self.cycles = 0
        self._cycle_lock = threading.Lock()
        self.integration = SaveContext(user_id=salesforce.user_id_by_alias(settings.integration_user), via_connector=True)
        with store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS connector_links (
                hs_object TEXT NOT NULL, hs_id TEXT NOT NULL, sf_object TEXT NOT NULL, sf_id TEXT NOT NULL,
                hs_snapshot TEXT NOT NULL, sf_snapshot TEXT NOT NULL, synced_ms INTEGER NOT NULL,
                PRIMARY KEY (hs_object, hs_id))""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_links_sf ON connector_links (sf_id)")
            # Records whose last sync failed: retried every cycle until they sync, as the real connector retries.
            db.execute("CREATE TABLE IF NOT EXISTS connector_retry (hs_object TEXT NOT NULL, hs_id TEXT NOT NULL, "
                       "PRIMARY KEY (hs_object, hs_id))")

    # -- bookkeeping ----------------------------------------------------------------------------------
    @property
    def watermark(self) -> int:
        return int(self.store.meta("connector.watermark", "0"))

    def last_success(self) -> int | None:
        value = self.store.meta("connector.last_success")
        return int(value) if value else None

    def _call(self, stats: CycleStats, calls: int = 1) -> None:
        self.sf.count_api_call(calls)
        stats.api_calls += calls

    def link_for_hs(self, hs_id: str) -> Link | None:
        row = self.store.db.execute("SELECT * FROM connector_links WHERE hs_object = 'contacts' AND hs_id = ?",
                                    (hs_id,)).fetchone()
        return self._link(row)

    def link_for_sf(self, sf_id: str) -> Link | None:
        row = self.store.db.execute("SELECT * FROM connector_links WHERE sf_id = ?", (sf_id,)).fetchone()
        return self._link(row)

    @staticmethod
    def _link(row: Any) -> Link | None:
        if row is None:
            return None
        return Link(row["hs_id"], row["sf_object"], row["sf_id"], json.loads(row["hs_snapshot"]), json.loads(row["sf_snapshot"]))

    def _save_link(self, link: Link) -> None:
        self.store.db.execute(
            "INSERT OR REPLACE INTO connector_links (hs_object, hs_id, sf_object, sf_id, hs_snapshot, sf_snapshot, synced_ms) "
            "VALUES ('contacts', ?, ?, ?, ?, ?, ?)",
            (link.hs_id, link.sf_object, link.sf_id, json.dumps(link.hs_snapshot), json.dumps(link.sf_snapshot), now_ms()))

    # -- the cycle ------------------------------------------------------------------------------------
    def run_cycle(self) -> CycleStats:
        with self._cycle_lock:
            stats = CycleStats(started_ms=now_ms())
            if self.paused:
                stats.paused = True
                return stats
            if self.suspended:
                stats.suspended = self.suspended
                return stats
            since = self.watermark
            try:
                with self.store.transaction():
                    self._sync_contacts(since, stats)
            except RequestLimitExceeded:
                # Documented suspension: the integration stops until the org's allowance recovers.
                self.suspended = "Salesforce Organization API limit exceeded"
                stats.suspended = self.suspended
            else:
                self.store.set_meta("connector.watermark", str(stats.started_ms))
                self.store.set_meta("connector.last_success", str(now_ms()))
            stats.duration_ms = now_ms() - stats.started_ms
            self.cycles += 1
            return stats

    def _changed_salesforce(self, sobject_name: str, since: int, stats: CycleStats) -> list[dict[str, Any]]:
        sobject = self.sf.schema.sobject(sobject_name)
        if sobject is None:
            return []
        self._call(stats)  # one polling query per object per cycle
        rows = self.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE "SystemModstamp" > ? ORDER BY "SystemModstamp"',
                                     (sf_datetime(since),)).fetchall()
        return [dict(r) for r in rows]

    def _retries(self) -> list[HsObject]:
        rows = self.store.db.execute("SELECT hs_id FROM connector_retry WHERE hs_object = 'contacts'").fetchall()
        found = []
        for row in rows:
            try:
                found.append(self.hs.get("contacts", row["hs_id"]))
            except HubSpotError:
                self.store.db.execute("DELETE FROM connector_retry WHERE hs_id = ?", (row["hs_id"],))
        return found

    def _sync_contacts(self, since: int, stats: CycleStats) -> None:
        done: set[str] = set()
        changed = {c.id: c for c in self._retries()}
        changed.update({c.id: c for c in self.hs.changed_since("contacts", since)})
        for contact in changed.values():
            stats.hubspot_changes += 1
            if contact.archived:
                continue
            self._from_hubspot(contact, stats)
            done.add(contact.id)
        for sobject_name in ("Lead", "Contact"):
            for row in self._changed_salesforce(sobject_name, since, stats):
                stats.salesforce_changes += 1
                if row.get("IsDeleted"):
                    continue
                self._from_salesforce(sobject_name, row, done, stats)

    # -- HubSpot-side triggers ------------------------------------------------------------------------
    def _from_hubspot(self, contact: HsObject, stats: CycleStats) -> None:
        link = self.link_for_hs(contact.id)
        if link is not None:
            row = self._sf_row(link.sf_object, link.sf_id, stats)
            if row is not None and not row.get("IsDeleted"):
                self._sync_pair(contact, link, row, stats)
            return
        email = contact.properties.get("email")
        if not email:
            return  # documented: a contact without an e-mail address does not sync
        match = self._match_by_email(email, stats)
        if match is not None:
            sobject_name, row = match
            link = Link(contact.id, sobject_name, row["Id"], new=True)
            self._sync_pair(contact, link, row, stats)
            return
        if self.settings.contacts.on_hubspot_create_or_update != "create_or_update":
            return
        self._create_in_salesforce(contact, stats)

    def _match_by_email(self, email: str, stats: CycleStats) -> tuple[str, dict[str, Any]] | None:
        """The e-mail rule: an existing Salesforce record with this e-mail is used, never a new one created."""
        candidates: list[tuple[str, dict[str, Any]]] = []
        for sobject_name in ("Contact", "Lead"):
            sobject = self.sf.schema.sobject(sobject_name)
            if sobject is None:
                continue
            self._call(stats)
            where = '"Email" = ? COLLATE NOCASE AND "IsDeleted" = 0'
            if sobject_name == "Lead":
                where += ' AND COALESCE("IsConverted", 0) = 0'
            for row in self.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE {where}', (email,)).fetchall():
                candidates.append((sobject_name, dict(row)))
        if not candidates:
            return None
        # First sync: the first record Salesforce returns, in practice the oldest.
        candidates.sort(key=lambda c: c[1]["CreatedDate"])
        return candidates[0]

    def _create_in_salesforce(self, contact: HsObject, stats: CycleStats) -> None:
        sobject_name = self.settings.contacts.create_in_salesforce_as
        sobject = self.sf.sobject(sobject_name)
        data: dict[str, Any] = {}
        for mapping in self.settings.contact_mappings(sobject_name):
            if mapping.rule in (SyncRule.DONT_SYNC, SyncRule.ALWAYS_USE_SALESFORCE):
                continue
            f = sobject.field(mapping.salesforce)
            value = contact.properties.get(mapping.hubspot)
            if f is None or value is None:
                continue
            data[f.name] = hs_to_sf(value, f.type)
        # HubSpot fills Salesforce's required name fields rather than fail the create.
        for required in ("LastName", "Company") if sobject_name == "Lead" else ("LastName",):
            if sobject.field(required) is not None and not data.get(required):
                data[required] = NOT_PROVIDED
        self._call(stats)
        try:
            new_id = self.sf.create(sobject_name, data, self.integration)
        except SalesforceError as error:
            self.health.record(error.error_code, error.message, "contacts", contact.id, sobject_name, None)
            self._retry_later(contact.id)
            stats.errors += 1
            return
        stats.created_in_salesforce += 1
        row = self._sf_row(sobject_name, new_id, stats)
        link = Link(contact.id, sobject_name, new_id, new=True)
        self._sync_pair(contact, link, row, stats)

    # -- Salesforce-side triggers ---------------------------------------------------------------------
    def _from_salesforce(self, sobject_name: str, row: dict[str, Any], done: set[str], stats: CycleStats) -> None:
        link = self.link_for_sf(row["Id"])
        if link is not None:
            if link.hs_id in done:
                return
            try:
                contact = self.hs.get("contacts", link.hs_id)
            except HubSpotError:
                return
            self._sync_pair(contact, link, row, stats)
            done.add(contact.id)
            return
        if self.settings.contacts.on_salesforce_create_or_update != "create_or_update":
            return
        email = row.get("Email")
        if not email:
            return
        if sobject_name == "Lead" and row.get("IsConverted"):
            return
        contact = self.hs.find_by_property("contacts", "email", email)
        if contact is None:
            properties: dict[str, Any] = {}
            sobject = self.sf.sobject(sobject_name)
            for mapping in self.settings.contact_mappings(sobject_name):
                if mapping.rule == SyncRule.DONT_SYNC:
                    continue
                f = sobject.field(mapping.salesforce)
                if f is not None and row.get(f.name) is not None:
                    properties[mapping.hubspot] = sf_to_hs(row[f.name], f.type)
            try:
                contact = self.hs.create("contacts", properties, source=CONNECTOR, trusted=True)
            except HubSpotError as error:
                self.health.record(_hs_code(error), error.message, "contacts", None, sobject_name, row["Id"])
                stats.errors += 1
                return
            stats.created_in_hubspot += 1
        link = Link(contact.id, sobject_name, row["Id"], new=True)
        self._sync_pair(contact, link, row, stats)
        done.add(contact.id)

    # -- one pair -------------------------------------------------------------------------------------
    def _sf_row(self, sobject_name: str, sf_id: str, stats: CycleStats) -> dict[str, Any] | None:
        self._call(stats)
        return self.sf.row(self.sf.sobject(sobject_name), sf_id, include_deleted=True)

    def _decide(self, mapping: FieldMapping, hs_value: str | None, sf_value: str | None, hs_changed: bool,
                sf_changed: bool, hs_stamp: int, sf_stamp: int) -> str | None:
        """Which way one field crosses: 'to_hs', 'to_sf' or None, exactly as the rule table reads."""
        if hs_value == sf_value or mapping.rule == SyncRule.DONT_SYNC:
            return None
        if mapping.rule == SyncRule.ALWAYS_USE_SALESFORCE:
            return "to_hs"
        if mapping.rule == SyncRule.PREFER_SALESFORCE_UNLESS_BLANK:
            if sf_value is not None:
                return "to_hs"
            # Salesforce is blank: a deletion there propagates; otherwise HubSpot may fill the blank.
            return "to_hs" if sf_changed and not hs_changed else "to_sf"
        if hs_changed and not sf_changed:
            return "to_sf"
        if sf_changed and not hs_changed:
            return "to_hs"
        return "to_sf" if hs_stamp > sf_stamp else "to_hs"

    def _sync_pair(self, contact: HsObject, link: Link, row: dict[str, Any], stats: CycleStats) -> None:
        sobject = self.sf.sobject(link.sf_object)
        sf_stamp = parse_sf_datetime(row["LastModifiedDate"])
        to_sf: dict[str, Any] = {}
        to_hs: dict[str, str | None] = {}
        for mapping in self.settings.contact_mappings(link.sf_object):
            f = sobject.field(mapping.salesforce)
            if f is None:
                self.health.record("INVALID_FIELD", f"No such column '{mapping.salesforce}' on sobject of type "
                                   f"{sobject.name}", "contacts", contact.id, sobject.name, link.sf_id)
                stats.errors += 1
                continue
            hs_value = contact.properties.get(mapping.hubspot)
            sf_value = sf_to_hs(row.get(f.name), f.type)
            hs_changed = link.new or hs_value != link.hs_snapshot.get(mapping.hubspot)
            sf_changed = link.new or sf_value != link.sf_snapshot.get(mapping.hubspot)
            last = self.hs.last_write("contacts", contact.id, mapping.hubspot)
            direction = self._decide(mapping, hs_value, sf_value, hs_changed, sf_changed, last[0] if last else 0, sf_stamp)
            if direction == "to_sf":
                to_sf[f.name] = hs_to_sf(hs_value, f.type)
            elif direction == "to_hs":
                to_hs[mapping.hubspot] = sf_value
        failed = False
        if to_sf:
            self._call(stats)
            try:
                self.sf.update(link.sf_object, link.sf_id, to_sf, self.integration)
                stats.updated_in_salesforce += 1
            except SalesforceError as error:
                self.health.record(error.error_code, error.message, "contacts", contact.id, link.sf_object, link.sf_id)
                stats.errors += 1
                failed = True
        link_property = LINK_PROPERTY[link.sf_object]
        if contact.properties.get(link_property) != link.sf_id:
            to_hs[link_property] = link.sf_id
        if to_hs or link.new or to_sf:
            to_hs["salesforcelastsynctime"] = str(now_ms())
            try:
                contact = self.hs.update("contacts", contact.id, to_hs, source=CONNECTOR, trusted=True)
                stats.updated_in_hubspot += 1
            except HubSpotError as error:
                self.health.record(_hs_code(error), error.message, "contacts", contact.id, link.sf_object, link.sf_id)
                stats.errors += 1
                failed = True
        if link.new:
            stats.linked += 1
        # Snapshot what both sides hold now, so the next cycle sees only later changes. After a failure the
        # snapshots stay as they were: the unsynced change is still a change, and the pair is retried.
        if failed and not link.new:
            self._retry_later(contact.id)
            return
        fresh = self.sf.row(sobject, link.sf_id, include_deleted=True) or row
        mappings = [m for m in self.settings.contact_mappings(link.sf_object) if sobject.field(m.salesforce)]
        link.hs_snapshot = {m.hubspot: contact.properties.get(m.hubspot) for m in mappings}
        link.sf_snapshot = {m.hubspot: sf_to_hs(fresh.get(m.salesforce), sobject.field(m.salesforce).type) for m in mappings}
        if failed:
            link.hs_snapshot = {}  # first sync failed half-way: the HubSpot values still have to cross
            self._retry_later(contact.id)
        else:
            self.store.db.execute("DELETE FROM connector_retry WHERE hs_object = 'contacts' AND hs_id = ?", (contact.id,))
            self.health.resolve("contacts", contact.id, link.sf_id)
        link.new = False
        self._save_link(link)

    def _retry_later(self, hs_id: str) -> None:
        self.store.db.execute("INSERT OR IGNORE INTO connector_retry (hs_object, hs_id) VALUES ('contacts', ?)", (hs_id,))


def _hs_code(error: HubSpotError) -> str:
    if error.errors:
        code = error.errors[0].get("code")
        if code:
            return str(code)
    return error.category
