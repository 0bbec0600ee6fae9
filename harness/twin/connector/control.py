"""The connector's control-plane routes (twin only), mounted by control/app.py beside /sync, /health, /pause.

    GET  /connector/settings                 the connector's actual settings (switches resolved)
    PATCH /connector/settings                change them as an admin would (merged; lists replaced whole)
    GET|POST /connector/interval             {"mode": "manual"|"interval", "seconds": N}: background cycles
    DELETE /connector/suspension             Sync Health's "Clear Suspension"
    POST /connector/resync                   {"object": "contacts", "ids": [...]}: a manual sync of records
    GET  /connector/errors?object=&id=       open sync errors, optionally for one record (its Salesforce Sync card)
    GET  /connector/links?object=&id=        which Salesforce record a HubSpot record syncs with
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from ..web import json_response, read_json
from .settings import SettingsError

if TYPE_CHECKING:
    from ..twin import Twin

RULES = [
    Rule("/connector/settings", endpoint="connector_settings", methods=["GET", "PATCH"]),
    Rule("/connector/interval", endpoint="connector_interval", methods=["GET", "POST"]),
    Rule("/connector/suspension", endpoint="connector_suspension", methods=["DELETE"]),
    Rule("/connector/resync", endpoint="connector_resync", methods=["POST"]),
    Rule("/connector/errors", endpoint="connector_errors", methods=["GET"]),
    Rule("/connector/links", endpoint="connector_links", methods=["GET"]),
]


def _body(request: Request) -> dict[str, Any] | None:
    try:
        body = read_json(request)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def handlers(twin: Twin) -> dict[str, Any]:
    connector = twin.connector

    def settings(request: Request) -> Response:
        if request.method == "PATCH":
            body = _body(request)
            if body is None:
                return json_response({"message": "send a JSON object of settings to change"}, 400)
            try:
                connector.apply_settings(body)
            except SettingsError as error:
                return json_response({"message": str(error)}, 400)
        return json_response(connector.settings.model_dump(mode="json"))

    def interval(request: Request) -> Response:
        if request.method == "POST":
            body = _body(request)
            if body is None:
                return json_response({"message": 'send {"mode": "manual" | "interval", "seconds": N}'}, 400)
            try:
                twin.set_sync_mode(str(body.get("mode", twin.sync_mode)), body.get("seconds"))
            except ValueError as error:
                return json_response({"message": str(error)}, 400)
        return json_response({"mode": twin.sync_mode, "seconds": twin.interval_seconds})

    def suspension(request: Request) -> Response:
        connector.clear_suspension()
        return json_response({"suspended": connector.suspended})

    def resync(request: Request) -> Response:
        body = _body(request) or {}
        ids = body.get("ids")
        object_type = body.get("object", "contacts")
        if object_type not in {"contacts", "companies", "deals", "tickets"} or not isinstance(ids, list):
            return json_response({"message": 'send {"object": "contacts"|"companies"|"deals"|"tickets", "ids": [...]}'},
                                 400)
        return json_response({"queued": connector.resync(object_type, [str(i) for i in ids])})

    def errors(request: Request) -> Response:
        found = connector.health.open_errors(request.args.get("object"), request.args.get("id"))
        return json_response({"errors": [e.__dict__ for e in found]})

    def links(request: Request) -> Response:
        object_type, hs_id = request.args.get("object", "contacts"), request.args.get("id")
        if not hs_id:
            return json_response({"message": "id is required"}, 400)
        link = connector.ctx.links.one_by_hs(object_type, hs_id)
        if link is None:
            return json_response({"message": f"{object_type} {hs_id} is not linked"}, 404)
        return json_response({"object": object_type, "id": hs_id, "salesforce_object": link.sf_object,
                              "salesforce_id": link.sf_id, "synced_ms": link.synced_ms})

    return {"connector_settings": settings, "connector_interval": interval, "connector_suspension": suspension,
            "connector_resync": resync, "connector_errors": errors, "connector_links": links}
