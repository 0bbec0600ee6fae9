"""The connector fixture: healthy equals the shipped profile's mappings; bad input is one clear line; every switch
and every settings key is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from harness.profile import load_mappings
from harness.profile.loader import load_profile
from harness.twin import Twin
from harness.twin.connector.settings import SettingsError, load_settings, parse_settings
from harness.twin.connector.switches import SWITCHES
from tests.twin.connector.conftest import ORGS

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs" / "twin-connector.md"


def as_rows(object_type: str, mappings) -> list[tuple[str, str, tuple[str, ...], str]]:
    return [(m.hubspot, m.salesforce, tuple(m.salesforce_objects), m.rule.value) for m in mappings]


@pytest.mark.parametrize("object_type", ["contacts", "companies", "deals"])
def test_healthy_connector_mappings_equal_the_profiles_mapping_csv(object_type: str):
    profile = load_profile(ROOT / "fixtures" / "profiles" / "default.yaml")
    csv_path = profile.mapping_files()[object_type]
    expected = [(m.hubspot_property, m.salesforce_field, tuple(m.salesforce_objects), m.rule.value)
                for m in load_mappings(csv_path, object_type)]
    actual = as_rows(object_type, load_settings(ORGS / "healthy" / "connector.yaml").mappings[object_type])
    assert actual == expected, f"healthy/connector.yaml mappings.{object_type} must mirror {csv_path.name} row for row"


def test_every_org_fixture_loads():
    for org in sorted(p for p in ORGS.iterdir() if (p / "connector.yaml").exists()):
        load_settings(org / "connector.yaml")


@pytest.mark.parametrize("raw, expected", [
    ({"objects": {"contacts": {"create_in_salesforce_as": "Account"}}},
     "objects.contacts.create_in_salesforce_as: 'Account' is not allowed"),
    ({"mappings": {"contacts": [{"hubspot": "email", "salesforce": "Email", "rule": "Mostly"}]}},
     "mappings.contacts[0].rule: 'Mostly' is not a sync rule"),
    ({"mappings": {"contacts": [{"hubspot": "email", "salesforce": "Email", "rule": "Two-way"},
                                {"hubspot": "email", "salesforce": "Email", "rule": "Two-way"}]}},
     "mappings.contacts[1]: email is mapped twice on Lead"),
    ({"mappings": {"deals": [{"hubspot": "dealname", "salesforce": "Name", "rule": "Two-way",
                              "salesforce_objects": ["Lead"]}]}},
     "mappings.deals[0].salesforce_objects: Lead does not sync with HubSpot deals"),
    ({"objcts": {}}, "objcts: unknown setting"),
    ({"switches": {"salesforce_merge": "explode"}}, "switches.salesforce_merge: 'explode' is not allowed"),
    ({"switches": {"made_up": True}}, "switches.made_up: unknown switch"),
    ({"api": {"allocated_to_hubspot": 0}}, "api.allocated_to_hubspot: Input should be greater than or equal to 1"),
])
def test_bad_settings_name_the_file_and_key(raw, expected):
    with pytest.raises(SettingsError) as error:
        parse_settings(raw, "orgs/x/connector.yaml")
    message = str(error.value)
    assert message.startswith("orgs/x/connector.yaml: ") and expected in message
    assert "\n" not in message


def test_a_type_incompatible_pair_stops_the_twin_with_the_mapping_named(tmp_path: Path):
    from tests.twin.connector.conftest import derive_org

    def checkbox_to_number(data):
        data["mappings"]["contacts"].append({"hubspot": "salesforcedeleted", "salesforce": "NumberOfEmployees",
                                             "rule": "Two-way", "salesforce_objects": ["Lead"]})

    org = derive_org(tmp_path / "bad", connector=checkbox_to_number)
    with pytest.raises(SettingsError, match=r"mappings\.contacts\[14\]: HubSpot salesforcedeleted \(bool, "
                                            r"booleancheckbox\) cannot map to Salesforce Lead\.NumberOfEmployees \(int\)"):
        Twin.start(org=str(org))


def test_a_mapped_field_that_no_longer_exists_is_a_field_mapping_error_at_sync_time(org, start):
    def ghost(data):
        data["mappings"]["contacts"].append({"hubspot": "website", "salesforce": "Ghost__c", "rule": "Two-way",
                                             "salesforce_objects": ["Contact"]})

    both = start(org(connector=ghost))
    both.sf.Contact.create({"LastName": "Ghost", "Email": "ghost@example.com"})
    both.sync()
    [error] = both.errors("field_mappings")
    assert error["code"] == "INVALID_FIELD" and "Ghost__c" in error["message"]


def test_every_switch_and_settings_section_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for name in SWITCHES:
        assert f"`{name}`" in text, f"docs/twin-connector.md does not document switch {name}"
    raw = yaml.safe_load((ORGS / "healthy" / "connector.yaml").read_text(encoding="utf-8"))
    for key in raw:
        assert re.search(rf"`{key}|^\s*{key}:", text, re.M), f"docs/twin-connector.md does not document settings key {key}"
