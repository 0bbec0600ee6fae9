"""Composite Batch (`composite/batch`) and sObject Tree (`composite/tree/{Object}`).

Batch: up to 25 independent subrequests run in order, each committing on its own and counting as an API call;
with `haltOnError` the ones after a failure answer 412 `BATCH_PROCESSING_HALTED`; the call itself answers 200
with `hasErrors`. Tree: parent records with nested children (by child relationship name), up to 200 records,
five levels and five object types per request, created in one transaction: all succeed (201 with an id per
`referenceId`) or none (400 naming the failing reference). REST API Developer Guide, "Composite Batch" and
"sObject Tree".
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from ..web import json_response
from . import exceptions as err

if TYPE_CHECKING:
    from .context import SaveContext
    from .models import SalesforceBackend

MAX_BATCH = 25
MAX_TREE_RECORDS = 200
MAX_TREE_DEPTH = 5
MAX_TREE_TYPES = 5
HALTED = {"errorCode": "BATCH_PROCESSING_HALTED", "message": "Batch processing halted per request"}


class _TreeFailed(Exception):
    def __init__(self, reference: str, error: err.SalesforceError) -> None:
        super().__init__(error.message)
        self.reference, self.error = reference, error


class BatchResponses:
    backend: SalesforceBackend
    internal: Any  # set by the app: (method, url, body, headers, user) -> Response

    # -- composite/batch ------------------------------------------------------------------------------
    def composite_batch(self, request: Request, version: str) -> Response:
        body = self.body(request)  # type: ignore[attr-defined]
        subrequests = body.get("batchRequests") if isinstance(body, dict) else None
        if not isinstance(subrequests, list) or not subrequests:
            raise err.JsonParserError("batchRequests is required: a list of {method, url, richInput}")
        if len(subrequests) > MAX_BATCH:
            raise err.SalesforceError(f"A batch can contain at most {MAX_BATCH} subrequests; this one has "
                                      f"{len(subrequests)}", error_code="LIMIT_EXCEEDED")
        for index, sub in enumerate(subrequests):
            if not isinstance(sub, dict) or not sub.get("url") or str(sub.get("method", "")).upper() not in {
                    "GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"}:
                raise err.JsonParserError(f"batchRequests[{index}] needs a method (GET, POST, PATCH, PUT, DELETE) and a url")
            if sub.get("binaryPartName"):
                raise err.SalesforceError("The twin does not model binary parts in batch subrequests",
                                          error_code="FEATURE_NOT_ENABLED")
        halt = body.get("haltOnError") is True or str(body.get("haltOnError")).lower() == "true"
        # The call itself was counted at the door; each further subrequest counts too.
        self.backend.count_api_call(len(subrequests) - 1)
        user = self.user(request)  # type: ignore[attr-defined]
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("sforce-")}
        results: list[dict[str, Any]] = []
        failed = False
        for sub in subrequests:
            if failed and halt:
                results.append({"result": [dict(HALTED)], "statusCode": 412})
                continue
            url = str(sub["url"])
            path = url if url.startswith("/services/data/") else "/services/data/" + url.lstrip("/")
            response = self.internal(str(sub["method"]).upper(), path, sub.get("richInput"), headers, user)
            raw = response.get_data()
            results.append({"result": json.loads(raw) if raw else None, "statusCode": response.status_code})
            failed = failed or response.status_code >= 400
        return json_response({"hasErrors": any(r["statusCode"] >= 400 for r in results), "results": results})

    # -- composite/tree -------------------------------------------------------------------------------
    def composite_tree(self, request: Request, version: str, sobject: str) -> Response:
        target = self.backend.sobject(sobject)
        body = self.body(request)  # type: ignore[attr-defined]
        records = body.get("records") if isinstance(body, dict) else None
        if not isinstance(records, list) or not records:
            raise err.JsonParserError("records is required: a list of records with attributes.type and referenceId")
        flat = self._flatten(target.name, records)
        ctx = self.context(request)  # type: ignore[attr-defined]
        created: dict[str, str] = {}
        try:
            with self.backend.transaction():
                for reference, object_name, data, parent_reference, lookup in flat:
                    if parent_reference is not None:
                        data = {**data, lookup: created[parent_reference]}
                    try:
                        created[reference] = self.backend.create(object_name, data, ctx)
                    except err.SalesforceError as error:
                        raise _TreeFailed(reference, error) from None
        except _TreeFailed as failure:
            return json_response({"hasErrors": True, "results": [{"referenceId": failure.reference,
                                                                  "errors": [failure.error.as_error()]}]}, 400)
        return json_response({"hasErrors": False, "results": [{"referenceId": r, "id": created[r]}
                                                              for r, *_ in flat]}, 201)

    def _flatten(self, object_name: str, records: list[Any]) -> list[tuple[str, str, dict[str, Any], str | None, str]]:
        """Depth-first (reference, object, fields, parent reference, lookup to the parent), checked against the
        documented limits before anything is written."""
        out: list[tuple[str, str, dict[str, Any], str | None, str]] = []
        seen: set[str] = set()
        types: set[str] = set()

        def walk(name: str, items: list[Any], depth: int, parent: str | None, lookup: str) -> None:
            if depth > MAX_TREE_DEPTH:
                raise err.SalesforceError(f"The request can nest records at most {MAX_TREE_DEPTH} levels deep",
                                          error_code="LIMIT_EXCEEDED")
            sobject = self.backend.sobject(name)
            for record in items:
                attributes = record.get("attributes") if isinstance(record, dict) else None
                if not isinstance(attributes, dict) or not attributes.get("referenceId"):
                    raise err.SalesforceError("Include a referenceId in the attributes of every record",
                                              error_code="INVALID_INPUT")
                reference = str(attributes["referenceId"])
                kind = str(attributes.get("type") or "")
                if kind.lower() != sobject.name.lower():
                    raise err.SalesforceError(f"The type of record {reference} must be {sobject.name}, not {kind!r}",
                                              error_code="INVALID_INPUT")
                if reference in seen:
                    raise err.SalesforceError(f"Duplicate referenceId provided in the request: {reference}",
                                              error_code="INVALID_INPUT")
                seen.add(reference)
                types.add(sobject.name)
                fields = {k: v for k, v in record.items() if k != "attributes" and not isinstance(v, dict)}
                out.append((reference, sobject.name, fields, parent, lookup))
                for key, nested in record.items():
                    if key == "attributes" or not isinstance(nested, dict):
                        continue
                    relation = sobject.child(key)
                    if relation is None or not isinstance(nested.get("records"), list):
                        raise err.InvalidField(f"INVALID_FIELD: No such relationship '{key}' on {sobject.name}", [key])
                    walk(relation["childSObject"], nested["records"], depth + 1, reference, relation["field"])

        walk(object_name, records, 1, None, "")
        if len(out) > MAX_TREE_RECORDS:
            raise err.SalesforceError(f"The request can contain at most {MAX_TREE_RECORDS} records across all trees; "
                                      f"this one has {len(out)}", error_code="LIMIT_EXCEEDED")
        if len(types) > MAX_TREE_TYPES:
            raise err.SalesforceError(f"The request can contain at most {MAX_TREE_TYPES} object types",
                                      error_code="LIMIT_EXCEEDED")
        return out

    if TYPE_CHECKING:
        def context(self, request: Request) -> SaveContext: ...
