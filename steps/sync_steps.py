"""Steps that wait out the sync window and assert with reconciliation diffs."""

from __future__ import annotations

from pytest_bdd import given, parsers, then

from harness.actions import create_hubspot_record
from harness.sync_checks import (
    hubspot_shows_salesforce_change,
    linked_salesforce_record,
    salesforce_holds_mapped_values,
)
from harness.testdata import new_person


@then(parsers.parse("within the sync window the contact is linked to a Salesforce {sobject}"))
def contact_linked(sandboxes, waiter, ledger, scenario, contact_id, sobject):
    scenario.records[sobject] = linked_salesforce_record(sandboxes, waiter, ledger, contact_id, sobject)


@then(parsers.parse("the {sobject} holds every mapped field as the contact has it"))
def sobject_holds_mapped_fields(sandboxes, waiter, uat_mappings, scenario, sobject):
    salesforce_holds_mapped_values(sandboxes, waiter, uat_mappings, sobject, scenario.records[sobject],
                                   scenario.values["hubspot"])


@given(parsers.parse("a HubSpot contact synced to a Salesforce {sobject}"), target_fixture="contact_id")
def synced_contact(sandboxes, waiter, ledger, uat_run, scenario, sobject):
    person = new_person(uat_run.tag)
    values = {"email": person.email, "firstname": person.first_name, "lastname": person.last_name,
              "company": person.company}
    scenario.values["hubspot"] = values
    contact_id = create_hubspot_record(sandboxes, ledger, "contacts", values)
    scenario.records[sobject] = linked_salesforce_record(sandboxes, waiter, ledger, contact_id, sobject)
    return contact_id


@then("within the sync window the contact in HubSpot shows the change")
def hubspot_shows_change(sandboxes, waiter, uat_mappings, scenario, contact_id):
    field, value = scenario.values["salesforce_change"]
    hubspot_shows_salesforce_change(sandboxes, waiter, uat_mappings, "Lead", field, value, contact_id)
