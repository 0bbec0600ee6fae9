"""Clients that send a request's headers and then stall its body cannot starve anyone else: the listeners add
workers while every worker is busy, and a per-connection read timeout ends the stalled ones (cheroot's 408).
The normal client's p99 beside 16 stalled clients is measured in bench/bench_twin_concurrency.py."""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
from werkzeug.wrappers import Request, Response

from harness.twin.listener import listen
from tests.conftest import hubspot_client, salesforce_client

STALLED = 16


def open_stalled(url: str, ca_bundle: str, path: str, authorization: str) -> ssl.SSLSocket:
    """A TLS connection that sent a POST's headers and 10 of the 1,000 body bytes it announced, then went quiet."""
    port = int(url.rsplit(":", 1)[1])
    tls = ssl.create_default_context(cafile=ca_bundle).wrap_socket(
        socket.create_connection(("127.0.0.1", port), timeout=30), server_hostname="127.0.0.1")
    tls.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {authorization}\r\n"
                f"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"LastNam".encode())
    return tls


def still_waiting(tls: ssl.SSLSocket) -> bool:
    """True while the twin neither answered nor closed this connection (it is still waiting for the body)."""
    tls.setblocking(False)
    try:
        tls.recv(1)
    except ssl.SSLWantReadError:
        return True
    except OSError:
        return False
    finally:
        tls.setblocking(True)
    return False


@contextmanager
def stalled_clients(twin) -> Iterator[list[ssl.SSLSocket]]:
    sockets = []
    try:
        for n in range(STALLED):
            if n % 2:
                sockets.append(open_stalled(twin.hubspot_url, twin.ca_bundle, "/crm/v3/objects/contacts",
                                            f"Bearer {twin.hubspot_token}"))
            else:
                sockets.append(open_stalled(twin.salesforce_url, twin.ca_bundle, "/services/data/v59.0/sobjects/Lead",
                                            f"Bearer {twin.salesforce_session_id}"))
        yield sockets
    finally:
        for tls in sockets:
            tls.close()


def test_a_normal_client_is_served_while_sixteen_clients_stall_their_bodies(twin):
    with stalled_clients(twin) as stalled:
        # Served now, not after the stalled ones time out: they are all still connected and unanswered afterwards.
        hs = hubspot_client(twin)
        contact = hs.crm.contacts.basic_api.create({"properties": {"email": "patient@example.com", "lastname": "P"}})
        assert hs.crm.contacts.basic_api.get_by_id(contact.id).properties["email"] == "patient@example.com"
        sf = salesforce_client(twin)
        lead = sf.Lead.create({"LastName": "Patient", "Company": "Waiting Room"})
        assert sf.Lead.get(lead["id"])["LastName"] == "Patient"
        assert [still_waiting(tls) for tls in stalled] == [True] * STALLED


@pytest.fixture
def quick_timeout_listener(tmp_path):
    from harness.twin.tls import TwinCertificates

    def echo(environ, start_response):
        request = Request(environ)
        return Response(request.get_data())(environ, start_response)

    certificates = TwinCertificates(tmp_path / "tls")
    listener = listen(echo, 0, certificates, "echo", threads=2, max_threads=4, read_timeout=1)
    try:
        yield listener, str(certificates.ca_bundle)
    finally:
        listener.stop()


def test_a_stalled_body_meets_the_read_timeout_and_its_connection_is_closed(quick_timeout_listener):
    listener, ca_bundle = quick_timeout_listener
    url = f"https://127.0.0.1:{listener.port}"
    tls = open_stalled(url, ca_bundle, "/", "none")
    tls.settimeout(30)  # a bound for the test itself; the listener's own read timeout is 1 s
    answer = b""
    for _ in range(100):  # until the twin closes the connection
        chunk = tls.recv(4096)
        if not chunk:
            break
        answer += chunk
    tls.close()
    assert answer.split(b"\r\n", 1)[0].endswith(b"408 Request Timeout"), answer[:200]


def test_more_stalled_clients_than_first_workers_still_leave_room(quick_timeout_listener):
    """Two workers to start with and four at most: three stalled clients, and an ordinary request still gets one."""
    listener, ca_bundle = quick_timeout_listener
    url = f"https://127.0.0.1:{listener.port}"
    stalled = [open_stalled(url, ca_bundle, "/", "none") for _ in range(3)]
    try:
        http = requests.Session()
        http.verify, http.trust_env = ca_bundle, False
        assert http.post(url, data=b"hello", timeout=30).content == b"hello"
        assert listener.workers > 2
    finally:
        for tls in stalled:
            tls.close()


def test_a_body_that_trickles_in_meets_the_body_deadline():
    """A byte every 0.3 s never trips the 5 s read timeout; the 1 s deadline for the whole body ends it anyway."""
    import tempfile
    from pathlib import Path

    from werkzeug.routing import Rule

    from harness.twin.tls import TwinCertificates
    from harness.twin.web import PlatformApp

    app = PlatformApp([Rule("/", endpoint="echo", methods=["POST"])], {"echo": lambda request: Response(request.get_data())})
    with tempfile.TemporaryDirectory() as scratch:
        certificates = TwinCertificates(Path(scratch) / "tls")
        listener = listen(app, 0, certificates, "trickle", threads=2, max_threads=4, read_timeout=5, body_deadline=1)
        try:
            tls = open_stalled(f"https://127.0.0.1:{listener.port}", str(certificates.ca_bundle), "/", "none")
            tls.settimeout(0.3)
            ended = False
            for _ in range(100):  # at most 100 bytes (30 s), far more than the deadline allows
                try:
                    tls.sendall(b" ")
                    if tls.recv(4096) == b"":
                        ended = True
                        break
                except TimeoutError:
                    continue  # nothing yet: the twin is still reading
                except OSError:
                    ended = True
                    break
            tls.close()
            assert ended, "the twin kept reading a trickling body"
            http = requests.Session()
            http.verify, http.trust_env = str(certificates.ca_bundle), False
            assert http.post(f"https://127.0.0.1:{listener.port}/", data=b"still here", timeout=30).content == b"still here"
        finally:
            listener.stop()


def test_the_workers_a_burst_added_end_once_the_listener_is_quiet(quick_timeout_listener, monkeypatch):
    """A served twin does not keep a burst's threads: after the quiet period only the first workers are left."""
    from harness.twin.listener import ElasticWorkers

    monkeypatch.setattr(ElasticWorkers, "SHRINK_AFTER_SECONDS", 0.5)
    listener, ca_bundle = quick_timeout_listener
    url = f"https://127.0.0.1:{listener.port}"
    stalled = [open_stalled(url, ca_bundle, "/", "none") for _ in range(3)]
    try:
        deadline = time.monotonic() + 10
        while listener.workers <= 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert listener.workers > 2
    finally:
        for tls in stalled:
            tls.close()
    deadline = time.monotonic() + 15
    while listener.workers > 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert listener.workers == 2
    http = requests.Session()
    http.verify, http.trust_env = ca_bundle, False
    assert http.post(url, data=b"still served", timeout=30).content == b"still served"
