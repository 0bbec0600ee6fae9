"""Describe results (global and per object) generated from the org schema, in the REST API's shape."""

from __future__ import annotations

from typing import Any

from .schema import SOAP_TYPES, FieldSchema, OrgSchema, SObjectSchema


def _urls(api_version: str, name: str) -> dict[str, str]:
    base = f"/services/data/v{api_version}/sobjects/{name}"
    return {"sobject": base, "describe": f"{base}/describe", "rowTemplate": f"{base}/{{ID}}"}


def global_entry(sobject: SObjectSchema, api_version: str) -> dict[str, Any]:
    return {
        "name": sobject.name, "label": sobject.label, "labelPlural": sobject.label_plural,
        "keyPrefix": sobject.key_prefix, "custom": sobject.name.endswith("__c"), "queryable": sobject.queryable,
        "createable": sobject.createable, "updateable": sobject.createable, "deletable": sobject.createable,
        "searchable": sobject.queryable, "retrieveable": True, "layoutable": True, "mergeable":
        sobject.field("MasterRecordId") is not None, "triggerable": True, "replicateable": True,
        "urls": _urls(api_version, sobject.name),
    }


def describe_global(schema: OrgSchema, api_version: str, access: Any = None, user_id: str | None = None,
                    tooling: bool = False) -> dict[str, Any]:
    visible = [s for s in schema.objects.values() if s.tooling == tooling
               and not (access and user_id and access.object_level(user_id, s) == "none")]
    return {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": [global_entry(s, api_version) for s in visible]}


def field_entry(f: FieldSchema, level: str = "edit") -> dict[str, Any]:
    entry = _field_entry(f)
    if level == "read":
        entry["createable"] = entry["updateable"] = False
    return entry


def _field_entry(f: FieldSchema) -> dict[str, Any]:
    return {
        "name": f.name, "label": f.label, "type": f.type, "length": f.length if f.column_type == "TEXT" else 0,
        "precision": f.precision if f.type in {"double", "currency", "percent"} else 0,
        "scale": f.scale if f.type in {"double", "currency", "percent"} else 0,
        "digits": 9 if f.type == "int" else 0,
        "nillable": not f.required and f.type != "boolean" and f.name != "Id",
        "createable": f.createable and not f.system, "updateable": f.updateable and not f.system,
        "calculated": f.calculated, "calculatedFormula": f.formula, "custom": f.name.endswith("__c"),
        "externalId": f.external_id, "unique": f.unique, "idLookup": f.name == "Id" or f.external_id or f.name == "Email",
        "filterable": f.type != "textarea", "sortable": f.type not in {"textarea", "multipicklist"},
        "groupable": f.type not in {"textarea", "double", "currency", "percent", "datetime"},
        "defaultValue": f.default if f.type in {"boolean"} else None,
        "defaultedOnCreate": f.default is not None or f.system,
        "picklistValues": [{"active": True, "defaultValue": value == f.default, "label": value, "validFor": None,
                            "value": value} for value in f.values],
        "restrictedPicklist": f.restricted, "referenceTo": f.reference_to,
        "relationshipName": f.relationship_name if f.type == "reference" else None,
        "soapType": SOAP_TYPES.get(f.type, "xsd:string"), "autoNumber": False, "caseSensitive": False,
        "dependentPicklist": False, "htmlFormatted": False, "nameField": f.name == "Name",
    }


def describe_sobject(sobject: SObjectSchema, api_version: str, access: Any = None,
                     user_id: str | None = None) -> dict[str, Any]:
    """Fields the user cannot see are left out; read-only ones are neither createable nor updateable."""
    entry = global_entry(sobject, api_version)
    levels = {f.name: (access.field_access(user_id, sobject, f.name) if access and user_id else "edit")
              for f in sobject.fields.values()}
    entry.update({
        "fields": [field_entry(f, levels[f.name]) for f in sobject.fields.values() if levels[f.name] != "none"],
        "childRelationships": [{**c, "cascadeDelete": False, "deprecatedAndHidden": False} for c in sobject.child_relationships],
        "recordTypeInfos": [],
    })
    return entry
