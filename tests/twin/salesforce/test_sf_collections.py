"""sObject Collections and Composite through simple-salesforce's restful(), as the seeder uses them."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from .conftest import API, client


def _lead(name: str, **extra):
    return {"attributes": {"type": "Lead"}, "LastName": name, "Company": f"{name} Co", **extra}


def test_collection_create_keeps_order_and_reports_each_record(twin):
    sf = client(twin)
    records = [_lead("One"), {"attributes": {"type": "Account"}, "Name": "Acme"}, _lead("Bad", Status="Maybe"),
               _lead("Two")]
    results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": False, "records": records})
    assert [r["success"] for r in results] == [True, True, False, True]
    assert results[0]["id"].startswith("00Q") and results[1]["id"].startswith("001") and results[2]["id"] is None
    assert results[2]["errors"] == [{"statusCode": "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                                     "message": "Status: bad value for restricted picklist field: Maybe",
                                     "fields": ["Status"]}]
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 2


def test_all_or_none_rolls_everything_back(twin):
    sf = client(twin)
    results = sf.restful("composite/sobjects", method="POST",
                         json={"allOrNone": True, "records": [_lead("Fine"), _lead("", Company="X")]})
    assert results[0] == {"id": None, "success": False, "errors": [{
        "statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
        "message": "Record rolled back because not all records were valid and the request was using AllOrNone header",
        "fields": []}]}
    assert results[1]["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0


def test_more_than_200_records_is_refused(twin):
    with pytest.raises(SalesforceMalformedRequest) as refused:
        client(twin).restful("composite/sobjects", method="POST",
                             json={"records": [_lead(f"L{i}") for i in range(201)]})
    assert refused.value.content[0]["errorCode"] == "EXCEEDED_ID_LIMIT"


def test_update_upsert_retrieve_and_delete_collections(twin):
    sf = client(twin)
    created = sf.restful("composite/sobjects", method="POST", json={"records": [_lead("A"), _lead("B")]})
    ids = [r["id"] for r in created]
    updated = sf.restful("composite/sobjects", method="PATCH", json={"records": [
        {"attributes": {"type": "Lead"}, "id": ids[0], "Title": "CTO"},
        {"attributes": {"type": "Lead"}, "id": ids[1], "Status": "Nope"}]})
    assert updated[0] == {"id": ids[0], "success": True, "errors": []} and updated[1]["success"] is False
    upserted = sf.restful("composite/sobjects/Account/External_Id__c", method="PATCH", json={"records": [
        {"attributes": {"type": "Account"}, "External_Id__c": "X-1", "Name": "New"}]})
    assert upserted[0]["created"] is True
    again = sf.restful("composite/sobjects/Account/External_Id__c", method="PATCH", json={"records": [
        {"attributes": {"type": "Account"}, "External_Id__c": "X-1", "Name": "Renamed"}]})
    assert again[0] == {"id": upserted[0]["id"], "success": True, "errors": [], "created": False}
    got = sf.restful("composite/sobjects/Lead", params={"ids": ",".join([*ids, "00Q8d0000009999AAA"]),
                                                        "fields": "LastName,Title"})
    assert [g and g["Title"] for g in got] == ["CTO", None, None] and got[2] is None
    deleted = sf.restful("composite/sobjects", method="DELETE", params={"ids": ",".join(ids)})
    assert all(d["success"] for d in deleted)
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 0


def test_composite_chains_reference_ids_and_counts_one_call(twin):
    sf = client(twin)
    before = twin.salesforce.usage.used
    answer = sf.restful("composite", method="POST", json={"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": f"{API}/sobjects/Account", "referenceId": "acct", "body": {"Name": "Chained"}},
        {"method": "POST", "url": f"{API}/sobjects/Contact", "referenceId": "person",
         "body": {"LastName": "Linked", "AccountId": "@{acct.id}"}},
        {"method": "GET", "url": f"{API}/sobjects/Contact/@{{person.id}}?fields=AccountId", "referenceId": "read"}]})
    assert twin.salesforce.usage.used == before + 1
    responses = answer["compositeResponse"]
    assert [r["httpStatusCode"] for r in responses] == [201, 201, 200]
    assert responses[2]["body"]["AccountId"] == responses[0]["body"]["id"]


def test_composite_all_or_none_halts_and_rolls_back(twin):
    sf = client(twin)
    answer = sf.restful("composite", method="POST", json={"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": f"{API}/sobjects/Account", "referenceId": "ok", "body": {"Name": "Kept?"}},
        {"method": "POST", "url": f"{API}/sobjects/Contact", "referenceId": "bad", "body": {"FirstName": "NoLast"}},
        {"method": "POST", "url": f"{API}/sobjects/Account", "referenceId": "after", "body": {"Name": "Never"}}]})
    codes = [(r["referenceId"], r["httpStatusCode"], r["body"][0]["errorCode"]) for r in answer["compositeResponse"]]
    assert codes == [("ok", 400, "PROCESSING_HALTED"), ("bad", 400, "REQUIRED_FIELD_MISSING"),
                     ("after", 400, "PROCESSING_HALTED")]
    assert sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0
