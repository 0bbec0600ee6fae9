"""Control-plane routes, behind their own token so a client of the platforms cannot drive the twin."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from ..connector.control import RULES as CONNECTOR_RULES
from ..connector.control import handlers as connector_handlers
from ..web import PlatformApp, json_response, read_json

if TYPE_CHECKING:
    from ..twin import Twin

RULES = [
    Rule("/sync", endpoint="sync", methods=["POST"]),
    Rule("/health", endpoint="health", methods=["GET"]),
    Rule("/pause", endpoint="pause", methods=["POST"]),
    Rule("/resume", endpoint="resume", methods=["POST"]),
    Rule("/snapshot", endpoint="snapshot", methods=["GET"]),
    Rule("/info", endpoint="info", methods=["GET"]),
    Rule("/faults/hubspot", endpoint="hubspot_faults", methods=["GET", "POST"]),
    Rule("/faults/salesforce", endpoint="salesforce_faults", methods=["GET", "POST"]),
]


class ControlApp(PlatformApp):
    def __init__(self, twin: Twin, token: str) -> None:
        self.twin = twin
        self.token = token
        super().__init__(RULES, {
            "sync": self.sync, "health": self.health, "pause": self.pause, "resume": self.resume,
            "snapshot": self.snapshot, "info": self.info, "hubspot_faults": self.hubspot_faults, "salesforce_faults": self.salesforce_faults,
        })
        for rule in CONNECTOR_RULES:  # the connector's own routes (settings, interval, resync...): connector/control.py
            self.url_map.add(rule.empty())
        self.handlers.update(connector_handlers(twin))

    def authenticate(self, request: Request) -> Response | None:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header[:7].lower() == "bearer " else ""
        if not token or not hmac.compare_digest(token.encode(), self.token.encode()):
            return json_response({"message": "control plane token required"}, 401)
        return None

    def sync(self, request: Request) -> Response:
        try:
            body = _object_body(request)
            cycles = max(1, min(20, int(body.get("cycles", 1))))
        except (TypeError, ValueError) as error:
            return json_response({"message": f"cycles: a whole number from 1 to 20 ({error})"}, 400)
        stats = [self.twin.sync_now() for _ in range(cycles)]
        return json_response({"cycles": stats})

    def health(self, request: Request) -> Response:
        return json_response(self.twin.health())

    def pause(self, request: Request) -> Response:
        self.twin.connector.paused = True
        return json_response({"paused": True})

    def resume(self, request: Request) -> Response:
        self.twin.connector.paused = False
        return json_response({"paused": False})

    def snapshot(self, request: Request) -> Response:
        return json_response(self.twin.snapshot())

    def info(self, request: Request) -> Response:
        return json_response({"org": self.twin.org, "sync": self.twin.sync_mode,
                              "organization_id": self.twin.salesforce.organization_id,
                              "portal_id": self.twin.hubspot.portal.portal_id})

    def salesforce_faults(self, request: Request) -> Response:
        """Salesforce faults on demand: see docs/twin-salesforce.md ("Faults")."""
        faults = self.twin.salesforce.faults
        resets = self.twin.salesforce_app.resets
        if request.method == "GET":
            return json_response({**faults.state(), "connection_resets": resets.state()})
        try:
            body = _object_body(request)
            transport = body.pop("connection_resets", None)
            state = faults.configure(body)
            if transport is not None or body.get("clear"):
                resets.configure(transport)
            return json_response({**state, "connection_resets": resets.state()})
        except (TypeError, ValueError) as error:
            return json_response({"message": str(error)}, 400)

    def hubspot_faults(self, request: Request) -> Response:
        """HubSpot faults, rate limits and search-index lag on demand: see docs/twin-hubspot.md ("Control plane")."""
        resets = self.twin.hubspot_app.resets
        if request.method == "GET":
            return json_response({**self.twin.hubspot_app.state(), "connection_resets": resets.state()})
        try:
            body = _object_body(request)
            transport = body.pop("connection_resets", None)
            state = self.twin.hubspot_app.configure(body)
            if transport is not None:
                resets.configure(transport)
            return json_response({**state, "connection_resets": resets.state()})
        except (TypeError, ValueError) as error:
            return json_response({"message": str(error)}, 400)


def _object_body(request: Request) -> dict:
    """The JSON object a control-plane POST carries (empty body: {}); anything else is the caller's 400."""
    try:
        body = read_json(request)
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8 JSON") from None
    except ValueError as error:  # json.JSONDecodeError
        raise ValueError(f"the body is not JSON: {error}") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValueError("the body is a JSON object")
    return body
