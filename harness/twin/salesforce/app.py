"""The Salesforce sandbox as a WSGI app: session check, faults, API-usage accounting and header, routing."""

from __future__ import annotations

import json
import time
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from ..web import PlatformApp, TwinHttpError, json_response
from . import exceptions as err
from .models import SalesforceBackend
from .responses import USER_KEY, SalesforceResponses
from .urls import RULES

# SOAP authenticates inside the envelope (login has no session at all).
UNAUTHENTICATED_PREFIXES = ("/services/Soap/u/",)


class SalesforceApp(PlatformApp):
    max_body_bytes = 150 * 1024 * 1024  # Bulk API 2.0 accepts 150 MB uploads

    def __init__(self, backend: SalesforceBackend, session_id: str) -> None:
        self.backend = backend
        self.session_id = session_id
        backend.sessions.register(session_id, backend.api_user_id)
        self.responses = SalesforceResponses(backend)
        self.responses.internal = self.internal
        handlers = {rule.endpoint: getattr(self.responses, rule.endpoint) for rule in RULES}
        super().__init__(RULES, handlers)
        self.after.append(self._limit_header)
        self.gates.append(self._faults)
        self.gates.append(self._count_call)

    def authenticate(self, request: Request) -> Response | None:
        if request.path.startswith(UNAUTHENTICATED_PREFIXES):
            return None
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        token = value if scheme.lower() in {"bearer", "oauth"} else request.headers.get("X-SFDC-Session", "")
        user_id = self.backend.sessions.user_for(token.strip())
        if user_id is None:
            return err.InvalidSession().to_response()
        request.environ[USER_KEY] = user_id
        return None

    def _faults(self, request: Request) -> Response | None:
        fault = self.backend.faults.pick(request.path)
        if fault == "unavailable":
            return err.ServiceUnavailable().to_response()
        if fault == "limit_exceeded":
            return err.RequestLimitExceeded().to_response()
        if fault == "slow":
            time.sleep(self.backend.faults.settings.delay_ms / 1000)
        return None

    def _count_call(self, request: Request) -> Response | None:
        try:
            self.backend.count_api_call()
        except err.SalesforceError as error:
            return error.to_response()
        return None

    def _limit_header(self, request: Request, response: Response) -> None:
        response.headers["Sforce-Limit-Info"] = self.backend.usage.header

    def internal(self, method: str, url: str, body: Any, headers: dict[str, str], user_id: str) -> Response:
        """A Composite subrequest: routed like a direct call, but with no extra auth, fault or API-call count."""
        builder = EnvironBuilder(path=url.split("?")[0], query_string=url.partition("?")[2], method=method,
                                 data=json.dumps(body) if body is not None else None, headers=headers,
                                 content_type="application/json")
        environ = builder.get_environ()
        environ[USER_KEY] = user_id
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, values = adapter.match()
        except HTTPException:
            return err.NotFound().to_response()
        try:
            return self.handlers[endpoint](request, **values)
        except TwinHttpError as error:
            return error.to_response()

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
