"""SOSL, the basic form: `FIND {terms} [IN ALL|NAME|EMAIL|PHONE FIELDS] [RETURNING Object[(fields [WHERE …]
[ORDER BY …] [LIMIT n])], …] [LIMIT n]` over the org's text fields.

Each RETURNING object is read through the SOQL engine (so record visibility and field-level security apply as
for a query), then kept when its searchable fields match the terms: whole words, case-insensitive, `*` for any
run of characters and `?` for one, several terms all required unless joined by OR, "quoted phrases" as one
term. What the twin does not model (WITH clauses, SNIPPET, toLabel, USING, UPDATE TRACKING…) is refused with
MALFORMED_SEARCH naming it rather than answered loosely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import exceptions as err

if TYPE_CHECKING:
    from .models import SalesforceBackend
    from .schema import SObjectSchema

SCOPES = {"ALL": {"string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "combobox"},
          "NAME": {"string"}, "EMAIL": {"email"}, "PHONE": {"phone"}}
NAME_FIELDS = {"Name", "FirstName", "LastName", "Company", "Title", "Subject"}
MAX_ROWS = 2000
_FIND = re.compile(r"^\s*FIND\s*(\{(?P<braced>(?:\\.|[^}])*)\}|'(?P<quoted>(?:\\.|[^'])*)')\s*(?P<rest>.*)$",
                   re.IGNORECASE | re.DOTALL)
_UNSUPPORTED = re.compile(r"\b(WITH|UPDATE\s+(TRACKING|VIEWSTAT)|USING|SNIPPET|toLabel|convertCurrency|FORMAT|"
                          r"OFFSET)\b", re.IGNORECASE)


class MalformedSearch(err.SalesforceError):
    error_code = "MALFORMED_SEARCH"
    include_fields = False


@dataclass
class Returning:
    name: str
    fields: list[str] = field(default_factory=list)
    where: str = ""
    order_by: str = ""
    limit: int | None = None


@dataclass
class Search:
    terms: list[list[str]]  # OR of AND-groups of terms
    scope: str = "ALL"
    returning: list[Returning] = field(default_factory=list)
    limit: int = MAX_ROWS


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts]


def _terms(text: str) -> list[list[str]]:
    tokens = re.findall(r'"[^"]*"|\S+', text.replace("\\", ""))
    groups: list[list[str]] = [[]]
    for token in tokens:
        upper = token.upper()
        if upper == "OR":
            groups.append([])
        elif upper in {"AND", "AND NOT", "NOT"}:
            if upper != "AND":
                raise MalformedSearch("The twin's SOSL does not model NOT in search terms")
        else:
            groups[-1].append(token.strip('"'))
    groups = [g for g in groups if g]
    if not groups or any(len(t.replace("*", "").replace("?", "")) < 2 for g in groups for t in g):
        raise MalformedSearch("search term must be longer than one character")
    return groups


def _returning_item(text: str) -> Returning:
    match = re.match(r"^(\w+)\s*(?:\((.*)\))?$", text, re.DOTALL)
    if not match:
        raise MalformedSearch(f"unexpected token in RETURNING: {text}")
    item = Returning(match.group(1))
    inner = (match.group(2) or "").strip()
    if not inner:
        return item
    clause = re.search(r"\b(WHERE|ORDER\s+BY|LIMIT)\b", inner, re.IGNORECASE)
    field_list, rest = (inner[:clause.start()], inner[clause.start():]) if clause else (inner, "")
    item.fields = [f.strip() for f in field_list.split(",") if f.strip()]
    limit = re.search(r"\bLIMIT\s+(\d+)\s*$", rest, re.IGNORECASE)
    if limit:
        item.limit = int(limit.group(1))
        rest = rest[:limit.start()]
    order = re.search(r"\bORDER\s+BY\s+(.*)$", rest, re.IGNORECASE | re.DOTALL)
    if order:
        item.order_by = order.group(1).strip()
        rest = rest[:order.start()]
    where = re.match(r"^\s*WHERE\s+(.*)$", rest, re.IGNORECASE | re.DOTALL)
    item.where = where.group(1).strip() if where else ""
    return item


def parse(sosl: str) -> Search:
    match = _FIND.match(sosl or "")
    if not match:
        raise MalformedSearch("No search term found. The search term must be enclosed in braces.")
    terms = _terms(match.group("braced") if match.group("braced") is not None else match.group("quoted"))
    rest = match.group("rest").strip()
    unsupported = _UNSUPPORTED.search(rest)
    if unsupported:
        raise MalformedSearch(f"The twin's SOSL does not model {unsupported.group(0).upper()}")
    search = Search(terms)
    scope = re.match(r"^IN\s+(ALL|NAME|EMAIL|PHONE|SIDEBAR)\s+FIELDS\b", rest, re.IGNORECASE)
    if scope:
        search.scope = scope.group(1).upper()
        if search.scope == "SIDEBAR":
            raise MalformedSearch("The twin's SOSL does not model IN SIDEBAR FIELDS")
        rest = rest[scope.end():].strip()
    limit = re.search(r"\bLIMIT\s+(\d+)\s*$", rest, re.IGNORECASE)
    if limit and not rest[:limit.start()].rstrip().endswith("("):
        depth = rest[:limit.start()].count("(") - rest[:limit.start()].count(")")
        if depth == 0:
            search.limit = min(int(limit.group(1)), MAX_ROWS)
            rest = rest[:limit.start()].strip()
    if rest:
        returning = re.match(r"^RETURNING\s+(.*)$", rest, re.IGNORECASE | re.DOTALL)
        if not returning:
            raise MalformedSearch(f"unexpected token: '{rest.split()[0]}'")
        search.returning = [_returning_item(p) for p in _split_top(returning.group(1))]
    return search


def _pattern(term: str) -> re.Pattern[str]:
    body = "".join(r"\S*" if c == "*" else r"\S" if c == "?" else re.escape(c) for c in term)
    return re.compile(rf"(?<![\w@.]){body}(?![\w])", re.IGNORECASE)


def _searchable(sobject: SObjectSchema, scope: str) -> list[str]:
    kinds = SCOPES[scope]
    names = [f.name for f in sobject.fields.values() if f.type in kinds and f.type not in {"id", "reference"}]
    return [n for n in names if n in NAME_FIELDS] if scope == "NAME" else names


def run_search(backend: SalesforceBackend, sosl: str, user_id: str) -> list[dict[str, Any]]:
    search = parse(sosl)
    targets = search.returning or [Returning(s.name) for s in backend.schema.objects.values()
                                   if s.queryable and not s.tooling and backend.access.object_level(user_id, s) != "none"]
    patterns = [[_pattern(t) for t in group] for group in search.terms]
    out: list[dict[str, Any]] = []
    for target in targets:
        sobject = backend.sobject(target.name)
        searchable = [n for n in _searchable(sobject, search.scope)
                      if backend.access.field_access(user_id, sobject, n) != "none"]
        if not searchable:
            continue
        wanted = target.fields or ["Id"]
        soql = f"SELECT {', '.join(dict.fromkeys(['Id', *wanted, *searchable]))} FROM {sobject.name}"
        if target.where:
            soql += f" WHERE {target.where}"
        if target.order_by:
            soql += f" ORDER BY {target.order_by}"
        result = backend.query(soql, user_id=user_id)
        keep = {w.split(".")[0].lower() for w in wanted}
        kept = 0
        for record in result.records:
            text = [str(record.get(n)) for n in searchable if record.get(n) not in (None, "")]
            if not any(all(any(p.search(v) for v in text) for p in group) for group in patterns):
                continue
            out.append({"attributes": record["attributes"], **{k: v for k, v in record.items() if k.lower() in keep}})
            kept += 1
            if (target.limit is not None and kept >= target.limit) or len(out) >= search.limit:
                break
        if len(out) >= search.limit:
            break
    return out
