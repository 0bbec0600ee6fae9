"""Records whose last sync failed: retried on later cycles until they sync, as the real connector retries them
(every 30 minutes, and not above 75% of the API allocation; the twin counts cycles instead of minutes)."""

from __future__ import annotations

from ..store import Store


class Retries:
    def __init__(self, store: Store) -> None:
        self.store = store
        with store.transaction() as db:
            db.execute("DROP TABLE IF EXISTS connector_retry")  # the skeleton's single-object table
            db.execute("CREATE TABLE IF NOT EXISTS connector_retries (side TEXT NOT NULL, object TEXT NOT NULL, "
                       "id TEXT NOT NULL, due_cycle INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 1, "
                       "PRIMARY KEY (side, object, id))")
        self._count = store.db.execute("SELECT COUNT(*) FROM connector_retries").fetchone()[0]

    def later(self, side: str, object_name: str, record_id: str, due_cycle: int) -> None:
        """Retry on `due_cycle` (0: a manual resync, due on the next cycle whatever the allocation)."""
        self.store.db.execute("INSERT INTO connector_retries (side, object, id, due_cycle) VALUES (?, ?, ?, ?) "
                              "ON CONFLICT(side, object, id) DO UPDATE SET due_cycle = MIN(due_cycle, excluded.due_cycle), "
                              "attempts = attempts + 1", (side, object_name, record_id, due_cycle))
        self._count = -1

    def done(self, side: str, object_name: str, record_id: str) -> None:
        if self._count == 0:
            return
        self.store.db.execute("DELETE FROM connector_retries WHERE side = ? AND object = ? AND id = ?",
                              (side, object_name, record_id))
        self._count = -1

    def due(self, side: str, object_name: str, cycle: int, automatic: bool = True) -> list[str]:
        """Ids due by this cycle. Manual resyncs (due_cycle 0) are always due; automatic retries only when
        `automatic` (the API allocation still allows them)."""
        if self._count == 0:
            return []
        rows = self.store.db.execute("SELECT id FROM connector_retries WHERE side = ? AND object = ? AND due_cycle <= ?",
                                     (side, object_name, cycle if automatic else 0)).fetchall()
        return [r["id"] for r in rows]

    def pending(self) -> int:
        if self._count < 0:
            self._count = self.store.db.execute("SELECT COUNT(*) FROM connector_retries").fetchone()[0]
        return self._count
