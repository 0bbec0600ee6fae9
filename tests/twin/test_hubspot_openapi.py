"""The HubSpot twin against HubSpot's own OpenAPI specs: every endpoint the twin serves is driven with realistic
requests, and every answer's status and body are checked against the operation's documented responses.

Where HubSpot's generated specs contradict what its live API sends, the schemas are patched before validation, each
patch with its public evidence (tests/twin/hubspot_openapi_allowances.py); a patch no answer needs fails the test,
so the allow-list cannot outgrow the differences it excuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
import requests

from harness.twin import Twin
from harness.twin.hubspot.urls import RULES
from tests.twin.hubspot.conftest import relaxed
from tests.twin.hubspot_openapi import SPEC_DIR, Exchange, SpecIndex
from tests.twin.hubspot_openapi_allowances import ALLOWANCES
from tests.twin.hubspot_openapi_calls import Driver

if not SPEC_DIR.is_dir():
    pytest.skip(f"HubSpot's OpenAPI specs are not at {SPEC_DIR} (../shared/reference/hubspot-openapi/ from the repository "
                "root); the conformance test needs them", allow_module_level=True)

ENDPOINTS = sorted({str(rule.endpoint) for rule in RULES})
# Served by the twin but not an API operation of any spec: HubSpot documents it only as "the URL of the resulting file".
OUTSIDE_THE_SPECS = {"export_download": "the export file host behind the pre-signed URL of an export's status"}


@pytest.fixture(scope="module")
def exchanges() -> Iterator[list[Exchange]]:
    with Twin.start(org="healthy") as twin:
        relaxed(twin)
        adapter = twin.hubspot_app.url_map.bind("twin")
        recorded: list[Exchange] = []

        def record(response: requests.Response, *args: object, **kwargs: object) -> None:
            path = urlparse(response.url).path
            endpoint, _ = adapter.match(path, method=response.request.method)
            is_json = response.headers.get("Content-Type", "").startswith("application/json")
            recorded.append(Exchange(str(endpoint), str(response.request.method), path, response.status_code,
                                     response.json() if is_json and response.content else None))

        session = requests.Session()
        session.verify = twin.ca_bundle
        session.trust_env = False
        session.headers["Authorization"] = f"Bearer {twin.hubspot_token}"
        session.hooks["response"].append(record)
        Driver(session, twin.hubspot_url).run()
        yield recorded


@pytest.fixture(scope="module")
def index() -> SpecIndex:
    return SpecIndex(SPEC_DIR, ALLOWANCES)


def test_every_endpoint_the_twin_serves_is_driven(exchanges):
    assert set(ENDPOINTS) - {e.endpoint for e in exchanges} == set()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_twin_answers_as_the_spec_documents(endpoint, exchanges, index):
    if endpoint in OUTSIDE_THE_SPECS:
        pytest.skip(f"{endpoint}: {OUTSIDE_THE_SPECS[endpoint]}")
    mine = [e for e in exchanges if e.endpoint == endpoint]
    verdicts = [(e, index.check(e)) for e in mine]
    if all(v.operation is None for _, v in verdicts):
        pytest.skip(f"{endpoint}: none of the specs in {SPEC_DIR.name}/ documents {mine[0].method} {mine[0].path}")
    problems = [f"{e.method} {e.path} -> {e.status}: {p}" for e, v in verdicts for p in v.problems]
    assert problems == []


@pytest.mark.parametrize("allowance", ALLOWANCES, ids=lambda a: a.name)
def test_each_allowance_excuses_a_real_difference(allowance, exchanges):
    """Without this one patch, some answer of the twin fails its schema: the allowance is needed, not decoration."""
    without = SpecIndex(SPEC_DIR, [a for a in ALLOWANCES if a is not allowance])
    failing = [e for e in exchanges if e.endpoint not in OUTSIDE_THE_SPECS and without.check(e).problems]
    assert failing, f"{allowance.name} excuses nothing any answer needs; remove it"


def test_counts(exchanges, index, capsys):
    """The figures the README states: endpoints validated against the specs and the checks (answers) that passed."""
    verdicts = [(e, index.check(e)) for e in exchanges if e.endpoint not in OUTSIDE_THE_SPECS]
    checked = [(e, v) for e, v in verdicts if v.operation is not None]
    validated = sorted({e.endpoint for e, _ in checked})
    unspecified = sorted(set(ENDPOINTS) - set(validated))
    passed = sum(1 for _, v in checked if not v.problems)
    with capsys.disabled():
        print(f"\nHubSpot OpenAPI conformance: {len(validated)} of {len(ENDPOINTS)} twin endpoints validated "
              f"(no spec here for: {', '.join(unspecified)}); {passed} of {len(checked)} answers passed; "
              f"{len(ALLOWANCES)} allowances")
    assert validated and passed == len(checked)
