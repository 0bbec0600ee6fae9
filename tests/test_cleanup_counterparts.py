"""Cleanup finds what the connector made from the run's records by reads (and search only for what no read
matched), and leaves nothing behind: the connector's contacts, companies, deals, and the tasks it logged on them."""

from __future__ import annotations

import sys
from pathlib import Path

from harness.run.cleanup import cleanup_run
from harness.run.ledger import Ledger
from harness.sandboxes import connect
from harness.sandboxes.twin_target import twin_credentials
from harness.seeder import load_recipe, plan_from_recipe, seed_sandboxes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reliability"))

from support import live_state, state_difference  # noqa: E402


def test_cleanup_after_the_connector_synced_the_seed_leaves_the_portal_and_org_as_they_were(twin, tmp_path):
    sandboxes = connect(twin_credentials(twin.info()))
    before = sandboxes.control.snapshot()
    plan = plan_from_recipe(load_recipe(ROOT / "fixtures" / "seed" / "representative.yaml"), 7, 0.5, "uatcleanuptest")
    ledger = Ledger(tmp_path / "ledger.jsonl", "run-cleanup")
    seed_sandboxes(plan, sandboxes, ledger)
    sandboxes.control.sync_now(3)
    synced = live_state(sandboxes.control.snapshot())
    made = {name: len(set(rows) - set(live_state(before).get(name, {}))) for name, rows in synced.items()}
    # The connector made records of its own from the seed: the counterparts cleanup must find without the ledger.
    assert made.get("hubspot.tasks", 0) > sum(1 for e in ledger.entries() if e.object == "tasks")
    assert made.get("hubspot.companies", 0) > 0 and made.get("hubspot.deals", 0) > 0

    result = cleanup_run(sandboxes, ledger, tmp_path / "cleanup.jsonl")
    assert not result.failed
    assert state_difference(before, sandboxes.control.snapshot()) == []
