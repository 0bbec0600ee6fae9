"""CRM exports through the real client: start, poll the task, download the file from its pre-signed URL.

What HubSpot documents (https://developers.hubspot.com/docs/api-reference/legacy/crm/exports/guide) and a
whole-portal read relies on: the status carries a download URL once COMPLETE, the URL needs no token and expires,
one export runs at a time, and a big CSV arrives as a ZIP of files of at most 1,000,000 rows.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hubspot.crm.exports.exceptions import ApiException

from harness.twin import Twin
from tests.conftest import hubspot_client
from tests.twin.hubspot.conftest import configure, org_with, relaxed


def anonymous(twin: Twin) -> requests.Session:
    """No bearer token: a pre-signed URL must be enough on its own."""
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    return session


def make_contacts(client: Any, count: int, **properties: str) -> tuple[str, list[str]]:
    """`count` contacts sharing one unique last name (the export filters on it); returns it and their ids."""
    family = f"Exp{uuid.uuid4().hex[:8]}"
    ids: list[str] = []
    for start in range(0, count, 100):
        batch = [{"properties": {"email": f"{family}.{n}@example.com", "lastname": family, **properties}}
                 for n in range(start, min(count, start + 100))]
        ids += [r.id for r in client.crm.contacts.batch_api.create({"inputs": batch}).results]
    return family, ids


def view_of(family: str, **extra: Any) -> dict[str, Any]:
    return {"exportType": "VIEW", "format": "CSV", "exportName": f"contacts {family}", "language": "EN",
            "objectType": "CONTACT", "objectProperties": ["email", "lastname", "lifecyclestage"],
            "publicCrmSearchRequest": {"filterGroups": [{"filters": [
                {"propertyName": "lastname", "operator": "EQ", "value": family}]}]}, **extra}


def finished(client: Any, task_id: str) -> Any:
    for _ in range(100):
        status = client.crm.exports.public_exports_api.get_status(task_id)
        if status.status == "COMPLETE":
            return status
        time.sleep(0.1)
    raise AssertionError(f"export {task_id} never completed")


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(scope="module")
def exporting(portal_twin: Twin) -> Iterator[Twin]:
    yield portal_twin
    configure(portal_twin, export_processing_ms=0)


def test_a_view_export_downloads_as_csv_without_a_token(client, exporting):
    family, ids = make_contacts(client, 30, lifecyclestage="lead")
    task = client.crm.exports.public_exports_api.start(view_of(family))
    status = finished(client, task.id)
    assert status.result.startswith(exporting.hubspot_url) and status.completed_at >= status.started_at
    download = anonymous(exporting).get(status.result)
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    rows = csv_rows(download.text)
    assert rows[0] == ["Record ID", "Email", "Last Name", "Lifecycle Stage"]
    assert sorted(r[0] for r in rows[1:]) == sorted(ids)
    assert {r[3] for r in rows[1:]} == {"Lead"}  # option labels, not internal values, by default


def test_internal_names_and_values_are_exported_when_asked(client, exporting):
    family, ids = make_contacts(client, 3, lifecyclestage="lead")
    task = client.crm.exports.public_exports_api.start(view_of(family, exportInternalValuesOptions=["NAMES", "VALUES"]))
    rows = csv_rows(anonymous(exporting).get(finished(client, task.id).result).text)
    assert rows[0] == ["hs_object_id", "email", "lastname", "lifecyclestage"]
    assert {r[3] for r in rows[1:]} == {"lead"} and len(rows) == 4


def test_a_list_export_holds_the_lists_members_only(client, raw, exporting):
    family, ids = make_contacts(client, 5)
    made = raw.post(f"{exporting.hubspot_url}/crm/v3/lists/", json={
        "name": f"export {family}", "objectTypeId": "0-1", "processingType": "MANUAL"}).json()["list"]
    assert raw.put(f"{exporting.hubspot_url}/crm/v3/lists/{made['listId']}/memberships/add", json=ids[:2]).ok
    task = client.crm.exports.public_exports_api.start({
        "exportType": "LIST", "listId": made["listId"], "format": "CSV", "exportName": "members", "language": "EN",
        "objectType": "CONTACT", "objectProperties": ["email"]})
    rows = csv_rows(anonymous(exporting).get(finished(client, task.id).result).text)
    assert sorted(r[0] for r in rows[1:]) == sorted(ids[:2])


def test_the_download_url_is_refused_once_tampered_with_or_expired(client, exporting):
    family, _ = make_contacts(client, 1)
    task = client.crm.exports.public_exports_api.start(view_of(family))
    good = finished(client, task.id).result
    assert anonymous(exporting).get(good.replace("signature=", "signature=0")).status_code == 403
    export = exporting.hubspot.exports.get(task.id)
    stale = exporting.hubspot_url + exporting.hubspot.exports.download_path(export, issued_ms=int(time.time() * 1000) - 600_000)
    refused = anonymous(exporting).get(stale)
    assert refused.status_code == 403 and "expired" in refused.text
    assert anonymous(exporting).get(good).status_code == 200  # a fresh status request's URL still works


def test_exports_run_one_at_a_time_and_report_their_progress(client, raw, exporting):
    configure(exporting, export_processing_ms=1500)
    try:
        family, ids = make_contacts(client, 2)
        api = client.crm.exports.public_exports_api
        first, second = api.start(view_of(family)), api.start(view_of(family))
        assert api.get_status(first.id).status == "PROCESSING"
        assert api.get_status(second.id).status == "PENDING"  # queued behind the first
        assert api.get_status(first.id).result is None
        detail = raw.get(f"{exporting.hubspot_url}/crm/v3/exports/export/{second.id}").json()
        assert detail["exportState"] == "ENQUEUED" and detail["objectType"] == "0-1"
        done = finished(client, second.id)
        assert len(csv_rows(anonymous(exporting).get(done.result).text)) == 3
        detail = raw.get(f"{exporting.hubspot_url}/crm/v3/exports/export/{second.id}").json()
        assert detail["exportState"] == "DONE" and detail["recordCount"] == 2
    finally:
        configure(exporting, export_processing_ms=0)


@pytest.mark.parametrize(("change", "field"), [
    ({"format": "XLSX"}, "format"), ({"exportType": "REPORT"}, "exportType"), ({"objectProperties": ["no_such"]},
                                                                                "objectProperties"),
    ({"objectType": "WIDGET"}, "objectType"), ({"exportType": "LIST"}, "listId")])
def test_a_bad_export_request_is_a_400_naming_the_field(client, change, field):
    with pytest.raises(ApiException) as bad:
        client.crm.exports.public_exports_api.start({**view_of("x"), **change})
    assert bad.value.status == 400 and field in bad.value.body


def test_a_large_export_arrives_as_a_zip_of_bounded_csv_files(tmp_path):
    def small_files(portal: dict[str, Any]) -> None:
        portal.setdefault("switches", {}).update({"export_zip_over_bytes": 2000, "export_rows_per_file": 1000})

    with Twin.start(org=str(org_with(tmp_path, small_files))) as twin:
        relaxed(twin)
        client = hubspot_client(twin)
        family, ids = make_contacts(client, 2500)  # more than one page of the store, three files in the zip
        task = client.crm.exports.public_exports_api.start(view_of(family))
        download = anonymous(twin).get(finished(client, task.id).result)
        assert download.headers["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(download.content))
        files = [csv_rows(archive.read(name).decode()) for name in sorted(archive.namelist())]
        assert [len(f) - 1 for f in files] == [1000, 1000, 500]
        assert all(f[0] == ["Record ID", "Email", "Last Name", "Lifecycle Stage"] for f in files)
        assert sorted(r[0] for f in files for r in f[1:]) == sorted(ids)


def test_the_thirty_first_export_in_a_day_is_refused(tmp_path):
    with Twin.start(org=str(org_with(tmp_path, lambda p: p.setdefault("limits", {}).update({"exports_per_day": 2})))) as twin:
        api = hubspot_client(twin).crm.exports.public_exports_api
        api.start(view_of("a"))
        api.start(view_of("b"))
        with pytest.raises(ApiException) as refused:
            api.start(view_of("c"))
        assert refused.value.status == 429 and "2 exports in a rolling 24 hour window" in refused.value.body


def test_owners_read_as_names_and_associated_records_as_ids(client, exporting):
    owner = client.crm.owners.owners_api.get_page(limit=1).results[0]
    family, ids = make_contacts(client, 1, hubspot_owner_id=owner.id)
    company = client.crm.companies.basic_api.create({"properties": {"name": f"{family} Inc"}})
    client.crm.associations.v4.basic_api.create_default("contacts", ids[0], "companies", company.id)
    task = client.crm.exports.public_exports_api.start(
        view_of(family, objectProperties=["hubspot_owner_id"], associatedObjectType=["COMPANY"]))
    rows = csv_rows(anonymous(exporting).get(finished(client, task.id).result).text)
    assert rows[0][0] == "Record ID" and rows[0][2] == "Associated Company IDs"
    assert rows[1] == [ids[0], f"{owner.first_name} {owner.last_name}", company.id]
