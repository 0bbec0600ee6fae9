"""`ast.Query` to one SQLite statement over the org's tables, and rows back to Salesforce records.

Filtering, ordering and limits run in SQLite so indexed fields (Id, Email, external ids, lookups) are
served by an index, not a scan. Text comparisons are case-insensitive, as in SOQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import exceptions as err
from ..ids import to18
from ..schema import BOOLEAN_TYPES, INTEGER_TYPES, NUMBER_TYPES, FieldSchema, SObjectSchema
from . import ast

if TYPE_CHECKING:
    from ..models import SalesforceBackend


@dataclass
class QueryResult:
    records: list[dict[str, Any]]
    total_size: int
    sobject: str


@dataclass
class _Sql:
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)


def invalid_field(sobject: SObjectSchema, name: str) -> err.InvalidField:
    return err.InvalidField(
        f"\nSELECT {name} FROM {sobject.name}\n       ^\nERROR at Row:1:Column:8\nNo such column '{name}' on entity "
        f"'{sobject.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom "
        "field name. Please reference your WSDL or the describe call for the appropriate names.")


class Compiler:
    def __init__(self, backend: SalesforceBackend, include_deleted: bool) -> None:
        self.backend = backend
        self.include_deleted = include_deleted

    # -- names ----------------------------------------------------------------------------------------
    def resolve(self, sobject: SObjectSchema, path: ast.FieldPath) -> FieldSchema:
        if len(path.parts) > 1:
            if path.parts[0].lower() == sobject.name.lower() and len(path.parts) == 2:
                return self.resolve(sobject, ast.FieldPath(path.parts[1:]))
            raise err.MalformedQuery(f"relationship paths such as {path.text} are not supported by this twin yet")
        found = sobject.field(path.parts[0])
        if found is None:
            raise invalid_field(sobject, path.parts[0])
        return found

    # -- literals -------------------------------------------------------------------------------------
    def literal(self, f: FieldSchema, literal: ast.Literal) -> Any:
        if literal.kind == "null":
            return None
        if f.type in BOOLEAN_TYPES:
            if literal.kind != "boolean":
                raise err.InvalidField(f"invalid value for boolean field {f.name}: {literal.value}")
            return int(literal.value)
        if f.type in NUMBER_TYPES or f.type in INTEGER_TYPES:
            if literal.kind != "number":
                raise err.MalformedQuery(f"value of filter criterion for field '{f.name}' must be of type {f.type} "
                                         "and should not be enclosed in quotes")
            return literal.value
        if f.type in {"date", "datetime"}:
            if literal.kind not in {"date", "datetime"}:
                raise err.MalformedQuery(f"value of filter criterion for field '{f.name}' must be of type {f.type} "
                                         "and should not be enclosed in quotes")
            return literal.value
        if literal.kind != "string":
            raise err.MalformedQuery(f"value of filter criterion for field '{f.name}' must be of type string and "
                                     "should be enclosed in quotes")
        if f.type in {"id", "reference"}:
            return to18(literal.value) or literal.value
        return literal.value

    # -- conditions -----------------------------------------------------------------------------------
    def condition(self, sobject: SObjectSchema, node: Any, out: _Sql) -> str:
        if isinstance(node, ast.Logical):
            if node.operator == "not":
                return f"NOT ({self.condition(sobject, node.terms[0], out)})"
            joiner = " AND " if node.operator == "and" else " OR "
            return "(" + joiner.join(self.condition(sobject, t, out) for t in node.terms) + ")"
        if isinstance(node, ast.SemiJoin):
            raise err.MalformedQuery("semi-join sub-selects are not supported by this twin yet")
        assert isinstance(node, ast.Comparison)
        if isinstance(node.operand, ast.Aggregate):
            raise err.MalformedQuery("aggregate functions are only allowed in HAVING")
        f = self.resolve(sobject, node.operand)
        column = f'"{f.name}"'
        text = f.column_type == "TEXT"
        collate = " COLLATE NOCASE" if text and f.type not in {"id", "reference"} else ""
        if node.operator in {"in", "not_in"}:
            values = [self.literal(f, v) for v in node.values]
            out.params.extend(values)
            marks = ", ".join("?" for _ in values)
            negate = "NOT " if node.operator == "not_in" else ""
            return f"{column}{collate} {negate}IN ({marks})"
        if node.operator == "like":
            if not text:
                raise err.MalformedQuery(f"invalid operator on {f.type} field: LIKE")
            out.params.append(node.values[0].value)
            return f"{column} LIKE ? ESCAPE '\\'"
        if node.operator in {"includes", "excludes"}:
            if f.type != "multipicklist":
                raise err.MalformedQuery(f"includes or excludes operator only valid on multipicklist field {f.name}")
            clauses = []
            for value in node.values:
                # Each value may itself be 'a;b', meaning both a AND b are selected.
                parts = [p for p in str(value.value).split(";") if p]
                inner = []
                for part in parts:
                    out.params.append(part)
                    inner.append(f"(';' || {column} || ';') LIKE ('%;' || ? || ';%')")
                clauses.append("(" + " AND ".join(inner) + ")")
            joined = " OR ".join(clauses)
            return f"({joined})" if node.operator == "includes" else f"NOT COALESCE(({joined}), 0)"
        value = self.literal(f, node.values[0])
        if value is None:
            return f"{column} IS NULL" if node.operator == "=" else f"{column} IS NOT NULL"
        out.params.append(value)
        if node.operator == "!=":
            return f"({column}{collate} != ? OR {column} IS NULL)"
        return f"{column}{collate} {node.operator} ?"

    # -- the statement --------------------------------------------------------------------------------
    def run(self, query: ast.Query) -> QueryResult:
        sobject = self.backend.sobject(query.sobject)
        if not sobject.queryable:
            raise err.InvalidTypeInQuery(f"sObject type '{sobject.name}' is not supported.")
        sql = _Sql()
        if not self.include_deleted and sobject.field("IsDeleted") is not None:
            sql.where.append('"IsDeleted" = 0')
        if query.where is not None:
            sql.where.append(self.condition(sobject, query.where, sql))
        where = (" WHERE " + " AND ".join(sql.where)) if sql.where else ""

        if len(query.select) == 1 and isinstance(query.select[0], ast.Aggregate) and query.select[0].function == "count" \
                and query.select[0].argument is None:
            with self.backend.store.lock:
                total = self.backend.store.db.execute(f'SELECT COUNT(*) FROM "{sobject.table}"{where}', sql.params).fetchone()[0]
            return QueryResult([], total, sobject.name)
        fields: list[FieldSchema] = []
        for item in query.select:
            if not isinstance(item, ast.FieldPath):
                raise err.MalformedQuery("aggregates and sub-queries are not supported by this twin yet")
            fields.append(self.resolve(sobject, item))
        order = ""
        if query.order_by:
            terms = []
            for item in query.order_by:
                if not isinstance(item.operand, ast.FieldPath):
                    raise err.MalformedQuery("ORDER BY an aggregate needs GROUP BY")
                f = self.resolve(sobject, item.operand)
                nulls_last = item.nulls_last if item.nulls_last is not None else item.descending
                terms.append(f'"{f.name}" IS NULL {"ASC" if nulls_last else "DESC"}')
                collate = " COLLATE NOCASE" if f.column_type == "TEXT" else ""
                terms.append(f'"{f.name}"{collate} {"DESC" if item.descending else "ASC"}')
            order = " ORDER BY " + ", ".join(terms)
        limit = ""
        if query.limit is not None or query.offset is not None:
            limit = f" LIMIT {query.limit if query.limit is not None else -1}"
            if query.offset is not None:
                limit += f" OFFSET {query.offset}"
        columns = ", ".join(dict.fromkeys(f'"{f.name}"' for f in [*fields]))
        statement = f'SELECT "Id", {columns} FROM "{sobject.table}"{where}{order}{limit}'
        with self.backend.store.lock:
            rows = self.backend.store.db.execute(statement, sql.params).fetchall()
        names = [f.name for f in fields]
        records = [self.backend.record_to_wire(sobject, dict(r), names) for r in rows]
        return QueryResult(records, len(records), sobject.name)
