"""`uat signoff approve|reject|show|verify`: record a stakeholder's decision on a run, re-render its sign-off report,
and check that every decision still holds against the report it approved."""

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
COMMENT = typer.Option(None, "--comment", help="why; required to approve a NO-GO run (the risk accepted) and to "
                       "--supersede")
SUPERSEDE = typer.Option(False, "--supersede", help="replace another person's decision for the role (needs --comment; "
                         "the replaced decision stays in the trail and the report shows it)")


def run_folder(run_id: str, reports: Path = REPORTS_DIR) -> Path:
    folder = (reports / run_id).resolve() if run_id == "latest" else reports / run_id
    if not (folder / "signoff.json").is_file():
        raise UserError(f"--run {run_id}: no sign-off report at {folder / 'signoff.json'}; give a run id from "
                        f"{reports} (or 'latest') of a run that finished")
    return folder


def decide(run_id: str, role: str, name: str, decision: str, comment: str | None, supersede: bool = False,
           reports: Path = REPORTS_DIR) -> Path:
    from harness.report.publish import render_reports
    from harness.signoff.decisions import (
        LABELS,
        latest_by_role,
        new_decision,
        read_decisions,
        record_decision,
        same_person,
    )
    from harness.signoff.integrity import local_identity
    from harness.signoff.record import content_is_intact, load_signoff

    folder = run_folder(run_id, reports)
    report = load_signoff(folder)
    roles = {s["role"].strip().lower(): s["role"] for s in report.stakeholders}
    if role.strip().lower() not in roles:
        listed = ", ".join(f"'{r}'" for r in roles.values()) or "none (add stakeholders to the profile)"
        raise UserError(f"--role {role!r}: not a sign-off role of run {folder.name}; the profile names {listed}")
    if not name.strip():
        raise UserError("--name: give the name of the person deciding")
    if not content_is_intact(folder):
        raise UserError(f"run {folder.name}: signoff.json was changed after the run wrote it; run `uat signoff verify "
                        f"--run {folder.name}` and sign only a report the run produced")
    if decision == "approve" and report.verdict != "GO" and not (comment or "").strip():
        raise UserError(f"run {folder.name} is NO-GO: approving it accepts its risk; say which in --comment")
    identity = local_identity()
    previous = latest_by_role(read_decisions(folder)).get(role.strip().lower())
    supersedes = None
    if previous is not None and not same_person(previous, name, identity):
        who = f"{previous.name} {LABELS.get(previous.decision, previous.decision)}"
        if not supersede:
            raise UserError(f"--role {roles[role.strip().lower()]!r}: {who} run {folder.name} on {previous.date}; to "
                            "replace another person's decision add --supersede --comment 'why'")
        if not (comment or "").strip():
            raise UserError("--supersede: say in --comment why the decision of "
                            f"{previous.name} is replaced")
        supersedes = f"{previous.name}, {previous.date}"
    record_decision(folder, new_decision(roles[role.strip().lower()], name.strip(), decision, comment, report.verdict,
                                         report.content_sha256 or None, identity, supersedes))
    rendered = render_reports(folder, report)
    _print_table(rendered)
    return folder


def _print_table(report) -> None:  # noqa: ANN001 - a SignOff; imported lazily to keep `uat --help` fast
    table = Table(title=f"Sign-off of run {report.run_id}: verdict {report.verdict}")
    for column in ("Role", "Name", "Decision", "Signed by", "Date"):
        table.add_column(column)
    for s in report.stakeholders:
        style = {"approved": "green", "rejected": "red"}.get(s["decision"], "yellow")
        label = s["decision"] + (" (stale)" if s.get("stale") else "")
        table.add_row(s["role"], s["name"], f"[{style}]{label}[/{style}]", s.get("signed_by") or "",
                      s.get("date") or "")
    console.print(table)
    console.print(f"{report.signoff.get('state', '')}")


@app.command("approve")
def approve(run_id: str = RUN, role: str = ROLE, name: str = NAME, comment: str | None = COMMENT,
            supersede: bool = SUPERSEDE) -> None:
    """Approve the run for ROLE; the sign-off report (md, json, html) is re-rendered."""
    folder = decide(run_id, role, name, "approve", comment, supersede)
    console.print(f"recorded; report: {folder / 'signoff.html'}")


@app.command("reject")
def reject(run_id: str = RUN, role: str = ROLE, name: str = NAME, comment: str | None = COMMENT,
           supersede: bool = SUPERSEDE) -> None:
    """Reject the run for ROLE; the sign-off report (md, json, html) is re-rendered."""
    folder = decide(run_id, role, name, "reject", comment, supersede)
    console.print(f"recorded; report: {folder / 'signoff.html'}")


@app.command("show")
def show(run_id: str = RUN) -> None:
    """Who has signed the run, who has not, and the verdict. Exit 0 only when every role approved a GO run."""
    from harness.signoff.record import load_signoff, with_decisions

    folder = run_folder(run_id)
    report = with_decisions(load_signoff(folder), folder)
    _print_table(report)
    raise typer.Exit(0 if report.verdict == "GO" and report.signoff.get("complete") else 1)


@app.command("verify")
def verify(run_id: str = RUN) -> None:
    """Check every decision against the report it approved. Exit 0 only when all hold (nothing stale or tampered)."""
    from harness.signoff.verify import verify_run

    folder = run_folder(run_id)
    checks = verify_run(folder)
    table = Table(title=f"Sign-off integrity of run {folder.name}")
    for column in ("Checked", "Status", "Detail"):
        table.add_column(column)
    for check in checks:
        style = {"ok": "green", "superseded": "dim"}.get(check.status, "bold red")
        table.add_row(check.subject, f"[{style}]{check.status}[/{style}]", check.detail)
    console.print(table)
    broken = [c for c in checks if not c.holds]
    console.print(f"{len(broken)} check(s) do not hold" if broken else "every decision holds against the report shown")
    raise typer.Exit(1 if broken else 0)
