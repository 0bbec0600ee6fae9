"""CRM search: a lagging index over property values, queried with HubSpot's filterGroups.

The index is one SQLite table of (object type + property, value, object id) rows, typed so that numbers and
dates order numerically, with a visibility window per row: a write becomes searchable `lag` ms after it happens
and an overwritten or archived value stays findable for the same time. That is HubSpot's documented behaviour
(search results lag writes), and it is on by default so that code waiting on search instead of reading by id
fails here as it would against a real portal. How a query runs over the index is `search_plan.py`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import now_ms
from . import exceptions as err
from .criteria import NUMERIC_TYPES, CriteriaError, Filter, to_number, tokens
from .search_plan import TOKEN_SUFFIX, SearchPlan

if TYPE_CHECKING:
    from .models import HsObject, HubSpotBackend

MAX_GROUPS = 5
MAX_FILTERS_PER_GROUP = 10
MAX_FILTERS = 25
MAX_LIMIT = 200
MAX_RESULTS = 10_000


@dataclass
class SearchPage:
    total: int
    ids: list[str]
    next_after: str | None


def _iso_ms(value: str) -> int:
    return int(datetime.fromisoformat(value[:-1] + "+00:00").timestamp() * 1000)


class SearchIndex:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.store = backend.store
        self.lag_ms = backend.portal.switches.search_index_lag_ms
        self._keys: dict[tuple[str, str], int] = {}
        self._hidden: deque[tuple[int, int]] = deque()  # (due ms, object id) rows to purge once invisible
        # Counts are cached between pages of one query: valid while nothing was written (generation) and no
        # written row is still waiting out the lag (settled_at).
        self.generation = 0
        self.settled_at = 0
        self._cache: dict[tuple[Any, ...], tuple[int, Any]] = {}
        with self.store.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS hs_search_keys (code INTEGER PRIMARY KEY, object_type TEXT NOT NULL, "
                       "property TEXT NOT NULL, UNIQUE (object_type, property))")
            db.execute("""CREATE TABLE IF NOT EXISTS hs_search (
                key INTEGER NOT NULL, value NOT NULL COLLATE NOCASE, id INTEGER NOT NULL, visible_ms INTEGER NOT NULL,
                hidden_ms INTEGER, PRIMARY KEY (key, value, id, visible_ms)) WITHOUT ROWID""")
            db.execute("CREATE INDEX IF NOT EXISTS ix_hs_search_object ON hs_search (id, key, hidden_ms)")
            for row in db.execute("SELECT code, object_type, property FROM hs_search_keys"):
                self._keys[(row["object_type"], row["property"])] = row["code"]
            # A restarted twin picks up where the lag window stood: rows still waiting to appear or disappear.
            now = now_ms()
            db.execute("DELETE FROM hs_search WHERE hidden_ms IS NOT NULL AND hidden_ms <= ?", (now,))
            pending = db.execute("SELECT max(visible_ms), max(hidden_ms) FROM hs_search").fetchone()
            self.settled_at = max(pending[0] or 0, pending[1] or 0)
            self._hidden.extend((r[1], r[0]) for r in db.execute(
                "SELECT id, max(hidden_ms) FROM hs_search WHERE hidden_ms IS NOT NULL GROUP BY id ORDER BY 2"))

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
        if kind == "datetime" and len(value) == 24 and value[-1] == "Z":
            return [_iso_ms(value)]  # the twin's own ISO format: the common case, parsed without trying float()
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
            typed_values = self._typed(obj.object_type, name, value)
            rows.extend((code, typed, ident, visible) for typed in typed_values)
            if isinstance(typed_values[0], str):
                words = tokens(value)
                if len(words) > 1:  # CONTAINS_TOKEN and query match single words: index them too
                    token_code = self.key(obj.object_type, name + TOKEN_SUFFIX)
                    rows.extend((token_code, word, ident, visible) for word in dict.fromkeys(words))
        return rows

    def index(self, writes: Iterable[tuple[HsObject, Iterable[str], bool]], stamp: int) -> None:
        """Index created objects (all properties) and changed properties of updated ones, visible after the lag."""
        visible = stamp + self.lag_ms
        self._written(visible)
        db = self.store.db
        rows: list[tuple[Any, ...]] = []
        for obj, changed, created in writes:
            names = list(obj.properties) if created else list(changed)
            if not created:
                self._hide(obj, names, visible)
            rows.extend(self._rows(obj, names, visible))
        db.executemany("INSERT OR REPLACE INTO hs_search (key, value, id, visible_ms) VALUES (?, ?, ?, ?)", rows)

    def _written(self, until: int) -> None:
        self.generation += 1
        self.settled_at = max(self.settled_at, until)
        self._cache.clear()

    def pending_hidden(self) -> bool:
        return bool(self._hidden)

    def cached(self, key: tuple[Any, ...], settled: bool) -> Any:
        """A query's sets, kept while nothing was written and no write is still inside the lag window."""
        entry = self._cache.get(key) if settled else None
        return entry[1] if entry is not None and entry[0] == self.generation else None

    def remember(self, key: tuple[Any, ...], value: Any, settled: bool) -> None:
        if settled:
            if len(self._cache) >= 16:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = (self.generation, value)

    def _hide(self, obj: HsObject, names: list[str] | None, when: int) -> None:
        self._written(when)
        db = self.store.db
        ident = int(obj.id)
        if names is None:
            targets: list[Any] = [None]
        else:
            targets = [self.key(obj.object_type, n + suffix) for n in names for suffix in ("", TOKEN_SUFFIX)]
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
        self._written(0)
        self.store.db.execute("DELETE FROM hs_search WHERE id = ?", (int(object_id),))

    def _collect_garbage(self, now: int) -> None:
        db = self.store.db
        while self._hidden and self._hidden[0][0] <= now:
            _, ident = self._hidden.popleft()
            db.execute("DELETE FROM hs_search WHERE id = ? AND hidden_ms <= ?", (ident, now))

    def settle(self) -> None:
        """Make every pending write searchable now (a control-plane convenience; real HubSpot has none)."""
        now = now_ms()
        self._written(now)
        with self.store.transaction() as db:
            db.execute("UPDATE hs_search SET visible_ms = ? WHERE visible_ms > ?", (now, now))
            db.execute("DELETE FROM hs_search WHERE hidden_ms IS NOT NULL")
            self._hidden.clear()

    # -- querying -------------------------------------------------------------------------------------
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
        # Visibility is measured on the twin's write clock (strictly increasing, so under load it may run ahead of
        # the wall clock): every write stamped before this search is compared with the same clock.
        now = now_ms()
        with self.store.lock:
            self._collect_garbage(now)
            plan = SearchPlan(self, object_type, now, groups, str(body.get("query") or ""))
            total = plan.count()
            window = max(0, min(limit, MAX_RESULTS - after))
            ids = [str(i) for i in plan.page(sort_name, descending, window, after, total)]
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
