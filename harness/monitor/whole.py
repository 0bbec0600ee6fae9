"""The weekly reconciliation's population: every record of each reconciled object on both sides.

Adapter. Whole-population reconciliation (issue 18, item 1) is being built in harness/reconcile/whole.py as
`reconcile_whole(sandboxes, profile, out_dir, scope)`, with Bulk 2.0 query jobs and HubSpot's exports API. Until it
is there, this reads the population by ordinary list paging (HubSpot `GET /crm/v3/objects/<type>`, 100 a page;
Salesforce SOQL through queryAll, 2,000 a page) and hands it to the run's reconciliation engine, so the weekly
report has the same counts, orphan classes, key totals and tolerances. Both paths are reads: the read-only
connections allow them. The fallback is fine for a sandbox; at production volume it costs a call per 100 HubSpot
records, which is why the Bulk/exports path replaces it as soon as it exists.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from harness.profile import Profile
from harness.reconcile.from_profile import wanted_fields
from harness.reconcile.population import STATE_FIELDS, Population
from harness.reconcile.run import ReconciliationReport, reconcile_population
from harness.sandboxes import Sandboxes
from harness.sandboxes.catalog import FieldCatalog
from harness.sync.objects import LINKS


def _whole_module() -> Any:
    try:
        return importlib.import_module("harness.reconcile.whole")
    except ModuleNotFoundError as error:
        if error.name != "harness.reconcile.whole":
            raise  # the module exists but something it imports does not: a real failure
        return None


def _hubspot_all(sandboxes: Sandboxes, object_type: str, properties: list[str]) -> dict[str, dict[str, Any]]:
    api = sandboxes.hubspot.api(object_type, "basic_api")
    out: dict[str, dict[str, Any]] = {}
    after = None
    while True:
        page = sandboxes.hubspot._call(api.get_page, limit=100, after=after, properties=properties)
        for item in page.results or []:
            out[str(item.id)] = dict(item.properties or {})
        after = page.paging.next.after if page.paging and page.paging.next else None
        if not after:
            return out


def gather_whole(sandboxes: Sandboxes, profile: Profile, catalog: FieldCatalog) -> Population:
    """Both sides, every record of the objects the profile reconciles (deleted Salesforce rows included, so links
    to deleted and merged-away records are named as orphans, as in the run's reconciliation)."""
    hubspot_fields, salesforce_fields = wanted_fields(profile)
    objects = profile.reconciliation.objects if profile.reconciliation else {}
    population = Population()
    for object_type, tolerance in objects.items():
        names = sorted(hubspot_fields.get(object_type, set()) | {p for p, _ in LINKS.get(object_type, [])}
                       | ({"email"} if object_type == "contacts" else set()))
        population.hubspot[object_type].update(_hubspot_all(sandboxes, object_type, names))
        for sobject in tolerance.salesforce:
            wanted = salesforce_fields.get(sobject, set()) | set(STATE_FIELDS.get(sobject, ["IsDeleted"]))
            fields = sorted(n for n in wanted if catalog.salesforce(sobject, n) is not None)
            columns = ", ".join(dict.fromkeys(["Id", *fields]))
            for record in sandboxes.salesforce.query_all(f"SELECT {columns} FROM {sobject}", include_deleted=True):
                record.pop("attributes", None)
                population.salesforce[sobject][record["Id"]] = record
    return population


def reconcile_whole_population(sandboxes: Sandboxes, profile: Profile, out_dir: Path) -> tuple[dict[str, Any], str]:
    """The reconciliation report (as `ReconciliationReport.as_dict()`) and how the population was extracted."""
    whole = _whole_module()
    if whole is not None and hasattr(whole, "reconcile_whole"):
        report = whole.reconcile_whole(sandboxes, profile, out_dir, "all")
        return (report.as_dict() if hasattr(report, "as_dict") else dict(report)), "harness.reconcile.whole"
    catalog = FieldCatalog(sandboxes)
    report: ReconciliationReport = reconcile_population(sandboxes, profile, gather_whole(sandboxes, profile, catalog),
                                                        out_dir, catalog)
    return report.as_dict(), "list paging (fallback until harness.reconcile.whole exists)"
