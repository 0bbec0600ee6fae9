"""Whole-population reconciliation: every record of each reconciled object on both sides, not only the run's.

    report = reconcile_whole(sandboxes, profile, out_dir, scope="all")

extracts each object the way the platform intends at volume (`extract.py`: Salesforce Bulk 2.0 query jobs,
HubSpot CRM exports with list paging as the fallback; resumable), loads the files into one DuckDB database,
projects them onto the profile's mappings as the run's reconciliation does (`from_profile.project`: contacts
outside the inclusion list, deleted and converted records and noted duplicates left out), counts the orphan
classes in SQL (`whole_orphans.py`) and compares every pair in the DuckDB engine (`duck_engine.py`). It writes
the run's report files into `out_dir` (summary.csv, <object>-mismatches.csv, report.md, report.json, as
`run.write_report`) plus `extraction.json` (per object: path, rows, files; API calls against the minimum the
extraction path allows), and returns the same `ReconciliationReport` as the run's reconciliation, with the
profile's variance thresholds. `scope="run"` reconciles the run's ledger (`entries`) instead, as `uat run` does.

Used by `uat reconcile` and by `uat monitor weekly`. The extracted files stay in `out_dir/extract` so a killed
extraction resumes; the database is a scratch file removed at the end.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb

from harness.errors import UserError
from harness.profile import Profile
from harness.reconcile.duck_engine import Layout, compare_sides, create_sides, open_database
from harness.reconcile.duck_sql import literal
from harness.reconcile.extract import BULK_PAGE, LIST_PAGE, Extracted, Extractor
from harness.reconcile.from_profile import NATURAL_KEYS, object_spec, wanted_fields
from harness.reconcile.population import STATE_FIELDS
from harness.reconcile.run import ReconciliationReport, owner_ids, reconcile_run, write_report
from harness.reconcile.spec import ObjectSpec
from harness.reconcile.whole_orphans import find_orphans_sql, q
from harness.run.ledger import LedgerEntry
from harness.sandboxes import Sandboxes
from harness.sandboxes.catalog import FieldCatalog
from harness.sync.objects import LINKS

DEFAULT_SALESFORCE = {"Lead", "Contact", "Account", "Opportunity"}


def _inclusion_sql(profile: Profile, columns: set[str]) -> str:
    """`scope.in_inclusion_list` as a SQL predicate over the contacts table."""
    inclusion = profile.inclusion_list
    if inclusion is None or not inclusion.enabled or not inclusion.filters:
        return "true"
    parts = []
    for rule in inclusion.filters:
        column = q(rule.property) if rule.property in columns else "CAST(NULL AS VARCHAR)"
        present = f"({column} IS NOT NULL AND {column} <> '')"
        text = f"lower({column})"
        listed = rule.value if isinstance(rule.value, list) else [rule.value]
        options = ", ".join(literal(str(v).lower()) for v in listed)
        value = literal(str(rule.value).lower())
        parts.append({
            "HAS_PROPERTY": present, "NOT_HAS_PROPERTY": f"NOT {present}",
            "EQ": f"({present} AND {text} = {value})", "NEQ": f"(NOT {present} OR {text} <> {value})",
            "IN": f"({present} AND {text} IN ({options}))", "NOT_IN": f"(NOT {present} OR {text} NOT IN ({options}))",
        }[rule.operator])
    return " AND ".join(parts)


def _load(db: duckdb.DuckDBPyConnection, table: str, extracted: Extracted) -> set[str]:
    files = "[" + ", ".join(literal(str(f)) for f in extracted.files) + "]"
    if extracted.files:
        db.execute(f"CREATE OR REPLACE TABLE {q(table)} AS SELECT * FROM read_csv({files}, header = true, "
                   "all_varchar = true, delim = ',', quote = '\"', escape = '\"', union_by_name = true)")
    else:
        db.execute(f"CREATE OR REPLACE TABLE {q(table)} ({', '.join(q(c) + ' VARCHAR' for c in extracted.header)})")
    return {row[0] for row in db.execute(f"DESCRIBE {q(table)}").fetchall()}


def _project(db: duckdb.DuckDBPyConnection, profile: Profile, spec: ObjectSpec, layout: Layout,
             hs_columns: set[str], sf_columns: dict[str, set[str]], included: str) -> None:
    """Fill `hs` and `sf` for one object pair, as `from_profile.project` shapes the run's population."""
    create_sides(db, layout)

    def column(name: str | None, present: set[str], alias: str) -> str:
        return f"{alias}.{q(name)}" if name and name in present else "CAST(NULL AS VARCHAR)"

    def key(expression: str) -> str:
        return f"CASE WHEN {expression} IS NULL OR {expression} = '' THEN NULL ELSE lower(trim({expression})) END"

    links = [column(p, hs_columns, "h") for p, _ in LINKS.get(spec.hubspot_object, [])]
    link = "COALESCE(" + ", ".join(f"NULLIF({x}, '')" for x in links) + ")" if links else "NULL"
    where = included if spec.hubspot_object == "contacts" else "true"
    values = "".join(f", {column(n, hs_columns, 'h')}" for n in layout.hs_names)
    db.execute(f"INSERT INTO hs SELECT row_number() OVER (), h.hs_object_id, {link}, "
               f"{key(column(spec.hubspot_key, hs_columns, 'h'))}{values} FROM {q('hs_' + spec.hubspot_object)} h "
               f"WHERE {where}")
    field_of: dict[tuple[str, str], str] = {}
    for mapping in profile.field_mappings:
        if mapping.hubspot_object == spec.hubspot_object:
            for sobject in mapping.salesforce_objects:
                field_of[(sobject, mapping.hubspot_property)] = mapping.salesforce_field
    by_column = {f.salesforce: f.hubspot for f in spec.fields}
    natural = NATURAL_KEYS.get(spec.hubspot_object, (None, None))[1]
    offset = 0
    for sobject in spec.salesforce_object.split("/"):
        present = sf_columns.get(sobject)
        if present is None:
            continue
        chosen = []
        for name in layout.sf_names:
            source = field_of.get((sobject, by_column[name])) if name in by_column else name[2:]
            chosen.append(column(source, present, "s"))
        gone = []
        if "IsDeleted" in present:
            gone.append("lower(COALESCE(s.\"IsDeleted\", '')) = 'true'")
        if sobject == "Lead" and "IsConverted" in present:
            gone.append("lower(COALESCE(s.\"IsConverted\", '')) = 'true'")
        alive = f"NOT ({' OR '.join(gone)})" if gone else "true"
        db.execute(f"INSERT INTO sf SELECT {offset} + row_number() OVER (), s.\"Id\", "
                   f"{key(column(natural, present, 's'))}{''.join(', ' + c for c in chosen)} FROM {q('sf_' + sobject)} s "
                   f"WHERE {alive} AND NOT EXISTS (SELECT 1 FROM noted n WHERE n.sobject = {literal(sobject)} "
                   f"AND n.id = s.\"Id\")")
        offset = int((db.execute("SELECT max(rid) FROM sf").fetchone() or [0])[0] or 0)


def _minimum_calls(extracted: Extracted, bulk_page: int) -> int:
    if extracted.path == "bulk2":  # create the job, one status, one call per results page
        return 2 + max(1, math.ceil(extracted.rows / bulk_page))
    if extracted.path == "export":  # start, one status; the file comes from the file host, not the API
        return 2
    return max(1, math.ceil(extracted.rows / LIST_PAGE))


def reconcile_whole(sandboxes: Sandboxes, profile: Profile, out_dir: Path, scope: str = "all",
                    entries: list[LedgerEntry] | None = None, bulk_page: int = BULK_PAGE) -> ReconciliationReport:
    """Reconcile every record of each reconciled object (`scope="all"`), or the run's ledger (`scope="run"`,
    `entries` required), and write the report files into `out_dir`. Read-only on both platforms."""
    if scope == "run":
        if entries is None:
            raise UserError("reconciliation.scope run: name the run whose records to reconcile (--run RUN)")
        return reconcile_run(sandboxes, profile, entries, out_dir)
    if scope != "all":
        raise UserError(f"reconciliation scope {scope!r}: use all or run")
    out_dir.mkdir(parents=True, exist_ok=True)
    catalog = FieldCatalog(sandboxes)
    owners = owner_ids(sandboxes)
    hubspot_fields, salesforce_fields = wanted_fields(profile)
    objects = list(profile.reconciliation.objects) if profile.reconciliation else ["contacts"]
    specs = [object_spec(profile, catalog, o, owners) for o in objects
             if any(m.hubspot_object == o for m in profile.field_mappings)]
    # What to read, decided before the first extraction call (describes are not extraction's calls).
    hubspot_wanted: dict[str, list[str]] = {}
    salesforce_wanted: dict[str, list[str]] = {}
    for spec in specs:
        key_property = NATURAL_KEYS.get(spec.hubspot_object, (None, None))[0]
        names = set(hubspot_fields.get(spec.hubspot_object, set())) | {p for p, _ in LINKS.get(spec.hubspot_object, [])}
        if key_property:
            names.add(key_property)
        if spec.hubspot_object == "companies":
            names.add("name")  # the orphan sentence names the company
        hubspot_wanted[spec.hubspot_object] = sorted(n for n in names
                                                     if catalog.hubspot(spec.hubspot_object, n) is not None)
        extra = {t.salesforce_group[2:] for t in spec.totals if t.salesforce_group} | \
                {t.salesforce_value[2:] for t in spec.totals if t.salesforce_value}
        natural = NATURAL_KEYS.get(spec.hubspot_object, (None, None))[1]
        for sobject in spec.salesforce_object.split("/"):
            wanted = salesforce_fields.get(sobject, set()) | set(STATE_FIELDS.get(sobject, ["IsDeleted"])) | extra | \
                ({natural} if natural else set()) | {"Name", "Email"}
            fields = {n for n in wanted - {"Id"} if catalog.salesforce(sobject, n) is not None}
            salesforce_wanted[sobject] = sorted(fields | set(salesforce_wanted.get(sobject, [])))
    extractor = Extractor(sandboxes, out_dir / "extract", bulk_page)
    calls_before = dict(sandboxes.budget.used)
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    hubspot: dict[str, Extracted] = {}
    salesforce: dict[str, Extracted] = {}
    for system, wanted_by_object, read, into in (("hubspot", hubspot_wanted, extractor.hubspot, hubspot),
                                                  ("salesforce", salesforce_wanted, extractor.salesforce, salesforce)):
        for name, columns in wanted_by_object.items():
            mark = time.perf_counter()
            into[name] = read(name, columns)
            seconds[f"{system}/{name}"] = round(time.perf_counter() - mark, 1)
    extraction_s = time.perf_counter() - started
    calls = {system: sandboxes.budget.used[system] - calls_before.get(system, 0) for system in ("salesforce", "hubspot")}
    scratch = out_dir / "engine"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    db = open_database(scratch / "reconcile.duckdb")
    try:
        hs_columns = {o: _load(db, f"hs_{o}", e) for o, e in hubspot.items()}
        sf_columns = {o: _load(db, f"sf_{o}", e) for o, e in salesforce.items()}
        included = _inclusion_sql(profile, hs_columns.get("contacts", set()))
        expected = {s for t in (profile.reconciliation.objects.values() if profile.reconciliation else [])
                    for s in t.salesforce} or DEFAULT_SALESFORCE
        orphans = find_orphans_sql(db, hs_columns, sf_columns, included, expected)
        results = []
        for spec in specs:
            layout = Layout.of(spec)
            _project(db, profile, spec, layout, hs_columns[spec.hubspot_object], sf_columns, included)
            results.append(compare_sides(db, spec, layout, out_dir / f"{spec.hubspot_object}-mismatches.csv"))
    finally:
        db.close()
        shutil.rmtree(scratch, ignore_errors=True)
    max_orphans = sum(t.max_orphans for t in profile.reconciliation.objects.values()) if profile.reconciliation else 0
    report = ReconciliationReport(results, orphans, max_orphans)
    write_report(report, out_dir)
    _write_extraction(out_dir, hubspot, salesforce, calls, extraction_s, time.perf_counter() - started, bulk_page,
                      seconds)
    return report


def _write_extraction(out_dir: Path, hubspot: dict[str, Extracted], salesforce: dict[str, Extracted],
                      calls: dict[str, int], extraction_s: float, total_s: float, bulk_page: int,
                      seconds: dict[str, float]) -> None:
    objects: list[dict[str, Any]] = [
        {"system": e.system, "object": e.object, "path": e.path, "rows": e.rows, "files": len(e.files),
         "minimum_calls": _minimum_calls(e, bulk_page), "seconds": seconds.get(f"{e.system}/{e.object}")}
        for e in [*hubspot.values(), *salesforce.values()]]
    minimum = {system: sum(o["minimum_calls"] for o in objects if o["system"] == system)
               for system in ("salesforce", "hubspot")}
    (out_dir / "extraction.json").write_text(json.dumps({
        "objects": objects, "api_calls": calls, "minimum_calls": minimum,
        "extraction_seconds": round(extraction_s, 1), "total_seconds": round(total_s, 1)}, indent=2), encoding="utf-8")
