"""Workflows: definitions from the portal fixture, run on every matching write, shown as `/automation/v4/flows`.

A workflow enrolls a record when a write leaves it meeting the enrollment criteria: once, or again when one of
its re-enrollment trigger properties changes. Its actions then run at once, in the same transaction, and their
writes are recorded with sourceType AUTOMATION_PLATFORM (real HubSpot runs them seconds later; the twin runs them
immediately so a test sees the effect without waiting). A workflow's own writes never re-enroll it; writes by the
Salesforce connector enroll only if the workflow allows enrollment from Salesforce.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..clock import hs_datetime, now_ms
from . import exceptions as err
from .criteria import Criteria, CriteriaError, kinds_of
from .properties import OBJECT_TYPES, PortalError
from .records import Source, Write

if TYPE_CHECKING:
    from .models import HubSpotBackend
    from .portal import Portal

ACTION_TYPE_IDS = {"set": "0-5", "clear": "0-5", "rotate_owner": "0-11", "add_to_list": "0-13", "remove_from_list": "0-13",
                   "create_task": "0-3", "notify": "0-8", "send_email": "0-4"}
MAX_DEPTH = 5  # workflows triggering workflows: HubSpot stops loops too; the twin stops at this depth


def _wall_ms() -> int:
    """Bookkeeping time (enrollments, run log): wall clock, so it does not advance the twin's write clock."""
    return int(time.time() * 1000)


@dataclass
class Action:
    id: str
    kind: str
    property: str | None = None
    value: str | None = None
    user_ids: list[int] = field(default_factory=list)
    list_id: str | None = None
    text: str | None = None
    overwrite: bool = True


@dataclass
class Workflow:
    id: str
    name: str
    object_type: str
    enabled: bool
    criteria: Criteria
    actions: list[Action]
    re_enroll_on: tuple[str, ...] = ()
    can_enroll_from_salesforce: bool = True
    uuid: str = ""


def _action(where: str, spec: Any, position: int, object_type: str, portal: Portal) -> Action:
    if not isinstance(spec, Mapping):
        raise PortalError(f"{where}: an action is a mapping such as {{set: lifecyclestage, value: lead}}")
    kinds = [k for k in ACTION_TYPE_IDS if k in spec]
    if len(kinds) != 1:
        raise PortalError(f"{where}: name exactly one action of {', '.join(ACTION_TYPE_IDS)}")
    kind, action_id = kinds[0], str(position + 1)
    if kind in ("set", "clear"):
        name = str(spec[kind])
        definition = portal.property(object_type, name)
        if definition is None:
            raise PortalError(f"{where}.{kind}: property {name!r} is not defined for {object_type}")
        if definition.read_only or definition.calculated:
            raise PortalError(f"{where}.{kind}: {name} is read-only; a workflow cannot set it")
        value = None if kind == "clear" else str(spec.get("value", ""))
        if value and definition.type == "enumeration" and definition.options and value not in definition.option_values():
            raise PortalError(f"{where}.value: {value!r} is not an option of {name}; add the option to the property first")
        return Action(action_id, kind, name, value)
    if kind == "rotate_owner":
        users = []
        for who in spec["rotate_owner"] or []:
            owner = next((o for o in portal.owners if str(who) in (o.id, o.email, str(o.user_id))), None)
            if owner is None:
                raise PortalError(f"{where}.rotate_owner: {who!r} is not an owner id, e-mail or userId of this portal")
            users.append(owner.user_id)
        if not users:
            raise PortalError(f"{where}.rotate_owner: list the owners to rotate between")
        return Action(action_id, kind, str(spec.get("property", "hubspot_owner_id")), user_ids=users,
                      overwrite=bool(spec.get("overwrite", True)))
    if kind in ("add_to_list", "remove_from_list"):
        list_id = str(spec[kind])
        if not any(item.id == list_id and item.processing_type != "DYNAMIC" for item in portal.lists):
            raise PortalError(f"{where}.{kind}: {list_id!r} is not a MANUAL or SNAPSHOT list of this portal")
        return Action(action_id, kind, list_id=list_id)
    return Action(action_id, kind, text=str(spec[kind]))


def parse_workflows(source: str, raw: Any, portal: Portal) -> list[Workflow]:
    workflows = []
    for index, spec in enumerate(raw or []):
        where = f"{source}: workflows[{index}]"
        if not isinstance(spec, Mapping) or not spec.get("id") or not spec.get("name"):
            raise PortalError(f"{where}: a workflow needs an id (numeric string), a name, an object and actions")
        if not str(spec["id"]).isdigit():
            raise PortalError(f"{where}.id: workflow ids are numeric strings such as \"5001\", not {spec['id']!r}")
        object_type = str(spec.get("object", "contacts"))
        if object_type not in OBJECT_TYPES:
            raise PortalError(f"{where}.object: {object_type!r} is not a CRM object type")
        try:
            criteria = Criteria.from_fixture(spec.get("enrollment"), f"{where}.enrollment")
        except CriteriaError as error:
            raise PortalError(str(error)) from None
        if not criteria.groups:
            raise PortalError(f"{where}.enrollment: a workflow needs enrollment criteria")
        for name in criteria.properties() | set(spec.get("re_enroll_on") or []):
            if portal.property(object_type, name) is None:
                raise PortalError(f"{where}: property {name!r} (enrollment) is not defined for {object_type}")
        actions = [_action(f"{where}.actions[{i}]", a, i, object_type, portal) for i, a in enumerate(spec.get("actions") or [])]
        if not actions:
            raise PortalError(f"{where}.actions: a workflow needs at least one action")
        workflows.append(Workflow(str(spec["id"]), str(spec["name"]), object_type, bool(spec.get("enabled", True)), criteria,
                                  actions, tuple(str(p) for p in spec.get("re_enroll_on") or ()),
                                  bool(spec.get("can_enroll_from_salesforce", True)),
                                  str(uuid.uuid5(uuid.NAMESPACE_URL, f"hubspot-flow-{spec['id']}"))))
    if len({w.id for w in workflows}) != len(workflows):
        raise PortalError(f"{source}: workflows: workflow ids must be unique")
    return workflows


class WorkflowEngine:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.store = backend.store
        self.flows = {w.id: w for w in backend.portal.workflows}
        self._depth = 0
        with self.store.transaction() as db:
            db.execute("CREATE TABLE IF NOT EXISTS hs_flow_state (flow_id TEXT PRIMARY KEY, enabled INTEGER NOT NULL, "
                       "revision INTEGER NOT NULL, rotation INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL, "
                       "updated_ms INTEGER NOT NULL)")
            db.execute("CREATE TABLE IF NOT EXISTS hs_flow_enrollments (flow_id TEXT NOT NULL, object_id INTEGER NOT NULL, "
                       "count INTEGER NOT NULL, last_ms INTEGER NOT NULL, PRIMARY KEY (flow_id, object_id))")
            db.execute("CREATE TABLE IF NOT EXISTS hs_flow_runs (flow_id TEXT NOT NULL, object_id INTEGER NOT NULL, "
                       "ran_ms INTEGER NOT NULL, outcome TEXT NOT NULL)")
            stamp = now_ms()
            for flow in self.flows.values():
                db.execute("INSERT OR IGNORE INTO hs_flow_state (flow_id, enabled, revision, created_ms, updated_ms) "
                           "VALUES (?, ?, 1, ?, ?)", (flow.id, int(flow.enabled), stamp, stamp))
        self._state: dict[str, dict[str, int]] = {}
        self._load_state()

    def _load_state(self) -> None:
        rows = self.store.db.execute("SELECT * FROM hs_flow_state").fetchall()
        self._state = {r["flow_id"]: {"enabled": r["enabled"], "revision": r["revision"], "rotation": r["rotation"],
                                      "created_ms": r["created_ms"], "updated_ms": r["updated_ms"]} for r in rows}

    def enabled(self, flow_id: str) -> bool:
        return bool(self._state.get(flow_id, {}).get("enabled"))

    def set_enabled(self, flow_id: str, enabled: bool) -> None:
        with self.store.transaction() as db:
            db.execute("UPDATE hs_flow_state SET enabled = ?, revision = revision + 1, updated_ms = ? WHERE flow_id = ?",
                       (int(enabled), now_ms(), flow_id))
        self._load_state()

    # -- running --------------------------------------------------------------------------------------
    def after_writes(self, writes: list[Write], source: Any) -> None:
        if not writes:
            return
        flows = [f for f in self.flows.values() if f.object_type == writes[0].obj.object_type and self.enabled(f.id)]
        if not flows or self._depth >= MAX_DEPTH:
            return
        kinds = kinds_of(self.backend.portal.properties.get(flows[0].object_type, {}).values())
        db = self.store.db
        for write in writes:
            for flow in flows:
                if write.obj.archived or (source.type == "AUTOMATION_PLATFORM" and source.id == flow.id):
                    continue
                if source.type == "SALESFORCE" and not flow.can_enroll_from_salesforce:
                    continue
                if not flow.criteria.matches(write.obj.properties, kinds):
                    continue
                row = db.execute("SELECT count FROM hs_flow_enrollments WHERE flow_id = ? AND object_id = ?",
                                 (flow.id, int(write.obj.id))).fetchone()
                if row is not None and not (flow.re_enroll_on and set(write.changes) & set(flow.re_enroll_on)):
                    continue
                db.execute("INSERT INTO hs_flow_enrollments VALUES (?, ?, 1, ?) ON CONFLICT (flow_id, object_id) DO UPDATE "
                           "SET count = count + 1, last_ms = excluded.last_ms", (flow.id, int(write.obj.id), _wall_ms()))
                self._run(flow, write.obj.id)

    def _run(self, flow: Workflow, object_id: str) -> None:
        source = Source("AUTOMATION_PLATFORM", flow.id, flow.name)
        outcomes: list[str] = []
        self._depth += 1
        try:
            for action in flow.actions:
                try:
                    outcomes.append(self._act(flow, action, object_id, source))
                except err.HubSpotError as error:  # a failed action is logged on the run, as HubSpot does
                    outcomes.append(f"{action.kind}: FAILED {error.message}")
        finally:
            self._depth -= 1
        self.store.db.execute("INSERT INTO hs_flow_runs VALUES (?, ?, ?, ?)", (flow.id, int(object_id), _wall_ms(),
                                                                               json.dumps(outcomes)))

    def _act(self, flow: Workflow, action: Action, object_id: str, source: Any) -> str:
        backend = self.backend
        if action.kind in ("set", "clear"):
            backend.update(flow.object_type, object_id, {action.property: action.value or ""}, source=source)
            return f"{action.kind} {action.property}={action.value or ''}"
        if action.kind == "rotate_owner":
            current = backend.get(flow.object_type, object_id)
            if current.properties.get(action.property or "") and not action.overwrite:
                return "rotate_owner: kept the current owner"
            state = self._state[flow.id]
            owner = backend.portal.owner_by_user(action.user_ids[state["rotation"] % len(action.user_ids)])
            self.store.db.execute("UPDATE hs_flow_state SET rotation = rotation + 1 WHERE flow_id = ?", (flow.id,))
            state["rotation"] += 1
            if owner is None:
                return "rotate_owner: owner no longer exists"
            backend.update(flow.object_type, object_id, {action.property: owner.id}, source=source)
            return f"rotate_owner {action.property}={owner.id}"
        if action.kind in ("add_to_list", "remove_from_list"):
            add = [object_id] if action.kind == "add_to_list" else []
            backend.lists.change(action.list_id or "", add, [] if add else [object_id])
            return f"{action.kind} {action.list_id}"
        if action.kind == "create_task" and backend.portal.property("tasks", "hs_task_subject") is not None:
            task = backend.create("tasks", {"hs_timestamp": hs_datetime(now_ms()), "hs_task_subject": action.text,
                                            "hs_task_status": "NOT_STARTED"}, source=source, trusted=True)
            if backend.associations.catalog.unlabeled("tasks", flow.object_type):
                backend.associations.associate_default("tasks", task.id, flow.object_type, object_id)
            return f"create_task {task.id}"
        return f"{action.kind}: {action.text}"

    def runs(self, flow_id: str | None = None) -> list[dict[str, Any]]:
        rows = self.store.db.execute("SELECT * FROM hs_flow_runs" + (" WHERE flow_id = ?" if flow_id else "") + " ORDER BY "
                                     "rowid", (flow_id,) if flow_id else ()).fetchall()
        return [{"flowId": r["flow_id"], "objectId": str(r["object_id"]), "ranAt": hs_datetime(r["ran_ms"]),
                 "actions": json.loads(r["outcome"])} for r in rows]

    # -- the /automation/v4/flows shapes ---------------------------------------------------------------
    def summary(self, flow: Workflow) -> dict[str, Any]:
        state = self._state[flow.id]
        return {"id": flow.id, "name": flow.name, "uuid": flow.uuid, "isEnabled": bool(state["enabled"]),
                "flowType": "WORKFLOW", "objectTypeId": OBJECT_TYPES[flow.object_type], "revisionId": str(state["revision"]),
                "createdAt": hs_datetime(state["created_ms"]), "updatedAt": hs_datetime(state["updated_ms"])}

    def detail(self, flow: Workflow) -> dict[str, Any]:
        kinds = kinds_of(self.backend.portal.properties.get(flow.object_type, {}).values())
        actions = []
        for position, action in enumerate(flow.actions):
            rendered: dict[str, Any] = {"actionId": action.id, "type": "SINGLE_CONNECTION",
                                        "actionTypeId": ACTION_TYPE_IDS[action.kind], "actionTypeVersion": 0,
                                        "fields": self._fields(action)}
            if position + 1 < len(flow.actions):
                rendered["connection"] = {"edgeType": "STANDARD", "nextActionId": flow.actions[position + 1].id}
            actions.append(rendered)
        triggers = [{"filterBranchType": "AND", "filterBranchOperator": "AND", "filterBranches": [], "filters": [
            {"filterType": "PROPERTY", "property": name, "operation": {"operationType": "ALL_PROPERTY", "operator": "IS_KNOWN",
                                                                     "includeObjectsWithNoValueSet": False}}]}
                    for name in flow.re_enroll_on]
        return {**self.summary(flow), "type": "CONTACT_FLOW" if flow.object_type == "contacts" else "PLATFORM_FLOW",
                "description": "", "startActionId": flow.actions[0].id, "nextAvailableActionId": str(len(flow.actions) + 1),
                "actions": actions, "enrollmentCriteria": {
                    "type": "LIST_BASED", "shouldReEnroll": bool(flow.re_enroll_on),
                    "listFilterBranch": flow.criteria.to_filter_branch(kinds), "unEnrollObjectsNotMeetingCriteria": False,
                    "reEnrollmentTriggersFilterBranches": triggers},
                "timeWindows": [], "blockedDates": [], "customProperties": {}, "dataSources": [], "suppressionListIds": [],
                "canEnrollFromSalesforce": flow.can_enroll_from_salesforce,
                # required by the v4 spec: COMPLETE once the records a flow's actions create exist (the twin's are at once)
                "crmObjectCreationStatus": "COMPLETE"}

    @staticmethod
    def _fields(action: Action) -> dict[str, Any]:
        if action.kind in ("set", "clear"):
            return {"property_name": action.property, "value": {"type": "STATIC_VALUE", "staticValue": action.value or ""}}
        if action.kind == "rotate_owner":
            return {"user_ids": [str(u) for u in action.user_ids], "target_property": action.property,
                    "overwrite_current_owner": action.overwrite}
        if action.kind in ("add_to_list", "remove_from_list"):
            return {"listId": action.list_id, "operation": "ADD" if action.kind == "add_to_list" else "REMOVE"}
        if action.kind == "create_task":
            return {"task_type": "TODO", "subject": action.text, "body": "", "associations": []}
        return {"subject": action.text, "body": ""}
