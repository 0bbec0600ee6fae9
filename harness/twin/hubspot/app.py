"""The HubSpot portal as a WSGI app: private-app token check and routing."""

from __future__ import annotations

import hmac

from werkzeug.wrappers import Request, Response

from ..web import PlatformApp
from . import exceptions as err
from .models import HubSpotBackend
from .responses import HubSpotResponses
from .urls import RULES


class HubSpotApp(PlatformApp):
    def __init__(self, backend: HubSpotBackend, token: str) -> None:
        self.backend = backend
        self.token = token
        self.responses = HubSpotResponses(backend)
        handlers = {rule.endpoint: getattr(self.responses, rule.endpoint) for rule in RULES}
        super().__init__(RULES, handlers)

    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header[:7].lower() == "bearer " else ""
        if not token or not hmac.compare_digest(token.encode(), self.token.encode()):
            return err.Unauthorized().to_response()
        return None

    def not_found(self, request: Request) -> Response:
        return err.HubSpotError(f"Unable to find a route for {request.method} {request.path}", status=404,
                                category="OBJECT_NOT_FOUND").to_response()

    def method_not_allowed(self, request: Request) -> Response:
        return err.HubSpotError(f"Method {request.method} not allowed", status=405, category="VALIDATION_ERROR").to_response()

    def internal_error(self, request: Request, error: Exception) -> Response:
        return err.HubSpotError("internal error", status=500, category="INTERNAL_ERROR").to_response()

    def too_large(self, request: Request) -> Response:
        return err.HubSpotError("Request entity too large", status=413, category="VALIDATION_ERROR").to_response()
