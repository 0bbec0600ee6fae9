"""`uat mappings export`: the mappings in HubSpot's export shape, labels and types from what the target
describes; with `--connector`, the mappings the twin's connector is really running."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from harness.profile.mappings import load_mappings

ROOT = Path(__file__).resolve().parents[1]
OBJECTS = ("contacts", "companies", "deals")


def export(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness.cli", "mappings", "export", "--out", str(out), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def essence(path: Path, hubspot_object: str) -> set[tuple]:
    return {(m.hubspot_property, m.salesforce_objects, m.salesforce_field, m.rule)
            for m in load_mappings(path, hubspot_object)}


def test_the_healthy_connector_runs_exactly_the_governed_mappings_and_the_export_carries_types(tmp_path):
    done = export(tmp_path, "--connector")
    assert done.returncode == 0, done.stderr
    for hubspot_object in OBJECTS:
        exported = tmp_path / f"{hubspot_object}.csv"
        # loads (type columns present, so every pair is type-checked) and matches the profile row for row
        assert essence(exported, hubspot_object) == essence(ROOT / "fixtures" / "mappings" / f"{hubspot_object}.csv",
                                                             hubspot_object)
        for row in rows(exported):
            assert row["HubSpot field type"] and row["Salesforce field type"], row
    email = next(r for r in rows(tmp_path / "contacts.csv") if r["HubSpot property internal name"] == "email")
    assert email["HubSpot property"] == "Email" and email["Salesforce field type"] == "email"
    first = next(r for r in rows(tmp_path / "contacts.csv") if r["HubSpot property internal name"] == "firstname")
    assert (first["HubSpot property"], first["Salesforce field"]) == ("First Name", "First Name")


def test_the_drifted_connector_export_shows_the_unnormalised_country_before_any_scenario_runs(tmp_path):
    done = export(tmp_path, "--connector", "--org", "drifted")
    assert done.returncode == 0, done.stderr
    country = [r for r in rows(tmp_path / "contacts.csv") if r["HubSpot property internal name"] == "country"]
    assert {(r["HubSpot field type"], r["Salesforce field type"]) for r in country} == {("text", "picklist")}
    # the exported file is refused as a mapping, naming the row: the defect (DEFECTS.md D5) in one line
    checked = subprocess.run([sys.executable, "-m", "harness.cli", "impact", "fixtures/mappings/contacts.csv",
                              str(tmp_path / "contacts.csv")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 2
    assert "contacts.csv:" in checked.stderr and "country (text) cannot be mapped to Country (picklist)" in checked.stderr


def test_the_profile_export_never_overwrites_the_profile_own_files():
    done = export(ROOT / "fixtures" / "mappings")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("uat: --out") and "profile's own mapping file" in done.stderr
    assert "Traceback" not in done.stderr
