"""Inclusion list and selective sync steps."""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.uat import inclusion


@given("a new HubSpot contact outside the inclusion list", target_fixture="contact_pair")
def outside(world):
    return inclusion.contact_outside(world)


@then("after the sync window the contact is not linked to Salesforce")
def not_linked(world, contact_pair):
    inclusion.expect_not_linked(world, contact_pair)


@when("the contact joins the inclusion list")
def joins(world, contact_pair):
    inclusion.join(world, contact_pair)


@given("a new HubSpot contact in each segment the profile includes", target_fixture="segment_contacts")
def in_each_segment(world):
    return inclusion.contacts_in_segments(world)


@then("within the sync window every one of them is linked to a Salesforce Lead")
def all_linked(world, segment_contacts):
    inclusion.expect_all_linked(world, segment_contacts)


@given("a Salesforce Lead the integration user cannot see", target_fixture="hidden_lead")
def hidden_lead(world):
    return inclusion.hidden_lead(world)  # skips the scenario when the profile does not use selective sync


@then("after the sync window no HubSpot contact has the Lead's e-mail")
def no_contact_for_hidden(world, hidden_lead):
    inclusion.expect_no_contact(world, hidden_lead)
