"""The seed covers the profile's contract: every picklist value of every picklist-mapped field on the side that owns
it, every owner the profile lists, the delete policy; the manifest says so. Checked against the shipped profile and
its recipe (values read from the profile, never from a list here), and shown to fail when the profile asks for more."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.profile import load_profile
from harness.seeder import load_recipe, plan_from_recipe
from harness.seeder.coverage import contract_coverage

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "fixtures" / "profiles" / "default.yaml"


@pytest.fixture(scope="module")
def profile():
    return load_profile(PROFILE)


@pytest.fixture(scope="module")
def coverage(profile):
    recipe = load_recipe((PROFILE.parent / profile.seed.recipe).resolve())
    return contract_coverage(plan_from_recipe(recipe, profile.seed.seed, profile.seed.scale, "uatcov"), profile)


def test_every_picklist_mapped_row_of_the_profile_is_stated(profile, coverage):
    stated = {row["mapping"] for row in coverage["picklists"]}
    for mapping in profile.field_mappings:
        if mapping.hubspot_type in {"select", "radio"} or mapping.salesforce_type == "picklist":
            assert any(name.startswith(f"{mapping.key} <-> ") and mapping.salesforce_field in name for name in stated), \
                mapping.key


def test_every_stated_picklist_value_is_seeded_on_the_side_that_owns_it(coverage):
    gaps = [row for row in coverage["picklists"] if row["missing"]]
    assert not gaps, gaps
    covered = [row for row in coverage["picklists"] if row["status"] == "covered"]
    assert covered, "no picklist row was checked at all"


def test_the_lifecycle_is_covered_on_both_sides_split_where_salesforce_takes_over(profile, coverage):
    row = next(r for r in coverage["picklists"] if r["mapping"].startswith(f"contacts.{profile.lifecycle.hubspot_property}"))
    assert row["owned_by"] == ["hubspot", "salesforce"] and row["values"] == len(profile.lifecycle.stages)


def test_every_owner_of_the_profile_owns_seeded_records(profile, coverage):
    assert {o["owner"] for o in coverage["owners"]} == {o.email for o in profile.owners}
    assert all(o["records"] > 0 for o in coverage["owners"]), coverage["owners"]


def test_every_stated_delete_policy_is_listed_per_side(profile, coverage):
    listed = {(d["object"], d["deleted_on"]) for d in coverage["deletes"]}
    assert listed == {(name, side) for name in profile.delete_policy for side in ("salesforce", "hubspot")}
    # Not seeded yet (docs/seeding.md): each one is a named gap, never silently covered.
    for row in coverage["deletes"]:
        assert row["seeded"] > 0 or any(row["object"] in gap and row["deleted_on"] in gap for gap in coverage["gaps"])


def test_a_value_the_profile_adds_and_the_seed_lacks_is_a_named_gap(profile):
    recipe = load_recipe((PROFILE.parent / profile.seed.recipe).resolve())
    wider = profile.model_copy(deep=True)
    wider.normalisation["industry"].values.append("Aerospace")
    wider.owners.append(wider.owners[0].model_copy(update={"email": "nobody.owns@example.com"}))
    result = contract_coverage(plan_from_recipe(recipe, profile.seed.seed, profile.seed.scale, "uatcov"), wider)
    assert any("Account.Industry" in g and "Aerospace (salesforce)" in g for g in result["gaps"])
    assert "owner nobody.owns@example.com owns no seeded record" in result["gaps"]
