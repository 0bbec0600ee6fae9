"""The monitor's history: one row per run in a SQLite file in the reports folder (reports/monitor/history.sqlite).

SQLite because the history is small (a row a day), needs no server, and is read back by the trend page and by
the next daily run (deltas since the previous run). Figures are kept as JSON so a new figure needs no migration.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.monitor.result import Cadence, MonitorResult

SCHEMA = """CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,            -- ISO 8601, UTC
    cadence TEXT NOT NULL,       -- daily | weekly | quarterly
    target TEXT NOT NULL,        -- which org and portal: deltas compare a target with itself
    profile TEXT NOT NULL,
    alerts INTEGER NOT NULL,     -- how many; 0 = the run exited 0
    result TEXT NOT NULL         -- MonitorResult.to_json()
)"""


@dataclass(frozen=True)
class HistoryRow:
    id: int
    at: str
    cadence: Cadence
    target: str
    profile: str
    alerts: int
    result: dict[str, Any]


@contextmanager
def _open(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as db:
        db.execute(SCHEMA)
        with db:
            yield db


def append(path: Path, result: MonitorResult, profile: str, at: datetime | None = None) -> int:
    stamp = (at or datetime.now(UTC)).isoformat(timespec="seconds")
    with _open(path) as db:
        cursor = db.execute("INSERT INTO runs (at, cadence, target, profile, alerts, result) VALUES (?, ?, ?, ?, ?, ?)",
                            (stamp, result.cadence.value, result.target, profile, len(result.alerts),
                             json.dumps(result.to_json(), default=str)))
        return int(cursor.lastrowid or 0)


def rows(path: Path, cadence: Cadence | None = None, target: str | None = None) -> list[HistoryRow]:
    if not path.exists():
        return []
    query, args = "SELECT id, at, cadence, target, profile, alerts, result FROM runs WHERE 1=1", []
    if cadence is not None:
        query, args = query + " AND cadence = ?", [*args, cadence.value]
    if target is not None:
        query, args = query + " AND target = ?", [*args, target]
    with _open(path) as db:
        found = db.execute(query + " ORDER BY id", args).fetchall()
    return [HistoryRow(r[0], r[1], Cadence(r[2]), r[3], r[4], r[5], json.loads(r[6])) for r in found]


def previous(path: Path, cadence: Cadence, target: str) -> HistoryRow | None:
    found = rows(path, cadence, target)
    return found[-1] if found else None
