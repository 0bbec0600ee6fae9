"""SOAP envelopes of the partner API: reading request elements, writing results and faults.

Results go in the default namespace `urn:partner.soap.sforce.com` (so `sessionId` and `serverUrl` are
unprefixed, which simple-salesforce's login parser needs), sObject fields in `urn:sobject.partner.soap.sforce.com`.
Faults are HTTP 500 `soapenv:Fault`: the platform's own (`sf:<CODE>` with `sf:exceptionCode` in the detail) or,
for a request the WSDL does not describe, Axis's `soapenv:Client` with no detail, as Salesforce answers.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Response

ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
PARTNER = "urn:partner.soap.sforce.com"
SOBJECT = "urn:sobject.partner.soap.sforce.com"
FAULT = "urn:fault.partner.soap.sforce.com"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


class SoapFault(Exception):
    """A platform fault: `sf:<code>` with the exception code and message in the detail."""

    def __init__(self, code: str, message: str, fault_type: str = "UnexpectedErrorFault") -> None:
        super().__init__(message)
        self.code, self.message, self.fault_type = code, message, fault_type

    def xml(self) -> str:
        return _fault(f"sf:{escape(self.code)}", f"{escape(self.code)}: {escape(self.message)}",
                      f'<detail><sf:{self.fault_type} xsi:type="sf:{self.fault_type}">'
                      f"<sf:exceptionCode>{escape(self.code)}</sf:exceptionCode><sf:exceptionMessage>"
                      f"{escape(self.message)}</sf:exceptionMessage></sf:{self.fault_type}></detail>")


class ClientFault(SoapFault):
    """A request the WSDL does not describe (unknown operation or element): `soapenv:Client`, no detail."""

    def __init__(self, message: str) -> None:
        super().__init__("Client", message)

    def xml(self) -> str:
        return _fault("soapenv:Client", escape(self.message), "")


def _fault(code: str, text: str, detail: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            f'envelope/" xmlns:sf="{FAULT}" xmlns:xsi="{XSI}"><soapenv:Body><soapenv:Fault>'
            f"<faultcode>{code}</faultcode><faultstring>{text}</faultstring>{detail}</soapenv:Fault></soapenv:Body>"
            "</soapenv:Envelope>")


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def qualified(element: ET.Element) -> str:
    """`{namespace}name`, as the platform names an element in its faults."""
    return element.tag if element.tag.startswith("{") else f"{{{PARTNER}}}{element.tag}"


def text(element: ET.Element | None) -> str | None:
    if element is None or element.get(f"{{{XSI}}}nil") == "true":
        return None
    return (element.text or "").strip()


def find(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if local(c.tag) == name), None)


def element(name: str, value: Any) -> str:
    if value is None:
        return f'<{name} xsi:nil="true"/>'
    if isinstance(value, list):
        return "".join(element(name, v) for v in value)
    if isinstance(value, bool):
        return f"<{name}>{'true' if value else 'false'}</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>"


def errors(items: list[dict[str, Any]]) -> str:
    return "".join("<errors>" + "".join(element("fields", f) for f in e.get("fields", []))
                   + element("message", e.get("message")) + element("statusCode", e.get("statusCode"))
                   + "</errors>" for e in items)


def envelope(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            f'envelope/" xmlns="{PARTNER}" xmlns:sf="{SOBJECT}" xmlns:xsi="{XSI}"><soapenv:Body>{body}'
            "</soapenv:Body></soapenv:Envelope>")


def xml_response(body: str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/xml; charset=utf-8")
