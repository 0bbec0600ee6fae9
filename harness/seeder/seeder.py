"""Apply a seed plan to the sandboxes: batches where the platforms have them, every record into the ledger."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ledger import Ledger
from ..sandboxes import Sandboxes
from .plan import SeedPlan
from .recipe import Recipe

HUBSPOT_BATCH = 100


@dataclass
class SeedResult:
    created: dict[str, str] = field(default_factory=dict)  # plan key -> record id
    counts: dict[str, int] = field(default_factory=dict)


def seed_sandboxes(plan: SeedPlan, sandboxes: Sandboxes, ledger: Ledger) -> SeedResult:
    result = SeedResult()
    done = {entry.key: entry.id for entry in ledger.entries() if entry.key}
    pending = [r for r in plan.records if r.key not in done]
    result.created.update({k: v for k, v in done.items()})
    contacts = [r for r in pending if r.system == "hubspot" and r.object == "contacts"]
    for start in range(0, len(contacts), HUBSPOT_BATCH):
        chunk = contacts[start:start + HUBSPOT_BATCH]
        api = sandboxes.hubspot.api("contacts", "batch_api")
        response = sandboxes.hubspot._call(api.create, {"inputs": [{"properties": r.data} for r in chunk]})
        by_email = {str(o.properties.get("email", "")).lower(): o.id for o in response.results or []}
        items = []
        for record in chunk:
            object_id = by_email.get(record.data["email"].lower())
            if object_id:
                result.created[record.key] = object_id
                items.append(("hubspot", "contacts", object_id, record.key))
        ledger.record_many(items, "seed")
    for record in (r for r in pending if r.system == "salesforce"):
        new_id = sandboxes.salesforce.create(record.object, record.data)
        result.created[record.key] = new_id
        ledger.record("salesforce", record.object, new_id, "seed", key=record.key)
    result.counts = plan.counts()
    return result


def write_manifest(path: Path, recipe: Recipe, plan: SeedPlan, result: SeedResult, sandboxes: Sandboxes) -> dict[str, Any]:
    manifest = {
        "recipe": str(recipe.source.name), "recipe_sha256": recipe.digest, "seed": plan.seed, "scale": plan.scale,
        "counts": result.counts, "records": len(result.created), "api_calls": sandboxes.budget.report(),
    }
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    return manifest
