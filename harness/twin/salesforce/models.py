"""The Salesforce org's state and behaviour, no HTTP: records, DML, queries, API usage.

One SQLite table per sObject, one column per field, built from the org schema (`schema.py`). The save order
(field checks, before-save flows, validation and duplicate rules, write, after-save flows) lives in `save.py`;
what users may see and write in `access.py`; automation in `automation/`; lead conversion and merge in
`convert.py` / `merge.py`; Enterprise Territory Management in `territories.py`.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..clock import now_ms, sf_datetime
from ..store import Store
from . import exceptions as err
from . import values
from .access import Access
from .addresses import AddressRules
from .automation import Automation
from .context import SaveContext
from .convert import convert_lead
from .directory import Directory
from .faults import Faults
from .ids import POD, decode_counter, make_id, to18
from .merge import merge_records
from .permissions import PermissionCatalogue, add_setup_objects
from .save import Saver
from .schema import FieldSchema, OrgSchema, SObjectSchema
from .sessions import Sessions
from .soql import run_query
from .sosl import run_search
from .territories import Territories
from .tooling import ToolingCatalogue

# A save hook sees (backend, sobject, record-as-stored, previous-or-None, acting-user) and may change the record
# or raise a SalesforceError. The twin's own validation rules, duplicate rules and flows run in `save.py`;
# these lists stay open for other in-process behaviour.
SaveHook = Callable[["SalesforceBackend", SObjectSchema, dict[str, Any], dict[str, Any] | None, str], None]


@dataclass
class ApiUsage:
    used: int = 0
    maximum: int = 100_000

    @property
    def header(self) -> str:
        return f"api-usage={self.used}/{self.maximum}"


class SalesforceBackend:
    def __init__(self, store: Store, schema: OrgSchema) -> None:
        self.store = store
        self.schema = schema
        org = schema.organization
        self.api_version = str(org.get("api_version", "59.0"))
        self.usage = ApiUsage(maximum=int(org.get("daily_api_requests", 100_000)))
        self.storage_limit_mb = int(org.get("data_storage_mb", 1024))
        self.before_save: list[SaveHook] = []
        self.after_save: list[SaveHook] = []
        self._counters: dict[str, int] = {}
        self._counter_lock = threading.Lock()
        self._savepoints = 0
        self.automation = Automation(schema)
        self.tooling = ToolingCatalogue(self)
        added_setup = add_setup_objects(schema)
        self._create_tables(schema.objects.values())
        self._create_tables(self.tooling.schema.objects.values())
        self.organization_id = self._ensure_organization()
        self.addresses = AddressRules(schema.address_picklists)
        self.saver = Saver(self)
        self._seed_records()
        self.integration_user_id = self.user_id_by_alias(org.get("integration_user", "integration"))
        self.api_user_id = self.user_id_by_alias(org.get("api_user", "uat"))
        self.access = Access(self, schema.access)
        self.sessions = Sessions(self.organization_id)
        self.directory = Directory(self)
        self.faults = Faults(self)
        self.territories = Territories(self, schema.territories)
        self.territories.ensure_rows()
        self.tooling.refresh()
        self.permissions = PermissionCatalogue(self, added_setup)
        self.permissions.refresh()

    # -- schema to tables -----------------------------------------------------------------------------
    def _create_tables(self, sobjects: Iterable[SObjectSchema]) -> None:
        with self.store.transaction() as db:
            for sobject in sobjects:
                columns = ", ".join(
                    f'"{f.name}" {f.column_type}' + (" PRIMARY KEY" if f.name == "Id" else "")
                    for f in sobject.fields.values())
                db.execute(f'CREATE TABLE IF NOT EXISTS "{sobject.table}" ({columns})')
                existing = {r[1].lower() for r in db.execute(f'PRAGMA table_info("{sobject.table}")')}
                for f in sobject.fields.values():
                    if f.name.lower() not in existing:  # a field added to the fixture since the state was made
                        db.execute(f'ALTER TABLE "{sobject.table}" ADD COLUMN "{f.name}" {f.column_type}')
                    if f.indexed and f.name != "Id":
                        # NOCASE: Salesforce text comparison is case-insensitive, and the index must serve it.
                        collate = " COLLATE NOCASE" if f.column_type == "TEXT" and f.type not in {"id", "reference"} else ""
                        db.execute(f'CREATE INDEX IF NOT EXISTS "ix_{sobject.table}_{f.name}" '
                                   f'ON "{sobject.table}" ("{f.name}"{collate})')

    def _ensure_organization(self) -> str:
        existing = self.store.meta("sf.organization_id")
        if existing:
            return existing
        organization_id = make_id("00D", int.from_bytes(secrets.token_bytes(4), "big"))
        self.store.set_meta("sf.organization_id", organization_id)
        return organization_id

    def _seed_records(self) -> None:
        """Load the fixture's standing records (users, lead statuses, the Organization row) once per state."""
        if self.store.meta("sf.seeded") == "1":
            return
        ctx = SaveContext(user_id="")
        aliases: dict[str, str] = {}
        secrets_by_user: dict[str, dict[str, str]] = {}
        with self.store.transaction():
            for object_name, records in self.schema.seed_records.items():
                sobject = self.schema.sobject(object_name)
                if sobject is None:
                    raise err.SalesforceError(f"{self.schema.source}: records.{object_name}: no such object in objects:")
                for record in records or []:
                    record = dict(record)
                    alias = record.pop("_alias", None)
                    password = record.pop("_password", None)
                    token = record.pop("_security_token", "")
                    fixed_id = self.organization_id if sobject.name == "Organization" else None
                    if fixed_id and "is_sandbox" in self.schema.organization:  # the documented switch decides
                        record["IsSandbox"] = bool(self.schema.organization["is_sandbox"])
                    resolved = {k: self.resolve_alias(v, aliases) for k, v in record.items()}
                    new_id = self.saver.insert(sobject, resolved, ctx, trusted=True, fixed_id=fixed_id)
                    if alias:
                        aliases[alias] = new_id
                        self.store.set_meta(f"sf.alias.{alias}", new_id)
                    if password is not None:
                        secrets_by_user[new_id] = {"password": str(password), "token": str(token or "")}
            self.store.set_meta("sf.user_secrets", json.dumps(secrets_by_user))
            self.store.set_meta("sf.seeded", "1")

    def resolve_alias(self, value: Any, aliases: dict[str, str] | None = None) -> Any:
        """'@alias' in fixture data means that record's id."""
        if isinstance(value, str) and value.startswith("@") and len(value) > 1:
            name = value[1:]
            found = (aliases or {}).get(name) or self.store.meta(f"sf.alias.{name}")
            if found is None:
                raise KeyError(f"{self.schema.source}: no record with _alias: {name} (used as {value})")
            return found
        return value

    def user_id_by_alias(self, alias: str) -> str:
        found = self.store.meta(f"sf.alias.{alias}")
        if not found:
            raise KeyError(f"org fixture has no User with _alias: {alias}")
        return found

    def user_secrets(self) -> dict[str, dict[str, str]]:
        return json.loads(self.store.meta("sf.user_secrets", "{}") or "{}")

    # -- lookups --------------------------------------------------------------------------------------
    def sobject(self, name: str) -> SObjectSchema:
        found = self.schema.sobject(name)
        if found is None:
            raise err.InvalidType(name)
        return found

    def sobject_for_id(self, record_id: str) -> SObjectSchema | None:
        return self.schema.by_prefix(record_id[:3])

    def normalise_id(self, sobject: SObjectSchema, value: str, field_name: str = "Id") -> str:
        return values.normalise_id(sobject, value, field_name)

    def next_id(self, sobject: SObjectSchema) -> str:
        """The next id for the object. Ids are fixed-width base 62 whose digits sort in ASCII order, so the
        table's largest id is the counter: nothing to persist per insert, and a reopened state carries on."""
        prefix = sobject.key_prefix
        with self._counter_lock:
            if prefix not in self._counters:
                row = self.store.db.execute(f'SELECT MAX("Id") FROM "{sobject.table}" WHERE "Id" LIKE ?',
                                            (f"{prefix}{POD}0%",)).fetchone()
                self._counters[prefix] = max(decode_counter(row[0]) if row and row[0] else 0,
                                             int(self.store.meta(f"sf.counter.{prefix}", "0") or 0))
            self._counters[prefix] += 1
            return make_id(prefix, self._counters[prefix])

    # -- value conversion (kept as methods: the connector and older callers use them) -----------------
    def to_storage(self, sobject: SObjectSchema, f: FieldSchema, value: Any) -> Any:
        return values.to_storage(sobject, f, value)

    @staticmethod
    def to_wire(f: FieldSchema, stored: Any) -> Any:
        return values.to_wire(f, stored)

    def record_to_wire(self, sobject: SObjectSchema, row: dict[str, Any], fields: Iterable[str] | None = None) -> dict:
        return values.record_to_wire(sobject, row, self.api_version, list(fields) if fields is not None else None)

    # -- reads ----------------------------------------------------------------------------------------
    def row(self, sobject: SObjectSchema, record_id: str, include_deleted: bool = False) -> dict[str, Any] | None:
        with self.store.lock:
            found = self.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE "Id" = ?', (record_id,)).fetchone()
        if found is None:
            return None
        record = dict(found)
        if record.get("IsDeleted") and not include_deleted:
            raise err.EntityIsDeleted()
        return record

    def get(self, object_name: str, record_id: str, fields: Iterable[str] | None = None,
            user_id: str | None = None) -> dict[str, Any]:
        sobject = self.sobject(object_name)
        user_id = user_id or self.api_user_id
        self.access.require_object(user_id, sobject, "read")
        full = to18(record_id)
        if full is None or full[:3] != sobject.key_prefix:
            raise err.NotFound()
        found = self.row(sobject, full)
        if found is None or not self.access.can_read(user_id, sobject, found):
            raise err.NotFound()
        readable = [f.name for f in sobject.fields.values() if self.access.field_access(user_id, sobject, f.name) != "none"]
        if fields is not None:
            fields = list(fields)
            for name in fields:
                if sobject.field(name) is None or sobject.field(name).name not in readable:
                    raise err.InvalidField(f"No such column '{name}' on entity '{sobject.name}'. If you are attempting to "
                                           "use a custom field, be sure to append the '__c' after the custom field name. "
                                           "Please reference your WSDL or the describe call for the appropriate names.")
        return self.record_to_wire(sobject, found, fields if fields is not None else readable)

    def deleted_between(self, sobject: SObjectSchema, start: str, end: str) -> list[dict[str, str]]:
        """Records deleted in the window (the replication API's `deleted` resource), oldest first."""
        with self.store.lock:
            rows = self.store.db.execute(
                f'SELECT "Id", "SystemModstamp" FROM "{sobject.table}" WHERE "IsDeleted" = 1 AND "SystemModstamp" >= ? '
                'AND "SystemModstamp" <= ? ORDER BY "SystemModstamp"', (start, end)).fetchall()
        return [{"id": r["Id"], "deletedDate": r["SystemModstamp"]} for r in rows]

    def updated_between(self, sobject: SObjectSchema, start: str, end: str) -> list[str]:
        """Ids of live records changed in the window (the replication API's `updated` resource)."""
        with self.store.lock:
            rows = self.store.db.execute(
                f'SELECT "Id" FROM "{sobject.table}" WHERE "IsDeleted" = 0 AND "SystemModstamp" >= ? '
                'AND "SystemModstamp" <= ? ORDER BY "SystemModstamp"', (start, end)).fetchall()
        return [r["Id"] for r in rows]

    def find_by_field(self, sobject: SObjectSchema, f: FieldSchema, value: Any) -> list[str]:
        collate = " COLLATE NOCASE" if f.column_type == "TEXT" and f.type not in {"id", "reference"} else ""
        with self.store.lock:
            rows = self.store.db.execute(f'SELECT "Id" FROM "{sobject.table}" WHERE "{f.name}"{collate} = ? '
                                         'AND "IsDeleted" = 0', (value,)).fetchall()
        return [r["Id"] for r in rows]

    # -- writes ---------------------------------------------------------------------------------------
    def transaction(self) -> Any:
        """One unit of work over several saves (a collection, a Composite request): undone whole on error."""
        return self.store.transaction()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """One record's changes inside a larger transaction: a failure undoes that record only."""
        with self.store.transaction() as db:
            self._savepoints += 1
            name = f"twin_record_{self._savepoints}"
            db.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                db.execute(f"ROLLBACK TO {name}")
                db.execute(f"RELEASE {name}")
                raise
            finally:
                self._savepoints -= 1
            db.execute(f"RELEASE {name}")

    def create(self, object_name: str, data: dict[str, Any], ctx: SaveContext | None = None) -> str:
        sobject = self.sobject(object_name)
        if not sobject.createable:
            raise err.SalesforceError(f"entity type {sobject.name} does not support insert", error_code="INVALID_TYPE")
        with self.savepoint() if self.saver.needs_savepoint(sobject) else self.store.transaction():
            return self.saver.insert(sobject, data, ctx or SaveContext(self.api_user_id))

    def update(self, object_name: str, record_id: str, data: dict[str, Any], ctx: SaveContext | None = None,
               trusted: bool = False) -> None:
        sobject = self.sobject(object_name)
        with self.savepoint():
            self.saver.update(sobject, self.normalise_id(sobject, record_id), data, ctx or SaveContext(self.api_user_id),
                              trusted=trusted)

    def upsert(self, object_name: str, field_name: str, value: str, data: dict[str, Any],
               ctx: SaveContext | None = None) -> tuple[str, bool]:
        """Upsert by external id: (id, created). Several matches raise MultipleChoices (HTTP 300)."""
        sobject = self.sobject(object_name)
        f = sobject.field(field_name)
        if f is None:
            raise err.NotFound(f"Provided external ID field does not exist or is not accessible: {field_name}")
        if f.name != "Id" and not f.external_id:
            raise err.InvalidField(f"Field {f.name} is not an external id field or indexed field", [f.name],
                                   error_code="INVALID_FIELD_FOR_INSERT_UPDATE")
        ctx = ctx or SaveContext(self.api_user_id)
        body = {k: v for k, v in data.items() if k.lower() != f.name.lower()}
        with self.savepoint():
            if f.name == "Id":
                full = self.normalise_id(sobject, value)
                self.saver.update(sobject, full, body, ctx)
                return full, False
            stored = values.to_storage(sobject, f, value)
            matches = self.find_by_field(sobject, f, stored)
            if len(matches) > 1:
                raise err.MultipleChoices([f"/services/data/v{self.api_version}/sobjects/{sobject.name}/{m}" for m in matches])
            if matches:
                self.saver.update(sobject, matches[0], body, ctx)
                return matches[0], False
            return self.saver.insert(sobject, {**body, f.name: value}, ctx), True

    def delete(self, object_name: str, record_id: str, ctx: SaveContext | None = None) -> None:
        sobject = self.sobject(object_name)
        full = to18(record_id)
        if full is None or full[:3] != sobject.key_prefix:
            raise err.MalformedId(sobject.label, record_id) if full is None else err.NotFound()
        with self.savepoint():
            self.saver.delete(sobject, full, ctx or SaveContext(self.api_user_id))

    def hard_delete(self, object_name: str, record_id: str, ctx: SaveContext | None = None) -> None:
        sobject = self.sobject(object_name)
        full = self.normalise_id(sobject, record_id)
        with self.savepoint():
            self.saver.delete(sobject, full, ctx or SaveContext(self.api_user_id), hard=True)

    # -- lead conversion, merge -----------------------------------------------------------------------
    def convert_lead(self, request: dict[str, Any], ctx: SaveContext | None = None) -> dict[str, Any]:
        return convert_lead(self, request, ctx or SaveContext(self.api_user_id))

    def merge(self, object_name: str, master_id: str, loser_ids: list[str], master_fields: dict[str, Any] | None = None,
              ctx: SaveContext | None = None) -> dict[str, Any]:
        return merge_records(self, object_name, master_id, loser_ids, master_fields or {},
                             ctx or SaveContext(self.api_user_id))

    # -- queries --------------------------------------------------------------------------------------
    def query(self, soql: str, include_deleted: bool = False, user_id: str | None = None, tooling: bool = False) -> Any:
        return run_query(self, soql, include_deleted=include_deleted, user_id=user_id or self.api_user_id,
                         tooling=tooling)

    def search(self, sosl: str, user_id: str | None = None) -> list[dict[str, Any]]:
        """SOSL FIND … RETURNING …: the matching records, as `searchRecords` lists them."""
        return run_search(self, sosl, user_id or self.api_user_id)

    # -- usage ----------------------------------------------------------------------------------------
    def count_api_call(self, calls: int = 1) -> None:
        """Every REST call and every connector call counts against the org's rolling 24-hour allowance."""
        if self.usage.used + calls > self.usage.maximum:
            raise err.RequestLimitExceeded()
        self.usage.used += calls

    def snapshot(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every object (for state comparisons in tests)."""
        out = {}
        with self.store.lock:
            for sobject in self.schema.objects.values():
                rows = self.store.db.execute(f'SELECT * FROM "{sobject.table}" ORDER BY "Id"').fetchall()
                out[sobject.name] = [dict(r) for r in rows]
        return json.loads(json.dumps(out))

    def data_storage_mb(self) -> int:
        """Data storage in use: Salesforce counts most records as 2 KB each."""
        with self.store.lock:
            live = sum(self.store.db.execute(f'SELECT COUNT(*) FROM "{s.table}" WHERE "IsDeleted" = 0').fetchone()[0]
                       for s in self.schema.objects.values() if s.field("IsDeleted") is not None)
        return live * 2 // 1024

    def stamp(self) -> str:
        return sf_datetime(now_ms())
