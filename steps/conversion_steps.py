"""Lead conversion and merge steps."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import conversion, merges, pairs
from harness.uat.companies import account_synced


@given("the Lead is converted into a new Account without an Opportunity")
@when("the Lead is converted into a new Account without an Opportunity")
def convert_without_opportunity(world, scenario):
    scenario.records["conversion"] = conversion.convert(world, scenario.records["pair"], with_opportunity=False)


@when("the Lead is converted into a new Account with an Opportunity")
def convert_with_opportunity(world, scenario):
    scenario.records["conversion"] = conversion.convert(world, scenario.records["pair"], with_opportunity=True)


@when("the Lead is converted into that Account without an Opportunity")
def convert_into_account(world, scenario):
    account = scenario.records["account"]
    scenario.records["conversion"] = conversion.convert(world, scenario.records["pair"], with_opportunity=False,
                                                        account_id=account.salesforce_id)


@given("within the sync window the contact is linked to the converted Salesforce Contact")
@then("within the sync window the contact is linked to the converted Salesforce Contact")
def relinked(world, scenario):
    scenario.records["lead_pair"] = scenario.records["pair"]
    scenario.records["pair"] = conversion.expect_relinked(world, scenario.records["pair"], scenario.records["conversion"])


@then("the converted Lead can no longer be updated")
def lead_read_only(world, scenario):
    conversion.expect_lead_read_only(world, scenario.records["lead_pair"])


@then("HubSpot holds exactly one company for that Account")
def one_company(world, scenario):
    conversion.expect_one_company(world, scenario.records["account"].salesforce_id, scenario.records["pair"].hubspot_id)


@then(parsers.parse('within the sync window the converted Contact\'s "{field}" holds the new value'))
def contact_holds_new_value(world, scenario, field):
    pair = scenario.records["pair"]
    value = next(iter(scenario.values.values()))
    pairs.expect_salesforce_values(world, pair, {field: value.salesforce},
                                   f"converted Contact {pair.salesforce_id} takes the HubSpot change to {field}")


@given("two Salesforce Contacts synced to two HubSpot contacts")
def two_contacts(world, scenario):
    scenario.records["pairs"] = [pairs.salesforce_contact_synced(world) for _ in range(2)]


@given("two HubSpot contacts synced to two Salesforce Leads")
def two_leads(world, scenario):
    scenario.records["pairs"] = [pairs.contact_synced(world, "Lead") for _ in range(2)]


@given("two Salesforce Accounts synced to two HubSpot companies")
def two_accounts(world, scenario):
    scenario.records["pairs"] = [account_synced(world) for _ in range(2)]


@when(parsers.parse("the second {sobject} is merged into the first in Salesforce"))
def merge_in_salesforce(world, scenario, sobject):
    first, second = scenario.records["pairs"]
    scenario.records["merge"] = merges.merge_in_salesforce(world, first, second)


@given("a duplicate of that Contact in Salesforce that HubSpot does not sync")
def unsynced_duplicate(world, scenario):
    scenario.records["duplicate"] = merges.unsynced_duplicate(world, scenario.records["pair"])


@when("the duplicate is merged into the synced Contact in Salesforce")
def merge_duplicate(world, scenario):
    scenario.records["merge"] = merges.merge_in_salesforce(world, scenario.records["pair"], scenario.records["duplicate"])


@then("after the sync window the HubSpot contact is still linked to the master Contact")
def pair_stays_linked(world, scenario):
    merges.expect_link_stays(world, scenario.records["pair"])


@then("within the sync window the second HubSpot contact is relinked to the master or marked as deleted in Salesforce")
def loser_relinked_or_marked(world, scenario):
    first, second = scenario.records["pairs"]
    merges.expect_relinked_or_marked(world, second, first.salesforce_id)


@then("the first HubSpot contact is still linked to the master Contact")
def master_still_linked(world, scenario):
    merges.expect_still_linked(world, scenario.records["pairs"][0])


@then("after the sync window the first HubSpot company is still linked to the master Account")
def master_company_stays(world, scenario):
    merges.expect_link_stays(world, scenario.records["pairs"][0])


@then("the reconciliation reports the second HubSpot company as linked to a merged-away record")
def loser_company_reported(world, scenario):
    merges.expect_reported_orphan(world, scenario.records["pairs"][1])


@when("the second HubSpot contact is merged into the first")
def merge_in_hubspot(world, scenario):
    first, second = scenario.records["pairs"]
    scenario.records["pair"] = merges.merge_in_hubspot(world, first, second)


@then("both HubSpot ids resolve to the same surviving contact")
def ids_resolve(world, scenario):
    first, second = scenario.records["pairs"]
    merges.expect_ids_resolve_to(world, [first.hubspot_id, second.hubspot_id], scenario.records["pair"].hubspot_id,
                                 "contacts")


@then("within the sync window a change to the survivor reaches its Salesforce record")
def survivor_syncs(world, scenario):
    survivor = scenario.records["pair"]
    value = pairs.change_hubspot_property(world, survivor, "jobtitle")
    pairs.expect_salesforce_values(world, survivor, {"Title": value.salesforce},
                                   f"a change to merged survivor {survivor.hubspot_id} reaches {survivor.sobject} "
                                   f"{survivor.salesforce_id}")


@then("merging the two HubSpot companies is refused")
def company_merge_refused(world, scenario):
    first, second = scenario.records["pairs"]
    merges.expect_merge_refused(world, first, second)
