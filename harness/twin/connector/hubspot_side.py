"""The connector's view of HubSpot: it is HubSpot's own code, so it reads the portal directly (no API calls are
counted) and writes as the Salesforce connector, which property history shows as sourceType SALESFORCE."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..hubspot.exceptions import HubSpotError
from ..hubspot.models import CONNECTOR, HsObject, HubSpotBackend
from ..hubspot.portal import PropertyDefinition
from ..store import Store
from .salesforce_side import savepoint


@dataclass
class HsWrite:
    ok: bool
    obj: HsObject | None = None
    error: HubSpotError | None = None
    refused: set[str] | None = None  # properties left out of a partly written update


def hubspot_error_code(error: HubSpotError) -> str:
    """The most specific code a HubSpot error carries (INVALID_OPTION, READ_ONLY_VALUE, ...), else its category."""
    for item in error.errors or []:
        code = item.get("code")
        if code:
            return str(code)
    return error.category


def _refused(error: HubSpotError) -> set[str]:
    """The properties a 400 names as refused (HubSpot puts them in errors[].context.propertyName)."""
    if error.status != 400:
        return set()
    return {name for item in error.errors or [] for name in (item.get("context") or {}).get("propertyName", [])}


class HubSpotSide:
    def __init__(self, store: Store, backend: HubSpotBackend) -> None:
        self.store = store
        self.backend = backend

    # -- portal ---------------------------------------------------------------------------------------
    def property(self, object_type: str, name: str) -> PropertyDefinition | None:
        return self.backend.portal.property(object_type, name)

    def writable_by_connector(self, object_type: str, name: str) -> bool:
        """HubSpot-calculated properties (lifecycle dates, ...) are HubSpot's alone; Salesforce values never land there.
        The salesforce* link properties are read-only to users but written by the connector."""
        definition = self.property(object_type, name)
        if definition is None:
            return False
        return not definition.calculated

    # -- reads ----------------------------------------------------------------------------------------
    def changed(self, object_type: str, since_ms: int) -> list[HsObject]:
        return self.backend.changed_since(object_type, since_ms)

    def get(self, object_type: str, object_id: str, archived: bool = False) -> HsObject | None:
        try:
            return self.backend.get(object_type, object_id, archived=archived)
        except HubSpotError:
            return None

    def get_any(self, object_type: str, object_id: str) -> HsObject | None:
        """Live or archived (merged ids resolve to the survivor)."""
        return self.get(object_type, object_id) or self.get(object_type, object_id, archived=True)

    def by_email(self, email: str) -> HsObject | None:
        return self.backend.find_by_property("contacts", "email", email)

    def find(self, object_type: str, name: str, value: str) -> HsObject | None:
        return self.backend.find_by_property(object_type, name, value)

    def associated(self, object_type: str, object_id: str, to_type: str) -> list[str]:
        """Ids of the `to_type` records associated with one record (empty until the portal has associations)."""
        reader = getattr(self.backend, "associated_ids", None)
        return [str(i) for i in reader(object_type, object_id, to_type)] if reader else []

    def written_since(self, object_type: str, object_id: str, name: str, since_ms: int) -> bool:
        """Whether anyone but the connector wrote the property after `since_ms`."""
        return self.last_write_ms(object_type, object_id, name) > since_ms

    def last_write_ms(self, object_type: str, object_id: str, name: str) -> int:
        """When a HubSpot user or app last set the property. A value the connector itself wrote came from
        Salesforce, so it is no newer than Salesforce's: it counts as 0 and a Salesforce record it now meets wins."""
        last = self.backend.last_write(object_type, object_id, name)
        if not last or last[1] == CONNECTOR.type:
            return 0
        return last[0]

    # -- writes ---------------------------------------------------------------------------------------
    def create(self, object_type: str, properties: dict[str, Any]) -> HsWrite:
        """Create as the connector; refused values are left out and reported, as in update()."""
        try:
            with savepoint(self.store, "connector_hs_create"):
                return HsWrite(True, self.backend.create(object_type, properties, source=CONNECTOR, trusted=True))
        except HubSpotError as error:
            refused = _refused(error)
            if not refused:
                return HsWrite(False, None, error)
            rest = {k: v for k, v in properties.items() if k not in refused}
            try:
                with savepoint(self.store, "connector_hs_create"):
                    created = self.backend.create(object_type, rest, source=CONNECTOR, trusted=True)
            except HubSpotError as second:
                return HsWrite(False, None, second)
            return HsWrite(False, created, error, refused=refused)

    def update(self, object_type: str, object_id: str, properties: dict[str, Any]) -> HsWrite:
        """Write as the connector. Values HubSpot refuses (an option it lacks, a bad number) are left out and
        reported, and the rest lands: the connector is HubSpot's own code and writes property by property."""
        try:
            with savepoint(self.store, "connector_hs_update"):
                return HsWrite(True, self.backend.update(object_type, object_id, properties, source=CONNECTOR,
                                                         trusted=True))
        except HubSpotError as error:
            refused = _refused(error)
            rest = {k: v for k, v in properties.items() if k not in refused}
            if not refused or len(rest) == len(properties):
                return HsWrite(False, None, error)
            partial = HsWrite(False, None, error, refused=refused)
            if rest:
                try:
                    with savepoint(self.store, "connector_hs_update"):
                        partial.obj = self.backend.update(object_type, object_id, rest, source=CONNECTOR, trusted=True)
                except HubSpotError as second:
                    return HsWrite(False, None, second)
            return partial

    def archive(self, object_type: str, object_id: str) -> bool:
        try:
            with savepoint(self.store, "connector_hs_archive"):
                self.backend.archive(object_type, object_id)
            return True
        except HubSpotError:
            return False
