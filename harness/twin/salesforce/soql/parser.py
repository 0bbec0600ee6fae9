"""SOQL text to `ast.Query`, with lark (LALR, so parsing costs microseconds and results can be cached)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from . import ast

_GRAMMAR = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
_PARSER = Lark(_GRAMMAR, parser="lalr", maybe_placeholders=False)


class SoqlSyntaxError(ValueError):
    """Carries Salesforce's wording for a malformed query."""


def _unquote(text: str) -> str:
    body = text[1:-1]
    out, i = [], 0
    escapes = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\",
               "_": "\\_", "%": "\\%"}
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


@v_args(inline=True)
class _ToAst(Transformer):
    def start(self, query):
        return query

    def query(self, *items):
        items = [i for i in items if not (isinstance(i, Token) and i.type in {"SELECT", "FROM"})]
        select, sobject, *clauses = items
        made = ast.Query(select=select, sobject=str(sobject), from_line=sobject.line, from_column=sobject.column)
        if clauses and isinstance(clauses[0], Token):
            made.alias = str(clauses.pop(0))
        for clause in clauses:
            kind, value = clause
            setattr(made, kind, value)
        return made

    def select_list(self, *items):
        return list(items)

    def subquery(self, query):
        return query

    def aggregate(self, function, *rest):
        argument = next((r for r in rest if isinstance(r, ast.FieldPath)), None)
        alias = next((str(r) for r in rest if isinstance(r, Token)), None)
        return ast.Aggregate(str(function).lower(), argument, alias, function.line, function.column)

    def date_fn(self, function, argument, *alias):
        return ast.DateFunction(str(function).lower(), argument, str(alias[0]) if alias else None, function.line,
                                function.column)

    def fields_fn(self, keyword, which):
        return ast.FieldsFunction(str(which).upper(), keyword.line, keyword.column)

    def field_path(self, *names):
        return ast.FieldPath(tuple(str(n) for n in names), names[0].line, names[0].column)

    def where(self, _kw, condition):
        return ("where", condition)

    def having(self, _kw, condition):
        return ("having", condition)

    def or_(self, left, _kw, right):
        return ast.Logical("or", (left, right))

    def and_(self, left, _kw, right):
        return ast.Logical("and", (left, right))

    def not_(self, _kw, term):
        return ast.Logical("not", (term,))

    def compare(self, operand, comparator, value):
        operator = "!=" if str(comparator) == "<>" else str(comparator)
        return ast.Comparison(operand, operator, (value,))

    def like(self, operand, _kw, value):
        return ast.Comparison(operand, "like", (value,))

    def in_(self, operand, _kw, values):
        return ast.Comparison(operand, "in", tuple(values))

    def not_in(self, operand, _not, _in, values):
        return ast.Comparison(operand, "not_in", tuple(values))

    def semi_join(self, operand, _kw, query):
        return ast.SemiJoin(operand, query, negated=False)

    def anti_join(self, operand, _not, _in, query):
        return ast.SemiJoin(operand, query, negated=True)

    def includes(self, operand, _kw, values):
        return ast.Comparison(operand, "includes", tuple(values))

    def excludes(self, operand, _kw, values):
        return ast.Comparison(operand, "excludes", tuple(values))

    def value_list(self, *values):
        return list(values)

    def string(self, token):
        return ast.Literal("string", _unquote(str(token)))

    def number(self, token):
        text = str(token)
        return ast.Literal("number", float(text) if any(c in text for c in ".eE") else int(text))

    def null(self, _token):
        return ast.Literal("null", None)

    def true(self, _token):
        return ast.Literal("boolean", True)

    def false(self, _token):
        return ast.Literal("boolean", False)

    def date(self, token):
        return ast.Literal("date", str(token))

    def datetime(self, token):
        return ast.Literal("datetime", str(token))

    def date_literal(self, token):
        return ast.Literal("date_literal", (str(token).upper(), None))

    def date_literal_n(self, token):
        name, number = str(token).split(":")
        return ast.Literal("date_literal", (name.upper(), int(number)))

    def group_by(self, _group, _by, *paths):
        return ("group_by", list(paths))

    def order_by(self, _order, _by, *items):
        return ("order_by", list(items))

    def order_item(self, operand, *modifiers):
        descending, nulls_last = False, None
        for modifier in modifiers:
            text = str(modifier).lower()
            if modifier.type == "DIRECTION":
                descending = text == "desc"
            else:
                nulls_last = text.endswith("last")
        return ast.OrderItem(operand, descending, nulls_last)

    def limit(self, _kw, number):
        return ("limit", int(number))

    def offset(self, _kw, number):
        return ("offset", int(number))


_TO_AST = _ToAst()


def positioned(soql: str, line: int, column: int, message: str) -> str:
    """Salesforce's error layout: the query line, a caret under the column, the position, the message."""
    lines = soql.splitlines() or [""]
    text = lines[min(max(line, 1), len(lines)) - 1]
    return f"\n{text}\n{' ' * max(column - 1, 0)}^\nERROR at Row:{line}:Column:{column}\n{message}"


@lru_cache(maxsize=512)
def parse(soql: str) -> ast.Query:
    """Parse, or raise SoqlSyntaxError with the token Salesforce would complain about, where it stands."""
    try:
        return _TO_AST.transform(_PARSER.parse(soql))
    except UnexpectedToken as error:
        token = error.token
        if token.type == "$END":
            raise SoqlSyntaxError(positioned(soql, error.line if error.line > 0 else 1, max(error.column, 1),
                                             "unexpected token: <EOF>")) from None
        raise SoqlSyntaxError(positioned(soql, token.line, token.column, f"unexpected token: '{token}'")) from None
    except UnexpectedCharacters as error:

        word = re.match(r"\w+|\S", soql[error.pos_in_stream:])
        text = word.group(0) if word else soql[error.pos_in_stream:error.pos_in_stream + 1]
        raise SoqlSyntaxError(positioned(soql, error.line, error.column, f"unexpected token: '{text}'")) from None
    except UnexpectedEOF:
        raise SoqlSyntaxError("unexpected token: <EOF>") from None
    except LarkError as error:
        raise SoqlSyntaxError(str(error).splitlines()[0]) from None
