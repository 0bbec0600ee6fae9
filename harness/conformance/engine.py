"""The one conformance engine: what the target actually runs compared with the profile, clause by clause.

Used by the conformance phase of every `uat run` (features/configuration_conformance.feature) and by
`uat lint --against`. docs/conformance.md lists the clause families and what each reads.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from harness.conformance.access import field_security_clauses, required_clauses
from harness.conformance.clauses import FAMILIES, Clause, Status
from harness.conformance.guard_rails import required_automation_clauses
from harness.conformance.inclusion import inclusion_clauses
from harness.conformance.mappings import field_clauses, mapping_clauses
from harness.conformance.observed import Observed
from harness.conformance.owners import owner_clauses
from harness.conformance.picklists import picklist_clauses
from harness.conformance.policy import automation_clauses, delete_clauses
from harness.conformance.settings import connector_setting_clauses
from harness.conformance.taxonomy import taxonomy_clauses
from harness.profile import Profile
from harness.sandboxes import Sandboxes

CHECKS: dict[str, Callable[[Observed], Iterable[Clause]]] = {
    "mapping": lambda o: (c for c in mapping_clauses(o) if c.kind == "mapping"),
    "sync_rule": lambda o: (c for c in mapping_clauses(o) if c.kind == "sync_rule"),
    "field": field_clauses,
    "picklist": lambda o: chain(picklist_clauses(o), taxonomy_clauses(o)),
    "owner": owner_clauses,
    "field_security": field_security_clauses,
    "required": required_clauses,
    "delete_policy": delete_clauses,
    "automation": automation_clauses,
    "inclusion_list": inclusion_clauses,
    "connector_setting": connector_setting_clauses,
    "required_automation": required_automation_clauses,
}


@dataclass
class ConformanceReport:
    clauses: list[Clause]
    source: str  # where the connector's running mappings came from
    seconds: float
    notes: dict[str, str] = field(default_factory=dict)  # reads that failed, and why

    def of(self, kind: str) -> list[Clause]:
        return [c for c in self.clauses if c.kind == kind]

    def with_status(self, status: Status, kind: str | None = None) -> list[Clause]:
        return [c for c in self.clauses if c.status is status and (kind is None or c.kind == kind)]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for kind in FAMILIES:
            tally = Counter(c.status.value for c in self.of(kind))
            out[kind] = {s.value: tally[s.value] for s in Status}
        return out

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "seconds": round(self.seconds, 2), "counts": self.counts(), "notes": self.notes,
                "clauses": [c.to_json() for c in self.clauses]}


def _run(observed: Observed, kinds: Iterable[str]) -> Iterator[Clause]:
    for kind in kinds:
        yield from CHECKS[kind](observed)


def check_conformance(profile: Profile, sandboxes: Sandboxes, kinds: Iterable[str] | None = None) -> ConformanceReport:
    """Every clause of the profile, evaluated against the target (`kinds`: a subset of the families)."""
    started = time.monotonic()
    observed = Observed(profile, sandboxes)
    wanted = list(kinds) if kinds is not None else list(CHECKS)
    unknown = sorted(set(wanted) - set(CHECKS))
    if unknown:
        raise ValueError(f"unknown clause families {unknown}; known: {sorted(CHECKS)}")
    clauses = list(_run(observed, wanted))
    return ConformanceReport(clauses, observed.mappings_source or observed.why.get("connector mappings", ""),
                             time.monotonic() - started, dict(observed.why))
