"""The SOAP partner API (`POST /services/Soap/u/NN.N`): login, convertLead, merge, getUserInfo, logout.

Envelopes follow the partner WSDL: results in the default namespace `urn:partner.soap.sforce.com` (so
`sessionId` and `serverUrl` are unprefixed, which simple-salesforce's login parser needs), sObject fields in
`urn:sobject.partner.soap.sforce.com`, faults as `soapenv:Fault` with `sf:exceptionCode` in the detail and
HTTP 500. The standard library's ElementTree parses requests: the envelopes are small and flat.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from werkzeug.wrappers import Request, Response

from . import exceptions as err

if TYPE_CHECKING:
    from .models import SalesforceBackend

ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"
PARTNER = "urn:partner.soap.sforce.com"
SOBJECT = "urn:sobject.partner.soap.sforce.com"
FAULT = "urn:fault.partner.soap.sforce.com"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
MAX_CONVERTS = 200


class SoapFault(Exception):
    def __init__(self, code: str, message: str, fault_type: str = "UnexpectedErrorFault") -> None:
        super().__init__(message)
        self.code, self.message, self.fault_type = code, message, fault_type


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element) -> list[ET.Element]:
    return list(element)


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    if element.get(f"{{{XSI}}}nil") == "true":
        return None
    return (element.text or "").strip()


def _find(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _element(name: str, value: Any) -> str:
    if value is None:
        return f'<{name} xsi:nil="true"/>'
    if isinstance(value, list):
        return "".join(_element(name, v) for v in value)
    return f"<{name}>{_value(value)}</{name}>"


def _errors(errors: list[dict[str, Any]]) -> str:
    return "".join("<errors>" + "".join(_element("fields", f) for f in e.get("fields", []))
                   + _element("message", e.get("message")) + _element("statusCode", e.get("statusCode"))
                   + "</errors>" for e in errors)


def envelope(body: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            f'envelope/" xmlns="{PARTNER}" xmlns:sf="{SOBJECT}" xmlns:xsi="{XSI}"><soapenv:Body>{body}'
            "</soapenv:Body></soapenv:Envelope>")


def fault_xml(fault: SoapFault) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
            f'envelope/" xmlns:sf="{FAULT}" xmlns:xsi="{XSI}"><soapenv:Body><soapenv:Fault>'
            f"<faultcode>sf:{escape(fault.code)}</faultcode><faultstring>{escape(fault.code)}: {escape(fault.message)}"
            f'</faultstring><detail><sf:{fault.fault_type} xsi:type="sf:{fault.fault_type}">'
            f"<sf:exceptionCode>{escape(fault.code)}</sf:exceptionCode><sf:exceptionMessage>{escape(fault.message)}"
            f"</sf:exceptionMessage></sf:{fault.fault_type}></detail></soapenv:Fault></soapenv:Body>"
            "</soapenv:Envelope>")


def _xml_response(text: str, status: int = 200) -> Response:
    return Response(text, status=status, content_type="text/xml; charset=utf-8")


class SoapResponses:
    backend: SalesforceBackend

    def soap(self, request: Request, version: str, org_id: str | None = None) -> Response:
        try:
            try:
                root = ET.fromstring(request.get_data(cache=True))
            except ET.ParseError as error:
                raise SoapFault("INVALID_XML", f"The request is not well-formed XML: {error}") from None
            body = next((c for c in root if _local(c.tag) == "Body"), None)
            call = _children(body)[0] if body is not None and len(body) else None
            if call is None:
                raise SoapFault("INVALID_OPERATION", "No operation in the SOAP Body")
            operation = _local(call.tag)
            if operation == "login":
                return _xml_response(envelope(self._login(request, call, version)))
            user_id = self._session_user(root)
            handler = {"convertLead": self._convert_lead, "merge": self._merge, "getUserInfo": self._user_info,
                       "logout": self._logout}.get(operation)
            if handler is None:
                raise SoapFault("INVALID_OPERATION", f"The twin does not implement the {operation} call",
                                "UnexpectedErrorFault")
            return _xml_response(envelope(handler(root, call, user_id)))
        except SoapFault as fault:
            return _xml_response(fault_xml(fault), 500)
        except err.SalesforceError as error:
            return _xml_response(fault_xml(SoapFault(error.error_code, error.message)), 500)

    # -- sessions -------------------------------------------------------------------------------------
    def _session_user(self, root: ET.Element) -> str:
        header = next((c for c in root if _local(c.tag) == "Header"), None)
        session = _find(header, "SessionHeader") if header is not None else None
        token = _text(_find(session, "sessionId")) if session is not None else None
        user_id = self.backend.sessions.user_for(token or "")
        if user_id is None:
            raise SoapFault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session")
        return user_id

    def _login(self, request: Request, call: ET.Element, version: str) -> str:
        username = (_text(_find(call, "username")) or "").lower()
        password = _text(_find(call, "password")) or ""
        row = self.backend.store.db.execute(
            'SELECT * FROM "sf_user" WHERE "Username" = ? COLLATE NOCASE AND "IsDeleted" = 0', (username,)).fetchone()
        secrets_ = self.backend.user_secrets().get(row["Id"]) if row else None
        valid = bool(row and row["IsActive"] and secrets_ and password in
                     {secrets_["password"] + secrets_["token"], secrets_["password"]})
        if not valid:
            raise SoapFault("INVALID_LOGIN", "Invalid username, password, security token; or user locked out.",
                            "LoginFault")
        token = self.backend.sessions.issue(row["Id"])
        base = request.host_url.rstrip("/")
        org = self.backend.organization_id
        is_sandbox = self.backend.store.db.execute('SELECT "IsSandbox" FROM "sf_organization" LIMIT 1').fetchone()
        return ("<loginResponse><result>"
                + _element("metadataServerUrl", f"{base}/services/Soap/m/{version}/{org}")
                + _element("passwordExpired", False)
                + _element("sandbox", bool(is_sandbox and is_sandbox[0]))
                + _element("serverUrl", f"{base}/services/Soap/u/{version}/{org}")
                + _element("sessionId", token) + _element("userId", row["Id"])
                + "<userInfo>" + self._user_fields(row["Id"]) + "</userInfo></result></loginResponse>")

    def _user_fields(self, user_id: str) -> str:
        row = self.backend.store.db.execute('SELECT * FROM "sf_user" WHERE "Id" = ?', (user_id,)).fetchone()
        org = self.backend.store.db.execute('SELECT * FROM "sf_organization" LIMIT 1').fetchone()
        full_name = " ".join(p for p in (row["FirstName"], row["LastName"]) if p)
        return (_element("organizationId", self.backend.organization_id)
                + _element("organizationMultiCurrency", False) + _element("organizationName", org["Name"] if org else "")
                + _element("userEmail", row["Email"]) + _element("userFullName", full_name)
                + _element("userId", user_id) + _element("userName", row["Username"])
                + _element("userTimeZone", self.backend.schema.organization.get("timezone", "UTC")))

    def _user_info(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        return f"<getUserInfoResponse><result>{self._user_fields(user_id)}</result></getUserInfoResponse>"

    def _logout(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        header = next((c for c in root if _local(c.tag) == "Header"), None)
        token = _text(_find(_find(header, "SessionHeader"), "sessionId"))
        self.backend.sessions.revoke(token or "")
        return "<logoutResponse/>"

    # -- convertLead ----------------------------------------------------------------------------------
    def _convert_lead(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        from .models import SaveContext

        converts = [c for c in call if _local(c.tag) == "leadConverts"]
        if len(converts) > MAX_CONVERTS:
            raise SoapFault("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_CONVERTS} records "
                            "into this call")
        results = []
        for item in converts:
            request = {_local(c.tag): _text(c) for c in item}
            try:
                result = self.backend.convert_lead(request, SaveContext(user_id=user_id))
            except err.SalesforceError as error:
                result = {"accountId": None, "contactId": None, "leadId": request.get("leadId"), "opportunityId": None,
                          "success": False, "errors": [error.as_error()]}
            results.append("<result>" + _element("accountId", result["accountId"])
                           + _element("contactId", result["contactId"]) + _errors(result["errors"])
                           + _element("leadId", result["leadId"]) + _element("opportunityId", result["opportunityId"])
                           + _element("relatedPersonAccountId", None) + _element("success", result["success"])
                           + "</result>")
        return "<convertLeadResponse>" + "".join(results) + "</convertLeadResponse>"

    # -- merge ----------------------------------------------------------------------------------------
    def _merge(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        from .models import SaveContext

        requests = [c for c in call if _local(c.tag) == "request"]
        if len(requests) > MAX_CONVERTS:
            raise SoapFault("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 merge requests")
        results = []
        for item in requests:
            master = _find(item, "masterRecord")
            losers = [_text(c) or "" for c in item if _local(c.tag) == "recordToMergeIds"]
            fields: dict[str, Any] = {}
            object_name, master_id = None, None
            if master is not None:
                declared = master.get(f"{{{XSI}}}type")
                object_name = declared.split(":")[-1] if declared else None
                for child in master:
                    name = _local(child.tag)
                    if name == "type":
                        object_name = _text(child)
                    elif name == "Id":
                        master_id = _text(child)
                    elif name == "fieldsToNull":
                        fields[_text(child) or ""] = None
                    else:
                        fields[name] = _text(child)
            try:
                if not object_name or not master_id:
                    raise err.SalesforceError("masterRecord needs a type and an Id", error_code="MISSING_ARGUMENT")
                result = self.backend.merge(object_name, master_id, losers, fields, SaveContext(user_id=user_id))
            except err.SalesforceError as error:
                result = {"id": master_id, "mergedRecordIds": [], "updatedRelatedIds": [], "success": False,
                          "errors": [error.as_error()]}
            results.append("<result>" + _errors(result["errors"]) + _element("id", result["id"])
                           + _element("mergedRecordIds", result["mergedRecordIds"])
                           + _element("success", result["success"])
                           + _element("updatedRelatedIds", result["updatedRelatedIds"]) + "</result>")
        return "<mergeResponse>" + "".join(results) + "</mergeResponse>"
