"""Benchmark: batch-create contacts through hubspot-api-client against the twin, then time CRM search pages.

    .venv/bin/python bench/bench_hubspot.py [--contacts 100000] [--threads 2] [--in-process]

The twin runs as `uat twin serve` in its own process (the client in this one), as the harness uses it; rate
limits are switched off and the search-index lag set to 0 through the control plane, since the point is the
twin's own speed (with the healthy portal's limits, 190 requests per 10 s cap batch create at 1,900 contacts/s,
as on a real portal). Figures are wall-clock on whatever machine runs this; report them with the core count.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import hubspot
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = ["Ada", "Grace", "Katherine", "Dorothy", "Mary", "Hedy", "Radia", "Frances", "Barbara", "Joan", "Margaret",
         "Annie", "Evelyn", "Jean", "Betty", "Marlyn", "Ruth", "Kathleen", "Shafi", "Lynn"]
LAST = [f"Surname{n:03d}" for n in range(300)]
# The healthy portal's country is a dropdown of the Salesforce countries (State and Country/Territory Picklists).
COUNTRIES = ["United States", "Canada", "United Kingdom", "Germany", "France", "Japan", "Australia", "Singapore"]
STAGES = ["subscriber", "lead", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"]


def start_twin(in_process: bool) -> tuple[dict[str, Any], Any]:
    if in_process:
        from harness.twin import Twin

        twin = Twin.start(org="healthy")
        return twin.info(), twin
    process = subprocess.Popen([sys.executable, "-m", "harness.cli", "twin", "serve", "--org", "healthy"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return json.loads(process.stdout.readline()), process


def stop_twin(handle: Any) -> None:
    if isinstance(handle, subprocess.Popen):
        handle.terminate()
        handle.wait(timeout=30)
    else:
        handle.stop()


def rss_mb(handle: Any) -> float:
    pid = handle.pid if isinstance(handle, subprocess.Popen) else os.getpid()
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def client(info: dict[str, Any]) -> hubspot.Client:
    return hubspot.Client.create(access_token=info["hubspot_token"], host=info["hubspot_url"], ssl_ca_cert=info["ca_bundle"])


def contact(n: int, rng: random.Random) -> dict[str, str]:
    return {"email": f"bench.{n}@bench.example.com", "firstname": rng.choice(FIRST), "lastname": rng.choice(LAST),
            "company": f"Company {n % 5000}", "country": rng.choice(COUNTRIES), "lifecyclestage": rng.choice(STAGES),
            "phone": f"+1 555 {n % 10000:04d}", "jobtitle": "Engineer"}


def batch_create(info: dict[str, Any], total: int, threads: int) -> float:
    next_batch = iter(range(0, total, 100))
    lock = threading.Lock()
    failures: list[str] = []

    def worker(seed: int) -> None:
        api = client(info).crm.contacts.batch_api
        rng = random.Random(seed)
        while True:
            with lock:
                start = next(next_batch, None)
            if start is None:
                return
            inputs = [{"properties": contact(n, rng)} for n in range(start, min(start + 100, total))]
            result = api.create({"inputs": inputs})
            if result is None or len(result.results) != len(inputs):
                failures.append(f"batch at {start}")

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"batch create failed: {failures[:3]}")
    return elapsed


def timed(search: Any, body: dict[str, Any], repeat: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = search(body)
        times.append((time.perf_counter() - began) * 1000)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--in-process", action="store_true", help="run the twin in this process (one GIL for both)")
    args = parser.parse_args()

    info, handle = start_twin(args.in_process)
    try:
        control = requests.Session()
        control.verify, control.trust_env = info["ca_bundle"], False
        control.headers["Authorization"] = f"Bearer {info['control_token']}"
        control.post(f"{info['control_url']}/faults/hubspot", json={"rate_limits": {"enforced": False},
                                                                     "search_index_lag_ms": 0}).raise_for_status()
        elapsed = batch_create(info, args.contacts, args.threads)
        print(f"batch create: {args.contacts:,} contacts in {elapsed:.1f} s = {args.contacts / elapsed:,.0f} contacts/s "
              f"({args.threads} client threads, 100 per batch, twin {'in process' if args.in_process else 'in its own process'})")
        print(f"twin resident memory after the load: {rss_mb(handle):,.0f} MB")

        search = client(info).crm.contacts.search_api.do_search
        lead = {"filterGroups": [{"filters": [{"propertyName": "lifecyclestage", "operator": "EQ", "value": "lead"}]}],
                "sorts": [{"propertyName": "createdate", "direction": "DESCENDING"}], "properties": ["email", "firstname"],
                "limit": 100}
        queries = {
            "EQ email (one hit)": {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ",
                                                                  "value": f"bench.{args.contacts // 2}@bench.example.com"}]}]},
            "EQ lifecyclestage, sort createdate desc, 100/page": lead,
            "same, page at after=9800": {**lead, "after": "9800"},
            "IN country AND EQ firstname, sort lastname": {
                "filterGroups": [{"filters": [{"propertyName": "country", "operator": "IN", "values": ["Canada", "Japan"]},
                                              {"propertyName": "firstname", "operator": "EQ", "value": "Grace"}]}],
                "sorts": ["lastname"], "limit": 100},
            "CONTAINS_TOKEN *@bench.example.com (all match), 200/page": {
                "filterGroups": [{"filters": [{"propertyName": "email", "operator": "CONTAINS_TOKEN",
                                               "value": "*@bench.example.com"}]}], "limit": 200},
            "two groups (OR), NEQ + HAS_PROPERTY": {"filterGroups": [
                {"filters": [{"propertyName": "lifecyclestage", "operator": "NEQ", "value": "lead"},
                             {"propertyName": "phone", "operator": "HAS_PROPERTY"}]},
                {"filters": [{"propertyName": "country", "operator": "EQ", "value": "Brazil"}]}], "limit": 100},
            "no filter, sort lastname asc, 200/page": {"sorts": [{"propertyName": "lastname", "direction": "ASCENDING"}],
                                                       "limit": 200},
            "free-text query 'grace'": {"query": "grace", "limit": 100},
        }
        print(f"\nsearch over {args.contacts:,} contacts, {args.repeat} runs each (ms, client round trip; 'first' is the "
              "query's first run, the rest reuse what the twin keeps between pages of an unchanged index):")
        print(f"{'query':58} {'total':>8} {'first':>8} {'median':>8} {'max':>8}")
        for name, body in queries.items():
            times, result = timed(search, body, args.repeat)
            rest = sorted(times[1:]) or times
            print(f"{name:58} {result.total:>8,} {times[0]:>8.1f} {statistics.median(rest):>8.1f} {max(times):>8.1f}")
        pages, after, began = 0, None, time.perf_counter()
        while pages < 50:
            page = search({**lead, **({"after": after} if after else {})})
            pages += 1
            after = page.paging.next.after if page.paging and page.paging.next else None
            if after is None:
                break
        print(f"paging 'EQ lifecyclestage' 100 at a time: {pages} pages, "
              f"{(time.perf_counter() - began) / pages * 1000:.1f} ms per page on average")
        print(f"\nmachine: {os.cpu_count()} cores; shared with other work while measured")
    finally:
        stop_twin(handle)


if __name__ == "__main__":
    main()
