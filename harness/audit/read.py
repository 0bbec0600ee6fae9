"""Read both platforms' automation through their APIs: the Salesforce Tooling API and HubSpot's flows API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from harness.sandboxes import Sandboxes


def _tooling(sandboxes: Sandboxes, soql: str) -> list[dict[str, Any]]:
    result = sandboxes.salesforce.call("tooling query", sandboxes.salesforce.client.toolingexecute,
                                       f"query/?q={quote(soql)}")
    records = list(result.get("records", [])) if isinstance(result, dict) else []
    while isinstance(result, dict) and not result.get("done", True) and result.get("nextRecordsUrl"):
        locator = result["nextRecordsUrl"].split("/query/")[-1]
        result = sandboxes.salesforce.call("tooling query", sandboxes.salesforce.client.toolingexecute, f"query/{locator}")
        records.extend(result.get("records", []))
    return records


def _with_metadata(sandboxes: Sandboxes, entity: str, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Metadata is only queryable one row at a time (Tooling API rule), so fetch it per id."""
    out = {}
    for record_id in ids:
        rows = _tooling(sandboxes, f"SELECT Id, Metadata FROM {entity} WHERE Id = '{record_id}'")
        if rows:
            out[record_id] = rows[0].get("Metadata") or {}
    return out


def read_salesforce_automation(sandboxes: Sandboxes) -> dict[str, list[dict[str, Any]]]:
    flows = sandboxes.salesforce.query_all(
        "SELECT ApiName, IsActive, ProcessType, TriggerType, TriggerObjectOrEventId, ActiveVersionId, LatestVersionId "
        "FROM FlowDefinitionView")
    versions = [f.get("ActiveVersionId") or f.get("LatestVersionId") for f in flows]
    metadata = _with_metadata(sandboxes, "Flow", [v for v in versions if v])
    for flow, version in zip(flows, versions, strict=True):
        flow["Metadata"] = metadata.get(version or "", {})
    triggers = _tooling(sandboxes, "SELECT Id, Name, TableEnumOrId, Status, Body FROM ApexTrigger")
    workflow = _tooling(sandboxes, "SELECT Id, Name, TableEnumOrId FROM WorkflowRule")
    for rule, meta in zip(workflow, _with_metadata(sandboxes, "WorkflowRule", [w["Id"] for w in workflow]).values(),
                          strict=False):
        rule["Metadata"] = meta
    validation = _tooling(sandboxes, "SELECT Id, ValidationName, Active, EntityDefinitionId FROM ValidationRule")
    metas = _with_metadata(sandboxes, "ValidationRule", [v["Id"] for v in validation])
    for rule in validation:
        rule["Metadata"] = metas.get(rule["Id"], {})
    return {"flows": flows, "triggers": triggers, "workflow": workflow, "validation": validation}


def read_hubspot_workflows(sandboxes: Sandboxes) -> list[dict[str, Any]]:
    summaries: list[dict[str, Any]] = []
    after = None
    while True:
        page = sandboxes.hubspot.request("GET", "/automation/v4/flows" + (f"?after={after}" if after else ""))
        summaries.extend(page.get("results", []))
        after = ((page.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            break
    details: list[dict[str, Any]] = []
    for start in range(0, len(summaries), 100):
        chunk = summaries[start:start + 100]
        body = {"inputs": [{"flowId": str(f["id"]), "type": "FLOW_ID"} for f in chunk]}
        details.extend(sandboxes.hubspot.request("POST", "/automation/v4/flows/batch/read", body).get("results", []))
    return details
