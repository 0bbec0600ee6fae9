"""The twin's contract (DESIGN.md §2): real clients over HTTPS, fresh credentials, 401s, one sync cycle."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
import requests
from hubspot.crm.contacts.exceptions import UnauthorizedException
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceExpiredSession

from harness.twin import Twin


def test_real_clients_work_unmodified_against_the_twin(twin, sf, hs):
    assert twin.salesforce_url.startswith("https://127.0.0.1:")
    assert twin.hubspot_url.startswith("https://127.0.0.1:")
    created = sf.Lead.create({"LastName": "Lovelace", "FirstName": "Ada", "Company": "Analytical", "Email": "ada@example.com"})
    assert created["success"] is True and created["id"].startswith("00Q") and len(created["id"]) == 18
    assert sf.Lead.get(created["id"])["Status"] == "Open - Not Contacted"  # the picklist default applies
    assert sf.Lead.update(created["id"], {"FirstName": "Augusta"}) == 204
    found = sf.query("SELECT Id, FirstName FROM Lead WHERE Email = 'ada@example.com'")
    assert found["totalSize"] == 1 and found["records"][0]["FirstName"] == "Augusta"
    assert sf.is_sandbox() is True
    contact = hs.crm.contacts.basic_api.create({"properties": {"email": "grace@example.com", "lastname": "Hopper"}})
    assert contact is not None and contact.properties["email"] == "grace@example.com"
    read = hs.crm.contacts.batch_api.read({"inputs": [{"id": contact.id}], "properties": ["email", "lastname"]})
    assert read.results[0].properties["lastname"] == "Hopper"
    assert sf.Lead.delete(created["id"]) == 204


def test_each_start_mints_fresh_credentials():
    with Twin.start(org="healthy") as first, Twin.start(org="healthy") as second:
        assert first.salesforce_session_id != second.salesforce_session_id
        assert first.hubspot_token != second.hubspot_token


def test_requests_without_the_run_token_are_refused(twin):
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    wrong = Salesforce(instance_url=twin.salesforce_url, session_id="00D000000000000!wrong", session=session)
    with pytest.raises(SalesforceExpiredSession) as refused:
        wrong.query("SELECT Id FROM Lead")
    assert refused.value.content[0]["errorCode"] == "INVALID_SESSION_ID"
    response = session.get(f"{twin.salesforce_url}/services/data/v59.0/sobjects")
    assert response.status_code == 401 and response.json()[0]["errorCode"] == "INVALID_SESSION_ID"
    import hubspot

    bad = hubspot.Client.create(access_token="pat-na1-wrong", host=twin.hubspot_url, ssl_ca_cert=twin.ca_bundle)
    with pytest.raises(UnauthorizedException):
        bad.crm.contacts.basic_api.get_page()
    assert session.get(f"{twin.hubspot_url}/crm/v3/objects/contacts").status_code == 401


def test_a_sync_cycle_links_a_new_hubspot_contact_to_a_new_lead(twin, sf, hs):
    contact = hs.crm.contacts.basic_api.create({"properties": {
        "email": "katherine@example.com", "firstname": "Katherine", "lastname": "Johnson", "company": "NASA"}})
    stats = twin.sync_now()
    assert stats["created_in_salesforce"] == 1
    linked = hs.crm.contacts.basic_api.get_by_id(contact.id, properties=["salesforceleadid"],
                                                 properties_with_history=["salesforceleadid"])
    lead_id = linked.properties["salesforceleadid"]
    lead = sf.Lead.get(lead_id)
    assert (lead["FirstName"], lead["LastName"], lead["Company"], lead["Email"]) == (
        "Katherine", "Johnson", "NASA", "katherine@example.com")
    assert linked.properties_with_history["salesforceleadid"][0].source_type == "SALESFORCE"
    integration = sf.query("SELECT Id FROM User WHERE Alias = 'hsint'")["records"][0]["Id"]
    assert lead["LastModifiedById"] == integration  # the connector writes as the integration user

    sf.Lead.update(lead_id, {"FirstName": "Kathy"})
    twin.sync_now()
    assert hs.crm.contacts.basic_api.get_by_id(contact.id, properties=["firstname"]).properties["firstname"] == "Kathy"


def test_state_lives_in_sqlite_under_state_dir(tmp_path):
    with Twin.start(org="healthy", state_dir=tmp_path) as first:
        from tests.conftest import salesforce_client

        lead_id = salesforce_client(first).Lead.create({"LastName": "Kept", "Company": "Durable"})["id"]
    assert (tmp_path / "twin.sqlite3").exists()
    with Twin.start(org="healthy", state_dir=tmp_path) as second:
        from tests.conftest import salesforce_client

        assert salesforce_client(second).Lead.get(lead_id)["LastName"] == "Kept"


def test_uat_twin_serve_prints_one_json_line_and_serves():
    process = subprocess.Popen([sys.executable, "-m", "harness.cli", "twin", "serve", "--org", "healthy"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(process.stdout.readline())
        assert set(info) >= {"salesforce_url", "salesforce_session_id", "hubspot_url", "hubspot_token", "ca_bundle"}
        session = requests.Session()
        session.verify = info["ca_bundle"]
        session.trust_env = False
        response = session.get(f"{info['hubspot_url']}/account-info/v3/details",
                               headers={"Authorization": f"Bearer {info['hubspot_token']}"})
        assert response.status_code == 200 and response.json()["accountType"] == "SANDBOX"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert process.returncode == 0
    assert os.path.exists(info["ca_bundle"]) is False  # the throwaway CA leaves with the twin
