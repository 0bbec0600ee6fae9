"""Aggregate SOQL: COUNT(), COUNT(f), COUNT_DISTINCT, SUM, AVG, MIN, MAX with GROUP BY, HAVING and aliases.

Results are `AggregateResult` records; unaliased aggregates are named expr0, expr1... in select order, grouped
fields by their own name (`Account.Name` comes back as `Name`). `COUNT()` alone answers with totalSize only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import exceptions as err
from .. import values as conv
from ..schema import INTEGER_TYPES, NUMBER_TYPES, SObjectSchema
from . import ast
from .conditions import ConditionCompiler
from .names import date_function_column
from .parser import positioned
from .statement import QueryResult, Statement

if TYPE_CHECKING:
    from .compiler import Compiler

NUMERIC = NUMBER_TYPES | INTEGER_TYPES


def run_aggregate(compiler: Compiler, sobject: SObjectSchema, query: ast.Query, select: list[Any]) -> QueryResult:
    scope = compiler.scope(sobject, "t", query.alias)
    statement = Statement(scope)
    compiler.base_filters(scope, statement)
    compiler.where(query, statement)

    if any(isinstance(i, ast.Query) for i in select):
        raise err.MalformedQuery("Aggregate queries do not support child relationship sub-queries")
    count_only = [i for i in select if isinstance(i, ast.Aggregate) and i.function == "count" and i.argument is None]
    if count_only and not query.group_by:
        if len(select) > 1:
            raise err.MalformedQuery("COUNT() cannot be combined with other fields or aggregates")
        statement.columns = ["COUNT(*)"]
        sql, params = statement.sql()
        with compiler.backend.store.lock:
            total = compiler.backend.store.db.execute(sql, params).fetchone()[0]
        if query.offset:
            total = max(0, total - query.offset)
        if query.limit is not None:
            total = min(total, query.limit)
        return QueryResult([], total, sobject.name, aggregate=False)

    def resolve(item: ast.FieldPath | ast.DateFunction) -> Any:
        return date_function_column(scope, item) if isinstance(item, ast.DateFunction) else scope.column(item)

    groups = [resolve(path) for path in query.group_by]
    group_sql = {c.sql for c in groups}

    def aggregate_sql(item: ast.Aggregate) -> tuple[str, Any]:
        if item.argument is None:
            if item.function != "count":
                raise err.MalformedQuery(f"{item.function.upper()}() needs a field")
            return "COUNT(*)", None
        column = scope.column(item.argument)
        kind = column.field.type
        if item.function in {"sum", "avg"} and kind not in NUMERIC:
            raise err.MalformedQuery(positioned(compiler.soql, item.line, item.column,
                                                f"field {column.field.name} does not support aggregate operator "
                                                f"{item.function.upper()}"))
        if item.function == "count":
            return f"COUNT({column.sql})", None
        if item.function == "count_distinct":
            return f"COUNT(DISTINCT {column.sql}{column.nocase})", None
        return f"{item.function.upper()}({column.sql})", column.field

    columns: list[str] = []
    shapes: list[tuple[str, str, Any]] = []  # (output key, kind, field)
    unnamed = 0
    for item in select:
        if isinstance(item, ast.Aggregate):
            sql, f = aggregate_sql(item)
            if item.alias:
                key = item.alias
            else:
                key = f"expr{unnamed}"
                unnamed += 1
            columns.append(sql)
            shapes.append((key, item.function, f))
            continue
        column = resolve(item)
        if column.sql not in group_sql:
            name = item.text if isinstance(item, ast.DateFunction) else column.field.name
            raise err.MalformedQuery(positioned(compiler.soql, item.line, item.column,
                                                f"Field must be grouped or aggregated: {name}"))
        columns.append(column.sql)
        if isinstance(item, ast.DateFunction):
            key = item.alias or f"expr{unnamed}"
            unnamed += 0 if item.alias else 1
            shapes.append((key, "group", column.field))
        else:
            shapes.append((column.field.name, "group", column.field))
    if groups:
        statement.group = " GROUP BY " + ", ".join(f"{c.sql}{c.nocase}" for c in groups)
    if query.having is not None:
        having = ConditionCompiler(compiler, scope, statement.having_params, aggregates=aggregate_sql)
        statement.having = " HAVING " + having.compile(query.having)
    for item in query.order_by:
        if isinstance(item.operand, (ast.FieldPath, ast.DateFunction)) and resolve(item.operand).sql not in group_sql:
            raise err.MalformedQuery(f"Ordered field must be grouped or aggregated: {item.operand.text}")
    compiler.order(query, statement, aggregate_sql)
    compiler.limits(query, statement)
    statement.columns = columns
    sql, params = statement.sql()
    with compiler.backend.store.lock:
        rows = compiler.backend.store.db.execute(sql, params).fetchall()
    records = []
    for row in rows:
        record: dict[str, Any] = {"attributes": {"type": "AggregateResult"}}
        for index, (key, kind, f) in enumerate(shapes):
            value = row[index]
            if kind in {"count", "count_distinct"}:
                record[key] = int(value or 0)
            elif kind in {"sum", "avg"}:
                record[key] = None if value is None else float(value)
            else:
                record[key] = conv.to_wire(f, value) if f is not None else value
        records.append(record)
    return QueryResult(records, len(records), sobject.name, aggregate=True)
