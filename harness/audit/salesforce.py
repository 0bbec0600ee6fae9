"""Salesforce automation from the Tooling API: flows (with their metadata), Apex triggers, workflow rules and
validation rules, reduced to the fields each sets and tests.

Flow metadata is walked generically (record updates, assignments, start filters, decisions) because flows nest
the same element shapes at any depth; Apex bodies and formulas are text, scanned for the governed field names
and the quoted values next to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from harness.audit.model import Automation, Touch

_RECORD_PREFIX = re.compile(r"^\$Record(__Prior)?\.", re.IGNORECASE)


def _literal(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("stringValue", "numberValue", "booleanValue", "dateValue", "dateTimeValue", "elementReference"):
            if value.get(key) is not None:
                return str(value[key])
        return None
    return None if value is None else str(value)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def flow_touches(metadata: dict[str, Any], default_object: str | None) -> list[Touch]:
    touches: list[Touch] = []
    start = metadata.get("start") or {}
    object_name = start.get("object") or default_object or ""
    for element in _walk(metadata):
        if "field" in element and "value" in element and isinstance(element.get("value"), dict | type(None)):
            # inputAssignments of record updates/creates, and start/lookup filters (which test)
            setting = "operator" not in element
            touches.append(Touch(object_name, str(element["field"]), _literal(element.get("value")), sets=setting))
        if "assignToReference" in element:
            field_name = _RECORD_PREFIX.sub("", str(element["assignToReference"]))
            touches.append(Touch(object_name, field_name, _literal(element.get("value")), sets=True))
        if "leftValueReference" in element:
            field_name = _RECORD_PREFIX.sub("", str(element["leftValueReference"]))
            touches.append(Touch(object_name, field_name, _literal(element.get("rightValue")), sets=False))
    return touches


def text_touches(text: str, object_name: str, fields: list[str], sets: bool) -> list[Touch]:
    """Governed field names in code or a formula, each with the quoted literals on its line."""
    touches = []
    for line in text.splitlines():
        for field_name in fields:
            if re.search(rf"\b{re.escape(field_name)}\b", line, re.IGNORECASE):
                literals = re.findall(r"'([^'\\]*(?:\\.[^'\\]*)*)'|\"([^\"]*)\"", line)
                values = [a or b for a, b in literals] or [None]
                assigns = sets and re.search(rf"\b{re.escape(field_name)}\s*=(?!=)", line, re.IGNORECASE) is not None
                touches.extend(Touch(object_name, field_name, v, sets=assigns) for v in values)
    return touches


def catalogue_salesforce(rows: dict[str, list[dict[str, Any]]], governed_fields: list[str]) -> list[Automation]:
    """`rows`: Tooling query results by kind: flows (FlowDefinitionView + Metadata), triggers, workflow, validation."""
    out: list[Automation] = []
    for flow in rows.get("flows", []):
        metadata = flow.get("Metadata") or {}
        out.append(Automation("salesforce", "Flow", flow.get("ApiName") or flow.get("DeveloperName") or "?",
                              bool(flow.get("IsActive")), flow.get("TriggerObjectOrEventId"),
                              flow_touches(metadata, flow.get("TriggerObjectOrEventId"))))
    for trigger in rows.get("triggers", []):
        table = trigger.get("TableEnumOrId") or ""
        out.append(Automation("salesforce", "ApexTrigger", trigger.get("Name", "?"), trigger.get("Status") == "Active",
                              table, text_touches(trigger.get("Body") or "", table, governed_fields, sets=True)))
    for rule in rows.get("workflow", []):
        metadata = rule.get("Metadata") or {}
        table = rule.get("TableEnumOrId") or ""
        touches = [Touch(table, str(item.get("field", "")).split(".")[-1], item.get("value"), sets=False)
                   for item in metadata.get("criteriaItems") or []]
        touches += text_touches(metadata.get("formula") or "", table, governed_fields, sets=False)
        for action in metadata.get("actions") or []:
            if action.get("field"):
                touches.append(Touch(table, str(action["field"]), action.get("literalValue"), sets=True))
        out.append(Automation("salesforce", "WorkflowRule", rule.get("Name") or rule.get("FullName", "?"),
                              bool(metadata.get("active", True)), table, touches))
    for rule in rows.get("validation", []):
        table = rule.get("EntityDefinitionId") or rule.get("TableEnumOrId") or ""
        formula = (rule.get("Metadata") or {}).get("errorConditionFormula") or rule.get("ErrorConditionFormula") or ""
        out.append(Automation("salesforce", "ValidationRule", rule.get("ValidationName", "?"), bool(rule.get("Active")),
                              table, text_touches(formula, table, governed_fields, sets=False)))
    return out
