"""Bulk API 2.0 jobs (state, no HTTP): ingest (insert, update, upsert, delete, hardDelete) and query.

Ingest jobs run on a worker thread once the client marks them UploadComplete: Open -> UploadComplete ->
InProgress -> JobComplete (or Failed / Aborted), in chunks of 1,000 rows per transaction, each row through the
same save order as REST (validation, duplicate rules, flows). Between chunks the store lock is released, so
other clients keep being served while a 100,000-row load runs. Jobs live in memory for the twin's lifetime.
"""

from __future__ import annotations

import csv
import io
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import exceptions as err
from .context import SaveContext
from .ids import make_id
from .soql import ast, parse
from .soql.ast import Query

if TYPE_CHECKING:
    from .models import SalesforceBackend

CHUNK = 1000
OPERATIONS = {"insert", "update", "upsert", "delete", "hardDelete"}
DELIMITERS = {"COMMA": ",", "TAB": "\t", "PIPE": "|", "SEMICOLON": ";", "CARET": "^", "BACKQUOTE": "`"}
NULL = "#N/A"  # Bulk API 2.0's way to set a field to null; an empty value leaves it alone on update


@dataclass
class IngestJob:
    id: str
    operation: str
    object: str
    ctx: SaveContext
    created_by: str
    created_date: str
    external_id_field: str | None = None
    column_delimiter: str = "COMMA"
    line_ending: str = "LF"
    state: str = "Open"
    data: list[str] = field(default_factory=list)
    processed: int = 0
    failed: int = 0
    modstamp: str = ""
    error_message: str | None = None
    columns: list[str] = field(default_factory=list)
    successful_rows: list[list[str]] = field(default_factory=list)
    failed_rows: list[list[str]] = field(default_factory=list)
    unprocessed_rows: list[list[str]] = field(default_factory=list)
    processing_ms: int = 0
    aborted: threading.Event = field(default_factory=threading.Event)


@dataclass
class QueryJob:
    id: str
    operation: str
    query: str
    created_by: str
    created_date: str
    column_delimiter: str = "COMMA"
    line_ending: str = "LF"
    state: str = "UploadComplete"
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    error_message: str | None = None
    modstamp: str = ""
    processing_ms: int = 0


def _error_text(error: err.SalesforceError) -> str:
    return f"{error.error_code}:{error.message}:{','.join(error.fields)} --"


class BulkJobs:
    def __init__(self, backend: SalesforceBackend) -> None:
        self.backend = backend
        self.ingest: dict[str, IngestJob] = {}
        self.queries: dict[str, QueryJob] = {}
        self._counter = 0
        self._lock = threading.Lock()
        self.ingest_batches = 0
        self.query_jobs = 0

    def _id(self) -> str:
        with self._lock:
            self._counter += 1
            return make_id("750", self._counter)

    # -- ingest ---------------------------------------------------------------------------------------
    def create_ingest(self, spec: dict[str, Any], ctx: SaveContext) -> IngestJob:
        operation = spec.get("operation")
        if operation not in OPERATIONS:
            raise err.SalesforceError(f"InvalidJob : Invalid operation: {operation}", error_code="INVALIDJOB")
        sobject = self.backend.sobject(str(spec.get("object") or ""))
        if operation == "upsert" and not spec.get("externalIdFieldName"):
            raise err.SalesforceError("InvalidJob : External ID was blank for upsert", error_code="INVALIDJOB")
        if spec.get("contentType", "CSV") != "CSV":
            raise err.SalesforceError("InvalidJob : contentType must be CSV", error_code="INVALIDJOB")
        delimiter = spec.get("columnDelimiter", "COMMA")
        if delimiter not in DELIMITERS:
            raise err.SalesforceError(f"InvalidJob : Invalid column delimiter: {delimiter}", error_code="INVALIDJOB")
        stamp = self.backend.stamp()
        job = IngestJob(id=self._id(), operation=str(operation), object=sobject.name, ctx=ctx, created_by=ctx.user_id,
                        created_date=stamp, external_id_field=spec.get("externalIdFieldName"),
                        column_delimiter=delimiter, line_ending=spec.get("lineEnding", "LF"), modstamp=stamp)
        self.ingest[job.id] = job
        return job

    def get_ingest(self, job_id: str) -> IngestJob:
        job = self.ingest.get(job_id)
        if job is None:
            raise err.NotFound("Job not found")
        return job

    def upload(self, job: IngestJob, text: str) -> None:
        if job.state != "Open":
            raise err.SalesforceError(f"Job {job.id} is not in Open state; data can only be uploaded to an open job",
                                      error_code="INVALIDJOBSTATE", status=409)
        job.data.append(text)
        self.ingest_batches += 1

    def set_state(self, job: IngestJob, state: str) -> None:
        if state == "UploadComplete":
            if job.state != "Open":
                raise err.SalesforceError(f"Invalid state transition from {job.state} to UploadComplete",
                                          error_code="INVALIDJOBSTATE", status=409)
            job.state = "UploadComplete"
            job.modstamp = self.backend.stamp()
            threading.Thread(target=self._run, args=(job,), name=f"bulk2-{job.id}", daemon=True).start()
        elif state == "Aborted":
            if job.state in {"JobComplete", "Failed", "Aborted"}:
                raise err.SalesforceError(f"Invalid state transition from {job.state} to Aborted",
                                          error_code="INVALIDJOBSTATE", status=409)
            job.aborted.set()
            job.state = "Aborted"
            job.modstamp = self.backend.stamp()
        else:
            raise err.SalesforceError(f"Invalid state: {state}", error_code="INVALIDJOBSTATE", status=400)

    def _rows(self, job: IngestJob) -> tuple[list[str], list[list[str]]]:
        delimiter = DELIMITERS[job.column_delimiter]
        header: list[str] = []
        rows: list[list[str]] = []
        for index, text in enumerate(job.data):
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            chunk_header = next(reader, [])
            if index == 0:
                header = chunk_header
            elif chunk_header != header:
                raise err.SalesforceError("InvalidBatch : all uploads to one job must share the same header",
                                          error_code="INVALIDBATCH")
            rows.extend(r for r in reader if r)
        return header, rows

    def _run(self, job: IngestJob) -> None:
        started = time.monotonic()
        try:
            header, rows = self._rows(job)
            job.columns = header
            sobject = self.backend.sobject(job.object)
            for name in header:
                base = name.split(".")[0]
                if sobject.field(name) is None and sobject.by_relationship(base) is None:
                    raise err.SalesforceError(f"InvalidBatch : Field name not found : {name}", error_code="INVALIDBATCH")
            if job.operation in {"delete", "hardDelete"} and [h.lower() for h in header] != ["id"]:
                raise err.SalesforceError("InvalidBatch : The 'delete/hardDelete' batch must contain only 'Id'",
                                          error_code="INVALIDBATCH")
            if job.aborted.is_set():
                return
            job.state = "InProgress"
            job.modstamp = self.backend.stamp()
            for start in range(0, len(rows), CHUNK):
                if job.aborted.is_set():
                    job.unprocessed_rows.extend(rows[start:])
                    break
                with self.backend.store.transaction():
                    for row in rows[start:start + CHUNK]:
                        self._one(job, header, row)
                job.modstamp = self.backend.stamp()
            if not job.aborted.is_set():
                job.state = "JobComplete"
        except err.SalesforceError as error:
            job.state, job.error_message = "Failed", error.message
        except Exception as error:  # a closed store at shutdown, or a bug: the job fails, the twin keeps serving
            job.state, job.error_message = "Failed", f"InternalServerError : {error}"
        finally:
            job.processing_ms = int((time.monotonic() - started) * 1000)
            job.modstamp = self.backend.stamp()

    def _data(self, job: IngestJob, header: list[str], row: list[str]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        sobject = self.backend.sobject(job.object)
        for name, value in zip(header, row, strict=False):
            if value == "":
                continue  # an empty cell leaves the field alone (null on insert); #N/A sets null
            value = None if value == NULL else value
            if "." in name and sobject.field(name) is None:
                # Relationship by external id: Account.External_Id__c -> AccountId
                relationship, _, foreign = name.partition(".")
                lookup = sobject.by_relationship(relationship)
                parent = self.backend.sobject(lookup.reference_to[0])
                foreign_field = parent.field(foreign)
                if foreign_field is None or not (foreign_field.external_id or foreign_field.name == "Id"):
                    raise err.InvalidField(f"{foreign} is not an external id field on {parent.name}", [name])
                matches = self.backend.find_by_field(parent, foreign_field, value) if value else []
                if len(matches) != 1 and value:
                    raise err.InvalidCrossReference(f"Foreign key external ID: {value} not found for field {foreign} "
                                                    f"in entity {parent.name}", [lookup.name])
                data[lookup.name] = matches[0] if value else None
            else:
                data[name] = value
        return data

    def _one(self, job: IngestJob, header: list[str], row: list[str]) -> None:
        backend, ctx = self.backend, job.ctx
        record_id, created = "", False
        try:
            data = self._data(job, header, row)
            if job.operation == "insert":
                record_id, created = backend.create(job.object, data, ctx), True
            elif job.operation == "upsert":
                value = next((v for k, v in data.items() if k.lower() == job.external_id_field.lower()), None)
                if not value:
                    raise err.SalesforceError(f"Missing external id value for field {job.external_id_field}",
                                              [job.external_id_field], error_code="MISSING_ARGUMENT")
                record_id, created = backend.upsert(job.object, job.external_id_field, str(value), data, ctx)
            else:
                record_id = str(next((v for k, v in data.items() if k.lower() == "id"), "") or "")
                if not record_id:
                    raise err.SalesforceError("Id not specified in an update call", ["Id"], error_code="MISSING_ARGUMENT")
                if job.operation == "update":
                    backend.update(job.object, record_id, {k: v for k, v in data.items() if k.lower() != "id"}, ctx)
                elif job.operation == "delete":
                    backend.delete(job.object, record_id, ctx)
                else:
                    backend.hard_delete(job.object, record_id, ctx)
                record_id = backend.normalise_id(backend.sobject(job.object), record_id)
        except err.SalesforceError as error:
            job.failed += 1
            job.processed += 1
            job.failed_rows.append([record_id, _error_text(error), *row])
            return
        job.processed += 1
        job.successful_rows.append([record_id, "true" if created else "false", *row])

    @staticmethod
    def csv_text(header: list[str], rows: list[list[str]], delimiter: str = ",", line_ending: str = "LF") -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL,
                            lineterminator="\r\n" if line_ending == "CRLF" else "\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()

    # -- query ----------------------------------------------------------------------------------------
    def create_query(self, spec: dict[str, Any], ctx: SaveContext) -> QueryJob:
        operation = spec.get("operation", "query")
        if operation not in {"query", "queryAll"}:
            raise err.SalesforceError(f"InvalidJob : Invalid operation: {operation}", error_code="INVALIDJOB")
        soql = spec.get("query")
        if not soql:
            raise err.SalesforceError("InvalidJob : query is required", error_code="INVALIDJOB")
        started = time.monotonic()
        stamp = self.backend.stamp()
        job = QueryJob(id=self._id(), operation=operation, query=str(soql), created_by=ctx.user_id,
                       created_date=stamp, column_delimiter=spec.get("columnDelimiter", "COMMA"),
                       line_ending=spec.get("lineEnding", "LF"), modstamp=stamp)

        # A malformed query is refused when the job is created, as Salesforce does (run first: it words the error).
        result = self.backend.query(job.query, include_deleted=operation == "queryAll", user_id=ctx.user_id)
        parsed = parse(job.query.strip())
        if any(isinstance(item, Query) for item in parsed.select):
            raise err.SalesforceError("FeatureNotEnabled : Cannot use subqueries in Bulk API 2.0 query jobs",
                                      error_code="API_ERROR")
        job.header, job.rows = _flatten([_path_names(item) for item in parsed.select], result.records)
        job.state = "JobComplete"
        job.processing_ms = int((time.monotonic() - started) * 1000)
        self.queries[job.id] = job
        self.query_jobs += 1
        return job

    def get_query(self, job_id: str) -> QueryJob:
        job = self.queries.get(job_id)
        if job is None:
            raise err.NotFound("Job not found")
        return job


def _path_names(item: Any) -> list[str]:

    if isinstance(item, ast.FieldPath):
        return [item.text]
    if isinstance(item, ast.Aggregate):
        return [item.alias or item.function]
    return []


def _flatten(columns: list[list[str]], records: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Records to CSV cells: dotted columns for parent paths, 'true'/'false' for booleans, '' for null."""
    header = [c for group in columns for c in group]
    if any(not group for group in columns):  # FIELDS(...) in the select list: take the names from the records
        header = _keys(records[0]) if records else header
    rows = []
    for record in records:
        flat = {k.lower(): v for k, v in _items(record)}
        rows.append([_cell(flat.get(name.lower())) for name in header])
    return header, rows


def _keys(record: dict[str, Any], prefix: str = "") -> list[str]:
    return [k for k, _ in _items(record, prefix)]


def _items(record: dict[str, Any] | None, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for key, value in (record or {}).items():
        if key == "attributes":
            continue
        if isinstance(value, dict):
            out.extend(_items(value, f"{prefix}{key}."))
        else:
            out.append((f"{prefix}{key}", value))
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
