"""The contract matrix exercises every mapping row and drops none: a row added to the mapping CSV for a Salesforce
field that does not exist ends the run NO-GO with that row named and the reason it cannot be exercised, while the
other rows of the object still hold (a real `uat run` on the twin, scenarios of the matrix only)."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from tests.report.report_runs import PROFILE, uat_run

MISSING = {"HubSpot property": "City", "HubSpot property internal name": "city", "HubSpot field type": "text",
           "Salesforce object": "Lead", "Salesforce field": "Legacy City", "Salesforce field API name": "Legacy_City__c",
           "Salesforce field type": "string", "Sync rule": "Two-way"}


def _profile_with_a_row_to_nowhere(folder: Path) -> Path:
    data = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    base = PROFILE.parent
    data["mappings"] = {k: str((base / v).resolve()) for k, v in data["mappings"].items()}
    data["seed"]["recipe"] = str((base / data["seed"]["recipe"]).resolve())
    source = Path(data["mappings"]["contacts"])
    rows = list(csv.DictReader(source.read_text(encoding="utf-8-sig").splitlines()))
    contacts = folder / "contacts.csv"
    with contacts.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, MISSING])
    data["mappings"]["contacts"] = str(contacts)
    profile = folder / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return profile


def test_a_row_to_a_field_that_does_not_exist_fails_the_matrix_naming_it(tmp_path):
    run = uat_run("--profile", str(_profile_with_a_row_to_nowhere(tmp_path)), "-m", "contract_matrix", "--no-html",
                  history=tmp_path / "history")
    assert run.completed.returncode != 0 and run.signoff["verdict"] == "NO-GO"
    by_scenario = {r["scenario"]: r for r in run.results}
    lead = next(r for name, r in by_scenario.items() if name.startswith("Every contacts to Lead mapping row"))
    assert lead["outcome"] == "failed" and lead["category"] == "mapping_mismatch", lead["message"]
    assert "contacts: city <-> Lead.Legacy_City__c (Two-way)" in lead["message"]
    assert "cannot be exercised: Salesforce has no field Lead.Legacy_City__c" in lead["message"]
    # the other rows of the object were exercised, and only the bad row is named as failing
    assert "jobtitle <-> Lead.Title" not in lead["message"]
    others = [r for name, r in by_scenario.items() if not name.startswith("Every contacts to Lead")]
    assert others and all(r["outcome"] == "passed" for r in others), [(r["scenario"], r["message"]) for r in others]
