"""Mapping CSVs in HubSpot's export shape: every bad row is one line naming the file and the row."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.errors import UserError
from harness.profile import load_mappings, load_profile
from harness.profile.mappings import write_mappings

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("HubSpot property,HubSpot property internal name,HubSpot field type,Salesforce object,Salesforce field,"
          "Salesforce field API name,Salesforce field type,Sync rule\n")


def write(tmp_path: Path, *rows: str, name: str = "contacts.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def error_of(path: Path, hubspot_object: str = "contacts", **kwargs) -> str:
    with pytest.raises(UserError) as error:
        load_mappings(path, hubspot_object, **kwargs)
    return str(error.value)


def test_the_shipped_csvs_load_with_types_and_labels():
    mappings = load_profile(ROOT / "fixtures" / "profiles" / "default.yaml").field_mappings
    lifecycle = next(m for m in mappings if m.hubspot_property == "lifecyclestage")
    assert (lifecycle.hubspot_type, lifecycle.salesforce_type, lifecycle.salesforce_objects) == \
        ("radio", "picklist", ("Lead", "Contact"))
    assert lifecycle.hubspot_label == "Lifecycle Stage" and lifecycle.where.endswith("contacts.csv:10")


def test_duplicate_row_names_both_rows(tmp_path):
    path = write(tmp_path, "Email,email,text,Lead,Email,Email,email,Two-way", "E-mail,email,text,Lead,Email 2,Email2__c,email,Two-way")
    assert error_of(path) == f"{path}:3: duplicate mapping for email on Lead (first at row 2); keep one row per HubSpot " \
        "property and Salesforce object"


def test_one_salesforce_field_from_two_properties(tmp_path):
    path = write(tmp_path, "Email,email,text,Lead,Email,Email,email,Two-way", "Work email,work_email,text,Lead,Email,Email,email,Two-way")
    assert "Lead.Email is already mapped from email at row 2" in error_of(path)


def test_label_instead_of_internal_name(tmp_path):
    path = write(tmp_path, "First Name,First Name,text,Lead,First Name,FirstName,string,Two-way")
    assert error_of(path).startswith(f"{path}:2: HubSpot property 'First Name' is not an internal name")


def test_type_incompatible_pair(tmp_path):
    path = write(tmp_path, "Lifecycle,lifecyclestage,radio,Lead,Created,CreatedDate,datetime,Two-way")
    assert "lifecyclestage (radio) cannot be mapped to CreatedDate (datetime)" in error_of(path)


def test_salesforce_object_that_does_not_sync_with_the_hubspot_object(tmp_path):
    path = write(tmp_path, "Name,name,text,Opportunity,Name,Name,string,Two-way", name="companies.csv")
    assert "Salesforce object 'Opportunity' does not sync with HubSpot companies; use Account" in error_of(path, "companies")


def test_unknown_property_or_field_against_a_schema(tmp_path):
    path = write(tmp_path, "Fax,fax,text,Lead,Fax,Fax,phone,Two-way")
    schema = {"hubspot.contacts": {"email": "text"}, "Lead": {"Email": "email", "Fax": "phone"}}
    assert error_of(path, schema=schema) == f"{path}:2: HubSpot contacts has no property 'fax'; create it in the " \
        "portal or fix the internal name"
    schema = {"hubspot.contacts": {"fax": "text"}, "Lead": {"Email": "email"}}
    assert "Salesforce Lead has no field 'Fax'" in error_of(path, schema=schema)


def test_missing_column_and_short_row(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("HubSpot property internal name,Salesforce object,Sync rule\nemail,Lead,Two-way\n")
    assert error_of(path).startswith(f"{path}:1: missing column(s) Salesforce field API name")
    short = write(tmp_path, "Email,email,text,Lead")
    assert error_of(short).startswith(f"{short}:2: row has 4 cells, the header has 8")


def test_write_then_read_round_trips(tmp_path):
    original = load_profile(ROOT / "fixtures" / "profiles" / "default.yaml").field_mappings
    contacts = [m for m in original if m.hubspot_object == "contacts"]
    write_mappings(tmp_path / "contacts.csv", contacts)
    again = load_mappings(tmp_path / "contacts.csv", "contacts")
    assert [(m.hubspot_property, m.salesforce_objects, m.salesforce_field, m.rule, m.hubspot_type) for m in again] == \
        [(m.hubspot_property, m.salesforce_objects, m.salesforce_field, m.rule, m.hubspot_type) for m in contacts]


def test_profile_cross_field_errors_name_the_line(tmp_path):
    text = (ROOT / "fixtures" / "profiles" / "default.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "profiles" / "bad.yaml"
    bad.parent.mkdir()
    (tmp_path / "mappings").mkdir()
    for csv_file in (ROOT / "fixtures" / "mappings").glob("*.csv"):
        (tmp_path / "mappings" / csv_file.name).write_text(csv_file.read_text())
    bad.write_text(text.replace("salesforce_owns_from: salesqualifiedlead", "salesforce_owns_from: sql"))
    with pytest.raises(UserError) as error:
        load_profile(bad)
    line = next(n for n, t in enumerate(bad.read_text().splitlines(), 1) if t.startswith("lifecycle:"))
    assert str(error.value).startswith(f"{bad}:{line}: lifecycle: salesforce_owns_from 'sql' is not one of the active")
