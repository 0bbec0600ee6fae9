"""The cadences' findings on a twin that holds data: the twin is served in the test and written to through ordinary
connections (as the integration and its users would); monitor reads it read-only, as it reads production."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from monitor_support import error_contacts, history_rows, sandboxes_profile, uat_monitor

from harness.errors import ProductionRefused
from harness.monitor.daily import DailyThresholds
from harness.monitor.history import rows
from harness.monitor.result import Cadence
from harness.monitor.run import _fresh_folder, run_monitor
from harness.paths import PROJECT_ROOT
from harness.profile import load_profile
from harness.sandboxes import connect
from harness.sandboxes.readonly import connect_read_only
from harness.sandboxes.twin_target import twin_credentials, twin_environment

PROFILE = load_profile(PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml")


def _served(org: str) -> Iterator[dict[str, Any]]:
    from harness.twin import Twin

    with Twin.start(org=org) as twin:
        yield {"twin": twin, "writable": connect(twin_credentials(twin.info())),
               "read_only": connect_read_only(twin_credentials(twin.info()))[0]}


@pytest.fixture
def drifted() -> Iterator[dict[str, Any]]:
    yield from _served("drifted")


@pytest.fixture
def healthy() -> Iterator[dict[str, Any]]:
    yield from _served("healthy")


def _alerts(output: Any, check: str) -> list[str]:
    return [a.message for a in output.result.alerts if a.check == check]


def test_daily_counts_open_errors_by_category_and_alerts_on_new_ones(drifted, tmp_path: Path):
    twin, ro = drifted["twin"], drifted["read_only"]
    error_contacts(drifted["writable"], 0, 2)
    twin.sync_now()
    first = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    errors = first.result.figures["errors"]
    assert errors["by_category"]["picklists"] == 2 and errors["delta"] is None
    assert _alerts(first, "Sync Health errors") and "no previous daily run" in _alerts(first, "Sync Health errors")[0]
    assert first.result.figures["last_successful_sync"]["at"] is not None

    unchanged = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    assert unchanged.result.figures["errors"]["delta"]["picklists"] == 0
    assert unchanged.result.alerts == []

    error_contacts(drifted["writable"], 2, 1)
    twin.sync_now()
    grown = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    assert grown.result.figures["errors"]["delta"]["picklists"] == 1
    [message] = _alerts(grown, "Sync Health errors")
    assert message.startswith("Picklists: 1 more open errors") and message.endswith("now 3")
    assert [r.alerts for r in rows(tmp_path / "history.sqlite")] == [1, 0, 1]


def test_daily_api_usage_against_the_allocation(drifted, tmp_path: Path):
    output = run_monitor(Cadence.DAILY, PROFILE, drifted["read_only"], tmp_path)
    usage = output.result.figures["api_usage"]
    assert usage["salesforce"]["source"] == "limits: DailyApiRequests" and usage["salesforce"]["used"] >= 1
    assert usage["hubspot"]["limit"] > 0 and usage["connector"]["limit"] > 0
    assert _alerts(output, "API usage") == []  # a few calls against a sandbox's allocation
    # A portal whose daily allowance is nearly spent (the twin's limit lowered, not enforced, so reads still answer)
    used = drifted["twin"].hubspot_app.state()["rate_limits"]["used_today"]
    drifted["writable"].control.faults("hubspot", {"rate_limits": {"daily": used + 1, "enforced": False}})
    spent = run_monitor(Cadence.DAILY, PROFILE, drifted["read_only"], tmp_path)
    [message] = _alerts(spent, "API usage")
    assert message.startswith("hubspot has used ") and f"of {used + 1} daily API calls" in message


def test_daily_alerts_on_a_stale_last_sync_and_a_paused_connector(drifted, tmp_path: Path):
    twin, ro = drifted["twin"], drifted["read_only"]
    twin.sync_now()
    fresh = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    assert fresh.result.alerts == [] and fresh.result.figures["last_successful_sync"]["cycles"] == 1
    time.sleep(0.05)
    stale = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path, DailyThresholds(stale_sync_hours=0.01 / 3600))
    assert [a.check for a in stale.result.alerts] == ["Last successful sync"]
    drifted["writable"].control.pause()
    paused = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    assert [str(a) for a in paused.result.alerts] == ["Connector: the connector is paused: nothing syncs until it is resumed"]


def test_a_check_that_cannot_be_read_is_an_alert_and_the_others_still_report(drifted, tmp_path: Path):
    ro = drifted["read_only"]
    assert ro.control is not None
    ro.control.session.headers["Authorization"] = "Bearer not-the-token"  # e.g. a revoked credential
    output = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    [alert] = output.result.alerts
    assert alert.check == "Sync Health" and alert.message.startswith("could not be read (HTTPError 401")
    assert any(line.startswith("Sync Health: not evaluated: the read failed") for line in output.result.not_evaluated)
    assert output.result.figures["api_usage"]["salesforce"]["used"] >= 1  # the rest of the check still reported
    assert [r.alerts for r in rows(tmp_path / "history.sqlite")] == [1]


def test_daily_without_a_control_plane_says_sync_health_is_not_evaluated(drifted, tmp_path: Path):
    ro = drifted["read_only"]
    ro.control = None  # what real sandboxes look like: HubSpot offers no Sync Health API
    output = run_monitor(Cadence.DAILY, PROFILE, ro, tmp_path)
    assert output.result.figures["errors"] is None
    assert any(line.startswith("Sync Health") and "not evaluated" in line for line in output.result.not_evaluated)
    assert "Not evaluated" in output.trend.read_text(encoding="utf-8")


def test_weekly_alerts_on_counts_and_orphans_past_the_thresholds_until_the_sync_catches_up(healthy, tmp_path: Path):
    twin, writable, ro = healthy["twin"], healthy["writable"], healthy["read_only"]
    for i in range(3):
        writable.hubspot.create("contacts", {"email": f"weekly-{i}@example.com", "firstname": "Week",
                                             "lastname": f"Ly{i}", "lifecyclestage": "lead"})
    behind = run_monitor(Cadence.WEEKLY, PROFILE, ro, tmp_path)
    contacts = next(o for o in behind.result.figures["objects"] if o["hubspot_object"] == "contacts")
    assert (contacts["hubspot_count"], contacts["salesforce_count"]) == (3, 0)
    assert behind.result.figures["orphans"]["never_synced"] == 3
    assert _alerts(behind, "Object counts") and _alerts(behind, "Orphaned records")
    # the volume paths pass the read-only guard: HubSpot's CRM exports and Salesforce's Bulk 2.0 query jobs
    assert set(behind.result.figures["extraction"]["paths"].values()) == {"export", "bulk2"}
    twin.sync_now()
    caught_up = run_monitor(Cadence.WEEKLY, PROFILE, ro, tmp_path)
    contacts = next(o for o in caught_up.result.figures["objects"] if o["hubspot_object"] == "contacts")
    assert (contacts["hubspot_count"], contacts["salesforce_count"]) == (3, 3)
    assert caught_up.result.alerts == []
    assert (Path(caught_up.result.figures["evidence"]) / "summary.csv").exists()


def test_the_command_reads_a_served_twin_through_the_environment(drifted, tmp_path: Path):
    error_contacts(drifted["writable"], 0, 2)
    drifted["twin"].sync_now()
    env = twin_environment(drifted["twin"].info())
    profile, reports = sandboxes_profile(tmp_path), tmp_path / "monitor"
    first = uat_monitor("daily", "--profile", str(profile), "--reports", str(reports), env=env)
    assert first.returncode == 1 and "ALERT Sync Health errors" in first.stderr, first.stderr[-2000:]
    again = uat_monitor("daily", "--profile", str(profile), "--reports", str(reports), env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert [r[1:] for r in history_rows(reports)] == [("daily", 1), ("daily", 0)]


def test_each_weekly_run_extracts_into_a_folder_of_its_own(tmp_path: Path):
    """Extraction resumes from its folder's manifest: a second run in the same second must not reuse the first's."""
    first = _fresh_folder(tmp_path)
    first.mkdir()
    second = _fresh_folder(tmp_path)
    assert second != first and not second.exists()


def test_production_is_read_by_monitor_only(tmp_path: Path):
    """A twin org that says it is production (Organization.IsSandbox false, a STANDARD portal): `uat run`'s
    connections refuse it; `uat monitor` reads it, and its first line says it is production and why that is allowed."""
    from harness.twin import Twin

    org = tmp_path / "production"
    shutil.copytree(PROJECT_ROOT / "fixtures" / "orgs" / "healthy", org)
    for name, before, after in (("salesforce.yaml", "is_sandbox: true", "is_sandbox: false"),
                                ("hubspot.yaml", "type: SANDBOX", "type: STANDARD")):
        text = (org / name).read_text(encoding="utf-8")
        assert before in text
        (org / name).write_text(text.replace(before, after, 1), encoding="utf-8")
    with Twin.start(org=str(org)) as twin, pytest.raises(ProductionRefused):
        connect(twin_credentials(twin.info()))
    reports = tmp_path / "monitor"
    done = uat_monitor("daily", "--org", str(org), "--reports", str(reports))
    assert done.returncode == 0, done.stderr[-2000:]
    first = done.stderr.splitlines()[0]
    assert first.startswith("production guard: monitor mode is read-only")
    assert "is a PRODUCTION org" in first and "is a PRODUCTION portal (STANDARD)" in first
    assert [r[1:] for r in history_rows(reports)] == [("daily", 0)]
