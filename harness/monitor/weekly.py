"""Weekly: the reconciliation report. Object counts and orphaned records compared across the two systems, with
alerts where the profile's variance thresholds (`reconciliation.objects.<object>`: max_count_diff,
max_count_diff_percent, max_orphans) are passed.

The population is every record of each reconciled object, extracted and compared by whole-population
reconciliation (harness/reconcile/whole.py: Bulk 2.0 query jobs, HubSpot CRM exports with list paging as the
fallback, DuckDB); its reads pass the read-only guard (a Bulk 2.0 *query* job and an export start are reads).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.monitor.reading import reading
from harness.monitor.result import Alert, Cadence, MonitorResult
from harness.profile import Profile
from harness.reconcile.orphans import ORPHAN_CLASSES
from harness.reconcile.whole import reconcile_whole
from harness.sandboxes import Sandboxes


def _object_figures(report: dict[str, Any]) -> list[dict[str, Any]]:
    keep = ("name", "hubspot_object", "salesforce_object", "hubspot_count", "salesforce_count", "variance",
            "variance_pct", "within_tolerance", "mismatched_pairs", "unmatched_hubspot", "unmatched_salesforce")
    return [{k: o.get(k) for k in keep} for o in report.get("objects", [])]


def check_weekly(sandboxes: Sandboxes, profile: Profile, target: str, out_dir: Path) -> MonitorResult:
    result = MonitorResult(Cadence.WEEKLY, target)
    if not profile.reconciliation or not profile.reconciliation.objects:
        result.not_evaluated.append(f"reconciliation: not evaluated: {profile.source} has no reconciliation.objects "
                                    "(the objects and their variance thresholds)")
        return result
    with reading(result, "Reconciliation"):
        report = reconcile_whole(sandboxes, profile, out_dir, "all").as_dict()
    if result.alerts:  # the population could not be read: nothing to compare
        return result
    extraction = json.loads((out_dir / "extraction.json").read_text(encoding="utf-8"))
    objects = _object_figures(report)
    orphans = {k: n for k, n in ((report.get("orphans") or {}).get("by_class") or {}).items() if k in ORPHAN_CLASSES}
    allowed = sum(t.max_orphans for t in profile.reconciliation.objects.values())
    result.figures.update({"objects": objects, "orphans": orphans, "orphans_total": sum(orphans.values()),
                           "orphans_allowed": allowed,
                           "extraction": {"paths": {f"{o['system']} {o['object']}": o["path"] for o in extraction["objects"]},
                                          "api_calls": extraction["api_calls"],
                                          "minimum_calls": extraction["minimum_calls"]},
                           "evidence": str(out_dir)})
    for figure in objects:
        if not figure["within_tolerance"]:
            tolerance = profile.reconciliation.objects.get(figure["hubspot_object"])
            limit = (f"max {tolerance.max_count_diff} or {tolerance.max_count_diff_percent}%" if tolerance else "")
            result.alerts.append(Alert("Object counts", f"{figure['name']}: HubSpot {figure['hubspot_count']}, "
                                       f"Salesforce {figure['salesforce_count']}: {figure['variance']} apart "
                                       f"({figure['variance_pct']}%; {limit})"))
    if sum(orphans.values()) > allowed:
        named = "; ".join(f"{ORPHAN_CLASSES[k]}: {n}" for k, n in orphans.items() if n)
        result.alerts.append(Alert("Orphaned records", f"{sum(orphans.values())} (allowed {allowed}): {named}"))
    return result
