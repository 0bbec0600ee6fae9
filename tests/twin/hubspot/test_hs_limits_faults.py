"""Rate limits as documented (ten-second window, daily allowance, search per second) and faults on demand."""

from __future__ import annotations

import json
import time

import pytest
from hubspot.crm.contacts.exceptions import ApiException, ServiceException

from tests.twin.hubspot.conftest import configure, relaxed


@pytest.fixture
def limited(portal_twin):
    yield portal_twin
    relaxed(portal_twin)


def test_every_response_carries_the_rate_limit_headers_but_search(limited, raw, client):
    configure(limited, rate_limits={"enforced": True, "ten_second": 190, "daily": 1000}, reset=True)
    response = raw.get(f"{limited.hubspot_url}/crm/v3/objects/contacts")
    assert response.headers["X-HubSpot-RateLimit-Max"] == "190"
    assert response.headers["X-HubSpot-RateLimit-Remaining"] == "189"
    assert response.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert response.headers["X-HubSpot-RateLimit-Daily"] == "1000"
    assert response.headers["X-HubSpot-RateLimit-Daily-Remaining"] == "999"
    search = raw.post(f"{limited.hubspot_url}/crm/v3/objects/contacts/search", json={})
    assert search.status_code == 200 and "X-HubSpot-RateLimit-Max" not in search.headers


def test_the_ten_second_window_answers_429_with_policy_and_retry_after(limited, client):
    configure(limited, rate_limits={"enforced": True, "ten_second": 3}, reset=True)
    for _ in range(3):
        client.crm.contacts.basic_api.create({"properties": {}})
    with pytest.raises(ApiException) as throttled:
        client.crm.contacts.basic_api.create({"properties": {}})  # POST: the SDK does not retry it by itself
    body = json.loads(throttled.value.body)
    assert throttled.value.status == 429
    assert (body["errorType"], body["policyName"]) == ("RATE_LIMIT", "TEN_SECONDLY_ROLLING")
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    assert 1 <= int(throttled.value.headers["Retry-After"]) <= 10
    assert configure(limited)["rate_limits"]["throttled"]["TEN_SECONDLY_ROLLING"] == 1


def test_search_has_its_own_lower_limit(limited, client):
    configure(limited, rate_limits={"enforced": True, "search_per_second": 2, "ten_second": 190}, reset=True)
    search = client.crm.contacts.search_api.do_search
    search({}), search({})
    with pytest.raises(ApiException) as throttled:
        search({})
    assert json.loads(throttled.value.body)["policyName"] == "SECONDLY"
    assert throttled.value.headers["Retry-After"] == "1"
    time.sleep(1.05)
    assert search({}).total >= 0


def test_the_daily_allowance(limited, raw):
    configure(limited, rate_limits={"enforced": True, "daily": 2, "ten_second": 190}, reset=True)
    url = f"{limited.hubspot_url}/crm/v3/objects/companies"
    assert raw.get(url).status_code == 200 and raw.get(url).status_code == 200
    third = raw.get(url)
    assert third.status_code == 429 and third.json()["policyName"] == "DAILY"
    assert int(third.headers["Retry-After"]) > 0


def test_faults_on_demand(limited, client):
    configure(limited, faults={"share": 1.0, "kinds": ["502"], "count": 2})
    for _ in range(2):
        with pytest.raises(ServiceException) as failed:
            client.crm.contacts.basic_api.create({"properties": {}})
        assert failed.value.status == 502
    assert client.crm.contacts.basic_api.create({"properties": {}}).id  # the third request is served
    state = configure(limited, faults={"share": 1.0, "kinds": ["slow"], "slow_ms": 300, "count": 1})
    assert state["faults"]["slow_ms"] == 300
    began = time.perf_counter()
    client.crm.contacts.basic_api.create({"properties": {}})
    assert time.perf_counter() - began >= 0.3
    configure(limited, faults={"share": 1.0, "kinds": ["429"], "count": 1, "paths": ["/crm/v3/objects/companies"]})
    client.crm.contacts.basic_api.create({"properties": {}})  # another path: untouched
    from hubspot.crm.companies.exceptions import ApiException as CompanyApiException
    with pytest.raises(CompanyApiException) as throttled:
        client.crm.companies.basic_api.create({"properties": {"name": "x"}})
    assert throttled.value.status == 429 and throttled.value.headers["Retry-After"] == "1"
    assert configure(limited)["faults"]["injected"]["429"] == 1


def test_a_share_of_faults_is_replayable_from_its_seed(limited, raw):
    outcomes = []
    for _ in range(2):
        configure(limited, faults={"share": 0.5, "kinds": ["503"], "seed": 42})
        outcomes.append([raw.get(f"{limited.hubspot_url}/crm/v3/owners/").status_code for _ in range(12)])
    assert outcomes[0] == outcomes[1] and {200, 503} == set(outcomes[0])


def test_bad_control_input_is_a_400_naming_the_setting(limited):
    from tests.twin.hubspot.conftest import session_for

    control = session_for(limited, limited.control_token)
    for body, mentioned in (({"faults": {"share": 2}}, "faults.share"), ({"rate_limits": {"burst": 1}}, "rate_limits.burst"),
                            ({"faults": {"kinds": ["reset"], "share": 0.1}}, "faults.kinds"), ({"lag": 1}, "lag")):
        response = control.post(f"{limited.control_url}/faults/hubspot", json=body)
        assert response.status_code == 400 and mentioned in response.json()["message"]
