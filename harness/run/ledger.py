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

from harness.sandboxes.hubspot import IDENTIFYING_PROPERTY
from harness.sandboxes.salesforce import IDENTIFYING_FIELDS

SCENARIO_JOURNAL = "scenario-journal.jsonl"


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


# -- the about-to-create journal: scenario creates in doubt --------------------------------------------------------------------------------
def intend(run_dir: Path | None, system: str, object_name: str, values: dict[str, Any]) -> str | None:
    """Before a scenario creates a record: its identifying values, fsynced, under a key its ledger entry will
    carry. A run killed between the platform's answer and the ledger write leaves an intent with no entry:
    cleanup then looks the record up (`creates_in_doubt`) instead of leaving it behind."""
    if run_dir is None:
        return None
    names = IDENTIFYING_FIELDS if system == "salesforce" else (IDENTIFYING_PROPERTY.get(object_name),)
    key = f"scenario:{os.urandom(8).hex()}"
    line = json.dumps({"key": key, "system": system, "object": object_name, "at": time.time(),
                       "values": {n: values[n] for n in names if n and isinstance(values.get(n), str)}})
    with (run_dir / SCENARIO_JOURNAL).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return key


def creates_in_doubt(sandboxes: Any, run_dir: Path, entries: list[Any]) -> list[tuple[str, str, str, str]]:
    """Scenario creates that were sent but never reached the ledger, found on the platform by their identifying
    values: (system, object, id, key) to add to the ledger."""
    path = run_dir / SCENARIO_JOURNAL
    if not path.exists():
        return []
    recorded = {e.key for e in entries if e.key}
    taken = {e.id for e in entries}
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            intent = json.loads(line)
        except json.JSONDecodeError:
            continue  # torn by a kill: that create was never sent
        if intent["key"] in recorded or not intent.get("values"):
            continue
        if intent["system"] == "salesforce":
            record_id = sandboxes.salesforce.find_created(intent["object"], intent["values"], intent["at"], taken)
        else:
            record_id = sandboxes.hubspot.find_created(intent["object"], intent["values"], taken)
        if record_id:
            taken.add(record_id)
            found.append((intent["system"], intent["object"], record_id, intent["key"]))
    return found
