"""The trend page: reports/monitor/trend.html, rebuilt from the whole history after every run. One file, no
network: charts inline (charts.py), the latest result of each cadence with its alerts, what was not evaluated and
the remediation list, and every run in a table."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from harness.monitor.charts import api_usage, counts_variance, errors_by_category, quarterly_findings
from harness.monitor.history import HistoryRow, rows
from harness.monitor.result import Cadence


def render_trend(history: Path, out: Path) -> Path:
    every = rows(history)
    by_cadence: dict[Cadence, list[HistoryRow]] = {c: [r for r in every if r.cadence is c] for c in Cadence}
    environment = Environment(loader=PackageLoader("harness.monitor", "templates"),
                              autoescape=select_autoescape(["j2", "html"]), undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)
    page = environment.get_template("trend.html.j2").render(
        generated=datetime.now(UTC).isoformat(timespec="seconds"),
        latest={c.value: (found[-1] if found else None) for c, found in by_cadence.items()},
        charts=[chart for chart in (
            ("Sync health: errors by category", errors_by_category(by_cadence[Cadence.DAILY])),
            ("Sync health: API usage", api_usage(by_cadence[Cadence.DAILY])),
            ("Reconciliation: counts variance", counts_variance(by_cadence[Cadence.WEEKLY])),
            ("Audit: findings", quarterly_findings(by_cadence[Cadence.QUARTERLY])))],
        runs=list(reversed(every)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
