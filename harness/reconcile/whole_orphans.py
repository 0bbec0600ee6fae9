"""The orphan classes of `orphans.py`, counted over whole populations in SQL instead of dictionaries in memory.

The raw extracted tables are `hs_<object>` (HubSpot, `hs_object_id` first) and `sf_<Object>` (Salesforce, Bulk 2.0
CSV: booleans as 'true'/'false'); `included` is the inclusion-list predicate over a contact's columns. Counts are
exact; each class keeps its first records (by id) as examples, with the same sentence as the run's report.
"""

from __future__ import annotations

from typing import Any

import duckdb

from harness.reconcile.duck_sql import literal
from harness.reconcile.orphans import NOTED_CLASSES, ORPHAN_CLASSES, Orphan, OrphanReport
from harness.sync.objects import LINKS

EXAMPLES = 200


class CountedOrphans(OrphanReport):
    """An OrphanReport whose counts come from SQL; `orphans` holds examples, not every record."""

    def __init__(self, counts: dict[str, int], examples: list[Orphan]) -> None:
        super().__init__(examples)
        self.counts = counts

    def by_class(self) -> dict[str, int]:
        return {kind: self.counts.get(kind, 0) for kind in [*ORPHAN_CLASSES, *NOTED_CLASSES]}

    @property
    def real_count(self) -> int:
        return sum(n for kind, n in self.counts.items() if kind in ORPHAN_CLASSES)


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _true(column: str) -> str:
    return f"(lower(COALESCE({column}, '')) = 'true')"


def find_orphans_sql(db: duckdb.DuckDBPyConnection, hubspot: dict[str, set[str]], salesforce: dict[str, set[str]],
                     included: str, expected: set[str]) -> CountedOrphans:
    """Count every orphan class; `hubspot`/`salesforce`: the extracted objects and their columns. Leaves the
    Salesforce records noted as duplicates of a synced record in table `noted (sobject, id)`: reported apart, they
    stay out of the comparison, as in the run's reconciliation."""
    queries: list[tuple[str, str, str, str]] = []  # (kind, system, object, SELECT id, detail ...)
    linked_parts = []
    for object_type, columns in hubspot.items():
        table = q(f"hs_{object_type}")
        for prop, sobject in LINKS.get(object_type, []):
            if prop not in columns:
                continue
            linked_parts.append(f"SELECT {literal(sobject)} AS sobject, {q(prop)} AS sf_id FROM {table} "
                                f"WHERE {q(prop)} IS NOT NULL AND {q(prop)} <> ''")
            if sobject not in salesforce:
                continue
            fields = salesforce[sobject]
            sf_table = q(f"sf_{sobject}")
            join = f"FROM {table} h JOIN {sf_table} s ON s.\"Id\" = h.{q(prop)}"
            if "MasterRecordId" in fields:
                queries.append(("link_to_merged", "hubspot", object_type,
                                f"SELECT h.hs_object_id, '{prop}=' || s.\"Id\" || ' was merged into ' || s.\"MasterRecordId\" "
                                f"{join} WHERE COALESCE(s.\"MasterRecordId\", '') <> ''"))
            if "IsDeleted" in fields:
                deleted = _true('s."IsDeleted"')
                merged = "COALESCE(s.\"MasterRecordId\", '') = '' AND " if "MasterRecordId" in fields else ""
                queries.append(("link_to_deleted", "hubspot", object_type,
                                f"SELECT h.hs_object_id, '{prop}=' || s.\"Id\" || ' is deleted' {join} "
                                f"WHERE {merged}{deleted}"))
            if sobject == "Lead" and "IsConverted" in fields:
                contact = "salesforcecontactid"
                no_contact = f"COALESCE(h.{q(contact)}, '') = ''" if contact in columns else "true"
                converted = _true('s."IsConverted"')
                converted_to = "s.\"ConvertedContactId\"" if "ConvertedContactId" in fields else "NULL"
                queries.append(("link_to_converted_lead", "hubspot", object_type,
                                f"SELECT h.hs_object_id, 'Lead ' || s.\"Id\" || ' was converted to Contact ' || "
                                f"COALESCE({converted_to}, 'None') {join} WHERE {converted} AND {no_contact}"))
        links = [p for p, _ in LINKS.get(object_type, []) if p in columns]
        has_link = "(" + " OR ".join(f"COALESCE({q(p)}, '') <> ''" for p in links) + ")" if links else "false"
        if object_type == "contacts":
            email = q("email") if "email" in columns else "NULL"
            queries.append(("never_synced", "hubspot", "contacts",
                            f"SELECT hs_object_id, {email} || ' has no Salesforce id' FROM {table} "
                            f"WHERE ({included}) AND NOT {has_link} AND COALESCE({email}, '') <> ''"))
            queries.append(("outside_inclusion_synced", "hubspot", "contacts",
                            f"SELECT hs_object_id, COALESCE({email}, 'None') || ' is outside the inclusion list but "
                            f"linked' FROM {table} WHERE NOT ({included}) AND {has_link}"))
        if object_type == "companies":
            name = q("name") if "name" in columns else "NULL"
            queries.append(("company_without_account", "hubspot", "companies",
                            f"SELECT hs_object_id, 'company ' || COALESCE('''' || {name} || '''', 'None') || "
                            f"' has no salesforceaccountid' FROM {table} WHERE NOT {has_link}"))
    linked = " UNION ".join(linked_parts) or "SELECT NULL AS sobject, NULL AS sf_id WHERE false"
    db.execute(f"CREATE OR REPLACE TEMP TABLE linked AS {linked}")
    email_parts = [f"SELECT lower(trim(s.\"Email\")) AS email FROM {q(f'sf_{o}')} s JOIN linked l ON l.sobject = "
                   f"{literal(o)} AND l.sf_id = s.\"Id\"" for o, fields in salesforce.items() if "Email" in fields]
    db.execute("CREATE OR REPLACE TEMP TABLE linked_emails AS " + (
        " UNION ".join(email_parts) if email_parts else "SELECT NULL AS email WHERE false"))
    db.execute("CREATE OR REPLACE TEMP TABLE noted (sobject VARCHAR, id VARCHAR)")
    for sobject, fields in salesforce.items():
        if sobject not in expected:
            continue
        table = q(f"sf_{sobject}")
        live = [_true('s."IsDeleted"')] if "IsDeleted" in fields else []
        if sobject == "Lead" and "IsConverted" in fields:
            live.append(_true('s."IsConverted"'))
        alive = f"NOT ({' OR '.join(live)})" if live else "true"
        unlinked = f"NOT EXISTS (SELECT 1 FROM linked l WHERE l.sobject = {literal(sobject)} AND l.sf_id = s.\"Id\")"
        email = "s.\"Email\"" if "Email" in fields else "NULL"
        label = f"COALESCE(NULLIF({email}, ''), " + ("NULLIF(s.\"Name\", ''), " if "Name" in fields else "") + "s.\"Id\")"
        duplicate = f"COALESCE(lower(trim({email})), '') IN (SELECT email FROM linked_emails WHERE email <> '')"
        base = f"SELECT s.\"Id\", '{sobject} ' || {label} || ' has no HubSpot record' FROM {table} s WHERE {alive} AND {unlinked}"
        queries.append(("duplicate_of_synced", "salesforce", sobject, f"{base} AND {duplicate}"))
        queries.append(("salesforce_unsynced", "salesforce", sobject, f"{base} AND NOT {duplicate}"))
        db.execute(f"INSERT INTO noted SELECT {literal(sobject)}, \"Id\" FROM ({base} AND {duplicate})")
    counts: dict[str, int] = {}
    examples: list[Orphan] = []
    for kind, system, object_type, select in queries:
        found = db.execute(f"SELECT count(*) FROM ({select})").fetchone()
        counts[kind] = counts.get(kind, 0) + int(found[0] if found else 0)
        if found and found[0]:
            rows: list[Any] = db.execute(f"SELECT * FROM ({select}) ORDER BY 1 LIMIT {EXAMPLES}").fetchall()
            examples += [Orphan(kind, system, object_type, str(r[0]), str(r[1])) for r in rows]
    return CountedOrphans(counts, examples)
