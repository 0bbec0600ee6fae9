"""HubSpot CRM API on the wire: handlers render exactly the models hubspot-api-client deserialises.

Status codes matter more than usual here: the client picks its response model by status, so a create must
answer 201 and a partially failed batch 207, or the caller silently gets None.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import hs_datetime, now_ms
from ..web import empty_response, json_response
from . import exceptions as err
from .models import HsObject, HubSpotBackend
from .portal import OBJECT_TYPES

MAX_BATCH = 100
_BY_ID = {v: k for k, v in OBJECT_TYPES.items()}


def object_type_of(name: str) -> str:
    if name in OBJECT_TYPES:
        return name
    if name in _BY_ID:
        return _BY_ID[name]
    raise err.HubSpotError(f"Unable to infer object type from: {name}", status=400, category="VALIDATION_ERROR")


class HubSpotResponses:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend

    # -- helpers --------------------------------------------------------------------------------------
    @staticmethod
    def body(request: Request) -> Any:
        raw = request.get_data(cache=True)
        try:
            return json.loads(raw) if raw else {}
        except (ValueError, UnicodeDecodeError):
            raise err.HubSpotError("Invalid input JSON on line 1, column 1: Cannot build input, the body is not valid "
                                   "JSON", category="VALIDATION_ERROR") from None

    @staticmethod
    def multi(request: Request, name: str) -> list[str]:
        values: list[str] = []
        for raw in request.args.getlist(name):
            values.extend(v for v in raw.split(",") if v)
        return values

    @staticmethod
    def flag(request: Request, name: str) -> bool:
        return request.args.get(name, "false").lower() == "true"

    def render(self, obj: HsObject, names: list[str] | None = None, with_history: list[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": obj.id, "properties": self.backend.view(obj, names),
                               "createdAt": hs_datetime(obj.created_ms), "updatedAt": hs_datetime(obj.updated_ms),
                               "archived": obj.archived}
        if obj.archived and obj.archived_ms:
            out["archivedAt"] = hs_datetime(obj.archived_ms)
        if with_history:
            out["propertiesWithHistory"] = self.backend.history(obj.object_type, obj.id, with_history)
        return out

    @staticmethod
    def inputs(body: Any) -> list[dict[str, Any]]:
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list):
            raise err.HubSpotError("Invalid input JSON: 'inputs' must be a list", category="VALIDATION_ERROR")
        if len(inputs) > MAX_BATCH:
            raise err.HubSpotError(f"Batch input cannot contain more than {MAX_BATCH} inputs.", category="VALIDATION_ERROR",
                                   context={"limit": [str(MAX_BATCH)]})
        return inputs

    @staticmethod
    def batch(results: list[dict[str, Any]], errors: list[dict[str, Any]], started: int, ok_status: int) -> Response:
        body: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": hs_datetime(started),
                                "completedAt": hs_datetime(now_ms())}
        if errors:
            body.update({"numErrors": len(errors), "errors": errors})
            return json_response(body, 207)
        return json_response(body, ok_status)

    # -- account --------------------------------------------------------------------------------------
    def account_details(self, request: Request) -> Response:
        portal = self.backend.portal
        return json_response({"portalId": portal.portal_id, "accountType": portal.account_type, "timeZone": portal.time_zone,
                              "companyCurrency": portal.currency, "additionalCurrencies": [], "utcOffset": "-05:00",
                              "utcOffsetMilliseconds": -18000000, "uiDomain": "app.hubspot.com",
                              "dataHostingLocation": "na1"})

    # -- basic ----------------------------------------------------------------------------------------
    def create(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        body = self.body(request)
        properties = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(properties, dict):
            raise err.HubSpotError("Invalid input JSON: 'properties' is required", category="VALIDATION_ERROR")
        obj = self.backend.create(kind, properties)
        return json_response(self.render(obj, list(properties) or None), 201)

    def read(self, request: Request, object_type: str, object_id: str) -> Response:
        kind = object_type_of(object_type)
        obj = self.backend.get(kind, object_id, archived=self.flag(request, "archived"),
                               id_property=request.args.get("idProperty"))
        return json_response(self.render(obj, self.multi(request, "properties"), self.multi(request, "propertiesWithHistory")))

    def update(self, request: Request, object_type: str, object_id: str) -> Response:
        kind = object_type_of(object_type)
        body = self.body(request)
        properties = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(properties, dict):
            raise err.HubSpotError("Invalid input JSON: 'properties' is required", category="VALIDATION_ERROR")
        obj = self.backend.update(kind, object_id, properties, id_property=request.args.get("idProperty"))
        return json_response(self.render(obj, list(properties) or None))

    def archive(self, request: Request, object_type: str, object_id: str) -> Response:
        kind = object_type_of(object_type)
        with contextlib.suppress(err.ObjectNotFound):  # HubSpot answers 204 for an id that is already gone
            self.backend.archive(kind, object_id)
        return empty_response(204)

    def list_page(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        limit = max(1, min(100, int(request.args.get("limit", "10") or 10)))
        after = int(request.args.get("after", "0") or 0)
        archived = self.flag(request, "archived")
        with self.backend.store.lock:
            rows = self.backend.store.db.execute(
                "SELECT id FROM hs_objects WHERE object_type = ? AND archived = ? AND merged_into IS NULL AND id > ? "
                "ORDER BY id LIMIT ?", (kind, int(archived), after, limit + 1)).fetchall()
        objects = [self.backend.get(kind, str(r["id"]), archived=archived) for r in rows[:limit]]
        names = self.multi(request, "properties")
        body: dict[str, Any] = {"results": [self.render(o, names) for o in objects]}
        if len(rows) > limit:
            next_after = str(objects[-1].id)
            body["paging"] = {"next": {"after": next_after,
                                       "link": f"{request.host_url.rstrip('/')}{request.path}?after={next_after}"}}
        return json_response(body)

    # -- batch ----------------------------------------------------------------------------------------
    def batch_read(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        body = self.body(request)
        names = body.get("properties") or None
        history = body.get("propertiesWithHistory") or None
        id_property = body.get("idProperty")
        results, missing = [], []
        for item in self.inputs(body):
            try:
                obj = self.backend.get(kind, str(item.get("id")), archived=self.flag(request, "archived"),
                                       id_property=id_property)
            except err.ObjectNotFound:
                missing.append(str(item.get("id")))
                continue
            results.append(self.render(obj, names, history))
        errors = []
        if missing:
            errors.append({"status": "error", "category": "OBJECT_NOT_FOUND", "message": "Could not get some "
                           f"{kind.upper()} objects, they may be deleted or not exist. Check that ids are valid.",
                           "context": {"ids": missing}, "errors": []})
        return self.batch(results, errors, started, 200)

    def batch_create(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        results, errors = [], []
        for item in self.inputs(self.body(request)):
            try:
                obj = self.backend.create(kind, item.get("properties") or {})
            except err.HubSpotError as error:
                errors.append(error.as_batch_error())
                continue
            results.append(self.render(obj, list(item.get("properties") or {}) or None))
        return self.batch(results, errors, started, 201)

    def batch_update(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        results, errors = [], []
        for item in self.inputs(self.body(request)):
            try:
                obj = self.backend.update(kind, str(item.get("id")), item.get("properties") or {},
                                          id_property=item.get("idProperty"))
            except err.HubSpotError as error:
                errors.append(error.as_batch_error())
                continue
            results.append(self.render(obj, list(item.get("properties") or {}) or None))
        return self.batch(results, errors, started, 200)

    def batch_archive(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        for item in self.inputs(self.body(request)):
            try:
                self.backend.archive(kind, str(item.get("id")))
            except err.ObjectNotFound:
                continue
        return empty_response(204)
