"""The defect log: one entry per failed scenario, with the category, severity and functional owner a triage
meeting needs, and the evidence a reader would open first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harness.signoff.categories import CATEGORIES
from harness.signoff.criteria import severity_of
from harness.signoff.owners import functional_owner
from harness.signoff.readable import blocks_text, message_blocks, plain_text, shorten
from harness.signoff.results import ScenarioResult

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

SEVERITY_RANK = {"blocker": 0, "critical": 1, "normal": 2, "minor": 3, "trivial": 4}


def _summary_and_blocks(result: ScenarioResult) -> tuple[str, list[dict[str, Any]]]:
    """The message's first line (the finding, without the exception's class path), then the evidence: what the
    failure carried (tables, differences, Sync Health errors) and what the steps recorded beside it."""
    message = (result.message or "").strip()
    lines = message.splitlines()
    summary = shorten(plain_text(lines[0])) if lines else ""
    blocks = message_blocks("\n".join(lines[1:])) if len(lines) > 1 else []
    # The hooks attach the failure's own difference as an item too, named after the message: shown once is enough.
    head = summary[:40]
    notes = []
    for item in (result.evidence or {}).get("items", []) or []:
        if isinstance(item, dict) and item.get("summary"):
            note = plain_text(str(item["summary"]))
            if head and note.startswith(head):
                continue
            notes.append(shorten(note, 300))
    if notes:
        blocks.append({"kind": "text", "text": "\n".join(dict.fromkeys(notes))})
    return summary, blocks


def defect_log(profile: Profile, results: list[ScenarioResult]) -> list[dict[str, Any]]:
    failed = [r for r in results if r.outcome == "failed"]
    # Worst first, so the first rows are the ones that decide a NO-GO; ids follow that order.
    failed.sort(key=lambda r: (SEVERITY_RANK.get(severity_of(r.tags), 2), r.feature, r.title))
    defects = []
    for number, r in enumerate(failed, start=1):
        key = r.category or "other"
        summary, blocks = _summary_and_blocks(r)
        defects.append({
            "id": f"D-{number:03d}", "category": CATEGORIES.get(key, CATEGORIES["other"]), "category_key": key,
            "severity": severity_of(r.tags), "owner": functional_owner(profile, r.tags),
            "feature": r.feature, "scenario": r.title, "nodeid": r.nodeid, "example": r.example,
            "objects": sorted(t[len("object_"):] for t in r.tags if t.startswith("object_")),
            "fields": sorted(t[len("field_"):] for t in r.tags if t.startswith("field_")),
            "summary": summary,
            "evidence": blocks_text(blocks),
            "evidence_blocks": blocks,
            "attachments": [str(a) for a in (r.evidence or {}).get("attachments", []) or []],
        })
    return defects
