"""The HubSpot portal's state and behaviour, no HTTP: CRM objects, property history, validation.

Objects live in one table (`hs_objects`), properties as a JSON document per object, every property write in
`hs_history` with its timestamp and source (API, CRM_UI, SALESFORCE...), which is what propertiesWithHistory
returns and what the connector reads to decide which side changed last.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..clock import hs_datetime, now_ms
from ..store import Store
from . import exceptions as err
from .portal import DEFAULT_READ, Portal

# Values HubSpot computes; clients may read them but any write is refused.
MAINTAINED = {"hs_object_id", "createdate", "lastmodifieddate", "hs_lastmodifieddate", "hs_merged_object_ids"}


@dataclass(frozen=True)
class Source:
    """Who wrote a property value: recorded in history as sourceType / sourceId."""

    type: str = "API"
    id: str | None = None
    label: str | None = None


API = Source("API")
CONNECTOR = Source("SALESFORCE", "Salesforce Connector", "Salesforce")


@dataclass
class HsObject:
    object_type: str
    id: str
    properties: dict[str, str | None]
    created_ms: int
    updated_ms: int
    archived: bool
    archived_ms: int | None = None


class HubSpotBackend:
    def __init__(self, store: Store, portal: Portal) -> None:
        self.store = store
        self.portal = portal
        with store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS hs_objects (
                object_type TEXT NOT NULL, id INTEGER NOT NULL, properties TEXT NOT NULL,
                created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, archived INTEGER NOT NULL DEFAULT 0,
                archived_ms INTEGER, merged_into INTEGER, PRIMARY KEY (object_type, id))""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_updated ON hs_objects (object_type, updated_ms)")
            # E-mail is the contact's unique key: lookups by it must not scan.
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_email ON hs_objects (lower(json_extract(properties, '$.email'))) "
                       "WHERE object_type = 'contacts'")
            db.execute("""CREATE TABLE IF NOT EXISTS hs_history (
                object_type TEXT NOT NULL, id INTEGER NOT NULL, property TEXT NOT NULL, value TEXT,
                timestamp_ms INTEGER NOT NULL, source_type TEXT NOT NULL, source_id TEXT, source_label TEXT)""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_history ON hs_history (object_type, id, property)")

    # -- ids ------------------------------------------------------------------------------------------
    def _next_id(self) -> int:
        counter = int(self.store.meta("hs.counter", "0")) + 1
        self.store.set_meta("hs.counter", str(counter))
        return 100_000_000 + self.portal.portal_id % 1000 * 1_000_000 + counter

    # -- validation -----------------------------------------------------------------------------------
    def _validate(self, object_type: str, properties: dict[str, Any], trusted: bool) -> dict[str, str | None]:
        problems: list[dict[str, Any]] = []
        clean: dict[str, str | None] = {}
        for name, value in properties.items():
            definition = self.portal.property(object_type, name)
            if definition is None:
                problems.append({"isValid": False, "message": f'Property "{name}" does not exist',
                                 "error": "PROPERTY_DOESNT_EXIST", "name": name, "localizedErrorMessage":
                                 f'Property "{name}" does not exist'})
                continue
            if not trusted and (name in MAINTAINED or definition.read_only or definition.calculated):
                problems.append({"isValid": False, "message": f"{name} is a read only property; its value cannot be set.",
                                 "error": "READ_ONLY_VALUE", "name": name})
                continue
            text = None if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
            if text == "":
                text = None
            if text is not None and definition.type == "enumeration":
                allowed = definition.option_values()
                parts = text.split(";") if definition.field_type == "checkbox" else [text]
                bad = [p for p in parts if p not in allowed]
                if bad:
                    problems.append({"isValid": False, "message": f"{bad[0]} was not one of the allowed options: "
                                     + ", ".join(f"[label: {o['label']}, value: {o['value']}]" for o in definition.options),
                                     "error": "INVALID_OPTION", "name": name})
                    continue
            if text is not None and definition.type == "number":
                try:
                    float(text)
                except ValueError:
                    problems.append({"isValid": False, "message": f"{text} is not a valid number", "error": "INVALID_INTEGER",
                                     "name": name})
                    continue
            if text is not None and definition.type == "bool" and text not in {"true", "false"}:
                problems.append({"isValid": False, "message": f"{text} is not a valid boolean", "error": "INVALID_BOOLEAN",
                                 "name": name})
                continue
            clean[name] = text
        if problems:
            raise err.invalid_properties(problems)
        return clean

    # -- reads ----------------------------------------------------------------------------------------
    def _load(self, object_type: str, object_id: str | int) -> HsObject | None:
        try:
            key = int(object_id)
        except (TypeError, ValueError):
            return None
        with self.store.lock:
            row = self.store.db.execute("SELECT * FROM hs_objects WHERE object_type = ? AND id = ?",
                                        (object_type, key)).fetchone()
        if row is None:
            return None
        if row["merged_into"]:
            # Both ids of a merge resolve to the surviving record.
            return self._load(object_type, row["merged_into"])
        return HsObject(object_type, str(row["id"]), json.loads(row["properties"]), row["created_ms"], row["updated_ms"],
                        bool(row["archived"]), row["archived_ms"])

    def find_by_property(self, object_type: str, name: str, value: str) -> HsObject | None:
        with self.store.lock:
            if object_type == "contacts" and name == "email":
                row = self.store.db.execute(
                    "SELECT id FROM hs_objects WHERE object_type = 'contacts' AND archived = 0 "
                    "AND lower(json_extract(properties, '$.email')) = lower(?)", (value,)).fetchone()
            elif name == "hs_object_id":
                return self.get(object_type, value)
            else:
                row = self.store.db.execute(
                    "SELECT id FROM hs_objects WHERE object_type = ? AND archived = 0 AND json_extract(properties, ?) = ?",
                    (object_type, f"$.{name}", value)).fetchone()
        return self._load(object_type, row["id"]) if row else None

    def get(self, object_type: str, object_id: str, archived: bool = False, id_property: str | None = None) -> HsObject:
        found = (self.find_by_property(object_type, id_property, object_id) if id_property and id_property != "hs_object_id"
                 else self._load(object_type, object_id))
        if found is None or found.archived != archived:
            raise err.ObjectNotFound()
        return found

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
                "SELECT id FROM hs_objects WHERE object_type = ? AND updated_ms > ? AND merged_into IS NULL "
                "ORDER BY updated_ms", (object_type, since_ms)).fetchall()
        return [o for o in (self._load(object_type, r["id"]) for r in rows) if o is not None]

    # -- rendering ------------------------------------------------------------------------------------
    def view(self, obj: HsObject, names: Iterable[str] | None) -> dict[str, str | None]:
        """The `properties` a read returns: the named ones (existing, even if empty) or the object's defaults."""
        wanted = list(names) if names else DEFAULT_READ.get(obj.object_type, ["hs_object_id", "createdate"])
        out: dict[str, str | None] = {}
        for name in wanted:
            if name in obj.properties or self.portal.property(obj.object_type, name) is not None:
                out[name] = obj.properties.get(name)
        return out

    # -- writes ---------------------------------------------------------------------------------------
    def _write_history(self, obj: HsObject, changes: dict[str, str | None], stamp: int, source: Source) -> None:
        self.store.db.executemany(
            "INSERT INTO hs_history (object_type, id, property, value, timestamp_ms, source_type, source_id, source_label) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(obj.object_type, int(obj.id), name, value, stamp, source.type, source.id, source.label)
             for name, value in changes.items()])

    def _save(self, obj: HsObject) -> None:
        self.store.db.execute(
            "INSERT OR REPLACE INTO hs_objects (object_type, id, properties, created_ms, updated_ms, archived, archived_ms) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (obj.object_type, int(obj.id), json.dumps(obj.properties), obj.created_ms, obj.updated_ms, int(obj.archived),
             obj.archived_ms))

    def _check_unique_email(self, object_type: str, properties: dict[str, str | None], own_id: str | None) -> None:
        email = properties.get("email")
        if object_type != "contacts" or not email:
            return
        existing = self.find_by_property("contacts", "email", email)
        if existing is not None and existing.id != own_id:
            raise err.Conflict(f"Contact already exists. Existing ID: {existing.id}", category="CONFLICT")

    def create(self, object_type: str, properties: dict[str, Any], source: Source = API, trusted: bool = False) -> HsObject:
        clean = self._validate(object_type, properties, trusted)
        with self.store.transaction():
            self._check_unique_email(object_type, clean, None)
            stamp = now_ms()
            new_id = str(self._next_id())
            values = {k: v for k, v in clean.items() if v is not None}
            values.update({"hs_object_id": new_id, "createdate": hs_datetime(stamp), "lastmodifieddate": hs_datetime(stamp),
                           "hs_lastmodifieddate": hs_datetime(stamp)})
            obj = HsObject(object_type, new_id, values, stamp, stamp, False)
            self._save(obj)
            self._write_history(obj, {k: v for k, v in values.items()}, stamp, source)
        return obj

    def update(self, object_type: str, object_id: str, properties: dict[str, Any], source: Source = API,
               trusted: bool = False, id_property: str | None = None) -> HsObject:
        clean = self._validate(object_type, properties, trusted)
        with self.store.transaction():
            obj = self.get(object_type, object_id, id_property=id_property)
            self._check_unique_email(object_type, clean, obj.id)
            changes = {k: v for k, v in clean.items() if obj.properties.get(k) != v}
            if changes:
                stamp = now_ms()
                for name, value in changes.items():
                    if value is None:
                        obj.properties.pop(name, None)
                    else:
                        obj.properties[name] = value
                obj.properties["lastmodifieddate"] = obj.properties["hs_lastmodifieddate"] = hs_datetime(stamp)
                obj.updated_ms = stamp
                self._save(obj)
                self._write_history(obj, changes, stamp, source)
        return obj

    def archive(self, object_type: str, object_id: str) -> None:
        with self.store.transaction():
            obj = self.get(object_type, object_id)
            stamp = now_ms()
            obj.archived, obj.archived_ms, obj.updated_ms = True, stamp, stamp
            self._save(obj)

    def snapshot(self) -> list[dict[str, Any]]:
        with self.store.lock:
            rows = self.store.db.execute("SELECT * FROM hs_objects ORDER BY object_type, id").fetchall()
        return [dict(r) for r in rows]
