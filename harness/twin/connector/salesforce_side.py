"""The connector's view of Salesforce: what its integration user can read and write, every call counted.

Reads go straight to the backend's tables (the connector is a bulk client: one query returns up to 2,000 rows)
and are counted as the calls a real client would make. Writes go through the backend's DML, so validation rules,
duplicate rules, restricted picklists, field permissions and flows apply exactly as to any other client; each
record is its own savepoint, as sObject Collections with allOrNone=false treat each record on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..clock import sf_datetime
from ..salesforce.exceptions import SalesforceError
from ..salesforce.models import SalesforceBackend, SaveContext
from ..salesforce.schema import FieldSchema, SObjectSchema
from ..store import Store
from .budget import ApiBudget
from .links import chunks

HIDDEN = "_hidden_from_integration_user"  # set on rows read by id that the integration user cannot see


@dataclass
class WriteResult:
    ok: bool
    record_id: str | None = None
    error: SalesforceError | None = None


@contextmanager
def savepoint(store: Store, name: str) -> Iterator[None]:
    """One record's write: undone on its own if it fails, leaving the rest of the cycle's work in place."""
    store.db.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        store.db.execute(f"ROLLBACK TO {name}")
        store.db.execute(f"RELEASE {name}")
        raise
    store.db.execute(f"RELEASE {name}")


class SalesforceSide:
    def __init__(self, store: Store, backend: SalesforceBackend, budget: ApiBudget, integration_user_alias: str) -> None:
        self.store = store
        self.backend = backend
        self.budget = budget
        self.user_id = backend.user_id_by_alias(integration_user_alias)
        self.context = SaveContext(user_id=self.user_id, via_connector=True)

    # -- schema ---------------------------------------------------------------------------------------
    def sobject(self, name: str) -> SObjectSchema | None:
        return self.backend.schema.sobject(name)

    def field(self, sobject_name: str, field_name: str) -> FieldSchema | None:
        sobject = self.sobject(sobject_name)
        return sobject.field(field_name) if sobject else None

    def has(self, *names: str) -> bool:
        return all(self.sobject(n) is not None for n in names)

    # -- field-level security -------------------------------------------------------------------------
    def field_level(self, sobject: SObjectSchema, field_name: str) -> str:
        """none | read | edit: what the integration user's field-level security allows on this field."""
        return self.backend.access.field_access(self.user_id, sobject, field_name)

    def can_read(self, sobject: SObjectSchema, field_name: str) -> bool:
        """A field hidden from the integration user does not exist for the connector: it is neither read nor sent."""
        return self.field_level(sobject, field_name) != "none"

    # -- visibility (selective sync) ------------------------------------------------------------------
    def visibility(self, sobject: SObjectSchema) -> tuple[str, list[Any]]:
        """SQL selecting the rows the integration user can see ('' when it sees all): selective sync. What it
        cannot see does not exist for the connector: no trigger, no e-mail match, no update."""
        sql, params = self.backend.access.visible_where(self.user_id, sobject)
        return (f" AND ({sql})", list(params)) if sql else ("", [])

    def mark_visibility(self, sobject: SObjectSchema, rows: dict[str, dict[str, Any]]) -> None:
        """Flag linked rows the integration user can no longer see (they stop syncing, they are not deleted)."""
        sql, params = self.visibility(sobject)
        if not sql or not rows:
            return
        seen: set[str] = set()
        for part in chunks(list(rows)):
            marks = ",".join("?" * len(part))
            seen.update(r["Id"] for r in self.store.db.execute(
                f'SELECT "Id" FROM "{sobject.table}" WHERE "Id" IN ({marks}){sql}', [*part, *params]).fetchall())
        for record_id, row in rows.items():
            if record_id not in seen:
                row[HIDDEN] = True

    # -- reads ----------------------------------------------------------------------------------------
    def changed(self, sobject_name: str, since_ms: int) -> list[dict[str, Any]]:
        """Rows modified after the watermark, deleted ones included (the connector polls with queryAll)."""
        sobject = self.sobject(sobject_name)
        if sobject is None:
            return []
        sql, params = self.visibility(sobject)
        # COLLATE NOCASE: the org's text indexes are case-insensitive, and only a matching collation uses them
        # (a cycle with nothing to do must not scan).
        rows = self.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE "SystemModstamp" COLLATE NOCASE > ?{sql} '
                                     f'ORDER BY "SystemModstamp" COLLATE NOCASE', (sf_datetime(since_ms), *params)
                                     ).fetchall()
        self.budget.spend(self.budget.calls_for(len(rows), self.budget.settings.records_per_query_call))
        return [dict(r) for r in rows]

    def rows(self, sobject_name: str, ids: list[str], count: bool = True) -> dict[str, dict[str, Any]]:
        sobject = self.sobject(sobject_name)
        if sobject is None or not ids:
            return {}
        out: dict[str, dict[str, Any]] = {}
        for part in chunks(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(part))
            for row in self.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE "Id" IN ({marks})', part).fetchall():
                out[row["Id"]] = dict(row)
        self.mark_visibility(sobject, out)
        if count:
            self.budget.spend(self.budget.calls_for(len(ids), self.budget.settings.records_per_query_call))
        return out

    def row(self, sobject_name: str, record_id: str) -> dict[str, Any] | None:
        return self.rows(sobject_name, [record_id]).get(record_id)

    def by_email(self, sobject_name: str, emails: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Live records with these e-mails (case-insensitive), grouped by lower-case e-mail; converted Leads excluded."""
        sobject = self.sobject(sobject_name)
        if sobject is None or not emails:
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        extra = ' AND COALESCE("IsConverted", 0) = 0' if sobject.field("IsConverted") else ""
        sql, params = self.visibility(sobject)
        for part in chunks(list(dict.fromkeys(e.lower() for e in emails))):
            marks = ",".join("?" * len(part))
            rows = self.store.db.execute(
                f'SELECT * FROM "{sobject.table}" WHERE "Email" COLLATE NOCASE IN ({marks}) AND "IsDeleted" = 0{extra}{sql}',
                [*part, *params]).fetchall()
            for row in rows:
                record = dict(row)
                out.setdefault(str(record["Email"]).lower(), []).append(record)
        self.budget.spend(self.budget.calls_for(len(emails), 200))  # e-mail lookups go as IN-lists of 200
        return out

    def where(self, sobject_name: str, clause: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """A small counted query for the connector's own lookups (contact roles of an opportunity, ...)."""
        sobject = self.sobject(sobject_name)
        if sobject is None:
            return []
        rows = [dict(r) for r in self.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE {clause}', params).fetchall()]
        self.budget.spend(self.budget.calls_for(len(rows), self.budget.settings.records_per_query_call))
        return rows

    # -- writes ---------------------------------------------------------------------------------------
    def create_many(self, sobject_name: str, records: list[dict[str, Any]]) -> list[WriteResult]:
        results: list[WriteResult] = []
        per_call = self.budget.settings.records_per_write_call
        for start in range(0, len(records), per_call):
            self.budget.spend(1)
            for data in records[start:start + per_call]:
                try:
                    with savepoint(self.store, "connector_create"):
                        new_id = self.backend.create(sobject_name, data, self.context)
                    results.append(WriteResult(True, new_id))
                except SalesforceError as error:
                    results.append(WriteResult(False, None, error))
        return results

    def update_many(self, sobject_name: str, changes: dict[str, dict[str, Any]]) -> dict[str, WriteResult]:
        results: dict[str, WriteResult] = {}
        items = list(changes.items())
        per_call = self.budget.settings.records_per_write_call
        for start in range(0, len(items), per_call):
            self.budget.spend(1)
            for record_id, data in items[start:start + per_call]:
                try:
                    with savepoint(self.store, "connector_update"):
                        self.backend.update(sobject_name, record_id, data, self.context)
                    results[record_id] = WriteResult(True, record_id)
                except SalesforceError as error:
                    results[record_id] = WriteResult(False, record_id, error)
        return results

    def create(self, sobject_name: str, data: dict[str, Any]) -> WriteResult:
        return self.create_many(sobject_name, [data])[0]

    def update(self, sobject_name: str, record_id: str, data: dict[str, Any]) -> WriteResult:
        return self.update_many(sobject_name, {record_id: data})[record_id]
