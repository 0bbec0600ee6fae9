"""Sync-rule steps: the mappings of each rule, straight from the profile's mapping CSV.

`rule_case` is the one fixture that accumulates state as the steps run (harness.uat.rules.RuleCase says why).
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import deal_stage, rules


@given(parsers.parse('a synced record pair whose "{rule}" mappings can be changed in {side}'), target_fixture="rule_case")
def pair_for_rule(world, rule, side):
    return rules.rule_case(world, rule, side)  # skips the scenario when no mapping of the rule can be written there


@when(parsers.parse('every "{rule}" mapped property is changed in HubSpot'))
def change_in_hubspot(world, rule_case, rule):
    rules.change_in_hubspot(world, rule_case)


@when(parsers.parse('every "{rule}" mapped property that may be blank is cleared in HubSpot'))
def clear_in_hubspot(world, rule_case, rule):
    rules.clear_in_hubspot(world, rule_case)


@when(parsers.parse('every "{rule}" mapped field is changed in Salesforce'))
def change_in_salesforce(world, rule_case, rule):
    rules.change_in_salesforce(world, rule_case)


@then(parsers.parse('within the sync window Salesforce holds the new values of every "{rule}" mapping'))
def salesforce_has_new_values(world, rule_case, rule):
    rules.expect_salesforce_has_written(world, rule_case)


@then(parsers.parse('within the sync window HubSpot holds the new values of every "{rule}" mapping'))
def hubspot_has_new_values(world, rule_case, rule):
    rules.expect_hubspot_has_written(world, rule_case)


@then(parsers.parse('within the sync window both sides hold the Salesforce values of every "{rule}" mapping'))
def both_hold_salesforce(world, rule_case, rule):
    rules.both_hold_salesforce_values(world, rule_case)


@then(parsers.parse('after the sync window Salesforce still holds the earlier values of every "{rule}" mapping'))
def salesforce_unchanged(world, rule_case, rule):
    rules.expect_salesforce_unchanged(world, rule_case)


@then(parsers.parse('within the sync window HubSpot holds the Salesforce values of every "{rule}" mapping'))
def hubspot_matches_salesforce(world, rule_case, rule):
    rules.expect_hubspot_matches_salesforce(world, rule_case)


@given("a Salesforce Opportunity synced to a HubSpot deal, moved in HubSpot to another stage of its pipeline",
       target_fixture="stage_move")
def deal_moved_in_hubspot(world):
    return deal_stage.move_in_hubspot(world)  # skips when the profile states no deal stage rule


@then("the Opportunity's stage follows the deal or holds as the profile's deal stage rule says")
def stage_as_rule_says(world, stage_move):
    deal_stage.expect_as_stage_rule_says(world, stage_move)
