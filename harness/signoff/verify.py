"""`uat signoff verify`: does every decision still hold against the report the run folder shows?

Checked, in the order a reader would ask:
1. the report content: signoff.json's content hashes to the hash it records (else it was edited after writing);
2. the renderings: signoff.html and signoff.md show that same hash (else they show other content);
3. the trail: decisions.jsonl's hash chain holds, and it is the file signoff.json was last rendered with;
4. the sign-off table in signoff.json is the one the trail gives (no decision added or changed by hand);
5. each decision: the role's current decision approves the content shown (else stale); earlier decisions are
   listed as superseded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.signoff.decisions import (
    DECISIONS_FILE,
    LABELS,
    apply_decisions,
    decision_lines,
    latest_by_role,
    read_decisions,
)
from harness.signoff.integrity import Check, chain_problems, content_sha256, file_sha256

SHOWN_IN = ("signoff.html", "signoff.md")


def _short(digest: str | None) -> str:
    return (digest or "none")[:12]


def verify_run(run_dir: Path) -> list[Check]:
    data: dict[str, Any] = json.loads((run_dir / "signoff.json").read_text(encoding="utf-8"))
    recorded = data.get("content_sha256")
    actual = content_sha256(data)
    checks = []
    if not recorded:
        checks.append(Check("signoff.json", "tampered", "records no content hash (written by an earlier version, "
                            "or the hash was removed): re-render it with this version before signing"))
    elif recorded != actual:
        checks.append(Check("signoff.json", "tampered", f"its content hashes to {_short(actual)}, not the "
                            f"{_short(recorded)} it records: it was changed after the run wrote it"))
    else:
        checks.append(Check("signoff.json", "ok", f"content sha256 {actual}"))
    for name in SHOWN_IN:
        path = run_dir / name
        if not path.exists():
            continue
        if actual in path.read_text(encoding="utf-8"):
            checks.append(Check(name, "ok", "shows the same report content"))
        else:
            checks.append(Check(name, "stale", f"does not show report content {_short(actual)}: re-render it "
                                "(`uat signoff show` prints the table; a new decision re-renders every file)"))
    lines = decision_lines(run_dir)
    problems = chain_problems(lines)
    on_file = file_sha256(run_dir / DECISIONS_FILE)
    if problems:
        checks.append(Check(DECISIONS_FILE, "tampered", "; ".join(problems)))
    elif data.get("decisions_sha256") != on_file:
        checks.append(Check(DECISIONS_FILE, "tampered", "differs from the trail the report was last rendered with "
                            "(a line edited, added or removed by hand)"))
    elif lines:
        checks.append(Check(DECISIONS_FILE, "ok", f"{len(lines)} decision(s), chain intact"))
    decisions = read_decisions(run_dir)
    listed = [{"role": s.get("role"), "name": s.get("name")} for s in data.get("stakeholders") or []]
    derived = apply_decisions(listed, decisions, recorded)
    keys = ("role", "decision", "signed_by", "date", "comment")
    shown = [{k: s.get(k) for k in keys} for s in data.get("stakeholders") or []]
    if shown != [{k: s.get(k) for k in keys} for s in derived]:
        checks.append(Check("sign-off table", "tampered", "signoff.json's sign-off table is not the one "
                            f"{DECISIONS_FILE} gives"))
    latest = latest_by_role(decisions)
    for decision in decisions:
        subject = f"{decision.role}: {LABELS.get(decision.decision, decision.decision)} by {decision.name}, {decision.date}"
        if latest.get(decision.role.strip().lower()) is not decision:
            checks.append(Check(subject, "superseded", "a later decision for the role replaced it"))
        elif decision.content_sha256 is None:
            checks.append(Check(subject, "stale", "records no report content hash (recorded by an earlier version)"))
        elif decision.content_sha256 != actual:
            checks.append(Check(subject, "stale", f"made on report content {_short(decision.content_sha256)}; "
                                f"the report shows {_short(actual)}"))
        else:
            checks.append(Check(subject, "ok", f"approves the content shown ({_short(actual)})"
                                if decision.decision == "approve" else
                                f"rejects the content shown ({_short(actual)})"))
    return checks
