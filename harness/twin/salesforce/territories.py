"""Enterprise Territory Management: territories from the fixture, rule-based account assignment.

Salesforce's own docs do not say that running territory rules changes OwnerId (connector-behaviour.md §3.6):
associations and access change, owners change only through separate automation. So owner reassignment is a
named switch (`territories.assignment.reassign_owner`), which the healthy org turns on to model the usual
"territory realignment moves account ownership" automation; cascading to open opportunities and contacts follows
Salesforce's account-owner-change behaviour (records the old owner held move with the account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .context import SaveContext
from .schema import SchemaError
from .soql import compile_condition

if TYPE_CHECKING:
    from .models import SalesforceBackend

NEEDED = ("Territory2Model", "Territory2Type", "Territory2", "UserTerritory2Association", "ObjectTerritory2Association")
CLOSED_STAGES = ("Closed Won", "Closed Lost")


class Territories:
    def __init__(self, backend: SalesforceBackend, spec: dict[str, Any]) -> None:
        self.backend = backend
        self.spec = spec or {}
        self.enabled = bool(self.spec)
        where = f"{backend.schema.source}: territories"
        assignment = self.spec.get("assignment") or {}
        self.run_on_save = bool(assignment.get("run_on_save", False))
        self.reassign_owner = bool(assignment.get("reassign_owner", False))
        self.cascade_to = [str(x) for x in assignment.get("cascade_to") or []]
        self.territories = list(self.spec.get("territories") or [])
        if not self.enabled:
            return
        for name in NEEDED:
            if backend.schema.sobject(name) is None:
                raise SchemaError(f"{where}: the org declares territories but not the {name} object under objects:")
        for name in self.cascade_to:
            if name not in {"Opportunity", "Contact", "Case"}:
                raise SchemaError(f"{where}.assignment.cascade_to: {name!r} is not one of Opportunity, Contact, Case")
        account = backend.sobject("Account")

        for index, territory in enumerate(self.territories):
            if not territory.get("developer_name"):
                raise SchemaError(f"{where}.territories[{index}]: developer_name is required")
            if territory.get("rule"):
                try:
                    compile_condition(backend, account, str(territory["rule"]), None)
                except err.SalesforceError as error:
                    raise SchemaError(f"{where}.territories[{index}].rule: {error.message.strip()}") from None
            for alias in territory.get("users") or {}:
                try:
                    backend.user_id_by_alias(alias)
                except KeyError:
                    raise SchemaError(f"{where}.territories[{index}].users: no User with _alias: {alias}") from None

    # -- standing rows --------------------------------------------------------------------------------
    def ensure_rows(self) -> None:
        if not self.enabled or self.backend.store.meta("sf.territories.seeded") == "1":
            return
        b, ctx = self.backend, SaveContext(user_id="")
        insert = b.saver.insert
        with b.store.transaction():
            model = self.spec.get("model") or {}
            model_id = insert(b.sobject("Territory2Model"), {
                "Name": model.get("name", "Territory Model"), "DeveloperName": model.get("developer_name", "Model"),
                "State": model.get("state", "Active")}, ctx, trusted=True)
            kind = self.spec.get("type") or {}
            type_id = insert(b.sobject("Territory2Type"), {
                "DeveloperName": kind.get("developer_name", "Default"), "MasterLabel": kind.get("label", "Default"),
                "Priority": kind.get("priority", 1)}, ctx, trusted=True)
            ids: dict[str, str] = {}
            for territory in self.territories:
                parent = ids.get(str(territory.get("parent", "")))
                ids[territory["developer_name"]] = insert(b.sobject("Territory2"), {
                    "Name": territory.get("name", territory["developer_name"]),
                    "DeveloperName": territory["developer_name"], "Territory2ModelId": model_id,
                    "Territory2TypeId": type_id, "ParentTerritory2Id": parent,
                    "AccountAccessLevel": territory.get("account_access", "Edit"),
                    "OpportunityAccessLevel": territory.get("opportunity_access", "Edit"),
                    "ContactAccessLevel": territory.get("contact_access", "Edit"),
                    "CaseAccessLevel": territory.get("case_access", "Edit"),
                    "Description": territory.get("rule")}, ctx, trusted=True)
                for alias, role in (territory.get("users") or {}).items():
                    insert(b.sobject("UserTerritory2Association"), {
                        "UserId": b.user_id_by_alias(alias), "Territory2Id": ids[territory["developer_name"]],
                        "RoleInTerritory2": role, "IsActive": True}, ctx, trusted=True)
            b.store.set_meta("sf.territories.seeded", "1")

    def _active(self) -> bool:
        row = self.backend.store.db.execute('SELECT "State" FROM "sf_territory2model" WHERE "IsDeleted" = 0 '
                                            'ORDER BY "CreatedDate" LIMIT 1').fetchone()
        return bool(row and row["State"] == "Active")

    def _territory_rows(self) -> list[tuple[str, str, str | None]]:
        """(territory id, rule, owner user id) in fixture order."""
        out = []
        db = self.backend.store.db
        for territory in self.territories:
            row = db.execute('SELECT "Id" FROM "sf_territory2" WHERE "DeveloperName" = ? AND "IsDeleted" = 0',
                             (territory["developer_name"],)).fetchone()
            if row is None or not territory.get("rule"):
                continue
            owner = db.execute('SELECT "UserId" FROM "sf_userterritory2association" WHERE "Territory2Id" = ? AND '
                               '"RoleInTerritory2" = \'Owner\' AND "IsActive" = 1 AND "IsDeleted" = 0 LIMIT 1',
                               (row["Id"],)).fetchone()
            out.append((row["Id"], str(territory["rule"]), owner["UserId"] if owner else None))
        return out

    # -- assignment -----------------------------------------------------------------------------------
    def on_account_saved(self, record: dict[str, Any], previous: dict[str, Any] | None, ctx: SaveContext) -> None:
        if self.enabled and self.run_on_save:
            self.run_assignment([record["Id"]], ctx.user_id)

    def run_assignment(self, account_ids: list[str] | None = None, user_id: str | None = None) -> dict[str, int]:
        """Evaluate every territory rule for the given accounts (all when None): replace rule-based
        associations, and with reassign_owner move ownership. Returns counts."""
        stats = {"accounts": 0, "associations": 0, "owners_changed": 0, "related_owners_changed": 0}
        if not self.enabled or not self._active():
            return stats

        b = self.backend
        account = b.sobject("Account")
        association = b.sobject("ObjectTerritory2Association")
        ctx = SaveContext(user_id=user_id or "")
        with b.store.transaction() as db:
            if account_ids is None:
                account_ids = [r["Id"] for r in db.execute('SELECT "Id" FROM "sf_account" WHERE "IsDeleted" = 0')]
            matches: dict[str, list[tuple[str, str | None]]] = {a: [] for a in account_ids}
            for territory_id, rule, owner in self._territory_rows():
                sql, params = compile_condition(b, account, rule, None)
                for start in range(0, len(account_ids), 500):
                    chunk = account_ids[start:start + 500]
                    rows = db.execute(f'SELECT "Id" FROM "sf_account" WHERE "Id" IN ({", ".join("?" * len(chunk))}) '
                                      f'AND ({sql})', [*chunk, *params]).fetchall()
                    for row in rows:
                        matches[row["Id"]].append((territory_id, owner))
            for account_id, found in matches.items():
                stats["accounts"] += 1
                existing = {r["Territory2Id"]: r["Id"] for r in db.execute(
                    'SELECT "Id", "Territory2Id" FROM "sf_objectterritory2association" WHERE "ObjectId" = ? '
                    'AND "AssociationCause" = \'Territory2AssignmentRule\' AND "IsDeleted" = 0', (account_id,))}
                wanted = [t for t, _ in found]
                moved = False
                for territory_id, row_id in existing.items():
                    if territory_id not in wanted:  # associations bypass the recycle bin
                        db.execute('DELETE FROM "sf_objectterritory2association" WHERE "Id" = ?', (row_id,))
                        moved = True
                for territory_id in wanted:
                    if territory_id not in existing:
                        b.saver.insert(association, {"ObjectId": account_id, "Territory2Id": territory_id,
                                                     "AssociationCause": "Territory2AssignmentRule",
                                                     "SobjectType": "Account"}, ctx, trusted=True)
                        stats["associations"] += 1
                        moved = True
                owner = next((o for _, o in found if o), None)
                # Ownership follows a territory *move* only: an owner changed by hand on an account that stays in
                # its territory is left alone, as realignment automation does.
                if self.reassign_owner and owner and moved:
                    self._move_owner(account_id, owner, ctx, stats)
        return stats

    def _move_owner(self, account_id: str, owner: str, ctx: SaveContext, stats: dict[str, int]) -> None:
        b = self.backend
        account = b.sobject("Account")
        current = b.row(account, account_id, include_deleted=True)
        previous_owner = current.get("OwnerId") if current else None
        if current is None or previous_owner == owner:
            return
        b.saver.write_system(account, account_id, {"OwnerId": owner}, ctx.user_id or None)
        stats["owners_changed"] += 1
        for name in self.cascade_to:
            child = b.schema.sobject(name)
            if child is None or child.field("AccountId") is None:
                continue
            open_only = ' AND "StageName" NOT IN (?, ?)' if name == "Opportunity" else ""
            params = [account_id, previous_owner, *(CLOSED_STAGES if open_only else ())]
            rows = b.store.db.execute(f'SELECT "Id" FROM "{child.table}" WHERE "AccountId" = ? AND "OwnerId" = ? '
                                      f'AND "IsDeleted" = 0{open_only}', params).fetchall()
            for row in rows:
                b.saver.write_system(child, row["Id"], {"OwnerId": owner}, ctx.user_id or None)
                stats["related_owners_changed"] += 1
