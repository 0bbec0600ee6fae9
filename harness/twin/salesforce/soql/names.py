"""Name resolution for one FROM object: field paths to SQL columns, parent relationships to LEFT JOINs.

Names are case-insensitive and come back in their canonical case. A parent path (`Account.Owner.Email`)
becomes one LEFT JOIN per relationship; a polymorphic lookup (`Who`, `What`) joins every target type and
reads the field from whichever matched. Unknown names fail with Salesforce's wording and position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import exceptions as err
from ..schema import FieldSchema, SObjectSchema
from . import ast
from .parser import positioned

if TYPE_CHECKING:
    from .compiler import Compiler

CUSTOM_FIELD_HINT = ("If you are attempting to use a custom field, be sure to append the '__c' after the custom field "
                     "name. Please reference your WSDL or the describe call for the appropriate names.")
CUSTOM_RELATIONSHIP_HINT = ("If you are attempting to use a custom relationship, be sure to append the '__r' after the "
                            "custom relationship name. Please reference your WSDL or the describe call for the "
                            "appropriate names.")
CUSTOM_OBJECT_HINT = ("If you are attempting to use a custom object, be sure to append the '__c' after the entity name. "
                      "Please reference your WSDL or the describe call for the appropriate names.")


@dataclass
class JoinNode:
    names: tuple[str, ...]                       # canonical relationship names from the root
    lookup: FieldSchema
    targets: list[tuple[SObjectSchema, str]]     # (object, SQL alias) per referenced type
    parent: JoinNode | None = None

    @property
    def id_sql(self) -> str:
        ids = [f'{alias}."Id"' for _, alias in self.targets]
        return ids[0] if len(ids) == 1 else f"COALESCE({', '.join(ids)})"


@dataclass
class Column:
    sql: str
    field: FieldSchema
    node: JoinNode | None          # the relationship holding the field; None for the FROM object's own fields
    sobject: SObjectSchema         # the object the field belongs to (first match for polymorphic paths)

    @property
    def text(self) -> bool:
        return self.field.column_type == "TEXT"

    @property
    def nocase(self) -> str:
        return " COLLATE NOCASE" if self.text and self.field.type not in {"id", "reference"} else ""


@dataclass
class Scope:
    compiler: Compiler
    sobject: SObjectSchema
    alias: str | None                  # SQL alias of the FROM table; None = bare column names (visibility SQL)
    from_alias: str | None = None      # the SOQL alias (FROM Contact c)
    user_id: str | None = None
    joins: list[str] = field(default_factory=list)
    join_params: list[Any] = field(default_factory=list)
    nodes: dict[tuple[str, ...], JoinNode] = field(default_factory=dict)

    def col(self, alias: str | None, name: str) -> str:
        return f'{alias}."{name}"' if alias else f'"{name}"'

    # -- errors ---------------------------------------------------------------------------------------
    def no_column(self, path: ast.FieldPath, name: str, sobject: SObjectSchema) -> err.SalesforceError:
        return err.InvalidField(positioned(self.compiler.soql, path.line, path.column,
                                           f"No such column '{name}' on entity '{sobject.name}'. {CUSTOM_FIELD_HINT}"))

    def no_relationship(self, path: ast.FieldPath, name: str) -> err.SalesforceError:
        return err.InvalidField(positioned(self.compiler.soql, path.line, path.column,
                                           f"Didn't understand relationship '{name}' in field path. "
                                           f"{CUSTOM_RELATIONSHIP_HINT}"))

    # -- resolution -----------------------------------------------------------------------------------
    def _readable(self, sobject: SObjectSchema, f: FieldSchema | None) -> bool:
        if f is None:
            return False
        access = getattr(self.compiler.backend, "access", None)
        return not (self.user_id and access and access.field_access(self.user_id, sobject, f.name) == "none")

    def column(self, path: ast.FieldPath) -> Column:
        parts = list(path.parts)
        if len(parts) > 1 and self.sobject.by_relationship(parts[0]) is None and (
                parts[0].lower() == self.sobject.name.lower()
                or (self.from_alias and parts[0].lower() == self.from_alias.lower())):
            parts = parts[1:]
        if len(parts) == 1:
            f = self.sobject.field(parts[0])
            if not self._readable(self.sobject, f):
                raise self.no_column(path, parts[0], self.sobject)
            return Column(self.col(self.alias, f.name), f, None, self.sobject)
        if self.alias is None:
            raise err.MalformedQuery("record visibility and territory rules can use only the object's own fields, "
                                     f"not {path.text}")
        node: JoinNode | None = None
        current = [self.sobject]
        for relationship in parts[:-1]:
            node = self._join(path, relationship, node, current)
            current = [target for target, _ in node.targets]
        name = parts[-1]
        holders = [(target, alias) for target, alias in node.targets if self._readable(target, target.field(name))]
        if not holders:
            raise self.no_column(path, name, node.targets[0][0])
        f = holders[0][0].field(name)
        sql = (self.col(holders[0][1], f.name) if len(holders) == 1
               else f"COALESCE({', '.join(self.col(a, f.name) for _, a in holders)})")
        return Column(sql, f, node, holders[0][0])

    def _join(self, path: ast.FieldPath, relationship: str, parent: JoinNode | None,
              owners: list[SObjectSchema]) -> JoinNode:
        if parent is not None and len(parent.targets) > 1:
            raise self.no_relationship(path, relationship)  # only one level below a polymorphic lookup
        owner = owners[0]
        lookup = owner.by_relationship(relationship)
        if lookup is None or not lookup.reference_to:
            raise self.no_relationship(path, relationship)
        names = (*(parent.names if parent else ()), lookup.relationship_name)
        key = tuple(n.lower() for n in names)
        if key in self.nodes:
            return self.nodes[key]
        from_sql = self.col(parent.targets[0][1], lookup.name) if parent else self.col(self.alias, lookup.name)
        targets = []
        for index, target_name in enumerate(lookup.reference_to):
            target = self.compiler.schema_of(target_name)
            if target is None:
                continue
            alias = f"{self.alias}_{len(self.nodes) + 1}_{index}"
            condition = f'{alias}."Id" = {from_sql}'
            if not self.compiler.include_deleted and target.field("IsDeleted") is not None:
                condition += f' AND {alias}."IsDeleted" = 0'
            access = getattr(self.compiler.backend, "access", None)
            if self.user_id and access:
                visible, params = access.visible_where(self.user_id, target, alias)
                if visible:
                    condition += f" AND ({visible})"
                    self.join_params.extend(params)
            self.joins.append(f'LEFT JOIN "{target.table}" {alias} ON {condition}')
            targets.append((target, alias))
        if not targets:
            raise self.no_relationship(path, relationship)
        node = JoinNode(names, lookup, targets, parent)
        self.nodes[key] = node
        return node


_PARTS = {
    "calendar_year": "CAST(substr({c}, 1, 4) AS INTEGER)",
    "calendar_month": "CAST(substr({c}, 6, 2) AS INTEGER)",
    "calendar_quarter": "((CAST(substr({c}, 6, 2) AS INTEGER) - 1) / 3 + 1)",
    "day_in_month": "CAST(substr({c}, 9, 2) AS INTEGER)",
    "day_in_week": "(CAST(strftime('%w', substr({c}, 1, 10)) AS INTEGER) + 1)",
    "day_in_year": "CAST(strftime('%j', substr({c}, 1, 10)) AS INTEGER)",
    "day_only": "substr({c}, 1, 10)",
    "hour_in_day": "CAST(substr({c}, 12, 2) AS INTEGER)",
    "week_in_month": "((CAST(substr({c}, 9, 2) AS INTEGER) - 1) / 7 + 1)",
    "week_in_year": "((CAST(strftime('%j', substr({c}, 1, 10)) AS INTEGER) - 1) / 7 + 1)",
    "fiscal_month": "((CAST(substr({c}, 6, 2) AS INTEGER) - {fm} + 12) % 12 + 1)",
    "fiscal_quarter": "(((CAST(substr({c}, 6, 2) AS INTEGER) - {fm} + 12) % 12) / 3 + 1)",
    "fiscal_year": "(CAST(substr({c}, 1, 4) AS INTEGER) - (CAST(substr({c}, 6, 2) AS INTEGER) < {fm}))",
}


def date_function_column(scope: Scope, node: ast.DateFunction) -> Column:
    """A date function as a computed column (an int, or a date for DAY_ONLY). Datetimes are read in UTC, the
    twin's stored zone; the fiscal year is named after the calendar year it starts in."""
    column = scope.column(node.argument)
    kind = column.field.type
    if kind not in {"date", "datetime"} or (node.function in {"day_only", "hour_in_day"} and kind != "datetime"):
        raise err.MalformedQuery(positioned(scope.compiler.soql, node.line, node.column,
                                            f"{node.function.upper()} cannot be applied to field {column.field.name} "
                                            f"of type {kind}"))
    fiscal = int(scope.compiler.backend.schema.organization.get("fiscal_year_start_month", 1))
    sql = f"(CASE WHEN {column.sql} IS NULL THEN NULL ELSE {_PARTS[node.function].format(c=column.sql, fm=fiscal)} END)"
    result = FieldSchema(column.field.name, "date" if node.function == "day_only" else "int", column.field.label)
    return Column(sql, result, None, column.sobject)
