"""Lifecycle stage, timestamps, Lead Status and retired stages."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import lifecycle
from harness.uat.retired import expect_no_retired_options, expect_no_retired_records


@when(parsers.parse('the Lead\'s lifecycle stage is set to "{stage}" in Salesforce'))
def stage_in_salesforce(world, scenario, stage):
    lifecycle.set_stage_in_salesforce(world, scenario.records["pair"], stage)


@when(parsers.parse('the contact\'s lifecycle stage is set to "{stage}" in HubSpot'))
def stage_in_hubspot(world, scenario, stage):
    lifecycle.set_stage_in_hubspot(world, scenario.records["pair"], stage)


@then(parsers.parse('within the sync window the Lead\'s lifecycle stage is "{stage}"'))
def lead_stage(world, scenario, stage):
    lifecycle.expect_stage_in_salesforce(world, scenario.records["pair"], stage)


@given(parsers.parse('within the sync window the contact\'s lifecycle stage is "{stage}"'))
@then(parsers.parse('within the sync window the contact\'s lifecycle stage is "{stage}"'))
def contact_stage(world, scenario, stage):
    lifecycle.expect_stage_in_hubspot(world, scenario.records["pair"], stage)


@then(parsers.parse('after the sync window the contact\'s lifecycle stage is still "{stage}"'))
def contact_stage_stays(world, scenario, stage):
    lifecycle.expect_stage_stays(world, scenario.records["pair"], stage)


@then(parsers.parse("within the sync window the Lead's {stage} date is stamped"))
def stamped(world, scenario, stage):
    scenario.values[f"{stage}_date"] = lifecycle.stamp(world, scenario.records["pair"], stage)


@given(parsers.parse('a Salesforce Lead in lifecycle stage "{stage}" whose {stamp} date was stamped {days:d} days ago'))
def lead_with_old_stamp(world, scenario, stage, stamp, days):
    scenario.records["pair"], scenario.values[f"{stamp}_date"] = lifecycle.lead_with_stamp(world, stage, stamp, days)


@then(parsers.parse("after the sync window the Lead's {stage} date is unchanged"))
def stamp_unchanged(world, scenario, stage):
    lifecycle.expect_stamp_unchanged(world, scenario.records["pair"], stage, scenario.values[f"{stage}_date"])


@when("the Lead is updated again in Salesforce")
def touch(world, scenario):
    lifecycle.touch_in_salesforce(world, scenario.records["pair"])


@when(parsers.parse('the Lead\'s Status is changed to "{status}" in Salesforce'))
def status(world, scenario, status):
    lifecycle.change_status(world, scenario.records["pair"], status)


@then(parsers.parse('within the sync window the contact\'s lead status is "{status}"'))
def contact_status(world, scenario, status):
    lifecycle.expect_status_in_hubspot(world, scenario.records["pair"], status)


@when("the converted Opportunity is closed won")
def close_won(world, scenario):
    lifecycle.close_won(world, scenario.records["conversion"].opportunity_id)


@when("an open Opportunity is created on the Account with the Contact as contact role")
def opportunity_with_role(world, scenario):
    lifecycle.open_opportunity_with_role(world, scenario.records["account"].salesforce_id,
                                         scenario.records["pair"].salesforce_id)


@then("after the sync window neither side holds a retired lifecycle stage for the contact")
def no_retired_for_contact(world, scenario):
    lifecycle.expect_no_retired_stage(world, scenario.records["pair"])


@then("no HubSpot contact and no Salesforce Lead or Contact is in a retired lifecycle stage")
def no_retired_records(world, reconciliation):
    expect_no_retired_records(world)



@then("neither side offers a retired lifecycle stage")
def no_retired_options(world):
    expect_no_retired_options(world)
