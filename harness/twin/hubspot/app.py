"""The HubSpot portal as a WSGI app: private-app token check, limits and faults, routing."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from ..web import ConcurrentReads, PlatformApp
from . import exceptions as err
from .exports import DOWNLOAD_PREFIX
from .models import HubSpotBackend
from .ratelimit import Traffic
from .responses import HubSpotResponses
from .responses_automation import AutomationResponses
from .responses_crm import CrmResponses
from .responses_exports import ExportResponses
from .responses_schema import SchemaResponses
from .urls import RULES


class HubSpotApp(PlatformApp):
    def __init__(self, backend: HubSpotBackend, token: str) -> None:
        self.backend = backend
        self.token = token
        self.traffic = Traffic(backend.portal.limits, backend.portal.time_zone)
        self._requests = ConcurrentReads(backend.store.lock)
        responders = [HubSpotResponses(backend), CrmResponses(backend, self._usage), SchemaResponses(backend, backend.schema),
                      AutomationResponses(backend), ExportResponses(backend, self.traffic.limits)]
        handlers = {}
        for rule in RULES:
            owner = next(r for r in responders if hasattr(r, str(rule.endpoint)))
            handlers[str(rule.endpoint)] = self._serialised(getattr(owner, str(rule.endpoint)))
        super().__init__(RULES, handlers)
        self.gates.append(self.traffic.gate)
        self.after.append(self.traffic.after)

    def _serialised(self, handler: Callable[..., Response]) -> Callable[..., Response]:
        """Reads run side by side; a request that may write runs alone with the store's lock (web.ConcurrentReads)."""
        return self._requests.wrap(handler)

    def _usage(self) -> tuple[int, int]:
        state = self.traffic.state()["rate_limits"]
        return state["used_today"], state["daily"]

    def configure(self, body: dict[str, Any]) -> dict[str, Any]:
        """The control plane's `POST /faults/hubspot`: faults, rate limits, search-index lag; returns the state."""
        if not isinstance(body, dict):
            raise ValueError("the body is a JSON object with faults, rate_limits, search_index_lag_ms, ...")
        known = {"faults", "rate_limits", "search_index_lag_ms", "settle_search_index", "reset", "export_processing_ms"}
        unknown = sorted(set(body) - known)
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(unknown)}; use {', '.join(sorted(known))}")
        if "faults" in body:
            self.traffic.configure_faults(body["faults"])
        if body.get("rate_limits"):
            self.traffic.configure_limits(body["rate_limits"])
        if "search_index_lag_ms" in body:
            lag = int(body["search_index_lag_ms"])
            if lag < 0:
                raise ValueError("search_index_lag_ms: a whole number >= 0")
            self.backend.search.lag_ms = lag
        if "export_processing_ms" in body:
            took = int(body["export_processing_ms"])
            if took < 0:
                raise ValueError("export_processing_ms: a whole number >= 0")
            self.backend.portal.switches.export_processing_ms = took
        if body.get("settle_search_index"):
            self.backend.search.settle()
        if body.get("reset"):
            self.traffic.reset()
        return self.state()

    def state(self) -> dict[str, Any]:
        return {**self.traffic.state(), "search_index_lag_ms": self.backend.search.lag_ms,
                "export_processing_ms": self.backend.portal.switches.export_processing_ms}

    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header[:7].lower() == "bearer " else ""
        if token and hmac.compare_digest(token.encode(), self.token.encode()):
            return None
        if request.path.startswith(DOWNLOAD_PREFIX):  # an export file: its pre-signed URL is the authorisation
            export_id = request.path[len(DOWNLOAD_PREFIX):].split("/", 1)[0]
            refused = self.backend.exports.authorise(export_id, request.args.get("expires"), request.args.get("signature"))
            return None if refused is None else Response(refused, status=403, content_type="text/plain; charset=utf-8")
        return err.Unauthorized().to_response()

    def not_found(self, request: Request) -> Response:
        return err.HubSpotError(f"Unable to find a route for {request.method} {request.path}", status=404,
                                category="OBJECT_NOT_FOUND").to_response()

    def method_not_allowed(self, request: Request) -> Response:
        return err.HubSpotError(f"Method {request.method} not allowed", status=405, category="VALIDATION_ERROR").to_response()

    def internal_error(self, request: Request, error: Exception) -> Response:
        return err.HubSpotError("internal error", status=500, category="INTERNAL_ERROR").to_response()

    def too_large(self, request: Request) -> Response:
        return err.HubSpotError("Request entity too large", status=413, category="VALIDATION_ERROR").to_response()
