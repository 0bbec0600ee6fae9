"""`uat run` and `uat cleanup`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from ..errors import UserError
from ..run_context import REPORTS_DIR
from ..paths import PROJECT_ROOT

DEFAULT_PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"
console = Console(stderr=True)


def run(profile: Path = typer.Option(DEFAULT_PROFILE, "--profile", "-p", help="integration profile (YAML)"),
        org: str | None = typer.Option(None, help="twin only: org fixture to run against (overrides the profile)"),
        keep_data: bool = typer.Option(False, help="leave the seeded and scenario records in the sandboxes"),
        workers: str | None = typer.Option(None, "-n", help="parallel workers (pytest-xdist), e.g. auto or 2"),
        marker: str | None = typer.Option(None, "-m", help="only scenarios matching this tag expression"),
        keyword: str | None = typer.Option(None, "-k", help="only scenarios whose name matches"),
        no_html: bool = typer.Option(False, "--no-html", help="skip the Allure HTML report")) -> None:
    """Seed the sandboxes (or the twin), run every scenario, write the run folder. Exit 0 only on GO."""
    from ..runner import RunOptions, ensure_profile, execute

    options = RunOptions(profile=ensure_profile(profile), org=org, keep_data=keep_data, workers=workers, marker=marker,
                         keyword=keyword, allure_html=not no_html)
    outcome = execute(options, progress=lambda message: console.print(f"[dim]{message}[/dim]"))
    report = outcome.signoff
    table = Table(title=f"UAT {report.verdict}: {report.profile}", title_style="bold green" if report.verdict == "GO"
                  else "bold red")
    for column in ("Feature", "Passed", "Failed", "Skipped"):
        table.add_column(column)
    for feature in report.by_feature:
        table.add_row(feature["feature"], str(feature["passed"]), str(feature["failed"]), str(feature["skipped"]))
    console.print(table)
    for defect in report.defects:
        console.print(f"[red]{defect['id']}[/red] {defect['category']}: {defect['scenario']}")
    run_dir = outcome.context.run_dir
    console.print(f"sign-off: {run_dir / 'signoff.md'}\nAllure:   {run_dir / 'allure-report' / 'index.html'}\n"
                  f"verdict:  [bold]{report.verdict}[/bold] ({outcome.timings.get('total', 0):.1f}s)")
    raise typer.Exit(outcome.exit_code)


def cleanup(run_id: str = typer.Option(..., "--run", help="run id (a folder under reports/)")) -> None:
    """Delete exactly what run RUN created, from its ledger; safe to repeat and to resume."""
    from ..cleanup import cleanup_run
    from ..run_context import open_run
    from ..sandboxes import connect

    run_dir = REPORTS_DIR / run_id
    if not (run_dir / "ledger.jsonl").exists():
        raise UserError(f"--run {run_id}: no ledger at {run_dir / 'ledger.jsonl'}; give a run id from reports/")
    context = open_run(run_dir)
    result = cleanup_run(connect(), context.ledger, run_dir / "cleanup.jsonl")
    console.print(f"deleted: {result.deleted}; already gone: {result.already_gone}; failed: {len(result.failed)}")
    if result.failed:
        raise typer.Exit(1)
