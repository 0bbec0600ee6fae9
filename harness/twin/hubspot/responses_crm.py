"""Around the objects on the wire: account info, associations (v4 and legacy v3), properties and groups,
pipelines and stages, owners."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import hs_datetime, now_ms
from ..web import empty_response, json_response
from . import exceptions as err
from .associations_catalog import USER
from .models import HubSpotBackend
from .properties import OBJECT_TYPES, SINGULAR
from .responses import batch_response, body_of, flag, inputs_of, object_type_of

ASSOCIATION_BATCH_LIMIT = 1000
PORTAL_CREATED = 1_705_309_200_000  # when the fixture portal "was created": a fixed, plausible date


def _stamp() -> str:
    return hs_datetime(now_ms())


def no_associations(from_type: str, from_id: str, to_type: str) -> dict[str, Any]:
    """A batch read's per-input error for a record with nothing associated (v3 and v4), as HubSpot sends it: singular
    type names in the message and context, and no `errors` list."""
    return {"status": "error", "category": "OBJECT_NOT_FOUND", "subCategory": "crm.associations.NO_ASSOCIATIONS_FOUND",
            "message": f"No {SINGULAR[to_type]} is associated with {SINGULAR[from_type]} {from_id}.",
            "context": {"fromObjectId": [from_id], "fromObjectType": [SINGULAR[from_type]],
                        "toObjectType": [SINGULAR[to_type]]}}


class CrmResponses:
    def __init__(self, backend: HubSpotBackend, usage: Any = None) -> None:
        self.backend = backend
        self.usage = usage  # () -> (used today, daily limit): the rate limiter's counters

    # -- account --------------------------------------------------------------------------------------
    def account_details(self, request: Request) -> Response:
        portal = self.backend.portal
        return json_response({"portalId": portal.portal_id, "accountType": portal.account_type, "timeZone": portal.time_zone,
                              "companyCurrency": portal.currency, "additionalCurrencies": [], "utcOffset": "-05:00",
                              "utcOffsetMilliseconds": -18000000, "uiDomain": "app.hubspot.com",
                              "dataHostingLocation": "na1"})

    def account_usage(self, request: Request) -> Response:
        used, limit = self.usage() if self.usage else (0, self.backend.portal.limits.daily)
        return json_response({"results": [{"name": "private-apps-api-calls-daily", "usageLimit": limit, "currentUsage": used,
                                           "collectedAt": _stamp(), "fetchStatus": "SUCCESS"}]})

    # -- associations v4 ------------------------------------------------------------------------------
    def _pair_labels(self, from_type: str, from_id: str, to_type: str, to_id: str, labels: list[str]) -> dict[str, Any]:
        return {"fromObjectTypeId": OBJECT_TYPES[from_type], "fromObjectId": int(from_id),
                "toObjectTypeId": OBJECT_TYPES[to_type], "toObjectId": int(to_id), "labels": labels}

    @staticmethod
    def _specs(raw: Any) -> list[tuple[str, int]]:
        if not isinstance(raw, list) or not raw:
            raise err.HubSpotError("A list of association types {associationCategory, associationTypeId} is required",
                                   category="VALIDATION_ERROR")
        try:
            return [(str(s.get("associationCategory", "HUBSPOT_DEFINED")), int(s["associationTypeId"])) for s in raw]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise err.HubSpotError("Each association type needs associationCategory and a numeric associationTypeId",
                                   category="VALIDATION_ERROR") from None

    def assoc_create(self, request: Request, object_type: str, object_id: str, to_object_type: str,
                     to_object_id: str) -> Response:
        ft, tt = object_type_of(object_type), object_type_of(to_object_type)
        labels = self.backend.associations.associate(ft, object_id, tt, to_object_id, self._specs(body_of(request, array=True)))
        return json_response(self._pair_labels(ft, object_id, tt, to_object_id, labels), 201)

    def assoc_create_default(self, request: Request, from_object_type: str, from_object_id: str, to_object_type: str,
                             to_object_id: str) -> Response:
        started = now_ms()
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        kind = self.backend.associations.associate_default(ft, from_object_id, tt, to_object_id)
        inverse = self.backend.associations.catalog.inverse(kind)
        results = [{"from": {"id": from_object_id}, "to": {"id": to_object_id}, "associationSpec": kind.spec()}]
        if inverse is not None:
            results.append({"from": {"id": to_object_id}, "to": {"id": from_object_id}, "associationSpec": inverse.spec()})
        return batch_response(results, [], started, 200)

    def assoc_page(self, request: Request, object_type: str, object_id: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(object_type), object_type_of(to_object_type)
        if self.backend.find_by_id(ft, object_id) is None:
            raise err.ObjectNotFound(f"No {ft} with ID {object_id} exists")
        limit = max(1, min(500, int(request.args.get("limit") or 500)))
        page, next_after = self.backend.associations.read(ft, object_id, tt, int(request.args.get("after") or 0), limit)
        body: dict[str, Any] = {"results": [{"toObjectId": int(i), "associationTypes": [k.with_label() for k in kinds]}
                                            for i, kinds in page]}
        if next_after:
            body["paging"] = {"next": {"after": next_after, "link": f"{request.base_url}?after={next_after}"}}
        return json_response(body)

    def assoc_archive(self, request: Request, object_type: str, object_id: str, to_object_type: str,
                      to_object_id: str) -> Response:
        ft, tt = object_type_of(object_type), object_type_of(to_object_type)
        self.backend.associations.remove(ft, object_id, tt, to_object_id)
        return empty_response(204)

    def assoc_batch_create(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        started = now_ms()
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        results, errors = [], []
        for index, item in enumerate(inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT)):
            from_id, to_id = str((item.get("from") or {}).get("id")), str((item.get("to") or {}).get("id"))
            try:
                labels = self.backend.associations.associate(ft, from_id, tt, to_id, self._specs(item.get("types")))
            except err.HubSpotError as error:
                error.index = index
                errors.append(error.as_batch_error())
                continue
            results.append(self._pair_labels(ft, from_id, tt, to_id, labels))
        return batch_response(results, errors, started, 201)

    def assoc_batch_default(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        started = now_ms()
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        results, errors = [], []
        for index, item in enumerate(inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT)):
            from_id, to_id = str((item.get("from") or {}).get("id")), str((item.get("to") or {}).get("id"))
            try:
                kind = self.backend.associations.associate_default(ft, from_id, tt, to_id)
            except err.HubSpotError as error:
                error.index = index
                errors.append(error.as_batch_error())
                continue
            results.append({"from": {"id": from_id}, "to": {"id": to_id}, "associationSpec": kind.spec()})
        return batch_response(results, errors, started, 200)

    def assoc_batch_read(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        started = now_ms()
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        results, errors = [], []
        for item in inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT):
            from_id = str(item.get("id"))
            page, next_after = ([], None) if self.backend.find_by_id(ft, from_id) is None else self.backend.associations.read(
                ft, from_id, tt, int(item.get("after") or 0))
            if not page:
                errors.append(no_associations(ft, from_id, tt))
                continue
            result: dict[str, Any] = {"from": {"id": from_id}, "to": [
                {"toObjectId": int(i), "associationTypes": [k.with_label() for k in kinds]} for i, kinds in page]}
            if next_after:
                result["paging"] = {"next": {"after": next_after}}
            results.append(result)
        return batch_response(results, errors, started, 200)

    def assoc_batch_archive(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        for item in inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT):
            from_id = str((item.get("from") or {}).get("id"))
            for target in item.get("to") or []:
                self.backend.associations.remove(ft, from_id, tt, str((target or {}).get("id")))
        return empty_response(204)

    def assoc_batch_archive_labels(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        for item in inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT):
            self.backend.associations.remove(ft, str((item.get("from") or {}).get("id")), tt,
                                             str((item.get("to") or {}).get("id")), self._specs(item.get("types")))
        return empty_response(204)

    def assoc_labels(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        return json_response({"results": [k.with_label() for k in self.backend.associations.catalog.between(ft, tt)]})

    def assoc_label_create(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        body = body_of(request)
        if not body.get("label") or not body.get("name"):
            raise err.HubSpotError("label and name are required", category="VALIDATION_ERROR")
        kinds = self.backend.associations.create_label(ft, tt, str(body["label"]), str(body["name"]), body.get("inverseLabel"))
        return json_response({"results": [k.with_label() for k in kinds]})

    def assoc_label_update(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        body = body_of(request)
        kind = self.backend.associations.kind(ft, tt, USER, int(body.get("associationTypeId") or 0))
        name = kind.name
        self.backend.associations.remove_label(ft, tt, kind.type_id)
        self.backend.associations.create_label(ft, tt, str(body.get("label") or kind.label), name, body.get("inverseLabel"))
        return empty_response(204)

    def assoc_label_remove(self, request: Request, from_object_type: str, to_object_type: str,
                           association_type_id: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        self.backend.associations.remove_label(ft, tt, int(association_type_id))
        return empty_response(204)

    # -- associations v3 (legacy batch API) -----------------------------------------------------------
    def _v3_kind(self, ft: str, tt: str, name: str | None) -> tuple[str, int]:
        for kind in self.backend.associations.catalog.between(ft, tt):
            if name is None and kind.unlabeled or kind.name == name:
                return kind.category, kind.type_id
        raise err.HubSpotError(f"{name} is not a valid association type between {ft} and {tt}", category="VALIDATION_ERROR")

    def v3_batch_create(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        started = now_ms()
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        results, errors = [], []
        for index, item in enumerate(inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT)):
            from_id, to_id = str((item.get("from") or {}).get("id")), str((item.get("to") or {}).get("id"))
            try:
                spec = self._v3_kind(ft, tt, item.get("type"))
                self.backend.associations.associate(ft, from_id, tt, to_id, [spec])
            except err.HubSpotError as error:
                error.index = index
                errors.append(error.as_batch_error())
                continue
            results.append({"from": {"id": from_id}, "to": {"id": to_id}, "type": item.get("type")})
        return batch_response(results, errors, started, 201)

    def v3_batch_read(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        started = now_ms()
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        results, errors = [], []
        for item in inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT):
            from_id = str(item.get("id"))
            view = self.backend.associations.v3_view(ft, from_id, [tt]).get(tt, {}).get("results", [])
            if not view:
                errors.append(no_associations(ft, from_id, tt))
                continue
            results.append({"from": {"id": from_id}, "to": view})
        return batch_response(results, errors, started, 200)

    def v3_batch_archive(self, request: Request, from_object_type: str, to_object_type: str) -> Response:
        ft, tt = object_type_of(from_object_type), object_type_of(to_object_type)
        for item in inputs_of(body_of(request), ASSOCIATION_BATCH_LIMIT):
            self.backend.associations.remove(ft, str((item.get("from") or {}).get("id")), tt,
                                             str((item.get("to") or {}).get("id")))
        return empty_response(204)

    # -- owners ---------------------------------------------------------------------------------------
    def owners_page(self, request: Request) -> Response:
        archived = flag(request, "archived")
        email = (request.args.get("email") or "").lower()
        owners = sorted((o for o in self.backend.owners() if o.archived == archived
                         and (not email or o.email.lower() == email)), key=lambda o: int(o.id))
        limit = max(1, min(500, int(request.args.get("limit") or 100)))
        after = request.args.get("after")
        if after:
            owners = [o for o in owners if int(o.id) > int(after)]
        page = owners[:limit]
        body: dict[str, Any] = {"results": [o.to_api(hs_datetime(PORTAL_CREATED)) for o in page]}
        if len(owners) > limit:
            body["paging"] = {"next": {"after": page[-1].id, "link": f"{request.base_url}?after={page[-1].id}"}}
        return json_response(body)

    def owner(self, request: Request, owner_id: str) -> Response:
        archived = flag(request, "archived")
        by_user = (request.args.get("idProperty") or "id") == "userId"
        found = next((o for o in self.backend.owners() if (str(o.user_id) if by_user else o.id) == owner_id
                      and o.archived == archived), None)
        if found is None:
            raise err.ObjectNotFound(f"Owner {owner_id} not found")
        return json_response(found.to_api(hs_datetime(PORTAL_CREATED)))
