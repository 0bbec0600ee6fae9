"""The trend page's charts as inline SVG (pygal, as the sign-off report draws its own): static drawings that work
offline and print, with pygal's tooltip script never loaded (`js=[]`) and its inline config script dropped."""

from __future__ import annotations

import re
from typing import Any

import pygal
from pygal.style import Style

from harness.monitor.history import HistoryRow
from harness.signoff.health import SYNC_CATEGORY_LABELS

_SCRIPT = re.compile(r"<script.*?</script>", re.S)
COLORS = ("#1565c0", "#c62828", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63", "#9e9e9e")


def _style() -> Style:
    return Style(background="white", plot_background="white", foreground="#333", foreground_strong="#111",
                 foreground_subtle="#ddd", font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                 label_font_size=11, major_label_font_size=11, legend_font_size=12, title_font_size=14,
                 value_font_size=11, colors=COLORS)


def _line(title: str, rows: list[HistoryRow], series: dict[str, list[float | None]], y_title: str,
          stacked: bool = False) -> str:
    kind = pygal.StackedLine if stacked else pygal.Line
    chart = kind(style=_style(), width=900, height=320, title=title, y_title=y_title, js=[], fill=stacked,
                 disable_xml_declaration=True, explicit_size=False, legend_at_bottom=True, show_y_guides=True,
                 x_label_rotation=30, truncate_label=20, margin=12, allow_interruptions=True,
                 show_minor_x_labels=len(rows) <= 14, x_labels_major_count=14, min_scale=1, dots_size=3)
    chart.x_labels = [r.at.replace("T", " ")[:16] for r in rows]
    for name, values in series.items():
        chart.add(name, values)
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def errors_by_category(daily: list[HistoryRow]) -> str | None:
    measured = [r for r in daily if (r.result.get("figures") or {}).get("errors")]
    if not measured:
        return None
    keys = [k for k in SYNC_CATEGORY_LABELS
            if any(r.result["figures"]["errors"]["by_category"].get(k) for r in measured)] or ["other"]
    series = {SYNC_CATEGORY_LABELS[k]: [r.result["figures"]["errors"]["by_category"].get(k, 0) for r in measured]
              for k in keys}
    return _line("Open Sync Health errors by category", measured, series, "open errors", stacked=True)


def api_usage(daily: list[HistoryRow]) -> str | None:
    if not daily:
        return None
    systems = sorted({s for r in daily for s, f in ((r.result.get("figures") or {}).get("api_usage") or {}).items() if f})
    if not systems:
        return None
    series = {s: [(((r.result.get("figures") or {}).get("api_usage") or {}).get(s) or {}).get("percent") for r in daily]
              for s in systems}
    return _line("Daily API usage, % of the allocation", daily, series, "% used")


def counts_variance(weekly: list[HistoryRow]) -> str | None:
    measured = [r for r in weekly if (r.result.get("figures") or {}).get("objects")]
    if not measured:
        return None
    names = list(dict.fromkeys(o["name"] for r in measured for o in r.result["figures"]["objects"]))

    def variance(row: HistoryRow, name: str) -> float | None:
        found = next((o for o in row.result["figures"]["objects"] if o["name"] == name), None)
        return found["variance_pct"] if found else None

    series: dict[str, list[float | None]] = {n: [variance(r, n) for r in measured] for n in names}
    series["orphaned records (count)"] = [r.result["figures"].get("orphans_total") for r in measured]
    return _line("Object counts variance, % (and orphaned records)", measured, series, "variance % / orphans")


def quarterly_findings(quarterly: list[HistoryRow]) -> str | None:
    if not quarterly:
        return None

    def figure(row: HistoryRow, section: str, key: str) -> Any:
        return ((row.result.get("figures") or {}).get(section) or {}).get(key)

    series = {"conformance: clauses differing": [figure(r, "conformance", "differs") for r in quarterly],
              "automation audit: conflicts": [figure(r, "automation_audit", "errors") for r in quarterly],
              "dead-stage logic: active": [figure(r, "dead_stage_logic", "active") for r in quarterly],
              "governance lint: errors": [figure(r, "governance_lint", "error") for r in quarterly]}
    return _line("Quarterly audit findings", quarterly, series, "findings")
