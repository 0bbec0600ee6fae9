"""The integration user's view: record visibility (selective sync), field-level security, object permissions."""

from __future__ import annotations

import pytest
from simple_salesforce.exceptions import SalesforceMalformedRequest, SalesforceResourceNotFound

from harness.twin.salesforce import exceptions as err
from harness.twin.salesforce.models import SaveContext

from .conftest import client
from .soap_client import post


def _login(twin, username: str, password: str) -> str:
    _, root = post(client(twin), f"<urn:login><urn:username>{username}</urn:username>"
                                 f"<urn:password>{password}</urn:password></urn:login>")
    return root.find(".//{urn:partner.soap.sforce.com}sessionId").text


@pytest.fixture
def restricted(make_org, start_twin):
    org = make_org({"access": {"integration": {
        "objects": {"Case": "none", "Opportunity": "read"},
        "records": {"Lead": "OwnerId != '@owner_apac'"},
        "fields": {"Lead": {"Rating": "none", "Lifecycle_Stage__c": "read"}}}}})
    twin = start_twin(org)
    admin = client(twin)
    apac = admin.query("SELECT Id FROM User WHERE Alias = 'atanaka'")["records"][0]["Id"]
    visible = admin.Lead.create({"LastName": "Visible", "Company": "V", "Rating": "Hot"})["id"]
    hidden = admin.Lead.create({"LastName": "Hidden", "Company": "H", "OwnerId": apac})["id"]
    session = _login(twin, "hubspot.integration@acme-uat.example.com", "twin-integration-passTWINTOKENINT")
    return twin, client(twin, session), visible, hidden


def test_records_outside_the_users_visibility_do_not_exist_for_it(restricted):
    twin, integration, visible, hidden = restricted
    assert [r["Id"] for r in integration.query("SELECT Id FROM Lead")["records"]] == [visible]
    with pytest.raises(SalesforceResourceNotFound):
        integration.Lead.get(hidden)
    backend = twin.salesforce
    lead = backend.sobject("Lead")
    assert backend.access.can_read(backend.integration_user_id, lead, {"Id": visible}) is True
    assert backend.access.can_read(backend.integration_user_id, lead, {"Id": hidden}) is False
    sql, params = backend.access.visible_where(backend.integration_user_id, lead)
    rows = backend.store.db.execute(f'SELECT "Id" FROM "{lead.table}" WHERE {sql}', params).fetchall()
    assert [r["Id"] for r in rows] == [visible]
    with pytest.raises(err.InsufficientAccess):
        backend.update("Lead", hidden, {"Title": "x"}, SaveContext(user_id=backend.integration_user_id))


def test_field_level_security_hides_and_protects_fields(restricted):
    _twin, integration, visible, _hidden = restricted
    record = integration.Lead.get(visible)
    assert "Rating" not in record and "Lifecycle_Stage__c" in record
    with pytest.raises(SalesforceMalformedRequest) as hidden_field:
        integration.query("SELECT Rating FROM Lead")
    assert hidden_field.value.content[0]["errorCode"] == "INVALID_FIELD"
    with pytest.raises(SalesforceMalformedRequest) as read_only:
        integration.Lead.update(visible, {"Lifecycle_Stage__c": "lead"})
    assert read_only.value.content[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    fields = {f["name"]: f for f in integration.Lead.describe()["fields"]}
    assert "Rating" not in fields and fields["Lifecycle_Stage__c"]["updateable"] is False


def test_object_permissions(restricted):
    _twin, integration, _visible, _hidden = restricted
    with pytest.raises(SalesforceMalformedRequest) as no_cases:
        integration.query("SELECT Id FROM Case")
    assert no_cases.value.content[0]["errorCode"] == "INVALID_TYPE"
    assert integration.query("SELECT COUNT() FROM Opportunity")["totalSize"] == 0
    with pytest.raises(SalesforceMalformedRequest) as read_only:
        integration.Opportunity.create({"Name": "x", "StageName": "Prospecting", "CloseDate": "2026-01-01"})
    assert read_only.value.content[0]["errorCode"] == "INSUFFICIENT_ACCESS_OR_READONLY"
    assert "Case" not in {s["name"] for s in integration.describe()["sobjects"]}
