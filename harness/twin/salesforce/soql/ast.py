"""The parsed shape of a SOQL query: plain data, produced by `parser.py`, consumed by `compiler.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldPath:
    parts: tuple[str, ...]
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)

    @property
    def text(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True)
class Aggregate:
    function: str  # lower-case: count, count_distinct, sum, min, max, avg
    argument: FieldPath | None
    alias: str | None = None
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)


@dataclass(frozen=True)
class DateFunction:
    """CALENDAR_YEAR(CreatedDate) and friends: in SELECT and GROUP BY of aggregate queries, and in WHERE."""

    function: str  # lower-case
    argument: FieldPath
    alias: str | None = None
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)

    @property
    def text(self) -> str:
        return f"{self.function.upper()}({self.argument.text})"


@dataclass(frozen=True)
class Literal:
    kind: str  # string, number, null, boolean, date, datetime, date_literal
    value: Any


@dataclass(frozen=True)
class Comparison:
    operand: FieldPath | Aggregate
    operator: str  # = != < <= > >= like in not_in includes excludes
    values: tuple[Literal, ...]


@dataclass(frozen=True)
class SemiJoin:
    operand: FieldPath
    query: Query
    negated: bool


@dataclass(frozen=True)
class Logical:
    operator: str  # and, or, not
    terms: tuple[Any, ...]


@dataclass(frozen=True)
class OrderItem:
    operand: FieldPath | Aggregate
    descending: bool = False
    nulls_last: bool | None = None


@dataclass(frozen=True)
class FieldsFunction:
    """FIELDS(ALL | STANDARD | CUSTOM) in a select list."""

    which: str
    line: int = field(default=1, compare=False)
    column: int = field(default=1, compare=False)


@dataclass
class Query:
    select: list[Any]  # FieldPath | Aggregate | FieldsFunction | Query (child subquery)
    sobject: str
    alias: str | None = None
    from_line: int = 1
    from_column: int = 1
    where: Any = None
    group_by: list[FieldPath] = field(default_factory=list)
    having: Any = None
    order_by: list[OrderItem] = field(default_factory=list)
    limit: int | None = None
    offset: int | None = None
