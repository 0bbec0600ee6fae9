"""Describe as Salesforce documents it: every DescribeFieldResult and DescribeSObjectResult property, and
dependent picklists with `controllerName` and a `validFor` bitmap a client can decode."""

from __future__ import annotations

import base64

from .conftest import client

# DescribeFieldResult, as the SOAP API Developer Guide lists it (also jsforce's `Field` type).
FIELD_PROPERTIES = {
    "aggregatable", "aiPredictionField", "autoNumber", "byteLength", "calculated", "calculatedFormula",
    "cascadeDelete", "caseSensitive", "compoundFieldName", "controllerName", "createable", "custom", "defaultValue",
    "defaultValueFormula", "defaultedOnCreate", "dependentPicklist", "deprecatedAndHidden", "digits",
    "displayLocationInDecimal", "encrypted", "externalId", "extraTypeInfo", "filterable", "filteredLookupInfo",
    "formulaTreatNullNumberAsZero", "groupable", "highScaleNumber", "htmlFormatted", "idLookup", "inlineHelpText",
    "label", "length", "mask", "maskType", "name", "nameField", "namePointing", "nillable", "permissionable",
    "picklistValues", "polymorphicForeignKey", "precision", "queryByDistance", "referenceTargetField", "referenceTo",
    "relationshipName", "relationshipOrder", "restrictedDelete", "restrictedPicklist", "scale",
    "searchPrefilterable", "soapType", "sortable", "type", "unique", "updateable", "writeRequiresMasterRead",
}
# DescribeSObjectResult (REST): the global entry's properties plus the per-object ones.
OBJECT_PROPERTIES = {
    "actionOverrides", "activateable", "childRelationships", "compactLayoutable", "createable", "custom",
    "customSetting", "deepCloneable", "deletable", "deprecatedAndHidden", "feedEnabled", "fields", "hasSubtypes",
    "isInterface", "isSubtype", "keyPrefix", "label", "labelPlural", "layoutable", "listviewable", "lookupLayoutable",
    "mergeable", "mruEnabled", "name", "namedLayoutInfos", "networkScopeFieldName", "queryable", "recordTypeInfos",
    "replicateable", "retrieveable", "searchLayoutable", "searchable", "supportedScopes", "triggerable",
    "undeletable", "updateable", "urls",
}


def decode_valid_for(bitmap: str, controlling: list[str]) -> list[str]:
    """The decoding Salesforce's docs give: bit i of the base64 bytes, most significant bit first."""
    raw = base64.b64decode(bitmap)
    return [value for i, value in enumerate(controlling) if i >> 3 < len(raw) and raw[i >> 3] & (0x80 >> (i & 7))]


def test_every_field_carries_the_documented_properties(twin):
    described = client(twin).Lead.describe()
    assert len(FIELD_PROPERTIES) == 57
    for f in described["fields"]:
        assert set(f) == FIELD_PROPERTIES, (f["name"], FIELD_PROPERTIES ^ set(f))
    email = next(f for f in described["fields"] if f["name"] == "Email")
    assert (email["type"], email["length"], email["byteLength"], email["idLookup"]) == ("email", 80, 240, True)
    revenue = next(f for f in described["fields"] if f["name"] == "AnnualRevenue")
    assert (revenue["precision"], revenue["scale"], revenue["length"]) == (18, 2, 0)
    name = next(f for f in described["fields"] if f["name"] == "Name")
    assert name["calculated"] and not name["createable"] and name["nameField"]


def test_the_object_carries_the_documented_properties(twin):
    sf = client(twin)
    described = sf.Account.describe()
    assert set(described) >= OBJECT_PROPERTIES, OBJECT_PROPERTIES - set(described)
    contacts = next(c for c in described["childRelationships"] if c["relationshipName"] == "Contacts")
    assert set(contacts) == {"cascadeDelete", "childSObject", "deprecatedAndHidden", "field", "junctionIdListNames",
                             "junctionReferenceTo", "relationshipName", "restrictedDelete"}
    assert described["recordTypeInfos"][0]["master"] is True
    listed = next(o for o in sf.describe()["sobjects"] if o["name"] == "Account")
    assert {k for k in described if k in listed} == set(listed)  # the global entry is a subset of the describe


def test_dependent_picklist_values_say_which_controlling_values_they_belong_to(make_org, start_twin):
    org = make_org({"objects": {"Lead": {"fields": {"Sub_Source__c": {
        "type": "picklist", "controller": "LeadSource", "help": "Where exactly the lead came from",
        "values": [{"value": "Search ad", "valid_for": ["Web"]},
                   {"value": "Reseller", "label": "Reseller partner", "valid_for": ["Partner Referral", "Other"]},
                   "Unmapped"]}}}}})
    described = client(start_twin(org)).Lead.describe()
    fields = {f["name"]: f for f in described["fields"]}
    source, sub = fields["LeadSource"], fields["Sub_Source__c"]
    assert (sub["controllerName"], sub["dependentPicklist"], sub["inlineHelpText"]) == (
        "LeadSource", True, "Where exactly the lead came from")
    assert (source["controllerName"], source["dependentPicklist"]) == (None, False)
    controlling = [v["value"] for v in source["picklistValues"]]
    decoded = {v["value"]: (v["label"], decode_valid_for(v["validFor"], controlling)) for v in sub["picklistValues"]}
    assert decoded == {"Search ad": ("Search ad", ["Web"]),
                       "Reseller": ("Reseller partner", ["Partner Referral", "Other"]),
                       "Unmapped": ("Unmapped", [])}
    assert all(v["validFor"] is None for v in source["picklistValues"])
    assert next(v for v in sub["picklistValues"] if v["value"] == "Search ad")["validFor"] == "gAAA"  # Web is first
