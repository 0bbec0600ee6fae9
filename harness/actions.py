"""Acting on one side as a user or an upstream system would, recording every created record in the ledger."""

from __future__ import annotations

from typing import Any

from .ledger import Ledger
from .sandboxes import Sandboxes


def create_hubspot_record(sandboxes: Sandboxes, ledger: Ledger, object_type: str, properties: dict[str, Any]) -> str:
    object_id = sandboxes.hubspot.create(object_type, properties)
    ledger.record("hubspot", object_type, object_id, "scenario")
    return object_id


def create_salesforce_record(sandboxes: Sandboxes, ledger: Ledger, sobject: str, data: dict[str, Any]) -> str:
    record_id = sandboxes.salesforce.create(sobject, data)
    ledger.record("salesforce", sobject, record_id, "scenario")
    return record_id
