"""Lifecycle stage, timestamps, Lead Status and retired stages.

`stamped_lead` is a Lead whose timestamp for a stage is set, with the value first stamped (which must never move).
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import lifecycle
from harness.uat.retired import expect_no_retired_options, expect_no_retired_records


@when(parsers.parse('the Lead\'s lifecycle stage is set to "{stage}" in Salesforce'))
def stage_in_salesforce(world, contact_pair, stage):
    lifecycle.set_stage_in_salesforce(world, contact_pair, stage)


@when(parsers.parse('the contact\'s lifecycle stage is set to "{stage}" in HubSpot'))
def stage_in_hubspot(world, contact_pair, stage):
    lifecycle.set_stage_in_hubspot(world, contact_pair, stage)


@then(parsers.parse('within the sync window the Lead\'s lifecycle stage is "{stage}"'))
def lead_stage(world, contact_pair, stage):
    lifecycle.expect_stage_in_salesforce(world, contact_pair, stage)


@given(parsers.parse('within the sync window the contact\'s lifecycle stage is "{stage}"'))
@then(parsers.parse('within the sync window the contact\'s lifecycle stage is "{stage}"'))
def contact_stage(world, contact_pair, stage):
    lifecycle.expect_stage_in_hubspot(world, contact_pair, stage)


@then(parsers.parse('after the sync window the contact\'s lifecycle stage is still "{stage}"'))
def contact_stage_stays(world, contact_pair, stage):
    lifecycle.expect_stage_stays(world, contact_pair, stage)


@then(parsers.parse("within the sync window the Lead's {stage} date is stamped"), target_fixture="stamped_lead")
def stamped(world, contact_pair, stage):
    return lifecycle.expect_stamped(world, contact_pair, stage)


@given(parsers.parse('a Salesforce Lead in lifecycle stage "{stage}" whose {stamp} date was stamped {days:d} days ago'),
       target_fixture="stamped_lead")
def lead_with_old_stamp(world, stage, stamp, days):
    return lifecycle.lead_with_stamp(world, stage, stamp, days)


@then(parsers.parse("after the sync window the Lead's {stage} date is unchanged"))
def stamp_unchanged(world, stamped_lead, stage):
    lifecycle.expect_stamp_unchanged(world, stamped_lead, stage)


@when("the Lead is updated again in Salesforce")
def touch(world, stamped_lead):
    lifecycle.touch_in_salesforce(world, stamped_lead.pair)


@when(parsers.parse('the Lead\'s Status is changed to "{status}" in Salesforce'))
def status(world, contact_pair, status):
    lifecycle.change_status(world, contact_pair, status)


@then(parsers.parse('within the sync window the contact\'s lead status is "{status}"'))
def contact_status(world, contact_pair, status):
    lifecycle.expect_status_in_hubspot(world, contact_pair, status)


@when("the converted Opportunity is closed won")
def close_won(world, converted_lead):
    lifecycle.close_won(world, converted_lead.opportunity_id)


@when("an open Opportunity is created on the Account with the Contact as contact role")
def opportunity_with_role(world, contact_pair):
    lifecycle.open_opportunity_for_contact(world, contact_pair)


@then("after the sync window neither side holds a retired lifecycle stage for the contact")
def no_retired_for_contact(world, contact_pair):
    lifecycle.expect_no_retired_stage(world, contact_pair)


@then("no HubSpot contact and no Salesforce Lead or Contact is in a retired lifecycle stage")
def no_retired_records(world, reconciliation):  # `reconciliation`: only once the seeded population has synced
    expect_no_retired_records(world)


@then("neither side offers a retired lifecycle stage")
def no_retired_options(world):
    expect_no_retired_options(world)
