"""A validation rule's error condition evaluated against the record HubSpot would create, in three values.

The record is partly known: fields no mapping writes are blank, a field a mapping writes holds a value HubSpot
chooses (unknown, maybe blank), and on insert nothing has changed and there is no prior value. So each expression is
True, False or None (depends on what HubSpot sends). A rule whose condition is True refuses every record HubSpot
creates; False never fires on create; None is left to the behaviour scenarios and named as not evaluated.

Only the formula functions validation rules use on blanks and changes are understood (AND, OR, NOT, IF, ISBLANK,
ISNULL, ISNEW, ISCHANGED, PRIORVALUE, ISPICKVAL, TEXT, LEN, BLANKVALUE, comparisons, && || !); anything else is None,
never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|"
                   r"(?P<name>[A-Za-z_$][\w.$]*)|(?P<op>&&|\|\||<>|!=|==|<=|>=|[=<>!(),&+\-*/]))")

BLANK = object()  # a field HubSpot leaves empty
UNKNOWN = object()  # a value HubSpot chooses (possibly blank)


class FormulaError(ValueError):
    pass


@dataclass(frozen=True)
class Node:
    kind: str  # call | name | literal | op | not
    value: Any
    args: tuple[Node, ...] = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise FormulaError(f"cannot read the formula at {text[pos:pos + 20]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return out


class _Parser:
    PRECEDENCE = [("||",), ("&&",), ("=", "==", "<>", "!=", "<", ">", "<=", ">="), ("&", "+", "-"), ("*", "/")]

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise FormulaError(f"expected {value or 'more'} in the formula")
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.binary(0)
        if self.peek() is not None:
            raise FormulaError(f"unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return node

    def binary(self, level: int) -> Node:
        if level == len(self.PRECEDENCE):
            return self.unary()
        node = self.binary(level + 1)
        while (token := self.peek()) and token[0] == "op" and token[1] in self.PRECEDENCE[level]:
            self.take()
            node = Node("op", token[1], (node, self.binary(level + 1)))
        return node

    def unary(self) -> Node:
        token = self.take()
        kind, value = token
        if kind == "op" and value == "!":
            return Node("not", "!", (self.unary(),))
        if kind == "op" and value == "-":
            return Node("op", "-", (Node("literal", 0), self.unary()))
        if kind == "op" and value == "(":
            node = self.binary(0)
            self.take(")")
            return node
        if kind == "num":
            return Node("literal", float(value))
        if kind == "str":
            return Node("literal", value[1:-1])
        if kind == "name":
            if (nxt := self.peek()) and nxt[1] == "(":
                self.take("(")
                args: list[Node] = []
                if self.peek() and self.peek()[1] != ")":  # type: ignore[index]
                    args.append(self.binary(0))
                    while self.peek() and self.peek()[1] == ",":  # type: ignore[index]
                        self.take(",")
                        args.append(self.binary(0))
                self.take(")")
                return Node("call", value.upper(), tuple(args))
            if value.upper() in ("TRUE", "FALSE"):
                return Node("literal", value.upper() == "TRUE")
            if value.upper() == "NULL":
                return Node("literal", BLANK)
            return Node("name", value)
        raise FormulaError(f"unexpected {value!r}")


def parse(text: str) -> Node:
    return _Parser(text).parse()


def _and(values: list[Any]) -> Any:
    if any(v is False for v in values):
        return False
    return True if all(v is True for v in values) else None


def _or(values: list[Any]) -> Any:
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def on_create(formula: str, written: Callable[[str], bool]) -> bool | None:
    """The rule's error condition on a record HubSpot creates: `written(field)` says whether a mapping writes it."""

    def value(node: Node) -> Any:
        if node.kind == "literal":
            return node.value
        if node.kind == "name":
            field = node.value.split(".")[-1]
            return UNKNOWN if written(field) else BLANK
        if node.kind == "not":
            inner = truth(node.args[0])
            return None if inner is None else not inner
        if node.kind == "op":
            return operator(node)
        return call(node)

    def truth(node: Node) -> bool | None:
        result = value(node)
        return result if isinstance(result, bool) else None

    def blank(node: Node) -> bool | None:
        result = value(node)
        if result is BLANK or result == "":
            return True
        if result is UNKNOWN or result is None:
            return None
        return False

    def operator(node: Node) -> Any:
        op = node.value
        if op == "&&":
            return _and([truth(a) for a in node.args])
        if op == "||":
            return _or([truth(a) for a in node.args])
        left, right = (value(a) for a in node.args)
        if UNKNOWN in (left, right) or left is None or right is None:
            return None
        left = "" if left is BLANK else left
        right = "" if right is BLANK else right
        if op in ("=", "=="):
            return left == right
        if op in ("<>", "!="):
            return left != right
        return None  # arithmetic and ordering on a create: left to the behaviour scenarios

    def call(node: Node) -> Any:
        name, args = node.value, node.args
        if name == "AND":
            return _and([truth(a) for a in args])
        if name == "OR":
            return _or([truth(a) for a in args])
        if name == "NOT" and len(args) == 1:
            inner = truth(args[0])
            return None if inner is None else not inner
        if name in ("ISBLANK", "ISNULL") and len(args) == 1:
            return blank(args[0])
        if name == "ISNEW":
            return True
        if name == "ISCHANGED":
            return False  # not on insert
        if name == "PRIORVALUE":
            return BLANK
        if name == "ISPICKVAL" and len(args) == 2:
            is_blank = blank(args[0])
            target = value(args[1])
            if is_blank is True:
                return target in ("", BLANK)
            return None
        if name in ("TEXT", "BLANKVALUE") and args:
            first = value(args[0])
            if name == "BLANKVALUE" and first is BLANK:
                return value(args[1]) if len(args) > 1 else None
            return first
        if name == "LEN" and len(args) == 1:
            is_blank = blank(args[0])
            return 0.0 if is_blank is True else None
        if name == "IF" and len(args) == 3:
            condition = truth(args[0])
            if condition is None:
                return None
            return value(args[1] if condition else args[2])
        return None

    result = value(parse(formula))
    return result if isinstance(result, bool) else None
