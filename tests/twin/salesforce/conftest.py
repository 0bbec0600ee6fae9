"""Helpers for the Salesforce twin's tests: raw REST/SOAP sessions and throwaway org fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from simple_salesforce import Salesforce

from harness.twin import Twin
from harness.twin.paths import ORGS_DIR

API = "/services/data/v59.0"


def raw_session(twin: Twin) -> requests.Session:
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    session.headers["Authorization"] = f"Bearer {twin.salesforce_session_id}"
    return session


def client(twin: Twin, session_id: str | None = None) -> Salesforce:
    session = requests.Session()
    session.verify = twin.ca_bundle
    session.trust_env = False
    return Salesforce(instance_url=twin.salesforce_url, session_id=session_id or twin.salesforce_session_id,
                      session=session, object_pairs_hook=dict)


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = _merge(base.get(key), value) if key in base else value
        return out
    return extra


@pytest.fixture
def make_org(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """An org folder: healthy's fixture with `changes` deep-merged into salesforce.yaml."""

    def build(changes: dict[str, Any]) -> Path:
        folder = tmp_path / "org"
        shutil.copytree(ORGS_DIR / "healthy", folder, dirs_exist_ok=True)
        target = folder / "salesforce.yaml"
        spec = yaml.safe_load(target.read_text(encoding="utf-8"))
        target.write_text(yaml.safe_dump(_merge(spec, changes), sort_keys=False), encoding="utf-8")
        return folder

    return build


@pytest.fixture
def start_twin() -> Iterator[Callable[[Path | str], Twin]]:
    started: list[Twin] = []

    def start(org: Path | str) -> Twin:
        twin = Twin.start(org=str(org))
        started.append(twin)
        return twin

    yield start
    for twin in started:
        twin.stop()


@pytest.fixture
def rest(twin: Twin) -> requests.Session:
    return raw_session(twin)
