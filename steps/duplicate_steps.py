"""Duplicate and e-mail-match steps."""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.uat import duplicates


@given("a Salesforce Lead that is not yet in HubSpot")
def unsynced_lead(world, scenario):
    scenario.records["lead"] = duplicates.unsynced_lead(world)


@when("a HubSpot contact is created with the Lead's e-mail")
def contact_with_lead_email(world, scenario):
    scenario.records["contact_id"] = duplicates.create_contact_with_email(world, scenario.records["lead"]["Email"])


@when("a HubSpot contact is created with the Lead's e-mail in upper case")
def contact_with_upper_email(world, scenario):
    scenario.records["contact_id"] = duplicates.create_contact_with_email(world, scenario.records["lead"]["Email"].upper())


@then("within the sync window the contact is linked to that Lead")
@then("the contact is linked to that Lead")
def linked_to_that_lead(world, scenario):
    duplicates.expect_linked_to(world, scenario.records["contact_id"], "Lead", scenario.records["lead"]["Id"])


@then("Salesforce holds exactly one Lead with that e-mail")
def one_lead(world, scenario):
    duplicates.expect_one_salesforce_record(world, "Lead", scenario.records["lead"]["Email"])


@given("a person created as a HubSpot contact and as a Salesforce Lead with the same e-mail")
def person_on_both_sides(world, scenario):
    scenario.records["lead"] = duplicates.unsynced_lead(world)
    scenario.records["contact_id"] = duplicates.create_contact_with_email(world, scenario.records["lead"]["Email"])


@then("within the sync window there is exactly one HubSpot contact and one Salesforce Lead for that e-mail")
def one_each(world, scenario):
    duplicates.expect_linked_to(world, scenario.records["contact_id"], "Lead", scenario.records["lead"]["Id"])
    duplicates.expect_one_salesforce_record(world, "Lead", scenario.records["lead"]["Email"])


@when("a second HubSpot contact is created with the same name and company but another e-mail")
def second_same_name(world, scenario):
    scenario.records["second_id"] = duplicates.second_contact_same_name(world, scenario.records["pair"])


@then("within the sync window the second contact is linked to its own Salesforce Lead")
def second_linked(world, scenario):
    duplicates.expect_second_person_synced(world, scenario.records["pair"], scenario.records["second_id"])


@then("creating another HubSpot contact with that e-mail is refused as a conflict")
def conflict(world, scenario):
    duplicates.expect_email_conflict(world, scenario.records["pair"].values["email"])
