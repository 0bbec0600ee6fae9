"""The DuckDB reconciliation engine against today's row-by-row engine, and alone at 10,000,000 pairs.

Part 1 (`side-by-side`): the same 1,000,000 pairs x 20 mapped fields (pages of Python records, 0.1% planted
differences, 10% matched by e-mail only) through `engine.reconcile_object` and the DuckDB engine (its pages loaded
through `load_pages`, as `reconcile_object_duck` does, timed apart from the comparison); prints each engine's wall
time (input generation excluded), peak RSS and the ratios, and checks both found the same mismatches. Part 2 (`ten-million`): 10,000,000 pairs x 20 fields generated inside DuckDB (as whole-population
loading leaves them), then matched and compared; prints the engine's time and the process's peak RSS.
Each part runs in its own process, so a peak belongs to one engine. Targets: <= 60 s and <= 4 GB at 10M.

Usage: python bench/bench_reconcile_engine.py [side-by-side PAIRS | ten-million PAIRS]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.reconcile import FieldKind, FieldSpec, KeyTotalSpec, ObjectSpec, SyncRule, reconcile_object
from harness.reconcile.duck_engine import Layout, compare_sides, create_sides, load_pages, open_database

KINDS = [FieldKind.STRING] * 10 + [FieldKind.NUMBER] * 4 + [FieldKind.DATE] * 2 + [FieldKind.DATETIME] * 2 + \
        [FieldKind.BOOLEAN, FieldKind.MULTI]
RULES = [SyncRule.TWO_WAY, SyncRule.PREFER_SALESFORCE_UNLESS_BLANK, SyncRule.ALWAYS_USE_SALESFORCE, SyncRule.TWO_WAY]
FIELDS = tuple(FieldSpec(f"prop{i}", f"Field{i}__c", RULES[i % 4], KINDS[i]) for i in range(20))
SPEC = ObjectSpec("contacts <-> Contact", "contacts", "Contact", "salesforcecontactid", FIELDS, "email", "Email",
                  totals=(KeyTotalSpec("amount by group", "prop1", "Field1__c", "prop10", "Field10__c"),))
PAGE = 10_000
CYCLE = 840


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sf_value(kind: FieldKind, n: int, i: int) -> object:
    if kind is FieldKind.NUMBER:
        return float(n % 997 + i)
    if kind is FieldKind.DATE:
        return f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
    if kind is FieldKind.DATETIME:
        return f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:00:00.000+0000"
    if kind is FieldKind.BOOLEAN:
        return "true" if n % 2 == 0 else "false"
    if kind is FieldKind.MULTI:
        return "a;b;c" if n % 3 else "b"
    return f"value-{i}-{n % 5000}"


def hs_value(kind: FieldKind, value: object) -> str:
    """HubSpot's spelling of the same value: integers without '.0', 'Z' date-times, multi-selects reordered."""
    if kind is FieldKind.NUMBER:
        return str(int(value))  # type: ignore[call-overload]
    if kind is FieldKind.DATETIME:
        return str(value).replace(".000+0000", "Z")
    if kind is FieldKind.MULTI:
        return ";".join(reversed(str(value).split(";")))
    return str(value)


SF_ROWS = [{f.salesforce: sf_value(f.kind, n, i) for i, f in enumerate(FIELDS)} for n in range(CYCLE)]
HS_ROWS = [{f.hubspot: hs_value(f.kind, SF_ROWS[n][f.salesforce]) for f in FIELDS} for n in range(CYCLE)]
GENERATION = [0.0]


def salesforce_pages(total: int):
    for start in range(0, total, PAGE):
        mark = time.perf_counter()
        page = [{**SF_ROWS[n % CYCLE], "Id": f"003{n:015d}", "Email": f"person{n}@example.com"}
                for n in range(start, min(total, start + PAGE))]
        GENERATION[0] += time.perf_counter() - mark
        yield page


def hubspot_pages(total: int):
    for start in range(0, total, PAGE):
        mark = time.perf_counter()
        page = []
        for n in range(start, min(total, start + PAGE)):
            props = {**HS_ROWS[n % CYCLE], "email": f"person{n}@example.com",
                     "salesforcecontactid": f"003{n:015d}" if n % 10 else None}
            if n % 1000 == 7:
                props["prop0"] = "planted difference"
            page.append((str(10_000_000 + n), props))
        GENERATION[0] += time.perf_counter() - mark
        yield page


def one_engine(name: str, pairs: int) -> dict:
    """Both engines from the same pages; DuckDB's time split into loading the pages and the comparison proper."""
    figures: dict = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        if name == "reference":
            result = reconcile_object(SPEC, hubspot_pages(pairs), salesforce_pages(pairs), work / "mismatches.csv",
                                      work_dir=work)
        else:
            layout = Layout.of(SPEC)
            db = open_database(work / "sides.duckdb")
            create_sides(db, layout)
            load_pages(db, SPEC, layout, work, hubspot_pages(pairs), salesforce_pages(pairs))
            loaded = time.perf_counter()
            result = compare_sides(db, SPEC, layout, work / "mismatches.csv")
            figures["compare_s"] = round(time.perf_counter() - loaded, 1)
            figures["load_s"] = round(loaded - started - GENERATION[0], 1)
            db.close()
        wall = time.perf_counter() - started - GENERATION[0]
    return {"engine": name, "pairs": pairs, "seconds": round(wall, 1), "generation_s": round(GENERATION[0], 1),
            "peak_mb": round(peak_mb()), "compared": result.compared_pairs, "mismatched": result.mismatched_pairs,
            "by_id": result.matched_by_id, "by_key": result.matched_by_key, **figures}


def _sql_value(kind: FieldKind, i: int, side: str) -> str:
    n = "n"
    month, day = f"lpad(CAST({n} % 12 + 1 AS VARCHAR), 2, '0')", f"lpad(CAST({n} % 28 + 1 AS VARCHAR), 2, '0')"
    if kind is FieldKind.NUMBER:
        return f"CAST(CAST({n} % 997 + {i} AS DOUBLE) AS VARCHAR)" if side == "sf" else f"CAST({n} % 997 + {i} AS VARCHAR)"
    if kind is FieldKind.DATE:
        return f"'2026-' || {month} || '-' || {day}"
    if kind is FieldKind.DATETIME:
        return f"'2026-' || {month} || '-' || {day} || " + ("'T10:00:00.000+0000'" if side == "sf" else "'T10:00:00Z'")
    if kind is FieldKind.BOOLEAN:
        return f"CASE WHEN {n} % 2 = 0 THEN 'true' ELSE 'false' END"
    if kind is FieldKind.MULTI:
        listed = "'a;b;c'" if side == "sf" else "'c;b;a'"
        return f"CASE WHEN {n} % 3 <> 0 THEN {listed} ELSE 'b' END"
    value = f"'value-{i}-' || CAST({n} % 5000 AS VARCHAR)"
    if i == 0 and side == "hs":
        return f"CASE WHEN {n} % 1000 = 7 THEN 'planted difference' ELSE {value} END"
    return value


def ten_million(pairs: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        db = open_database(Path(scratch) / "sides.duckdb")
        layout = Layout.of(SPEC)
        create_sides(db, layout)
        started = time.perf_counter()
        index = {f.hubspot: i for i, f in enumerate(FIELDS)} | {f.salesforce: i for i, f in enumerate(FIELDS)}
        hs_values = ", ".join(_sql_value(FIELDS[index[name]].kind, index[name], "hs") for name in layout.hs_names)
        sf_values = ", ".join(_sql_value(FIELDS[index[name]].kind, index[name], "sf") for name in layout.sf_names)
        db.execute(f"INSERT INTO hs SELECT n, CAST(10000000 + n AS VARCHAR), CASE WHEN n % 10 <> 0 THEN "
                   f"'003' || lpad(CAST(n AS VARCHAR), 15, '0') END, 'person' || CAST(n AS VARCHAR) || '@example.com', "
                   f"{hs_values} FROM range({pairs}) t(n)")
        db.execute(f"INSERT INTO sf SELECT {pairs} + n, '003' || lpad(CAST(n AS VARCHAR), 15, '0'), "
                   f"'person' || CAST(n AS VARCHAR) || '@example.com', {sf_values} FROM range({pairs}) t(n)")
        generation = time.perf_counter() - started
        started = time.perf_counter()
        result = compare_sides(db, SPEC, layout, Path(scratch) / "mismatches.csv")
        wall = time.perf_counter() - started
        db.close()
    return {"engine": "duckdb", "pairs": pairs, "seconds": round(wall, 1), "generation_s": round(generation, 1),
            "peak_mb": round(peak_mb()), "compared": result.compared_pairs, "mismatched": result.mismatched_pairs,
            "by_id": result.matched_by_id, "by_key": result.matched_by_key}


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "one":
        print(json.dumps(one_engine(sys.argv[2], int(sys.argv[3]))))
        return 0
    if len(sys.argv) > 2 and sys.argv[1] == "ten-million":
        print(json.dumps(ten_million(int(sys.argv[2]))))
        return 0
    pairs = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "side-by-side" else 1_000_000
    if len(sys.argv) < 2 or sys.argv[1] == "side-by-side":
        reference, duck = _child("one", "reference", str(pairs)), _child("one", "duckdb", str(pairs))
        for figure in (reference, duck):
            print(f"{figure['engine']:>9}: {figure['pairs']:,} pairs x 20 fields in {figure['seconds']} s "
                  f"(input generation {figure['generation_s']} s excluded), peak {figure['peak_mb']} MB; "
                  f"{figure['mismatched']:,} mismatched, {figure['by_id']:,} by id, {figure['by_key']:,} by key"
                  + (f" (loading the pages {figure['load_s']} s, comparison {figure['compare_s']} s)"
                     if "compare_s" in figure else ""))
        same = all(reference[k] == duck[k] for k in ("compared", "mismatched", "by_id", "by_key"))
        print(f"   ratio: DuckDB {reference['seconds'] / max(duck['seconds'], 0.1):.1f} x faster from the same pages, "
              f"{reference['seconds'] / max(duck['compare_s'], 0.1):.1f} x for the comparison once loaded; same answer: {same}")
        if not same:
            return 1
    if len(sys.argv) < 2:
        figure = _child("ten-million", "10000000")
        print(f"   duckdb: {figure['pairs']:,} pairs x 20 fields in {figure['seconds']} s (generation in DuckDB "
              f"{figure['generation_s']} s excluded), peak {figure['peak_mb']} MB; {figure['mismatched']:,} mismatched "
              f"(target <= 60 s, <= 4096 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
