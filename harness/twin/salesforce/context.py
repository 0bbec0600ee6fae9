"""Who writes, and with what allowances: the context every save carries (REST, Bulk, SOAP, the connector).

Its own module because nearly every other module of the org (save order, automation, conversion, merge,
territories, the wire layers) needs it, and `models.py` needs all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SaveContext:
    """The acting user and the allowances of one save (e.g. the duplicate-rule header)."""

    user_id: str
    allow_duplicates: bool = False
    via_connector: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
