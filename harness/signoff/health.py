"""Sync health for the sign-off report: connector errors by category, API calls against the budget, and
time-to-sync (median, 95th percentile, maximum).

Each section is `None` when the run could not measure it (real sandboxes have no control plane to read the
connector's error log from): the report then says "not measured" rather than showing a reassuring zero.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime
from pathlib import Path
from statistics import median
from typing import Any

from harness.signoff.results import ScenarioResult
from harness.signoff.seeded import expected_reason

# The connector's Sync Health categories, as HubSpot's screen names them.
SYNC_CATEGORY_LABELS = {
    "associations": "Associations", "custom_code": "Custom code (Salesforce automation)", "duplicates": "Duplicates",
    "permissions": "Permissions", "picklists": "Picklists", "property_values": "Property values",
    "field_mappings": "Field mappings", "other": "Other",
}


# Where the platforms' messages name the field or property they refused (Salesforce: "Title: data value too large",
# "Unable to create/update fields: MQL_Date__c."; HubSpot: "hs_lead_status: x was not one of the allowed options").
_PROPERTY = [re.compile(r"(?:update fields|fields are missing): \[?([A-Za-z_]\w*)"), re.compile(r"^([A-Za-z_]\w*): "),
             re.compile(r"[.!]: ([A-Za-z_]\w*)$")]  # Salesforce's "<message>: <fields>"
_OPTION = re.compile(r"\[label: ([^,\]]+), value: [^\]]*\]")


def error_property(message: str | None) -> str | None:
    for pattern in _PROPERTY:
        found = pattern.search(message or "")
        if found:
            return found.group(1)
    return None


def readable_message(message: str | None) -> str:
    """One option per label, not HubSpot's six-field dump of each option."""
    return _OPTION.sub(r"\1", message or "")


def group_sync_errors(errors: list[dict[str, Any]], seeded: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Open errors grouped by (category, code, property), most records first: a count and one sample each, and
    whether the seed caused them on purpose (then with the reason)."""
    groups: dict[tuple[str, str, str | None, str | None], dict[str, Any]] = {}
    for error in errors:
        category, code = str(error.get("category") or "other"), str(error.get("code") or "")
        prop = error_property(error.get("message"))
        reason = expected_reason(error, code, seeded or {})
        key = (category, code, prop, reason)
        group = groups.setdefault(key, {
            "category": category, "label": SYNC_CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize()),
            "code": code, "property": prop, "errors": 0, "records": 0, "occurrences": 0, "_records": set(),
            "expected": reason is not None, "reason": reason,
            "sample": {"message": readable_message(error.get("message")),
                       **{k: error.get(k) for k in ("hubspot_object", "hubspot_id", "salesforce_object",
                                                     "salesforce_id")}}})
        group["errors"] += 1
        group["occurrences"] += int(error.get("occurrences") or 1)
        group["_records"].add((error.get("hubspot_object"), error.get("hubspot_id"), error.get("salesforce_id")))
    out = []
    for group in groups.values():
        group["records"] = len(group.pop("_records"))
        out.append(group)
    return sorted(out, key=lambda g: (g["expected"], -g["records"], g["category"], g["code"], g["property"] or ""))


def run_records(ledger: Path) -> dict[str, Any] | None:
    """The run's own records, from its ledger: every id it created or saw the connector create, and when the first
    was created (epoch seconds). None when the run has no ledger: then every open error counts as the run's."""
    if not ledger.exists():
        return None
    ids, since = set(), None
    for line in ledger.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("id"):
            ids.add(str(entry["id"]))
        created = entry.get("created_at")
        if isinstance(created, (int, float)):
            since = created if since is None else min(since, created)
    return {"ids": sorted(ids), "since": since}


def _epoch(stamp: Any) -> float | None:
    try:
        return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def is_own(error: dict[str, Any], own: dict[str, Any]) -> bool:
    """An error on a record of the run's ledger, or first seen once the run had begun creating records."""
    ids = own.get("_ids") or set(own.get("ids") or [])
    if any(str(error.get(k)) in ids for k in ("hubspot_id", "salesforce_id") if error.get(k)):
        return True
    seen, since = _epoch(error.get("first_seen")), own.get("since")
    return seen is not None and since is not None and seen >= since


def sync_health_summary(health: dict[str, Any] | None, seeded: dict[str, str] | None = None,
                        own: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """`seeded`: record id -> the edge case the seed planted it for (seeded.py): its errors are expected.
    `own`: the run's records (`run_records`): errors on others (earlier runs on a served twin, other people's
    records in a shared sandbox) are shown but not counted as the run's."""
    if not health:
        return None
    by_category = health.get("by_category") or {}
    rows = [{"category": key, "label": SYNC_CATEGORY_LABELS.get(key, key.replace("_", " ").capitalize()),
             "errors": int((value or {}).get("errors", 0)), "records": int((value or {}).get("records", 0))}
            for key, value in by_category.items()]
    errors = health.get("errors") or []
    total = sum(r["errors"] for r in rows)
    if own is not None:
        mine = {**own, "_ids": set(own.get("ids") or [])}
        errors = [e for e in errors if is_own(e, mine)]
    groups = group_sync_errors(errors, seeded)
    expected = sum(g["errors"] for g in groups if g["expected"])
    open_errors = len(errors) if own is not None else total
    return {
        "categories": rows,
        "open_errors": open_errors,
        "earlier_errors": total - open_errors,
        "expected_errors": expected,
        "unexpected_errors": open_errors - expected,
        "records_with_errors": sum(r["records"] for r in rows),
        "groups": groups,
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
