"""HubSpot CRM objects on the wire: handlers render exactly the models hubspot-api-client deserialises.

Status codes matter more than usual here: the client picks its response model by status, so a create must
answer 201, a batch create 201 (207 with errors), batch read/update/upsert 200 (207), archive 204, merge 200,
or the caller silently gets None.
"""

from __future__ import annotations

import contextlib
from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import hs_datetime, now_ms
from ..web import JsonRefused, empty_response, json_response, parse_json
from . import exceptions as err
from .models import HsObject, HubSpotBackend
from .properties import OBJECT_TYPES, PIPELINE_OBJECTS, SINGULAR

MAX_BATCH = 100
MAX_PAGE = 100
_ALIASES = {**{v: k for k, v in OBJECT_TYPES.items()}, **{v: k for k, v in SINGULAR.items()}}


def object_type_of(name: str) -> str:
    """contacts, contact and 0-1 all name the contacts object, as in HubSpot's paths."""
    if name in OBJECT_TYPES:
        return name
    if name.lower() in _ALIASES:
        return _ALIASES[name.lower()]
    raise err.HubSpotError(f"Unable to infer object type from: {name}", status=400, category="VALIDATION_ERROR")


def body_of(request: Request, array: bool = False) -> Any:
    """The JSON body: an object (an array where the endpoint takes one); anything else is HubSpot's 400."""
    raw = request.get_data(cache=True)
    try:
        body = parse_json(raw) if raw else ([] if array else {})
    except JsonRefused as error:
        raise err.HubSpotError(f"Invalid input JSON on line {error.lineno}, column {error.colno}: {error.msg}",
                               category="VALIDATION_ERROR") from None
    except (ValueError, UnicodeDecodeError):
        raise err.HubSpotError("Invalid input JSON on line 1, column 1: Cannot build input, the body is not valid "
                               "JSON", category="VALIDATION_ERROR") from None
    if not isinstance(body, list if array else dict):
        raise err.HubSpotError(f"Invalid input JSON on line 1, column 1: Cannot build input, expected a JSON "
                               f"{'array' if array else 'object'}", category="VALIDATION_ERROR")
    return body


def int_arg(request: Request, name: str, default: int) -> int:
    """A whole-number query parameter (limit, after), or HubSpot's 400 naming it."""
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise err.HubSpotError(f"Invalid value for query parameter {name}: {raw[:40]!r} is not a whole number",
                               category="VALIDATION_ERROR") from None


def multi(request: Request, name: str) -> list[str]:
    """Repeated query parameters (the SDK's 'multi' format) and comma-separated ones, both."""
    values: list[str] = []
    for raw in request.args.getlist(name):
        values.extend(v for v in raw.split(",") if v)
    return values


def flag(request: Request, name: str) -> bool:
    return request.args.get(name, "false").lower() == "true"


def inputs_of(body: Any, limit: int = MAX_BATCH) -> list[dict[str, Any]]:
    inputs = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(inputs, list):
        raise err.HubSpotError("Invalid input JSON: 'inputs' must be a list", category="VALIDATION_ERROR")
    if len(inputs) > limit:
        raise err.HubSpotError(f"Batch input cannot contain more than {limit} inputs.", category="VALIDATION_ERROR",
                               context={"limit": [str(limit)]})
    if not all(isinstance(item, dict) for item in inputs):
        raise err.HubSpotError("Invalid input JSON: each input must be an object", category="VALIDATION_ERROR")
    return inputs


def batch_response(results: list[dict[str, Any]], errors: list[dict[str, Any]], started: int, ok_status: int) -> Response:
    body: dict[str, Any] = {"status": "COMPLETE", "results": results, "requestedAt": hs_datetime(started),
                            "startedAt": hs_datetime(started), "completedAt": hs_datetime(now_ms())}
    if errors:
        body.update({"numErrors": len(errors), "errors": errors})
        return json_response(body, 207)
    return json_response(body, ok_status)


class HubSpotResponses:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend

    def render(self, obj: HsObject, names: list[str] | None = None, with_history: list[str] | None = None,
               associations: list[str] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": obj.id, "properties": self.backend.view(obj, names),
                               "createdAt": hs_datetime(obj.created_ms), "updatedAt": hs_datetime(obj.updated_ms),
                               "archived": obj.archived}
        if obj.archived and obj.archived_ms:
            out["archivedAt"] = hs_datetime(obj.archived_ms)
        if with_history:
            out["propertiesWithHistory"] = self.backend.history(obj.object_type, obj.id, with_history)
        if associations:
            view = self.backend.associations.v3_view(obj.object_type, obj.id, [object_type_of(a) for a in associations])
            if view:
                out["associations"] = view
        return out

    @staticmethod
    def written(object_type: str, properties: dict[str, Any]) -> list[str]:
        """What a write answers with: the properties sent plus the ones HubSpot maintains on every write."""
        modified = "lastmodifieddate" if object_type == "contacts" else "hs_lastmodifieddate"
        pipeline = list(PIPELINE_OBJECTS.get(object_type, ()))  # set by HubSpot when the write leaves them out
        return list(dict.fromkeys([*properties, *pipeline, "createdate", "hs_object_id", modified]))

    @staticmethod
    def _properties(body: Any) -> dict[str, Any]:
        properties = body.get("properties") if isinstance(body, dict) else None
        if not isinstance(properties, dict):
            raise err.HubSpotError("Invalid input JSON: 'properties' is required", category="VALIDATION_ERROR")
        return properties

    def _atomic(self) -> bool:
        return self.backend.portal.switches.batch_errors == "atomic"

    # -- basic ----------------------------------------------------------------------------------------
    def create(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        body = body_of(request)
        properties = self._properties(body)
        obj = self.backend.create(kind, properties, associations=body.get("associations") or None)
        return json_response(self.render(obj, self.written(kind, properties)), 201)

    def read(self, request: Request, object_type: str, object_id: str) -> Response:
        kind = object_type_of(object_type)
        obj = self.backend.get(kind, object_id, archived=flag(request, "archived"), id_property=request.args.get("idProperty"))
        return json_response(self.render(obj, multi(request, "properties"), multi(request, "propertiesWithHistory"),
                                         multi(request, "associations")))

    def update(self, request: Request, object_type: str, object_id: str) -> Response:
        kind = object_type_of(object_type)
        properties = self._properties(body_of(request))
        obj = self.backend.update(kind, object_id, properties, id_property=request.args.get("idProperty"))
        return json_response(self.render(obj, self.written(kind, properties)))

    def archive(self, request: Request, object_type: str, object_id: str) -> Response:
        kind = object_type_of(object_type)
        with contextlib.suppress(err.ObjectNotFound):  # HubSpot answers 204 for an id that is already gone
            self.backend.archive(kind, object_id)
        return empty_response(204)

    def list_page(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        try:
            limit = max(1, min(MAX_PAGE, int(request.args.get("limit") or 10)))
            after = int(request.args.get("after") or 0)
        except ValueError:
            raise err.HubSpotError("limit and after must be whole numbers", category="VALIDATION_ERROR") from None
        history = multi(request, "propertiesWithHistory")
        if history:
            limit = min(limit, 50)  # HubSpot caps pages that carry property history at 50
        objects, more = self.backend.page(kind, after, limit, flag(request, "archived"))
        names, associations = multi(request, "properties"), multi(request, "associations")
        body: dict[str, Any] = {"results": [self.render(o, names, history, associations) for o in objects]}
        if more and objects:
            next_after = objects[-1].id
            body["paging"] = {"next": {"after": next_after,
                                       "link": f"{request.host_url.rstrip('/')}{request.path}?after={next_after}"}}
        return json_response(body)

    # -- batch ----------------------------------------------------------------------------------------
    def batch_read(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        body = body_of(request)
        names, history = body.get("properties") or None, body.get("propertiesWithHistory") or None
        id_property, archived = body.get("idProperty"), flag(request, "archived")
        results, missing, seen = [], [], set()
        for item in inputs_of(body):
            try:
                obj = self.backend.get(kind, str(item.get("id")), archived=archived, id_property=id_property)
            except err.ObjectNotFound:
                missing.append(str(item.get("id")))
                continue
            if obj.id not in seen:  # two ids of one merged record read as one result
                seen.add(obj.id)
                results.append(self.render(obj, names, history))
        errors = []
        if missing:  # HubSpot names the object type in the singular and sends no `errors` list here
            errors.append({"status": "error", "category": "OBJECT_NOT_FOUND", "message": "Could not get some "
                           f"{SINGULAR[kind].upper()} objects, they may be deleted or not exist. Check that ids are valid.",
                           "context": {"ids": missing}})
        return batch_response(results, errors, started, 200)

    def batch_create(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        inputs = inputs_of(body_of(request))
        outcome = self.backend.create_many(kind, [item.get("properties") or {} for item in inputs],
                                           associations=[item.get("associations") for item in inputs], atomic=self._atomic())
        results = [self.render(o, self.written(kind, inputs[i].get("properties") or {})) for i, o in enumerate(outcome)
                   if isinstance(o, HsObject)]
        errors = [e.as_batch_error() for e in outcome if isinstance(e, err.HubSpotError)]
        return batch_response(results, errors, started, 201)

    def batch_update(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        inputs = inputs_of(body_of(request))
        ids = [str(item.get("id")) for item in inputs]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise err.HubSpotError(f"Duplicate IDs found in batch input: {duplicates}. IDs must be unique",
                                   category="VALIDATION_ERROR", context={"ids": duplicates})
        outcome = self.backend.update_many(kind, [(str(item.get("id")), item.get("properties") or {}, item.get("idProperty"))
                                                  for item in inputs], atomic=self._atomic())
        results = [self.render(o, self.written(kind, inputs[i].get("properties") or {})) for i, o in enumerate(outcome)
                   if isinstance(o, HsObject)]
        errors = [e.as_batch_error() for e in outcome if isinstance(e, err.HubSpotError)]
        return batch_response(results, errors, started, 200)

    def batch_upsert(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        started = now_ms()
        inputs = inputs_of(body_of(request))
        results, errors = [], []
        for index, outcome in enumerate(self.backend.upsert_many(kind, inputs, atomic=self._atomic())):
            if isinstance(outcome, err.HubSpotError):
                errors.append(outcome.as_batch_error())
                continue
            obj, new = outcome
            sent = {**(inputs[index].get("properties") or {}), str(inputs[index].get("idProperty")): None}
            rendered = self.render(obj, self.written(kind, sent))
            rendered["new"] = new
            results.append(rendered)
        return batch_response(results, errors, started, 200)

    def batch_archive(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        with self.backend.store.transaction():  # one commit for the batch, not one per record
            for item in inputs_of(body_of(request)):
                with contextlib.suppress(err.ObjectNotFound):
                    self.backend.archive(kind, str(item.get("id")))
        return empty_response(204)

    # -- search, merge, gdpr --------------------------------------------------------------------------
    def search(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        body = body_of(request)
        if not isinstance(body, dict):
            raise err.HubSpotError("Invalid input JSON: the search body must be an object", category="VALIDATION_ERROR")
        page = self.backend.search.search(kind, body)
        names = body.get("properties") or None
        results, seen = [], set()
        for object_id in page.ids:
            obj = self.backend.find_by_id(kind, object_id)
            if obj is None or obj.id in seen:
                continue
            seen.add(obj.id)
            rendered = self.render(obj, names)
            rendered["archived"] = False  # the index's copy: archived records still show, as live, until it catches up
            rendered.pop("archivedAt", None)
            results.append(rendered)
        out: dict[str, Any] = {"total": page.total, "results": results}
        if page.next_after is not None:
            out["paging"] = {"next": {"after": page.next_after}}
        return json_response(out)

    def merge(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        body = body_of(request)
        primary, secondary = body.get("primaryObjectId"), body.get("objectIdToMerge")
        if not primary or not secondary:
            raise err.HubSpotError("primaryObjectId and objectIdToMerge are required", category="VALIDATION_ERROR")
        return json_response(self.render(self.backend.merge(kind, str(primary), str(secondary))))

    def gdpr_delete(self, request: Request, object_type: str) -> Response:
        kind = object_type_of(object_type)
        if kind != "contacts":
            raise err.HubSpotError("GDPR delete is available for contacts", category="VALIDATION_ERROR")
        body = body_of(request)
        if not body.get("objectId"):
            raise err.HubSpotError("objectId is required", category="VALIDATION_ERROR")
        self.backend.gdpr_delete(kind, str(body["objectId"]), body.get("idProperty"))
        return empty_response(204)
