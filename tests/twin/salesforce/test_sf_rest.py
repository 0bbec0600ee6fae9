"""REST records through simple-salesforce: shapes, status codes and Salesforce's error bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from harness.twin.salesforce.ids import suffix

from .conftest import API, client


def test_create_get_update_delete_and_the_deleted_record(twin):
    sf = client(twin)
    created = sf.Lead.create({"LastName": "Lovelace", "Company": "Analytical", "Email": "ada@example.com"})
    lead_id = created["id"]
    assert created == {"id": lead_id, "success": True, "errors": []}
    assert lead_id.startswith("00Q") and len(lead_id) == 18 and lead_id[15:] == suffix(lead_id[:15])
    record = sf.Lead.get(lead_id)
    assert record["attributes"] == {"type": "Lead", "url": f"{API}/sobjects/Lead/{lead_id}"}
    assert record["Name"] == "Lovelace" and record["IsConverted"] is False and record["OwnerId"].startswith("005")
    assert sf.Lead.get(lead_id[:15])["Id"] == lead_id  # the 15-character form is accepted
    assert sf.Lead.update(lead_id, {"FirstName": "Ada"}) == 204
    assert sf.Lead.get(lead_id)["Name"] == "Ada Lovelace"
    assert sf.Lead.delete(lead_id) == 204
    with pytest.raises(SalesforceResourceNotFound) as gone:
        sf.Lead.get(lead_id)
    assert gone.value.content[0]["errorCode"] == "ENTITY_IS_DELETED"
    with pytest.raises(SalesforceResourceNotFound) as missing:
        sf.Lead.get("00Q8d0000000999AAA")
    assert missing.value.content[0]["errorCode"] == "NOT_FOUND"


@pytest.mark.parametrize(("data", "code", "fields"), [
    ({"Company": "No Name"}, "REQUIRED_FIELD_MISSING", ["LastName"]),
    ({"LastName": "x" * 81, "Company": "Long"}, "STRING_TOO_LONG", ["LastName"]),
    ({"LastName": "P", "Company": "C", "Status": "Maybe"}, "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ["Status"]),
    ({"LastName": "P", "Company": "C", "Nope__c": 1}, "INVALID_FIELD", ["Nope__c"]),
    ({"LastName": "P", "Company": "C", "IsConverted": True}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["IsConverted"]),
    ({"LastName": "P", "Company": "C", "OwnerId": "not-an-id"}, "MALFORMED_ID", ["OwnerId"]),
])
def test_platform_validation_errors_have_salesforce_shapes(twin, data, code, fields):
    with pytest.raises(SalesforceMalformedRequest) as refused:
        client(twin).Lead.create(data)
    assert refused.value.status == 400
    assert refused.value.content[0]["errorCode"] == code and refused.value.content[0]["fields"] == fields


def test_restricted_picklist_message_names_the_label_and_value(twin):
    with pytest.raises(SalesforceMalformedRequest) as refused:
        client(twin).Lead.create({"LastName": "P", "Company": "C", "Status": "Maybe"})
    assert refused.value.content[0]["message"] == "Status: bad value for restricted picklist field: Maybe"


def test_upsert_by_external_id_creates_then_updates_and_reports_which(twin, rest):
    first = rest.patch(f"{twin.salesforce_url}{API}/sobjects/Account/External_Id__c/ACME-1", json={"Name": "Acme"})
    assert first.status_code == 201 and first.json()["created"] is True
    second = rest.patch(f"{twin.salesforce_url}{API}/sobjects/Account/External_Id__c/acme-1", json={"Name": "Acme Ltd"})
    assert second.status_code == 200 and second.json() == {"id": first.json()["id"], "success": True, "errors": [],
                                                           "created": False}
    sf = client(twin)
    assert sf.Account.get_by_custom_id("External_Id__c", "ACME-1")["Name"] == "Acme Ltd"
    assert sf.Account.upsert("External_Id__c/ACME-2", {"Name": "Beta"}) == 201


def test_every_response_carries_api_usage_and_limits_count_it(twin, rest):
    first = rest.get(f"{twin.salesforce_url}{API}/limits/")
    second = rest.get(f"{twin.salesforce_url}{API}/limits/")
    used_first = int(first.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])
    used_second = int(second.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])
    assert used_second == used_first + 1
    body = second.json()
    assert body["DailyApiRequests"]["Max"] == 100000
    assert body["DailyApiRequests"]["Remaining"] == 100000 - used_second


def test_daily_limit_exhausted_answers_403_request_limit_exceeded(twin, rest):
    twin.salesforce.usage.used = twin.salesforce.usage.maximum
    response = rest.get(f"{twin.salesforce_url}{API}/limits/")
    assert response.status_code == 403 and response.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"


def test_describe_comes_from_the_org_fixture(twin):
    sf = client(twin)
    names = {s["name"] for s in sf.describe()["sobjects"]}
    assert {"Lead", "Contact", "Account", "Opportunity", "OpportunityContactRole", "Task", "Case", "Campaign",
            "CampaignMember", "Territory2", "ObjectTerritory2Association", "Organization"} <= names
    lead = sf.Lead.describe()
    fields = {f["name"]: f for f in lead["fields"]}
    assert fields["Status"]["restrictedPicklist"] is True
    assert [v["value"] for v in fields["Status"]["picklistValues"]][0] == "Open - Not Contacted"
    assert fields["Name"]["calculated"] is True and fields["Name"]["createable"] is False
    assert fields["External_Id__c"]["externalId"] is True
    assert {"childSObject": "Task", "field": "WhoId", "relationshipName": "Tasks"}.items() <= next(
        c for c in lead["childRelationships"] if c["childSObject"] == "Task").items()


def test_deleted_and_updated_windows(twin, rest):
    sf = client(twin)
    lead_id = sf.Lead.create({"LastName": "Window", "Company": "W"})["id"]
    sf.Lead.delete(lead_id)
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    deleted = sf.Lead.deleted(start, end)
    assert [d["id"] for d in deleted["deletedRecords"]] == [lead_id]
    kept = sf.Lead.create({"LastName": "Kept", "Company": "W"})["id"]
    assert kept in sf.Lead.updated(start, end)["ids"] and lead_id not in sf.Lead.updated(start, end)["ids"]


def test_query_errors_carry_no_fields_list_and_batch_size_pages(twin, rest):
    bad = rest.get(f"{twin.salesforce_url}{API}/query", params={"q": "SELECT Nope FROM Lead"})
    assert bad.status_code == 400 and set(bad.json()[0]) == {"message", "errorCode"}
    sf = client(twin)
    sf.restful("composite/sobjects", method="POST", json={"records": [
        {"attributes": {"type": "Lead"}, "LastName": f"B{i}", "Company": "B"} for i in range(200)]})
    sf.restful("composite/sobjects", method="POST", json={"records": [
        {"attributes": {"type": "Lead"}, "LastName": f"C{i}", "Company": "C"} for i in range(50)]})
    page = rest.get(f"{twin.salesforce_url}{API}/query", params={"q": "SELECT Id FROM Lead"},
                    headers={"Sforce-Query-Options": "batchSize=200"}).json()
    assert len(page["records"]) == 200 and page["done"] is False and page["totalSize"] == 250
    rest_of_it = rest.get(f"{twin.salesforce_url}{page['nextRecordsUrl']}").json()
    assert len(rest_of_it["records"]) == 50 and rest_of_it["done"] is True


def test_slow_fault_delays_without_failing(twin, rest):
    import time

    twin.salesforce.faults.configure({"slow": 1.0, "delay_ms": 300, "remaining": 1})
    started = time.perf_counter()
    assert rest.get(f"{twin.salesforce_url}{API}/limits").status_code == 200
    assert time.perf_counter() - started >= 0.3


def test_queue_owned_leads_read_their_owner_polymorphically(twin):
    sf = client(twin)
    queue = sf.query("SELECT Id FROM Group WHERE DeveloperName = 'Inbound_Leads'")["records"][0]["Id"]
    sf.Lead.create({"LastName": "Queued", "Company": "Q", "OwnerId": queue})
    sf.Lead.create({"LastName": "Owned", "Company": "Q"})
    rows = sf.query("SELECT LastName, Owner.Name FROM Lead ORDER BY LastName")["records"]
    assert [(r["LastName"], r["Owner"]["attributes"]["type"], r["Owner"]["Name"]) for r in rows] == [
        ("Owned", "User", "UAT Runner"), ("Queued", "Group", "Inbound Leads")]


def test_state_dir_reopens_and_ids_keep_counting(tmp_path):
    from harness.twin import Twin

    with Twin.start(org="healthy", state_dir=tmp_path) as first:
        kept = client(first).Lead.create({"LastName": "Kept", "Company": "K"})["id"]
    with Twin.start(org="healthy", state_dir=tmp_path) as second:
        sf = client(second)
        again = sf.Lead.create({"LastName": "Next", "Company": "K"})["id"]
        assert again != kept and again > kept
        assert sf.query("SELECT COUNT() FROM Territory2")["totalSize"] == 3  # standing rows are not duplicated
        assert sf.query("SELECT COUNT() FROM FlowDefinitionView")["totalSize"] == 3
