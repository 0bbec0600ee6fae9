"""HubSpot workflows (automation v4 flows) reduced to the properties each sets and tests."""

from __future__ import annotations

from typing import Any

from harness.audit.model import Automation, Touch
from harness.audit.salesforce import _walk

OBJECT_TYPES = {"0-1": "contacts", "0-2": "companies", "0-3": "deals", "0-5": "tickets"}
SET_PROPERTY = "0-5"
ROTATE_OWNER = "0-11"  # "Rotate record to owner": writes the owner property (target_property, default the owner)


def catalogue_hubspot(flows: list[dict[str, Any]]) -> list[Automation]:
    out: list[Automation] = []
    for flow in flows:
        object_type = OBJECT_TYPES.get(str(flow.get("objectTypeId")), str(flow.get("objectTypeId") or ""))
        touches: list[Touch] = []
        for action in flow.get("actions") or []:
            fields = action.get("fields") or {}
            if action.get("actionTypeId") == SET_PROPERTY and fields.get("property_name"):
                value = fields.get("value") or {}
                touches.append(Touch(object_type, str(fields["property_name"]),
                                     value.get("staticValue") if isinstance(value, dict) else str(value), sets=True))
            elif action.get("actionTypeId") == ROTATE_OWNER:
                touches.append(Touch(object_type, str(fields.get("target_property") or "hubspot_owner_id"), None,
                                     sets=True))
        for element in _walk(flow.get("enrollmentCriteria") or {}):
            if "property" in element:
                operation = element.get("operation") or {}
                values = operation.get("values") or ([operation["value"]] if "value" in operation else [None])
                touches.extend(Touch(object_type, str(element["property"]), None if v is None else str(v), sets=False)
                               for v in values)
        out.append(Automation("hubspot", "Workflow", str(flow.get("name") or flow.get("id")), bool(flow.get("isEnabled")),
                              object_type, touches))
    return out
