"""Picklist and normalisation steps."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from harness.uat import picklists


@when("the picklist mappings of the profile are compared with both platforms' definitions",
      target_fixture="picklist_comparison")
def compare_definitions(world):
    return picklists.compare(world)


@then("every HubSpot option of a mapped picklist exists in the Salesforce picklist")
def options_valid(picklist_comparison):
    picklists.expect_options_valid(picklist_comparison)


@then("every Salesforce Lead Status value is an option of the HubSpot lead status")
def lead_status_options(picklist_comparison):
    picklists.expect_lead_status_options(picklist_comparison)


@when(parsers.parse('the contact\'s "{prop}" is set in HubSpot to a variant listed in the profile\'s normalisation table'),
      target_fixture="picklist_variant")
def set_variant(world, contact_pair, prop):
    return picklists.set_variant(world, contact_pair, prop)


@then(parsers.parse('within the sync window the Lead holds a valid Salesforce value for "{field}"'))
def valid_value(world, contact_pair, picklist_variant, field):
    picklists.expect_valid_salesforce_value(world, contact_pair, field, picklist_variant)


@then("no picklist sync error is recorded for the contact")
def no_picklist_errors(world, contact_pair):
    picklists.expect_no_picklist_errors(world, contact_pair)
