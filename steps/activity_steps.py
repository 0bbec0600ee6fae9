"""Activity and deletion steps.

`opportunity_pair` is a Salesforce Opportunity and the HubSpot deal it syncs to.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import activities, deletions


@when("a call is logged on the contact in HubSpot")
def log_call(world, contact_pair):
    activities.log_activity(world, contact_pair, "calls")


@when("a note is added to the contact in HubSpot")
def add_note(world, contact_pair):
    activities.log_activity(world, contact_pair, "notes")


@then(parsers.parse("within the sync window the Lead has a Task for the {kind}"))
def task_for(world, contact_pair, kind):
    activities.expect_task(world, contact_pair, f"{kind}s")


@given("a Salesforce Opportunity synced to a HubSpot deal", target_fixture="opportunity_pair")
def opportunity_synced(world):
    return deletions.opportunity_synced(world)


@when("the Opportunity is deleted in Salesforce")
def delete_opportunity(world, opportunity_pair):
    deletions.delete_in_salesforce(world, opportunity_pair)


@then("within the sync window the HubSpot deal is archived")
def deal_archived(world, opportunity_pair):
    deletions.expect_hubspot_archived(world, opportunity_pair)


@when("the HubSpot deal is archived")
def archive_deal(world, opportunity_pair):
    deletions.archive_in_hubspot(world, opportunity_pair)


@then("after the sync window the Salesforce Opportunity still exists")
def opportunity_kept(world, opportunity_pair):
    deletions.expect_salesforce_kept(world, opportunity_pair)


@when("the HubSpot contact is archived")
def archive_contact(world, contact_pair):
    deletions.archive_in_hubspot(world, contact_pair)


@then("after the sync window the Salesforce Lead still exists")
def lead_kept(world, contact_pair):
    deletions.expect_salesforce_kept(world, contact_pair)
