"""Associations between records (v4 model): typed, labelled, stored in both directions.

Invariants HubSpot keeps and the twin keeps too: every labelled association also carries the unlabeled
(default) type; each direction has its own type id, the inverse of the other; a record has at most one
*primary* company (contact->company 1, deal->company 5, ticket->company 26): making another company primary
demotes the old one to unlabeled. Reads never show archived records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..clock import now_ms
from . import exceptions as err
from .associations_catalog import HUBSPOT, USER, AssociationCatalog, AssociationLabel, AssociationType
from .properties import SINGULAR

if TYPE_CHECKING:
    from .models import HubSpotBackend

Spec = tuple[str, int]  # (category, type id)


class Associations:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.store = backend.store
        with self.store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS hs_associations (
                from_type TEXT NOT NULL, from_id INTEGER NOT NULL, to_type TEXT NOT NULL, to_id INTEGER NOT NULL,
                category TEXT NOT NULL, type_id INTEGER NOT NULL, created_ms INTEGER NOT NULL,
                PRIMARY KEY (from_type, from_id, to_type, to_id, category, type_id)) WITHOUT ROWID""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_assoc_to ON hs_associations (to_type, to_id)")
            db.execute("""CREATE TABLE IF NOT EXISTS hs_association_labels (from_type TEXT NOT NULL, to_type TEXT NOT NULL,
                label TEXT NOT NULL, name TEXT NOT NULL, type_id INTEGER NOT NULL, inverse_id INTEGER NOT NULL,
                inverse_label TEXT, PRIMARY KEY (from_type, to_type, type_id))""")
            extra = [AssociationLabel(r["from_type"], r["to_type"], r["label"], r["name"], r["type_id"], r["inverse_id"],
                                      r["inverse_label"]) for r in db.execute("SELECT * FROM hs_association_labels")]
        self.catalog = AssociationCatalog(list(backend.portal.association_labels) + extra)

    # -- checks ---------------------------------------------------------------------------------------
    def kind(self, from_type: str, to_type: str, category: str, type_id: int) -> AssociationType:
        found = self.catalog.find(from_type, to_type, str(category), int(type_id))
        if found is None:
            spec = f"{category}={type_id}"
            raise err.invalid_associations({"associationSpec": [spec],
                                            "INVALID_ASSOCIATION_TYPE_ID": [f"{spec} is not a valid association definition id"]})
        return found

    def _live(self, object_type: str, object_id: str) -> str:
        obj = self.backend.find_by_id(object_type, object_id)
        if obj is None or obj.archived:
            name = SINGULAR[object_type].upper()
            raise err.invalid_associations({"INVALID_OBJECT_IDS": [f"{name}={object_id} is not valid"],
                                            "objectId": [str(object_id)], "objectType": [name]})
        return obj.id

    # -- writes ---------------------------------------------------------------------------------------
    def associate(self, from_type: str, from_id: str, to_type: str, to_id: str, specs: Iterable[Spec]) -> list[str]:
        """Add association types between two records (both directions); returns the pair's labels afterwards."""
        kinds = [self.kind(from_type, to_type, c, t) for c, t in specs]
        with self.store.transaction() as db:
            left, right = self._live(from_type, from_id), self._live(to_type, to_id)
            unlabeled = self.catalog.unlabeled(from_type, to_type)
            if unlabeled is None:
                raise err.HubSpotError(f"{from_type} cannot be associated with {to_type}", category="VALIDATION_ERROR")
            if unlabeled not in kinds:
                kinds.append(unlabeled)
            stamp = now_ms()
            for kind in kinds:
                if kind.primary:
                    self._demote_primary(from_type, left, to_type, kind)
                inverse = self.catalog.inverse(kind)
                db.execute("INSERT OR IGNORE INTO hs_associations VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (from_type, int(left), to_type, int(right), kind.category, kind.type_id, stamp))
                if inverse is not None:
                    db.execute("INSERT OR IGNORE INTO hs_associations VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (to_type, int(right), from_type, int(left), inverse.category, inverse.type_id, stamp))
            self._touch(from_type, left, to_type, right)
        return [k.label for k in self.types_of(from_type, left, to_type, right) if k.label]

    def _demote_primary(self, from_type: str, from_id: str, to_type: str, primary: AssociationType) -> None:
        db = self.store.db
        inverse = self.catalog.inverse(primary)
        for row in db.execute("SELECT to_id FROM hs_associations WHERE from_type = ? AND from_id = ? AND to_type = ? AND "
                              "category = ? AND type_id = ?", (from_type, int(from_id), to_type, HUBSPOT,
                                                               primary.type_id)).fetchall():
            db.execute("DELETE FROM hs_associations WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ? "
                       "AND category = ? AND type_id = ?", (from_type, int(from_id), to_type, row["to_id"], HUBSPOT,
                                                            primary.type_id))
            if inverse is not None:
                db.execute("DELETE FROM hs_associations WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ? "
                           "AND category = ? AND type_id = ?", (to_type, row["to_id"], from_type, int(from_id), HUBSPOT,
                                                                inverse.type_id))

    def associate_default(self, from_type: str, from_id: str, to_type: str, to_id: str) -> AssociationType:
        unlabeled = self.catalog.unlabeled(from_type, to_type)
        if unlabeled is None:
            raise err.HubSpotError(f"{from_type} cannot be associated with {to_type}", category="VALIDATION_ERROR")
        self.associate(from_type, from_id, to_type, to_id, [(unlabeled.category, unlabeled.type_id)])
        return unlabeled

    def remove(self, from_type: str, from_id: str, to_type: str, to_id: str, specs: Iterable[Spec] | None = None) -> None:
        """Remove the whole association (specs None, or the unlabeled type named) or only the given labels."""
        kinds = None if specs is None else [self.kind(from_type, to_type, c, t) for c, t in specs]
        with self.store.transaction() as db:
            if kinds is None or any(k.unlabeled for k in kinds):
                for a, a_id, b, b_id in ((from_type, from_id, to_type, to_id), (to_type, to_id, from_type, from_id)):
                    db.execute("DELETE FROM hs_associations WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ?",
                               (a, int(a_id), b, int(b_id)))
            else:
                for kind in kinds:
                    inverse = self.catalog.inverse(kind)
                    db.execute("DELETE FROM hs_associations WHERE from_type = ? AND from_id = ? AND to_type = ? AND "
                               "to_id = ? AND category = ? AND type_id = ?",
                               (from_type, int(from_id), to_type, int(to_id), kind.category, kind.type_id))
                    if inverse is not None:
                        db.execute("DELETE FROM hs_associations WHERE from_type = ? AND from_id = ? AND to_type = ? AND "
                                   "to_id = ? AND category = ? AND type_id = ?",
                                   (to_type, int(to_id), from_type, int(from_id), inverse.category, inverse.type_id))
            self._touch(from_type, from_id, to_type, to_id)

    def _touch(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        """An association change bumps both records' modification stamp (it is a sync trigger for the connector)."""
        stamp = now_ms()
        for object_type, object_id in ((from_type, from_id), (to_type, to_id)):
            self.store.db.execute("UPDATE hs_objects SET updated_ms = ? WHERE object_type = ? AND id = ?",
                                  (stamp, object_type, int(object_id)))

    # -- create-with-associations (POST /crm/v3/objects/{type} with `associations`) --------------------
    def _resolve_inputs(self, object_type: str, inputs: list[dict[str, Any]]) -> list[tuple[AssociationType, str]]:
        resolved = []
        for item in inputs:
            target = str(((item or {}).get("to") or {}).get("id") or "")
            for spec in (item or {}).get("types") or []:
                category = str(spec.get("associationCategory", HUBSPOT))
                type_id = int(spec.get("associationTypeId", 0))
                kind = next((k for k in self.catalog.types if k.from_type == object_type and k.category == category
                             and k.type_id == type_id), None)
                if kind is None:
                    raise err.HubSpotError(f"{category} association type {type_id} does not start at {object_type}",
                                           category="VALIDATION_ERROR")
                resolved.append((kind, target))
        return resolved

    def check_inputs(self, object_type: str, inputs: list[dict[str, Any]]) -> None:
        for kind, target in self._resolve_inputs(object_type, inputs):
            self._live(kind.to_type, target)

    def create_from_inputs(self, object_type: str, object_id: str, inputs: list[dict[str, Any]]) -> None:
        for kind, target in self._resolve_inputs(object_type, inputs):
            self.associate(object_type, object_id, kind.to_type, target, [(kind.category, kind.type_id)])

    # -- reads ----------------------------------------------------------------------------------------
    def types_of(self, from_type: str, from_id: str, to_type: str, to_id: str) -> list[AssociationType]:
        rows = self.store.db.execute("SELECT category, type_id FROM hs_associations WHERE from_type = ? AND from_id = ? AND "
                                     "to_type = ? AND to_id = ?", (from_type, int(from_id), to_type, int(to_id))).fetchall()
        kinds = [self.catalog.find(from_type, to_type, r["category"], r["type_id"]) for r in rows]
        return [k for k in kinds if k is not None]

    def read(self, from_type: str, from_id: str, to_type: str, after: int = 0,
             limit: int = 500) -> tuple[list[tuple[str, list[AssociationType]]], str | None]:
        """(to id, its association types) for live targets, by id, one page; plus the next `after`."""
        with self.store.lock:
            rows = self.store.db.execute(
                "SELECT a.to_id, a.category, a.type_id FROM hs_associations a JOIN hs_objects o ON o.object_type = a.to_type "
                "AND o.id = a.to_id AND o.archived = 0 AND o.merged_into IS NULL WHERE a.from_type = ? AND a.from_id = ? "
                "AND a.to_type = ? AND a.to_id > ? ORDER BY a.to_id", (from_type, int(from_id), to_type, after)).fetchall()
        grouped: dict[str, list[AssociationType]] = {}
        for row in rows:
            kind = self.catalog.find(from_type, to_type, row["category"], row["type_id"])
            if kind is not None:
                grouped.setdefault(str(row["to_id"]), []).append(kind)
        items = list(grouped.items())
        page = items[:limit]
        return page, (page[-1][0] if len(items) > limit else None)

    def associated_ids(self, from_type: str, from_id: str, to_type: str) -> list[str]:
        return [to_id for to_id, _ in self.read(from_type, from_id, to_type, limit=100_000)[0]]

    def primary_of(self, from_type: str, from_id: str, to_type: str = "companies") -> str | None:
        """The record's primary company (contact, deal or ticket), or None."""
        for to_id, kinds in self.read(from_type, from_id, to_type, limit=100_000)[0]:
            if any(k.primary for k in kinds):
                return to_id
        return None

    def v3_view(self, object_type: str, object_id: str, to_types: Iterable[str]) -> dict[str, Any]:
        """`associations` on a v3 object read: one entry per (record, type), with v3 type names."""
        out: dict[str, Any] = {}
        for to_type in to_types:
            results = [{"id": to_id, "type": kind.name} for to_id, kinds in self.read(object_type, object_id, to_type,
                                                                                        limit=100_000)[0] for kind in kinds]
            if results:
                out[to_type] = {"results": results}
        return out

    # -- lifecycle of records ---------------------------------------------------------------------------
    def move(self, object_type: str, old_id: str, new_id: str) -> None:
        """Re-point a merged-away record's associations to the survivor; its primaries yield to the survivor's."""
        db = self.store.db
        rows = db.execute("SELECT * FROM hs_associations WHERE from_type = ? AND from_id = ?",
                          (object_type, int(old_id))).fetchall()
        self.drop_object(object_type, old_id)
        for row in rows:
            if str(row["to_id"]) == str(new_id):
                continue
            kind = self.catalog.find(object_type, row["to_type"], row["category"], row["type_id"])
            if kind is None:
                continue
            if kind.primary and self.primary_of(object_type, new_id, row["to_type"]) is not None:
                kind = self.catalog.unlabeled(object_type, row["to_type"]) or kind
            inverse = self.catalog.inverse(kind)
            db.execute("INSERT OR IGNORE INTO hs_associations VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (object_type, int(new_id), row["to_type"], row["to_id"], kind.category, kind.type_id, row["created_ms"]))
            if inverse is not None:
                db.execute("INSERT OR IGNORE INTO hs_associations VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (row["to_type"], row["to_id"], object_type, int(new_id), inverse.category, inverse.type_id,
                            row["created_ms"]))

    def drop_object(self, object_type: str, object_id: str) -> None:
        self.store.db.execute("DELETE FROM hs_associations WHERE (from_type = ? AND from_id = ?) OR (to_type = ? AND "
                              "to_id = ?)", (object_type, int(object_id), object_type, int(object_id)))

    # -- labels (association definitions API) ---------------------------------------------------------
    def create_label(self, from_type: str, to_type: str, label: str, name: str,
                     inverse_label: str | None = None) -> list[AssociationType]:
        if any(k.category == USER and (k.label == label or k.name == name) for k in self.catalog.between(from_type, to_type)):
            raise err.Conflict(f"An association label named {name!r} already exists between {from_type} and {to_type}")
        type_id, inverse_id = self.catalog.next_label_ids()
        definition = AssociationLabel(from_type, to_type, label, name, type_id, inverse_id, inverse_label)
        with self.store.transaction() as db:
            db.execute("INSERT INTO hs_association_labels VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (from_type, to_type, label, name, type_id, inverse_id, inverse_label))
        return list(self.catalog.add_label(definition))

    def remove_label(self, from_type: str, to_type: str, type_id: int) -> None:
        kind = self.kind(from_type, to_type, USER, type_id)
        with self.store.transaction() as db:
            db.execute("DELETE FROM hs_association_labels WHERE (from_type = ? AND to_type = ? AND type_id = ?) OR "
                       "(from_type = ? AND to_type = ? AND inverse_id = ?)", (from_type, to_type, type_id, to_type,
                                                                              from_type, type_id))
            db.execute("DELETE FROM hs_associations WHERE category = ? AND ((from_type = ? AND to_type = ? AND type_id = ?) "
                       "OR (from_type = ? AND to_type = ? AND type_id = ?))",
                       (USER, from_type, to_type, type_id, to_type, from_type, kind.inverse_id))
        self.catalog.remove(from_type, to_type, type_id)
