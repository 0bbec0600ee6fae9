"""Salesforce REST on the wire: each handler parses a request, calls the backend, renders Salesforce's shape."""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from typing import Any

from werkzeug.wrappers import Request, Response

from ..web import empty_response, json_response
from . import exceptions as err
from .describe import describe_global, describe_sobject
from .models import SalesforceBackend, SaveContext

DEFAULT_BATCH = 2000


class QueryCursors:
    """Open query locators: the rest of a result set, served a batch at a time through nextRecordsUrl."""

    def __init__(self) -> None:
        self._open: dict[str, tuple[list[dict[str, Any]], int]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def open(self, records: list[dict[str, Any]], batch: int) -> str:
        locator = f"01g8d{next(self._ids):010d}{secrets.token_hex(2).upper()}"
        with self._lock:
            self._open[locator] = (records, batch)
        return locator

    def take(self, locator: str) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            found = self._open.get(locator)
        if found is None:
            raise err.SalesforceError("invalid query locator", error_code="INVALID_QUERY_LOCATOR")
        return found


class SalesforceResponses:
    def __init__(self, backend: SalesforceBackend) -> None:
        self.backend = backend
        self.cursors = QueryCursors()

    @property
    def version(self) -> str:
        return self.backend.api_version

    # -- helpers --------------------------------------------------------------------------------------
    @staticmethod
    def body(request: Request) -> Any:
        raw = request.get_data(cache=True)
        if not raw:
            raise err.JsonParserError("The request body is empty or not valid JSON")
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise err.JsonParserError(f"Unexpected character: was expecting a JSON value ({error.__class__.__name__})") from None

    def context(self, request: Request) -> SaveContext:
        header = request.headers.get("Sforce-Duplicate-Rule-Header", "")
        return SaveContext(user_id=self.backend.api_user_id, allow_duplicates="allowsave=true" in header.replace(" ", "").lower())

    # -- discovery ------------------------------------------------------------------------------------
    def versions(self, request: Request) -> Response:
        return json_response([{"label": "Winter '24", "url": f"/services/data/v{self.version}", "version": self.version}])

    def resources(self, request: Request, version: str) -> Response:
        base = f"/services/data/v{version}"
        return json_response({name: f"{base}/{name}" for name in
                              ("sobjects", "query", "queryAll", "limits", "composite", "tooling", "jobs")})

    def describe_global(self, request: Request, version: str) -> Response:
        return json_response(describe_global(self.backend.schema, version))

    def sobject_basic(self, request: Request, version: str, sobject: str) -> Response:
        found = self.backend.sobject(sobject)
        from .describe import global_entry

        return json_response({"objectDescribe": global_entry(found, version), "recentItems": []})

    def describe(self, request: Request, version: str, sobject: str) -> Response:
        return json_response(describe_sobject(self.backend.sobject(sobject), version))

    # -- records --------------------------------------------------------------------------------------
    def create(self, request: Request, version: str, sobject: str) -> Response:
        data = self.body(request)
        if not isinstance(data, dict):
            raise err.JsonParserError("Can not deserialize SObject out of START_ARRAY token")
        new_id = self.backend.create(sobject, data, self.context(request))
        return json_response({"id": new_id, "success": True, "errors": []}, 201)

    def record(self, request: Request, version: str, sobject: str, record_id: str) -> Response:
        if request.method == "GET":
            fields = request.args.get("fields")
            wanted = [f.strip() for f in fields.split(",")] if fields else None
            return json_response(self.backend.get(sobject, record_id, wanted))
        if request.method == "PATCH":
            data = self.body(request)
            if not isinstance(data, dict):
                raise err.JsonParserError("Can not deserialize SObject out of START_ARRAY token")
            self.backend.update(sobject, record_id, data, self.context(request))
            return empty_response(204)
        if request.method == "DELETE":
            self.backend.delete(sobject, record_id, self.context(request))
            return empty_response(204)
        raise err.MethodNotAllowedError(request.method)

    # -- queries --------------------------------------------------------------------------------------
    def _batch_size(self, request: Request) -> int:
        options = request.headers.get("Sforce-Query-Options", "")
        for part in options.split(","):
            key, _, value = part.partition("=")
            if key.strip().lower() == "batchsize" and value.strip().isdigit():
                return max(200, min(DEFAULT_BATCH, int(value)))
        return DEFAULT_BATCH

    def _page(self, version: str, records: list[dict[str, Any]], total: int, start: int, batch: int,
              locator: str | None) -> Response:
        page = records[start:start + batch]
        done = start + batch >= len(records)
        body: dict[str, Any] = {"totalSize": total, "done": done, "records": page}
        if not done:
            if locator is None:
                locator = self.cursors.open(records, batch)
            body["nextRecordsUrl"] = f"/services/data/v{version}/query/{locator}-{start + batch}"
        return json_response(body)

    def query(self, request: Request, version: str, include_deleted: bool = False) -> Response:
        soql = request.args.get("q")
        if not soql:
            raise err.MalformedQuery("A query string is required (q=...)")
        result = self.backend.query(soql, include_deleted=include_deleted)
        return self._page(version, result.records, result.total_size, 0, self._batch_size(request), None)

    def query_all(self, request: Request, version: str) -> Response:
        return self.query(request, version, include_deleted=True)

    def query_more(self, request: Request, version: str, locator: str) -> Response:
        base, _, start = locator.rpartition("-")
        if not start.isdigit():
            raise err.SalesforceError("invalid query locator", error_code="INVALID_QUERY_LOCATOR")
        records, batch = self.cursors.take(base)
        return self._page(version, records, len(records), int(start), batch, base)

    # -- limits ---------------------------------------------------------------------------------------
    def limits(self, request: Request, version: str) -> Response:
        usage = self.backend.usage
        return json_response({
            "DailyApiRequests": {"Max": usage.maximum, "Remaining": usage.maximum - usage.used},
            "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000},
            "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000},
        })
