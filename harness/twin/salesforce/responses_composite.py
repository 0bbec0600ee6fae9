"""sObject Collections (`composite/sobjects`) and Composite (`composite`, with `@{referenceId.field}` chaining).

Collections answer 200 with one SaveResult per record, in order, even when records fail; with allOrNone the
whole call rolls back and the records that were fine report ALL_OR_NONE_OPERATION_ROLLED_BACK. At most 200
records. Composite runs up to 25 subrequests through the same routes as direct calls and counts as one API call.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from ..web import TwinHttpError, json_response
from . import exceptions as err
from .context import SaveContext

if TYPE_CHECKING:
    from .models import SalesforceBackend

MAX_RECORDS = 200
MAX_SUBREQUESTS = 25
ROLLED_BACK = {"statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
               "message": "Record rolled back because not all records were valid and the request was using AllOrNone "
                          "header", "fields": []}
HALTED = "The transaction was rolled back since another operation in the same transaction failed."
_REFERENCE = re.compile(r"@\{([^}]+)\}")


class _Rollback(Exception):
    """Raised inside the outer transaction to undo an allOrNone call."""


def _error(error: err.SalesforceError) -> dict[str, Any]:
    return error.as_error()


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


class CompositeResponses:
    backend: SalesforceBackend
    internal: Any  # set by the app: (method, url, body, headers, user) -> Response

    # -- collections ----------------------------------------------------------------------------------
    def _records(self, request: Request) -> tuple[list[dict[str, Any]], bool]:
        body = self.body(request)  # type: ignore[attr-defined]
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise err.JsonParserError("The request body must be an object with a records list")
        records = body["records"]
        if len(records) > MAX_RECORDS:
            raise err.ExceededIdLimit()
        return records, _flag(body.get("allOrNone", False))

    def _run_each(self, items: list[Any], all_or_none: bool, work: Any) -> list[dict[str, Any]]:
        """Run `work(item) -> result` per item, each in its own savepoint; roll everything back on allOrNone."""
        results: list[dict[str, Any]] = []
        failed = False
        try:
            with self.backend.transaction():
                for item in items:
                    try:
                        with self.backend.savepoint():
                            results.append(work(item))
                    except err.SalesforceError as error:
                        failed = True
                        results.append({"id": None, "success": False, "errors": [_error(error)]})
                if all_or_none and failed:
                    raise _Rollback()
        except _Rollback:
            results = [r if not r["success"] else {**r, "id": None, "success": False, "errors": [dict(ROLLED_BACK)]}
                       for r in results]
        return results

    @staticmethod
    def _type(record: Any) -> str:
        if not isinstance(record, dict):
            raise err.JsonParserError("Each record must be a JSON object")
        kind = (record.get("attributes") or {}).get("type")
        if not kind:
            raise err.SalesforceError("No SObject Type defined in the attributes of the record",
                                      error_code="INVALID_TYPE")
        return str(kind)

    def collection(self, request: Request, version: str) -> Response:
        ctx = self.context(request)  # type: ignore[attr-defined]
        if request.method == "DELETE":
            ids = [i for i in (request.args.get("ids") or "").split(",") if i]
            if not ids:
                raise err.SalesforceError("ids parameter is required", error_code="MISSING_ARGUMENT")
            if len(ids) > MAX_RECORDS:
                raise err.ExceededIdLimit()
            return json_response(self._run_each(ids, _flag(request.args.get("allOrNone")),
                                                lambda i: self._delete_one(i, ctx)))
        records, all_or_none = self._records(request)
        if request.method == "POST":
            return json_response(self._run_each(records, all_or_none, lambda r: self._create_one(r, ctx)))
        return json_response(self._run_each(records, all_or_none, lambda r: self._update_one(r, ctx)))

    def _create_one(self, record: Any, ctx: SaveContext) -> dict[str, Any]:
        kind = self._type(record)
        data = {k: v for k, v in record.items() if k != "attributes"}
        if any(k.lower() == "id" for k in data):
            raise err.SalesforceError("cannot specify Id in an insert call", ["Id"],
                                      error_code="INVALID_FIELD_FOR_INSERT_UPDATE")
        return {"id": self.backend.create(kind, data, ctx), "success": True, "errors": []}

    def _update_one(self, record: Any, ctx: SaveContext) -> dict[str, Any]:
        kind = self._type(record)
        record_id = next((v for k, v in record.items() if k.lower() == "id"), None)
        if not record_id:
            raise err.SalesforceError("Id not specified in an update call", error_code="MISSING_ARGUMENT")
        data = {k: v for k, v in record.items() if k != "attributes" and k.lower() != "id"}
        sobject = self.backend.sobject(kind)
        full = self.backend.normalise_id(sobject, str(record_id))
        self.backend.update(kind, full, data, ctx)
        return {"id": full, "success": True, "errors": []}

    def _delete_one(self, record_id: str, ctx: SaveContext) -> dict[str, Any]:
        sobject = self.backend.sobject_for_id(record_id)
        if sobject is None:
            raise err.SalesforceError(f"invalid record id: {record_id}", error_code="MALFORMED_ID")
        try:
            self.backend.delete(sobject.name, record_id, ctx)
        except err.EntityIsDeleted:
            raise err.SalesforceError("entity is deleted", error_code="ENTITY_IS_DELETED") from None
        return {"id": self.backend.normalise_id(sobject, record_id), "success": True, "errors": []}

    def collection_upsert(self, request: Request, version: str, sobject: str, field: str) -> Response:
        ctx = self.context(request)  # type: ignore[attr-defined]
        records, all_or_none = self._records(request)
        target = self.backend.sobject(sobject)

        def upsert(record: Any) -> dict[str, Any]:
            if self._type(record).lower() != target.name.lower():
                raise err.SalesforceError(f"The record type must be {target.name}", error_code="INVALID_TYPE")
            value = next((v for k, v in record.items() if k.lower() == field.lower()), None)
            if value in (None, ""):
                raise err.SalesforceError(f"Missing external id value for field {field}", [field],
                                          error_code="MISSING_ARGUMENT")
            data = {k: v for k, v in record.items() if k != "attributes"}
            record_id, created = self.backend.upsert(target.name, field, str(value), data, ctx)
            return {"id": record_id, "success": True, "errors": [], "created": created}

        return json_response(self._run_each(records, all_or_none, upsert))

    def collection_retrieve(self, request: Request, version: str, sobject: str) -> Response:
        if request.method == "POST":
            body = self.body(request)  # type: ignore[attr-defined]
            ids, fields = body.get("ids") or [], body.get("fields") or []
        else:
            ids = [i for i in (request.args.get("ids") or "").split(",") if i]
            fields = [f for f in (request.args.get("fields") or "").split(",") if f]
        if not ids or not fields:
            raise err.SalesforceError("ids and fields are required", error_code="MISSING_ARGUMENT")
        if len(ids) > 2000:
            raise err.ExceededIdLimit("record limit reached. cannot submit more than 2000 records into this call")
        user = self.user(request)  # type: ignore[attr-defined]
        out = []
        for record_id in ids:
            try:
                out.append(self.backend.get(sobject, record_id, fields, user))
            except (err.NotFound, err.EntityIsDeleted):
                out.append(None)
        return json_response(out)

    # -- composite ------------------------------------------------------------------------------------
    def composite(self, request: Request, version: str) -> Response:
        body = self.body(request)  # type: ignore[attr-defined]
        subrequests = body.get("compositeRequest") if isinstance(body, dict) else None
        if not isinstance(subrequests, list) or not subrequests:
            raise err.JsonParserError("compositeRequest is required")
        if len(subrequests) > MAX_SUBREQUESTS:
            raise err.SalesforceError(f"Composite requests are limited to {MAX_SUBREQUESTS} subrequests",
                                      error_code="LIMIT_EXCEEDED")
        all_or_none = _flag(body.get("allOrNone", False))
        user = self.user(request)  # type: ignore[attr-defined]
        results: dict[str, Any] = {}
        out: list[dict[str, Any]] = []
        halted = False
        try:
            with self.backend.transaction():
                for sub in subrequests:
                    reference = str(sub.get("referenceId", ""))
                    if halted:
                        out.append(self._halted(reference, HALTED))
                        continue
                    try:
                        url = self._resolve(str(sub.get("url", "")), results)
                        payload = self._resolve_body(sub.get("body"), results)
                    except KeyError as missing:
                        out.append(self._halted(reference, f"Invalid reference specified. No value for {missing.args[0]} "
                                                           f"found in any previous subrequest."))
                        if all_or_none:
                            halted = True
                        continue
                    headers = {**{k: v for k, v in request.headers.items() if k.lower().startswith("sforce-")},
                               **(sub.get("httpHeaders") or {})}
                    response = self.internal(str(sub.get("method", "GET")).upper(), url, payload, headers, user)
                    data = json.loads(response.get_data() or b"null")
                    results[reference] = data
                    entry = {"body": data, "httpHeaders": {}, "httpStatusCode": response.status_code,
                             "referenceId": reference}
                    if response.status_code == 201 and isinstance(data, dict) and data.get("id"):
                        entry["httpHeaders"] = {"Location": f"{url.rstrip('/')}/{data['id']}"}
                    out.append(entry)
                    if response.status_code >= 400 and all_or_none:
                        halted = True
                if halted:
                    raise _Rollback()
        except _Rollback:
            out = [o if o["httpStatusCode"] >= 400 else self._halted(o["referenceId"], HALTED) for o in out]
        return json_response({"compositeResponse": out})

    @staticmethod
    def _halted(reference: str, message: str) -> dict[str, Any]:
        return {"body": [{"errorCode": "PROCESSING_HALTED", "message": message}], "httpHeaders": {},
                "httpStatusCode": 400, "referenceId": reference}

    @staticmethod
    def _lookup(path: str, results: dict[str, Any]) -> Any:
        head, _, rest = path.partition(".")
        if head not in results:
            raise KeyError(path)
        value = results[head]
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", rest):
            if part.startswith("["):
                index = int(part[1:-1])
                if not isinstance(value, list) or index >= len(value):
                    raise KeyError(path)
                value = value[index]
            elif isinstance(value, dict) and part in value:
                value = value[part]
            else:
                raise KeyError(path)
        return value

    def _resolve(self, text: str, results: dict[str, Any]) -> str:
        return _REFERENCE.sub(lambda m: str(self._lookup(m.group(1), results)), text)

    def _resolve_body(self, value: Any, results: dict[str, Any]) -> Any:
        if isinstance(value, str):
            whole = _REFERENCE.fullmatch(value)
            return self._lookup(whole.group(1), results) if whole else self._resolve(value, results)
        if isinstance(value, list):
            return [self._resolve_body(v, results) for v in value]
        if isinstance(value, dict):
            return {k: self._resolve_body(v, results) for k, v in value.items()}
        return value


__all__ = ["CompositeResponses", "TwinHttpError"]
