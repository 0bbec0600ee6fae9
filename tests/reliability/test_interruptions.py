"""`uat run` interrupted (SIGINT, SIGKILL) during seeding, during the suite and during cleanup, against a
long-running twin (`uat twin serve --state-dir`, credentials in the environment, profile target `sandboxes`):
`uat run --resume RUN` or `uat cleanup --run RUN` finishes the job. Afterwards every scenario has exactly one
result, no record was created twice, and the twin is as it was before the run.

Every call is slowed (a fault profile of slow answers only) so that each phase lasts long enough to be hit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from .support import (
    PROJECT,
    REPORTS,
    RUN_LINE,
    ledger,
    results,
    sandbox_profile,
    state_difference,
    uat,
    uat_command,
    wait_for,
)

pytestmark = pytest.mark.slow

# The interruptions test the run's mechanics (phases, journals, resume, cleanup), not scenario coverage: a subset of
# the suite that still seeds, creates synced pairs, reconciles and cleans up keeps each case short.
SUBSET = "reconciliation or audit or rule_two_way"


def selected_scenarios(marker: str) -> int:
    """How many scenarios (outline rows apart) the marker selects, as pytest collects them."""
    done = subprocess.run([sys.executable, "-m", "pytest", "steps/test_uat_suite.py", "-m", marker, "--collect-only",
                           "-q", "-p", "no:cacheprovider"], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    return sum(1 for line in done.stdout.splitlines() if "::" in line)


SLOW = """\
# every call answered slowly: seeding, the suite and cleanup each take seconds
salesforce: {slow: 1.0, delay_ms: 60}
hubspot: {faults: {share: 1.0, kinds: [slow], slow_ms: 60}}
"""


def lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()) if path.exists() else 0


def run_state(run_dir: Path) -> dict:
    try:
        return json.loads((run_dir / "run-state.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"started": [], "done": []}


def in_phase(run_dir: Path, phase: str) -> bool:
    """The run is inside `phase`, and has written something in it."""
    state = run_state(run_dir)
    if phase not in state["started"] or phase in state["done"]:
        return False
    evidence = {"seed": "ledger.jsonl", "suite": "results.jsonl", "cleanup": "cleanup.jsonl"}[phase]
    return lines(run_dir / evidence) >= 1


def suite_processes(run_dir: Path) -> list[int]:
    """Processes still running the suite of this run (their environment names the run folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"UAT_RUN_DIR={run_dir}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize(("phase", "signum", "finish"), [
    ("seed", signal.SIGKILL, "resume"),
    ("seed", signal.SIGINT, "resume"),
    ("suite", signal.SIGKILL, "resume"),
    ("suite", signal.SIGINT, "resume"),
    ("cleanup", signal.SIGKILL, "resume"),
    ("cleanup", signal.SIGINT, "cleanup"),
], ids=lambda v: v.name if isinstance(v, signal.Signals) else str(v))
def test_an_interrupted_run_is_finished_with_nothing_lost_or_duplicated(served, run_ids, tmp_path, phase, signum,
                                                                         finish):
    profile = sandbox_profile(tmp_path, scale=2.0)
    (tmp_path / "slow.yaml").write_text(SLOW, encoding="utf-8")
    env = served.environment()
    before = served.snapshot()
    stderr = (tmp_path / "stderr.txt").open("w+", encoding="utf-8")
    process = subprocess.Popen(uat_command("run", "--profile", profile, "--no-html", "--faults", tmp_path / "slow.yaml",
                                           "-m", SUBSET),
                               cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        assert wait_for(lambda: RUN_LINE.search((tmp_path / "stderr.txt").read_text()), 60), "no run id printed"
        run_id = RUN_LINE.search((tmp_path / "stderr.txt").read_text()).group(1)
        run_ids.append(run_id)
        run_dir = REPORTS / run_id
        assert wait_for(lambda: in_phase(run_dir, phase), 180), f"the run never wrote anything during {phase}"
        process.send_signal(signum)
        code = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    told = (tmp_path / "stderr.txt").read_text()
    if signum == signal.SIGINT:
        assert code == 130, told[-2000:]
        assert f"uat run --resume {run_id}" in told and "Traceback" not in told
    else:
        assert code == -signal.SIGKILL
    assert wait_for(lambda: not suite_processes(run_dir), 10), "the suite outlived the killed run"
    assert phase not in run_state(run_dir)["done"]

    finishing = ("run", "--resume", run_id) if finish == "resume" else ("cleanup", "--run", run_id)
    done = uat(*finishing, env=env)
    assert done.code == 0, done.output[-3000:]
    assert "Traceback" not in done.output

    state = run_state(run_dir)
    if finish == "resume":
        assert {"seed", "suite", "signoff", "cleanup"} <= set(state["done"])
        outcomes = results(run_id)
        assert "failed" not in outcomes.values(), outcomes
        lines_per_scenario = Counter(json.loads(line)["nodeid"] for line in
                                     (run_dir / "results.jsonl").read_text().splitlines() if line.strip())
        assert len(lines_per_scenario) == selected_scenarios(SUBSET), "a scenario has no result"
        assert max(lines_per_scenario.values()) == 1, "a scenario ran twice"
    entries = ledger(run_id)
    seed_keys = Counter(e["key"] for e in entries if e["origin"] == "seed")
    assert seed_keys and max(seed_keys.values()) == 1, "a seed record went into the ledger twice"
    # Created by the run itself at most once (the connector's records may be observed by several scenarios).
    created = Counter((e["system"], e["id"]) for e in entries if e["origin"] in ("seed", "scenario"))
    assert max(created.values()) == 1, [k for k, n in created.items() if n > 1][:5]
    assert state_difference(before, served.snapshot()) == []  # everything created is gone: nothing lost


def test_resuming_a_run_whose_twin_ended_with_it_is_refused_clearly(run_ids):
    """A run against a twin started for it cannot be resumed (its data died with it): one line, exit 2."""
    from harness.run.state import STATE_FILE

    run_id = "20000101-000000-beef"
    run_ids.append(run_id)
    folder = REPORTS / run_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STATE_FILE).write_text(json.dumps({"run_id": run_id, "options": {
        "profile": str(PROJECT / "fixtures" / "profiles" / "default.yaml")}, "started": ["seed"], "done": []}))
    done = uat("run", "--resume", run_id)
    assert done.code == 2
    assert done.stderr.strip().count("\n") == 0 and "uat twin serve --state-dir" in done.stderr
    assert os.path.exists(folder / STATE_FILE)
