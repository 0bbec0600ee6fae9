"""The reconciliation summary of the sign-off report: counts and variance per object, key totals, orphans.

Accepted as data, in any of the shapes the engine (`harness.reconcile`) produces: a run-level
`ReconciliationReport` (or its `as_dict()`, as written to the run folder's `reconciliation/report.json`), or a
list of per-object `ObjectReconciliation` (or dicts, as appended to `reconciliation.jsonl` by
`harness.report.evidence.record_reconciliation`). Absent everywhere: the report says "not measured".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.signoff.results import json_lines

RECONCILIATION_FILE = "reconciliation.jsonl"
RUN_REPORT_FILE = Path("reconciliation") / "report.json"


def _plain(item: Any) -> Any:
    return item.as_dict() if hasattr(item, "as_dict") else item


def read_reconciliation(run_dir: Path) -> Any:
    """The run-level report when the run wrote one, else the per-object lines the scenarios recorded."""
    run_report = run_dir / RUN_REPORT_FILE
    if run_report.exists():
        try:
            return json.loads(run_report.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass
    path = run_dir / RECONCILIATION_FILE
    if not path.exists():
        return None
    latest: dict[str, dict[str, Any]] = {}
    for item in json_lines(path):
        if isinstance(item, dict):
            latest[str(item.get("name") or item.get("hubspot_object") or len(latest))] = item
    return list(latest.values()) or None


def summarise(reconciliation: Any, orphans: dict[str, Any] | None = None) -> dict[str, Any] | None:
    data = _plain(reconciliation)
    if isinstance(data, dict):
        objects, orphans = data.get("objects") or [], orphans or data.get("orphans")
    else:
        objects = data or []
    items = [p for p in (_plain(o) for o in objects) if isinstance(p, dict)]
    if not items and not orphans:
        return None
    rows, totals = [], []
    for o in items:
        rows.append({
            "object": o.get("name"), "hubspot_object": o.get("hubspot_object"),
            "salesforce_object": o.get("salesforce_object"),
            "hubspot": o.get("hubspot_count"), "salesforce": o.get("salesforce_count"),
            "variance": o.get("variance"), "variance_pct": o.get("variance_pct"),
            "within_tolerance": o.get("within_tolerance"), "compared": o.get("compared_pairs"),
            "mismatched": o.get("mismatched_pairs"), "field_mismatches": o.get("field_mismatches") or {},
            "unmatched_hubspot": o.get("unmatched_hubspot"), "unmatched_salesforce": o.get("unmatched_salesforce"),
            "clean": bool(o.get("clean", bool(o.get("within_tolerance")) and not o.get("mismatched_pairs"))),
            "mismatch_csv": o.get("mismatch_csv"),
        })
        for total in o.get("totals") or []:
            total = _plain(total) or {}
            for group in total.get("groups") or []:
                totals.append({"object": o.get("name"), "total": total.get("name"), **group})
    orphan_rows = orphan_table(orphans, items)
    real = sum(r["count"] for r in orphan_rows if not r["noted"])
    return {"objects": rows, "totals": totals, "orphans": orphan_rows, "orphan_count": real,
            "clean": all(r["clean"] for r in rows) and real == 0,
            "within_tolerance": all(bool(r["within_tolerance"]) for r in rows)}


def orphan_table(orphans: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Named orphan classes when the engine gives them; otherwise the records left unmatched per side."""
    orphans = _plain(orphans)
    if isinstance(orphans, dict) and "by_class" in orphans:
        # The run-level engine: {"by_class": {kind: n}, "classes": {kind: label}, "records": [{kind, id, detail}]}.
        labels, records = orphans.get("classes") or {}, orphans.get("records") or []
        noted = set(orphans.get("noted") or ["duplicate_of_synced"])
        return [{"class": labels.get(kind, kind.replace("_", " ")), "key": kind, "count": int(count or 0),
                 "noted": kind in noted,
                 "examples": [f"{r.get('object')} {r.get('id')}: {r.get('detail')}" for r in records
                              if r.get("kind") == kind][:5]}
                for kind, count in orphans["by_class"].items()]
    rows: list[dict[str, Any]] = []
    if isinstance(orphans, dict):
        for name, value in orphans.items():
            value = _plain(value)
            if isinstance(value, (list, tuple)):
                count, examples = len(value), [str(v) for v in value[:5]]
            elif isinstance(value, dict):
                count, examples = int(value.get("count", 0)), [str(v) for v in (value.get("examples") or [])[:5]]
            else:
                count, examples = int(value or 0), []
            rows.append({"class": name, "key": name, "count": count, "noted": False, "examples": examples})
        return rows
    for o in items:
        for side, label in (("hubspot", "HubSpot"), ("salesforce", "Salesforce")):
            examples = (o.get("unmatched_examples") or {}).get(side) or []
            rows.append({"class": f"{o.get('name')}: in {label} only", "key": f"unmatched_{side}",
                         "count": int(o.get(f"unmatched_{side}") or 0), "noted": False,
                         "examples": [", ".join(str(x) for x in e) if isinstance(e, (list, tuple)) else str(e)
                                      for e in examples[:5]]})
    return rows
