"""What each user may see and write: object permissions, record visibility, field-level security.

The fixture's `access:` block restricts named users; everyone else is a System Administrator. Record visibility
is a SOQL WHERE over the object's own fields (as criteria-based sharing is field criteria): rows outside it
do not exist for that user, which is how "selective sync" hides records from the HubSpot integration user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .schema import SchemaError, SObjectSchema
from .soql.compiler import compile_condition

if TYPE_CHECKING:
    from .models import SalesforceBackend

LEVELS = ("none", "read", "edit", "all")
NEEDS = {"read": "read", "create": "edit", "edit": "edit", "delete": "all"}


@dataclass
class UserAccess:
    objects: dict[str, str] = field(default_factory=dict)          # object name -> level
    records: dict[str, str] = field(default_factory=dict)          # object name -> SOQL condition
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # object -> field -> none | read | edit
    profile: str | None = None  # the profile these rules belong to (permissions.py); None: one of the user's own
    permission_sets: list[str] = field(default_factory=list)  # named sets assigned beside the profile

    def same_rules(self, other: UserAccess) -> bool:
        return (self.objects, self.records, self.fields) == (other.objects, other.records, other.fields)


class Access:
    def __init__(self, backend: SalesforceBackend, spec: dict[str, Any]) -> None:
        self.backend = backend
        self.users: dict[str, UserAccess] = {}
        self._where_cache: dict[tuple[str, str, str | None], tuple[str, list[Any]]] = {}
        self.aliases: dict[str, str] = {}  # user id -> the fixture's _alias, for restricted users
        where = f"{backend.schema.source}: access"
        for alias, raw in (spec or {}).items():
            try:
                user_id = backend.user_id_by_alias(alias)
            except KeyError:
                raise SchemaError(f"{where}.{alias}: no User record with _alias: {alias}") from None
            if not isinstance(raw, dict):
                raise SchemaError(f"{where}.{alias}: expected objects:, records:, fields:, profile: and/or "
                                  "permission_sets:")
            unknown = set(raw) - {"objects", "records", "fields", "profile", "permission_sets"}
            if unknown:
                raise SchemaError(f"{where}.{alias}: unknown key(s) {sorted(unknown)}; allowed: objects, records, "
                                  "fields, profile, permission_sets")
            rules = UserAccess(profile=str(raw["profile"]) if raw.get("profile") else None)
            sets = raw.get("permission_sets") or []
            if not isinstance(sets, list) or not all(isinstance(s, str) and re.fullmatch(r"[A-Za-z]\w*", s)
                                                     for s in sets):
                raise SchemaError(f"{where}.{alias}.permission_sets: a list of permission set API names "
                                  "(letters, digits and underscores, starting with a letter)")
            rules.permission_sets = list(sets)
            for name, level in (raw.get("objects") or {}).items():
                sobject = self._sobject(f"{where}.{alias}.objects.{name}", name)
                if level not in LEVELS:
                    raise SchemaError(f"{where}.{alias}.objects.{name}: {level!r} is not one of {', '.join(LEVELS)}")
                rules.objects[sobject.name] = level
            for name, condition in (raw.get("records") or {}).items():
                sobject = self._sobject(f"{where}.{alias}.records.{name}", name)
                rules.records[sobject.name] = self._resolve_aliases(str(condition))
            for name, fields in (raw.get("fields") or {}).items():
                sobject = self._sobject(f"{where}.{alias}.fields.{name}", name)
                out = {}
                for field_name, level in (fields or {}).items():
                    f = sobject.field(field_name)
                    if f is None:
                        raise SchemaError(f"{where}.{alias}.fields.{name}.{field_name}: no such field on {sobject.name}")
                    if level not in ("none", "read", "edit"):
                        raise SchemaError(f"{where}.{alias}.fields.{name}.{field_name}: use none, read or edit")
                    out[f.name] = level
                rules.fields[sobject.name] = out
            self.users[user_id] = rules
            self.aliases[user_id] = alias
        self._check_profiles(where)
        for user_id, rules in self.users.items():  # compile now: a bad condition is a fixture error, not a 500
            for name in rules.records:
                try:
                    self.visible_where(user_id, backend.sobject(name))
                except err.SalesforceError as error:
                    raise SchemaError(f"{where}: records.{name}: {error.message.strip()}") from None

    def _check_profiles(self, where: str) -> None:
        """Users who share a profile share its field-level security: two entries naming one profile must agree."""
        seen: dict[str, tuple[str, UserAccess]] = {}
        for user_id, rules in self.users.items():
            if not rules.profile:
                continue
            first = seen.setdefault(rules.profile, (user_id, rules))
            if not first[1].same_rules(rules):
                raise SchemaError(f"{where}.{self.aliases[user_id]}.profile: {rules.profile!r} is also the profile of "
                                  f"{self.aliases[first[0]]} with other objects/records/fields; give both the same "
                                  "rules or name different profiles")

    def alias_of(self, user_id: str) -> str:
        return self.aliases.get(user_id, user_id)

    def _sobject(self, where: str, name: str) -> SObjectSchema:
        found = self.backend.schema.sobject(name)
        if found is None:
            raise SchemaError(f"{where}: no object {name} under objects:")
        return found

    def _resolve_aliases(self, condition: str) -> str:

        return re.sub(r"'@([A-Za-z0-9_]+)'", lambda m: f"'{self.backend.user_id_by_alias(m.group(1))}'", condition)

    # -- object permissions ---------------------------------------------------------------------------
    def object_level(self, user_id: str, sobject: SObjectSchema) -> str:
        rules = self.users.get(user_id)
        return rules.objects.get(sobject.name, "all") if rules else "all"

    def require_object(self, user_id: str, sobject: SObjectSchema, operation: str) -> None:
        level = self.object_level(user_id, sobject)
        if LEVELS.index(level) < LEVELS.index(NEEDS[operation]):
            raise err.EntityNotAccessible(sobject.name, "read" if level == "none" else operation)

    # -- records --------------------------------------------------------------------------------------
    def restricted(self, user_id: str, sobject: SObjectSchema) -> bool:
        rules = self.users.get(user_id)
        return bool(rules and sobject.name in rules.records)

    def visible_where(self, user_id: str, sobject: SObjectSchema, alias: str | None = None) -> tuple[str, list[Any]]:
        """SQL (over the table, or over `alias`) selecting the rows this user can see; ('', []) when all."""
        rules = self.users.get(user_id)
        condition = rules.records.get(sobject.name) if rules else None
        if not condition:
            return "", []
        key = (user_id, sobject.name, alias)
        if key not in self._where_cache:

            self._where_cache[key] = compile_condition(self.backend, sobject, condition, alias)
        return self._where_cache[key]

    def can_read(self, user_id: str, sobject: SObjectSchema, row: dict[str, Any]) -> bool:
        if not user_id:
            return True
        sql, params = self.visible_where(user_id, sobject)
        if not sql:
            return True
        found = self.backend.store.db.execute(f'SELECT 1 FROM "{sobject.table}" WHERE "Id" = ? AND ({sql})',
                                              [row["Id"], *params]).fetchone()
        return found is not None

    # -- fields ---------------------------------------------------------------------------------------
    def restricts_fields(self, user_id: str) -> bool:
        rules = self.users.get(user_id)
        return bool(rules and rules.fields)

    def field_access(self, user_id: str, sobject: SObjectSchema, field_name: str) -> str:
        rules = self.users.get(user_id)
        if not rules:
            return "edit"
        f = sobject.field(field_name)
        name = f.name if f else field_name
        return rules.fields.get(sobject.name, {}).get(name, "edit")

    def readable_fields(self, user_id: str, sobject: SObjectSchema) -> list[str]:
        return [f.name for f in sobject.fields.values() if self.field_access(user_id, sobject, f.name) != "none"]
