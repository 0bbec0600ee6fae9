"""Owners: HubSpot owners and Salesforce users matched as HubSpot's owner article says.

Salesforce -> HubSpot: any Salesforce owner syncs; the HubSpot owner is the one with the user's e-mail.
HubSpot -> Salesforce: only an owner matching an *active* Salesforce user's name and e-mail syncs; otherwise the
owner resets to the last value from Salesforce and the mismatch is a Sync Health error.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..hubspot.models import HubSpotBackend
from ..hubspot.portal import Owner
from .salesforce_side import SalesforceSide

# How an unmatched Salesforce owner reads in canonical (HubSpot owner id) space: never equal to a real owner id.
UNKNOWN_PREFIX = "salesforce-user:"
SALESFORCE_OWNER_BASE = 73_000_000  # ids of the 'Salesforce owners' the connector mints, above the portal's own


@dataclass(frozen=True)
class SalesforceUser:
    id: str
    email: str
    first_name: str
    last_name: str
    active: bool


def _norm(text: object) -> str:
    return str(text or "").strip().lower()


class OwnerDirectory:
    """Built once per cycle: owners and users change rarely and the connector reads them in bulk."""

    def __init__(self, hubspot: HubSpotBackend, salesforce: SalesforceSide, mint_unknown: bool = True) -> None:
        self.hubspot = hubspot
        self.salesforce = salesforce
        self.mint_unknown = mint_unknown
        self._users: dict[str, SalesforceUser] | None = None

    def refresh(self) -> None:
        self._users = None

    @property
    def users(self) -> dict[str, SalesforceUser]:
        """Salesforce users and queues (queues own leads and cases, and sync as owners too)."""
        if self._users is None:
            users = {}
            if self.salesforce.has("User"):
                for row in self.salesforce.where("User", "1 = 1"):
                    users[row["Id"]] = SalesforceUser(row["Id"], _norm(row.get("Email")), _norm(row.get("FirstName")),
                                                      _norm(row.get("LastName")), bool(row.get("IsActive", 1)))
            if self.salesforce.has("Group"):
                for row in self.salesforce.where("Group", "\"Type\" = 'Queue'"):
                    email = f"{_norm(row.get('DeveloperName') or row['Id'])}@queue.salesforce.invalid"
                    users[row["Id"]] = SalesforceUser(row["Id"], email, "", _norm(row.get("Name")), False)
            self._users = users
        return self._users

    def owners(self) -> list[Owner]:
        return self.hubspot.owners(archived=False)

    # -- Salesforce -> HubSpot ------------------------------------------------------------------------
    def hubspot_owner_for_user(self, user_id: str | None) -> str | None:
        """The HubSpot owner id for a Salesforce user or queue; one is minted as a 'Salesforce owner' when HubSpot
        has none (documented), else an UNKNOWN_PREFIX marker."""
        if not user_id:
            return None
        user = self.users.get(user_id)
        if user is None:
            return UNKNOWN_PREFIX + user_id
        owner = self.hubspot.owner_by_email(user.email) if user.email else None
        if owner is not None:
            return owner.id
        if not self.mint_unknown:
            return UNKNOWN_PREFIX + user_id
        return self._mint(user).id

    def _mint(self, user: SalesforceUser) -> Owner:
        taken = {int(o.id) for o in self.hubspot.owners() if o.id.isdigit()}
        new_id = max([SALESFORCE_OWNER_BASE, *taken]) + 1
        return self.hubspot.add_owner(Owner(id=str(new_id), user_id=0, email=user.email,
                                            first_name=user.first_name.title(), last_name=user.last_name.title()))

    # -- HubSpot -> Salesforce ------------------------------------------------------------------------
    def user_for_hubspot_owner(self, owner_id: str | None) -> SalesforceUser | None:
        """The active Salesforce user whose name and e-mail match the HubSpot owner exactly, else None."""
        if not owner_id:
            return None
        owner = self.hubspot.owner(str(owner_id))
        if owner is None or owner.archived:
            return None
        email, first, last = _norm(owner.email), _norm(owner.first_name), _norm(owner.last_name)
        for user in self.users.values():
            if user.active and user.email == email and user.first_name == first and user.last_name == last:
                return user
        return None

    def describe_owner(self, owner_id: str | None) -> str:
        owner = self.hubspot.owner(str(owner_id)) if owner_id else None
        if owner is None:
            return f"HubSpot owner {owner_id}"
        return f"{owner.first_name} {owner.last_name} <{owner.email}>".strip()
