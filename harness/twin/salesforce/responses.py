"""Salesforce REST on the wire: each handler parses a request, calls the backend, renders Salesforce's shape.

The handlers for sObject Collections and Composite (`responses_composite.py`), Bulk API 2.0
(`responses_bulk.py`) and the SOAP partner API (`soap.py`) are mixed into `SalesforceResponses`.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from typing import Any

from werkzeug.wrappers import Request, Response

from ..clock import parse_sf_datetime, sf_datetime
from ..web import JsonRefused, empty_response, json_response, parse_json
from . import exceptions as err
from .context import SaveContext
from .describe import describe_global, describe_sobject, global_entry
from .models import SalesforceBackend
from .responses_batch import BatchResponses
from .responses_bulk import BulkResponses
from .responses_composite import CompositeResponses
from .responses_org import OrgResponses
from .soap import SoapResponses

DEFAULT_BATCH = 2000
USER_KEY = "twin.sf.user"


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


class SalesforceResponses(OrgResponses, CompositeResponses, BatchResponses, BulkResponses, SoapResponses):
    def __init__(self, backend: SalesforceBackend) -> None:
        self.backend = backend
        self.cursors = QueryCursors()
        BulkResponses.__init__(self)

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
            return parse_json(raw)
        except JsonRefused as error:
            raise err.JsonParserError(f"{error.msg} at [line:{error.lineno}, column:{error.colno}]") from None
        except (ValueError, UnicodeDecodeError) as error:
            raise err.JsonParserError(f"Unexpected character: was expecting a JSON value ({error.__class__.__name__})") from None

    def user(self, request: Request) -> str:
        return request.environ.get(USER_KEY) or self.backend.api_user_id

    def context(self, request: Request) -> SaveContext:
        header = request.headers.get("Sforce-Duplicate-Rule-Header", "")
        return SaveContext(user_id=self.user(request),
                           allow_duplicates="allowsave=true" in header.replace(" ", "").lower())

    # -- describe -------------------------------------------------------------------------------------
    def describe_global(self, request: Request, version: str) -> Response:
        return json_response(describe_global(self.backend.schema, version, self.backend.access, self.user(request)))

    def sobject_basic(self, request: Request, version: str, sobject: str) -> Response:
        found = self.backend.sobject(sobject)
        self.backend.access.require_object(self.user(request), found, "read")
        return json_response({"objectDescribe": global_entry(found, version), "recentItems": []})

    def describe(self, request: Request, version: str, sobject: str) -> Response:
        found = self.backend.sobject(sobject)
        self.backend.access.require_object(self.user(request), found, "read")
        return json_response(describe_sobject(found, version, self.backend.access, self.user(request)))

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
            wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
            return json_response(self.backend.get(sobject, record_id, wanted, self.user(request)))
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

    def by_external_id(self, request: Request, version: str, sobject: str, field: str, value: str) -> Response:
        """GET / PATCH (upsert) / DELETE on sobjects/{Object}/{ExternalIdField}/{value}."""
        target = self.backend.sobject(sobject)
        if request.method == "PATCH":
            data = self.body(request)
            if not isinstance(data, dict):
                raise err.JsonParserError("Can not deserialize SObject out of START_ARRAY token")
            record_id, created = self.backend.upsert(target.name, field, value, data, self.context(request))
            return json_response({"id": record_id, "success": True, "errors": [], "created": created},
                                 201 if created else 200)
        f = target.field(field)
        if f is None or not (f.external_id or f.name == "Id"):
            raise err.NotFound(f"Provided external ID field does not exist or is not accessible: {field}")
        matches = self.backend.find_by_field(target, f, self.backend.to_storage(target, f, value))
        if len(matches) > 1:
            raise err.MultipleChoices([f"/services/data/v{version}/sobjects/{target.name}/{m}" for m in matches])
        if not matches:
            raise err.NotFound()
        if request.method == "DELETE":
            self.backend.delete(target.name, matches[0], self.context(request))
            return empty_response(204)
        return json_response(self.backend.get(target.name, matches[0], None, self.user(request)))

    def _window(self, request: Request) -> tuple[str, str]:
        start, end = request.args.get("start"), request.args.get("end")
        if not start or not end:
            raise err.SalesforceError("start and end are required", error_code="MISSING_ARGUMENT")
        try:
            return sf_datetime(parse_sf_datetime(start)), sf_datetime(parse_sf_datetime(end))
        except ValueError:
            raise err.SalesforceError(f"invalid date: {start} / {end}", error_code="INVALID_REPLICATION_DATE") from None

    def deleted(self, request: Request, version: str, sobject: str) -> Response:
        target = self.backend.sobject(sobject)
        start, end = self._window(request)
        return json_response({"deletedRecords": self.backend.deleted_between(target, start, end),
                              "earliestDateAvailable": start, "latestDateCovered": end})

    def updated(self, request: Request, version: str, sobject: str) -> Response:
        target = self.backend.sobject(sobject)
        start, end = self._window(request)
        return json_response({"ids": self.backend.updated_between(target, start, end), "latestDateCovered": end})

    # -- queries --------------------------------------------------------------------------------------
    def _batch_size(self, request: Request) -> int:
        options = request.headers.get("Sforce-Query-Options", "")
        for part in options.split(","):
            key, _, value = part.partition("=")
            if key.strip().lower() == "batchsize" and value.strip().isdigit():
                return max(200, min(DEFAULT_BATCH, int(value)))
        return DEFAULT_BATCH

    def _page(self, version: str, records: list[dict[str, Any]], total: int, start: int, batch: int,
              locator: str | None, endpoint: str = "query") -> Response:
        page = records[start:start + batch]
        done = start + batch >= len(records)
        body: dict[str, Any] = {"totalSize": total, "done": done, "records": page}
        if not done:
            if locator is None:
                locator = self.cursors.open(records, batch)
            body["nextRecordsUrl"] = f"/services/data/v{version}/{endpoint}/{locator}-{start + batch}"
        return json_response(body)

    def query(self, request: Request, version: str, include_deleted: bool = False, tooling: bool = False) -> Response:
        soql = request.args.get("q")
        if not soql:
            raise err.MalformedQuery("A query string is required (q=...)")
        result = self.backend.query(soql, include_deleted=include_deleted, user_id=self.user(request), tooling=tooling)
        batch = self._batch_size(request)
        if result.aggregate and len(result.records) > DEFAULT_BATCH:
            raise err.ExceededIdLimit("Aggregate query does not support queryMore(), use LIMIT to restrict the results "
                                      "to a single batch")
        endpoint = "tooling/query" if tooling else "query"
        return self._page(version, result.records, result.total_size, 0, batch, None, endpoint)

    def search(self, request: Request, version: str) -> Response:
        sosl = request.args.get("q")
        if not sosl:
            raise err.SalesforceError("No search term found. The search term must be enclosed in braces.",
                                      error_code="MALFORMED_SEARCH")
        return json_response({"searchRecords": self.backend.search(sosl, self.user(request))})

    def query_all(self, request: Request, version: str) -> Response:
        return self.query(request, version, include_deleted=True)

    def query_more(self, request: Request, version: str, locator: str) -> Response:
        base, _, start = locator.rpartition("-")
        if not start.isdigit():
            raise err.SalesforceError("invalid query locator", error_code="INVALID_QUERY_LOCATOR")
        records, batch = self.cursors.take(base)
        endpoint = "tooling/query" if "/tooling/" in request.path else "query"
        return self._page(version, records, len(records), int(start), batch, base, endpoint)

    # -- tooling --------------------------------------------------------------------------------------
    def tooling_query(self, request: Request, version: str) -> Response:
        return self.query(request, version, tooling=True)

    def tooling_describe_global(self, request: Request, version: str) -> Response:
        return json_response(describe_global(self.backend.tooling.schema, version, None, None, tooling=True))

    def tooling_describe(self, request: Request, version: str, sobject: str) -> Response:
        found = self.backend.tooling.schema.sobject(sobject)
        if found is None:
            raise err.InvalidType(sobject)
        return json_response(describe_sobject(found, version, None, None))

    def tooling_record(self, request: Request, version: str, sobject: str, record_id: str) -> Response:
        found = self.backend.tooling.schema.sobject(sobject)
        if found is None:
            raise err.InvalidType(sobject)
        row = self.backend.tooling.record(found, record_id)
        if row is None:
            raise err.NotFound()
        record = self.backend.record_to_wire(found, row)
        record["attributes"]["url"] = f"/services/data/v{version}/tooling/sobjects/{found.name}/{row['Id']}"
        return json_response(record)
