"""The phase table's rows, as the terminal summary, signoff.md and signoff.html all show them: where the run's time
went, per phase, with the API calls it made and the time it spent waiting (sync window, pacing, backoff)."""

from __future__ import annotations

from typing import Any

PHASE_HEADERS = ["Phase", "Seconds", "Share", "HubSpot calls", "Salesforce calls", "Retries",
                 "Waiting: sync window", "pacing", "backoff"]


def _seconds(value: float) -> str:
    return f"{value:.1f}" if value else "–"


def phase_rows(timings: list[dict[str, Any]] | None) -> list[list[str]]:
    """One row per phase and a total; empty when the run recorded no phases."""
    if not timings:
        return []
    total = sum(float(t.get("seconds", 0.0)) for t in timings) or 1.0
    rows, sums = [], {"hubspot": 0, "salesforce": 0, "retries": 0, "sync": 0.0, "pacing": 0.0, "backoff": 0.0}
    for t in timings:
        calls, waited = t.get("calls") or {}, t.get("waited") or {}
        retries = sum((t.get("retries") or {}).values())
        for key, value in (("hubspot", calls.get("hubspot", 0)), ("salesforce", calls.get("salesforce", 0)),
                           ("retries", retries), *((kind, waited.get(kind, 0.0)) for kind in ("sync", "pacing", "backoff"))):
            sums[key] += value
        seconds = float(t.get("seconds", 0.0))
        rows.append([t["phase"], f"{seconds:.1f}", f"{seconds / total:.0%}", str(calls.get("hubspot", 0)),
                     str(calls.get("salesforce", 0)), str(retries), _seconds(waited.get("sync", 0.0)),
                     _seconds(waited.get("pacing", 0.0)), _seconds(waited.get("backoff", 0.0))])
    rows.append(["total", f"{sum(float(t.get('seconds', 0.0)) for t in timings):.1f}", "100%", str(sums["hubspot"]),
                 str(sums["salesforce"]), str(sums["retries"]), _seconds(sums["sync"]), _seconds(sums["pacing"]),
                 _seconds(sums["backoff"])])
    return rows
