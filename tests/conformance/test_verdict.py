"""The exit criterion "Configuration matches the profile": blocking when the phase ran, named residual risks for
every clause not evaluated, and not measured (advisory) when a selection left the phase out."""

from __future__ import annotations

from harness.profile import load_profile
from harness.signoff.criteria import evaluate_criteria, verdict_of
from harness.signoff.results import ScenarioResult

from .mutants import DEFAULT

FEATURE = "Configuration conformance"


def result(scenario: str, outcome: str, message: str | None = None, feature: str = FEATURE) -> ScenarioResult:
    return ScenarioResult(f"n::{scenario}", feature, scenario, outcome, 0.1, message=message)


def conformance(results):
    return [c for c in evaluate_criteria(load_profile(DEFAULT), results, [], {})
            if c.name.startswith(("Configuration matches", "Conformance clause"))]


def test_a_differing_family_is_a_blocking_not_met_naming_the_scenario():
    [criterion] = conformance([result("Every mapping runs with the profile's sync rule", "failed"),
                               result("No automation writes a field the other system owns", "passed")])
    assert criterion.blocking and criterion.status == "NOT MET"
    assert "Every mapping runs with the profile's sync rule" in criterion.actual
    assert verdict_of([criterion]) == "NO-GO"


def test_each_clause_not_evaluated_is_named_and_advisory():
    skipped = result("Every clause of the profile is evaluated against this target", "skipped",
                     "Skipped: not evaluated: field_security: every mapped field (no FieldPermissions)\n"
                     "not evaluated: delete_policy: contacts: on a Salesforce delete (no API)")
    main, *named = conformance([skipped, result("Every mapped field and property exists with compatible types",
                                                "passed")])
    assert main.met is True and main.blocking
    assert [c.name for c in named] == ["Conformance clause field_security: every mapped field (no FieldPermissions)",
                                       "Conformance clause delete_policy: contacts: on a Salesforce delete (no API)"]
    assert all(c.met is None and not c.blocking for c in named)


def test_a_run_without_the_phase_says_it_was_not_measured():
    [criterion] = conformance([result("A contact syncs", "passed", feature="Contact sync")])
    assert criterion.status == "not measured" and not criterion.blocking


def test_clauses_sharing_a_family_and_a_reason_are_one_residual_risk():
    """Against real sandboxes the connector's 24 settings share one reason: one named risk, not 24."""
    import pytest

    from harness.conformance import Clause, ConformanceReport, Status
    from harness.uat.conformance import expect_every_clause_evaluated

    no_api = "HubSpot offers no API for the Salesforce integration's settings"
    clauses = [Clause("connector_setting", f"setting.{n} (what it decides)", "x", "-", Status.NOT_EVALUATED, "", None,
                      no_api) for n in range(5)]
    clauses.append(Clause("field_security", "every mapped field", "x", "-", Status.NOT_EVALUATED, "", None, "no login"))

    with pytest.raises(pytest.skip.Exception) as skipped:
        expect_every_clause_evaluated(ConformanceReport(clauses, "the mapping export", 0.1))
    lines = str(skipped.value).splitlines()
    assert lines == [f"not evaluated: connector_setting: 5 clauses, setting.0, setting.1, setting.2 and 2 more ({no_api})",
                     "not evaluated: field_security: every mapped field (no login)"]
    named = conformance([result("Every clause of the profile is evaluated against this target", "skipped",
                                "Skipped: " + "\n".join(lines))])
    assert [c.name for c in named][1:] == [f"Conformance clause {line[len('not evaluated: '):]}" for line in lines]
