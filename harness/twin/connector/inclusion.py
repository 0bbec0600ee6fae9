"""The inclusion list: the HubSpot -> Salesforce gate.

Documented: only an *active* list can be the inclusion list; contacts outside it don't sync; joining it triggers
a sync; a Salesforce record still creates or deduplicates its contact even outside the list, which then receives
no further updates until it qualifies. Because the list is active (its membership is its filters), a contact
joins it only through a property change, and that change is already a trigger: membership is evaluated on the
record the connector holds, with the portal's own criteria engine.
"""

from __future__ import annotations

import contextlib

from ..hubspot.criteria import kinds_of
from ..hubspot.exceptions import HubSpotError
from ..hubspot.lists import ListDefinition
from ..hubspot.models import HsObject, HubSpotBackend
from .settings import SettingsError


class InclusionList:
    def __init__(self, name: str | None, hubspot: HubSpotBackend, source: str = "connector.yaml") -> None:
        self.name = name
        self.hubspot = hubspot
        self.definition: ListDefinition | None = None
        if name is None:
            return
        try:
            self.definition = hubspot.lists.get(name) if name.isdigit() else hubspot.lists.by_name("contacts", name)
        except HubSpotError:
            known = [f"{d.name} ({d.id})" for d in hubspot.lists.all() if d.object_type == "contacts"]
            raise SettingsError(f"{source}: objects.contacts.inclusion_list: the portal has no contact list {name!r}; "
                                f"lists: {', '.join(known) or 'none'}") from None
        if self.definition.processing_type != "DYNAMIC":
            raise SettingsError(f"{source}: objects.contacts.inclusion_list: {name!r} is a "
                                f"{self.definition.processing_type} list; only an active (DYNAMIC) list can be the "
                                "Salesforce inclusion list")
        self._kinds = kinds_of(hubspot.portal.properties.get("contacts", {}).values())

    def refresh(self) -> None:
        """Re-read the list's filters (they may be edited through the Lists API between cycles)."""
        if self.definition is not None:
            # Deleted since: keep gating with the filters last seen, as the integration would.
            with contextlib.suppress(HubSpotError):
                self.definition = self.hubspot.lists.get(self.definition.id)

    @property
    def active(self) -> bool:
        return self.definition is not None

    def contains(self, obj: HsObject) -> bool:
        if self.definition is None:
            return True
        return self.definition.criteria.matches(obj.properties, self._kinds)
