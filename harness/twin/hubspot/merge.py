"""Merging two records, as HubSpot documents it.

- Contacts and companies: the result is a new record with a new id, and both old ids resolve to it
  (developer changelog "updated merge functionality"; switch `merge_new_id`). Deals and tickets keep the
  primary's id. `hs_merged_object_ids` lists every id merged in (semicolon-separated).
- Values: the primary's current values win; values the primary lacks come from the secondary.
- Contacts: the primary's e-mail stays primary and the secondary's becomes an additional e-mail
  (`hs_additional_emails`); the lifecycle stage is the one furthest down the funnel; the earliest
  "Became a ... date" of each stage is kept. Two contacts whose merges add up to 250 cannot be merged.
- Associations and static list memberships move to the survivor; a secondary's primary company yields to the
  primary's. Property history of both records stays readable on the survivor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clock import hs_datetime, now_ms
from . import exceptions as err
from .records import HsObject, Source, Write

if TYPE_CHECKING:
    from .models import HubSpotBackend

MERGEABLE = ("contacts", "companies", "deals", "tickets")
MERGE_LIMIT = 250


def _merged_ids(obj: HsObject) -> list[str]:
    return [i for i in (obj.properties.get("hs_merged_object_ids") or "").split(";") if i]


def _combined(backend: HubSpotBackend, object_type: str, primary: HsObject, secondary: HsObject) -> dict[str, str | None]:
    values = {k: v for k, v in secondary.properties.items() if v not in (None, "")}
    values.update({k: v for k, v in primary.properties.items() if v not in (None, "")})
    if object_type == "contacts":
        extra = [e for e in (primary.properties.get("hs_additional_emails") or "").split(";") if e]
        for email in [secondary.properties.get("email"), *(secondary.properties.get("hs_additional_emails") or "").split(";")]:
            if email and email.lower() != (values.get("email") or "").lower() and email.lower() not in map(str.lower, extra):
                extra.append(email)
        if extra:
            values["hs_additional_emails"] = ";".join(extra)
    order = backend.portal.lifecycle_order(object_type)
    stages = [s for s in (primary.properties.get("lifecyclestage"), secondary.properties.get("lifecyclestage")) if s in order]
    if stages:
        values["lifecyclestage"] = max(stages, key=order.index)
    for stage in order:
        name = f"hs_lifecyclestage_{stage}_date"
        dates = [d for d in (primary.properties.get(name), secondary.properties.get(name)) if d]
        if dates:
            values[name] = min(dates)
    return values


def merge_objects(backend: HubSpotBackend, object_type: str, primary_id: str, secondary_id: str,
                  source: Source) -> HsObject:
    if object_type not in MERGEABLE:
        raise err.HubSpotError(f"Merging is not supported for {object_type}", category="VALIDATION_ERROR")
    db = backend.store.db
    with backend.store.transaction():
        primary = backend.get(object_type, str(primary_id))
        secondary = backend.get(object_type, str(secondary_id))
        if primary.id == secondary.id:
            raise err.HubSpotError(f"Cannot merge {object_type[:-1]} {primary_id} with itself (or with a record already "
                                   f"merged into it)", category="VALIDATION_ERROR")
        for guard in backend.merge_guards:
            guard(object_type, primary, secondary)
        merged_ids = _merged_ids(primary) + _merged_ids(secondary)
        if object_type == "contacts" and len(merged_ids) + 2 > MERGE_LIMIT:
            raise err.HubSpotError(f"These contacts cannot be merged: together they have been merged {len(merged_ids)} "
                                   f"times; the limit is {MERGE_LIMIT}", category="VALIDATION_ERROR")
        stamp = now_ms()
        values = _combined(backend, object_type, primary, secondary)
        new_record = backend.portal.switches.merge_new_id and object_type in ("contacts", "companies")
        survivor_id = backend._next_ids(1)[0] if new_record else primary.id
        gone = [primary.id, secondary.id] if new_record else [secondary.id]
        values["hs_merged_object_ids"] = ";".join(dict.fromkeys(merged_ids + gone))
        created_ms = min(primary.created_ms, secondary.created_ms) if new_record else primary.created_ms
        values.update({"hs_object_id": survivor_id, "lastmodifieddate": hs_datetime(stamp),
                       "hs_lastmodifieddate": hs_datetime(stamp), "createdate": hs_datetime(created_ms)})
        survivor = HsObject(object_type, survivor_id, values, created_ms, stamp, False)
        db.execute("INSERT OR REPLACE INTO hs_objects (object_type, id, properties, created_ms, updated_ms, archived) "
                   "VALUES (?, ?, ?, ?, ?, 0)", (object_type, int(survivor_id), _json(values), created_ms, stamp))
        changes = {k: v for k, v in values.items() if primary.properties.get(k) != v}
        for old in gone:
            db.execute("UPDATE hs_objects SET merged_into = ?, updated_ms = ? WHERE object_type = ? AND id = ?",
                       (int(survivor_id), stamp, object_type, int(old)))
            db.execute("DELETE FROM hs_contact_emails WHERE id = ?", (int(old),))
            if new_record:  # the new record inherits both histories, so propertiesWithHistory still tells the story
                db.execute("INSERT INTO hs_history SELECT object_type, ?, property, value, timestamp_ms, source_type, "
                           "source_id, source_label FROM hs_history WHERE object_type = ? AND id = ?",
                           (int(survivor_id), object_type, int(old)))
            obj = backend._row(object_type, int(old))
            backend.search.remove(HsObject(object_type, old, {}, obj["created_ms"], stamp, False), stamp)
            backend.associations.move(object_type, old, survivor_id)
            backend.lists.move(old, survivor_id)
        db.executemany("INSERT INTO hs_history (object_type, id, property, value, timestamp_ms, source_type, source_id, "
                       "source_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(object_type, int(survivor_id), k, v, stamp, source.type, source.id, source.label)
                        for k, v in changes.items()])
        if not new_record:
            backend.search.remove(primary, stamp)
        backend.search.index([(survivor, list(values), True)], stamp)
        write = Write(survivor, changes, new_record)
        if object_type == "contacts":
            backend._index_emails([write])
        backend.workflows.after_writes([write], source)
    return survivor


def _json(values: dict[str, str | None]) -> str:
    import json

    return json.dumps(values)
