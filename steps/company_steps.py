"""Contacts without accounts, company creation rules, territory realignment and owners."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from harness.uat import owners, private_contacts


@then("the HubSpot contact is associated with no company")
def no_company(world, contact_pair):
    private_contacts.expect_no_company(world, contact_pair)


@when("a HubSpot company is created and associated with that contact", target_fixture="hubspot_company_id")
def company_for_contact(world, contact_pair):
    return private_contacts.company_for_contact(world, contact_pair)


@then("within the sync window the company is linked to a Salesforce Account")
def company_linked(world, hubspot_company_id):
    private_contacts.expect_company_linked(world, hubspot_company_id)


@then("after the sync window the company is not linked to any Salesforce Account")
def company_not_linked(world, hubspot_company_id):
    private_contacts.expect_company_not_linked(world, hubspot_company_id)


@when(parsers.parse('the Account\'s region is changed to "{region}" and territory assignment runs'))
def realign(world, account_pair, region):
    owners.realign(world, account_pair, region)


@then(parsers.parse("within the sync window the HubSpot company is owned by the {region} owner"))
def company_owner(world, account_pair, region):
    owners.expect_company_owned_by_region(world, account_pair, region)


# `lead_owner`: the Salesforce user the Lead must be owned by once the sync window has passed.
@when(parsers.parse('the Lead\'s owner is changed to the "{region}" owner in Salesforce'), target_fixture="lead_owner")
def lead_to_region_owner(world, contact_pair, region):
    return owners.give_to_region_owner(world, contact_pair, region)


@then(parsers.parse("within the sync window the HubSpot contact is owned by the {region} owner"))
def contact_owner(world, contact_pair, lead_owner, region):
    owners.expect_contact_owned_by(world, contact_pair, lead_owner, region)


@then(parsers.parse("after the sync window the Lead is still owned by the {region} owner"))
def lead_owner_stays(world, contact_pair, lead_owner, region):
    owners.expect_salesforce_owner_stays(world, contact_pair, lead_owner)


@when("the contact's owner is set in HubSpot to an owner who is not a Salesforce user", target_fixture="lead_owner")
def unknown_owner(world, contact_pair):
    return owners.give_contact_to_unknown_owner(world, contact_pair)


@then("after the sync window the Lead keeps its Salesforce owner")
def lead_keeps_owner(world, contact_pair, lead_owner):
    owners.expect_salesforce_owner_stays(world, contact_pair, lead_owner)
