"""Lists (the inclusion list among them) and workflows: the flows API shape, and workflows that really run."""

from __future__ import annotations

import pytest
from hubspot.crm.lists.exceptions import ApiException as ListApiException

from harness.twin import Twin
from harness.twin.hubspot.models import CONNECTOR
from tests.conftest import hubspot_client
from tests.twin.hubspot.conftest import org_with, relaxed, session_for


def test_manual_list_membership_through_the_sdk(client, portal_twin, unique):
    lists, members = client.crm.lists.lists_api, client.crm.lists.memberships_api
    made = lists.create({"name": f"UAT {unique('list')}", "objectTypeId": "0-1", "processingType": "MANUAL"}).list
    assert made.processing_type == "MANUAL" and made.size == 0 and int(made.list_id) >= 1000
    people = [client.crm.contacts.basic_api.create({"properties": {"email": unique()}}).id for _ in range(3)]
    added = members.add(made.list_id, people + ["999"])
    assert sorted(added.records_ids_added) == sorted(people) and added.record_ids_missing == ["999"]
    removed = members.remove(made.list_id, [people[0]])
    assert removed.record_ids_removed == [people[0]]
    page = members.get_page(made.list_id, limit=1)
    assert page.results[0].record_id == people[1] and page.paging.next.after
    assert portal_twin.hubspot.is_member(made.list_id, people[2]) is True
    assert portal_twin.hubspot.is_member(made.list_id, people[0]) is False
    of_record = members.get_lists("0-1", people[1])
    assert made.list_id in {m.list_id for m in of_record.results}
    assert lists.get_by_name(made.name, "0-1").list.list_id == made.list_id


def test_the_inclusion_list_follows_the_data(client, portal_twin, unique):
    inclusion = client.crm.lists.lists_api.get_by_id("101", include_filters=True).list
    assert inclusion.processing_type == "DYNAMIC" and inclusion.name == "Salesforce sync - inclusion list"
    assert inclusion.filter_branch.filter_branch_type == "OR"
    with_email = client.crm.contacts.basic_api.create({"properties": {"email": unique()}}).id
    assert portal_twin.hubspot.is_member("101", with_email) is True
    client.crm.contacts.basic_api.update(with_email, {"properties": {"email": ""}})
    assert portal_twin.hubspot.is_member("101", with_email) is False
    with pytest.raises(ListApiException) as dynamic:
        client.crm.lists.memberships_api.add("101", [with_email])
    assert dynamic.value.status == 400


def test_dynamic_list_from_a_filter_branch_and_filter_updates(client, portal_twin, unique):
    branch = {"filterBranchType": "OR", "filterBranchOperator": "OR", "filters": [], "filterBranches": [
        {"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [], "filters": [
            {"filterType": "PROPERTY", "property": "lifecyclestage",
             "operation": {"operationType": "ENUMERATION", "operator": "IS_ANY_OF", "values": ["customer"]}}]}]}
    made = client.crm.lists.lists_api.create({"name": unique("dyn"), "objectTypeId": "0-1", "processingType": "DYNAMIC",
                                              "filterBranch": branch}).list
    buyer = client.crm.contacts.basic_api.create({"properties": {"email": unique(), "lifecyclestage": "customer"}}).id
    lead = client.crm.contacts.basic_api.create({"properties": {"email": unique(), "lifecyclestage": "lead"}}).id
    assert portal_twin.hubspot.is_member(made.list_id, buyer) and not portal_twin.hubspot.is_member(made.list_id, lead)
    branch["filterBranches"][0]["filters"][0]["operation"]["values"] = ["lead"]
    client.crm.lists.lists_api.update_list_filters(made.list_id, {"filterBranch": branch})
    assert portal_twin.hubspot.is_member(made.list_id, lead) and not portal_twin.hubspot.is_member(made.list_id, buyer)
    client.crm.lists.lists_api.remove(made.list_id)
    with pytest.raises(ListApiException) as gone:
        client.crm.lists.lists_api.get_by_id(made.list_id)
    assert gone.value.status == 404
    client.crm.lists.lists_api.restore(made.list_id)
    assert client.crm.lists.lists_api.get_by_id(made.list_id).list.name == made.name


def test_flows_api_lists_reads_and_batch_reads(portal_twin, raw):
    base = f"{portal_twin.hubspot_url}/automation/v4/flows"
    listing = raw.get(base).json()
    assert [f["id"] for f in listing["results"]] == ["5001", "5002"]
    summary = listing["results"][0]
    assert (summary["flowType"], summary["objectTypeId"], summary["isEnabled"]) == ("WORKFLOW", "0-1", True)
    detail = raw.get(f"{base}/5001").json()
    assert detail["type"] == "CONTACT_FLOW" and detail["canEnrollFromSalesforce"] is True
    criteria = detail["enrollmentCriteria"]["listFilterBranch"]["filterBranches"][0]["filters"][0]
    assert criteria["property"] == "lifecyclestage" and criteria["operation"]["values"] == ["marketingqualifiedlead"]
    batch = raw.post(f"{base}/batch/read", json={"inputs": [{"flowId": "5002", "type": "FLOW_ID"},
                                                            {"flowId": "777", "type": "FLOW_ID"}]})
    assert batch.status_code == 207 and batch.json()["results"][0]["id"] == "5002"
    assert raw.get(f"{base}/777").status_code == 404


DRIFTED_AUTOMATION = [
    {"id": "6001", "name": "Rotate owners on new leads", "object": "contacts", "enabled": True,
     "enrollment": [[{"property": "lifecyclestage", "operator": "EQ", "value": "lead"}]],
     "actions": [{"rotate_owner": ["nadia.ortiz@example.com", "emil.novak@example.com"]}]},
    {"id": "6002", "name": "Legacy nurture", "object": "contacts", "enabled": True, "can_enroll_from_salesforce": False,
     "enrollment": [[{"property": "hs_lead_status", "operator": "EQ", "value": "Closed - Not Converted"}]],
     "actions": [{"set": "lifecyclestage", "value": "other"}, {"add_to_list": "102"}]},
    {"id": "6003", "name": "Owner ping-pong", "object": "contacts", "enabled": True,
     "enrollment": [[{"property": "jobtitle", "operator": "EQ", "value": "Buyer"}]], "re_enroll_on": ["jobtitle"],
     "actions": [{"set": "lead_source_detail", "value": "touched"}, {"create_task": "Call the buyer"}]},
]


@pytest.fixture(scope="module")
def drifted(tmp_path_factory):
    org = org_with(tmp_path_factory.mktemp("drifted"), lambda p: p["workflows"].extend(DRIFTED_AUTOMATION))
    with Twin.start(org=str(org)) as twin:
        relaxed(twin)
        yield twin


def test_a_rotating_owner_workflow_really_runs(drifted):
    hs = hubspot_client(drifted)
    owners = []
    for n in range(3):
        made = hs.crm.contacts.basic_api.create({"properties": {"email": f"rot{n}@example.com", "lifecyclestage": "lead"}})
        read = hs.crm.contacts.basic_api.get_by_id(made.id, properties=["hubspot_owner_id"],
                                                   properties_with_history=["hubspot_owner_id"])
        owners.append(read.properties["hubspot_owner_id"])
        written = read.properties_with_history["hubspot_owner_id"][0]
        assert (written.source_type, written.source_id) == ("AUTOMATION_PLATFORM", "6001")
    assert owners == ["71000001", "71000002", "71000001"]
    runs = [r for r in drifted.hubspot.workflows.runs("6001")]
    assert len(runs) == 3 and runs[0]["actions"] == ["rotate_owner hubspot_owner_id=71000001"]
    detail = session_for(drifted, drifted.hubspot_token).get(f"{drifted.hubspot_url}/automation/v4/flows/6001").json()
    assert detail["actions"][0]["actionTypeId"] == "0-11"
    assert detail["actions"][0]["fields"]["user_ids"] == ["9100001", "9100002"]


def test_a_workflow_sets_a_retired_stage_but_not_for_connector_writes(drifted):
    hs, backend = hubspot_client(drifted), drifted.hubspot
    by_api = hs.crm.contacts.basic_api.create({"properties": {"email": "nurture@example.com"}})
    backend.update("contacts", by_api.id, {"hs_lead_status": "Closed - Not Converted"}, source=CONNECTOR, trusted=True)
    assert backend.get("contacts", by_api.id).properties.get("lifecyclestage") is None  # Salesforce writes don't enroll
    hs.crm.contacts.basic_api.update(by_api.id, {"properties": {"hs_lead_status": "Working - Contacted"}})
    hs.crm.contacts.basic_api.update(by_api.id, {"properties": {"hs_lead_status": "Closed - Not Converted"}})
    after = hs.crm.contacts.basic_api.get_by_id(by_api.id, properties=["lifecyclestage"])
    assert after.properties["lifecyclestage"] == "other" and backend.is_member("102", by_api.id)
    detail = session_for(drifted, drifted.hubspot_token).get(f"{drifted.hubspot_url}/automation/v4/flows/6002").json()
    set_stage = detail["actions"][0]
    assert set_stage["actionTypeId"] == "0-5"
    assert set_stage["fields"] == {"property_name": "lifecyclestage", "value": {"type": "STATIC_VALUE",
                                                                                  "staticValue": "other"}}
    assert detail["canEnrollFromSalesforce"] is False


def test_enrollment_happens_once_unless_a_trigger_changes(drifted):
    hs = hubspot_client(drifted)
    made = hs.crm.contacts.basic_api.create({"properties": {"email": "buyer@example.com", "jobtitle": "Buyer"}})
    hs.crm.contacts.basic_api.update(made.id, {"properties": {"phone": "555"}})  # still matches: no second run
    assert [r["objectId"] for r in drifted.hubspot.workflows.runs("6003")].count(made.id) == 1
    hs.crm.contacts.basic_api.update(made.id, {"properties": {"jobtitle": "Director"}})
    hs.crm.contacts.basic_api.update(made.id, {"properties": {"jobtitle": "Buyer"}})  # the trigger changed back
    assert [r["objectId"] for r in drifted.hubspot.workflows.runs("6003")].count(made.id) == 2
    tasks = drifted.hubspot.associated_ids("contacts", made.id, "tasks")
    assert len(tasks) == 2


def test_a_workflow_can_be_turned_off_through_the_api(drifted):
    raw = session_for(drifted, drifted.hubspot_token)
    base = f"{drifted.hubspot_url}/automation/v4/flows/6001"
    revision = raw.get(base).json()["revisionId"]
    stale = raw.put(base, json={"revisionId": "0", "isEnabled": False})
    assert stale.status_code == 400
    turned_off = raw.put(base, json={"revisionId": revision, "isEnabled": False}).json()
    assert turned_off["isEnabled"] is False and turned_off["revisionId"] != revision
    hs = hubspot_client(drifted)
    made = hs.crm.contacts.basic_api.create({"properties": {"email": "noflow@example.com", "lifecyclestage": "lead"}})
    assert hs.crm.contacts.basic_api.get_by_id(made.id, properties=["hubspot_owner_id"]).properties[
        "hubspot_owner_id"] is None
