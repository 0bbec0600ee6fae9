"""Lists (`/crm/v3/lists`) and workflows (`/automation/v4/flows`) on the wire."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import hs_datetime, now_ms
from ..web import empty_response, json_response
from . import exceptions as err
from .models import HubSpotBackend
from .properties import OBJECT_TYPES
from .responses import batch_response, body_of, flag, inputs_of, int_arg, object_type_of


def _ids(body: Any) -> list[str]:
    if not isinstance(body, list):
        raise err.HubSpotError("The body must be a JSON array of record ids", category="VALIDATION_ERROR")
    return [str(i) for i in body]


class AutomationResponses:
    def __init__(self, backend: HubSpotBackend) -> None:
        self.backend = backend
        self.lists = backend.lists
        self.workflows = backend.workflows

    # -- lists ----------------------------------------------------------------------------------------
    def _list(self, request: Request, list_id: str) -> dict[str, Any]:
        return self.lists.to_api(self.lists.get(list_id), flag(request, "includeFilters"))

    def list_create(self, request: Request) -> Response:
        body = body_of(request)
        item = self.lists.create(str(body.get("name") or ""), str(body.get("objectTypeId") or ""),
                                 str(body.get("processingType") or ""), body.get("filterBranch"))
        return json_response({"list": self.lists.to_api(item)})

    def list_get(self, request: Request, list_id: str) -> Response:
        return json_response({"list": self._list(request, list_id)})

    def list_by_name(self, request: Request, object_type_id: str, list_name: str) -> Response:
        item = self.lists.by_name(object_type_of(object_type_id), list_name)
        return json_response({"list": self.lists.to_api(item, flag(request, "includeFilters"))})

    def lists_by_id(self, request: Request) -> Response:
        wanted = [i for raw in request.args.getlist("listIds") for i in raw.split(",") if i]
        items = [i for i in self.lists.all() if not wanted or i.id in wanted]
        return json_response({"lists": [self.lists.to_api(i, flag(request, "includeFilters")) for i in items]})

    def list_search(self, request: Request) -> Response:
        body = body_of(request)
        query = str(body.get("query") or "").lower()
        types = body.get("processingTypes") or []
        wanted = [str(i) for i in body.get("listIds") or []]
        items = [i for i in self.lists.all() if query in i.name.lower() and (not types or i.processing_type in types)
                 and (not wanted or i.id in wanted)]
        offset, count = int(body.get("offset") or 0), max(1, min(500, int(body.get("count") or 20)))
        page = items[offset:offset + count]
        rendered = []
        for item in page:
            shaped = self.lists.to_api(item, include_filters=False)
            shaped["additionalProperties"] = {"hs_list_size": str(shaped.pop("size"))}
            rendered.append(shaped)
        return json_response({"offset": offset + len(page), "hasMore": offset + count < len(items), "lists": rendered,
                              "total": len(items)})

    def list_remove(self, request: Request, list_id: str) -> Response:
        self.lists.delete(list_id)
        return empty_response(204)

    def list_restore(self, request: Request, list_id: str) -> Response:
        self.lists.restore(list_id)
        return empty_response(204)

    def list_update_filters(self, request: Request, list_id: str) -> Response:
        item = self.lists.update(list_id, filter_branch=body_of(request).get("filterBranch"))
        return json_response({"updatedList": self.lists.to_api(item)})

    def list_update_name(self, request: Request, list_id: str) -> Response:
        name = request.args.get("listName")
        if not name:
            raise err.HubSpotError("listName is required", category="VALIDATION_ERROR")
        item = self.lists.update(list_id, name=name)
        return json_response({"updatedList": self.lists.to_api(item, flag(request, "includeFilters"))})

    def members_add(self, request: Request, list_id: str) -> Response:
        return json_response(self.lists.change(list_id, _ids(body_of(request, array=True)), []))

    def members_remove(self, request: Request, list_id: str) -> Response:
        return json_response(self.lists.change(list_id, [], _ids(body_of(request, array=True))))

    def members_add_and_remove(self, request: Request, list_id: str) -> Response:
        body = body_of(request)
        return json_response(self.lists.change(list_id, _ids(body.get("recordIdsToAdd") or []),
                                               _ids(body.get("recordIdsToRemove") or [])))

    def members_add_from(self, request: Request, list_id: str, source_list_id: str) -> Response:
        self.lists.change(list_id, [i for i, _ in self.lists.members(source_list_id)], [])
        return empty_response(204)

    def members_clear(self, request: Request, list_id: str) -> Response:
        self.lists.clear(list_id)
        return empty_response(204)

    def _members(self, request: Request, list_id: str, by_time: bool) -> Response:
        members = self.lists.members(list_id)
        if by_time:
            members.sort(key=lambda m: (m[1], int(m[0])))
        limit = max(1, min(250, int_arg(request, "limit", 100)))
        after = int_arg(request, "after", 0)
        page = members[after:after + limit]
        body: dict[str, Any] = {"results": [{"recordId": i, "membershipTimestamp": hs_datetime(t)} for i, t in page],
                                "total": len(members)}
        if after + limit < len(members):
            body["paging"] = {"next": {"after": str(after + limit)}}
        return json_response(body)

    def members_page(self, request: Request, list_id: str) -> Response:
        return self._members(request, list_id, by_time=False)

    def members_join_order(self, request: Request, list_id: str) -> Response:
        return self._members(request, list_id, by_time=True)

    def record_memberships(self, request: Request, object_type_id: str, record_id: str) -> Response:
        found = self.lists.lists_of(object_type_of(object_type_id), record_id)
        return json_response({"results": [{"listId": item.id, "listVersion": item.version,
                                           "firstAddedTimestamp": hs_datetime(joined), "lastAddedTimestamp": hs_datetime(joined)}
                                          for item, joined in found], "total": len(found)})

    # -- workflows (automation v4 flows) --------------------------------------------------------------
    def _flow(self, flow_id: str) -> Any:
        flow = self.workflows.flows.get(str(flow_id))
        if flow is None:
            raise err.ObjectNotFound(f"Flow {flow_id} does not exist")
        return flow

    def flows_page(self, request: Request) -> Response:
        flows = sorted(self.workflows.flows.values(), key=lambda f: int(f.id))
        limit = max(1, min(100, int_arg(request, "limit", 100)))
        after = int_arg(request, "after", 0)
        if after:
            flows = [f for f in flows if int(f.id) > after]
        page = flows[:limit]
        body: dict[str, Any] = {"results": [self.workflows.summary(f) for f in page]}
        if len(flows) > limit:
            body["paging"] = {"next": {"after": page[-1].id, "link": f"{request.base_url}?after={page[-1].id}"}}
        return json_response(body)

    def flow_get(self, request: Request, flow_id: str) -> Response:
        return json_response(self.workflows.detail(self._flow(flow_id)))

    def flows_batch_read(self, request: Request) -> Response:
        started = now_ms()
        results, missing = [], []
        for item in inputs_of(body_of(request)):
            flow = self.workflows.flows.get(str(item.get("flowId")))
            if flow is None:
                missing.append(str(item.get("flowId")))
            else:
                results.append(self.workflows.detail(flow))
        errors = [{"status": "error", "category": "OBJECT_NOT_FOUND", "message": "Some flows do not exist",
                   "context": {"flowIds": missing}, "errors": []}] if missing else []
        return batch_response(results, errors, started, 200)

    def flow_update(self, request: Request, flow_id: str) -> Response:
        """Only `isEnabled` changes (turning automation off is the remediation the audit asks for); revisionId must match."""
        flow = self._flow(flow_id)
        body = body_of(request)
        current = self.workflows.summary(flow)["revisionId"]
        if str(body.get("revisionId")) != current:
            raise err.HubSpotError(f"revisionId {body.get('revisionId')!r} is not the flow's current revision {current}",
                                   category="VALIDATION_ERROR")
        if "isEnabled" in body:
            self.workflows.set_enabled(flow.id, bool(body["isEnabled"]))
        return json_response(self.workflows.detail(flow))


__all__ = ["OBJECT_TYPES", "AutomationResponses"]
