"""`uat run` and `uat cleanup`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from harness.paths import PROJECT_ROOT
from harness.run.preflight import SEED_CEILING, check_run_id

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"
console = Console(stderr=True)


def run(profile: Path = typer.Option(DEFAULT_PROFILE, "--profile", "-p", help="integration profile (YAML)"),
        org: str | None = typer.Option(None, help="twin only: org fixture to run against (overrides the profile)"),
        keep_data: bool = typer.Option(False, help="leave the seeded and scenario records in the sandboxes"),
        workers: str | None = typer.Option(None, "-n", help="parallel workers (pytest-xdist), e.g. auto or 2"),
        marker: str | None = typer.Option(None, "-m", help="only scenarios matching this tag expression"),
        keyword: str | None = typer.Option(None, "-k", help="only scenarios whose name matches"),
        no_html: bool = typer.Option(False, "--no-html", help="skip the Allure HTML report"),
        impacted_by: list[Path] = typer.Option([], "--impacted-by", metavar="OLD.csv",
                                               help="regression run: only the scenarios the change from this mapping "
                                                    "CSV to the profile's touches, plus reconciliation (repeatable)"),
        faults: str | None = typer.Option(None, "--faults", metavar="light|heavy|none|FILE",
                                          help="twin only: throttle, fail, reset and slow the platforms and pause "
                                               "the connector (docs/reliability.md)"),
        resume: str | None = typer.Option(None, "--resume", metavar="RUN",
                                          help="finish an interrupted run (its seeding, suite and cleanup), with the "
                                               "options it was started with"),
        allow_large: bool = typer.Option(False, "--allow-large",
                                         help=f"seed more than {SEED_CEILING:,} records (the ceiling for a shared "
                                              "sandbox)")
        ) -> None:
    """Seed the sandboxes (or the twin), run every scenario, write the run folder. Exit 0 only on GO."""
    from harness.report.summary import print_summary
    from harness.run.progress import suite_display
    from harness.run.runner import RunOptions, ensure_profile, execute

    def say(message: str) -> None:
        console.print(f"[dim]{message}[/dim]", soft_wrap=True)  # one line each, whatever the width: logs grep it

    if resume:
        from harness.run.state import resumed_options

        options = resumed_options(check_run_id(resume), faults)
        options.allow_large = allow_large
        outcome = execute(options, progress=say, display=suite_display(console, say))
        print_summary(console, outcome.signoff, outcome.context.run_dir, outcome.timings.get("total"))
        raise typer.Exit(outcome.exit_code)
    selection = None
    if impacted_by:
        marker, selection = impacted_selection(ensure_profile(profile), impacted_by, marker)
    options = RunOptions(profile=ensure_profile(profile), org=org, keep_data=keep_data, workers=workers, marker=marker,
                         keyword=keyword, allure_html=not no_html, selection=selection, faults=faults,
                         allow_large=allow_large, impacted_by=list(impacted_by))
    outcome = execute(options, progress=say, display=suite_display(console, say))
    print_summary(console, outcome.signoff, outcome.context.run_dir, outcome.timings.get("total"))
    raise typer.Exit(outcome.exit_code)


# Run on every mapping change: the whole-population checks, the automation audit and configuration conformance
# (the exit criteria need all three).
RECONCILIATION_TAG = "reconciliation or audit or conformance"


def impacted_selection(profile_path: Path, old_files: list[Path], marker: str | None) -> tuple[str, str]:
    """The marker expression of a regression run: what `uat impact OLD NEW` selects for each changed mapping CSV
    (NEW: the profile's CSV for the same HubSpot object), or-ed with the reconciliation and audit scenarios."""
    from harness.profile import load_profile
    from harness.run.change import load_changes

    clauses: list[str] = []
    described: list[str] = []
    for change in load_changes(load_profile(profile_path), old_files):
        if change.expression:
            clauses.append(change.expression)
        described.append(f"{change.old.name}: {len(change.changes)} mapping change(s)")
    expression = " or ".join([*clauses, RECONCILIATION_TAG])
    if marker:
        expression = f"({expression}) and ({marker})"
    return expression, f"impacted by {'; '.join(described)} (-m {expression})"


def steps(markdown: bool = typer.Option(False, "--markdown", help="print the Markdown block of docs/scenarios.md"),
          write: bool = typer.Option(False, "--write", help="rewrite the generated block of docs/scenarios.md")) -> None:
    """List every step the scenarios can use (generated from the step definitions)."""
    from rich.table import Table

    from harness.run.step_catalog import catalogue, document_path, render_markdown, splice

    docs = catalogue()
    if write:
        path = document_path()
        path.write_text(splice(path.read_text(encoding="utf-8") if path.exists() else "", render_markdown(docs)),
                        encoding="utf-8")
        console.print(f"wrote {len(docs)} steps into {path}")
        return
    if markdown:
        print(render_markdown(docs))
        return
    table = Table(title=f"{len(docs)} steps")
    for column in ("Keyword", "Step", "Module"):
        table.add_column(column)
    for doc in docs:
        table.add_row(doc.kind, doc.text, doc.module)
    Console().print(table)
