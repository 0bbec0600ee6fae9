"""Where a run's time went: phases charged with their own time, calls and waits, merged into one table."""

from __future__ import annotations

import json

from harness.run.timing import phase_table, suite_phases
from harness.sandboxes.budget import ApiBudget
from harness.sandboxes.readahead import AssociationReadAhead


def test_a_nested_phase_is_its_own_row_and_the_outer_keeps_only_its_own_time(monkeypatch):
    now = [0.0]
    monkeypatch.setattr("harness.sandboxes.budget.time.monotonic", lambda: now[0])
    budget = ApiBudget()
    with budget.phase("feature: Reconciliation"):
        budget.spend("hubspot")
        now[0] += 1.0
        with budget.phase("reconciliation"):
            budget.spend("hubspot", 3)
            budget.spend("salesforce")
            budget.waited("pacing", 2.5)
            now[0] += 5.0
        now[0] += 0.5
        budget.waited("sync", 0.25)
    rows = {row["phase"]: row for row in budget.phase_report()}
    assert rows["feature: Reconciliation"]["seconds"] == 1.5
    assert rows["feature: Reconciliation"]["calls"] == {"hubspot": 1}
    assert rows["feature: Reconciliation"]["waited"] == {"sync": 0.25}
    assert rows["reconciliation"] == {"phase": "reconciliation", "seconds": 5.0, "calls": {"hubspot": 3, "salesforce": 1},
                                      "retries": {}, "waited": {"pacing": 2.5}}
    assert budget.report()["hubspot"]["used"] == 4  # the run's totals are unchanged by phases


def test_the_suite_row_is_what_its_scenarios_did_not_account_for(tmp_path):
    phases = tmp_path / "phases"
    phases.mkdir()
    for worker, seconds in (("gw0", 4.0), ("gw1", 6.0)):
        (phases / f"{worker}.json").write_text(json.dumps([
            {"phase": "other", "seconds": 0.0, "calls": {"hubspot": 2}},
            {"phase": "feature: Merges", "seconds": seconds, "calls": {"hubspot": 10, "salesforce": 5},
             "waited": {"sync": 1.0}}]), encoding="utf-8")
    runner = [{"phase": "preflight", "seconds": 1.0, "calls": {"salesforce": 1}},
              {"phase": "seed", "seconds": 2.0, "calls": {"salesforce": 8}},
              {"phase": "suite", "seconds": 12.0, "calls": {}},
              {"phase": "reports", "seconds": 1.0}, {"phase": "cleanup", "seconds": 3.0, "calls": {"hubspot": 4}}]
    table = phase_table(runner, suite_phases(tmp_path))
    assert [row["phase"] for row in table] == ["preflight", "seed", "suite start-up", "feature: Merges", "reports",
                                               "cleanup"]
    merges = table[3]
    assert merges["seconds"] == 10.0 and merges["calls"] == {"hubspot": 20, "salesforce": 10}
    assert merges["waited"] == {"sync": 2.0}
    assert table[2]["seconds"] == 2.0 and table[2]["calls"] == {"hubspot": 4}


def test_associations_read_ahead_are_served_once_and_dropped_at_a_write():
    asked: list[list[str]] = []

    def batch(from_type: str, ids: list[str], to_type: str) -> dict[str, list[str] | None]:
        asked.append(ids)
        return {i: [f"co-{i}"] for i in ids}

    ahead = AssociationReadAhead(batch)
    ids = [str(i) for i in range(150)]
    ahead.records_read("contacts", ids)
    assert [ahead.lookup("contacts", i, "companies") for i in ids] == [[f"co-{i}"] for i in ids]
    assert len(asked) == 1  # one batch read for all 150
    assert ahead.lookup("contacts", "7", "companies") is None  # asked again: read it afresh, one by one
    ahead.written()
    assert ahead.lookup("contacts", "8", "companies") is None
    ahead.records_read("contacts", ids[:5])  # a scenario-sized read never reads ahead
    assert ahead.lookup("contacts", "1", "companies") is None and len(asked) == 1
