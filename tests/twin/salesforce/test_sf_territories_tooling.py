"""Territory assignment by region, the Tooling API automation catalogue, and faults on demand."""

from __future__ import annotations

import requests

from .conftest import API, client


def test_region_change_moves_territory_owner_and_open_records(twin):
    sf = client(twin)
    users = {r["Alias"]: r["Id"] for r in sf.query("SELECT Id, Alias FROM User")["records"]}
    account = sf.Account.create({"Name": "Moving Co", "Region__c": "NA"})["id"]
    assert sf.Account.get(account)["OwnerId"] == users["nortiz"]
    contact = sf.Contact.create({"LastName": "Mover", "AccountId": account, "OwnerId": users["nortiz"]})["id"]
    open_opp = sf.Opportunity.create({"Name": "Open", "AccountId": account, "StageName": "Qualification",
                                      "CloseDate": "2026-09-30", "OwnerId": users["nortiz"]})["id"]
    won_opp = sf.Opportunity.create({"Name": "Won", "AccountId": account, "StageName": "Closed Won", "Amount": 1,
                                     "CloseDate": "2026-01-31", "OwnerId": users["nortiz"]})["id"]
    stamp = sf.Contact.get(contact)["LastModifiedDate"]
    sf.Account.update(account, {"Region__c": "EMEA"})
    assert sf.Account.get(account)["OwnerId"] == users["enovak"]
    assert sf.Opportunity.get(open_opp)["OwnerId"] == users["enovak"]
    assert sf.Opportunity.get(won_opp)["OwnerId"] == users["nortiz"]  # closed deals stay with their owner
    moved = sf.Contact.get(contact)
    assert moved["OwnerId"] == users["enovak"] and moved["LastModifiedDate"] > stamp
    associations = sf.query(f"SELECT Territory2.DeveloperName, AssociationCause FROM ObjectTerritory2Association "
                            f"WHERE ObjectId = '{account}'")["records"]
    assert [(a["Territory2"]["DeveloperName"], a["AssociationCause"]) for a in associations] == [
        ("Europe", "Territory2AssignmentRule")]
    sf.Account.update(account, {"OwnerId": users["uat"]})  # a manual owner change inside the territory stays
    assert sf.Account.get(account)["OwnerId"] == users["uat"]


def test_territory_model_rows_come_from_the_fixture(twin):
    sf = client(twin)
    territories = sf.query("SELECT DeveloperName, Territory2Model.State, (SELECT User.Alias, RoleInTerritory2 FROM "
                           "UserTerritory2Associations) FROM Territory2 ORDER BY DeveloperName")["records"]
    assert [t["DeveloperName"] for t in territories] == ["Asia_Pacific", "Europe", "North_America"]
    assert territories[0]["Territory2Model"]["State"] == "Active"
    assert territories[0]["UserTerritory2Associations"]["records"][0]["User"]["Alias"] == "atanaka"


def test_tooling_api_catalogues_flows_triggers_and_rules(twin):
    sf = client(twin)
    flows = sf.query("SELECT ApiName, IsActive, TriggerType, RecordTriggerType, TriggerObjectOrEventId, "
                     "ActiveVersionId, LatestVersionId FROM FlowDefinitionView ORDER BY ApiName")["records"]
    assert [(f["ApiName"], f["IsActive"], f["TriggerType"]) for f in flows] == [
        ("Contact_Stamp_SQL_Date", True, "RecordBeforeSave"), ("Lead_Stamp_SQL_Date", True, "RecordBeforeSave"),
        ("Opportunity_Won_Follow_Up", False, "RecordAfterSave")]
    version = flows[1]["ActiveVersionId"]
    one = sf.toolingexecute(f"query/?q=SELECT+Id,Status,Metadata+FROM+Flow+WHERE+Id='{version}'")["records"][0]
    assert one["Status"] == "Active" and one["Metadata"]["start"]["object"] == "Lead"
    assert one["Metadata"]["recordUpdates"][0]["inputAssignments"][0]["field"] == "SQL_Date__c"
    too_many = requests.get(f"{twin.salesforce_url}{API}/tooling/query", params={"q": "SELECT Metadata FROM Flow"},
                            headers={"Authorization": f"Bearer {twin.salesforce_session_id}"}, verify=twin.ca_bundle)
    assert too_many.status_code == 400 and too_many.json()[0]["errorCode"] == "MALFORMED_QUERY"
    assert "no more than one row" in too_many.json()[0]["message"]
    rules = sf.toolingexecute("query/?q=SELECT+ValidationName,Active,EntityDefinitionId+FROM+ValidationRule+"
                              "WHERE+EntityDefinitionId='Lead'")["records"]
    assert {r["ValidationName"] for r in rules} == {"MQL_Date_Write_Once", "SQL_Date_Write_Once"}
    assert sf.toolingexecute("query/?q=SELECT+Name+FROM+ApexTrigger")["totalSize"] == 0


def test_tooling_catalogue_lists_planted_apex_and_workflow(make_org, start_twin):
    org = make_org({"automation": {
        "apex_triggers": [{"name": "LeadLifecycle", "object": "Lead", "status": "Active",
                           "events": ["before_update"], "body": "trigger LeadLifecycle on Lead (before update) { }"}],
        "workflow_rules": [{"name": "Old_Rule", "object": "Contact", "active": True,
                            "formula": "ISPICKVAL(Lifecycle_Stage__c, 'recycled')",
                            "actions": [{"name": "Set_Stage", "type": "FieldUpdate"}]}]}})
    sf = client(start_twin(org))
    trigger = sf.toolingexecute("query/?q=SELECT+Name,TableEnumOrId,Status,Body,UsageBeforeUpdate+FROM+ApexTrigger")
    assert trigger["records"][0]["TableEnumOrId"] == "Lead" and trigger["records"][0]["UsageBeforeUpdate"] is True
    rule_id = sf.toolingexecute("query/?q=SELECT+Id+FROM+WorkflowRule")["records"][0]["Id"]
    meta = sf.toolingexecute(f"query/?q=SELECT+Metadata+FROM+WorkflowRule+WHERE+Id='{rule_id}'")["records"][0]
    assert meta["Metadata"]["formula"] == "ISPICKVAL(Lifecycle_Stage__c, 'recycled')"


def test_faults_on_demand_through_the_control_plane(twin, rest):
    control = requests.Session()
    control.verify = twin.ca_bundle
    control.trust_env = False
    control.headers["Authorization"] = f"Bearer {twin.control_token}"
    answer = control.post(f"{twin.control_url}/faults/salesforce", json={"unavailable": 0.5, "seed": 7})
    assert answer.status_code == 200 and answer.json()["settings"]["unavailable"] == 0.5
    codes = [rest.get(f"{twin.salesforce_url}{API}/limits").status_code for _ in range(40)]
    assert codes.count(503) > 5 and codes.count(200) > 5
    failed = next(r for r in (rest.get(f"{twin.salesforce_url}{API}/limits") for _ in range(40)) if r.status_code == 503)
    assert failed.json()[0]["errorCode"] == "SERVER_UNAVAILABLE"
    control.post(f"{twin.control_url}/faults/salesforce", json={"clear": True, "limit_exceeded": 1.0, "remaining": 1})
    assert rest.get(f"{twin.salesforce_url}{API}/limits").json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    assert rest.get(f"{twin.salesforce_url}{API}/limits").status_code == 200
    bad = control.post(f"{twin.control_url}/faults/salesforce", json={"unavailable": 2})
    assert bad.status_code == 400
