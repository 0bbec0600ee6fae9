"""Monitor mode cannot write: every write path of both clients is refused before a request leaves.

One twin, a few records written through ordinary (writable) connections; then each write path is tried through the
read-only connections `uat monitor` uses. Each must raise WriteRefused, and afterwards the twin's state and both
platforms' API-call counters are exactly what they were: nothing reached the twin, not even a refused request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.conformance import integration_user
from harness.errors import ProductionRefused
from harness.monitor.result import Cadence
from harness.monitor.run import run_monitor
from harness.paths import PROJECT_ROOT
from harness.profile import load_profile
from harness.sandboxes import Sandboxes, connect
from harness.sandboxes.readonly import WriteRefused, connect_read_only, is_read_only
from harness.sandboxes.safety import allow_read_only
from harness.sandboxes.soap import SoapClient
from harness.sandboxes.twin_target import twin_credentials


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    from harness.twin import Twin

    with Twin.start(org="healthy") as twin:
        writable = connect(twin_credentials(twin.info()))
        lead = writable.salesforce.create("Lead", {"LastName": "Reader", "Company": "Acme", "Email": "ro-lead@example.com"})
        other = writable.salesforce.create("Lead", {"LastName": "Other", "Company": "Acme", "Email": "ro-other@example.com"})
        contact = writable.hubspot.create("contacts", {"email": "ro-contact@example.com", "firstname": "Ro"})
        company = writable.hubspot.create("companies", {"name": "Read Only Inc"})
        read_only, line = connect_read_only(twin_credentials(twin.info()))
        yield {"twin": twin, "ro": read_only, "line": line, "lead": lead, "other": other, "contact": contact,
               "company": company}


def _sf(ro: Sandboxes, w: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    sf, client, lead, other = ro.salesforce, ro.salesforce.client, w["lead"], w["other"]
    soap = SoapClient(sf)
    return {
        "sf create": lambda: sf.create("Lead", {"LastName": "X", "Company": "Y"}),
        "sf update": lambda: sf.update("Lead", lead, {"Title": "changed"}),
        "sf upsert": lambda: client.Lead.upsert("Email/ro-lead@example.com", {"Title": "changed"}),
        "sf delete": lambda: sf.delete("Lead", lead),
        "sf merge (SOAP)": lambda: soap.merge("Lead", lead, [other]),
        "sf convertLead (SOAP)": lambda: soap.convert_lead(lead, "Closed - Converted"),
        "sf bulk 2.0 ingest": lambda: client.bulk2.Lead.insert(records=[{"LastName": "X", "Company": "Y"}]),
        "sf bulk 2.0 delete": lambda: client.bulk2.Lead.delete(records=[{"Id": lead}]),
        "sf bulk 1.0 insert": lambda: client.bulk.Lead.insert([{"LastName": "X", "Company": "Y"}]),
        "sf composite": lambda: client.restful("composite/sobjects", method="POST", json={
            "allOrNone": True, "records": [{"attributes": {"type": "Lead"}, "LastName": "X", "Company": "Y"}]}),
        "sf method override on a GET": lambda: client.restful(f"sobjects/Lead/{lead}", method="GET",
                                                               params={"_HttpMethod": "DELETE"}),
        "sf tooling executeAnonymous": lambda: client.restful("tooling/executeAnonymous/",
                                                              params={"anonymousBody": "delete [SELECT Id FROM Lead];"}),
        "sf tooling runTestsSynchronous": lambda: client.restful("tooling/runTestsSynchronous/",
                                                                  params={"classnames": "AnyTest"}),
        "sf tooling create": lambda: client.toolingexecute("sobjects/ApexClass", method="POST",
                                                           data={"Name": "X", "Body": "public class X {}"}),
        "sf apex REST": lambda: client.apexecute("anything", method="POST", data={}),
        "sf a query job that is an ingest": lambda: client.restful("jobs/query", method="POST", json={
            "operation": "upsert", "query": "SELECT Id FROM Lead"}),
        "sf raw PATCH on the session": lambda: sf.session.patch(f"{sf.instance_url}/services/data/v59.0/sobjects/Lead/{lead}",
                                                                json={"Title": "changed"}),
    }


def _hs(ro: Sandboxes, w: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    hs, crm, contact, company = ro.hubspot, ro.hubspot.client.crm, w["contact"], w["company"]
    props = {"properties": {"firstname": "changed"}}
    return {
        "hs create": lambda: hs.create("contacts", {"email": "new@example.com"}),
        "hs update": lambda: hs.update("contacts", contact, {"firstname": "changed"}),
        "hs archive": lambda: hs.archive("contacts", contact),
        "hs merge": lambda: hs.merge("companies", company, company),
        "hs GDPR purge": lambda: crm.contacts.basic_api.purge({"objectId": contact}),
        "hs batch create": lambda: crm.contacts.batch_api.create({"inputs": [{"properties": {"email": "b@example.com"}}]}),
        "hs batch update": lambda: crm.contacts.batch_api.update({"inputs": [{"id": contact, **props}]}),
        "hs batch upsert": lambda: crm.contacts.batch_api.upsert({"inputs": [
            {"id": "ro-contact@example.com", "idProperty": "email", **props}]}),
        "hs batch archive": lambda: crm.contacts.batch_api.archive({"inputs": [{"id": contact}]}),
        "hs associations create": lambda: hs.associate("contacts", contact, "companies", company),
        "hs associations create (labelled)": lambda: crm.associations.v4.basic_api.create(
            "contacts", contact, "companies", company, [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]),
        "hs associations batch create": lambda: crm.associations.v4.batch_api.create("contacts", "companies", {
            "inputs": [{"from": {"id": contact}, "to": {"id": company}, "types": [
                {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}]}]}),
        "hs associations archive": lambda: crm.associations.v4.basic_api.archive("contacts", contact, "companies", company),
        "hs property create": lambda: crm.properties.core_api.create("contacts", {
            "name": "ro_prop", "label": "RO", "type": "string", "fieldType": "text", "groupName": "contactinformation"}),
        "hs property update": lambda: crm.properties.core_api.update("contacts", "firstname", {"label": "First"}),
        "hs property archive": lambda: crm.properties.core_api.archive("contacts", "jobtitle"),
        "hs pipeline create": lambda: crm.pipelines.pipelines_api.create("deals", {
            "label": "RO", "displayOrder": 9, "stages": [{"label": "S", "displayOrder": 0,
                                                          "metadata": {"probability": "0.1"}}]}),
        "hs list membership add (raw)": lambda: hs.request("PUT", "/crm/v3/lists/101/memberships/add", [contact]),
        "hs workflow create (raw)": lambda: hs.request("POST", "/automation/v4/flows", {"name": "x"}),
        "hs a path that reads two ways": lambda: hs.request("POST", "/crm/v3/objects/contacts/search/../batch/create",
                                                             {"inputs": []}),
        "hs raw DELETE": lambda: hs.request("DELETE", f"/crm/v3/objects/contacts/{contact}"),
    }


def _control(ro: Sandboxes) -> dict[str, Callable[[], Any]]:
    assert ro.control is not None
    return {"control sync cycle": ro.control.sync_now, "control pause": ro.control.pause,
            "control faults": lambda: ro.control.faults("hubspot", {"error_rate": 1.0})}


def _counters(twin: Any) -> tuple[int, int]:
    return twin.salesforce.usage.used, twin.hubspot_app.state()["rate_limits"]["used_today"]


def test_every_write_path_is_refused_before_a_request_leaves(world):
    ro, twin = world["ro"], world["twin"]
    paths = {**_sf(ro, world), **_hs(ro, world), **_control(ro)}
    before, calls = twin.snapshot(), _counters(twin)
    not_refused = []
    for name, attempt in paths.items():
        try:
            attempt()
        except WriteRefused:
            continue
        except Exception as error:  # refused by the platform is not good enough: it was sent
            not_refused.append(f"{name}: {type(error).__name__}: {error}"[:300])
        else:
            not_refused.append(f"{name}: went through")
    assert not_refused == []
    assert _counters(twin) == calls, "a refused request reached the twin"
    assert twin.snapshot() == before


def test_reads_pass_the_guard(world):
    ro, lead, contact = world["ro"], world["lead"], world["contact"]
    assert is_read_only(ro)
    assert ro.salesforce.get("Lead", lead)["Id"] == lead
    assert ro.salesforce.restful("limits/")["DailyApiRequests"]["Max"] > 0
    assert ro.salesforce.call("describe", ro.salesforce.sobject("Lead").describe)["name"] == "Lead"
    rows = ro.salesforce.client.bulk2.Lead.query("SELECT Id FROM Lead")  # Bulk 2.0: a query job is a read
    assert lead in "".join(rows)
    assert contact in ro.hubspot.read_many("contacts", [contact], ["email"])
    found = ro.hubspot.api("contacts", "search_api").do_search({"filterGroups": [], "properties": ["email"], "limit": 5})
    assert found.total >= 1
    assert ro.control is not None and "by_category" in ro.control.health()


def test_the_start_line_says_read_only_and_names_the_target(world):
    assert world["line"].startswith("production guard: monitor mode is read-only")
    assert "is a sandbox" in world["line"]


def test_production_passes_the_guard_only_read_only():
    production = {"Id": "00D000000000001", "Name": "Acme", "IsSandbox": False}
    portal = {"portalId": 42, "accountType": "STANDARD"}
    line = allow_read_only(production, portal, read_only=True)
    assert "PRODUCTION org" in line and "PRODUCTION portal (STANDARD)" in line
    with pytest.raises(ProductionRefused):
        allow_read_only(production, portal, read_only=False)


@pytest.mark.parametrize("cadence", ["weekly", "quarterly"])
def test_the_guard_refuses_nothing_the_checks_read(cadence, tmp_path):
    """The engines turn a failed read into a "not evaluated" note: were the guard to refuse a read they need, the
    read-only result would quietly differ from the one over writable connections. It does not."""
    from harness.twin import Twin

    profile = load_profile(PROJECT_ROOT / "fixtures" / "profiles" / "default.yaml")
    with Twin.start(org="drifted") as twin:
        writable = connect(twin_credentials(twin.info()))
        for i in range(3):
            writable.hubspot.create("contacts", {"email": f"same-{i}@example.com", "lastname": f"S{i}",
                                                 "company": "Acme", "lifecyclestage": "lead"})
        twin.sync_now()
        read_only, _line = connect_read_only(twin_credentials(twin.info()))
        results = [run_monitor(Cadence(cadence), profile, sandboxes, tmp_path / name).result.to_json()
                   for name, sandboxes in (("writable", writable), ("read-only", read_only))]
    for result in results:
        result["figures"].pop("api_calls_of_this_check")
        result["figures"].pop("evidence", None)
    assert results[0] == results[1]


def test_the_integration_users_login_beside_read_only_connections_is_read_only_too(world, monkeypatch):
    """Conformance logs in as the integration user when UAT_SF_INTEGRATION_* name it (a second client): under
    monitor, that client is guarded like the first, after its login."""
    for name, value in {"UAT_SF_INTEGRATION_USERNAME": "hubspot.integration@acme-uat.example.com",
                        "UAT_SF_INTEGRATION_PASSWORD": "twin-integration-pass",
                        "UAT_SF_INTEGRATION_SECURITY_TOKEN": "TWINTOKENINT"}.items():
        monkeypatch.setenv(name, value)
    as_integration = integration_user.login(world["ro"])
    assert as_integration.call("describe", as_integration.sobject("Lead").describe)["name"] == "Lead"
    calls = _counters(world["twin"])
    with pytest.raises(WriteRefused):
        as_integration.update("Lead", world["lead"], {"Title": "changed"})
    assert _counters(world["twin"]) == calls
