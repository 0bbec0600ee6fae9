"""Recipe + seed + scale -> the exact list of records to create. Pure and deterministic: no I/O, no clock.

The run tag goes only into the values that identify a seeded record (e-mail plus-addresses on reserved
example.* domains, account websites under <tag>.example.com, opportunity / case / task references), so two runs of
the same recipe, seed and scale plan the same people, and no real person is ever written to.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

RESERVED_DOMAINS = ("example.com", "example.org", "example.net")
# Parents before children: the order records are created in (and cleanup deletes in reverse).
LOAD_ORDER = [("salesforce", "Account"), ("salesforce", "Contact"), ("salesforce", "Lead"),
              ("salesforce", "Opportunity"), ("salesforce", "OpportunityContactRole"), ("salesforce", "Case"),
              ("salesforce", "Task"), ("hubspot", "contacts"), ("hubspot", "tickets"), ("hubspot", "notes"),
              ("hubspot", "calls"), ("hubspot", "tasks")]


@dataclass(frozen=True)
class PlannedRecord:
    system: str  # "hubspot" | "salesforce"
    object: str  # "contacts" | "Lead" | ...
    key: str  # stable across runs of one recipe/seed/scale: the ledger's key for idempotent resume
    data: dict[str, Any]
    # field -> key of the record it points at; "owner:<REGION>" for an owner; "assoc:<type>" for a HubSpot association
    refs: dict[str, str] = field(default_factory=dict)
    lookup: tuple[str, ...] = ()  # fields that find this record again when a create's outcome is unknown
    traits: tuple[str, ...] = ()  # what the record is there to exercise: duplicate, non_ascii, over_long, variant...


@dataclass
class SeedPlan:
    seed: int
    scale: float
    run_tag: str = ""
    records: list[PlannedRecord] = field(default_factory=list)
    owners: dict[str, list[str]] = field(default_factory=dict)  # region -> owner e-mails, resolved when seeding

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            name = f"{record.system}.{record.object}"
            out[name] = out.get(name, 0) + 1
        return out

    def traits(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for record in self.records:
            for trait in record.traits:
                out[trait] = out.get(trait, 0) + 1
        return dict(sorted(out.items()))

    def ordered(self) -> list[tuple[tuple[str, str], list[PlannedRecord]]]:
        groups: dict[tuple[str, str], list[PlannedRecord]] = {}
        for record in self.records:
            groups.setdefault((record.system, record.object), []).append(record)
        rank = {name: index for index, name in enumerate(LOAD_ORDER)}
        return sorted(groups.items(), key=lambda item: rank.get(item[0], len(rank)))

    def fingerprint(self) -> str:
        """A hash of every planned record, tag aside: equal for equal recipe, seed and scale."""
        digest = hashlib.sha256()
        for record in self.records:
            text = json.dumps([record.system, record.object, record.key, record.data, record.refs], sort_keys=True,
                              ensure_ascii=False)
            if self.run_tag:  # the tag also appears upper-cased, in the case-variant duplicates
                text = re.sub(re.escape(self.run_tag), "<tag>", text, flags=re.IGNORECASE)
            digest.update(text.encode("utf-8"))
        return digest.hexdigest()
