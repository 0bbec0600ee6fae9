"""The twin's state: one SQLite database shared by both platforms and the connector.

One connection guarded by one re-entrant lock: requests are served on threads, and serialising them is both
what keeps SQLite consistent and what makes the twin's behaviour deterministic for a test. File-backed state
uses WAL so a killed `uat twin serve` reopens consistent; in-memory state is for tests and the default run.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        target = str(path) if path else ":memory:"
        self.db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        if path:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=OFF")
        self._depth = 0
        self.db.execute("CREATE TABLE IF NOT EXISTS twin_meta (key TEXT PRIMARY KEY, value TEXT)")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; nested blocks join the outer transaction."""
        with self.lock:
            outer = self._depth == 0
            if outer:
                self.db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self.db
            except BaseException:
                self._depth -= 1
                if outer:
                    self.db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self.db.execute("COMMIT")

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT value FROM twin_meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO twin_meta (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self.lock:
            self.db.close()
