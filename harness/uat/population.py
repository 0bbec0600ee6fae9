"""The seeded population as a whole: wait until it has synced, then reconcile it once per run.

Reading the population is the expensive part (thousands of records at scale), so each read serves twice: the
waiter's last read is the one reconciled and written to the run folder, and the population it read is kept for the
other whole-population checks (`shared_population`: retired stages), which would otherwise read it all again.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from harness.reconcile.from_profile import wanted_fields
from harness.reconcile.population import Population, gather
from harness.reconcile.run import ReconciliationReport, reconcile_population
from harness.run.context import open_run
from harness.seeder import load_recipe, plan_from_recipe
from harness.uat.failures import TestDataProblem
from harness.uat.waiter import SyncTimeout
from harness.uat.world import World

UNSYNCED = {"never_synced", "salesforce_unsynced"}


# Seed traits whose records are there to fail the sync (HubSpot takes values Salesforce refuses): they are checked to
# fail visibly (Sync Health), and kept out of the population that must reconcile.
FAILING_TRAITS = {"over_long"}


def seeded_to_fail(world: World) -> set[str]:
    """Plan keys of the seeded records made to fail the sync: the planted edge cases the run's seed manifest names,
    when it is this seed's (recipe, seed, scale, run tag); else from the (pure, deterministic) seed plan, rebuilt,
    which takes seconds at scale."""
    seed = world.profile.seed
    recipe = load_recipe(world.profile.resolve(seed.recipe))
    manifest = _seed_manifest(world)
    if manifest is not None and manifest.get("recipe_sha256") == recipe.digest and manifest.get("seed") == seed.seed \
            and manifest.get("scale") == seed.scale and manifest.get("run_tag") == world.tag \
            and isinstance(manifest.get("edge_case_keys"), dict):
        return {str(key) for trait in FAILING_TRAITS for key in manifest["edge_case_keys"].get(trait) or []}
    plan = plan_from_recipe(recipe, seed.seed, seed.scale, world.tag)
    return {record.key for record in plan.records if FAILING_TRAITS & set(record.traits)}


def _seed_manifest(world: World) -> dict[str, Any] | None:
    path = open_run(world.run_dir).seed_manifest if world.run_dir else None
    if path is None or not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def seeded_population(world: World) -> ReconciliationReport:
    """Reconcile what the seeder created (and its counterparts), after waiting for it to sync; memoised per run."""
    if "reconciliation" in world.memo:
        return world.memo["reconciliation"]
    with world.sandboxes.budget.phase("reconciliation"):  # the run's phase table: its own row, whoever asks first
        world.memo["reconciliation"] = _reconcile_seeded(world)
    return world.memo["reconciliation"]


def _reconcile_seeded(world: World) -> ReconciliationReport:
    entries = [e for e in world.ledger.entries() if e.origin == "seed"]
    expected_failures = seeded_to_fail(world)
    world.memo["expected_sync_failures"] = [e for e in entries if e.key in expected_failures]
    entries = [e for e in entries if e.key not in expected_failures]
    if not entries and not world.memo["expected_sync_failures"]:
        raise TestDataProblem("the run's ledger lists no seeded records, so there is no population to reconcile; run "
                              "the suite through `uat run` (which seeds first) or `uat seed` into this run folder")

    hubspot_fields, salesforce_fields = wanted_fields(world.profile)
    lifecycle = world.profile.lifecycle
    if lifecycle is not None:  # read once here for the retired-stage check too (shared_population)
        hubspot_fields.setdefault("contacts", set()).add(lifecycle.hubspot_property)
        for sobject in ("Lead", "Contact"):
            salesforce_fields.setdefault(sobject, set()).add(lifecycle.salesforce_field)
    last: dict[str, Population] = {}

    def read() -> ReconciliationReport:
        last["population"] = gather(world.sandboxes, entries, hubspot_fields, salesforce_fields, world.catalog)
        return reconcile_population(world.sandboxes, world.profile, last["population"], catalog=world.catalog)

    def unsettled(report: ReconciliationReport) -> dict[str, object] | None:
        """Nothing left to converge: every record linked and every field agreeing (a value a transition changed
        on one side takes one more cycle to reach the other)."""
        if report.clean:
            return None
        return {"unsynced": [f"{o.kind}: {o.object} {o.id}" for o in report.orphans.orphans if o.kind in UNSYNCED][:10],
                "mismatched pairs": {o.name: o.mismatched_pairs for o in report.objects if o.mismatched_pairs}}

    # What has not converged when the window ends is reported by the reconciliation scenarios, with its evidence.
    with contextlib.suppress(SyncTimeout):
        world.waiter.until("the seeded population has synced", read, unsettled)
    out_dir = world.run_dir / "reconciliation" if world.run_dir else None
    # The last read is the report: reading the population again would only repeat it (nothing is written between).
    world.memo["seeded_population"] = last["population"]
    return reconcile_population(world.sandboxes, world.profile, last["population"], out_dir, world.catalog)


def shared_population(world: World) -> Population | None:
    """The seeded population as the reconciliation last read it (without the records seeded to fail the sync), or
    None when no reconciliation has run in this session."""
    return world.memo.get("seeded_population")
