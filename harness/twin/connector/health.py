"""Sync Health: the connector's error log by category, as HubSpot's Sync Health tab groups it.

One open error per record and code; a record that later syncs cleanly resolves its errors (the screen shows
current errors only). Each error keeps the records affected, the platform's own message and how often it recurred.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..clock import hs_datetime, now_ms
from ..store import Store

# Sync Health's categories, and which platform error codes land in each.
CATEGORY_BY_CODE = {
    # Custom code: Salesforce automation, flows, validation rules, Apex.
    "FIELD_CUSTOM_VALIDATION_EXCEPTION": "custom_code", "CANNOT_EXECUTE_FLOW_TRIGGER": "custom_code",
    "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY": "custom_code", "FIELD_INTEGRITY_EXCEPTION": "custom_code",
    # Duplicates: Salesforce duplicate rules, unique fields; "Email already in use" in HubSpot.
    "DUPLICATES_DETECTED": "duplicates", "DUPLICATE_VALUE": "duplicates", "CONFLICT": "duplicates",
    "EMAIL_ALREADY_IN_USE": "duplicates",
    # Permissions: the integration user cannot see or edit a record or field.
    "INVALID_FIELD_FOR_INSERT_UPDATE": "permissions", "INSUFFICIENT_ACCESS_OR_READONLY": "permissions",
    "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": "permissions", "INVALID_CROSS_REFERENCE_KEY": "permissions",
    "ENTITY_IS_DELETED": "permissions", "CANNOT_UPDATE_CONVERTED_LEAD": "permissions",
    "FIELD_PERMISSIONS_MISSING": "permissions",  # a mapped field hidden from the integration user (fieldsync.py)
    # Picklists: a value the other side's picklist or dropdown does not have.
    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": "picklists", "INVALID_OPTION": "picklists",
    "UNMAPPED_DEAL_STAGE": "picklists",
    # Property values: the value's type or shape is refused.
    "STRING_TOO_LONG": "property_values", "JSON_PARSER_ERROR": "property_values", "INVALID_INTEGER": "property_values",
    "INVALID_BOOLEAN": "property_values", "REQUIRED_FIELD_MISSING": "property_values",
    "INVALID_EMAIL_ADDRESS": "property_values", "INVALID_TYPE_ON_FIELD_IN_RECORD": "property_values",
    "READ_ONLY_VALUE": "property_values", "OWNER_NOT_FOUND": "property_values",
    # Field mappings: a mapped field or property that no longer exists.
    "INVALID_FIELD": "field_mappings", "PROPERTY_DOESNT_EXIST": "field_mappings",
    # Associations.
    "ASSOCIATION_LIMIT": "associations", "WAITING_FOR_ACCOUNT": "associations",
    "COMPANY_MERGE_BLOCKED": "associations",
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
            db.execute("CREATE INDEX IF NOT EXISTS ix_errors_open ON connector_errors (resolved, hubspot_object, hubspot_id)")
        # Records with open errors, so a clean sync resolves without a query per record.
        self._open: set[str] = set()
        for row in store.db.execute("SELECT hubspot_object, hubspot_id, salesforce_id FROM connector_errors "
                                    "WHERE resolved = 0").fetchall():
            self._open.update(self._keys(row["hubspot_object"], row["hubspot_id"], row["salesforce_id"]))

    @staticmethod
    def _keys(hubspot_object: str, hubspot_id: str | None, salesforce_id: str | None) -> list[str]:
        keys = []
        if hubspot_id:
            keys.append(f"{hubspot_object}:hs:{hubspot_id}")
        if salesforce_id:
            keys.append(f"{hubspot_object}:sf:{salesforce_id}")
        return keys

    @staticmethod
    def category_of(code: str, message: str = "") -> str:
        # State and Country/Territory Picklists refuse a country or state outside their lists with
        # FIELD_INTEGRITY_EXCEPTION (otherwise an automation error): for whoever reads Sync Health it is a picklist value.
        if code == "FIELD_INTEGRITY_EXCEPTION" and ("country/territory" in message or "valid states" in message
                                                    or "available state" in message):
            return "picklists"
        return CATEGORY_BY_CODE.get(code, "other")

    def record(self, code: str, message: str, hubspot_object: str, hubspot_id: str | None,
               salesforce_object: str | None = None, salesforce_id: str | None = None,
               category: str | None = None) -> None:
        category = category or self.category_of(code, message)
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
        self._open.update(self._keys(hubspot_object, hubspot_id, salesforce_id))

    def has_open(self, hubspot_object: str, hubspot_id: str | None, salesforce_id: str | None = None) -> bool:
        return any(k in self._open for k in self._keys(hubspot_object, hubspot_id, salesforce_id))

    def resolve(self, hubspot_object: str, hubspot_id: str | None, salesforce_id: str | None = None) -> None:
        """A record that synced cleanly clears its open errors, as the Sync Health screen does on the next sync."""
        if not self.has_open(hubspot_object, hubspot_id, salesforce_id):
            return
        with self.store.transaction() as db:
            db.execute("UPDATE connector_errors SET resolved = 1 WHERE resolved = 0 AND hubspot_object = ? AND "
                       "((hubspot_id IS NOT NULL AND hubspot_id = ?) OR (salesforce_id IS NOT NULL AND salesforce_id = ?))",
                       (hubspot_object, hubspot_id, salesforce_id))
        for key in self._keys(hubspot_object, hubspot_id, salesforce_id):
            self._open.discard(key)

    def open_errors(self, hubspot_object: str | None = None, hubspot_id: str | None = None) -> list[SyncError]:
        query = "SELECT * FROM connector_errors WHERE resolved = 0"
        params: list[Any] = []
        if hubspot_object:
            query += " AND hubspot_object = ?"
            params.append(hubspot_object)
        if hubspot_id:
            query += " AND hubspot_id = ?"
            params.append(hubspot_id)
        with self.store.lock:
            rows = self.store.db.execute(query + " ORDER BY first_seen_ms", params).fetchall()
        return [SyncError(r["category"], r["code"], r["message"], r["hubspot_object"], r["hubspot_id"],
                          r["salesforce_object"], r["salesforce_id"], hs_datetime(r["first_seen_ms"]),
                          hs_datetime(r["last_seen_ms"]), r["occurrences"]) for r in rows]

    def summary(self) -> dict[str, Any]:
        """Cards per category: current errors and impacted records, then every open error."""
        errors = self.open_errors()
        by_category: dict[str, dict[str, int]] = {c: {"errors": 0, "records": 0} for c in CATEGORIES}
        records: dict[str, set[str]] = {c: set() for c in CATEGORIES}
        for error in errors:
            by_category.setdefault(error.category, {"errors": 0, "records": 0})["errors"] += 1
            records.setdefault(error.category, set()).add(f"{error.hubspot_object}|{error.hubspot_id}|{error.salesforce_id}")
        for category, ids in records.items():
            by_category.setdefault(category, {"errors": 0, "records": 0})["records"] = len(ids)
        return {"by_category": by_category, "errors": [asdict(e) for e in errors]}
