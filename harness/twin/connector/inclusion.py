"""The inclusion list: the HubSpot -> Salesforce gate. Contacts outside it don't sync (in either direction, after a
Salesforce-created contact's first creation); joining it triggers a sync. Only an active list can be one."""

from __future__ import annotations

from ..hubspot.models import HsObject, HubSpotBackend


class InclusionListError(ValueError):
    pass


class InclusionList:
    def __init__(self, name: str | None, hubspot: HubSpotBackend) -> None:
        self.name = name
        self.hubspot = hubspot

    @property
    def active(self) -> bool:
        return self.name is not None

    def contains(self, obj: HsObject) -> bool:
        if self.name is None:
            return True
        raise InclusionListError(f"inclusion list {self.name!r}: the portal has no lists yet")
