"""The harness and the twin each keep a table of which HubSpot field types may map to which Salesforce types (the
twin never imports the harness). They answer different questions, so they may differ, but only where pinned here:

- the harness's table (harness/sync/compat.py) is what `uat lint` lets a *governed* profile map: the compatible
  families HubSpot's knowledge base lists;
- the twin's table (harness/twin/connector/compat.py) is what its connector *runs* from an org fixture: the pairs
  HubSpot's mapping screen lets an admin save, including the ones that fail later at sync time (a text property on a
  picklist field is how a free-text country drifts into a restricted picklist). The twin must be able to run such a
  misconfiguration, or the harness could never be shown to catch it.

A change to either table that is not listed here fails this test: decide which question it answers, then pin it.
"""

from __future__ import annotations

from types import SimpleNamespace

from harness.sync import HUBSPOT_OBJECT, LINK_PROPERTY, LINKED_SOBJECT, LINKS, SyncRule
from harness.sync.compat import COMPATIBLE, SALESFORCE_FIELD_TYPES, compatible
from harness.twin.connector.compat import compatible as twin_compatible
from harness.twin.connector.settings import SyncRule as TwinSyncRule

# HubSpot field type (harness) -> (type, fieldType) of a HubSpot property definition (twin).
AS_PROPERTY = {
    "select": ("enumeration", "select"), "radio": ("enumeration", "radio"), "checkbox": ("enumeration", "checkbox"),
    "booleancheckbox": ("enumeration", "booleancheckbox"), "number": ("number", "number"),
    "text": ("string", "text"), "textarea": ("string", "textarea"), "date": ("date", "date"),
    "phonenumber": ("phone_number", "phonenumber"),
}

# Pairs the twin's connector runs but `uat lint` refuses in a governed profile, by reason.
SAVED_BUT_NOT_GOVERNED = {
    # A dropdown's internal value written to a text or checkbox field: HubSpot saves it, the values then drift.
    ("select", "boolean"), ("select", "combobox"), ("select", "string"),
    ("radio", "boolean"), ("radio", "combobox"), ("radio", "string"),
    # Free text on a picklist, lookup or encrypted field: saved, refused at sync time (INVALID_OPTION, bad id).
    ("text", "combobox"), ("text", "encryptedstring"), ("text", "picklist"), ("text", "reference"),
    ("textarea", "combobox"), ("textarea", "email"), ("textarea", "encryptedstring"), ("textarea", "id"),
    ("textarea", "phone"), ("textarea", "picklist"), ("textarea", "reference"), ("textarea", "string"),
    ("textarea", "url"), ("phonenumber", "textarea"),
}
# Pairs `uat lint` accepts that the twin's connector does not model: its org fixtures have no `long` fields.
GOVERNED_BUT_NOT_MODELLED = {("number", "long")}


def _disagreements() -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    twin_only, harness_only = set(), set()
    for hubspot_type, (kind, field_type) in AS_PROPERTY.items():
        prop = SimpleNamespace(type=kind, field_type=field_type)
        for salesforce_type in SALESFORCE_FIELD_TYPES:
            ours, theirs = compatible(hubspot_type, salesforce_type), twin_compatible(prop, salesforce_type)
            if theirs and not ours:
                twin_only.add((hubspot_type, salesforce_type))
            elif ours and not theirs:
                harness_only.add((hubspot_type, salesforce_type))
    return twin_only, harness_only


def test_every_governed_hubspot_type_is_compared():
    assert set(COMPATIBLE) <= set(AS_PROPERTY)


def test_the_two_compatibility_tables_differ_only_where_pinned():
    twin_only, harness_only = _disagreements()
    assert twin_only == SAVED_BUT_NOT_GOVERNED
    assert harness_only == GOVERNED_BUT_NOT_MODELLED


def test_the_twin_names_the_sync_rules_as_the_harness_does():
    assert {rule.value for rule in TwinSyncRule} == {rule.value for rule in SyncRule}


def test_object_pairs_and_link_properties_agree():
    assert set(LINK_PROPERTY) == set(HUBSPOT_OBJECT) == set(LINKED_SOBJECT.values())
    for hubspot_object, links in LINKS.items():
        for prop, sobject in links:
            assert HUBSPOT_OBJECT[sobject] == hubspot_object
            assert LINK_PROPERTY[sobject] == prop
