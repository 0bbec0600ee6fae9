"""Lead conversion and merge steps.

`converted_lead` is a Lead after convertLead (its pair as synced, and what Salesforce made of it); once the contact
follows the converted Contact, `contact_pair` is that new pair. `merge_candidates` are two synced pairs of one
kind, the second to be merged into the first.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import conversion, merges


@given("the Lead is converted into a new Account without an Opportunity", target_fixture="converted_lead")
@when("the Lead is converted into a new Account without an Opportunity", target_fixture="converted_lead")
def convert_without_opportunity(world, contact_pair):
    return conversion.convert(world, contact_pair, with_opportunity=False)


@when("the Lead is converted into a new Account with an Opportunity", target_fixture="converted_lead")
def convert_with_opportunity(world, contact_pair):
    return conversion.convert(world, contact_pair, with_opportunity=True)


@when("the Lead is converted into that Account without an Opportunity", target_fixture="converted_lead")
def convert_into_account(world, contact_pair, account_pair):
    return conversion.convert(world, contact_pair, with_opportunity=False, account=account_pair)


@given("within the sync window the contact is linked to the converted Salesforce Contact", target_fixture="contact_pair")
@then("within the sync window the contact is linked to the converted Salesforce Contact", target_fixture="contact_pair")
def relinked(world, converted_lead):
    return conversion.expect_relinked(world, converted_lead)


@then("the converted Lead can no longer be updated")
def lead_read_only(world, converted_lead):
    conversion.expect_lead_read_only(world, converted_lead)


@then("HubSpot holds exactly one company for that Account")
def one_company(world, account_pair, contact_pair):
    conversion.expect_one_company(world, account_pair, contact_pair)


@then(parsers.parse('within the sync window the converted Contact\'s "{field}" holds the new value'))
def contact_holds_new_value(world, contact_pair, hubspot_change, field):
    conversion.expect_contact_takes_change(world, contact_pair, field, hubspot_change)


@given("two Salesforce Contacts synced to two HubSpot contacts", target_fixture="merge_candidates")
def two_contacts(world):
    return merges.contacts_to_merge(world)


@given("two HubSpot contacts synced to two Salesforce Leads", target_fixture="merge_candidates")
def two_leads(world):
    return merges.leads_to_merge(world)


@given("two Salesforce Accounts synced to two HubSpot companies", target_fixture="merge_candidates")
def two_accounts(world):
    return merges.accounts_to_merge(world)


@when(parsers.parse("the second {sobject} is merged into the first in Salesforce"))
def merge_in_salesforce(world, merge_candidates, sobject):
    merges.merge_second_into_first(world, merge_candidates)


@given("a duplicate of that Contact in Salesforce that HubSpot does not sync", target_fixture="unsynced_duplicate")
def unsynced_duplicate(world, contact_pair):
    return merges.unsynced_duplicate(world, contact_pair)


@when("the duplicate is merged into the synced Contact in Salesforce")
def merge_duplicate(world, contact_pair, unsynced_duplicate):
    merges.merge_in_salesforce(world, contact_pair, unsynced_duplicate)


@then("after the sync window the HubSpot contact is still linked to the master Contact")
def pair_stays_linked(world, contact_pair):
    merges.expect_link_stays(world, contact_pair)


@then("within the sync window the second HubSpot contact is relinked to the master or marked as deleted in Salesforce")
def loser_relinked_or_marked(world, merge_candidates):
    merges.expect_loser_relinked_or_marked(world, merge_candidates)


@then("the first HubSpot contact is still linked to the master Contact")
def master_still_linked(world, merge_candidates):
    merges.expect_still_linked(world, merge_candidates.first)


@then("after the sync window the first HubSpot company is still linked to the master Account")
def master_company_stays(world, merge_candidates):
    merges.expect_link_stays(world, merge_candidates.first)


@then("the reconciliation reports the second HubSpot company as linked to a merged-away record")
def loser_company_reported(world, merge_candidates):
    merges.expect_reported_orphan(world, merge_candidates.second)


@when("the second HubSpot contact is merged into the first", target_fixture="surviving_contact")
def merge_in_hubspot(world, merge_candidates):
    return merges.merge_hubspot_contacts(world, merge_candidates)


@then("both HubSpot ids resolve to the same surviving contact")
def ids_resolve(world, merge_candidates, surviving_contact):
    merges.expect_ids_resolve_to_survivor(world, merge_candidates, surviving_contact)


@then("within the sync window a change to the survivor reaches its Salesforce record")
def survivor_syncs(world, surviving_contact):
    merges.expect_survivor_syncs(world, surviving_contact)


@then("merging the two HubSpot companies is refused")
def company_merge_refused(world, merge_candidates):
    merges.expect_merge_refused(world, merge_candidates.first, merge_candidates.second)
