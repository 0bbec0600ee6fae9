"""Contacts without accounts, company creation rules, territory realignment and owners."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from harness.uat import owners, private_contacts


@then("the HubSpot contact is associated with no company")
def no_company(world, scenario):
    private_contacts.expect_no_company(world, scenario.records["pair"])


@when("a HubSpot company is created and associated with that contact")
def company_for_contact(world, scenario):
    scenario.records["company_id"] = private_contacts.company_for_contact(world, scenario.records["pair"])


@then("within the sync window the company is linked to a Salesforce Account")
def company_linked(world, scenario):
    private_contacts.expect_company_linked(world, scenario.records["company_id"])


@then("after the sync window the company is not linked to any Salesforce Account")
def company_not_linked(world, scenario):
    private_contacts.expect_company_not_linked(world, scenario.records["company_id"])


@when(parsers.parse('the Account\'s region is changed to "{region}" and territory assignment runs'))
def realign(world, scenario, region):
    owners.realign(world, scenario.records["account"], region)
    scenario.values["region"] = region


@then(parsers.parse("within the sync window the HubSpot company is owned by the {region} owner"))
def company_owner(world, scenario, region):
    user = owners.region_user(world, region)
    owners.expect_hubspot_owner(world, scenario.records["account"], user,
                                f"HubSpot company {scenario.records['account'].hubspot_id} owned by the {region} owner")


@when(parsers.parse('the Lead\'s owner is changed to the "{region}" owner in Salesforce'))
def lead_owner(world, scenario, region):
    user = owners.region_user(world, region)
    owners.change_salesforce_owner(world, scenario.records["pair"], user)
    scenario.values["owner"] = user


@then(parsers.parse("within the sync window the HubSpot contact is owned by the {region} owner"))
def contact_owner(world, scenario, region):
    owners.expect_hubspot_owner(world, scenario.records["pair"], scenario.values["owner"],
                                f"HubSpot contact {scenario.records['pair'].hubspot_id} owned by the {region} owner")


@then(parsers.parse("after the sync window the Lead is still owned by the {region} owner"))
def lead_owner_stays(world, scenario, region):
    owners.expect_salesforce_owner_stays(world, scenario.records["pair"], scenario.values["owner"])


@when("the contact's owner is set in HubSpot to an owner who is not a Salesforce user")
def unknown_owner(world, scenario):
    pair = scenario.records["pair"]
    scenario.values["owner"] = world.salesforce(pair.sobject, pair.salesforce_id, ["OwnerId"])["OwnerId"]
    world.sandboxes.hubspot.update("contacts", pair.hubspot_id,
                                   {"hubspot_owner_id": owners.owner_unknown_to_salesforce(world)})


@then("after the sync window the Lead keeps its Salesforce owner")
def lead_keeps_owner(world, scenario):
    owners.expect_salesforce_owner_stays(world, scenario.records["pair"], scenario.values["owner"])
