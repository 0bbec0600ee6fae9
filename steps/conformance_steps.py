"""Configuration conformance steps: the comparison runs once per session; each scenario judges one clause family."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from harness.uat import conformance


@when("the configuration the target runs is compared with the profile", target_fixture="conformance_report")
def compare(world):
    return conformance.compare(world)


@then(parsers.parse('every clause about {family} conforms to the profile'))
def family_conforms(conformance_report, family):
    conformance.expect_family_conforms(conformance_report, family)


@then("every clause of the profile was evaluated against this target")
def every_clause_evaluated(conformance_report):
    conformance.expect_every_clause_evaluated(conformance_report)
