"""Steps that act on or read the HubSpot side. Each step is a call into the harness library."""

from __future__ import annotations

from pytest_bdd import given, parsers

from harness.actions import create_hubspot_record
from harness.testdata import new_person


@given("a new HubSpot contact with every mapped contact property filled", target_fixture="contact_id")
def new_hubspot_contact(sandboxes, ledger, uat_run, scenario):
    person = new_person(uat_run.tag)
    values = {"email": person.email, "firstname": person.first_name, "lastname": person.last_name,
              "company": person.company}
    scenario.values["hubspot"] = values
    return create_hubspot_record(sandboxes, ledger, "contacts", values)


@given(parsers.parse('a new HubSpot contact with "{prop}" set to "{value}"'), target_fixture="contact_id")
def new_hubspot_contact_with(sandboxes, ledger, uat_run, scenario, prop, value):
    person = new_person(uat_run.tag)
    values = {"email": person.email, "firstname": person.first_name, "lastname": person.last_name, prop: value}
    scenario.values["hubspot"] = values
    return create_hubspot_record(sandboxes, ledger, "contacts", values)
