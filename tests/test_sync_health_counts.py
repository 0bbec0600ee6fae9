"""Sync Health counts the run's own errors: those on the records of its ledger or first seen once it began; an error
the seed planted on purpose is expected, any other blocks GO. Errors an earlier run left on a served twin are shown,
not counted."""

from __future__ import annotations

import json
from pathlib import Path

from harness.profile import load_profile
from harness.signoff.health import run_records, sync_health_summary
from harness.signoff.record import RunEvidence, evaluate
from harness.signoff.results import ScenarioResult

PROFILE = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "default.yaml"
RUN_BEGAN = 1_800_000_000.0  # epoch seconds of the run's first ledger entry


def _ledger(folder: Path) -> Path:
    path = folder / "ledger.jsonl"
    rows = [{"created_at": RUN_BEGAN, "id": "00Q000000000001AAA", "key": "sf.Lead.00000", "object": "Lead",
             "origin": "seed", "system": "salesforce"},
            {"created_at": RUN_BEGAN + 5, "id": "9001", "key": "hs.contacts.00004", "object": "contacts",
             "origin": "seed", "system": "hubspot"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _error(code: str, hubspot_id: str | None, salesforce_id: str | None, first_seen: str) -> dict:
    return {"category": "property_values", "code": code, "message": "Title: data value too large",
            "hubspot_object": "contacts", "hubspot_id": hubspot_id, "salesforce_object": "Lead",
            "salesforce_id": salesforce_id, "first_seen": first_seen, "last_seen": first_seen, "occurrences": 1}


def _health(errors: list[dict]) -> dict:
    return {"by_category": {"property_values": {"errors": len(errors), "records": len(errors)}}, "errors": errors}


BEFORE = "2027-01-15T07:00:00.000Z"  # before RUN_BEGAN (2027-01-15T08:00:00Z)
DURING = "2027-01-15T08:00:30.000Z"


def test_errors_left_by_an_earlier_run_are_shown_but_not_counted(tmp_path):
    own = run_records(_ledger(tmp_path))
    health = _health([_error("STRING_TOO_LONG", "555", None, BEFORE), _error("INVALID_EMAIL", "9001", None, BEFORE),
                      _error("REQUIRED_FIELD_MISSING", "777", None, DURING)])
    summary = sync_health_summary(health, {}, own)
    # the run's record (9001) counts whenever its error was first seen; 777 was first seen during the run
    assert (summary["open_errors"], summary["earlier_errors"], summary["unexpected_errors"]) == (2, 1, 2)


def test_an_unplanned_error_on_the_runs_records_blocks_go_and_a_planted_one_does_not(tmp_path):
    profile = load_profile(PROFILE)
    own = run_records(_ledger(tmp_path))
    result = ScenarioResult(nodeid="steps/x::a", feature="Contact sync", scenario="a", outcome="passed",
                            duration=0.1, tags=[], message=None, category=None, evidence={})
    planted = _health([_error("STRING_TOO_LONG", "9001", None, DURING), _error("STRING_TOO_LONG", "1", None, BEFORE)])
    evidence = RunEvidence(sync_health=planted, seeded={"9001": "over_long"}, own_records=own)
    report = evaluate("r1", profile, "twin", [result], evidence)
    criterion = next(c for c in report.criteria if c.name == "Open connector sync errors")
    assert (criterion.status, criterion.blocking) == ("met", True)
    assert "1 on records this run did not touch" in criterion.actual

    unplanned = _health([_error("INVALID_EMAIL", "9001", None, DURING)])
    evidence = RunEvidence(sync_health=unplanned, seeded={"9001": "over_long"}, own_records=own)
    report = evaluate("r2", profile, "twin", [result], evidence)
    criterion = next(c for c in report.criteria if c.name == "Open connector sync errors")
    assert (criterion.status, criterion.actual) == ("NOT MET", "1")
    assert report.verdict == "NO-GO"


def test_without_a_ledger_every_open_error_is_the_runs(tmp_path):
    assert run_records(tmp_path / "ledger.jsonl") is None
    summary = sync_health_summary(_health([_error("INVALID_EMAIL", "1", None, BEFORE)]), {}, None)
    assert (summary["open_errors"], summary["earlier_errors"]) == (1, 0)
