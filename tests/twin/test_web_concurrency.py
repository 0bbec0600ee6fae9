"""Both twins serve clients concurrently (reads side by side, each thread on its own SQLite connection) and stay
consistent and durable: a uniqueness check cannot be raced, a read never sees half a write, and what concurrent
clients wrote is all there after a restart. Throughput and p99 are measured in bench/bench_twin_concurrency.py."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from harness.twin import Twin
from tests.conftest import hubspot_client, salesforce_client

SF_API = "/services/data/v59.0"
CLIENTS = 8


def session(twin: Twin, platform: str) -> requests.Session:
    http = requests.Session()
    http.verify, http.trust_env = twin.ca_bundle, False
    token = twin.hubspot_token if platform == "hubspot" else twin.salesforce_session_id
    http.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return http


def unlimited(twin: Twin) -> Twin:
    """HubSpot's 10-second rate limit off: these tests send more than a portal allows, on purpose."""
    control = requests.post(f"{twin.control_url}/faults/hubspot", json={"rate_limits": {"enforced": False}},
                            verify=twin.ca_bundle, headers={"Authorization": f"Bearer {twin.control_token}"}, timeout=60)
    assert control.status_code == 200, control.text[:200]
    return twin


def at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..count-1) on `count` threads released together, so the requests really overlap."""
    start = threading.Barrier(count)

    def run(n: int) -> Any:
        start.wait(timeout=30)
        return work(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_creates_of_one_email_make_exactly_one_contact_and_one_lead(twin):
    def contact(n: int) -> int:
        return session(twin, "hubspot").post(f"{twin.hubspot_url}/crm/v3/objects/contacts", timeout=60, json={
            "properties": {"email": "race@example.com", "lastname": f"Racer {n}"}}).status_code

    def lead(n: int) -> int:
        return session(twin, "salesforce").post(f"{twin.salesforce_url}{SF_API}/sobjects/Lead", timeout=60, json={
            "LastName": f"Racer {n}", "Company": "Race", "Email": "race@example.com"}).status_code

    assert sorted(at_once(CLIENTS, contact)) == [201] + [409] * (CLIENTS - 1)
    assert sorted(at_once(CLIENTS, lead)) == [201] + [400] * (CLIENTS - 1)  # the standard duplicate rule blocks
    found = hubspot_client(twin).crm.contacts.basic_api.get_by_id("race@example.com", id_property="email")
    assert found.properties["email"] == "race@example.com"
    assert salesforce_client(twin).query("SELECT Id FROM Lead WHERE Email = 'race@example.com'")["totalSize"] == 1


def test_reads_beside_writes_always_see_whole_records(twin):
    """Writers set first and last name together; readers, running at the same time, never see one without the
    other (no torn or uncommitted state), and never an error."""
    hs_id = session(twin, "hubspot").post(f"{twin.hubspot_url}/crm/v3/objects/contacts", timeout=60, json={
        "properties": {"email": "pair@example.com", "firstname": "F0", "lastname": "L0"}}).json()["id"]
    unlimited(twin)
    sf_id = session(twin, "salesforce").post(f"{twin.salesforce_url}{SF_API}/sobjects/Lead", timeout=60, json={
        "FirstName": "F0", "LastName": "L0", "Company": "Pairs"}).json()["id"]
    rounds = 40

    def work(n: int) -> list[tuple[str, str]]:
        hs, sf = session(twin, "hubspot"), session(twin, "salesforce")
        seen = []
        for i in range(rounds):
            if n % 2:  # writers
                mark = f"{n}-{i}"
                assert hs.patch(f"{twin.hubspot_url}/crm/v3/objects/contacts/{hs_id}", timeout=60, json={
                    "properties": {"firstname": f"F{mark}", "lastname": f"L{mark}"}}).status_code == 200
                assert sf.patch(f"{twin.salesforce_url}{SF_API}/sobjects/Lead/{sf_id}", timeout=60, json={
                    "FirstName": f"F{mark}", "LastName": f"L{mark}"}).status_code == 204
            else:  # readers
                hs_read = hs.get(f"{twin.hubspot_url}/crm/v3/objects/contacts/{hs_id}", timeout=60,
                                 params={"properties": "firstname,lastname"})
                sf_read = sf.get(f"{twin.salesforce_url}{SF_API}/sobjects/Lead/{sf_id}", timeout=60)
                assert hs_read.status_code == 200 and sf_read.status_code == 200, (hs_read.text[:200], sf_read.text[:200])
                props = hs_read.json()["properties"]
                seen.append((props["firstname"], props["lastname"]))
                seen.append((sf_read.json()["FirstName"], sf_read.json()["LastName"]))
        return seen

    seen = [pair for one in at_once(CLIENTS, work) for pair in one]
    assert len(seen) == CLIENTS // 2 * rounds * 2
    torn = [(first, last) for first, last in seen if first[1:] != last[1:]]
    assert torn == []


def test_what_concurrent_clients_wrote_is_all_there_after_a_restart(tmp_path):
    per_client = 10
    with Twin.start(org="healthy", state_dir=tmp_path) as first:
        unlimited(first)
        def work(n: int) -> tuple[list[str], list[str]]:
            hs, sf = session(first, "hubspot"), session(first, "salesforce")
            contacts, leads = [], []
            for i in range(per_client):
                made = hs.post(f"{first.hubspot_url}/crm/v3/objects/contacts", timeout=60, json={
                    "properties": {"email": f"c{n}.{i}@example.com", "lastname": f"C{n}.{i}"}})
                assert made.status_code == 201, made.text[:200]
                contacts.append(made.json()["id"])
                lead = sf.post(f"{first.salesforce_url}{SF_API}/sobjects/Lead", timeout=60, json={
                    "LastName": f"L{n}.{i}", "Company": f"Company {n}.{i}", "Email": f"l{n}.{i}@example.com"})
                assert lead.status_code == 201, lead.text[:200]
                leads.append(lead.json()["id"])
            return contacts, leads

        results = at_once(CLIENTS, work)
    contacts = [c for made, _ in results for c in made]
    leads = [lead for _, made in results for lead in made]
    assert len(set(contacts)) == len(set(leads)) == CLIENTS * per_client

    with Twin.start(org="healthy", state_dir=tmp_path) as second:
        hs = hubspot_client(second)
        read = hs.crm.contacts.batch_api.read({"inputs": [{"id": c} for c in contacts], "properties": ["email"]})
        assert sorted(r.id for r in read.results) == sorted(contacts)
        sf = salesforce_client(second)
        found = sf.query_all("SELECT Id FROM Lead WHERE Company LIKE 'Company %'")["records"]
        assert sorted(r["Id"] for r in found) == sorted(leads)
