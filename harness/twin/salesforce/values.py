"""Field values between the wire (JSON, CSV), storage (SQLite columns) and formulas (typed Python values).

Storage keeps Salesforce's own text forms (ISO dates, `...+0000` datetimes, `;`-joined multi-picklists) so that
what SOQL compares is what a client sends and reads back; booleans are 0/1 integers.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import Any

from ..clock import parse_sf_datetime, sf_datetime
from . import exceptions as err
from .ids import to18
from .schema import BOOLEAN_TYPES, INTEGER_TYPES, NUMBER_TYPES, FieldSchema, SObjectSchema

TEXT_LIMITED = {"string", "textarea", "email", "phone", "url", "encryptedstring", "combobox"}


def normalise_id(sobject: SObjectSchema, value: str, field_name: str = "Id") -> str:
    full = to18(value) if isinstance(value, str) else None
    if full is None:
        raise err.MalformedId(sobject.label, str(value), field_name)
    return full


def to_storage(sobject: SObjectSchema, f: FieldSchema, value: Any) -> Any:
    """Check one incoming value against its field and return the stored form (raising Salesforce's error)."""
    if value is None or (value == "" and f.type not in BOOLEAN_TYPES):
        return None
    kind = f.type
    if kind in BOOLEAN_TYPES:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str) and value.lower() in {"true", "false", "1", "0"}:
            return int(value.lower() in {"true", "1"})
        if isinstance(value, int) and value in (0, 1):
            return value
        raise err.JsonParserError(f"Cannot deserialize instance of boolean from VALUE_STRING value {value} or "
                                  "request may be missing a required field", [f.name])
    if kind in NUMBER_TYPES or kind in INTEGER_TYPES:
        try:
            number = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if math.isnan(number):
            raise err.JsonParserError(f"Cannot deserialize instance of {kind} from VALUE_STRING value {value} or "
                                      "request may be missing a required field", [f.name])
        return int(number) if kind in INTEGER_TYPES else number
    if kind == "multipicklist" and isinstance(value, list):
        value = ";".join(str(v) for v in value)
    text = value if isinstance(value, str) else str(value)
    if kind in {"id", "reference"}:
        return normalise_id(sobject, text, f.name)
    if kind in TEXT_LIMITED and f.length and len(text) > f.length:
        raise err.StringTooLong(f.label, text, f.length, f.name)
    if kind == "picklist" and f.restricted and text not in f.values and f.address_part is None:
        raise err.RestrictedPicklist(f.label, text, f.name)
    if kind == "multipicklist":
        parts = [p for p in text.split(";") if p]
        if f.restricted:
            for part in parts:
                if part not in f.values:
                    raise err.RestrictedPicklist(f.label, part, f.name)
        return ";".join(parts) or None
    if kind == "date":
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            raise err.InvalidFieldValue(f"{f.label}: value not of required type: {text}", [f.name]) from None
    if kind == "datetime":
        try:
            return sf_datetime(parse_sf_datetime(text))
        except ValueError:
            raise err.InvalidFieldValue(f"{f.label}: value not of required type: {text}", [f.name]) from None
    return text


def to_wire(f: FieldSchema, stored: Any) -> Any:
    if stored is None:
        return None
    if f.type == "complexvalue":
        return json.loads(stored)
    if f.type in BOOLEAN_TYPES:
        return bool(stored)
    if f.type in INTEGER_TYPES:
        return int(stored)
    if f.type in NUMBER_TYPES:
        return float(stored)
    return stored


def to_formula(f: FieldSchema, stored: Any) -> Any:
    """The typed value a formula sees."""
    if stored is None:
        return False if f.type in BOOLEAN_TYPES else None
    if f.type in BOOLEAN_TYPES:
        return bool(stored)
    if f.type in NUMBER_TYPES or f.type in INTEGER_TYPES:
        return float(stored)
    if f.type == "date":
        return date.fromisoformat(stored[:10])
    if f.type == "datetime":
        return datetime.fromtimestamp(parse_sf_datetime(stored) / 1000, tz=UTC)
    return stored


def from_formula(f: FieldSchema, value: Any) -> Any:
    """A formula's result in the field's stored form (formula fields, flow assignments)."""
    if value is None:
        return None
    if f.type in BOOLEAN_TYPES:
        return int(bool(value))
    if f.type in INTEGER_TYPES:
        return int(value)
    if f.type in NUMBER_TYPES:
        return float(value)
    if f.type == "date":
        return (value.date() if isinstance(value, datetime) else value).isoformat() if isinstance(value, date) \
            else str(value)[:10]
    if f.type == "datetime":
        if isinstance(value, datetime):
            return sf_datetime(int(value.timestamp() * 1000))
        if isinstance(value, date):
            return f"{value.isoformat()}T00:00:00.000+0000"
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def record_to_wire(sobject: SObjectSchema, row: dict[str, Any], api_version: str,
                   fields: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"attributes": {"type": sobject.name,
                                          "url": f"/services/data/v{api_version}/sobjects/{sobject.name}/{row['Id']}"}}
    for name in fields if fields is not None else [f.name for f in sobject.fields.values()]:
        f = sobject.field(name)
        if f is not None:
            out[f.name] = to_wire(f, row.get(f.name))
    return out
