"""One value, two spellings: Salesforce's typed JSON and HubSpot's strings.

The connector compares values in one canonical text form per Salesforce field type, so that `5`, `5.0` and `"5"`,
or `2026-01-31` and `1769817600000`, are the same value and never look like a change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..clock import hs_datetime, parse_sf_datetime

NUMBER_TYPES = {"double", "currency", "percent", "int"}


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _date_text(value: str) -> str | None:
    text = value.strip()
    if text.isdigit():  # HubSpot date properties also come as epoch milliseconds at midnight UTC
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC).date().isoformat()
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return None


def _datetime_ms(value: str) -> int | None:
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        return parse_sf_datetime(text)
    except ValueError:
        try:
            return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)
        except ValueError:
            return None


TEXT_TYPES = {"string", "textarea", "email", "phone", "url", "picklist", "combobox", "id", "reference",
              "encryptedstring"}


def canonical(value: Any, sf_type: str) -> str | None:
    """The comparable form of a value of a field of `sf_type`, from either side."""
    if value is None or value == "":
        return None
    if sf_type in TEXT_TYPES and type(value) is str:
        return value  # the common case first: text compares as it is
    if sf_type == "boolean":
        if isinstance(value, str):
            return "true" if value.strip().lower() == "true" else "false"
        return "true" if value in (True, 1) else "false"
    if sf_type in NUMBER_TYPES:
        try:
            return _number_text(float(value))
        except (TypeError, ValueError):
            return str(value)
    if sf_type == "date":
        return _date_text(str(value)) or str(value)
    if sf_type == "datetime":
        ms = _datetime_ms(str(value))
        return hs_datetime(ms) if ms is not None else str(value)
    if sf_type == "multipicklist":
        parts = value if isinstance(value, list) else str(value).split(";")
        return ";".join(p.strip() for p in parts if str(p).strip()) or None
    return str(value)


def sf_to_hs(value: Any, sf_type: str) -> str | None:
    """A Salesforce value (stored or wire form) as the string HubSpot stores."""
    return canonical(value, sf_type)


def hs_to_sf(value: str | None, sf_type: str) -> Any:
    """A HubSpot value as the JSON Salesforce accepts for a field of `sf_type`."""
    if value is None or value == "":
        return None
    if sf_type == "boolean":
        return value.strip().lower() == "true"
    if sf_type in {"double", "currency", "percent"}:
        try:
            return float(value)
        except ValueError:
            return value  # Salesforce answers with its own type error, recorded as a property-value error
    if sf_type == "int":
        try:
            return int(float(value))
        except ValueError:
            return value
    if sf_type == "date":
        return _date_text(value) or value
    if sf_type == "datetime":
        ms = _datetime_ms(value)
        return hs_datetime(ms).replace("Z", "+0000") if ms is not None else value
    return value
