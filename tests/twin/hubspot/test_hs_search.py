"""CRM search: every operator, groups, sorts, paging and its caps, and the index lag that catches search-waiters."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from hubspot.crm.contacts.exceptions import ApiException
from hubspot.crm.contacts.models import CollectionResponseWithTotalSimplePublicObjectForwardPaging

from tests.conftest import hubspot_client
from tests.twin.hubspot.conftest import configure, relaxed

PEOPLE = [  # firstname, lastname, jobtitle, country, lifecyclestage, employees-like number in `zip`
    ("Ada", "Lovelace", "Chief Analyst", "United Kingdom", "lead", "100"),
    ("Grace", "Hopper", "Rear Admiral", "United States", "customer", "250"),
    ("Katherine", "Johnson", None, "United States", "opportunity", "75"),
    ("Dorothy", "Vaughan", "Programmer", "United States", "lead", "20"),
    ("Hedy", "Lamarr", "Inventor", "Germany", "subscriber", None),
]


@pytest.fixture(scope="module")
def people(portal_twin, client):
    """Five contacts sharing a marker company, so each search can be scoped to them."""
    marker = f"Marker{uuid.uuid4().hex[:8]}"
    inputs = []
    for first, last, title, country, stage, number in PEOPLE:
        properties = {"email": f"{first.lower()}.{marker.lower()}@example.com", "firstname": first, "lastname": last,
                      "country": country, "lifecyclestage": stage, "company": marker}
        if title:
            properties["jobtitle"] = title
        if number:
            properties["zip"] = number
        inputs.append({"properties": properties})
    created = client.crm.contacts.batch_api.create({"inputs": inputs})
    ids = {r.properties["firstname"]: r.id for r in created.results}
    return marker, ids


def search(client, marker, *filters, **body):
    scoped = [{"propertyName": "company", "operator": "EQ", "value": marker}, *filters]
    return client.crm.contacts.search_api.do_search({"filterGroups": [{"filters": scoped}], "properties": ["firstname"],
                                                     **body})


def names(result) -> set[str]:
    return {r.properties["firstname"] for r in result.results}


@pytest.mark.parametrize(("operator", "extra", "expected"), [
    ("EQ", {"propertyName": "lifecyclestage", "value": "lead"}, {"Ada", "Dorothy"}),
    ("EQ", {"propertyName": "lastname", "value": "hopper"}, {"Grace"}),  # strings compare case-insensitively
    ("NEQ", {"propertyName": "country", "value": "United States"}, {"Ada", "Hedy"}),
    ("IN", {"propertyName": "lifecyclestage", "values": ["customer", "opportunity"]}, {"Grace", "Katherine"}),
    ("NOT_IN", {"propertyName": "lifecyclestage", "values": ["lead", "subscriber"]}, {"Grace", "Katherine"}),
    ("HAS_PROPERTY", {"propertyName": "jobtitle"}, {"Ada", "Grace", "Dorothy", "Hedy"}),
    ("NOT_HAS_PROPERTY", {"propertyName": "jobtitle"}, {"Katherine"}),
    ("CONTAINS_TOKEN", {"propertyName": "jobtitle", "value": "admiral"}, {"Grace"}),
    ("CONTAINS_TOKEN", {"propertyName": "email", "value": "*@example.com"}, {"Ada", "Grace", "Katherine", "Dorothy",
                                                                              "Hedy"}),
    ("CONTAINS_TOKEN", {"propertyName": "jobtitle", "value": "prog*"}, {"Dorothy"}),
    ("NOT_CONTAINS_TOKEN", {"propertyName": "jobtitle", "value": "analyst"}, {"Grace", "Katherine", "Dorothy", "Hedy"}),
    ("GTE", {"propertyName": "zip", "value": "75"}, {"Katherine"}),  # zip is a string: compared as text
    ("LT", {"propertyName": "lastname", "value": "K"}, {"Grace", "Katherine"}),
    ("LTE", {"propertyName": "lastname", "value": "Johnson"}, {"Grace", "Katherine"}),
    ("BETWEEN", {"propertyName": "lastname", "value": "H", "highValue": "L"}, {"Grace", "Katherine"}),
])
def test_each_operator(client, people, operator, extra, expected):
    marker, _ = people
    assert names(search(client, marker, {"operator": operator, **extra})) == expected


def test_numbers_and_dates_compare_numerically(client, people, portal_twin):
    marker, ids = people
    tag = f"Num{uuid.uuid4().hex[:6]}"
    client.crm.companies.batch_api.create({"inputs": [{"properties": {"name": f"{tag} {n}", "numberofemployees": str(n)}}
                                                      for n in (9, 75, 100, 250)]})
    big = client.crm.companies.search_api.do_search({"filterGroups": [{"filters": [
        {"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": tag},
        {"propertyName": "numberofemployees", "operator": "GT", "value": "75"}]}], "sorts": ["numberofemployees"]})
    assert [r.properties["name"] for r in big.results] == [f"{tag} 100", f"{tag} 250"]
    created = client.crm.contacts.basic_api.get_by_id(ids["Hedy"], properties=["createdate"]).properties["createdate"]
    before = client.crm.contacts.search_api.do_search({"filterGroups": [{"filters": [
        {"propertyName": "company", "operator": "EQ", "value": marker},
        {"propertyName": "createdate", "operator": "LTE", "value": created}]}]})
    assert before.total == 5
    epoch_ms = str(int(time.time() * 1000) + 3_600_000)
    assert search(client, marker, {"propertyName": "createdate", "operator": "GT", "value": epoch_ms}).total == 0


def test_groups_are_ored_and_filters_anded(client, people):
    marker, _ = people
    result = client.crm.contacts.search_api.do_search({"filterGroups": [
        {"filters": [{"propertyName": "company", "operator": "EQ", "value": marker},
                     {"propertyName": "country", "operator": "EQ", "value": "Germany"}]},
        {"filters": [{"propertyName": "company", "operator": "EQ", "value": marker},
                     {"propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"}]}],
        "properties": ["firstname"]})
    assert names(result) == {"Hedy", "Grace"} and result.total == 2


def test_sorts_total_and_after_paging(client, people):
    marker, _ = people
    page = search(client, marker, sorts=[{"propertyName": "lastname", "direction": "DESCENDING"}], limit=2)
    assert isinstance(page, CollectionResponseWithTotalSimplePublicObjectForwardPaging)
    assert page.total == 5 and [r.properties["firstname"] for r in page.results] == ["Dorothy", "Ada"]
    seen = [r.properties["firstname"] for r in page.results]
    while page.paging and page.paging.next:
        page = search(client, marker, sorts=["-lastname"], limit=2, after=page.paging.next.after)
        seen += [r.properties["firstname"] for r in page.results]
    assert seen == ["Dorothy", "Ada", "Hedy", "Katherine", "Grace"]
    missing_last = search(client, marker, sorts=["jobtitle"], limit=5)
    assert [r.properties["firstname"] for r in missing_last.results][-1] == "Katherine"  # no value sorts last


def test_free_text_query(client, people):
    marker, _ = people
    assert names(client.crm.contacts.search_api.do_search({"query": "lovel", "properties": ["firstname"],
                                                           "filterGroups": [{"filters": [
                                                               {"propertyName": "company", "operator": "EQ",
                                                                "value": marker}]}]})) == {"Ada"}


def test_search_limits_are_enforced(client, people):
    marker, _ = people
    cases = [({"limit": 201}, "limit"),
             ({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "HAS_PROPERTY"}]}] * 6}, "filterGroups"),
             ({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "HAS_PROPERTY"}] * 9}] * 3},
              "25"),
             ({"filterGroups": [{"filters": [{"propertyName": "nosuch", "operator": "EQ", "value": "1"}]}]}, "nosuch"),
             ({"filterGroups": [{"filters": [{"propertyName": "email", "operator": "LIKE", "value": "1"}]}]}, "LIKE"),
             ({"filterGroups": [{"filters": [{"propertyName": "zip", "operator": "IN"}]}]}, "values")]
    for body, mentioned in cases:
        with pytest.raises(ApiException) as refused:
            client.crm.contacts.search_api.do_search(body)
        assert refused.value.status == 400 and mentioned in json.loads(refused.value.body)["message"]


def test_search_lags_writes_so_waiting_on_it_is_caught(portal_twin, client, unique):
    configure(portal_twin, search_index_lag_ms=600)
    try:
        email = unique("lag")
        created = client.crm.contacts.basic_api.create({"properties": {"email": email, "firstname": "Before"}})
        by_email = {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": email}]}],
                    "properties": ["firstname"]}
        assert client.crm.contacts.search_api.do_search(by_email).total == 0  # written, not yet searchable
        assert client.crm.contacts.basic_api.get_by_id(created.id).properties["email"] == email  # by id: there
        time.sleep(0.7)
        assert client.crm.contacts.search_api.do_search(by_email).total == 1
        client.crm.contacts.basic_api.update(created.id, {"properties": {"firstname": "After"}})
        client.crm.contacts.basic_api.archive(created.id)
        stale = client.crm.contacts.search_api.do_search({"filterGroups": [{"filters": [
            {"propertyName": "firstname", "operator": "EQ", "value": "Before"},
            {"propertyName": "email", "operator": "EQ", "value": email}]}]})
        assert stale.total == 1 and stale.results[0].archived is False  # the old value, the archived record
        time.sleep(0.7)
        assert client.crm.contacts.search_api.do_search(by_email).total == 0
    finally:
        configure(portal_twin, search_index_lag_ms=0)


def test_the_lag_is_on_by_default(twin):
    hs = hubspot_client(twin)
    email = "default.lag@example.com"
    hs.crm.contacts.basic_api.create({"properties": {"email": email}})
    found = hs.crm.contacts.search_api.do_search({"filterGroups": [{"filters": [
        {"propertyName": "email", "operator": "EQ", "value": email}]}]})
    assert found.total == 0
    assert configure(twin)["search_index_lag_ms"] == 3000


def test_no_paging_past_ten_thousand_results(twin):
    relaxed(twin)
    backend = twin.hubspot
    for start in range(0, 10_050, 100):
        backend.create_many("contacts", [{"email": f"cap{n}@example.com"} for n in range(start, min(start + 100, 10_050))])
    hs = hubspot_client(twin)
    everyone = {"filterGroups": [{"filters": [{"propertyName": "email", "operator": "CONTAINS_TOKEN",
                                               "value": "cap*"}]}], "limit": 100}
    near_end = hs.crm.contacts.search_api.do_search({**everyone, "after": "9950"})
    assert near_end.total == 10_050 and len(near_end.results) == 50
    assert near_end.paging.next.after == "10000"
    with pytest.raises(ApiException) as beyond:
        hs.crm.contacts.search_api.do_search({**everyone, "after": near_end.paging.next.after})
    assert beyond.value.status == 400 and "10000" in json.loads(beyond.value.body)["message"]
