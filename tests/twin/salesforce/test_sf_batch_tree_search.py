"""Composite Batch, sObject Tree and SOSL search through simple-salesforce."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest

from .conftest import client


def test_batch_runs_independent_subrequests_and_counts_each(twin):
    sf = client(twin)
    account = sf.Account.create({"Name": "Batch Co"})["id"]
    before = sf.limits()["DailyApiRequests"]["Remaining"]
    answer = sf.restful("composite/batch", method="POST", json={"batchRequests": [
        {"method": "PATCH", "url": f"v59.0/sobjects/Account/{account}", "richInput": {"Name": "Batch Co 2"}},
        {"method": "GET", "url": f"v59.0/sobjects/Account/{account}?fields=Name"},
        {"method": "POST", "url": "v59.0/sobjects/Lead", "richInput": {"Company": "No last name"}},
        {"method": "GET", "url": "v59.0/query?q=SELECT+COUNT()+FROM+Account"}]})
    after = sf.limits()["DailyApiRequests"]["Remaining"]
    assert answer["hasErrors"] is True
    statuses = [r["statusCode"] for r in answer["results"]]
    assert statuses == [204, 200, 400, 200]
    assert answer["results"][0]["result"] is None and answer["results"][1]["result"]["Name"] == "Batch Co 2"
    assert answer["results"][2]["result"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert answer["results"][3]["result"]["totalSize"] == 1
    assert before - after == 1 + 4  # the limits call itself, then one per subrequest


def test_batch_halts_on_error_when_asked(twin):
    sf = client(twin)
    answer = sf.restful("composite/batch", method="POST", json={"haltOnError": True, "batchRequests": [
        {"method": "POST", "url": "v59.0/sobjects/Lead", "richInput": {"Company": "No last name"}},
        {"method": "POST", "url": "v59.0/sobjects/Lead", "richInput": {"LastName": "Never", "Company": "X"}}]})
    assert [r["statusCode"] for r in answer["results"]] == [400, 412]
    assert answer["results"][1]["result"] == [{"errorCode": "BATCH_PROCESSING_HALTED",
                                               "message": "Batch processing halted per request"}]
    assert sf.query("SELECT COUNT() FROM Lead WHERE LastName = 'Never'")["totalSize"] == 0


def test_batch_takes_at_most_25_subrequests(twin):
    sf = client(twin)
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.restful("composite/batch", method="POST", json={"batchRequests": [
            {"method": "GET", "url": "v59.0/limits"}] * 26})
    assert refused.value.content[0]["errorCode"] == "LIMIT_EXCEEDED"


def tree(n_contacts: int = 2) -> dict:
    return {"records": [{"attributes": {"type": "Account", "referenceId": "acme"}, "Name": "Tree Acme",
                         "Contacts": {"records": [{"attributes": {"type": "Contact", "referenceId": f"c{i}"},
                                                   "LastName": f"Leaf{i}"} for i in range(n_contacts)]}}]}


def test_tree_creates_parents_and_children_linked(twin):
    sf = client(twin)
    answer = sf.restful("composite/tree/Account", method="POST", json=tree())
    assert answer["hasErrors"] is False and [r["referenceId"] for r in answer["results"]] == ["acme", "c0", "c1"]
    ids = {r["referenceId"]: r["id"] for r in answer["results"]}
    assert sf.Contact.get(ids["c1"])["AccountId"] == ids["acme"]


def test_tree_is_all_or_nothing_and_names_the_failing_reference(twin):
    sf = client(twin)
    body = tree()
    body["records"][0]["Contacts"]["records"][1].pop("LastName")
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.restful("composite/tree/Account", method="POST", json=body)
    assert refused.value.status == 400
    assert refused.value.content["hasErrors"] is True
    [failure] = refused.value.content["results"]
    assert failure["referenceId"] == "c1" and failure["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.query("SELECT COUNT() FROM Account WHERE Name = 'Tree Acme'")["totalSize"] == 0


def test_tree_takes_at_most_200_records(twin):
    sf = client(twin)
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.restful("composite/tree/Account", method="POST", json=tree(200))
    assert refused.value.content[0]["errorCode"] == "LIMIT_EXCEEDED"
    assert sf.query("SELECT COUNT() FROM Contact")["totalSize"] == 0


def test_sosl_finds_records_by_words_in_their_text_fields(twin):
    sf = client(twin)
    sf.Lead.create({"LastName": "Lovelace", "Company": "Analytical Engines", "Email": "ada@example.com"})
    sf.Lead.create({"LastName": "Babbage", "Company": "Difference Engines"})
    contact = sf.Contact.create({"LastName": "Engine", "Email": "engine@example.com"})["id"]
    found = sf.search("FIND {Analytical} RETURNING Lead(LastName, Company)")["searchRecords"]
    assert [(r["attributes"]["type"], r["LastName"], r["Company"]) for r in found] == [
        ("Lead", "Lovelace", "Analytical Engines")]
    engines = sf.search("FIND {Engine*} IN ALL FIELDS RETURNING Lead(LastName ORDER BY LastName), Contact")
    assert [(r["attributes"]["type"], r.get("LastName") or r.get("Id")) for r in engines["searchRecords"]] == [
        ("Lead", "Babbage"), ("Lead", "Lovelace"), ("Contact", contact)]
    by_email = sf.search("FIND {ada@example.com} IN EMAIL FIELDS RETURNING Lead(Email)")["searchRecords"]
    assert [r["Email"] for r in by_email] == ["ada@example.com"]
    both = sf.search("FIND {Lovelace OR Babbage} RETURNING Lead(LastName WHERE Company LIKE 'Diff%')")
    assert [r["LastName"] for r in both["searchRecords"]] == ["Babbage"]
    assert sf.quick_search("Nobody")["searchRecords"] == []


def test_sosl_refuses_what_it_does_not_model_in_salesforce_shape(twin):
    sf = client(twin)
    for sosl in ("FIND Acme", "FIND {Acme} RETURNING Lead WITH SNIPPET"):
        with pytest.raises(SalesforceMalformedRequest) as refused:
            sf.search(sosl)
        assert refused.value.content[0]["errorCode"] == "MALFORMED_SEARCH"
