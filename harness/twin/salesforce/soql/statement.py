"""What a compiled query is before it runs (one SQLite statement) and what it gives back, shared by the plain and
the aggregate compilers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .names import Scope


@dataclass
class QueryResult:
    records: list[dict[str, Any]]
    total_size: int
    sobject: str
    aggregate: bool = False


@dataclass
class Statement:
    scope: Scope
    columns: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    where_params: list[Any] = field(default_factory=list)
    group: str = ""
    having: str = ""
    having_params: list[Any] = field(default_factory=list)
    order: str = ""
    limit: str = ""

    def sql(self) -> tuple[str, list[Any]]:
        scope = self.scope
        text = f'SELECT {", ".join(self.columns)} FROM "{scope.sobject.table}" {scope.alias}'
        if scope.joins:
            text += " " + " ".join(scope.joins)
        if self.where:
            text += " WHERE " + " AND ".join(self.where)
        text += self.group + self.having + self.order + self.limit
        return text, [*scope.join_params, *self.where_params, *self.having_params]
