"""CRM objects through hubspot-api-client: the models it builds, the statuses it depends on, the errors it raises."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hubspot.crm.contacts.exceptions import ApiException, NotFoundException
from hubspot.crm.contacts.models import SimplePublicObject, SimplePublicObjectWithAssociations
from hubspot.crm.tickets.exceptions import ApiException as TicketApiException


def test_create_answers_201_with_maintained_properties_as_strings(client, unique):
    email = unique("ada")
    created = client.crm.contacts.basic_api.create({"properties": {"email": email, "firstname": "Ada"}})
    assert isinstance(created, SimplePublicObject)  # a 200 would have made the client return None
    assert created.id.isdigit() and created.properties["hs_object_id"] == created.id
    assert isinstance(created.created_at, datetime) and created.archived is False
    assert created.properties["email"] == email and created.properties["createdate"].endswith("Z")


def test_read_by_id_email_and_with_history(client, unique):
    email = unique("grace")
    created = client.crm.contacts.basic_api.create({"properties": {"email": email, "jobtitle": "Engineer"}})
    client.crm.contacts.basic_api.update(created.id, {"properties": {"jobtitle": "Admiral"}})
    read = client.crm.contacts.basic_api.get_by_id(email, id_property="email", properties=["jobtitle"],
                                                   properties_with_history=["jobtitle"])
    assert isinstance(read, SimplePublicObjectWithAssociations) and read.id == created.id
    assert read.properties == {"jobtitle": "Admiral"}
    history = read.properties_with_history["jobtitle"]
    assert [h.value for h in history] == ["Admiral", "Engineer"]  # newest first
    assert {h.source_type for h in history} == {"API"}


def test_default_properties_when_none_are_named(client, unique):
    created = client.crm.contacts.basic_api.create({"properties": {"email": unique(), "lastname": "Hopper"}})
    read = client.crm.contacts.basic_api.get_by_id(created.id)
    assert set(read.properties) == {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}


def test_update_answers_200_and_moves_lastmodifieddate(client, unique):
    created = client.crm.contacts.basic_api.create({"properties": {"email": unique(), "phone": "555"}})
    updated = client.crm.contacts.basic_api.update(created.id, {"properties": {"phone": "556"}})
    assert updated.properties["phone"] == "556" and updated.updated_at >= created.updated_at
    read = client.crm.contacts.basic_api.get_by_id(created.id, properties=["lastmodifieddate", "createdate"])
    assert read.properties["lastmodifieddate"] >= read.properties["createdate"]


def test_archive_answers_204_and_the_record_is_only_found_archived(client, unique):
    created = client.crm.contacts.basic_api.create({"properties": {"email": unique()}})
    assert client.crm.contacts.basic_api.archive(created.id) is None
    with pytest.raises(NotFoundException) as missing:
        client.crm.contacts.basic_api.get_by_id(created.id)
    assert json.loads(missing.value.body)["category"] == "OBJECT_NOT_FOUND"
    archived = client.crm.contacts.basic_api.get_by_id(created.id, archived=True)
    assert archived.archived is True and archived.archived_at is not None
    client.crm.contacts.basic_api.archive(created.id)  # archiving twice is still 204


def test_list_pages_with_after(client, unique):
    for _ in range(3):
        client.crm.companies.basic_api.create({"properties": {"name": unique("co")}})
    first = client.crm.companies.basic_api.get_page(limit=2)
    assert len(first.results) == 2 and first.paging.next.after
    second = client.crm.companies.basic_api.get_page(limit=2, after=first.paging.next.after)
    assert {r.id for r in first.results}.isdisjoint({r.id for r in second.results})
    everything = client.crm.companies.get_all()
    assert len(everything) >= 3


def test_duplicate_email_is_a_409_naming_the_existing_contact(client, unique):
    email = unique("dup")
    first = client.crm.contacts.basic_api.create({"properties": {"email": email}})
    with pytest.raises(ApiException) as conflict:
        client.crm.contacts.basic_api.create({"properties": {"email": email.upper()}})
    body = json.loads(conflict.value.body)
    assert conflict.value.status == 409 and body["category"] == "CONFLICT"
    assert body["message"] == f"Contact already exists. Existing ID: {first.id}"


def test_invalid_option_and_read_only_are_refused_with_hubspots_validation_shape(client, unique):
    with pytest.raises(ApiException) as bad:
        client.crm.contacts.basic_api.create({"properties": {"email": unique(), "hs_lead_status": "OPEN"}})
    body = json.loads(bad.value.body)
    assert bad.value.status == 400 and body["category"] == "VALIDATION_ERROR"
    assert body["message"].startswith("Property values were not valid: ")
    problems = json.loads(body["message"].split(": ", 1)[1])
    assert problems[0]["error"] == "INVALID_OPTION" and problems[0]["name"] == "hs_lead_status"
    assert body["errors"][0]["code"] == "INVALID_OPTION"
    assert body["errors"][0]["context"]["propertyName"] == ["hs_lead_status"]
    with pytest.raises(ApiException) as read_only:
        client.crm.contacts.basic_api.create({"properties": {"email": unique(), "salesforceleadid": "00Q000000000001"}})
    assert json.loads(read_only.value.body)["errors"][0]["code"] == "READ_ONLY_VALUE"


def test_unknown_property_bad_number_and_unknown_owner_are_refused(client, unique):
    cases = [({"nosuchproperty": "x"}, "PROPERTY_DOESNT_EXIST"), ({"hubspot_owner_id": "123"}, "INVALID_OWNER_ID")]
    for properties, code in cases:
        with pytest.raises(ApiException) as refused:
            client.crm.contacts.basic_api.create({"properties": {"email": unique(), **properties}})
        assert json.loads(refused.value.body)["errors"][0]["code"] == code
    from hubspot.crm.companies.exceptions import ApiException as CompanyApiException
    with pytest.raises(CompanyApiException) as number:
        client.crm.companies.basic_api.create({"properties": {"name": "N", "numberofemployees": "many"}})
    assert json.loads(number.value.body)["errors"][0]["code"] == "INVALID_INTEGER"
    owner = client.crm.contacts.basic_api.create({"properties": {"email": unique(), "hubspot_owner_id": "71000002"}})
    assert owner.properties["hubspot_owner_id"] == "71000002"


def test_values_are_normalised_as_hubspot_returns_them(client, unique):
    created = client.crm.deals.basic_api.create({"properties": {"dealname": "Big", "amount": "1200.50",
                                                                "closedate": "2026-12-31"}})
    assert created.properties["closedate"] == "2026-12-31T00:00:00.000Z"  # datetimes come back as ISO-8601 UTC
    assert created.properties["amount"] == "1200.50"
    assert created.properties["pipeline"] == "default"  # no pipeline given: the default one


def test_deal_stage_must_belong_to_the_pipeline(client):
    from hubspot.crm.deals.exceptions import ApiException as DealApiException
    with pytest.raises(DealApiException) as wrong:
        client.crm.deals.basic_api.create({"properties": {"dealname": "X", "pipeline": "default", "dealstage": "4"}})
    assert json.loads(wrong.value.body)["errors"][0]["context"]["propertyName"] == ["dealstage"]
    ok = client.crm.deals.basic_api.create({"properties": {"dealname": "Y", "dealstage": "closedwon"}})
    assert ok.properties["dealstage"] == "closedwon"


def test_tickets_need_their_required_stage(client):
    with pytest.raises(TicketApiException) as missing:
        client.crm.tickets.basic_api.create({"properties": {"subject": "Broken"}})
    assert json.loads(missing.value.body)["errors"][0]["code"] == "REQUIRED_PROPERTY"
    ticket = client.crm.tickets.basic_api.create({"properties": {"subject": "Broken", "hs_pipeline_stage": "1"}})
    assert ticket.properties["hs_pipeline"] == "0"


def test_engagements_are_created_with_associations(client, unique):
    contact = client.crm.contacts.basic_api.create({"properties": {"email": unique()}})
    note = client.crm.objects.basic_api.create("notes", {
        "properties": {"hs_timestamp": "2026-11-01T10:00:00Z", "hs_note_body": "Called"},
        "associations": [{"to": {"id": contact.id}, "types": [{"associationCategory": "HUBSPOT_DEFINED",
                                                                "associationTypeId": 202}]}]})
    read = client.crm.contacts.basic_api.get_by_id(contact.id, associations=["notes"])
    assert [r.id for r in read.associations["notes"].results] == [note.id]
    assert read.associations["notes"].results[0].type == "contact_to_note"
