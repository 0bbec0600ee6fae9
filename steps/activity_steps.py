"""Activity and deletion steps."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import activities, deletions


@when("a call is logged on the contact in HubSpot")
def log_call(world, scenario):
    activities.log_activity(world, scenario.records["pair"], "calls")


@when("a note is added to the contact in HubSpot")
def add_note(world, scenario):
    activities.log_activity(world, scenario.records["pair"], "notes")


@then(parsers.parse("within the sync window the Lead has a Task for the {kind}"))
def task_for(world, scenario, kind):
    activities.expect_task(world, scenario.records["pair"], f"{kind}s")


@given("a Salesforce Opportunity synced to a HubSpot deal")
def opportunity_pair(world, scenario):
    scenario.records["deal"] = deletions.opportunity_synced(world)


@when("the Opportunity is deleted in Salesforce")
def delete_opportunity(world, scenario):
    deletions.delete_in_salesforce(world, scenario.records["deal"])


@then("within the sync window the HubSpot deal is archived")
def deal_archived(world, scenario):
    deletions.expect_hubspot_archived(world, scenario.records["deal"])


@when("the HubSpot deal is archived")
def archive_deal(world, scenario):
    deletions.archive_in_hubspot(world, scenario.records["deal"])


@then("after the sync window the Salesforce Opportunity still exists")
def opportunity_kept(world, scenario):
    deletions.expect_salesforce_kept(world, scenario.records["deal"])


@when("the HubSpot contact is archived")
def archive_contact(world, scenario):
    deletions.archive_in_hubspot(world, scenario.records["pair"])


@then("after the sync window the Salesforce Lead still exists")
def lead_kept(world, scenario):
    deletions.expect_salesforce_kept(world, scenario.records["pair"])
