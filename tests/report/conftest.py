"""Session runs shared by the report tests (the helpers and the reasoning are in report_runs.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from report_runs import ROOT, Run, mismatched_profile, uat_run

# `allure_history`, `healthy_run` and `drifted_run` are session fixtures of tests/conftest.py, shared with the other
# modules that read a run folder.


@pytest.fixture(scope="session")
def mismatch_run(tmp_path_factory: pytest.TempPathFactory, allure_history: Path, healthy_run: Run) -> Run:
    # After the healthy run, so the Allure history holds two runs of the same scenarios. Only the scenarios of the
    # `company` field: the drift is in its mapping, and the rest of the suite would only repeat the healthy run.
    return uat_run("--profile", str(mismatched_profile(tmp_path_factory.mktemp("mismatch"))), "-m", "field_company",
                   history=allure_history)


@pytest.fixture
def signable(mismatch_run: Run):
    """A copy of the drift run's folder to sign, so the other tests read the run as it was written."""
    copy = ROOT / "reports" / f"{mismatch_run.folder.name}-sig"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(mismatch_run.folder, copy)
    yield copy
    shutil.rmtree(copy, ignore_errors=True)
