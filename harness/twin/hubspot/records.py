"""What every part of the portal passes around: records, the writes made to them, and who made them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from . import exceptions as err


@dataclass(frozen=True)
class Source:
    """Who wrote a property value: recorded in history as sourceType / sourceId / sourceLabel."""

    type: str = "API"
    id: str | None = None
    label: str | None = None


API = Source("API")
CRM_UI = Source("CRM_UI")
CONNECTOR = Source("SALESFORCE", "Salesforce Connector", "Salesforce")
AUTOMATION = Source("AUTOMATION_PLATFORM")


@dataclass
class HsObject:
    object_type: str
    id: str
    properties: dict[str, str | None]
    created_ms: int
    updated_ms: int
    archived: bool
    archived_ms: int | None = None


@dataclass
class Write:
    """One object's write inside a batch: what changed (None = cleared) and whether it was created."""

    obj: HsObject
    changes: dict[str, str | None]
    created: bool


def object_from_row(object_type: str, row: Any) -> HsObject:
    return HsObject(object_type, str(row["id"]), json.loads(row["properties"]), row["created_ms"], row["updated_ms"],
                    bool(row["archived"]), row["archived_ms"])


def raise_first(results: Sequence[Any]) -> Any:
    if isinstance(results[0], err.HubSpotError):
        raise results[0]
    return results[0]


def raise_any(results: Sequence[Any]) -> None:
    """The 'atomic' batch switch: the first failed item fails the whole batch, as a plain error (no index)."""
    for result in results:
        if isinstance(result, err.HubSpotError):
            raise result
