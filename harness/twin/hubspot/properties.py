"""Property definitions, property groups and pipelines of the portal fixture, in the Properties/Pipelines API shapes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PROPERTY_TYPES = {"string", "number", "date", "datetime", "enumeration", "bool", "phone_number"}
OBJECT_TYPES = {"contacts": "0-1", "companies": "0-2", "deals": "0-3", "tickets": "0-5", "calls": "0-48",
                "emails": "0-49", "meetings": "0-47", "notes": "0-46", "tasks": "0-27"}
SINGULAR = {"contacts": "contact", "companies": "company", "deals": "deal", "tickets": "ticket", "calls": "call",
            "emails": "email", "meetings": "meeting", "notes": "note", "tasks": "task"}
DEFAULT_FIELD_TYPE = {"string": "text", "number": "number", "date": "date", "datetime": "date", "enumeration": "select",
                      "bool": "booleancheckbox", "phone_number": "phonenumber"}
FIELD_TYPES = {"text", "textarea", "number", "date", "select", "radio", "checkbox", "booleancheckbox", "phonenumber",
               "html", "file", "calculation_equation", "calculation_rollup", "calculation_score"}
# Properties HubSpot maintains on every object whether or not the fixture lists them (read-only to clients).
MAINTAINED = {"hs_object_id": "number", "createdate": "datetime", "lastmodifieddate": "datetime",
              "hs_lastmodifieddate": "datetime", "hs_merged_object_ids": "enumeration"}
MAINTAINED_LABELS = {"hs_object_id": "Record ID", "createdate": "Create Date", "lastmodifieddate": "Last Modified Date",
                     "hs_lastmodifieddate": "Last Modified Date", "hs_merged_object_ids": "Merged Record IDs"}
# The properties each object returns when a read names none (HubSpot's documented defaults).
DEFAULT_READ = {
    "contacts": ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
    "companies": ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
    "deals": ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id",
              "pipeline"],
    "tickets": ["content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage",
                "hs_ticket_category", "hs_ticket_priority", "subject"],
}


class PortalError(ValueError):
    """The portal fixture itself is wrong: the message names the file and the field."""


@dataclass
class PropertyDefinition:
    name: str
    label: str
    type: str
    field_type: str
    group_name: str = "contactinformation"
    options: list[dict[str, Any]] = field(default_factory=list)
    read_only: bool = False
    calculated: bool = False
    hubspot_defined: bool = True
    has_unique_value: bool = False
    required: bool = False
    description: str = ""
    display_order: int = -1
    hidden: bool = False
    archived: bool = False
    created_ms: int = 0
    updated_ms: int = 0

    def option_values(self) -> set[str]:
        return {str(o["value"]) for o in self.options}

    def to_api(self, stamp: str) -> dict[str, Any]:
        """The Properties API's `Property` model (crm.properties.ModelProperty)."""
        return {"name": self.name, "label": self.label, "type": self.type, "fieldType": self.field_type,
                "description": self.description, "groupName": self.group_name, "options": self.options,
                "displayOrder": self.display_order, "calculated": self.calculated, "externalOptions": False,
                "hasUniqueValue": self.has_unique_value, "hidden": self.hidden, "hubspotDefined": self.hubspot_defined,
                "formField": not (self.read_only or self.calculated), "archived": self.archived,
                "createdAt": stamp, "updatedAt": stamp,
                "modificationMetadata": {"archivable": not self.hubspot_defined, "readOnlyDefinition": self.hubspot_defined,
                                         "readOnlyValue": self.read_only or self.calculated,
                                         "readOnlyOptions": self.hubspot_defined and self.type != "enumeration"}}


def parse_options(raw: Any, where: str) -> list[dict[str, Any]]:
    options = []
    if raw is None:
        return options
    if not isinstance(raw, list):
        raise PortalError(f"{where}: options are a list of values or of {{value, label}} mappings")
    for position, option in enumerate(raw):
        if isinstance(option, Mapping):
            if "value" not in option:
                raise PortalError(f"{where}[{position}]: an option needs a 'value'")
            options.append({"label": str(option.get("label", option["value"])), "value": str(option["value"]),
                            "description": str(option.get("description", "")),
                            "displayOrder": int(option.get("displayOrder", position)),
                            "hidden": bool(option.get("hidden", False))})
        else:
            options.append({"label": str(option), "value": str(option), "description": "", "displayOrder": position,
                            "hidden": False})
    return options


def parse_definition(where: str, object_type: str, name: str, spec: Mapping[str, Any]) -> PropertyDefinition:
    kind = spec.get("type", "string")
    if kind not in PROPERTY_TYPES:
        raise PortalError(f"{where}.type: {kind!r} is not a HubSpot property type; use one of {sorted(PROPERTY_TYPES)}")
    field_type = spec.get("field_type", DEFAULT_FIELD_TYPE[kind])
    if field_type not in FIELD_TYPES:
        raise PortalError(f"{where}.field_type: {field_type!r} is not a HubSpot field type; use one of {sorted(FIELD_TYPES)}")
    options = parse_options(spec.get("options"), f"{where}.options")
    if kind == "bool" and not options:
        options = parse_options([{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}], where)
    return PropertyDefinition(
        name=name, label=str(spec.get("label", name)), type=kind, field_type=field_type,
        group_name=str(spec.get("group", f"{SINGULAR[object_type]}information")), options=options,
        read_only=bool(spec.get("read_only", False)), calculated=bool(spec.get("calculated", False)),
        hubspot_defined=bool(spec.get("hubspot_defined", True)), has_unique_value=bool(spec.get("unique", False)),
        required=bool(spec.get("required", False)), description=str(spec.get("description", "")),
        hidden=bool(spec.get("hidden", False)))


def parse_properties(source: str, raw: Any) -> dict[str, dict[str, PropertyDefinition]]:
    if raw is not None and not isinstance(raw, Mapping):
        raise PortalError(f"{source}: properties: a mapping of object type -> property name -> definition")
    properties: dict[str, dict[str, PropertyDefinition]] = {}
    for object_type, specs in (raw or {}).items():
        if object_type not in OBJECT_TYPES:
            raise PortalError(f"{source}: properties.{object_type}: not a CRM object type; use one of {sorted(OBJECT_TYPES)}")
        if not isinstance(specs, Mapping):
            raise PortalError(f"{source}: properties.{object_type}: a mapping of property name -> definition")
        properties[object_type] = {}
        for order, (name, spec) in enumerate(specs.items()):
            if spec is not None and not isinstance(spec, Mapping):
                raise PortalError(f"{source}: properties.{object_type}.{name}: a mapping such as {{label: ..., type: ...}}")
            definition = parse_definition(f"{source}: properties.{object_type}.{name}", object_type, str(name), spec or {})
            definition.display_order = order
            properties[object_type][str(name)] = definition
    for object_type in OBJECT_TYPES:
        defined = properties.setdefault(object_type, {})
        for name, kind in MAINTAINED.items():
            if name not in defined:
                defined[name] = PropertyDefinition(name, MAINTAINED_LABELS[name], kind, "text" if kind != "enumeration" else "checkbox",
                                                   group_name=f"{SINGULAR[object_type]}information", read_only=True)
            defined[name].read_only = True
    return properties


def parse_groups(source: str, raw: Any, properties: dict[str, dict[str, PropertyDefinition]]) -> dict[str, list[dict[str, Any]]]:
    """Property groups per object: the fixture's, plus any group a property names."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for object_type, items in (raw or {}).items():
        if object_type not in OBJECT_TYPES:
            raise PortalError(f"{source}: property_groups.{object_type}: not a CRM object type")
        groups[object_type] = [{"name": str(g["name"]), "label": str(g.get("label", g["name"])),
                                "displayOrder": i, "archived": False} for i, g in enumerate(items or [])]
    for object_type, definitions in properties.items():
        known = groups.setdefault(object_type, [])
        for definition in definitions.values():
            if all(g["name"] != definition.group_name for g in known):
                known.append({"name": definition.group_name, "label": definition.group_name.replace("_", " ").title(),
                              "displayOrder": len(known), "archived": False})
    return groups


@dataclass
class PipelineStage:
    id: str
    label: str
    display_order: int
    metadata: dict[str, str]
    archived: bool = False

    def to_api(self, stamp: str) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "displayOrder": self.display_order, "metadata": self.metadata,
                "archived": self.archived, "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT", "createdAt": stamp,
                "updatedAt": stamp}


@dataclass
class Pipeline:
    id: str
    label: str
    display_order: int
    stages: list[PipelineStage]
    archived: bool = False

    def stage(self, stage_id: str) -> PipelineStage | None:
        return next((s for s in self.stages if s.id == stage_id and not s.archived), None)

    def to_api(self, stamp: str) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "displayOrder": self.display_order, "archived": self.archived,
                "createdAt": stamp, "updatedAt": stamp, "stages": [s.to_api(stamp) for s in self.stages if not s.archived]}


PIPELINE_OBJECTS = {"deals": ("pipeline", "dealstage"), "tickets": ("hs_pipeline", "hs_pipeline_stage")}


def stage_metadata(object_type: str, spec: Mapping[str, Any]) -> dict[str, str]:
    """Stage metadata is dict[str, str] on the wire: deals carry isClosed/probability, tickets ticketState."""
    if object_type == "deals":
        closed = bool(spec.get("closed", False))
        return {"isClosed": str(closed).lower(), "probability": str(float(spec.get("probability", 1.0 if closed else 0.5)))}
    return {"ticketState": str(spec.get("state", "OPEN")).upper()}


def parse_pipelines(source: str, raw: Any) -> dict[str, list[Pipeline]]:
    pipelines: dict[str, list[Pipeline]] = {"deals": [], "tickets": []}
    for object_type, items in (raw or {}).items():
        if object_type not in PIPELINE_OBJECTS:
            raise PortalError(f"{source}: pipelines.{object_type}: pipelines exist for deals and tickets only")
        for p, spec in enumerate(items or []):
            where = f"{source}: pipelines.{object_type}[{p}]"
            if not isinstance(spec, Mapping) or "id" not in spec or not spec.get("stages"):
                raise PortalError(f"{where}: a pipeline needs an id, a label and a non-empty list of stages")
            stages = []
            for s, stage in enumerate(spec["stages"]):
                if not isinstance(stage, Mapping) or "id" not in stage:
                    raise PortalError(f"{where}.stages[{s}]: a stage needs an id and a label")
                stages.append(PipelineStage(str(stage["id"]), str(stage.get("label", stage["id"])), s,
                                            stage_metadata(object_type, stage)))
            pipelines[object_type].append(Pipeline(str(spec["id"]), str(spec.get("label", spec["id"])), p, stages))
    return pipelines


def add_pipeline_options(properties: dict[str, dict[str, PropertyDefinition]], pipelines: dict[str, list[Pipeline]]) -> None:
    """`pipeline` / `dealstage` (and the ticket pair) are enumerations whose options are the pipelines and stages."""
    for object_type, (pipeline_prop, stage_prop) in PIPELINE_OBJECTS.items():
        defined = properties[object_type]
        if not pipelines.get(object_type):
            continue
        for name, label in ((pipeline_prop, "Pipeline"), (stage_prop, "Stage")):
            if name not in defined:
                defined[name] = PropertyDefinition(name, label, "enumeration", "select",
                                                   group_name=f"{SINGULAR[object_type]}information")
        defined[pipeline_prop].options = [{"label": p.label, "value": p.id, "description": "", "displayOrder": p.display_order,
                                           "hidden": False} for p in pipelines[object_type]]
        defined[stage_prop].options = [{"label": s.label, "value": s.id, "description": p.label, "displayOrder": s.display_order,
                                        "hidden": False} for p in pipelines[object_type] for s in p.stages]
