"""Shared fixtures for the project's own tests: a running twin and the two real clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import hubspot
import pytest
import requests
from simple_salesforce import Salesforce

if TYPE_CHECKING:  # imported lazily: tests of the harness alone need not import the twin
    from harness.twin import Twin


def salesforce_client(twin: Twin) -> Salesforce:
    """Exactly as DESIGN.md §2 says a client connects."""
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    return Salesforce(instance_url=twin.salesforce_url, session_id=twin.salesforce_session_id, session=session)


def hubspot_client(twin: Twin) -> hubspot.Client:
    return hubspot.Client.create(access_token=twin.hubspot_token, host=twin.hubspot_url, ssl_ca_cert=twin.ca_bundle)


@pytest.fixture
def twin() -> Iterator[Twin]:
    from harness.twin import Twin

    with Twin.start(org="healthy") as running:
        yield running


@pytest.fixture
def sf(twin: Twin) -> Salesforce:
    return salesforce_client(twin)


@pytest.fixture
def hs(twin: Twin) -> hubspot.Client:
    return hubspot_client(twin)


# -- whole runs, shared by every test module that reads a run folder (each costs a full `uat run`) --------
@pytest.fixture(scope="session")
def allure_history(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("allure-history") / "history.jsonl"


@pytest.fixture(scope="session")
def healthy_run(allure_history):
    """`uat run` on the healthy twin org (the whole suite)."""
    from tests.report.report_runs import uat_run

    return uat_run(history=allure_history)


@pytest.fixture(scope="session")
def drifted_run(allure_history):
    """`uat run --org drifted` (the whole suite, against the planted defects)."""
    from tests.report.report_runs import uat_run

    return uat_run("--org", "drifted", history=allure_history)
