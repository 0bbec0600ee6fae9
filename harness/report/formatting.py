"""Numbers as a reader expects them: whole numbers without `.0` or scientific notation, amounts with thousands
separators (398,410,000, not 3.9841e+08)."""

from __future__ import annotations

from typing import Any


def amount(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"
