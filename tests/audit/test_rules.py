"""Audit rules over catalogues in the platforms' own shapes (Tooling API flow metadata, HubSpot v4 flows)."""

from __future__ import annotations

from harness.audit import AuditPolicy, GovernedField, audit, catalogue_hubspot, catalogue_salesforce

POLICY = AuditPolicy(
    active_stages=["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"],
    retired_stages=["evangelist", "other"],
    lifecycle=GovernedField("Lifecycle Stage", "Lifecycle_Stage__c", "lifecyclestage", "governed"),
    lead_status=GovernedField("Lead Status", "Status", "hs_lead_status", "salesforce"),
    governed=[GovernedField("Contact Owner", "OwnerId", "hubspot_owner_id", "salesforce")],
)


def flow(name: str, active: bool, metadata: dict) -> dict:
    return {"ApiName": name, "IsActive": active, "TriggerObjectOrEventId": "Lead", "Metadata": metadata}


def set_stage(value: str) -> dict:
    return {"start": {"object": "Lead", "triggerType": "RecordAfterSave"},
            "recordUpdates": [{"name": "Stamp", "inputAssignments": [
                {"field": "Lifecycle_Stage__c", "value": {"stringValue": value}}]}]}


def hubspot_flow(name: str, enabled: bool, prop: str, value: str, criteria_prop: str | None = None) -> dict:
    flow = {"id": "1001", "name": name, "isEnabled": enabled, "objectTypeId": "0-1", "actions": [
        {"actionId": "1", "actionTypeId": "0-5", "type": "SINGLE_CONNECTION",
         "fields": {"property_name": prop, "value": {"type": "STATIC_VALUE", "staticValue": value}}}]}
    if criteria_prop:
        flow["enrollmentCriteria"] = {"listFilterBranch": {"filterBranches": [{"filters": [
            {"property": criteria_prop, "operation": {"operator": "IS_ANY_OF", "values": ["OPEN"]}}]}]}}
    return flow


def rules(findings) -> list[str]:
    return sorted(f.rule for f in findings)


def test_a_clean_catalogue_has_no_findings():
    catalogue = catalogue_salesforce({"flows": [flow("Stamp_MQL", True, set_stage("marketingqualifiedlead"))]},
                                     ["Lifecycle_Stage__c", "Status"])
    assert audit(catalogue, POLICY) == []


def test_active_automation_setting_a_retired_stage_is_an_error_on_either_side():
    salesforce = catalogue_salesforce({"flows": [flow("Legacy_Evangelist", True, set_stage("evangelist"))]}, [])
    hubspot = catalogue_hubspot([hubspot_flow("Old nurture", True, "lifecyclestage", "other")])
    findings = audit(salesforce + hubspot, POLICY)
    assert [f.rule for f in findings if f.severity == "error"].count("AUD001") == 2


def test_inactive_automation_still_referencing_a_retired_stage_is_reported_not_failed():
    catalogue = catalogue_salesforce({"flows": [flow("Legacy_Evangelist", False, set_stage("evangelist"))]}, [])
    findings = audit(catalogue, POLICY)
    assert rules(findings) == ["AUD005"] and findings[0].severity == "info"


def test_both_systems_automating_the_owner_is_caught():
    trigger = {"Name": "AssignOwner", "TableEnumOrId": "Lead", "Status": "Active",
               "Body": "trigger AssignOwner on Lead (before insert) {\n for (Lead l : Trigger.new) { l.OwnerId = q; }\n}"}
    catalogue = catalogue_salesforce({"triggers": [trigger]}, ["OwnerId"]) + catalogue_hubspot(
        [hubspot_flow("Rotate owners", True, "hubspot_owner_id", "71000002")])
    assert "AUD003" in rules(audit(catalogue, POLICY))


def test_hubspot_automating_a_salesforce_owned_field_is_caught():
    catalogue = catalogue_hubspot([hubspot_flow("Rotate owners", True, "hubspot_owner_id", "71000002")])
    assert rules(audit(catalogue, POLICY)) == ["AUD006"]


def test_status_and_stage_coupled_in_one_automation():
    metadata = set_stage("salesqualifiedlead")
    metadata["start"]["filters"] = [{"field": "Status", "operator": "EqualTo",
                                     "value": {"stringValue": "Working - Contacted"}}]
    findings = audit(catalogue_salesforce({"flows": [flow("Status_to_Stage", True, metadata)]}, []), POLICY)
    assert rules(findings) == ["AUD004"] and findings[0].severity == "warning"


def test_unknown_stage_values_are_flagged():
    findings = audit(catalogue_salesforce({"flows": [flow("Typo", True, set_stage("recycled"))]}, []), POLICY)
    assert rules(findings) == ["AUD005"] and "recycled" in findings[0].message


def test_a_workflow_rotating_owners_writes_the_owner():
    flow = {"id": "5003", "name": "Rotate lead owners", "isEnabled": True, "objectTypeId": "0-1", "actions": [
        {"actionId": "1", "actionTypeId": "0-11", "fields": {"target_property": "hubspot_owner_id",
                                                             "user_ids": ["9100001", "9100002"]}}]}
    assert rules(audit(catalogue_hubspot([flow]), POLICY)) == ["AUD006"]
