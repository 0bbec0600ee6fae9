"""The end of every `uat run` on the terminal: the verdict, the criteria that decided it, results per feature, the
defects, who has not signed, and where the reports are. Short enough to read in a CI log."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from harness.report.phases import phase_rows
from harness.signoff.record import SignOff

# PHASE_HEADERS, shortened for a terminal.
TERMINAL_HEADERS = ["Phase", "s", "HS", "SF", "retry", "sync", "pace", "backoff"]
STATUS_STYLE = {"met": "green", "NOT MET": "bold red", "not measured": "dim", "not met (advisory)": "yellow"}


def print_summary(console: Console, report: SignOff, run_dir: Path, seconds: float | None = None) -> None:
    go = report.verdict == "GO"
    t = report.totals
    table = Table(title=f"UAT {report.verdict}: {report.profile}", title_style="bold green" if go else "bold red",
                  caption=f"{t['passed']} passed, {t['failed']} failed, {t['skipped']} skipped · {report.target}")
    for column, justify in (("Feature", "left"), ("Passed", "right"), ("Failed", "right"), ("Skipped", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for feature in report.by_feature:
        table.add_row(feature["feature"], str(feature["passed"]),
                      f"[red]{feature['failed']}[/red]" if feature["failed"] else "0", str(feature["skipped"]))
    console.print(table)
    decisive = [c for c in report.criteria if c.status != "met"]
    if decisive:
        criteria = Table(title="Exit criteria not met or not measured", title_justify="left", show_edge=False)
        for column in ("Criterion", "Actual", "Status"):
            criteria.add_column(column)
        for c in decisive:
            style = STATUS_STYLE.get(c.status, "")
            criteria.add_row(c.name, c.actual, f"[{style}]{c.status}[/{style}]")
        console.print(criteria)
    phases = phase_rows(report.timings)
    if phases:
        # Short headers and feature names without their prefix: the table must fit an 80-column CI log.
        timing = Table(title="Where the time went: seconds, API calls (HS HubSpot, SF Salesforce), retries, and "
                       "seconds waited on the sync window, pacing, backoff", title_justify="left", box=box.SIMPLE,
                       show_edge=False, pad_edge=False)
        for i, column in enumerate(TERMINAL_HEADERS):
            timing.add_column(column, justify="left" if i == 0 else "right", no_wrap=True, overflow="ellipsis",
                              max_width=26 if i == 0 else None, min_width=None if i == 0 else len(column))
        for row in phases:  # the share column is left to the reports
            timing.add_row(row[0].removeprefix("feature: "), row[1], *row[3:], style="bold" if row[0] == "total" else None)
        console.print(timing)
    for c in report.causes:  # what to fix, before the symptoms
        console.print(f"[bold red]{c['id']}[/bold red] {c['item']} · {c['owner'] or report.integration_owner} · "
                      f"explains {len(c['scenarios'])} scenario(s) · change at: {c['change_at'][0] if c['change_at'] else '?'}")
    unexplained = (report.unexplained or {}).get("scenarios") or []
    if unexplained:
        console.print(f"unexplained by any cause: {', '.join(u['defect'] or u['scenario'] for u in unexplained)}")
    for d in report.defects[:20]:
        console.print(f"[red]{d['id']}[/red] {d['category']} · {d['severity']} · {d['owner']} · "
                      f"{d['feature']}: {d['scenario']}")
    if len(report.defects) > 20:
        console.print(f"... and {len(report.defects) - 20} more defects in the sign-off report")
    if report.unsigned_roles:
        console.print(f"not signed yet: {', '.join(report.unsigned_roles)} "
                      f"(uat signoff approve|reject --run {report.run_id} --role ROLE --name NAME)")
    allure = run_dir / "allure-report" / "index.html"
    console.print(f"sign-off: {run_dir / 'signoff.html'}\n          {run_dir / 'signoff.md'}\n"
                  f"Allure:   {allure if allure.exists() else run_dir / 'allure-results'} "
                  f"{'' if allure.exists() else '(results only: no HTML report was generated)'}".rstrip())
    took = f" ({seconds:.1f}s)" if seconds is not None else ""
    console.print(f"verdict:  [bold {'green' if go else 'red'}]{report.verdict}[/]{took}")
