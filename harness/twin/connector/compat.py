"""Which HubSpot property types may map to which Salesforce field types (HubSpot's mapping article's table).

HubSpot's mapping screen offers only compatible pairs, so an incompatible pair in an org fixture is a fixture
error, reported when the twin starts. A mapped field or property that does not exist is different: that is drift
(a field deleted after the mapping was made) and shows at sync time as a Sync Health field-mapping error.
"""

from __future__ import annotations

from ..hubspot.portal import Portal, PropertyDefinition
from ..salesforce.schema import OrgSchema
from .settings import ConnectorSettings, SettingsError

TEXT_TARGETS = {"string", "textarea", "email", "phone", "url", "picklist", "combobox", "encryptedstring", "id",
                "reference"}


def compatible(prop: PropertyDefinition, sf_type: str) -> bool:
    kind, field_type = prop.type, prop.field_type
    if kind == "enumeration":
        if field_type == "checkbox":
            return sf_type == "multipicklist"
        if field_type == "booleancheckbox":
            return sf_type == "boolean"
        return sf_type in {"picklist", "reference", "combobox", "string", "boolean"}
    if kind == "bool":
        return sf_type == "boolean"
    if kind == "number":
        return sf_type in {"double", "currency", "percent", "int"}
    if kind in {"date", "datetime"}:
        return sf_type in {"date", "datetime"}
    if kind == "phone_number":
        return sf_type in {"phone", "string", "textarea"}
    return sf_type in TEXT_TARGETS  # single- and multi-line text


def check_mappings(settings: ConnectorSettings, schema: OrgSchema, portal: Portal, source: str) -> None:
    for object_type, rows in settings.mappings.items():
        for index, mapping in enumerate(rows):
            prop = portal.property(object_type, mapping.hubspot)
            if prop is None:
                continue
            if getattr(prop, "field_type", "") == "user" or getattr(prop, "type", "") == "user":
                raise SettingsError(f"{source}: mappings.{object_type}[{index}]: {mapping.hubspot} is a HubSpot user "
                                    "property, which HubSpot does not allow to be mapped; remove the mapping")
            for sobject_name in mapping.salesforce_objects:
                sobject = schema.sobject(sobject_name)
                f = sobject.field(mapping.salesforce) if sobject else None
                if f is None:
                    continue
                if not compatible(prop, f.type):
                    raise SettingsError(
                        f"{source}: mappings.{object_type}[{index}]: HubSpot {mapping.hubspot} ({prop.type}, "
                        f"{prop.field_type}) cannot map to Salesforce {sobject_name}.{f.name} ({f.type}); HubSpot offers "
                        "only type-compatible pairs (dropdown-picklist, checkboxes-multipicklist, number-number, "
                        "date-date, text-text): change one side's type or remove the mapping")
