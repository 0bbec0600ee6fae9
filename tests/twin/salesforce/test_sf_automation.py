"""Validation rules, duplicate rules, record-triggered flows and formula fields, as the org fixture declares them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from harness.twin.salesforce.exceptions import CustomValidation
from harness.twin.salesforce.models import SaveContext
from harness.twin.salesforce.schema import SchemaError

from .conftest import client


def test_validation_rule_refuses_with_custom_validation_exception(twin):
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "Stamped", "Company": "S", "MQL_Date__c": "2026-01-05"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Lead.update(lead_id, {"MQL_Date__c": "2026-02-01"})
    assert refused.value.content == [{"message": "The MQL date is set once and cannot change.",
                                      "errorCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION", "fields": ["MQL_Date__c"]}]
    assert sf.Lead.get(lead_id)["MQL_Date__c"] == "2026-01-05"


def test_validation_rules_stop_the_connector_too(twin):
    """The connector writes in-process as the integration user; the org's rules apply to it all the same."""
    backend = twin.salesforce
    lead_id = backend.create("Lead", {"LastName": "C", "Company": "C", "MQL_Date__c": "2026-01-05"})
    integration = SaveContext(user_id=backend.integration_user_id, via_connector=True)
    with pytest.raises(CustomValidation):
        backend.update("Lead", lead_id, {"MQL_Date__c": "2026-03-01"}, integration)
    backend.update("Lead", lead_id, {"MQL_Date__c": "2026-03-01"}, integration, trusted=True)  # system context


def test_duplicate_rule_alert_blocks_api_saves_unless_allow_save(twin):
    sf = client(twin)
    original = sf.Lead.create({"LastName": "Dup", "Company": "D", "Email": "dup@example.com"})["id"]
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Lead.create({"LastName": "Dup2", "Company": "D", "Email": "DUP@example.com"})
    body = refused.value.content[0]
    assert body["errorCode"] == "DUPLICATES_DETECTED"
    assert body["message"] == "You're creating a duplicate record. We recommend you use an existing record instead."
    result = body["duplicateResult"]
    assert result["allowSave"] is True and result["duplicateRule"] == "Standard_Lead_Duplicate_Rule"
    match = result["matchResults"][0]
    assert match["entityType"] == "Lead" and match["rule"] == "Standard_Lead_Match_Rule_v1_0" and match["size"] == 1
    assert match["matchRecords"][0]["record"]["Id"] == original
    allowed = sf.Lead.create({"LastName": "Dup2", "Company": "D", "Email": "dup@example.com"},
                             headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"})
    assert allowed["success"] is True


def test_block_duplicate_rule_cannot_be_bypassed(make_org, start_twin):
    org = make_org({"automation": {"duplicate_rules": [
        {"name": "Lead_Name_Company", "object": "Lead", "match_on": ["FirstName", "LastName", "Company"],
         "compare_with": ["Lead"], "action_on_create": "block", "action_on_edit": "block"}]}})
    sf = client(start_twin(org))
    sf.Lead.create({"FirstName": "Ann", "LastName": "Lee", "Company": "Acme"})
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Lead.create({"FirstName": "ann", "LastName": "LEE", "Company": "acme"},
                       headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"})
    assert refused.value.content[0]["duplicateResult"]["allowSave"] is False


def test_collection_results_carry_the_duplicate_result(twin):
    sf = client(twin)
    sf.Lead.create({"LastName": "One", "Company": "O", "Email": "one@example.com"})
    results = sf.restful("composite/sobjects", method="POST", json={"records": [
        {"attributes": {"type": "Lead"}, "LastName": "Two", "Company": "O", "Email": "one@example.com"}]})
    error = results[0]["errors"][0]
    assert error["statusCode"] == "DUPLICATES_DETECTED" and error["duplicateResult"]["allowSave"] is True


def test_before_save_flow_stamps_the_sql_date(twin):
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "Q", "Company": "Q"})["id"]
    assert sf.Lead.get(lead_id)["SQL_Date__c"] is None
    sf.Lead.update(lead_id, {"Lifecycle_Stage__c": "salesqualifiedlead"})
    assert sf.Lead.get(lead_id)["SQL_Date__c"] == date.today().isoformat()


def test_after_save_flow_sets_fields_and_creates_a_task_once(make_org, start_twin):
    org = make_org({"automation": {"flows": [{
        "api_name": "MQL_Follow_Up", "object": "Lead", "trigger": "after_save", "when": "create_or_update",
        "condition": "ISPICKVAL(Lifecycle_Stage__c, 'marketingqualifiedlead')", "run": "when_condition_becomes_true",
        "set_fields": {"Rating": "Hot", "MQL_Date__c": "=TODAY()"},
        "create_task": {"Subject": "Call the MQL", "WhoId": "=Id", "OwnerId": "=OwnerId",
                        "ActivityDate": "=TODAY() + 2"}}]}})
    twin = start_twin(org)
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "M", "Company": "M"})["id"]
    before = sf.Lead.get(lead_id)["LastModifiedDate"]
    sf.Lead.update(lead_id, {"Lifecycle_Stage__c": "marketingqualifiedlead"})
    sf.Lead.update(lead_id, {"Title": "Still MQL"})  # condition already true: the flow does not run again
    lead = sf.Lead.get(lead_id)
    assert lead["Rating"] == "Hot" and lead["MQL_Date__c"] == date.today().isoformat()
    assert lead["LastModifiedDate"] > before
    tasks = sf.query(f"SELECT Subject, ActivityDate, Who.Name FROM Task WHERE WhoId = '{lead_id}'")["records"]
    assert len(tasks) == 1 and tasks[0]["Subject"] == "Call the MQL"
    assert tasks[0]["ActivityDate"] == (date.today() + timedelta(days=2)).isoformat()
    assert tasks[0]["Who"]["attributes"]["type"] == "Lead" and tasks[0]["Who"]["Name"] == "M"


def test_formula_fields_are_read_only_and_filterable(twin):
    sf = client(twin)
    opp = sf.Opportunity.create({"Name": "F", "StageName": "Closed Won", "Amount": 10, "CloseDate": "2026-06-30"})["id"]
    assert sf.Opportunity.get(opp)["IsWon"] is True and sf.Opportunity.get(opp)["IsClosed"] is True
    assert sf.query("SELECT COUNT() FROM Opportunity WHERE IsClosed = true")["totalSize"] == 1
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.Opportunity.update(opp, {"IsWon": False})
    assert refused.value.content[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_a_broken_fixture_names_the_file_and_key(make_org, start_twin):
    org = make_org({"automation": {"validation_rules": [
        {"name": "Bad", "object": "Lead", "condition": "ISBLANK(Emial)", "message": "x"}]}})
    with pytest.raises(SchemaError) as broken:
        start_twin(org)
    assert "automation.validation_rules[0].condition: field Emial does not exist on Lead" in str(broken.value)
    assert "salesforce.yaml" in str(broken.value)


def test_the_ui_api_describes_each_objects_active_duplicate_rules_and_their_actions(make_org, start_twin):
    """GET /ui-api/duplicates/{object}: only active rules, with Allow/Block per create and edit (the DuplicateRule
    sObject has no action; this is where a client reads it)."""
    org = make_org({"automation": {"duplicate_rules": [
        {"name": "Lead_Name_Company", "object": "Lead", "match_rule": "Lead_Name_Match", "match_on": ["LastName",
         "Company"], "compare_with": ["Lead"], "action_on_create": "block", "action_on_edit": "allow"},
        {"name": "Lead_Email_Off", "object": "Lead", "match_on": ["Email"], "compare_with": ["Lead"],
         "action_on_create": "allow", "action_on_edit": "allow", "active": False}]}})
    sf = client(start_twin(org))
    lead = sf.restful("ui-api/duplicates/Lead")
    assert lead["apiName"] == "Lead" and lead["dedupeEnabled"] is True and lead["dedupeFields"] == ["Company", "LastName"]
    [rule] = lead["duplicateRules"]
    assert (rule["name"], rule["actionOnInsert"], rule["actionOnUpdate"], rule["active"]) == (
        "Lead_Name_Company", "Block", "Allow", True)
    assert rule["matchRules"] == [{"matchEngine": "ExactMatchEngine", "matchFields": ["LastName", "Company"],
                                   "name": "Lead_Name_Match", "objectApiName": "Lead"}]
    account = sf.restful("ui-api/duplicates/Account")
    assert (account["dedupeEnabled"], account["duplicateRules"]) == (False, [])
    with pytest.raises(SalesforceResourceNotFound):
        sf.restful("ui-api/duplicates/No_Such_Object__c")
