"""CRM search: a lagging index over property values, queried with HubSpot's filterGroups.

The index is one SQLite table of (object type + property, value, object id) rows, typed so that numbers and
dates order numerically, with a visibility window per row: a write becomes searchable `lag` ms after it happens
and an overwritten or archived value stays findable for the same time. That is HubSpot's documented behaviour
(search results lag writes), and it is on by default so that code waiting on search instead of reading by id
fails here as it would against a real portal. Filters compile to SQL set operations over the index (INTERSECT
within a group, UNION across groups, EXCEPT for the negative operators).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .criteria import NUMERIC_TYPES, CriteriaError, Filter, to_number, token_matches

if TYPE_CHECKING:
    from .models import HsObject, HubSpotBackend

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 10
MAX_FILTERS = 25
MAX_LIMIT = 200
MAX_RESULTS = 10_000
# Properties the free-text `query` looks in (HubSpot's default searchable properties per object).
QUERY_PROPERTIES = {
    "contacts": ("firstname", "lastname", "email", "phone", "company", "hs_additional_emails"),
    "companies": ("name", "domain", "website", "phone"),
    "deals": ("dealname",),
    "tickets": ("subject", "content"),
}
_VISIBLE = "visible_ms <= ? AND (hidden_ms IS NULL OR hidden_ms > ?)"


@dataclass
class SearchPage:
    total: int
    ids: list[str]
    next_after: str | None


def _like(pattern: str) -> str:
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped.replace("*", "%") + "%"


class SearchIndex:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.store = backend.store
        self.lag_ms = backend.portal.switches.search_index_lag_ms
        self._keys: dict[tuple[str, str], int] = {}
        self._hidden: deque[tuple[int, int]] = deque()  # (due ms, object id) rows to purge once invisible
        with self.store.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS hs_search_keys (code INTEGER PRIMARY KEY, object_type TEXT NOT NULL, "
                       "property TEXT NOT NULL, UNIQUE (object_type, property))")
            db.execute("""CREATE TABLE IF NOT EXISTS hs_search (
                key INTEGER NOT NULL, value NOT NULL COLLATE NOCASE, id INTEGER NOT NULL, visible_ms INTEGER NOT NULL,
                hidden_ms INTEGER, PRIMARY KEY (key, value, id, visible_ms)) WITHOUT ROWID""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_search_object ON hs_search (id, key, hidden_ms)")
            for row in db.execute("SELECT code, object_type, property FROM hs_search_keys"):
                self._keys[(row["object_type"], row["property"])] = row["code"]
        self.store.db.create_function("hs_token", 2, token_matches, deterministic=True)

    # -- writing --------------------------------------------------------------------------------------
    def key(self, object_type: str, name: str) -> int:
        code = self._keys.get((object_type, name))
        if code is None:
            with self.store.transaction() as db:
                cursor = db.execute("INSERT OR IGNORE INTO hs_search_keys (object_type, property) VALUES (?, ?)",
                                    (object_type, name))
                code = cursor.lastrowid if cursor.rowcount else db.execute(
                    "SELECT code FROM hs_search_keys WHERE object_type = ? AND property = ?", (object_type, name)).fetchone()[0]
            self._keys[(object_type, name)] = code
        return code

    def _typed(self, object_type: str, name: str, value: str) -> list[Any]:
        definition = self.backend.portal.property(object_type, name)
        kind = definition.type if definition else "string"
        if kind in NUMERIC_TYPES:
            number = to_number(value, kind)
            return [value] if number is None else [int(number) if number.is_integer() else number]
        if kind == "enumeration" and ";" in value:
            return [part for part in value.split(";") if part]
        return [value]

    def _rows(self, obj: HsObject, names: Iterable[str], visible: int) -> list[tuple[Any, ...]]:
        rows = []
        ident = int(obj.id)
        for name in names:
            value = obj.properties.get(name)
            if value is None or value == "":
                continue
            code = self.key(obj.object_type, name)
            rows.extend((code, typed, ident, visible) for typed in self._typed(obj.object_type, name, value))
        return rows

    def index(self, writes: Iterable[tuple[HsObject, Iterable[str], bool]], stamp: int) -> None:
        """Index created objects (all properties) and changed properties of updated ones, visible after the lag."""
        visible = stamp + self.lag_ms
        db = self.store.db
        rows: list[tuple[Any, ...]] = []
        for obj, changed, created in writes:
            names = list(obj.properties) if created else list(changed)
            if not created:
                self._hide(obj, names, visible)
            rows.extend(self._rows(obj, names, visible))
        db.executemany("INSERT OR REPLACE INTO hs_search (key, value, id, visible_ms) VALUES (?, ?, ?, ?)", rows)

    def _hide(self, obj: HsObject, names: list[str] | None, when: int) -> None:
        db = self.store.db
        ident = int(obj.id)
        if names is None:
            targets: list[Any] = [None]
        else:
            targets = [self.key(obj.object_type, n) for n in names]
        for code in targets:
            where = "id = ? AND hidden_ms IS NULL" + ("" if code is None else " AND key = ?")
            params: tuple[Any, ...] = (ident,) if code is None else (ident, code)
            if self.lag_ms <= 0:
                db.execute(f"DELETE FROM hs_search WHERE {where}", params)
            else:
                db.execute(f"UPDATE hs_search SET hidden_ms = ? WHERE {where}", (when, *params))
        if self.lag_ms > 0:
            self._hidden.append((when, ident))

    def remove(self, obj: HsObject, stamp: int) -> None:
        """An archived, merged-away or deleted object leaves the index (after the lag, like every write)."""
        self._hide(obj, None, stamp + self.lag_ms)

    def purge(self, object_id: str) -> None:
        self.store.db.execute("DELETE FROM hs_search WHERE id = ?", (int(object_id),))

    def _collect_garbage(self, now: int) -> None:
        db = self.store.db
        while self._hidden and self._hidden[0][0] <= now:
            _, ident = self._hidden.popleft()
            db.execute("DELETE FROM hs_search WHERE id = ? AND hidden_ms <= ?", (ident, now))

    def settle(self) -> None:
        """Make every pending write searchable now (a control-plane convenience; real HubSpot has none)."""
        now = int(time.time() * 1000)
        with self.store.transaction() as db:
            db.execute("UPDATE hs_search SET visible_ms = ? WHERE visible_ms > ?", (now, now))
            db.execute("DELETE FROM hs_search WHERE hidden_ms IS NOT NULL")
            self._hidden.clear()

    # -- querying -------------------------------------------------------------------------------------
    def _filter(self, object_type: str, f: Filter, now: int) -> tuple[str, list[Any], bool]:
        """(SELECT id ..., params, negative): negative filters are subtracted from the group."""
        definition = self.backend.portal.property(object_type, f.property)
        if definition is None:
            raise err.HubSpotError(f"There was a problem with the request: Property {f.property} does not exist on "
                                   f"{object_type}", category="VALIDATION_ERROR")
        kind = definition.type
        positive = {"NEQ": "EQ", "NOT_IN": "IN", "NOT_HAS_PROPERTY": "HAS_PROPERTY", "NOT_CONTAINS_TOKEN": "CONTAINS_TOKEN"}
        op = positive.get(f.operator, f.operator)
        base = f"SELECT id FROM hs_search WHERE key = ? AND {_VISIBLE}"
        params: list[Any] = [self.key(object_type, f.property), now, now]

        def typed(value: str | None) -> Any:
            if kind in NUMERIC_TYPES:
                number = to_number(value, kind)
                if number is None:
                    raise err.HubSpotError(f"There was a problem with the request: {value!r} is not a valid value for "
                                           f"{f.property} ({kind})", category="VALIDATION_ERROR")
                return int(number) if number.is_integer() else number
            return "" if value is None else value

        if op == "EQ":
            sql = base + " AND value = ?"
            params.append(typed(f.value))
        elif op == "IN":
            sql = base + f" AND value IN ({', '.join('?' for _ in f.values)})"
            params.extend(typed(v) for v in f.values)
        elif op == "HAS_PROPERTY":
            sql = base
        elif op == "CONTAINS_TOKEN":
            sql = base + " AND value LIKE ? ESCAPE '\\' AND hs_token(value, ?)"
            params += [_like(f.value or ""), f.value or ""]
        elif op == "BETWEEN":
            sql = base + " AND value BETWEEN ? AND ?"
            params += [typed(f.value), typed(f.high_value)]
        else:
            sql = base + f" AND value {({'LT': '<', 'LTE': '<=', 'GT': '>', 'GTE': '>='})[op]} ?"
            params.append(typed(f.value))
        return sql, params, op != f.operator

    def _universe(self, object_type: str, now: int) -> tuple[str, list[Any]]:
        return (f"SELECT id FROM hs_search WHERE key = ? AND {_VISIBLE}",
                [self.key(object_type, "hs_object_id"), now, now])

    def _matched(self, object_type: str, groups: list[list[Filter]], query: str | None, now: int) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for group in groups or [[]]:
            positives, negatives = [], []
            for f in group:
                sql, p, negative = self._filter(object_type, f, now)
                (negatives if negative else positives).append((sql, p))
            if not positives:
                positives.append(self._universe(object_type, now))
            # Compound operators are left-associative in SQLite: (P1 ∩ P2 ...) \ N1 \ N2 is exactly the AND.
            sql = " INTERSECT ".join(s for s, _ in positives)
            if negatives:
                sql += "".join(" EXCEPT " + s for s, _ in negatives)
            parts.append(f"SELECT id FROM ({sql})")
            params += [x for _, p in positives for x in p] + [x for _, p in negatives for x in p]
        matched = " UNION ".join(parts)
        if query and query.strip():
            names = [n for n in QUERY_PROPERTIES.get(object_type, ()) if self.backend.portal.property(object_type, n)]
            for word in query.split():
                codes = [self.key(object_type, n) for n in names]
                matched = (f"SELECT id FROM ({matched}) INTERSECT SELECT id FROM hs_search WHERE key IN "
                           f"({', '.join('?' for _ in codes)}) AND {_VISIBLE} AND value LIKE ? ESCAPE '\\'")
                params += [*codes, now, now, _like(word)]
        return matched, params

    def search(self, object_type: str, body: dict[str, Any]) -> SearchPage:
        groups_raw = body.get("filterGroups") or []
        if not isinstance(groups_raw, list):
            raise err.HubSpotError("filterGroups must be a list", category="VALIDATION_ERROR")
        if len(groups_raw) > MAX_GROUPS:
            raise err.HubSpotError(f"There was a problem with the request: the maximum number of filterGroups is "
                                   f"{MAX_GROUPS}, found {len(groups_raw)}", category="VALIDATION_ERROR")
        groups: list[list[Filter]] = []
        try:
            for g, group in enumerate(groups_raw):
                raw_filters = (group or {}).get("filters") or []
                if len(raw_filters) > MAX_FILTERS_PER_GROUP:
                    raise err.HubSpotError(f"There was a problem with the request: filterGroups[{g}] has "
                                           f"{len(raw_filters)} filters; the maximum is {MAX_FILTERS_PER_GROUP}",
                                           category="VALIDATION_ERROR")
                groups.append([Filter.from_search(f, f"filterGroups[{g}].filters[{i}]") for i, f in enumerate(raw_filters)])
        except CriteriaError as error:
            raise err.HubSpotError(f"There was a problem with the request: {error}", category="VALIDATION_ERROR") from None
        total_filters = sum(len(g) for g in groups)
        if total_filters > MAX_FILTERS:
            raise err.HubSpotError(f"There was a problem with the request: {total_filters} filters in all; the maximum is "
                                   f"{MAX_FILTERS}", category="VALIDATION_ERROR")
        limit, after = self._paging(body)
        sort_name, descending = self._sort(object_type, body.get("sorts"))
        now = int(time.time() * 1000)
        with self.store.lock:
            self._collect_garbage(now)
            matched, params = self._matched(object_type, [g for g in groups], body.get("query"), now)
            db = self.store.db
            total = db.execute(f"SELECT count(*) FROM ({matched})", params).fetchone()[0]
            window = max(0, min(limit, MAX_RESULTS - after))
            direction = "DESC" if descending else "ASC"
            if sort_name in (None, "hs_object_id"):
                rows = db.execute(f"SELECT id FROM ({matched}) ORDER BY id {direction} LIMIT ? OFFSET ?",
                                  [*params, window, after]).fetchall()
            else:
                sort_key = self.key(object_type, sort_name)
                rows = db.execute(
                    f"SELECT m.id, (SELECT value FROM hs_search s WHERE s.id = m.id AND s.key = ? AND {_VISIBLE} LIMIT 1) "
                    f"AS v FROM ({matched}) m ORDER BY v IS NULL, v {direction}, m.id LIMIT ? OFFSET ?",
                    [sort_key, now, now, *params, window, after]).fetchall()
        ids = [str(r[0]) for r in rows]
        next_after = str(after + len(ids)) if after + len(ids) < total and ids else None
        return SearchPage(total, ids, next_after)

    @staticmethod
    def _paging(body: dict[str, Any]) -> tuple[int, int]:
        try:
            limit = int(body.get("limit") or 10)
            after = int(body.get("after") or 0)
        except (TypeError, ValueError):
            raise err.HubSpotError("There was a problem with the request: limit and after must be whole numbers",
                                   category="VALIDATION_ERROR") from None
        if limit < 1 or limit > MAX_LIMIT:
            raise err.HubSpotError(f"There was a problem with the request: limit must be between 1 and {MAX_LIMIT}",
                                   category="VALIDATION_ERROR")
        if after < 0 or after >= MAX_RESULTS:
            raise err.HubSpotError(f"There was a problem with the request: the search endpoints return at most "
                                   f"{MAX_RESULTS} results for a query; 'after' {after} is beyond that",
                                   category="VALIDATION_ERROR")
        return limit, after

    def _sort(self, object_type: str, sorts: Any) -> tuple[str | None, bool]:
        """The first sort rule only (HubSpot applies one); strings 'prop' / '-prop' or {propertyName, direction}."""
        if not sorts:
            return None, False
        first = sorts[0] if isinstance(sorts, list) else sorts
        if isinstance(first, str):
            name, descending = first.lstrip("-"), first.startswith("-")
        elif isinstance(first, dict):
            name = str(first.get("propertyName") or "")
            descending = str(first.get("direction", "ASCENDING")).upper().startswith("DESC")
        else:
            raise err.HubSpotError("sorts: each sort is a property name or {propertyName, direction}",
                                   category="VALIDATION_ERROR")
        if self.backend.portal.property(object_type, name) is None:
            raise err.HubSpotError(f"There was a problem with the request: cannot sort by {name!r}: no such property",
                                   category="VALIDATION_ERROR")
        return name, descending
