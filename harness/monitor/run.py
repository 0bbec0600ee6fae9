"""One monitor run: the cadence's checks over read-only connections, the result appended to the history, the trend
page rebuilt, and the latest result of the cadence written beside them as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harness.monitor.daily import DailyThresholds, check_daily
from harness.monitor.history import append, previous
from harness.monitor.quarterly import check_quarterly
from harness.monitor.result import Cadence, MonitorResult
from harness.monitor.target import describe
from harness.monitor.trend import render_trend
from harness.monitor.weekly import check_weekly
from harness.profile import Profile
from harness.sandboxes import Sandboxes

HISTORY = "history.sqlite"
TREND = "trend.html"


@dataclass(frozen=True)
class MonitorOutput:
    result: MonitorResult
    history: Path
    trend: Path
    latest: Path
    row: int


def _fresh_folder(parent: Path) -> Path:
    """A new evidence folder per weekly run: the extraction resumes from a folder's manifest, so a reused folder
    (two runs in one second) would hand the second run the first one's records."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("", *(f"-{n}" for n in range(2, 1000))):
        folder = parent / f"{stamp}{suffix}"
        if not folder.exists():
            return folder
    raise RuntimeError(f"{parent}: no free evidence folder for {stamp}")


def run_monitor(cadence: Cadence, profile: Profile, sandboxes: Sandboxes, reports: Path,
                thresholds: DailyThresholds | None = None) -> MonitorOutput:
    target = describe(sandboxes)
    history = reports / HISTORY
    if cadence is Cadence.DAILY:
        result = check_daily(sandboxes, target, previous(history, Cadence.DAILY, target), thresholds)
    elif cadence is Cadence.WEEKLY:
        result = check_weekly(sandboxes, profile, target, _fresh_folder(reports / "weekly"))
    else:
        result = check_quarterly(sandboxes, profile, target)
    result.figures["api_calls_of_this_check"] = {s: f["used"] for s, f in sandboxes.budget.report().items()}
    row = append(history, result, str(profile.source))
    latest = reports / f"latest-{cadence.value}.json"
    latest.write_text(json.dumps(result.to_json(), indent=2, default=str) + "\n", encoding="utf-8")
    return MonitorOutput(result, history, render_trend(history, reports / TREND), latest, row)
