"""Activities (HubSpot -> Salesforce Tasks, Salesforce tasks -> HubSpot) and cases -> tickets (one-way)."""

from __future__ import annotations

import pytest

from tests.twin.connector.conftest import Both

NOTE_TO_CONTACT = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]


def synced_contact(both: Both) -> tuple[str, str]:
    contact_id = both.new_contact(email="activity@example.com", lastname="Activity")
    both.sync()
    return contact_id, both.lead_of(contact_id)


def test_a_hubspot_note_becomes_a_salesforce_task_on_the_contacts_lead(both: Both):
    contact_id, lead_id = synced_contact(both)
    both.hs.crm.objects.notes.basic_api.create({
        "properties": {"hs_note_body": "<p>Discussed the renewal</p>", "hs_timestamp": "2026-11-20T10:00:00Z"},
        "associations": [{"to": {"id": contact_id}, "types": NOTE_TO_CONTACT}]})
    both.sync()
    [task] = both.sf.query(f"SELECT Subject, Type, Status, ActivityDate, Description FROM Task "
                           f"WHERE WhoId = '{lead_id}'")["records"]
    assert (task["Subject"], task["Type"], task["Status"], task["ActivityDate"]) == (
        "Note: Discussed the renewal", "Other", "Completed", "2026-11-20")
    both.sync()
    assert both.sf.query("SELECT COUNT() FROM Task")["totalSize"] == 1  # created once


def test_activity_types_can_be_switched_off(org, start):
    def no_notes(data):
        data["objects"]["activities"]["hubspot_to_salesforce"] = {"notes": {"sync": False}}

    both = start(org(connector=no_notes))
    contact_id, _ = synced_contact(both)
    both.hs.crm.objects.notes.basic_api.create({
        "properties": {"hs_note_body": "Private note", "hs_timestamp": "2026-11-20T10:00:00Z"},
        "associations": [{"to": {"id": contact_id}, "types": NOTE_TO_CONTACT}]})
    both.sync()
    assert both.sf.query("SELECT COUNT() FROM Task")["totalSize"] == 0


def test_a_call_logs_with_its_salesforce_task_type(both: Both):
    contact_id, lead_id = synced_contact(both)
    both.hs.crm.objects.calls.basic_api.create({
        "properties": {"hs_call_title": "Discovery call", "hs_timestamp": "2026-11-21T15:00:00Z"},
        "associations": [{"to": {"id": contact_id},
                          "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 194}]}]})
    both.sync()
    [task] = both.sf.query(f"SELECT Subject, Type FROM Task WHERE WhoId = '{lead_id}'")["records"]
    assert (task["Subject"], task["Type"]) == ("Call: Discovery call", "Call")


def test_salesforce_tasks_and_calls_reach_hubspot_on_the_contact(both: Both):
    contact_id, lead_id = synced_contact(both)
    both.sf.Task.create({"Subject": "Follow-up call", "WhoId": lead_id, "TaskSubtype": "Call", "Type": "Call",
                         "Status": "Completed"})
    task_id = both.sf.Task.create({"Subject": "Send proposal", "WhoId": lead_id, "Status": "Not Started"})["id"]
    both.sync()
    calls = both.hs.crm.objects.calls.basic_api.get_page(properties=["hs_call_title"]).results
    tasks = both.hs.crm.objects.tasks.basic_api.get_page(properties=["hs_task_subject", "hs_task_status"]).results
    assert [c.properties["hs_call_title"] for c in calls] == ["Follow-up call"]
    assert [(t.properties["hs_task_subject"], t.properties["hs_task_status"]) for t in tasks] == [
        ("Send proposal", "NOT_STARTED")]
    associated = both.hs.crm.associations.v4.basic_api.get_page("tasks", tasks[0].id, "contacts").results
    assert [str(a.to_object_id) for a in associated] == [contact_id]
    both.sf.Task.update(task_id, {"Status": "Completed"})  # updates in Salesforce sync too
    both.sync()
    task = both.hs.crm.objects.tasks.basic_api.get_by_id(tasks[0].id, properties=["hs_task_status"])
    assert task.properties["hs_task_status"] == "COMPLETED"


def test_salesforce_emails_stay_in_salesforce_when_that_toggle_is_off(both: Both):
    _, lead_id = synced_contact(both)
    both.sf.Task.create({"Subject": "Email: pricing", "WhoId": lead_id, "TaskSubtype": "Email", "Status": "Completed"})
    both.sync()
    assert both.hs.crm.objects.emails.basic_api.get_page().results == []


# -- tickets ----------------------------------------------------------------------------------------------
def tickets_on(data):
    data["objects"]["tickets"] = {"enabled": True, "on_salesforce_delete": "delete_ticket",
                                  "pipelines": [{"pipeline": "Support Pipeline",
                                                 "statuses": {"New": "1", "Working": "3", "Escalated": "3",
                                                              "Closed": "4"}}]}
    data["mappings"]["tickets"] = [{"hubspot": "subject", "salesforce": "Subject", "rule": "Two-way"},
                                   {"hubspot": "content", "salesforce": "Description", "rule": "Two-way"}]


@pytest.fixture
def ticketing(org, start) -> Both:
    return start(org(connector=tickets_on))


def test_a_case_becomes_a_ticket_with_its_status_mapped_and_its_contact_associated(ticketing: Both):
    contact_sf = ticketing.sf.Contact.create({"LastName": "Caller", "Email": "caller@example.com"})["id"]
    case_id = ticketing.sf.Case.create({"Subject": "Cannot log in", "Description": "Since Monday", "Status": "Working",
                                        "ContactId": contact_sf})["id"]
    ticketing.sync()
    [ticket] = ticketing.hs.crm.tickets.basic_api.get_page(
        properties=["subject", "content", "hs_pipeline", "hs_pipeline_stage"]).results
    assert (ticket.properties["subject"], ticket.properties["content"], ticket.properties["hs_pipeline"],
            ticket.properties["hs_pipeline_stage"]) == ("Cannot log in", "Since Monday", "0", "3")
    contact = ticketing.hs.crm.contacts.basic_api.get_by_id("caller@example.com", id_property="email")
    associated = ticketing.hs.crm.associations.v4.basic_api.get_page("tickets", ticket.id, "contacts").results
    assert [str(a.to_object_id) for a in associated] == [contact.id]
    ticketing.sf.Case.update(case_id, {"Status": "Closed"})
    ticketing.sync()
    closed = ticketing.hs.crm.tickets.basic_api.get_by_id(ticket.id, properties=["hs_pipeline_stage"])
    assert closed.properties["hs_pipeline_stage"] == "4"


def test_tickets_are_one_way(ticketing: Both):
    case_id = ticketing.sf.Case.create({"Subject": "Original", "Status": "New"})["id"]
    ticketing.sync()
    [ticket] = ticketing.hs.crm.tickets.basic_api.get_page().results
    ticketing.hs.crm.tickets.basic_api.update(ticket.id, {"properties": {"subject": "Edited in HubSpot"}})
    ticketing.hs.crm.tickets.basic_api.create({"properties": {"subject": "HubSpot only", "hs_pipeline": "0",
                                                              "hs_pipeline_stage": "1"}})
    ticketing.sync()
    assert ticketing.sf.Case.get(case_id)["Subject"] == "Original"
    assert ticketing.sf.query("SELECT COUNT() FROM Case")["totalSize"] == 1


def test_deleting_the_case_deletes_the_ticket_when_the_rule_says_so(ticketing: Both):
    case_id = ticketing.sf.Case.create({"Subject": "Short lived", "Status": "New"})["id"]
    ticketing.sync()
    [ticket] = ticketing.hs.crm.tickets.basic_api.get_page().results
    ticketing.sf.Case.delete(case_id)
    ticketing.sync()
    assert ticketing.hs.crm.tickets.basic_api.get_by_id(ticket.id, archived=True).archived is True
