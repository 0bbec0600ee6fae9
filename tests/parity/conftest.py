"""Two fresh twins of the `healthy` org: one driven by the Python clients the harness uses, one by Node's
jsforce and @hubspot/api-client, with the same steps and inputs. Each family's transcript is recorded once per
session; the tests compare them step by step, then compare the two twins' resulting state.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from harness.twin import Twin
from tests.parity import hubspot_python, salesforce_python

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NODE_PACKAGES = ("jsforce", "@hubspot/api-client")


def node_missing() -> str | None:
    """Why the Node half cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed: the parity suite drives the twin with Node's jsforce and @hubspot/api-client"
    for package in NODE_PACKAGES:
        if not (ROOT / "node_modules" / package / "package.json").is_file():
            return f"node_modules/{package} is missing: run `npm ci` (make test does) to install the parity clients"
    return None


def with_gaps(names: list[str], gaps: dict[str, str]) -> list[Any]:
    """Parameters for `names`; those in `gaps` marked xfail, strict, so a mark must go the day the twin is fixed."""
    unknown = set(gaps) - set(names)
    assert not unknown, f"gaps name checks that do not exist: {sorted(unknown)}"
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=f"twin gap: {gaps[name]}"))
            if name in gaps else name for name in names]


@dataclass
class TwinPair:
    python: Twin
    node: Twin


def _relax_hubspot(twin: Twin) -> None:
    """Rate limits off and the search index immediate on both twins alike, so neither the two families' different
    request counts nor timing decides what a step sees (the twin's own tests cover limits and index lag)."""
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    response = session.post(f"{twin.control_url}/faults/hubspot", headers={"Authorization": f"Bearer {twin.control_token}"},
                            json={"faults": None, "rate_limits": {"enforced": False}, "search_index_lag_ms": 0,
                                  "reset": True})
    assert response.status_code == 200, response.text


@pytest.fixture(scope="session")
def twins() -> Iterator[TwinPair]:
    reason = node_missing()
    if reason:
        pytest.skip(reason)
    python, node = Twin.start(org="healthy"), Twin.start(org="healthy")
    try:
        for twin in (python, node):
            _relax_hubspot(twin)
        yield TwinPair(python, node)
    finally:
        python.stop()
        node.stop()


def run_node(script: str, twin: Twin) -> dict[str, Any]:
    """Run one .mjs half against `twin`; its stdout is the transcript."""
    env = {**os.environ, "NODE_EXTRA_CA_CERTS": twin.ca_bundle,
           "PARITY_SF_URL": twin.salesforce_url, "PARITY_SF_SESSION": twin.salesforce_session_id,
           "PARITY_HS_URL": twin.hubspot_url, "PARITY_HS_TOKEN": twin.hubspot_token}
    done = subprocess.run(["node", str(HERE / script)], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"node {script} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


@dataclass
class Transcripts:
    python: dict[str, Any]
    node: dict[str, Any]


@pytest.fixture(scope="session")
def salesforce_transcripts(twins: TwinPair) -> Transcripts:
    sf = salesforce_python.client(twins.python.salesforce_url, twins.python.salesforce_session_id,
                                  twins.python.ca_bundle)
    return Transcripts(salesforce_python.run(sf), run_node("salesforce_jsforce.mjs", twins.node))


@pytest.fixture(scope="session")
def hubspot_transcripts(twins: TwinPair) -> Transcripts:
    hs = hubspot_python.client(twins.python.hubspot_url, twins.python.hubspot_token, twins.python.ca_bundle)
    return Transcripts(hubspot_python.run(hs), run_node("hubspot_sdk.mjs", twins.node))
