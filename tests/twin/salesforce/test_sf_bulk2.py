"""Bulk API 2.0 through simple-salesforce's bulk2 with wait=0: ingest, result files, query paging."""

from __future__ import annotations

import csv
import io

from .conftest import API, client


def test_bulk_insert_reports_processed_failed_and_result_files(twin):
    sf = client(twin)
    records = [{"LastName": f"Bulk{i}", "Company": "Bulk Co", "Email": f"bulk{i}@example.com"} for i in range(250)]
    records.append({"LastName": "Broken", "Company": "Bulk Co", "Status": "Maybe"})
    (result,) = sf.bulk2.Lead.insert(records=records, wait=0)
    assert result["numberRecordsProcessed"] == 251 and result["numberRecordsFailed"] == 1
    outcome = sf.bulk2.Lead.get_all_ingest_records(result["job_id"])
    assert len(outcome["successfulRecords"]) == 250 and outcome["unprocessedRecords"] == []
    first = outcome["successfulRecords"][0]
    assert first["sf__Id"].startswith("00Q") and first["sf__Created"] == "true" and first["LastName"] == "Bulk0"
    failed = outcome["failedRecords"][0]
    assert failed["sf__Error"].startswith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:") and failed["LastName"] == "Broken"
    assert sf.query("SELECT COUNT() FROM Lead")["totalSize"] == 250


def test_bulk_upsert_update_and_delete(twin):
    sf = client(twin)
    rows = [{"External_Id__c": f"EXT-{i}", "Name": f"Account {i}"} for i in range(5)]
    (created,) = sf.bulk2.Account.upsert(records=rows, external_id_field="External_Id__c", wait=0)
    assert created["numberRecordsProcessed"] == 5 and created["numberRecordsFailed"] == 0
    rows[0]["Name"] = "Renamed"
    sf.bulk2.Account.upsert(records=rows[:1], external_id_field="External_Id__c", wait=0)
    found = sf.query("SELECT Id, Name FROM Account WHERE External_Id__c = 'EXT-0'")["records"]
    assert found[0]["Name"] == "Renamed"
    ids = [r["Id"] for r in sf.query("SELECT Id FROM Account")["records"]]
    sf.bulk2.Account.update(records=[{"Id": ids[1], "Industry": "Finance"}], wait=0)
    assert sf.Account.get(ids[1])["Industry"] == "Finance"
    (deleted,) = sf.bulk2.Account.delete(records=[{"Id": i} for i in ids], wait=0)
    assert deleted["numberRecordsProcessed"] == 5 and sf.query("SELECT COUNT() FROM Account")["totalSize"] == 0
    assert sf.query("SELECT COUNT() FROM Account WHERE IsDeleted = true", include_deleted=True)["totalSize"] == 5


def test_bulk_job_states_go_open_to_job_complete(twin, rest):
    base = f"{twin.salesforce_url}{API}/jobs/ingest"
    job = rest.post(base, json={"object": "Lead", "operation": "insert", "contentType": "CSV",
                                "lineEnding": "LF", "columnDelimiter": "COMMA"}).json()
    assert job["state"] == "Open" and job["id"].startswith("750")
    upload = rest.put(f"{base}/{job['id']}/batches", data="LastName,Company\nA,B\n",
                      headers={"Content-Type": "text/csv"})
    assert upload.status_code == 201
    assert rest.patch(f"{base}/{job['id']}", json={"state": "UploadComplete"}).json()["state"] == "UploadComplete"
    for _ in range(200):
        state = rest.get(f"{base}/{job['id']}").json()
        if state["state"] == "JobComplete":
            break
    assert state["state"] == "JobComplete" and state["numberRecordsProcessed"] == 1
    late = rest.put(f"{base}/{job['id']}/batches", data="LastName,Company\nC,D\n", headers={"Content-Type": "text/csv"})
    assert late.status_code == 409


def test_bulk_query_pages_with_locator(twin):
    sf = client(twin)
    sf.bulk2.Lead.insert(records=[{"LastName": f"Q{i:03d}", "Company": "Q"} for i in range(25)], wait=0)
    pages = list(sf.bulk2.Lead.query("SELECT Id, LastName, Owner.Alias FROM Lead ORDER BY LastName", max_records=10))
    assert len(pages) == 3
    rows = [row for page in pages for row in csv.DictReader(io.StringIO(page))]
    assert [r["LastName"] for r in rows[:2]] == ["Q000", "Q001"] and len(rows) == 25
    assert rows[0]["Owner.Alias"] == "uat"
