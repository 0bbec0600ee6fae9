"""The HubSpot portal's state and behaviour, no HTTP: CRM objects, property history, validation, and the parts
around them (search index, associations, lists, workflows) that every write feeds.

Objects live in one table (`hs_objects`), properties as a JSON document per object, every property write in
`hs_history` with its timestamp and source (API, CRM_UI, SALESFORCE, AUTOMATION_PLATFORM...), which is what
propertiesWithHistory returns and what the connector reads to decide which side changed last. Contact e-mail
addresses (primary and additional) are kept in `hs_contact_emails`, HubSpot's unique key for contacts.

Writes go through one pipeline (`_persist`): row, history, search index, e-mail index, then enabled workflows
whose enrollment criteria the written record now meets. Batches are written in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..clock import hs_datetime, now_ms
from ..store import Store
from . import exceptions as err
from .associations import Associations
from .exports import Exports
from .lists import Lists
from .owners import OwnersMixin
from .portal import DEFAULT_READ, Owner, Portal
from .record_ops import RecordOpsMixin
from .records import (
    API,
    AUTOMATION,
    CONNECTOR,
    CRM_UI,
    HsObject,
    Source,
    Write,
    object_from_row,
    raise_any,
    raise_first,
)
from .schema import Schema
from .search import SearchIndex
from .validation import MAINTAINED, Validator
from .workflows import WorkflowEngine

__all__ = ["API", "AUTOMATION", "CONNECTOR", "CRM_UI", "MAINTAINED", "HsObject", "HubSpotBackend", "Source", "Write"]


class HubSpotBackend(OwnersMixin, RecordOpsMixin):
    def __init__(self, store: Store, portal: Portal) -> None:
        self.store = store
        self.portal = portal
        with store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS hs_objects (
                object_type TEXT NOT NULL, id INTEGER NOT NULL, properties TEXT NOT NULL,
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, archived INTEGER NOT NULL DEFAULT 0,
                archived_ms INTEGER, merged_into INTEGER, PRIMARY KEY (object_type, id))""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_updated ON hs_objects (object_type, updated_ms)")
            db.execute("""CREATE TABLE IF NOT EXISTS hs_history (
                object_type TEXT NOT NULL, id INTEGER NOT NULL, property TEXT NOT NULL, value TEXT,
                timestamp_ms INTEGER NOT NULL, source_type TEXT NOT NULL, source_id TEXT, source_label TEXT)""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_history ON hs_history (object_type, id, property)")
            db.execute("CREATE TABLE IF NOT EXISTS hs_contact_emails (email TEXT PRIMARY KEY COLLATE NOCASE, "
                       "id INTEGER NOT NULL, kind TEXT NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_contact_emails ON hs_contact_emails (id)")
            db.execute("CREATE TABLE IF NOT EXISTS hs_owners (id TEXT PRIMARY KEY, owner TEXT NOT NULL)")
        self.schema = Schema(self)  # API-made schema changes, re-applied over the fixture on restart
        self._owners: dict[str, Owner] = {o.id: o for o in portal.owners}
        for row in store.db.execute("SELECT owner FROM hs_owners"):
            extra = Owner(**json.loads(row["owner"]))
            self._owners[extra.id] = extra
        self.validator = Validator(portal, {o.id for o in self._owners.values() if not o.archived})
        self.search = SearchIndex(self)
        self.associations = Associations(self)
        self.lists = Lists(self)
        self.workflows = WorkflowEngine(self)
        self.exports = Exports(self)
        # The connector may refuse merges it forbids (e.g. companies while the integration is on): guards raise.
        self.merge_guards: list[Callable[[str, HsObject, HsObject], None]] = []
        self._rebuild_email_index()

    # -- ids and owners -------------------------------------------------------------------------------
    def _next_ids(self, count: int) -> list[str]:
        counter = int(self.store.meta("hs.counter", "0"))
        self.store.set_meta("hs.counter", str(counter + count))
        base = 100_000_000 + self.portal.portal_id % 1000 * 1_000_000
        return [str(base + counter + n) for n in range(1, count + 1)]

    # -- reads ----------------------------------------------------------------------------------------
    def _row(self, object_type: str, key: int) -> Any:
        return self.store.db.execute("SELECT * FROM hs_objects WHERE object_type = ? AND id = ?", (object_type, key)).fetchone()

    def find_by_id(self, object_type: str, object_id: str | int) -> HsObject | None:
        """The record an id names, archived or not, or None: an id merged away names the merge's survivor."""
        try:
            key = int(object_id)
        except (TypeError, ValueError):
            return None
        with self.store.lock:
            row = self._row(object_type, key)
            hops = 0
            while row is not None and row["merged_into"] and hops < 50:  # every id of a merge resolves to the survivor
                row, hops = self._row(object_type, row["merged_into"]), hops + 1
        return object_from_row(object_type, row) if row is not None else None

    def find_by_property(self, object_type: str, name: str, value: str) -> HsObject | None:
        """The live (unarchived) object whose `name` equals `value`; contacts by e-mail include additional e-mails."""
        if name == "hs_object_id":
            found = self.find_by_id(object_type, value)
            return found if found is not None and not found.archived else None
        with self.store.lock:
            if object_type == "contacts" and name == "email":
                row = self.store.db.execute("SELECT id FROM hs_contact_emails WHERE email = ?", (str(value),)).fetchone()
            else:
                row = self.store.db.execute(
                    "SELECT id FROM hs_objects WHERE object_type = ? AND archived = 0 AND merged_into IS NULL "
                    "AND json_extract(properties, ?) = ?", (object_type, f"$.{name}", str(value))).fetchone()
        return self.find_by_id(object_type, row["id"]) if row else None

    def get(self, object_type: str, object_id: str, archived: bool = False, id_property: str | None = None) -> HsObject:
        found = (self.find_by_property(object_type, id_property, object_id) if id_property and id_property != "hs_object_id"
                 else self.find_by_id(object_type, object_id))
        if found is None or found.archived != archived:
            raise err.RecordNotFound(object_id)
        return found

    def page(self, object_type: str, after: int, limit: int, archived: bool) -> tuple[list[HsObject], bool]:
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT * FROM hs_objects WHERE object_type = ? AND archived = ? AND merged_into IS NULL AND id > ? "
                "ORDER BY id LIMIT ?", (object_type, int(archived), after, limit + 1)).fetchall()
        return [object_from_row(object_type, r) for r in rows[:limit]], len(rows) > limit

    def history(self, object_type: str, object_id: str, names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        wanted = list(names)
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        with self.store.lock:
            rows = self.store.db.execute(
                f"SELECT property, value, timestamp_ms, source_type, source_id, source_label FROM hs_history "
                f"WHERE object_type = ? AND id = ? AND property IN ({marks}) ORDER BY timestamp_ms DESC, rowid DESC",
                (object_type, int(object_id), *wanted)).fetchall()
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in wanted}
        for row in rows:
            entry = {"value": row["value"] or "", "timestamp": hs_datetime(row["timestamp_ms"]), "sourceType": row["source_type"]}
            if row["source_id"]:
                entry["sourceId"] = row["source_id"]
            if row["source_label"]:
                entry["sourceLabel"] = row["source_label"]
            out[row["property"]].append(entry)
        return out

    def last_write(self, object_type: str, object_id: str, name: str) -> tuple[int, str] | None:
        """(timestamp ms, source type) of the newest write of one property: the connector's conflict evidence."""
        with self.store.lock:
            row = self.store.db.execute(
                "SELECT timestamp_ms, source_type FROM hs_history WHERE object_type = ? AND id = ? AND property = ? "
                "ORDER BY timestamp_ms DESC, rowid DESC LIMIT 1", (object_type, int(object_id), name)).fetchone()
        return (row["timestamp_ms"], row["source_type"]) if row else None

    def changed_since(self, object_type: str, since_ms: int) -> list[HsObject]:
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT * FROM hs_objects WHERE object_type = ? AND updated_ms > ? AND merged_into IS NULL "
                "ORDER BY updated_ms", (object_type, since_ms)).fetchall()
        return [object_from_row(object_type, r) for r in rows]

    def view(self, obj: HsObject, names: Iterable[str] | None) -> dict[str, str | None]:
        """The `properties` a read returns: the named ones (existing, even if empty) or the object's defaults."""
        wanted = list(names) if names else DEFAULT_READ.get(obj.object_type, ["hs_object_id", "createdate",
                                                                              "hs_lastmodifieddate"])
        out: dict[str, str | None] = {}
        for name in wanted:
            if name in obj.properties or self.portal.property(obj.object_type, name) is not None:
                out[name] = obj.properties.get(name)
        return out

    def is_member(self, list_id: str, object_id: str) -> bool:
        """In-process list membership (the connector's inclusion list): see `lists.Lists.is_member`."""
        return self.lists.is_member(list_id, object_id)

    def associated_ids(self, object_type: str, object_id: str, to_type: str) -> list[str]:
        """Ids of the live `to_type` records associated with one record (see `associations.Associations`)."""
        return self.associations.associated_ids(object_type, object_id, to_type)

    def primary_company(self, object_type: str, object_id: str) -> str | None:
        """The primary company of a contact, deal or ticket, or None."""
        return self.associations.primary_of(object_type, object_id, "companies")

    # -- the write pipeline ---------------------------------------------------------------------------
    def _persist(self, writes: list[Write], stamp: int, source: Source) -> None:
        if not writes:
            return
        db = self.store.db
        db.executemany(
            "INSERT OR REPLACE INTO hs_objects (object_type, id, properties, created_ms, updated_ms, archived, archived_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(w.obj.object_type, int(w.obj.id), json.dumps(w.obj.properties), w.obj.created_ms, w.obj.updated_ms,
              int(w.obj.archived), w.obj.archived_ms) for w in writes])
        db.executemany(
            "INSERT INTO hs_history (object_type, id, property, value, timestamp_ms, source_type, source_id, source_label) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(w.obj.object_type, int(w.obj.id), name, value, stamp, source.type, source.id, source.label)
             for w in writes for name, value in w.changes.items()])
        self.search.index([(w.obj, w.changes, w.created) for w in writes], stamp)
        self._index_emails([w for w in writes if w.obj.object_type == "contacts"
                            and ("email" in w.changes or "hs_additional_emails" in w.changes)])
        self.workflows.after_writes(writes, source)

    def _index_emails(self, writes: list[Write]) -> None:
        db = self.store.db
        for w in writes:
            ident = int(w.obj.id)
            db.execute("DELETE FROM hs_contact_emails WHERE id = ?", (ident,))
            if w.obj.archived:
                continue
            if w.obj.properties.get("email"):
                db.execute("INSERT OR REPLACE INTO hs_contact_emails (email, id, kind) VALUES (?, ?, 'primary')",
                           (w.obj.properties["email"], ident))
            for extra in (w.obj.properties.get("hs_additional_emails") or "").split(";"):
                if extra:
                    db.execute("INSERT OR IGNORE INTO hs_contact_emails (email, id, kind) VALUES (?, ?, 'additional')",
                               (extra, ident))

    def _rebuild_email_index(self) -> None:
        """State written before the e-mail index existed (or by hand) gets one, so uniqueness holds after a restart."""
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM hs_contact_emails LIMIT 1").fetchone():
                return
            rows = db.execute("SELECT * FROM hs_objects WHERE object_type = 'contacts' AND archived = 0 "
                              "AND merged_into IS NULL").fetchall()
            self._index_emails([Write(object_from_row("contacts", r), {"email": None}, False) for r in rows])

    def _check_unique(self, object_type: str, values: dict[str, str | None], own_id: str | None,
                      batch: dict[tuple[str, str], str]) -> None:
        """409 CONFLICT with the existing id: contacts by e-mail, any object by a property declared unique."""
        names = ["email"] if object_type == "contacts" else []
        names += [d.name for d in self.portal.properties.get(object_type, {}).values() if d.has_unique_value]
        for name in names:
            value = values.get(name)
            if not value:
                continue
            existing = self.find_by_property(object_type, name, value)
            holder = existing.id if existing is not None else batch.get((name, value.lower()))
            if holder is not None and holder != own_id:
                label = "Contact" if object_type == "contacts" else object_type[:-1].capitalize()
                raise err.Conflict(f"{label} already exists. Existing ID: {holder}", context={"id": [holder]})
            batch[(name, value.lower())] = own_id or "(this batch)"

    # -- writes ---------------------------------------------------------------------------------------
    def create(self, object_type: str, properties: dict[str, Any], source: Source = API, trusted: bool = False,
               associations: list[dict[str, Any]] | None = None) -> HsObject:
        return raise_first(self.create_many(object_type, [properties], source, trusted,
                                            [associations] if associations else None))

    def create_many(self, object_type: str, items: Sequence[dict[str, Any]], source: Source = API, trusted: bool = False,
                    associations: Sequence[list[dict[str, Any]] | None] | None = None,
                    atomic: bool = False) -> list[HsObject | err.HubSpotError]:
        """Create each item; a failed item is returned as its error, the others are written (HubSpot's 207).

        atomic: any failed item fails the call (raises) and nothing is written.
        """
        results: list[HsObject | err.HubSpotError] = []
        with self.store.transaction():
            stamp = now_ms()
            seen: dict[tuple[str, str], str] = {}
            ready: list[tuple[int, dict[str, str | None]]] = []
            for index, properties in enumerate(items):
                try:
                    values = {k: v for k, v in self.validator.clean(object_type, properties, trusted).items() if v is not None}
                    self.validator.pipeline_defaults(object_type, values)
                    self.validator.required(object_type, values)
                    self.validator.check_stage(object_type, {}, values)
                    self.validator.lifecycle(object_type, {}, values, source.type, stamp)
                    self._check_unique(object_type, values, None, seen)
                    if associations and associations[index]:
                        self.associations.check_inputs(object_type, associations[index])
                except err.HubSpotError as error:
                    error.index = index
                    results.append(error)
                    continue
                ready.append((index, values))
                results.append(None)  # type: ignore[arg-type]
            if atomic:
                raise_any(results)
            writes: list[Write] = []
            iso = hs_datetime(stamp)
            for (index, values), new_id in zip(ready, self._next_ids(len(ready)), strict=True):
                values.update({"hs_object_id": new_id, "createdate": iso, "lastmodifieddate": iso,
                               "hs_lastmodifieddate": iso})
                obj = HsObject(object_type, new_id, values, stamp, stamp, False)
                writes.append(Write(obj, dict(values), True))
                results[index] = obj
            self._persist(writes, stamp, source)
            for index, _ in ready:
                if associations and associations[index]:
                    self.associations.create_from_inputs(object_type, results[index].id, associations[index])  # type: ignore[union-attr]
        return results

    def update(self, object_type: str, object_id: str, properties: dict[str, Any], source: Source = API,
               trusted: bool = False, id_property: str | None = None) -> HsObject:
        return raise_first(self.update_many(object_type, [(object_id, properties, id_property)], source, trusted))

    def update_many(self, object_type: str, items: Sequence[tuple[str, dict[str, Any], str | None]], source: Source = API,
                    trusted: bool = False, atomic: bool = False) -> list[HsObject | err.HubSpotError]:
        results: list[HsObject | err.HubSpotError] = []
        with self.store.transaction():
            stamp = now_ms()
            seen: dict[tuple[str, str], str] = {}
            writes: list[Write] = []
            for index, (object_id, properties, id_property) in enumerate(items):
                try:
                    clean = self.validator.clean(object_type, properties, trusted)
                    obj = self.get(object_type, str(object_id), id_property=id_property)
                    changes = {k: v for k, v in clean.items() if obj.properties.get(k) != v}
                    self.validator.check_stage(object_type, obj.properties, changes)
                    self.validator.lifecycle(object_type, obj.properties, changes, source.type, stamp)
                    self._check_unique(object_type, changes, obj.id, seen)
                except err.HubSpotError as error:
                    error.index = index
                    error.context = error.context or {"id": [str(object_id)]}
                    results.append(error)
                    continue
                if changes:
                    for name, value in changes.items():
                        if value is None:
                            obj.properties.pop(name, None)
                        else:
                            obj.properties[name] = value
                    obj.properties["lastmodifieddate"] = obj.properties["hs_lastmodifieddate"] = hs_datetime(stamp)
                    obj.updated_ms = stamp
                    writes.append(Write(obj, changes, False))
                results.append(obj)
            if atomic:
                raise_any(results)
            self._persist(writes, stamp, source)
        return results

    def merge(self, object_type: str, primary_id: str, secondary_id: str, source: Source = API) -> HsObject:
        from .merge import merge_objects

        return merge_objects(self, object_type, primary_id, secondary_id, source)

    def snapshot(self) -> list[dict[str, Any]]:
        with self.store.lock:
            rows = self.store.db.execute("SELECT * FROM hs_objects ORDER BY object_type, id").fetchall()
        return [dict(r) for r in rows]
