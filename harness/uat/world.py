"""Everything a step needs, in one object: the sandboxes, the waiter, the ledger, the profile and its mappings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.profile import FieldMapping, Profile
from harness.run.ledger import Ledger, intend
from harness.sandboxes import Sandboxes
from harness.sandboxes.catalog import FieldCatalog
from harness.uat.waiter import Waiter


@dataclass(repr=False)
class World:
    sandboxes: Sandboxes
    waiter: Waiter
    ledger: Ledger
    profile: Profile
    tag: str
    run_dir: Path | None = None
    catalog: FieldCatalog = field(init=False)
    memo: dict[str, Any] = field(init=False, default_factory=dict)  # session-wide results (reconciliation, audit)

    def __post_init__(self) -> None:
        self.catalog = FieldCatalog(self.sandboxes)

    def __repr__(self) -> str:
        # Short on purpose: allure-pytest-bdd records repr() of every step argument, and a dataclass repr would
        # spell out the profile, the clients and the memo (the seeded population: seconds per step at scale).
        return f"World(tag={self.tag!r})"

    # -- mappings -------------------------------------------------------------------------------------
    @property
    def mappings(self) -> list[FieldMapping]:
        return self.profile.field_mappings

    def mappings_for(self, hubspot_object: str, sobject: str | None = None, rule: str | None = None) -> list[FieldMapping]:
        return [m for m in self.mappings if m.hubspot_object == hubspot_object
                and (sobject is None or sobject in m.salesforce_objects) and (rule is None or m.rule.value == rule)]

    # -- reads by id ----------------------------------------------------------------------------------
    def hubspot(self, object_type: str, object_id: str, properties: list[str]) -> dict[str, Any]:
        return self.sandboxes.hubspot.read_many(object_type, [object_id], properties).get(object_id, {})

    def salesforce(self, sobject: str, record_id: str, fields: list[str]) -> dict[str, Any]:
        return self.sandboxes.salesforce.read_many(sobject, [record_id], fields).get(record_id, {})

    # -- writes, recorded -----------------------------------------------------------------------------
    def create_hubspot(self, object_type: str, properties: dict[str, Any]) -> str:
        key = intend(self.run_dir, "hubspot", object_type, properties)  # a kill before the ledger write loses nothing
        object_id = self.sandboxes.hubspot.create(object_type, properties, taken=self._ledger_ids)
        self.ledger.record("hubspot", object_type, object_id, "scenario", key=key)
        return object_id

    def create_salesforce(self, sobject: str, data: dict[str, Any]) -> str:
        key = intend(self.run_dir, "salesforce", sobject, data)
        record_id = self.sandboxes.salesforce.create(sobject, data, taken=self._ledger_ids)
        self.ledger.record("salesforce", sobject, record_id, "scenario", key=key)
        return record_id

    def _ledger_ids(self) -> set[str]:
        """Ids already accounted for: a create retried after a lost answer never adopts one of these."""
        return {entry.id for entry in self.ledger.entries()}

    def observed(self, system: str, object_name: str, record_id: str) -> None:
        """A record the connector created because of this run: it joins the ledger for cleanup."""
        self.ledger.record(system, object_name, record_id, "sync")
