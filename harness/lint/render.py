"""Lint output: a table for people, JSON for machines."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness.lint.findings import Finding, Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


def as_json(profile: Path, findings: list[Finding], against: str | None = None) -> str:
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    return json.dumps({"profile": str(profile), "against": against, "counts": counts,
                       "findings": [f.to_json() for f in findings]}, indent=2, ensure_ascii=False)


def print_table(console: Console, profile: Path, findings: list[Finding], against: str | None = None) -> None:
    title = f"uat lint {profile}" + (f" against {against}" if against else "")
    if not findings:
        console.print(f"[green]{title}: no findings[/green]")
        return
    table = Table(title=title, show_lines=True, expand=True)
    for column, ratio in (("Rule", 1), ("Severity", 1), ("Finding", 5), ("Fix", 4), ("Where", 3)):
        table.add_column(column, ratio=ratio, overflow="fold")
    for f in findings:
        table.add_row(f"{f.rule}\n[dim]{f.title}[/dim]", f"[{STYLE[f.severity]}]{f.severity.value}[/]", f.message, f.fix,
                      f.where)
    console.print(table)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    console.print(f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
                  f"{counts[Severity.INFO]} note(s)")
