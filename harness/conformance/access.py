"""Writes and reads the integration user can make.

Field-level security: the integration user reads every mapped field that syncs to HubSpot and edits every field
HubSpot writes. Salesforce answers it through FieldPermissions of the permission sets (a profile is one too)
assigned to the user; required fields are always readable and editable, so they have no FieldPermissions row.

Records HubSpot creates: every required field (describe: not nillable, no default on create) is written by a mapping,
and no active validation rule refuses the record HubSpot would send (harness/conformance/formula.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from harness.conformance import integration_user, places
from harness.conformance.clauses import Clause, conforms, not_evaluated
from harness.conformance.formula import FormulaError, on_create
from harness.conformance.mappings import item
from harness.conformance.observed import Observed, reason_of
from harness.profile.mappings import FieldMapping
from harness.sync.rules import SyncRule

RANK = {"none": 0, "read": 1, "edit": 2}
WRITES_SALESFORCE = {SyncRule.TWO_WAY, SyncRule.PREFER_SALESFORCE_UNLESS_BLANK}  # HubSpot may write these


def _integration_user(observed: Observed) -> tuple[str, str | None]:
    profile = observed.profile
    username = (profile.selective_sync.integration_user if profile.selective_sync else None) or ""
    users = observed.users or {}
    match = next((uid for uid, u in users.items() if str(u.get("Username") or "").casefold() == username.casefold()),
                 None) if username else None
    return username, match


def field_security_clauses(observed: Observed) -> Iterator[Clause]:
    profile = observed.profile
    username, user_id = _integration_user(observed)
    rows = [(m, s) for m in profile.field_mappings if m.rule is not SyncRule.DONT_SYNC for s in m.salesforce_objects]
    owner = places.integration_owner(profile)
    expected = "readable (and editable where HubSpot writes) by the integration user"
    if integration_user.configured():
        levels = _levels_as_integration_user(observed, sorted({s for _m, s in rows}))
        if levels is not None:
            for m, sobject in rows:
                yield _security(observed, m, sobject, levels, os.environ[integration_user.VARIABLES[0]])
            return
    if not username or user_id is None:
        reason = ("the profile names no integration user (`selective_sync.integration_user`)" if not username else
                  f"the org has no user {username} (`selective_sync.integration_user`)")
        yield not_evaluated("field_security", "every mapped field", expected, reason,
                            places.profile_setting(profile, "selective_sync"), owner)
        return
    grants = observed.query(
        "field permissions", "SELECT SobjectType, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions "
        f"WHERE ParentId IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '{user_id}')")
    if grants is None:
        login = observed.why.get("integration user login") or (
            "no integration user login to describe as (" + ", ".join(integration_user.VARIABLES) + ")")
        yield not_evaluated("field_security", f"every mapped field, as {username}", expected,
                            f"the org does not answer FieldPermissions for the integration user "
                            f"({observed.why.get('field permissions')}) and {login}", "Salesforce Setup > Users > "
                            f"{username} > Permission Set Assignments", owner)
        return
    levels: dict[str, str] = {}
    for grant in grants:
        name = str(grant.get("Field") or "").lower()
        level = "edit" if grant.get("PermissionsEdit") else ("read" if grant.get("PermissionsRead") else "none")
        if RANK[level] >= RANK[levels.get(name, "none")]:
            levels[name] = level
    for m, sobject in rows:
        yield _security(observed, m, sobject, levels, username)


def _levels_as_integration_user(observed: Observed, sobjects: list[str]) -> dict[str, str] | None:
    """Object.field (lower case) -> none | read | edit, from describe answered for the integration user."""
    try:
        client = integration_user.login(observed.sandboxes)
    except Exception as error:
        observed.why["integration user login"] = f"the integration user's login failed ({reason_of(error)})"
        return None
    levels: dict[str, str] = {}
    for sobject in sobjects:
        try:
            described = client.call(f"describe {sobject} as the integration user", client.sobject(sobject).describe)
        except Exception:
            continue  # the object is hidden from the integration user: every field reads as "none"
        for field in described["fields"]:
            writable = field.get("updateable") or field.get("createable")
            levels[f"{sobject}.{field['name']}".lower()] = "edit" if writable else "read"
    return levels


def _security(observed: Observed, m: FieldMapping, sobject: str, levels: dict[str, str], username: str) -> Clause:
    name = item(m.hubspot_object, m.hubspot_property, sobject, m.salesforce_field)
    needs = "edit" if m.rule in WRITES_SALESFORCE else "read"
    owner = places.functional_owner(observed.profile, m.hubspot_object, m.hubspot_property)
    field = observed.sf_field(sobject, m.salesforce_field)
    if field is None:
        return not_evaluated("field_security", name, needs, "the field does not exist (see its field clause)",
                             places.field_security(sobject, m.salesforce_field), owner)
    level = levels.get(f"{sobject}.{m.salesforce_field}".lower(), "none")
    if not field.get("nillable", True) and field.get("createable") and level == "none":
        level = "edit"  # required fields are always readable and editable: FieldPermissions has no row for them
    ok = level == "edit" or (needs == "read" and level == "read")
    return conforms("field_security", name, f"{username} can {needs} it", f"{username} can {level}" if level != "none"
                    else f"{username} cannot see it", ok, places.field_security(sobject, m.salesforce_field), owner)


def _created_objects(observed: Observed) -> list[tuple[str, str]]:
    """(HubSpot object, Salesforce object) pairs HubSpot creates records of. Companies never create accounts (the
    connector creates accounts only through Salesforce); deals only when the deal setting creates opportunities."""
    settings = observed.connector_settings or {}
    objects = settings.get("objects") or {}
    mapped = {m.hubspot_object: set(m.salesforce_objects) for m in observed.profile.field_mappings}
    out: list[tuple[str, str]] = []
    if "contacts" in mapped:
        created = (objects.get("contacts") or {}).get("create_in_salesforce_as")
        out += [("contacts", created)] if created else [("contacts", s) for s in sorted(mapped["contacts"])]
    deals = objects.get("deals") or {}
    if "deals" in mapped and deals.get("on_hubspot_create") not in (None, "do_nothing"):
        out.append(("deals", "Opportunity"))
    return out


def required_clauses(observed: Observed) -> Iterator[Clause]:
    running = observed.mappings
    rows = [m for ms in running.values() for m in ms] if running is not None else observed.profile.field_mappings
    automation = None
    for hubspot_object, sobject in _created_objects(observed):
        owner = places.functional_owner(observed.profile, hubspot_object)
        described = observed.sobject(sobject)
        if described is None:
            continue  # the field clauses name a missing object
        written = {m.salesforce_field.lower() for m in rows if m.hubspot_object == hubspot_object
                   and sobject in m.salesforce_objects and m.rule in WRITES_SALESFORCE}
        for field in described.values():
            required = (field.get("createable") and not field.get("nillable", True)
                        and not field.get("defaultedOnCreate") and field.get("type") != "boolean")
            if not required:
                continue
            ok = field["name"].lower() in written
            yield conforms("required", f"{sobject}.{field['name']} (required on create)",
                           f"a mapping HubSpot writes fills it on every {sobject} it creates",
                           "a mapping fills it" if ok else "no mapping and no default fills it", ok,
                           places.salesforce_field(sobject, field["name"]), owner)
        if automation is None:
            automation = observed.salesforce_automation
        if automation is None:
            yield not_evaluated("required", f"{sobject} validation rules", "none refuses a record HubSpot creates",
                                observed.why.get("Salesforce automation", "unreadable"),
                                f"Salesforce Setup > Object Manager > {sobject} > Validation Rules", owner)
            continue
        for rule in automation.get("validation", []):
            if (rule.get("EntityDefinitionId") or "") != sobject or not rule.get("Active"):
                continue
            yield _validation(rule, sobject, written, owner)


def _validation(rule: dict, sobject: str, written: set[str], owner: str | None) -> Clause:
    name = str(rule.get("ValidationName") or rule.get("FullName") or "?")
    formula = str((rule.get("Metadata") or {}).get("errorConditionFormula") or "")
    label = f"{sobject} validation rule {name}"
    expected = "does not refuse the records HubSpot creates"
    where = places.validation_rule(sobject, name)
    try:
        fires = on_create(formula, lambda field: field.lower() in written)
    except FormulaError as error:
        return not_evaluated("required", label, expected, f"its formula could not be read ({error})", where, owner)
    if fires is None:
        return not_evaluated("required", label, expected, "its outcome depends on the values HubSpot sends; the "
                             "behaviour scenarios exercise it", where, owner)
    return conforms("required", label, expected, "refuses every record HubSpot creates" if fires else
                    "does not fire on create", not fires, where, owner)
