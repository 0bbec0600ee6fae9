"""Associations v4 (labels, primary, default, batch) and the v3-style `associations` on reads."""

from __future__ import annotations

import pytest
from hubspot.crm.associations.v4 import AssociationSpec
from hubspot.crm.associations.v4.models import (
    BatchResponseLabelsBetweenObjectPair,
    BatchResponsePublicAssociationMultiWithLabel,
    BatchResponsePublicAssociationMultiWithLabelWithErrors,
    LabelsBetweenObjectPair,
)

PRIMARY = AssociationSpec("HUBSPOT_DEFINED", 1)


@pytest.fixture
def records(client, unique):
    contact = client.crm.contacts.basic_api.create({"properties": {"email": unique()}}).id
    first = client.crm.companies.basic_api.create({"properties": {"name": "First"}}).id
    second = client.crm.companies.basic_api.create({"properties": {"name": "Second"}}).id
    return contact, first, second


def types_between(client, from_type, from_id, to_type):
    page = client.crm.associations.v4.basic_api.get_page(from_type, from_id, to_type)
    return {r.to_object_id: sorted((t.category, t.type_id, t.label) for t in r.association_types) for r in page.results}


def test_primary_company_with_labels_both_ways(client, records):
    contact, company, _ = records
    pair = client.crm.associations.v4.basic_api.create("contacts", contact, "companies", company, [PRIMARY])
    assert isinstance(pair, LabelsBetweenObjectPair) and pair.labels == ["Primary"]
    assert pair.from_object_type_id == "0-1" and pair.to_object_type_id == "0-2"
    assert types_between(client, "contacts", contact, "companies") == {
        company: [("HUBSPOT_DEFINED", 1, "Primary"), ("HUBSPOT_DEFINED", 279, None)]}  # unlabeled comes with it
    assert types_between(client, "companies", company, "contacts") == {
        contact: [("HUBSPOT_DEFINED", 2, "Primary"), ("HUBSPOT_DEFINED", 280, None)]}


def test_a_new_primary_company_demotes_the_old_one(client, portal_twin, records):
    contact, first, second = records
    client.crm.associations.v4.basic_api.create("contacts", contact, "companies", first, [PRIMARY])
    client.crm.associations.v4.basic_api.create("contacts", contact, "companies", second, [PRIMARY])
    seen = types_between(client, "contacts", contact, "companies")
    assert seen[first] == [("HUBSPOT_DEFINED", 279, None)] and ("HUBSPOT_DEFINED", 1, "Primary") in seen[second]
    assert portal_twin.hubspot.primary_company("contacts", contact) == second
    assert sorted(portal_twin.hubspot.associated_ids("contacts", contact, "companies")) == sorted([first, second])


def test_custom_label_and_default_association(client, records):
    contact, first, second = records
    client.crm.associations.v4.basic_api.create("contacts", contact, "companies", first,
                                                [AssociationSpec("USER_DEFINED", 101)])
    assert ("USER_DEFINED", 101, "Billing contact") in types_between(client, "contacts", contact, "companies")[first]
    default = client.crm.associations.v4.basic_api.create_default("contacts", contact, "companies", second)
    assert default.results[0].association_spec.association_type_id == 279
    assert types_between(client, "contacts", contact, "companies")[second] == [("HUBSPOT_DEFINED", 279, None)]


def test_archive_removes_both_directions_and_archived_records_are_hidden(client, records):
    contact, first, second = records
    client.crm.associations.v4.basic_api.create_default("contacts", contact, "companies", first)
    client.crm.associations.v4.basic_api.create_default("contacts", contact, "companies", second)
    client.crm.associations.v4.basic_api.archive("contacts", contact, "companies", first)
    assert list(types_between(client, "contacts", contact, "companies")) == [second]
    assert types_between(client, "companies", first, "contacts") == {}
    client.crm.companies.basic_api.archive(second)
    assert types_between(client, "contacts", contact, "companies") == {}


def test_batch_create_read_and_archive(client, unique):
    deal = client.crm.deals.basic_api.create({"properties": {"dealname": "Renewal"}}).id
    people = [client.crm.contacts.basic_api.create({"properties": {"email": unique()}}).id for _ in range(2)]
    created = client.crm.associations.v4.batch_api.create("deals", "contacts", {"inputs": [
        {"from": {"id": deal}, "to": {"id": p}, "types": [{"associationCategory": "HUBSPOT_DEFINED",
                                                            "associationTypeId": 3}]} for p in people]})
    assert isinstance(created, BatchResponseLabelsBetweenObjectPair) and len(created.results) == 2
    lonely = client.crm.deals.basic_api.create({"properties": {"dealname": "Alone"}}).id
    read = client.crm.associations.v4.batch_api.get_page("deals", "contacts", {"inputs": [{"id": deal}]})
    assert isinstance(read, BatchResponsePublicAssociationMultiWithLabel)
    assert sorted(t.to_object_id for t in read.results[0].to) == sorted(people)
    assert read.results[0].to[0].association_types[0].type_id == 3
    partial = client.crm.associations.v4.batch_api.get_page("deals", "contacts", {"inputs": [{"id": deal}, {"id": lonely}]})
    assert isinstance(partial, BatchResponsePublicAssociationMultiWithLabelWithErrors) and partial.num_errors == 1
    client.crm.associations.v4.batch_api.archive("deals", "contacts", {"inputs": [{"from": {"id": deal},
                                                                                   "to": [{"id": people[0]}]}]})
    assert list(types_between(client, "deals", deal, "contacts")) == [people[1]]
    assert types_between(client, "contacts", people[1], "deals")[deal] == [("HUBSPOT_DEFINED", 4, None)]


def test_deal_company_and_ticket_contact_pairs(client, unique):
    company = client.crm.companies.basic_api.create({"properties": {"name": "Pair Co"}}).id
    deal = client.crm.deals.basic_api.create({"properties": {"dealname": "Pair"}}).id
    ticket = client.crm.tickets.basic_api.create({"properties": {"subject": "Help", "hs_pipeline_stage": "1"}}).id
    person = client.crm.contacts.basic_api.create({"properties": {"email": unique()}}).id
    client.crm.associations.v4.basic_api.create("deals", deal, "companies", company, [AssociationSpec("HUBSPOT_DEFINED", 5)])
    client.crm.associations.v4.basic_api.create_default("tickets", ticket, "contacts", person)
    assert ("HUBSPOT_DEFINED", 6, "Primary") in types_between(client, "companies", company, "deals")[deal]
    assert types_between(client, "contacts", person, "tickets") == {ticket: [("HUBSPOT_DEFINED", 15, None)]}
    read = client.crm.deals.basic_api.get_by_id(deal, associations=["companies"])
    assert {r.type for r in read.associations["companies"].results} == {"deal_to_company",
                                                                        "deal_to_company_unlabeled"}


def test_labels_api_create_list_and_remove(client):
    definitions = client.crm.associations.v4.schema.definitions_api
    created = definitions.create("contacts", "companies", {"label": "Decision maker", "name": "decision_maker"})
    type_id = next(r.type_id for r in created.results if r.label == "Decision maker")
    listed = definitions.get_all("contacts", "companies").results
    assert any(r.type_id == type_id and r.category == "USER_DEFINED" for r in listed)
    assert any(r.type_id == 1 and r.label == "Primary" for r in listed)
    definitions.remove("contacts", "companies", type_id)
    assert all(r.type_id != type_id for r in definitions.get_all("contacts", "companies").results)


def test_legacy_v3_batch_associations(client, records):
    contact, first, _ = records
    client.crm.associations.batch_api.create("contacts", "companies", {"inputs": [
        {"from": {"id": contact}, "to": {"id": first}, "type": "contact_to_company"}]})
    read = client.crm.associations.batch_api.read("contacts", "companies", {"inputs": [{"id": contact}]})
    assert {(t.id, t.type) for t in read.results[0].to} == {(first, "contact_to_company"),
                                                              (first, "contact_to_company_unlabeled")}
