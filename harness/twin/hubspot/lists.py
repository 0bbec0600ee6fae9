"""Lists (segments): MANUAL and SNAPSHOT lists hold members; DYNAMIC (active) lists are their filters.

The connector's inclusion list is one of these, read in process with `Lists.is_member(list_id, record_id)`: an
active list's membership is its criteria evaluated on the record's current values (HubSpot re-evaluates active
lists continuously; the twin does it at read time, so there is no processing delay to wait out). Archived
records are members of nothing. Fixture lists keep their fixture ids; lists made through the API get new ids.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..clock import hs_datetime, now_ms
from . import exceptions as err
from .criteria import Criteria, CriteriaError, kinds_of
from .properties import OBJECT_TYPES, PortalError

if TYPE_CHECKING:
    from .models import HubSpotBackend
    from .portal import Portal

PROCESSING_TYPES = ("MANUAL", "DYNAMIC", "SNAPSHOT")
_BY_TYPE_ID = {v: k for k, v in OBJECT_TYPES.items()}


@dataclass
class ListDefinition:
    id: str
    name: str
    object_type: str
    processing_type: str
    criteria: Criteria
    created_ms: int = 0
    updated_ms: int = 0
    deleted_ms: int | None = None
    version: int = 1


def parse_lists(source: str, raw: Any, portal: Portal) -> list[ListDefinition]:
    lists: list[ListDefinition] = []
    for index, spec in enumerate(raw or []):
        where = f"{source}: lists[{index}]"
        if not isinstance(spec, Mapping) or not spec.get("id") or not spec.get("name"):
            raise PortalError(f"{where}: a list needs an id (numeric string), a name, an object and a processing type")
        if not str(spec["id"]).isdigit():
            raise PortalError(f"{where}.id: list ids are numeric strings such as \"101\", not {spec['id']!r}")
        object_type = str(spec.get("object", "contacts"))
        if object_type not in OBJECT_TYPES:
            raise PortalError(f"{where}.object: {object_type!r} is not a CRM object type; use one of {sorted(OBJECT_TYPES)}")
        processing = str(spec.get("processing", "DYNAMIC")).upper()
        if processing not in PROCESSING_TYPES:
            raise PortalError(f"{where}.processing: {processing!r}; use one of {', '.join(PROCESSING_TYPES)}")
        try:
            criteria = Criteria.from_fixture(spec.get("filters"), f"{where}.filters")
        except CriteriaError as error:
            raise PortalError(str(error)) from None
        for name in criteria.properties():
            if portal.property(object_type, name) is None:
                raise PortalError(f"{where}.filters: property {name!r} is not defined for {object_type}")
        if processing == "DYNAMIC" and not criteria.groups:
            raise PortalError(f"{where}.filters: an active (DYNAMIC) list needs filters")
        lists.append(ListDefinition(str(spec["id"]), str(spec["name"]), object_type, processing, criteria))
    ids = [item.id for item in lists]
    if len(ids) != len(set(ids)):
        raise PortalError(f"{source}: lists: list ids must be unique")
    return lists


class Lists:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.store = backend.store
        with self.store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS hs_lists (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                object_type TEXT NOT NULL, processing_type TEXT NOT NULL, criteria TEXT NOT NULL, created_ms INTEGER NOT NULL,
                updated_ms INTEGER NOT NULL, deleted_ms INTEGER, version INTEGER NOT NULL DEFAULT 1)""")
            db.execute("""CREATE TABLE IF NOT EXISTS hs_list_members (list_id INTEGER NOT NULL, object_id INTEGER NOT NULL,
                added_ms INTEGER NOT NULL, PRIMARY KEY (list_id, object_id)) WITHOUT ROWID""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_list_members_object ON hs_list_members (object_id)")
            stamp = now_ms()
            for item in backend.portal.lists:
                db.execute("INSERT OR IGNORE INTO hs_lists (id, name, object_type, processing_type, criteria, created_ms, "
                           "updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (int(item.id), item.name, item.object_type, item.processing_type,
                            json.dumps(item.criteria.as_fixture()), stamp, stamp))

    # -- definitions ----------------------------------------------------------------------------------
    @staticmethod
    def _definition(row: Any) -> ListDefinition:
        return ListDefinition(str(row["id"]), row["name"], row["object_type"], row["processing_type"],
                              Criteria.from_fixture(json.loads(row["criteria"]), "list"), row["created_ms"],
                              row["updated_ms"], row["deleted_ms"], row["version"])

    def get(self, list_id: str, deleted: bool = False) -> ListDefinition:
        try:
            key = int(list_id)
        except (TypeError, ValueError):
            raise err.ObjectNotFound(f"List {list_id} does not exist") from None
        with self.store.lock:
            row = self.store.db.execute("SELECT * FROM hs_lists WHERE id = ?", (key,)).fetchone()
        if row is None or (row["deleted_ms"] is not None and not deleted):
            raise err.ObjectNotFound(f"List {list_id} does not exist")
        return self._definition(row)

    def by_name(self, object_type: str, name: str) -> ListDefinition:
        with self.store.lock:
            row = self.store.db.execute("SELECT * FROM hs_lists WHERE object_type = ? AND lower(name) = lower(?) AND "
                                        "deleted_ms IS NULL", (object_type, name)).fetchone()
        if row is None:
            raise err.ObjectNotFound(f"List {name!r} does not exist for {object_type}")
        return self._definition(row)

    def all(self, include_deleted: bool = False) -> list[ListDefinition]:
        with self.store.lock:
            rows = self.store.db.execute("SELECT * FROM hs_lists ORDER BY id").fetchall()
        return [self._definition(r) for r in rows if include_deleted or r["deleted_ms"] is None]

    def create(self, name: str, object_type_id: str, processing_type: str, filter_branch: Any = None) -> ListDefinition:
        object_type = _BY_TYPE_ID.get(str(object_type_id), str(object_type_id))
        if object_type not in OBJECT_TYPES:
            raise err.HubSpotError(f"objectTypeId {object_type_id!r} is not a valid object type", category="VALIDATION_ERROR")
        if processing_type not in PROCESSING_TYPES:
            raise err.HubSpotError(f"processingType must be one of {', '.join(PROCESSING_TYPES)}", category="VALIDATION_ERROR")
        if not name:
            raise err.HubSpotError("name is required", category="VALIDATION_ERROR")
        criteria = self._criteria(object_type, filter_branch) if filter_branch is not None else Criteria(())
        if processing_type == "DYNAMIC" and not criteria.groups:
            raise err.HubSpotError("A DYNAMIC list needs a filterBranch", category="VALIDATION_ERROR")
        with self.store.transaction() as db:
            if db.execute("SELECT 1 FROM hs_lists WHERE lower(name) = lower(?) AND deleted_ms IS NULL", (name,)).fetchone():
                raise err.HubSpotError(f"A list named {name!r} already exists", category="VALIDATION_ERROR",
                                       extra={"subCategory": "ILS.DUPLICATE_LIST_NAMES"})
            stamp = now_ms()
            new_id = max(1000, (db.execute("SELECT max(id) FROM hs_lists").fetchone()[0] or 0) + 1)
            db.execute("INSERT INTO hs_lists (id, name, object_type, processing_type, criteria, created_ms, updated_ms) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", (new_id, name, object_type, processing_type,
                                                        json.dumps(criteria.as_fixture()), stamp, stamp))
        return self.get(str(new_id))

    def _criteria(self, object_type: str, filter_branch: Any) -> Criteria:
        try:
            criteria = Criteria.from_filter_branch(filter_branch)
        except CriteriaError as error:
            raise err.HubSpotError(str(error), category="VALIDATION_ERROR") from None
        for name in criteria.properties():
            if self.backend.portal.property(object_type, name) is None:
                raise err.HubSpotError(f"Property {name} does not exist on {object_type}", category="VALIDATION_ERROR")
        return criteria

    def update(self, list_id: str, name: str | None = None, filter_branch: Any = None) -> ListDefinition:
        item = self.get(list_id)
        with self.store.transaction() as db:
            if name is not None:
                db.execute("UPDATE hs_lists SET name = ?, updated_ms = ?, version = version + 1 WHERE id = ?",
                           (name, now_ms(), int(list_id)))
            if filter_branch is not None:
                if item.processing_type != "DYNAMIC":
                    raise err.HubSpotError("Only DYNAMIC lists have filters to update", category="VALIDATION_ERROR")
                criteria = self._criteria(item.object_type, filter_branch)
                db.execute("UPDATE hs_lists SET criteria = ?, updated_ms = ?, version = version + 1 WHERE id = ?",
                           (json.dumps(criteria.as_fixture()), now_ms(), int(list_id)))
        return self.get(list_id)

    def delete(self, list_id: str) -> None:
        self.get(list_id)
        with self.store.transaction() as db:
            db.execute("UPDATE hs_lists SET deleted_ms = ? WHERE id = ?", (now_ms(), int(list_id)))

    def restore(self, list_id: str) -> None:
        self.get(list_id, deleted=True)
        with self.store.transaction() as db:
            db.execute("UPDATE hs_lists SET deleted_ms = NULL WHERE id = ?", (int(list_id),))

    # -- membership -----------------------------------------------------------------------------------
    def is_member(self, list_id: str, object_id: str) -> bool:
        """Whether the record is in the list now; merged-away ids answer for their survivor."""
        item = self.get(list_id)
        obj = self.backend.find_by_id(item.object_type, object_id)
        if obj is None or obj.archived:
            return False
        if item.processing_type == "DYNAMIC":
            return item.criteria.matches(obj.properties, self._kinds(item.object_type))
        with self.store.lock:
            return self.store.db.execute("SELECT 1 FROM hs_list_members WHERE list_id = ? AND object_id = ?",
                                         (int(list_id), int(obj.id))).fetchone() is not None

    def _kinds(self, object_type: str) -> dict[str, str]:
        return kinds_of(self.backend.portal.properties.get(object_type, {}).values())

    def members(self, list_id: str) -> list[tuple[str, int]]:
        """(record id, membership timestamp) by record id, live records only."""
        item = self.get(list_id)
        with self.store.lock:
            if item.processing_type == "DYNAMIC":
                kinds = self._kinds(item.object_type)
                rows = self.store.db.execute("SELECT id, properties, updated_ms FROM hs_objects WHERE object_type = ? AND "
                                             "archived = 0 AND merged_into IS NULL ORDER BY id",
                                             (item.object_type,)).fetchall()
                return [(str(r["id"]), r["updated_ms"]) for r in rows
                        if item.criteria.matches(json.loads(r["properties"]), kinds)]
            rows = self.store.db.execute(
                "SELECT m.object_id, m.added_ms FROM hs_list_members m JOIN hs_objects o ON o.object_type = ? AND "
                "o.id = m.object_id AND o.archived = 0 AND o.merged_into IS NULL WHERE m.list_id = ? ORDER BY m.object_id",
                (item.object_type, int(list_id))).fetchall()
        return [(str(r["object_id"]), r["added_ms"]) for r in rows]

    def change(self, list_id: str, add: list[str], remove: list[str]) -> dict[str, list[str]]:
        """Add and remove records (MANUAL and SNAPSHOT lists only): HubSpot's MembershipsUpdateResponse lists."""
        item = self.get(list_id)
        if item.processing_type == "DYNAMIC":
            raise err.HubSpotError(f"List {list_id} is a DYNAMIC list; memberships can only be changed on MANUAL or "
                                   f"SNAPSHOT lists", category="VALIDATION_ERROR")
        added, removed, missing = [], [], []
        with self.store.transaction() as db:
            stamp = now_ms()
            for record_id in add:
                obj = self.backend.find_by_id(item.object_type, record_id)
                if obj is None or obj.archived:
                    missing.append(str(record_id))
                    continue
                if db.execute("INSERT OR IGNORE INTO hs_list_members VALUES (?, ?, ?)",
                              (int(list_id), int(obj.id), stamp)).rowcount:
                    added.append(obj.id)
            for record_id in remove:
                obj = self.backend.find_by_id(item.object_type, record_id)
                key = int(obj.id) if obj is not None else int(record_id) if str(record_id).isdigit() else -1
                if db.execute("DELETE FROM hs_list_members WHERE list_id = ? AND object_id = ?",
                              (int(list_id), key)).rowcount:
                    removed.append(str(key))
                elif obj is None:
                    missing.append(str(record_id))
            if added or removed:
                # Entering the inclusion list is a sync trigger: the record counts as changed.
                db.executemany("UPDATE hs_objects SET updated_ms = ? WHERE object_type = ? AND id = ?",
                               [(stamp, item.object_type, int(i)) for i in added + removed])
                db.execute("UPDATE hs_lists SET updated_ms = ? WHERE id = ?", (stamp, int(list_id)))
        return {"recordIdsRemoved": removed, "recordsIdsAdded": added, "recordIdsMissing": missing}

    def clear(self, list_id: str) -> None:
        item = self.get(list_id)
        if item.processing_type == "DYNAMIC":
            raise err.HubSpotError("Memberships of a DYNAMIC list cannot be removed", category="VALIDATION_ERROR")
        with self.store.transaction() as db:
            db.execute("DELETE FROM hs_list_members WHERE list_id = ?", (int(list_id),))

    def lists_of(self, object_type: str, object_id: str) -> list[tuple[ListDefinition, int]]:
        """The lists a record is in now, with when it joined (active lists: its last modification)."""
        obj = self.backend.find_by_id(object_type, object_id)
        if obj is None or obj.archived:
            return []
        out = []
        for item in self.all():
            if item.object_type != object_type:
                continue
            if item.processing_type == "DYNAMIC":
                if item.criteria.matches(obj.properties, self._kinds(object_type)):
                    out.append((item, obj.updated_ms))
                continue
            row = self.store.db.execute("SELECT added_ms FROM hs_list_members WHERE list_id = ? AND object_id = ?",
                                        (int(item.id), int(obj.id))).fetchone()
            if row:
                out.append((item, row["added_ms"]))
        return out

    def move(self, old_id: str, new_id: str) -> None:
        """A merged-away record's static memberships pass to the survivor."""
        db = self.store.db
        db.execute("INSERT OR IGNORE INTO hs_list_members SELECT list_id, ?, added_ms FROM hs_list_members "
                   "WHERE object_id = ?", (int(new_id), int(old_id)))
        db.execute("DELETE FROM hs_list_members WHERE object_id = ?", (int(old_id),))

    def drop_object(self, object_id: str) -> None:
        self.store.db.execute("DELETE FROM hs_list_members WHERE object_id = ?", (int(object_id),))

    # -- wire shape -----------------------------------------------------------------------------------
    def to_api(self, item: ListDefinition, include_filters: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "listId": item.id, "name": item.name, "objectTypeId": OBJECT_TYPES[item.object_type],
            "processingType": item.processing_type, "processingStatus": "COMPLETE", "listVersion": item.version,
            "size": len(self.members(item.id)) if item.deleted_ms is None else 0,
            "createdAt": hs_datetime(item.created_ms), "updatedAt": hs_datetime(item.updated_ms),
            "filtersUpdatedAt": hs_datetime(item.updated_ms)}
        if item.deleted_ms is not None:
            out["deletedAt"] = hs_datetime(item.deleted_ms)
        if include_filters and item.processing_type == "DYNAMIC":
            out["filterBranch"] = item.criteria.to_filter_branch(self._kinds(item.object_type))
        return out
