"""Sync Health: the connector's error log by category, as the HubSpot screen groups it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..clock import hs_datetime, now_ms
from ..store import Store

# Sync Health's categories, and which Salesforce error codes land in each.
CATEGORY_BY_CODE = {
    "FIELD_CUSTOM_VALIDATION_EXCEPTION": "custom_code", "CANNOT_EXECUTE_FLOW_TRIGGER": "custom_code",
    "DUPLICATES_DETECTED": "duplicates", "DUPLICATE_VALUE": "duplicates", "CONFLICT": "duplicates",
    "INVALID_FIELD_FOR_INSERT_UPDATE": "permissions", "INSUFFICIENT_ACCESS_OR_READONLY": "permissions",
    "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": "permissions",
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": "picklists", "INVALID_OPTION": "picklists",
    "STRING_TOO_LONG": "property_values", "JSON_PARSER_ERROR": "property_values", "INVALID_INTEGER": "property_values",
    "REQUIRED_FIELD_MISSING": "property_values", "INVALID_EMAIL_ADDRESS": "property_values",
    "INVALID_FIELD": "field_mappings", "PROPERTY_DOESNT_EXIST": "field_mappings",
    "ASSOCIATION_LIMIT": "associations", "WAITING_FOR_ACCOUNT": "associations",
}
CATEGORIES = ["associations", "custom_code", "duplicates", "permissions", "picklists", "property_values",
              "field_mappings", "other"]


@dataclass
class SyncError:
    category: str
    code: str
    message: str
    hubspot_object: str
    hubspot_id: str | None
    salesforce_object: str | None
    salesforce_id: str | None
    first_seen: str
    last_seen: str
    occurrences: int


class SyncHealth:
    def __init__(self, store: Store) -> None:
        self.store = store
        with store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS connector_errors (
                key TEXT PRIMARY KEY, category TEXT, code TEXT, message TEXT, hubspot_object TEXT, hubspot_id TEXT,
                salesforce_object TEXT, salesforce_id TEXT, first_seen_ms INTEGER, last_seen_ms INTEGER,
                occurrences INTEGER, resolved INTEGER DEFAULT 0)""")

    def record(self, code: str, message: str, hubspot_object: str, hubspot_id: str | None,
               salesforce_object: str | None = None, salesforce_id: str | None = None, category: str | None = None) -> None:
        category = category or CATEGORY_BY_CODE.get(code, "other")
        key = f"{hubspot_object}:{hubspot_id}:{salesforce_object}:{salesforce_id}:{code}"
        stamp = now_ms()
        with self.store.transaction() as db:
            db.execute("""INSERT INTO connector_errors (key, category, code, message, hubspot_object, hubspot_id,
                          salesforce_object, salesforce_id, first_seen_ms, last_seen_ms, occurrences, resolved)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)
                          ON CONFLICT(key) DO UPDATE SET last_seen_ms = excluded.last_seen_ms, message = excluded.message,
                          occurrences = occurrences + 1, resolved = 0""",
                       (key, category, code, message, hubspot_object, hubspot_id, salesforce_object, salesforce_id,
                        stamp, stamp))

    def resolve(self, hubspot_object: str, hubspot_id: str | None, salesforce_id: str | None = None) -> None:
        """A record that synced cleanly clears its open errors, as the Sync Health screen does on the next sync."""
        with self.store.transaction() as db:
            db.execute("UPDATE connector_errors SET resolved = 1 WHERE hubspot_object = ? AND "
                       "(hubspot_id = ? OR (salesforce_id IS NOT NULL AND salesforce_id = ?))",
                       (hubspot_object, hubspot_id, salesforce_id))

    def open_errors(self) -> list[SyncError]:
        with self.store.lock:
            rows = self.store.db.execute("SELECT * FROM connector_errors WHERE resolved = 0 ORDER BY first_seen_ms").fetchall()
        return [SyncError(r["category"], r["code"], r["message"], r["hubspot_object"], r["hubspot_id"],
                          r["salesforce_object"], r["salesforce_id"], hs_datetime(r["first_seen_ms"]),
                          hs_datetime(r["last_seen_ms"]), r["occurrences"]) for r in rows]

    def summary(self) -> dict[str, Any]:
        errors = self.open_errors()
        by_category = {c: {"errors": 0, "records": 0} for c in CATEGORIES}
        records: dict[str, set[str]] = {c: set() for c in CATEGORIES}
        for error in errors:
            bucket = by_category.setdefault(error.category, {"errors": 0, "records": 0})
            bucket["errors"] += 1
            records.setdefault(error.category, set()).add(f"{error.hubspot_id}|{error.salesforce_id}")
        for category, ids in records.items():
            by_category.setdefault(category, {"errors": 0, "records": 0})["records"] = len(ids)
        return {"by_category": by_category, "errors": [asdict(e) for e in errors]}
