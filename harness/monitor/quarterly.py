"""Quarterly: the sync and automation audit. The guide asks for a review of field mappings, automation conflicts,
dead-stage logic and governance adherence, "with documented remediation": each is the project's own engine, and
every finding goes into one remediation list (what, where, the fix).

- mapping conformance: the conformance engine (harness/conformance), every clause of the profile against the target;
- automation audit: both platforms' automation against the lifecycle taxonomy (harness/audit);
- dead-stage logic: the audit's findings on retired lifecycle stages still set or tested by automation;
- governance lint: the profile's governance rules (harness/lint).
"""

from __future__ import annotations

from collections import Counter

from harness.audit import AuditReport, policy_from_profile, run_audit
from harness.conformance import Status, check_conformance
from harness.lint import Severity, lint_profile
from harness.monitor.reading import reading
from harness.monitor.result import Alert, Cadence, MonitorResult, Remediation
from harness.profile import Profile
from harness.sandboxes import Sandboxes

DEAD_STAGE_RULES = {"AUD001", "AUD002"}  # a retired stage set, or tested, by active automation
RETIRED_REFERENCE = "retired stage"


def _conformance(result: MonitorResult, profile: Profile, sandboxes: Sandboxes) -> None:
    report = check_conformance(profile, sandboxes)
    differs = report.with_status(Status.DIFFERS)
    unread = report.with_status(Status.NOT_EVALUATED)
    result.figures["conformance"] = {"clauses": len(report.clauses), "differs": len(differs), "not_evaluated": len(unread),
                                     "differs_by_family": dict(Counter(c.kind for c in differs))}
    for clause in differs:
        owner = f" (owner: {clause.functional_owner})" if clause.functional_owner else ""
        result.remediation.append(Remediation("conformance", f"{clause.family.rule} {clause.item}",
                                              f"expected {clause.expected}, found {clause.actual}",
                                              f"change at: {clause.change_at}{owner}"))
    if differs:
        families = ", ".join(f"{kind} {n}" for kind, n in sorted(Counter(c.kind for c in differs).items()))
        result.alerts.append(Alert("Mapping conformance", f"{len(differs)} of {len(report.clauses)} clauses differ "
                                   f"from the profile ({families})"))
    result.not_evaluated += [f"conformance {c.id}: not evaluated: {c.reason}" for c in unread]


def _audit(result: MonitorResult, profile: Profile, sandboxes: Sandboxes) -> AuditReport:
    report = run_audit(sandboxes, policy_from_profile(profile))
    dead = [f for f in report.findings if f.rule in DEAD_STAGE_RULES or (RETIRED_REFERENCE in f.message)]
    result.figures["automation_audit"] = {"automations": len(report.catalogue), "findings": len(report.findings),
                                          "errors": len(report.errors)}
    result.figures["dead_stage_logic"] = {"findings": len(dead),
                                          "active": sum(1 for f in dead if f.rule in DEAD_STAGE_RULES)}
    for finding in report.findings:
        result.remediation.append(Remediation("audit", f"{finding.rule} {finding.automation}", finding.message,
                                              finding.fix, finding.severity))
    if report.errors:
        result.alerts.append(Alert("Automation audit", f"{len(report.errors)} automation conflicts: "
                                   + "; ".join(f"{f.rule} {f.automation}" for f in report.errors)[:600]))
    active_dead = [f for f in dead if f.rule in DEAD_STAGE_RULES]
    if active_dead:
        result.alerts.append(Alert("Dead-stage logic", f"{len(active_dead)} active automations still set or test a "
                                   "retired lifecycle stage: " + "; ".join(f.automation for f in active_dead)[:600]))
    return report


def _lint(result: MonitorResult, profile: Profile) -> None:
    findings = lint_profile(profile)
    counts = Counter(f.severity.value for f in findings)
    result.figures["governance_lint"] = {s.value: counts.get(s.value, 0) for s in Severity}
    for finding in findings:
        result.remediation.append(Remediation("lint", f"{finding.rule} {finding.where}", finding.message, finding.fix,
                                              finding.severity.value))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        result.alerts.append(Alert("Governance lint", f"{len(errors)} error-level findings: "
                                   + ", ".join(sorted({f.rule for f in errors}))))


def check_quarterly(sandboxes: Sandboxes, profile: Profile, target: str) -> MonitorResult:
    result = MonitorResult(Cadence.QUARTERLY, target)
    with reading(result, "Mapping conformance"):
        _conformance(result, profile, sandboxes)
    with reading(result, "Automation audit and dead-stage logic"):
        _audit(result, profile, sandboxes)
    _lint(result, profile)  # the profile alone: nothing to read
    order = {"error": 0, "warning": 1, "info": 2}
    result.remediation.sort(key=lambda r: (order.get(r.severity, 3), r.source, r.item))
    return result
