"""Merge as documented, GDPR delete, and the lifecycle stage rules (forward only, 'Became a ... date' stamps)."""

from __future__ import annotations

import json

import pytest
from hubspot.crm.contacts.exceptions import ApiException, NotFoundException
from hubspot.crm.contacts.models import SimplePublicObject

from harness.twin import Twin
from harness.twin.hubspot.models import CONNECTOR, CRM_UI
from tests.conftest import hubspot_client
from tests.twin.hubspot.conftest import org_with, relaxed


def contact(client, email, **properties):
    return client.crm.contacts.basic_api.create({"properties": {"email": email, **properties}})


def test_contact_merge_makes_a_new_record_both_old_ids_resolve_to(client, unique):
    primary_email, secondary_email = unique("primary"), unique("secondary")
    primary = contact(client, primary_email, firstname="Pat", lifecyclestage="lead")
    secondary = contact(client, secondary_email, firstname="Sam", jobtitle="CFO", lifecyclestage="opportunity")
    merged = client.crm.contacts.basic_api.merge({"primaryObjectId": primary.id, "objectIdToMerge": secondary.id})
    assert isinstance(merged, SimplePublicObject) and merged.id not in (primary.id, secondary.id)
    names = ["email", "hs_additional_emails", "firstname", "jobtitle", "lifecyclestage", "hs_merged_object_ids"]
    for old in (primary.id, secondary.id):
        read = client.crm.contacts.basic_api.get_by_id(old, properties=names)
        assert read.id == merged.id
    props = read.properties
    assert props["email"] == primary_email and props["hs_additional_emails"] == secondary_email
    assert props["firstname"] == "Pat" and props["jobtitle"] == "CFO"  # primary wins; gaps filled from secondary
    assert props["lifecyclestage"] == "opportunity"  # furthest down the funnel
    assert set(props["hs_merged_object_ids"].split(";")) == {primary.id, secondary.id}
    by_old_email = client.crm.contacts.basic_api.get_by_id(secondary_email, id_property="email")
    assert by_old_email.id == merged.id
    with pytest.raises(ApiException) as taken:  # the secondary e-mail still belongs to the merged contact
        contact(client, secondary_email)
    assert json.loads(taken.value.body)["category"] == "CONFLICT"
    listed = {c.id for c in client.crm.contacts.get_all()}
    assert merged.id in listed and not listed & {primary.id, secondary.id}


def test_merge_moves_associations_and_keeps_history(client, portal_twin, unique):
    company = client.crm.companies.basic_api.create({"properties": {"name": "Merged Co"}})
    primary = contact(client, unique(), jobtitle="Analyst")
    secondary = contact(client, unique())
    portal_twin.hubspot.associations.associate("contacts", secondary.id, "companies", company.id, [("HUBSPOT_DEFINED", 1)])
    merged = client.crm.contacts.basic_api.merge({"primaryObjectId": primary.id, "objectIdToMerge": secondary.id})
    assert portal_twin.hubspot.primary_company("contacts", merged.id) == company.id
    history = client.crm.contacts.basic_api.get_by_id(merged.id, properties_with_history=["jobtitle"])
    assert history.properties_with_history["jobtitle"][-1].value == "Analyst"


def test_deal_merge_keeps_the_primary_id(client):
    first = client.crm.deals.basic_api.create({"properties": {"dealname": "A", "amount": "10"}})
    second = client.crm.deals.basic_api.create({"properties": {"dealname": "B", "description": "from B"}})
    merged = client.crm.deals.basic_api.merge({"primaryObjectId": first.id, "objectIdToMerge": second.id})
    assert merged.id == first.id
    read = client.crm.deals.basic_api.get_by_id(second.id, properties=["dealname", "description", "hs_merged_object_ids"])
    assert read.id == first.id and read.properties["dealname"] == "A" and read.properties["description"] == "from B"
    assert read.properties["hs_merged_object_ids"] == second.id


def test_merging_a_record_with_itself_is_refused(client, unique):
    solo = contact(client, unique())
    with pytest.raises(ApiException) as refused:
        client.crm.contacts.basic_api.merge({"primaryObjectId": solo.id, "objectIdToMerge": solo.id})
    assert refused.value.status == 400


def test_merge_guard_can_forbid_company_merges(client, portal_twin):
    from harness.twin.hubspot.exceptions import HubSpotError

    def integration_on(object_type, primary, secondary):
        if object_type == "companies":
            raise HubSpotError("Companies cannot be merged while the Salesforce integration is on")

    portal_twin.hubspot.merge_guards.append(integration_on)
    try:
        a = client.crm.companies.basic_api.create({"properties": {"name": "A"}})
        b = client.crm.companies.basic_api.create({"properties": {"name": "B"}})
        from hubspot.crm.companies.exceptions import ApiException as CompanyApiException
        with pytest.raises(CompanyApiException) as refused:
            client.crm.companies.basic_api.merge({"primaryObjectId": a.id, "objectIdToMerge": b.id})
        assert "integration" in json.loads(refused.value.body)["message"]
    finally:
        portal_twin.hubspot.merge_guards.remove(integration_on)


def test_gdpr_delete_removes_the_record_for_good(client, unique):
    email = unique("gdpr")
    gone = contact(client, email)
    client.crm.contacts.basic_api.purge({"objectId": email, "idProperty": "email"})
    for archived in (False, True):
        with pytest.raises(NotFoundException):
            client.crm.contacts.basic_api.get_by_id(gone.id, archived=archived)
    assert contact(client, email).id != gone.id  # the address is free again


def test_lifecycle_moves_forward_and_stamps_each_stage_once(client, unique):
    created = contact(client, unique(), lifecyclestage="lead")
    dates = ["hs_lifecyclestage_lead_date", "hs_lifecyclestage_marketingqualifiedlead_date", "lifecyclestage"]
    first = client.crm.contacts.basic_api.get_by_id(created.id, properties=dates).properties
    assert first["hs_lifecyclestage_lead_date"] and first["hs_lifecyclestage_marketingqualifiedlead_date"] is None
    client.crm.contacts.basic_api.update(created.id, {"properties": {"lifecyclestage": "marketingqualifiedlead"}})
    second = client.crm.contacts.basic_api.get_by_id(created.id, properties=dates).properties
    assert second["lifecyclestage"] == "marketingqualifiedlead"
    assert second["hs_lifecyclestage_lead_date"] == first["hs_lifecyclestage_lead_date"]
    assert second["hs_lifecyclestage_marketingqualifiedlead_date"] >= first["hs_lifecyclestage_lead_date"]


def test_an_api_write_cannot_move_the_stage_back_unless_cleared(client, unique):
    created = contact(client, unique(), lifecyclestage="customer")
    answer = client.crm.contacts.basic_api.update(created.id, {"properties": {"lifecyclestage": "lead"}})
    assert answer.properties["lifecyclestage"] == "customer"  # accepted, ignored: the legacy API's behaviour
    client.crm.contacts.basic_api.update(created.id, {"properties": {"lifecyclestage": ""}})
    moved = client.crm.contacts.basic_api.update(created.id, {"properties": {"lifecyclestage": "lead"}})
    assert moved.properties["lifecyclestage"] == "lead"


def test_the_connector_cannot_move_it_back_either_but_a_person_in_hubspot_can(portal_twin, unique):
    backend = portal_twin.hubspot
    obj = backend.create("contacts", {"email": unique(), "lifecyclestage": "opportunity"})
    assert backend.update("contacts", obj.id, {"lifecyclestage": "lead"}, source=CONNECTOR,
                          trusted=True).properties["lifecyclestage"] == "opportunity"
    assert backend.update("contacts", obj.id, {"lifecyclestage": "lead"},
                          source=CRM_UI).properties["lifecyclestage"] == "lead"


def test_reject_switch_answers_400_for_a_backward_move(tmp_path):
    org = org_with(tmp_path, lambda p: p["switches"].update(lifecycle_backward_write="reject"))
    with Twin.start(org=str(org)) as twin:
        relaxed(twin)
        hs = hubspot_client(twin)
        created = hs.crm.contacts.basic_api.create({"properties": {"email": "r@example.com", "lifecyclestage": "customer"}})
        with pytest.raises(ApiException) as refused:
            hs.crm.contacts.basic_api.update(created.id, {"properties": {"lifecyclestage": "lead"}})
        assert refused.value.status == 400 and "backwards" in json.loads(refused.value.body)["message"]


def test_forward_only_switched_off_lets_writes_move_back(tmp_path):
    org = org_with(tmp_path, lambda p: p["switches"].update(lifecycle_forward_only=False, merge_new_id=False))
    with Twin.start(org=str(org)) as twin:
        relaxed(twin)
        hs = hubspot_client(twin)
        created = hs.crm.contacts.basic_api.create({"properties": {"email": "m@example.com", "lifecyclestage": "customer"}})
        assert hs.crm.contacts.basic_api.update(created.id, {"properties": {"lifecyclestage": "lead"}}
                                                ).properties["lifecyclestage"] == "lead"
        other = hs.crm.contacts.basic_api.create({"properties": {"email": "n@example.com"}})
        assert hs.crm.contacts.basic_api.merge({"primaryObjectId": created.id, "objectIdToMerge": other.id}).id == created.id
