"""Charts of the sign-off report, as inline SVG (pygal): the HTML file stands alone, works offline, and prints
to PDF as vectors. pygal over hand-drawn SVG: axes, scales, legends and label fitting are its job and it does
them well; its optional tooltip JavaScript is never loaded (`js=[]`) and its inline config script is dropped,
so the charts are static drawings.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pygal
from pygal.style import Style

PASSED, FAILED, SKIPPED, NEUTRAL, WARN = "#2e7d32", "#c62828", "#9e9e9e", "#1565c0", "#ef6c00"
_SCRIPT = re.compile(r"<script.*?</script>", re.S)


def _style(*colors: str) -> Style:
    return Style(background="white", plot_background="white", foreground="#333", foreground_strong="#111",
                 foreground_subtle="#ddd", font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                 label_font_size=12, major_label_font_size=12, legend_font_size=12, title_font_size=14,
                 value_font_size=11, colors=colors or (NEUTRAL,))


def _render(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    return _SCRIPT.sub("", svg)


def _common(**extra: Any) -> dict[str, Any]:
    return {"js": [], "disable_xml_declaration": True, "explicit_size": False, "legend_at_bottom": True,
            "show_y_guides": True, "truncate_label": 48, "margin": 12, **extra}


def _count_axis(top: float) -> list[int]:
    """Whole numbers on a count axis (pygal would label 0.2, 0.4 ... scenarios), at most ~10 ticks."""
    top = max(1, math.ceil(top))
    step = max(1, math.ceil(top / 10))
    return list(range(0, top + step, step))


def results_per_feature(by_feature: list[dict[str, Any]]) -> str | None:
    if not by_feature:
        return None
    height = 110 + 34 * len(by_feature)
    chart = pygal.HorizontalStackedBar(style=_style(PASSED, FAILED, SKIPPED), width=760, height=height,
                                       title="Scenario results per feature", print_values=True,
                                       print_zeroes=False, y_labels=_count_axis(max(f["passed"] + f["failed"] + f["skipped"] for f in by_feature)),
                                       **_common(show_legend=True))
    # pygal draws a horizontal chart's first label at the bottom: reversed, the chart reads top-down like the table.
    rows = list(reversed(by_feature))
    chart.x_labels = [f["feature"] for f in rows]
    # Each outcome its own series and colour: a skipped scenario is grey, never counted with the failures.
    for outcome in ("passed", "failed", "skipped"):
        chart.add(outcome, [f[outcome] or None for f in rows])
    return _render(chart)


def variance_per_object(reconciliation: dict[str, Any] | None) -> str | None:
    rows = (reconciliation or {}).get("objects") or []
    if not rows:
        return None
    clean = all(not float(r["variance_pct"] or 0) and not int(r["mismatched"] or 0) for r in rows)
    # All-zero bars draw nothing: a clean reconciliation says so in the title and prints its zeroes.
    title = (f"Reconciliation per object: all {len(rows)} objects agree (0% count variance, no mismatched records)"
             if clean else "Reconciliation per object: count variance (%) and mismatched records")
    chart = pygal.Bar(style=_style(NEUTRAL, WARN), width=760, height=300, print_values=True, print_zeroes=clean,
                      title=title, range=(0, 1) if clean else None, **_common(show_legend=True))
    chart.x_labels = [str(r["object"]) for r in rows]
    chart.add("count variance %", [float(r["variance_pct"] or 0) for r in rows])
    chart.add("mismatched records", [int(r["mismatched"] or 0) for r in rows], secondary=True)
    return _render(chart)


def _bins(samples: list[float]) -> list[tuple[float, float, float]]:
    """Equal-width bins (Sturges' rule) from 0 to the maximum: pygal's Histogram takes (count, start, end)."""
    top = max(samples)
    count = max(1, min(20, math.ceil(math.log2(len(samples)) + 1)))
    width = top / count if top > 0 else 1.0
    bins = []
    for index in range(count):
        start, end = index * width, (index + 1) * width
        inside = sum(1 for s in samples if start <= s < end or (index == count - 1 and s == end))
        bins.append((inside, round(start, 3), round(end, 3)))
    return bins


def time_to_sync_distribution(timing: dict[str, Any] | None) -> str | None:
    samples = (timing or {}).get("samples") or []
    if not samples:
        return None
    title = (f"Time to sync: {len(samples)} expectations, median {timing['median']} s, 95th percentile "
             f"{timing['p95']} s, max {timing['max']} s")
    bins = _bins(samples)
    chart = pygal.Histogram(style=_style(NEUTRAL), width=760, height=280, title=title, x_title="seconds",
                            y_title="expectations", y_labels=_count_axis(max(b[0] for b in bins)),
                            **_common(show_legend=False))
    chart.add("expectations", bins)
    return _render(chart)


def all_charts(report: Any) -> dict[str, str | None]:
    return {"results": results_per_feature(report.by_feature),
            "variance": variance_per_object(report.reconciliation),
            "time_to_sync": time_to_sync_distribution(report.time_to_sync)}
