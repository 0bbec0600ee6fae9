"""The seeded records planted to fail the sync are kept out of the population that must reconcile: named by the run's
seed manifest when it is this seed's, so the suite does not rebuild a plan of thousands of records to find them."""

from __future__ import annotations

import json

from harness.paths import PROJECT_ROOT
from harness.profile import load_profile
from harness.run.context import RunContext
from harness.seeder import load_recipe, plan_from_recipe
from harness.uat.population import FAILING_TRAITS, seeded_to_fail
from harness.uat.world import World

PROFILE = PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml"


def _world(tmp_path):
    profile = load_profile(PROFILE)
    context = RunContext("20261203-120000-h19a", tmp_path)
    return World(None, None, None, profile, context.tag, tmp_path), context  # type: ignore[arg-type]


def _manifest(world, **changes):
    seed = world.profile.seed
    recipe = load_recipe(world.profile.resolve(seed.recipe))
    plan = plan_from_recipe(recipe, seed.seed, seed.scale, world.tag)
    manifest = {"recipe_sha256": recipe.digest, "seed": seed.seed, "scale": seed.scale, "run_tag": world.tag,
                "edge_case_keys": {t: [r.key for r in plan.records if t in r.traits] for t in plan.traits()}}
    return {**manifest, **changes}, {r.key for r in plan.records if FAILING_TRAITS & set(r.traits)}


def test_the_run_folders_seed_manifest_names_the_records_seeded_to_fail(tmp_path):
    world, context = _world(tmp_path)
    manifest, from_plan = _manifest(world)
    assert from_plan  # the shipped recipe plants some
    context.seed_manifest.write_text(json.dumps(manifest), encoding="utf-8")
    assert seeded_to_fail(world) == from_plan


def test_a_manifest_of_another_seed_is_not_trusted(tmp_path):
    world, context = _world(tmp_path)
    manifest, from_plan = _manifest(world, run_tag="uatsomeother", edge_case_keys={"over_long": ["hs.contacts.bogus"]})
    context.seed_manifest.write_text(json.dumps(manifest), encoding="utf-8")
    assert seeded_to_fail(world) == from_plan
    context.seed_manifest.write_text("{torn", encoding="utf-8")
    assert seeded_to_fail(world) == from_plan
