"""Errors the seed causes on purpose: a Sync Health error on a record the seed planted as an edge case, with the
error that edge case exists to provoke, is expected, and the report says why instead of counting it as open.

The seed manifest (`seed-manifest.json`, `edge_case_keys`: trait -> the plan keys of the records carrying it) names
the planted records; the ledger maps those keys to the ids the platforms gave them. Only the pairs below count:
an edge case meeting any other error is still a finding (an over-long value refused as a picklist value is not
what the seed planned).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# trait -> (the error codes it is planted to provoke, why; shown beside the error)
SEEDED_ON_PURPOSE: dict[str, tuple[frozenset[str], str]] = {
    "over_long": (frozenset({"STRING_TOO_LONG"}),
                  "seeded on purpose: an over-long value (recipe edge_cases.over_long_strings) must meet Salesforce's "
                  "field length in the sync and show on Sync Health, not be cut silently"),
}


def seeded_records(manifest: dict[str, Any] | None, ledger: Path) -> dict[str, str]:
    """Record id -> the trait it was planted for, for the traits above. Empty when the manifest does not name its
    edge-case records (an older run): then nothing is treated as expected."""
    keys_by_trait = (manifest or {}).get("edge_case_keys") or {}
    wanted = {key: trait for trait, keys in keys_by_trait.items() if trait in SEEDED_ON_PURPOSE for key in keys}
    if not wanted or not ledger.exists():
        return {}
    out = {}
    for line in ledger.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if entry.get("key") in wanted and entry.get("id"):
            out[str(entry["id"])] = wanted[entry["key"]]
    return out


def expected_reason(error: dict[str, Any], code: str, seeded: dict[str, str]) -> str | None:
    for record_id in (error.get("hubspot_id"), error.get("salesforce_id")):
        trait = seeded.get(str(record_id)) if record_id else None
        if trait and code in SEEDED_ON_PURPOSE[trait][0]:
            return SEEDED_ON_PURPOSE[trait][1]
    return None
