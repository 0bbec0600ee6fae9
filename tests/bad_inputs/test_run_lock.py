"""One process per run id: a second `uat run --resume RUN` while RUN is in progress is told who holds it, in one
line with exit code 2, before it connects anywhere or writes anything (two resumes at once both ran the suite:
94 results for 62 scenarios)."""

from __future__ import annotations

import json
import os

import pytest
from reliability.support import clean_environment, sandbox_profile, uat

from harness.run.context import RunLock

from .test_corpus import files_under, project_copy

RUN_ID = "20260630-101500-abcd"

pytestmark = pytest.mark.slow


def test_a_second_resume_of_a_run_in_progress_is_refused_naming_the_holder(tmp_path):
    root = project_copy(tmp_path / "project")
    profile = sandbox_profile(tmp_path / "workspace")
    run_dir = root / "reports" / RUN_ID
    run_dir.mkdir(parents=True)
    (run_dir / "run-state.json").write_text(json.dumps(
        {"run_id": RUN_ID, "options": {"profile": str(profile), "allure_html": False}, "started": ["seed"],
         "done": []}), encoding="utf-8")
    lock = RunLock(run_dir).acquire("run")  # this test process is "the run in progress"
    try:
        before = files_under(root / "reports")
        done = uat("run", "--resume", RUN_ID, env=clean_environment(), cwd=root, timeout=300)
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        assert done.code == 2, done.output[-2000:]
        assert "Traceback" not in done.output
        assert len(lines) == 1 and lines[0].startswith(f"uat: --resume {RUN_ID}: the run is in progress"), done.stderr
        assert f"process {os.getpid()}" in lines[0]
        assert files_under(root / "reports") == before
    finally:
        lock.release()
    # Released (as when the holder ends, even by kill -9), the resume gets past the lock to its next check.
    done = uat("run", "--resume", RUN_ID, env=clean_environment(), cwd=root, timeout=300)
    assert done.code == 2 and "in progress" not in done.stderr and "environment" in done.stderr, done.stderr
