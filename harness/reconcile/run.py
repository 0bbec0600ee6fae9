"""Reconcile the run's whole population, per the profile, and write the evidence into the run folder.

Writes `reconciliation/summary.csv`, `reconciliation/<object>-mismatches.csv`, `reconciliation/report.md` and
`reconciliation/report.json`: the tables the sign-off report and the Allure attachments are made from.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.profile import Profile
from harness.reconcile.engine import ObjectReconciliation, reconcile_object
from harness.reconcile.from_profile import object_spec, project, wanted_fields
from harness.reconcile.orphans import NOTED_CLASSES, ORPHAN_CLASSES, OrphanReport, find_orphans
from harness.reconcile.population import Population, gather
from harness.reconcile.tables import summary_table, totals_table, write_summary_csv
from harness.run.ledger import LedgerEntry
from harness.sandboxes import Sandboxes
from harness.sandboxes.catalog import FieldCatalog


@dataclass
class ReconciliationReport:
    objects: list[ObjectReconciliation]
    orphans: OrphanReport
    max_orphans: int = 0

    @property
    def counts_ok(self) -> bool:
        return all(o.within_tolerance for o in self.objects)

    @property
    def fields_ok(self) -> bool:
        return all(o.mismatched_pairs == 0 for o in self.objects)

    @property
    def totals_ok(self) -> bool:
        return all(t.ok for o in self.objects for t in o.totals)

    @property
    def orphans_ok(self) -> bool:
        return self.orphans.real_count <= self.max_orphans

    @property
    def clean(self) -> bool:
        return self.counts_ok and self.fields_ok and self.totals_ok and self.orphans_ok

    def as_dict(self) -> dict[str, Any]:
        return {"clean": self.clean, "counts_ok": self.counts_ok, "fields_ok": self.fields_ok,
                "totals_ok": self.totals_ok, "orphans_ok": self.orphans_ok,
                "objects": [o.as_dict() for o in self.objects],
                "orphans": {"by_class": self.orphans.by_class(), "classes": {**ORPHAN_CLASSES, **NOTED_CLASSES},
                            "records": [o.__dict__ for o in self.orphans.orphans[:200]]}}


def owner_ids(sandboxes: Sandboxes) -> dict[str, str]:
    """Salesforce User id -> HubSpot owner id, matched by e-mail as the connector matches owners."""
    users = {str(u.get("Email", "")).lower(): u["Id"] for u in sandboxes.salesforce.query_all("SELECT Id, Email FROM User")}
    owners: dict[str, str] = {}
    with contextlib.suppress(Exception):
        api = sandboxes.hubspot.client.crm.owners.owners_api
        page = sandboxes.hubspot._call(api.get_page, limit=500)
        for owner in page.results or []:
            user = users.get(str(owner.email or "").lower())
            if user:
                owners[user] = str(owner.id)
    return owners


def write_report(report: ReconciliationReport, out_dir: Path) -> None:
    """summary.csv, report.json and report.md: the same files whichever population and engine made the report."""
    results = report.objects
    out_dir.mkdir(parents=True, exist_ok=True)
    write_summary_csv(results, out_dir / "summary.csv")
    (out_dir / "report.json").write_text(json.dumps(report.as_dict(), indent=2, default=str), encoding="utf-8")
    markdown = ["# Reconciliation", "", summary_table(results), ""]
    for result in results:
        if any(t.groups for t in result.totals):
            markdown += [f"## {result.name}: key totals", "", totals_table(result), ""]
    markdown += ["## Orphans", ""] + [f"- {ORPHAN_CLASSES.get(k) or NOTED_CLASSES.get(k)}: {n}"
                                      for k, n in report.orphans.by_class().items()]
    (out_dir / "report.md").write_text("\n".join(markdown) + "\n", encoding="utf-8")


def reconcile_population(sandboxes: Sandboxes, profile: Profile,
                         population: Population, out_dir: Path | None = None,
                         catalog: FieldCatalog | None = None) -> ReconciliationReport:
    catalog = catalog or FieldCatalog(sandboxes)
    owners = owner_ids(sandboxes)
    objects = list(profile.reconciliation.objects) if profile.reconciliation else ["contacts"]
    orphans = find_orphans(population, profile)
    noted = {(o.object, o.id) for o in orphans.orphans if o.kind in NOTED_CLASSES}
    results: list[ObjectReconciliation] = []
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    for hubspot_object in objects:
        if not any(m.hubspot_object == hubspot_object for m in profile.field_mappings):
            continue
        spec = object_spec(profile, catalog, hubspot_object, owners)
        extra = {t.salesforce_group[2:] for t in spec.totals if t.salesforce_group} | \
                {t.salesforce_value[2:] for t in spec.totals if t.salesforce_value}
        hubspot_rows, salesforce_rows = project(profile, population, spec, extra, noted)
        results.append(reconcile_object(spec, [hubspot_rows], [salesforce_rows],
                                        out_dir / f"{hubspot_object}-mismatches.csv" if out_dir else None))
    max_orphans = sum(t.max_orphans for t in profile.reconciliation.objects.values()) if profile.reconciliation else 0
    report = ReconciliationReport(results, orphans, max_orphans)
    if out_dir:
        write_report(report, out_dir)
    return report


def reconcile_run(sandboxes: Sandboxes, profile: Profile, entries: list[LedgerEntry],
                  out_dir: Path | None = None, catalog: FieldCatalog | None = None) -> ReconciliationReport:
    """Gather the population by id and reconcile it (pass a catalog to reuse its describe reads)."""
    catalog = catalog or FieldCatalog(sandboxes)
    hubspot_fields, salesforce_fields = wanted_fields(profile)
    population = gather(sandboxes, entries, hubspot_fields, salesforce_fields, catalog)
    return reconcile_population(sandboxes, profile, population, out_dir, catalog)
