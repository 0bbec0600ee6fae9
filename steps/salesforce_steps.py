"""Steps that act on or read the Salesforce side."""

from __future__ import annotations

from pytest_bdd import parsers, when


@when(parsers.parse('the Lead\'s "{field}" is changed to "{value}" in Salesforce'))
def change_lead_field(sandboxes, scenario, field, value):
    sandboxes.salesforce.update("Lead", scenario.records["Lead"], {field: value})
    scenario.values["salesforce_change"] = (field, value)
