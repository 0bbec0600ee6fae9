"""Audit rules over the catalogue: each finding has a rule id, a severity, a message and a fix."""

from __future__ import annotations

from harness.audit.model import AuditPolicy, Automation, Finding, GovernedField


def _names(field: GovernedField) -> set[str]:
    return {field.salesforce.lower(), field.hubspot.lower()}


def _touches(automation: Automation, field: GovernedField, sets: bool | None = None) -> list[str | None]:
    names = _names(field)
    return [t.value for t in automation.touches if t.field.lower() in names and (sets is None or t.sets == sets)]


def retired_stage_rules(catalogue: list[Automation], policy: AuditPolicy) -> list[Finding]:
    findings = []
    for automation in catalogue:
        set_values = [v for v in _touches(automation, policy.lifecycle, sets=True) if policy.stage_is_retired(v)]
        tested = [v for v in _touches(automation, policy.lifecycle, sets=False) if policy.stage_is_retired(v)]
        if set_values and automation.active:
            findings.append(Finding("AUD001", "error", automation.system, automation.label,
                                    f"sets {policy.lifecycle.name} to retired stage(s) {sorted(set(set_values))}",
                                    "deactivate it or move it to an active stage; retired stages must never be written"))
        if tested and automation.active:
            findings.append(Finding("AUD002", "warning", automation.system, automation.label,
                                    f"tests {policy.lifecycle.name} for retired stage(s) {sorted(set(tested))}: dead logic",
                                    "remove the retired stage from its entry criteria or decisions"))
        if (set_values or tested) and not automation.active:
            findings.append(Finding("AUD005", "info", automation.system, automation.label,
                                    f"inactive, but still references retired stage(s) {sorted(set(set_values + tested))}",
                                    "delete the inactive automation so it cannot be re-activated by mistake"))
        known = {s.lower() for s in policy.active_stages + policy.retired_stages}
        unknown = [v for v in _touches(automation, policy.lifecycle) if v and v.lower() not in known]
        if unknown:
            findings.append(Finding("AUD005", "warning", automation.system, automation.label,
                                    f"references stage(s) {sorted(set(unknown))} that the lifecycle taxonomy does not know",
                                    "add the stage to the taxonomy (active or retired) or fix the automation"))
    return findings


def both_systems_rule(catalogue: list[Automation], policy: AuditPolicy) -> list[Finding]:
    findings = []
    for field in [policy.lifecycle, policy.lead_status, *policy.governed]:
        writers = {system: [a for a in catalogue if a.active and a.system == system and _touches(a, field, sets=True)]
                   for system in ("salesforce", "hubspot")}
        if writers["salesforce"] and writers["hubspot"]:
            names = ", ".join(a.label for a in writers["salesforce"] + writers["hubspot"])
            findings.append(Finding("AUD003", "error", "both", names,
                                    f"both systems automate {field.name} ({field.salesforce} / {field.hubspot}): the sync "
                                    "round-trips their changes", f"keep automation of {field.name} in its system of record "
                                    f"({field.system_of_record}) only"))
        wrong_side = "hubspot" if field.system_of_record == "salesforce" else (
            "salesforce" if field.system_of_record == "hubspot" else None)
        if wrong_side and writers[wrong_side] and not writers["salesforce" if wrong_side == "hubspot" else "hubspot"]:
            for automation in writers[wrong_side]:
                findings.append(Finding("AUD006", "error", automation.system, automation.label,
                                        f"writes {field.name}, which {field.system_of_record} owns",
                                        f"move this automation to {field.system_of_record} or stop it writing {field.name}"))
    return findings


def status_and_stage_rule(catalogue: list[Automation], policy: AuditPolicy) -> list[Finding]:
    findings = []
    for automation in catalogue:
        if not automation.active:
            continue
        stage = _touches(automation, policy.lifecycle)
        status = _touches(automation, policy.lead_status)
        if stage and status:
            sets_both = _touches(automation, policy.lifecycle, sets=True) and _touches(automation, policy.lead_status,
                                                                                        sets=True)
            findings.append(Finding("AUD004", "error" if sets_both else "warning", automation.system, automation.label,
                                    f"couples {policy.lead_status.name} and {policy.lifecycle.name}: they answer different "
                                    "questions (what sales is doing vs where the record is in the funnel)",
                                    "split the logic so each field has its own governed rules"))
    return findings


def audit(catalogue: list[Automation], policy: AuditPolicy) -> list[Finding]:
    return retired_stage_rules(catalogue, policy) + both_systems_rule(catalogue, policy) + \
        status_and_stage_rule(catalogue, policy)
