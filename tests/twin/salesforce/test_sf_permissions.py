"""Field-level security as Salesforce's setup objects answer it: PermissionSet, PermissionSetAssignment,
FieldPermissions (and Profile, ObjectPermissions), read through the real simple-salesforce client."""

from __future__ import annotations

import pytest

from harness.twin.salesforce.schema import SchemaError

from .conftest import client

INTEGRATION = "hubspot.integration@acme-uat.example.com"
# The query the configuration-conformance phase runs against a real org (harness/conformance/access.py).
CONFORMANCE = ("SELECT SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId IN "
               "(SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '{user}')")


def _user_id(sf, username: str = INTEGRATION) -> str:
    return sf.query(f"SELECT Id FROM User WHERE Username = '{username}'")["records"][0]["Id"]


def _grants(sf, username: str = INTEGRATION) -> dict[str, tuple[bool, bool]]:
    rows = sf.query_all(CONFORMANCE.format(user=_user_id(sf, username)))["records"]
    assert all(r["Field"].startswith(r["SobjectType"] + ".") for r in rows)
    return {r["Field"]: (r["PermissionsRead"], r["PermissionsEdit"]) for r in rows}


@pytest.fixture
def restricted(make_org, start_twin):
    org = make_org({"access": {"integration": {
        "profile": "HubSpot Integration", "permission_sets": ["HubSpot_Integration_Permissions"],
        "objects": {"Case": "none"},
        "fields": {"Lead": {"Rating": "none", "Lifecycle_Stage__c": "read"}, "Contact": {"MQL_Date__c": "read"}}}}})
    return client(start_twin(org))


def test_a_system_administrator_reads_and_edits_every_field_that_has_field_permissions(twin):
    grants = _grants(client(twin))
    assert grants["Contact.MQL_Date__c"] == (True, True)
    assert grants["Lead.Rating"] == (True, True)
    assert grants["Account.Industry"] == (True, True)
    # Required fields, the owner and system fields have no row: they are always accessible.
    for absent in ("Lead.LastName", "Lead.Company", "Account.Name", "Lead.OwnerId", "Lead.Id", "Lead.CreatedDate"):
        assert absent not in grants
    # A formula field is readable, never editable.
    assert grants["User.Name"] == (True, False)
    # Describe says why the owner needs no row: it is never blank and is filled on create.
    owner = next(f for f in client(twin).Lead.describe()["fields"] if f["name"] == "OwnerId")
    assert (owner["nillable"], owner["defaultedOnCreate"], owner["updateable"]) == (False, True, True)


def test_the_conformance_query_returns_what_a_restricted_access_entry_implies(restricted):
    grants = _grants(restricted)
    assert "Lead.Rating" not in grants  # hidden: no row (a row without read does not exist on the platform)
    assert grants["Lead.Lifecycle_Stage__c"] == (True, False)
    assert grants["Contact.MQL_Date__c"] == (True, False)
    assert grants["Lead.Title"] == (True, True)
    assert not any(field.startswith("Case.") for field in grants)  # no object access, no field permissions
    # Everyone else keeps the System Administrator profile.
    admin = _grants(restricted, "uat.runner@acme-uat.example.com")
    assert admin["Lead.Rating"] == (True, True) and admin["Lead.Lifecycle_Stage__c"] == (True, True)


def test_each_user_has_a_profile_owned_permission_set_plus_its_named_sets(restricted):
    user = _user_id(restricted)
    assigned = restricted.query("SELECT PermissionSet.Name, PermissionSet.IsOwnedByProfile, PermissionSet.Profile.Name "
                                f"FROM PermissionSetAssignment WHERE AssigneeId = '{user}'")["records"]
    sets = {(a["PermissionSet"]["IsOwnedByProfile"], (a["PermissionSet"]["Profile"] or {}).get("Name"),
             a["PermissionSet"]["Name"] if not a["PermissionSet"]["IsOwnedByProfile"] else None) for a in assigned}
    assert sets == {(True, "HubSpot Integration", None), (False, None, "HubSpot_Integration_Permissions")}
    owned = restricted.query("SELECT Profile.Name FROM PermissionSet WHERE IsOwnedByProfile = true")["records"]
    assert sorted(p["Profile"]["Name"] for p in owned) == ["HubSpot Integration", "System Administrator"]
    users = restricted.query("SELECT COUNT() FROM User")["totalSize"]
    profile_owned = restricted.query("SELECT COUNT() FROM PermissionSetAssignment WHERE PermissionSetId IN "
                                     "(SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true)")["totalSize"]
    assert profile_owned == users


def test_object_permissions_follow_the_access_entry(restricted):
    user = _user_id(restricted)
    rows = restricted.query("SELECT SobjectType, PermissionsRead, PermissionsEdit FROM ObjectPermissions WHERE "
                            "ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = "
                            f"'{user}')")["records"]
    by_object = {r["SobjectType"]: r for r in rows}
    assert "Case" not in by_object and by_object["Lead"]["PermissionsEdit"] is True


def test_field_permissions_is_described(twin):
    described = client(twin).FieldPermissions.describe()
    fields = {f["name"]: f for f in described["fields"]}
    assert set(fields) == {"Id", "ParentId", "SobjectType", "Field", "PermissionsRead", "PermissionsEdit",
                           "SystemModstamp"}
    assert fields["ParentId"]["referenceTo"] == ["PermissionSet"] and fields["ParentId"]["relationshipName"] == "Parent"
    assert fields["Field"]["type"] == "picklist" and fields["PermissionsEdit"]["type"] == "boolean"
    assert {"value": "Contact.MQL_Date__c"}.items() <= next(
        v for v in fields["Field"]["picklistValues"] if v["value"] == "Contact.MQL_Date__c").items()
    assert described["createable"] is False  # read-only in the twin: the access: block is the one source
    names = {s["name"] for s in client(twin).describe()["sobjects"]}
    assert {"PermissionSet", "PermissionSetAssignment", "FieldPermissions", "ObjectPermissions", "Profile"} <= names


def test_two_users_naming_one_profile_must_share_its_rules(make_org, start_twin):
    org = make_org({"access": {"integration": {"profile": "Shared", "fields": {"Lead": {"Rating": "none"}}},
                               "owner_na": {"profile": "Shared"}}})
    with pytest.raises(SchemaError) as broken:
        start_twin(org)
    assert "access.owner_na.profile: 'Shared' is also the profile of integration" in str(broken.value)
    assert "salesforce.yaml" in str(broken.value)


def test_permission_sets_must_be_api_names(make_org, start_twin):
    org = make_org({"access": {"integration": {"permission_sets": ["HubSpot Integration"]}}})
    with pytest.raises(SchemaError, match=r"access\.integration\.permission_sets: a list of permission set API names"):
        start_twin(org)
