"""Reconciliation at scale: 1,000,000 record pairs with 20 mapped fields, bounded in memory.

Both sides are generated page by page (never whole in memory), 0.1% of pairs carry a planted difference.
Prints wall time, pairs per second and peak RSS. Usage: python bench/bench_reconcile.py [PAIRS]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from harness.reconcile import FieldKind, FieldSpec, KeyTotalSpec, ObjectSpec, SyncRule, reconcile_object

KINDS = [FieldKind.STRING] * 10 + [FieldKind.NUMBER] * 4 + [FieldKind.DATE] * 2 + [FieldKind.DATETIME] * 2 + \
        [FieldKind.BOOLEAN, FieldKind.MULTI]
RULES = [SyncRule.TWO_WAY, SyncRule.PREFER_SALESFORCE_UNLESS_BLANK, SyncRule.ALWAYS_USE_SALESFORCE, SyncRule.DONT_SYNC]
FIELDS = tuple(FieldSpec(f"prop{i}", f"Field{i}__c", RULES[i % 4], KINDS[i]) for i in range(20))
SPEC = ObjectSpec("contacts <-> Contact", "contacts", "Contact", "salesforcecontactid", FIELDS, "email", "Email",
                  totals=(KeyTotalSpec("amount by stage", "prop1", "Field1__c", "prop10", "Field10__c"),))
PAGE = 10_000


def sf_value(kind: FieldKind, n: int, i: int):
    if kind is FieldKind.NUMBER:
        return float(n % 997 + i)
    if kind is FieldKind.DATE:
        return f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
    if kind is FieldKind.DATETIME:
        return f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:00:00.000+0000"
    if kind is FieldKind.BOOLEAN:
        return n % 2 == 0
    if kind is FieldKind.MULTI:
        return "a;b;c" if n % 3 else "b"
    return f"value-{i}-{n % 5000}"


def hs_value(kind: FieldKind, value):
    """HubSpot's spelling of the same value: strings, epoch-free ISO dates, lower-case booleans."""
    if kind is FieldKind.NUMBER:
        return str(int(value)) if float(value).is_integer() else str(value)
    if kind is FieldKind.DATETIME:
        return value.replace(".000+0000", "Z")
    if kind is FieldKind.BOOLEAN:
        return "true" if value else "false"
    if kind is FieldKind.MULTI:
        return ";".join(reversed(value.split(";")))
    return value


CYCLE = 840  # values repeat with this period: generation stays cheap, the engine still sees every pair
SF_ROWS = [{f.salesforce: sf_value(f.kind, n, i) for i, f in enumerate(FIELDS)} for n in range(CYCLE)]
HS_ROWS = [{f.hubspot: hs_value(f.kind, SF_ROWS[n][f.salesforce]) for f in FIELDS} for n in range(CYCLE)]
GENERATION = [0.0]  # seconds spent generating input, excluded from the engine's figure


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
                     "salesforcecontactid": f"003{n:015d}" if n % 10 else None}  # 10% match by e-mail only
            if n % 1000 == 7:
                props["prop0"] = "planted difference"
            page.append((str(10_000_000 + n), props))
        GENERATION[0] += time.perf_counter() - mark
        yield page


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        result = reconcile_object(SPEC, hubspot_pages(total), salesforce_pages(total), Path(work) / "mismatches.csv",
                                  work_dir=Path(work))
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine = elapsed - GENERATION[0]
    print(f"pairs={total} fields={len(FIELDS)} wall_seconds={elapsed:.1f} engine_seconds={engine:.1f} "
          f"(input generation {GENERATION[0]:.1f}s) pairs_per_second={total / engine:,.0f} peak_rss_mb={peak_mb:.0f}")
    print(f"matched_by_id={result.matched_by_id} matched_by_key={result.matched_by_key} "
          f"mismatched_pairs={result.mismatched_pairs} expected_mismatches={sum(1 for n in range(total) if n % 1000 == 7)}")


if __name__ == "__main__":
    main()
