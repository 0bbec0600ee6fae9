"""One field's describe entry (DescribeFieldResult), with the 57 properties Salesforce documents for it.

https://developer.salesforce.com/docs/platform/api/guide/sforce-api-calls-describesobjects-describesobjectresult.html
(Field). Values the fixture does not state follow what Salesforce reports for a field of that type: text
lengths in characters with `byteLength` three bytes per character, numbers with precision and scale, `digits`
for integers, read-only flags for system and formula fields.

Dependent picklists carry `controllerName`, `dependentPicklist` and, per value, `validFor`: a base64 bitmap
over the controlling field's values in their describe order (bit 0 is the most significant bit of the first
byte; a checkbox controller has two values, unchecked then checked), as the platform encodes it, in whole
base64 quanta (three bytes: "gAAA" is the first controlling value).
"""

from __future__ import annotations

import base64
from typing import Any

from .schema import SOAP_TYPES, FieldSchema, SObjectSchema

NUMBERS = {"double", "currency", "percent"}
TEXTUAL = {"string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "combobox", "encryptedstring",
           "id", "reference"}
NOT_FILTERABLE = {"textarea"}
NOT_SORTABLE = {"textarea", "multipicklist"}
NOT_GROUPABLE = {"textarea", "multipicklist", "double", "currency", "percent", "datetime"}
NOT_AGGREGATABLE = {"textarea", "multipicklist"}


def valid_for(controller_values: list[str], valid: list[str]) -> str | None:
    """The `validFor` bitmap: one bit per controlling value, set where this value may be chosen."""
    if not controller_values:
        return None
    # Whole base64 quanta, as the platform sends them ("gAAA" for the first of three values, never "gA==").
    bits = bytearray(max(3, -(-((len(controller_values) + 7) // 8) // 3) * 3))
    wanted = {str(v) for v in valid}
    for index, value in enumerate(controller_values):
        if value in wanted:
            bits[index // 8] |= 0x80 >> (index % 8)
    return base64.b64encode(bytes(bits)).decode("ascii")


def controller_values(sobject: SObjectSchema | None, f: FieldSchema) -> list[str]:
    controller = sobject.field(f.controller) if sobject is not None and f.controller else None
    if controller is None:
        return []
    if controller.type == "boolean":
        return ["false", "true"]
    return list(controller.values)


def picklist_values(f: FieldSchema, sobject: SObjectSchema | None = None) -> list[dict[str, Any]]:
    controlling = controller_values(sobject, f)
    return [{"active": True, "defaultValue": value == f.default, "label": f.labels.get(value, value),
             "validFor": valid_for(controlling, f.valid_for.get(value, [])) if f.controller else None,
             "value": value} for value in f.values]


def _length(f: FieldSchema) -> int:
    return f.length if f.type in TEXTUAL else 0


def field_entry(f: FieldSchema, level: str = "edit", sobject: SObjectSchema | None = None) -> dict[str, Any]:
    """The describe entry as `level` ("edit" or "read") sees it: a read-only user sees nothing writable."""
    writable = level == "edit"
    length = _length(f)
    numeric = f.type in NUMBERS
    system = f.system
    # The owner is filled with the running user when a create leaves it out, and can never be blank: describe says
    # so (nillable false, defaulted on create), which is also why it has no field-level security of its own.
    owner = f.name == "OwnerId"
    defaulted = f.default is not None or system or f.type == "boolean" or owner
    return {
        "aggregatable": f.type not in NOT_AGGREGATABLE,
        "aiPredictionField": False,
        "autoNumber": False,
        "byteLength": length * 3,
        "calculated": f.calculated,
        "calculatedFormula": f.formula,
        "cascadeDelete": False,
        "caseSensitive": False,
        "compoundFieldName": f.compound_field,
        "controllerName": f.controller,
        "createable": writable and f.createable and not system,
        "custom": f.name.endswith("__c"),
        "defaultValue": bool(f.default) if f.type == "boolean" else None,
        "defaultValueFormula": None,
        "defaultedOnCreate": defaulted,
        "dependentPicklist": f.controller is not None,
        "deprecatedAndHidden": False,
        "digits": 18 if f.type == "int" else 0,
        "displayLocationInDecimal": False,
        "encrypted": f.type == "encryptedstring",
        "externalId": f.external_id,
        "extraTypeInfo": _extra_type_info(f),
        "filterable": f.type not in NOT_FILTERABLE,
        "filteredLookupInfo": None,
        "formulaTreatNullNumberAsZero": False,
        "groupable": f.type not in NOT_GROUPABLE,
        "highScaleNumber": False,
        "htmlFormatted": False,
        "idLookup": f.name == "Id" or f.external_id or f.name == "Email",
        "inlineHelpText": f.help_text,
        "label": f.label,
        "length": length,
        "mask": None,
        "maskType": None,
        "name": f.name,
        "nameField": f.name == "Name",
        "namePointing": f.type == "reference" and len(f.reference_to) > 1,
        "nillable": not f.required and f.type != "boolean" and f.name != "Id" and not owner,
        "permissionable": not f.required and not system and f.formula is None,
        "picklistValues": picklist_values(f, sobject) if f.type in {"picklist", "multipicklist", "combobox"} else [],
        "polymorphicForeignKey": f.type == "reference" and len(f.reference_to) > 1,
        "precision": f.precision if numeric else 0,
        "queryByDistance": False,
        "referenceTargetField": None,
        "referenceTo": list(f.reference_to),
        "relationshipName": f.relationship_name if f.type == "reference" else None,
        "relationshipOrder": None,
        "restrictedDelete": False,
        "restrictedPicklist": f.restricted,
        "scale": f.scale if numeric else 0,
        "searchPrefilterable": f.type == "reference",
        "soapType": SOAP_TYPES.get(f.type, "xsd:string"),
        "sortable": f.type not in NOT_SORTABLE,
        "type": f.type,
        "unique": f.unique,
        "updateable": writable and f.updateable and not system,
        "writeRequiresMasterRead": False,
    }


def _extra_type_info(f: FieldSchema) -> str | None:
    if f.type == "url":
        return "url"  # what the platform reports for URL fields (imageurl for image formulas)
    if f.type == "textarea" and f.length > 255:
        return "plaintextarea"
    return None
