"""Field-level comparison of what one side holds against what it should hold, in one normal form.

Both platforms spell values differently (Salesforce: typed JSON; HubSpot: strings), so values are normalised
before deepdiff sees them: a difference in the report is a real difference, never a spelling.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from deepdiff import DeepDiff


def normalise(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    lowered = text.lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    try:
        return float(text)
    except ValueError:
        pass
    if len(text) >= 19 and text[4] == "-" and text[10] == "T":
        try:
            stamp = datetime.fromisoformat(text.replace("Z", "+00:00").replace("+0000", "+00:00"))
            return stamp.astimezone(UTC).isoformat(timespec="milliseconds")
        except ValueError:
            return text
    if ";" in text:
        return ";".join(sorted(part.strip() for part in text.split(";") if part.strip()))
    return text


def expected_difference(expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, Any]:
    """A deepdiff of `actual` against `expected`, restricted to the expected keys; {} when they agree."""
    left = {k: normalise(v) for k, v in expected.items()}
    right = {k: normalise(actual.get(k)) for k in expected}
    diff = DeepDiff(left, right, ignore_order=True, verbose_level=2)
    return diff.to_dict() if diff else {}
