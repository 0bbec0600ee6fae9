"""Reconciliation and automation-audit steps: whole-run checks, computed once and shared by the scenarios."""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.uat import checks


@given("the seeded population has synced", target_fixture="reconciliation")
def population_synced(world):
    return checks.reconciled_population(world)


@then("every synced object's counts agree within the profile's tolerance")
def counts(reconciliation):
    checks.counts_within_tolerance(reconciliation)


@then("every mapped field of every synced pair agrees per its sync rule")
def fields(reconciliation):
    checks.fields_agree(reconciliation)


@then("every key field total in the profile agrees on both sides")
def totals(reconciliation):
    checks.totals_agree(reconciliation)


@then("there are no orphaned records of any class")
def orphans(reconciliation):
    checks.no_orphans(reconciliation)


@when("the automation of both platforms is catalogued", target_fixture="audit")
def catalogue(world):
    return checks.catalogued_automation(world)


@then("no active automation sets a retired lifecycle stage")
def no_retired_setters(audit):
    checks.no_findings(audit, {"AUD001"}, "active automation sets a retired lifecycle stage")


@then("no active automation tests a retired lifecycle stage")
def no_retired_tests(audit):
    checks.no_findings(audit, {"AUD002"}, "active automation tests a retired lifecycle stage")


@then("no governed field is automated by both systems or by the system that does not own it")
def no_competing_automation(audit):
    checks.no_findings(audit, {"AUD003", "AUD006"}, "a governed field is automated outside its system of record")
