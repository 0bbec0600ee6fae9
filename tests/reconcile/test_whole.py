"""Whole-population reconciliation on the twin: Bulk 2.0 query jobs and CRM exports, the DuckDB engine, and the
same answer as the run's reconciliation (list reads, the row-by-row engine) over the same population."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from simple_salesforce import Salesforce

from harness.errors import UserError
from harness.profile import load_profile
from harness.reconcile.population import STATE_FIELDS, Population
from harness.reconcile.run import reconcile_population
from harness.reconcile.whole import reconcile_whole
from harness.sandboxes import Sandboxes, connect
from harness.sandboxes.twin_target import twin_credentials
from harness.sync.objects import LINKS
from harness.twin import Twin
from harness.twin.volume import fill_contacts

PROFILE = Path(__file__).resolve().parents[2] / "fixtures" / "profiles" / "default.yaml"


@pytest.fixture
def sandboxes(twin: Twin) -> Sandboxes:
    return connect(twin_credentials(twin.info()))


def _population_by_list_reads(sandboxes: Sandboxes, profile: Any) -> Population:
    """Everything, read the ordinary way (list pages, SOQL queryAll): the reference path's input."""
    from harness.reconcile.from_profile import wanted_fields
    from harness.sandboxes.catalog import FieldCatalog

    catalog = FieldCatalog(sandboxes)
    hubspot_fields, salesforce_fields = wanted_fields(profile)
    population = Population()
    for object_type, tolerance in profile.reconciliation.objects.items():
        names = sorted(n for n in hubspot_fields.get(object_type, set()) | {p for p, _ in LINKS[object_type]} |
                       {"email", "name"} if catalog.hubspot(object_type, n) is not None)
        api = sandboxes.hubspot.api(object_type, "basic_api")
        after = None
        while True:
            page = api.get_page(limit=100, after=after, properties=names)
            population.hubspot[object_type].update({r.id: dict(r.properties) for r in page.results})
            after = page.paging.next.after if page.paging and page.paging.next else None
            if not after:
                break
        for sobject in tolerance.salesforce:
            wanted = salesforce_fields.get(sobject, set()) | set(STATE_FIELDS.get(sobject, [])) | {"Email", "Name"}
            fields = sorted(n for n in wanted - {"Id"} if catalog.salesforce(sobject, n) is not None)
            for record in sandboxes.salesforce.query_all(f"SELECT Id, {', '.join(fields)} FROM {sobject}",
                                                         include_deleted=True):
                record.pop("attributes", None)
                population.salesforce[sobject][record["Id"]] = record
    return population


def _plant(twin: Twin, sf: Salesforce, hs: Any) -> None:
    """Orphans of several classes and field differences, on top of a clean synced population."""
    fill_contacts(twin, 240, differ_every=40)
    leads = sf.query("SELECT Id FROM Lead ORDER BY Id LIMIT 3")["records"]
    sf.Lead.delete(leads[0]["Id"])  # linked, then deleted: link_to_deleted
    sf.Lead.update(leads[1]["Id"], {"Title": "Changed in Salesforce only"})
    sf.Lead.create({"LastName": "Unsynced", "Company": "Nowhere", "Email": "unsynced@volume.example.com"})
    sf.Contact.create({"LastName": "Twin", "Email": "lead2@volume.example.com"})  # a duplicate of a synced one
    hs.crm.contacts.basic_api.create({"properties": {"email": "never.synced@volume.example.com", "firstname": "N"}})
    hs.crm.contacts.basic_api.create({"properties": {"email": "sub@volume.example.com",
                                                     "lifecyclestage": "subscriber"}})


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [rows[0], *sorted(rows[1:])]


def _summary(report: Any) -> dict[str, Any]:
    out = report.as_dict()
    for item in out["objects"]:
        item.pop("evidence")
        item.pop("mismatch_csv")
    out["orphans"].pop("records")
    return out


def test_whole_population_gives_the_run_reconciliations_answer(twin: Twin, sf: Salesforce, hs: Any,
                                                                 sandboxes: Sandboxes, tmp_path: Path) -> None:
    _plant(twin, sf, hs)
    profile = load_profile(PROFILE)
    whole = reconcile_whole(sandboxes, profile, tmp_path / "whole")
    reference = reconcile_population(sandboxes, profile, _population_by_list_reads(sandboxes, profile),
                                     tmp_path / "reference")
    orphans = whole.orphans.by_class()
    assert orphans["link_to_deleted"] == 1 and orphans["salesforce_unsynced"] == 1
    assert orphans["never_synced"] == 1 and orphans["duplicate_of_synced"] == 1
    contacts = whole.objects[0]
    assert contacts.mismatched_pairs == 7  # 6 planted first names, 1 title changed in Salesforce only
    assert _summary(whole) == _summary(reference)
    assert _csv(tmp_path / "whole" / "contacts-mismatches.csv") == _csv(tmp_path / "reference" / "contacts-mismatches.csv")
    assert {(o.kind, o.id) for o in whole.orphans.orphans} == {(o.kind, o.id) for o in reference.orphans.orphans}
    for name in ("summary.csv", "report.md"):
        assert (tmp_path / "whole" / name).read_text() == (tmp_path / "reference" / name).read_text()


def test_extraction_uses_bulk_queries_and_exports_at_the_minimum_calls(twin: Twin, sandboxes: Sandboxes,
                                                                       tmp_path: Path) -> None:
    fill_contacts(twin, 120)
    reconcile_whole(sandboxes, load_profile(PROFILE), tmp_path, bulk_page=50)
    extraction = json.loads((tmp_path / "extraction.json").read_text())
    paths = {(o["system"], o["object"]): o for o in extraction["objects"]}
    assert paths[("salesforce", "Lead")]["path"] == "bulk2" and paths[("salesforce", "Lead")]["files"] == 2
    assert paths[("hubspot", "contacts")]["path"] == "export" and paths[("hubspot", "contacts")]["rows"] == 120
    assert extraction["api_calls"] == extraction["minimum_calls"]


def test_a_killed_extraction_resumes_after_the_last_page_it_downloaded(twin: Twin, sandboxes: Sandboxes,
                                                                       tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from harness.reconcile import extract

    fill_contacts(twin, 200)
    profile = load_profile(PROFILE)
    original = extract.Manifest.save
    saves = {"n": 0}

    def dies_after_a_few_pages(self: extract.Manifest) -> None:
        original(self)
        saves["n"] += 1
        lead = self.entries.get("salesforce/Lead", {})
        if len(lead.get("files", [])) == 2 and not lead.get("done"):
            raise KeyboardInterrupt  # killed between two result pages

    monkeypatch.setattr(extract.Manifest, "save", dies_after_a_few_pages)
    with pytest.raises(KeyboardInterrupt):
        reconcile_whole(sandboxes, profile, tmp_path, bulk_page=30)
    monkeypatch.setattr(extract.Manifest, "save", original)
    report = reconcile_whole(sandboxes, profile, tmp_path, bulk_page=30)
    extraction = json.loads((tmp_path / "extraction.json").read_text())
    manifest = json.loads((tmp_path / "extract" / "manifest.json").read_text())
    assert len(manifest["salesforce/Lead"]["files"]) == 4  # 100 Leads, 30 a page: pages 1-2 kept, 3-4 fetched
    assert report.objects[0].hubspot_count == report.objects[0].salesforce_count == 200
    # resumed: HubSpot's finished exports are not asked again; Salesforce: one check that the Lead job still exists
    # and its last 2 pages, then Contact (job, status, 4 pages), Account and Opportunity (job, status, 1 page)
    assert extraction["api_calls"] == {"hubspot": 0, "salesforce": 1 + 2 + 6 + 3 + 3}


def test_an_export_over_2_mb_arrives_zipped_and_is_read_whole(twin: Twin, sandboxes: Sandboxes, tmp_path: Path) -> None:
    fill_contacts(twin, 20_000)
    report = reconcile_whole(sandboxes, load_profile(PROFILE), tmp_path)
    manifest = json.loads((tmp_path / "extract" / "manifest.json").read_text())
    assert manifest["hubspot/contacts"]["zipped"] is True  # the twin zips a CSV export over 2 MB, as HubSpot does
    assert report.objects[0].hubspot_count == report.objects[0].compared_pairs == 20_000
    assert report.clean


def test_when_the_portal_refuses_an_export_list_pages_are_read_instead(twin: Twin, hs: Any, sandboxes: Sandboxes,
                                                                       tmp_path: Path) -> None:
    from hubspot.crm.exports import PublicExportViewRequest

    fill_contacts(twin, 150)
    for n in range(30):  # the portal's 30 exports in a rolling 24 hours, spent
        hs.crm.exports.public_exports_api.start(public_export_request=PublicExportViewRequest(
            export_type="VIEW", format="CSV", export_name=f"spent {n}", object_type="contacts",
            object_properties=["email"], language="EN"))
    report = reconcile_whole(sandboxes, load_profile(PROFILE), tmp_path)
    extraction = json.loads((tmp_path / "extraction.json").read_text())
    contacts = next(o for o in extraction["objects"] if o["object"] == "contacts")
    assert contacts["path"] == "list" and contacts["rows"] == 150 and contacts["minimum_calls"] == 2
    assert report.objects[0].compared_pairs == 150 and report.clean


def test_an_export_still_processing_is_polled_until_its_file_is_ready(twin: Twin, sandboxes: Sandboxes,
                                                                      tmp_path: Path) -> None:
    fill_contacts(twin, 60)
    assert sandboxes.control is not None
    sandboxes.control.faults("hubspot", {"export_processing_ms": 1200})  # HubSpot prepares files asynchronously
    report = reconcile_whole(sandboxes, load_profile(PROFILE), tmp_path)
    extraction = json.loads((tmp_path / "extraction.json").read_text())
    assert report.objects[0].compared_pairs == 60 and report.clean
    # each export: the start, then status calls until COMPLETE (more than the one a ready file needs)
    assert extraction["api_calls"]["hubspot"] > extraction["minimum_calls"]["hubspot"]


def test_scope_run_reconciles_only_the_ledgers_records(twin: Twin, sandboxes: Sandboxes, tmp_path: Path) -> None:
    from harness.run.ledger import LedgerEntry

    fill_contacts(twin, 40)
    ids = [r.id for r in sandboxes.hubspot.api("contacts", "basic_api").get_page(limit=3).results]
    entries = [LedgerEntry("hubspot", "contacts", i, "run-1", "seed", 0.0) for i in ids]
    report = reconcile_whole(sandboxes, load_profile(PROFILE), tmp_path, "run", entries)
    assert report.objects[0].hubspot_count == report.objects[0].salesforce_count == 3
    assert not (tmp_path / "extract").exists()  # read by id, not extracted
    with pytest.raises(UserError, match="--run RUN"):
        reconcile_whole(sandboxes, load_profile(PROFILE), tmp_path, "run")
