"""Properties (and groups), owners, pipelines and account details, as the SDK reads and writes them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from hubspot.crm.owners.exceptions import NotFoundException as OwnerNotFound
from hubspot.crm.properties.exceptions import ApiException as PropertyApiException

ROOT = Path(__file__).resolve().parents[3]


def test_properties_read_with_their_definitions(client):
    stage = client.crm.properties.core_api.get_by_name("contacts", "lifecyclestage")
    assert (stage.type, stage.field_type, stage.hubspot_defined) == ("enumeration", "radio", True)
    assert [o.value for o in stage.options][:3] == ["subscriber", "lead", "marketingqualifiedlead"]
    names = {p.name for p in client.crm.properties.core_api.get_all("contacts").results}
    assert {"email", "salesforceleadid", "salesforcecontactid", "hs_object_id", "lead_source_detail"} <= names
    owner = client.crm.properties.core_api.get_by_name("contacts", "hubspot_owner_id")
    assert [o.value for o in owner.options] == ["71000001", "71000002", "71000003", "71000004"]  # the active owners
    read_only = client.crm.properties.core_api.get_by_name("contacts", "salesforceleadid")
    assert read_only.modification_metadata.read_only_value is True and read_only.form_field is False


def test_create_update_and_archive_a_custom_property(client):
    created = client.crm.properties.core_api.create("contacts", {
        "name": "uat_segment", "label": "UAT segment", "type": "enumeration", "fieldType": "select",
        "groupName": "contactinformation", "options": [{"label": "A", "value": "a"}, {"label": "B", "value": "b"}]})
    assert created.name == "uat_segment" and created.hubspot_defined is False
    with pytest.raises(PropertyApiException) as duplicate:
        client.crm.properties.core_api.create("contacts", {"name": "uat_segment", "label": "x", "type": "string",
                                                           "fieldType": "text", "groupName": "contactinformation"})
    assert duplicate.value.status == 409
    updated = client.crm.properties.core_api.update("contacts", "uat_segment", {
        "label": "Segment", "options": [{"label": "A", "value": "a"}, {"label": "C", "value": "c"}]})
    assert updated.label == "Segment" and [o.value for o in updated.options] == ["a", "c"]
    client.crm.contacts.basic_api.create({"properties": {"email": "seg@example.com", "uat_segment": "c"}})
    from hubspot.crm.contacts.exceptions import ApiException
    with pytest.raises(ApiException):
        client.crm.contacts.basic_api.create({"properties": {"email": "seg2@example.com", "uat_segment": "b"}})
    client.crm.properties.core_api.archive("contacts", "uat_segment")
    archived = client.crm.properties.core_api.get_by_name("contacts", "uat_segment", archived=True)
    assert archived.archived is True
    with pytest.raises(PropertyApiException) as defined:
        client.crm.properties.core_api.archive("contacts", "email")
    assert defined.value.status == 400


def test_property_batch_read_and_groups(client):
    batch = client.crm.properties.batch_api.read("companies", {"inputs": [{"name": "name"}, {"name": "region"}],
                                                               "archived": False})
    assert {p.name for p in batch.results} == {"name", "region"}
    group = client.crm.properties.groups_api.create("deals", {"name": "uat_group", "label": "UAT"})
    assert group.name == "uat_group"
    assert "uat_group" in {g.name for g in client.crm.properties.groups_api.get_all("deals").results}


def test_owners_page_filter_and_read_by_user_id(client):
    page = client.crm.owners.owners_api.get_page(limit=2)
    assert len(page.results) == 2 and page.paging.next.after
    rest = client.crm.owners.owners_api.get_page(after=page.paging.next.after)
    assert [o.email for o in page.results + rest.results] == ["nadia.ortiz@example.com", "emil.novak@example.com",
                                                             "aiko.tanaka@example.com", "morgan.blake@example.com"]
    emil = client.crm.owners.owners_api.get_page(email="EMIL.NOVAK@example.com").results[0]
    assert (emil.id, emil.user_id, emil.first_name, emil.archived) == ("71000002", 9100002, "Emil", False)
    assert emil.teams[0].name == "EMEA Sales"
    assert client.crm.owners.owners_api.get_by_id("9100003", id_property="userId").id == "71000003"
    with pytest.raises(OwnerNotFound):
        client.crm.owners.owners_api.get_by_id("1")


def test_pipelines_and_stages(client):
    deals = client.crm.pipelines.pipelines_api.get_all("deals").results
    assert [p.id for p in deals] == ["default"]
    won = next(s for s in deals[0].stages if s.id == "closedwon")
    assert won.metadata == {"isClosed": "true", "probability": "1.0"}
    tickets = client.crm.pipelines.pipelines_api.get_by_id("tickets", "0")
    assert tickets.stages[-1].metadata["ticketState"] == "CLOSED"
    created = client.crm.pipelines.pipelines_api.create("deals", {"label": "Salesforce", "displayOrder": 1, "stages": [
        {"label": "Prospecting", "displayOrder": 0, "metadata": {"probability": "0.1"}},
        {"label": "Closed Won", "displayOrder": 1, "metadata": {"probability": "1.0", "isClosed": "true"}}]})
    assert created.label == "Salesforce" and len(created.stages) == 2
    stage = client.crm.pipelines.pipeline_stages_api.create("deals", created.id, {
        "label": "Negotiation", "displayOrder": 2, "metadata": {"probability": "0.8"}})
    deal = client.crm.deals.basic_api.create({"properties": {"dealname": "SF", "pipeline": created.id,
                                                             "dealstage": stage.id}})
    assert deal.properties["dealstage"] == stage.id


def test_account_details_say_sandbox(raw, portal_twin):
    details = raw.get(f"{portal_twin.hubspot_url}/account-info/v3/details").json()
    assert details["portalId"] == 24681357 and details["accountType"] == "SANDBOX"
    usage = raw.get(f"{portal_twin.hubspot_url}/account-info/v3/api-usage/daily/private-apps").json()
    assert usage["results"][0]["usageLimit"] == 1_000_000


def test_healthy_portal_has_what_the_suite_relies_on():
    portal = yaml.safe_load((ROOT / "fixtures/orgs/healthy/hubspot.yaml").read_text())
    for path in sorted((ROOT / "fixtures/mappings").glob("*.csv")):
        object_type = path.stem
        with path.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                name = row["HubSpot property internal name"]
                assert name in portal["properties"][object_type] or name in ("dealstage", "pipeline"), (path.name, name)
    contacts = portal["properties"]["contacts"]
    assert contacts["hs_lead_status"]["options"] == ["Open - Not Contacted", "Working - Contacted", "Closed - Converted",
                                                     "Closed - Not Converted"]
    assert [o["value"] for o in contacts["lifecyclestage"]["options"]] == [
        "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist",
        "other"]
    salesforce = yaml.safe_load((ROOT / "fixtures/orgs/healthy/salesforce.yaml").read_text())
    users = {(u["Email"], u["FirstName"], u["LastName"]) for u in salesforce["records"]["User"]}
    # Every sales owner is a Salesforce user; Morgan Blake (marketing) deliberately is not, for the scenario that
    # checks an owner unknown to Salesforce never overwrites the Salesforce owner.
    hubspot_only = [o for o in portal["owners"] if (o["email"], o["firstName"], o["lastName"]) not in users]
    assert [o["email"] for o in hubspot_only] == ["morgan.blake@example.com"]


def test_a_bad_portal_fixture_names_file_field_and_fix(tmp_path):
    from harness.twin.hubspot.portal import PortalError, load_portal

    cases = [
        ("properties:\n  contacts:\n    x: {type: text}\n", "properties.contacts.x.type"),
        ("owners:\n  - {id: abc, userId: 1, email: a@example.com}\n", "owners[0].id"),
        ("switches:\n  merge_new_id: maybe\n", "switches.merge_new_id"),
        ("lists:\n  - {id: '5', name: L, processing: DYNAMIC}\n", "lists[0].filters"),
        ("workflows:\n  - {id: '9', name: W, enrollment: [[{property: nope, operator: HAS_PROPERTY}]], "
         "actions: [{notify: x}]}\n", "nope"),
        ("limits:\n  ten_second: fast\n", "limits.ten_second"),
    ]
    for text, mentioned in cases:
        path = tmp_path / "hubspot.yaml"
        path.write_text("account: {portal_id: 1}\n" + text)
        with pytest.raises(PortalError) as bad:
            load_portal(path)
        assert str(path) in str(bad.value) and mentioned in str(bad.value), str(bad.value)
