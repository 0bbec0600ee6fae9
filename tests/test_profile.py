"""Bad profiles and mapping CSVs end in one line naming the file, the line and the field, exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.errors import UserError
from harness.profile import SyncRule, load_mappings, load_profile

DEFAULT = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "default.yaml"


def uat(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True, timeout=120)


def test_the_shipped_profile_loads():
    profile = load_profile(DEFAULT)
    assert profile.integration_owner.name
    assert profile.target.kind == "twin"


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nintegration_owner: {name: [unclosed\n")
    with pytest.raises(UserError) as error:
        load_profile(bad)
    assert str(error.value).startswith(f"{bad}:")
    assert "invalid YAML" in str(error.value)


def test_unknown_setting_names_its_line_and_key(tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text(DEFAULT.read_text().replace("sync_window:", "sync_windwo:"))
    with pytest.raises(UserError) as error:
        load_profile(bad)
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if text.startswith("sync_windwo"))
    assert f"{bad}:{line}: sync_windwo: unknown setting" in str(error.value)


def test_cli_prints_one_line_and_exits_2_on_a_missing_profile(tmp_path):
    completed = uat("run", "--profile", str(tmp_path / "nope.yaml"))
    assert completed.returncode == 2
    assert completed.stderr.strip().count("\n") == 0
    assert "nope.yaml" in completed.stderr and "Traceback" not in completed.stderr


def test_cli_exits_2_on_a_malformed_profile(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [\n")
    completed = uat("run", "--profile", str(bad))
    assert completed.returncode == 2
    assert str(bad) in completed.stderr and "Traceback" not in completed.stderr


def test_mapping_csv_unknown_rule_names_the_row(tmp_path):
    csv_file = tmp_path / "contacts.csv"
    csv_file.write_text("HubSpot property internal name,Salesforce object,Salesforce field API name,Sync rule\n"
                        "email,Lead,Email,Two-way\nfirstname,Lead,FirstName,Sometimes\n")
    with pytest.raises(UserError) as error:
        load_mappings(csv_file, "contacts")
    assert f"{csv_file}:3: unknown sync rule 'Sometimes'" in str(error.value)


def test_mapping_csv_with_bom_and_all_rules_loads(tmp_path):
    csv_file = tmp_path / "contacts.csv"
    rows = "\n".join(f"p{i},Lead,F{i},{rule.value}" for i, rule in enumerate(SyncRule))
    csv_file.write_bytes(("\ufeffHubSpot property internal name,Salesforce object,Salesforce field API name,Sync rule\n"
                          + rows + "\n").encode("utf-8"))
    assert [m.rule for m in load_mappings(csv_file, "contacts")] == list(SyncRule)
