"""Whole-run checks behind the reconciliation and audit scenarios, each failing with its category and evidence."""

from __future__ import annotations

from tabulate import tabulate

from harness.audit import AuditReport, policy_from_profile, run_audit
from harness.reconcile.orphans import NOTED_CLASSES, ORPHAN_CLASSES
from harness.reconcile.run import ReconciliationReport
from harness.reconcile.tables import summary_table, totals_table
from harness.report import evidence
from harness.uat.failures import Duplicates, MappingMismatch, Permissions, PlatformAutomation, UatFailure
from harness.uat.population import seeded_population
from harness.uat.world import World


class SyncTimeoutFailure(UatFailure):
    category = "sync_timeout"


# Which failure kind an orphan class points at, for the defect log.
ORPHAN_CATEGORY = {"never_synced": SyncTimeoutFailure, "salesforce_unsynced": SyncTimeoutFailure,
                   "link_to_merged": Duplicates, "link_to_deleted": MappingMismatch,
                   "link_to_converted_lead": Duplicates, "company_without_account": MappingMismatch,
                   "outside_inclusion_synced": Permissions}


def reconciled_population(world: World) -> ReconciliationReport:
    """The seeded population, synced and reconciled once per run; each scenario that reads it attaches its tables."""
    report = seeded_population(world)
    for result in report.objects:
        evidence.record_reconciliation(result)
    return report


def catalogued_automation(world: World) -> AuditReport:
    """Both platforms' automation, audited once per run; each scenario that reads it attaches the findings."""
    report = automation_audit(world)
    evidence.record_findings("audit", report.findings)
    return report


def counts_within_tolerance(report: ReconciliationReport) -> None:
    if not report.counts_ok:
        raise SyncTimeoutFailure("object counts differ beyond the profile's tolerance", summary_table(report.objects))


def fields_agree(report: ReconciliationReport) -> None:
    if not report.fields_ok:
        rows = [[o.name, field, count] for o in report.objects for field, count in sorted(o.field_mismatches.items())]
        evidence = tabulate(rows, headers=["Object", "HubSpot property", "Mismatched pairs"], tablefmt="github")
        first = next((o.evidence[0] for o in report.objects if o.evidence), None)
        raise MappingMismatch("mapped fields disagree between the two sides", f"{evidence}\nfirst mismatch: {first}")


def totals_agree(report: ReconciliationReport) -> None:
    if not report.totals_ok:
        raise MappingMismatch("key field totals disagree", "\n\n".join(totals_table(o) for o in report.objects
                                                                       if any(not t.ok for t in o.totals)))


def no_orphans(report: ReconciliationReport) -> None:
    real = report.orphans.real
    if len(real) > report.max_orphans:
        counts = {k: n for k, n in report.orphans.by_class().items() if n and k in ORPHAN_CLASSES}
        worst = max(counts, key=counts.get)
        lines = [f"{ORPHAN_CLASSES[k]}: {n}" for k, n in counts.items()]
        lines += [f"  e.g. {o.object} {o.id}: {o.detail}" for o in real[:5]]
        noted = {k: n for k, n in report.orphans.by_class().items() if n and k in NOTED_CLASSES}
        if noted:
            lines.append(f"noted, not counted: {noted}")
        raise ORPHAN_CATEGORY.get(worst, MappingMismatch)(f"{len(real)} orphaned record(s), more than the profile's "
                                                          f"{report.max_orphans}", "\n".join(lines))


def automation_audit(world: World) -> AuditReport:
    if "audit" not in world.memo:
        with world.sandboxes.budget.phase("audit"):
            world.memo["audit"] = run_audit(world.sandboxes, policy_from_profile(world.profile))
    return world.memo["audit"]


def no_findings(report: AuditReport, rules: set[str], what: str) -> None:
    found = [f for f in report.findings if f.rule in rules and f.severity in {"error", "warning"}]
    if found:
        rows = [[f.rule, f.severity, f.automation, f.message, f.fix] for f in found]
        raise PlatformAutomation(what, tabulate(rows, headers=["Rule", "Severity", "Automation", "Finding", "Fix"],
                                                tablefmt="github"))
