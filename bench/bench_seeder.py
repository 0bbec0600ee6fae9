"""Seed ~10,000 records into the twin and report records per second and API calls per 1,000 records beside the
fewest calls the platforms' batch limits allow (Salesforce collections 200, HubSpot batch 100).

Run: .venv/bin/python bench/bench_seeder.py [--records 10000] [--bulk-threshold 2000]
Figures depend on the machine (2 cores, shared with other engineers' work): report them with that caveat.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.run.ledger import Ledger  # noqa: E402
from harness.sandboxes import connect  # noqa: E402
from harness.sandboxes.twin_target import twin_credentials  # noqa: E402
from harness.seeder.generate import plan_from_recipe  # noqa: E402
from harness.seeder.recipe import Recipe, load_recipe  # noqa: E402
from harness.seeder.seeder import minimum_calls, seed_sandboxes  # noqa: E402
from harness.twin import Twin  # noqa: E402


def bench_recipe(records: int) -> Recipe:
    """A recipe of the objects every twin org supports: 40% Salesforce contacts under 10% accounts, 25% leads,
    25% HubSpot contacts."""
    unit = records / 100
    return Recipe.model_validate({
        "regions": {"NA": {"territory": "North America", "countries": ["United States"],
                           "owners": ["nadia.ortiz@example.com"]},
                    "EMEA": {"territory": "Europe", "countries": ["Germany"], "owners": ["emil.novak@example.com"]}},
        "accounts": {"count": round(10 * unit), "industries": ["Technology", "Finance"],
                     "contacts": {"per_account": 4, "lifecycle": {"salesqualifiedlead": 1, "customer": 1}}},
        "salesforce_leads": {"count": round(25 * unit)},
        "hubspot_contacts": {"count": round(25 * unit), "lifecycle": {"lead": 3, "marketingqualifiedlead": 1}},
    })


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--bulk-threshold", type=int, default=2000)
    parser.add_argument("--representative", action="store_true", help="scale fixtures/seed/representative.yaml "
                        "instead (every object, edge cases, associations)")
    args = parser.parse_args()
    if args.representative:
        recipe = load_recipe(Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "representative.yaml")
        per_unit = len(plan_from_recipe(recipe, 42, 1.0, "uatbench").records)
        plan = plan_from_recipe(recipe, 42, args.records / per_unit, "uatbench")
    else:
        plan = plan_from_recipe(bench_recipe(args.records), 42, 1.0, "uatbench")
    with Twin.start(org="healthy") as twin, tempfile.TemporaryDirectory() as folder:
        sandboxes = connect(twin_credentials(twin.info()))
        ledger = Ledger(Path(folder) / "ledger.jsonl", "bench")
        started = time.perf_counter()
        result = seed_sandboxes(plan, sandboxes, ledger, bulk_threshold=args.bulk_threshold)
        seconds = time.perf_counter() - started
        created = len(result.created)
        minimum = minimum_calls(result.created_counts)
        print(f"planned {len(plan.records)} records, created {created}, refused {len(result.refused)}")
        print(f"methods: {result.methods}")
        for note in result.notes:
            print(f"note: {note}")
        print(f"seed: {seconds:.2f} s, {created / seconds:,.0f} records/s")
        for system in ("salesforce", "hubspot"):
            count = sum(v for k, v in result.created_counts.items() if k.startswith(system))
            if not count:
                continue
            used = result.api_calls[system]
            writes = used - result.schema_calls.get(system, 0)
            print(f"{system}: {count} records, {used} API calls ({1000 * used / count:.1f} per 1,000 records), of which "
                  f"{writes} create calls ({1000 * writes / count:.1f} per 1,000); minimum {minimum[system]} "
                  f"({1000 * minimum[system] / count:.1f} per 1,000); ratio {used / max(1, minimum[system]):.2f} "
                  f"(creates only {writes / max(1, minimum[system]):.2f})")
        total_used, total_min = sum(result.api_calls.values()), sum(minimum.values())
        print(f"all: {total_used} calls vs minimum {total_min}: ratio {total_used / max(1, total_min):.2f} "
              "(calls include the describe, owner and schema reads)")
        second = time.perf_counter()
        again = seed_sandboxes(plan, sandboxes, ledger, bulk_threshold=args.bulk_threshold)
        print(f"rerun (idempotent): {time.perf_counter() - second:.2f} s, created nothing new: "
              f"{len(again.created) == created}, API calls {again.api_calls}")


if __name__ == "__main__":
    main()
