"""Activities: HubSpot notes, calls, e-mails, meetings and tasks -> Salesforce Tasks; Salesforce tasks -> HubSpot.

Documented: each HubSpot activity type is toggled on or off and mapped to a Salesforce task type; it lands on the
Salesforce record its contact syncs with (WhoId). Salesforce -> HubSpot has toggles per Tasks, Emails, Calls and
Meetings; turning one on does not backfill; records sync when created or updated in Salesforce. Field mappings
cannot be customised. Not documented (twin choices, see docs): the Task's Subject (switch `activity_subject`),
Status (Completed for logged activities, the task's own status for tasks) and which Salesforce task becomes which
HubSpot activity (by TaskSubtype, then Type). An activity whose contact does not sync yet waits and is retried.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..clock import hs_datetime, parse_sf_datetime
from ..hubspot.models import HsObject
from .associations import associate
from .links import Link
from .objects import ObjectSync

TYPES = ("notes", "calls", "emails", "meetings", "tasks")
LABEL = {"notes": "Note", "calls": "Call", "emails": "Email", "meetings": "Meeting", "tasks": "Task"}
TITLE = {"notes": None, "calls": "hs_call_title", "emails": "hs_email_subject", "meetings": "hs_meeting_title",
         "tasks": "hs_task_subject"}
BODY = {"notes": "hs_note_body", "calls": "hs_call_body", "emails": "hs_email_text", "meetings": "hs_meeting_body",
        "tasks": "hs_task_body"}
TASK_STATUS_TO_SF = {"NOT_STARTED": "Not Started", "IN_PROGRESS": "In Progress", "WAITING": "Waiting on someone else",
                     "COMPLETED": "Completed", "DEFERRED": "Deferred"}
TASK_STATUS_TO_HS = {v: k for k, v in TASK_STATUS_TO_SF.items()}


class ActivitySync(ObjectSync):
    object_type = "engagements"
    sf_objects = ("Task",)

    @property
    def config(self):  # noqa: ANN201 - the pydantic ActivitySettings
        return self.ctx.settings.objects.activities

    def enabled(self) -> bool:
        return self.config.enabled

    def run(self) -> None:
        self._to_salesforce()
        self._to_hubspot()

    # -- HubSpot -> Salesforce ------------------------------------------------------------------------
    def _to_salesforce(self) -> None:
        ctx = self.ctx
        requests: list[tuple[HsObject, str, dict[str, Any]]] = []
        for kind in TYPES:
            setting = self.config.hubspot_to_salesforce.get(kind)  # type: ignore[call-overload]
            if setting is None or not setting.sync:
                continue
            changed = {o.id: o for o in ctx.hubspot.changed(kind, ctx.since_ms)}
            for hs_id in ctx.retries.due("hs", kind, ctx.cycle, ctx.budget.retries_allowed()):
                ctx.retries.done("hs", kind, hs_id)
                obj = ctx.hubspot.get(kind, hs_id)
                if obj is not None:
                    changed[obj.id] = obj
            linked = ctx.links.by_hs(kind, list(changed))
            for obj in changed.values():
                if obj.archived or obj.id in linked:
                    continue  # activities are created once; later edits stay in HubSpot
                who = self._synced_person(kind, obj.id)
                if who is None:
                    ctx.retries.later("hs", kind, obj.id, ctx.cycle + ctx.settings.switches["retry_after_cycles"])
                    continue
                requests.append((obj, kind, self._task_values(kind, obj, who, setting.task_type)))
        for obj, kind, data in requests:
            result = ctx.salesforce.create("Task", data)
            if result.ok and result.record_id:
                ctx.links.save([Link(kind, obj.id, "Task", result.record_id)])
                ctx.stats.bump(self.object_type, "created_in_salesforce")
            else:
                assert result.error is not None
                ctx.health.record(result.error.error_code, result.error.message, kind, obj.id, "Task", None)
                ctx.retries.later("hs", kind, obj.id, ctx.cycle + ctx.settings.switches["retry_after_cycles"])
                ctx.stats.bump(self.object_type, "errors")

    def _synced_person(self, kind: str, hs_id: str) -> str | None:
        """The Salesforce Lead or Contact of the first associated contact that syncs."""
        contact_ids = self.ctx.hubspot.associated(kind, hs_id, "contacts")
        links = self.ctx.links.by_hs("contacts", contact_ids)
        for contact_id in contact_ids:
            if contact_id in links:
                return links[contact_id].sf_id
        return None

    def _task_values(self, kind: str, obj: HsObject, who: str, task_type: str) -> dict[str, Any]:
        props = obj.properties
        title_property = TITLE[kind]
        title = (props.get(title_property) if title_property else None) or _plain(props.get(BODY[kind]))[:80] or LABEL[kind]
        subject = self.ctx.settings.switches["activity_subject"].format(type=LABEL[kind], title=title)[:255]
        data: dict[str, Any] = {"Subject": subject, "WhoId": who, "Description": _plain(props.get(BODY[kind])) or None,
                                "Status": "Completed"}
        type_field = self.ctx.salesforce.field("Task", "Type")
        if type_field is not None and (not type_field.values or task_type in type_field.values):
            data["Type"] = task_type
        if kind == "tasks":
            data["Status"] = TASK_STATUS_TO_SF.get(props.get("hs_task_status") or "", "Not Started")
        stamp = props.get("hs_timestamp")
        if stamp:
            data["ActivityDate"] = _date(stamp)
        user = self.ctx.owners.user_for_hubspot_owner(props.get("hubspot_owner_id"))
        if user is not None:
            data["OwnerId"] = user.id
        return {k: v for k, v in data.items() if v is not None}

    # -- Salesforce -> HubSpot ------------------------------------------------------------------------
    def _to_hubspot(self) -> None:
        ctx = self.ctx
        toggles = self.config.salesforce_to_hubspot
        if not any(toggles.values()):
            return
        rows = ctx.salesforce.changed("Task", ctx.since_ms)
        links = ctx.links.by_sf([r["Id"] for r in rows])
        people = ctx.links.by_sf([r["WhoId"] for r in rows if r.get("WhoId")])
        for row in rows:
            if row.get("IsDeleted"):
                continue
            link = links.get(row["Id"])
            kind = self._hubspot_kind(row)
            if link is not None:
                if link.hs_object == "tasks":
                    self._update_task(link.hs_id, row)
                continue
            person = people.get(row.get("WhoId") or "")
            if kind is None or not toggles.get(kind, False) or person is None:  # type: ignore[call-overload]
                continue
            written = ctx.hubspot.create(kind, self._engagement_values(kind, row))
            if written.obj is None:
                assert written.error is not None
                ctx.health.record(written.error.category, written.error.message, kind, None, "Task", row["Id"])
                continue
            associate(ctx, kind, written.obj.id, "contacts", person.hs_id)
            ctx.links.save([Link(kind, written.obj.id, "Task", row["Id"])])
            ctx.stats.bump(self.object_type, "created_in_hubspot")

    @staticmethod
    def _hubspot_kind(row: dict[str, Any]) -> str | None:
        subtype, kind = (row.get("TaskSubtype") or ""), (row.get("Type") or "")
        for value in (subtype, kind):
            if value == "Call":
                return "calls"
            if value == "Email":
                return "emails"
            if value == "Meeting":
                return "meetings"
        return "tasks"

    def _engagement_values(self, kind: str, row: dict[str, Any]) -> dict[str, Any]:
        when = row.get("ActivityDate") or row.get("CreatedDate")
        stamp = hs_datetime(parse_sf_datetime(str(when))) if when else None
        subject, body = row.get("Subject") or LABEL[kind], row.get("Description")
        values: dict[str, Any] = {"hs_timestamp": stamp}
        if kind == "tasks":
            values.update({"hs_task_subject": subject, "hs_task_body": body,
                           "hs_task_status": TASK_STATUS_TO_HS.get(row.get("Status") or "", "NOT_STARTED")})
        elif kind == "calls":
            values.update({"hs_call_title": subject, "hs_call_body": body, "hs_call_status": "COMPLETED"})
        elif kind == "emails":
            values.update({"hs_email_subject": subject, "hs_email_text": body, "hs_email_direction": "EMAIL"})
        else:
            values.update({"hs_meeting_title": subject, "hs_meeting_body": body})
        owner = self.ctx.owners.hubspot_owner_for_user(row.get("OwnerId"))
        if owner and not owner.startswith("salesforce-user:"):
            values["hubspot_owner_id"] = owner
        return {k: v for k, v in values.items() if v is not None and self.ctx.hubspot.property(kind, k) is not None}

    def _update_task(self, hs_id: str, row: dict[str, Any]) -> None:
        obj = self.ctx.hubspot.get("tasks", hs_id)
        if obj is None:
            return
        wanted = {"hs_task_subject": row.get("Subject"),
                  "hs_task_status": TASK_STATUS_TO_HS.get(row.get("Status") or "", obj.properties.get("hs_task_status"))}
        changes = {k: v for k, v in wanted.items() if v and obj.properties.get(k) != v}
        if changes and self.ctx.hubspot.update("tasks", hs_id, changes).ok:
            self.ctx.stats.bump(self.object_type, "updated_in_hubspot")


def _plain(html: str | None) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html or "").strip()


def _date(value: str) -> str:
    text = str(value)
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC).date().isoformat()
    return text[:10]
