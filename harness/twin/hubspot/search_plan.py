"""Running one CRM search over the index: the matching ids, their total, one page of them in order.

Each filter becomes a *term*, a condition on the index rows of one property, and yields the set of record ids
it matches. A group intersects its positive terms (most selective first; once the running set is small, the next
term is only checked against those ids) and subtracts its negative ones; groups are united. The matching set is
kept between the pages of one query while the index is unchanged, so paging through a result costs one
evaluation. A page sorted by a property walks that property's rows in index order and stops once the page is
full; with few matches it looks up their values instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .criteria import NUMERIC_TYPES, Filter, to_number

if TYPE_CHECKING:
    from .search import SearchIndex

SMALL = 2000  # a running set this small checks the next term by id instead of fetching the term's whole set
# Order terms are applied in: equality and IN select least, a token scan or "has a value" the most.
_RANK = {"EQ": 0, "IN": 1, "BETWEEN": 2, "LT": 2, "LTE": 2, "GT": 2, "GTE": 2, "PREFIX": 3, "CONTAINS_TOKEN": 4,
         "HAS_PROPERTY": 5}
_NEGATIVE = {"NEQ": "EQ", "NOT_IN": "IN", "NOT_HAS_PROPERTY": "HAS_PROPERTY", "NOT_CONTAINS_TOKEN": "CONTAINS_TOKEN"}
QUERY_PROPERTIES = {
    "contacts": ("firstname", "lastname", "email", "phone", "company", "hs_additional_emails"),
    "companies": ("name", "domain", "website", "phone"),
    "deals": ("dealname",),
    "tickets": ("subject", "content"),
}
TOKEN_SUFFIX = "#token"  # index rows of the separate tokens of multi-word values: key (object type, name + suffix)


def like(pattern: str, anchored: bool = False) -> str:
    escaped = pattern.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return escaped if anchored else "%" + escaped + "%"


@dataclass
class Term:
    keys: list[int]
    operator: str                       # the positive operator (see _RANK)
    negative: bool = False
    condition: str = ""                 # on column `value`, '' for "has a value"
    params: list[Any] = field(default_factory=list)

    def where(self, alias: str = "") -> str:
        a = f"{alias}." if alias else ""
        keys = f"{a}key = {self.keys[0]}" if len(self.keys) == 1 else f"{a}key IN ({', '.join(map(str, self.keys))})"
        return keys + (" AND " + self.condition.replace("value", f"{a}value") if self.condition else "")


def _sort_key(value: Any) -> tuple[int, Any]:
    """SQLite's order within one property: numbers, then text (NOCASE)."""
    return (0, value) if isinstance(value, int | float) else (1, str(value).lower())


class SearchPlan:
    def __init__(self, index: SearchIndex, object_type: str, now: int, groups: list[list[Filter]], query: str) -> None:
        self.index = index
        self.db = index.store.db
        self.object_type = object_type
        self.now = now
        # Once nothing written is still inside the lag window, every row present is visible: no per-row check.
        self.settled = now >= index.settled_at and not index.pending_hidden()
        self.universe = Term([index.key(object_type, "hs_object_id")], "HAS_PROPERTY")
        words = [self._prefix(w) for w in query.split()] if query.strip() else []
        self.groups: list[list[Term]] = [[self._term(f) for f in g] + words for g in groups if g] or ([words] if words else [])
        self._matched: list[int] | None = None
        # One positive filter (the common case): answered in SQL alone, no id sets built in Python.
        self.single = self.groups[0][0] if len(self.groups) == 1 and len(self.groups[0]) == 1 \
            and not self.groups[0][0].negative else None

    # -- terms ----------------------------------------------------------------------------------------
    def visible(self, alias: str = "") -> str:
        if self.settled:
            return "1"
        a = f"{alias}." if alias else ""
        return f"{a}visible_ms <= {self.now} AND ({a}hidden_ms IS NULL OR {a}hidden_ms > {self.now})"

    def _term(self, f: Filter) -> Term:
        definition = self.index.backend.portal.property(self.object_type, f.property)
        if definition is None:
            raise err.HubSpotError(f"There was a problem with the request: Property {f.property} does not exist on "
                                   f"{self.object_type}", category="VALIDATION_ERROR")
        kind = definition.type
        op = _NEGATIVE.get(f.operator, f.operator)

        def typed(value: str | None) -> Any:
            if kind in NUMERIC_TYPES:
                number = to_number(value, kind)
                if number is None:
                    raise err.HubSpotError(f"There was a problem with the request: {value!r} is not a valid value for "
                                           f"{f.property} ({kind})", category="VALIDATION_ERROR")
                return int(number) if number.is_integer() else number
            return "" if value is None else value

        term = Term([self.index.key(self.object_type, f.property)], op, op != f.operator)
        if op == "EQ":
            term.condition, term.params = "value = ?", [typed(f.value)]
        elif op == "IN":
            term.condition, term.params = "value IN (" + ", ".join("?" for _ in f.values) + ")", [typed(v) for v in f.values]
        elif op == "CONTAINS_TOKEN":
            # A one-word value is its own token; multi-word values also have one index row per token.
            term.keys.append(self.index.key(self.object_type, f.property + TOKEN_SUFFIX))
            term.condition, term.params = "value LIKE ? ESCAPE '\\'", [like(f.value or "", anchored=True)]
        elif op == "BETWEEN":
            term.condition, term.params = "value BETWEEN ? AND ?", [typed(f.value), typed(f.high_value)]
        elif op in ("LT", "LTE", "GT", "GTE"):
            term.condition = "value " + {"LT": "<", "LTE": "<=", "GT": ">", "GTE": ">="}[op] + " ?"
            term.params = [typed(f.value)]
        return term

    def _prefix(self, word: str) -> Term:
        """A free-text `query` word: it must begin one of the object's default searchable values or their words."""
        names = [n for n in QUERY_PROPERTIES.get(self.object_type, ()) if self.index.backend.portal.property(self.object_type, n)]
        keys = [self.index.key(self.object_type, n + suffix) for n in names for suffix in ("", TOKEN_SUFFIX)]
        return Term(keys or self.universe.keys, "PREFIX", condition="value LIKE ? ESCAPE '\\'",
                    params=[like(word, anchored=True) + "%"])

    # -- sets -----------------------------------------------------------------------------------------
    def _ids(self, term: Term, within: set[int] | None = None) -> set[int]:
        sql = f"SELECT id FROM hs_search WHERE {term.where()} AND {self.visible()}"
        if within is not None:
            return {r[0] for r in self.db.execute(sql + " AND id IN (SELECT value FROM json_each(?))",
                                                  [*term.params, json.dumps(sorted(within))])}
        key = ("ids", sql, tuple(term.params))
        cached = self.index.cached(key, self.settled)
        if cached is None:
            cached = {r[0] for r in self.db.execute(sql, term.params)}
            self.index.remember(key, cached, self.settled)
        return cached

    def _group(self, terms: list[Term]) -> set[int]:
        current: set[int] | None = None
        for term in sorted((t for t in terms if not t.negative), key=lambda t: _RANK[t.operator]):
            if current is None:
                current = set(self._ids(term))
            elif len(current) <= SMALL:
                current &= self._ids(term, current)
            else:
                current &= self._ids(term)
            if not current:
                return set()
        if current is None:
            current = set(self._ids(self.universe))
        for term in (t for t in terms if t.negative):
            current -= self._ids(term, current) if len(current) <= SMALL else self._ids(term)
        return current

    def matched(self) -> list[int]:
        """The matching ids, ascending (kept between pages of the same query while the index is unchanged)."""
        if self._matched is None:
            key = ("matched", self.object_type, repr([[(t.where(), t.params, t.negative) for t in g] for g in self.groups]),
                   self.visible())
            cached = self.index.cached(key, self.settled)
            if cached is None:
                found: set[int] = set()
                for terms in self.groups or [[]]:
                    found |= self._group(terms)
                cached = sorted(found)
                self.index.remember(key, cached, self.settled)
            self._matched = cached
        return self._matched

    def count(self) -> int:
        if not self.groups or self.single:  # counted in SQL, without building a set of ids
            term = self.single or self.universe
            distinct = "DISTINCT id" if len(term.keys) > 1 and self._several(term.keys) else "*"
            sql = f"SELECT count({distinct}) FROM hs_search WHERE {term.where()} AND {self.visible()}"
            key = ("count", sql, tuple(term.params))
            total = self.index.cached(key, self.settled)
            if total is None:
                total = self.db.execute(sql, term.params).fetchone()[0]
                self.index.remember(key, total, self.settled)
            return total
        return len(self.matched())

    def _several(self, keys: list[int]) -> bool:
        """Whether more than one of these keys has rows (then one record can match twice)."""
        present = [k for k in keys if self.db.execute("SELECT 1 FROM hs_search WHERE key = ? LIMIT 1", (k,)).fetchone()]
        return len(present) > 1

    def _universe_count(self) -> int:
        return SearchPlan(self.index, self.object_type, self.now, [], "").count()

    # -- a page ---------------------------------------------------------------------------------------
    def page(self, sort_name: str | None, descending: bool, window: int, after: int, total: int) -> list[int]:
        if window == 0 or total == 0:
            return []
        direction = "DESC" if descending else "ASC"
        if sort_name in (None, "hs_object_id"):
            if not self.groups:
                return [r[0] for r in self.db.execute(
                    f"SELECT id FROM hs_search WHERE {self.universe.where()} AND {self.visible()} ORDER BY value "
                    f"{direction} LIMIT ? OFFSET ?", [window, after])]
            if self.single is not None and total * 20 >= self._universe_count():  # dense: walk ids in order
                return self._walk(self.universe.keys[0], descending, after + window)[after:after + window]
            if self.single is not None and len(self.single.keys) == 1:
                return [r[0] for r in self.db.execute(
                    f"SELECT id FROM hs_search WHERE {self.single.where()} AND {self.visible()} ORDER BY id {direction} "
                    f"LIMIT ? OFFSET ?", [*self.single.params, window, after])]
            ids = self.matched()
            return (ids[::-1] if descending else ids)[after:after + window]
        sort_key = self.index.key(self.object_type, sort_name)
        if self.groups and total <= SMALL:  # few matches: fetch their values, sort here, missing last
            ids = self.matched()
            values = dict(self.db.execute(f"SELECT id, value FROM hs_search WHERE key = {sort_key} AND {self.visible()} "
                                          "AND id IN (SELECT value FROM json_each(?))", [json.dumps(ids)]).fetchall())
            present = sorted((i for i in ids if i in values), key=lambda i: (_sort_key(values[i]), i), reverse=descending)
            return (present + [i for i in (ids[::-1] if descending else ids) if i not in values])[after:after + window]
        return self._walk(sort_key, descending, after + window)[after:after + window]

    def _walk(self, sort_key: int, descending: bool, need: int) -> list[int]:
        """Matches in the sort property's index order (records without a value last), at least `need` of them.

        The walk stops as soon as it has enough and is resumed from where it stopped for the next page of the
        same query (keyset on (value, id)), so paging through a large result walks the index once.
        """
        direction, compare = ("DESC", "<") if descending else ("ASC", ">")
        key = ("walk", sort_key, descending, repr([[(t.where(), t.params, t.negative) for t in g] for g in self.groups]),
               self.visible())
        state = self.index.cached(key, self.settled) or {"out": [], "seen": set(), "last": None, "done": False}
        wanted = set(self.matched()) if self.groups and self.single is None else None
        check, check_params = "", []
        if self.single is not None:  # one filter: checked per row in SQL while walking (no set of ids)
            check = (f" AND EXISTS (SELECT 1 FROM hs_search b INDEXED BY ix_hs_search_object WHERE b.id = hs_search.id "
                     f"AND {self.single.where('b')} AND "
                     f"{self.visible('b')})")
            check_params = list(self.single.params)
        out, seen = state["out"], state["seen"]
        while len(out) < need and not state["done"]:
            resume, params = "", []
            if state["last"] is not None:
                resume, params = f" AND (value, id) {compare} (?, ?)", list(state["last"])
            rows = self.db.execute(f"SELECT value, id FROM hs_search WHERE key = {sort_key} AND {self.visible()}{resume}"
                                   f"{check} ORDER BY value {direction}, id {direction} LIMIT ?",
                                   [*params, *check_params, max(64, need - len(out))]).fetchall()
            if not rows:
                state["done"] = True
                rest = self.matched() if self.groups else [r[0] for r in self.db.execute(
                    f"SELECT id FROM hs_search WHERE {self.universe.where()} AND {self.visible()} ORDER BY value")]
                out += [i for i in (rest[::-1] if descending else rest) if i not in seen]  # those without a value
                break
            state["last"] = tuple(rows[-1])
            for _, ident in rows:
                if (wanted is None or ident in wanted) and ident not in seen:
                    seen.add(ident)
                    out.append(ident)
        self.index.remember(key, state, self.settled)
        return out
