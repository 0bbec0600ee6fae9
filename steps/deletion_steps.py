"""Delete-policy steps: `deleted_pair` is a synced pair, the side a delete starts on and what the profile says it
does to the other side's record."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import deletions


@then("every object and side of the profile's delete policy is exercised by the delete scenarios")
def every_policy_exercised(world):
    deletions.expect_every_policy_exercised(world)


@given(parsers.parse("a synced {hubspot_object} and {sobject} pair and the profile's delete policy for a {side} delete"),
       target_fixture="deleted_pair")
def pair_for_delete(world, hubspot_object, sobject, side):
    action = deletions.policy_for(world, hubspot_object, side)  # skips when the profile does not say
    return deletions.synced_for_delete(world, hubspot_object, sobject), side, action


@when(parsers.parse("the {side} record of the pair is deleted"))
def delete_one_side(world, deleted_pair, side):
    pair, _, _ = deleted_pair
    deletions.delete_on(world, pair, side)


@then("the other side's record is deleted or kept as the delete policy says")
def as_policy_says(world, deleted_pair):
    pair, side, action = deleted_pair
    deletions.expect_as_policy_says(world, pair, side, action)
