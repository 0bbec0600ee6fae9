"""The order of execution of one record save, as Salesforce documents it (simplified to what the twin models):

1. object permission and record access for the acting user; field checks (type, length, restricted picklist,
   field-level security, read-only fields); 2. before-save flows; 3. required fields, custom validation rules;
4. duplicate rules; 5. formula fields, unique fields; 6. the write; 7. after-save flows, territory assignment.

`trusted` writes (fixture records, lead conversion and merge bookkeeping) skip 1-4 and 7, as system-mode code
does. Callers run inside `store.transaction()` so a failure anywhere undoes the whole record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import exceptions as err
from . import values as conv
from .context import SaveContext
from .schema import SObjectSchema

if TYPE_CHECKING:
    from .models import SalesforceBackend

SYSTEM_STAMPS = ("LastModifiedDate", "SystemModstamp", "LastModifiedById")


class Saver:
    def __init__(self, backend: SalesforceBackend) -> None:
        self.b = backend
        self._plans: dict[str, tuple[list[str], list[Any], list[Any]]] = {}

    def _plan(self, sobject: SObjectSchema) -> tuple[list[str], list[Any], list[Any]]:
        """Per object, once: required field names, unique fields, fields with defaults (bulk loads save
        100,000 rows through here, so nothing is recomputed per row)."""
        plan = self._plans.get(sobject.name)
        if plan is None:
            fields = list(sobject.fields.values())
            plan = ([f.name for f in fields if f.required and not f.system and f.formula is None],
                    [f for f in fields if f.unique],
                    [f for f in fields if f.default is not None and not f.system and f.formula is None])
            self._plans[sobject.name] = plan
        return plan

    def needs_savepoint(self, sobject: SObjectSchema) -> bool:
        """Whether anything runs after the row is written (after-save flows, hooks, territory assignment):
        only then can a failure leave a half-saved record that a savepoint must undo. Bulk loads skip the cost."""
        return bool(self.b.automation.has_after_save(sobject.name) or self.b.after_save or sobject.name == "Account")

    # -- field checks ---------------------------------------------------------------------------------
    def check_fields(self, sobject: SObjectSchema, data: dict[str, Any], ctx: SaveContext, creating: bool,
                     trusted: bool) -> dict[str, Any]:
        stored: dict[str, Any] = {}
        unwritable = []
        access = getattr(self.b, "access", None)
        if access is not None and not (ctx.user_id and access.restricts_fields(ctx.user_id)):
            access = None
        for name, value in data.items():
            if name == "attributes":
                continue
            f = sobject.field(name)
            if f is None:
                raise err.InvalidField(f"No such column '{name}' on sobject of type {sobject.name}", [name])
            if not trusted:
                writable = f.createable if creating else f.updateable
                if not writable or f.system or (access and ctx.user_id and
                                                access.field_access(ctx.user_id, sobject, f.name) != "edit"):
                    if f.name == "Id" and not creating:
                        continue  # collections and SOAP carry the id in the body
                    unwritable.append(f.name)
                    continue
            stored[f.name] = conv.to_storage(sobject, f, value)
        if unwritable:
            raise err.NotWriteable(unwritable)
        return stored

    def _required(self, sobject: SObjectSchema, record: dict[str, Any]) -> None:
        missing = [name for name in self._plan(sobject)[0] if record.get(name) in (None, "")]
        if missing:
            raise err.RequiredFieldMissing(missing)

    def _unique(self, sobject: SObjectSchema, record: dict[str, Any], record_id: str) -> None:
        for f in self._plan(sobject)[1]:
            if record.get(f.name) is not None:
                clash = self.b.store.db.execute(
                    f'SELECT "Id" FROM "{sobject.table}" WHERE "{f.name}" = ? COLLATE NOCASE AND "Id" != ? '
                    'AND "IsDeleted" = 0', (record[f.name], record_id)).fetchone()
                if clash:
                    raise err.DuplicateValue(f"duplicate value found: {f.name} duplicates value on record with id: "
                                             f"{clash['Id']}", [f.name])

    # -- insert ---------------------------------------------------------------------------------------
    def insert(self, sobject: SObjectSchema, data: dict[str, Any], ctx: SaveContext, trusted: bool = False,
               fixed_id: str | None = None) -> str:
        access = getattr(self.b, "access", None)
        if not trusted and access and ctx.user_id:
            access.require_object(ctx.user_id, sobject, "create")
        record = self.check_fields(sobject, data, ctx, creating=True, trusted=trusted)
        self.b.addresses.apply(sobject, record, None)
        for f in self._plan(sobject)[2]:
            if f.name not in record:
                record[f.name] = conv.to_storage(sobject, f, f.default)
        stamp = self.b.stamp()
        record_id = fixed_id or (record.get("Id") if trusted and record.get("Id") else self.b.next_id(sobject))
        record.update({"Id": record_id, "CreatedDate": record.get("CreatedDate") or stamp,
                       "LastModifiedDate": record.get("LastModifiedDate") or stamp, "SystemModstamp": stamp})
        record.setdefault("IsDeleted", 0)
        if ctx.user_id:
            record.setdefault("CreatedById", ctx.user_id)
            record.setdefault("LastModifiedById", ctx.user_id)
            if sobject.field("OwnerId") is not None and not record.get("OwnerId"):
                record["OwnerId"] = ctx.user_id
        self._before_write(sobject, record_id, record, None, ctx, trusted)
        columns = list(record)
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.b.store.db.execute(f'INSERT INTO "{sobject.table}" ({quoted}) VALUES ({", ".join("?" * len(columns))})',
                                [record[c] for c in columns])
        if not trusted:
            self._after(sobject, record, None, ctx)
        return record_id

    def _before_write(self, sobject: SObjectSchema, record_id: str, record: dict[str, Any],
                      previous: dict[str, Any] | None, ctx: SaveContext, trusted: bool) -> None:
        """Salesforce's order of execution up to the write, the same for an insert (`previous` None) and an
        update: before-save flows and hooks, required fields, validation rules, duplicate rules, then formulas
        and unique checks. A trusted write (fixture records, conversion and merge bookkeeping) skips the automation."""
        automation = self.b.automation
        if not trusted:
            automation.before_save(self.b, sobject, record, previous, ctx)
            for hook in self.b.before_save:
                hook(self.b, sobject, record, previous, ctx.user_id)
            self._required(sobject, record)
            automation.validate(self.b, sobject, record, previous, ctx)
            automation.check_duplicates(self.b, sobject, record, previous, ctx)
        automation.compute_formulas(self.b, sobject, record)
        self._unique(sobject, record, record_id)

    # -- update ---------------------------------------------------------------------------------------
    def update(self, sobject: SObjectSchema, record_id: str, data: dict[str, Any], ctx: SaveContext,
               trusted: bool = False) -> None:
        previous = self.b.row(sobject, record_id)
        if previous is None:
            raise err.NotFound()
        access = getattr(self.b, "access", None)
        if not trusted and access and ctx.user_id:
            access.require_object(ctx.user_id, sobject, "edit")
            if not access.can_read(ctx.user_id, sobject, previous):
                raise err.InsufficientAccess()
        if sobject.name == "Lead" and previous.get("IsConverted") and not trusted:
            raise err.ConvertedLead()
        changes = self.check_fields(sobject, data, ctx, creating=False, trusted=trusted)
        self.b.addresses.apply(sobject, changes, previous)
        record = {**previous, **changes}
        stamp = self.b.stamp()
        record.update({"LastModifiedDate": stamp, "SystemModstamp": stamp})
        if ctx.user_id:
            record["LastModifiedById"] = ctx.user_id
        self._before_write(sobject, record_id, record, previous, ctx, trusted)
        self._write_changes(sobject, record_id, record, previous)
        if not trusted:
            self._after(sobject, record, previous, ctx)

    def _write_changes(self, sobject: SObjectSchema, record_id: str, record: dict[str, Any],
                       previous: dict[str, Any]) -> None:
        changed = [c for c in record if record[c] != previous.get(c)]
        if changed:
            assignments = ", ".join(f'"{c}" = ?' for c in changed)
            self.b.store.db.execute(f'UPDATE "{sobject.table}" SET {assignments} WHERE "Id" = ?',
                                    [record[c] for c in changed] + [record_id])

    def write_system(self, sobject: SObjectSchema, record_id: str, changes: dict[str, Any], user_id: str | None) -> None:
        """A write made by the platform itself (after-save flow field updates, territory reassignment): stamps
        LastModifiedDate/SystemModstamp, recomputes formulas, runs no rules (as a flow's own update would not
        re-enter the same flow)."""
        previous = self.b.row(sobject, record_id, include_deleted=True)
        if previous is None:
            return
        record = {**previous, **changes}
        stamp = self.b.stamp()
        record.update({"LastModifiedDate": stamp, "SystemModstamp": stamp})
        if user_id:
            record["LastModifiedById"] = user_id
        self.b.automation.compute_formulas(self.b, sobject, record)
        self._write_changes(sobject, record_id, record, previous)

    def _after(self, sobject: SObjectSchema, record: dict[str, Any], previous: dict[str, Any] | None,
               ctx: SaveContext) -> None:
        self.b.automation.after_save(self.b, sobject, record, previous, ctx)
        for hook in self.b.after_save:
            hook(self.b, sobject, record, previous, ctx.user_id)
        territories = getattr(self.b, "territories", None)
        if territories is not None and sobject.name == "Account":
            territories.on_account_saved(record, previous, ctx)

    # -- delete ---------------------------------------------------------------------------------------
    def delete(self, sobject: SObjectSchema, record_id: str, ctx: SaveContext, hard: bool = False) -> None:
        """Soft delete: the row stays for queryAll with IsDeleted = true, as in the recycle bin."""
        previous = self.b.row(sobject, record_id, include_deleted=hard)
        if previous is None:
            raise err.NotFound()
        access = getattr(self.b, "access", None)
        if access and ctx.user_id:
            access.require_object(ctx.user_id, sobject, "delete")
            if not access.can_read(ctx.user_id, sobject, previous):
                raise err.InsufficientAccess()
        db = self.b.store.db
        if hard:
            db.execute(f'DELETE FROM "{sobject.table}" WHERE "Id" = ?', (record_id,))
        else:
            stamp = self.b.stamp()
            db.execute(f'UPDATE "{sobject.table}" SET "IsDeleted" = 1, "SystemModstamp" = ?, "LastModifiedDate" = ?, '
                       '"LastModifiedById" = COALESCE(?, "LastModifiedById") WHERE "Id" = ?',
                       (stamp, stamp, ctx.user_id or None, record_id))
        for child_name, lookup in CASCADE.get(sobject.name, ()):
            child = self.b.schema.sobject(child_name)
            if child is None or child.field(lookup) is None:
                continue
            rows = db.execute(f'SELECT "Id" FROM "{child.table}" WHERE "{lookup}" = ? AND "IsDeleted" = 0',
                              (record_id,)).fetchall()
            for row in rows:
                self.delete(child, row["Id"], ctx, hard=hard)


# Children deleted with their parent, as Salesforce cascades an Account's deletion to its contacts and
# opportunities, and an Opportunity's to its contact roles. An account's territory associations go with it too
# (rule-made ones cannot be deleted on their own: INVALID_OPERATION); deleted ones stay queryable for a while.
CASCADE: dict[str, tuple[tuple[str, str], ...]] = {
    "Account": (("Contact", "AccountId"), ("Opportunity", "AccountId"), ("ObjectTerritory2Association", "ObjectId")),
    "Opportunity": (("OpportunityContactRole", "OpportunityId"),),
    "Campaign": (("CampaignMember", "CampaignId"),),
}
