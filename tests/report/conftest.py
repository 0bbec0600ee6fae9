"""Session runs shared by the report tests (the helpers and the reasoning are in report_runs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_runs import ROOT, Run, mismatched_profile, uat_run


@pytest.fixture(scope="session")
def allure_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("allure-history") / "history.jsonl"


@pytest.fixture(scope="session")
def healthy_run(allure_history: Path) -> Run:
    return uat_run(history=allure_history)


@pytest.fixture(scope="session")
def mismatch_run(tmp_path_factory: pytest.TempPathFactory, allure_history: Path, healthy_run: Run) -> Run:
    # After the healthy run, so the Allure history holds two runs of the same scenarios.
    return uat_run("--profile", str(mismatched_profile(tmp_path_factory.mktemp("mismatch"))), history=allure_history)


@pytest.fixture(scope="session")
def drifted_run(allure_history: Path) -> Run:
    if not (ROOT / "fixtures" / "orgs" / "drifted").is_dir():
        pytest.skip("fixtures/orgs/drifted does not exist yet (being built in issue 5)")
    return uat_run("--org", "drifted", history=allure_history)
