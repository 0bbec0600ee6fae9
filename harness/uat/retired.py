"""No record of the run's population may sit in a retired lifecycle stage, on either side."""

from __future__ import annotations

from tabulate import tabulate

from harness.reconcile.population import Population, gather
from harness.uat.failures import PlatformAutomation
from harness.uat.lifecycle import stage_fields
from harness.uat.population import shared_population
from harness.uat.world import World


def expect_no_retired_records(world: World) -> None:
    prop, field = stage_fields(world)
    retired = {s.lower() for s in (world.profile.lifecycle.retired if world.profile.lifecycle else [])}
    entries = [e for e in world.ledger.entries() if e.origin == "seed"]
    hubspot_fields, salesforce_fields = {"contacts": {prop, "email"}}, {"Lead": {field}, "Contact": {field}}
    population = shared_population(world)
    if population is None:
        population = gather(world.sandboxes, entries, hubspot_fields, salesforce_fields)
    else:  # read by the reconciliation already: only the records seeded to fail the sync are left to read
        failing = world.memo.get("expected_sync_failures") or []
        extra = gather(world.sandboxes, failing, hubspot_fields, salesforce_fields) if failing else Population()
        population = merged(population, extra)
    found = [["HubSpot", "contacts", hs_id, props.get(prop)] for hs_id, props in population.hubspot.get("contacts", {}).items()
             if str(props.get(prop) or "").lower() in retired]
    for sobject in ("Lead", "Contact"):
        found += [["Salesforce", sobject, sf_id, record.get(field)]
                  for sf_id, record in population.salesforce.get(sobject, {}).items()
                  if not record.get("IsDeleted") and str(record.get(field) or "").lower() in retired]
    if found:
        raise PlatformAutomation(f"{len(found)} record(s) in a retired lifecycle stage",
                                 tabulate(found[:20], headers=["System", "Object", "Id", "Stage"], tablefmt="github"))


def expect_no_retired_options(world: World) -> None:
    """A retired stage must not be selectable on either side: what cannot be chosen cannot be set by hand."""
    prop, field = stage_fields(world)
    retired = {s.lower() for s in (world.profile.lifecycle.retired if world.profile.lifecycle else [])}
    offered = []
    hubspot = world.catalog.hubspot("contacts", prop)
    offered += [["HubSpot", f"contacts.{prop}", o] for o in (hubspot.options if hubspot else []) if o.lower() in retired]
    for sobject in ("Lead", "Contact"):
        described = world.catalog.salesforce(sobject, field)
        offered += [["Salesforce", f"{sobject}.{field}", v] for v in (described.picklist if described else [])
                    if v.lower() in retired]
    if offered:
        raise PlatformAutomation("retired lifecycle stages are still offered (and so can still be set)",
                                 tabulate(offered, headers=["System", "Field", "Retired stage"], tablefmt="github"))


def merged(first: Population, second: Population) -> Population:
    """Both populations' records, per side and object (a copy: the shared population stays as read)."""
    out = Population()
    for population in (first, second):
        for side in ("hubspot", "salesforce"):
            for name, records in getattr(population, side).items():
                getattr(out, side)[name].update(records)
    return out
