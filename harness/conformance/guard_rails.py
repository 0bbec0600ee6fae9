"""Salesforce automation the governance relies on (the profile's `required_automation`): the flows that stamp
governed dates, the validation rules that keep them write-once, the duplicate rules and what they do on a create
or an edit. Each must exist and be active; a duplicate rule must also allow or block as stated.

Read as a real org answers: flows from FlowDefinitionView, validation rules from the Tooling API (the automation
audit's reads), duplicate rules from the UI API's duplicate configuration of each object
(GET /ui-api/duplicates/{object}: its active rules with `actionOnInsert` / `actionOnUpdate`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from harness.conformance import places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.observed import Observed


def _flows(observed: Observed) -> Iterator[Clause]:
    automation = observed.salesforce_automation
    for flow in observed.profile.required_automation.flows:
        label = f"flow {flow.name}" + (f" on {flow.object}" if flow.object else "")
        where = places.automation("salesforce", "Flow", flow.name)
        if automation is None:
            yield not_evaluated("required_automation", label, "active", observed.why.get("Salesforce automation", ""),
                                where, places.integration_owner(observed.profile))
            continue
        found = next((f for f in automation.get("flows", []) if str(f.get("ApiName")) == flow.name), None)
        if found is None:
            actual = "no such flow"
        elif flow.object and str(found.get("TriggerObjectOrEventId") or flow.object) != flow.object:
            actual = f"triggered by {found.get('TriggerObjectOrEventId')}"
        else:
            actual = "active" if found.get("IsActive") else "inactive"
        yield conforms("required_automation", label, _why("active", flow.why), actual, actual == "active", where,
                       places.integration_owner(observed.profile))


def _validation_rules(observed: Observed) -> Iterator[Clause]:
    automation = observed.salesforce_automation
    for rule in observed.profile.required_automation.validation_rules:
        label = f"validation rule {rule.object}.{rule.name}"
        where = places.validation_rule(rule.object, rule.name)
        if automation is None:
            yield not_evaluated("required_automation", label, "active", observed.why.get("Salesforce automation", ""),
                                where, places.integration_owner(observed.profile))
            continue
        found = next((v for v in automation.get("validation", []) if str(v.get("ValidationName")) == rule.name
                      and str(v.get("EntityDefinitionId")) == rule.object), None)
        actual = "no such rule" if found is None else ("active" if found.get("Active") else "inactive")
        wanted = f"active, guards {rule.field}" if rule.field else "active"
        yield conforms("required_automation", label, _why(wanted, rule.why), actual, actual == "active", where,
                       places.integration_owner(observed.profile))


def _why(expected: str, why: str | None) -> str:
    return f"{expected} ({why})" if why else expected


def _action(value: Any) -> str:
    return str(value or "").casefold()


def _duplicate_rules(observed: Observed) -> Iterator[Clause]:
    for rule in observed.profile.required_automation.duplicate_rules:
        label = f"duplicate rule {rule.object}.{rule.name}"
        where = places.duplicate_rule(rule.name)
        wanted = "; ".join(["active"] + [f"{verb}: {action}" for verb, action in
                                         (("on create", rule.on_create), ("on edit", rule.on_edit)) if action])
        configuration = observed.duplicate_configuration(rule.object)
        if configuration is None:
            yield not_evaluated("required_automation", label, wanted,
                                observed.why.get(f"duplicates {rule.object}", ""), where, places.integration_owner(observed.profile))
            continue
        found = next((r for r in configuration.get("duplicateRules") or [] if str(r.get("name")) == rule.name), None)
        problems = []
        if found is None or found.get("active") is False:
            problems.append("not active (or no such rule)")
        else:
            for verb, stated, key in (("on create", rule.on_create, "actionOnInsert"),
                                      ("on edit", rule.on_edit, "actionOnUpdate")):
                if stated is not None and _action(found.get(key)) != stated:
                    problems.append(f"{verb}: {_action(found.get(key)) or 'unknown'}")
        actual = "; ".join(problems) if problems else wanted
        yield conforms("required_automation", label, _why(wanted, rule.why), actual, not problems, where,
                       places.integration_owner(observed.profile))


def _unlisted_blocking_rules(observed: Observed) -> Iterator[Clause]:
    """A duplicate rule nobody listed that blocks a create or an edit on a synced object refuses the connector's
    writes (DUPLICATES_DETECTED) on a matching rule the agreed dedupe strategy does not know: one system dedupes
    what the other splits. Listed with `on_create: block`, it is a decision and conforms above."""
    listed = {(r.object, r.name) for r in observed.profile.required_automation.duplicate_rules}
    synced = sorted({o for m in observed.profile.field_mappings for o in m.salesforce_objects})
    for sobject in synced:
        configuration = observed.duplicate_configuration(sobject)
        if configuration is None:
            continue  # named once per object by the listed rules' clauses, or by the run's residual risks
        for rule in configuration.get("duplicateRules") or []:
            name = str(rule.get("name"))
            if (sobject, name) in listed or rule.get("active") is False:
                continue
            blocks = [verb for verb, key in (("creates", "actionOnInsert"), ("edits", "actionOnUpdate"))
                      if _action(rule.get(key)) == "block"]
            if blocks:
                fields = ", ".join(f for m in rule.get("matchRules") or [] for f in m.get("matchFields") or [])
                yield conforms("required_automation", f"duplicate rule {sobject}.{name}",
                               "no duplicate rule the profile does not list blocks the connector's writes",
                               f"active and blocks {' and '.join(blocks)} (matching on {fields or 'its matching rule'})",
                               False,
                               places.duplicate_rule(name), places.integration_owner(observed.profile))


def required_automation_clauses(observed: Observed) -> Iterator[Clause]:
    yield from _flows(observed)
    yield from _validation_rules(observed)
    yield from _duplicate_rules(observed)
    yield from _unlisted_blocking_rules(observed)
