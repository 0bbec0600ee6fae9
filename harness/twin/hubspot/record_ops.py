"""Writes beyond create and update: upsert by a unique property, archive, and permanent (GDPR) deletion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..clock import now_ms
from . import exceptions as err
from .records import API, HsObject, Source, raise_any


class RecordOpsMixin:
    """Mixed into HubSpotBackend (uses its reads, `create_many`, `update_many`, the store and the indexes)."""

    store: Any
    portal: Any
    search: Any
    associations: Any
    lists: Any

    def upsert_many(self, object_type: str, items: Sequence[dict[str, Any]], source: Source = API,
                    trusted: bool = False, atomic: bool = False) -> list[tuple[HsObject, bool] | err.HubSpotError]:
        """Create or update by a unique property (`idProperty`): e-mail for contacts, or any property declared unique."""
        results: list[Any] = [None] * len(items)
        creates: list[tuple[int, dict[str, Any]]] = []
        updates: list[tuple[int, tuple[str, dict[str, Any], str | None]]] = []
        with self.store.transaction():
            for index, item in enumerate(items):
                id_property, value = item.get("idProperty"), item.get("id")
                properties = dict(item.get("properties") or {})
                definition = self.portal.property(object_type, str(id_property)) if id_property else None
                unique = definition is not None and (definition.has_unique_value or (object_type, definition.name) in
                                                     {("contacts", "email")} or definition.name == "hs_object_id")
                if not id_property or value in (None, "") or not unique:
                    results[index] = err.HubSpotError(
                        f"Upsert needs an idProperty naming a unique property and an id value; {id_property!r} is not "
                        f"a unique property of {object_type}", category="VALIDATION_ERROR", context={"index": [str(index)]})
                    continue
                existing = self.find_by_property(object_type, str(id_property), str(value))
                if existing is not None:
                    updates.append((index, (existing.id, properties, None)))
                elif id_property == "hs_object_id":
                    results[index] = err.ObjectNotFound(f"No {object_type} with hs_object_id {value}",
                                                        context={"id": [str(value)]})
                else:
                    properties.setdefault(str(id_property), value)
                    creates.append((index, properties))
            if atomic:
                raise_any(results)
            for (index, _), result in zip(updates, self.update_many(object_type, [u for _, u in updates], source, trusted,
                                                                    atomic), strict=True):
                results[index] = result if isinstance(result, err.HubSpotError) else (result, False)
            for (index, _), result in zip(creates, self.create_many(object_type, [c for _, c in creates], source, trusted,
                                                                    atomic=atomic), strict=True):
                results[index] = result if isinstance(result, err.HubSpotError) else (result, True)
        return results

    def archive(self, object_type: str, object_id: str, source: Source = API) -> None:
        with self.store.transaction():
            obj = self.get(object_type, object_id)
            stamp = now_ms()
            obj.archived, obj.archived_ms, obj.updated_ms = True, stamp, stamp
            self.store.db.execute("UPDATE hs_objects SET archived = 1, archived_ms = ?, updated_ms = ? "
                                  "WHERE object_type = ? AND id = ?", (stamp, stamp, object_type, int(obj.id)))
            self.store.db.execute("DELETE FROM hs_contact_emails WHERE id = ?", (int(obj.id),))
            self.search.remove(obj, stamp)

    def gdpr_delete(self, object_type: str, object_id: str, id_property: str | None = None) -> None:
        """Permanent deletion: the object, its history, associations, list memberships and index entries go."""
        with self.store.transaction() as db:
            obj = self.find_by_property(object_type, id_property, object_id) if id_property and id_property != \
                "hs_object_id" else self.find_by_id(object_type, object_id)
            if obj is None:
                raise err.RecordNotFound(object_id)
            ids = [r["id"] for r in db.execute("SELECT id FROM hs_objects WHERE object_type = ? AND (id = ? OR "
                                               "merged_into = ?)", (object_type, int(obj.id), int(obj.id)))]
            for ident in ids:
                db.execute("DELETE FROM hs_objects WHERE object_type = ? AND id = ?", (object_type, ident))
                db.execute("DELETE FROM hs_history WHERE object_type = ? AND id = ?", (object_type, ident))
                db.execute("DELETE FROM hs_contact_emails WHERE id = ?", (ident,))
                self.search.purge(str(ident))
                self.associations.drop_object(object_type, str(ident))
                self.lists.drop_object(str(ident))
