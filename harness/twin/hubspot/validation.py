"""What HubSpot checks on every property write, and the rules it applies on top.

Values are checked against the property definitions (existence, read-only, enumeration options, numbers,
booleans, dates at midnight UTC, owner ids), then the portal's rules run: deal and ticket stages must belong to
their pipeline, and `lifecyclestage` only moves forward unless it is cleared first (a switch), stamping
`hs_lifecyclestage_<stage>_date` on first entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..clock import hs_datetime
from . import exceptions as err
from .criteria import to_number
from .properties import PIPELINE_OBJECTS

if TYPE_CHECKING:
    from .portal import Portal

MAINTAINED = {"hs_object_id", "createdate", "lastmodifieddate", "hs_lastmodifieddate", "hs_merged_object_ids"}
# Sources the forward-only lifecycle rule does not bind: a person editing the record in HubSpot may move it back.
LIFECYCLE_FREE_SOURCES = {"CRM_UI"}


@lru_cache(maxsize=64)
def _stamp(ms: int) -> str:
    return hs_datetime(ms)  # one batch shares one timestamp: format it once


def _problem(name: str, error: str, message: str) -> dict[str, Any]:
    return {"isValid": False, "message": message, "error": error, "name": name, "localizedErrorMessage": message}


def normalise(kind: str, text: str) -> tuple[str | None, str | None]:
    """(stored value, error code): datetimes become ISO-8601 UTC, dates YYYY-MM-DD at midnight UTC."""
    if kind == "number":
        try:
            float(text)
        except ValueError:
            return None, "INVALID_INTEGER"
        return text, None
    if kind == "bool":
        lowered = text.lower()
        return (lowered, None) if lowered in ("true", "false") else (None, "INVALID_BOOLEAN")
    if kind in ("datetime", "date"):
        ms = to_number(text, "datetime")
        if ms is None:
            return None, "INVALID_DATE"
        if kind == "datetime":
            return hs_datetime(int(ms)), None
        if int(ms) % 86_400_000:
            return None, "INVALID_DATE"
        return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d"), None
    return text, None


class Validator:
    def __init__(self, portal: Portal, owner_ids: set[str]) -> None:
        self.portal = portal
        self.owner_ids = owner_ids  # active owners; the backend keeps this set current

    def clean(self, object_type: str, properties: Mapping[str, Any], trusted: bool) -> dict[str, str | None]:
        """Checked, normalised values ('' means clear) or HubSpot's 400 listing every invalid property."""
        if not isinstance(properties, Mapping):
            raise err.HubSpotError("Invalid input JSON: 'properties' must be an object", category="VALIDATION_ERROR")
        problems: list[dict[str, Any]] = []
        clean: dict[str, str | None] = {}
        defined = self.portal.properties.get(object_type, {})
        for name, value in properties.items():
            definition = defined.get(name)
            if definition is None or definition.archived:
                problems.append(_problem(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist'))
                continue
            if not trusted and (name in MAINTAINED or definition.read_only or definition.calculated):
                problems.append(_problem(name, "READ_ONLY_VALUE", f"{name} is a read only property; its value cannot be set."))
                continue
            if isinstance(value, dict | list):
                problems.append(_problem(name, "INVALID_VALUE", f"{json.dumps(value)} is not a valid value for {name}"))
                continue
            text = None if value is None else (str(value).lower() if isinstance(value, bool) else str(value))
            if text is None or text == "":
                clean[name] = None
                continue
            if name == "hubspot_owner_id":
                if not trusted and self.portal.switches.validate_owner_ids and text not in self.owner_ids:
                    problems.append(_problem(name, "INVALID_OWNER_ID", f"{text} is not a valid owner id"))
                    continue
            elif definition.type == "enumeration" and definition.options:
                allowed = definition.option_values()
                parts = text.split(";") if definition.field_type == "checkbox" else [text]
                bad = [p for p in parts if p not in allowed]
                if bad:
                    problems.append(_problem(name, "INVALID_OPTION", f"{bad[0]} was not one of the allowed options: " + ", ".join(
                        f"[label: {o['label']}, value: {o['value']}, displayOrder: {o['displayOrder']}, hidden: "
                        f"{str(o['hidden']).lower()}, description: {o.get('description') or 'null'}]"
                        for o in definition.options)))
                    continue
            stored, code = normalise(definition.type, text)
            if code:
                problems.append(_problem(name, code, f"{text} is not a valid {definition.type} value for {name}"
                                         + (" (dates must be midnight UTC)" if code == "INVALID_DATE" else "")))
                continue
            clean[name] = stored
        if problems:
            raise err.invalid_properties(problems)
        return clean

    def required(self, object_type: str, values: Mapping[str, str | None]) -> None:
        missing = [d.name for d in self.portal.properties.get(object_type, {}).values()
                   if d.required and not values.get(d.name)]
        if missing:
            raise err.invalid_properties([_problem(n, "REQUIRED_PROPERTY", f"Property \"{n}\" is required") for n in missing])

    # -- the portal's rules ---------------------------------------------------------------------------
    def pipeline_defaults(self, object_type: str, values: dict[str, str | None]) -> None:
        """On create: a deal or ticket without a pipeline goes to the first (default) pipeline."""
        if object_type in PIPELINE_OBJECTS and self.portal.pipelines.get(object_type):
            pipeline_prop, _ = PIPELINE_OBJECTS[object_type]
            if not values.get(pipeline_prop):
                values[pipeline_prop] = self.portal.pipelines[object_type][0].id

    def check_stage(self, object_type: str, current: Mapping[str, str | None], changes: Mapping[str, str | None]) -> None:
        if object_type not in PIPELINE_OBJECTS or not self.portal.pipelines.get(object_type):
            return
        pipeline_prop, stage_prop = PIPELINE_OBJECTS[object_type]
        if pipeline_prop not in changes and stage_prop not in changes:
            return
        pipeline_id = changes.get(pipeline_prop, current.get(pipeline_prop))
        stage_id = changes.get(stage_prop, current.get(stage_prop))
        pipeline = self.portal.pipeline(object_type, pipeline_id or "")
        if pipeline is None:
            raise err.invalid_properties([_problem(pipeline_prop, "INVALID_OPTION", f"{pipeline_id} is not a valid pipeline")])
        if stage_id and pipeline.stage(stage_id) is None:
            raise err.invalid_properties([_problem(stage_prop, "INVALID_OPTION",
                                                   f"{stage_id} is not a valid stage for pipeline {pipeline.id} "
                                                   f"({pipeline.label})")])

    def lifecycle(self, object_type: str, current: Mapping[str, str | None], changes: dict[str, str | None],
                  source_type: str, stamp_ms: int) -> None:
        """Forward-only lifecycle (switch) and the 'Became a <stage> date' stamps, applied to `changes` in place."""
        if "lifecyclestage" not in changes:
            return
        new, old = changes["lifecyclestage"], current.get("lifecyclestage")
        if new is None:
            return  # clearing is always allowed: it is how a stage is moved backwards on purpose
        order = self.portal.lifecycle_order(object_type)
        switches = self.portal.switches
        if (old and old != new and switches.lifecycle_forward_only and source_type not in LIFECYCLE_FREE_SOURCES
                and old in order and new in order and order.index(new) < order.index(old)):
            if switches.lifecycle_backward_write == "reject":
                raise err.HubSpotError(f"lifecyclestage cannot move backwards from {old} to {new}; clear it first, then "
                                       f"set the earlier stage in a separate request", category="VALIDATION_ERROR",
                                       errors=[{"message": f"{new} is an earlier stage than {old}", "code": "INVALID_OPTION",
                                                "context": {"propertyName": ["lifecyclestage"]}}])
            del changes["lifecyclestage"]  # the legacy API's behaviour: accepted, value unchanged
            return
        entered = [new]
        if switches.lifecycle_stamp_skipped and new in order:
            start = order.index(old) + 1 if old in order else 0
            entered = order[start:order.index(new) + 1]
        for stage in entered:
            date_prop = f"hs_lifecyclestage_{stage}_date"
            if self.portal.property(object_type, date_prop) is not None and not current.get(date_prop) \
                    and not changes.get(date_prop):
                changes[date_prop] = _stamp(stamp_ms)
