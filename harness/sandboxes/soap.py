"""Lead conversion and merges through the SOAP partner API, over simple-salesforce's own session.

Neither simple-salesforce nor the REST API has convertLead or merge (simple-salesforce#185, #637), so the harness
posts the partner WSDL's envelopes itself: the same HTTPS session, the same session id, the same retries.
Responses are parsed with defusedxml (no entity expansion from a remote document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import requests
from defusedxml import ElementTree
from simple_salesforce.exceptions import SalesforceGeneralError, SalesforceRefusedRequest

from harness.sandboxes.salesforce import SalesforceSandbox, answer_lost, soql_literal

PARTNER = "urn:partner.soap.sforce.com"
SOBJECT = "urn:sobject.partner.soap.sforce.com"


class SoapFault(AssertionError):
    """A SOAP fault or an unsuccessful result: the message carries Salesforce's status code first."""


@dataclass
class ConvertResult:
    lead_id: str
    account_id: str | None
    contact_id: str | None
    opportunity_id: str | None


@dataclass
class MergeResult:
    master_id: str
    merged_ids: list[str] = field(default_factory=list)
    updated_related_ids: list[str] = field(default_factory=list)


def _envelope(session_id: str, body: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?>'
            f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="{PARTNER}" '
            f'xmlns:urn1="{SOBJECT}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<soapenv:Header><urn:SessionHeader><urn:sessionId>{escape(session_id)}</urn:sessionId></urn:SessionHeader>"
            f"</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(node: Any, name: str) -> str | None:
    for child in node:
        if _local(child.tag) == name:
            nil = child.attrib.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
            return None if nil or not (child.text or "").strip() else child.text.strip()
    return None


def _all(node: Any, name: str) -> list[str]:
    return [(c.text or "").strip() for c in node if _local(c.tag) == name and (c.text or "").strip()]


class SoapClient:
    def __init__(self, salesforce: SalesforceSandbox) -> None:
        self.salesforce = salesforce

    @property
    def url(self) -> str:
        return f"{self.salesforce.instance_url}/services/Soap/u/{self.salesforce.client.sf_version}"

    def _send(self, payload: bytes) -> requests.Response:
        """One POST. An answer that is not SOAP (a 503 or 403 REQUEST_LIMIT_EXCEEDED from a gateway or the
        limiter) becomes the error the retry wrapper knows, instead of an XML parse error."""
        response = self.salesforce.session.post(self.url, data=payload, headers={
            "Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
        if response.status_code >= 400 and b"Envelope" not in response.content[:500]:
            error = SalesforceRefusedRequest if response.status_code == 403 else SalesforceGeneralError
            raise error(self.url, response.status_code, "soap", _content(response))
        return response

    def _post(self, operation: str, body: str, settled: Callable[[], Any] | None = None) -> Any:
        """Post an operation; when an attempt's answer was lost, `settled()` says whether it took effect (its
        result, or None) before the operation is sent again: merges and conversions are not idempotent."""
        payload = _envelope(self.salesforce.client.session_id, body).encode("utf-8")
        lost = {"answer": False}

        def attempt() -> Any:
            if lost["answer"] and settled is not None:
                done = settled()
                if done is not None:
                    return done
            try:
                return self._send(payload)
            except Exception as error:
                lost["answer"] = lost["answer"] or answer_lost(error)
                raise

        response = self.salesforce.call(f"soap {operation}", attempt)
        if not isinstance(response, requests.Response):
            return response
        root = ElementTree.fromstring(response.content)
        for element in root.iter():
            if _local(element.tag) == "Fault":
                code = _text(element, "faultcode") or "soapenv:Server"
                raise SoapFault(f"{code.split(':')[-1]}: {_text(element, 'faultstring')}")
        results = [e for e in root.iter() if _local(e.tag) == "result"]
        for result in results:
            if _text(result, "success") != "true":
                errors = [e for e in result if _local(e.tag) == "errors"]
                detail = "; ".join(f"{_text(e, 'statusCode')}: {_text(e, 'message')}" for e in errors) or "unsuccessful"
                raise SoapFault(detail)
        return results

    def convert_lead(self, lead_id: str, converted_status: str, account_id: str | None = None,
                     contact_id: str | None = None, create_opportunity: bool = True,
                     opportunity_name: str | None = None, owner_id: str | None = None) -> ConvertResult:
        parts = [f"<urn:convertedStatus>{escape(converted_status)}</urn:convertedStatus>",
                 f"<urn:doNotCreateOpportunity>{'false' if create_opportunity else 'true'}</urn:doNotCreateOpportunity>",
                 f"<urn:leadId>{escape(lead_id)}</urn:leadId>",
                 "<urn:overwriteLeadSource>false</urn:overwriteLeadSource>",
                 "<urn:sendNotificationEmail>false</urn:sendNotificationEmail>"]
        if account_id:
            parts.insert(0, f"<urn:accountId>{escape(account_id)}</urn:accountId>")
        if contact_id:
            parts.insert(1, f"<urn:contactId>{escape(contact_id)}</urn:contactId>")
        if opportunity_name and create_opportunity:
            parts.append(f"<urn:opportunityName>{escape(opportunity_name)}</urn:opportunityName>")
        if owner_id:
            parts.append(f"<urn:ownerId>{escape(owner_id)}</urn:ownerId>")
        outcome = self._post("convertLead", f"<urn:convertLead><urn:leadConverts>{''.join(parts)}</urn:leadConverts>"
                                            "</urn:convertLead>", settled=lambda: self._converted(lead_id))
        if isinstance(outcome, ConvertResult):
            return outcome
        result = outcome[0]
        return ConvertResult(_text(result, "leadId") or lead_id, _text(result, "accountId"), _text(result, "contactId"),
                             _text(result, "opportunityId"))

    def merge(self, sobject: str, master_id: str, losers: list[str]) -> MergeResult:
        if not 1 <= len(losers) <= 2:
            raise ValueError("Salesforce merges a master with one or two other records")
        ids = "".join(f"<urn:recordToMergeIds>{escape(i)}</urn:recordToMergeIds>" for i in losers)
        body = (f'<urn:merge><urn:request><urn:masterRecord xsi:type="urn1:{escape(sobject)}">'
                f"<urn1:Id>{escape(master_id)}</urn1:Id></urn:masterRecord>{ids}</urn:request></urn:merge>")
        outcome = self._post("merge", body, settled=lambda: self._merged(sobject, master_id, losers))
        if isinstance(outcome, MergeResult):
            return outcome
        result = outcome[0]
        return MergeResult(_text(result, "id") or master_id, _all(result, "mergedRecordIds"),
                           _all(result, "updatedRelatedIds"))

    def _converted(self, lead_id: str) -> ConvertResult | None:
        """The conversion an attempt whose answer was lost made, if it made one."""
        rows = self.salesforce.query_all("SELECT Id, IsConverted, ConvertedAccountId, ConvertedContactId, "
                                         f"ConvertedOpportunityId FROM Lead WHERE Id = {soql_literal(lead_id)}")
        if rows and rows[0].get("IsConverted"):
            row = rows[0]
            return ConvertResult(row["Id"], row.get("ConvertedAccountId"), row.get("ConvertedContactId"),
                                 row.get("ConvertedOpportunityId"))
        return None

    def _merged(self, sobject: str, master_id: str, losers: list[str]) -> MergeResult | None:
        """The merge an attempt whose answer was lost made, if it made one (losers deleted into the master)."""
        quoted = ", ".join(soql_literal(i) for i in losers)
        rows = self.salesforce.query_all(f"SELECT Id, IsDeleted, MasterRecordId FROM {sobject} WHERE Id IN ({quoted})",
                                         include_deleted=True)
        if len(rows) == len(losers) and all(r.get("IsDeleted") and str(r.get("MasterRecordId") or "")[:15]
                                            == master_id[:15] for r in rows):
            return MergeResult(master_id, [r["Id"] for r in rows], [])
        return None


def _content(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:300]
