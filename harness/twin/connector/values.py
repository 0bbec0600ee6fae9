"""One value, two spellings: Salesforce's typed JSON and HubSpot's strings. The connector compares in HubSpot's."""

from __future__ import annotations

from typing import Any

from ..clock import hs_datetime, parse_sf_datetime


def sf_to_hs(value: Any, sf_type: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or sf_type == "boolean":
        return "true" if value in (True, 1, "true") else "false"
    if sf_type in {"double", "currency", "percent", "int"}:
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if sf_type == "datetime":
        return hs_datetime(parse_sf_datetime(str(value)))
    return str(value)


def hs_to_sf(value: str | None, sf_type: str) -> Any:
    if value is None or value == "":
        return None
    if sf_type == "boolean":
        return value.lower() == "true"
    if sf_type in {"double", "currency", "percent"}:
        return float(value)
    if sf_type == "int":
        return int(float(value))
    if sf_type == "date":
        return value[:10]
    if sf_type == "datetime":
        return value.replace("Z", "+0000") if value.endswith("Z") else value
    return value
