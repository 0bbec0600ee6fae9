"""Time as both platforms print it. One place, so tests and the connector agree on precision."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

_last_ms = 0
_guard = threading.Lock()


def now_ms() -> int:
    """Strictly increasing epoch milliseconds: two writes never share a timestamp, so 'most recent wins' is decidable."""
    global _last_ms
    with _guard:
        current = int(time.time() * 1000)
        _last_ms = current if current > _last_ms else _last_ms + 1
        return _last_ms


def sf_datetime(ms: int) -> str:
    """Salesforce REST datetime: 2026-11-28T20:45:01.000+0000 (sorts lexicographically, fixed offset)."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}+0000"


def hs_datetime(ms: int) -> str:
    """HubSpot ISO-8601 with milliseconds and Z."""
    dt = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def parse_sf_datetime(text: str) -> int:
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+0000"
    if len(text) == 10:
        return int(datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC).timestamp() * 1000)
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return int(datetime.strptime(text, fmt).timestamp() * 1000)
        except ValueError:
            continue
    raise ValueError(text)
