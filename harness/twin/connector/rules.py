"""The four sync rules, exactly as HubSpot's mapping article tabulates them, for one field of one linked pair.

Inputs are canonical values (values.py), whether each side changed since the pair's last sync (its snapshot),
and each side's modification time. A side that never synced this field (a new link, or a mapping added since)
counts as changed when it holds a value: that is what a first sync or a resync pushes. When neither side
changed nothing crosses, even if the values differ (a value one side refused stays refused until it changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .settings import SyncRule


class Direction(Enum):
    TO_HUBSPOT = "to_hubspot"
    TO_SALESFORCE = "to_salesforce"


@dataclass(frozen=True)
class FieldState:
    hubspot: str | None
    salesforce: str | None
    hubspot_changed: bool
    salesforce_changed: bool
    hubspot_ms: int = 0  # when HubSpot's value was written (property history)
    salesforce_ms: int = 0  # when the Salesforce record was last modified


def decide(rule: SyncRule, state: FieldState, conflict_rule: str = "most_recent") -> Direction | None:
    """Which way the value crosses, or None. Blank is a value too: a deletion crosses where the rule says so."""
    if state.hubspot == state.salesforce or rule is SyncRule.DONT_SYNC:
        return None
    if not state.hubspot_changed and not state.salesforce_changed:
        return None  # nothing happened since the last sync: a standing difference (a refused value) waits
    if rule is SyncRule.ALWAYS_USE_SALESFORCE:
        # "HubSpot will never pass data to Salesforce"; Salesforce's value, or its deletion, always overwrites.
        if state.salesforce is None and not state.salesforce_changed:
            return None  # a Salesforce field that never held a value has nothing to pass
        return Direction.TO_HUBSPOT
    if rule is SyncRule.PREFER_SALESFORCE_UNLESS_BLANK:
        if state.salesforce is not None:
            return Direction.TO_HUBSPOT  # "this value will always overwrite the existing value in HubSpot"
        if state.salesforce_changed and not state.hubspot_changed:
            return Direction.TO_HUBSPOT  # "if you delete the value in Salesforce, it is also deleted in HubSpot"
        # "HubSpot will only pass a value to Salesforce if there's currently no value in Salesforce."
        return Direction.TO_SALESFORCE if state.hubspot is not None else None
    # Two-way: "the most recent value will always overwrite", deletions included.
    if state.hubspot_changed and not state.salesforce_changed:
        return Direction.TO_SALESFORCE
    if state.salesforce_changed and not state.hubspot_changed:
        return Direction.TO_HUBSPOT
    if conflict_rule == "prefer_salesforce":
        return Direction.TO_HUBSPOT
    if conflict_rule == "prefer_hubspot":
        return Direction.TO_SALESFORCE
    return Direction.TO_SALESFORCE if state.hubspot_ms > state.salesforce_ms else Direction.TO_HUBSPOT
