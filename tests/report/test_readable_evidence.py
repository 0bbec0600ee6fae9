"""Evidence as a person reads it, checked on the shapes the library's failures really take (messages copied from
a `drifted` run's results.jsonl): no class paths or reprs, integers as integers, tables whole, Sync Health errors
grouped, errors the seed caused on purpose marked expected; outline rows named by their example; the charts and
the quality gate by Allure's rules. Without a twin: the end-to-end checks are in test_reports_from_runs.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.profile import load_profile
from harness.report.allure_html import gate_by_allure_rules
from harness.report.charts import results_per_feature, variance_per_object
from harness.report.environment import org_run
from harness.signoff.defects import defect_log
from harness.signoff.health import group_sync_errors, sync_health_summary
from harness.signoff.readable import MAX_TABLE_ROWS, message_blocks, plain_text, readable_message
from harness.signoff.results import ScenarioResult
from harness.signoff.seeded import seeded_records

ROOT = Path(__file__).resolve().parents[2]
OPTIONS = ("[label: Open - Not Contacted, value: Open - Not Contacted, displayOrder: 0, hidden: false, description: "
           "null], [label: Working - Contacted, value: Working - Contacted, displayOrder: 1, hidden: false, "
           "description: null]")
PICKLIST_ERROR = {"category": "picklists", "code": "INVALID_OPTION", "hubspot_object": "contacts",
                  "message": f"hs_lead_status: salesacceptedlead was not one of the allowed options: {OPTIONS}",
                  "salesforce_object": "Lead", "salesforce_id": "00Q1", "occurrences": 3}
TOO_LONG = {"category": "property_values", "code": "STRING_TOO_LONG", "hubspot_object": "contacts",
            "message": "Title: data value too large: Put pass they anything (max length=128)", "salesforce_object": "Lead",
            "salesforce_id": None, "occurrences": 151}


@pytest.fixture(scope="module")
def profile():
    return load_profile(ROOT / "fixtures" / "profiles" / "default.yaml")


def failed(message: str, nodeid: str = "steps/test_uat_suite.py::test_x", evidence: dict | None = None):
    return ScenarioResult(nodeid=nodeid, feature="Territory", scenario="Owner change", outcome="failed", duration=0.1,
                          tags=["critical"], message=message, category="mapping_mismatch", evidence=evidence or {})


def test_a_defect_reads_without_class_paths_reprs_or_float_ids(profile):
    message = ("harness.uat.failures.MappingMismatch: mapping mismatch: HubSpot contact 457000270 owned by the APAC "
               "owner\n{'values_changed': {\"root['hubspot_owner_id']\": {'new_value': 71000002.0, "
               "'old_value': 71000003.0}}}")
    [defect] = defect_log(profile, [failed(message)])
    assert defect["summary"] == "mapping mismatch: HubSpot contact 457000270 owned by the APAC owner"
    assert defect["evidence"] == "hubspot_owner_id: expected 71000003, found 71000002"
    text = json.dumps(defect)
    assert "harness." not in text and "71000003.0" not in text and "{'" not in text and "root[" not in text


def test_a_long_table_is_kept_whole_row_by_row(profile):
    rows = "\n".join(f"| AUD00{i % 9} | error | Flow 'Flow_{i}' (active) | sets Lifecycle Stage to retired stage(s) "
                     f"['recycled'] | deactivate it or move it to an active stage; retired stages must never be written |"
                     for i in range(40))
    message = (f"harness.uat.failures.PlatformAutomation: platform automation: active automation sets a retired stage\n"
               f"| Rule | Severity | Automation | Finding | Fix |\n|---|---|---|---|---|\n{rows}")
    [defect] = defect_log(profile, [failed(message)])
    [table] = [b for b in defect["evidence_blocks"] if b["kind"] == "table"]
    assert table["columns"] == ["Rule", "Severity", "Automation", "Finding", "Fix"]
    assert len(table["rows"]) == 40 and all(len(row) == 5 for row in table["rows"])
    assert table["rows"][-1][-1] == "deactivate it or move it to an active stage; retired stages must never be written"
    # The plain-text form (signoff.json's `evidence`, the Markdown) ends on a whole row, never mid-word.
    assert defect["evidence"].splitlines()[-1].endswith("retired stages must never be written")


def test_a_table_beyond_the_limit_says_how_many_rows_it_left_out():
    lines = ["| a | b |", "|---|---|"] + [f"| {i} | x |" for i in range(MAX_TABLE_ROWS + 7)]
    [table] = message_blocks("\n".join(lines))
    assert len(table["rows"]) == MAX_TABLE_ROWS and table["omitted"] == 7


def test_sync_health_errors_group_by_category_code_and_property_with_one_sample():
    errors = [{**PICKLIST_ERROR, "hubspot_id": str(457000000 + i)} for i in range(10)] + [
        {**TOO_LONG, "hubspot_id": "457000028"}]
    groups = group_sync_errors(errors)
    assert [(g["code"], g["property"], g["records"]) for g in groups] == [
        ("INVALID_OPTION", "hs_lead_status", 10), ("STRING_TOO_LONG", "Title", 1)]
    sample = groups[0]["sample"]["message"]
    assert sample.endswith("allowed options: Open - Not Contacted, Working - Contacted")  # one label per option
    assert "displayOrder" not in sample


def test_errors_on_records_the_seed_planted_for_them_are_expected_with_the_reason(tmp_path):
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text("\n".join(json.dumps(e) for e in [
        {"key": "hs.contacts.long.00000", "id": "457000028", "system": "hubspot", "object": "contacts"},
        {"key": "hs.contacts.00001", "id": "457000001", "system": "hubspot", "object": "contacts"}]) + "\n")
    seeded = seeded_records({"edge_case_keys": {"over_long": ["hs.contacts.long.00000"]}}, ledger)
    assert seeded == {"457000028": "over_long"}
    health = {"by_category": {"property_values": {"errors": 2, "records": 2}, "picklists": {"errors": 1, "records": 1}},
              "errors": [{**TOO_LONG, "hubspot_id": "457000028"}, {**TOO_LONG, "hubspot_id": "457000001"},
                         {**PICKLIST_ERROR, "hubspot_id": "457000028"}]}
    summary = sync_health_summary(health, seeded)
    assert (summary["open_errors"], summary["expected_errors"], summary["unexpected_errors"]) == (3, 1, 2)
    [expected] = [g for g in summary["groups"] if g["expected"]]
    assert expected["code"] == "STRING_TOO_LONG" and "seeded on purpose" in expected["reason"]
    # The same planted record meeting another error, or another record with the same error, stays open.
    assert {(g["code"], g["records"]) for g in summary["groups"] if not g["expected"]} == {
        ("STRING_TOO_LONG", 1), ("INVALID_OPTION", 1)}
    assert seeded_records({}, ledger) == {}  # an older manifest names no planted records: nothing is expected


def test_an_outline_row_carries_its_example_in_its_name(profile):
    row = failed("sync timeout: x", "steps/test_uat_suite.py::test_multi_region[Japan]",
                 {"example": {"country": "Japan"}})
    assert row.title == "Owner change (country: Japan)"
    assert defect_log(profile, [row])[0]["scenario"] == "Owner change (country: Japan)"
    older = failed("sync timeout: x", "steps/test_uat_suite.py::test_multi_region[Germany]")
    assert older.title == "Owner change (Germany)"  # a run recorded before the example was kept: the node id's


def test_plain_text_drops_class_paths_and_whole_number_floats():
    assert plain_text("harness.uat.checks.SyncTimeoutFailure: sync timeout: 71000003.0 after 2.5 s") == \
        "sync timeout: 71000003 after 2.5 s"


def test_the_feature_chart_reads_top_down_like_the_table_and_skipped_is_its_own_grey_series():
    rows = [{"feature": "Alpha", "passed": 1, "failed": 0, "skipped": 2},
            {"feature": "Beta", "passed": 0, "failed": 1, "skipped": 0}]
    svg = results_per_feature(rows)
    y = {m.group(2): float(m.group(1)) for m in re.finditer(r'<text[^>]*y="([\d.]+)"[^>]*>(Alpha|Beta)</text>', svg)}
    assert y["Alpha"] < y["Beta"]  # Alpha, first in the table, is drawn at the top
    skipped = svg.split('class="series serie-2 color-2"')[1].split('class="series')[0]
    assert "<desc class=\"value\">2</desc>" in skipped and "#9e9e9e" in svg  # skipped: grey, not the failure red


def test_a_clean_reconciliation_chart_says_so():
    clean = variance_per_object({"objects": [{"object": "contacts", "variance_pct": 0.0, "mismatched": 0}]})
    assert "all 1 objects agree (0% count variance, no mismatched records)" in clean
    off = variance_per_object({"objects": [{"object": "contacts", "variance_pct": 12.2, "mismatched": 3}]})
    assert "agree" not in off


def test_the_gate_by_allure_rules_never_counts_a_skipped_test_as_a_failure(tmp_path):
    for index, status in enumerate(["passed", "passed", "skipped", "failed"]):
        (tmp_path / f"{index}-result.json").write_text(json.dumps({"historyId": str(index), "status": status,
                                                                   "stop": 1}))
    # An earlier attempt of test 3 that failed, retried and passed: the latest result counts.
    (tmp_path / "r-result.json").write_text(json.dumps({"historyId": "3", "status": "passed", "stop": 2}))
    gate = gate_by_allure_rules(tmp_path, {"minTestsCount": 1, "maxFailures": 0, "successRate": 1.0})
    assert gate["passed"] is True
    assert gate["figures"] == {"tests": 4, "failures": 0, "skipped": 1, "success_rate": 1.0}
    (tmp_path / "z-result.json").write_text(json.dumps({"historyId": "9", "status": "broken", "stop": 1}))
    gate = gate_by_allure_rules(tmp_path, {"minTestsCount": 1, "maxFailures": 0, "successRate": 1.0})
    assert gate["passed"] is False and "1 failed tests, more than 0" in gate["detail"]


def test_the_environment_names_the_org_the_run_ran_not_the_profiles(profile, tmp_path):
    assert org_run(tmp_path, profile) == profile.target.org  # no run state: the profile's
    (tmp_path / "run-state.json").write_text(json.dumps({"options": {"org": "drifted"}}))
    assert org_run(tmp_path, profile) == "drifted"


def test_a_whole_message_reads_without_reprs_for_allure():
    message = ("harness.uat.failures.Picklists: picklists: the variant 'US' was not normalised\n{'Country': None}")
    assert readable_message(message) == "picklists: the variant 'US' was not normalised\nCountry: not set"
