"""The Salesforce half of the parity suite, through the Python clients the harness uses.

The same steps, order and inputs (inputs.json) as salesforce_jsforce.mjs: simple-salesforce for REST and Bulk 2.0,
and for what simple-salesforce lacks (SOAP convertLead and merge, composite batch and tree, sObject collections)
the requests the harness itself sends over simple-salesforce's session (`sf.restful`, the partner envelopes of
harness/sandboxes/soap.py). Each step's view is what the client hands back; errors are what a caller can read off
simple-salesforce's exception.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError
from simple_salesforce.util import exception_handler

INPUTS = json.loads((Path(__file__).with_name("inputs.json")).read_text(encoding="utf-8"))["salesforce"]
PARTNER = "urn:partner.soap.sforce.com"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
# Elements of the partner WSDL's results that repeat (maxOccurs="unbounded"): lists, as jsforce's schema reads them.
SOAP_LISTS = {"errors", "mergedRecordIds", "updatedRelatedIds", "fields"}


def client(url: str, session_id: str, ca_bundle: str) -> Salesforce:
    """As DESIGN.md §2 says a client connects (trust_env=False: REQUESTS_CA_BUNDLE must not override verify)."""
    session = requests.Session()
    session.verify = ca_bundle
    session.trust_env = False
    return Salesforce(instance_url=url, session_id=session_id, session=session, version=INPUTS["version"])


def _error_view(error: Exception) -> dict[str, Any]:
    if isinstance(error, SalesforceError):
        content = error.content
        first = content[0] if isinstance(content, list) and content else content
        if isinstance(first, dict):
            return {"errorCode": first.get("errorCode"), "message": first.get("message")}
        return {"errorCode": type(error).__name__, "message": str(content)}
    return {"errorCode": type(error).__name__, "message": str(error)}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _saved(status: Any) -> dict[str, bool]:
    return {"success": status in (200, 201, 204)}


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- SOAP: the partner envelopes the harness posts ------------------------------------------------------
def _soap(sf: Salesforce, body: str, lists: tuple[str, ...] = ("errors",)) -> list[dict[str, Any]]:
    """Post a partner-API operation; its results as jsforce reads them (`lists`: repeated elements of the result
    type, an empty list where absent)."""
    envelope = ('<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/'
                f'soap/envelope/" xmlns:urn="{PARTNER}" xmlns:urn1="urn:sobject.partner.soap.sforce.com" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Header><urn:SessionHeader>'
                f"<urn:sessionId>{escape(sf.session_id)}</urn:sessionId></urn:SessionHeader></soapenv:Header>"
                f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>")
    response = sf.session.post(f"https://{sf.sf_instance}/services/Soap/u/{sf.sf_version}",
                               data=envelope.encode("utf-8"),
                               headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
    root = ET.fromstring(response.content)
    for fault in root.iter("{http://schemas.xmlsoap.org/soap/envelope/}Fault"):
        code = (fault.findtext("faultcode") or "").split(":")[-1]
        raise SoapFault(code, fault.findtext("faultstring") or "")
    results = [_soap_value(result) for result in root.iter(f"{{{PARTNER}}}result")]
    for result in results:
        for name in lists:
            result.setdefault(name, [])
    return results


class SoapFault(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _soap_value(node: ET.Element) -> Any:
    """An element as jsforce reads it with the partner schema: text, booleans, nil as None, repeated as lists."""
    if node.get(XSI_NIL) == "true":
        return None
    children = list(node)
    if not children:
        text = node.text or ""
        return {"true": True, "false": False}.get(text, text)
    out: dict[str, Any] = {}
    for child in children:
        name = child.tag.rsplit("}", 1)[-1]
        value = _soap_value(child)
        if name in SOAP_LISTS:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


# -- the steps --------------------------------------------------------------------------------------------
def run(sf: Salesforce) -> dict[str, dict[str, Any]]:
    transcript: dict[str, dict[str, Any]] = {}
    ids: dict[str, Any] = {}
    version = INPUTS["version"]

    def step(name: str, action: Callable[[], Any]) -> None:
        try:
            transcript[name] = {"ok": True, "value": _plain(action())}
        except Exception as error:  # every client error is part of what the client family sees
            if isinstance(error, SoapFault):
                transcript[name] = {"ok": False, "error": {"errorCode": error.code, "message": str(error)}}
            else:
                transcript[name] = {"ok": False, "error": _error_view(error)}

    def created(key: str, result: dict[str, Any]) -> dict[str, Any]:
        ids[key] = result["id"]
        return result

    # sObject CRUD
    step("sobject_create_account", lambda: created("account", sf.Account.create(INPUTS["account"])))
    step("sobject_create_contact", lambda: created("contact", sf.Contact.create(
        {**INPUTS["contact"], "AccountId": ids["account"]})))
    step("sobject_create_lead", lambda: created("lead", sf.Lead.create(INPUTS["lead"])))
    step("sobject_retrieve_account", lambda: sf.Account.get(ids["account"]))
    step("sobject_update_account", lambda: _saved(sf.Account.update(ids["account"], INPUTS["account_update"])))
    step("sobject_retrieve_updated", lambda: sf.Account.get(ids["account"]))
    upsert = INPUTS["account_upsert"]
    step("sobject_upsert_external_id", lambda: _saved(sf.Account.upsert(
        f"{upsert['field']}/{upsert['value']}", upsert["record"])))
    step("sobject_retrieve_by_external_id", lambda: sf.Account.get_by_custom_id(upsert["field"], upsert["value"]))
    step("sobject_create_invalid", lambda: sf.Account.create(INPUTS["invalid_account"]))
    step("sobject_delete_contact", lambda: _saved(sf.Contact.delete(ids["contact"])))
    step("sobject_retrieve_deleted", lambda: sf.Contact.get(ids["contact"]))
    def validation_rule() -> Any:
        lead = sf.Lead.create(INPUTS["validated_lead"])
        return _saved(sf.Lead.update(lead["id"], INPUTS["validated_lead_change"]))

    step("sobject_validation_rule", validation_rule)
    step("query_all_rows_deleted", lambda: sf.query(INPUTS["deleted_soql"], include_deleted=True))

    # Bulk 2.0 and query paging
    bulk = INPUTS["bulk"]
    rows = [{"Name": bulk["name"].replace("{n:03}", f"{n:03}"), "Industry": bulk["industry"]}
            for n in range(1, bulk["count"] + 1)] + bulk["bad_rows"]

    target = getattr(sf.bulk2, bulk["object"])

    def outcome(jobs: list[dict[str, Any]]) -> dict[str, Any]:
        job_id = jobs[0]["job_id"]
        return {"successful": _csv(target.get_successful_records(job_id)),
                "failed": _csv(target.get_failed_records(job_id)),
                "unprocessed": _csv(target.get_unprocessed_records(job_id))}

    step("bulk2_ingest", lambda: outcome(target.insert(records=rows, wait=0.1)))
    step("bulk2_delete", lambda: outcome(target.delete(records=[
        {"Id": r["sf__Id"]} for r in transcript["bulk2_ingest"]["value"]["successful"][:INPUTS["bulk_delete_count"]]],
        wait=0.1)))
    page_headers = {"Sforce-Query-Options": f"batchSize={INPUTS['page_batch_size']}"}

    def first_page() -> Any:
        page = sf.query(INPUTS["page_soql"], headers=page_headers)
        ids["next"] = page.get("nextRecordsUrl")
        return page

    step("query_first_page", first_page)
    step("query_more", lambda: sf.query_more(ids["next"], identifier_is_url=True, headers=page_headers))
    step("query_all_pages", lambda: sf.query_all(INPUTS["page_soql"], headers=page_headers))

    def bulk_query() -> list[dict[str, str]]:
        return [row for chunk in sf.bulk2.Account.query(INPUTS["bulk_query_soql"], wait=0.1) for row in _csv(chunk)]

    step("bulk2_query", bulk_query)

    # SOAP: convertLead and merge
    step("soap_convert_lead", lambda: _soap(sf, (
        f"<urn:convertLead><urn:leadConverts><urn:convertedStatus>{escape(INPUTS['converted_status'])}"
        f"</urn:convertedStatus><urn:leadId>{ids['lead']}</urn:leadId></urn:leadConverts></urn:convertLead>"))[0])
    step("soap_converted_lead", lambda: sf.Lead.get(ids["lead"]))

    def convert_into_account() -> dict[str, Any]:
        lead = created("joiner", sf.Lead.create(INPUTS["lead_into_account"]))
        # The harness's envelope: LeadConvert's elements in the partner WSDL's order.
        return _soap(sf, (
            f"<urn:convertLead><urn:leadConverts><urn:accountId>{ids['account']}</urn:accountId>"
            f"<urn:convertedStatus>{escape(INPUTS['converted_status'])}</urn:convertedStatus>"
            "<urn:doNotCreateOpportunity>true</urn:doNotCreateOpportunity>"
            f"<urn:leadId>{lead['id']}</urn:leadId></urn:leadConverts></urn:convertLead>"))[0]

    step("soap_convert_into_account", convert_into_account)
    step("soap_converted_into_account", lambda: sf.Lead.get(ids["joiner"]))

    def merge_setup() -> list[Any]:
        master, loser = (sf.Account.create(a) for a in INPUTS["merge_accounts"])
        ids["master"], ids["loser"] = master["id"], loser["id"]
        follower = sf.Contact.create({**INPUTS["merge_loser_contact"], "AccountId": loser["id"]})
        ids["follower"] = follower["id"]
        return [master, loser, follower]

    step("soap_merge_setup", merge_setup)
    step("soap_merge", lambda: _soap(sf, (
        f'<urn:merge><urn:request><urn:masterRecord xsi:type="urn1:Account"><urn1:Id>{ids["master"]}</urn1:Id>'
        f"</urn:masterRecord><urn:recordToMergeIds>{ids['loser']}</urn:recordToMergeIds></urn:request></urn:merge>"
    ), lists=("errors", "mergedRecordIds", "updatedRelatedIds"))[0])
    step("soap_merged_loser", lambda: sf.Account.get(ids["loser"]))
    step("soap_merged_follower", lambda: sf.Contact.get(ids["follower"]))
    # A window around now, wide both ways: the steps all ran within this second, and the window's ends are whole
    # seconds.
    window = timedelta(minutes=INPUTS["window_minutes"])
    step("sobject_deleted_accounts", lambda: sf.Account.deleted(datetime.now(UTC) - window, datetime.now(UTC) + window))
    step("sobject_updated_contacts", lambda: sf.Contact.updated(datetime.now(UTC) - window, datetime.now(UTC) + window))

    # describe, limits, identity
    def raw_get(url: str, **params: str) -> Any:
        """GET a URL simple-salesforce has no method for, with its session and headers and its error mapping."""
        response = sf.session.get(url, params=params, headers=sf.headers)
        if response.status_code >= 300:
            exception_handler(response)
        return response.json()

    step("versions", lambda: raw_get(f"https://{sf.sf_instance}/services/data"))
    step("resources", lambda: sf.restful(""))
    step("describe_global", lambda: sf.describe())
    step("describe_account", lambda: sf.Account.describe())
    step("describe_lead", lambda: sf.Lead.describe())
    step("describe_contact", lambda: sf.Contact.describe())
    step("limits", lambda: sf.limits())
    # jsforce's identity(): the resources list's `identity` URL, asked for JSON.
    step("identity", lambda: raw_get(sf.restful("")["identity"], format="json"))
    step("userinfo", lambda: sf.oauth2("userinfo"))

    # composite: batch, tree, sObject collections, SOSL
    step("composite_batch", lambda: sf.restful("composite/batch", method="POST", json={
        "haltOnError": False,
        "batchRequests": [
            {"method": "GET", "url": f"v{version}/sobjects/Account/{ids['account']}?fields=Name,Industry"},
            {"method": "PATCH", "url": f"v{version}/sobjects/Account/{ids['account']}",
             "richInput": {"NumberOfEmployees": 121}},
            {"method": "GET", "url": f"v{version}/query?q="
             + requests.utils.quote("SELECT Name FROM Account WHERE Name = 'Parity Anvil Co'", safe="")},
        ]}))
    step("composite_tree", lambda: sf.restful("composite/tree/Account", method="POST", json=INPUTS["composite_tree"]))

    step("composite_references", lambda: sf.restful("composite", method="POST", json=INPUTS["composite"]))
    step("query_parent_to_child", lambda: sf.query(INPUTS["relationship_soql"][0]))
    step("query_child_to_parent", lambda: sf.query(INPUTS["relationship_soql"][1]))

    def collections_create() -> Any:
        records = [{"attributes": {"type": "Contact"}, **c, "AccountId": ids["account"]}
                   for c in INPUTS["collection_contacts"]]
        results = sf.restful("composite/sobjects", method="POST", json={"allOrNone": True, "records": records})
        ids["collected"] = [r["id"] for r in results]
        return results

    step("collections_create", collections_create)
    step("collections_retrieve", lambda: sf.restful("composite/sobjects/Contact", method="POST", json={
        "ids": ids["collected"], "fields": INPUTS["collection_fields"]}))
    step("collections_update", lambda: sf.restful("composite/sobjects", method="PATCH", json={
        "allOrNone": True,
        "records": [{"attributes": {"type": "Contact"}, "Id": i, **INPUTS["collection_update"]} for i in ids["collected"]]}))
    step("collections_delete", lambda: sf.restful("composite/sobjects", method="DELETE", params={
        "ids": ",".join(ids["collected"]), "allOrNone": "true"}))
    step("sosl_search", lambda: sf.search(INPUTS["sosl"]))
    return transcript
