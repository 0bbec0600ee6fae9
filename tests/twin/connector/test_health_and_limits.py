"""Sync Health, retries, API calls against the org's allowance and HubSpot's allocation, suspension, pause,
interval mode: what an admin sees on the Sync Health tab, read through the control plane."""

from __future__ import annotations

import time

from tests.twin.connector.conftest import Both


def test_a_salesforce_rejection_is_a_sync_error_with_its_category_record_and_message(both: Both):
    contact_id = both.new_contact(email="long@example.com", lastname="Long", jobtitle="x" * 200)
    stats = both.sync()
    assert stats["created_in_salesforce"] == 0 and stats["errors"] == 1
    [error] = both.errors()
    assert (error["category"], error["code"], error["hubspot_id"], error["salesforce_object"]) == (
        "property_values", "STRING_TOO_LONG", contact_id, "Lead")
    assert "max length=128" in error["message"]
    assert both.health()["by_category"]["property_values"] == {"errors": 1, "records": 1}
    card = both.control("GET", "/connector/errors", object="contacts", id=contact_id)["errors"]
    assert [e["code"] for e in card] == ["STRING_TOO_LONG"]  # the contact's Salesforce Sync card


def test_an_erroring_record_is_retried_and_its_error_clears_once_it_syncs(both: Both):
    contact_id = both.new_contact(email="retry@example.com", lastname="Retry", jobtitle="x" * 200)
    both.sync()
    again = both.sync()  # nothing changed, but the failed record is retried
    assert again["retried"] == 1
    assert both.errors()[0]["occurrences"] == 2
    both.update_contact(contact_id, jobtitle="Short")
    fixed = both.sync()
    assert fixed["created_in_salesforce"] == 1
    assert both.errors() == []
    assert both.health()["by_category"]["property_values"]["errors"] == 0


def test_restricted_picklist_rejections_are_picklist_errors(org, start):
    def restrict(data):
        data["objects"]["Lead"]["fields"]["LeadSource"]["restricted"] = True

    def sync_source(data):
        for mapping in data["mappings"]["contacts"]:
            if mapping["hubspot"] == "lead_source_detail":
                mapping["rule"] = "Two-way"

    both = start(org(connector=sync_source, salesforce=restrict))
    both.new_contact(email="pick@example.com", lastname="Pick", lead_source_detail="Trade show")
    both.sync()
    [error] = both.errors("picklists")
    assert error["code"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert "bad value for restricted picklist field: Trade show" in error["message"]


def test_a_hubspot_refusal_is_reported_and_the_rest_of_the_record_still_syncs(org, start):
    def narrow_options(data):
        data["properties"]["contacts"]["hs_lead_status"]["options"] = ["Working - Contacted"]

    both = start(org(hubspot=narrow_options))
    contact_id = both.new_contact(email="partial@example.com", lastname="Partial")
    both.sync()
    assert both.lead_of(contact_id)  # the link landed although the status was refused
    [error] = both.errors("picklists")
    assert error["code"] == "INVALID_OPTION" and "Open - Not Contacted" in error["message"]


def test_connector_calls_count_against_the_org_allowance_that_limits_reports(both: Both):
    before = both.sf.limits()["DailyApiRequests"]["Remaining"]
    for n in range(3):
        both.new_contact(email=f"count{n}@example.com", lastname=f"Count {n}")
    stats = both.sync()
    after = both.sf.limits()["DailyApiRequests"]["Remaining"]
    assert stats["api_calls"] > 0
    assert before - after == stats["api_calls"] + 1  # + the limits call itself
    usage = both.health()["api_usage"]
    assert usage["used_last_24h"] == stats["api_calls"]
    assert usage["allocated_to_hubspot"] == 50000 and usage["limited_by_salesforce"] == 100000


def test_writes_go_two_hundred_records_to_a_call(both: Both):
    inputs = [{"properties": {"email": f"bulk{n}@example.com", "lastname": f"Bulk {n}"}} for n in range(100)]
    for start_at in (0, 50):
        both.hs.crm.contacts.batch_api.create({"inputs": inputs[start_at:start_at + 50]})
    small = both.sync()["api_calls"]
    more = [{"properties": {"email": f"more{n}@example.com", "lastname": f"More {n}"}} for n in range(100)]
    both.hs.crm.contacts.batch_api.create({"inputs": more})
    # Another 100 records cost no more calls: the creates still fit one sObject Collections call.
    assert both.sync()["api_calls"] <= small + 1


def test_exhausting_hubspots_allocation_suspends_the_sync_until_calls_are_available(org, start):
    def tiny(data):
        data["api"]["allocated_to_hubspot"] = 6

    both = start(org(connector=tiny))
    for n in range(3):
        both.new_contact(email=f"susp{n}@example.com", lastname=f"Suspended {n}")
    stats = both.sync(cycles=3)
    assert stats["suspended"] == "Salesforce Organization API limit exceeded"
    health = both.health()
    assert health["suspended"] == "Salesforce Organization API limit exceeded"
    assert "allocation of 6" in health["suspension_detail"]
    assert both.sync()["suspended"]  # stays suspended while no calls are available
    both.control("PATCH", "/connector/settings", {"api": {"allocated_to_hubspot": 1000}})
    resumed = both.sync()
    assert resumed["suspended"] is None
    both.sync()
    linked = [both.hs.crm.contacts.basic_api.get_by_id(f"susp{n}@example.com", id_property="email",
                                                       properties=["salesforceleadid"]).properties["salesforceleadid"]
              for n in range(3)]
    assert all(linked)
    assert both.health()["suspended"] is None


def test_the_orgs_own_limit_suspends_the_integration_too(org, start):
    def small_org(data):
        data["organization"]["daily_api_requests"] = 4

    both = start(org(salesforce=small_org))
    both.new_contact(email="org-limit@example.com", lastname="Limit")
    stats = both.sync(cycles=2)
    assert stats["suspended"] == "Salesforce Organization API limit exceeded"
    assert "REQUEST_LIMIT_EXCEEDED" in both.health()["suspension_detail"]


def test_automatic_retries_stop_above_three_quarters_of_the_allocation(both: Both):
    both.new_contact(email="gated@example.com", lastname="Gated", jobtitle="x" * 200)
    first = both.sync()
    used = both.health()["api_usage"]["used_last_24h"]
    assert first["errors"] == 1
    both.control("PATCH", "/connector/settings", {"api": {"allocated_to_hubspot": int(used / 0.8)}})
    assert both.health()["api_usage"]["retries_allowed"] is False
    assert both.sync()["retried"] == 0
    both.control("PATCH", "/connector/settings", {"api": {"allocated_to_hubspot": 50000}})
    assert both.sync()["retried"] == 1


def test_pausing_the_connector_emulates_an_outage(both: Both):
    both.control("POST", "/pause")
    contact_id = both.new_contact(email="outage@example.com", lastname="Outage")
    stats = both.sync()
    assert stats["paused"] is True and stats["created_in_salesforce"] == 0
    assert both.health()["paused"] is True
    assert not both.contact(contact_id, "salesforceleadid")["salesforceleadid"]
    both.control("POST", "/resume")
    assert both.sync()["created_in_salesforce"] == 1  # nothing was lost while paused


def test_interval_mode_syncs_without_being_asked(both: Both):
    assert both.control("POST", "/connector/interval", {"mode": "interval", "seconds": 0.2})["mode"] == "interval"
    contact_id = both.new_contact(email="interval@example.com", lastname="Interval")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not both.contact(contact_id, "salesforceleadid")["salesforceleadid"]:
        time.sleep(0.1)
    assert both.contact(contact_id, "salesforceleadid")["salesforceleadid"]
    health = both.health()
    assert health["cycles"] >= 1 and health["last_successful_sync_ms"] is not None
    both.control("POST", "/connector/interval", {"mode": "manual"})
    cycles = both.health()["cycles"]
    time.sleep(0.5)
    assert both.health()["cycles"] == cycles  # manual again: no background cycles


def test_the_twin_can_start_in_interval_mode(start):
    both = start(sync="interval", interval_seconds=0.2)
    contact_id = both.new_contact(email="started@example.com", lastname="Started")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not both.contact(contact_id, "salesforceleadid")["salesforceleadid"]:
        time.sleep(0.1)
    assert both.contact(contact_id, "salesforceleadid")["salesforceleadid"]


def test_a_validation_rule_rejection_is_a_custom_code_error(org, start):
    def no_interns(data):
        data["automation"]["validation_rules"].append({
            "name": "No_Intern_Leads", "object": "Lead", "condition": "Title = 'Intern'",
            "message": "Interns are not leads.", "field": "Title"})

    both = start(org(salesforce=no_interns))
    contact_id = both.new_contact(email="intern@example.com", lastname="Intern")
    both.sync()
    both.update_contact(contact_id, jobtitle="Intern")
    both.sync()
    [error] = both.errors()
    assert (error["category"], error["code"], error["message"]) == (
        "custom_code", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Interns are not leads.")


def test_an_email_already_used_by_another_contact_is_a_duplicates_error(both: Both):
    first = both.new_contact(email="first@example.com", lastname="First")
    both.new_contact(email="second@example.com", lastname="Second")
    both.sync()
    both.sf.Lead.update(both.lead_of(first), {"Email": "second@example.com"},
                        headers={"Sforce-Duplicate-Rule-Header": "allowSave=true"})
    both.sync()
    [error] = both.errors("duplicates")
    assert error["hubspot_id"] == first and "already exists" in error["message"]
    assert both.contact(first, "email")["email"] == "first@example.com"
