"""Picklist and normalisation steps."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from harness.uat import picklists


@when("the picklist mappings of the profile are compared with both platforms' definitions")
def compare_definitions(world, scenario):
    scenario.values["picklists"] = picklists.compare(world)


@then("every HubSpot option of a mapped picklist exists in the Salesforce picklist")
def options_valid(scenario):
    picklists.expect_options_valid(scenario.values["picklists"])


@then("every Salesforce Lead Status value is an option of the HubSpot lead status")
def lead_status_options(scenario):
    picklists.expect_lead_status_options(scenario.values["picklists"])


@when(parsers.parse('the contact\'s "{prop}" is set in HubSpot to a variant listed in the profile\'s normalisation table'))
def set_variant(world, scenario, prop):
    scenario.values["variant"] = picklists.set_variant(world, scenario.records["pair"], prop)


@then(parsers.parse('within the sync window the Lead holds a valid Salesforce value for "{field}"'))
def valid_value(world, scenario, field):
    picklists.expect_valid_salesforce_value(world, scenario.records["pair"], field, scenario.values["variant"])


@then("no picklist sync error is recorded for the contact")
def no_picklist_errors(world, scenario):
    picklists.expect_no_picklist_errors(world, scenario.records["pair"])
