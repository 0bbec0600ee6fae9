"""The Salesforce org's state and behaviour, no HTTP: records, validation, DML, queries, API usage.

One SQLite table per sObject, one column per field, built from the org schema. Values are stored in
Salesforce's own text forms (ISO dates, `...+0000` datetimes, `;`-joined multi-picklists) so that what SOQL
compares is what a client sends and reads back.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..clock import now_ms, sf_datetime
from ..store import Store
from . import exceptions as err
from .ids import make_id, to18
from .schema import BOOLEAN_TYPES, INTEGER_TYPES, NUMBER_TYPES, FieldSchema, OrgSchema, SObjectSchema

# A save hook sees (backend, sobject, record-as-stored, previous-or-None, acting-user) and may change the record
# or raise a SalesforceError: validation rules, duplicate rules and record-triggered flows plug in here.
SaveHook = Callable[["SalesforceBackend", SObjectSchema, dict[str, Any], dict[str, Any] | None, str], None]


@dataclass
class ApiUsage:
    used: int = 0
    maximum: int = 100_000

    @property
    def header(self) -> str:
        return f"api-usage={self.used}/{self.maximum}"


@dataclass
class SaveContext:
    """Who writes, and with what allowances (e.g. the duplicate-rule header)."""

    user_id: str
    allow_duplicates: bool = False
    via_connector: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class SalesforceBackend:
    def __init__(self, store: Store, schema: OrgSchema) -> None:
        self.store = store
        self.schema = schema
        org = schema.organization
        self.api_version = str(org.get("api_version", "59.0"))
        self.usage = ApiUsage(maximum=int(org.get("daily_api_requests", 100_000)))
        self.before_save: list[SaveHook] = []
        self.after_save: list[SaveHook] = []
        self._create_tables()
        self.organization_id = self._ensure_organization()
        self._seed_records()
        self.integration_user_id = self.user_id_by_alias(org.get("integration_user", "integration"))
        self.api_user_id = self.user_id_by_alias(org.get("api_user", "uat"))

    # -- schema to tables -----------------------------------------------------------------------------
    def _create_tables(self) -> None:
        with self.store.transaction() as db:
            for sobject in self.schema.objects.values():
                columns = ", ".join(
                    f'"{f.name}" {f.column_type}' + (" PRIMARY KEY" if f.name == "Id" else "")
                    for f in sobject.fields.values())
                db.execute(f'CREATE TABLE IF NOT EXISTS "{sobject.table}" ({columns})')
                for f in sobject.fields.values():
                    if f.indexed and f.name != "Id":
                        # NOCASE: Salesforce text comparison is case-insensitive, and the index must serve it.
                        collate = " COLLATE NOCASE" if f.column_type == "TEXT" else ""
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
        with self.store.transaction():
            for object_name, records in self.schema.seed_records.items():
                sobject = self.sobject(object_name)
                for record in records:
                    record = dict(record)
                    alias = record.pop("_alias", None)
                    fixed_id = self.organization_id if sobject.name == "Organization" else None
                    resolved = {k: (aliases.get(v[1:], v) if isinstance(v, str) and v.startswith("@") else v)
                                for k, v in record.items()}
                    new_id = self._insert(sobject, resolved, ctx, trusted=True, fixed_id=fixed_id)
                    if alias:
                        aliases[alias] = new_id
                        self.store.set_meta(f"sf.alias.{alias}", new_id)
            self.store.set_meta("sf.seeded", "1")

    def user_id_by_alias(self, alias: str) -> str:
        found = self.store.meta(f"sf.alias.{alias}")
        if not found:
            raise KeyError(f"org fixture has no User with _alias: {alias}")
        return found

    # -- lookups --------------------------------------------------------------------------------------
    def sobject(self, name: str) -> SObjectSchema:
        found = self.schema.sobject(name)
        if found is None:
            raise err.InvalidType(name)
        return found

    def sobject_for_id(self, record_id: str) -> SObjectSchema | None:
        return self.schema.by_prefix(record_id[:3])

    def normalise_id(self, sobject: SObjectSchema, value: str, field_name: str = "Id") -> str:
        full = to18(value) if isinstance(value, str) else None
        if full is None:
            raise err.MalformedId(sobject.label, str(value), field_name)
        return full

    def _next_id(self, sobject: SObjectSchema) -> str:
        key = f"sf.counter.{sobject.key_prefix}"
        counter = int(self.store.meta(key, "0")) + 1
        self.store.set_meta(key, str(counter))
        return make_id(sobject.key_prefix, counter)

    # -- value conversion -----------------------------------------------------------------------------
    def to_storage(self, sobject: SObjectSchema, f: FieldSchema, value: Any) -> Any:
        """Check one incoming JSON value against its field and return the stored form."""
        if value is None or value == "" and f.type not in BOOLEAN_TYPES:
            return None
        if f.type in BOOLEAN_TYPES:
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, str) and value.lower() in {"true", "false"}:
                return int(value.lower() == "true")
            raise err.JsonParserError(f"Cannot deserialize instance of boolean from VALUE_STRING value {value} or "
                                      f"request may be missing a required field", [f.name])
        if f.type in NUMBER_TYPES or f.type in INTEGER_TYPES:
            try:
                number = float(value) if not isinstance(value, bool) else math.nan
            except (TypeError, ValueError):
                number = math.nan
            if math.isnan(number):
                raise err.JsonParserError(f"Cannot deserialize instance of {f.type} from VALUE_STRING value "
                                          f"{value} or request may be missing a required field", [f.name])
            return int(number) if f.type in INTEGER_TYPES else number
        if f.type == "multipicklist" and isinstance(value, list):
            value = ";".join(str(v) for v in value)
        text = str(value) if not isinstance(value, str) else value
        if f.type in {"id", "reference"}:
            return self.normalise_id(sobject, text, f.name)
        if f.type in {"string", "textarea", "email", "phone", "url", "encryptedstring", "combobox"} and f.length \
                and len(text) > f.length:
            raise err.StringTooLong(f.label, text, f.length, f.name)
        if f.type == "picklist" and f.restricted and text not in f.values:
            raise err.RestrictedPicklist(f.label, text, f.name)
        if f.type == "multipicklist" and f.restricted:
            for part in text.split(";"):
                if part and part not in f.values:
                    raise err.RestrictedPicklist(f.label, part, f.name)
        if f.type == "date" and len(text) >= 10:
            text = text[:10]
        return text

    @staticmethod
    def to_wire(f: FieldSchema, stored: Any) -> Any:
        if stored is None:
            return None
        if f.type in BOOLEAN_TYPES:
            return bool(stored)
        if f.type in INTEGER_TYPES:
            return int(stored)
        if f.type in NUMBER_TYPES:
            return float(stored)
        return stored

    def record_to_wire(self, sobject: SObjectSchema, row: dict[str, Any], fields: Iterable[str] | None = None) -> dict:
        out: dict[str, Any] = {"attributes": {"type": sobject.name,
                                              "url": f"/services/data/v{self.api_version}/sobjects/{sobject.name}/{row['Id']}"}}
        names = fields if fields is not None else [f.name for f in sobject.fields.values()]
        for name in names:
            f = sobject.field(name)
            if f is not None:
                out[f.name] = self.to_wire(f, row.get(f.name))
        return out

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

    def get(self, object_name: str, record_id: str, fields: Iterable[str] | None = None) -> dict[str, Any]:
        sobject = self.sobject(object_name)
        full = to18(record_id)
        if full is None:
            raise err.NotFound()
        found = self.row(sobject, full)
        if found is None:
            raise err.NotFound()
        if fields is not None:
            fields = list(fields)
            for name in fields:
                if sobject.field(name) is None:
                    raise err.InvalidField(f"No such column '{name}' on entity '{sobject.name}'. If you are attempting to "
                                           "use a custom field, be sure to append the '__c' after the custom field name. "
                                           "Please reference your WSDL or the describe call for the appropriate names.")
        return self.record_to_wire(sobject, found, fields)

    # -- writes ---------------------------------------------------------------------------------------
    def _check_fields(self, sobject: SObjectSchema, data: dict[str, Any], creating: bool, trusted: bool) -> dict[str, Any]:
        stored: dict[str, Any] = {}
        unwritable = []
        for name, value in data.items():
            if name == "attributes":
                continue
            f = sobject.field(name)
            if f is None:
                raise err.InvalidField(f"No such column '{name}' on sobject of type {sobject.name}", [name])
            if not trusted and ((creating and not f.createable) or (not creating and not f.updateable)):
                unwritable.append(f.name)
                continue
            stored[f.name] = self.to_storage(sobject, f, value)
        if unwritable:
            raise err.NotWriteable(unwritable)
        return stored

    def _insert(self, sobject: SObjectSchema, data: dict[str, Any], ctx: SaveContext, trusted: bool = False,
                fixed_id: str | None = None) -> str:
        values = self._check_fields(sobject, data, creating=True, trusted=trusted)
        for f in sobject.fields.values():
            if f.name not in values and f.default is not None and not f.system:
                values[f.name] = self.to_storage(sobject, f, f.default)
        stamp = sf_datetime(now_ms())
        record_id = fixed_id or self._next_id(sobject)
        values.update({"Id": record_id, "IsDeleted": 0, "CreatedDate": stamp, "LastModifiedDate": stamp,
                       "SystemModstamp": stamp})
        if ctx.user_id:
            values.update({"CreatedById": ctx.user_id, "LastModifiedById": ctx.user_id})
            if sobject.field("OwnerId") is not None and not values.get("OwnerId"):
                values["OwnerId"] = ctx.user_id
        if not trusted:
            for hook in self.before_save:
                hook(self, sobject, values, None, ctx.user_id)
            missing = [f.name for f in sobject.fields.values()
                       if f.required and not f.system and values.get(f.name) in (None, "")]
            if missing:
                raise err.RequiredFieldMissing(missing)
        self._check_unique(sobject, values, record_id)
        columns = list(values)
        with self.store.transaction() as db:
            quoted = ", ".join(f'"{c}"' for c in columns)
            db.execute(f'INSERT INTO "{sobject.table}" ({quoted}) VALUES ({", ".join("?" for _ in columns)})',
                       [values[c] for c in columns])
            if not trusted:
                for hook in self.after_save:
                    hook(self, sobject, values, None, ctx.user_id)
        return record_id

    def _check_unique(self, sobject: SObjectSchema, values: dict[str, Any], record_id: str) -> None:
        for f in sobject.fields.values():
            if f.unique and values.get(f.name) is not None:
                with self.store.lock:
                    clash = self.store.db.execute(
                        f'SELECT "Id" FROM "{sobject.table}" WHERE "{f.name}" = ? COLLATE NOCASE AND "Id" != ? '
                        f'AND "IsDeleted" = 0', (values[f.name], record_id)).fetchone()
                if clash:
                    raise err.DuplicateValue(f"duplicate value found: {f.name} duplicates value on record with id: "
                                             f"{clash['Id']}", [f.name])

    def create(self, object_name: str, data: dict[str, Any], ctx: SaveContext | None = None) -> str:
        sobject = self.sobject(object_name)
        if not sobject.createable:
            raise err.SalesforceError(f"entity type {sobject.name} does not support insert", error_code="INVALID_TYPE")
        return self._insert(sobject, data, ctx or SaveContext(self.api_user_id))

    def update(self, object_name: str, record_id: str, data: dict[str, Any], ctx: SaveContext | None = None,
               trusted: bool = False) -> None:
        ctx = ctx or SaveContext(self.api_user_id)
        sobject = self.sobject(object_name)
        full = self.normalise_id(sobject, record_id)
        with self.store.transaction() as db:
            previous = self.row(sobject, full)
            if previous is None:
                raise err.NotFound()
            if sobject.name == "Lead" and previous.get("IsConverted") and not trusted:
                raise err.SalesforceError("cannot reference converted lead", error_code="CANNOT_UPDATE_CONVERTED_LEAD")
            values = self._check_fields(sobject, data, creating=False, trusted=trusted)
            merged = {**previous, **values}
            stamp = sf_datetime(now_ms())
            merged.update({"LastModifiedDate": stamp, "SystemModstamp": stamp, "LastModifiedById": ctx.user_id})
            if not trusted:
                for hook in self.before_save:
                    hook(self, sobject, merged, previous, ctx.user_id)
                missing = [f.name for f in sobject.fields.values()
                           if f.required and not f.system and merged.get(f.name) in (None, "")]
                if missing:
                    raise err.RequiredFieldMissing(missing)
            self._check_unique(sobject, merged, full)
            changed = [c for c in merged if merged[c] != previous.get(c)]
            if changed:
                assignments = ", ".join(f'"{c}" = ?' for c in changed)
                db.execute(f'UPDATE "{sobject.table}" SET {assignments} WHERE "Id" = ?', [merged[c] for c in changed] + [full])
            if not trusted:
                for hook in self.after_save:
                    hook(self, sobject, merged, previous, ctx.user_id)

    def delete(self, object_name: str, record_id: str, ctx: SaveContext | None = None) -> None:
        """Soft delete: the row stays for queryAll with IsDeleted = true, as in the recycle bin."""
        ctx = ctx or SaveContext(self.api_user_id)
        sobject = self.sobject(object_name)
        full = to18(record_id)
        if full is None:
            raise err.NotFound()
        with self.store.transaction() as db:
            previous = self.row(sobject, full)
            if previous is None:
                raise err.NotFound()
            stamp = sf_datetime(now_ms())
            db.execute(f'UPDATE "{sobject.table}" SET "IsDeleted" = 1, "SystemModstamp" = ?, "LastModifiedDate" = ?, '
                       f'"LastModifiedById" = ? WHERE "Id" = ?', (stamp, stamp, ctx.user_id, full))

    # -- queries --------------------------------------------------------------------------------------
    def query(self, soql: str, include_deleted: bool = False) -> Any:
        from .soql import run_query  # the SOQL engine is a sibling module with its own grammar

        return run_query(self, soql, include_deleted=include_deleted)

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
