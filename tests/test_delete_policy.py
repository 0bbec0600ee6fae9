"""The delete-policy scenarios follow the profile's `delete_policy`, object by object and side by side: on `healthy`
each synced pair deleted on one side leaves the other as the profile says; with the connector's Salesforce contact
delete flipped (HubSpot contacts deleted with their Lead or Contact) the run ends NO-GO naming that setting on both
Salesforce objects, and nothing else fails (a real `uat run` on the twin, delete scenarios only)."""

from __future__ import annotations

import re
from pathlib import Path

from harness.uat.deletions import DELETE_PAIRS, SIDES
from tests.conformance.mutants import mutant_org
from tests.report.report_runs import ROOT, uat_run

FEATURE = ROOT / "features" / "deletions.feature"


def test_the_feature_exercises_every_pair_on_both_sides():
    rows = re.findall(r"^\s*\|\s*(\w+)\s*\|\s*(\w+)\s*\|\s*(\w+)\s*\|\s*$", FEATURE.read_text(encoding="utf-8"), re.M)
    examples = {tuple(r) for r in rows if r[0] != "hubspot_object"}
    assert examples == {(o, s, side) for o, s in DELETE_PAIRS for side in SIDES}


def test_a_flipped_contact_delete_setting_fails_the_scenarios_it_governs(tmp_path: Path):
    org = mutant_org(tmp_path, ("connector.yaml", "    on_salesforce_delete: do_nothing\n",
                                "    on_salesforce_delete: delete_contact\n"))
    run = uat_run("--org", str(org), "-m", "delete_policy", "--no-html", history=tmp_path / "history")
    assert run.completed.returncode == 1 and run.signoff["verdict"] == "NO-GO"
    failed = {r["scenario"]: r for r in run.results if r["outcome"] == "failed"}
    assert sorted(failed) == [f"A Salesforce delete of a synced {s} does what the profile's delete policy says"
                              for s in ("Contact", "Lead")], sorted(failed)
    for result in failed.values():
        assert result["category"] == "mapping_mismatch"
        assert "delete_policy.contacts.on_salesforce_delete is do_nothing" in result["message"], result["message"]
    assert sum(r["outcome"] == "passed" for r in run.results) == 7
