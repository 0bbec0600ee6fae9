"""A regression run tests the change (`uat run --impacted-by OLD.csv`, docs/regression.md).

On the twin, the rows that differ between OLD.csv and the profile's CSV are applied to the connector through the
control plane before seeding, and the run names them; nothing else of the connector changes. Against sandboxes
without a control plane, the connector's mapping export must already show the change, else the run stops with
one line and writes nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from reliability.support import clean_environment, served_twin

from harness.errors import UserError
from harness.profile import load_profile
from harness.run.change import check_applied, connector_rows_after, load_changes

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"
RUN_ID = re.compile(r"run (\d{8}-\d{6}-[0-9a-f]{4})\b")
# A sync-rule change consistent with the profile: companies are Salesforce's (source_of_truth), so the employee
# count may become "Always use Salesforce".
EMPLOYEES = ("companies", "numberofemployees", "Prefer Salesforce unless blank", "Always use Salesforce")


def changed_copy(folder: Path, change: tuple[str, str, str, str] = EMPLOYEES, kind: str = "twin",
                 export: str | None = None) -> tuple[Path, Path]:
    """(profile, OLD.csv): a copy of the shipped profile whose mapping CSVs carry one sync-rule change; OLD is the
    shipped CSV (the file keeps its name, which tells the object)."""
    hubspot_object, prop, before, after = change
    data = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    (folder / "new").mkdir(parents=True)
    (folder / "old").mkdir()
    for name, relative in data["mappings"].items():
        shipped = (PROFILE.parent / relative).resolve()
        text = shipped.read_text(encoding="utf-8")
        if name == hubspot_object:
            edited = "\n".join(line.replace(before, after) if f",{prop}," in line else line
                               for line in text.splitlines()) + "\n"
            assert edited != text, f"the shipped {shipped.name} maps {prop} {before}"
            text = edited
        (folder / "new" / shipped.name).write_text(text, encoding="utf-8")
        data["mappings"][name] = str(folder / "new" / shipped.name)
    shutil.copy(ROOT / "fixtures" / "mappings" / f"{hubspot_object}.csv", folder / "old" / f"{hubspot_object}.csv")
    data["seed"]["recipe"] = str((PROFILE.parent / data["seed"]["recipe"]).resolve())
    data["target"]["kind"] = kind
    if kind != "twin":
        data["target"].pop("org", None)
        data["target"].pop("sync", None)
    if export:
        data.setdefault("conformance", {})["connector_export"] = export
    profile = folder / "profile.yaml"
    profile.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return profile, folder / "old" / f"{hubspot_object}.csv"


def uat(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env=env or clean_environment())


# -- the change, made on the connector's mapping list ----------------------------------------------------------
def test_only_the_changed_rows_move_and_a_shared_row_is_split(tmp_path):
    profile_path, old = changed_copy(tmp_path, ("contacts", "jobtitle", "Two-way", "Always use Salesforce"))
    (change,) = load_changes(load_profile(profile_path), [old])
    assert [(c.kind, c.hubspot_property) for c in change.changes] == [("changed", "jobtitle")]
    connector = [{"hubspot": "email", "salesforce": "Email", "rule": "Two-way", "salesforce_objects": ["Lead", "Contact"]},
                 # drift the change does not touch stays drift (conformance still catches it)
                 {"hubspot": "phone", "salesforce": "MobilePhone", "rule": "Two-way", "salesforce_objects": ["Lead"]},
                 {"hubspot": "jobtitle", "salesforce": "Title", "rule": "Two-way", "salesforce_objects": ["Lead", "Contact"]}]
    after = connector_rows_after(connector, change)
    assert after[:2] == connector[:2]
    assert after[2:] == [{"hubspot": "jobtitle", "salesforce": "Title", "rule": "Always use Salesforce",
                          "salesforce_objects": ["Contact", "Lead"]}]


def test_a_removed_row_is_removed_and_an_added_row_added(tmp_path):
    profile_path, _ = changed_copy(tmp_path, ("contacts", "jobtitle", "Two-way", "Always use Salesforce"))
    # OLD without `company`, with an extra `fax` row: the profile adds company back and removes fax.
    shipped = (ROOT / "fixtures" / "mappings" / "contacts.csv").read_text(encoding="utf-8").splitlines()
    old = tmp_path / "before" / "contacts.csv"
    old.parent.mkdir()
    old.write_text("\n".join([line for line in shipped if ",company," not in line]
                             + ["Fax,fax,text,Lead,Fax,Fax,phone,Two-way"]) + "\n", encoding="utf-8")
    (change,) = load_changes(load_profile(profile_path), [old])
    assert sorted((c.kind, c.hubspot_property) for c in change.changes) == [
        ("added", "company"), ("changed", "jobtitle"), ("removed", "fax")]
    connector = [{"hubspot": "fax", "salesforce": "Fax", "rule": "Two-way", "salesforce_objects": ["Lead"]}]
    assert connector_rows_after(connector, change) == [
        {"hubspot": "company", "salesforce": "Company", "rule": "Two-way", "salesforce_objects": ["Lead"]},
        {"hubspot": "jobtitle", "salesforce": "Title", "rule": "Always use Salesforce",
         "salesforce_objects": ["Contact", "Lead"]}]


# -- real sandboxes: the change must already be in the connector's export ------------------------------------
def test_without_an_export_the_change_cannot_be_confirmed(tmp_path):
    profile_path, old = changed_copy(tmp_path, kind="sandboxes")
    profile = load_profile(profile_path)
    with pytest.raises(UserError, match=r"cannot be confirmed.*conformance\.connector_export"):
        check_applied(profile, load_changes(profile, [old]))


def test_an_export_without_the_change_stops_and_one_with_it_confirms(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    shutil.copy(ROOT / "fixtures" / "mappings" / "companies.csv", export / "companies.csv")  # before the change
    profile_path, old = changed_copy(tmp_path / "p", kind="sandboxes", export=str(export))
    profile = load_profile(profile_path)
    changes = load_changes(profile, [old])
    with pytest.raises(UserError, match=r"not applied yet: companies\.numberofemployees on Account is "
                                        r"NumberOfEmployees \(Prefer Salesforce unless blank\).*the profile says "
                                        r"NumberOfEmployees \(Always use Salesforce\)"):
        check_applied(profile, changes)
    shutil.copy(tmp_path / "p" / "new" / "companies.csv", export / "companies.csv")  # the admin applied it
    assert check_applied(profile, changes) == [
        "companies.numberofemployees changed: Account: rule Prefer Salesforce unless blank → Always use Salesforce "
        "(in the export companies.csv)"]


def test_sandboxes_without_the_change_applied_stop_with_one_line_and_write_nothing(tmp_path):
    export = tmp_path / "export"
    export.mkdir()
    shutil.copy(ROOT / "fixtures" / "mappings" / "companies.csv", export / "companies.csv")
    profile_path, old = changed_copy(tmp_path / "p", kind="sandboxes", export=str(export))
    before = set((ROOT / "reports").iterdir())
    with served_twin(tmp_path / "state") as twin:
        # As real sandboxes: credentials only, no control plane to apply the change through.
        env = {k: v for k, v in twin.environment().items() if not k.startswith("UAT_TWIN_CONTROL")}
        done = uat("run", "-p", str(profile_path), "--impacted-by", str(old), "--no-html", env=env)
        settings = twin.control("GET", "/connector/settings")
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith("uat: --impacted-by ") and "not applied yet" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert set((ROOT / "reports").iterdir()) == before  # no run folder
    employees = [m for m in settings["mappings"]["companies"] if m["hubspot"] == "numberofemployees"]
    assert employees[0]["rule"] == "Prefer Salesforce unless blank"  # the harness changed nothing


# -- the twin: the change applied, the run names it, GO ---------------------------------------------------------
def test_a_sync_rule_change_on_the_twin_is_applied_named_and_ends_go(tmp_path):
    profile_path, old = changed_copy(tmp_path)
    done = uat("run", "-p", str(profile_path), "--impacted-by", str(old), "--no-html")
    found = RUN_ID.search(done.stderr)
    assert found, done.stderr[-3000:]
    line = ("applied to the connector: companies.numberofemployees changed: Account: rule Prefer Salesforce "
            "unless blank → Always use Salesforce")
    assert line in done.stderr, done.stderr[-3000:]
    signoff = json.loads((ROOT / "reports" / found.group(1) / "signoff.json").read_text(encoding="utf-8"))
    assert signoff["extra"]["selection"].startswith("impacted by companies.csv: 1 mapping change(s)")
    assert line.removeprefix("applied to the connector: ") in signoff["extra"]["selection"]
    # Conformance compared the connector's mappings with the profile's, and found the change in place.
    conformance = [s for s in signoff["scenarios"] if s["feature"] == "Configuration conformance"]
    assert conformance and all(s["outcome"] == "passed" for s in conformance), conformance
    assert signoff["verdict"] == "GO" and done.returncode == 0, [
        (s["scenario"], s["message"]) for s in signoff["scenarios"] if s["outcome"] == "failed"]


def test_a_plain_run_of_the_same_profile_does_not_change_the_connector(tmp_path):
    """The control: without --impacted-by, the connector keeps the org's row, and conformance says so."""
    profile_path, _old = changed_copy(tmp_path)
    done = uat("run", "-p", str(profile_path), "-m", "conformance", "--no-html")
    assert "applied to the connector" not in done.stderr
    found = RUN_ID.search(done.stderr)
    assert found, done.stderr[-3000:]
    signoff = json.loads((ROOT / "reports" / found.group(1) / "signoff.json").read_text(encoding="utf-8"))
    failed = {s["scenario"]: s["message"] for s in signoff["scenarios"] if s["outcome"] == "failed"}
    assert "Every mapping runs with the profile's sync rule" in failed, failed
    assert done.returncode == 1 and signoff["verdict"] == "NO-GO"
