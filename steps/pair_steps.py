"""Synced pairs the scenarios start from, and the contact-sync checks. Every step is one library call."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import pairs, private_contacts
from harness.uat.companies import account_synced
from harness.uat.pairs import salesforce_record_synced


@given("a new HubSpot contact with every mapped contact property filled")
def new_contact(world, scenario):
    values = pairs.contact_values(world)
    scenario.records["pair"] = pairs.Pair("contacts", world.create_hubspot("contacts", values), "Lead", "", values)


@given("a HubSpot contact synced to a Salesforce Lead")
def contact_synced_to_lead(world, scenario):
    scenario.records["pair"] = pairs.contact_synced(world, "Lead")


@given(parsers.parse('a HubSpot contact in lifecycle stage "{stage}" synced to a Salesforce Lead'))
def contact_in_stage(world, scenario, stage):
    scenario.records["pair"] = pairs.contact_synced(world, "Lead", lifecyclestage=stage)


@given(parsers.parse('a HubSpot contact in country "{country}" synced to a Salesforce Lead'))
def contact_in_country(world, scenario, country):
    scenario.records["pair"] = pairs.contact_synced(world, "Lead", country=country)


@given("a HubSpot contact synced to a Salesforce Contact on an Account")
def contact_on_account(world, scenario):
    account = account_synced(world)
    values = pairs.contact_values(world)
    scenario.records["account"] = account
    scenario.records["pair"] = salesforce_record_synced(world, "Contact", {
        "FirstName": values["firstname"], "LastName": values["lastname"], "Email": values["email"],
        "AccountId": account.salesforce_id}, "contacts")


@given("a Salesforce Account synced to a HubSpot company")
def account_pair(world, scenario):
    scenario.records["account"] = account_synced(world)


@given(parsers.parse('a Salesforce Account in region "{region}" synced to a HubSpot company'))
def account_in_region(world, scenario, region):
    scenario.records["account"] = account_synced(world, Region__c=region)


@given("a Salesforce Contact without an Account")
@given("a Salesforce Contact without an Account synced to a HubSpot contact")
def private_contact(world, scenario):
    scenario.records["pair"] = private_contacts.private_contact(world)


@then("within the sync window the contact is linked to a Salesforce Lead")
def linked_to_lead(world, scenario):
    pair = scenario.records["pair"]
    pair.salesforce_id = pairs.wait_for_link(world, "contacts", pair.hubspot_id, "Lead")


@then("the Lead holds every mapped field as the contact has it")
def lead_holds_mapped_fields(world, scenario):
    pairs.expect_created_values(world, scenario.records["pair"])


@when(parsers.parse('"{prop}" is changed in HubSpot'))
def change_property(world, scenario, prop):
    scenario.values[prop] = pairs.change_hubspot_property(world, scenario.records["pair"], prop)


@when(parsers.parse('the Lead\'s "{field}" is changed to "{value}" in Salesforce'))
def change_lead_field(world, scenario, field, value):
    pair = scenario.records["pair"]
    world.sandboxes.salesforce.update(pair.sobject, pair.salesforce_id, {field: value})
    scenario.values["salesforce_change"] = (field, value)


@then("within the sync window the contact in HubSpot shows the change")
def hubspot_shows_change(world, scenario):
    field, value = scenario.values["salesforce_change"]
    pairs.expect_salesforce_change_in_hubspot(world, scenario.records["pair"], field, value)


@then(parsers.parse('within the sync window the Lead\'s "{field}" is "{value}"'))
def lead_field_is(world, scenario, field, value):
    pair = scenario.records["pair"]
    pairs.expect_salesforce_values(world, pair, {field: value}, f"Salesforce Lead {pair.salesforce_id} {field} = {value}")


@then("within the sync window a HubSpot contact exists with the Contact's e-mail")
def contact_exists(scenario):
    assert scenario.records["pair"].hubspot_id  # the Given waited for it by e-mail; kept for the reader
