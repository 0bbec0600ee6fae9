"""The run ledger: every record the run created, on either side, written durably the moment it exists.

Cleanup deletes exactly what is here (children first) and nothing else; an interrupted run resumes from it.
One JSON object per line; each write is flushed and fsynced, so a killed run loses nothing it created.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class LedgerEntry:
    system: str  # "salesforce" | "hubspot"
    object: str  # Salesforce sObject name or HubSpot object type
    id: str
    run_id: str
    origin: str  # "seed" | "scenario" | ...
    created_at: float
    key: str | None = None  # the seeder's stable key, for idempotent resume


class Ledger:
    def __init__(self, path: Path, run_id: str) -> None:
        self.path = path
        self.run_id = run_id
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def record(self, system: str, sobject: str, record_id: str, origin: str, key: str | None = None) -> None:
        self.record_many([(system, sobject, record_id, key)], origin)

    def record_many(self, items: Iterable[tuple[str, str, str, str | None]], origin: str) -> None:
        now = time.time()
        lines = "".join(json.dumps(asdict(LedgerEntry(s, o, i, self.run_id, origin, now, k)), sort_keys=True) + "\n"
                        for s, o, i, k in items)
        if not lines:
            return
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())

    def entries(self) -> list[LedgerEntry]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    data: dict[str, Any] = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a torn last line from a killed process: the record before it is intact
                out.append(LedgerEntry(**data))
        return out
