"""`uat signoff approve|reject|show`: record a stakeholder's decision on a run and re-render its sign-off report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from harness.errors import UserError
from harness.run.context import REPORTS_DIR

app = typer.Typer(help="Stakeholder sign-off of a run: approve, reject, show who has not signed.", no_args_is_help=True)
console = Console(stderr=True)

RUN = typer.Option(..., "--run", help="run id (a folder under reports/), or 'latest'")
ROLE = typer.Option(..., "--role", help="the stakeholder role, as the profile names it (e.g. 'Sales Ops')")
NAME = typer.Option(..., "--name", help="who decides (normally the stakeholder named for the role)")
COMMENT = typer.Option(None, "--comment", help="why; required to approve a NO-GO run (the risk accepted)")


def run_folder(run_id: str, reports: Path = REPORTS_DIR) -> Path:
    folder = (reports / run_id).resolve() if run_id == "latest" else reports / run_id
    if not (folder / "signoff.json").is_file():
        raise UserError(f"--run {run_id}: no sign-off report at {folder / 'signoff.json'}; give a run id from "
                        f"{reports} (or 'latest') of a run that finished")
    return folder


def decide(run_id: str, role: str, name: str, decision: str, comment: str | None,
           reports: Path = REPORTS_DIR) -> Path:
    from harness.report.publish import render_reports
    from harness.signoff.decisions import new_decision, record_decision
    from harness.signoff.record import load_signoff

    folder = run_folder(run_id, reports)
    report = load_signoff(folder)
    roles = {s["role"].strip().lower(): s["role"] for s in report.stakeholders}
    if role.strip().lower() not in roles:
        listed = ", ".join(f"'{r}'" for r in roles.values()) or "none (add stakeholders to the profile)"
        raise UserError(f"--role {role!r}: not a sign-off role of run {folder.name}; the profile names {listed}")
    if not name.strip():
        raise UserError("--name: give the name of the person deciding")
    if decision == "approve" and report.verdict != "GO" and not (comment or "").strip():
        raise UserError(f"run {folder.name} is NO-GO: approving it accepts its risk; say which in --comment")
    record_decision(folder, new_decision(roles[role.strip().lower()], name.strip(), decision, comment, report.verdict))
    rendered = render_reports(folder, report)
    _print_table(rendered)
    return folder


def _print_table(report) -> None:  # noqa: ANN001 - a SignOff; imported lazily to keep `uat --help` fast
    table = Table(title=f"Sign-off of run {report.run_id}: verdict {report.verdict}")
    for column in ("Role", "Name", "Decision", "Signed by", "Date"):
        table.add_column(column)
    for s in report.stakeholders:
        style = {"approved": "green", "rejected": "red"}.get(s["decision"], "yellow")
        table.add_row(s["role"], s["name"], f"[{style}]{s['decision']}[/{style}]", s.get("signed_by") or "",
                      s.get("date") or "")
    console.print(table)
    console.print(f"{report.signoff.get('state', '')}")


@app.command("approve")
def approve(run_id: str = RUN, role: str = ROLE, name: str = NAME, comment: str | None = COMMENT) -> None:
    """Approve the run for ROLE; the sign-off report (md, json, html) is re-rendered."""
    folder = decide(run_id, role, name, "approve", comment)
    console.print(f"recorded; report: {folder / 'signoff.html'}")


@app.command("reject")
def reject(run_id: str = RUN, role: str = ROLE, name: str = NAME, comment: str | None = COMMENT) -> None:
    """Reject the run for ROLE; the sign-off report (md, json, html) is re-rendered."""
    folder = decide(run_id, role, name, "reject", comment)
    console.print(f"recorded; report: {folder / 'signoff.html'}")


@app.command("show")
def show(run_id: str = RUN) -> None:
    """Who has signed the run, who has not, and the verdict. Exit 0 only when every role approved a GO run."""
    from harness.signoff.record import load_signoff, with_decisions

    folder = run_folder(run_id)
    report = with_decisions(load_signoff(folder), folder)
    _print_table(report)
    raise typer.Exit(0 if report.verdict == "GO" and report.signoff.get("complete") else 1)
