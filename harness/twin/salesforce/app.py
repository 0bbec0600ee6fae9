"""The Salesforce sandbox as a WSGI app: session check, API-usage accounting and header, routing."""

from __future__ import annotations

import hmac

from werkzeug.wrappers import Request, Response

from ..web import PlatformApp, json_response
from . import exceptions as err
from .models import SalesforceBackend
from .responses import SalesforceResponses
from .urls import RULES


class SalesforceApp(PlatformApp):
    def __init__(self, backend: SalesforceBackend, session_id: str) -> None:
        self.backend = backend
        self.session_id = session_id
        self.responses = SalesforceResponses(backend)
        handlers = {rule.endpoint: getattr(self.responses, rule.endpoint) for rule in RULES}
        super().__init__(RULES, handlers)
        self.after.append(self._limit_header)
        self.gates.append(self._count_call)

    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header[:7].lower() == "bearer " else request.headers.get("X-SFDC-Session", "")
        if not token or not hmac.compare_digest(token.encode(), self.session_id.encode()):
            return err.InvalidSession().to_response()
        return None

    def _count_call(self, request: Request) -> Response | None:
        try:
            self.backend.count_api_call()
        except err.SalesforceError as error:
            return error.to_response()
        return None

    def _limit_header(self, request: Request, response: Response) -> None:
        response.headers["Sforce-Limit-Info"] = self.backend.usage.header

    def not_found(self, request: Request) -> Response:
        return err.NotFound().to_response()

    def method_not_allowed(self, request: Request) -> Response:
        return err.MethodNotAllowedError(request.method).to_response()

    def internal_error(self, request: Request, error: Exception) -> Response:
        return json_response([{"message": "An unexpected error occurred. Please include this ErrorId if you contact "
                               "support: twin", "errorCode": "UNKNOWN_EXCEPTION"}], 500)

    def too_large(self, request: Request) -> Response:
        return err.SalesforceError("Exceeded max size limit of 52428800", error_code="JSON_PARSER_ERROR",
                                   status=413).to_response()
