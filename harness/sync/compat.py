"""Which HubSpot property field types may be mapped to which Salesforce field types.

HubSpot's mapping screen only accepts compatible pairs (knowledge base, "Map HubSpot properties to Salesforce
fields"): dropdown/radio <-> picklist or reference; multiple checkboxes <-> multipicklist; single checkbox <->
boolean; number <-> double/int; single-line text <-> string/textarea; multi-line text <-> textarea; date picker
<-> date/datetime. Salesforce's describe reports e-mail, phone and URL fields as their own types and currency or
percent as numbers with a unit, so those are folded into the documented families here.
"""

from __future__ import annotations

# HubSpot `fieldType` values, and the labels HubSpot's UI (and so its CSV export) uses for them.
HUBSPOT_FIELD_TYPE_ALIASES = {
    "dropdown select": "select", "dropdown": "select", "radio select": "radio", "multiple checkboxes": "checkbox",
    "single checkbox": "booleancheckbox", "single-line text": "text", "single line text": "text",
    "multi-line text": "textarea", "multi line text": "textarea", "date picker": "date", "phone number": "phonenumber",
    "number": "number", "html": "html", "file": "file", "calculation": "calculation_equation",
}
HUBSPOT_FIELD_TYPES = {"select", "radio", "checkbox", "booleancheckbox", "text", "textarea", "date", "number",
                       "phonenumber", "html", "file", "calculation_equation", "calculation_read_time"}

COMPATIBLE: dict[str, set[str]] = {
    "select": {"picklist", "reference"},
    "radio": {"picklist", "reference"},
    "checkbox": {"multipicklist"},
    "booleancheckbox": {"boolean"},
    "number": {"double", "int", "currency", "percent", "long"},
    "text": {"string", "textarea", "email", "phone", "url", "id"},
    "phonenumber": {"phone", "string"},
    "textarea": {"textarea"},
    "date": {"date", "datetime"},
}
SALESFORCE_FIELD_TYPES = set().union(*COMPATIBLE.values()) | {"address", "location", "base64", "encryptedstring",
                                                               "combobox", "time", "anyType"}


def hubspot_field_type(text: str) -> str | None:
    folded = " ".join(text.split()).lower()
    if not folded:
        return None
    if folded in HUBSPOT_FIELD_TYPES:
        return folded
    return HUBSPOT_FIELD_TYPE_ALIASES.get(folded)


def salesforce_field_type(text: str) -> str | None:
    folded = text.strip()
    for known in SALESFORCE_FIELD_TYPES:
        if known.lower() == folded.lower():
            return known
    return None


def hubspot_field_type_of(property_type: str | None, field_type: str | None) -> str:
    """A property definition's effective field type (HubSpot omits fieldType on some calculated properties)."""
    if field_type:
        return field_type
    return {"enumeration": "select", "number": "number", "date": "date", "datetime": "date", "bool": "booleancheckbox",
            "phone_number": "phonenumber"}.get(property_type or "", "text")


def compatible(hubspot_type: str, salesforce_type: str) -> bool:
    return salesforce_type in COMPATIBLE.get(hubspot_type, set())
