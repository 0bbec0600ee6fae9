"""The Tooling API's automation catalogue, generated from the fixture's `automation:` block.

FlowDefinitionView, FlowDefinition, Flow (with Metadata), ApexTrigger, WorkflowRule, ValidationRule and
DuplicateRule are real tables (`sft_<name>`) rebuilt at every start, so the one SOQL engine serves
`/tooling/query` too. FlowDefinitionView and DuplicateRule are also queryable through the standard API, as in
Salesforce.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .ids import make_id
from .schema import FieldSchema, OrgSchema, SObjectSchema

if TYPE_CHECKING:
    from .models import SalesforceBackend

_TYPES = {"s": "string", "b": "boolean", "i": "int", "t": "textarea", "m": "complexvalue", "d": "datetime", "r": "reference"}

_OBJECTS: dict[str, tuple[str, str]] = {
    # name: (key prefix, "Field:type ..." with s=string b=boolean i=int t=textarea m=Metadata d=datetime)
    "FlowDefinitionView": ("300", "DurableId:s ApiName:s Label:s Description:t ActiveVersionId:s LatestVersionId:s "
                                  "IsActive:b IsOutOfDate:b IsTemplate:b ProcessType:s TriggerType:s RecordTriggerType:s "
                                  "TriggerObjectOrEventId:s TriggerObjectOrEventLabel:s TriggerOrder:i NamespacePrefix:s "
                                  "ManageableState:s Builder:s VersionNumber:i LastModifiedDate:d"),
    "FlowDefinition": ("300", "DeveloperName:s MasterLabel:s Description:t ActiveVersionId:s LatestVersionId:s "
                              "NamespacePrefix:s ManageableState:s FullName:s Metadata:m LastModifiedDate:d"),
    "Flow": ("301", "DefinitionId:s MasterLabel:s Description:t Status:s VersionNumber:i ProcessType:s ApiVersion:s "
                    "FullName:s Metadata:m LastModifiedDate:d"),
    "ApexTrigger": ("01q", "Name:s TableEnumOrId:s Status:s Body:t ApiVersion:s IsValid:b NamespacePrefix:s "
                           "UsageBeforeInsert:b UsageBeforeUpdate:b UsageBeforeDelete:b UsageAfterInsert:b "
                           "UsageAfterUpdate:b UsageAfterDelete:b UsageAfterUndelete:b UsageIsBulk:b "
                           "LengthWithoutComments:i EntityDefinitionId:s LastModifiedDate:d"),
    "WorkflowRule": ("01Q", "Name:s TableEnumOrId:s NamespacePrefix:s FullName:s Metadata:m LastModifiedDate:d"),
    "ValidationRule": ("03d", "ValidationName:s EntityDefinitionId:s Active:b ErrorMessage:t ErrorDisplayField:s "
                              "Description:t NamespacePrefix:s FullName:s Metadata:m LastModifiedDate:d"),
    "DuplicateRule": ("0Bm", "DeveloperName:s MasterLabel:s SobjectType:s IsActive:b NamespacePrefix:s "
                             "LastModifiedDate:d"),
}

_TRIGGER = {"before_save": "RecordBeforeSave", "after_save": "RecordAfterSave"}
_RECORD_TRIGGER = {"create": "Create", "update": "Update", "create_or_update": "CreateAndUpdate"}
_EVENTS = ("before_insert", "before_update", "before_delete", "after_insert", "after_update", "after_delete",
           "after_undelete")


def _schema() -> OrgSchema:
    objects = {}
    for name, (prefix, spec) in _OBJECTS.items():
        fields = {"id": FieldSchema("Id", "id", "Record ID", 18, indexed=True, system=True, createable=False,
                                    updateable=False)}
        for item in spec.split():
            field_name, kind = item.split(":")
            fields[field_name.lower()] = FieldSchema(field_name, _TYPES[kind], field_name, 255 if kind == "s" else 0,
                                                     createable=False, updateable=False)
        objects[name.lower()] = SObjectSchema(name, prefix, name, name + "s", fields, createable=False, tooling=True)
    return OrgSchema(objects=objects, organization={}, seed_records={}, behaviour={})


class ToolingCatalogue:
    standard_api_objects = {"flowdefinitionview", "duplicaterule"}

    def __init__(self, backend: SalesforceBackend) -> None:
        self.backend = backend
        self.schema = _schema()

    def _rows(self) -> dict[str, list[dict[str, Any]]]:
        automation = self.backend.automation
        version = self.backend.api_version
        stamp = self.backend.stamp()
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in _OBJECTS}
        for index, flow in enumerate(automation.flows, start=1):
            definition_id, version_id = make_id("300", index), make_id("301", index)
            trigger, record_trigger = _TRIGGER[flow.trigger], _RECORD_TRIGGER[flow.when]
            metadata = {
                "label": flow.label, "processType": "AutoLaunchedFlow", "status": "Active" if flow.active else "Draft",
                "description": flow.description or None, "apiVersion": float(version),
                "start": {"object": flow.object, "recordTriggerType": record_trigger, "triggerType": trigger,
                          "filterFormula": flow.condition, "filterLogic": "formula" if flow.condition else None,
                          "doesRequireRecordChangedToMeetCriteria": flow.run == "when_condition_becomes_true"},
                "recordUpdates": [{"name": "Set_Fields", "inputReference": "$Record", "inputAssignments": [
                    {"field": a.field, "value": {"formulaExpression" if a.formula else "stringValue": a.text.lstrip("=")}}
                    for a in flow.set_fields]}] if flow.set_fields else [],
                "recordCreates": [{"name": "Create_Task", "object": "Task", "inputAssignments": [
                    {"field": a.field, "value": {"formulaExpression" if a.formula else "stringValue": a.text.lstrip("=")}}
                    for a in flow.create_task]}] if flow.create_task else [],
            }
            out["FlowDefinitionView"].append({
                "Id": definition_id, "DurableId": definition_id, "ApiName": flow.api_name, "Label": flow.label,
                "Description": flow.description or None, "ActiveVersionId": version_id if flow.active else None,
                "LatestVersionId": version_id, "IsActive": int(flow.active), "IsOutOfDate": 0, "IsTemplate": 0,
                "ProcessType": "AutoLaunchedFlow", "TriggerType": trigger, "RecordTriggerType": record_trigger,
                "TriggerObjectOrEventId": flow.object, "TriggerObjectOrEventLabel": self._label(flow.object),
                "TriggerOrder": flow.order + 1, "ManageableState": "unmanaged", "Builder": "Flow Builder",
                "VersionNumber": 1, "LastModifiedDate": stamp})
            out["FlowDefinition"].append({
                "Id": definition_id, "DeveloperName": flow.api_name, "MasterLabel": flow.label,
                "Description": flow.description or None, "ActiveVersionId": version_id if flow.active else None,
                "LatestVersionId": version_id, "ManageableState": "unmanaged", "FullName": flow.api_name,
                "Metadata": json.dumps({"activeVersionNumber": 1 if flow.active else None,
                                        "description": flow.description or None}), "LastModifiedDate": stamp})
            out["Flow"].append({
                "Id": version_id, "DefinitionId": definition_id, "MasterLabel": flow.label,
                "Description": flow.description or None, "Status": "Active" if flow.active else "Draft",
                "VersionNumber": 1, "ProcessType": "AutoLaunchedFlow", "ApiVersion": version,
                "FullName": f"{flow.api_name}-1", "Metadata": json.dumps(metadata), "LastModifiedDate": stamp})
        for index, rule in enumerate(automation.validation_rules, start=1):
            out["ValidationRule"].append({
                "Id": make_id("03d", index), "ValidationName": rule.name, "EntityDefinitionId": rule.object,
                "Active": int(rule.active), "ErrorMessage": rule.message, "ErrorDisplayField": rule.field,
                "Description": rule.description or None, "FullName": f"{rule.object}.{rule.name}",
                "Metadata": json.dumps({"active": rule.active, "description": rule.description or None,
                                        "errorConditionFormula": rule.condition, "errorDisplayField": rule.field,
                                        "errorMessage": rule.message}), "LastModifiedDate": stamp})
        for index, rule in enumerate(automation.duplicate_rules, start=1):
            out["DuplicateRule"].append({"Id": make_id("0Bm", index), "DeveloperName": rule.name,
                                         "MasterLabel": rule.name.replace("_", " "), "SobjectType": rule.object,
                                         "IsActive": int(rule.active), "LastModifiedDate": stamp})
        triggers = [c for c in automation.catalogue if c.kind == "ApexTrigger"]
        for index, entry in enumerate(triggers, start=1):
            events = set(entry.data.get("events") or [])
            body = str(entry.data.get("body") or f"trigger {entry.name} on {entry.object} (before insert) {{ }}")
            row = {"Id": make_id("01q", index), "Name": entry.name, "TableEnumOrId": entry.object,
                   "Status": str(entry.data.get("status", "Active")), "Body": body, "ApiVersion": version,
                   "IsValid": 1, "UsageIsBulk": 1, "LengthWithoutComments": len(body), "EntityDefinitionId": entry.object,
                   "LastModifiedDate": stamp}
            for event in _EVENTS:
                when, what = event.split("_")
                row[f"Usage{when.title()}{what.title()}"] = int(event in events)
            out["ApexTrigger"].append(row)
        rules = [c for c in automation.catalogue if c.kind == "WorkflowRule"]
        for index, entry in enumerate(rules, start=1):
            data = entry.data
            out["WorkflowRule"].append({
                "Id": make_id("01Q", index), "Name": entry.name, "TableEnumOrId": entry.object,
                "FullName": f"{entry.object}.{entry.name}", "LastModifiedDate": stamp,
                "Metadata": json.dumps({"active": bool(data.get("active", True)), "actions": data.get("actions") or [],
                                        "booleanFilter": data.get("boolean_filter"),
                                        "criteriaItems": data.get("criteria_items") or [],
                                        "description": data.get("description"), "formula": data.get("formula"),
                                        "triggerType": data.get("trigger_type", "onCreateOrTriggeringUpdate"),
                                        "workflowTimeTriggers": []})})
        return out

    def _label(self, object_name: str) -> str:
        found = self.backend.schema.sobject(object_name)
        return found.label if found else object_name

    def record(self, sobject: SObjectSchema, record_id: str) -> dict[str, Any] | None:
        with self.backend.store.lock:
            row = self.backend.store.db.execute(f'SELECT * FROM "{sobject.table}" WHERE "Id" = ?', (record_id,)).fetchone()
        return dict(row) if row is not None else None

    def refresh(self) -> None:
        rows = self._rows()
        with self.backend.store.transaction() as db:
            for name, records in rows.items():
                sobject = self.schema.sobject(name)
                db.execute(f'DELETE FROM "{sobject.table}"')
                for record in records:
                    columns = list(record)
                    db.execute(f'INSERT INTO "{sobject.table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
                               f'VALUES ({", ".join("?" * len(columns))})', [record[c] for c in columns])
