"""Inclusion list and selective sync steps."""

from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from harness.uat import inclusion


@given("a new HubSpot contact outside the inclusion list")
def outside(world, scenario):
    scenario.records["pair"] = inclusion.contact_outside(world)


@then("after the sync window the contact is not linked to Salesforce")
def not_linked(world, scenario):
    inclusion.expect_not_linked(world, scenario.records["pair"])


@when("the contact joins the inclusion list")
def joins(world, scenario):
    inclusion.join(world, scenario.records["pair"])


@given("a new HubSpot contact in each segment the profile includes")
def in_each_segment(world, scenario):
    scenario.records["pairs"] = inclusion.contacts_in_segments(world)


@then("within the sync window every one of them is linked to a Salesforce Lead")
def all_linked(world, scenario):
    inclusion.expect_all_linked(world, scenario.records["pairs"])


@given("a Salesforce Lead the integration user cannot see")
def hidden_lead(world, scenario):
    selective = world.profile.selective_sync
    if selective is None or not selective.enabled:
        pytest.skip("the profile does not use selective sync (selective_sync.enabled is false)")
    scenario.records["lead"] = inclusion.hidden_lead(world)


@then("after the sync window no HubSpot contact has the Lead's e-mail")
def no_contact_for_hidden(world, scenario):
    inclusion.expect_no_contact(world, scenario.records["lead"])
