"""The exit criterion "configuration matches the profile", judged from the conformance phase's scenarios.

Blocking when the phase ran: any differing clause family is NOT MET. A run that left the phase out (a `-m`
selection) shows it as not measured, advisory, so the sign-off says what the GO did not look at. Every clause the
target could not answer (the coverage scenario's skip reason, one line each) becomes a named, advisory criterion that
is "not measured": the residual risks list it by name.
"""

from __future__ import annotations

from typing import Any

FEATURE = "Configuration conformance"
NOT_EVALUATED_PREFIX = "not evaluated: "
NAME = "Configuration matches the profile"


def conformance_criteria(required: bool, results: list[Any]) -> list[dict[str, Any]]:
    """The criteria as the fields of harness.signoff.criteria.Criterion (deciding imports this module, not back)."""
    ran = [r for r in results if r.feature == FEATURE]
    expected = "every evaluated clause conforms (mappings, sync rules, fields, picklists, owners, FLS, required " \
               "fields, delete policy, automation)"
    if not ran:
        return [_criterion(NAME, expected, "not measured (the conformance phase did not run)", None, False)]
    failed = [r.scenario for r in ran if r.outcome == "failed"]
    passed = sum(1 for r in ran if r.outcome == "passed")
    skipped = sum(1 for r in ran if r.outcome == "skipped")
    actual = (f"{passed} of {len(ran)} conformance scenarios pass"
              + (f", {skipped} not evaluated against this target (residual risks)" if skipped else "")
              + (f"; differing: {'; '.join(failed)}" if failed else ""))
    criteria = [_criterion(NAME, expected, actual, not failed, required)]
    for result in ran:
        if result.outcome != "skipped" or not result.message:
            continue
        for line in str(result.message).splitlines():
            text = line.strip()
            if text.lower().startswith("skipped: "):
                text = text[len("skipped: "):]
            if text.startswith(NOT_EVALUATED_PREFIX) and "every clause" in result.scenario.lower():
                criteria.append(_criterion(f"Conformance clause {text[len(NOT_EVALUATED_PREFIX):]}"[:300],
                                           "evaluated", "not evaluated against this target", None, False))
    return criteria


def _criterion(name: str, expected: str, actual: str, met: bool | None, blocking: bool) -> dict[str, Any]:
    return {"name": name, "expected": expected, "actual": actual, "met": met, "blocking": blocking}
