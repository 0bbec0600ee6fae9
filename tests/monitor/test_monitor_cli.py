"""`uat monitor` as a user runs it: one history row per run, the trend page, exit 1 on an alert, 2 on bad input."""

from __future__ import annotations

import json

from monitor_support import INTEGRATION_LOGIN, history_rows, sandboxes_profile, uat_monitor


def test_every_cadence_adds_one_row_and_rebuilds_the_trend_page(tmp_path):
    reports = tmp_path / "monitor"
    for number, cadence in enumerate(("daily", "weekly", "quarterly", "daily"), start=1):
        done = uat_monitor(cadence, "--reports", str(reports), env=INTEGRATION_LOGIN)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stderr.startswith("production guard: monitor mode is read-only"), done.stderr[:300]
        assert [r[0] for r in history_rows(reports)] == list(range(1, number + 1))
        assert history_rows(reports)[-1][1:] == (cadence, 0)
        assert json.loads((reports / f"latest-{cadence}.json").read_text())["cadence"] == cadence
    page = (reports / "trend.html").read_text(encoding="utf-8")
    assert page.count("<tr><td>") == 4  # every run in the table
    assert "<svg" in page and "<script" not in page  # charts are static drawings


def test_an_alert_exits_1_and_is_still_recorded(tmp_path):
    reports = tmp_path / "monitor"
    done = uat_monitor("quarterly", "--org", "drifted", "--reports", str(reports))
    assert done.returncode == 1, done.stderr[-2000:]
    alerts = [line for line in done.stderr.splitlines() if line.startswith("ALERT ")]
    checks = {line.split(":")[0] for line in alerts}
    assert checks == {"ALERT Mapping conformance", "ALERT Automation audit", "ALERT Dead-stage logic"}
    assert "Lead_Mark_Sales_Accepted" in done.stderr  # drifted's D4: a flow on a retired stage
    [(row, cadence, count)] = history_rows(reports)
    assert (cadence, count) == ("quarterly", len(alerts))
    latest = json.loads((reports / "latest-quarterly.json").read_text())
    assert any(r["source"] == "conformance" and r["fix"].startswith("change at:") for r in latest["remediation"])
    assert any(r["source"] == "audit" and "retired" in r["problem"] for r in latest["remediation"])


def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path):
    reports = tmp_path / "monitor"
    unknown = uat_monitor("hourly", "--reports", str(reports))
    assert unknown.returncode == 2 and "hourly" in unknown.stderr
    missing = uat_monitor("daily", "--profile", str(tmp_path / "nope.yaml"), "--reports", str(reports))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and "nope.yaml" in missing.stderr
    assert not reports.exists()
    a_file = tmp_path / "file"
    a_file.write_text("x")
    wrong = uat_monitor("daily", "--reports", str(a_file))
    assert wrong.returncode == 2 and wrong.stderr.startswith("uat: --reports") and a_file.read_text() == "x"
    no_credentials = uat_monitor("daily", "--profile", str(sandboxes_profile(tmp_path)), "--reports", str(reports),
                                 env={"UAT_SF_INSTANCE_URL": "", "UAT_SF_ACCESS_TOKEN": "", "UAT_SF_USERNAME": "",
                                      "UAT_SF_CLIENT_ID": "", "UAT_HUBSPOT_TOKEN": ""})
    assert no_credentials.returncode == 2 and no_credentials.stderr.startswith("uat: ")
    assert not reports.exists()
