"""Which HubSpot record syncs with which Salesforce record, and what each side held at their last sync.

A link's snapshots are the canonical values the connector expects each side to hold after its last write: a
side whose value now differs has changed since (by a user, a flow, a workflow) and the field's rule decides what
crosses. Retired Salesforce ids (a converted Lead, a merge loser) stay as aliases, so their later changes are
recognised and ignored rather than mistaken for new records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..clock import now_ms
from ..store import Store

CHUNK = 900  # SQLite's default limit on host parameters is 999


@dataclass
class Link:
    hs_object: str
    hs_id: str
    sf_object: str
    sf_id: str
    hs_snapshot: dict[str, Any] = field(default_factory=dict)
    sf_snapshot: dict[str, Any] = field(default_factory=dict)
    synced_ms: int = 0
    new: bool = False  # made in this cycle: both sides' values count as changes (a first sync)


def chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Links:
    def __init__(self, store: Store) -> None:
        self.store = store
        with store.transaction() as db:
            db.execute("""CREATE TABLE IF NOT EXISTS connector_links (
                hs_object TEXT NOT NULL, hs_id TEXT NOT NULL, sf_object TEXT NOT NULL, sf_id TEXT NOT NULL,
                hs_snapshot TEXT NOT NULL, sf_snapshot TEXT NOT NULL, synced_ms INTEGER NOT NULL,
                PRIMARY KEY (hs_object, hs_id))""")
            db.execute("CREATE UNIQUE INDEX IF NOT EXISTS ix_links_sf ON connector_links (sf_id)")
            db.execute("""CREATE TABLE IF NOT EXISTS connector_aliases (
                sf_id TEXT PRIMARY KEY, sf_object TEXT NOT NULL, hs_object TEXT NOT NULL, hs_id TEXT NOT NULL,
                reason TEXT NOT NULL, at_ms INTEGER NOT NULL)""")

    @staticmethod
    def _from_row(row: Any) -> Link:
        return Link(row["hs_object"], row["hs_id"], row["sf_object"], row["sf_id"], json.loads(row["hs_snapshot"]),
                    json.loads(row["sf_snapshot"]), row["synced_ms"])

    def by_hs(self, hs_object: str, hs_ids: Iterable[str]) -> dict[str, Link]:
        wanted = list(dict.fromkeys(hs_ids))
        out: dict[str, Link] = {}
        for part in chunks(wanted):
            marks = ",".join("?" * len(part))
            rows = self.store.db.execute(f"SELECT * FROM connector_links WHERE hs_object = ? AND hs_id IN ({marks})",
                                         (hs_object, *part)).fetchall()
            for row in rows:
                out[row["hs_id"]] = self._from_row(row)
        return out

    def by_sf(self, sf_ids: Iterable[str]) -> dict[str, Link]:
        wanted = list(dict.fromkeys(sf_ids))
        out: dict[str, Link] = {}
        for part in chunks(wanted):
            marks = ",".join("?" * len(part))
            for row in self.store.db.execute(f"SELECT * FROM connector_links WHERE sf_id IN ({marks})", part).fetchall():
                out[row["sf_id"]] = self._from_row(row)
        return out

    def one_by_hs(self, hs_object: str, hs_id: str) -> Link | None:
        return self.by_hs(hs_object, [hs_id]).get(hs_id)

    def one_by_sf(self, sf_id: str) -> Link | None:
        return self.by_sf([sf_id]).get(sf_id)

    def all(self, hs_object: str) -> list[Link]:
        rows = self.store.db.execute("SELECT * FROM connector_links WHERE hs_object = ?", (hs_object,)).fetchall()
        return [self._from_row(r) for r in rows]

    def save(self, links: Iterable[Link]) -> None:
        stamp = now_ms()
        rows = []
        for link in links:
            link.synced_ms = stamp
            link.new = False
            rows.append((link.hs_object, link.hs_id, link.sf_object, link.sf_id,
                         json.dumps(link.hs_snapshot, separators=(",", ":")),
                         json.dumps(link.sf_snapshot, separators=(",", ":")), stamp))
        if rows:
            # One Salesforce record syncs with one HubSpot record: a relink takes the id from any older link.
            self.store.db.executemany("DELETE FROM connector_links WHERE sf_id = ? AND NOT (hs_object = ? AND hs_id = ?)",
                                      [(r[3], r[0], r[1]) for r in rows])
            self.store.db.executemany(
                "INSERT OR REPLACE INTO connector_links (hs_object, hs_id, sf_object, sf_id, hs_snapshot, sf_snapshot, "
                "synced_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def unlink(self, hs_object: str, hs_id: str) -> None:
        self.store.db.execute("DELETE FROM connector_links WHERE hs_object = ? AND hs_id = ?", (hs_object, hs_id))

    # -- retired Salesforce ids -----------------------------------------------------------------------
    def retire(self, sf_id: str, sf_object: str, hs_object: str, hs_id: str, reason: str) -> None:
        self.store.db.execute("INSERT OR REPLACE INTO connector_aliases (sf_id, sf_object, hs_object, hs_id, reason, at_ms) "
                              "VALUES (?, ?, ?, ?, ?, ?)", (sf_id, sf_object, hs_object, hs_id, reason, now_ms()))

    def retired(self, sf_ids: Iterable[str]) -> dict[str, str]:
        """sf id -> why it no longer syncs (converted, merged, ...), for the ids given."""
        wanted = list(dict.fromkeys(sf_ids))
        out: dict[str, str] = {}
        for part in chunks(wanted):
            marks = ",".join("?" * len(part))
            for row in self.store.db.execute(f"SELECT sf_id, reason FROM connector_aliases WHERE sf_id IN ({marks})",
                                             part).fetchall():
                out[row["sf_id"]] = row["reason"]
        return out
