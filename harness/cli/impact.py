"""`uat impact OLD.csv NEW.csv`: the mappings that changed and the marker expression selecting their scenarios."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table


def impact(old: Path = typer.Argument(..., help="the mapping CSV before the change"),
           new: Path = typer.Argument(..., help="the mapping CSV after the change"),
           hubspot_object: str | None = typer.Option(None, "--object", help="contacts, companies, deals or tickets "
                                                     "(default: from the file name)"),
           as_json: bool = typer.Option(False, "--json", help="print the changes and the expression as JSON")) -> None:
    """List changed mappings; print the pytest -m expression for the scenarios they touch (empty when none)."""
    from harness.profile.impact import impact as compute

    changes, expression = compute(old, new, hubspot_object)
    if as_json:
        sys.stdout.write(json.dumps({"changes": [c.to_json() for c in changes], "marker": expression}, indent=2) + "\n")
        return
    console = Console(stderr=True)
    if not changes:
        console.print("no mapping changed: nothing to re-run")
    else:
        table = Table(title=f"Mapping changes {old.name} → {new.name}")
        for column in ("Change", "Property", "Salesforce", "Details", "Tags"):
            table.add_column(column, overflow="fold")
        for c in changes:
            table.add_row(c.kind, f"{c.hubspot_object}.{c.hubspot_property}", ", ".join(c.salesforce_objects),
                          "; ".join(c.details), " ".join(f"@{t}" for t in c.tags))
        console.print(table)
        console.print(f"run the impacted scenarios with: uat run -m \"{expression}\"")
    sys.stdout.write(expression + "\n")
