"""The defect log: one entry per failed scenario, with the category, severity and functional owner a triage
meeting needs, and the evidence a reader would open first."""

from __future__ import annotations

from typing import Any

from harness.signoff.categories import CATEGORIES
from harness.signoff.criteria import severity_of
from harness.signoff.owners import functional_owner
from harness.signoff.results import ScenarioResult

SEVERITY_RANK = {"blocker": 0, "critical": 1, "normal": 2, "minor": 3, "trivial": 4}


def _evidence_lines(result: ScenarioResult) -> list[str]:
    """The message's first meaningful line, then the evidence the steps recorded (diffs, attachments)."""
    lines = []
    message = (result.message or "").strip()
    if message:
        lines.append(message.splitlines()[0][:300])
        detail = "\n".join(message.splitlines()[1:]).strip()
        if detail:
            lines.append(detail[:700])
    for item in (result.evidence or {}).get("items", []) or []:
        if isinstance(item, dict) and item.get("summary"):
            lines.append(str(item["summary"])[:300])
    return lines


def defect_log(profile: Any, results: list[ScenarioResult]) -> list[dict[str, Any]]:
    failed = [r for r in results if r.outcome == "failed"]
    # Worst first, so the first rows are the ones that decide a NO-GO; ids follow that order.
    failed.sort(key=lambda r: (SEVERITY_RANK.get(severity_of(r.tags), 2), r.feature, r.scenario))
    defects = []
    for number, r in enumerate(failed, start=1):
        key = r.category or "other"
        lines = _evidence_lines(r)
        defects.append({
            "id": f"D-{number:03d}", "category": CATEGORIES.get(key, CATEGORIES["other"]), "category_key": key,
            "severity": severity_of(r.tags), "owner": functional_owner(profile, r.tags),
            "feature": r.feature, "scenario": r.scenario, "nodeid": r.nodeid,
            "objects": sorted(t[len("object_"):] for t in r.tags if t.startswith("object_")),
            "fields": sorted(t[len("field_"):] for t in r.tags if t.startswith("field_")),
            "summary": lines[0] if lines else "",
            "evidence": "\n".join(lines[1:]),
            "attachments": [str(a) for a in (r.evidence or {}).get("attachments", []) or []],
        })
    return defects
