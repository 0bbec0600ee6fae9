"""A misconfiguration nobody planted, end to end: the connector's deal stage rule switched to Two-way (HubSpot may
now move an opportunity's stage) ends a whole `uat run` NO-GO, with the connector-setting clause and the
behaviour scenario both failing, and a root cause that names the setting and where to change it."""

from __future__ import annotations

from pathlib import Path

from tests.conformance.mutants import mutant_org
from tests.report.report_runs import uat_run


def test_a_two_way_deal_stage_rule_is_named_by_the_contract_the_behaviour_and_the_causes(tmp_path: Path):
    org = mutant_org(tmp_path, ("connector.yaml", "stage_rule: Always use Salesforce", "stage_rule: Two-way"))
    run = uat_run("--org", str(org), "--no-html", history=tmp_path / "history")
    assert run.completed.returncode == 1 and run.signoff["verdict"] == "NO-GO"
    failed = sorted(f"{r['feature']}: {r['scenario']}" for r in run.results if r["outcome"] == "failed")
    assert failed == ["Configuration conformance: The connector's settings pages say what the profile decided",
                      "Sync rules: A deal stage moved in HubSpot does what the profile's deal stage rule says"], failed
    [cause] = [c for c in run.signoff["causes"] if "deals.stage_rule" in c["names"]]
    assert cause["item"] == "Connector setting deals.stage_rule"
    assert any("Deals > Sync settings > Deal stage" in where for where in cause["change_at"]), cause
    assert "Always use Salesforce" in cause["fix"]
