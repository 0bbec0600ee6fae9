"""Sync health for the sign-off report: connector errors by category, API calls against the budget, and
time-to-sync (median, 95th percentile, maximum).

Each section is `None` when the run could not measure it (real sandboxes have no control plane to read the
connector's error log from): the report then says "not measured" rather than showing a reassuring zero.
"""

from __future__ import annotations

import math
from statistics import median
from typing import Any

from harness.signoff.results import ScenarioResult

# The connector's Sync Health categories, as HubSpot's screen names them.
SYNC_CATEGORY_LABELS = {
    "associations": "Associations", "custom_code": "Custom code (Salesforce automation)", "duplicates": "Duplicates",
    "permissions": "Permissions", "picklists": "Picklists", "property_values": "Property values",
    "field_mappings": "Field mappings", "other": "Other",
}


def sync_health_summary(health: dict[str, Any] | None) -> dict[str, Any] | None:
    if not health:
        return None
    by_category = health.get("by_category") or {}
    rows = [{"category": key, "label": SYNC_CATEGORY_LABELS.get(key, key.replace("_", " ").capitalize()),
             "errors": int((value or {}).get("errors", 0)), "records": int((value or {}).get("records", 0))}
            for key, value in by_category.items()]
    errors = health.get("errors") or []
    return {
        "categories": rows,
        "open_errors": sum(r["errors"] for r in rows),
        "records_with_errors": sum(r["records"] for r in rows),
        "examples": [{k: e.get(k) for k in ("category", "code", "message", "hubspot_object", "hubspot_id",
                                               "salesforce_object", "salesforce_id", "occurrences")}
                     for e in errors[:20]],
        "connector": {"paused": health.get("paused"), "suspended": health.get("suspended"),
                      "cycles": health.get("cycles"), "last_successful_sync_ms": health.get("last_successful_sync_ms")},
        "salesforce_api_usage": health.get("api_usage"),
    }


def api_budget_summary(report: dict[str, dict[str, int]] | None) -> list[dict[str, Any]] | None:
    if report is None:
        return None
    rows = []
    for system, figures in sorted(report.items()):
        used, limit = int(figures.get("used", 0)), int(figures.get("limit", 0))
        rows.append({"system": system, "used": used, "limit": limit or None, "retries": int(figures.get("retries", 0)),
                     "share": round(used / limit, 4) if limit else None, "within": used <= limit if limit else None})
    return rows


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: always a value that was observed, which is what a reader expects of
    'the 95th percentile was 4.2 s' (no interpolation between two syncs that both happened)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def time_to_sync(results: list[ScenarioResult]) -> dict[str, Any] | None:
    """Per-expectation sync times the scenarios recorded (the waiter's timings, via the Allure hooks)."""
    samples: list[dict[str, Any]] = []
    for result in results:
        for entry in (result.evidence or {}).get("time_to_sync", []) or []:
            if isinstance(entry, dict) and isinstance(entry.get("seconds"), (int, float)):
                samples.append({**entry, "scenario": result.scenario, "feature": result.feature})
    if not samples:
        return None
    synced = [s["seconds"] for s in samples if s.get("ok", True)]
    timeouts = [s for s in samples if not s.get("ok", True)]
    stats = {"expectations": len(samples), "synced": len(synced), "timeouts": len(timeouts),
             "median": round(median(synced), 3) if synced else None,
             "p95": round(percentile(synced, 0.95), 3) if synced else None,
             "max": round(max(synced), 3) if synced else None,
             "samples": [round(s, 3) for s in synced],
             "slowest": sorted(samples, key=lambda s: -s["seconds"])[:5]}
    return stats
