"""Fixtures for the twin's HubSpot tests: one running twin per module, the real client, the control plane.

Rate limits are lifted and the search index made immediate for most tests (each module that tests limits or
the index lag sets them itself), so that a test's own request count or timing never decides its outcome.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hubspot
import pytest
import requests
import yaml

from harness.twin import Twin
from tests.conftest import hubspot_client

HEALTHY = Path(__file__).resolve().parents[3] / "fixtures" / "orgs" / "healthy"


def session_for(twin: Twin, token: str) -> requests.Session:
    """Plain requests for endpoints the SDK lacks (flows): hs.api_request cannot be told to trust the twin's CA."""
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def configure(twin: Twin, **body: Any) -> dict[str, Any]:
    response = session_for(twin, twin.control_token).post(f"{twin.control_url}/faults/hubspot", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def relaxed(twin: Twin) -> None:
    configure(twin, faults=None, rate_limits={"enforced": False}, search_index_lag_ms=0, reset=True)


def org_with(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the healthy org whose hubspot.yaml `change` edits (switches, workflows, ...)."""
    target = tmp_path / f"org-{uuid.uuid4().hex[:6]}"
    shutil.copytree(HEALTHY, target)
    portal = yaml.safe_load((target / "hubspot.yaml").read_text())
    change(portal)
    (target / "hubspot.yaml").write_text(yaml.safe_dump(portal, sort_keys=False))
    return target


@pytest.fixture(scope="module")
def portal_twin() -> Iterator[Twin]:
    with Twin.start(org="healthy") as running:
        relaxed(running)
        yield running


@pytest.fixture(scope="module")
def client(portal_twin: Twin) -> hubspot.Client:
    return hubspot_client(portal_twin)


@pytest.fixture(scope="module")
def raw(portal_twin: Twin) -> requests.Session:
    return session_for(portal_twin, portal_twin.hubspot_token)


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Unique e-mail addresses, so tests sharing a module's twin never collide."""
    def make(prefix: str = "t") -> str:
        return f"{prefix}.{uuid.uuid4().hex[:10]}@example.com"
    return make
