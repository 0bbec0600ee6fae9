"""WHERE and HAVING to SQL. Values are bound parameters in the order they appear in the statement.

Text comparisons are case-insensitive (COLLATE NOCASE, which the NOCASE indexes serve, so a filter on Email or
an external id is an index lookup, not a scan); `!=` matches blanks too, as in SOQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ... import clock
from .. import exceptions as err
from ..automation.scope import org_today
from ..ids import to18
from ..schema import BOOLEAN_TYPES, INTEGER_TYPES, NUMBER_TYPES
from . import ast
from .dates import literal_range
from .names import Column, Scope, date_function_column

if TYPE_CHECKING:
    from .compiler import Compiler

ID_TYPES = {"id", "reference"}


def _type_error(f_name: str, kind: str, quoted: bool) -> err.SalesforceError:
    label = {"datetime": "dateTime", "double": "double", "currency": "currency", "percent": "percent",
             "int": "integer", "boolean": "boolean", "date": "date"}.get(kind, "string")
    enclosed = "should be enclosed in quotes" if quoted else "should not be enclosed in quotes"
    return err.InvalidField(f"value of filter criterion for field '{f_name}' must be of type {label} and {enclosed}",
                            error_code="INVALID_FIELD")


class ConditionCompiler:
    def __init__(self, compiler: Compiler, scope: Scope, params: list[Any], aggregates: Any = None) -> None:
        self.compiler = compiler
        self.scope = scope
        self.params = params
        self.aggregates = aggregates  # HAVING: a callable mapping an ast.Aggregate to its SQL

    # -- literals -------------------------------------------------------------------------------------
    def _datetime_bound(self, day: date) -> str:
        zone = str(self.compiler.backend.schema.organization.get("timezone", "UTC"))
        local = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone) if zone != "UTC" else UTC)
        return clock.sf_datetime(int(local.timestamp() * 1000))

    def literal(self, column: Column, literal: ast.Literal) -> Any:
        f = column.field
        kind = f.type
        if literal.kind == "null":
            return None
        if kind in BOOLEAN_TYPES:
            if literal.kind != "boolean":
                raise _type_error(f.name, kind, False)
            return int(literal.value)
        if kind in NUMBER_TYPES or kind in INTEGER_TYPES:
            if literal.kind != "number":
                raise _type_error(f.name, kind, False)
            return literal.value
        if kind == "date":
            if literal.kind != "date":
                raise _type_error(f.name, kind, False)
            return literal.value
        if kind == "datetime":
            if literal.kind != "datetime":
                raise _type_error(f.name, kind, False)
            return clock.sf_datetime(clock.parse_sf_datetime(literal.value))
        if literal.kind != "string":
            raise _type_error(f.name, kind, True)
        if kind in ID_TYPES:
            full = to18(literal.value)
            if full is None:
                raise err.SalesforceError(f"invalid ID field: {literal.value}", error_code="INVALID_QUERY_FILTER_OPERATOR")
            return full
        return literal.value

    # -- conditions -----------------------------------------------------------------------------------
    def compile(self, node: Any) -> str:
        if isinstance(node, ast.Logical):
            if node.operator == "not":
                return f"NOT ({self.compile(node.terms[0])})"
            joiner = " AND " if node.operator == "and" else " OR "
            return "(" + joiner.join(self.compile(t) for t in node.terms) + ")"
        if isinstance(node, ast.SemiJoin):
            return self._semi_join(node)
        if isinstance(node.operand, ast.Aggregate):
            if self.aggregates is None:
                raise err.MalformedQuery("Aggregate functions are not allowed in the WHERE clause; use HAVING")
            return self._aggregate_comparison(node)
        if isinstance(node.operand, ast.DateFunction):

            column = date_function_column(self.scope, node.operand)
        else:
            column = self.scope.column(node.operand)
        if any(v.kind == "date_literal" for v in node.values):
            return self._date_literal(column, node)
        return self._comparison(column, node)

    def _comparison(self, column: Column, node: ast.Comparison) -> str:
        sql, nocase, kind = column.sql, column.nocase, column.field.type
        if node.operator in {"in", "not_in"}:
            values = [self.literal(column, v) for v in node.values]
            present = [v for v in values if v is not None]
            self.params.extend(present)
            marks = ", ".join("?" for _ in present)
            if node.operator == "in":
                clause = f"{sql}{nocase} IN ({marks})" if present else "0"
                return f"({clause} OR {sql} IS NULL)" if None in values else clause
            clause = f"({sql}{nocase} NOT IN ({marks}) OR {sql} IS NULL)" if present else "1"
            return f"({clause} AND {sql} IS NOT NULL)" if None in values else clause
        if node.operator == "like":
            if not column.text:
                raise err.SalesforceError(f"invalid operator on field {column.field.name}: LIKE",
                                          error_code="INVALID_QUERY_FILTER_OPERATOR")
            if node.values[0].kind != "string":
                raise _type_error(column.field.name, "string", True)
            self.params.append(node.values[0].value)
            return f"{sql} LIKE ? ESCAPE '\\'"
        if node.operator in {"includes", "excludes"}:
            if kind != "multipicklist":
                raise err.SalesforceError(f"includes or excludes operator only valid on multipicklist field "
                                          f"{column.field.name}", error_code="INVALID_QUERY_FILTER_OPERATOR")
            clauses = []
            for value in node.values:
                inner = []  # 'a;b' means both a AND b are selected
                for part in [p for p in str(value.value).split(";") if p]:
                    self.params.append(part)
                    inner.append(f"(';' || {sql} || ';') LIKE ('%;' || ? || ';%')")
                clauses.append("(" + " AND ".join(inner) + ")")
            joined = " OR ".join(clauses)
            return f"COALESCE(({joined}), 0)" if node.operator == "includes" else f"NOT COALESCE(({joined}), 0)"
        value = self.literal(column, node.values[0])
        if value is None:
            if node.operator not in {"=", "!="}:
                return "0"
            return f"{sql} IS NULL" if node.operator == "=" else f"{sql} IS NOT NULL"
        self.params.append(value)
        if node.operator == "!=":
            return f"({sql}{nocase} != ? OR {sql} IS NULL)"
        if column.field.type in {"picklist", "multipicklist"} and node.operator in {"<", "<=", ">", ">="}:
            raise err.SalesforceError(f"invalid operator on picklist field {column.field.name}: {node.operator}",
                                      error_code="INVALID_QUERY_FILTER_OPERATOR")
        return f"{sql}{nocase} {node.operator} ?"

    def _date_literal(self, column: Column, node: ast.Comparison) -> str:
        kind = column.field.type
        if kind not in {"date", "datetime"}:
            raise _type_error(column.field.name, kind, True)
        organization = self.compiler.backend.schema.organization
        fiscal = int(organization.get("fiscal_year_start_month", 1))

        today = org_today(self.compiler.backend)

        def bounds(literal: ast.Literal) -> tuple[str, str]:
            if literal.kind != "date_literal":
                raise _type_error(column.field.name, kind, False)
            start, end = literal_range(literal.value[0], literal.value[1], today, fiscal)
            if kind == "date":
                return start.isoformat(), end.isoformat()
            return self._datetime_bound(start), self._datetime_bound(end)

        sql = column.sql
        if node.operator in {"in", "not_in"}:
            parts = []
            for literal in node.values:
                start, end = bounds(literal)
                self.params.extend([start, end])
                parts.append(f"({sql} >= ? AND {sql} < ?)")
            joined = "(" + " OR ".join(parts) + ")"
            return joined if node.operator == "in" else f"NOT COALESCE({joined}, 0)"
        start, end = bounds(node.values[0])
        op = node.operator
        if op == "=":
            self.params.extend([start, end])
            return f"({sql} >= ? AND {sql} < ?)"
        if op == "!=":
            self.params.extend([start, end])
            return f"NOT COALESCE(({sql} >= ? AND {sql} < ?), 0)"
        bound = {"<": start, ">=": start, ">": end, "<=": end}[op]
        self.params.append(bound)
        return f"{sql} {'<' if op in {'<', '<='} else '>='} ?"

    def _semi_join(self, node: ast.SemiJoin) -> str:
        column = self.scope.column(node.operand)
        if column.field.type not in ID_TYPES:
            raise err.MalformedQuery(f"semi join sub-selects are only allowed on id fields, not {column.field.name}")
        inner = node.query
        if len(inner.select) != 1 or not isinstance(inner.select[0], ast.FieldPath):
            raise err.MalformedQuery("The inner select field of a semi join must be a single id field")
        sql, params = self.compiler.semi_join_sql(inner)
        self.params.extend(params)
        negate = "NOT " if node.negated else ""
        if node.negated:
            return f"({column.sql} IS NULL OR {column.sql} {negate}IN ({sql}))"
        return f"{column.sql} IN ({sql})"

    def _aggregate_comparison(self, node: ast.Comparison) -> str:
        sql, kind = self.aggregates(node.operand)
        literal = node.values[0]
        if literal.kind == "null":
            return f"{sql} IS NULL" if node.operator == "=" else f"{sql} IS NOT NULL"
        if node.operator in {"in", "not_in"}:
            self.params.extend(v.value for v in node.values)
            marks = ", ".join("?" for _ in node.values)
            return f"{sql} {'NOT ' if node.operator == 'not_in' else ''}IN ({marks})"
        self.params.append(literal.value)
        return f"{sql} {node.operator} ?"
