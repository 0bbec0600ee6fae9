"""The reports of real runs, read as their readers read them: the verdict, the criteria behind it, the failed
scenarios and their categories, the defect log, who has not signed, and the Allure labels, evidence,
environment and history. Runs come from `uat run` (see conftest.py)."""

from __future__ import annotations

import json
import re

import pytest
from report_runs import ROOT, Run, uat, uat_run

from harness.signoff.categories import CATEGORIES

pytestmark = pytest.mark.slow


def blocking(run: Run) -> list[dict]:
    return [c for c in run.signoff["criteria"] if c.get("blocking", True)]


# -- healthy ----------------------------------------------------------------------------------------
def test_healthy_run_has_no_failure_and_its_verdict_follows_the_criteria(healthy_run: Run):
    s = healthy_run.signoff
    assert s["totals"]["failed"] == 0 and s["totals"]["passed"] >= 2, healthy_run.completed.stderr[-2000:]
    assert s["defects"] == []
    # Whatever the run measured, it met; GO exactly when every blocking criterion is met (exit 0 only on GO).
    assert all(c["met"] or c["actual"].startswith("not measured") for c in blocking(healthy_run))
    expected = "GO" if all(c["met"] for c in blocking(healthy_run)) else "NO-GO"
    assert s["verdict"] == expected
    assert healthy_run.completed.returncode == (0 if expected == "GO" else 1)
    assert f"Verdict: {expected}" in healthy_run.text("signoff.md")
    assert f'data-verdict="{expected}"' in healthy_run.text("signoff.html")


def test_healthy_run_reports_sync_health_budget_and_time_to_sync(healthy_run: Run):
    s = healthy_run.signoff
    timing = s["time_to_sync"]
    assert timing["expectations"] >= 2 and timing["timeouts"] == 0
    assert 0 <= timing["median"] <= timing["p95"] <= timing["max"]
    assert {row["system"] for row in s["api_budget"]} >= {"salesforce", "hubspot"}
    assert all(row["used"] > 0 for row in s["api_budget"])
    assert s["sync_health"]["categories"] and "open_errors" in s["sync_health"]
    assert s["environment"]["target"]["twin_org"] == "healthy"
    assert s["environment"]["salesforce"]["IsSandbox"] is True


def test_every_stakeholder_is_unsigned_after_a_run(healthy_run: Run):
    s = healthy_run.signoff
    assert [x["decision"] for x in s["stakeholders"]] == ["pending"] * len(s["stakeholders"]) != []
    assert s["signoff"]["pending"] == [x["role"] for x in s["stakeholders"]]
    assert "not signed yet: " + ", ".join(s["signoff"]["pending"]) in healthy_run.completed.stderr


def test_the_terminal_ends_with_a_summary_and_the_report_paths(healthy_run: Run):
    tail = healthy_run.completed.stderr.strip().splitlines()
    assert tail[-1].startswith("verdict:  " + healthy_run.signoff["verdict"])
    stderr = healthy_run.completed.stderr
    for name in ("signoff.html", "signoff.md", "allure-report/index.html"):
        assert str(healthy_run.folder / name) in stderr
    assert all(f["feature"] in stderr for f in healthy_run.signoff["by_feature"])  # the results-per-feature table


def test_allure_results_carry_labels_owner_links_and_time_to_sync(healthy_run: Run):
    assert healthy_run.allure_results
    for result in healthy_run.allure_results:
        labels = {}
        for label in result["labels"]:
            labels.setdefault(label["name"], []).append(label["value"])
        assert {"epic", "feature", "story", "severity", "owner"} <= set(labels), result["name"]
        # The story is the scenario; an outline row's name adds its example values ("(country: Japan)").
        assert result["name"] == labels["story"][0] or result["name"].startswith(labels["story"][0] + " (")
        assert labels["severity"][0] in {"blocker", "critical", "normal", "minor", "trivial"}
        if any(tag.startswith("object_") for tag in labels.get("tag", [])):
            assert any(link["name"].startswith("Salesforce ") for link in result.get("links", [])), result["name"]
        # Step parameters are the values the Gherkin step parsed, never a fixture's repr.
        steps = result["steps"]
        assert not any("Sandboxes(" in p["value"] for step in steps for p in step.get("parameters", []))
    attachments = [a["name"] for r in healthy_run.allure_results for step in r["steps"] for a in step.get("attachments", [])]
    assert any(name.startswith("time to sync") for name in attachments)


def test_allure_environment_config_and_history(healthy_run: Run, mismatch_run: Run, allure_history):
    properties = (healthy_run.folder / "allure-results" / "environment.properties").read_text()
    for key in ("profile.sha256", "mappings.contacts", "target.kind", "salesforce.Id", "hubspot.portalId",
                "seed.seed", "versions.allure-pytest-bdd"):
        assert re.search(rf"^{re.escape(key)}=", properties, re.M), key
    config = json.loads((healthy_run.folder / "allurerc.json").read_text())
    assert {r["name"] for r in config["categories"]["rules"]} >= {"Sync timeout", "Mapping mismatch", "Duplicates"}
    assert config["qualityGate"]["rules"][0]["maxFailures"] == 0
    assert config["historyPath"] == str(allure_history)
    runs = [json.loads(line) for line in allure_history.read_text().splitlines() if line.strip()]
    assert len(runs) >= 2  # healthy, then the mapping drift: trends across runs
    assert "googletagmanager" not in (healthy_run.folder / "allure-report" / "index.html").read_text()
    # Allure's own gate on the same thresholds agrees with the sign-off wherever it can run (Node >= 22).
    assert healthy_run.signoff["extra"]["allure_quality_gate"]["passed"] in (True, None)
    assert mismatch_run.signoff["extra"]["allure_quality_gate"]["passed"] in (False, None)


# -- a run that must fail: the profile's mapping CSV disagrees with the connector ----------------------
def test_mapping_drift_is_no_go_with_exit_code_1(mismatch_run: Run):
    s = mismatch_run.signoff
    assert mismatch_run.completed.returncode == 1
    assert s["verdict"] == "NO-GO"
    failed = next(c for c in s["criteria"] if c["name"] == "Failed scenarios")
    assert failed["met"] is False and int(failed["actual"]) == s["totals"]["failed"] > 0
    assert "Verdict: NO-GO" in mismatch_run.text("signoff.md")


def test_defect_log_lists_exactly_the_failed_scenarios_with_their_categories(mismatch_run: Run):
    failed = {(r["feature"], r["scenario"]): r for r in mismatch_run.results if r["outcome"] == "failed"}
    defects = {(d["feature"], d["scenario"]): d for d in mismatch_run.signoff["defects"]}
    assert set(defects) == set(failed) != set()
    for name, defect in defects.items():
        assert defect["category"] == CATEGORIES[failed[name]["category"]]
        assert defect["owner"] and defect["summary"]
    company = [d for d in defects.values() if "company" in d["fields"]]
    assert company and all(d["category"] == "Mapping mismatch" for d in company)
    # No row of the source-of-truth map names `company`: the contacts object's owner answers.
    assert {d["owner"] for d in company} == {"Marketing Ops"}


def test_the_html_shows_each_defect_and_the_unsigned_roles(mismatch_run: Run):
    html = mismatch_run.text("signoff.html")
    for defect in mismatch_run.signoff["defects"]:
        assert f"<td>{defect['id']}</td><td>{defect['category']}</td>" in html
        assert f'data-category="{defect["category_key"]}"' in html
    assert "Not signed yet: Marketing Ops, Sales Ops, Business owner." in html
    assert html.count('data-decision="pending"') == 3


def test_allure_categorises_the_failure_and_attaches_the_difference(mismatch_run: Run):
    failed = [r for r in mismatch_run.allure_results if r["status"] == "failed"]
    assert failed
    for result in failed:
        kinds = [label["value"] for label in result["labels"] if label["name"] == "failure_kind"]
        assert kinds == ["Mapping mismatch"], result["name"]
        attachments = [a["name"] for step in result["steps"] for a in step.get("attachments", [])]
        assert any(name.startswith("difference: mapping mismatch") for name in attachments)
    drifted_hash = mismatch_run.signoff["environment"]["mappings"]["contacts"]["sha256"]
    assert drifted_hash in (mismatch_run.folder / "allure-results" / "environment.properties").read_text()


# -- stakeholder sign-off (`signable`: a copy of the drift run's folder, conftest.py) -------------------------
def test_a_rejection_is_recorded_and_the_reports_re_rendered(signable):
    done = uat("signoff", "reject", "--run", signable.name, "--role", "Sales Ops", "--name", "Marcus Lee",
               "--comment", "company lands in Title")
    assert done.returncode == 0, done.stderr
    data = json.loads((signable / "signoff.json").read_text())
    row = next(s for s in data["stakeholders"] if s["role"] == "Sales Ops")
    assert (row["decision"], row["signed_by"], row["comment"]) == ("rejected", "Marcus Lee", "company lands in Title")
    assert data["signoff"]["pending"] == ["Marketing Ops", "Business owner"]
    assert data["signoff"]["state"].startswith("rejected by Sales Ops")
    assert 'data-decision="rejected"' in (signable / "signoff.html").read_text()
    assert "| Sales Ops" in (signable / "signoff.md").read_text()
    assert len((signable / "decisions.jsonl").read_text().splitlines()) == 1


def test_approving_a_no_go_run_needs_a_comment_and_a_known_role(signable):
    bare = uat("signoff", "approve", "--run", signable.name, "--role", "Marketing Ops", "--name", "Dana Whitfield")
    assert bare.returncode == 2 and bare.stderr.startswith("uat: ") and "--comment" in bare.stderr
    assert "Traceback" not in bare.stderr and len(bare.stderr.strip().splitlines()) == 1
    unknown = uat("signoff", "approve", "--run", signable.name, "--role", "CFO", "--name", "X", "--comment", "ok")
    assert unknown.returncode == 2 and "'Marketing Ops'" in unknown.stderr
    missing = uat("signoff", "approve", "--run", "19990101-000000-dead", "--role", "CFO", "--name", "X")
    assert missing.returncode == 2 and "no sign-off report" in missing.stderr
    assert not (signable / "decisions.jsonl").exists()
    accepted = uat("signoff", "approve", "--run", signable.name, "--role", "marketing ops", "--name", "Dana Whitfield",
                   "--comment", "accepting D-001 until the CSV is fixed")
    assert accepted.returncode == 0, accepted.stderr
    shown = uat("signoff", "show", "--run", signable.name)
    assert shown.returncode == 1  # NO-GO, and two roles still to sign
    assert "approved" in shown.stderr and "awaiting Sales Ops, Business owner" in shown.stderr


# -- drifted org (when it exists) ----------------------------------------------------------------------
def test_drifted_org_is_no_go_and_every_failure_is_in_the_defect_log(drifted_run: Run):
    s = drifted_run.signoff
    assert drifted_run.completed.returncode == 1 and s["verdict"] == "NO-GO"
    failed = {r["nodeid"]: r["category"] for r in drifted_run.results if r["outcome"] == "failed"}
    assert failed
    assert {d["nodeid"]: d["category_key"] for d in s["defects"]} == failed
    assert len(s["defects"]) == len(failed)
    html = drifted_run.text("signoff.html")
    assert all(d["id"] in html for d in s["defects"])


# -- regression run on a mapping change ------------------------------------------------------------------
def test_impacted_by_runs_only_the_scenarios_the_mapping_change_touches(tmp_path, allure_history, healthy_run: Run):
    shipped = ROOT / "fixtures" / "mappings" / "contacts.csv"
    old = tmp_path / "contacts.csv"  # the CSV as it was before a change to `company`'s sync rule
    lines = shipped.read_text(encoding="utf-8").splitlines()
    changed = [line.replace(",Two-way", ",Prefer Salesforce unless blank") if ",company," in line else line
               for line in lines]
    assert changed != lines, "the shipped contacts.csv maps `company` Two-way"
    old.write_text("\n".join(changed) + "\n", encoding="utf-8")
    run = uat_run("--impacted-by", str(old), history=allure_history)
    selection = run.signoff["extra"]["selection"]
    assert selection.startswith("impacted by contacts.csv: 1 mapping change(s)")
    assert ("(object_contact and field_company) or (object_contact and rule_prefer_salesforce_unless_blank) or "
            "(object_contact and rule_two_way) or reconciliation or audit") in selection
    assert run.results, run.completed.stderr[-2000:]
    for result in run.results:
        tags = set(result["tags"])
        touched = {"object_contact", "field_company"} <= tags or \
            ("object_contact" in tags and tags & {"rule_two_way", "rule_prefer_salesforce_unless_blank"})
        # The whole-population checks run on every change: reconciliation, the audit, configuration conformance.
        assert touched or tags & {"reconciliation", "audit", "conformance"}, result["scenario"]
    every = {r["scenario"] for r in healthy_run.results}
    assert {r["scenario"] for r in run.results} < every  # a subset: scenarios not touching `company` did not run
    assert any(r["area"] == "Coverage" and "impacted by" in r["risk"] for r in run.signoff["risks"])


def test_impacted_by_a_missing_file_is_one_line_and_exit_2():
    done = uat("run", "--impacted-by", "no/such/contacts.csv")
    assert done.returncode == 2 and done.stderr.startswith("uat: --impacted-by no/such/contacts.csv: file not found")
    assert "Traceback" not in done.stderr



def test_a_parallel_run_reports_every_scenario_with_its_evidence(healthy_run: Run, allure_history):
    parallel = uat_run("-n", "2", history=allure_history)
    assert "INTERNALERROR" not in (parallel.folder / "pytest.log").read_text()
    assert {r["scenario"] for r in parallel.results} == {r["scenario"] for r in healthy_run.results}
    assert parallel.signoff["totals"] == healthy_run.signoff["totals"]
    # Time-to-sync is recorded in both (how many polls an expectation takes varies between runs, so not its count).
    assert parallel.signoff["time_to_sync"]["expectations"] > 0 and healthy_run.signoff["time_to_sync"]["expectations"] > 0


# -- evidence a person reads, a GO page that agrees with itself (issue 15) ---------------------------------------
CLASS_PATH = re.compile(r"\b(?:[a-z_]+\.){2,}[A-Z]\w+:")
FLOAT_ID = re.compile(r"\b\d{5,}\.0\b")


def test_drifted_evidence_has_no_class_path_no_repr_no_float_id_and_whole_tables(drifted_run: Run):
    s = drifted_run.signoff
    for defect in s["defects"]:
        text = defect["summary"] + "\n" + defect["evidence"]
        assert not CLASS_PATH.search(text), (defect["id"], text[:200])
        assert not FLOAT_ID.search(text), (defect["id"], text[:200])
        assert "{'" not in text and "[{" not in text, (defect["id"], text[:300])
        for block in defect["evidence_blocks"]:
            if block["kind"] == "table":
                assert all(len(row) == len(block["columns"]) for row in block["rows"]), defect["id"]
    for scenario in s["scenarios"]:
        assert not CLASS_PATH.search(scenario["message"] or ""), scenario["message"]
    markdown = drifted_run.text("signoff.md")
    assert not CLASS_PATH.search(markdown) and not FLOAT_ID.search(markdown)
    # Allure shows the same message: no class path on the scenario nor on its failed step.
    messages = [r["statusDetails"]["message"] for r in drifted_run.allure_results if r["status"] == "failed"] + [
        step["statusDetails"]["message"] for r in drifted_run.allure_results for step in r["steps"]
        if (step.get("statusDetails") or {}).get("message")]
    assert messages and not any(CLASS_PATH.search(m) or "{'" in m for m in messages), messages[:3]


def test_drifted_outline_rows_name_their_example_and_the_environment_names_the_org(drifted_run: Run):
    s = drifted_run.signoff
    outline = [x["scenario"] for x in s["scenarios"] if x["scenario"].startswith("Multi-region records")]
    assert sorted(outline) == ["Multi-region records keep their country on both sides (country: Germany)",
                               "Multi-region records keep their country on both sides (country: Japan)",
                               "Multi-region records keep their country on both sides (country: United States)"]
    allure_names = {r["name"] for r in drifted_run.allure_results if r["name"].startswith("Multi-region records")}
    assert allure_names == set(outline)
    assert s["environment"]["target"]["twin_org"] == "drifted"
    assert "target.twin_org=drifted" in (drifted_run.folder / "allure-results" / "environment.properties").read_text()


def test_one_spelling_of_each_category_in_json_markdown_html_and_allure(drifted_run: Run):
    s = drifted_run.signoff
    names = set(CATEGORIES.values())
    assert {d["category"] for d in s["defects"]} <= names
    assert {x["category"] for x in s["scenarios"] if x["category"]} <= names
    kinds = {label["value"] for r in drifted_run.allure_results for label in r["labels"]
             if label["name"] == "failure_kind"}
    assert kinds == {d["category"] for d in s["defects"]}
    markdown, html = drifted_run.text("signoff.md"), drifted_run.text("signoff.html")
    for key in {d["category_key"] for d in s["defects"]}:
        assert f"| {key} " not in markdown  # the key (`sync_timeout`) never stands in for the name
        assert f"<td>{CATEGORIES[key]}</td>" in html


def test_drifted_sync_health_is_grouped_by_category_code_and_property(drifted_run: Run):
    health = drifted_run.signoff["sync_health"]
    groups = health["groups"]
    assert sum(g["errors"] for g in groups) == health["open_errors"]
    assert len({(g["category"], g["code"], g["property"], g["expected"]) for g in groups}) == len(groups)
    picklists = next(g for g in groups if g["code"] == "INVALID_OPTION")
    assert picklists["property"] == "hs_lead_status" and picklists["records"] > 1
    assert "displayOrder" not in picklists["sample"]["message"]


def test_the_go_page_shows_seeded_errors_as_expected_and_advisory_criteria_as_advisory(healthy_run: Run):
    s = healthy_run.signoff
    health = s["sync_health"]
    seeded = [g for g in health["groups"] if g["expected"]]
    # The recipe plants over-long values on purpose; Salesforce refusing them in the sync is the expected outcome.
    assert seeded and all(g["code"] == "STRING_TOO_LONG" and "seeded on purpose" in g["reason"] for g in seeded)
    assert health["expected_errors"] == sum(g["errors"] for g in seeded)
    sync = next(c for c in s["criteria"] if c["name"] == "Open connector sync errors")
    assert sync["actual"].startswith(str(health["unexpected_errors"]))
    html = healthy_run.text("signoff.html")
    banner = html.split('id="verdict"')[1].split("</section>")[0]
    advisory = [c for c in s["criteria"] if not c.get("blocking", True) and c["met"] is False]
    if s["verdict"] == "GO":
        assert "Every blocking exit criterion is met." in banner
    # An advisory criterion not met is named in the banner as advisory, never beside an unqualified "every ... met".
    assert all(c["name"] in banner for c in advisory) and ("Advisory, not deciding the verdict" in banner) == bool(
        advisory)
    assert 'data-expected="true"' in html and "seeded on purpose" in html
