"""Root causes from evidence shapes real runs produce, without a twin: a conformance clause, an audit finding, a
Sync Health error, failed scenarios. A failure is linked only for a reason that can be stated; the rest is
unexplained."""

from __future__ import annotations

from types import SimpleNamespace

from harness.report.allure_causes import cause_rules
from harness.signoff.causes import infer_causes
from harness.signoff.results import ScenarioResult

PROFILE = SimpleNamespace(lifecycle=SimpleNamespace(retired=["recycled"]), field_mappings=[
    SimpleNamespace(hubspot_property="hubspot_owner_id", salesforce_field="OwnerId")])
FLS = {"kind": "field_security", "item": "contacts: hs_mql_date <-> Lead.MQL_Date__c", "status": "differs",
       "expected": "integration@example.com can edit it", "actual": "integration@example.com can read",
       "change_at": "Salesforce Setup > Object Manager > Lead > Fields & Relationships > MQL_Date__c",
       "functional_owner": "RevOps"}
WORKFLOW = {"kind": "automation", "status": "differs", "functional_owner": "Sales Ops",
            "item": "hubspot Workflow 'Rotate owners' (active) sets contacts.hubspot_owner_id",
            "expected": "only salesforce automates contacts.hubspot_owner_id", "actual": "hubspot automation writes it",
            "change_at": "HubSpot: Automation > Workflows > Rotate owners"}
MQL_ERROR = {"category": "permissions", "code": "INVALID_FIELD_FOR_INSERT_UPDATE", "hubspot_id": "4570001",
             "message": "Unable to create/update fields: MQL_Date__c. Please check the security settings.",
             "salesforce_object": "Lead"}


def failed(name: str, category: str, message: str, tags: list[str] | None = None) -> ScenarioResult:
    return ScenarioResult(nodeid=name, feature="F", scenario=name, outcome="failed", duration=1.0,
                          tags=tags or [], message=message, category=category)


def infer(results, clauses, errors=(), audit=None):
    defects = [{"nodeid": r.nodeid, "id": f"D-{i:03d}", "owner": "RevOps", "summary": r.message}
               for i, r in enumerate(results, start=1)]
    return infer_causes(PROFILE, results, defects, {"clauses": clauses}, audit, None, {"errors": list(errors)})


def test_a_failure_is_linked_by_its_sync_health_error_and_an_unrelated_one_stays_unexplained():
    results = [failed("MQL date reaches Salesforce", "permissions",
                      "permissions: HubSpot contacts 4570001 ...: the connector recorded permissions error "
                      "INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: MQL_Date__c. Please check."),
               failed("Phone reaches Salesforce", "sync_timeout", "sync timeout: phone did not hold")]
    causes, unexplained = infer(results, [FLS], [MQL_ERROR])
    [cause] = causes
    assert cause["kind"] == "FLS entry" and cause["names"] == ["Lead.MQL_Date__c"] and cause["owner"] == "RevOps"
    assert "MQL_Date__c" in cause["what"] and cause["change_at"] == [FLS["change_at"]]
    assert [s["scenario"] for s in cause["scenarios"]] == ["F: MQL date reaches Salesforce"]
    assert "INVALID_FIELD_FOR_INSERT_UPDATE" in cause["scenarios"][0]["why"]
    assert cause["sync_errors"][0]["records"] == 1 and cause["sync_errors"][0]["property"] == "MQL_Date__c"
    assert [u["scenario"] for u in unexplained["scenarios"]] == ["F: Phone reaches Salesforce"]


def test_an_automation_explains_a_difference_on_the_field_it_writes_but_not_a_timeout_there():
    results = [failed("Owner change reaches HubSpot", "mapping_mismatch",
                      "mapping mismatch: {'values_changed': {\"root['hubspot_owner_id']\": {}}}"),
               failed("Owner syncs in time", "sync_timeout", "sync timeout: hubspot_owner_id did not hold")]
    causes, unexplained = infer(results, [WORKFLOW])
    [cause] = causes
    assert cause["names"] == ["Rotate owners"] and cause["kind"] == "workflow"
    assert [s["scenario"] for s in cause["scenarios"]] == ["F: Owner change reaches HubSpot"]
    assert [u["scenario"] for u in unexplained["scenarios"]] == ["F: Owner syncs in time"]


def test_a_difference_no_failure_shows_is_no_cause_and_a_clean_run_has_none():
    assert infer([], [FLS]) == ([], {"scenarios": [], "sync_errors": []})
    causes, unexplained = infer([], [], [MQL_ERROR])
    assert causes == [] and unexplained["sync_errors"][0]["code"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_each_cause_is_an_allure_category_ahead_of_the_failure_kinds():
    results = [failed("MQL date reaches Salesforce", "permissions", "the connector recorded permissions error "
                      "INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create/update fields: MQL_Date__c.")]
    causes, _ = infer(results, [FLS], [MQL_ERROR])
    [rule] = cause_rules(causes)
    assert rule["name"].startswith("Root cause C1: ") and rule["matchers"]["labels"] == {"root_cause": "^C1$"}
