"""The twin as an attack surface: loopback only, every request authenticated with the run's own credentials (the
platform's 401 shape otherwise), a control plane behind its own token, and bad input (malformed, oversized,
SOQL injection, fuzzed) answered with the platform's 4xx, never a 5xx or a hang."""

from __future__ import annotations

import json
import socket
import ssl
import string

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SF_API = "/services/data/v59.0"


@pytest.fixture(scope="module")
def module_twin():
    from harness.twin import Twin

    with Twin.start(org="healthy") as running:
        yield running


@pytest.fixture(scope="module")
def http(module_twin) -> requests.Session:
    session = requests.Session()
    session.verify = module_twin.ca_bundle
    session.trust_env = False
    return session


def sf_headers(twin, token: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token if token is not None else twin.salesforce_session_id}",
            "Content-Type": "application/json"}


def hs_headers(twin, token: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token if token is not None else twin.hubspot_token}",
            "Content-Type": "application/json"}


def test_every_listener_is_bound_to_loopback_only(module_twin):
    for listener in module_twin._listeners:
        host = listener.server.bind_addr[0]
        assert host == "127.0.0.1", f"{listener.server.server_name} listens on {host}"


@pytest.mark.parametrize("token", [None, "", "00D000000000001!forged", "pat-na1-00000000-0000"])
def test_salesforce_refuses_a_missing_or_wrong_session_with_its_401(module_twin, http, token):
    headers = {} if token is None else sf_headers(module_twin, token)
    response = http.get(f"{module_twin.salesforce_url}{SF_API}/sobjects/Lead/describe", headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.json() == [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]


@pytest.mark.parametrize("token", [None, "", "pat-na1-forged", "the-salesforce-session"])
def test_hubspot_refuses_a_missing_or_wrong_token_with_its_401(module_twin, http, token):
    if token == "the-salesforce-session":
        token = module_twin.salesforce_session_id  # one platform's credential never opens the other
    headers = {} if token is None else hs_headers(module_twin, token)
    response = http.get(f"{module_twin.hubspot_url}/crm/v3/objects/contacts", headers=headers, timeout=10)
    assert response.status_code == 401
    body = response.json()
    assert body["status"] == "error" and body["category"] == "INVALID_AUTHENTICATION"


@pytest.mark.parametrize("credential", ["none", "hubspot", "salesforce", "forged"])
def test_the_control_plane_needs_its_own_token(module_twin, http, credential):
    token = {"none": None, "hubspot": module_twin.hubspot_token, "salesforce": module_twin.salesforce_session_id,
             "forged": "x" * 43}[credential]
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    for method, path in (("GET", "/snapshot"), ("POST", "/sync"), ("POST", "/faults/salesforce")):
        response = http.request(method, module_twin.control_url + path, headers=headers, json={}, timeout=10)
        assert response.status_code == 401, (method, path)


def test_a_declared_huge_body_is_refused_at_once_without_being_read(module_twin):
    """A client that announces a terabyte gets 413 before the twin reads a byte (no hang, no memory)."""
    context = ssl.create_default_context(cafile=module_twin.ca_bundle)
    for url, headers in ((module_twin.salesforce_url, f"Authorization: Bearer {module_twin.salesforce_session_id}"),
                         (module_twin.hubspot_url, f"Authorization: Bearer {module_twin.hubspot_token}")):
        port = int(url.rsplit(":", 1)[1])
        path = f"{SF_API}/sobjects/Lead" if url == module_twin.salesforce_url else "/crm/v3/objects/contacts"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\nContent-Type: application/json\r\n"
                        f"Content-Length: {10 ** 12}\r\n\r\n{{".encode())
            status_line = tls.recv(4096).split(b"\r\n", 1)[0]
        assert b" 413 " in status_line, status_line


@pytest.mark.parametrize("body", [b"{", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'"a string"', b"null",
                                  b'{"LastName": {"nested": [1, 2]}}', b'{"LastName": 1e999}', b"{}" * 1000])
def test_malformed_bodies_get_the_platforms_400(module_twin, http, body):
    sf = http.post(f"{module_twin.salesforce_url}{SF_API}/sobjects/Lead", data=body, headers=sf_headers(module_twin),
                   timeout=10)
    assert 400 <= sf.status_code < 500, (sf.status_code, sf.text[:300])
    assert isinstance(sf.json(), list) and sf.json()[0].get("errorCode")
    hs = http.post(f"{module_twin.hubspot_url}/crm/v3/objects/contacts", data=body, headers=hs_headers(module_twin),
                   timeout=10)
    assert 400 <= hs.status_code < 500, (hs.status_code, hs.text[:300])
    assert hs.json().get("status") == "error" and hs.json().get("category")
    control = http.post(f"{module_twin.control_url}/faults/salesforce", data=body, timeout=10,
                        headers={"Authorization": f"Bearer {module_twin.control_token}"})
    assert control.status_code in (200, 400), (control.status_code, control.text[:300])


INJECTIONS = [
    "SELECT Id FROM Lead WHERE LastName = '' OR 1=1 --'",
    "SELECT Id FROM Lead WHERE LastName = 'x'; DROP TABLE sf_lead; --'",
    "SELECT Id FROM Lead WHERE LastName = 'x' UNION SELECT name FROM sqlite_master",
    "SELECT Id FROM Lead WHERE LastName = '\\' OR \\'1\\'=\\'1'",
    "SELECT Id, (SELECT sql FROM sqlite_master) FROM Lead",
    "SELECT Id FROM sqlite_master",
    "SELECT Id FROM Lead WHERE LastName LIKE '%' ESCAPE '' --",
    'SELECT Id FROM "sf_lead"',
    "SELECT Id FROM Lead WHERE Id IN (SELECT Id FROM Lead WHERE LastName = 'a') OR 1=1",
]


@pytest.mark.parametrize("soql", INJECTIONS)
def test_soql_injection_attempts_get_a_query_error_and_change_nothing(module_twin, http, soql):
    before = len(module_twin.snapshot()["salesforce"]["Lead"])
    response = http.get(f"{module_twin.salesforce_url}{SF_API}/query", params={"q": soql},
                        headers=sf_headers(module_twin), timeout=10)
    assert response.status_code < 500, response.text[:300]
    if response.status_code == 200:  # a harmless reading of the text as a literal is fine, leaking is not
        assert "sqlite" not in response.text.lower() and "CREATE TABLE" not in response.text
    else:
        assert response.json()[0]["errorCode"] in {"MALFORMED_QUERY", "INVALID_TYPE", "INVALID_FIELD"}
    assert len(module_twin.snapshot()["salesforce"]["Lead"]) == before


# -- fuzzing -------------------------------------------------------------------------------------------------
TEXT = st.text(alphabet=string.printable + "éü王\x00\u2028", max_size=60)
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats(allow_nan=False)
                           | TEXT, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
BODIES = st.one_of(JSON_VALUES.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200),
                   st.dictionaries(st.sampled_from(["properties", "inputs", "records", "filterGroups", "LastName",
                                                    "Email", "q", "allOrNone", "idProperty", "after", "limit"]),
                                   JSON_VALUES, max_size=4).map(lambda v: json.dumps(v).encode()))
OBJECTS = st.sampled_from(["Lead", "Contact", "Account", "Opportunity", "Task", "Nope__c", "..", "%00", "Lead'--"])
HS_OBJECTS = st.sampled_from(["contacts", "companies", "deals", "tickets", "notes", "0-1", "nope", "..", "%2e%2e"])
SF_PATHS = st.one_of(
    OBJECTS.map(lambda o: f"{SF_API}/sobjects/{o}"),
    st.tuples(OBJECTS, TEXT).map(lambda t: f"{SF_API}/sobjects/{t[0]}/{requests.utils.quote(t[1], safe='')}"),
    st.just(f"{SF_API}/composite/sobjects"), st.just(f"{SF_API}/composite"), st.just(f"{SF_API}/composite/tree/Lead"),
    st.just(f"{SF_API}/jobs/ingest"), st.just(f"{SF_API}/query"), st.just("/services/Soap/u/59.0"),
    st.just(f"{SF_API}/tooling/query"), TEXT.map(lambda t: "/" + requests.utils.quote(t)))
HS_PATHS = st.one_of(
    HS_OBJECTS.map(lambda o: f"/crm/v3/objects/{o}"),
    st.tuples(HS_OBJECTS, st.sampled_from(["batch/create", "batch/read", "batch/update", "batch/upsert",
                                           "batch/archive", "search", "merge", "gdpr-delete"]))
    .map(lambda t: f"/crm/v3/objects/{t[0]}/{t[1]}"),
    st.tuples(HS_OBJECTS, TEXT).map(lambda t: f"/crm/v3/objects/{t[0]}/{requests.utils.quote(t[1], safe='')}"),
    st.tuples(HS_OBJECTS, HS_OBJECTS).map(lambda t: f"/crm/v4/associations/{t[0]}/{t[1]}/batch/read"),
    st.just("/crm/v3/properties/contacts"), st.just("/crm/v3/lists"), st.just("/automation/v4/flows"),
    TEXT.map(lambda t: "/" + requests.utils.quote(t)))
CONTROL_PATHS = st.sampled_from(["/sync", "/faults/salesforce", "/faults/hubspot", "/connector/settings",
                                 "/connector/interval", "/connector/resync", "/connector/errors", "/connector/links",
                                 "/pause", "/nothing"])
METHODS = st.sampled_from(["GET", "POST", "PATCH", "PUT", "DELETE"])
QUERY = st.dictionaries(st.sampled_from(["q", "properties", "limit", "after", "archived", "idProperty", "fields",
                                         "object", "id", "associations"]), TEXT, max_size=3)


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(target=st.sampled_from(["salesforce", "hubspot", "control"]), method=METHODS, data=st.data(), body=BODIES,
       query=QUERY)
def test_fuzzed_requests_never_get_a_5xx(module_twin, http, target, method, data, body, query):
    if target == "salesforce":
        url, headers = module_twin.salesforce_url + data.draw(SF_PATHS), sf_headers(module_twin)
    elif target == "hubspot":
        url, headers = module_twin.hubspot_url + data.draw(HS_PATHS), hs_headers(module_twin)
    else:
        url = module_twin.control_url + data.draw(CONTROL_PATHS)
        headers = {"Authorization": f"Bearer {module_twin.control_token}", "Content-Type": "application/json"}
    if url.endswith("/pause"):
        url = module_twin.control_url + "/resume"  # a paused connector would change the tests after this one
    try:
        response = http.request(method, url, params=query, data=body if method != "GET" else None, headers=headers,
                                timeout=30)
    finally:
        if target == "control":  # a fuzzed body may have switched faults on: they would answer 503 from now on
            module_twin.salesforce.faults.configure({"clear": True})
            module_twin.hubspot_app.configure({"faults": None, "reset": True})
            module_twin.salesforce_app.resets.configure({})
            module_twin.hubspot_app.resets.configure({})
    failure = f"{method} {url} {query} {body[:200]!r} -> {response.status_code} {response.text[:300]}"
    if "/services/Soap/" in url and response.status_code == 500:
        # SOAP reports every fault as HTTP 500 with a soapenv:Fault body: that is Salesforce's own error shape
        assert "<soapenv:Fault>" in response.text and "faultcode" in response.text, failure
        return
    assert response.status_code < 500, failure


def test_the_twin_is_alive_after_the_fuzzing(module_twin, http):
    """Run last in this module (pytest keeps file order): the twin still answers every platform normally."""
    assert http.get(f"{module_twin.salesforce_url}{SF_API}/limits", headers=sf_headers(module_twin),
                    timeout=10).status_code == 200
    assert http.get(f"{module_twin.hubspot_url}/crm/v3/objects/contacts", headers=hs_headers(module_twin),
                    timeout=10).status_code == 200
    assert http.get(f"{module_twin.control_url}/health", timeout=10,
                    headers={"Authorization": f"Bearer {module_twin.control_token}"}).status_code == 200
