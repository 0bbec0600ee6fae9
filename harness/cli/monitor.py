"""`uat monitor daily|weekly|quarterly [--profile P]`: post-go-live monitoring over read-only connections.

Exit 0: no alert; 1: at least one alert (the result, the history and the trend page are written either way);
2: bad input (one line, nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from harness.errors import UserError
from harness.monitor.result import Cadence
from harness.paths import PROJECT_ROOT, REPORTS

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"


def monitor(cadence: Cadence = typer.Argument(..., help="daily: sync health; weekly: whole-population "
                                              "reconciliation; quarterly: conformance, automation audit, dead-stage "
                                              "logic and governance lint"),
            profile: Path = typer.Option(DEFAULT_PROFILE, "--profile", help="integration profile (YAML)"),
            org: str | None = typer.Option(None, help="twin only: the org fixture to read (default: the profile's)"),
            state_dir: Path | None = typer.Option(None, "--state-dir", help="twin only: a state directory to keep "
                                                  "between runs"),
            reports: Path = typer.Option(REPORTS / "monitor", "--reports", help="folder of the history "
                                         "(history.sqlite) and the trend page (trend.html)"),
            api_usage_alert: float = typer.Option(80.0, "--api-usage-alert", min=1.0, max=100.0,
                                                  help="daily: alert at this % of a daily API allocation"),
            stale_sync_hours: float = typer.Option(24.0, "--stale-sync-hours", min=0.01,
                                                   help="daily: alert when the last successful sync is older")) -> None:
    """Read the integration on the guide's cadence; exit 1 on any alert. Read-only: may point at production."""
    from harness.monitor.daily import DailyThresholds
    from harness.monitor.run import run_monitor
    from harness.monitor.target import monitor_target
    from harness.profile import load_profile

    loaded = load_profile(profile)
    if reports.exists() and not reports.is_dir():
        raise UserError(f"--reports {reports}: is a file; give a folder for the history and the trend page")
    with monitor_target(loaded, org, state_dir) as (sandboxes, guard_line):
        print(guard_line, file=sys.stderr)
        reports.mkdir(parents=True, exist_ok=True)
        output = run_monitor(cadence, loaded, sandboxes, reports, DailyThresholds(api_usage_alert, stale_sync_hours))
    result = output.result
    for alert in result.alerts:
        print(f"ALERT {alert}", file=sys.stderr)
    for line in result.not_evaluated[:10]:
        print(f"not evaluated: {line}", file=sys.stderr)
    if len(result.not_evaluated) > 10:
        print(f"not evaluated: ... and {len(result.not_evaluated) - 10} more ({output.latest})", file=sys.stderr)
    verdict = f"{len(result.alerts)} alert(s)" if result.alerts else "no alerts"
    print(f"uat monitor {cadence.value}: {verdict}; history {output.history} (run {output.row}), trend page "
          f"{output.trend}, result {output.latest}", file=sys.stderr)
    raise typer.Exit(1 if result.alerting else 0)
