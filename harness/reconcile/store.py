"""A temporary SQLite database holding both sides of one object pair, so memory stays flat at any scale.

Rows go in by executemany in pages as they are read from the platforms; matching is two SQL joins (by the
Salesforce id HubSpot stores, then by natural key for what is left); totals are GROUP BY queries.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from harness.reconcile.spec import ObjectSpec


class SideStore:
    def __init__(self, spec: ObjectSpec, directory: Path | None = None) -> None:
        self.spec = spec
        self._dir = tempfile.TemporaryDirectory(prefix="uat-reconcile-", dir=directory)
        self.db = sqlite3.connect(Path(self._dir.name) / "sides.sqlite3")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA temp_store=FILE")
        self.db.execute("PRAGMA cache_size=-65536")  # 64 MB page cache, whatever the population
        self.hs_columns = [f.hubspot for f in spec.fields]
        self.sf_columns = [f.salesforce for f in spec.fields]
        self.hs_extra = sorted({t.hubspot_group for t in spec.totals if t.hubspot_group} |
                               {t.hubspot_value for t in spec.totals if t.hubspot_value} - set(self.hs_columns))
        self.sf_extra = sorted({t.salesforce_group for t in spec.totals if t.salesforce_group} |
                               {t.salesforce_value for t in spec.totals if t.salesforce_value} - set(self.sf_columns))
        width_hs = len(self.hs_columns) + len(self.hs_extra)
        width_sf = len(self.sf_columns) + len(self.sf_extra)
        hs_cols = ", ".join(f"v{i}" for i in range(width_hs))
        sf_cols = ", ".join(f"v{i}" for i in range(width_sf))
        # Plain rowid tables, indexed once after loading: building an index at the end is far cheaper than keeping
        # one up to date through a million inserts.
        self.db.execute(f"CREATE TABLE hs (id TEXT, link TEXT, natural TEXT, matched INTEGER DEFAULT 0"
                        f"{', ' + hs_cols if hs_cols else ''})")
        self.db.execute(f"CREATE TABLE sf (id TEXT, natural TEXT, matched INTEGER DEFAULT 0"
                        f"{', ' + sf_cols if sf_cols else ''})")
        self.hs_count = 0
        self.sf_count = 0

    def _hs_column(self, name: str) -> str:
        names = self.hs_columns + self.hs_extra
        return f"v{names.index(name)}"

    def _sf_column(self, name: str) -> str:
        names = self.sf_columns + self.sf_extra
        return f"v{names.index(name)}"

    @staticmethod
    def _key(value: Any) -> str | None:
        if value is None or value == "":
            return None
        return str(value).strip().lower()

    def add_hubspot(self, records: Iterable[tuple[str, dict[str, Any]]]) -> None:
        names = self.hs_columns + self.hs_extra
        marks = ", ".join("?" for _ in range(3 + len(names)))
        key = self.spec.hubspot_key
        rows = ((object_id, props.get(self.spec.link_property) or None, self._key(props.get(key)) if key else None,
                 *[props.get(n) for n in names]) for object_id, props in records)
        before = self.db.total_changes
        self.db.executemany(f"INSERT INTO hs (id, link, natural{''.join(f', v{i}' for i in range(len(names)))}) "
                            f"VALUES ({marks})", rows)
        self.hs_count += self.db.total_changes - before

    def add_salesforce(self, records: Iterable[dict[str, Any]]) -> None:
        names = self.sf_columns + self.sf_extra
        marks = ", ".join("?" for _ in range(2 + len(names)))
        key = self.spec.salesforce_key
        rows = ((r["Id"], self._key(r.get(key)) if key else None, *[r.get(n) for n in names]) for r in records)
        before = self.db.total_changes
        self.db.executemany(f"INSERT INTO sf (id, natural{''.join(f', v{i}' for i in range(len(names)))}) "
                            f"VALUES ({marks})", rows)
        self.sf_count += self.db.total_changes - before

    def match(self) -> dict[str, int]:
        """Mark pairs: first by the Salesforce id HubSpot holds, then by natural key among the unmatched."""
        self.db.execute("CREATE INDEX ix_sf_id ON sf (id)")
        self.db.execute("CREATE TABLE pairs (hs_row INTEGER, sf_row INTEGER, hs_id TEXT, sf_id TEXT, how TEXT)")
        by_id = self.db.execute("INSERT INTO pairs SELECT hs.rowid, sf.rowid, hs.id, sf.id, 'id' FROM hs "
                                "JOIN sf ON sf.id = hs.link WHERE hs.link IS NOT NULL").rowcount
        self._mark_paired()
        by_key = 0
        if self.spec.hubspot_key and self.spec.salesforce_key:
            # One partner per key on each side: the lowest id wins, the rest stay unmatched (duplicates). With MIN(),
            # SQLite takes the bare column (rowid) from the row holding the minimum, which is the row wanted.
            by_key = self.db.execute(
                "INSERT INTO pairs SELECT h.row, s.row, h.id, s.id, 'key' FROM "
                "(SELECT natural, MIN(id) AS id, rowid AS row FROM hs WHERE matched = 0 AND natural IS NOT NULL "
                "GROUP BY natural) h JOIN (SELECT natural, MIN(id) AS id, rowid AS row FROM sf WHERE matched = 0 AND "
                "natural IS NOT NULL GROUP BY natural) s ON s.natural = h.natural").rowcount
            self._mark_paired()
        return {"by_id": max(by_id, 0), "by_key": max(by_key, 0)}

    def _mark_paired(self) -> None:
        self.db.execute("UPDATE hs SET matched = 1 WHERE matched = 0 AND rowid IN (SELECT hs_row FROM pairs)")
        self.db.execute("UPDATE sf SET matched = 1 WHERE matched = 0 AND rowid IN (SELECT sf_row FROM pairs)")

    def pairs(self, batch: int = 5000) -> Iterator[tuple[str, str, str, tuple[Any, ...], tuple[Any, ...]]]:
        width = len(self.spec.fields)
        hs_cols = ", ".join(f"h.v{i}" for i in range(width)) or "NULL"
        sf_cols = ", ".join(f"s.v{i}" for i in range(width)) or "NULL"
        cursor = self.db.execute(f"SELECT p.hs_id, p.sf_id, p.how, {hs_cols}, {sf_cols} FROM pairs p "
                                 "JOIN hs h ON h.rowid = p.hs_row JOIN sf s ON s.rowid = p.sf_row")
        while True:
            rows = cursor.fetchmany(batch)
            if not rows:
                return
            for row in rows:
                yield row[0], row[1], row[2], row[3:3 + width], row[3 + width:3 + 2 * width]

    def unmatched(self, side: str, limit: int | None = None) -> list[tuple[Any, ...]]:
        table = "hs" if side == "hubspot" else "sf"
        extra = ", link" if side == "hubspot" else ""
        suffix = f" LIMIT {int(limit)}" if limit else ""
        return self.db.execute(f"SELECT id, natural{extra} FROM {table} WHERE matched = 0 ORDER BY id{suffix}").fetchall()

    def unmatched_count(self, side: str) -> int:
        table = "hs" if side == "hubspot" else "sf"
        return self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE matched = 0").fetchone()[0]

    def grouped_total(self, side: str, group: str | None, value: str | None) -> dict[str, float]:
        table = "hs" if side == "hubspot" else "sf"
        column = self._hs_column if side == "hubspot" else self._sf_column
        group_sql = column(group) if group else "'all'"
        value_sql = f"SUM(CAST({column(value)} AS REAL))" if value else "COUNT(*)"
        rows = self.db.execute(f"SELECT COALESCE({group_sql}, '(blank)'), {value_sql} FROM {table} GROUP BY 1").fetchall()
        return {str(k): float(v or 0) for k, v in rows}

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()
