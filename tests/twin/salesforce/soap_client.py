"""A minimal partner-API SOAP client for the tests: the envelopes a harness posts through `sf.session`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape

PARTNER = "urn:partner.soap.sforce.com"


def envelope(body: str, session_id: str | None = None) -> str:
    header = (f"<soapenv:Header><urn:SessionHeader><urn:sessionId>{escape(session_id)}</urn:sessionId>"
              "</urn:SessionHeader></soapenv:Header>") if session_id else ""
    return ('<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            'envelope/" xmlns:urn="urn:partner.soap.sforce.com" xmlns:urn1="urn:sobject.partner.soap.sforce.com" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{header}<soapenv:Body>{body}</soapenv:Body>'
            "</soapenv:Envelope>")


def post(sf: Any, body: str, session_id: str | None = None, version: str = "59.0") -> tuple[int, ET.Element]:
    response = sf.session.post(f"https://{sf.sf_instance}/services/Soap/u/{version}", data=envelope(body, session_id),
                               headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '""'})
    return response.status_code, ET.fromstring(response.content)


def results(root: ET.Element) -> list[dict[str, Any]]:
    """Each <result> as a dict; repeated elements (mergedRecordIds, errors) become lists."""
    out = []
    for result in root.iter(f"{{{PARTNER}}}result"):
        item: dict[str, Any] = {}
        for child in result:
            name = child.tag.rsplit("}", 1)[-1]
            if name == "errors":
                value: Any = {c.tag.rsplit("}", 1)[-1]: c.text for c in child}
            else:
                nil = child.get("{http://www.w3.org/2001/XMLSchema-instance}nil") == "true"
                value = None if nil else child.text
            if name in {"mergedRecordIds", "updatedRelatedIds", "errors"}:
                item.setdefault(name, []).append(value)
            else:
                item[name] = value
        out.append(item)
    return out


def convert_lead(sf: Any, lead_id: str, status: str = "Closed - Converted", **options: Any) -> dict[str, Any]:
    fields = "".join(f"<urn:{k}>{escape(str(v).lower() if isinstance(v, bool) else str(v))}</urn:{k}>"
                     for k, v in options.items())
    _, root = post(sf, f"<urn:convertLead><urn:leadConverts><urn:leadId>{lead_id}</urn:leadId>"
                       f"<urn:convertedStatus>{escape(status)}</urn:convertedStatus>{fields}</urn:leadConverts>"
                       "</urn:convertLead>", sf.session_id)
    return results(root)[0]


def merge(sf: Any, object_name: str, master_id: str, losers: list[str], **overrides: Any) -> dict[str, Any]:
    fields = "".join(f"<urn1:{k}>{escape(str(v))}</urn1:{k}>" for k, v in overrides.items())
    ids = "".join(f"<urn:recordToMergeIds>{i}</urn:recordToMergeIds>" for i in losers)
    _, root = post(sf, f'<urn:merge><urn:request><urn:masterRecord xsi:type="urn1:{object_name}">'
                       f"<urn1:Id>{master_id}</urn1:Id>{fields}</urn:masterRecord>{ids}</urn:request></urn:merge>",
                   sf.session_id)
    return results(root)[0]
