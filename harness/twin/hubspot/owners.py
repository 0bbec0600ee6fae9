"""The portal's owners: the fixture's, plus any added while the twin runs (persisted in `hs_owners`)."""

from __future__ import annotations

import json
from typing import Any

from .portal import Owner


class OwnersMixin:
    """Mixed into HubSpotBackend, which sets `_owners`, `store` and `validator`."""

    _owners: dict[str, Owner]
    store: Any
    validator: Any

    def add_owner(self, owner: Owner) -> Owner:
        """Add an owner (e.g. a Salesforce user the connector imports as a 'Salesforce owner'); persisted."""
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO hs_owners (id, owner) VALUES (?, ?)", (owner.id, json.dumps(owner.__dict__)))
        self._owners[owner.id] = owner
        self.validator.owner_ids = {o.id for o in self._owners.values() if not o.archived}
        return owner

    def owners(self, archived: bool | None = None) -> list[Owner]:
        """Every owner (fixture and added), by id; `archived` filters. Owners also read like the API's dicts."""
        return sorted((o for o in self._owners.values() if archived is None or o.archived == archived),
                      key=lambda o: int(o.id))

    def owner(self, owner_id: str) -> Owner | None:
        return self._owners.get(str(owner_id))

    def owner_by_email(self, email: str, archived: bool = False) -> Owner | None:
        return next((o for o in self._owners.values() if o.email.lower() == email.lower() and o.archived == archived), None)
