"""`ast.Query` to one SQLite statement over the org's tables, and rows back to Salesforce records.

Filtering, joins, grouping, ordering and limits all run in SQLite, so indexed fields (Id, Email, external ids,
lookups) are served by an index rather than a scan. Child subqueries run as one extra statement per 500
parents. Aggregate queries live in `aggregates.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import exceptions as err
from .. import values as conv
from ..schema import SObjectSchema
from . import ast
from .aggregates import run_aggregate
from .conditions import ConditionCompiler
from .names import CUSTOM_OBJECT_HINT, CUSTOM_RELATIONSHIP_HINT, Column, JoinNode, Scope, date_function_column
from .parser import SoqlSyntaxError, parse, positioned
from .statement import QueryResult, Statement

if TYPE_CHECKING:
    from ..models import SalesforceBackend

MAX_OFFSET = 2000
CHILD_CHUNK = 500


class Compiler:
    def __init__(self, backend: SalesforceBackend, soql: str, include_deleted: bool = False,
                 user_id: str | None = None, tooling: bool = False) -> None:
        self.backend = backend
        self.soql = soql
        self.include_deleted = include_deleted
        self.user_id = user_id
        self.tooling = tooling
        self._scopes = 0

    # -- objects --------------------------------------------------------------------------------------
    def schema_of(self, name: str) -> SObjectSchema | None:
        if self.tooling:
            return self.backend.tooling.schema.sobject(name)
        found = self.backend.schema.sobject(name)
        if found is None and name.lower() in self.backend.tooling.standard_api_objects:
            return self.backend.tooling.schema.sobject(name)
        return found

    def root(self, query: ast.Query) -> SObjectSchema:
        sobject = self.schema_of(query.sobject)
        if sobject is None or not sobject.queryable:
            raise err.InvalidTypeInQuery(positioned(self.soql, query.from_line, query.from_column,
                                                    f"sObject type '{query.sobject}' is not supported. {CUSTOM_OBJECT_HINT}"))
        access = getattr(self.backend, "access", None)
        if self.user_id and access and not sobject.tooling:
            level = access.object_level(self.user_id, sobject)
            if level == "none":
                raise err.InvalidTypeInQuery(positioned(self.soql, query.from_line, query.from_column,
                                                        f"sObject type '{sobject.name}' is not supported. {CUSTOM_OBJECT_HINT}"))
        return sobject

    def scope(self, sobject: SObjectSchema, prefix: str, from_alias: str | None = None) -> Scope:
        self._scopes += 1
        return Scope(self, sobject, f"{prefix}{self._scopes}", from_alias, self.user_id)

    def base_filters(self, scope: Scope, statement: Statement) -> None:
        if not self.include_deleted and scope.sobject.field("IsDeleted") is not None:
            statement.where.append(f'{scope.alias}."IsDeleted" = 0')
        access = getattr(self.backend, "access", None)
        if self.user_id and access and not scope.sobject.tooling:
            visible, params = access.visible_where(self.user_id, scope.sobject, scope.alias)
            if visible:
                statement.where.append(f"({visible})")
                statement.where_params.extend(params)

    def where(self, query: ast.Query, statement: Statement) -> None:
        if query.where is not None:
            conditions = ConditionCompiler(self, statement.scope, statement.where_params)
            statement.where.append(conditions.compile(query.where))

    @staticmethod
    def limits(query: ast.Query, statement: Statement) -> None:
        if query.offset is not None and query.offset > MAX_OFFSET:
            raise err.SalesforceError(f"Maximum SOQL offset allowed is {MAX_OFFSET}", error_code="NUMBER_OUTSIDE_VALID_RANGE")
        if query.limit is not None or query.offset is not None:
            statement.limit = f" LIMIT {query.limit if query.limit is not None else -1}"
            if query.offset:
                statement.limit += f" OFFSET {query.offset}"

    def order(self, query: ast.Query, statement: Statement, aggregate_sql: Any = None) -> None:
        terms = []
        for item in query.order_by:
            if isinstance(item.operand, ast.Aggregate):
                if aggregate_sql is None:
                    raise err.MalformedQuery("Ordering by an aggregate needs GROUP BY")
                sql, text = aggregate_sql(item.operand)[0], False
            else:
                if isinstance(item.operand, ast.DateFunction):

                    column = date_function_column(statement.scope, item.operand)
                else:
                    column = statement.scope.column(item.operand)
                if column.field.type in {"textarea", "multipicklist"}:
                    raise err.MalformedQuery(f"field '{column.field.name}' can not be sorted in a query call")
                sql, text = column.sql, column.text
            nulls_last = item.nulls_last if item.nulls_last is not None else item.descending
            terms.append(f'{sql} IS NULL {"DESC" if not nulls_last else "ASC"}')
            terms.append(f'{sql}{" COLLATE NOCASE" if text else ""} {"DESC" if item.descending else "ASC"}')
        if terms:
            statement.order = " ORDER BY " + ", ".join(terms)

    # -- select lists ---------------------------------------------------------------------------------
    def expand(self, sobject: SObjectSchema, query: ast.Query) -> list[Any]:
        items: list[Any] = []
        for item in query.select:
            if isinstance(item, ast.FieldsFunction):
                if item.which not in {"ALL", "STANDARD", "CUSTOM"}:
                    raise err.MalformedQuery(positioned(self.soql, item.line, item.column,
                                                        f"unexpected token: '{item.which}'"))
                if item.which in {"ALL", "CUSTOM"} and (query.limit is None or query.limit > 200):
                    raise err.MalformedQuery("The SOQL FIELDS function must have a LIMIT of at most 200")
                access = getattr(self.backend, "access", None)
                for f in sobject.fields.values():
                    custom = f.name.endswith("__c")
                    if (item.which == "CUSTOM" and not custom) or (item.which == "STANDARD" and custom):
                        continue
                    if self.user_id and access and access.field_access(self.user_id, sobject, f.name) == "none":
                        continue
                    items.append(ast.FieldPath((f.name,), item.line, item.column))
            else:
                items.append(item)
        return items

    def run(self, query: ast.Query) -> QueryResult:
        sobject = self.root(query)
        select = self.expand(sobject, query)
        if any(isinstance(i, (ast.Aggregate, ast.DateFunction)) for i in select) or query.group_by:

            return run_aggregate(self, sobject, query, select)
        scope = self.scope(sobject, "t", query.alias)
        statement = Statement(scope)
        self.base_filters(scope, statement)
        self.where(query, statement)
        plan: list[Column] = []
        children: list[tuple[ast.Query, dict[str, str]]] = []
        for item in select:
            if isinstance(item, ast.Query):
                relation = sobject.child(item.sobject)
                if relation is None:
                    raise err.InvalidTypeInQuery(positioned(
                        self.soql, item.from_line, item.from_column,
                        f"Didn't understand relationship '{item.sobject}' in FROM part of query call. "
                        f"{CUSTOM_RELATIONSHIP_HINT}"))
                children.append((item, relation))
            else:
                plan.append(scope.column(item))
        self.order(query, statement)
        self.limits(query, statement)
        nodes = _nodes_used(plan)
        statement.columns = [f'{scope.alias}."Id"', *(n.id_sql for n in nodes), *(c.sql for c in plan)]
        sql, params = statement.sql()
        with self.backend.store.lock:
            rows = self.backend.store.db.execute(sql, params).fetchall()
        records = [self.shape(sobject, row, nodes, plan) for row in rows]
        for child_query, relation in children:
            self.attach_children(sobject, records, [row[0] for row in rows], child_query, relation)
        self._metadata_rule(sobject, plan, len(records))
        return QueryResult(records, len(records), sobject.name)

    def _metadata_rule(self, sobject: SObjectSchema, plan: list[Column], size: int) -> None:
        if size > 1 and any(c.field.type == "complexvalue" or c.field.name == "FullName" for c in plan if c.node is None) \
                and sobject.tooling:
            raise err.MalformedQuery("When retrieving results with Metadata or FullName fields, the query qualificatio"
                                     f"ns must specify no more than one row for retrieval. Result size: {size}")

    # -- rows to records ------------------------------------------------------------------------------
    def shape(self, sobject: SObjectSchema, row: Any, nodes: list[JoinNode], plan: list[Column]) -> dict[str, Any]:
        version = self.backend.api_version
        record: dict[str, Any] = {"attributes": {"type": sobject.name,
                                                 "url": f"/services/data/v{version}/sobjects/{sobject.name}/{row[0]}"}}
        node_ids = {id(n): row[1 + i] for i, n in enumerate(nodes)}
        base = 1 + len(nodes)
        for index, column in enumerate(plan):
            value = conv.to_wire(column.field, row[base + index])
            if column.node is None:
                record[column.field.name] = value
                continue
            chain = []
            node: JoinNode | None = column.node
            while node is not None:
                chain.append(node)
                node = node.parent
            container: dict[str, Any] | None = record
            for node in reversed(chain):
                name = node.names[-1]
                parent_id = node_ids[id(node)]
                if parent_id is None:
                    container.setdefault(name, None)
                    container = None
                    break
                if not isinstance(container.get(name), dict):
                    kind = self.backend.schema.by_prefix(parent_id[:3])
                    type_name = kind.name if kind else node.targets[0][0].name
                    container[name] = {"attributes": {"type": type_name,
                                                      "url": f"/services/data/v{version}/sobjects/{type_name}/{parent_id}"}}
                container = container[name]
            if container is not None:
                container[column.field.name] = value
        return record

    def attach_children(self, parent: SObjectSchema, records: list[dict[str, Any]], parent_ids: list[str],
                        query: ast.Query, relation: dict[str, str]) -> None:
        child = self.schema_of(relation["childSObject"])
        name = relation["relationshipName"]
        if query.where is not None and _has_semi_join(query.where):
            raise err.MalformedQuery("semi join sub-selects are not allowed inside a child relationship query")
        found: dict[str, list[dict[str, Any]]] = {}
        for start in range(0, len(parent_ids), CHILD_CHUNK):
            chunk = parent_ids[start:start + CHILD_CHUNK]
            scope = self.scope(child, "c")
            statement = Statement(scope)
            self.base_filters(scope, statement)
            statement.where.append(f'{scope.alias}."{relation["field"]}" IN ({", ".join("?" * len(chunk))})')
            statement.where_params.extend(chunk)
            self.where(query, statement)
            plan = [scope.column(item) for item in self.expand(child, query)
                    if not isinstance(item, ast.Query) or _raise_nested()]
            self.order(query, statement)
            nodes = _nodes_used(plan)
            statement.columns = [f'{scope.alias}."Id"', *(n.id_sql for n in nodes), *(c.sql for c in plan),
                                 f'{scope.alias}."{relation["field"]}"']
            sql, params = statement.sql()
            with self.backend.store.lock:
                rows = self.backend.store.db.execute(sql, params).fetchall()
            for row in rows:
                found.setdefault(row[-1], []).append(self.shape(child, row, nodes, plan))
        for record, parent_id in zip(records, parent_ids, strict=True):
            rows = found.get(parent_id, [])
            rows = rows[query.offset or 0:]
            if query.limit is not None:
                rows = rows[:query.limit]
            record[name] = {"totalSize": len(rows), "done": True, "records": rows} if rows else None

    # -- semi-joins -----------------------------------------------------------------------------------
    def semi_join_sql(self, inner: ast.Query) -> tuple[str, list[Any]]:
        sobject = self.root(inner)
        scope = self.scope(sobject, "s")
        statement = Statement(scope)
        self.base_filters(scope, statement)
        self.where(inner, statement)
        column = scope.column(inner.select[0])
        if column.field.type not in {"id", "reference"}:
            raise err.MalformedQuery(positioned(self.soql, inner.select[0].line, inner.select[0].column,
                                                "The selected field in a semi join sub-select must be an id field"))
        statement.columns = [column.sql]
        self.limits(inner, statement)
        return statement.sql()


def _raise_nested() -> bool:
    raise err.MalformedQuery("Nesting of child relationship queries is not supported")


def _has_semi_join(node: Any) -> bool:
    if isinstance(node, ast.SemiJoin):
        return True
    if isinstance(node, ast.Logical):
        return any(_has_semi_join(t) for t in node.terms)
    return False


def _nodes_used(plan: list[Column]) -> list[JoinNode]:
    seen: dict[int, JoinNode] = {}
    for column in plan:
        node = column.node
        chain = []
        while node is not None:
            chain.append(node)
            node = node.parent
        for node in reversed(chain):
            seen.setdefault(id(node), node)
    return list(seen.values())


def compile_condition(backend: SalesforceBackend, sobject: SObjectSchema, text: str,
                      alias: str | None) -> tuple[str, list[Any]]:
    """A SOQL WHERE condition over one object as SQL (record visibility, territory rules)."""
    soql = f"SELECT Id FROM {sobject.name} WHERE {text}"

    try:
        query = parse(soql)
    except SoqlSyntaxError as error:
        raise err.MalformedQuery(str(error)) from None
    compiler = Compiler(backend, soql)
    scope = Scope(compiler, sobject, alias)
    params: list[Any] = []
    sql = ConditionCompiler(compiler, scope, params).compile(query.where)
    return sql, params
