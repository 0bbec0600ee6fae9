"""Changes to the portal's schema through the API (properties, groups, pipelines), persisted in the twin's state.

The fixture is the starting point; what a client creates, updates or archives through the Properties or
Pipelines API is written to `twin_meta` ("hs.schema") and applied again when the twin restarts on the same state.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from ..clock import now_ms
from . import exceptions as err
from .properties import (
    FIELD_TYPES,
    PIPELINE_OBJECTS,
    PROPERTY_TYPES,
    Pipeline,
    PipelineStage,
    PropertyDefinition,
    add_pipeline_options,
    parse_options,
    stage_metadata,
)

if TYPE_CHECKING:
    from .models import HubSpotBackend

_META = "hs.schema"
UPDATABLE = {"label": "label", "description": "description", "groupName": "group_name", "hidden": "hidden",
             "displayOrder": "display_order", "fieldType": "field_type"}


class Schema:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.portal = backend.portal
        saved = backend.store.meta(_META)
        if saved:
            self._restore(json.loads(saved))

    # -- persistence ----------------------------------------------------------------------------------
    def _save(self) -> None:
        state = {"properties": {ot: {n: asdict(d) for n, d in defs.items()} for ot, defs in self.portal.properties.items()},
                 "groups": self.portal.groups,
                 "pipelines": {ot: [asdict(p) for p in items] for ot, items in self.portal.pipelines.items()}}
        self.backend.store.set_meta(_META, json.dumps(state))

    def _restore(self, state: dict[str, Any]) -> None:
        for object_type, definitions in state.get("properties", {}).items():
            self.portal.properties[object_type] = {n: PropertyDefinition(**d) for n, d in definitions.items()}
        self.portal.groups.update(state.get("groups", {}))
        for object_type, items in state.get("pipelines", {}).items():
            self.portal.pipelines[object_type] = [
                Pipeline(p["id"], p["label"], p["display_order"], [PipelineStage(**s) for s in p["stages"]], p["archived"])
                for p in items]

    # -- properties -----------------------------------------------------------------------------------
    def definition(self, object_type: str, name: str, archived: bool = False) -> PropertyDefinition:
        found = self.portal.property(object_type, name)
        if found is None or found.archived != archived:
            raise err.ObjectNotFound(f"Unable to find property {name} for {object_type}")
        return found

    def create_property(self, object_type: str, body: dict[str, Any]) -> PropertyDefinition:
        for key in ("name", "label", "type", "fieldType", "groupName"):
            if not body.get(key):
                raise err.HubSpotError(f"Property create requires '{key}'", category="VALIDATION_ERROR",
                                       context={"field": [key]})
        name = str(body["name"])
        if body["type"] not in PROPERTY_TYPES or body["fieldType"] not in FIELD_TYPES:
            raise err.HubSpotError(f"Invalid type/fieldType {body['type']}/{body['fieldType']}", category="VALIDATION_ERROR")
        existing = self.portal.property(object_type, name)
        if existing is not None and not existing.archived:
            raise err.Conflict(f"Property named '{name}' already exists.")
        if not any(g["name"] == body["groupName"] for g in self.portal.groups.get(object_type, [])):
            raise err.HubSpotError(f"Property group {body['groupName']} does not exist", category="VALIDATION_ERROR")
        stamp = now_ms()
        definition = PropertyDefinition(
            name=name, label=str(body["label"]), type=body["type"], field_type=body["fieldType"],
            group_name=str(body["groupName"]), options=parse_options(body.get("options") or [], "options"),
            hubspot_defined=False, has_unique_value=bool(body.get("hasUniqueValue", False)),
            description=str(body.get("description") or ""), hidden=bool(body.get("hidden", False)),
            display_order=int(body.get("displayOrder", -1)), created_ms=stamp, updated_ms=stamp)
        self.portal.properties.setdefault(object_type, {})[name] = definition
        self._save()
        return definition

    def update_property(self, object_type: str, name: str, body: dict[str, Any]) -> PropertyDefinition:
        definition = self.definition(object_type, name)
        for key, attribute in UPDATABLE.items():
            if key in body:
                setattr(definition, attribute, body[key])
        if "options" in body:
            if definition.type != "enumeration":
                raise err.HubSpotError(f"{name} is not an enumeration; it has no options", category="VALIDATION_ERROR")
            definition.options = parse_options(body["options"], "options")
        definition.updated_ms = now_ms()
        self._save()
        return definition

    def archive_property(self, object_type: str, name: str) -> None:
        definition = self.definition(object_type, name)
        if definition.hubspot_defined:
            raise err.HubSpotError(f"{name} is a HubSpot-defined property and cannot be archived", category="VALIDATION_ERROR")
        definition.archived = True
        self._save()

    # -- groups ---------------------------------------------------------------------------------------
    def group(self, object_type: str, name: str) -> dict[str, Any]:
        found = next((g for g in self.portal.groups.get(object_type, []) if g["name"] == name and not g["archived"]), None)
        if found is None:
            raise err.ObjectNotFound(f"Unable to find property group {name} for {object_type}")
        return found

    def create_group(self, object_type: str, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("name") or not body.get("label"):
            raise err.HubSpotError("Property group create requires 'name' and 'label'", category="VALIDATION_ERROR")
        groups = self.portal.groups.setdefault(object_type, [])
        if any(g["name"] == body["name"] and not g["archived"] for g in groups):
            raise err.Conflict(f"Property group named '{body['name']}' already exists.")
        group = {"name": str(body["name"]), "label": str(body["label"]),
                 "displayOrder": int(body.get("displayOrder", len(groups))), "archived": False}
        groups.append(group)
        self._save()
        return group

    def update_group(self, object_type: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        group = self.group(object_type, name)
        group.update({k: body[k] for k in ("label", "displayOrder") if k in body})
        self._save()
        return group

    def archive_group(self, object_type: str, name: str) -> None:
        group = self.group(object_type, name)
        if any(d.group_name == name and not d.archived for d in self.portal.properties.get(object_type, {}).values()):
            raise err.HubSpotError(f"Property group {name} still has properties", category="VALIDATION_ERROR")
        group["archived"] = True
        self._save()

    # -- pipelines ------------------------------------------------------------------------------------
    def _check_object(self, object_type: str) -> None:
        if object_type not in PIPELINE_OBJECTS:
            raise err.HubSpotError(f"Pipelines exist for deals and tickets, not {object_type}", category="VALIDATION_ERROR")

    def pipelines(self, object_type: str) -> list[Pipeline]:
        """The object's live (unarchived) pipelines; only deals and tickets have them."""
        self._check_object(object_type)
        return [p for p in self.portal.pipelines.get(object_type, []) if not p.archived]

    def pipeline(self, object_type: str, pipeline_id: str) -> Pipeline:
        self._check_object(object_type)
        found = self.portal.pipeline(object_type, pipeline_id)
        if found is None:
            raise err.ObjectNotFound(f"Unable to find pipeline {pipeline_id} for {object_type}")
        return found

    def _new_id(self) -> str:
        counter = int(self.backend.store.meta("hs.pipeline_counter", "0")) + 1
        self.backend.store.set_meta("hs.pipeline_counter", str(counter))
        return str(80_000_000 + counter)

    def _stage(self, object_type: str, spec: dict[str, Any], order: int, stage_id: str | None = None) -> PipelineStage:
        if not spec.get("label"):
            raise err.HubSpotError("A pipeline stage needs a label", category="VALIDATION_ERROR")
        metadata = {str(k): str(v) for k, v in (spec.get("metadata") or {}).items()}
        defaults = stage_metadata(object_type, {})
        if object_type == "deals" and "probability" not in metadata:
            raise err.HubSpotError("Deal stages need metadata.probability", category="VALIDATION_ERROR")
        return PipelineStage(stage_id or self._new_id(), str(spec["label"]), int(spec.get("displayOrder", order)),
                             {**defaults, **metadata})

    def create_pipeline(self, object_type: str, body: dict[str, Any]) -> Pipeline:
        self._check_object(object_type)
        if not body.get("label") or not body.get("stages"):
            raise err.HubSpotError("A pipeline needs a label and at least one stage", category="VALIDATION_ERROR")
        items = self.portal.pipelines.setdefault(object_type, [])
        if any(p.label == body["label"] and not p.archived for p in items):
            raise err.Conflict(f"A pipeline labelled '{body['label']}' already exists")
        pipeline = Pipeline(self._new_id(), str(body["label"]), int(body.get("displayOrder", len(items))),
                            [self._stage(object_type, s, i) for i, s in enumerate(body["stages"])])
        items.append(pipeline)
        self._changed()
        return pipeline

    def update_pipeline(self, object_type: str, pipeline_id: str, body: dict[str, Any], replace: bool = False) -> Pipeline:
        pipeline = self.pipeline(object_type, pipeline_id)
        if "label" in body:
            pipeline.label = str(body["label"])
        if "displayOrder" in body:
            pipeline.display_order = int(body["displayOrder"])
        if body.get("archived") is True:
            pipeline.archived = True
        if replace:
            pipeline.stages = [self._stage(object_type, s, i) for i, s in enumerate(body.get("stages") or [])]
        self._changed()
        return pipeline

    def archive_pipeline(self, object_type: str, pipeline_id: str) -> None:
        self.pipeline(object_type, pipeline_id).archived = True
        self._changed()

    def stage(self, object_type: str, pipeline_id: str, stage_id: str) -> PipelineStage:
        found = self.pipeline(object_type, pipeline_id).stage(stage_id)
        if found is None:
            raise err.ObjectNotFound(f"Unable to find stage {stage_id} in pipeline {pipeline_id}")
        return found

    def create_stage(self, object_type: str, pipeline_id: str, body: dict[str, Any]) -> PipelineStage:
        pipeline = self.pipeline(object_type, pipeline_id)
        stage = self._stage(object_type, body, len(pipeline.stages))
        pipeline.stages.append(stage)
        self._changed()
        return stage

    def update_stage(self, object_type: str, pipeline_id: str, stage_id: str, body: dict[str, Any]) -> PipelineStage:
        stage = self.stage(object_type, pipeline_id, stage_id)
        if "label" in body:
            stage.label = str(body["label"])
        if "displayOrder" in body:
            stage.display_order = int(body["displayOrder"])
        if "metadata" in body:
            stage.metadata.update({str(k): str(v) for k, v in (body["metadata"] or {}).items()})
        if body.get("archived") is True:
            stage.archived = True
        self._changed()
        return stage

    def archive_stage(self, object_type: str, pipeline_id: str, stage_id: str) -> None:
        self.stage(object_type, pipeline_id, stage_id).archived = True
        self._changed()

    def _changed(self) -> None:
        add_pipeline_options(self.portal.properties, self.portal.pipelines)
        self._save()
