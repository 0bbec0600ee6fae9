"""The org's actual schema, read from `fixtures/orgs/<org>/salesforce.yaml`.

Describe (global and per object) is generated from this; the backend builds one SQLite table per object
from it. Standard system fields (Id, IsDeleted, CreatedDate, ...) are added here so fixtures stay short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import fixture_yaml
from . import address_fields
from .address_fields import AddressPicklists

TEXT_TYPES = {"id", "reference", "string", "textarea", "email", "phone", "url", "picklist", "multipicklist",
              "combobox", "date", "datetime", "encryptedstring", "complexvalue"}
NUMBER_TYPES = {"double", "currency", "percent"}
INTEGER_TYPES = {"int"}
BOOLEAN_TYPES = {"boolean"}
ALL_TYPES = TEXT_TYPES | NUMBER_TYPES | INTEGER_TYPES | BOOLEAN_TYPES

SOAP_TYPES = {"id": "tns:ID", "reference": "tns:ID", "boolean": "xsd:boolean", "int": "xsd:int", "double": "xsd:double",
              "currency": "xsd:double", "percent": "xsd:double", "date": "xsd:date", "datetime": "xsd:dateTime"}


class SchemaError(ValueError):
    """The org fixture itself is wrong: raised with the file and the field path."""


@dataclass
class FieldSchema:
    name: str
    type: str
    label: str = ""
    length: int = 0
    required: bool = False
    unique: bool = False
    external_id: bool = False
    indexed: bool = False
    default: Any = None
    values: list[str] = field(default_factory=list)
    restricted: bool = False
    formula: str | None = None
    reference_to: list[str] = field(default_factory=list)
    relationship_name: str | None = None
    child_relationship: str | None = None
    system: bool = False
    createable: bool = True
    updateable: bool = True
    precision: int = 18
    scale: int = 2
    controller: str | None = None  # the controlling field of a dependent picklist
    labels: dict[str, str] = field(default_factory=dict)  # picklist value -> label, where they differ
    valid_for: dict[str, list[str]] = field(default_factory=dict)  # dependent value -> controlling values
    help_text: str | None = None
    compound_field: str | None = None  # e.g. BillingCountry belongs to BillingAddress
    address_part: str | None = None  # country | country_code | state | state_code (State and Country Picklists)

    @property
    def column_type(self) -> str:
        if self.type in NUMBER_TYPES:
            return "REAL"
        if self.type in INTEGER_TYPES or self.type in BOOLEAN_TYPES:
            return "INTEGER"
        return "TEXT"

    @property
    def calculated(self) -> bool:
        return self.formula is not None


@dataclass
class SObjectSchema:
    name: str
    key_prefix: str
    label: str
    label_plural: str
    fields: dict[str, FieldSchema]  # keyed by lower-case API name
    queryable: bool = True
    createable: bool = True
    tooling: bool = False
    child_relationships: list[dict[str, str]] = field(default_factory=list)

    @property
    def table(self) -> str:
        return f"sft_{self.name.lower()}" if self.tooling else f"sf_{self.name.lower()}"

    def child(self, relationship: str) -> dict[str, str] | None:
        wanted = relationship.lower()
        return next((c for c in self.child_relationships if c["relationshipName"].lower() == wanted), None)

    def field(self, name: str) -> FieldSchema | None:
        return self.fields.get(name.lower())

    def by_relationship(self, relationship: str) -> FieldSchema | None:
        wanted = relationship.lower()
        for candidate in self.fields.values():
            if candidate.relationship_name and candidate.relationship_name.lower() == wanted:
                return candidate
        return None


@dataclass
class OrgSchema:
    objects: dict[str, SObjectSchema]
    organization: dict[str, Any]
    seed_records: dict[str, list[dict[str, Any]]]
    behaviour: dict[str, Any]
    source: Path | None = None
    automation: dict[str, Any] = field(default_factory=dict)
    access: dict[str, Any] = field(default_factory=dict)
    territories: dict[str, Any] = field(default_factory=dict)
    address_picklists: AddressPicklists | None = None

    def sobject(self, name: str) -> SObjectSchema | None:
        return self.objects.get(name.lower())

    def by_prefix(self, prefix: str) -> SObjectSchema | None:
        for candidate in self.objects.values():
            if candidate.key_prefix == prefix:
                return candidate
        return None


def _system_fields(object_name: str, has_owner: bool, has_master: bool,
                   owner_types: list[str] | None = None) -> list[FieldSchema]:
    ro = {"system": True, "createable": False, "updateable": False}
    fields = [
        FieldSchema("Id", "id", "Record ID", 18, indexed=True, **ro),
        FieldSchema("IsDeleted", "boolean", "Deleted", **ro),
        FieldSchema("CreatedDate", "datetime", "Created Date", **ro),
        FieldSchema("CreatedById", "reference", "Created By ID", 18, reference_to=["User"], relationship_name="CreatedBy", **ro),
        FieldSchema("LastModifiedDate", "datetime", "Last Modified Date", **ro),
        FieldSchema("LastModifiedById", "reference", "Last Modified By ID", 18, reference_to=["User"],
                    relationship_name="LastModifiedBy", **ro),
        FieldSchema("SystemModstamp", "datetime", "System Modstamp", indexed=True, **ro),
    ]
    if has_owner:
        fields.append(FieldSchema("OwnerId", "reference", "Owner ID", 18, reference_to=list(owner_types or ["User"]),
                                  relationship_name="Owner", indexed=True))
    if has_master:
        fields.append(FieldSchema("MasterRecordId", "reference", "Master Record ID", 18, reference_to=[object_name],
                                  relationship_name="MasterRecord", indexed=True, **ro))
    return fields


def default_label(name: str) -> str:
    """The label Salesforce shows for a field the fixture gives none: words of the API name (FirstName -> First
    Name, OwnerId -> Owner ID, MQL_Date__c -> MQL Date), as describe and HubSpot's mapping export show them."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.removesuffix("__c").replace("_", " "))
    return re.sub(r"\bId$", "ID", " ".join(words.split()))


_FIELD_KEYS = {"type", "label", "length", "required", "unique", "external_id", "indexed", "default", "values",
               "restricted", "formula", "reference_to", "relationship_name", "child_relationship", "createable",
               "updateable", "precision", "scale", "controller", "help"}


def _picklist(where: str, items: list[Any]) -> tuple[list[str], dict[str, str], dict[str, list[str]]]:
    """`values:` entries are plain values, or {value, label, valid_for} for labels and dependent picklists."""
    values: list[str] = []
    labels: dict[str, str] = {}
    valid_for: dict[str, list[str]] = {}
    for index, item in enumerate(items):
        if isinstance(item, dict):
            if "value" not in item or set(item) - {"value", "label", "valid_for"}:
                raise SchemaError(f"{where}.values[{index}]: a mapping entry takes value (required), label and "
                                  "valid_for (the controlling values it is valid for)")
            value = str(item["value"])
            if item.get("label") is not None:
                labels[value] = str(item["label"])
            if item.get("valid_for") is not None:
                valid_for[value] = [str(v).lower() if isinstance(v, bool) else str(v) for v in item["valid_for"]]
        else:
            value = str(item)
        values.append(value)
    return values, labels, valid_for


def _field(source: Path, object_name: str, name: str, spec: dict[str, Any]) -> FieldSchema:
    where = f"{source}: objects.{object_name}.fields.{name}"
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}: expected a mapping of field properties")
    unknown = set(spec) - _FIELD_KEYS
    if unknown:
        raise SchemaError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_FIELD_KEYS)}")
    kind = spec.get("type")
    if kind not in ALL_TYPES:
        raise SchemaError(f"{where}.type: {kind!r} is not a Salesforce field type; use one of {sorted(ALL_TYPES)}")
    reference_to = spec.get("reference_to") or []
    if isinstance(reference_to, str):
        reference_to = [reference_to]
    values, labels, valid_for = _picklist(where, spec.get("values") or [])
    formula = spec.get("formula")
    made = FieldSchema(
        name=name, type=kind, label=spec.get("label") or default_label(name),
        length=int(spec.get("length") or (255 if kind in {"string", "picklist", "multipicklist", "email", "url", "combobox"}
                                          else 40 if kind == "phone" else 32768 if kind == "textarea"
                                          else 18 if kind in {"id", "reference"} else 0)),
        required=bool(spec.get("required", False)), unique=bool(spec.get("unique", False)),
        external_id=bool(spec.get("external_id", False)), default=spec.get("default"), values=values,
        restricted=bool(spec.get("restricted", False)), formula=formula, reference_to=list(reference_to),
        relationship_name=spec.get("relationship_name"), child_relationship=spec.get("child_relationship"),
        createable=bool(spec.get("createable", formula is None)), updateable=bool(spec.get("updateable", formula is None)),
        precision=int(spec.get("precision", 18)), scale=int(spec.get("scale", 2)),
        controller=spec.get("controller"), labels=labels, valid_for=valid_for, help_text=spec.get("help"),
    )
    made.indexed = bool(spec.get("indexed", False)) or made.unique or made.external_id or kind == "reference" or name == "Email"
    if kind == "reference" and not made.relationship_name:
        made.relationship_name = name[:-2] if name.endswith("Id") else name.replace("__c", "__r")
    return made


def _add_address_fields(path: Path, objects: dict[str, SObjectSchema], picklists: AddressPicklists) -> None:
    """The text and code fields of every address State and Country/Territory Picklists governs."""
    for object_name, specs in address_fields.field_specs(picklists).items():
        sobject = objects.get(object_name.lower())
        if sobject is None:
            raise SchemaError(f"{path}: address_picklists.addresses.{object_name}: no such object under objects:")
        parts = {name: (part, a) for a in picklists.of(object_name)
                 for part, name in (("country", a.country), ("country_code", a.country_code), ("state", a.state),
                                    ("state_code", a.state_code))}
        for name, spec in specs.items():
            if sobject.field(name) is not None:
                raise SchemaError(f"{path}: objects.{object_name}.fields.{name}: address_picklists defines this "
                                  "field (text integration value plus code picklist); remove it from objects:")
            made = _field(path, object_name, name, spec)
            made.address_part, address = parts[name]
            made.compound_field = address.compound
            sobject.fields[name.lower()] = made


def load_org_schema(path: Path) -> OrgSchema:
    try:
        raw = fixture_yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SchemaError(f"{path}: not valid YAML ({error})") from error
    objects: dict[str, SObjectSchema] = {}
    for object_name, spec in (raw.get("objects") or {}).items():
        spec = spec or {}
        has_owner = bool(spec.get("owner", True))
        has_master = bool(spec.get("mergeable", object_name in {"Lead", "Contact", "Account"}))
        fields: dict[str, FieldSchema] = {}
        if not spec.get("no_system_fields"):
            for system_field in _system_fields(object_name, has_owner, has_master, spec.get("owner_types")):
                fields[system_field.name.lower()] = system_field
        for field_name, field_spec in (spec.get("fields") or {}).items():
            fields[field_name.lower()] = _field(path, object_name, field_name, field_spec)
        if "key_prefix" not in spec:
            raise SchemaError(f"{path}: objects.{object_name}.key_prefix is missing (e.g. 00Q for Lead)")
        objects[object_name.lower()] = SObjectSchema(
            name=object_name, key_prefix=str(spec["key_prefix"]), label=spec.get("label", object_name),
            label_plural=spec.get("label_plural", spec.get("label", object_name) + "s"), fields=fields,
            queryable=bool(spec.get("queryable", True)), createable=bool(spec.get("createable", True)),
            tooling=bool(spec.get("tooling", False)))
    try:
        picklists = address_fields.parse(raw.get("address_picklists"))
    except address_fields.AddressSpecError as error:
        raise SchemaError(f"{path}: {error}") from None
    if picklists is not None:
        _add_address_fields(path, objects, picklists)
    # Child relationships are derived from lookups, as Salesforce derives them; the first name wins.
    for sobject in objects.values():
        for candidate in sobject.fields.values():
            if candidate.system:
                continue
            for target in candidate.reference_to:
                parent = objects.get(target.lower())
                if parent is None:
                    continue
                if candidate.child_relationship:
                    relationship = candidate.child_relationship
                elif candidate.name.endswith("__c") and candidate.relationship_name:
                    relationship = candidate.relationship_name.replace("__r", "s__r")
                else:
                    relationship = sobject.label_plural.replace(" ", "")
                if parent.child(relationship) is None:
                    parent.child_relationships.append({"childSObject": sobject.name, "field": candidate.name,
                                                       "relationshipName": relationship})
    unknown = set(raw) - {"organization", "objects", "records", "behaviour", "automation", "access", "territories",
                          "address_picklists"}
    if unknown:
        raise SchemaError(f"{path}: unknown top-level key(s) {sorted(unknown)}; allowed: organization, objects, "
                          "records, automation, access, territories, address_picklists")
    for section in ("automation", "access", "territories", "records", "organization"):
        if raw.get(section) is not None and not isinstance(raw[section], dict):
            raise SchemaError(f"{path}: {section} must be a mapping")
    return OrgSchema(objects=objects, organization=raw.get("organization") or {},
                     seed_records=raw.get("records") or {}, behaviour=raw.get("behaviour") or {}, source=path,
                     automation=raw.get("automation") or {}, access=raw.get("access") or {},
                     territories=raw.get("territories") or {}, address_picklists=picklists)
