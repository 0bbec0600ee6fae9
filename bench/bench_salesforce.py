"""Benchmark the twin's Salesforce over real HTTPS with simple-salesforce: Bulk API 2.0 ingest of N Leads, then a
selective SOQL query and an aggregate over them. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_salesforce.py [--rows 100000] [--repeat 30]

Targets (issue 3, 2 cores): ingest >= 5,000 rows/s, selective query <= 50 ms, aggregate <= 1 s, and the
selective query's SQL uses an index (EXPLAIN QUERY PLAN is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
from simple_salesforce import Salesforce  # noqa: E402

from harness.twin import Twin  # noqa: E402

SOURCES = ["Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"]
STAGES = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead"]


def client(twin: Twin) -> Salesforce:
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    return Salesforce(instance_url=twin.salesforce_url, session_id=twin.salesforce_session_id, session=session,
                      object_pairs_hook=dict)


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        out.append((time.perf_counter() - started) * 1000)
    return out


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms, min {ordered[0]:.1f} ms (n={len(samples)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    with Twin.start(org="healthy") as twin:
        sf = client(twin)
        records = [{"FirstName": f"Bench{i}", "LastName": f"Lead{i:06d}", "Company": f"Company {i % 997}",
                    "Email": f"bench.lead{i}@example.com", "LeadSource": SOURCES[i % len(SOURCES)],
                    "Lifecycle_Stage__c": STAGES[i % len(STAGES)], "Country": "United States"}
                   for i in range(args.rows)]
        print(f"Salesforce twin benchmark: {args.rows:,} Leads, {os.cpu_count()} CPUs (shared machine; other work "
              "may be running)")

        started = time.perf_counter()
        results = sf.bulk2.Lead.insert(records=records, wait=0)
        wall = time.perf_counter() - started
        processed = sum(r["numberRecordsProcessed"] for r in results)
        failed = sum(r["numberRecordsFailed"] for r in results)
        server_ms = sum(twin.salesforce_app.responses.bulk_jobs.get_ingest(r["job_id"]).processing_ms for r in results)
        print(f"Bulk 2.0 ingest: {processed:,} processed, {failed} failed, {len(results)} job(s)")
        print(f"  client wall time {wall:.1f} s -> {processed / wall:,.0f} rows/s (includes CSV upload and bulk2's "
              "back-off polling)")
        print(f"  job processing   {server_ms / 1000:.1f} s -> {processed / (server_ms / 1000):,.0f} rows/s")

        target = f"bench.lead{args.rows // 2}@example.com"
        selective = f"SELECT Id, FirstName, LastName, Status FROM Lead WHERE Email = '{target}'"
        assert sf.query(selective)["totalSize"] == 1
        print(f"Selective query ({selective}):")
        print(f"  {describe(timed(lambda: sf.query(selective), args.repeat))}")
        by_id = sf.query(selective)["records"][0]["Id"]
        print(f"  by Id: {describe(timed(lambda: sf.query(f'SELECT Id, Email FROM Lead WHERE Id = {by_id!r}'), args.repeat))}")

        aggregate = "SELECT LeadSource, Lifecycle_Stage__c, COUNT(Id) n FROM Lead GROUP BY LeadSource, Lifecycle_Stage__c"
        groups = sf.query(aggregate)["totalSize"]
        print(f"Aggregate ({aggregate}; {groups} groups):")
        print(f"  {describe(timed(lambda: sf.query(aggregate), max(3, args.repeat // 5)))}")
        count = "SELECT COUNT() FROM Lead WHERE LeadSource = 'Web'"
        print(f"  COUNT() with a filter: {describe(timed(lambda: sf.query(count), max(3, args.repeat // 5)))}")

        from harness.twin.salesforce.soql import parse
        from harness.twin.salesforce.soql.compiler import Compiler, Statement

        compiler = Compiler(twin.salesforce, selective, user_id=twin.salesforce.api_user_id)
        query = parse(selective)
        scope = compiler.scope(compiler.root(query), "t")
        statement = Statement(scope)
        compiler.base_filters(scope, statement)
        compiler.where(query, statement)
        statement.columns = [f'{scope.alias}."Id"']
        sql, params = statement.sql()
        plan = [row[3] for row in twin.store.db.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
        print(f"EXPLAIN QUERY PLAN of the selective query: {' | '.join(plan)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
