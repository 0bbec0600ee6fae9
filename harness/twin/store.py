"""The twin's state: one SQLite database shared by both platforms and the connector.

Requests are served on many threads at once, so each thread gets its own connection to the one database file
(SQLite's WAL mode lets readers run beside the writer and never see a half-written transaction). Writes still go
one at a time: `transaction()` holds a re-entrant lock, which is also what a read spanning several queries takes
when it must see one state. File-backed state (`--state-dir`) keeps `synchronous=NORMAL` so a killed
`uat twin serve` reopens consistent; the default state is a scratch file deleted with the twin, with no fsync at
all (nothing in it needs to survive a crash).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# A writer outside the lock (a lone autocommit statement) waits this long for the one holding the lock to commit.
BUSY_TIMEOUT_MS = 30_000
# Reads through a shared memory map instead of a page cache copied into every thread's connection.
MMAP_BYTES = 256 * 1024 * 1024


class Store:
    def __init__(self, path: Path | None = None, durable: bool | None = None) -> None:
        """State in `path` (durable unless told otherwise), or in a scratch file of its own when there is none."""
        self.path = path
        self._scratch = None if path else Path(tempfile.mkdtemp(prefix="uat-twin-state-"))
        self.file = path if path else self._scratch / "twin.sqlite3"
        self.durable = path is not None if durable is None else durable
        self.lock = threading.RLock()
        self._local = threading.local()
        self._connections: dict[int, sqlite3.Connection] = {}
        self._registry = threading.Lock()
        self._closed = False
        self._depth = 0
        db = self.db
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS twin_meta (key TEXT PRIMARY KEY, value TEXT)")

    @property
    def db(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._open()
            self._local.connection = connection
        return connection

    def _open(self) -> sqlite3.Connection:
        if self._closed:
            raise sqlite3.ProgrammingError("the twin's store is closed")
        # check_same_thread=False only so close() may close every thread's connection; each is used by one thread.
        connection = sqlite3.connect(str(self.file), check_same_thread=False, isolation_level=None,
                                     timeout=BUSY_TIMEOUT_MS / 1000)
        connection.row_factory = sqlite3.Row
        connection.execute(f"PRAGMA synchronous={'NORMAL' if self.durable else 'OFF'}")
        connection.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        connection.execute("PRAGMA temp_store=MEMORY")
        connection.execute("PRAGMA foreign_keys=OFF")
        with self._registry:
            # Threads come and go (a Bulk job's worker, a test's client): close what the dead ones left open.
            alive = {thread.ident for thread in threading.enumerate()}
            for ident in [i for i in self._connections if i not in alive or i == threading.get_ident()]:
                self._connections.pop(ident).close()
            self._connections[threading.get_ident()] = connection
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block atomically; nested blocks join the outer transaction."""
        with self.lock:
            db = self.db
            outer = self._depth == 0
            if outer:
                db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield db
            except BaseException:
                self._depth -= 1
                if outer:
                    db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                db.execute("COMMIT")

    def meta(self, key: str, default: str | None = None) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT value FROM twin_meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO twin_meta (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self.lock, self._registry:
            self._closed = True
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
