"""SOQL for the twin: a lark grammar (`grammar.lark`), a parser to a small AST, a compiler to SQLite."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import exceptions as err
from .compiler import Compiler, QueryResult, compile_condition
from .parser import SoqlSyntaxError, parse

if TYPE_CHECKING:
    from ..models import SalesforceBackend

__all__ = ["QueryResult", "compile_condition", "run_query"]


def run_query(backend: SalesforceBackend, soql: str, include_deleted: bool = False, user_id: str | None = None,
              tooling: bool = False) -> QueryResult:
    text = soql.strip()
    try:
        query = parse(text)
    except SoqlSyntaxError as error:
        refused = err.MalformedQuery(str(error))
        refused.include_fields = False
        raise refused from None
    try:
        return Compiler(backend, text, include_deleted, user_id, tooling).run(query)
    except err.SalesforceError as error:
        if not error.fields:
            error.include_fields = False  # SOQL errors come back as {message, errorCode} only
        raise
