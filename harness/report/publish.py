"""Publishing a run: the sign-off report (json, md, html) and the Allure side (environment, run-level
attachments, the single-file HTML report with history and quality gate).

The runner calls `publish_signoff` while the target is still connected (sync health is read from it), then
`publish_allure` once the suite's results are complete. `render_reports` re-renders from `signoff.json` after a
stakeholder decision (`uat signoff approve|reject`).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import GlobalAttachment, Globals
from allure_commons.utils import now

from harness.report import allure_html
from harness.report.environment import org_run, run_environment, write_environment_properties
from harness.report.signoff_html import render_html
from harness.report.signoff_md import render_markdown
from harness.signoff.findings import read_findings
from harness.signoff.health import run_records
from harness.signoff.reconciliation import read_reconciliation
from harness.signoff.record import RunEvidence, SignOff, evaluate, load_signoff, save_json, with_decisions
from harness.signoff.results import read_results
from harness.signoff.seeded import seeded_records

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile


class RunFolder(Protocol):
    """The run folder as publishing sees it (harness.run.context.RunContext is one): rendering never depends on
    the run lifecycle, only on where the run keeps its files."""

    run_id: str
    run_dir: Path

    @property
    def results_file(self) -> Path: ...

    @property
    def seed_manifest(self) -> Path: ...

    @property
    def allure_results(self) -> Path: ...

    @property
    def allure_report(self) -> Path: ...


REPORT_LINKS = {"Allure report": "allure-report/index.html", "Markdown": "signoff.md", "JSON": "signoff.json",
                "Scenario results": "results.jsonl", "Seed manifest": "seed-manifest.json", "Ledger": "ledger.jsonl"}


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def render_reports(run_dir: Path, report: SignOff) -> SignOff:
    """Write signoff.json, signoff.md and signoff.html, with the sign-off table as recorded in the run folder."""
    report = with_decisions(report, run_dir)
    save_json(run_dir, report)
    (run_dir / "signoff.md").write_text(render_markdown(report), encoding="utf-8")
    (run_dir / "signoff.html").write_text(render_html(report), encoding="utf-8")
    return report


def publish_signoff(context: RunFolder, profile: Profile, target: str, evidence: RunEvidence,
                    organization: dict[str, Any] | None = None, portal: dict[str, Any] | None = None) -> SignOff:
    run_dir = context.run_dir
    results = read_results(context.results_file)
    # What the scenarios recorded in the run folder stands in for what the runner did not pass itself.
    if evidence.reconciliation is None:
        evidence.reconciliation = read_reconciliation(run_dir)
    if evidence.audit is None:
        evidence.audit = read_findings(run_dir, "audit")
    if evidence.lint is None:
        evidence.lint = read_findings(run_dir, "lint")
    if evidence.conformance is None:
        evidence.conformance = _read_json(run_dir / "conformance.json")
    manifest = _read_json(context.seed_manifest)
    if evidence.seeded is None:
        evidence.seeded = seeded_records(manifest, run_dir / "ledger.jsonl")
    if evidence.own_records is None:
        evidence.own_records = run_records(run_dir / "ledger.jsonl")
    if not evidence.environment:
        evidence.environment = run_environment(profile, target, organization, portal, manifest, evidence.selection,
                                               org=org_run(run_dir, profile))
    report = evaluate(context.run_id, profile, target, results, evidence)
    report.links = {name: path for name, path in REPORT_LINKS.items()
                    if (run_dir / path).exists() or path.startswith("allure-report")}
    write_environment_properties(context.allure_results, report.environment)
    _attach_run_level(context, report, manifest)
    return render_reports(run_dir, report)


def _attach_run_level(context: RunFolder, report: SignOff, manifest: dict[str, Any] | None) -> None:
    """Run-level evidence in Allure's global attachments: the seed manifest, the audit and lint findings."""
    logger = AllureFileLogger(context.allure_results)
    items = [("seed manifest", manifest), ("automation audit findings", report.audit),
             ("governance lint findings", report.lint), ("sync health", report.sync_health)]
    attachments = []
    for name, data in items:
        if data is None:
            continue
        file_name = f"{uuid.uuid4()}-attachment.json"
        logger.report_attached_data(json.dumps(data, indent=2, default=str), file_name)
        attachments.append(GlobalAttachment(source=file_name, name=name, type="application/json", timestamp=now()))
    if attachments:
        logger.report_globals(Globals(attachments=attachments))


def publish_allure(context: RunFolder, profile: Profile, history: Path | None = None) -> Path:
    """The Allure 3 single-file report, with history carried in `history` (default: reports/allure-history.jsonl),
    then Allure's quality gate on the exit criteria, recorded in the sign-off beside its own verdict."""
    report = load_signoff(context.run_dir) if (context.run_dir / "signoff.json").exists() else None
    index = allure_html.generate(context.allure_results, context.allure_report, f"UAT: {profile.name}",
                                 history or allure_html.history_path(), profile, report.causes if report else None)
    if report is not None:
        report.extra["allure_quality_gate"] = allure_html.check_quality_gate(context.allure_results, profile)
        render_reports(context.run_dir, report)
    return index
