"""Run every governance rule over a profile and its mappings."""

from __future__ import annotations

from harness.lint import rules_conformance, rules_data  # noqa: F401  (register GOV007-GOV016)
from harness.lint.findings import Finding, Severity
from harness.lint.rules import RULES
from harness.profile.model import Profile

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def lint_profile(profile: Profile) -> list[Finding]:
    findings: list[Finding] = []
    for rule in sorted(RULES, key=lambda r: r.id):
        for severity, message, fix, where in rule.check(profile):
            findings.append(Finding(rule.id, rule.title, severity, message, fix, where))
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule))
