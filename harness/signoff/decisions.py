"""Stakeholder decisions on a run: `decisions.jsonl` in the run folder, one decision per line, never rewritten.

Append-only and fsynced like the ledger: a sign-off is a record people rely on later, so a decision once made is
kept, and a changed mind is a new line (the latest per role counts; the trail shows them all).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DECISIONS_FILE = "decisions.jsonl"
DECISIONS = ("approve", "reject")
LABELS = {"approve": "approved", "reject": "rejected"}


@dataclass(frozen=True)
class Decision:
    role: str
    name: str
    decision: str  # approve | reject
    date: str  # ISO 8601, UTC
    comment: str | None = None
    verdict: str | None = None  # the verdict the stakeholder saw when deciding


def record_decision(run_dir: Path, decision: Decision) -> None:
    path = run_dir / DECISIONS_FILE
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(decision), sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def new_decision(role: str, name: str, decision: str, comment: str | None, verdict: str | None) -> Decision:
    return Decision(role=role, name=name, decision=decision, comment=comment or None, verdict=verdict,
                    date=datetime.now(UTC).isoformat(timespec="seconds"))


def read_decisions(run_dir: Path) -> list[Decision]:
    path = run_dir / DECISIONS_FILE
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            out.append(Decision(**{k: data.get(k) for k in Decision.__dataclass_fields__}))
        except (json.JSONDecodeError, TypeError):
            continue
    return out


def apply_decisions(stakeholders: list[dict[str, Any]], decisions: list[Decision]) -> list[dict[str, Any]]:
    """The sign-off table: each listed role with its latest decision, or pending (unsigned) when it has none."""
    latest: dict[str, Decision] = {}
    for decision in decisions:
        latest[decision.role.strip().lower()] = decision
    table = []
    for person in stakeholders:
        found = latest.get(str(person["role"]).strip().lower())
        table.append({"role": person["role"], "name": person["name"],
                      "decision": LABELS.get(found.decision, found.decision) if found else "pending",
                      "signed_by": found.name if found else None, "date": found.date if found else None,
                      "comment": found.comment if found else None})
    return table


def signoff_status(table: list[dict[str, Any]], verdict: str) -> dict[str, Any]:
    rejected = [row["role"] for row in table if row["decision"] == "rejected"]
    pending = [row["role"] for row in table if row["decision"] == "pending"]
    if not table:
        state = "no stakeholders named in the profile"
    elif rejected:
        state = "rejected by " + ", ".join(rejected)
    elif pending:
        state = "awaiting " + ", ".join(pending)
    else:
        state = "signed off by every stakeholder" + ("" if verdict == "GO" else " (risk accepted on a NO-GO run)")
    return {"state": state, "pending": pending, "rejected": rejected,
            "complete": bool(table) and not pending and not rejected}
