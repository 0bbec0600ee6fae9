"""Benchmark: the twin under concurrent clients, and a normal client beside clients that stall their bodies.

    .venv/bin/python bench/bench_twin_concurrency.py [--requests 300] [--clients 8] [--stalled 16] [--rounds 3]

The twin runs as `uat twin serve` in its own process; each client is its own process (one requests.Session, kept
alive, as the real clients use it), so the clients' Python does not share the twin's GIL. Rate limits are switched
off through the control plane: the point is the twin's own capacity. Three workloads, each with 1 client and then
with `--clients` clients doing the same number of requests each: HubSpot reads (GET a contact by id, what the
harness's waiter does while it waits out the sync window), Salesforce reads (GET a Lead by id) and HubSpot writes
(PATCH a contact, which run one at a time by design). Then `--stalled` raw TLS clients send a POST's headers and a
few bytes of its body and stall (kept at that number: one that the twin times out is replaced), while one normal
client reads as before: its p99 beside theirs. Figures are wall-clock on whatever machine runs this.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
SF_API = "/services/data/v59.0"


def session(info: dict[str, Any], platform: str) -> requests.Session:
    http = requests.Session()
    http.verify, http.trust_env = info["ca_bundle"], False
    token = info["hubspot_token"] if platform == "hubspot" else info["salesforce_session_id"]
    http.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return http


def call(http: requests.Session, info: dict[str, Any], workload: str, record_id: str, n: int) -> None:
    if workload == "hubspot-read":
        response = http.get(f"{info['hubspot_url']}/crm/v3/objects/contacts/{record_id}",
                            params={"properties": "email,firstname,lastname"}, timeout=60)
    elif workload == "salesforce-read":
        response = http.get(f"{info['salesforce_url']}{SF_API}/sobjects/Lead/{record_id}", timeout=60)
    else:
        response = http.patch(f"{info['hubspot_url']}/crm/v3/objects/contacts/{record_id}",
                              json={"properties": {"jobtitle": f"Engineer {n}"}}, timeout=60)
    if response.status_code >= 300:
        raise RuntimeError(f"{workload}: {response.status_code} {response.text[:200]}")


def client_run(args: tuple[dict[str, Any], str, list[str], int, Any]) -> list[float]:
    info, workload, ids, count, start = args
    http = session(info, "salesforce" if workload.startswith("salesforce") else "hubspot")
    call(http, info, workload, ids[0], 0)  # the TLS handshake, outside the timing
    start.wait()
    latencies = []
    for n in range(count):
        began = time.perf_counter()
        call(http, info, workload, ids[n % len(ids)], n)
        latencies.append((time.perf_counter() - began) * 1000)
    return latencies


def run_clients(pool: Any, manager: Any, info: dict[str, Any], workload: str, ids: list[str], clients: int,
                count: int) -> tuple[float, list[float]]:
    """(requests per second, every latency in ms) for `clients` clients doing `count` requests each."""
    start = manager.Event()
    shares = [ids[i::clients] or ids for i in range(clients)]
    pending = pool.map_async(client_run, [(info, workload, shares[i], count, start) for i in range(clients)])
    time.sleep(1.0)  # every client has connected and waits on the start signal
    began = time.perf_counter()
    start.set()
    latencies = [ms for one in pending.get(timeout=600) for ms in one]
    return len(latencies) / (time.perf_counter() - began), latencies


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (Linux /proc): the twin's own cost, whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pool: Any, manager: Any, info: dict[str, Any], workload: str, ids: list[str], clients: int,
             count: int, rounds: int, twin_pid: int) -> tuple[float, float, float, float]:
    """(median requests per second over `rounds`, median ms, p99 ms over every request of every round, the twin's
    CPU ms per request)."""
    rates, latencies = [], []
    cpu = cpu_seconds(twin_pid)
    for _ in range(rounds):
        rate, some = run_clients(pool, manager, info, workload, ids, clients, count)
        rates.append(rate)
        latencies.extend(some)
    cpu_ms = (cpu_seconds(twin_pid) - cpu) * 1000 / len(latencies)
    return statistics.median(rates), statistics.median(latencies), percentile(latencies, 99), cpu_ms


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


class StalledClients:
    """`count` TLS connections that each sent a POST's headers and 10 of its 1,000 body bytes, then went quiet."""

    def __init__(self, info: dict[str, Any], count: int) -> None:
        self.info, self.count = info, count
        self.context = ssl.create_default_context(cafile=info["ca_bundle"])
        self.port = int(info["hubspot_url"].rsplit(":", 1)[1])
        self.sockets: list[ssl.SSLSocket] = []
        self.replaced = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._keep, daemon=True)

    def _open(self) -> ssl.SSLSocket:
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        tls = self.context.wrap_socket(raw, server_hostname="127.0.0.1")
        tls.sendall(f"POST /crm/v3/objects/contacts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    f"{self.info['hubspot_token']}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
                    f'{{"propert'.encode())
        tls.setblocking(False)
        return tls

    def _closed(self, tls: ssl.SSLSocket) -> bool:
        try:
            return tls.recv(1) is not None  # anything (the twin's 408) or b"" (closed): this one is over
        except (ssl.SSLWantReadError, BlockingIOError):
            return False
        except OSError:
            return True

    def _keep(self) -> None:
        while not self.stop.is_set():
            for tls in [s for s in self.sockets if self._closed(s)]:
                self.sockets.remove(tls)
                tls.close()
                self.replaced += 1
            while len(self.sockets) < self.count:
                self.sockets.append(self._open())
            self.stop.wait(0.05)

    def __enter__(self) -> StalledClients:
        while len(self.sockets) < self.count:
            self.sockets.append(self._open())
        self.thread.start()
        time.sleep(1.0)  # the twin has handed each to a worker, which now waits for the rest of the body
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        for tls in self.sockets:
            tls.close()


def seed(info: dict[str, Any], count: int) -> tuple[list[str], list[str]]:
    hs, sf = session(info, "hubspot"), session(info, "salesforce")
    contacts: list[str] = []
    for start in range(0, count, 100):
        inputs = [{"properties": {"email": f"conc.{n}@bench.example.com", "firstname": "Ada", "lastname": f"C{n}"}}
                  for n in range(start, min(start + 100, count))]
        response = hs.post(f"{info['hubspot_url']}/crm/v3/objects/contacts/batch/create", json={"inputs": inputs})
        response.raise_for_status()
        contacts.extend(r["id"] for r in response.json()["results"])
    leads: list[str] = []
    for start in range(0, count, 200):
        records = [{"attributes": {"type": "Lead"}, "LastName": f"C{n}", "Company": "Bench",
                    "Email": f"lead.{n}@bench.example.com"} for n in range(start, min(start + 200, count))]
        response = sf.post(f"{info['salesforce_url']}{SF_API}/composite/sobjects",
                           json={"allOrNone": True, "records": records})
        response.raise_for_status()
        leads.extend(r["id"] for r in response.json())
    return contacts, leads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per client")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--stalled", type=int, default=16)
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3, help="each figure is the median of this many runs")
    args = parser.parse_args()

    twin = subprocess.Popen([sys.executable, "-m", "harness.cli", "twin", "serve", "--org", "healthy"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        info = json.loads(twin.stdout.readline())
        control = requests.Session()
        control.verify, control.trust_env = info["ca_bundle"], False
        control.headers["Authorization"] = f"Bearer {info['control_token']}"
        control.post(f"{info['control_url']}/faults/hubspot", json={"rate_limits": {"enforced": False}}).raise_for_status()
        contacts, leads = seed(info, args.records)
        print(f"twin in its own process; {multiprocessing.cpu_count()} cores; {args.records} contacts and Leads; "
              f"{args.requests} requests per client; median of {args.rounds} rounds")
        context = multiprocessing.get_context("spawn")
        with context.Manager() as manager, context.Pool(max(args.clients, 1)) as pool:
            baseline: dict[str, tuple[float, float, float]] = {}
            for workload, ids in (("hubspot-read", contacts), ("salesforce-read", leads), ("hubspot-write", contacts)):
                one = measured(pool, manager, info, workload, ids, 1, args.requests, args.rounds, twin.pid)
                many = measured(pool, manager, info, workload, ids, args.clients, args.requests, args.rounds, twin.pid)
                baseline[workload] = one
                print(f"{workload:16s} 1 client: {one[0]:6.0f} req/s, median {one[1]:5.1f} ms, p99 {one[2]:6.1f} ms, "
                      f"twin CPU {one[3]:.2f} ms/req | {args.clients} clients: {many[0]:6.0f} req/s ({many[0] / one[0]:.2f} "
                      f"x), median {many[1]:5.1f} ms, p99 {many[2]:6.1f} ms, twin CPU {many[3]:.2f} ms/req", flush=True)
            with StalledClients(info, args.stalled) as stalled:
                beside = measured(pool, manager, info, "hubspot-read", contacts, 1, args.requests, args.rounds, twin.pid)
                replaced = stalled.replaced
            alone = baseline["hubspot-read"]
            print(f"normal client beside {args.stalled} stalled clients (HubSpot reads): median {beside[1]:.1f} ms, "
                  f"p99 {beside[2]:.1f} ms (alone: median {alone[1]:.1f} ms, p99 {alone[2]:.1f} ms); stalled "
                  f"connections timed out and replaced meanwhile: {replaced}")
    finally:
        twin.terminate()
        twin.wait(timeout=30)


if __name__ == "__main__":
    main()
