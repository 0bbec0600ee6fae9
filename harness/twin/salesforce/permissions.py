"""Who may see which field, as Salesforce's setup objects answer it: Profile, PermissionSet,
PermissionSetAssignment, FieldPermissions and ObjectPermissions, generated from the fixture's `access:` block.

On the platform a profile owns one permission set (IsOwnedByProfile = true) and every user is assigned it, plus any
named permission sets (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_permissionset.htm,
.../sforce_api_objects_permissionsetassignment.htm). Field-level security is the FieldPermissions rows of those
sets (.../sforce_api_objects_fieldpermissions.htm): Field is 'Object.Field', a row exists only where the field is
at least readable, and required fields, the owner and system fields have no row (they are always accessible).

In the twin a user without an `access:` entry has the System Administrator profile (every field read and edit);
a user with one has a profile of its own (`profile:` names it) whose permission set carries the entry's levels,
and the sets `permission_sets:` names are assigned beside it, granting nothing more. The rows are rebuilt at every
start from the fixture, so they always say what the access rules enforce; the objects are read-only here (a write
would not change what the twin enforces, so it is refused rather than silently ignored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ids import make_id
from .schema import FieldSchema, OrgSchema, SObjectSchema

if TYPE_CHECKING:
    from .models import SalesforceBackend

ADMIN_PROFILE = "System Administrator"
# Setup catalogues without field-level security of their own.
NO_FIELD_SECURITY = {"organization", "leadstatus", "group", "territory2model", "territory2type",
                     "userterritory2association", "objectterritory2association", "profile", "permissionset",
                     "permissionsetassignment", "fieldpermissions", "objectpermissions"}
OBJECT_FLAGS = ("PermissionsRead", "PermissionsCreate", "PermissionsEdit", "PermissionsDelete",
                "PermissionsViewAllRecords", "PermissionsModifyAllRecords")

_RO = {"createable": False, "updateable": False}


def _f(name: str, kind: str, label: str, length: int = 0, **extra: Any) -> FieldSchema:
    return FieldSchema(name, kind, label, length, **{**_RO, **extra})


def _stamp_fields() -> list[FieldSchema]:
    return [_f("CreatedDate", "datetime", "Created Date", system=True),
            _f("CreatedById", "reference", "Created By ID", 18, reference_to=["User"], relationship_name="CreatedBy",
               system=True),
            _f("LastModifiedDate", "datetime", "Last Modified Date", system=True),
            _f("LastModifiedById", "reference", "Last Modified By ID", 18, reference_to=["User"],
               relationship_name="LastModifiedBy", system=True),
            _f("SystemModstamp", "datetime", "System Modstamp", system=True)]


def _object(name: str, prefix: str, label: str, plural: str, fields: list[FieldSchema]) -> SObjectSchema:
    all_fields = [_f("Id", "id", f"{label} ID", 18, indexed=True, system=True), *fields]
    return SObjectSchema(name, prefix, label, plural, {f.name.lower(): f for f in all_fields}, createable=False)


def setup_objects() -> list[SObjectSchema]:
    """The objects' fields as the Object Reference lists them (the subset the twin fills)."""
    parent = {"reference_to": ["PermissionSet"], "relationship_name": "Parent", "indexed": True}
    return [
        _object("Profile", "00e", "Profile", "Profiles", [
            _f("Name", "string", "Name", 255), _f("Description", "string", "Description", 255),
            _f("UserType", "picklist", "User Type", 40, values=["Standard"]), *_stamp_fields()]),
        _object("PermissionSet", "0PS", "Permission Set", "Permission Sets", [
            _f("Name", "string", "Permission Set Name", 80), _f("Label", "string", "Permission Set Label", 80),
            _f("Description", "string", "Description", 255), _f("NamespacePrefix", "string", "Namespace Prefix", 15),
            _f("IsOwnedByProfile", "boolean", "Is Owned By Profile"), _f("IsCustom", "boolean", "Custom"),
            _f("ProfileId", "reference", "Profile ID", 18, reference_to=["Profile"], relationship_name="Profile",
               indexed=True), *_stamp_fields()]),
        _object("PermissionSetAssignment", "0Pa", "Permission Set Assignment", "Permission Set Assignments", [
            _f("AssigneeId", "reference", "Assignee ID", 18, reference_to=["User"], relationship_name="Assignee",
               child_relationship="PermissionSetAssignments", indexed=True),
            _f("PermissionSetId", "reference", "Permission Set ID", 18, reference_to=["PermissionSet"],
               relationship_name="PermissionSet", child_relationship="Assignments", indexed=True),
            _f("PermissionSetGroupId", "reference", "Permission Set Group ID", 18, reference_to=["PermissionSetGroup"],
               relationship_name="PermissionSetGroup"),
            _f("IsActive", "boolean", "Is Active"), _f("ExpirationDate", "datetime", "Expires On"),
            _f("SystemModstamp", "datetime", "Date Assigned", system=True)]),
        _object("FieldPermissions", "01k", "Field Permissions", "Field Permissions", [
            _f("ParentId", "reference", "Parent ID", 18, child_relationship="FieldPerms", **parent),
            _f("SobjectType", "picklist", "SObject Type Name", 40, restricted=True),
            _f("Field", "picklist", "Field Name", 40, restricted=True),
            _f("PermissionsRead", "boolean", "Read Field"), _f("PermissionsEdit", "boolean", "Edit Field"),
            _f("SystemModstamp", "datetime", "System Modstamp", system=True)]),
        _object("ObjectPermissions", "110", "Object Permissions", "Object Permissions", [
            _f("ParentId", "reference", "Parent ID", 18, child_relationship="ObjectPerms", **parent),
            _f("SobjectType", "picklist", "SObject Type Name", 40, restricted=True),
            *[_f(flag, "boolean", flag.removeprefix("Permissions")) for flag in OBJECT_FLAGS],
            _f("SystemModstamp", "datetime", "System Modstamp", system=True)]),
    ]


def add_setup_objects(schema: OrgSchema) -> list[SObjectSchema]:
    """Add the setup objects to the org's schema (a fixture that defines one itself keeps its own)."""
    added = []
    for sobject in setup_objects():
        if schema.sobject(sobject.name) is None and schema.by_prefix(sobject.key_prefix) is None:
            schema.objects[sobject.name.lower()] = sobject
            added.append(sobject)
    for sobject in added:  # child relationships, as load_org_schema derives them for the fixture's objects
        for f in sobject.fields.values():
            for target in f.reference_to:
                owner = schema.sobject(target)
                if f.child_relationship and owner is not None and owner.child(f.child_relationship) is None:
                    owner.child_relationships.append({"childSObject": sobject.name, "field": f.name,
                                                      "relationshipName": f.child_relationship})
    return added


def has_field_permissions(f: FieldSchema) -> bool:
    """Required fields, the owner and system fields are always readable (and editable where the field is): the
    platform keeps no FieldPermissions row for them."""
    return not (f.system or f.required or f.name == "OwnerId")


class PermissionCatalogue:
    """The setup rows for the org's users, from `Access` (the rules the twin enforces)."""

    def __init__(self, backend: SalesforceBackend, added: list[SObjectSchema]) -> None:
        self.backend = backend
        self.objects = {s.name for s in added}
        self._counters: dict[str, int] = {}

    def _id(self, prefix: str) -> str:
        self._counters[prefix] = self._counters.get(prefix, 0) + 1
        return make_id(prefix, self._counters[prefix])

    def _secured(self) -> list[SObjectSchema]:
        return [s for s in self.backend.schema.objects.values() if s.name.lower() not in NO_FIELD_SECURITY
                and not s.tooling]

    def _rows(self) -> dict[str, list[dict[str, Any]]]:
        b, stamp = self.backend, self.backend.stamp()
        access = b.access
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in
                                                ("Profile", "PermissionSet", "PermissionSetAssignment",
                                                 "FieldPermissions", "ObjectPermissions")}
        users = [r["Id"] for r in b.store.db.execute('SELECT "Id" FROM "sf_user" ORDER BY "Id"')] \
            if b.schema.sobject("User") is not None else []
        # One profile per distinct access entry (restricted users) and one System Administrator for everyone else.
        profile_of: dict[str, str] = {}
        profiles: dict[str, str | None] = {}  # profile name -> the user whose rules it carries (None: admin)
        for user_id in users:
            rules = access.users.get(user_id)
            name = (rules.profile if rules else None) or (f"Custom: {access.alias_of(user_id)}" if rules
                                                          else ADMIN_PROFILE)
            profiles.setdefault(name, user_id if rules else None)
            profile_of[user_id] = name
        set_ids: dict[str, str] = {}
        for name, carrier in profiles.items():
            profile_id = self._id("00e")
            out["Profile"].append({"Id": profile_id, "Name": name, "UserType": "Standard", "CreatedDate": stamp,
                                   "LastModifiedDate": stamp, "SystemModstamp": stamp})
            # The profile's own set is named by the platform, not by the admin (e.g. X00ex000000abcd).
            set_id = set_ids[name] = self._id("0PS")
            out["PermissionSet"].append({"Id": set_id, "Name": f"X{profile_id[:15]}", "Label": set_id[:15],
                                         "IsOwnedByProfile": 1, "IsCustom": int(carrier is not None),
                                         "ProfileId": profile_id, "CreatedDate": stamp, "LastModifiedDate": stamp,
                                         "SystemModstamp": stamp})
            self._grants(out, set_id, carrier, stamp)
        named: dict[str, str] = {}
        for user_id in users:
            out["PermissionSetAssignment"].append(self._assignment(user_id, set_ids[profile_of[user_id]], stamp))
            rules = access.users.get(user_id)
            for set_name in rules.permission_sets if rules else []:
                if set_name not in named:
                    named[set_name] = self._id("0PS")
                    out["PermissionSet"].append({"Id": named[set_name], "Name": set_name,
                                                 "Label": set_name.replace("_", " "), "IsOwnedByProfile": 0,
                                                 "IsCustom": 1, "CreatedDate": stamp, "LastModifiedDate": stamp,
                                                 "SystemModstamp": stamp})
                out["PermissionSetAssignment"].append(self._assignment(user_id, named[set_name], stamp))
        return out

    def _assignment(self, user_id: str, set_id: str, stamp: str) -> dict[str, Any]:
        return {"Id": self._id("0Pa"), "AssigneeId": user_id, "PermissionSetId": set_id, "IsActive": 1,
                "SystemModstamp": stamp}

    def _grants(self, out: dict[str, list[dict[str, Any]]], set_id: str, user_id: str | None, stamp: str) -> None:
        access = self.backend.access
        for sobject in self._secured():
            level = access.object_level(user_id, sobject) if user_id else "all"
            if level == "none":
                continue  # no object access: neither object nor field permissions
            flags = {"read": (1, 0, 0, 0, 0, 0), "edit": (1, 1, 1, 0, 0, 0), "all": (1, 1, 1, 1, 1, 1)}[level]
            if not sobject.createable:
                flags = (1, 0, 0, 0, 1, 0)
            out["ObjectPermissions"].append({"Id": self._id("110"), "ParentId": set_id, "SobjectType": sobject.name,
                                             **dict(zip(OBJECT_FLAGS, flags, strict=True)), "SystemModstamp": stamp})
            for f in sobject.fields.values():
                if not has_field_permissions(f):
                    continue
                fls = access.field_access(user_id, sobject, f.name) if user_id else "edit"
                if fls == "none":
                    continue  # a row without read is deleted on the platform: no row is how "hidden" reads
                editable = fls == "edit" and (f.createable or f.updateable) and not f.calculated
                out["FieldPermissions"].append({"Id": self._id("01k"), "ParentId": set_id, "SobjectType": sobject.name,
                                                "Field": f"{sobject.name}.{f.name}", "PermissionsRead": 1,
                                                "PermissionsEdit": int(editable), "SystemModstamp": stamp})

    def refresh(self) -> None:
        """Rebuild the rows: ids are stable for one fixture, and always say what the access rules enforce."""
        if not self.objects:
            return
        self._counters = {}
        rows = self._rows()
        schema = self.backend.schema
        names = sorted({r["SobjectType"] for r in rows["ObjectPermissions"]})
        schema.sobject("FieldPermissions").field("SobjectType").values = names
        schema.sobject("FieldPermissions").field("Field").values = [
            f"{s.name}.{f.name}" for s in self._secured() for f in s.fields.values() if has_field_permissions(f)]
        schema.sobject("ObjectPermissions").field("SobjectType").values = names
        with self.backend.store.transaction() as db:
            for name, records in rows.items():
                if name not in self.objects:
                    continue
                table = schema.sobject(name).table
                db.execute(f'DELETE FROM "{table}"')
                for record in records:
                    columns = list(record)
                    db.execute(f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
                               f'VALUES ({", ".join("?" * len(columns))})', [record[c] for c in columns])
