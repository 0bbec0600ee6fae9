"""Describe results (global and per object) generated from the org schema, in the REST API's shape.

Object properties follow DescribeGlobalSObjectResult and DescribeSObjectResult
(https://developer.salesforce.com/docs/platform/api/guide/sforce-api-calls-describesobjects-describesobjectresult.html);
field entries are built in `describe_fields.py`.
"""

from __future__ import annotations

from typing import Any

from .describe_fields import field_entry
from .schema import OrgSchema, SObjectSchema

__all__ = ["describe_global", "describe_sobject", "field_entry", "global_entry"]

# Objects whose records the platform keeps out of the recycle bin or feeds (system catalogues).
NOT_FEED_ENABLED = {"User", "Group", "LeadStatus", "Organization"}


def _urls(api_version: str, name: str, full: bool = False) -> dict[str, str]:
    base = f"/services/data/v{api_version}/sobjects/{name}"
    urls = {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"}
    if full:
        urls.update({"compactLayouts": f"{base}/describe/compactLayouts", "approvalLayouts":
                     f"{base}/describe/approvalLayouts", "listviews": f"{base}/listviews", "quickActions":
                     f"{base}/quickActions", "layouts": f"{base}/describe/layouts", "defaultValues":
                     f"{base}/defaultValues?recordTypeId&fields"})
    return urls


def global_entry(sobject: SObjectSchema, api_version: str) -> dict[str, Any]:
    """DescribeGlobalSObjectResult: what `GET sobjects` lists per object."""
    writable = sobject.createable and not sobject.tooling
    return {
        "activateable": False, "associateEntityType": None, "associateParentEntity": None,
        "createable": writable, "custom": sobject.name.endswith("__c"), "customSetting": False,
        "deepCloneable": False, "deletable": writable, "deprecatedAndHidden": False,
        "feedEnabled": writable and sobject.name not in NOT_FEED_ENABLED, "hasSubtypes": False, "isInterface": False,
        "isSubtype": False, "keyPrefix": sobject.key_prefix, "label": sobject.label, "labelPlural": sobject.label_plural,
        "layoutable": writable, "mergeable": sobject.field("MasterRecordId") is not None, "mruEnabled": writable,
        "name": sobject.name, "queryable": sobject.queryable, "replicateable": sobject.queryable,
        "retrieveable": True, "searchable": sobject.queryable and not sobject.tooling, "triggerable": writable,
        "undeletable": writable, "updateable": writable, "urls": _urls(api_version, sobject.name),
    }


def describe_global(schema: OrgSchema, api_version: str, access: Any = None, user_id: str | None = None,
                    tooling: bool = False) -> dict[str, Any]:
    visible = [s for s in schema.objects.values() if s.tooling == tooling
               and not (access and user_id and access.object_level(user_id, s) == "none")]
    return {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [global_entry(s, api_version) for s in visible]}


def _child_relationship(relation: dict[str, str]) -> dict[str, Any]:
    return {"cascadeDelete": False, "childSObject": relation["childSObject"], "deprecatedAndHidden": False,
            "field": relation["field"], "junctionIdListNames": [], "junctionReferenceTo": [],
            "relationshipName": relation["relationshipName"], "restrictedDelete": False}


def describe_sobject(sobject: SObjectSchema, api_version: str, access: Any = None,
                     user_id: str | None = None) -> dict[str, Any]:
    """DescribeSObjectResult. Fields the user cannot see are left out; read-only ones are neither createable
    nor updateable."""
    entry = global_entry(sobject, api_version)
    levels = {f.name: (access.field_access(user_id, sobject, f.name) if access and user_id else "edit")
              for f in sobject.fields.values()}
    entry.update({
        "actionOverrides": [],
        "childRelationships": [_child_relationship(c) for c in sobject.child_relationships],
        "compactLayoutable": entry["layoutable"],
        "defaultImplementation": None, "extendedBy": None, "extendsInterfaces": None, "implementedBy": None,
        "implementsInterfaces": None,
        "fields": [field_entry(f, levels[f.name], sobject) for f in sobject.fields.values()
                   if levels[f.name] != "none"],
        "listviewable": None, "lookupLayoutable": None,
        "namedLayoutInfos": [], "networkScopeFieldName": None,
        "recordTypeInfos": _record_types(sobject, api_version),
        "searchLayoutable": entry["searchable"], "sobjectDescribeOption": "FULL", "supportedScopes": _scopes(sobject),
        "urls": _urls(api_version, sobject.name, full=True),
    })
    return entry


def _record_types(sobject: SObjectSchema, api_version: str) -> list[dict[str, Any]]:
    """Every layoutable object has the Master record type when the org defines none."""
    if not sobject.createable or sobject.tooling:
        return []
    return [{"active": True, "available": True, "defaultRecordTypeMapping": True, "developerName": "Master",
             "master": True, "name": "Master", "recordTypeId": "012000000000000AAA",
             "urls": {"layout": f"/services/data/v{api_version}/sobjects/{sobject.name}/describe/layouts/012000000000000AAA"}}]


def _scopes(sobject: SObjectSchema) -> list[dict[str, str]]:
    scopes = [{"label": f"All {sobject.label_plural.lower()}", "name": "everything"}]
    if sobject.field("OwnerId") is not None:
        scopes.append({"label": f"My {sobject.label_plural.lower()}", "name": "mine"})
    return scopes
