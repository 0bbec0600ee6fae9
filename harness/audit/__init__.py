"""The automation audit: both platforms' automation catalogued and checked against the lifecycle taxonomy."""

from __future__ import annotations

from dataclasses import dataclass

from harness.audit.hubspot import catalogue_hubspot
from harness.audit.model import AuditPolicy, Automation, Finding, GovernedField, Touch
from harness.audit.policy import policy_from_profile
from harness.audit.read import read_hubspot_workflows, read_salesforce_automation
from harness.audit.rules import audit
from harness.audit.salesforce import catalogue_salesforce
from harness.sandboxes import Sandboxes


@dataclass
class AuditReport:
    catalogue: list[Automation]
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


def run_audit(sandboxes: Sandboxes, policy: AuditPolicy) -> AuditReport:
    governed = [f.salesforce for f in [policy.lifecycle, policy.lead_status, *policy.governed]]
    catalogue = catalogue_salesforce(read_salesforce_automation(sandboxes), governed)
    catalogue += catalogue_hubspot(read_hubspot_workflows(sandboxes))
    return AuditReport(catalogue, audit(catalogue, policy))


__all__ = ["AuditPolicy", "AuditReport", "Automation", "Finding", "GovernedField", "Touch", "audit",
           "catalogue_hubspot", "catalogue_salesforce", "policy_from_profile", "run_audit"]
