"""The representative-data seeder: a recipe (data) becomes a deterministic plan, the plan becomes records."""

from harness.seeder.generate import plan_from_recipe
from harness.seeder.plan import PlannedRecord, SeedPlan
from harness.seeder.recipe import Recipe, load_recipe
from harness.seeder.seeder import SeedResult, seed_sandboxes, write_manifest

__all__ = ["PlannedRecord", "Recipe", "SeedPlan", "SeedResult", "load_recipe", "plan_from_recipe", "seed_sandboxes",
           "write_manifest"]
