"""The SOAP partner API (`POST /services/Soap/u/NN.N`): login, convertLead, merge, getUserInfo, logout.

Nothing a request says is dropped silently: an operation the partner WSDL does not have is Axis's client fault
("No operation available for request …"), one it has but the twin does not model is `sf:INVALID_OPERATION`
naming it, and so is an element inside a modelled call that the twin would otherwise ignore. A merge or a
conversion with no requests in it is a fault too, never an empty success. The envelopes are small and flat, so
the standard library's ElementTree parses them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from . import exceptions as err
from .context import SaveContext
from .soap_envelope import (
    XSI,
    ClientFault,
    SoapFault,
    element,
    envelope,
    errors,
    find,
    local,
    qualified,
    text,
    xml_response,
)

if TYPE_CHECKING:
    from .models import SalesforceBackend

MAX_REQUESTS = 200
# Partner WSDL operations the twin does not model: a fault that names them, not "no such operation".
PARTNER_OPERATIONS = {
    "create", "update", "upsert", "delete", "undelete", "emptyRecycleBin", "retrieve", "process", "query", "queryAll",
    "queryMore", "search", "getDeleted", "getUpdated", "getServerTimestamp", "setPassword", "changeOwnPassword",
    "resetPassword", "invalidateSessions", "describeSObject", "describeSObjects", "describeGlobal", "describeLayout",
    "describeTabs", "describeAllTabs", "describeSearchLayouts", "describeCompactLayouts", "describeQuickActions",
    "describeAvailableQuickActions", "describeDataCategoryGroups", "describeSoftphoneLayout", "describeTheme",
    "describeGlobalTheme", "describeApprovalLayout", "describeSoqlListViews", "executeListView", "sendEmail",
    "sendEmailMessage", "performQuickActions", "findDuplicates", "findDuplicatesByIds", "deleteByExample",
    "renderEmailTemplate", "renderStoredEmailTemplate", "describeFlexiPages", "describeAppMenu", "describeNouns",
}
# LeadConvert: what the twin acts on, and documented flags it may ignore while they are false or empty.
CONVERT_FIELDS = {"leadId", "convertedStatus", "accountId", "contactId", "ownerId", "opportunityName",
                  "doNotCreateOpportunity", "overwriteLeadSource"}
HARMLESS_WHEN_FALSE = {"sendNotificationEmail", "bypassAccountDedupeCheck", "bypassContactDedupeCheck"}
# The merge call's list of MergeRequest: the WSDL names it `request`; jsforce 3 sends `mergeRequests`.
MERGE_REQUEST_NAMES = {"request", "mergeRequests", "mergeRequest"}


def _not_modelled(what: str, operation: str) -> SoapFault:
    return SoapFault("INVALID_OPERATION", f"The twin does not model {what} in the {operation} call")


def _unexpected(child: ET.Element) -> ClientFault:
    return ClientFault(f"Element {qualified(child)} invalid at this location")


class SoapResponses:
    backend: SalesforceBackend

    def soap(self, request: Request, version: str, org_id: str | None = None) -> Response:
        try:
            try:
                root = ET.fromstring(request.get_data(cache=True))
            except ET.ParseError as error:
                raise SoapFault("INVALID_XML", f"The request is not well-formed XML: {error}") from None
            body = find(root, "Body")
            calls = list(body) if body is not None else []
            if not calls:
                raise ClientFault("No operation in the SOAP Body")
            call = calls[0]
            operation = local(call.tag)
            if operation == "login":
                return xml_response(envelope(self._login(request, call, version)))
            handler = {"convertLead": self._convert_lead, "merge": self._merge, "getUserInfo": self._user_info,
                       "logout": self._logout}.get(operation)
            if handler is None:
                if operation in PARTNER_OPERATIONS:
                    raise SoapFault("INVALID_OPERATION", f"The twin does not model the partner API's {operation} "
                                    "call (use the REST API)")
                raise ClientFault(f"No operation available for request {qualified(call)}, please check the WSDL "
                                  "for the service.")
            user_id = self._session_user(root)
            return xml_response(envelope(handler(root, call, user_id)))
        except SoapFault as fault:
            return xml_response(fault.xml(), 500)
        except err.SalesforceError as error:
            return xml_response(SoapFault(error.error_code, error.message).xml(), 500)

    # -- sessions -------------------------------------------------------------------------------------
    @staticmethod
    def _session_token(root: ET.Element) -> str:
        return text(find(find(find(root, "Header"), "SessionHeader"), "sessionId")) or ""

    def _session_user(self, root: ET.Element) -> str:
        user_id = self.backend.sessions.user_for(self._session_token(root))
        if user_id is None:
            raise SoapFault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session")
        return user_id

    def _login(self, request: Request, call: ET.Element, version: str) -> str:
        user = self.backend.directory.authenticate(text(find(call, "username")) or "", text(find(call, "password")) or "")
        if user is None:
            raise SoapFault("INVALID_LOGIN", "Invalid username, password, security token; or user locked out.",
                            "LoginFault")
        token = self.backend.sessions.issue(user["Id"])
        base = request.host_url.rstrip("/")
        org = self.backend.organization_id
        return ("<loginResponse><result>"
                + element("metadataServerUrl", f"{base}/services/Soap/m/{version}/{org}")
                + element("passwordExpired", False) + element("sandbox", self.backend.directory.is_sandbox())
                + element("serverUrl", f"{base}/services/Soap/u/{version}/{org}")
                + element("sessionId", token) + element("userId", user["Id"])
                + "<userInfo>" + self._user_fields(user["Id"]) + "</userInfo></result></loginResponse>")

    def _user_fields(self, user_id: str) -> str:
        directory = self.backend.directory
        user = directory.user(user_id) or {}
        return (element("organizationId", self.backend.organization_id)
                + element("organizationMultiCurrency", False)
                + element("organizationName", directory.organization().get("Name") or "")
                + element("userEmail", user.get("Email")) + element("userFullName", directory.full_name(user))
                + element("userId", user_id) + element("userName", user.get("Username"))
                + element("userTimeZone", self.backend.schema.organization.get("timezone", "UTC")))

    def _user_info(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        return f"<getUserInfoResponse><result>{self._user_fields(user_id)}</result></getUserInfoResponse>"

    def _logout(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        self.backend.sessions.revoke(self._session_token(root))
        return "<logoutResponse/>"

    # -- convertLead ----------------------------------------------------------------------------------
    def _convert_request(self, item: ET.Element) -> dict[str, Any]:
        request: dict[str, Any] = {}
        for child in item:
            name, value = local(child.tag), text(child)
            if name in CONVERT_FIELDS:
                request[name] = value
            elif name in HARMLESS_WHEN_FALSE and (value or "false").lower() == "false":
                continue
            else:
                raise _not_modelled(f"leadConverts.{name}", "convertLead")
        return request

    def _convert_lead(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        for child in call:
            if local(child.tag) != "leadConverts":
                raise _unexpected(child)
        converts = [self._convert_request(c) for c in call]
        if not converts:
            raise SoapFault("INVALID_OPERATION", "convertLead needs at least one leadConverts element")
        if len(converts) > MAX_REQUESTS:
            raise SoapFault("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_REQUESTS} records "
                            "into this call")
        results = []
        for request in converts:
            try:
                result = self.backend.convert_lead(request, SaveContext(user_id=user_id))
            except err.SalesforceError as error:
                result = {"accountId": None, "contactId": None, "leadId": request.get("leadId"), "opportunityId": None,
                          "success": False, "errors": [error.as_error()]}
            results.append("<result>" + element("accountId", result["accountId"])
                           + element("contactId", result["contactId"]) + errors(result["errors"])
                           + element("leadId", result["leadId"]) + element("opportunityId", result["opportunityId"])
                           + element("relatedPersonAccountId", None) + element("success", result["success"])
                           + "</result>")
        return "<convertLeadResponse>" + "".join(results) + "</convertLeadResponse>"

    # -- merge ----------------------------------------------------------------------------------------
    @staticmethod
    def _merge_request(item: ET.Element) -> tuple[str | None, str | None, list[str], dict[str, Any]]:
        """(object, master id, loser ids, field overrides) of one MergeRequest."""
        object_name, master_id, losers, fields = None, None, [], {}
        for child in item:
            name = local(child.tag)
            if name == "recordToMergeIds":
                losers.append(text(child) or "")
            elif name == "masterRecord":
                declared = child.get(f"{{{XSI}}}type")
                object_name = declared.split(":")[-1] if declared and declared.split(":")[-1] != "sObject" else None
                for part in child:
                    field = local(part.tag)
                    if field == "type":
                        object_name = text(part)
                    elif field == "Id":
                        master_id = text(part)
                    elif field == "fieldsToNull":
                        fields[text(part) or ""] = None
                    else:
                        fields[field] = text(part)
            elif name == "additionalInformationMap":
                raise _not_modelled("additionalInformationMap (person-account merges)", "merge")
            else:
                raise _unexpected(child)
        return object_name, master_id, losers, fields

    def _merge(self, root: ET.Element, call: ET.Element, user_id: str) -> str:
        for child in call:
            if local(child.tag) not in MERGE_REQUEST_NAMES:
                raise _unexpected(child)
        requests = [self._merge_request(c) for c in call]
        if not requests:
            raise SoapFault("INVALID_OPERATION", "merge needs at least one request element")
        if len(requests) > MAX_REQUESTS:
            raise SoapFault("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 merge requests")
        results = []
        for object_name, master_id, losers, fields in requests:
            try:
                if not object_name or not master_id:
                    raise err.SalesforceError("masterRecord needs a type and an Id", error_code="MISSING_ARGUMENT")
                result = self.backend.merge(object_name, master_id, losers, fields, SaveContext(user_id=user_id))
            except err.SalesforceError as error:
                result = {"id": master_id, "mergedRecordIds": [], "updatedRelatedIds": [], "success": False,
                          "errors": [error.as_error()]}
            results.append("<result>" + errors(result["errors"]) + element("id", result["id"])
                           + element("mergedRecordIds", result["mergedRecordIds"])
                           + element("success", result["success"])
                           + element("updatedRelatedIds", result["updatedRelatedIds"]) + "</result>")
        return "<mergeResponse>" + "".join(results) + "</mergeResponse>"
