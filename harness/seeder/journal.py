"""The seed journal: which planned records were *sent* (before the request) and which were refused.

A record sent but neither in the ledger nor refused is "in doubt": the request may have created it and the
answer was lost (a killed process, a dropped connection). Before anything is sent again, in-doubt records are
looked up on the platform by their identifying values and adopted when found, so nothing is created twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from pathlib import Path


class SeedJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()  # the two platforms are seeded side by side
        path.parent.mkdir(parents=True, exist_ok=True)

    def _write(self, entry: dict) -> None:
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def sent(self, keys: list[str]) -> None:
        if keys:
            self._write({"sent": keys})

    def refused(self, key: str, error: str) -> None:
        self._write({"refused": key, "error": error})

    def state(self) -> tuple[set[str], dict[str, str]]:
        """(every key ever sent, refused key -> error)."""
        sent: set[str] = set()
        refused: dict[str, str] = {}
        if not self.path.exists():
            return sent, refused
        for line in self.path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                entry = json.loads(line)
                sent.update(entry.get("sent", []))
                if "refused" in entry:
                    refused[entry["refused"]] = entry.get("error", "")
        return sent, refused
