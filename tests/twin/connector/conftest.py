"""Fixtures for the connector's tests: org fixtures derived from `healthy`, twins started on them, and helpers
that read both sides the way a QA engineer would (by id, through the real clients)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from harness.twin import Twin
from tests.conftest import hubspot_client, salesforce_client

ORGS = Path(__file__).resolve().parents[3] / "fixtures" / "orgs"

Patch = Callable[[dict[str, Any]], None]


def derive_org(target: Path, base: str = "healthy", connector: Patch | None = None, salesforce: Patch | None = None,
               hubspot: Patch | None = None) -> Path:
    """Copy an org fixture and edit its YAML files in place: an org that differs from `base` in one setting."""
    shutil.copytree(ORGS / base, target)
    for name, patch in (("connector.yaml", connector), ("salesforce.yaml", salesforce), ("hubspot.yaml", hubspot)):
        if patch is None:
            continue
        path = target / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        patch(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


class Both:
    """One twin with both real clients, plus the small reads the tests repeat."""

    def __init__(self, twin: Twin) -> None:
        self.twin = twin
        self.sf = salesforce_client(twin)
        self.hs = hubspot_client(twin)
        self.session = requests.Session()
        self.session.verify = twin.ca_bundle
        self.session.trust_env = False
        self.session.headers["Authorization"] = f"Bearer {twin.control_token}"

    def control(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """The twin's control plane over HTTPS, as the harness reaches it."""
        response = self.session.request(method, self.twin.control_url + path, json=body, params=params or None,
                                        timeout=60)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def health(self) -> dict[str, Any]:
        return self.control("GET", "/health")

    def sync(self, cycles: int = 1) -> dict[str, Any]:
        stats = {}
        for _ in range(cycles):
            stats = self.twin.sync_now()
        return stats

    def contact(self, contact_id: str, *names: str) -> dict[str, Any]:
        wanted = list(names) or ["email", "firstname", "lastname", "salesforceleadid", "salesforcecontactid"]
        return self.hs.crm.contacts.basic_api.get_by_id(contact_id, properties=wanted).properties

    def new_contact(self, **properties: str) -> str:
        return self.hs.crm.contacts.basic_api.create({"properties": properties}).id

    def update_contact(self, contact_id: str, **properties: str | None) -> None:
        self.hs.crm.contacts.basic_api.update(contact_id, {"properties": {k: ("" if v is None else v)
                                                                             for k, v in properties.items()}})

    def lead_of(self, contact_id: str) -> str:
        lead_id = self.contact(contact_id, "salesforceleadid")["salesforceleadid"]
        assert lead_id, f"contact {contact_id} is not linked to a Lead"
        return lead_id

    def integration_user(self) -> str:
        return self.sf.query("SELECT Id FROM User WHERE Alias = 'hsint'")["records"][0]["Id"]

    def errors(self, category: str | None = None) -> list[dict[str, Any]]:
        found = self.health()["errors"]
        return [e for e in found if category is None or e["category"] == category]


@pytest.fixture
def org(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(100))

    def make(base: str = "healthy", connector: Patch | None = None, salesforce: Patch | None = None,
             hubspot: Patch | None = None) -> Path:
        return derive_org(tmp_path / f"org{next(counter)}", base, connector, salesforce, hubspot)

    return make


@pytest.fixture
def start() -> Iterator[Callable[..., Both]]:
    """Start twins on demand (on `healthy` or a derived org); all are stopped at the end of the test."""
    running: list[Twin] = []

    def launch(org: str | Path = "healthy", **kwargs: Any) -> Both:
        twin = Twin.start(org=str(org), **kwargs)
        running.append(twin)
        return Both(twin)

    yield launch
    for twin in running:
        twin.stop()


@pytest.fixture
def both(start: Callable[..., Both]) -> Both:
    return start()


def set_rule(prop: str, rule: str) -> Patch:
    def patch(data: dict[str, Any]) -> None:
        for mapping in data["mappings"]["contacts"]:
            if mapping["hubspot"] == prop:
                mapping["rule"] = rule
    return patch


# -- Salesforce's SOAP partner calls (convertLead, merge), posted through simple-salesforce's own session ----------
def soap(both: Both, body: str) -> dict[str, Any]:
    """Post one partner-API call; the first <result> as a dict (Salesforce's REST API has neither call)."""
    import xml.etree.ElementTree as ET

    envelope = ('<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/'
                'soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com" xmlns:urn1="urn:sobject.partner.soap.sforce.com" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header><urn:SessionHeader><urn:sessionId>'
                f'{both.sf.session_id}</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body>{body}'
                '</soapenv:Body></soapenv:Envelope>')
    response = both.sf.session.post(f"https://{both.sf.sf_instance}/services/Soap/u/59.0", data=envelope,
                                    headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
    root = ET.fromstring(response.content)
    result = next(root.iter("{urn:partner.soap.sforce.com}result"))
    out: dict[str, Any] = {}
    for child in result:
        name = child.tag.rsplit("}", 1)[-1]
        out.setdefault(name, []).append(child.text) if name in {"mergedRecordIds", "errors"} else out.update({name: child.text})
    assert out.get("success") == "true", f"SOAP call failed: {response.text[:500]}"
    return out


def convert_lead(both: Both, lead_id: str, create_opportunity: bool = True) -> dict[str, Any]:
    return soap(both, f"<urn:convertLead><urn:leadConverts><urn:convertedStatus>Closed - Converted</urn:convertedStatus>"
                      f"<urn:doNotCreateOpportunity>{'false' if create_opportunity else 'true'}</urn:doNotCreateOpportunity>"
                      f"<urn:leadId>{lead_id}</urn:leadId></urn:leadConverts></urn:convertLead>")


def merge(both: Both, sobject: str, master_id: str, loser_id: str) -> dict[str, Any]:
    return soap(both, f'<urn:merge><urn:request><urn:masterRecord xsi:type="urn1:{sobject}"><urn1:Id>{master_id}'
                      f"</urn1:Id></urn:masterRecord><urn:recordToMergeIds>{loser_id}</urn:recordToMergeIds>"
                      "</urn:request></urn:merge>")
