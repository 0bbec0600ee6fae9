"""Daily: the sync-health check. API usage against the allocation, open Sync Health errors by category with their
change since the previous daily run of the same target, and the last successful sync.

Sync Health (errors, last successful sync, the connector's own API allocation) is read from the twin's control
plane. HubSpot offers no API for it on real portals, so there it is "not evaluated", said so in the result and the
page, never shown as zero errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from harness.monitor.history import HistoryRow
from harness.monitor.reading import reading
from harness.monitor.result import Alert, Cadence, MonitorResult
from harness.monitor.usage import hubspot_usage, salesforce_usage
from harness.sandboxes import Sandboxes
from harness.signoff.health import SYNC_CATEGORY_LABELS

NO_SYNC_HEALTH_API = ("Sync Health (open errors by category, last successful sync, the connector's API allocation): "
                      "not evaluated: HubSpot's Sync Health is not readable by API on real portals; read it in HubSpot "
                      "under Settings > Integrations > Connected apps > Salesforce > Sync Health")


@dataclass(frozen=True)
class DailyThresholds:
    api_usage_percent: float = 80.0  # alert at this share of a daily allocation
    stale_sync_hours: float = 24.0  # alert when the last successful sync is older than this


def _usage_alerts(result: MonitorResult, thresholds: DailyThresholds) -> None:
    for system, figure in result.figures["api_usage"].items():
        exact = figure["used"] / figure["limit"] * 100 if figure and figure["limit"] else None  # unrounded
        if exact is not None and exact >= thresholds.api_usage_percent:
            result.alerts.append(Alert("API usage", f"{system} has used {figure['used']} of {figure['limit']} daily API "
                                       f"calls ({figure['percent']}%, alert at {thresholds.api_usage_percent}%)"))


def _error_figures(health: dict[str, Any], previous: HistoryRow | None) -> dict[str, Any]:
    by_category = {key: int((value or {}).get("errors", 0)) for key, value in (health.get("by_category") or {}).items()}
    by_category = {key: by_category.get(key, 0) for key in [*SYNC_CATEGORY_LABELS, *sorted(by_category)]}
    before = ((previous.result.get("figures") or {}).get("errors") or {}).get("by_category") if previous else None
    delta = {key: count - int((before or {}).get(key, 0)) for key, count in by_category.items()}
    return {"by_category": by_category, "open": sum(by_category.values()),
            "records": sum(int((v or {}).get("records", 0)) for v in (health.get("by_category") or {}).values()),
            "delta": delta if before is not None else None, "previous_run": previous.at if previous else None}


def _error_alerts(result: MonitorResult) -> None:
    errors = result.figures["errors"]
    if errors["delta"] is None:
        if errors["open"]:
            grown = ", ".join(f"{SYNC_CATEGORY_LABELS.get(k, k)} {n}" for k, n in errors["by_category"].items() if n)
            result.alerts.append(Alert("Sync Health errors", f"{errors['open']} open errors ({grown}); no previous "
                                       "daily run of this target to compare with"))
        return
    for key, change in errors["delta"].items():
        if change > 0:
            result.alerts.append(Alert("Sync Health errors", f"{SYNC_CATEGORY_LABELS.get(key, key)}: {change} more "
                                       f"open errors than at the previous daily run ({errors['previous_run']}), now "
                                       f"{errors['by_category'][key]}"))


def _sync_figures(result: MonitorResult, health: dict[str, Any], thresholds: DailyThresholds) -> None:
    last_ms, now_ms = health.get("last_successful_sync_ms"), health.get("now_ms")
    cycles = int(health.get("cycles") or 0)
    age = (now_ms - last_ms) / 3_600_000 if last_ms and now_ms else None
    result.figures["last_successful_sync"] = {
        "at": datetime.fromtimestamp(last_ms / 1000, UTC).isoformat(timespec="seconds") if last_ms else None,
        "age_hours": round(age, 3) if age is not None else None, "cycles": cycles, "paused": bool(health.get("paused")),
        "suspended": bool(health.get("suspended"))}
    if health.get("suspended"):
        result.alerts.append(Alert("Connector", f"the connector is suspended: {health.get('suspension_detail') or ''}"
                                   .rstrip(": ")))
    elif health.get("paused"):
        result.alerts.append(Alert("Connector", "the connector is paused: nothing syncs until it is resumed"))
    if cycles and last_ms is None:
        result.alerts.append(Alert("Last successful sync", f"none in {cycles} sync cycles"))
    elif age is not None and age > thresholds.stale_sync_hours:
        result.alerts.append(Alert("Last successful sync", f"{age:.2f} hours ago (alert after "
                                   f"{thresholds.stale_sync_hours:g} hours)"))
    allocation = health.get("api_usage") or {}
    used, allowed = allocation.get("used_last_24h"), allocation.get("allocated_to_hubspot")
    if used is not None and allowed:
        share = round(used / allowed * 100, 2)
        result.figures["api_usage"]["connector"] = {"used": used, "limit": allowed, "percent": share,
                                                    "source": "Sync Health: the connector's Salesforce API allocation"}


def check_daily(sandboxes: Sandboxes, target: str, previous: HistoryRow | None,
                thresholds: DailyThresholds | None = None) -> MonitorResult:
    thresholds = thresholds or DailyThresholds()
    result = MonitorResult(Cadence.DAILY, target)
    usage: dict[str, Any] = {}
    for system, read in (("salesforce", salesforce_usage), ("hubspot", hubspot_usage)):
        usage[system], why = read(sandboxes)
        if usage[system] is None:
            result.not_evaluated.append(f"{system} API usage: not evaluated: {why}")
    result.figures["api_usage"] = usage
    if sandboxes.control is None:
        result.not_evaluated.append(NO_SYNC_HEALTH_API)
        result.figures["errors"] = None
        result.figures["last_successful_sync"] = None
    else:
        result.figures["errors"] = result.figures["last_successful_sync"] = None
        with reading(result, "Sync Health"):
            health = sandboxes.control.health()
            result.figures["errors"] = _error_figures(health, previous)
            _error_alerts(result)
            _sync_figures(result, health, thresholds)
    _usage_alerts(result, thresholds)
    return result
