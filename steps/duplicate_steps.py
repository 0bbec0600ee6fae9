"""Duplicate and e-mail-match steps.

`unsynced_lead` is a Salesforce Lead HubSpot does not have yet; `email_match` is that Lead with the HubSpot contact
created with its e-mail, which the connector must link to it.
"""

from __future__ import annotations

from pytest_bdd import given, then, when

from harness.uat import duplicates


@given("a Salesforce Lead that is not yet in HubSpot", target_fixture="unsynced_lead")
def unsynced_lead(world):
    return duplicates.unsynced_lead(world)


@when("a HubSpot contact is created with the Lead's e-mail", target_fixture="email_match")
def contact_with_lead_email(world, unsynced_lead):
    return duplicates.contact_with_lead_email(world, unsynced_lead)


@when("a HubSpot contact is created with the Lead's e-mail in upper case", target_fixture="email_match")
def contact_with_upper_email(world, unsynced_lead):
    return duplicates.contact_with_lead_email(world, unsynced_lead, upper_case=True)


@then("within the sync window the contact is linked to that Lead")
@then("the contact is linked to that Lead")
def linked_to_that_lead(world, email_match):
    duplicates.expect_match_linked(world, email_match)


@then("Salesforce holds exactly one Lead with that e-mail")
def one_lead(world, email_match):
    duplicates.expect_one_lead(world, email_match)


@given("a person created as a HubSpot contact and as a Salesforce Lead with the same e-mail",
       target_fixture="email_match")
def person_on_both_sides(world):
    return duplicates.person_on_both_sides(world)


@then("within the sync window there is exactly one HubSpot contact and one Salesforce Lead for that e-mail")
def one_each(world, email_match):
    duplicates.expect_one_pair(world, email_match)


@when("a second HubSpot contact is created with the same name and company but another e-mail",
      target_fixture="namesake_contact_id")
def second_same_name(world, contact_pair):
    return duplicates.second_contact_same_name(world, contact_pair)


@then("within the sync window the second contact is linked to its own Salesforce Lead")
def second_linked(world, contact_pair, namesake_contact_id):
    duplicates.expect_second_person_synced(world, contact_pair, namesake_contact_id)


@then("creating another HubSpot contact with that e-mail is refused as a conflict")
def conflict(world, contact_pair):
    duplicates.expect_email_taken(world, contact_pair)
