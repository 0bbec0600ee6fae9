"""Connector cycle cost: 10,000 changed contacts, and 100,000 unchanged ones (a cycle with nothing to do).

Runs the connector in-process against the twin's backends (no HTTP: the cycle itself is what is measured).
Targets (issue 5): the 10,000-change cycle <= 5 s; the idle cycle over 100,000 synced contacts <= 50 ms.

    .venv/bin/python bench/bench_connector.py [--changed 10000] [--idle 100000]

Figures vary with load: the machine has 2 cores shared with other work, so run it twice and read the better.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.twin.connector.engine import Connector  # noqa: E402
from harness.twin.connector.settings import load_settings  # noqa: E402
from harness.twin.hubspot.models import HubSpotBackend  # noqa: E402
from harness.twin.hubspot.portal import load_portal  # noqa: E402
from harness.twin.paths import org_dir  # noqa: E402
from harness.twin.salesforce.models import SalesforceBackend  # noqa: E402
from harness.twin.salesforce.schema import load_org_schema  # noqa: E402
from harness.twin.store import Store  # noqa: E402


def build(org: str = "healthy") -> tuple[Store, HubSpotBackend, Connector]:
    path = org_dir(org)
    store = Store(None)
    salesforce = SalesforceBackend(store, load_org_schema(path / "salesforce.yaml"))
    salesforce.usage.maximum = 10**9  # measure the cycle, not the allowance
    hubspot = HubSpotBackend(store, load_portal(path / "hubspot.yaml"))
    settings = load_settings(path / "connector.yaml")
    settings.api.allocated_to_hubspot = None
    return store, hubspot, Connector(store, salesforce, hubspot, settings)


def create_contacts(store: Store, hubspot: HubSpotBackend, count: int, prefix: str) -> list[str]:
    ids = []
    with store.transaction():
        for n in range(count):
            obj = hubspot.create("contacts", {"email": f"{prefix}{n}@example.com", "firstname": "Bench",
                                              "lastname": f"Contact {n}", "company": "Bench Co", "jobtitle": "Tester"})
            ids.append(obj.id)
    return ids


def timed_cycle(connector: Connector) -> tuple[float, dict]:
    started = time.perf_counter()
    stats = connector.run_cycle()
    return time.perf_counter() - started, stats.as_dict()


def bench_changed(count: int) -> None:
    store, hubspot, connector = build()
    ids = create_contacts(store, hubspot, count, "changed")
    seconds, stats = timed_cycle(connector)
    print(f"initial sync: {count:,} new contacts -> {stats['created_in_salesforce']:,} Leads in {seconds:.2f} s "
          f"({count / seconds:,.0f} contacts/s, {stats['api_calls']} API calls)")
    seconds, _ = timed_cycle(connector)
    print(f"echo cycle (the connector's own writes, nothing crosses): {seconds:.2f} s")
    with store.transaction():
        for n, contact_id in enumerate(ids):
            hubspot.update("contacts", contact_id, {"jobtitle": f"Changed {n}"})
    seconds, stats = timed_cycle(connector)
    verdict = "OK" if seconds <= 5 else "OVER TARGET"
    print(f"changed cycle: {count:,} changed contacts -> {stats['updated_in_salesforce']:,} Lead updates in "
          f"{seconds:.2f} s ({count / seconds:,.0f} contacts/s, {stats['api_calls']} API calls) "
          f"[target <= 5 s: {verdict}]")
    store.close()


def bench_idle(count: int) -> None:
    store, hubspot, connector = build()
    create_contacts(store, hubspot, count, "idle")
    started = time.perf_counter()
    connector.run_cycle()
    connector.run_cycle()  # the echo of the first cycle's writes
    print(f"setup: {count:,} contacts synced and settled in {time.perf_counter() - started:.1f} s")
    samples = [timed_cycle(connector)[0] * 1000 for _ in range(20)]
    best, median = min(samples), statistics.median(samples)
    verdict = "OK" if median <= 50 else "OVER TARGET"
    print(f"idle cycle over {count:,} unchanged contacts: median {median:.2f} ms, best {best:.2f} ms "
          f"[target <= 50 ms: {verdict}]")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changed", type=int, default=10_000)
    parser.add_argument("--idle", type=int, default=100_000)
    args = parser.parse_args()
    print("connector benchmark (shared 2-core machine; figures vary with load)")
    bench_changed(args.changed)
    bench_idle(args.idle)


if __name__ == "__main__":
    main()
