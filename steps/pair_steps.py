"""Synced pairs the scenarios start from, and the contact-sync checks. Every step is one library call.

A Given names what it produces (`target_fixture`): `contact_pair` (a HubSpot contact and the Salesforce Lead or
Contact it syncs with) or `account_pair` (a Salesforce Account and its HubSpot company); later steps take it by name.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import companies, pairs, private_contacts


@given("a new HubSpot contact with every mapped contact property filled", target_fixture="contact_pair")
def new_contact(world):
    return pairs.new_contact(world)


@given("a HubSpot contact synced to a Salesforce Lead", target_fixture="contact_pair")
def contact_synced_to_lead(world):
    return pairs.contact_synced(world, "Lead")


@given(parsers.parse('a HubSpot contact in lifecycle stage "{stage}" synced to a Salesforce Lead'),
       target_fixture="contact_pair")
def contact_in_stage(world, stage):
    return pairs.contact_synced(world, "Lead", lifecyclestage=stage)


@given(parsers.parse('a HubSpot contact in country "{country}" synced to a Salesforce Lead'),
       target_fixture="contact_pair")
def contact_in_country(world, country):
    return pairs.contact_synced(world, "Lead", country=country)


@given("a HubSpot contact synced to a Salesforce Contact on an Account", target_fixture="contact_pair")
def contact_on_account(world):
    return companies.contact_on_account(world)


@given("a Salesforce Account synced to a HubSpot company", target_fixture="account_pair")
def account_synced(world):
    return companies.account_synced(world)


@given(parsers.parse('a Salesforce Account in region "{region}" synced to a HubSpot company'),
       target_fixture="account_pair")
def account_in_region(world, region):
    return companies.account_synced(world, Region__c=region)


@given("a Salesforce Contact without an Account", target_fixture="contact_pair")
@given("a Salesforce Contact without an Account synced to a HubSpot contact", target_fixture="contact_pair")
def private_contact(world):
    return private_contacts.private_contact(world)


@then("within the sync window the contact is linked to a Salesforce Lead", target_fixture="contact_pair")
def linked_to_lead(world, contact_pair):
    return pairs.expect_linked_to_lead(world, contact_pair)


@then("the Lead holds every mapped field as the contact has it")
def lead_holds_mapped_fields(world, contact_pair):
    pairs.expect_created_values(world, contact_pair)


@when(parsers.parse('"{prop}" is changed in HubSpot'), target_fixture="hubspot_change")
def change_property(world, contact_pair, prop):
    return pairs.change_hubspot_property(world, contact_pair, prop)


@when(parsers.parse('the Lead\'s "{field}" is changed to "{value}" in Salesforce'), target_fixture="salesforce_change")
def change_lead_field(world, contact_pair, field, value):
    return pairs.change_salesforce_field(world, contact_pair, field, value)


@then("within the sync window the contact in HubSpot shows the change")
def hubspot_shows_change(world, contact_pair, salesforce_change):
    pairs.expect_salesforce_change_in_hubspot(world, contact_pair, salesforce_change)


@then(parsers.parse('within the sync window the Lead\'s "{field}" is "{value}"'))
def lead_field_is(world, contact_pair, field, value):
    pairs.expect_salesforce_field(world, contact_pair, field, value)


@then("within the sync window a HubSpot contact exists with the Contact's e-mail")
def contact_exists(contact_pair):
    pairs.expect_in_hubspot(contact_pair)  # the Given waited for it by e-mail; kept for the reader
