"""What may differ between two fresh twins driven by the same steps, and nothing else, made equal.

Two twins started from the same org fixture hand out the same record ids in the same order (their ids are
counters), so ids are compared as they are: a different id means the two clients led the twin to different
records. What legitimately differs is the wall clock, each twin's port and its random organization id, and
the opaque query locators; those become placeholders (in the style of LocalStack's parity snapshots).
"""

from __future__ import annotations

import re
from typing import Any

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")
INSTANCE = re.compile(r"https://127\.0\.0\.1:\d+")
ORG_ID = re.compile(r"\b00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?\b")
LOCATOR = re.compile(r"/(query|queryAll)/[0-9A-Za-z]+-(\d+)")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def text(value: str) -> str:
    # An absolute URL on the twin and the same path relative are the same link: jsforce hands back
    # nextRecordsUrl absolute, simple-salesforce as Salesforce sent it.
    value = INSTANCE.sub("", value)
    value = TIMESTAMP.sub("<timestamp>", value)
    value = DATE.sub("<date>", value)  # today's date (ConvertedDate, a close date) is the clock too, at midnight
    value = ORG_ID.sub("<org-id>", value)
    value = LOCATOR.sub(r"/\1/<locator>-\2", value)
    return UUID.sub("<uuid>", value)


def normalise(value: Any) -> Any:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {text(str(k)): normalise(v) for k, v in value.items()}
    return value


def drop_nulls(value: Any) -> Any:
    """Without null members: the HubSpot SDKs differ in that alone (Python's models carry every attribute, None
    where the answer had none; Node's leave an absent one out), which is the client's doing, not the twin's."""
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    return value


def differences(python: Any, node: Any, path: str = "$", limit: int = 25) -> list[str]:
    """Where the two views part, as JSON paths with both values, at most `limit` of them."""
    out: list[str] = []
    _walk(python, node, path, out, limit)
    return out


def _walk(python: Any, node: Any, path: str, out: list[str], limit: int) -> None:
    if len(out) >= limit:
        return
    if isinstance(python, dict) and isinstance(node, dict):
        for key in sorted(set(python) | set(node), key=str):
            if key not in node:
                out.append(f"{path}.{key}: only Python sees it ({_short(python[key])})")
            elif key not in python:
                out.append(f"{path}.{key}: only Node sees it ({_short(node[key])})")
            else:
                _walk(python[key], node[key], f"{path}.{key}", out, limit)
            if len(out) >= limit:
                return
    elif isinstance(python, list) and isinstance(node, list):
        if len(python) != len(node):
            out.append(f"{path}: {len(python)} items for Python, {len(node)} for Node")
        for index, (left, right) in enumerate(zip(python, node, strict=False)):
            _walk(left, right, f"{path}[{index}]", out, limit)
    elif python != node:
        out.append(f"{path}: Python {_short(python)} / Node {_short(node)}")


def _short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 160 else shown[:157] + "..."
