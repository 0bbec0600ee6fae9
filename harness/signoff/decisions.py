"""Stakeholder decisions on a run: `decisions.jsonl` in the run folder, one decision per line, never rewritten.

Append-only and fsynced like the ledger: a sign-off is a record people rely on later, so a decision once made is
kept, and a changed mind is a new line (the latest per role counts; the trail shows them all). Each decision names
the report content it approves (`content_sha256`, see integrity.py), who recorded it on this machine, and, when it
replaces another person's decision for the role, which one (`supersedes`, only with `--supersede --comment`).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness.signoff.integrity import identity_text, sha256_text

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
    content_sha256: str | None = None  # the report content approved (None: recorded by an earlier version)
    recorded_by: dict[str, Any] | None = None  # {"os_user": ..., "git_email": ...}
    supersedes: str | None = None  # "<name>, <date>" of another person's decision this one replaces
    previous_sha256: str | None = None  # the line before in decisions.jsonl (a hash chain)


def record_decision(run_dir: Path, decision: Decision) -> Decision:
    path = run_dir / DECISIONS_FILE
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.exists() else []
    chained = Decision(**{**asdict(decision), "previous_sha256": sha256_text(lines[-1]) if lines else None})
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(chained), sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return chained


def new_decision(role: str, name: str, decision: str, comment: str | None, verdict: str | None,
                 content_sha256: str | None = None, recorded_by: dict[str, Any] | None = None,
                 supersedes: str | None = None) -> Decision:
    return Decision(role=role, name=name, decision=decision, comment=comment or None, verdict=verdict,
                    date=datetime.now(UTC).isoformat(timespec="seconds"), content_sha256=content_sha256,
                    recorded_by=recorded_by, supersedes=supersedes)


def decision_lines(run_dir: Path) -> list[str]:
    path = run_dir / DECISIONS_FILE
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_decisions(run_dir: Path) -> list[Decision]:
    out = []
    for line in decision_lines(run_dir):
        try:
            data = json.loads(line)
            out.append(Decision(**{k: data.get(k) for k in Decision.__dataclass_fields__}))
        except (json.JSONDecodeError, TypeError):
            continue
    return out


def latest_by_role(decisions: list[Decision]) -> dict[str, Decision]:
    latest: dict[str, Decision] = {}
    for decision in decisions:
        latest[decision.role.strip().lower()] = decision
    return latest


def same_person(a: Decision, name: str, identity: dict[str, Any] | None) -> bool:
    """The same name and, where both were recorded, the same local account: a person changing their own mind."""
    if a.name.strip().casefold() != name.strip().casefold():
        return False
    before, now = a.recorded_by or {}, identity or {}
    return all(before.get(k) == now.get(k) for k in ("os_user", "git_email") if before.get(k) and now.get(k))


def is_stale(decision: Decision, current_sha256: str | None) -> bool:
    return decision.content_sha256 is None or decision.content_sha256 != current_sha256


def apply_decisions(stakeholders: list[dict[str, Any]], decisions: list[Decision],
                    current_sha256: str | None = None) -> list[dict[str, Any]]:
    """The sign-off table: each listed role with its latest decision, or pending (unsigned) when it has none. A
    decision made on other report content than the one shown is marked stale and does not count as signed."""
    latest = latest_by_role(decisions)
    table = []
    for person in stakeholders:
        role_key = str(person["role"]).strip().lower()
        found = latest.get(role_key)
        earlier = [d for d in decisions if d.role.strip().lower() == role_key and d is not found]
        stale = found is not None and is_stale(found, current_sha256)
        table.append({"role": person["role"], "name": person["name"],
                      "decision": LABELS.get(found.decision, found.decision) if found else "pending",
                      "signed_by": found.name if found else None, "date": found.date if found else None,
                      "comment": found.comment if found else None, "stale": stale,
                      "recorded_by": identity_text(found.recorded_by) if found else None,
                      "content_sha256": found.content_sha256 if found else None,
                      "supersedes": found.supersedes if found else None, "earlier_decisions": len(earlier)})
    return table


def decision_trail(decisions: list[Decision], current_sha256: str | None) -> list[dict[str, Any]]:
    """Every decision, oldest first, with whether it is the role's current one and whether it is stale."""
    latest = latest_by_role(decisions)
    return [{**asdict(d), "label": LABELS.get(d.decision, d.decision), "stale": is_stale(d, current_sha256),
             "current": latest.get(d.role.strip().lower()) is d, "recorded_by_text": identity_text(d.recorded_by)}
            for d in decisions]


def signoff_status(table: list[dict[str, Any]], verdict: str) -> dict[str, Any]:
    rejected = [row["role"] for row in table if row["decision"] == "rejected" and not row.get("stale")]
    stale = [row["role"] for row in table if row["decision"] != "pending" and row.get("stale")]
    pending = [row["role"] for row in table if row["decision"] == "pending"]
    if not table:
        state = "no stakeholders named in the profile"
    elif rejected:
        state = "rejected by " + ", ".join(rejected)
    elif pending or stale:
        state = "; ".join(part for part in (
            pending and "awaiting " + ", ".join(pending),
            stale and "stale decision of " + ", ".join(stale) + " (made on other report content: sign again)") if part)
    else:
        state = "signed off by every stakeholder" + ("" if verdict == "GO" else " (risk accepted on a NO-GO run)")
    return {"state": state, "pending": pending, "rejected": rejected, "stale": stale,
            "complete": bool(table) and not pending and not rejected and not stale}
