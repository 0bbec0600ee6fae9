"""Whole runs under faults, against a long-running twin, compared with a run without faults and with the twin's
state before the run.

- light faults (about 5% of calls throttled, failed, reset or slow, the connector paused now and then): GO, the
  same outcome for every scenario as without faults, no record created twice, every record the run made in its
  ledger, and cleanup (itself under faults) leaves both sandboxes as they were;
- heavy faults: a NO-GO that names the infrastructure failures, no traceback, and still nothing left behind.
"""

from __future__ import annotations

import json

import pytest

from harness.run.faults import LIGHT

from .support import (
    REPORTS,
    identity_groups,
    ledger,
    new_records,
    results,
    run_tag,
    sandbox_profile,
    state_difference,
    uat,
)

pytestmark = pytest.mark.slow

# Made by the platform itself as children of the run's records, and deleted with their parent: an Account's
# territory associations, the contact role lead conversion gives its Opportunity. Accounted for by the parent;
# the snapshot comparison after cleanup still covers them.
PLATFORM_MADE = {"salesforce.ObjectTerritory2Association": "ObjectId", "salesforce.OpportunityContactRole": "OpportunityId"}


def settle(twin) -> dict:
    """Let the connector finish what the run started (a paused window may have left a cycle undone)."""
    twin.control("POST", "/sync", {"cycles": 3})
    return twin.snapshot()


STRESS = """\
# three times the light profile, and every reset loses the answer of a request the platform served
seed: 5
salesforce: {unavailable: 0.06, limit_exceeded: 0.05, slow: 0.02, delay_ms: 100,
             connection_resets: {share: 0.06, when: after}}
hubspot:
  faults: {share: 0.12, kinds: ["429", "502", "503", "slow"], slow_ms: 100}
  connection_resets: {share: 0.06, when: after}
connector: {pause_seconds: 1, every_seconds: 5}
"""


@pytest.mark.parametrize("faults", ["light", "stress"])
def test_faulted_runs_end_go_like_a_clean_run_and_leave_nothing_behind(served, run_ids, tmp_path, faults):
    profile = sandbox_profile(tmp_path)
    # light: the whole suite, as the issue asks; stress: the same harness paths on a subset (seeding, synced
    # pairs, every sync rule, reconciliation), to keep `make test` short.
    selection: list[str] = []
    if faults == "stress":
        faults = str(tmp_path / "stress.yaml")
        (tmp_path / "stress.yaml").write_text(STRESS, encoding="utf-8")
        selection = ["-m", "reconciliation or audit or rule_two_way or rule_always_use_salesforce"]
    env = served.environment()
    before = served.snapshot()

    clean = uat("run", "--profile", profile, "--no-html", "--keep-data", *selection, env=env)
    run_ids.append(clean.run_id)
    assert clean.code == 0, clean.output[-3000:]
    clean_groups = identity_groups(new_records(before, settle(served)), run_tag(clean.run_id))
    assert uat("cleanup", "--run", clean.run_id, env=env).code == 0
    assert state_difference(before, served.snapshot()) == []

    faulted = uat("run", "--profile", profile, "--no-html", "--keep-data", "--faults", faults, *selection, env=env)
    run_ids.append(faulted.run_id)
    assert faulted.code == 0, faulted.output[-3000:]
    assert "Traceback" not in faulted.output
    assert results(faulted.run_id) == results(clean.run_id) != {}
    injected = json.loads((REPORTS / faulted.run_id / "faults.json").read_text())
    assert injected["total"] >= 1, injected  # faults were really there to survive
    kept = settle(served)
    created = new_records(before, kept)
    assert identity_groups(created, run_tag(faulted.run_id)) == clean_groups  # nothing created twice

    # Cleanup under the same faults, then: every record the run created was in its ledger, and nothing is left.
    served.control("POST", "/faults/salesforce", LIGHT["salesforce"])
    served.control("POST", "/faults/hubspot", LIGHT["hubspot"])
    cleaned = uat("cleanup", "--run", faulted.run_id, env=env)
    served.control("POST", "/faults/salesforce", {"clear": True, "connection_resets": {}})
    served.control("POST", "/faults/hubspot", {"faults": None, "connection_resets": {}})
    assert cleaned.code == 0, cleaned.output[-2000:]
    accounted = {e["id"] for e in ledger(faulted.run_id)}
    unaccounted = {f"{name} {i}" for name, rows in created.items() for i, row in rows.items()
                   if i not in accounted and row.get(PLATFORM_MADE.get(name, "-")) not in accounted}
    assert unaccounted == set()
    assert state_difference(before, served.snapshot()) == []


def test_heavy_faults_end_in_a_verdict_that_names_the_infrastructure(served, run_ids, tmp_path):
    profile = sandbox_profile(tmp_path)
    before = served.snapshot()
    heavy = uat("run", "--profile", profile, "--no-html", "--faults", "heavy", env=served.environment())
    run_ids.append(heavy.run_id)
    assert heavy.code == 1, heavy.output[-3000:]
    assert "Traceback" not in heavy.output
    signoff = json.loads((REPORTS / heavy.run_id / "signoff.json").read_text())
    assert signoff["verdict"] == "NO-GO"
    infrastructure = next(c for c in signoff["criteria"] if "infrastructure" in c["name"])
    assert infrastructure["met"] is False
    assert "not an integration defect" in infrastructure["actual"] or \
        "not on integration defects" in infrastructure["actual"], infrastructure
    # The scenarios that failed because of the platforms are filed as such, not as integration defects.
    for defect in signoff["defects"]:
        if "503" in defect["summary"] or "REQUEST_LIMIT" in defect["summary"] or "429" in defect["summary"]:
            assert defect["category_key"] in {"infrastructure", "rate_limit"}, defect
    injected = json.loads((REPORTS / heavy.run_id / "faults.json").read_text())
    assert injected["total"] >= 20
    assert state_difference(before, served.snapshot()) == []
