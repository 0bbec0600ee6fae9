"""Where a run's faults come from: `uat run --faults`, else the profile's `target.faults` (a built-in name, or a
file relative to the profile, so a team can keep its stress profile beside its integration profile)."""

from __future__ import annotations

import pytest

from harness.errors import UserError
from harness.profile import load_profile
from harness.run.runner import RunOptions, run_faults
from reliability.support import sandbox_profile

STRESS = "salesforce: {slow: 1.0, delay_ms: 60}\nconnector: {pause_seconds: 1, every_seconds: 4}\n"


def profile_with_faults(folder, faults: str | None):
    edit = (lambda text: text.replace("  sync: manual", f"  faults: {faults}\n  sync: manual", 1)) if faults else None
    return load_profile(sandbox_profile(folder, edit=edit))


def test_a_profile_without_faults_runs_without_them(tmp_path):
    profile = profile_with_faults(tmp_path, None)
    assert run_faults(RunOptions(profile=profile.source), profile) is None


def test_the_profile_names_a_built_in_fault_profile(tmp_path):
    profile = profile_with_faults(tmp_path, "light")
    faults = run_faults(RunOptions(profile=profile.source), profile)
    assert faults is not None and faults.name == "light"
    assert faults.hubspot["faults"]["share"] > 0


def test_a_fault_file_is_found_beside_the_profile_whatever_the_working_folder(tmp_path, monkeypatch):
    profile = profile_with_faults(tmp_path, "stress.yaml")
    (tmp_path / "profiles" / "stress.yaml").write_text(STRESS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the file is not in the working folder: it is found beside the profile
    faults = run_faults(RunOptions(profile=profile.source), profile)
    assert faults is not None
    assert faults.salesforce["slow"] == 1.0 and faults.every_seconds == 4.0


def test_the_command_line_overrides_the_profile(tmp_path):
    profile = profile_with_faults(tmp_path, "heavy")
    faults = run_faults(RunOptions(profile=profile.source, faults="none"), profile)
    assert faults is not None and faults.name == "none"
    assert set(faults.salesforce) <= {"seed"} and not faults.hubspot and not faults.pause_seconds


def test_a_missing_fault_file_names_the_profile_setting(tmp_path):
    profile = profile_with_faults(tmp_path, "stress.yaml")
    with pytest.raises(UserError) as error:
        run_faults(RunOptions(profile=profile.source), profile)
    message = str(error.value)
    assert "profile.yaml:12: target.faults stress.yaml" in message and "does not exist" in message
