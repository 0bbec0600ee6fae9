"""Why an expectation did not hold: the connector's own error for the record, where the target exposes one.

HubSpot shows sync errors per record on the contact's Salesforce sync card and by category on the Sync Health
screen; neither has a public API, so against real sandboxes a record that never arrives stays a *sync timeout*.
The twin's control plane serves the same error log, and then the failure carries the connector's category and
message ("permissions: ... INVALID_FIELD_FOR_INSERT_UPDATE"), as a QA lead reading the sync card would report it.
"""

from __future__ import annotations

from typing import Any

from harness.uat.failures import Duplicates, MappingMismatch, Permissions, Picklists, PlatformAutomation, UatFailure
from harness.uat.waiter import SyncTimeout
from harness.uat.world import World

FAILURE_FOR_HEALTH = {"custom_code": PlatformAutomation, "duplicates": Duplicates, "permissions": Permissions,
                      "picklists": Picklists, "property_values": MappingMismatch, "field_mappings": MappingMismatch,
                      "associations": MappingMismatch}


def connector_errors(world: World, hubspot_id: str | None = None, salesforce_id: str | None = None) -> list[dict[str, Any]]:
    if world.sandboxes.control is None:
        return []
    errors = world.sandboxes.control.health().get("errors", [])
    return [e for e in errors if (hubspot_id and str(e.get("hubspot_id")) == str(hubspot_id))
            or (salesforce_id and str(e.get("salesforce_id")) == str(salesforce_id))]


def explained(world: World, timeout: SyncTimeout, hubspot_id: str | None = None,
              salesforce_id: str | None = None) -> AssertionError:
    """The timeout itself, or a failure of the connector's error category with its message as evidence."""
    errors = connector_errors(world, hubspot_id, salesforce_id)
    if not errors:
        return timeout
    first = errors[0]
    failure: type[UatFailure] = FAILURE_FOR_HEALTH.get(str(first.get("category")), MappingMismatch)
    return failure(f"{timeout.what}: the connector recorded {first.get('category')} error {first.get('code')}: "
                   f"{first.get('message')}", {"sync errors": errors[:3], "last observed": timeout.last_difference})
