"""Where HubSpot's generated OpenAPI specs contradict what its live API sends: each allowance patches the schemas
(or maps a path) before validation and names public evidence that the live API answers this way. The conformance
test fails an allowance that no answer needs, so this list only holds differences the twin really reproduces."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Patch = Callable[[str, dict[str, Any]], None]  # (spec file name, its components) -> None, edits in place


@dataclass(frozen=True)
class Allowance:
    name: str
    why: str
    evidence: str                            # a public URL showing the live API's answer
    patch: Patch | None = None
    alias: tuple[str, str] | None = None     # (path prefix the API serves, the prefix the spec documents it under)

    def apply(self, spec: str, components: dict[str, Any]) -> None:
        if self.patch is not None:
            self.patch(spec, components)


def _schemas(components: dict[str, Any]) -> dict[str, Any]:
    return components.get("schemas") or {}


def _nullable_property_values(spec: str, components: dict[str, Any]) -> None:
    for schema in _schemas(components).values():
        values = ((schema.get("properties") or {}).get("properties") or {}).get("additionalProperties")
        if isinstance(values, dict) and values.get("type") == "string":
            values["nullable"] = True


def _nullable_label(spec: str, components: dict[str, Any]) -> None:
    label = (_schemas(components).get("AssociationSpecWithLabel") or {}).get("properties", {}).get("label")
    if label is not None:
        label["nullable"] = True


def _numeric_object_ids(spec: str, components: dict[str, Any]) -> None:
    if "Associations_v4" not in spec:
        return
    for schema in _schemas(components).values():
        for name in ("fromObjectId", "toObjectId"):
            field = (schema.get("properties") or {}).get(name)
            if isinstance(field, dict) and field.get("type") == "string":
                field.pop("type")
                field["anyOf"] = [{"type": "string"}, {"type": "integer"}]


def _lean_batch_errors(spec: str, components: dict[str, Any]) -> None:
    error = _schemas(components).get("StandardError")
    if error is not None:
        error["required"] = [r for r in error.get("required", []) if r not in ("links", "errors")]


def _subcategory_text(spec: str, components: dict[str, Any]) -> None:
    error = _schemas(components).get("StandardError") or {}
    if (error.get("properties") or {}).get("subCategory", {}).get("type") == "object":
        error["properties"]["subCategory"] = {"type": "string"}


def _action_field_values(spec: str, components: dict[str, Any]) -> None:
    for schema in _schemas(components).values():
        fields = (schema.get("properties") or {}).get("fields")
        if isinstance(fields, dict) and isinstance(fields.get("additionalProperties"), dict):
            fields["additionalProperties"] = {}  # any JSON value


ALLOWANCES: list[Allowance] = [
    Allowance("nullable-requested-properties",
              "A requested property with no value comes back as null (HubSpot's object guides say so: \"If a requested "
              "property is defined but a deal doesn't have a value, it will be returned as null\"); the specs type "
              "property values as string.",
              "https://github.com/HubSpot/hubspot-api-nodejs/issues/323", patch=_nullable_property_values),
    Allowance("unlabeled-association-label-null",
              "The unlabeled association type (e.g. 279 contact to company) has \"label\": null.",
              "https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide", patch=_nullable_label),
    Allowance("numeric-v4-association-ids",
              "v4 associations send fromObjectId/toObjectId as JSON numbers; the v4 spec types them as strings.",
              "https://github.com/HubSpot/hubspot-api-php/issues/261", patch=_numeric_object_ids),
    Allowance("batch-errors-without-links",
              "Per-item errors of a 207 carry no `links` (and a not-found read's carry no `errors` list); the specs "
              "require both.", "https://github.com/HubSpot/hubspot-api-ruby/issues/403", patch=_lean_batch_errors),
    Allowance("subcategory-is-text",
              "subCategory is a string such as crm.associations.NO_ASSOCIATIONS_FOUND; some specs type it as an object.",
              "https://developers.hubspot.com/docs/reference/api/other-resources/error-handling#multi-status-errors",
              patch=_subcategory_text),
    Allowance("workflow-action-field-values",
              "A workflow action's fields hold strings, lists and objects (property_name, value: {staticValue}); the "
              "v4 spec types every field value as an object.",
              "https://developers.hubspot.com/docs/api-reference/legacy/automation/workflows/action-enrollment-reference",
              patch=_action_field_values),
    Allowance("association-labels-v4-path",
              "The labels API is served at /crm/v4/associations/{from}/{to}/labels (where hubspot-api-client calls it); "
              "the schema spec documents it under /crm/associations/v4/.",
              "https://github.com/HubSpot/hubspot-api-python/blob/master/hubspot/crm/associations/v4/schema/api/"
              "definitions_api.py", alias=("/crm/v4/associations/", "/crm/associations/v4/")),
]
