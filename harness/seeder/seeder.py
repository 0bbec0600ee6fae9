"""Apply a seed plan to the sandboxes: parents first, batches where the platforms have them, every record into
the ledger the moment its id is known, and a rerun of the same plan creating only what is still missing."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.profile.model import PicklistTable
from harness.run.ledger import Ledger
from harness.sandboxes import Sandboxes
from harness.seeder.coverage import contract_coverage
from harness.seeder.folding import fold_restricted, tables_by_location
from harness.seeder.hubspot_loader import BATCH_LIMIT, ObjectUnsupported, create_hubspot
from harness.seeder.hubspot_loader import lookup as hubspot_lookup
from harness.seeder.journal import SeedJournal
from harness.seeder.plan import PlannedRecord, SeedPlan
from harness.seeder.recipe import Recipe
from harness.seeder.salesforce_loader import COLLECTION_LIMIT, Item, create_salesforce
from harness.seeder.salesforce_loader import lookup as salesforce_lookup
from harness.seeder.target import SeedTarget, read_target

if TYPE_CHECKING:  # annotations only: the profile model is not needed at run time here
    from harness.profile import Profile

BULK_THRESHOLD = 2000  # records of one object; below it sObject Collections, above it Bulk API 2.0
Progress = Callable[[str, int, int], None]  # (object, records done, records planned)


@dataclass
class SeedResult:
    created: dict[str, str] = field(default_factory=dict)  # plan key -> record id
    counts: dict[str, int] = field(default_factory=dict)  # planned, per system.object
    created_counts: dict[str, int] = field(default_factory=dict)  # present after this seed, per system.object
    resumed: int = 0  # records found in the ledger from an earlier, interrupted seed
    adopted: int = 0  # in-doubt records found on the platform instead of being created again
    skipped: dict[str, str] = field(default_factory=dict)  # system.object -> why it was not seeded
    refused: dict[str, str] = field(default_factory=dict)  # plan key -> the platform's error
    folded: dict[str, int] = field(default_factory=dict)  # system.object.field -> variants written canonical
    methods: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    api_calls: dict[str, int] = field(default_factory=dict)  # calls this seed made, per system
    schema_calls: dict[str, int] = field(default_factory=dict)  # of which reading describe, properties, owners
    seconds: float = 0.0


def _resolve(record: PlannedRecord, created: dict[str, str], target: SeedTarget) -> tuple[dict[str, Any] | None, str]:
    data = dict(record.data)
    for name, ref in record.refs.items():
        if ref.startswith("owner:"):
            owners = target.salesforce_owners if record.system == "salesforce" else target.hubspot_owners
            if ref[6:] in owners:
                data[name] = owners[ref[6:]]
        elif name.startswith("assoc:"):
            if ref in created:
                data[name] = created[ref]
        elif ref in created:
            data[name] = created[ref]
        else:
            return None, f"its parent {ref} was not created"
    if record.system == "salesforce" and record.object in target.salesforce_fields:
        allowed = target.salesforce_fields[record.object]
        data = {k: v for k, v in data.items() if k in allowed}
    return data, ""


def minimum_calls(counts: dict[str, int]) -> dict[str, int]:
    """The fewest create calls the batch limits allow: 200 a call in Salesforce, 100 in HubSpot."""
    out = {"salesforce": 0, "hubspot": 0}
    for name, count in counts.items():
        system = name.split(".", 1)[0]
        out[system] += math.ceil(count / (COLLECTION_LIMIT if system == "salesforce" else BATCH_LIMIT))
    return out


def seed_sandboxes(plan: SeedPlan, sandboxes: Sandboxes, ledger: Ledger, journal: SeedJournal | None = None,
                   progress: Progress | None = None, bulk_threshold: int = BULK_THRESHOLD,
                   normalisation: Mapping[str, PicklistTable] | None = None) -> SeedResult:
    """`normalisation`: the profile's tables, to fold spelling variants a restricted field would refuse
    (harness/seeder/folding.py); without it every variant is sent as planned."""
    started = time.monotonic()
    before = dict(sandboxes.budget.used)
    journal = journal or SeedJournal(ledger.path.parent / "seed-journal.jsonl")
    result = SeedResult(counts=plan.counts())
    result.created = {e.key: e.id for e in ledger.entries() if e.key and e.origin == "seed"}
    result.resumed = len(result.created)
    taken = set(result.created.values())
    groups = plan.ordered()
    target = read_target(sandboxes, {name for name, _records in groups}, plan.owners)
    result.schema_calls = {system: sandboxes.budget.used[system] - before.get(system, 0)
                           for system in ("salesforce", "hubspot")}
    result.notes.extend(target.notes)
    tables = tables_by_location(normalisation)
    sent, refused_before = journal.state()
    in_doubt = sent - set(result.created) - set(refused_before)

    lock = threading.Lock()

    def seed_group(system: str, sobject: str, records: list[PlannedRecord]) -> None:
        name = f"{system}.{sobject}"
        if system == "salesforce" and sobject not in target.salesforce_objects:
            result.skipped[name] = f"{sobject} is not in this org's describe: planned, not seeded"
            return
        if system == "hubspot" and target.hubspot_properties.get(sobject) is not None and records and \
                records[0].lookup and records[0].lookup[0] not in target.hubspot_properties[sobject]:
            result.skipped[name] = f"the portal's {sobject} lack property {records[0].lookup[0]}: planned, not seeded"
            return
        if system == "salesforce" and sobject in target.salesforce_fields:
            dropped = sorted({k for r in records for k in r.data} - target.salesforce_fields[sobject])
            if dropped:
                result.notes.append(f"{sobject}: fields {dropped} are not createable in this org; left out")
        items: list[Item] = []
        for record in records:
            if record.key in result.created:
                continue
            data, why = _resolve(record, result.created, target)
            if data is None:
                result.refused[record.key] = f"not sent: {why}"
                continue
            data, folded = fold_restricted(system, sobject, data, target.restricted, tables)
            with lock:
                for name in folded:
                    result.folded[f"{system}.{sobject}.{name}"] = result.folded.get(f"{system}.{sobject}.{name}", 0) + 1
            items.append(Item(record.key, data, record.lookup))

        def sink(pairs: list[tuple[str, str]], system: str = system, sobject: str = sobject) -> None:
            if pairs:
                ledger.record_many([(system, sobject, object_id, key) for key, object_id in pairs], "seed")
                result.created.update(dict(pairs))

        doubtful = [i for i in items if i.key in in_doubt]
        if doubtful:  # an interrupted seed may have created these: find them before sending anything again
            finder = salesforce_lookup if system == "salesforce" else hubspot_lookup
            try:
                adopted = finder(sandboxes, sobject, doubtful, taken)
            except Exception as error:  # cannot tell whether they exist: sending them could make duplicates
                for item in doubtful:
                    result.refused[item.key] = f"in doubt after an interruption, lookup failed ({error}); not resent"
                items = [i for i in items if i.key not in in_doubt]
                adopted = {}
            sink(list(adopted.items()))
            with lock:
                result.adopted += len(adopted)
            items = [i for i in items if i.key not in adopted]

        done = {"n": len(records) - len(items)}

        def tick(count: int, name: str = name, total: int = len(records), done: dict[str, int] = done) -> None:
            done["n"] += count
            if progress:
                progress(name, min(done["n"], total), total)

        tick(0)
        if not items:
            return
        try:
            if system == "salesforce":
                outcome = create_salesforce(sandboxes, sobject, items, taken, sink, journal, tick, bulk_threshold)
            else:
                outcome = create_hubspot(sandboxes, sobject, items, taken, sink, journal, tick)
        except ObjectUnsupported as error:
            result.skipped[name] = f"{error}: planned, not seeded"
            return
        result.methods[name] = outcome.method
        result.refused.update(outcome.refused)
        result.notes.extend(f"{sobject}: {note}" for note in outcome.notes)

    def seed_side(side: str) -> None:
        for (system, sobject), records in groups:
            if system == side:
                seed_group(system, sobject, records)

    # The two platforms share nothing in a plan (references stay on one side), so they load side by side.
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="seed") as pool:
        for future in [pool.submit(seed_side, side) for side in ("salesforce", "hubspot")]:
            future.result()

    names = {r.key: f"{r.system}.{r.object}" for r in plan.records}
    for key in result.created:
        if key in names:
            result.created_counts[names[key]] = result.created_counts.get(names[key], 0) + 1
    result.api_calls = {system: sandboxes.budget.used[system] - before.get(system, 0)
                        for system in ("salesforce", "hubspot")}
    result.seconds = time.monotonic() - started
    return result


def write_manifest(path: Path, recipe: Recipe, plan: SeedPlan, result: SeedResult, sandboxes: Sandboxes,
                   profile: Profile | None = None) -> dict[str, Any]:
    """`profile`: when given, the manifest states what the plan covers of its contract (coverage.py)."""
    created = sum(result.created_counts.values())
    manifest = {
        "recipe": str(recipe.source.name), "recipe_sha256": recipe.digest, "seed": plan.seed, "scale": plan.scale,
        "run_tag": plan.run_tag, "plan_sha256": plan.fingerprint(),
        "counts": result.counts, "created": result.created_counts, "records": len(result.created),
        "traits": plan.traits(), "resumed_from_ledger": result.resumed, "adopted_after_interruption": result.adopted,
        # which records are planted edge cases: the sign-off tells the errors they provoke on purpose from defects
        "edge_case_keys": {t: [r.key for r in plan.records if t in r.traits] for t in plan.traits()
                           if not t.startswith("born_in_")},
        "skipped": result.skipped, "refused": dict(list(result.refused.items())[:200]),
        "variants_folded": result.folded,
        "refused_count": len(result.refused), "methods": result.methods, "notes": result.notes,
        "seconds": round(result.seconds, 3),
        "records_per_second": round(created / result.seconds, 1) if result.seconds else None,
        "seed_api_calls": result.api_calls, "schema_read_calls": result.schema_calls,
        "minimum_create_calls": minimum_calls(result.created_counts),
        "api_calls": sandboxes.budget.report(),
    }
    if profile is not None:
        manifest["contract_coverage"] = contract_coverage(plan, profile)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False), encoding="utf-8")
    return manifest
