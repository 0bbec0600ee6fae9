"""Batch create / read / update / upsert / archive: 100 inputs at most, 207 with per-item errors."""

from __future__ import annotations

import json

import pytest
from hubspot.crm.contacts.exceptions import ApiException
from hubspot.crm.contacts.models import (
    BatchResponseSimplePublicObject,
    BatchResponseSimplePublicObjectWithErrors,
    BatchResponseSimplePublicUpsertObject,
    BatchResponseSimplePublicUpsertObjectWithErrors,
)

from harness.twin import Twin
from tests.conftest import hubspot_client
from tests.twin.hubspot.conftest import org_with, relaxed


def test_batch_create_answers_201_with_every_result(client, unique):
    emails = [unique("b") for _ in range(100)]
    created = client.crm.contacts.batch_api.create({"inputs": [{"properties": {"email": e}} for e in emails]})
    assert isinstance(created, BatchResponseSimplePublicObject) and created.status == "COMPLETE"
    assert sorted(r.properties["email"] for r in created.results) == sorted(emails)
    assert created.started_at <= created.completed_at


def test_batch_create_with_bad_items_answers_207_and_writes_the_rest(client, unique):
    good, taken = unique("good"), unique("taken")
    client.crm.contacts.basic_api.create({"properties": {"email": taken}})
    response = client.crm.contacts.batch_api.create({"inputs": [
        {"properties": {"email": good}}, {"properties": {"email": taken}},
        {"properties": {"email": unique(), "lifecyclestage": "prospect"}}]})
    assert isinstance(response, BatchResponseSimplePublicObjectWithErrors)
    assert response.num_errors == 2 and [r.properties["email"] for r in response.results] == [good]
    by_category = {e.category: e for e in response.errors}
    assert set(by_category) == {"CONFLICT", "VALIDATION_ERROR"}
    assert by_category["CONFLICT"].context["index"] == ["1"]
    assert by_category["VALIDATION_ERROR"].errors[0].code == "INVALID_OPTION"


def test_more_than_100_inputs_is_a_400(client, unique):
    with pytest.raises(ApiException) as too_many:
        client.crm.contacts.batch_api.create({"inputs": [{"properties": {"email": unique()}} for _ in range(101)]})
    assert too_many.value.status == 400 and "100" in json.loads(too_many.value.body)["message"]


def test_batch_read_is_200_or_207_with_the_missing_ids(client, unique):
    ids = [r.id for r in client.crm.contacts.batch_api.create(
        {"inputs": [{"properties": {"email": unique(), "firstname": "R"}} for _ in range(3)]}).results]
    full = client.crm.contacts.batch_api.read({"inputs": [{"id": i} for i in ids], "properties": ["firstname", "email"]})
    assert isinstance(full, BatchResponseSimplePublicObject) and {r.id for r in full.results} == set(ids)
    partial = client.crm.contacts.batch_api.read({"inputs": [{"id": ids[0]}, {"id": "999999"}], "properties": ["email"]})
    assert isinstance(partial, BatchResponseSimplePublicObjectWithErrors)
    assert partial.errors[0].category == "OBJECT_NOT_FOUND" and partial.errors[0].context["ids"] == ["999999"]
    by_email = client.crm.contacts.batch_api.read({"inputs": [{"id": full.results[0].properties["email"]}],
                                                  "idProperty": "email", "properties": ["firstname"]})
    assert by_email.results[0].id == full.results[0].id


def test_batch_update_answers_200_then_207_for_a_missing_record(client, unique):
    ids = [r.id for r in client.crm.contacts.batch_api.create(
        {"inputs": [{"properties": {"email": unique()}} for _ in range(2)]}).results]
    updated = client.crm.contacts.batch_api.update({"inputs": [{"id": i, "properties": {"jobtitle": "QA"}} for i in ids]})
    assert isinstance(updated, BatchResponseSimplePublicObject)
    assert {r.properties["jobtitle"] for r in updated.results} == {"QA"}
    mixed = client.crm.contacts.batch_api.update({"inputs": [{"id": ids[0], "properties": {"jobtitle": "Lead QA"}},
                                                            {"id": "424242", "properties": {"jobtitle": "x"}}]})
    assert isinstance(mixed, BatchResponseSimplePublicObjectWithErrors)
    assert mixed.errors[0].category == "OBJECT_NOT_FOUND" and mixed.errors[0].context["id"] == ["424242"]
    with pytest.raises(ApiException) as duplicate:
        client.crm.contacts.batch_api.update({"inputs": [{"id": ids[0], "properties": {}},
                                                         {"id": ids[0], "properties": {}}]})
    assert "Duplicate IDs" in json.loads(duplicate.value.body)["message"]


def test_upsert_by_email_creates_then_updates(client, unique):
    email = unique("up")
    first = client.crm.contacts.batch_api.upsert({"inputs": [{"id": email, "idProperty": "email",
                                                              "properties": {"firstname": "Uma"}}]})
    assert isinstance(first, BatchResponseSimplePublicUpsertObject) and first.results[0].new is True
    assert first.results[0].properties["email"] == email
    second = client.crm.contacts.batch_api.upsert({"inputs": [{"id": email, "idProperty": "email",
                                                               "properties": {"firstname": "Umar"}}]})
    assert second.results[0].new is False and second.results[0].id == first.results[0].id
    assert second.results[0].properties["firstname"] == "Umar"
    not_unique = client.crm.contacts.batch_api.upsert({"inputs": [{"id": "x", "idProperty": "firstname",
                                                                   "properties": {}}]})
    assert isinstance(not_unique, BatchResponseSimplePublicUpsertObjectWithErrors)


def test_batch_archive_answers_204_and_skips_unknown_ids(client, unique):
    ids = [r.id for r in client.crm.contacts.batch_api.create(
        {"inputs": [{"properties": {"email": unique()}} for _ in range(2)]}).results]
    assert client.crm.contacts.batch_api.archive({"inputs": [{"id": i} for i in ids] + [{"id": "5"}]}) is None
    gone = client.crm.contacts.batch_api.read({"inputs": [{"id": i} for i in ids], "properties": ["email"]})
    assert gone.results == [] and sorted(gone.errors[0].context["ids"]) == sorted(ids)


def test_atomic_switch_fails_the_whole_batch(tmp_path):
    org = org_with(tmp_path, lambda p: p["switches"].update(batch_errors="atomic"))
    with Twin.start(org=str(org)) as twin:
        relaxed(twin)
        hs = hubspot_client(twin)
        with pytest.raises(ApiException) as refused:
            hs.crm.contacts.batch_api.create({"inputs": [{"properties": {"email": "ok@example.com"}},
                                                         {"properties": {"email": "x@example.com", "lifecyclestage": "no"}}]})
        assert refused.value.status == 400
        assert hs.crm.contacts.basic_api.get_page().results == []  # nothing written
