"""Reconcile one object pair in DuckDB: the engine for millions of pairs.

The same contract as `engine.reconcile_object` (the row-by-row reference, kept for the run's population and as
the yardstick): counts within tolerance, pairs matched by the Salesforce id HubSpot holds and then by natural key,
every compared field per sync rule, key totals, unmatched records, a mismatch CSV in the same columns. Here the
work is SQL over columns in one database file: matching is two hash joins, the comparison one scan with each
field's normal form written in SQL (`duck_sql.py`), and DuckDB spills to disk past its memory limit, so neither
time nor memory grows with Python objects per row.

Both sides live in two tables, `hs (rid, id, link, nkey, v0..)` and `sf (rid, id, nkey, v0..)` (rid: a row
number, nkey: the natural key), every value as text: `v<i>` is the i-th field of the spec, then the extra columns key totals read. Whole-population
reconciliation (`whole.py`) fills them straight from the extracted files; `reconcile_object_duck` fills them from
pages of Python records, for the run's population and for the test that holds both engines to one answer.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from harness.reconcile.duck_sql import literal, mismatch
from harness.reconcile.engine import (
    EVIDENCE_LIMIT,
    ObjectReconciliation,
    count_variance,
    evidence_item,
    key_totals,
)
from harness.reconcile.spec import ObjectSpec

NULL = "\\N"  # how a missing value is spelt in the engine's own CSV spill files ('' stays an empty string)
MEMORY_LIMIT = "2GB"  # DuckDB spills past this; the process stays well inside the 4 GB the benchmark allows


@dataclass(frozen=True)
class Layout:
    """Which column of `hs` / `sf` holds which name: the spec's fields first, then what key totals read."""

    hs_names: tuple[str, ...]
    sf_names: tuple[str, ...]

    @classmethod
    def of(cls, spec: ObjectSpec) -> Layout:
        hs_columns = [f.hubspot for f in spec.fields]
        sf_columns = [f.salesforce for f in spec.fields]
        hs_extra = sorted({t.hubspot_group for t in spec.totals if t.hubspot_group} |
                          {t.hubspot_value for t in spec.totals if t.hubspot_value} - set(hs_columns))
        sf_extra = sorted({t.salesforce_group for t in spec.totals if t.salesforce_group} |
                          {t.salesforce_value for t in spec.totals if t.salesforce_value} - set(sf_columns))
        return cls(tuple(hs_columns + hs_extra), tuple(sf_columns + sf_extra))

    def column(self, side: str, name: str) -> str:
        names = self.hs_names if side == "hubspot" else self.sf_names
        return f"v{names.index(name)}"


def open_database(path: Path, memory_limit: str = MEMORY_LIMIT, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    db = duckdb.connect(str(path))
    db.execute(f"SET memory_limit = {literal(memory_limit)}")
    db.execute(f"SET temp_directory = {literal(str(path.parent / 'spill'))}")
    db.execute("SET preserve_insertion_order = false")  # lets joins and copies stream instead of buffering
    db.execute("SET TimeZone = 'UTC'")  # epoch milliseconds and offsets normalise to UTC, as compare.py does
    if threads:
        db.execute(f"SET threads = {int(threads)}")
    return db


def create_sides(db: duckdb.DuckDBPyConnection, layout: Layout) -> None:
    hs_values = "".join(f", v{i} VARCHAR" for i in range(len(layout.hs_names)))
    sf_values = "".join(f", v{i} VARCHAR" for i in range(len(layout.sf_names)))
    db.execute(f"CREATE OR REPLACE TABLE hs (rid BIGINT, id VARCHAR, link VARCHAR, nkey VARCHAR{hs_values})")
    db.execute(f"CREATE OR REPLACE TABLE sf (rid BIGINT, id VARCHAR, nkey VARCHAR{sf_values})")


def _text(value: Any) -> str | None:
    """A Python value as the text the platforms' bulk files would carry it in."""
    if value is None:
        return None
    if isinstance(value, bool):  # as the reference engine's SQLite store keeps a boolean
        return str(int(value))
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _key(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value).strip().lower()


def _spill(rows: Iterable[list[Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        # Text passes as it is and a missing value becomes the null marker; only other types pay a conversion.
        writer.writerows([v if v.__class__ is str else (NULL if v is None else _text(v)) for v in row] for row in rows)


def _copy_in(db: duckdb.DuckDBPyConnection, table: str, columns: list[str], path: Path) -> None:
    """A spill file into `table`, numbering the rows (`rid`) on the way in."""
    types = "{" + ", ".join(f"{literal(c)}: 'VARCHAR'" for c in columns) + "}"
    db.execute(f"INSERT INTO {table} SELECT row_number() OVER (), * FROM read_csv({literal(str(path))}, header = false, "
               f"auto_detect = false, columns = {types}, nullstr = {literal(NULL)}, allow_quoted_nulls = false, "
               f"quote = '\"', escape = '\"', delim = ',')")


def load_pages(db: duckdb.DuckDBPyConnection, spec: ObjectSpec, layout: Layout, work: Path,
               hubspot: Iterable[Iterable[tuple[str, dict[str, Any]]]],
               salesforce: Iterable[Iterable[dict[str, Any]]]) -> None:
    """Pages of Python records into `hs` / `sf`, through one CSV spill per side (DuckDB's fastest way in)."""
    hs_names, sf_names = layout.hs_names, layout.sf_names
    link, hs_key, sf_key = spec.link_property, spec.hubspot_key, spec.salesforce_key
    hs_rows = ([object_id, props.get(link) or None, _key(props.get(hs_key)) if hs_key else None,
                *[props.get(name) for name in hs_names]] for page in hubspot for object_id, props in page)
    _spill(hs_rows, work / "hs.csv")
    _copy_in(db, "hs", ["id", "link", "nkey", *[f"v{i}" for i in range(len(hs_names))]], work / "hs.csv")
    sf_rows = ([r["Id"], _key(r.get(sf_key)) if sf_key else None, *[r.get(name) for name in sf_names]]
               for page in salesforce for r in page)
    _spill(sf_rows, work / "sf.csv")
    _copy_in(db, "sf", ["id", "nkey", *[f"v{i}" for i in range(len(sf_names))]], work / "sf.csv")


def _scalar(db: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = db.execute(sql).fetchone()
    return row[0] if row else None


def match(db: duckdb.DuckDBPyConnection, spec: ObjectSpec) -> dict[str, int]:
    """Pairs by the Salesforce id HubSpot holds, then by natural key among what is left: one partner per key on
    each side, the lowest id winning (the rest are duplicates and stay unmatched), as `store.SideStore.match`."""
    db.execute("CREATE OR REPLACE TEMP TABLE pairs AS SELECT h.rid AS hs_row, s.rid AS sf_row, 'id' AS how "
               "FROM hs h JOIN sf s ON s.id = h.link WHERE h.link IS NOT NULL AND h.link <> ''")
    by_id = _scalar(db, "SELECT count(*) FROM pairs")
    by_key = 0
    if spec.hubspot_key and spec.salesforce_key:
        # The candidates are set apart first: a query reading `pairs` while inserting into it is planned poorly.
        for side, table, column in (("h", "hs", "hs_row"), ("s", "sf", "sf_row")):
            db.execute(f"CREATE OR REPLACE TEMP TABLE key_{side} AS SELECT nkey, min(id) AS id, arg_min(rid, id) AS rid "
                       f"FROM {table} t ANTI JOIN pairs p ON p.{column} = t.rid WHERE t.nkey IS NOT NULL GROUP BY nkey")
        db.execute("INSERT INTO pairs SELECT h.rid, s.rid, 'key' FROM key_h h JOIN key_s s ON s.nkey = h.nkey")
        by_key = _scalar(db, "SELECT count(*) FROM pairs") - by_id
    return {"by_id": int(by_id), "by_key": int(by_key)}


def _write_mismatches(db: duckdb.DuckDBPyConnection, spec: ObjectSpec, active: list[int], path: Path) -> None:
    parts = [f"SELECT hs_id, sf_id, how, {i} AS fi, {literal(spec.fields[i].hubspot)} AS hubspot_property, "
             f"{literal(spec.fields[i].salesforce_label)} AS salesforce_field, {literal(spec.fields[i].rule.value)} AS rule, "
             f"h{i} AS hubspot_value, s{i} AS salesforce_value, {literal(spec.fields[i].system_of_record)} AS "
             f"system_of_record FROM bad WHERE m{i}" for i in active]
    body = " UNION ALL ".join(parts) if parts else (
        "SELECT NULL AS hs_id, NULL AS sf_id, NULL AS how, 0 AS fi, NULL AS hubspot_property, NULL AS salesforce_field, "
        "NULL AS rule, NULL AS hubspot_value, NULL AS salesforce_value, NULL AS system_of_record WHERE false")
    db.execute(f"COPY (SELECT hs_id AS hubspot_id, sf_id AS salesforce_id, how AS matched_by, hubspot_property, "
               f"salesforce_field, rule, hubspot_value, salesforce_value, system_of_record FROM ({body}) "
               f"ORDER BY hubspot_id, salesforce_id, fi) TO {literal(str(path))} (HEADER, DELIMITER ',')")


def compare_sides(db: duckdb.DuckDBPyConnection, spec: ObjectSpec, layout: Layout, mismatch_csv: Path | None = None,
                  evidence_limit: int = EVIDENCE_LIMIT) -> ObjectReconciliation:
    """Reconcile what `hs` and `sf` hold (filled by `load_pages` or by whole-population loading)."""
    matched = match(db, spec)
    expressions = {i: mismatch(f, f"h.v{i}", f"s.v{i}") for i, f in enumerate(spec.fields)}
    active = [i for i, sql in expressions.items() if sql is not None]
    width = len(spec.fields)
    values = "".join(f", h.v{i} AS h{i}, s.v{i} AS s{i}" for i in range(width))
    flags = "".join(f", {expressions[i]} AS m{i}" for i in active)
    where = " OR ".join(f"m{i}" for i in active) or "false"
    # Pairs by id are compared straight off the join that found them (one hash join carries the values, not three);
    # the few pairs by key go through the pairs table.
    db.execute(f"CREATE OR REPLACE TEMP TABLE bad AS SELECT * FROM (SELECT h.id AS hs_id, s.id AS sf_id, 'id' AS how"
               f"{values}{flags} FROM hs h JOIN sf s ON s.id = h.link WHERE h.link IS NOT NULL AND h.link <> '' "
               f"UNION ALL SELECT h.id, s.id, 'key'{values}{flags} FROM pairs p JOIN hs h ON h.rid = p.hs_row "
               f"JOIN sf s ON s.rid = p.sf_row WHERE p.how = 'key') WHERE {where}")
    compared = int(_scalar(db, "SELECT count(*) FROM pairs"))
    mismatched = int(_scalar(db, "SELECT count(*) FROM bad"))
    field_counts: dict[str, int] = {}
    if active and mismatched:
        sums = db.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE m{i})" for i in active) + " FROM bad").fetchone()
        for i, n in zip(active, sums or (), strict=True):
            if n:
                field_counts[spec.fields[i].hubspot] = field_counts.get(spec.fields[i].hubspot, 0) + int(n)
    if mismatch_csv is not None:
        _write_mismatches(db, spec, active, mismatch_csv)
    evidence = []
    if mismatched and evidence_limit:
        columns = "".join(f", h{i}, s{i}" for i in range(width)) + "".join(f", m{i}" for i in active)
        for row in db.execute(f"SELECT hs_id, sf_id, how{columns} FROM bad ORDER BY hs_id, sf_id "
                              f"LIMIT {int(evidence_limit)}").fetchall():
            hs_values = [row[3 + 2 * i] for i in range(width)]
            sf_values = [row[4 + 2 * i] for i in range(width)]
            bad = [i for n, i in enumerate(active) if row[3 + 2 * width + n]]
            evidence.append(evidence_item(spec, row[0], row[1], row[2], bad, hs_values, sf_values))
    hs_count = int(_scalar(db, "SELECT count(*) FROM hs"))
    sf_count = int(_scalar(db, "SELECT count(*) FROM sf"))
    unmatched_hs = hs_count - int(_scalar(db, "SELECT count(DISTINCT hs_row) FROM pairs"))
    unmatched_sf = sf_count - int(_scalar(db, "SELECT count(DISTINCT sf_row) FROM pairs"))
    variance, pct, allowed = count_variance(spec, hs_count, sf_count)

    def grouped_total(side: str, group: str | None, value: str | None) -> dict[str, float]:
        table = "hs" if side == "hubspot" else "sf"
        group_sql = layout.column(side, group) if group else "'all'"
        value_sql = f"sum(TRY_CAST({layout.column(side, value)} AS DOUBLE))" if value else "count(*)"
        rows = db.execute(f"SELECT COALESCE({group_sql}, '(blank)'), {value_sql} FROM {table} GROUP BY 1").fetchall()
        return {str(k): float(v or 0) for k, v in rows}

    def unmatched(side: str) -> list[list[Any]]:
        table, column = ("hs", "hs_row") if side == "hubspot" else ("sf", "sf_row")
        extra = ", link" if side == "hubspot" else ""
        rows = db.execute(f"SELECT id, nkey{extra} FROM {table} t WHERE NOT EXISTS "
                          f"(SELECT 1 FROM pairs p WHERE p.{column} = t.rid) ORDER BY id LIMIT 20").fetchall()
        return [list(r) for r in rows]

    return ObjectReconciliation(
        name=spec.name, hubspot_object=spec.hubspot_object, salesforce_object=spec.salesforce_object,
        hubspot_count=hs_count, salesforce_count=sf_count, variance=variance, variance_pct=pct,
        within_tolerance=allowed, matched_by_id=matched["by_id"], matched_by_key=matched["by_key"],
        unmatched_hubspot=unmatched_hs, unmatched_salesforce=unmatched_sf, compared_pairs=compared,
        mismatched_pairs=mismatched, field_mismatches=field_counts, evidence=evidence,
        unmatched_examples={"hubspot": unmatched("hubspot"), "salesforce": unmatched("salesforce")},
        totals=key_totals(spec, grouped_total), mismatch_csv=str(mismatch_csv) if mismatch_csv else None)


def reconcile_object_duck(spec: ObjectSpec, hubspot: Iterable[Iterable[tuple[str, dict[str, Any]]]],
                          salesforce: Iterable[Iterable[dict[str, Any]]], mismatch_csv: Path | None = None,
                          evidence_limit: int = EVIDENCE_LIMIT, work_dir: Path | None = None) -> ObjectReconciliation:
    """`engine.reconcile_object`'s signature and answer, computed in DuckDB (a scratch database file)."""
    with tempfile.TemporaryDirectory(prefix="uat-reconcile-duck-", dir=work_dir) as scratch:
        work = Path(scratch)
        layout = Layout.of(spec)
        db = open_database(work / "sides.duckdb")
        try:
            create_sides(db, layout)
            load_pages(db, spec, layout, work, hubspot, salesforce)
            return compare_sides(db, spec, layout, mismatch_csv, evidence_limit)
        finally:
            db.close()
