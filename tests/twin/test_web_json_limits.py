"""Request bodies the platforms' JSON parser refuses are the platforms' 400, never a 500, and nothing is written:
nesting deeper than Jackson's 1,000 levels, and the non-numeric literals NaN, Infinity and -Infinity (which Python's
json accepts, and which once made a HubSpot contact with the e-mail "nan")."""

from __future__ import annotations

import pytest
import requests

from harness.twin import Twin

SF_API = "/services/data/v59.0"
DEEP = b'{"properties": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.fixture(scope="module")
def module_twin():
    with Twin.start(org="healthy") as running:
        yield running


@pytest.fixture(scope="module")
def http(module_twin) -> requests.Session:
    session = requests.Session()
    session.verify = module_twin.ca_bundle
    session.trust_env = False
    return session


def hs_post(twin, http, path: str, body: bytes) -> requests.Response:
    return http.post(f"{twin.hubspot_url}{path}", data=body, timeout=60,
                     headers={"Authorization": f"Bearer {twin.hubspot_token}", "Content-Type": "application/json"})


def sf_post(twin, http, path: str, body: bytes) -> requests.Response:
    return http.post(f"{twin.salesforce_url}{SF_API}{path}", data=body, timeout=60,
                     headers={"Authorization": f"Bearer {twin.salesforce_session_id}", "Content-Type": "application/json"})


def counts(twin) -> tuple[int, int]:
    """(HubSpot objects of every type, Salesforce Leads)."""
    snapshot = twin.snapshot()
    return len(snapshot["hubspot"]), len(snapshot["salesforce"]["Lead"])


def assert_hubspot_refused(response: requests.Response, why: str) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    body = response.json()
    assert body["status"] == "error" and body["category"] == "VALIDATION_ERROR", body
    assert body["message"].startswith("Invalid input JSON on line 1, column ") and why in body["message"], body


def assert_salesforce_refused(response: requests.Response, why: str) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    body = response.json()
    assert isinstance(body, list) and body[0]["errorCode"] == "JSON_PARSER_ERROR" and why in body[0]["message"], body


@pytest.mark.parametrize("path", ["/crm/v3/objects/contacts", "/crm/v3/objects/contacts/search",
                                  "/crm/v3/objects/contacts/batch/create", "/crm/v3/objects/companies/batch/read"])
def test_hubspot_answers_deep_nesting_with_its_validation_error(module_twin, http, path):
    before = counts(module_twin)
    assert_hubspot_refused(hs_post(module_twin, http, path, DEEP), "nesting depth")
    assert counts(module_twin) == before


@pytest.mark.parametrize("path", ["/sobjects/Lead", "/composite", "/composite/sobjects"])
def test_salesforce_answers_deep_nesting_with_json_parser_error(module_twin, http, path):
    before = counts(module_twin)
    assert_salesforce_refused(sf_post(module_twin, http, path, DEEP), "nesting depth")
    assert counts(module_twin) == before


def test_the_control_plane_answers_deep_nesting_with_a_400(module_twin, http):
    response = http.post(f"{module_twin.control_url}/faults/hubspot", data=DEEP, timeout=60,
                         headers={"Authorization": f"Bearer {module_twin.control_token}"})
    assert response.status_code == 400 and "nesting depth" in response.json()["message"], response.text[:300]


def test_nesting_within_the_platforms_limit_is_still_parsed(module_twin, http):
    # 200 levels deep: well inside Jackson's 1,000; HubSpot parses it and then refuses the shape, not the JSON.
    nested = b'{"properties": {"email": "deep@example.com"}, "extra": ' + b"[" * 200 + b"]" * 200 + b"}"
    response = hs_post(module_twin, http, "/crm/v3/objects/contacts", nested)
    assert response.status_code == 201, response.text[:300]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_numeric_literals_are_refused_by_both_platforms(module_twin, http, literal):
    before = counts(module_twin)
    hs = hs_post(module_twin, http, "/crm/v3/objects/contacts",
                 f'{{"properties": {{"email": {literal}, "lastname": "Nan"}}}}'.encode())
    assert_hubspot_refused(hs, f"Non-standard token '{literal}'")
    sf = sf_post(module_twin, http, "/sobjects/Lead", f'{{"LastName": "Nan", "Company": "X", "AnnualRevenue": '
                                                        f"{literal}}}".encode())
    assert_salesforce_refused(sf, f"Non-standard token '{literal}'")
    assert counts(module_twin) == before


def test_the_words_as_strings_are_ordinary_values(module_twin, http):
    created = hs_post(module_twin, http, "/crm/v3/objects/contacts",
                      b'{"properties": {"email": "nan@example.com", "firstname": "NaN", "lastname": "Infinity"}}')
    assert created.status_code == 201, created.text[:300]
    assert created.json()["properties"]["firstname"] == "NaN"


def test_a_number_longer_than_the_platforms_limit_is_refused(module_twin, http):
    # Jackson's maxNumberLength: 1,000 characters; a 1,000-digit number is still a number (and then a bad value).
    before = counts(module_twin)
    too_long = b"1" * 1001
    assert_hubspot_refused(hs_post(module_twin, http, "/crm/v3/objects/contacts/search",
                                   b'{"limit": ' + too_long + b"}"), "Number value length")
    assert_salesforce_refused(sf_post(module_twin, http, "/sobjects/Lead",
                                      b'{"LastName": "Long", "Company": "X", "NumberOfEmployees": ' + too_long + b"}"),
                              "Number value length")
    assert counts(module_twin) == before


def test_a_string_longer_than_the_platforms_limit_is_refused(module_twin, http):
    # Jackson's maxStringLength: 20,000,000 characters (the body itself is under the 50 MB cap).
    before = counts(module_twin)
    body = b'{"properties": {"email": "long@example.com", "lastname": "' + b"x" * 20_000_001 + b'"}}'
    response = hs_post(module_twin, http, "/crm/v3/objects/contacts", body)
    assert_hubspot_refused(response, "String value length")
    assert counts(module_twin) == before
