"""Activity steps."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from harness.uat import activities


@when("a call is logged on the contact in HubSpot")
def log_call(world, contact_pair):
    activities.log_activity(world, contact_pair, "calls")


@when("a note is added to the contact in HubSpot")
def add_note(world, contact_pair):
    activities.log_activity(world, contact_pair, "notes")


@then(parsers.parse("within the sync window the Lead has a Task for the {kind}"))
def task_for(world, contact_pair, kind):
    activities.expect_task(world, contact_pair, f"{kind}s")
