"""Error bodies worded as HubSpot words them: code that matches on HubSpot's messages must match on the twin's too.

Each expected message is one HubSpot's live API sends, as recorded in public bug reports:
- batch read, missing ids: "Could not get some CONTACT objects, ..." (singular type name)
  https://github.com/HubSpot/hubspot-api-ruby/issues/403 shows the 207 shape; the wording is in many recorded payloads
- a record id that names nothing: "Object not found.  objectId are usually numeric." (two spaces), context.id
  https://github.com/HubSpot/hubspot-api-nodejs/issues/669
- an association to a record that does not exist: "One or more associations are invalid", INVALID_OBJECT_IDS
  https://github.com/HubSpot/hubspot-api-nodejs/issues/646
"""

from __future__ import annotations

import json

import pytest
from hubspot.crm.associations.v4.exceptions import ApiException as AssociationsApiException
from hubspot.crm.associations.v4.models import BatchResponsePublicAssociationMultiWithLabelWithErrors
from hubspot.crm.companies.models import BatchResponseSimplePublicObjectWithErrors as CompaniesWithErrors
from hubspot.crm.contacts.exceptions import ApiException
from hubspot.crm.contacts.models import BatchResponseSimplePublicObjectWithErrors


def test_batch_read_names_the_object_type_in_the_singular(client, unique):
    made = client.crm.contacts.basic_api.create({"properties": {"email": unique()}})
    partial = client.crm.contacts.batch_api.read({"inputs": [{"id": made.id}, {"id": "999999"}], "properties": ["email"]})
    assert isinstance(partial, BatchResponseSimplePublicObjectWithErrors)
    assert partial.errors[0].message == ("Could not get some CONTACT objects, they may be deleted or not exist. "
                                         "Check that ids are valid.")
    companies = client.crm.companies.batch_api.read({"inputs": [{"id": "999998"}], "properties": ["name"]})
    assert isinstance(companies, CompaniesWithErrors)
    assert companies.errors[0].message.startswith("Could not get some COMPANY objects")


def test_a_missing_record_is_hubspots_404_naming_the_id(client):
    with pytest.raises(ApiException) as missing:
        client.crm.contacts.basic_api.get_by_id("999997")
    body = json.loads(missing.value.body)
    assert missing.value.status == 404 and body["category"] == "OBJECT_NOT_FOUND"
    assert body["message"] == "Object not found.  objectId are usually numeric." and body["context"] == {"id": ["999997"]}
    with pytest.raises(ApiException) as update:
        client.crm.contacts.basic_api.update("999996", {"properties": {"firstname": "X"}})
    assert update.value.status == 404 and json.loads(update.value.body)["context"] == {"id": ["999996"]}


def test_associating_a_record_that_does_not_exist_is_a_400_naming_it(client, unique):
    made = client.crm.contacts.basic_api.create({"properties": {"email": unique()}})
    with pytest.raises(AssociationsApiException) as invalid:
        client.crm.associations.v4.basic_api.create("contacts", made.id, "companies", "424242",
                                                    [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}])
    body = json.loads(invalid.value.body)
    assert invalid.value.status == 400 and body["category"] == "VALIDATION_ERROR"
    assert body["message"] == "One or more associations are invalid"
    assert body["context"] == {"INVALID_OBJECT_IDS": ["COMPANY=424242 is not valid"], "objectId": ["424242"],
                               "objectType": ["COMPANY"]}
    with pytest.raises(AssociationsApiException) as bad_type:
        client.crm.associations.v4.basic_api.create("contacts", made.id, "companies", made.id,
                                                    [{"associationCategory": "USER_DEFINED", "associationTypeId": 987654}])
    assert json.loads(bad_type.value.body)["context"]["INVALID_ASSOCIATION_TYPE_ID"] == [
        "USER_DEFINED=987654 is not a valid association definition id"]


def test_a_batch_association_read_names_both_types_in_the_singular(client, unique):
    made = client.crm.contacts.basic_api.create({"properties": {"email": unique()}})
    read = client.crm.associations.v4.batch_api.get_page("contacts", "companies", {"inputs": [{"id": made.id}]})
    assert isinstance(read, BatchResponsePublicAssociationMultiWithLabelWithErrors)
    error = read.errors[0]
    assert error.message == f"No company is associated with contact {made.id}."
    assert error.sub_category == "crm.associations.NO_ASSOCIATIONS_FOUND"
    assert error.context == {"fromObjectId": [made.id], "fromObjectType": ["contact"], "toObjectType": ["company"]}


def test_a_workflow_detail_carries_every_property_the_v4_spec_requires(portal_twin, raw):
    flows = raw.get(f"{portal_twin.hubspot_url}/automation/v4/flows").json()["results"]
    assert flows, "the healthy portal has workflows"
    detail = raw.get(f"{portal_twin.hubspot_url}/automation/v4/flows/{flows[0]['id']}").json()
    assert detail["crmObjectCreationStatus"] == "COMPLETE"
    required = {"actions", "blockedDates", "createdAt", "crmObjectCreationStatus", "customProperties", "dataSources",
                "flowType", "id", "isEnabled", "nextAvailableActionId", "objectTypeId", "revisionId", "timeWindows", "type",
                "updatedAt"}
    assert required <= set(detail)
