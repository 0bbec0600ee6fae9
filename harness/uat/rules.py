"""Sync rules exercised straight from the mapping CSV: choose a pair whose mappings of a rule can be written on
the side that acts, change them all, and check each mapping the way its rule reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from harness.profile import FieldMapping
from harness.reconcile import expected_difference
from harness.uat.companies import account_synced
from harness.uat.contract_matrix import cannot_exercise, elsewhere, row_name
from harness.uat.failures import MappingMismatch
from harness.uat.pairs import Pair, contact_synced, expect_hubspot_values, expect_salesforce_values
from harness.uat.testdata import new_person
from harness.uat.values import SKIPPED, FieldValue, fresh_value
from harness.uat.waiter import settle
from harness.uat.world import World

# Object pairs in the order a rule's scenario tries them.
CANDIDATES = [("contacts", "Lead"), ("companies", "Account"), ("deals", "Opportunity")]


class NoMappingToExercise(LookupError):
    """The profile has no mapping of this rule that can be written on the acting side: nothing to test."""


@dataclass
class RuleCase:
    """The scenario's state for one rule. Unlike the other fixtures the steps produce, it accumulates: each When
    adds what it wrote (`written`) and what both sides held just before (`before`), the Thens read both, and a
    scenario may write twice (Prefer Salesforce unless blank), so one mutable holder passes through its steps."""

    rule: str
    pair: Pair
    mappings: list[FieldMapping]
    written: dict[str, FieldValue] = field(default_factory=dict)  # hubspot property -> latest value written
    before: dict[str, dict[str, Any]] = field(default_factory=dict)  # snapshots of both sides before the last write


def _eligible(world: World, rule: str, side: str, hubspot_object: str, sobject: str) -> list[FieldMapping]:
    """The rule's mappings the scenario writes on `side`. Governed rows (identity, owner, lifecycle and its stamps)
    have scenarios of their own; any other row that cannot be written fails the scenario naming it: none is dropped."""
    out = []
    for mapping in world.mappings_for(hubspot_object, sobject, rule):
        if mapping.hubspot_property in SKIPPED or mapping.salesforce_field in {"OwnerId", "Email"} \
                or elsewhere(world, mapping):
            continue
        reason = cannot_exercise(world, mapping, sobject, side)
        if reason is not None:
            raise MappingMismatch(f"{row_name(mapping, sobject)} ({mapping.where}) cannot be exercised: {reason}")
        out.append(mapping)
    return out


def pair_for_rule(world: World, rule: str, side: str) -> RuleCase:
    for hubspot_object, sobject in CANDIDATES:
        mappings = _eligible(world, rule, side, hubspot_object, sobject)
        if not mappings:
            continue
        # Fields under Prefer Salesforce unless blank start blank in Salesforce, so HubSpot may fill them.
        if hubspot_object == "contacts":
            pair = contact_synced(world, sobject)
        else:
            blank = {m.salesforce_field for m in mappings if rule == "Prefer Salesforce unless blank"}
            pair = account_synced(world, leave_blank=blank) if sobject == "Account" else None
            if pair is None:
                continue
        return RuleCase(rule, pair, mappings)
    raise NoMappingToExercise(f"the profile has no '{rule}' mapping that can be written in {side.title()}")


def rule_case(world: World, rule: str, side: str) -> RuleCase:
    """The case for `rule` acted on in `side` ("HubSpot" or "Salesforce", as the step reads). A profile with no such
    mapping skips the scenario: nothing to exercise is neither a pass nor a failure."""
    try:
        return pair_for_rule(world, rule, side.strip().lower())
    except NoMappingToExercise as nothing:
        pytest.skip(str(nothing))


def clear_in_hubspot(world: World, case: RuleCase) -> None:
    """Blank every mapping of the case that may be blank in Salesforce; skips the scenario when none may."""
    try:
        change_in_hubspot(world, case, clear=True)
    except NoMappingToExercise as nothing:
        pytest.skip(str(nothing))


def _snapshot(world: World, case: RuleCase) -> None:
    case.before = {
        "hubspot": world.hubspot(case.pair.hubspot_object, case.pair.hubspot_id,
                                 [m.hubspot_property for m in case.mappings]),
        "salesforce": world.salesforce(case.pair.sobject, case.pair.salesforce_id,
                                       [m.salesforce_field for m in case.mappings]),
    }


def may_be_blank(world: World, case: RuleCase) -> list[FieldMapping]:
    """Mappings whose Salesforce field accepts a blank (not required): the ones a delete can reach."""
    out = []
    for mapping in case.mappings:
        described = world.catalog.salesforce(case.pair.sobject, mapping.salesforce_field)
        if described is not None and described.nillable:
            out.append(mapping)
    return out


def change_in_hubspot(world: World, case: RuleCase, clear: bool = False) -> None:
    if clear:
        case.mappings = may_be_blank(world, case)
        if not case.mappings:
            raise NoMappingToExercise(f"no '{case.rule}' mapping on {case.pair.sobject} may be blank in Salesforce")
    _snapshot(world, case)
    properties: dict[str, Any] = {}
    for mapping in case.mappings:
        current = case.before["hubspot"].get(mapping.hubspot_property)
        value = FieldValue(None, None) if clear else fresh_value(world.catalog, mapping, case.pair.sobject, current, world.tag)
        case.written[mapping.hubspot_property] = value
        properties[mapping.hubspot_property] = value.hubspot if value.hubspot is not None else ""
    world.sandboxes.hubspot.update(case.pair.hubspot_object, case.pair.hubspot_id, properties)


def change_in_salesforce(world: World, case: RuleCase) -> None:
    _snapshot(world, case)
    data: dict[str, Any] = {}
    for mapping in case.mappings:
        current = case.before["salesforce"].get(mapping.salesforce_field)
        value = fresh_value(world.catalog, mapping, case.pair.sobject, current, world.tag)
        case.written[mapping.hubspot_property] = value
        data[mapping.salesforce_field] = value.salesforce
    world.sandboxes.salesforce.update(case.pair.sobject, case.pair.salesforce_id, data)


def expect_salesforce_has_written(world: World, case: RuleCase) -> None:
    expected = {m.salesforce_field: case.written[m.hubspot_property].salesforce for m in case.mappings}
    expect_salesforce_values(world, case.pair, expected,
                             f"Salesforce {case.pair.sobject} {case.pair.salesforce_id} takes the HubSpot change under "
                             f"'{case.rule}' ({', '.join(m.hubspot_property for m in case.mappings)})")


def expect_hubspot_has_written(world: World, case: RuleCase) -> None:
    expected = {m.hubspot_property: case.written[m.hubspot_property].hubspot for m in case.mappings}
    expect_hubspot_values(world, case.pair, expected,
                          f"HubSpot {case.pair.hubspot_object[:-1]} {case.pair.hubspot_id} takes the Salesforce change "
                          f"under '{case.rule}'")


def expect_hubspot_matches_salesforce(world: World, case: RuleCase) -> None:
    current = world.salesforce(case.pair.sobject, case.pair.salesforce_id, [m.salesforce_field for m in case.mappings])
    expected = {m.hubspot_property: current.get(m.salesforce_field) for m in case.mappings}
    expect_hubspot_values(world, case.pair, expected,
                          f"HubSpot holds Salesforce's values under '{case.rule}' (Salesforce wins)")


def expect_salesforce_unchanged(world: World, case: RuleCase) -> None:
    """After a whole window, Salesforce still holds what it held before the HubSpot write."""
    expected = {m.salesforce_field: case.before["salesforce"].get(m.salesforce_field) for m in case.mappings}
    settle(world.waiter, f"Salesforce {case.pair.sobject} {case.pair.salesforce_id} ignores the HubSpot change under "
           f"'{case.rule}'", lambda: world.salesforce(case.pair.sobject, case.pair.salesforce_id, list(expected)),
           lambda record: expected_difference(expected, record), "mapping mismatch")


def both_hold_salesforce_values(world: World, case: RuleCase) -> None:
    expect_salesforce_has_written(world, case)
    expect_hubspot_has_written(world, case)


__all__ = ["MappingMismatch", "NoMappingToExercise", "RuleCase", "change_in_hubspot", "change_in_salesforce",
           "clear_in_hubspot", "expect_hubspot_has_written", "expect_hubspot_matches_salesforce",
           "expect_salesforce_has_written", "expect_salesforce_unchanged", "new_person", "pair_for_rule", "rule_case"]
