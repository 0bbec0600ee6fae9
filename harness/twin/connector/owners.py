"""Owners: HubSpot owners and Salesforce users matched as HubSpot's owner article says.

Salesforce -> HubSpot: any Salesforce owner syncs; the HubSpot owner is the one with the user's e-mail.
HubSpot -> Salesforce: only an owner matching an *active* Salesforce user's name and e-mail syncs; otherwise the
owner resets to the last value from Salesforce and the mismatch is a Sync Health error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..hubspot.models import HubSpotBackend
from .salesforce_side import SalesforceSide

# How an unmatched Salesforce owner reads in canonical (HubSpot owner id) space: never equal to a real owner id.
UNKNOWN_PREFIX = "salesforce-user:"


@dataclass(frozen=True)
class SalesforceUser:
    id: str
    email: str
    first_name: str
    last_name: str
    active: bool


def _norm(text: Any) -> str:
    return str(text or "").strip().lower()


class OwnerDirectory:
    """Built once per cycle: owners and users change rarely and the connector reads them in bulk."""

    def __init__(self, hubspot: HubSpotBackend, salesforce: SalesforceSide) -> None:
        self.hubspot = hubspot
        self.salesforce = salesforce
        self._users: dict[str, SalesforceUser] | None = None
        self._owners: list[dict[str, Any]] | None = None

    def refresh(self) -> None:
        self._users = None
        self._owners = None

    def _load(self) -> None:
        if self._users is not None:
            return
        users = {}
        if self.salesforce.has("User"):
            for row in self.salesforce.where("User", "1 = 1"):
                users[row["Id"]] = SalesforceUser(row["Id"], _norm(row.get("Email")), _norm(row.get("FirstName")),
                                                  _norm(row.get("LastName")), bool(row.get("IsActive", 1)))
        self._users = users
        owners_source = getattr(self.hubspot, "owners", None)
        owners = owners_source() if callable(owners_source) else self.hubspot.portal.owners
        self._owners = [o for o in owners if not o.get("archived")]

    @property
    def users(self) -> dict[str, SalesforceUser]:
        self._load()
        assert self._users is not None
        return self._users

    @property
    def owners(self) -> list[dict[str, Any]]:
        self._load()
        assert self._owners is not None
        return self._owners

    # -- Salesforce -> HubSpot ------------------------------------------------------------------------
    def hubspot_owner_for_user(self, user_id: str | None) -> str | None:
        """The HubSpot owner id for a Salesforce user, or an UNKNOWN_PREFIX marker when HubSpot has none."""
        if not user_id:
            return None
        user = self.users.get(user_id)
        if user is not None:
            for owner in self.owners:
                if _norm(owner.get("email")) == user.email:
                    return str(owner["id"])
        return UNKNOWN_PREFIX + user_id

    # -- HubSpot -> Salesforce ------------------------------------------------------------------------
    def user_for_hubspot_owner(self, owner_id: str | None) -> SalesforceUser | None:
        """The active Salesforce user whose name and e-mail match the HubSpot owner exactly, else None."""
        if not owner_id:
            return None
        owner = next((o for o in self.owners if str(o.get("id")) == str(owner_id)), None)
        if owner is None:
            return None
        email, first, last = _norm(owner.get("email")), _norm(owner.get("firstName")), _norm(owner.get("lastName"))
        for user in self.users.values():
            if user.active and user.email == email and user.first_name == first and user.last_name == last:
                return user
        return None

    def describe_owner(self, owner_id: str | None) -> str:
        owner = next((o for o in self.owners if str(o.get("id")) == str(owner_id)), None)
        if owner is None:
            return f"HubSpot owner {owner_id}"
        return f"{owner.get('firstName', '')} {owner.get('lastName', '')} <{owner.get('email', '')}>".strip()
