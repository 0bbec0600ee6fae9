"""Contract-matrix steps: every mapping row of the profile, on its object, both ways, blanks included.

`matrix` accumulates its checks as the steps run (harness.uat.contract_matrix.Matrix), so each Then attaches
every row's check so far to the scenario's evidence.
"""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from harness.uat import contract_matrix


@then("every mapping row of the profile is exercised by the contract matrix")
def every_row_covered(world):
    contract_matrix.expect_every_row_covered(world)


@given(parsers.parse("two synced {hubspot_object} and {sobject} records for the contract matrix"),
       target_fixture="matrix")
def matrix_records(world, hubspot_object, sobject):
    return contract_matrix.matrix_for(world, hubspot_object, sobject)  # skips when the profile maps nothing there


@when("every mapped field is written at once, on one record in HubSpot and on the other in Salesforce")
def write_everything(world, matrix):
    contract_matrix.write_everything(world, matrix)


@when("every mapped field that may be blank is cleared, on one record in HubSpot and on the other in Salesforce")
def clear_everything(world, matrix):
    contract_matrix.write_everything(world, matrix, clear=True)


@then("after one connector cycle every mapping row holds what its sync rule says")
def rows_hold(world, matrix):
    contract_matrix.expect_rows_hold(world, matrix)
